-- Run once as a PostgreSQL superuser, connected to RadRegen's database, after RadRegen has created
-- its tables (first start), when RadRegen logs in as a role that is not a superuser:
--     sudo -u postgres psql --dbname radregen --file scripts/postgres-journal-owner.sql
-- The same statements as migration 0010 applies when a superuser migrates (ADR 0019): the journal
-- and its trigger function then belong to radregen_journal_owner (NOLOGIN), and the database's owner
-- (the role RadRegen logs in as) may only INSERT and SELECT the journal. Safe to run again.
-- The role RadRegen logs in as must not be a member of radregen_journal_owner, nor a superuser,
-- nor have CREATEROLE: any of those lets it take the journal back.
DO $$
DECLARE
    app_role name;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'radregen_journal_owner') THEN
        CREATE ROLE radregen_journal_owner NOLOGIN;
    END IF;
    SELECT pg_get_userbyid(datdba) INTO app_role FROM pg_database WHERE datname = current_database();
    ALTER TABLE journal OWNER TO radregen_journal_owner;
    ALTER FUNCTION journal_append_only() OWNER TO radregen_journal_owner;
    REVOKE ALL ON journal FROM PUBLIC;
    EXECUTE format('GRANT SELECT, INSERT ON journal TO %I', app_role);
    -- The schema's owner (the database owner, i.e. the application's role) may still DROP a table it
    -- does not own: an event trigger, owned by the superuser, refuses dropping the journal to anyone else.
    -- Its function lives in a schema the application does not own, so it cannot drop or replace it.
    CREATE SCHEMA IF NOT EXISTS radregen_guard;
    REVOKE ALL ON SCHEMA radregen_guard FROM PUBLIC;
    CREATE OR REPLACE FUNCTION radregen_guard.journal_no_drop() RETURNS event_trigger LANGUAGE plpgsql AS $f$
    BEGIN
        IF current_setting('is_superuser') <> 'on' AND EXISTS (
            SELECT 1 FROM pg_event_trigger_dropped_objects() WHERE object_type = 'table' AND object_name = 'journal') THEN
            RAISE EXCEPTION 'the journal cannot be dropped: it belongs to radregen_journal_owner';
        END IF;
    END
    $f$;
    DROP EVENT TRIGGER IF EXISTS radregen_journal_no_drop;
    CREATE EVENT TRIGGER radregen_journal_no_drop ON sql_drop EXECUTE FUNCTION radregen_guard.journal_no_drop();
    RAISE NOTICE 'the journal now belongs to radregen_journal_owner; % may INSERT and SELECT it', app_role;
END
$$;
