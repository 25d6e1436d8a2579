//! Check-ins, requests to talk and the institution's check-in rhythm.
//! The free text of a check-in is read only by `checkins_with_text`, which
//! only the starter's and their mentors' paths call.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::checkin::{CheckInInput, CheckInView, Score, Scores, TalkTo};
use crate::domain::{InstitutionId, PersonId};

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

pub async fn rhythm_days(db: &Db, institution: InstitutionId) -> Result<u16, StoreError> {
    let sql = "SELECT checkin_rhythm_days FROM institutions WHERE id = $1";
    let days: i64 = on_db!(db, pool => sqlx::query_scalar(sql).bind(institution).fetch_one(pool).await?);
    u16::try_from(days).map_err(corrupt)
}

pub async fn set_rhythm_days(tx: &mut Tx, institution: InstitutionId, days: u16) -> Result<(), StoreError> {
    let sql = "UPDATE institutions SET checkin_rhythm_days = $2 WHERE id = $1";
    on_tx!(tx, conn => sqlx::query(sql).bind(institution).bind(i64::from(days)).execute(&mut **conn).await.map(|_| ())?);
    Ok(())
}

pub async fn create(
    tx: &mut Tx,
    institution: InstitutionId,
    starter: PersonId,
    on: NaiveDate,
    input: &CheckInInput,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let sql = "INSERT INTO checkins (institution_id, starter_id, checked_in_on, wellbeing, workload, support, \
               confidence, intention_to_stay, comment, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
    let s = &input.scores;
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(institution)
            .bind(starter)
            .bind(on)
            .bind(i64::from(s.wellbeing.get()))
            .bind(i64::from(s.workload.get()))
            .bind(i64::from(s.support.get()))
            .bind(i64::from(s.confidence.get()))
            .bind(i64::from(s.intention_to_stay.get()))
            .bind(input.comment.as_deref())
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    }))
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    checked_in_on: NaiveDate,
    wellbeing: i64,
    workload: i64,
    support: i64,
    confidence: i64,
    intention_to_stay: i64,
    comment: Option<String>,
}

fn score(value: i64) -> Result<Score, StoreError> {
    u8::try_from(value)
        .ok()
        .and_then(|v| Score::try_from(v).ok())
        .ok_or_else(|| corrupt(format!("score {value}")))
}

fn to_view(row: Row) -> Result<CheckInView, StoreError> {
    Ok(CheckInView {
        id: row.id,
        on: row.checked_in_on,
        scores: Scores {
            wellbeing: score(row.wellbeing)?,
            workload: score(row.workload)?,
            support: score(row.support)?,
            confidence: score(row.confidence)?,
            intention_to_stay: score(row.intention_to_stay)?,
        },
        comment: row.comment,
    })
}

/// A starter's check-ins with their text, oldest first.
pub async fn checkins_with_text(
    db: &Db,
    institution: InstitutionId,
    starter: PersonId,
) -> Result<Vec<CheckInView>, StoreError> {
    let sql = "SELECT id, checked_in_on, wellbeing, workload, support, confidence, intention_to_stay, comment \
               FROM checkins WHERE institution_id = $1 AND starter_id = $2 ORDER BY checked_in_on, id";
    let rows: Vec<Row> = on_db!(db, pool => sqlx::query_as(sql).bind(institution).bind(starter).fetch_all(pool).await?);
    rows.into_iter().map(to_view).collect()
}

/// The day of a starter's latest check-in.
pub async fn last_checkin(
    db: &Db,
    institution: InstitutionId,
    starter: PersonId,
) -> Result<Option<NaiveDate>, StoreError> {
    let sql = "SELECT MAX(checked_in_on) FROM checkins WHERE institution_id = $1 AND starter_id = $2";
    Ok(on_db!(db, pool => sqlx::query_scalar(sql).bind(institution).bind(starter).fetch_one(pool).await?))
}

// ------------------------------------------------------------- talk requests

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalkRequest {
    pub id: i64,
    pub starter: PersonId,
    pub recipient: PersonId,
    pub to: TalkTo,
    pub asked_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    starter_id: i64,
    recipient_id: i64,
    recipient_role: TalkTo,
    created_at: DateTime<Utc>,
    answered_at: Option<DateTime<Utc>>,
}

const REQUEST_COLUMNS: &str = "id, starter_id, recipient_id, recipient_role, created_at, answered_at";

fn to_request(row: RequestRow) -> Result<TalkRequest, StoreError> {
    Ok(TalkRequest {
        id: row.id,
        starter: PersonId(row.starter_id),
        recipient: PersonId(row.recipient_id),
        to: row.recipient_role,
        asked_at: row.created_at,
        answered_at: row.answered_at,
    })
}

pub async fn create_request(
    tx: &mut Tx,
    institution: InstitutionId,
    starter: PersonId,
    checkin: i64,
    recipient: PersonId,
    to: TalkTo,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let sql = "INSERT INTO talk_requests (institution_id, starter_id, checkin_id, recipient_id, recipient_role, \
               created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(institution)
            .bind(starter)
            .bind(checkin)
            .bind(recipient)
            .bind(to.code())
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    }))
}

/// A starter's requests, newest first.
pub async fn requests_of_starter(
    db: &Db,
    institution: InstitutionId,
    starter: PersonId,
) -> Result<Vec<TalkRequest>, StoreError> {
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM talk_requests WHERE institution_id = $1 AND starter_id = $2 \
         ORDER BY created_at DESC, id DESC"
    );
    let rows: Vec<RequestRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(starter).fetch_all(pool).await?);
    rows.into_iter().map(to_request).collect()
}

/// The open requests addressed to `recipient`, oldest first.
pub async fn open_requests_for(
    db: &Db,
    institution: InstitutionId,
    recipient: PersonId,
) -> Result<Vec<TalkRequest>, StoreError> {
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM talk_requests WHERE institution_id = $1 AND recipient_id = $2 \
         AND answered_at IS NULL ORDER BY created_at, id"
    );
    let rows: Vec<RequestRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(recipient).fetch_all(pool).await?);
    rows.into_iter().map(to_request).collect()
}

pub async fn request(db: &Db, institution: InstitutionId, id: i64) -> Result<TalkRequest, StoreError> {
    let sql = format!("SELECT {REQUEST_COLUMNS} FROM talk_requests WHERE institution_id = $1 AND id = $2");
    let row: Option<RequestRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(id).fetch_optional(pool).await?);
    to_request(row.ok_or(StoreError::NotFound)?)
}

/// Mark every open request of `starter` to `recipient` answered; returns
/// how many were.
pub async fn answer_requests(
    tx: &mut Tx,
    starter: PersonId,
    recipient: PersonId,
    how: &str,
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let sql = "UPDATE talk_requests SET answered_at = $3, answered_how = $4 \
               WHERE starter_id = $1 AND recipient_id = $2 AND answered_at IS NULL";
    Ok(on_tx!(tx, conn => {
        sqlx::query(sql).bind(starter).bind(recipient).bind(at).bind(how).execute(&mut **conn).await?.rows_affected()
    }))
}
