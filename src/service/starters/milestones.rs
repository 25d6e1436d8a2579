//! Milestones: marking one done, skipping it, opening it again.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{may_update_milestone, optional_text};
use crate::domain::time::parse_date;
use crate::domain::trajectory::MilestoneProgress;
use crate::domain::{AuditAction, FieldErrors, FieldProblem, MilestoneId, Role};
use crate::service::{Ctx, ServiceError, access};
use crate::store::Db;
use crate::store::trajectories::{self as store};

use crate::domain::time::today;

use super::read::{Scope, facts};

/// What to do with a milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MilestoneChange {
    Done { on: String, note: String },
    Skip { reason: String },
    Reopen,
}

/// Mark a milestone done, skipped or open again.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn update_milestone(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    id: MilestoneId,
    change: MilestoneChange,
) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(
        db,
        now,
        ctx,
        &[Role::Coordinator, Role::TeamLeader, Role::Starter],
        "starters.update_milestone",
    )
    .await?;
    let milestone = store::milestone(db, institution, id).await?;
    let person = store::person_of_trajectory(db, institution, milestone.trajectory).await?;
    let facts = facts(db, institution, store::Whose::Person(person)).await?;
    let employment = facts
        .trajectories
        .values()
        .find(|t| t.id == milestone.trajectory)
        .and_then(|t| facts.employments.iter().find(|e| e.id == t.employment))
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    let team = facts.current_terms(&employment, today(now)).and_then(|t| t.team);
    let scope = Scope::of(ctx).ok_or(ServiceError::Forbidden)?;
    if !scope.admits(employment.person, team) {
        access::record_denial(db, now, Some(ctx), "starters.update_milestone").await;
        return Err(ServiceError::NotFound);
    }
    if !may_update_milestone(ctx, milestone.copy.owner) {
        access::record_denial(db, now, Some(ctx), "starters.update_milestone").await;
        return Err(ServiceError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let progress = match &change {
        MilestoneChange::Done { on, note } => {
            let on = if on.trim().is_empty() {
                Some(today(now))
            } else {
                errors.check("on", parse_date(on))
            };
            if let Some(day) = on
                && day > today(now)
            {
                errors.add("on", FieldProblem::Format);
            }
            let note = optional_text(&mut errors, "note", note);
            on.map(|on| MilestoneProgress::Done { on, by: None, note })
        }
        MilestoneChange::Skip { reason } => {
            let reason = optional_text(&mut errors, "reason", reason);
            if reason.is_none() && errors.is_empty() {
                errors.add("reason", FieldProblem::Required);
            }
            reason.map(|reason| MilestoneProgress::Skipped { reason })
        }
        MilestoneChange::Reopen => Some(MilestoneProgress::Open),
    };
    let Some(progress) = progress.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let mut tx = db.begin_write().await?;
    store::set_progress(&mut tx, institution, id, &progress, Some(ctx.person)).await?;
    let state = match progress {
        MilestoneProgress::Open => "open",
        MilestoneProgress::Done { .. } => "done",
        MilestoneProgress::Skipped { .. } => "skipped",
    };
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(employment.person),
        AuditAction::MilestoneUpdated,
        json!({ "milestone": id.0, "state": state }),
    )
    .await?;
    tx.commit().await?;
    crate::service::signals::refresh(db, now, institution, employment.person).await;
    Ok(())
}
