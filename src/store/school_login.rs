//! School login: each institution's provider settings, and the links from a
//! provider's subject (`issuer`, `sub`) to a person.

use chrono::{DateTime, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::school_login::{MatchBy, SchoolLoginButton, SchoolLoginSettings};
use crate::domain::{InstitutionId, PersonId};

#[derive(sqlx::FromRow)]
struct SettingsRow {
    institution_id: i64,
    issuer: String,
    client_id: String,
    institution_claim: String,
    institution_value: String,
    match_by: MatchBy,
    match_claim: String,
    password_login: bool,
    create_accounts: bool,
    client_secret_sealed: String,
}

const COLUMNS: &str = "institution_id, issuer, client_id, institution_claim, institution_value, match_by, \
                       match_claim, password_login, create_accounts, client_secret_sealed";

fn to_settings(row: SettingsRow) -> Result<(SchoolLoginSettings, String), StoreError> {
    Ok((
        SchoolLoginSettings {
            institution: InstitutionId(row.institution_id),
            issuer: row.issuer,
            client_id: row.client_id,
            institution_claim: row.institution_claim,
            institution_value: row.institution_value,
            match_by: row.match_by,
            match_claim: row.match_claim,
            password_login: row.password_login,
            create_accounts: row.create_accounts,
        },
        row.client_secret_sealed,
    ))
}

/// The institution's settings and its sealed client secret.
pub async fn get(db: &Db, institution: InstitutionId) -> Result<Option<(SchoolLoginSettings, String)>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM school_logins WHERE institution_id = $1");
    let row: Option<SettingsRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).fetch_optional(pool).await?);
    row.map(to_settings).transpose()
}

/// Store the settings; `sealed_secret` `None` keeps the stored secret.
pub async fn put(
    tx: &mut Tx,
    settings: &SchoolLoginSettings,
    sealed_secret: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO school_logins (institution_id, issuer, client_id, client_secret_sealed, \
               institution_claim, institution_value, match_by, match_claim, password_login, create_accounts, \
               updated_at) \
               VALUES ($1, $2, $3, COALESCE($4, ''), $5, $6, $7, $8, $9, $10, $11) \
               ON CONFLICT (institution_id) DO UPDATE SET issuer = excluded.issuer, client_id = excluded.client_id, \
               client_secret_sealed = COALESCE($4, school_logins.client_secret_sealed), \
               institution_claim = excluded.institution_claim, institution_value = excluded.institution_value, \
               match_by = excluded.match_by, match_claim = excluded.match_claim, \
               password_login = excluded.password_login, create_accounts = excluded.create_accounts, \
               updated_at = excluded.updated_at";
    on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(settings.institution)
            .bind(&settings.issuer)
            .bind(&settings.client_id)
            .bind(sealed_secret)
            .bind(&settings.institution_claim)
            .bind(&settings.institution_value)
            .bind(settings.match_by.code())
            .bind(&settings.match_claim)
            .bind(settings.password_login)
            .bind(settings.create_accounts)
            .bind(at)
            .execute(&mut **conn)
            .await?;
    });
    Ok(())
}

/// Switch school login off for the institution (links stay: switching it on
/// again finds the same people).
pub async fn remove(tx: &mut Tx, institution: InstitutionId) -> Result<bool, StoreError> {
    let sql = "DELETE FROM school_logins WHERE institution_id = $1";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql).bind(institution).execute(&mut **conn).await?.rows_affected()
    });
    Ok(done > 0)
}

/// Institutions with school login, for the login page's buttons.
pub async fn buttons(db: &Db) -> Result<Vec<SchoolLoginButton>, StoreError> {
    let sql = "SELECT i.id, i.name FROM school_logins s JOIN institutions i ON i.id = s.institution_id ORDER BY i.name";
    let rows: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(sql).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name)| SchoolLoginButton {
            institution: InstitutionId(id),
            name,
        })
        .collect())
}

/// Whether people of the institution may log in with a password.
pub async fn password_login_allowed(db: &Db, institution: InstitutionId) -> Result<bool, StoreError> {
    let sql = "SELECT password_login FROM school_logins WHERE institution_id = $1";
    let row: Option<bool> = on_db!(db, pool => sqlx::query_scalar(sql).bind(institution).fetch_optional(pool).await?);
    Ok(row.unwrap_or(true))
}

/// The person linked to this subject of this issuer.
pub async fn linked_person(db: &Db, issuer: &str, subject: &str) -> Result<Option<PersonId>, StoreError> {
    let sql = "SELECT person_id FROM school_identities WHERE issuer = $1 AND subject = $2";
    let row: Option<i64> =
        on_db!(db, pool => sqlx::query_scalar(sql).bind(issuer).bind(subject).fetch_optional(pool).await?);
    Ok(row.map(PersonId))
}

/// Whether the person is linked to any subject of this issuer.
pub async fn is_linked(db: &Db, person: PersonId, issuer: &str) -> Result<bool, StoreError> {
    let sql = "SELECT COUNT(*) FROM school_identities WHERE person_id = $1 AND issuer = $2";
    let count: i64 = on_db!(db, pool => sqlx::query_scalar(sql).bind(person).bind(issuer).fetch_one(pool).await?);
    Ok(count > 0)
}

/// Whether the person has a school account linked at all.
pub async fn has_any_link(db: &Db, person: PersonId) -> Result<bool, StoreError> {
    let sql = "SELECT COUNT(*) FROM school_identities WHERE person_id = $1";
    let count: i64 = on_db!(db, pool => sqlx::query_scalar(sql).bind(person).fetch_one(pool).await?);
    Ok(count > 0)
}

/// Link the subject to the person. A subject or person already linked gives
/// `StoreError::Conflict`.
pub async fn link(
    tx: &mut Tx,
    issuer: &str,
    subject: &str,
    person: PersonId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO school_identities (issuer, subject, person_id, linked_at) VALUES ($1, $2, $3, $4)";
    on_tx!(tx, conn => {
        sqlx::query(sql).bind(issuer).bind(subject).bind(person).bind(at).execute(&mut **conn).await?;
    });
    Ok(())
}

/// Forget every school account of the person (erasure).
pub async fn unlink_all(tx: &mut Tx, person: PersonId) -> Result<u64, StoreError> {
    let sql = "DELETE FROM school_identities WHERE person_id = $1";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql).bind(person).execute(&mut **conn).await?.rows_affected()
    });
    Ok(done)
}

/// The institution's person (not erased) whose e-mail address or employee
/// number this is.
pub async fn person_by(
    db: &Db,
    institution: InstitutionId,
    match_by: MatchBy,
    value: &str,
) -> Result<Option<PersonId>, StoreError> {
    let column = match match_by {
        MatchBy::Email => "email",
        MatchBy::EmployeeNumber => "employee_number",
    };
    let sql = format!(
        "SELECT id FROM people WHERE institution_id = $1 AND {column} = $2 AND erased_at IS NULL ORDER BY id LIMIT 1"
    );
    let row: Option<i64> =
        on_db!(db, pool => sqlx::query_scalar(&sql).bind(institution).bind(value).fetch_optional(pool).await?);
    Ok(row.map(PersonId))
}
