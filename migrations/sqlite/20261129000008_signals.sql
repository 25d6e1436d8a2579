-- Dropout signals: the institution's thresholds, its holiday periods, the
-- alerts a person handles, and the daily evaluation runs.

CREATE TABLE signal_settings (
    institution_id  INTEGER PRIMARY KEY REFERENCES institutions (id),
    settings        TEXT NOT NULL,
    updated_by      INTEGER REFERENCES people (id),
    updated_at      TEXT NOT NULL
);

CREATE TABLE holidays (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    name            TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    end_date        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX holidays_institution_idx ON holidays (institution_id, start_date);

-- One alert per employment at a time (any state but resolved); the rules and
-- evidence are those that opened it. Every step is in alert_events.
CREATE TABLE alerts (
    id                INTEGER PRIMARY KEY,
    institution_id    INTEGER NOT NULL REFERENCES institutions (id),
    employment_id     INTEGER NOT NULL REFERENCES employments (id),
    starter_id        INTEGER NOT NULL REFERENCES people (id),
    level             TEXT NOT NULL CHECK (level IN ('amber', 'red')),
    rules             TEXT NOT NULL,
    evidence          TEXT NOT NULL,
    opened_on         TEXT NOT NULL,
    opened_at         TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'snoozed', 'resolved')),
    acknowledged_by   INTEGER REFERENCES people (id),
    acknowledged_at   TEXT,
    acknowledge_note  TEXT,
    snoozed_until     TEXT,
    resolved_by       INTEGER REFERENCES people (id),
    resolved_at       TEXT,
    resolution        TEXT,
    CHECK ((state = 'snoozed') = (snoozed_until IS NOT NULL)),
    CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE UNIQUE INDEX alerts_active_key ON alerts (employment_id) WHERE state <> 'resolved';
CREATE INDEX alerts_institution_idx ON alerts (institution_id, state);
CREATE INDEX alerts_starter_idx ON alerts (starter_id, opened_at);

CREATE TABLE alert_events (
    id        INTEGER PRIMARY KEY,
    alert_id  INTEGER NOT NULL REFERENCES alerts (id),
    at        TEXT NOT NULL,
    actor_id  INTEGER REFERENCES people (id),
    action    TEXT NOT NULL CHECK (action IN ('opened', 'acknowledged', 'snoozed', 'reopened', 'resolved')),
    note      TEXT
);
CREATE INDEX alert_events_alert_idx ON alert_events (alert_id, at);

-- The daily evaluation claims its (institution, day) row in the transaction
-- that does the work: a second node (or a second run) finds it taken.
CREATE TABLE signal_runs (
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    run_on          TEXT NOT NULL,
    finished_at     TEXT NOT NULL,
    evaluated       INTEGER NOT NULL,
    opened          INTEGER NOT NULL,
    PRIMARY KEY (institution_id, run_on)
);

-- Notifications learn two kinds: an alert opened, and the weekly watch-list
-- digest. SQLite cannot change a CHECK in place: rebuild the table.
CREATE TABLE notifications_new (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    institution_id   INTEGER REFERENCES institutions (id),
    kind             TEXT NOT NULL CHECK (kind IN ('conversation_summary', 'action_due', 'checkin_due',
                         'talk_request', 'signal_alert', 'watch_digest')),
    about_person_id  INTEGER REFERENCES people (id),
    on_date          TEXT,
    dedupe_key       TEXT NOT NULL UNIQUE,
    created_at       TEXT NOT NULL,
    read_at          TEXT,
    email_state      TEXT CHECK (email_state IN ('sending', 'sent', 'failed', 'skipped')),
    emailed_at       TEXT
);
INSERT INTO notifications_new SELECT * FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_person_idx ON notifications (person_id, created_at);
CREATE INDEX notifications_email_idx ON notifications (email_state, created_at);
