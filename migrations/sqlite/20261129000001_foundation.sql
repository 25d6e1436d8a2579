-- Houvast foundation: institutions, teams, people and the append-only audit log.
-- Keep in step with migrations/postgres/20261129000001_foundation.sql: the
-- schema test compares both.

CREATE TABLE institutions (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    brin_code   TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE teams (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    name            TEXT NOT NULL,
    sector          TEXT NOT NULL CHECK (sector IN ('care_welfare', 'technology', 'economy',
                        'ict_creative', 'hospitality_tourism', 'green', 'entry', 'other')),
    created_at      TEXT NOT NULL,
    UNIQUE (institution_id, name)
);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    full_name   TEXT NOT NULL,
    email       TEXT UNIQUE,
    created_at  TEXT NOT NULL
);

-- Who did what to whose data, when. Never updated or deleted: the triggers
-- refuse it, so no code path can rewrite history.
CREATE TABLE audit_events (
    id                 INTEGER PRIMARY KEY,
    occurred_at        TEXT NOT NULL,
    actor_person_id    INTEGER,
    institution_id     INTEGER,
    subject_person_id  INTEGER,
    action             TEXT NOT NULL,
    details            TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_events_institution_idx ON audit_events (institution_id, occurred_at);
CREATE INDEX audit_events_subject_idx ON audit_events (subject_person_id, occurred_at);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
