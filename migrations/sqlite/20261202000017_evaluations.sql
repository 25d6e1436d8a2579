-- Each employment's current evaluation: the signals of its starter on the
-- day it was last evaluated, kept up to date by every event that can change
-- them and by the daily run, so lists read it instead of evaluating every
-- starter on each request. Only starters in their induction have a row.
-- Keep in step with migrations/postgres/20261202000017_evaluations.sql.
CREATE TABLE evaluations (
    employment_id   INTEGER PRIMARY KEY REFERENCES employments (id) ON DELETE CASCADE,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    person_id       INTEGER NOT NULL REFERENCES people (id),
    team_id         INTEGER REFERENCES teams (id),
    level           TEXT CHECK (level IN ('amber', 'red')),
    score           INTEGER NOT NULL,
    signals         TEXT NOT NULL,
    last_held       TEXT,
    evaluated_on    TEXT NOT NULL,
    evaluated_at    TEXT NOT NULL
);
CREATE INDEX evaluations_institution_idx ON evaluations (institution_id, team_id);
CREATE INDEX evaluations_person_idx ON evaluations (person_id);

-- A database upgraded on a day whose evaluation already ran has no stored
-- evaluations until the next run: forget the latest day's claims so the
-- next tick runs it again (the run is idempotent; the weekly digest is
-- sent once per week whatever runs).
DELETE FROM signal_runs WHERE run_on = (SELECT MAX(run_on) FROM signal_runs);
