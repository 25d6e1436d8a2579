-- The calibrated risk an institution's coordinator adopted: the model
-- fitted on its latest history (JSON of `domain::risk::Model`) and the
-- thresholds chosen for red and amber. No row: the fixed rules decide.
-- Each evaluation keeps the risk (per mille) and its strongest reasons.
-- Keep in step with migrations/postgres/20261202000019_risk_calibrations.sql.
CREATE TABLE risk_calibrations (
    institution_id  INTEGER PRIMARY KEY REFERENCES institutions (id),
    model           TEXT NOT NULL,
    fit_from        TEXT NOT NULL,
    fit_to          TEXT NOT NULL,
    fit_leavers     INTEGER NOT NULL,
    pooled          BOOLEAN NOT NULL,
    red_permille    INTEGER NOT NULL CHECK (red_permille BETWEEN 1 AND 1000),
    amber_permille  INTEGER NOT NULL CHECK (amber_permille BETWEEN 1 AND red_permille),
    adopted_on      TEXT NOT NULL,
    adopted_by      INTEGER REFERENCES people (id),
    adopted_at      TEXT NOT NULL
);

ALTER TABLE evaluations ADD COLUMN risk INTEGER;
ALTER TABLE evaluations ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
