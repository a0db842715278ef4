-- Journal payloads compressed with LZ4 instead of PostgreSQL's default pglz (issue 12 item 4,
-- ADR 0043). A victims import of 100,000 victims publishes about 60 MB of journal payload (one entry
-- per chunk of 1,000 victims, ADR 0033) in its publishing transaction, under the journal's lock;
-- pglz took about 0.8 s of that, LZ4 about 0.2 s (docs/performance.md, "Victims import, references
-- checked per statement"). Reservations that arrive meanwhile wait for that lock.
--
-- Only how new values are stored changes. No entry is rewritten: entries already stored stay as
-- they are, read the same and hash the same.
--
-- The journal belongs to radregen_journal_owner (migration 0010), so the application's own role
-- cannot alter it: run by that role, this leaves pglz in place and a WARNING says so; a database
-- superuser runs this same file once (safe to run again), as for 0010:
--     sudo -u postgres psql --dbname radregen --file src/RadRegen.Storage/Migrations/postgres/0035_journal_payload_lz4.sql
-- A PostgreSQL built without LZ4 keeps pglz (and says so in its log).
DO $$
BEGIN
    ALTER TABLE journal ALTER COLUMN payload SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported THEN
        RAISE NOTICE 'this PostgreSQL has no LZ4: journal.payload keeps pglz compression';
    WHEN insufficient_privilege THEN
        RAISE WARNING 'journal.payload keeps pglz compression: the journal belongs to another role; a database superuser may run migration 0035_journal_payload_lz4.sql on this database once (docs/operations.md, "Journal checkpoints")';
END $$;
