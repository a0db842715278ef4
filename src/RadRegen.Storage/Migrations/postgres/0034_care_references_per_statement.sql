-- The references of the care rows a victims import writes in bulk, checked once per statement
-- instead of once per row (issue 12 item 4, ADR 0043).
--
-- A foreign key is checked by a trigger that runs one query per inserted row. An import of 100,000
-- victims inserts 923,158 observations, 100,000 patients and 100,000 first assessments: 1.4 million
-- such queries, about 5 s of the server's CPU on two cores (docs/performance.md, "Victims import,
-- references checked per statement"). The same rule is checked here by statement triggers that see
-- all the rows a statement inserted or deleted (transition tables) and check them with one join.
--
-- What each check does, as the foreign key it replaces did:
-- - a row inserted into a referencing table needs its parent to exist; the parents are locked
--   FOR KEY SHARE, so that a parent cannot be deleted until the inserting transaction ends;
-- - a parent row cannot be deleted while a row refers to it. The check reads with a fresh snapshot
--   per statement, so it sees references committed while the delete waited for their lock; that
--   holds at READ COMMITTED, the only level the application uses (SqlUnitOfWork), and the check
--   refuses to run at any other;
-- - the columns involved are never updated by the application: an update that changes one is
--   refused outright, on either side.
-- The error is SQLSTATE 23503 (foreign_key_violation) with the constraint name the foreign key had.
-- Only these three tables change: every other reference keeps its foreign key.

ALTER TABLE care_observations DROP CONSTRAINT care_observations_patient_id_fkey;
ALTER TABLE care_assessments DROP CONSTRAINT care_assessments_patient_id_fkey;
ALTER TABLE care_assessments DROP CONSTRAINT care_assessments_incident_id_fkey;
ALTER TABLE care_assessments DROP CONSTRAINT care_assessments_import_id_fkey;
ALTER TABLE care_patients DROP CONSTRAINT care_patients_incident_id_fkey;
ALTER TABLE care_patients DROP CONSTRAINT care_patients_import_id_fkey;

-- The parent-side checks below find their rows through indexes that exist already: care_observations
-- (patient_id, observed_at), care_assessments (patient_id) and (incident_id), care_patients
-- (incident_id, code) and (import_id). care_assessments.import_id has none: it is read only when an
-- import's row is deleted, which happens once per discarded import.

-- The referencing side: every row a statement inserted has its parents, locked FOR KEY SHARE.
-- Arguments, in threes: the column, the parent table (whose key is id), the constraint's name.
CREATE FUNCTION care_references_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing BIGINT;
BEGIN
    FOR i IN 0 .. TG_NARGS - 1 BY 3 LOOP
        EXECUTE format('SELECT n.%1$I FROM (SELECT DISTINCT %1$I FROM inserted WHERE %1$I IS NOT NULL) AS n '
                       'WHERE NOT EXISTS (SELECT 1 FROM %2$I AS p WHERE p.id = n.%1$I FOR KEY SHARE) LIMIT 1',
                       TG_ARGV[i], TG_ARGV[i + 1]) INTO missing;
        IF missing IS NOT NULL THEN
            RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', TG_TABLE_NAME, TG_ARGV[i + 2]
                USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_ARGV[i + 2],
                      DETAIL = format('Key (%s)=(%s) is not present in table "%s".', TG_ARGV[i], missing, TG_ARGV[i + 1]);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER care_observations_references AFTER INSERT ON care_observations REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION care_references_exist(
        'patient_id', 'care_patients', 'care_observations_patient_id_fkey');
CREATE TRIGGER care_assessments_references AFTER INSERT ON care_assessments REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION care_references_exist(
        'patient_id', 'care_patients', 'care_assessments_patient_id_fkey',
        'incident_id', 'care_incidents', 'care_assessments_incident_id_fkey',
        'import_id', 'care_imports', 'care_assessments_import_id_fkey');
CREATE TRIGGER care_patients_references AFTER INSERT ON care_patients REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION care_references_exist(
        'incident_id', 'care_incidents', 'care_patients_incident_id_fkey',
        'import_id', 'care_imports', 'care_patients_import_id_fkey');

-- The referenced side: a parent row cannot go while a row refers to it. The check reads with the
-- statement's fresh snapshot, which sees every committed reference only at READ COMMITTED.
-- Arguments, in threes: the referencing table, its column, the constraint's name.
CREATE FUNCTION care_references_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kept BIGINT;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'deleting from % needs READ COMMITTED, where its references are checked with a fresh snapshot (ADR 0043)', TG_TABLE_NAME
            USING ERRCODE = 'feature_not_supported';
    END IF;
    FOR i IN 0 .. TG_NARGS - 1 BY 3 LOOP
        EXECUTE format('SELECT c.%2$I FROM %1$I AS c WHERE c.%2$I IN (SELECT id FROM deleted) LIMIT 1',
                       TG_ARGV[i], TG_ARGV[i + 1]) INTO kept;
        IF kept IS NOT NULL THEN
            RAISE EXCEPTION 'update or delete on table "%" violates foreign key constraint "%" on table "%"', TG_TABLE_NAME, TG_ARGV[i + 2], TG_ARGV[i]
                USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_ARGV[i + 2],
                      DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', kept, TG_ARGV[i]);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER care_patients_referenced AFTER DELETE ON care_patients REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION care_references_kept(
        'care_observations', 'patient_id', 'care_observations_patient_id_fkey',
        'care_assessments', 'patient_id', 'care_assessments_patient_id_fkey');
CREATE TRIGGER care_incidents_referenced AFTER DELETE ON care_incidents REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION care_references_kept(
        'care_patients', 'incident_id', 'care_patients_incident_id_fkey',
        'care_assessments', 'incident_id', 'care_assessments_incident_id_fkey');
CREATE TRIGGER care_imports_referenced AFTER DELETE ON care_imports REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION care_references_kept(
        'care_patients', 'import_id', 'care_patients_import_id_fkey',
        'care_assessments', 'import_id', 'care_assessments_import_id_fkey');

-- Neither side's key columns change once written (the application never updates them).
CREATE FUNCTION care_reference_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%: % cannot change once written; its references are checked when rows are inserted and deleted (ADR 0043)', TG_TABLE_NAME, TG_ARGV[0]
        USING ERRCODE = 'foreign_key_violation';
END $$;

CREATE TRIGGER care_observations_reference_unchanged BEFORE UPDATE ON care_observations FOR EACH ROW
    WHEN (OLD.patient_id IS DISTINCT FROM NEW.patient_id) EXECUTE FUNCTION care_reference_unchanged('patient_id');
CREATE TRIGGER care_assessments_reference_unchanged BEFORE UPDATE ON care_assessments FOR EACH ROW
    WHEN (OLD.patient_id IS DISTINCT FROM NEW.patient_id OR OLD.incident_id IS DISTINCT FROM NEW.incident_id OR OLD.import_id IS DISTINCT FROM NEW.import_id)
    EXECUTE FUNCTION care_reference_unchanged('patient_id, incident_id or import_id');
CREATE TRIGGER care_patients_reference_unchanged BEFORE UPDATE ON care_patients FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.incident_id IS DISTINCT FROM NEW.incident_id OR OLD.import_id IS DISTINCT FROM NEW.import_id)
    EXECUTE FUNCTION care_reference_unchanged('id, incident_id or import_id');
CREATE TRIGGER care_incidents_reference_unchanged BEFORE UPDATE ON care_incidents FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION care_reference_unchanged('id');
CREATE TRIGGER care_imports_reference_unchanged BEFORE UPDATE ON care_imports FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION care_reference_unchanged('id');
