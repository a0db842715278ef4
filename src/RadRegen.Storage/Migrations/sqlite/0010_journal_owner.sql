-- PostgreSQL's 0010 hands the journal to a role the application does not log in as. SQLite has no
-- roles: whoever can write the file can change anything in it. Its journal keeps the append-only
-- triggers of 0001 (a guard against mistakes, not an attacker); what detects an attacker on SQLite
-- is the signed checkpoint log outside the database (ADR 0019). Kept so both engines share numbers.
SELECT 1;
