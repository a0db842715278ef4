-- Readiness planning (issue 16, ADR 0036): the center's own and derived scenarios, versioned. Each
-- change adds a row (id, version); the highest version is in force and earlier ones stay for the
-- record. document is the scenario as JSON (RadRegen.Planning.PlanningJson); the published tables
-- are in code, not here. Times are journal-format UTC text, as elsewhere.

CREATE TABLE planning_scenarios (
    id         TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    document   TEXT    NOT NULL,
    set_by     TEXT    NOT NULL,
    set_at     TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    PRIMARY KEY (id, version)
);
