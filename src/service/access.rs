//! Role checks. Deny by default: a service states which role it needs; a
//! refusal is written to the audit log (who, what) and answered `Forbidden`.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Ctx, ServiceError};
use crate::domain::{AuditAction, AuditEventForCreate, InstitutionId, Role};
use crate::store::{Db, audit};

/// Require one of `roles`; for institutional roles also an institution.
/// Returns the caller's institution (if any).
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

/// Write an access-denied event. Failing to write it is logged, not fatal:
/// the refusal itself stands either way.
pub async fn record_denial(db: &Db, now: DateTime<Utc>, ctx: Option<&Ctx>, what: &str) {
    let event = AuditEventForCreate {
        occurred_at: now,
        actor: ctx.map(|c| c.person),
        institution: ctx.and_then(|c| c.institution),
        subject: None,
        action: AuditAction::AccessDenied,
        details: json!({ "what": what }),
    };
    let result = async {
        let mut tx = db.begin_write().await?;
        audit::append(&mut tx, &event).await?;
        tx.commit().await
    }
    .await;
    if let Err(err) = result {
        tracing::error!(error = %err, what, "could not record an access denial");
    }
}
