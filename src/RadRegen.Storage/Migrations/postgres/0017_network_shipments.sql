-- Shipments between centers (issue 13 item 3, ADR 0024). A center holds one row per shipment it
-- sends or receives: its own side, which it writes, and the other center's side as that center's
-- last shipment.state event told it (JSON documents: state transfer, never deltas). Dry shippers
-- are this center's equipment with their last qualification and charge; the logger series of a
-- received shipment is kept reading by reading; the settings are QA's (requalification and logging
-- intervals: the center's quality decisions, never built-in values).

CREATE TABLE network_shipments (
    id               TEXT    PRIMARY KEY,
    sender_center    TEXT    NOT NULL,
    receiver_center  TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    request          TEXT    NOT NULL,
    sender           TEXT    NOT NULL,
    receiver         TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX network_shipments_updated ON network_shipments (updated_at);

CREATE TABLE network_dry_shippers (
    serial                   TEXT    PRIMARY KEY,
    model                    TEXT    NOT NULL,
    qualified_at             TEXT    NOT NULL,
    qualified_hold_hours     DOUBLE PRECISION    NOT NULL CHECK (qualified_hold_hours > 0),
    qualification_reference  TEXT    NOT NULL,
    charged_at               TEXT,
    last_dispatched_at       TEXT,
    packed_in                TEXT    REFERENCES network_shipments (id),
    registered_at            TEXT    NOT NULL,
    registered_by            TEXT    NOT NULL,
    version                  INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE network_shipment_logger_points (
    shipment_id  TEXT    NOT NULL REFERENCES network_shipments (id),
    seq          INTEGER NOT NULL,
    at           TEXT    NOT NULL,
    celsius      DOUBLE PRECISION    NOT NULL,
    PRIMARY KEY (shipment_id, seq)
);

CREATE TABLE network_shipment_settings (
    id                             INTEGER PRIMARY KEY CHECK (id = 1),
    requalification_interval_days  INTEGER NOT NULL CHECK (requalification_interval_days > 0),
    logging_interval_minutes       INTEGER NOT NULL CHECK (logging_interval_minutes > 0),
    set_at                         TEXT    NOT NULL,
    set_by                         TEXT    NOT NULL,
    reason                         TEXT    NOT NULL
);
