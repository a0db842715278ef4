-- Foundation: the journal, people, API tokens and electronic signatures (SQLite).
-- Times are TEXT in the journal's fixed-width UTC form (see JournalTime): text order = time order.

CREATE TABLE journal (
    seq           INTEGER PRIMARY KEY,      -- assigned as last + 1 by the writer: no gaps
    time          TEXT    NOT NULL,
    user_name     TEXT    NOT NULL,
    record_type   TEXT    NOT NULL,
    record_id     TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    reason        TEXT,
    payload       TEXT    NOT NULL,
    previous_hash TEXT    NOT NULL,
    hash          TEXT    NOT NULL
);
CREATE INDEX ix_journal_record ON journal (record_type, record_id);
CREATE INDEX ix_journal_user ON journal (user_name);
CREATE INDEX ix_journal_time ON journal (time);

-- Append-only: the database itself refuses to change or remove an entry. Tampering therefore
-- needs someone who drops these triggers first, and the hash chain still shows it.
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name     TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    roles         TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT,
    created_at    TEXT    NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    name        TEXT    NOT NULL,
    secret_hash TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE signatures (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    user_name    TEXT    NOT NULL,
    display_name TEXT    NOT NULL,
    meaning      TEXT    NOT NULL,
    record_type  TEXT    NOT NULL,
    record_id    TEXT    NOT NULL,
    record_hash  TEXT    NOT NULL,
    signed_at    TEXT    NOT NULL,
    journal_seq  INTEGER NOT NULL REFERENCES journal (seq)
);
CREATE INDEX ix_signatures_record ON signatures (record_type, record_id);
