//! One's own account: who am I, my name, my language.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Ctx, ServiceError};
use crate::domain::{AuditAction, Language, Name, Viewer};
use crate::store::{Db, accounts, people};

pub fn viewer(ctx: &Ctx) -> Viewer {
    ctx.viewer()
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn rename(db: &Db, now: DateTime<Utc>, ctx: &Ctx, full_name: &str) -> Result<(), ServiceError> {
    let name = Name::parse(full_name).map_err(|e| ServiceError::field("full_name", e.into()))?;
    let mut tx = db.begin_write().await?;
    people::rename(&mut tx, ctx.person, &name).await?;
    ctx.audit(
        &mut tx,
        now,
        ctx.institution,
        Some(ctx.person),
        AuditAction::NameChanged,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn set_language(db: &Db, now: DateTime<Utc>, ctx: &Ctx, language: Language) -> Result<(), ServiceError> {
    if language == ctx.language {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    accounts::set_language(&mut tx, ctx.person, language).await?;
    let details = json!({ "language": language.code() });
    ctx.audit(
        &mut tx,
        now,
        ctx.institution,
        Some(ctx.person),
        AuditAction::LanguageChanged,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
