-- The audit log gets a retention period of its own: the periodic job
-- deletes events older than that (src/domain/erasure.rs). Everything else
-- stays append-only: no event is ever changed, and none younger than a year
-- can be deleted by any code path, whatever the clock of the application.
-- Keep in step with migrations/postgres/20261201000015_audit_retention.sql.
DROP TRIGGER audit_events_no_delete;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN OLD.occurred_at > strftime('%Y-%m-%dT%H:%M:%S', 'now', '-12 months')
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: none younger than a year is deleted');
END;
