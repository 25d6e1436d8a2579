//! Role checks. Deny by default: a service states which role it needs; a
//! refusal is written to the audit log (who, what) and answered `Forbidden`.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Ctx, ServiceError};
use crate::domain::{AuditAction, AuditEventForCreate, InstitutionId, Role};
use crate::store::{Db, audit};

/// Require one of `roles`; for institutional roles also an institution.
/// Returns the caller's institution (if any).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn require(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    roles: &[Role],
    what: &str,
) -> Result<Option<InstitutionId>, ServiceError> {
    if roles.iter().any(|role| ctx.has(*role)) {
        return Ok(ctx.institution);
    }
    record_denial(db, now, Some(ctx), what).await;
    Err(ServiceError::Forbidden)
}

/// Require a role held inside an institution, and return that institution.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn require_in_institution(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    roles: &[Role],
    what: &str,
) -> Result<InstitutionId, ServiceError> {
    match require(db, now, ctx, roles, what).await? {
        Some(institution) => Ok(institution),
        None => {
            record_denial(db, now, Some(ctx), what).await;
            Err(ServiceError::Forbidden)
        }
    }
}

/// Write an access-denied event: the first refusal of an actor and what
/// in a minute is a row in the audit log, repeats in the same minute are
/// only counted, so a client cannot grow the append-only log at will.
/// Failing to write it is logged, not fatal: the refusal stands either way.
#[tracing::instrument(skip_all)]
pub async fn record_denial(db: &Db, now: DateTime<Utc>, ctx: Option<&Ctx>, what: &str) {
    let key = match ctx {
        Some(ctx) => format!("person:{}|{what}", ctx.person.0),
        None => format!("anonymous|{what}"),
    };
    denial(db, now, ctx, &key, json!({ "what": what })).await;
}

/// A refused request of someone not logged in, from `client` (address):
/// aggregated per client and minute, whatever path it asked for.
#[tracing::instrument(skip_all)]
pub async fn record_anonymous_denial(db: &Db, now: DateTime<Utc>, client: &str, path: &str) {
    let client: String = client.chars().take(64).collect();
    let path: String = path.chars().take(200).collect();
    let key = format!("client:{client}|anonymous");
    denial(db, now, None, &key, json!({ "what": format!("anonymous {path}") })).await;
}

async fn denial(db: &Db, now: DateTime<Utc>, ctx: Option<&Ctx>, key: &str, details: serde_json::Value) {
    let minute = now.format("%Y-%m-%dT%H:%M").to_string();
    let prune_before = (now - chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M").to_string();
    let event = AuditEventForCreate {
        occurred_at: now,
        actor: ctx.map(|c| c.person),
        institution: ctx.and_then(|c| c.institution),
        subject: None,
        action: AuditAction::AccessDenied,
        details,
    };
    let result = async {
        let mut tx = db.begin_write().await?;
        if audit::count_denial(&mut tx, key, &minute, &prune_before).await? == 1 {
            audit::append(&mut tx, &event).await?;
        }
        tx.commit().await
    }
    .await;
    if let Err(err) = result {
        tracing::error!(error = %err, key, "could not record an access denial");
    }
}
