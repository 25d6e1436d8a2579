//! Notifications and their e-mail state. Inserts are idempotent through the
//! unique `dedupe_key`; sending is claimed row by row, so several app nodes
//! can run the same job without sending anything twice.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::notification::NotificationKind;
use crate::domain::{InstitutionId, Language, PersonId, PersonRef};

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

/// A notification to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub person: PersonId,
    pub institution: Option<InstitutionId>,
    pub kind: NotificationKind,
    pub about: Option<PersonId>,
    pub on: Option<NaiveDate>,
    pub dedupe_key: String,
}

const INSERT: &str = "INSERT INTO notifications (person_id, institution_id, kind, about_person_id, on_date, \
                      dedupe_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                      ON CONFLICT (dedupe_key) DO NOTHING";

/// Create a notification unless one with the same key exists; returns
/// whether it was new.
pub async fn insert(tx: &mut Tx, new: &NewNotification, at: DateTime<Utc>) -> Result<bool, StoreError> {
    Ok(on_tx!(tx, conn => {
        sqlx::query(INSERT)
            .bind(new.person)
            .bind(new.institution)
            .bind(new.kind.code())
            .bind(new.about)
            .bind(new.on)
            .bind(&new.dedupe_key)
            .bind(at)
            .execute(&mut **conn)
            .await?
            .rows_affected()
            == 1
    }))
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    pub about: Option<PersonId>,
    pub on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: NotificationKind,
    about_person_id: Option<i64>,
    on_date: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

fn to_notification(row: Row) -> Result<Notification, StoreError> {
    Ok(Notification {
        id: row.id,
        kind: row.kind,
        about: row.about_person_id.map(PersonId),
        on: row.on_date,
        created_at: row.created_at,
        read_at: row.read_at,
    })
}

/// A person's latest notifications, newest first.
pub async fn of_person(db: &Db, person: PersonId, limit: i64) -> Result<Vec<Notification>, StoreError> {
    let sql = "SELECT id, kind, about_person_id, on_date, created_at, read_at FROM notifications \
               WHERE person_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2";
    let rows: Vec<Row> = on_db!(db, pool => sqlx::query_as(sql).bind(person).bind(limit).fetch_all(pool).await?);
    rows.into_iter().map(to_notification).collect()
}

pub async fn unread_count(db: &Db, person: PersonId) -> Result<u32, StoreError> {
    let sql = "SELECT COUNT(*) FROM notifications WHERE person_id = $1 AND read_at IS NULL";
    let count: i64 = on_db!(db, pool => sqlx::query_scalar(sql).bind(person).fetch_one(pool).await?);
    u32::try_from(count).map_err(corrupt)
}

pub async fn mark_all_read(db: &Db, person: PersonId, at: DateTime<Utc>) -> Result<u64, StoreError> {
    let sql = "UPDATE notifications SET read_at = $2 WHERE person_id = $1 AND read_at IS NULL";
    Ok(on_db!(db, pool => sqlx::query(sql).bind(person).bind(at).execute(pool).await?.rows_affected()))
}

// ------------------------------------------------------------ clock-driven

/// A starter whose check-ins are counted: employed today, with an active
/// account, and the institution's rhythm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInDuty {
    pub institution: InstitutionId,
    pub starter: PersonId,
    pub first_start: NaiveDate,
    pub last_checkin: Option<NaiveDate>,
    pub rhythm_days: i64,
}

/// Every starter employed on `today` who can log in, with what decides
/// when their next check-in is due.
pub async fn checkin_duties(db: &Db, today: NaiveDate) -> Result<Vec<CheckInDuty>, StoreError> {
    let sql = "SELECT e.institution_id, e.person_id, MIN(e.start_date) AS first_start, \
                      (SELECT MAX(c.checked_in_on) FROM checkins c \
                        WHERE c.institution_id = e.institution_id AND c.starter_id = e.person_id) AS last_checkin, \
                      i.checkin_rhythm_days \
               FROM employments e \
               JOIN institutions i ON i.id = e.institution_id \
               JOIN accounts a ON a.person_id = e.person_id \
               WHERE e.start_date <= $1 AND (e.end_date IS NULL OR e.end_date >= $1) \
                 AND a.password_hash IS NOT NULL AND a.deactivated_at IS NULL \
               GROUP BY e.institution_id, e.person_id, i.checkin_rhythm_days";
    #[derive(sqlx::FromRow)]
    struct DutyRow {
        institution_id: i64,
        person_id: i64,
        first_start: NaiveDate,
        last_checkin: Option<NaiveDate>,
        checkin_rhythm_days: i64,
    }
    let rows: Vec<DutyRow> = on_db!(db, pool => sqlx::query_as(sql).bind(today).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|row| CheckInDuty {
            institution: InstitutionId(row.institution_id),
            starter: PersonId(row.person_id),
            first_start: row.first_start,
            last_checkin: row.last_checkin,
            rhythm_days: row.checkin_rhythm_days,
        })
        .collect())
}

/// An open action due in `from..=to` of a pairing still running on `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueAction {
    pub id: i64,
    pub institution: InstitutionId,
    pub starter: PersonId,
    pub mentor: PersonId,
    pub owner_is_starter: bool,
    pub due_on: NaiveDate,
}

pub async fn due_actions(db: &Db, from: NaiveDate, to: NaiveDate) -> Result<Vec<DueAction>, StoreError> {
    let sql = "SELECT a.id, c.institution_id, c.starter_id, c.mentor_id, a.owner, a.due_on \
               FROM conversation_actions a \
               JOIN conversations c ON c.id = a.conversation_id \
               JOIN pairings p ON p.id = c.pairing_id \
               WHERE a.done_at IS NULL AND a.due_on IS NOT NULL AND a.due_on >= $1 AND a.due_on <= $2 \
                 AND (p.end_date IS NULL OR p.end_date >= $2)";
    #[derive(sqlx::FromRow)]
    struct ActionRow {
        id: i64,
        institution_id: i64,
        starter_id: i64,
        mentor_id: i64,
        owner: String,
        due_on: NaiveDate,
    }
    let rows: Vec<ActionRow> = on_db!(db, pool => sqlx::query_as(sql).bind(from).bind(to).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|row| DueAction {
            id: row.id,
            institution: InstitutionId(row.institution_id),
            starter: PersonId(row.starter_id),
            mentor: PersonId(row.mentor_id),
            owner_is_starter: row.owner == "starter",
            due_on: row.due_on,
        })
        .collect())
}

// ------------------------------------------------------------------ e-mail

/// A notification waiting to be sent by e-mail, with what the message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEmail {
    pub id: i64,
    pub kind: NotificationKind,
    pub email: Option<String>,
    pub language: Language,
    pub name: String,
    pub is_starter: bool,
    pub about: Option<PersonRef>,
    pub on: Option<NaiveDate>,
}

/// Notifications created after `since` that have not been e-mailed.
pub async fn pending_emails(db: &Db, since: DateTime<Utc>, limit: i64) -> Result<Vec<PendingEmail>, StoreError> {
    let sql = "SELECT n.id, n.kind, p.email, a.locale, p.full_name, \
                      EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = n.person_id \
                              AND m.role = 'starter' AND m.ended_at IS NULL) AS is_starter, \
                      about.id AS about_id, about.full_name AS about_name, n.on_date \
               FROM notifications n \
               JOIN people p ON p.id = n.person_id \
               LEFT JOIN accounts a ON a.person_id = n.person_id \
               LEFT JOIN people about ON about.id = n.about_person_id \
               WHERE n.email_state IS NULL AND n.created_at > $1 \
               ORDER BY n.id LIMIT $2";
    #[derive(sqlx::FromRow)]
    struct EmailRow {
        id: i64,
        kind: String,
        email: Option<String>,
        locale: Option<String>,
        full_name: String,
        is_starter: bool,
        about_id: Option<i64>,
        about_name: Option<String>,
        on_date: Option<NaiveDate>,
    }
    let rows: Vec<EmailRow> = on_db!(db, pool => sqlx::query_as(sql).bind(since).bind(limit).fetch_all(pool).await?);
    rows.into_iter()
        .map(|row| {
            Ok(PendingEmail {
                id: row.id,
                kind: NotificationKind::from_code(&row.kind).ok_or_else(|| corrupt(&row.kind))?,
                email: row.email.filter(|e| !e.is_empty()),
                language: row.locale.as_deref().and_then(Language::from_code).unwrap_or_default(),
                name: row.full_name,
                is_starter: row.is_starter,
                about: row.about_id.map(|id| PersonRef {
                    id: PersonId(id),
                    name: row.about_name.unwrap_or_default(),
                }),
                on: row.on_date,
            })
        })
        .collect()
}

/// Mark notifications older than `before` that were never e-mailed as
/// skipped, so switching e-mail on does not send a backlog.
pub async fn skip_old_emails(db: &Db, before: DateTime<Utc>) -> Result<u64, StoreError> {
    let sql = "UPDATE notifications SET email_state = 'skipped' WHERE email_state IS NULL AND created_at <= $1";
    Ok(on_db!(db, pool => sqlx::query(sql).bind(before).execute(pool).await?.rows_affected()))
}

/// Claim a notification for sending; `false` when another node has it.
pub async fn claim_email(db: &Db, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError> {
    let sql = "UPDATE notifications SET email_state = 'sending', emailed_at = $2 \
               WHERE id = $1 AND email_state IS NULL";
    Ok(on_db!(db, pool => sqlx::query(sql).bind(id).bind(at).execute(pool).await?.rows_affected() == 1))
}

/// Record how sending ended: `sent`, `failed` or `skipped`.
pub async fn finish_email(db: &Db, id: i64, state: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    let sql = "UPDATE notifications SET email_state = $2, emailed_at = $3 WHERE id = $1";
    on_db!(db, pool => sqlx::query(sql).bind(id).bind(state).bind(at).execute(pool).await.map(|_| ())?);
    Ok(())
}
