-- Emergency care (issue 6): incidents, pseudonymous patients, observations over time, and each
-- patient's current assessment (every version of it is on the journal, record patient-assessment).
-- Times are TEXT in the journal's fixed-width UTC form: text order = time order.

CREATE TABLE care_incidents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    code          TEXT    NOT NULL UNIQUE,
    title         TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    started_at    TEXT    NOT NULL,
    place         TEXT    NOT NULL,
    radionuclides TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE care_patients (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id    BIGINT  NOT NULL REFERENCES care_incidents (id),
    code           TEXT    NOT NULL,
    age_years      INTEGER NOT NULL,
    sex            TEXT    NOT NULL,
    weight_kg      REAL    NOT NULL,
    exposure_start TEXT    NOT NULL,
    exposure_hours REAL    NOT NULL,
    route          TEXT    NOT NULL,
    contaminated   INTEGER NOT NULL,
    burns          INTEGER NOT NULL,
    trauma         INTEGER NOT NULL,
    hla_typing     TEXT,
    created_at     TEXT    NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (incident_id, code)
);

CREATE TABLE care_observations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id  BIGINT  NOT NULL REFERENCES care_patients (id),
    kind        TEXT    NOT NULL,
    observed_at TEXT    NOT NULL,
    data        TEXT    NOT NULL,   -- the values as JSON (ObservationData)
    recorded_by TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL
);
CREATE INDEX ix_care_observations_patient ON care_observations (patient_id, observed_at);

CREATE TABLE care_assessments (
    patient_id        BIGINT  PRIMARY KEY REFERENCES care_patients (id),
    incident_id       BIGINT  NOT NULL REFERENCES care_incidents (id),
    version           INTEGER NOT NULL,
    assessed_at       TEXT    NOT NULL,
    triage            TEXT,
    response_category INTEGER,
    basis_dose_gy     REAL   ,
    payload           TEXT    NOT NULL   -- the whole assessment as JSON (PatientAssessment)
);
CREATE INDEX ix_care_assessments_incident ON care_assessments (incident_id);
