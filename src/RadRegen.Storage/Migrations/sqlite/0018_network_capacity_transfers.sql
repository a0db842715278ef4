-- Capacity and patient transfers in the network of centers (issue 13 items 4 and 5, ADR 0025).
--
-- network_capacity_snapshots: the latest EDXL-HAVE-shaped snapshot of each center (this one and
-- those heard over the network) and bed type; earlier snapshots are in the journal.
-- network_capacity_requests: required beds per center entered by a coordinator (RITN 2009 asked
-- 300 of each center); centers is a JSON array of facility codes (empty: every reporting center).
-- network_transfers: EDXL-TEP-shaped transfers as this center knows them; patient_id is the patient
-- here when this center requested, received_patient_id the patient registered here from the record
-- when this center accepted (the provenance of that patient: from_center and id). accepted is 1, 0
-- or NULL (undecided). Times are journal-format UTC text, as elsewhere.

CREATE TABLE network_capacity_snapshots (
    center       TEXT    NOT NULL,
    bed_type     TEXT    NOT NULL,
    baseline     INTEGER NOT NULL,
    available    INTEGER NOT NULL,
    reported_at  TEXT    NOT NULL,
    reporter     TEXT    NOT NULL,
    comment      TEXT,
    received_at  TEXT    NOT NULL,
    PRIMARY KEY (center, bed_type)
);

CREATE TABLE network_capacity_requests (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    reference            TEXT    NOT NULL,
    required_per_center  INTEGER NOT NULL,
    bed_type             TEXT,
    centers              TEXT    NOT NULL,
    requested_at         TEXT    NOT NULL,
    requested_by         TEXT    NOT NULL
);

CREATE TABLE network_transfers (
    id                   TEXT    PRIMARY KEY,
    from_center          TEXT    NOT NULL,
    to_center            TEXT    NOT NULL,
    patient_id           INTEGER REFERENCES care_patients (id),
    triage               TEXT,
    response_category    INTEGER,
    basis_dose_gy        REAL,
    bed_type             TEXT,
    reason               TEXT,
    requested_at         TEXT    NOT NULL,
    requested_by         TEXT    NOT NULL,
    accepted             INTEGER,
    decided_at           TEXT,
    decided_by           TEXT,
    decline_reason       TEXT,
    record_sent_at       TEXT,
    dispatched_at        TEXT,
    dispatched_by        TEXT,
    admitted_at          TEXT,
    admitted_by          TEXT,
    released_at          TEXT,
    released_by          TEXT,
    release_reason       TEXT,
    received_patient_id  INTEGER REFERENCES care_patients (id),
    record_received_at   TEXT,
    version              INTEGER NOT NULL
);

CREATE INDEX network_transfers_patient ON network_transfers (patient_id);
CREATE INDEX network_transfers_requested ON network_transfers (requested_at);
