-- Mentors, pairings and conversation logs.
-- Keep in step with migrations/postgres/20261129000005_mentoring.sql.

-- Whether the institution prefers a mentor from the starter's own team
-- ('same'), from another team ('different') or has no preference ('either').
ALTER TABLE institutions ADD COLUMN mentor_team_preference TEXT NOT NULL DEFAULT 'same'
    CHECK (mentor_team_preference IN ('same', 'different', 'either'));

-- What a mentor offers; one row per mentor, edited in place (changes are audited).
CREATE TABLE mentor_profiles (
    person_id         INTEGER PRIMARY KEY REFERENCES people (id),
    institution_id    INTEGER NOT NULL REFERENCES institutions (id),
    capacity          INTEGER NOT NULL CHECK (capacity BETWEEN 0 AND 20),
    sectors           TEXT NOT NULL DEFAULT '',
    subjects          TEXT NOT NULL DEFAULT '',
    trained           INTEGER NOT NULL DEFAULT 0,
    trained_on        TEXT,
    hours_per_week    INTEGER NOT NULL DEFAULT 0 CHECK (hours_per_week BETWEEN 0 AND 40),
    availability      TEXT NOT NULL DEFAULT '',
    updated_at        TEXT NOT NULL
);

-- A mentorship as a dated period. One open pairing per starter and kind;
-- the work-place mentor is the primary one.
CREATE TABLE pairings (
    id               INTEGER PRIMARY KEY,
    institution_id   INTEGER NOT NULL REFERENCES institutions (id),
    starter_id       INTEGER NOT NULL REFERENCES people (id),
    mentor_id        INTEGER NOT NULL REFERENCES people (id),
    kind             TEXT NOT NULL CHECK (kind IN ('workplace_mentor', 'subject_coach', 'teacher_educator')),
    start_date       TEXT NOT NULL,
    end_date         TEXT,
    end_reason       TEXT CHECK (end_reason IN ('re_paired', 'not_a_good_fit', 'mentor_unavailable',
                         'starter_left', 'completed', 'other')),
    score            INTEGER,
    override_reason  TEXT,
    created_by       INTEGER REFERENCES people (id),
    created_at       TEXT NOT NULL,
    CHECK ((end_date IS NULL) = (end_reason IS NULL)),
    CHECK (starter_id <> mentor_id)
);
CREATE UNIQUE INDEX pairings_open_key ON pairings (starter_id, kind) WHERE end_date IS NULL;
CREATE INDEX pairings_mentor_idx ON pairings (mentor_id, end_date);
CREATE INDEX pairings_institution_idx ON pairings (institution_id, starter_id);

-- "How is the match?" after the first held conversation, from both sides.
CREATE TABLE fit_checks (
    pairing_id   INTEGER NOT NULL REFERENCES pairings (id),
    person_id    INTEGER NOT NULL REFERENCES people (id),
    answer       TEXT NOT NULL CHECK (answer IN ('good', 'unsure', 'poor')),
    answered_at  TEXT NOT NULL,
    PRIMARY KEY (pairing_id, person_id)
);

-- A mentoring conversation, planned or held. The summary is shared with
-- the starter; the private note lives in its own table.
CREATE TABLE conversations (
    id                INTEGER PRIMARY KEY,
    institution_id    INTEGER NOT NULL REFERENCES institutions (id),
    pairing_id        INTEGER NOT NULL REFERENCES pairings (id),
    starter_id        INTEGER NOT NULL REFERENCES people (id),
    mentor_id         INTEGER NOT NULL REFERENCES people (id),
    status            TEXT NOT NULL CHECK (status IN ('planned', 'held')),
    held_on           TEXT NOT NULL,
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    kind              TEXT NOT NULL CHECK (kind IN ('intake', 'guidance', 'lesson_observation',
                          'peer_consultation', 'evaluation', 'closing')),
    topics            TEXT NOT NULL DEFAULT '',
    tags              TEXT NOT NULL DEFAULT '',
    summary           TEXT NOT NULL DEFAULT '',
    concern           TEXT CHECK (concern IN ('minor', 'serious')),
    confirmed_at      TEXT,
    reflection        TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX conversations_starter_idx ON conversations (starter_id, held_on);
CREATE INDEX conversations_institution_idx ON conversations (institution_id, held_on);

-- The mentor's private note on a conversation: read by its author only.
CREATE TABLE conversation_notes (
    conversation_id  INTEGER PRIMARY KEY REFERENCES conversations (id),
    author_id        INTEGER NOT NULL REFERENCES people (id),
    note             TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- Agreed actions, each with an owner and an optional due date.
CREATE TABLE conversation_actions (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
    description      TEXT NOT NULL,
    owner            TEXT NOT NULL CHECK (owner IN ('starter', 'mentor')),
    due_on           TEXT,
    done_at          TEXT,
    done_by          INTEGER REFERENCES people (id)
);
CREATE INDEX conversation_actions_conversation_idx ON conversation_actions (conversation_id);
