-- Therapy (issue 6): what a vial holds as a dose (so a prescription per kg becomes a number of
-- vials) and whether a product contains immune cells (then graft-versus-host matching counts too);
-- therapy requests, the vials reserved for them, shipments and follow-up outcomes.
-- Times are TEXT in the journal's fixed-width UTC form: text order = time order.

ALTER TABLE bank_products ADD COLUMN dose_per_vial REAL NOT NULL DEFAULT 1;
ALTER TABLE bank_products ADD COLUMN contains_immune_cells INTEGER NOT NULL DEFAULT 0;
-- The seed catalogue's cell products hold 1×10⁸ cells per vial (100 in their ×10⁶ dose unit): the
-- center's fill volume, a product setting it edits, not a published constant.
UPDATE bank_products SET dose_per_vial = 100 WHERE code IN ('S9102', 'S9103', 'S9104');

CREATE TABLE care_therapy_requests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id     BIGINT  NOT NULL REFERENCES care_incidents (id),
    patient_id      BIGINT  NOT NULL REFERENCES care_patients (id),
    product_code    TEXT    NOT NULL REFERENCES bank_products (code),
    dose            REAL NOT NULL,   -- in the product's dose unit (per kg when the unit says /kg)
    dose_unit       TEXT    NOT NULL,
    total_dose      REAL NOT NULL,
    vials_needed    INTEGER NOT NULL,
    urgency         TEXT    NOT NULL,
    treating_center TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    note            TEXT,
    requested_by    TEXT    NOT NULL,
    requested_at    TEXT    NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_care_therapy_requests_patient ON care_therapy_requests (patient_id);
CREATE INDEX ix_care_therapy_requests_incident ON care_therapy_requests (incident_id, status);

CREATE TABLE care_shipments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      BIGINT  NOT NULL REFERENCES care_therapy_requests (id),
    destination     TEXT    NOT NULL,
    dispatched_at   TEXT    NOT NULL,
    dispatched_by   TEXT    NOT NULL,
    received_at     TEXT,
    received_by     TEXT
);
CREATE INDEX ix_care_shipments_request ON care_shipments (request_id);

CREATE TABLE care_therapy_vials (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      BIGINT  NOT NULL REFERENCES care_therapy_requests (id),
    vial_id         BIGINT  NOT NULL REFERENCES bank_vials (id),
    vial_identity   TEXT    NOT NULL,
    line_code       TEXT    NOT NULL,
    status          TEXT    NOT NULL,   -- reserved, dispatched, received, administered, released
    compatibility   REAL NOT NULL,
    explanation     TEXT    NOT NULL,
    reserved_by     TEXT    NOT NULL,
    reserved_at     TEXT    NOT NULL,
    shipment_id     BIGINT  REFERENCES care_shipments (id),
    administered_at TEXT,
    administered_by TEXT,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_care_therapy_vials_request ON care_therapy_vials (request_id);
-- A vial belongs to at most one request at a time (the bank's status guards it too).
CREATE UNIQUE INDEX ux_care_therapy_vials_active ON care_therapy_vials (vial_id) WHERE status <> 'released';

CREATE TABLE care_followups (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      BIGINT  NOT NULL REFERENCES care_therapy_requests (id),
    observed_at     TEXT    NOT NULL,
    outcome         TEXT    NOT NULL,
    note            TEXT,
    recorded_by     TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL
);
CREATE INDEX ix_care_followups_request ON care_followups (request_id);
