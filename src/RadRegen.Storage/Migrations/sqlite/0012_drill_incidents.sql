-- Drill incidents (issue 12 item 9, ADR 0026). A trainer reads drill data only, never a real
-- patient: an incident opened for an exercise on simulated victims is flagged when it is opened
-- (`radregen drill`, the demo's simulated incident, or `drill: true` in the API) and never changes.
-- Incidents the drill command and the demo seeder opened before this flag existed are drills by
-- their codes (DRILL-<seed>-<time>, DEMO-INC-1); every other existing incident stays real.

ALTER TABLE care_incidents ADD COLUMN drill INTEGER NOT NULL DEFAULT 0 CHECK (drill IN (0, 1));
UPDATE care_incidents SET drill = 1 WHERE code LIKE 'DRILL-%' OR code = 'DEMO-INC-1';
