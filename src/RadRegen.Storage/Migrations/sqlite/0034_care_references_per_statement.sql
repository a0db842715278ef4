-- PostgreSQL only (the references of imported care rows checked per statement, ADR 0043): SQLite
-- checks a foreign key inside its own insert, without a query per row, so its foreign keys stay.
-- The number keeps both engines' migrations in step.
SELECT 1;
