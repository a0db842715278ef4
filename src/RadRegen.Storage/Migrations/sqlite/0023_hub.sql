-- The international hub (issue 14, ADR 0032). Members with their capability declarations, requests
-- for assistance and offers are JSON documents (the whole shared state, as their hub.* events carry
-- it; RadRegen.Network.Hub.HubJson), with the columns queries filter on beside them. source is the
-- center that keeps a member or request; an offer has two sides (source: offering, request_source:
-- requesting). hub_irix_reports is the chain of IRIX reports written or read for a request
-- (ReportUUID with Follows/Revokes; seq orders a request's reports), so an import can find the request a report follows.
-- Times are journal-format UTC text, as elsewhere.

CREATE TABLE hub_members (
    code         TEXT    PRIMARY KEY,
    source       TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    center       TEXT,
    document     TEXT    NOT NULL,
    declared_at  TEXT    NOT NULL,
    version      INTEGER NOT NULL
);

CREATE TABLE hub_requests (
    id               TEXT    PRIMARY KEY,
    source           TEXT    NOT NULL,
    requester        TEXT    NOT NULL,
    confidentiality  TEXT    NOT NULL,
    document         TEXT    NOT NULL,
    requested_at     TEXT    NOT NULL,
    version          INTEGER NOT NULL
);

CREATE INDEX hub_requests_requested ON hub_requests (requested_at);

CREATE TABLE hub_offers (
    id              TEXT    PRIMARY KEY,
    request_id      TEXT    NOT NULL,
    source          TEXT    NOT NULL,
    request_source  TEXT    NOT NULL,
    offerer         TEXT    NOT NULL,
    document        TEXT    NOT NULL,
    offered_at      TEXT    NOT NULL,
    version         INTEGER NOT NULL
);

CREATE INDEX hub_offers_request ON hub_offers (request_id);

CREATE TABLE hub_irix_reports (
    report_uuid  TEXT    PRIMARY KEY,
    request_id   TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    direction    TEXT    NOT NULL CHECK (direction IN ('exported', 'imported')),
    follows      TEXT,
    revokes      TEXT,
    at           TEXT    NOT NULL,
    by_user      TEXT    NOT NULL
);

CREATE INDEX hub_irix_reports_request ON hub_irix_reports (request_id);
