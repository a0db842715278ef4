-- The transactional outbox of the network of centers (issue 13, ADR 0022). A change and the event
-- that tells other centers about it are written in one transaction; the relay publishes pending
-- rows to NATS JetStream with event_id as the message id (JetStream drops duplicates) and then
-- sets relayed_at. position is the entity version consumers compare. Rows are never deleted.

CREATE TABLE network_outbox (
    position        BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    entity_key      TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    occurred_at     TEXT    NOT NULL,
    relayed_at      TEXT
);

CREATE INDEX network_outbox_pending ON network_outbox (position) WHERE relayed_at IS NULL;
