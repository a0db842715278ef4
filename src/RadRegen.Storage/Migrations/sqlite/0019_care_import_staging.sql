-- Victims imports staged in short transactions and published in one (issue 12 item 4, ADR 0028).
--
-- care_imports: one row per victims import. Its patients and first assessments are written in
-- chunks while state = 'staging'; every read of care rows leaves out rows whose import is still
-- staging, so no reader sees part of an import. One short transaction sets state = 'published' and
-- appends the import's journal entries. A failed import's rows are deleted with its row; an import
-- left staging by a process that died (touched_at long past) is swept at start-up.
-- care_first_assessments: the payload of an imported first assessment once a later version replaces
-- it in care_assessments (its journal entry records the payload's SHA-256, not the payload).

CREATE TABLE care_imports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id BIGINT  NOT NULL REFERENCES care_incidents (id),
    state       TEXT    NOT NULL CHECK (state IN ('staging', 'published')),
    started_by  TEXT    NOT NULL,
    started_at  TEXT    NOT NULL,
    touched_at  TEXT    NOT NULL
);
CREATE INDEX ix_care_imports_staging ON care_imports (state, touched_at);

ALTER TABLE care_patients ADD COLUMN import_id BIGINT REFERENCES care_imports (id);
CREATE INDEX ix_care_patients_import ON care_patients (import_id) WHERE import_id IS NOT NULL;

ALTER TABLE care_assessments ADD COLUMN import_id BIGINT REFERENCES care_imports (id);

CREATE TABLE care_first_assessments (
    patient_id BIGINT PRIMARY KEY REFERENCES care_patients (id),
    payload    TEXT   NOT NULL
);
