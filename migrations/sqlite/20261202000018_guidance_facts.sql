-- Lists and retention figures without scanning every row of a kind.
-- Keep in step with migrations/postgres/20261202000018_guidance_facts.sql.

-- The starters list counts each trajectory's milestones by state and due
-- day; with this index the counts are answered from the index alone.
CREATE INDEX trajectory_milestones_progress_idx ON trajectory_milestones (trajectory_id, state, due_on);

-- The guidance each starter had at an institution, as retention and
-- coverage read it: held conversations, the first of them, and the first
-- workplace-mentor pairing. The triggers below keep it equal to those
-- aggregates on every write, whichever code path writes (a property test
-- compares it with a fresh aggregate after random events).
CREATE TABLE guidance_facts (
    institution_id      INTEGER NOT NULL REFERENCES institutions (id),
    starter_id          INTEGER NOT NULL REFERENCES people (id),
    held_conversations  INTEGER NOT NULL DEFAULT 0,
    first_held          TEXT,
    first_pairing       TEXT,
    PRIMARY KEY (institution_id, starter_id)
);

INSERT INTO guidance_facts (institution_id, starter_id)
    SELECT institution_id, starter_id FROM conversations WHERE status = 'held'
    UNION
    SELECT institution_id, starter_id FROM pairings WHERE kind = 'workplace_mentor';
UPDATE guidance_facts SET
    held_conversations = (SELECT COUNT(*) FROM conversations c WHERE c.institution_id = guidance_facts.institution_id
                          AND c.starter_id = guidance_facts.starter_id AND c.status = 'held'),
    first_held = (SELECT MIN(c.held_on) FROM conversations c WHERE c.institution_id = guidance_facts.institution_id
                  AND c.starter_id = guidance_facts.starter_id AND c.status = 'held'),
    first_pairing = (SELECT MIN(p.start_date) FROM pairings p WHERE p.institution_id = guidance_facts.institution_id
                     AND p.starter_id = guidance_facts.starter_id AND p.kind = 'workplace_mentor');

-- A new held conversation adds one and may be the first.
CREATE TRIGGER guidance_conversation_added AFTER INSERT ON conversations WHEN NEW.status = 'held'
BEGIN
    INSERT INTO guidance_facts (institution_id, starter_id, held_conversations, first_held)
        VALUES (NEW.institution_id, NEW.starter_id, 1, NEW.held_on)
        ON CONFLICT (institution_id, starter_id) DO UPDATE SET
            held_conversations = held_conversations + 1,
            first_held = CASE WHEN first_held IS NULL OR excluded.first_held < first_held
                              THEN excluded.first_held ELSE first_held END;
END;

-- A changed or removed conversation: count that starter's again.
CREATE TRIGGER guidance_conversation_changed AFTER UPDATE OF status, held_on, institution_id, starter_id ON conversations
BEGIN
    INSERT INTO guidance_facts (institution_id, starter_id) VALUES (NEW.institution_id, NEW.starter_id)
        ON CONFLICT (institution_id, starter_id) DO NOTHING;
    UPDATE guidance_facts SET
        held_conversations = (SELECT COUNT(*) FROM conversations c WHERE c.institution_id = guidance_facts.institution_id
                              AND c.starter_id = guidance_facts.starter_id AND c.status = 'held'),
        first_held = (SELECT MIN(c.held_on) FROM conversations c WHERE c.institution_id = guidance_facts.institution_id
                      AND c.starter_id = guidance_facts.starter_id AND c.status = 'held')
    WHERE (institution_id = OLD.institution_id AND starter_id = OLD.starter_id)
       OR (institution_id = NEW.institution_id AND starter_id = NEW.starter_id);
END;

CREATE TRIGGER guidance_conversation_removed AFTER DELETE ON conversations
BEGIN
    UPDATE guidance_facts SET
        held_conversations = (SELECT COUNT(*) FROM conversations c WHERE c.institution_id = guidance_facts.institution_id
                              AND c.starter_id = guidance_facts.starter_id AND c.status = 'held'),
        first_held = (SELECT MIN(c.held_on) FROM conversations c WHERE c.institution_id = guidance_facts.institution_id
                      AND c.starter_id = guidance_facts.starter_id AND c.status = 'held')
    WHERE institution_id = OLD.institution_id AND starter_id = OLD.starter_id;
END;

-- A new workplace-mentor pairing may be the first.
CREATE TRIGGER guidance_pairing_added AFTER INSERT ON pairings WHEN NEW.kind = 'workplace_mentor'
BEGIN
    INSERT INTO guidance_facts (institution_id, starter_id, first_pairing)
        VALUES (NEW.institution_id, NEW.starter_id, NEW.start_date)
        ON CONFLICT (institution_id, starter_id) DO UPDATE SET
            first_pairing = CASE WHEN first_pairing IS NULL OR excluded.first_pairing < first_pairing
                                 THEN excluded.first_pairing ELSE first_pairing END;
END;

-- A changed or removed pairing: find that starter's first again.
CREATE TRIGGER guidance_pairing_changed AFTER UPDATE OF start_date, kind, institution_id, starter_id ON pairings
BEGIN
    INSERT INTO guidance_facts (institution_id, starter_id) VALUES (NEW.institution_id, NEW.starter_id)
        ON CONFLICT (institution_id, starter_id) DO NOTHING;
    UPDATE guidance_facts SET
        first_pairing = (SELECT MIN(p.start_date) FROM pairings p WHERE p.institution_id = guidance_facts.institution_id
                         AND p.starter_id = guidance_facts.starter_id AND p.kind = 'workplace_mentor')
    WHERE (institution_id = OLD.institution_id AND starter_id = OLD.starter_id)
       OR (institution_id = NEW.institution_id AND starter_id = NEW.starter_id);
END;

CREATE TRIGGER guidance_pairing_removed AFTER DELETE ON pairings
BEGIN
    UPDATE guidance_facts SET
        first_pairing = (SELECT MIN(p.start_date) FROM pairings p WHERE p.institution_id = guidance_facts.institution_id
                         AND p.starter_id = guidance_facts.starter_id AND p.kind = 'workplace_mentor')
    WHERE institution_id = OLD.institution_id AND starter_id = OLD.starter_id;
END;
