-- Indexes the query plans of the national dataset asked for.
-- Keep in step with migrations/sqlite/20261201000010_indexes.sql.

-- The signal evaluation of an institution reads its requests to talk.
CREATE INDEX talk_requests_institution_idx ON talk_requests (institution_id, created_at);

-- Retention and coverage count each starter's held conversations for the
-- whole deployment: from the index alone, not the rows with their summaries.
CREATE INDEX conversations_held_idx ON conversations (institution_id, starter_id, status, held_on);
