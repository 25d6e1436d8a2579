-- Lists and retention figures without scanning every row of a kind.
-- Keep in step with migrations/sqlite/20261202000018_guidance_facts.sql.

-- The starters list counts each trajectory's milestones by state and due
-- day; with this index the counts are answered from the index alone.
CREATE INDEX trajectory_milestones_progress_idx ON trajectory_milestones (trajectory_id, state, due_on);

-- The guidance each starter had at an institution, as retention and
-- coverage read it: held conversations, the first of them, and the first
-- workplace-mentor pairing. The triggers below keep it equal to those
-- aggregates on every write, whichever code path writes (a property test
-- compares it with a fresh aggregate after random events).
CREATE TABLE guidance_facts (
    institution_id      BIGINT NOT NULL REFERENCES institutions (id),
    starter_id          BIGINT NOT NULL REFERENCES people (id),
    held_conversations  BIGINT NOT NULL DEFAULT 0,
    first_held          DATE,
    first_pairing       DATE,
    PRIMARY KEY (institution_id, starter_id)
);

-- Count one starter's guidance again from the rows.
CREATE FUNCTION guidance_facts_recount(inst BIGINT, starter BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO guidance_facts (institution_id, starter_id, held_conversations, first_held, first_pairing)
    SELECT inst, starter,
           (SELECT COUNT(*) FROM conversations c WHERE c.institution_id = inst AND c.starter_id = starter
            AND c.status = 'held'),
           (SELECT MIN(c.held_on) FROM conversations c WHERE c.institution_id = inst AND c.starter_id = starter
            AND c.status = 'held'),
           (SELECT MIN(p.start_date) FROM pairings p WHERE p.institution_id = inst AND p.starter_id = starter
            AND p.kind = 'workplace_mentor')
    ON CONFLICT (institution_id, starter_id) DO UPDATE SET
        held_conversations = EXCLUDED.held_conversations,
        first_held = EXCLUDED.first_held,
        first_pairing = EXCLUDED.first_pairing;
$$;

INSERT INTO guidance_facts (institution_id, starter_id, held_conversations, first_held, first_pairing)
SELECT k.institution_id, k.starter_id, COALESCE(cv.held, 0), cv.first_held, pa.first_pairing
FROM (SELECT institution_id, starter_id FROM conversations WHERE status = 'held'
      UNION
      SELECT institution_id, starter_id FROM pairings WHERE kind = 'workplace_mentor') k
LEFT JOIN (SELECT institution_id, starter_id, COUNT(*) AS held, MIN(held_on) AS first_held FROM conversations
           WHERE status = 'held' GROUP BY institution_id, starter_id) cv
       ON cv.institution_id = k.institution_id AND cv.starter_id = k.starter_id
LEFT JOIN (SELECT institution_id, starter_id, MIN(start_date) AS first_pairing FROM pairings
           WHERE kind = 'workplace_mentor' GROUP BY institution_id, starter_id) pa
       ON pa.institution_id = k.institution_id AND pa.starter_id = k.starter_id;

-- A new held conversation adds one and may be the first; a new
-- workplace-mentor pairing may be the first; any other change counts that
-- starter's again.
CREATE FUNCTION guidance_facts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND TG_TABLE_NAME = 'conversations' THEN
        IF NEW.status = 'held' THEN
            INSERT INTO guidance_facts (institution_id, starter_id, held_conversations, first_held)
                VALUES (NEW.institution_id, NEW.starter_id, 1, NEW.held_on)
                ON CONFLICT (institution_id, starter_id) DO UPDATE SET
                    held_conversations = guidance_facts.held_conversations + 1,
                    first_held = LEAST(guidance_facts.first_held, EXCLUDED.first_held);
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        IF NEW.kind = 'workplace_mentor' THEN
            INSERT INTO guidance_facts (institution_id, starter_id, first_pairing)
                VALUES (NEW.institution_id, NEW.starter_id, NEW.start_date)
                ON CONFLICT (institution_id, starter_id) DO UPDATE SET
                    first_pairing = LEAST(guidance_facts.first_pairing, EXCLUDED.first_pairing);
        END IF;
    ELSE
        PERFORM guidance_facts_recount(OLD.institution_id, OLD.starter_id);
        IF TG_OP = 'UPDATE' THEN
            PERFORM guidance_facts_recount(NEW.institution_id, NEW.starter_id);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER guidance_conversation_added AFTER INSERT ON conversations
    FOR EACH ROW EXECUTE FUNCTION guidance_facts_follow();
CREATE TRIGGER guidance_conversation_changed AFTER UPDATE OF status, held_on, institution_id, starter_id
    ON conversations FOR EACH ROW EXECUTE FUNCTION guidance_facts_follow();
CREATE TRIGGER guidance_conversation_removed AFTER DELETE ON conversations
    FOR EACH ROW EXECUTE FUNCTION guidance_facts_follow();
CREATE TRIGGER guidance_pairing_added AFTER INSERT ON pairings
    FOR EACH ROW EXECUTE FUNCTION guidance_facts_follow();
CREATE TRIGGER guidance_pairing_changed AFTER UPDATE OF start_date, kind, institution_id, starter_id
    ON pairings FOR EACH ROW EXECUTE FUNCTION guidance_facts_follow();
CREATE TRIGGER guidance_pairing_removed AFTER DELETE ON pairings
    FOR EACH ROW EXECUTE FUNCTION guidance_facts_follow();
