-- Logging in with the school account (OpenID Connect). One provider per
-- institution, set by the deployment admin; the client secret is stored
-- sealed with the server's key (HOUVAST_SECRET_KEY), never in clear.
-- An account is linked to the provider's stable subject (issuer, sub) at
-- its first school login and found by that link from then on.
-- Keep in step with migrations/postgres/20261202000016_school_login.sql.
CREATE TABLE school_logins (
    institution_id        INTEGER PRIMARY KEY REFERENCES institutions (id),
    issuer                TEXT NOT NULL,
    client_id             TEXT NOT NULL,
    client_secret_sealed  TEXT NOT NULL,
    institution_claim     TEXT NOT NULL DEFAULT '',
    institution_value     TEXT NOT NULL DEFAULT '',
    match_by              TEXT NOT NULL CHECK (match_by IN ('email', 'employee_number')),
    match_claim           TEXT NOT NULL,
    password_login        INTEGER NOT NULL,
    -- Someone the provider vouches for (of this institution) and Houvast
    -- does not know gets an account without roles, for the coordinator to
    -- give them one. Off unless the institution switches it on.
    create_accounts       INTEGER NOT NULL DEFAULT 0,
    updated_at            TEXT NOT NULL
);

CREATE TABLE school_identities (
    issuer      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
-- One school account per person and provider.
CREATE UNIQUE INDEX school_identities_person_issuer ON school_identities (person_id, issuer);
