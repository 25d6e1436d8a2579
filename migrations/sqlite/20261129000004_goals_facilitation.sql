-- Personal goals in a trajectory and the facilitation ledger.
-- Keep in step with migrations/postgres/20261129000004_goals_facilitation.sql.

-- A starter's own development goal, tagged with a competence domain.
CREATE TABLE goals (
    id                 INTEGER PRIMARY KEY,
    trajectory_id      INTEGER NOT NULL REFERENCES trajectories (id),
    title              TEXT NOT NULL,
    competence_domain  TEXT CHECK (competence_domain IN ('subject_matter', 'subject_didactics', 'pedagogical')),
    progress           INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    created_by         INTEGER REFERENCES people (id),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX goals_trajectory_idx ON goals (trajectory_id);

-- Hours per school year: the starter's reduction and the mentor's hours,
-- promised and actually granted. No row: promised follows the cao, nothing
-- recorded as granted yet.
CREATE TABLE facilitation (
    id                      INTEGER PRIMARY KEY,
    employment_id           INTEGER NOT NULL REFERENCES employments (id),
    school_year             INTEGER NOT NULL,
    starter_hours_promised  INTEGER NOT NULL CHECK (starter_hours_promised BETWEEN 0 AND 2000),
    starter_hours_granted   INTEGER CHECK (starter_hours_granted BETWEEN 0 AND 2000),
    mentor_hours_promised   INTEGER CHECK (mentor_hours_promised BETWEEN 0 AND 2000),
    mentor_hours_granted    INTEGER CHECK (mentor_hours_granted BETWEEN 0 AND 2000),
    updated_at              TEXT NOT NULL,
    UNIQUE (employment_id, school_year)
);
