-- Cytogenetic gates (issue 11 item 7; issue 12 item 9; ADR 0018). A curve records the dose range it
-- was calibrated over, so that an estimate outside it is flagged as an extrapolation (null: not
-- recorded; for a fitted curve the store falls back to its count table's doses), and the QA
-- e-signature that activated it (the signature row, who and when; the previous activation's
-- signature stays in the signatures table and the journal).

ALTER TABLE lab_curves ADD COLUMN calibrated_from_gy DOUBLE PRECISION;
ALTER TABLE lab_curves ADD COLUMN calibrated_to_gy DOUBLE PRECISION;
ALTER TABLE lab_curves ADD COLUMN activation_signature_id BIGINT;
ALTER TABLE lab_curves ADD COLUMN activated_by TEXT;
ALTER TABLE lab_curves ADD COLUMN activated_at TEXT;
