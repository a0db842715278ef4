-- Victims imports journaled per chunk (issue 12 item 4, ADR 0033, amending ADR 0027 and 0028).
--
-- An import's publishing transaction appends one journal entry per staged chunk (record type
-- 'victims-import', record id '<import id>/<chunk>') carrying every victim of the chunk with the
-- digests of its observations and first assessment, instead of two entries per victim. The patient
-- row names its chunk so that the patient's history finds that entry. Null for every patient not
-- imported this way (registered by hand, or imported before this migration: their per-patient
-- entries stay as they were).

ALTER TABLE care_patients ADD COLUMN import_chunk INTEGER;
