-- Security: device cookies for login throttling, aggregated access
-- denials, and a notification when an administrator issued a link.
-- Keep in step with migrations/sqlite/20261130000009_security.sql.

-- A browser in which someone logged in successfully before (OWASP's
-- "device cookies"). Only a SHA-256 of the cookie's token is stored. Failed
-- logins from such a browser count against the device alone, so nobody can
-- lock a person out of the account by guessing from elsewhere.
CREATE TABLE login_devices (
    token_hash    TEXT PRIMARY KEY,
    person_id     BIGINT NOT NULL REFERENCES people (id),
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_devices_person_idx ON login_devices (person_id);

-- Refused requests are audited once per actor (or anonymous client), what
-- was refused and minute; repeats within that minute are only counted here,
-- so nobody can grow the append-only audit log at will.
CREATE TABLE denial_counts (
    key         TEXT NOT NULL,
    minute      TEXT NOT NULL,
    count       BIGINT NOT NULL,
    PRIMARY KEY (key, minute)
);

-- When someone other than the person (a coordinator, the HR import)
-- last changed a person's address. A password link for an account that
-- holds data never goes to an address set by others after the person's
-- last login: whoever changed it could otherwise take the account over.
ALTER TABLE people ADD COLUMN email_changed_at TIMESTAMPTZ;

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('conversation_summary',
    'action_due', 'checkin_due', 'talk_request', 'signal_alert', 'watch_digest', 'link_issued'));
