-- An alert closes by itself when the starter leaves or completes the
-- induction: two more steps in its history. SQLite cannot change a CHECK
-- in place: rebuild the table.
-- Keep in step with migrations/postgres/20261201000012_alert_closing.sql.

CREATE TABLE alert_events_new (
    id        INTEGER PRIMARY KEY,
    alert_id  INTEGER NOT NULL REFERENCES alerts (id),
    at        TEXT NOT NULL,
    actor_id  INTEGER REFERENCES people (id),
    action    TEXT NOT NULL CHECK (action IN ('opened', 'acknowledged', 'snoozed', 'reopened', 'resolved',
                  'left', 'completed')),
    note      TEXT
);
INSERT INTO alert_events_new SELECT id, alert_id, at, actor_id, action, note FROM alert_events;
DROP TABLE alert_events;
ALTER TABLE alert_events_new RENAME TO alert_events;
CREATE INDEX alert_events_alert_idx ON alert_events (alert_id, at);
