-- Exercises (issue 15 items 2-5 and 7, ADR 0035). An exercise is an HSEEP definition (objectives,
-- capability targets, critical tasks, scenario, injects) and an answer key (the simulated truth, the
-- victims file, the drill's simulated bank), both JSON documents (RadRegen.Training.Exercises.ExerciseJson);
-- its drill incident (care) holds the simulated patients. exercise_actions is the action log: every
-- trainee action and every released inject, with its time and minutes on the exercise clock.
-- Times are journal-format UTC text, as elsewhere.

CREATE TABLE exercises (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    code         TEXT    NOT NULL UNIQUE,
    title        TEXT    NOT NULL,
    incident_id  INTEGER NOT NULL REFERENCES care_incidents (id),
    definition   TEXT    NOT NULL,
    answer_key   TEXT    NOT NULL,
    started_at   TEXT    NOT NULL,
    created_by   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);

CREATE INDEX exercises_incident ON exercises (incident_id);

CREATE TABLE exercise_participants (
    exercise_id  INTEGER NOT NULL REFERENCES exercises (id),
    user_name    TEXT    NOT NULL,
    added_by     TEXT    NOT NULL,
    added_at     TEXT    NOT NULL,
    PRIMARY KEY (exercise_id, user_name)
);

CREATE TABLE exercise_actions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    exercise_id  INTEGER NOT NULL REFERENCES exercises (id),
    at           TEXT    NOT NULL,
    minutes      REAL NOT NULL,
    user_name    TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    subject      TEXT,
    payload      TEXT    NOT NULL
);

CREATE INDEX exercise_actions_exercise ON exercise_actions (exercise_id, id);

CREATE TABLE exercise_improvements (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    exercise_id  INTEGER NOT NULL REFERENCES exercises (id),
    target_code  TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    owner        TEXT    NOT NULL,
    due          TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    version      INTEGER NOT NULL
);

CREATE INDEX exercise_improvements_exercise ON exercise_improvements (exercise_id);
