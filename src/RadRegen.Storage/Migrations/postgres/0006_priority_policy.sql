-- The mass-casualty priority policy's versions (issue 11 item 4, ADR 0015). Version 1 is the
-- configured policy; a later configuration that differs from the last configured version adds a
-- version (source 'configuration'); a change by the physician lead or coordinator adds one with its
-- reason and e-signature (source 'change'). The highest version is in force. Rows are never updated.

CREATE TABLE priority_policies (
    version       BIGINT  PRIMARY KEY,
    policy        TEXT    NOT NULL,   -- the policy as JSON
    source        TEXT    NOT NULL,
    set_by        TEXT    NOT NULL,
    set_at        TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    signature_id  BIGINT REFERENCES signatures (id),
    CHECK (source IN ('configuration', 'change')),
    CHECK (source = 'configuration' OR signature_id IS NOT NULL)
);
