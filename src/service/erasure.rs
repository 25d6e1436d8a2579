//! Retention periods and erasure (AVG art. 5(1)(e), 17). Each institution
//! sets how many months after a person's induction ends their free text
//! and contact details are kept; a daily job erases them and pseudonymises
//! the person, while the anonymous facts behind every retention figure
//! stay. Erasure on a person's request uses the same steps.

use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{Ctx, ServiceError, access, record};
use crate::domain::erasure::{
    AUDIT_RETENTION_MONTHS, Erased, ErasureCause, UPLOAD_RETENTION_DAYS, parse_months, pseudonym,
};
use crate::domain::time::today;
use crate::domain::{AuditAction, FieldProblem, InstitutionId, PersonId, Role};
use crate::store::{self, Db, erasure as store_erasure};

/// The retention period as the coordinator sees and sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionSetting {
    pub months: u16,
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn setting(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<RetentionSetting, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "erasure.setting").await?;
    Ok(RetentionSetting {
        months: store_erasure::retention_months(db, institution).await?,
    })
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn set_retention(db: &Db, now: DateTime<Utc>, ctx: &Ctx, raw: &str) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "erasure.set").await?;
    let months = parse_months(raw).ok_or_else(|| ServiceError::field("months", FieldProblem::Format))?;
    let mut tx = db.begin_write().await?;
    store_erasure::set_retention_months(&mut tx, institution, months).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::RetentionPeriodChanged,
        json!({ "months": months }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Erase a person of the institution on their request. `confirm_name`
/// must be their name as shown, so a slip of the finger erases nobody.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn erase_on_request(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    confirm_name: &str,
) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "erasure.request").await?;
    let who = store::people::get_in_institution(db, institution, person).await?;
    if person == ctx.person {
        return Err(ServiceError::Forbidden);
    }
    if who.full_name.as_str().trim() != confirm_name.trim() {
        return Err(ServiceError::field("confirm_name", FieldProblem::ConfirmationDiffers));
    }
    erase_person(db, now, Some(ctx.person), institution, person, ErasureCause::Request).await?;
    Ok(())
}

/// What the daily run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErasureReport {
    /// People whose free text was erased (some of it, or all).
    pub erased: usize,
    /// People pseudonymised.
    pub pseudonymised: usize,
    /// Audit events past the audit log's retention period, deleted.
    pub audit_events_deleted: u64,
    /// Uploaded HR files past their retention period, deleted.
    pub uploads_deleted: u64,
}

/// The daily job: everyone whose retention period ran out. Running it twice
/// changes nothing the second time. After restoring an older backup, run it
/// before serving (`houvast erase`).
#[tracing::instrument(skip_all)]
pub async fn daily(db: &Db, now: DateTime<Utc>) -> Result<ErasureReport, ServiceError> {
    let mut report = ErasureReport::default();
    for institution in store::institutions::list(db).await? {
        let months = store_erasure::retention_months(db, institution.id).await?;
        let Some(ended_by) = today(now).checked_sub_months(Months::new(u32::from(months))) else {
            continue;
        };
        for person in store_erasure::induction_ended_by(db, institution.id, ended_by).await? {
            let (changed, pseudonymised) =
                erase_person(db, now, None, institution.id, person, ErasureCause::RetentionPeriod).await?;
            report.erased += usize::from(changed);
            report.pseudonymised += usize::from(pseudonymised);
        }
    }
    if let Some(before) = now.checked_sub_months(Months::new(u32::from(AUDIT_RETENTION_MONTHS))) {
        report.audit_events_deleted = store::audit::prune(db, before).await?;
    }
    let uploads_before = now - chrono::Duration::days(i64::from(UPLOAD_RETENTION_DAYS));
    report.uploads_deleted = store::uploads::prune(db, uploads_before).await?;
    Ok(report)
}

/// Erase every kind of [`Erased`] data of `person`, and pseudonymise them
/// unless the retention period ran out while they still hold another role
/// (a starter who became a mentor keeps their name and account; their
/// induction's free text goes). Returns (anything erased, pseudonymised).
async fn erase_person(
    db: &Db,
    now: DateTime<Utc>,
    actor: Option<PersonId>,
    institution: InstitutionId,
    person: PersonId,
    cause: ErasureCause,
) -> Result<(bool, bool), ServiceError> {
    let other_roles = store::memberships::active_for_person(db, person)
        .await?
        .iter()
        .any(|m| m.role != Role::Starter);
    let pseudonymise = cause == ErasureCause::Request || !other_roles;
    let numbers: Vec<String> = store::trajectories::employments_of(db, institution, person)
        .await?
        .into_iter()
        .map(|e| e.employee_number)
        .collect();
    let mut tx = db.begin_write().await?;
    let mut changed = 0;
    for kind in Erased::ALL {
        changed += store_erasure::erase(&mut tx, institution, person, *kind).await?;
    }
    if pseudonymise {
        let salt = store_erasure::salt(&mut tx, institution).await?;
        let hash = numbers.first().map(|n| number_hash(&salt, n));
        store_erasure::pseudonymise(
            &mut tx,
            institution,
            person,
            &pseudonym(person),
            hash.as_deref(),
            cause == ErasureCause::Request,
            now,
        )
        .await?;
        // One mark per further number, should the person have had several.
        for number in numbers.iter().skip(1) {
            store_erasure::mark(&mut tx, institution, &number_hash(&salt, number), now).await?;
        }
    }
    if changed == 0 && !pseudonymise {
        return Ok((false, false));
    }
    // The row says that and why, never what was erased.
    record(
        &mut tx,
        now,
        actor,
        Some(institution),
        Some(person),
        AuditAction::PersonErased,
        json!({ "cause": cause, "pseudonymised": pseudonymise }),
    )
    .await?;
    tx.commit().await?;
    Ok((changed > 0, pseudonymise))
}

/// The salted hash that marks an erased employee number.
fn number_hash(salt: &str, number: &str) -> String {
    let digest = Sha256::digest(format!("{salt}:{}", number.trim()).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hashes of erased employee numbers of the institution, with the salt
/// to hash a number for comparison (`None` before the first erasure).
pub(crate) async fn erased_numbers(
    db: &Db,
    institution: InstitutionId,
) -> Result<Option<(String, std::collections::HashSet<String>)>, ServiceError> {
    let Some(salt) = store_erasure::existing_salt(db, institution).await? else {
        return Ok(None);
    };
    let hashes = store_erasure::number_hashes(db, institution)
        .await?
        .into_iter()
        .collect();
    Ok(Some((salt, hashes)))
}

/// Whether `number` belonged to someone erased, given [`erased_numbers`].
pub(crate) fn was_erased(erased: &Option<(String, std::collections::HashSet<String>)>, number: &str) -> bool {
    erased
        .as_ref()
        .is_some_and(|(salt, hashes)| hashes.contains(&number_hash(salt, number)))
}

#[cfg(test)]
mod tests;
