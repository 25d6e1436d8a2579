-- The audit log gets a retention period of its own: the periodic job
-- deletes events older than that (src/domain/erasure.rs). Everything else
-- stays append-only: no event is ever changed, and none younger than a year
-- can be deleted by any code path, whatever the clock of the application.
-- Keep in step with migrations/sqlite/20261201000015_audit_retention.sql.
CREATE FUNCTION audit_events_keep_a_year() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.occurred_at > now() - interval '12 months' THEN
        RAISE EXCEPTION 'audit events are append-only: none younger than a year is deleted';
    END IF;
    RETURN OLD;
END
$$;

DROP TRIGGER audit_events_no_update_or_delete ON audit_events;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_keep_a_year BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_keep_a_year();
