-- Accounts, roles (memberships), one-time links, login throttling and
-- sessions. Keep in step with migrations/postgres/20261129000002_accounts.sql.

-- The institution a person belongs to; NULL for deployment staff (admin, analyst).
ALTER TABLE people ADD COLUMN institution_id INTEGER REFERENCES institutions (id);
-- Lower-case, accent-free name and e-mail, computed by the application, so
-- search behaves the same on both backends ("ozdemir" finds "Özdemir").
ALTER TABLE people ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
CREATE INDEX people_institution_idx ON people (institution_id, full_name);

CREATE TABLE accounts (
    person_id        INTEGER PRIMARY KEY REFERENCES people (id),
    password_hash    TEXT,
    password_set_at  TEXT,
    locale           TEXT NOT NULL DEFAULT 'nl' CHECK (locale IN ('nl', 'en')),
    deactivated_at   TEXT,
    last_login_at    TEXT,
    created_at       TEXT NOT NULL
);

-- A role held for a period: never overwritten, ended by setting ended_at.
CREATE TABLE memberships (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    institution_id  INTEGER REFERENCES institutions (id),
    role            TEXT NOT NULL CHECK (role IN ('starter', 'mentor', 'team_leader', 'coordinator', 'admin', 'analyst')),
    team_id         INTEGER REFERENCES teams (id),
    started_at      TEXT NOT NULL,
    ended_at        TEXT,
    CHECK ((institution_id IS NULL) = (role IN ('admin', 'analyst')))
);
CREATE INDEX memberships_person_idx ON memberships (person_id, ended_at);
CREATE INDEX memberships_institution_idx ON memberships (institution_id, role, ended_at);

-- Activation and password-reset links: only a SHA-256 of the token is stored.
CREATE TABLE account_tokens (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    purpose     TEXT NOT NULL CHECK (purpose IN ('activation', 'password_reset')),
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  INTEGER REFERENCES people (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX account_tokens_person_idx ON account_tokens (person_id);

-- Failed logins per key ("account:<email>", "ip:<address>"), for throttling
-- that holds across app nodes. Old rows are pruned as new ones arrive.
CREATE TABLE login_failures (
    id            INTEGER PRIMARY KEY,
    throttle_key  TEXT NOT NULL,
    failed_at     TEXT NOT NULL
);
CREATE INDEX login_failures_key_idx ON login_failures (throttle_key, failed_at);

-- Server-side sessions (tower-sessions' SQLite store layout).
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY NOT NULL,
    data         BLOB NOT NULL,
    expiry_date  INTEGER NOT NULL
);
