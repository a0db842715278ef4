-- The journal belongs to a role nobody logs in as (issue 12, item 2; ADR 0019). The application's
-- role may only INSERT and SELECT it: the append-only triggers of 0001 then stop mistakes, and the
-- missing UPDATE/DELETE/TRUNCATE privileges (and not owning the table, so not being able to drop or
-- disable those triggers) stop the application's own login from rewriting history.
--
-- Handing a table to another role needs a superuser (a non-superuser must be a member of the new
-- owner, and a member could SET ROLE to it and rewrite the journal). So:
-- - run by a superuser (the tests; a DBA migrating by hand): the journal is handed over here and the
--   database's owner (the application's role in the README's set-up) gets INSERT and SELECT;
-- - run by the application's own role (the usual start-up migration): nothing changes and a WARNING
--   says so; a DBA runs this same file once, as a superuser, after the first start:
--       sudo -u postgres psql --dbname radregen --file src/RadRegen.Storage/Migrations/postgres/0010_journal_owner.sql
--   (safe to run again: every statement is idempotent).
-- The journal has no sequence or identity column (seq is last + 1 under an advisory lock), so no
-- sequence privilege is needed. The signatures table's foreign key into the journal is checked with
-- the journal owner's rights, so it keeps working.
DO $$
DECLARE
    app_role name;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'radregen_journal_owner') THEN
            BEGIN
                CREATE ROLE radregen_journal_owner NOLOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- another database on this server created it at the same moment
            END;
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
    ELSIF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'journal' AND schemaname = current_schema()
                      AND tableowner = 'radregen_journal_owner') THEN
        RAISE WARNING 'the journal table is owned by %, the role RadRegen logs in as, which can therefore alter it; a database superuser should run migration 0010_journal_owner.sql on this database once (docs/operations.md, "Journal checkpoints")', current_user;
    END IF;
END
$$;
