-- Security: device cookies for login throttling, aggregated access
-- denials, and a notification when an administrator issued a link.
-- Keep in step with migrations/postgres/20261130000009_security.sql.

-- A browser in which someone logged in successfully before (OWASP's
-- "device cookies"). Only a SHA-256 of the cookie's token is stored. Failed
-- logins from such a browser count against the device alone, so nobody can
-- lock a person out of the account by guessing from elsewhere.
CREATE TABLE login_devices (
    token_hash    TEXT PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people (id),
    created_at    TEXT NOT NULL,
    last_used_at  TEXT NOT NULL
);
CREATE INDEX login_devices_person_idx ON login_devices (person_id);

-- Refused requests are audited once per actor (or anonymous client), what
-- was refused and minute; repeats within that minute are only counted here,
-- so nobody can grow the append-only audit log at will.
CREATE TABLE denial_counts (
    key         TEXT NOT NULL,
    minute      TEXT NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (key, minute)
);

-- When someone other than the person (a coordinator, the HR import)
-- last changed a person's address. A password link for an account that
-- holds data never goes to an address set by others after the person's
-- last login: whoever changed it could otherwise take the account over.
ALTER TABLE people ADD COLUMN email_changed_at TEXT;

-- Notifications learn one kind: an administrator issued a link to set a
-- new password (the person is told at their next visit). SQLite cannot
-- change a CHECK in place: rebuild the table.
CREATE TABLE notifications_new (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    institution_id   INTEGER REFERENCES institutions (id),
    kind             TEXT NOT NULL CHECK (kind IN ('conversation_summary', 'action_due', 'checkin_due',
                         'talk_request', 'signal_alert', 'watch_digest', 'link_issued')),
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
