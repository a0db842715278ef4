-- Assessment payloads compressed with LZ4 instead of PostgreSQL's default pglz (issue 12 item 4,
-- ADR 0042). A first assessment's payload is about 3.5 KB of JSON, above the 2 KB at which TOAST
-- compresses a value; an import of 100,000 victims stores about 350 MB of them, and pglz made the
-- server's side of the import 3-4 s slower than LZ4 on two cores (docs/performance.md, "Victims
-- import, streamed"). Only how new values are stored changes: values already stored stay as they
-- are and read the same. A PostgreSQL built without LZ4 keeps pglz (and says so in its log).
DO $$
BEGIN
    ALTER TABLE care_assessments ALTER COLUMN payload SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no LZ4: care_assessments.payload keeps pglz compression';
END $$;
