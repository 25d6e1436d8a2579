-- Notifications learn two kinds: a starter is told who their new mentor
-- is, and a mentor who their new starter is. SQLite cannot change a CHECK
-- in place: rebuild the table.
-- Keep in step with migrations/postgres/20261201000013_pairing_notifications.sql.
CREATE TABLE notifications_new (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    institution_id   INTEGER REFERENCES institutions (id),
    kind             TEXT NOT NULL CHECK (kind IN ('conversation_summary', 'action_due', 'checkin_due',
                         'talk_request', 'signal_alert', 'watch_digest', 'link_issued',
                         'mentor_paired', 'mentee_paired')),
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
