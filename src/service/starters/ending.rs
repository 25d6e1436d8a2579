//! Leaving and completion: recording them and correcting them.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::optional_text;
use crate::domain::time::parse_date;
use crate::domain::trajectory::LeaveReason;
use crate::domain::{AuditAction, FieldErrors, FieldProblem, PersonId, Role};
use crate::service::{Ctx, ServiceError, access};
use crate::store::Db;
use crate::store::trajectories::{self as store, Ending};

use super::read::visible_employment;

/// Record that a starter left (or correct how), coordinator only.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn record_leaving(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    on: &str,
    reason: &str,
    destination: &str,
) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.leave").await?;
    let (_, _, employment) = visible_employment(db, now, ctx, person, "starters.leave").await?;
    let mut errors = FieldErrors::new();
    let on = errors.check("on", parse_date(on));
    if let Some(day) = on
        && day < employment.start
    {
        errors.add("on", FieldProblem::BeforeStart);
    }
    let reason = errors.check(
        "reason",
        LeaveReason::from_code(reason).ok_or(FieldProblem::UnknownChoice),
    );
    let destination = optional_text(&mut errors, "destination", destination);
    let (Some(on), Some(reason)) = (on, reason) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let ending = Ending {
        on,
        reason,
        destination,
    };
    let action = if employment.ending.is_some() {
        AuditAction::EmploymentEndingCorrected
    } else {
        AuditAction::EmploymentEnded
    };
    let mut tx = db.begin_write().await?;
    store::set_ending(&mut tx, institution, employment.id, Some(&ending)).await?;
    let before = employment
        .ending
        .as_ref()
        .map(|e| json!({ "on": e.on, "reason": e.reason.code() }));
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        action,
        json!({ "employment": employment.id.0, "on": on, "reason": reason.code(), "before": before }),
    )
    .await?;
    tx.commit().await?;
    crate::service::signals::refresh(db, now, institution, person).await;
    Ok(())
}

/// Undo a recorded leaving (a correction), coordinator only.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn undo_leaving(db: &Db, now: DateTime<Utc>, ctx: &Ctx, person: PersonId) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.leave").await?;
    let (_, _, employment) = visible_employment(db, now, ctx, person, "starters.leave").await?;
    let Some(before) = employment.ending else {
        return Ok(());
    };
    let mut tx = db.begin_write().await?;
    store::set_ending(&mut tx, institution, employment.id, None).await?;
    ctx.audit(&mut tx, now, institution, Some(person), AuditAction::EmploymentEndingCorrected, json!({ "employment": employment.id.0, "on": null, "before": { "on": before.on, "reason": before.reason.code() } }))
    .await?;
    tx.commit().await?;
    crate::service::signals::refresh(db, now, institution, person).await;
    Ok(())
}

/// Record that the induction trajectory was completed on a date (empty:
/// undo it), coordinator only. Separate from leaving.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn record_completion(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    on: &str,
) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.complete").await?;
    let (_, facts, employment) = visible_employment(db, now, ctx, person, "starters.complete").await?;
    let trajectory = facts.trajectories.get(&employment.id.0).ok_or(ServiceError::NotFound)?;
    let on = if on.trim().is_empty() {
        None
    } else {
        let day = parse_date(on).map_err(|p| ServiceError::field("on", p))?;
        if day < trajectory.started_on {
            return Err(ServiceError::field("on", FieldProblem::BeforeStart));
        }
        Some(day)
    };
    let action = if trajectory.completed_on.is_some() {
        AuditAction::TrajectoryCompletionCorrected
    } else {
        AuditAction::TrajectoryCompleted
    };
    let mut tx = db.begin_write().await?;
    store::set_completed(&mut tx, institution, trajectory.id, on).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        action,
        json!({ "trajectory": trajectory.id.0, "on": on, "before": trajectory.completed_on }),
    )
    .await?;
    tx.commit().await?;
    crate::service::signals::refresh(db, now, institution, person).await;
    Ok(())
}
