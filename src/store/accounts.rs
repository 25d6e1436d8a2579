//! Accounts: the login side of a person. A password hash is only ever
//! written here after it was computed (argon2id) by the password service.

use chrono::{DateTime, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::{AccountStatus, InstitutionId, Language, Membership, PersonId};

/// An account as the services need it.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub person: PersonId,
    pub password_hash: Option<String>,
    pub language: Language,
    pub deactivated_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// Whether a password is set, never its hash.
impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("person", &self.person)
            .field("has_password", &self.password_hash.is_some())
            .field("language", &self.language)
            .field("deactivated_at", &self.deactivated_at)
            .field("last_login_at", &self.last_login_at)
            .finish()
    }
}

impl Account {
    pub fn status(&self) -> AccountStatus {
        if self.deactivated_at.is_some() {
            AccountStatus::Deactivated
        } else if self.password_hash.is_some() {
            AccountStatus::Active
        } else {
            AccountStatus::Invited
        }
    }
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    person_id: i64,
    password_hash: Option<String>,
    locale: String,
    deactivated_at: Option<DateTime<Utc>>,
    last_login_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "person_id, password_hash, locale, deactivated_at, last_login_at";

fn to_account(row: AccountRow) -> Account {
    Account {
        person: PersonId(row.person_id),
        password_hash: row.password_hash,
        language: Language::from_code(&row.locale).unwrap_or_default(),
        deactivated_at: row.deactivated_at,
        last_login_at: row.last_login_at,
    }
}

/// What every logged-in request reads of its person, in one statement:
/// the account, the person's name and address, their institution and their
/// active memberships.
pub struct SessionPerson {
    pub account: Account,
    pub full_name: String,
    pub email: Option<String>,
    pub institution: Option<InstitutionId>,
    pub institution_name: Option<String>,
    /// Oldest first.
    pub memberships: Vec<Membership>,
    /// Notifications not yet read (the menu shows the count on every page).
    pub unread_notifications: u32,
}

#[derive(sqlx::FromRow)]
struct SessionPersonRow {
    #[sqlx(flatten)]
    account: AccountRow,
    full_name: String,
    email: Option<String>,
    institution_id: Option<i64>,
    institution_name: Option<String>,
    unread_notifications: i64,
    #[sqlx(flatten)]
    membership: super::memberships::JoinedMembershipRow,
}

/// The account of `person` with their name, institution, active
/// memberships and unread notifications (`None` without an account): what
/// every logged-in request needs, in one statement.
pub async fn session_person(db: &Db, person: PersonId) -> Result<Option<SessionPerson>, StoreError> {
    let sql = format!(
        "SELECT a.person_id, a.password_hash, a.locale, a.deactivated_at, a.last_login_at, \
                p.full_name, p.email, p.institution_id, i.name AS institution_name, \
                (SELECT COUNT(*) FROM notifications n WHERE n.person_id = a.person_id AND n.read_at IS NULL) \
                  AS unread_notifications, \
                {membership} \
         FROM accounts a JOIN people p ON p.id = a.person_id \
         LEFT JOIN institutions i ON i.id = p.institution_id \
         LEFT JOIN memberships m ON m.person_id = a.person_id AND m.ended_at IS NULL \
         WHERE a.person_id = $1 ORDER BY m.id",
        membership = super::memberships::JOINED_COLUMNS
    );
    let rows: Vec<SessionPersonRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(person).fetch_all(pool).await?);
    let mut found: Option<SessionPerson> = None;
    for row in rows {
        let membership = super::memberships::joined(person, row.membership);
        let found = found.get_or_insert_with(|| SessionPerson {
            account: to_account(row.account),
            full_name: row.full_name,
            email: row.email,
            institution: row.institution_id.map(InstitutionId),
            institution_name: row.institution_name,
            memberships: Vec::new(),
            unread_notifications: u32::try_from(row.unread_notifications).unwrap_or(u32::MAX),
        });
        found.memberships.extend(membership);
    }
    Ok(found)
}

/// A new account without password (the person sets one through a link).
pub async fn create(tx: &mut Tx, person: PersonId, at: DateTime<Utc>) -> Result<(), StoreError> {
    let sql = "INSERT INTO accounts (person_id, created_at) VALUES ($1, $2)";
    on_tx!(tx, conn => { sqlx::query(sql).bind(person).bind(at).execute(&mut **conn).await?; });
    Ok(())
}

pub async fn get(db: &Db, person: PersonId) -> Result<Account, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM accounts WHERE person_id = $1");
    let row: AccountRow = on_db!(db, pool => sqlx::query_as(&sql).bind(person).fetch_one(pool).await?);
    Ok(to_account(row))
}

/// The account of whoever has this e-mail address (for logging in).
pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<Account>, StoreError> {
    let sql = "SELECT a.person_id, a.password_hash, a.locale, a.deactivated_at, a.last_login_at \
               FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.email = $1";
    let row: Option<AccountRow> = on_db!(db, pool => sqlx::query_as(sql).bind(email).fetch_optional(pool).await?);
    Ok(row.map(to_account))
}

pub async fn set_password_hash(tx: &mut Tx, person: PersonId, hash: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    let sql = "UPDATE accounts SET password_hash = $1, password_set_at = $2 WHERE person_id = $3";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql).bind(hash).bind(at).bind(person).execute(&mut **conn).await?.rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Deactivate (`Some(at)`) or reactivate (`None`).
pub async fn set_deactivated(tx: &mut Tx, person: PersonId, at: Option<DateTime<Utc>>) -> Result<(), StoreError> {
    let sql = "UPDATE accounts SET deactivated_at = $1 WHERE person_id = $2";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql).bind(at).bind(person).execute(&mut **conn).await?.rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

pub async fn set_language(tx: &mut Tx, person: PersonId, language: Language) -> Result<(), StoreError> {
    let sql = "UPDATE accounts SET locale = $1 WHERE person_id = $2";
    on_tx!(tx, conn => { sqlx::query(sql).bind(language.code()).bind(person).execute(&mut **conn).await?; });
    Ok(())
}

pub async fn record_login(tx: &mut Tx, person: PersonId, at: DateTime<Utc>) -> Result<(), StoreError> {
    let sql = "UPDATE accounts SET last_login_at = $1 WHERE person_id = $2";
    on_tx!(tx, conn => { sqlx::query(sql).bind(at).bind(person).execute(&mut **conn).await?; });
    Ok(())
}

/// Whether any account exists that can log in (used by the first-start checks).
pub async fn any_usable(db: &Db) -> Result<bool, StoreError> {
    let sql = "SELECT COUNT(*) FROM accounts WHERE password_hash IS NOT NULL AND deactivated_at IS NULL";
    let count: i64 = on_db!(db, pool => sqlx::query_scalar(sql).fetch_one(pool).await?);
    Ok(count > 0)
}

/// Whether the account holds data someone else could read by taking it
/// over: a pairing, a conversation, a check-in or a private note. An
/// account without any may get a fresh activation link shown to the
/// coordinator; one with data only by e-mail to the person.
pub async fn holds_data(db: &Db, person: PersonId) -> Result<bool, StoreError> {
    let sql = "SELECT \
                 EXISTS (SELECT 1 FROM pairings WHERE starter_id = $1 OR mentor_id = $1) \
              OR EXISTS (SELECT 1 FROM conversations WHERE starter_id = $1 OR mentor_id = $1) \
              OR EXISTS (SELECT 1 FROM checkins WHERE starter_id = $1) \
              OR EXISTS (SELECT 1 FROM conversation_notes WHERE author_id = $1)";
    let holds: bool = on_db!(db, pool => sqlx::query_scalar(sql).bind(person).fetch_one(pool).await?);
    Ok(holds)
}

// ------------------------------------------------------------ login devices

/// Remember a browser in which `person` logged in (only the token's hash).
pub async fn remember_device(
    tx: &mut Tx,
    person: PersonId,
    token_hash: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO login_devices (token_hash, person_id, created_at, last_used_at) VALUES ($1, $2, $3, $3) \
               ON CONFLICT (token_hash) DO UPDATE SET last_used_at = excluded.last_used_at";
    on_tx!(tx, conn => {
        sqlx::query(sql).bind(token_hash).bind(person).bind(at).execute(&mut **conn).await?;
    });
    Ok(())
}

/// Whose remembered browser this token is, if it was used since `since`.
pub async fn device_owner(db: &Db, token_hash: &str, since: DateTime<Utc>) -> Result<Option<PersonId>, StoreError> {
    let sql = "SELECT person_id FROM login_devices WHERE token_hash = $1 AND last_used_at >= $2";
    let person: Option<i64> =
        on_db!(db, pool => sqlx::query_scalar(sql).bind(token_hash).bind(since).fetch_optional(pool).await?);
    Ok(person.map(PersonId))
}

/// Forget every remembered browser of a person (password set anew).
pub async fn forget_devices(tx: &mut Tx, person: PersonId) -> Result<(), StoreError> {
    let sql = "DELETE FROM login_devices WHERE person_id = $1";
    on_tx!(tx, conn => { sqlx::query(sql).bind(person).execute(&mut **conn).await?; });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, person};

    crate::db_test!(async fn account_lifecycle(db) {
        let mut tx = db.begin_write().await.unwrap();
        let p = crate::store::people::create(&mut tx, &person("Iris", Some("iris@roc.nl"), None), at(2026, 8, 1)).await.unwrap();
        create(&mut tx, p, at(2026, 8, 1)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(get(db, p).await.unwrap().status(), AccountStatus::Invited);
        assert!(!any_usable(db).await.unwrap());

        let mut tx = db.begin_write().await.unwrap();
        set_password_hash(&mut tx, p, "$argon2id$stub", at(2026, 8, 2)).await.unwrap();
        set_language(&mut tx, p, Language::En).await.unwrap();
        record_login(&mut tx, p, at(2026, 8, 3)).await.unwrap();
        tx.commit().await.unwrap();
        let account = find_by_email(db, "iris@roc.nl").await.unwrap().unwrap();
        assert_eq!(account.status(), AccountStatus::Active);
        assert_eq!(account.language, Language::En);
        assert_eq!(account.last_login_at, Some(at(2026, 8, 3)));
        assert!(any_usable(db).await.unwrap());
        assert_eq!(find_by_email(db, "niemand@roc.nl").await.unwrap(), None);

        let mut tx = db.begin_write().await.unwrap();
        set_deactivated(&mut tx, p, Some(at(2026, 9, 1))).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(get(db, p).await.unwrap().status(), AccountStatus::Deactivated);
        assert!(!any_usable(db).await.unwrap());
        let mut tx = db.begin_write().await.unwrap();
        set_deactivated(&mut tx, p, None).await.unwrap();
        assert!(matches!(set_password_hash(&mut tx, PersonId(999), "x", at(2026, 9, 2)).await, Err(StoreError::NotFound)));
    });
}
