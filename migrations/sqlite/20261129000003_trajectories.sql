-- Starters and their induction: employment as dated periods, trajectory
-- templates, trajectories with their own copy of the milestones.
-- Keep in step with migrations/postgres/20261129000003_trajectories.sql.

-- SO&P partnerships (school + teacher-training institutes) of an institution.
CREATE TABLE partnerships (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    name            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (institution_id, name)
);

-- A starter's employment at an institution. Leaving sets the end fields;
-- a correction by a coordinator is written to the audit log.
CREATE TABLE employments (
    id                 INTEGER PRIMARY KEY,
    institution_id     INTEGER NOT NULL REFERENCES institutions (id),
    person_id          INTEGER NOT NULL REFERENCES people (id),
    employee_number    TEXT NOT NULL,
    entry_route        TEXT NOT NULL CHECK (entry_route IN ('regular', 'side_entrant_pdg',
                           'side_entrant_shortened', 'hybrid', 'trainee', 'associate_degree')),
    start_date         TEXT NOT NULL,
    end_date           TEXT,
    leave_reason       TEXT CHECK (leave_reason IN ('workload', 'guidance', 'pay', 'personal',
                           'contract_not_renewed', 'other_mbo_institution', 'other_education_sector',
                           'left_education', 'retired', 'other')),
    leave_destination  TEXT,
    created_at         TEXT NOT NULL,
    UNIQUE (institution_id, employee_number),
    CHECK ((end_date IS NULL) = (leave_reason IS NULL))
);
CREATE INDEX employments_person_idx ON employments (person_id);
CREATE INDEX employments_institution_idx ON employments (institution_id, start_date);

-- Terms of an employment from a date on: a change is a new row.
CREATE TABLE employment_terms (
    id              INTEGER PRIMARY KEY,
    employment_id   INTEGER NOT NULL REFERENCES employments (id),
    valid_from      TEXT NOT NULL,
    fte_hundredths  INTEGER NOT NULL CHECK (fte_hundredths BETWEEN 1 AND 120),
    contract        TEXT NOT NULL CHECK (contract IN ('fixed_term', 'permanent')),
    contract_until  TEXT,
    team_id         INTEGER REFERENCES teams (id),
    sector          TEXT NOT NULL,
    partnership_id  INTEGER REFERENCES partnerships (id),
    recorded_at     TEXT NOT NULL,
    UNIQUE (employment_id, valid_from),
    CHECK ((contract = 'fixed_term') = (contract_until IS NOT NULL))
);

-- One template per institution and entry route; `version` counts changes.
CREATE TABLE trajectory_templates (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    entry_route     TEXT NOT NULL,
    version         INTEGER NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (institution_id, entry_route)
);

-- A milestone of a template. Removed ones keep their row (removed_at) so
-- trajectories copied from them still know where they came from.
CREATE TABLE template_milestones (
    id                 INTEGER PRIMARY KEY,
    template_id        INTEGER NOT NULL REFERENCES trajectory_templates (id),
    position           INTEGER NOT NULL,
    title              TEXT NOT NULL,
    phase              TEXT NOT NULL CHECK (phase IN ('start', 'year1', 'year2', 'year3')),
    offset_amount      INTEGER NOT NULL CHECK (offset_amount >= 0),
    offset_unit        TEXT NOT NULL CHECK (offset_unit IN ('days', 'weeks', 'months')),
    owner_role         TEXT NOT NULL CHECK (owner_role IN ('starter', 'mentor', 'team_leader', 'coordinator')),
    competence_domain  TEXT CHECK (competence_domain IN ('subject_matter', 'subject_didactics', 'pedagogical')),
    removed_at         TEXT
);
CREATE INDEX template_milestones_template_idx ON template_milestones (template_id, position);

-- A starter's trajectory: its own copy of the template's milestones.
CREATE TABLE trajectories (
    id                INTEGER PRIMARY KEY,
    employment_id     INTEGER NOT NULL UNIQUE REFERENCES employments (id),
    template_id       INTEGER NOT NULL REFERENCES trajectory_templates (id),
    template_version  INTEGER NOT NULL,
    started_on        TEXT NOT NULL,
    completed_on      TEXT,
    created_at        TEXT NOT NULL
);

CREATE TABLE trajectory_milestones (
    id                     INTEGER PRIMARY KEY,
    trajectory_id          INTEGER NOT NULL REFERENCES trajectories (id),
    template_milestone_id  INTEGER REFERENCES template_milestones (id),
    title                  TEXT NOT NULL,
    phase                  TEXT NOT NULL,
    owner_role             TEXT NOT NULL,
    competence_domain      TEXT,
    due_on                 TEXT NOT NULL,
    state                  TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'skipped')),
    done_on                TEXT,
    done_by                INTEGER REFERENCES people (id),
    note                   TEXT,
    skip_reason            TEXT,
    CHECK ((state = 'done') = (done_on IS NOT NULL)),
    CHECK ((state = 'skipped') = (skip_reason IS NOT NULL))
);
CREATE INDEX trajectory_milestones_trajectory_idx ON trajectory_milestones (trajectory_id, due_on);

-- The HR system's employee number: the key the HR import matches on.
ALTER TABLE people ADD COLUMN employee_number TEXT;
CREATE UNIQUE INDEX people_institution_id_employee_number_key ON people (institution_id, employee_number);

-- HR files as uploaded: checked (dry run) first, applied on confirmation.
-- The file is kept so the confirmed import is exactly the file checked.
CREATE TABLE import_uploads (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    uploaded_by     INTEGER REFERENCES people (id),
    file_name       TEXT NOT NULL,
    content         BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    applied_at      TEXT,
    result          TEXT
);
CREATE INDEX import_uploads_institution_idx ON import_uploads (institution_id, created_at);
