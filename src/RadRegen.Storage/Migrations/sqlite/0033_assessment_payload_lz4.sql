-- PostgreSQL only (its assessment payloads compressed with LZ4, ADR 0042): SQLite does not
-- compress values, so nothing changes here. The number keeps both engines' migrations in step.
SELECT 1;
