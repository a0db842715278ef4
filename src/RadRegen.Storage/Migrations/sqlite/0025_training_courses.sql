-- Courses, certificates and rosters (issue 15 item 1, ADR 0034), and the network capacity drill (item 6).
--
-- training_courses: the catalogue; prerequisites is a JSON array of course codes whose certificate
-- must be current to enrol. training_sessions: one running of a course (days, place, trainer).
-- training_enrolments: staff (user names) in sessions, with the assessment once made (status
-- enrolled / passed / failed). training_attendance: present or absent per contact day.
-- training_certificates: issued on a pass, current from issued_on until expires_on (exclusive),
-- unless revoked. training_roster_requirements: versions of the center setting "which courses a
-- roster role requires" (rows only added; highest in force); roles is JSON. training_roster_members:
-- staff assigned to an incident or an exercise (target_kind incident/exercise, target_id).
-- Times are journal-format UTC text, dates yyyy-mm-dd text, as elsewhere.

CREATE TABLE training_courses (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    code             TEXT    NOT NULL UNIQUE,
    title            TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    elearning_hours  REAL    NOT NULL,
    contact_days     INTEGER NOT NULL,
    contact_hours    REAL    NOT NULL,
    prerequisites    TEXT    NOT NULL,
    validity_months  INTEGER NOT NULL,
    pass_mark        REAL    NOT NULL,
    created_at       TEXT    NOT NULL,
    created_by       TEXT    NOT NULL
);

CREATE TABLE training_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    course_code  TEXT    NOT NULL REFERENCES training_courses (code),
    starts_on    TEXT    NOT NULL,
    ends_on      TEXT    NOT NULL,
    place        TEXT    NOT NULL,
    trainer      TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    created_by   TEXT    NOT NULL
);

CREATE TABLE training_enrolments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id   INTEGER NOT NULL REFERENCES training_sessions (id),
    course_code  TEXT    NOT NULL,
    staff        TEXT    NOT NULL,
    enrolled_at  TEXT    NOT NULL,
    enrolled_by  TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    score        REAL,
    assessed_at  TEXT,
    assessed_by  TEXT,
    UNIQUE (session_id, staff)
);

CREATE INDEX training_enrolments_staff ON training_enrolments (staff);

CREATE TABLE training_attendance (
    enrolment_id  INTEGER NOT NULL REFERENCES training_enrolments (id),
    day           TEXT    NOT NULL,
    present       INTEGER NOT NULL,
    recorded_at   TEXT    NOT NULL,
    recorded_by   TEXT    NOT NULL,
    PRIMARY KEY (enrolment_id, day)
);

CREATE TABLE training_certificates (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    course_code        TEXT    NOT NULL REFERENCES training_courses (code),
    staff              TEXT    NOT NULL,
    enrolment_id       INTEGER REFERENCES training_enrolments (id),
    issued_on          TEXT    NOT NULL,
    expires_on         TEXT    NOT NULL,
    issued_at          TEXT    NOT NULL,
    issued_by          TEXT    NOT NULL,
    revoked_at         TEXT,
    revoked_by         TEXT,
    revocation_reason  TEXT
);

CREATE INDEX training_certificates_staff ON training_certificates (staff);

CREATE TABLE training_roster_requirements (
    version  INTEGER PRIMARY KEY,
    roles    TEXT    NOT NULL,
    set_at   TEXT    NOT NULL,
    set_by   TEXT    NOT NULL,
    reason   TEXT    NOT NULL
);

CREATE TABLE training_roster_members (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    target_kind  TEXT    NOT NULL,
    target_id    INTEGER NOT NULL,
    staff        TEXT    NOT NULL,
    roster_role  TEXT    NOT NULL,
    assigned_at  TEXT    NOT NULL,
    assigned_by  TEXT    NOT NULL,
    UNIQUE (target_kind, target_id, staff)
);

-- The network capacity drill (issue 15 item 6): drills this center started or was asked to answer.
-- training_capacity_drills: one drill (id is a text id shared by every center: the lead center's
-- code and a sequence); centers is a JSON array of the centers asked. training_capacity_drill_answers:
-- one row per center asked: the quota, and once answered the drill capacity reported, the quota
-- accepted and when. Nothing here is real capacity: these tables are apart from network_capacity_*.

CREATE TABLE training_capacity_drills (
    id              TEXT    PRIMARY KEY,
    lead_center     TEXT    NOT NULL,
    reference       TEXT    NOT NULL,
    quota           INTEGER NOT NULL,
    bed_type        TEXT,
    started_at      TEXT    NOT NULL,
    started_by      TEXT    NOT NULL,
    deadline_at     TEXT    NOT NULL,
    ended_at        TEXT
);

CREATE TABLE training_capacity_drill_answers (
    drill_id        TEXT    NOT NULL REFERENCES training_capacity_drills (id),
    center          TEXT    NOT NULL,
    quota           INTEGER NOT NULL,
    asked_at        TEXT    NOT NULL,
    beds_available  INTEGER,
    accepted        INTEGER,
    answered_at     TEXT,
    answered_by     TEXT,
    comment         TEXT,
    PRIMARY KEY (drill_id, center)
);
