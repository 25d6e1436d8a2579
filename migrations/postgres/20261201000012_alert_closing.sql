-- An alert closes by itself when the starter leaves or completes the
-- induction: two more steps in its history.
-- Keep in step with migrations/sqlite/20261201000012_alert_closing.sql.

ALTER TABLE alert_events DROP CONSTRAINT alert_events_action_check;
ALTER TABLE alert_events ADD CONSTRAINT alert_events_action_check
    CHECK (action IN ('opened', 'acknowledged', 'snoozed', 'reopened', 'resolved', 'left', 'completed'));
