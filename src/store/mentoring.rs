//! Mentor profiles, pairings, fit checks and conversation logs.
//!
//! Conversation content is read by separate queries from the content-free
//! facts, so that the paths serving team leaders and coordinators never
//! select a summary, a note or a reflection. The private note lives in its
//! own table and is read only together with its author's id.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::mentoring::{
    ActionOwner, Concern, ConversationInput, ConversationKind, ConversationStatus, FitAnswer, MentorProfile,
    PairingEndReason, PairingKind, TeamPreference, Topic,
};
use crate::domain::{InstitutionId, PersonId, Sector};

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn codes<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, StoreError> {
    raw.split(',')
        .filter(|c| !c.is_empty())
        .map(|c| parse(c).ok_or_else(|| corrupt(format!("unknown code {c}"))))
        .collect()
}

// ------------------------------------------------------------------- settings

pub async fn team_preference(db: &Db, institution: InstitutionId) -> Result<TeamPreference, StoreError> {
    let sql = "SELECT mentor_team_preference FROM institutions WHERE id = $1";
    let code: String = on_db!(db, pool => sqlx::query_scalar(sql).bind(institution).fetch_one(pool).await?);
    TeamPreference::from_code(&code).ok_or_else(|| corrupt(code))
}

pub async fn set_team_preference(
    tx: &mut Tx,
    institution: InstitutionId,
    preference: TeamPreference,
) -> Result<(), StoreError> {
    let sql = "UPDATE institutions SET mentor_team_preference = $2 WHERE id = $1";
    on_tx!(tx, conn => sqlx::query(sql).bind(institution).bind(preference.code()).execute(&mut **conn).await.map(|_| ())?);
    Ok(())
}

// ------------------------------------------------------------------- profiles

#[derive(sqlx::FromRow)]
struct ProfileRow {
    person_id: i64,
    capacity: i64,
    sectors: String,
    subjects: String,
    trained: bool,
    trained_on: Option<NaiveDate>,
    hours_per_week: i64,
    availability: String,
}

const PROFILE_COLUMNS: &str =
    "person_id, capacity, sectors, subjects, trained, trained_on, hours_per_week, availability";

fn to_profile(row: ProfileRow) -> Result<MentorProfile, StoreError> {
    Ok(MentorProfile {
        person: PersonId(row.person_id),
        capacity: u8::try_from(row.capacity).map_err(corrupt)?,
        sectors: codes(&row.sectors, Sector::from_code)?,
        subjects: row.subjects,
        trained: row.trained,
        trained_on: row.trained_on,
        hours_per_week: u8::try_from(row.hours_per_week).map_err(corrupt)?,
        availability: row.availability,
    })
}

pub async fn profiles(db: &Db, institution: InstitutionId) -> Result<Vec<MentorProfile>, StoreError> {
    let sql = format!("SELECT {PROFILE_COLUMNS} FROM mentor_profiles WHERE institution_id = $1");
    let rows: Vec<ProfileRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(institution).fetch_all(pool).await?);
    rows.into_iter().map(to_profile).collect()
}

pub async fn profile(
    db: &Db,
    institution: InstitutionId,
    person: PersonId,
) -> Result<Option<MentorProfile>, StoreError> {
    let sql = format!("SELECT {PROFILE_COLUMNS} FROM mentor_profiles WHERE institution_id = $1 AND person_id = $2");
    let row: Option<ProfileRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(person).fetch_optional(pool).await?);
    row.map(to_profile).transpose()
}

pub async fn save_profile(
    tx: &mut Tx,
    institution: InstitutionId,
    profile: &MentorProfile,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sectors: Vec<&str> = profile.sectors.iter().map(|s| s.code()).collect();
    let sql = "INSERT INTO mentor_profiles (person_id, institution_id, capacity, sectors, subjects, trained, \
               trained_on, hours_per_week, availability, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
               ON CONFLICT (person_id) DO UPDATE SET capacity = excluded.capacity, sectors = excluded.sectors, \
               subjects = excluded.subjects, trained = excluded.trained, trained_on = excluded.trained_on, \
               hours_per_week = excluded.hours_per_week, availability = excluded.availability, \
               updated_at = excluded.updated_at";
    on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(profile.person)
            .bind(institution)
            .bind(i64::from(profile.capacity))
            .bind(sectors.join(","))
            .bind(&profile.subjects)
            .bind(profile.trained)
            .bind(profile.trained_on)
            .bind(i64::from(profile.hours_per_week))
            .bind(&profile.availability)
            .bind(at)
            .execute(&mut **conn)
            .await
            .map(|_| ())?
    });
    Ok(())
}

// ------------------------------------------------------------------- pairings

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    pub id: i64,
    pub starter: PersonId,
    pub mentor: PersonId,
    pub kind: PairingKind,
    pub start: NaiveDate,
    pub end: Option<(NaiveDate, PairingEndReason)>,
    pub override_reason: Option<String>,
}

impl Pairing {
    pub fn is_open(&self) -> bool {
        self.end.is_none()
    }
}

#[derive(sqlx::FromRow)]
struct PairingRow {
    id: i64,
    starter_id: i64,
    mentor_id: i64,
    kind: PairingKind,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    end_reason: Option<PairingEndReason>,
    override_reason: Option<String>,
}

const PAIRING_COLUMNS: &str = "id, starter_id, mentor_id, kind, start_date, end_date, end_reason, override_reason";

fn to_pairing(row: PairingRow) -> Result<Pairing, StoreError> {
    Ok(Pairing {
        id: row.id,
        starter: PersonId(row.starter_id),
        mentor: PersonId(row.mentor_id),
        kind: row.kind,
        start: row.start_date,
        end: row.end_date.zip(row.end_reason),
        override_reason: row.override_reason,
    })
}

/// Every pairing of the institution, oldest first.
pub async fn pairings(db: &Db, institution: InstitutionId) -> Result<Vec<Pairing>, StoreError> {
    let sql = format!("SELECT {PAIRING_COLUMNS} FROM pairings WHERE institution_id = $1 ORDER BY start_date, id");
    let rows: Vec<PairingRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(institution).fetch_all(pool).await?);
    rows.into_iter().map(to_pairing).collect()
}

/// The open pairings of the institution, oldest first.
pub async fn open_pairings(db: &Db, institution: InstitutionId) -> Result<Vec<Pairing>, StoreError> {
    let sql = format!(
        "SELECT {PAIRING_COLUMNS} FROM pairings WHERE institution_id = $1 AND end_date IS NULL ORDER BY start_date, id"
    );
    let rows: Vec<PairingRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(institution).fetch_all(pool).await?);
    rows.into_iter().map(to_pairing).collect()
}

/// The pairings of one starter, oldest first.
pub async fn pairings_of_starter(
    db: &Db,
    institution: InstitutionId,
    starter: PersonId,
) -> Result<Vec<Pairing>, StoreError> {
    let sql = format!(
        "SELECT {PAIRING_COLUMNS} FROM pairings WHERE institution_id = $1 AND starter_id = $2 ORDER BY start_date, id"
    );
    let rows: Vec<PairingRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(starter).fetch_all(pool).await?);
    rows.into_iter().map(to_pairing).collect()
}

/// The open pairings in which `mentor` guides someone.
pub async fn open_pairings_of_mentor(
    db: &Db,
    institution: InstitutionId,
    mentor: PersonId,
) -> Result<Vec<Pairing>, StoreError> {
    let sql = format!(
        "SELECT {PAIRING_COLUMNS} FROM pairings WHERE institution_id = $1 AND mentor_id = $2 AND end_date IS NULL \
         ORDER BY start_date, id"
    );
    let rows: Vec<PairingRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(mentor).fetch_all(pool).await?);
    rows.into_iter().map(to_pairing).collect()
}

pub async fn pairing(db: &Db, institution: InstitutionId, id: i64) -> Result<Pairing, StoreError> {
    let sql = format!("SELECT {PAIRING_COLUMNS} FROM pairings WHERE institution_id = $1 AND id = $2");
    let row: Option<PairingRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(id).fetch_optional(pool).await?);
    to_pairing(row.ok_or(StoreError::NotFound)?)
}

/// Open pairings of a starter, read (and locked) inside the write that
/// changes them.
pub async fn open_pairings_of_starter_for_update(
    tx: &mut Tx,
    institution: InstitutionId,
    starter: PersonId,
) -> Result<Vec<Pairing>, StoreError> {
    let lock = super::dialect::for_update(tx);
    let sql = format!(
        "SELECT {PAIRING_COLUMNS} FROM pairings WHERE institution_id = $1 AND starter_id = $2 AND end_date IS NULL{lock}"
    );
    let rows: Vec<PairingRow> =
        on_tx!(tx, conn => sqlx::query_as(&sql).bind(institution).bind(starter).fetch_all(&mut **conn).await?);
    rows.into_iter().map(to_pairing).collect()
}

pub struct PairingForCreate<'a> {
    pub starter: PersonId,
    pub mentor: PersonId,
    pub kind: PairingKind,
    pub start: NaiveDate,
    pub score: Option<i32>,
    pub override_reason: Option<&'a str>,
    pub created_by: Option<PersonId>,
}

pub async fn create_pairing(
    tx: &mut Tx,
    institution: InstitutionId,
    new: &PairingForCreate<'_>,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let sql = "INSERT INTO pairings (institution_id, starter_id, mentor_id, kind, start_date, score, override_reason, \
               created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(institution)
            .bind(new.starter)
            .bind(new.mentor)
            .bind(new.kind.code())
            .bind(new.start)
            .bind(new.score.map(i64::from))
            .bind(new.override_reason)
            .bind(new.created_by)
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    }))
}

pub async fn end_pairing(tx: &mut Tx, id: i64, on: NaiveDate, reason: PairingEndReason) -> Result<(), StoreError> {
    let sql = "UPDATE pairings SET end_date = $2, end_reason = $3 WHERE id = $1 AND end_date IS NULL";
    on_tx!(tx, conn => sqlx::query(sql).bind(id).bind(on).bind(reason.code()).execute(&mut **conn).await.map(|_| ())?);
    Ok(())
}

// ----------------------------------------------------------------- fit checks

/// Every fit-check answer of the institution: (pairing, who, answer).
pub async fn fit_checks(db: &Db, institution: InstitutionId) -> Result<Vec<(i64, PersonId, FitAnswer)>, StoreError> {
    let sql = "SELECT f.pairing_id, f.person_id, f.answer FROM fit_checks f \
               JOIN pairings p ON p.id = f.pairing_id WHERE p.institution_id = $1";
    let rows: Vec<(i64, i64, String)> =
        on_db!(db, pool => sqlx::query_as(sql).bind(institution).fetch_all(pool).await?);
    to_fit_checks(rows)
}

fn to_fit_checks(rows: Vec<(i64, i64, String)>) -> Result<Vec<(i64, PersonId, FitAnswer)>, StoreError> {
    rows.into_iter()
        .map(|(pairing, person, answer)| {
            Ok((
                pairing,
                PersonId(person),
                FitAnswer::from_code(&answer).ok_or_else(|| corrupt(answer))?,
            ))
        })
        .collect()
}

/// The fit-check answers of the given pairings of the institution.
pub async fn fit_checks_of(
    db: &Db,
    institution: InstitutionId,
    pairings: &[i64],
) -> Result<Vec<(i64, PersonId, FitAnswer)>, StoreError> {
    if pairings.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64, String)> = on_db!(db, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT f.pairing_id, f.person_id, f.answer FROM fit_checks f \
             JOIN pairings p ON p.id = f.pairing_id WHERE p.institution_id = ",
        );
        query.push_bind(institution).push(" AND f.pairing_id IN (");
        let mut list = query.separated(", ");
        for id in pairings {
            list.push_bind(*id);
        }
        list.push_unseparated(")");
        query.build_query_as().fetch_all(pool).await?
    });
    to_fit_checks(rows)
}

pub async fn answer_fit(
    tx: &mut Tx,
    pairing: i64,
    person: PersonId,
    answer: FitAnswer,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO fit_checks (pairing_id, person_id, answer, answered_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (pairing_id, person_id) DO UPDATE SET answer = excluded.answer, \
               answered_at = excluded.answered_at";
    on_tx!(tx, conn => {
        sqlx::query(sql).bind(pairing).bind(person).bind(answer.code()).bind(at).execute(&mut **conn).await.map(|_| ())?
    });
    Ok(())
}

// -------------------------------------------------------------- conversations

/// A conversation without content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationFactsRow {
    pub id: i64,
    pub pairing: i64,
    pub starter: PersonId,
    pub mentor: PersonId,
    pub status: ConversationStatus,
    pub on: NaiveDate,
    pub duration_minutes: u16,
    pub kind: ConversationKind,
    pub concern: Option<Concern>,
    pub confirmed: bool,
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    id: i64,
    pairing_id: i64,
    starter_id: i64,
    mentor_id: i64,
    status: ConversationStatus,
    held_on: NaiveDate,
    duration_minutes: i64,
    kind: ConversationKind,
    concern: Option<Concern>,
    confirmed: bool,
}

const FACTS_COLUMNS: &str = "id, pairing_id, starter_id, mentor_id, status, held_on, duration_minutes, kind, concern, \
                             confirmed_at IS NOT NULL AS confirmed";

fn to_facts(row: FactsRow) -> Result<ConversationFactsRow, StoreError> {
    Ok(ConversationFactsRow {
        id: row.id,
        pairing: row.pairing_id,
        starter: PersonId(row.starter_id),
        mentor: PersonId(row.mentor_id),
        status: row.status,
        on: row.held_on,
        duration_minutes: u16::try_from(row.duration_minutes).map_err(corrupt)?,
        kind: row.kind,
        concern: row.concern,
        confirmed: row.confirmed,
    })
}

/// Content-free facts of every conversation of the institution.
pub async fn conversation_facts(db: &Db, institution: InstitutionId) -> Result<Vec<ConversationFactsRow>, StoreError> {
    let sql = format!("SELECT {FACTS_COLUMNS} FROM conversations WHERE institution_id = $1 ORDER BY held_on, id");
    let rows: Vec<FactsRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(institution).fetch_all(pool).await?);
    rows.into_iter().map(to_facts).collect()
}

/// Content-free facts of the conversations of everyone `mentor` guides now.
pub async fn conversation_facts_of_mentees(
    db: &Db,
    institution: InstitutionId,
    mentor: PersonId,
) -> Result<Vec<ConversationFactsRow>, StoreError> {
    // A join on the mentees, not `starter_id IN (..)`: with the IN form
    // SQLite walks every conversation of the institution in date order.
    let sql = format!(
        "SELECT {FACTS_COLUMNS} FROM conversations \
         JOIN (SELECT DISTINCT starter_id AS mentee FROM pairings \
               WHERE institution_id = $1 AND mentor_id = $2 AND end_date IS NULL) m ON m.mentee = starter_id \
         WHERE institution_id = $1 ORDER BY held_on, id"
    );
    let rows: Vec<FactsRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(mentor).fetch_all(pool).await?);
    rows.into_iter().map(to_facts).collect()
}

/// Content-free facts of one starter's conversations.
pub async fn conversation_facts_of(
    db: &Db,
    institution: InstitutionId,
    starter: PersonId,
) -> Result<Vec<ConversationFactsRow>, StoreError> {
    let sql = format!(
        "SELECT {FACTS_COLUMNS} FROM conversations WHERE institution_id = $1 AND starter_id = $2 ORDER BY held_on, id"
    );
    let rows: Vec<FactsRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(starter).fetch_all(pool).await?);
    rows.into_iter().map(to_facts).collect()
}

/// The shared content of a conversation (never the private note).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationContent {
    pub facts: ConversationFactsRow,
    pub topics: Vec<Topic>,
    pub tags: Vec<String>,
    pub summary: String,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub reflection: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ContentRow {
    #[sqlx(flatten)]
    facts: FactsRow,
    topics: String,
    tags: String,
    summary: String,
    confirmed_at: Option<DateTime<Utc>>,
    reflection: Option<String>,
}

/// Conversations of one starter with their shared content, newest first.
/// Callers must be the starter or a mentor of theirs, and audit the read.
pub async fn conversations_with_content(
    db: &Db,
    institution: InstitutionId,
    starter: PersonId,
) -> Result<Vec<ConversationContent>, StoreError> {
    let sql = format!(
        "SELECT {FACTS_COLUMNS}, topics, tags, summary, confirmed_at, reflection FROM conversations \
         WHERE institution_id = $1 AND starter_id = $2 ORDER BY held_on DESC, id DESC"
    );
    let rows: Vec<ContentRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(starter).fetch_all(pool).await?);
    rows.into_iter()
        .map(|content| {
            Ok(ConversationContent {
                facts: to_facts(content.facts)?,
                topics: codes(&content.topics, Topic::from_code)?,
                tags: content
                    .tags
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
                summary: content.summary,
                confirmed_at: content.confirmed_at,
                reflection: content.reflection,
            })
        })
        .collect()
}

/// One conversation's facts (for checks before a change).
pub async fn conversation(db: &Db, institution: InstitutionId, id: i64) -> Result<ConversationFactsRow, StoreError> {
    let sql = format!("SELECT {FACTS_COLUMNS} FROM conversations WHERE institution_id = $1 AND id = $2");
    let row: Option<FactsRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(id).fetch_optional(pool).await?);
    to_facts(row.ok_or(StoreError::NotFound)?)
}

/// What `mentor` wrote as a mentor: date, kind, summary and their own
/// private note, newest first, without naming the starter.
pub async fn written_by(
    db: &Db,
    institution: InstitutionId,
    mentor: PersonId,
) -> Result<Vec<crate::domain::personal_data::WrittenAsMentor>, StoreError> {
    let sql = "SELECT c.held_on, c.kind, c.summary, n.note FROM conversations c \
               LEFT JOIN conversation_notes n ON n.conversation_id = c.id AND n.author_id = $2 \
               WHERE c.institution_id = $1 AND c.mentor_id = $2 ORDER BY c.held_on DESC, c.id DESC";
    let rows: Vec<(NaiveDate, String, String, Option<String>)> =
        on_db!(db, pool => sqlx::query_as(sql).bind(institution).bind(mentor).fetch_all(pool).await?);
    rows.into_iter()
        .map(|(on, kind, summary, private_note)| {
            Ok(crate::domain::personal_data::WrittenAsMentor {
                on,
                kind: ConversationKind::from_code(&kind).ok_or_else(|| StoreError::Corrupt(kind.clone()))?,
                summary,
                private_note,
            })
        })
        .collect()
}

/// The private notes `author` wrote on conversations with `starter`:
/// (conversation, note). Nobody else's notes can be read.
pub async fn notes_of_author(db: &Db, author: PersonId, starter: PersonId) -> Result<Vec<(i64, String)>, StoreError> {
    let sql = "SELECT n.conversation_id, n.note FROM conversation_notes n \
               JOIN conversations c ON c.id = n.conversation_id \
               WHERE n.author_id = $1 AND c.starter_id = $2";
    Ok(on_db!(db, pool => sqlx::query_as(sql).bind(author).bind(starter).fetch_all(pool).await?))
}

pub struct Participants {
    pub institution: InstitutionId,
    pub pairing: i64,
    pub starter: PersonId,
    pub mentor: PersonId,
}

fn joined(values: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    values
        .into_iter()
        .map(|v| v.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join(",")
}

pub async fn create_conversation(
    tx: &mut Tx,
    who: &Participants,
    input: &ConversationInput,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let sql = "INSERT INTO conversations (institution_id, pairing_id, starter_id, mentor_id, status, held_on, \
               duration_minutes, kind, topics, tags, summary, concern, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id";
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(who.institution)
            .bind(who.pairing)
            .bind(who.starter)
            .bind(who.mentor)
            .bind(input.status.code())
            .bind(input.on)
            .bind(i64::from(input.duration_minutes))
            .bind(input.kind.code())
            .bind(joined(input.topics.iter().map(|t| t.code())))
            .bind(joined(&input.tags))
            .bind(&input.summary)
            .bind(input.concern.map(Concern::code))
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    });
    finish_write(tx, id, who.mentor, input, at).await?;
    Ok(id)
}

pub async fn update_conversation(
    tx: &mut Tx,
    id: i64,
    author: PersonId,
    input: &ConversationInput,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "UPDATE conversations SET status = $2, held_on = $3, duration_minutes = $4, kind = $5, topics = $6, \
               tags = $7, summary = $8, concern = $9, updated_at = $10 WHERE id = $1";
    on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(id)
            .bind(input.status.code())
            .bind(input.on)
            .bind(i64::from(input.duration_minutes))
            .bind(input.kind.code())
            .bind(joined(input.topics.iter().map(|t| t.code())))
            .bind(joined(&input.tags))
            .bind(&input.summary)
            .bind(input.concern.map(Concern::code))
            .bind(at)
            .execute(&mut **conn)
            .await
            .map(|_| ())?
    });
    finish_write(tx, id, author, input, at).await
}

/// The private note (replaced, or removed when empty) and the new actions.
async fn finish_write(
    tx: &mut Tx,
    id: i64,
    author: PersonId,
    input: &ConversationInput,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if input.note.is_empty() {
        let sql = "DELETE FROM conversation_notes WHERE conversation_id = $1 AND author_id = $2";
        on_tx!(tx, conn => sqlx::query(sql).bind(id).bind(author).execute(&mut **conn).await.map(|_| ())?);
    } else {
        let sql = "INSERT INTO conversation_notes (conversation_id, author_id, note, updated_at) \
                   VALUES ($1, $2, $3, $4) ON CONFLICT (conversation_id) DO UPDATE SET note = excluded.note, \
                   updated_at = excluded.updated_at WHERE conversation_notes.author_id = excluded.author_id";
        on_tx!(tx, conn => {
            sqlx::query(sql).bind(id).bind(author).bind(&input.note).bind(at).execute(&mut **conn).await.map(|_| ())?
        });
    }
    for action in &input.actions {
        let sql = "INSERT INTO conversation_actions (conversation_id, description, owner, due_on) \
                   VALUES ($1, $2, $3, $4)";
        on_tx!(tx, conn => {
            sqlx::query(sql)
                .bind(id)
                .bind(&action.description)
                .bind(action.owner.code())
                .bind(action.due_on)
                .execute(&mut **conn)
                .await
                .map(|_| ())?
        });
    }
    Ok(())
}

/// The starter confirms a held conversation, with an optional reflection.
pub async fn confirm(tx: &mut Tx, id: i64, reflection: Option<&str>, at: DateTime<Utc>) -> Result<(), StoreError> {
    let sql = "UPDATE conversations SET confirmed_at = COALESCE(confirmed_at, $2), reflection = $3 WHERE id = $1";
    on_tx!(tx, conn => sqlx::query(sql).bind(id).bind(at).bind(reflection).execute(&mut **conn).await.map(|_| ())?);
    Ok(())
}

// -------------------------------------------------------------------- actions

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRow {
    pub id: i64,
    pub conversation: i64,
    pub description: String,
    pub owner: ActionOwner,
    pub due_on: Option<NaiveDate>,
    pub done: bool,
}

#[derive(sqlx::FromRow)]
struct ActionDbRow {
    id: i64,
    conversation_id: i64,
    description: String,
    owner: String,
    due_on: Option<NaiveDate>,
    done: bool,
}

fn to_action(row: ActionDbRow) -> Result<ActionRow, StoreError> {
    Ok(ActionRow {
        id: row.id,
        conversation: row.conversation_id,
        description: row.description,
        owner: ActionOwner::from_code(&row.owner).ok_or_else(|| corrupt(row.owner))?,
        due_on: row.due_on,
        done: row.done,
    })
}

/// The actions agreed with one starter (content: same rules as summaries).
pub async fn actions_of_starter(
    db: &Db,
    institution: InstitutionId,
    starter: PersonId,
) -> Result<Vec<ActionRow>, StoreError> {
    let sql = "SELECT a.id, a.conversation_id, a.description, a.owner, a.due_on, a.done_at IS NOT NULL AS done \
               FROM conversation_actions a JOIN conversations c ON c.id = a.conversation_id \
               WHERE c.institution_id = $1 AND c.starter_id = $2 ORDER BY a.id";
    let rows: Vec<ActionDbRow> =
        on_db!(db, pool => sqlx::query_as(sql).bind(institution).bind(starter).fetch_all(pool).await?);
    rows.into_iter().map(to_action).collect()
}

/// Open actions per starter among a mentor's conversations ($1 the
/// institution, $2 the mentor): through `conversations_mentor_idx`.
pub(crate) const OPEN_ACTION_COUNTS_SQL: &str = "SELECT c.starter_id, COUNT(*) FROM conversation_actions a \
     JOIN conversations c ON c.id = a.conversation_id \
     WHERE c.institution_id = $1 AND c.mentor_id = $2 AND a.done_at IS NULL GROUP BY c.starter_id";

/// Open actions per starter among `mentor`'s conversations: (starter, count).
pub async fn open_action_counts(
    db: &Db,
    institution: InstitutionId,
    mentor: PersonId,
) -> Result<Vec<(PersonId, i64)>, StoreError> {
    let rows: Vec<(i64, i64)> = on_db!(db, pool => {
        sqlx::query_as(OPEN_ACTION_COUNTS_SQL).bind(institution).bind(mentor).fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(|(p, n)| (PersonId(p), n)).collect())
}

/// Which conversation an action belongs to.
pub async fn action_conversation(db: &Db, institution: InstitutionId, action: i64) -> Result<i64, StoreError> {
    let sql = "SELECT a.conversation_id FROM conversation_actions a \
               JOIN conversations c ON c.id = a.conversation_id WHERE c.institution_id = $1 AND a.id = $2";
    let id: Option<i64> =
        on_db!(db, pool => sqlx::query_scalar(sql).bind(institution).bind(action).fetch_optional(pool).await?);
    id.ok_or(StoreError::NotFound)
}

pub async fn set_action_done(
    tx: &mut Tx,
    action: i64,
    done: bool,
    by: PersonId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if done {
        let sql = "UPDATE conversation_actions SET done_at = COALESCE(done_at, $2), done_by = COALESCE(done_by, $3) \
                   WHERE id = $1";
        on_tx!(tx, conn => sqlx::query(sql).bind(action).bind(at).bind(by).execute(&mut **conn).await.map(|_| ())?);
    } else {
        let sql = "UPDATE conversation_actions SET done_at = NULL, done_by = NULL WHERE id = $1";
        on_tx!(tx, conn => sqlx::query(sql).bind(action).execute(&mut **conn).await.map(|_| ())?);
    }
    Ok(())
}
