-- Other centers' released, allocatable stock, as their inventory.stock events tell it (issue 13
-- item 2, ADR 0023): one row per source center and stock (entity_key = stock/lot-N at that center),
-- the newest state only (the network consumer applies an event only when its version is newer).
-- available = 0 keeps the row (its version still counts) but the search hides it. Nothing here
-- identifies a donor: the owning center sends no donor code, DIN, lot number or line code.

CREATE TABLE network_stock (
    source_center          TEXT    NOT NULL,
    entity_key             TEXT    NOT NULL,
    stock_ref              TEXT    NOT NULL,
    product_code           TEXT    NOT NULL,
    product_name           TEXT    NOT NULL,
    contains_immune_cells  INTEGER NOT NULL,
    hla_gl                 TEXT,
    haplotype              TEXT,
    available              INTEGER NOT NULL CHECK (available >= 0),
    earliest_expiry        TEXT,
    latest_expiry          TEXT,
    sites                  TEXT    NOT NULL,
    shareable              INTEGER NOT NULL,
    version                BIGINT  NOT NULL,
    updated_at             TEXT    NOT NULL,
    received_at            TEXT    NOT NULL,
    PRIMARY KEY (source_center, entity_key)
);

CREATE INDEX ix_network_stock_product ON network_stock (product_code, available);
