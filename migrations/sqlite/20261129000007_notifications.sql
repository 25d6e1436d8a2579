-- Notifications: the in-app list of every user, and the e-mail queue.
-- Keep in step with migrations/postgres/20261129000007_notifications.sql.
--
-- A notification names a kind, a person it is about and a date, never
-- content: what was said stays in the conversation log. `dedupe_key` makes
-- every notification happen once, however often the job that creates it
-- runs and on however many nodes.
CREATE TABLE notifications (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    institution_id   INTEGER REFERENCES institutions (id),
    kind             TEXT NOT NULL CHECK (kind IN ('conversation_summary', 'action_due', 'checkin_due',
                         'talk_request')),
    about_person_id  INTEGER REFERENCES people (id),
    on_date          TEXT,
    dedupe_key       TEXT NOT NULL UNIQUE,
    created_at       TEXT NOT NULL,
    read_at          TEXT,
    -- NULL: not sent by e-mail (yet); 'sending': claimed by one node; then
    -- 'sent', 'failed', or 'skipped' (no address, or too old when e-mail came on).
    email_state      TEXT CHECK (email_state IN ('sending', 'sent', 'failed', 'skipped')),
    emailed_at       TEXT
);
CREATE INDEX notifications_person_idx ON notifications (person_id, created_at);
CREATE INDEX notifications_email_idx ON notifications (email_state, created_at);
