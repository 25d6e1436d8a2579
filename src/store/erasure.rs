//! Erasure: one person's free text and contact details go, the anonymous
//! facts the retention figures need stay. Every statement only touches
//! what is not erased yet, so running it again changes nothing.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::erasure::Erased;
use crate::domain::{InstitutionId, PersonId};

/// The institution's retention period in months.
pub async fn retention_months(db: &Db, institution: InstitutionId) -> Result<u16, StoreError> {
    let months: i64 = on_db!(db, pool => sqlx::query_scalar("SELECT retention_months FROM institutions WHERE id = $1")
        .bind(institution)
        .fetch_one(pool)
        .await?);
    u16::try_from(months).map_err(|_| StoreError::Corrupt(months.to_string()))
}

pub async fn set_retention_months(tx: &mut Tx, institution: InstitutionId, months: u16) -> Result<(), StoreError> {
    on_tx!(tx, conn => { sqlx::query("UPDATE institutions SET retention_months = $1 WHERE id = $2")
        .bind(i64::from(months))
        .bind(institution)
        .execute(&mut **conn)
        .await?; });
    Ok(())
}

/// People of the institution whose induction ended (every employment ended
/// or its trajectory completed) on or before `ended_by`, not pseudonymised
/// yet.
pub async fn induction_ended_by(
    db: &Db,
    institution: InstitutionId,
    ended_by: NaiveDate,
) -> Result<Vec<PersonId>, StoreError> {
    let sql = "SELECT e.person_id FROM employments e \
               LEFT JOIN trajectories t ON t.employment_id = e.id \
               JOIN people p ON p.id = e.person_id \
               WHERE e.institution_id = $1 AND p.erased_at IS NULL \
               GROUP BY e.person_id \
               HAVING SUM(CASE WHEN e.end_date IS NULL AND t.completed_on IS NULL THEN 1 ELSE 0 END) = 0 \
                  AND MAX(COALESCE(e.end_date, t.completed_on)) <= $2 \
               ORDER BY e.person_id";
    Ok(on_db!(db, pool => sqlx::query_scalar(sql).bind(institution).bind(ended_by).fetch_all(pool).await?))
}

/// The institution's salt for employee-number hashes, made on first use.
pub async fn salt(tx: &mut Tx, institution: InstitutionId) -> Result<String, StoreError> {
    let found: Option<String> = on_tx!(tx, conn => sqlx::query_scalar("SELECT erasure_salt FROM institutions WHERE id = $1")
        .bind(institution)
        .fetch_one(&mut **conn)
        .await?);
    if let Some(salt) = found {
        return Ok(salt);
    }
    let salt = uuid::Uuid::new_v4().simple().to_string();
    on_tx!(tx, conn => { sqlx::query("UPDATE institutions SET erasure_salt = $1 WHERE id = $2 AND erasure_salt IS NULL")
        .bind(&salt)
        .bind(institution)
        .execute(&mut **conn)
        .await?; });
    Ok(salt)
}

/// The hashes of the institution's erased employee numbers.
pub async fn number_hashes(db: &Db, institution: InstitutionId) -> Result<Vec<String>, StoreError> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT number_hash FROM erasures WHERE institution_id = $1 AND number_hash IS NOT NULL",
    )
    .bind(institution)
    .fetch_all(pool)
    .await?))
}

/// Mark one more erased employee number of an erasure already recorded.
pub async fn mark(
    tx: &mut Tx,
    institution: InstitutionId,
    number_hash: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => { sqlx::query(
        "INSERT INTO erasures (institution_id, number_hash, erased_at, on_request) VALUES ($1, $2, $3, $4)",
    )
    .bind(institution)
    .bind(number_hash)
    .bind(at)
    .bind(false)
    .execute(&mut **conn)
    .await?; });
    Ok(())
}

/// The institution's salt if it has one (no erasure yet: none).
pub async fn existing_salt(db: &Db, institution: InstitutionId) -> Result<Option<String>, StoreError> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar("SELECT erasure_salt FROM institutions WHERE id = $1")
        .bind(institution)
        .fetch_one(pool)
        .await?),
    )
}

/// Erase what `kind` covers for `person` as a starter of the institution.
/// Returns how many rows changed.
pub async fn erase(tx: &mut Tx, institution: InstitutionId, person: PersonId, kind: Erased) -> Result<u64, StoreError> {
    const OF_CONVERSATIONS: &str = "SELECT id FROM conversations WHERE institution_id = $1 AND starter_id = $2";
    const OF_TRAJECTORIES: &str = "SELECT t.id FROM trajectories t JOIN employments e ON e.id = t.employment_id \
                                   WHERE e.institution_id = $1 AND e.person_id = $2";
    const OF_ALERTS: &str = "SELECT id FROM alerts WHERE institution_id = $1 AND starter_id = $2";
    let statements: Vec<String> = match kind {
        Erased::ConversationContent => vec![
            "UPDATE conversations SET summary = '', tags = '', reflection = NULL \
             WHERE institution_id = $1 AND starter_id = $2 AND (summary <> '' OR tags <> '' OR reflection IS NOT NULL)"
                .to_owned(),
            format!(
                "UPDATE conversation_actions SET description = '' WHERE description <> '' AND conversation_id IN ({OF_CONVERSATIONS})"
            ),
        ],
        Erased::PrivateNotes => vec![format!(
            "DELETE FROM conversation_notes WHERE conversation_id IN ({OF_CONVERSATIONS})"
        )],
        Erased::CheckInTexts => vec![
            "UPDATE checkins SET comment = NULL WHERE institution_id = $1 AND starter_id = $2 AND comment IS NOT NULL"
                .to_owned(),
        ],
        Erased::FreeTextNotes => vec![
            format!(
                // A skipped milestone keeps an (empty) reason: the state needs one.
                "UPDATE trajectory_milestones SET note = NULL, \
                 skip_reason = CASE WHEN skip_reason IS NULL THEN NULL ELSE '' END \
                 WHERE (note IS NOT NULL OR skip_reason <> '') AND trajectory_id IN ({OF_TRAJECTORIES})"
            ),
            format!("UPDATE goals SET title = '' WHERE title <> '' AND trajectory_id IN ({OF_TRAJECTORIES})"),
            "UPDATE employments SET leave_destination = NULL \
             WHERE institution_id = $1 AND person_id = $2 AND leave_destination IS NOT NULL"
                .to_owned(),
            "UPDATE pairings SET override_reason = NULL \
             WHERE institution_id = $1 AND starter_id = $2 AND override_reason IS NOT NULL"
                .to_owned(),
            "UPDATE alerts SET acknowledge_note = NULL \
             WHERE institution_id = $1 AND starter_id = $2 AND acknowledge_note IS NOT NULL"
                .to_owned(),
            format!("UPDATE alert_events SET note = NULL WHERE note IS NOT NULL AND alert_id IN ({OF_ALERTS})"),
        ],
        // Contact details go with the pseudonym: see `pseudonymise`.
        Erased::ContactDetails => Vec::new(),
    };
    let mut changed = 0;
    for sql in statements {
        changed += on_tx!(tx, conn => sqlx::query(&sql)
            .bind(institution)
            .bind(person)
            .execute(&mut **conn)
            .await?
            .rows_affected());
    }
    Ok(changed)
}

/// Replace name, e-mail address (in the search and sort keys as well) and
/// employee numbers by a pseudonym, close the account (its sessions end
/// with the password hash), drop its links and notifications, and mark the
/// erasure with the number's hash.
#[allow(clippy::too_many_arguments)]
pub async fn pseudonymise(
    tx: &mut Tx,
    institution: InstitutionId,
    person: PersonId,
    pseudonym: &str,
    number_hash: Option<&str>,
    on_request: bool,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => { sqlx::query(
        "UPDATE people SET full_name = $1, email = NULL, employee_number = NULL, erased_at = $2, \
         search_key = $4, name_key = $5 WHERE id = $3",
    )
    .bind(pseudonym)
    .bind(at)
    .bind(person)
    .bind(crate::domain::search_key(&[pseudonym, ""]))
    .bind(super::people::name_key(pseudonym))
    .execute(&mut **conn)
    .await?; });
    // Employee numbers are unique per institution: each becomes its own
    // meaningless value.
    on_tx!(tx, conn => { sqlx::query(
        "UPDATE employments SET employee_number = 'erased-' || CAST(id AS TEXT) WHERE institution_id = $1 AND person_id = $2",
    )
    .bind(institution)
    .bind(person)
    .execute(&mut **conn)
    .await?; });
    on_tx!(tx, conn => { sqlx::query(
        "UPDATE accounts SET password_hash = NULL, deactivated_at = COALESCE(deactivated_at, $1) WHERE person_id = $2",
    )
    .bind(at)
    .bind(person)
    .execute(&mut **conn)
    .await?; });
    for sql in [
        "DELETE FROM account_tokens WHERE person_id = $1",
        "DELETE FROM notifications WHERE person_id = $1",
        "DELETE FROM login_devices WHERE person_id = $1",
        // The school account's subject identifies the person at the school.
        "DELETE FROM school_identities WHERE person_id = $1",
    ] {
        on_tx!(tx, conn => { sqlx::query(sql).bind(person).execute(&mut **conn).await?; });
    }
    on_tx!(tx, conn => { sqlx::query(
        "INSERT INTO erasures (institution_id, number_hash, erased_at, on_request) VALUES ($1, $2, $3, $4)",
    )
    .bind(institution)
    .bind(number_hash)
    .bind(at)
    .bind(on_request)
    .execute(&mut **conn)
    .await?; });
    Ok(())
}
