-- QC values and storage excursions (issue 11, item 7; ADR 0017).
-- Products and storage units declare a storage temperature class (ln2-vapour ≤ −150 °C, ultra-low
-- ≤ −65 °C, refrigerated 2–8 °C; sources in reference/qc/README.md). Existing products keep NULL
-- (their class follows from storage_max_celsius); existing tanks and freezers get the class of
-- their recorded limit. A reading the unit cannot physically show is recorded only when confirmed.
-- An excursion (a reading outside the unit's range) is a record of its own, with the vials it
-- flagged, assessed and resolved by QA with an e-signature; resolved excursions never change.

ALTER TABLE bank_products ADD COLUMN storage_class TEXT CHECK (storage_class IN ('ln2-vapour', 'ultra-low', 'refrigerated'));
ALTER TABLE bank_products ADD COLUMN storage_source TEXT;

ALTER TABLE bank_locations ADD COLUMN temperature_class TEXT CHECK (temperature_class IN ('ln2-vapour', 'ultra-low', 'refrigerated'));
UPDATE bank_locations SET temperature_class = CASE
    WHEN max_celsius <= -150 THEN 'ln2-vapour'
    WHEN max_celsius <= -65 THEN 'ultra-low'
    ELSE 'refrigerated' END
WHERE max_celsius IS NOT NULL;

ALTER TABLE bank_temperatures ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0;

CREATE TABLE bank_excursions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    location_id  INTEGER NOT NULL REFERENCES bank_locations (id),
    reading_id   INTEGER NOT NULL REFERENCES bank_temperatures (id),
    unit_name    TEXT    NOT NULL,
    celsius      REAL    NOT NULL,
    measured_at  TEXT    NOT NULL,
    max_celsius  REAL    NOT NULL,
    min_celsius  REAL,
    flag         TEXT    NOT NULL,             -- the text put on the unit and its vials
    status       TEXT    NOT NULL CHECK (status IN ('open', 'resolved')),
    opened_at    TEXT    NOT NULL,
    opened_by    TEXT    NOT NULL,
    outcome      TEXT    CHECK (outcome IN ('returned to use', 'discarded')),
    assessment   TEXT,
    resolved_at  TEXT,
    resolved_by  TEXT,
    signature_id INTEGER REFERENCES signatures (id),
    version      INTEGER NOT NULL DEFAULT 1,
    CHECK ((status = 'resolved') = (outcome IS NOT NULL AND resolved_at IS NOT NULL AND signature_id IS NOT NULL))
);
CREATE INDEX ix_bank_excursions_location ON bank_excursions (location_id, status);
CREATE INDEX ix_bank_excursions_status ON bank_excursions (status);

CREATE TABLE bank_excursion_vials (
    excursion_id INTEGER NOT NULL REFERENCES bank_excursions (id),
    vial_id      INTEGER NOT NULL REFERENCES bank_vials (id),
    PRIMARY KEY (excursion_id, vial_id)
);
CREATE INDEX ix_bank_excursion_vials_vial ON bank_excursion_vials (vial_id);

-- The history is kept: an excursion is never deleted, a resolved one never changes, and the vials
-- it flagged are append-only.
CREATE TRIGGER bank_excursions_no_delete BEFORE DELETE ON bank_excursions
BEGIN
    SELECT RAISE(ABORT, 'excursions are kept');
END;
CREATE TRIGGER bank_excursions_resolved_final BEFORE UPDATE ON bank_excursions WHEN OLD.status = 'resolved'
BEGIN
    SELECT RAISE(ABORT, 'a resolved excursion is final');
END;
CREATE TRIGGER bank_excursion_vials_no_update BEFORE UPDATE ON bank_excursion_vials
BEGIN
    SELECT RAISE(ABORT, 'excursion vials are append-only');
END;
CREATE TRIGGER bank_excursion_vials_no_delete BEFORE DELETE ON bank_excursion_vials
BEGIN
    SELECT RAISE(ABORT, 'excursion vials are append-only');
END;
