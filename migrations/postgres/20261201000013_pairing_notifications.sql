-- Notifications learn two kinds: a starter is told who their new mentor
-- is, and a mentor who their new starter is.
-- Keep in step with migrations/sqlite/20261201000013_pairing_notifications.sql.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('conversation_summary',
    'action_due', 'checkin_due', 'talk_request', 'signal_alert', 'watch_digest', 'link_issued',
    'mentor_paired', 'mentee_paired'));
