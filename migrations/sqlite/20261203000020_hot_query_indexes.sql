-- Indexes that two pages' query plans asked for on the national dataset.
-- Keep in step with migrations/postgres/20261203000020_hot_query_indexes.sql.

-- A mentor's home counts the open actions of the mentor's own
-- conversations: from the mentor's rows, not every conversation of the
-- institution, in the order the count groups them (else the planner
-- prefers an index that gives that order over every institution row).
CREATE INDEX conversations_mentor_idx ON conversations (mentor_id, institution_id, starter_id);

-- The latest events of an institution (the coordinator's home, the audit
-- log's pages) are read newest first by id: from the index, without sorting
-- every event the institution ever had.
CREATE INDEX audit_events_institution_id_idx ON audit_events (institution_id, id);
