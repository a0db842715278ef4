-- PostgreSQL only (its journal payloads compressed with LZ4, ADR 0043): SQLite does not compress
-- values, so nothing changes here. The number keeps both engines' migrations in step.
SELECT 1;
