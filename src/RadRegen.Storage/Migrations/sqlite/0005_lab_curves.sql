-- The biodosimetry laboratory's calibration curves (issue 6): Y = C + αD + βD² per assay, fitted
-- from a count table or entered from a publication. At most one curve per assay is active (the one
-- case scoring reads doses from), enforced by the partial unique index. Numbered 0005: 0004 is
-- reserved for other work; the migrator applies migrations by number, so the gap is harmless.

CREATE TABLE lab_curves (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    assay             TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    model             TEXT    NOT NULL,
    c                 REAL    NOT NULL,
    alpha             REAL    NOT NULL,
    beta              REAL    NOT NULL,
    covariance        TEXT    NOT NULL,   -- 3×3 over (C, α, β) as JSON rows
    source            TEXT    NOT NULL,
    radiation_quality TEXT,
    counts            TEXT,               -- the count table a fitted curve came from, JSON
    fit               TEXT,               -- the fit's statistics (method, dispersion, df …), JSON
    created_by        TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    active            INTEGER NOT NULL DEFAULT 0,
    version           INTEGER NOT NULL DEFAULT 1,
    CHECK (active IN (0, 1))
);
CREATE INDEX ix_lab_curves_assay ON lab_curves (assay, created_at);
CREATE UNIQUE INDEX ux_lab_curves_active ON lab_curves (assay) WHERE active = 1;
