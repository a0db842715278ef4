-- Cell bank (SQLite): catalogue, donors and consent, lines, cell banks, lots, vials, QC,
-- deviations, storage locations, temperatures, chain of custody, DIN sequences.
-- Times are TEXT in the journal's fixed-width UTC form. Nothing here is ever deleted.

CREATE TABLE bank_products (
    code                   TEXT    PRIMARY KEY,
    name                   TEXT    NOT NULL,
    indication             TEXT    NOT NULL,
    storage_max_celsius    REAL    NOT NULL,
    shelf_life_frozen_days INTEGER NOT NULL,
    shelf_life_thaw_hours  INTEGER NOT NULL,
    dose_unit              TEXT    NOT NULL,
    specification          TEXT    NOT NULL,   -- JSON list of QC tests
    version                INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE bank_donors (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    code              TEXT    NOT NULL UNIQUE,
    consent_banking   INTEGER NOT NULL,
    consent_research  INTEGER NOT NULL,
    consent_clinical  INTEGER NOT NULL,
    consented_at      TEXT    NOT NULL,
    withdrawn_at      TEXT,
    withdrawal_reason TEXT,
    screening         TEXT    NOT NULL,        -- JSON list of marker results
    eligible          INTEGER NOT NULL,
    hla_gl            TEXT,
    homozygous        INTEGER,
    haplotype         TEXT,
    registered_at     TEXT    NOT NULL,
    registered_by     TEXT    NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_bank_donors_haplotype ON bank_donors (haplotype);

CREATE TABLE bank_lines (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT    NOT NULL UNIQUE,
    donor_id   INTEGER NOT NULL REFERENCES bank_donors (id),
    method     TEXT    NOT NULL,
    clone_name TEXT    NOT NULL,
    passage    INTEGER NOT NULL,
    flag       TEXT,
    created_at TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_bank_lines_donor ON bank_lines (donor_id);

CREATE TABLE bank_cell_banks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT    NOT NULL UNIQUE,
    kind       TEXT    NOT NULL CHECK (kind IN ('mcb', 'wcb')),
    line_id    INTEGER NOT NULL REFERENCES bank_lines (id),
    parent_id  INTEGER REFERENCES bank_cell_banks (id),
    passage    INTEGER NOT NULL,
    vials      INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    created_by TEXT    NOT NULL
);
CREATE INDEX ix_bank_cell_banks_line ON bank_cell_banks (line_id);

CREATE TABLE bank_lots (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    lot_number      TEXT    NOT NULL UNIQUE,
    din             TEXT    NOT NULL UNIQUE,
    product_code    TEXT    NOT NULL REFERENCES bank_products (code),
    wcb_id          INTEGER NOT NULL REFERENCES bank_cell_banks (id),
    line_id         INTEGER NOT NULL REFERENCES bank_lines (id),
    status          TEXT    NOT NULL CHECK (status IN ('quarantine', 'released', 'rejected')),
    manufactured_at TEXT    NOT NULL,
    expires_at      TEXT    NOT NULL,
    flag            TEXT,
    released_at     TEXT,
    released_by     TEXT,
    signature_id    INTEGER REFERENCES signatures (id),
    created_at      TEXT    NOT NULL,
    created_by      TEXT    NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_bank_lots_line ON bank_lots (line_id);

CREATE TABLE bank_locations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id   INTEGER REFERENCES bank_locations (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('site', 'tank', 'freezer', 'rack', 'box')),
    name        TEXT    NOT NULL,
    path        TEXT    NOT NULL,             -- '/site/tank/rack/box/' ids: prefix = everything inside
    rows_count  INTEGER NOT NULL,
    cols_count  INTEGER NOT NULL,
    max_celsius REAL,
    flag        TEXT,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_bank_locations_path ON bank_locations (path);

CREATE TABLE bank_vials (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    lot_id       INTEGER NOT NULL REFERENCES bank_lots (id),
    line_id      INTEGER NOT NULL REFERENCES bank_lines (id),
    din          TEXT    NOT NULL,
    product_code TEXT    NOT NULL,
    division     TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('quarantine', 'released', 'reserved', 'shipped', 'received', 'thawed', 'administered', 'discarded', 'expired')),
    box_id       INTEGER REFERENCES bank_locations (id),
    pos_row      INTEGER,
    pos_col      INTEGER,
    expires_at   TEXT    NOT NULL,
    reserved_for TEXT,
    flag         TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (din, product_code, division),
    UNIQUE (box_id, pos_row, pos_col),         -- never two vials in one position
    CHECK ((box_id IS NULL) = (pos_row IS NULL) AND (box_id IS NULL) = (pos_col IS NULL))
);
CREATE INDEX ix_bank_vials_search ON bank_vials (product_code, status, line_id, expires_at);
CREATE INDEX ix_bank_vials_product_expiry ON bank_vials (product_code, status, expires_at);
CREATE INDEX ix_bank_vials_status_expiry ON bank_vials (status, expires_at);
CREATE INDEX ix_bank_vials_lot ON bank_vials (lot_id);
CREATE INDEX ix_bank_vials_line ON bank_vials (line_id);

CREATE TABLE bank_qc_results (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    lot_id      INTEGER NOT NULL REFERENCES bank_lots (id),
    test_code   TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    unit        TEXT,
    passed      INTEGER NOT NULL,
    recorded_at TEXT    NOT NULL,
    recorded_by TEXT    NOT NULL
);
CREATE INDEX ix_bank_qc_results_lot ON bank_qc_results (lot_id);

CREATE TABLE bank_deviations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    lot_id       INTEGER NOT NULL REFERENCES bank_lots (id),
    qc_result_id INTEGER REFERENCES bank_qc_results (id),
    test_code    TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at    TEXT    NOT NULL,
    opened_by    TEXT    NOT NULL,
    closed_at    TEXT,
    closed_by    TEXT,
    closure      TEXT,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_bank_deviations_lot ON bank_deviations (lot_id);

CREATE TABLE bank_temperatures (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    location_id INTEGER NOT NULL REFERENCES bank_locations (id),
    measured_at TEXT    NOT NULL,
    celsius     REAL    NOT NULL,
    excursion   INTEGER NOT NULL,
    recorded_by TEXT    NOT NULL
);
CREATE INDEX ix_bank_temperatures_location ON bank_temperatures (location_id, measured_at);

CREATE TABLE bank_custody (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    vial_id       INTEGER NOT NULL REFERENCES bank_vials (id),
    at            TEXT    NOT NULL,
    user_name     TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    from_status   TEXT,
    to_status     TEXT    NOT NULL,
    from_position TEXT,
    to_position   TEXT,
    reason        TEXT
);
CREATE INDEX ix_bank_custody_vial ON bank_custody (vial_id);

CREATE TABLE bank_din_sequences (
    facility TEXT    NOT NULL,
    year     INTEGER NOT NULL,
    last     INTEGER NOT NULL,
    PRIMARY KEY (facility, year)
);

-- Custody events are append-only, like the journal.
CREATE TRIGGER bank_custody_no_update BEFORE UPDATE ON bank_custody
BEGIN
    SELECT RAISE(ABORT, 'custody events are append-only');
END;
CREATE TRIGGER bank_custody_no_delete BEFORE DELETE ON bank_custody
BEGIN
    SELECT RAISE(ABORT, 'custody events are append-only');
END;
