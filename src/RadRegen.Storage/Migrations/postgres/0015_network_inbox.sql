-- The receiving side of the network of centers (issue 13, ADR 0022, docs/network.md).
-- network_centers: the centers this one knows (from their center.profile events, or named in
--   Network:KnownCenters), their capabilities and the last event applied from each (lag).
-- network_inbox: every event id received once (applied, superseded by a newer version, or parked),
--   so a redelivery is recognised and never applied twice.
-- network_entity_versions: per source center and entity key, the highest version applied; an
--   older or equal version never overwrites newer state.
-- network_parked: events not applied (unknown kind, schema version or center; a payload the
--   handler refused), whole, with the reason; shown on /network.
-- network_link: this center's link to the NATS server as the engine last saw it (one row).

CREATE TABLE network_centers (
    code              TEXT    PRIMARY KEY,
    name              TEXT    NOT NULL,
    time_zone         TEXT    NOT NULL,
    bmt_beds          INTEGER NOT NULL DEFAULT 0,
    burn_unit         INTEGER NOT NULL DEFAULT 0,
    biodosimetry_lab  INTEGER NOT NULL DEFAULT 0,
    cpc               INTEGER NOT NULL DEFAULT 0,
    known_by          TEXT    NOT NULL,
    profile_version   BIGINT,
    first_seen_at     TEXT    NOT NULL,
    last_event_at     TEXT,
    last_applied_at   TEXT,
    events_applied    BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE network_inbox (
    event_id        TEXT    PRIMARY KEY,
    source_center   TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    entity_key      TEXT    NOT NULL,
    entity_version  BIGINT  NOT NULL,
    occurred_at     TEXT    NOT NULL,
    received_at     TEXT    NOT NULL,
    outcome         TEXT    NOT NULL
);

CREATE TABLE network_entity_versions (
    source_center   TEXT    NOT NULL,
    entity_key      TEXT    NOT NULL,
    version         BIGINT  NOT NULL,
    event_id        TEXT    NOT NULL,
    applied_at      TEXT    NOT NULL,
    PRIMARY KEY (source_center, entity_key)
);

CREATE TABLE network_parked (
    event_id        TEXT    PRIMARY KEY,
    source_center   TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    entity_key      TEXT    NOT NULL,
    entity_version  BIGINT  NOT NULL,
    occurred_at     TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    reason_code     TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    parked_at       TEXT    NOT NULL
);

CREATE INDEX network_parked_center ON network_parked (source_center, reason_code);

CREATE TABLE network_link (
    id               INTEGER PRIMARY KEY,
    url              TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    changed_at       TEXT    NOT NULL,
    last_contact_at  TEXT
);
