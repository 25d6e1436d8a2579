-- Check-ins and requests to talk.
-- Keep in step with migrations/postgres/20261129000006_checkins.sql.

-- How often starters are asked to check in, in days.
ALTER TABLE institutions ADD COLUMN checkin_rhythm_days INTEGER NOT NULL DEFAULT 14
    CHECK (checkin_rhythm_days BETWEEN 7 AND 56);

-- A starter's check-in: five scores of 1–5 and an optional short text.
CREATE TABLE checkins (
    id                 INTEGER PRIMARY KEY,
    institution_id     INTEGER NOT NULL REFERENCES institutions (id),
    starter_id         INTEGER NOT NULL REFERENCES people (id),
    checked_in_on      TEXT NOT NULL,
    wellbeing          INTEGER NOT NULL CHECK (wellbeing BETWEEN 1 AND 5),
    workload           INTEGER NOT NULL CHECK (workload BETWEEN 1 AND 5),
    support            INTEGER NOT NULL CHECK (support BETWEEN 1 AND 5),
    confidence         INTEGER NOT NULL CHECK (confidence BETWEEN 1 AND 5),
    intention_to_stay  INTEGER NOT NULL CHECK (intention_to_stay BETWEEN 1 AND 5),
    comment            TEXT,
    created_at         TEXT NOT NULL
);
CREATE INDEX checkins_starter_idx ON checkins (institution_id, starter_id, checked_in_on);

-- "I want to talk to someone": for exactly one person, open until answered.
CREATE TABLE talk_requests (
    id               INTEGER PRIMARY KEY,
    institution_id   INTEGER NOT NULL REFERENCES institutions (id),
    starter_id       INTEGER NOT NULL REFERENCES people (id),
    checkin_id       INTEGER REFERENCES checkins (id),
    recipient_id     INTEGER NOT NULL REFERENCES people (id),
    recipient_role   TEXT NOT NULL CHECK (recipient_role IN ('mentor', 'coordinator')),
    created_at       TEXT NOT NULL,
    answered_at      TEXT,
    answered_how     TEXT CHECK (answered_how IN ('contact', 'conversation'))
);
CREATE INDEX talk_requests_recipient_idx ON talk_requests (recipient_id, answered_at);
CREATE INDEX talk_requests_starter_idx ON talk_requests (starter_id, created_at);
