-- The language a person chose for the interface (issue 17 item 4, ADR 0041): 'en' or 'ja', or NULL
-- for "as my browser asks" (Accept-Language). Set from the language switcher; read at sign-in into
-- the culture cookie. A preference, not a record: numbers, units and stored times do not depend on it.

ALTER TABLE users ADD COLUMN language TEXT;
