-- Retention periods and erasure (AVG art. 5(1)(e), 17). Each institution
-- keeps free text and contact details for a number of months after a
-- person's induction ends; then they are erased and the person is
-- pseudonymised. An erasure is marked by a salted hash of the employee
-- number, so a later HR import does not silently bring the person back.
-- Keep in step with migrations/postgres/20261201000014_erasure.sql.
ALTER TABLE institutions ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 24
    CHECK (retention_months BETWEEN 1 AND 120);
ALTER TABLE institutions ADD COLUMN erasure_salt TEXT;
ALTER TABLE people ADD COLUMN erased_at TEXT;

CREATE TABLE erasures (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    number_hash     TEXT,
    erased_at       TEXT NOT NULL,
    on_request      INTEGER NOT NULL
);
CREATE INDEX erasures_number_idx ON erasures (institution_id, number_hash);
