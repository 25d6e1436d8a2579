//! One-time account links (activation, password reset). Only a SHA-256 of
//! the token is stored; a token is taken at most once, before it expires.

use chrono::{DateTime, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::PersonId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Activation,
    PasswordReset,
}

impl TokenPurpose {
    pub fn code(self) -> &'static str {
        match self {
            TokenPurpose::Activation => "activation",
            TokenPurpose::PasswordReset => "password_reset",
        }
    }
}

/// Store a new token; earlier unused links of the person become invalid.
pub async fn issue(
    tx: &mut Tx,
    person: PersonId,
    purpose: TokenPurpose,
    token_hash: &str,
    created_by: Option<PersonId>,
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let revoke = "UPDATE account_tokens SET used_at = $1 WHERE person_id = $2 AND used_at IS NULL";
    let insert = "INSERT INTO account_tokens (person_id, purpose, token_hash, created_by, created_at, expires_at) \
                  VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, conn => {
        sqlx::query(revoke).bind(at).bind(person).execute(&mut **conn).await?;
        sqlx::query(insert)
            .bind(person)
            .bind(purpose.code())
            .bind(token_hash)
            .bind(created_by)
            .bind(at)
            .bind(expires_at)
            .execute(&mut **conn)
            .await?;
    });
    Ok(())
}

/// Whose valid, unused token this is (without using it).
pub async fn peek(
    db: &Db,
    token_hash: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<Option<PersonId>, StoreError> {
    let sql = "SELECT person_id FROM account_tokens \
               WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3";
    let person: Option<i64> = on_db!(db, pool => {
        sqlx::query_scalar(sql).bind(token_hash).bind(purpose.code()).bind(now).fetch_optional(pool).await?
    });
    Ok(person.map(PersonId))
}

/// Use a valid token: mark it used and return whose it was. A second take,
/// an expired or unknown token gives `None`.
pub async fn take(
    tx: &mut Tx,
    token_hash: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<Option<PersonId>, StoreError> {
    let sql = "UPDATE account_tokens SET used_at = $3 \
               WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
               RETURNING person_id";
    let person: Option<i64> = on_tx!(tx, conn => {
        sqlx::query_scalar(sql).bind(token_hash).bind(purpose.code()).bind(now).fetch_optional(&mut **conn).await?
    });
    Ok(person.map(PersonId))
}

/// Make every unused link of a person stop working (after a password
/// change: a reset link issued earlier must not outlive it).
pub async fn revoke_all(tx: &mut Tx, person: PersonId, at: DateTime<Utc>) -> Result<u64, StoreError> {
    let sql = "UPDATE account_tokens SET used_at = $1 WHERE person_id = $2 AND used_at IS NULL";
    let done = on_tx!(tx, conn => sqlx::query(sql).bind(at).bind(person).execute(&mut **conn).await?.rows_affected());
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, person};

    crate::db_test!(async fn tokens_are_single_use_expire_and_replace_each_other(db) {
        let mut tx = db.begin_write().await.unwrap();
        let p = crate::store::people::create(&mut tx, &person("Jet", None, None), at(2026, 8, 1)).await.unwrap();
        issue(&mut tx, p, TokenPurpose::Activation, "h1", None, at(2026, 8, 1), at(2026, 8, 8)).await.unwrap();
        tx.commit().await.unwrap();

        assert_eq!(peek(db, "h1", TokenPurpose::Activation, at(2026, 8, 7)).await.unwrap(), Some(p));
        assert_eq!(peek(db, "h1", TokenPurpose::PasswordReset, at(2026, 8, 7)).await.unwrap(), None);
        assert_eq!(peek(db, "h1", TokenPurpose::Activation, at(2026, 8, 8)).await.unwrap(), None, "expired");

        let mut tx = db.begin_write().await.unwrap();
        assert_eq!(take(&mut tx, "h1", TokenPurpose::Activation, at(2026, 8, 2)).await.unwrap(), Some(p));
        assert_eq!(take(&mut tx, "h1", TokenPurpose::Activation, at(2026, 8, 2)).await.unwrap(), None, "single use");
        issue(&mut tx, p, TokenPurpose::PasswordReset, "h2", Some(p), at(2026, 8, 3), at(2026, 8, 10)).await.unwrap();
        issue(&mut tx, p, TokenPurpose::PasswordReset, "h3", Some(p), at(2026, 8, 4), at(2026, 8, 11)).await.unwrap();
        assert_eq!(take(&mut tx, "h2", TokenPurpose::PasswordReset, at(2026, 8, 5)).await.unwrap(), None, "replaced");
        assert_eq!(take(&mut tx, "h3", TokenPurpose::PasswordReset, at(2026, 8, 5)).await.unwrap(), Some(p));
        let duplicate = issue(&mut tx, p, TokenPurpose::Activation, "h3", None, at(2026, 8, 5), at(2026, 8, 12)).await;
        assert!(duplicate.unwrap_err().is_conflict_on("account_tokens_token_hash_key"));
    });
}
