//! Personal goals and their progress.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::may_edit_goals;
use crate::domain::trajectory::{CompetenceDomain, GOAL_TITLE_MAX};
use crate::domain::{AuditAction, FieldErrors, FieldProblem, PersonId};
use crate::service::{Ctx, ServiceError, access};
use crate::store::Db;
use crate::store::trajectories::{self as store};

use super::read::visible_employment;

/// Add a personal goal to a trajectory (the starter, or a coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn add_goal(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    title: &str,
    domain: &str,
) -> Result<i64, ServiceError> {
    let (institution, facts, employment) = visible_employment(db, now, ctx, person, "starters.add_goal").await?;
    if !may_edit_goals(ctx, person) {
        access::record_denial(db, now, Some(ctx), "starters.add_goal").await;
        return Err(ServiceError::Forbidden);
    }
    let trajectory = facts.trajectories.get(&employment.id.0).ok_or(ServiceError::NotFound)?;
    let mut errors = FieldErrors::new();
    let title = crate::service::required_text(&mut errors, "title", title, GOAL_TITLE_MAX);
    let domain = match domain.trim() {
        "" => None,
        code => errors.check(
            "domain",
            CompetenceDomain::from_code(code).ok_or(FieldProblem::UnknownChoice),
        ),
    };
    let Some(title) = title.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let mut tx = db.begin_write().await?;
    let id = store::create_goal(&mut tx, trajectory.id, &title, domain, ctx.person, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        AuditAction::GoalUpdated,
        json!({ "goal": id, "created": true }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Record a goal's progress: 0, 25, 50, 75 or 100 percent.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn set_goal_progress(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    goal: i64,
    progress: u8,
) -> Result<(), ServiceError> {
    let (institution, facts, employment) = visible_employment(db, now, ctx, person, "starters.goal").await?;
    if !may_edit_goals(ctx, person) {
        access::record_denial(db, now, Some(ctx), "starters.goal").await;
        return Err(ServiceError::Forbidden);
    }
    if !matches!(progress, 0 | 25 | 50 | 75 | 100) {
        return Err(ServiceError::field("progress", FieldProblem::UnknownChoice));
    }
    let trajectory = facts.trajectories.get(&employment.id.0).ok_or(ServiceError::NotFound)?;
    if store::goal_trajectory(db, institution, goal).await? != trajectory.id {
        return Err(ServiceError::NotFound);
    }
    let mut tx = db.begin_write().await?;
    store::set_goal_progress(&mut tx, trajectory.id, goal, progress, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        AuditAction::GoalUpdated,
        json!({ "goal": goal, "progress": progress }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
