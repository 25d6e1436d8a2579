//! Uploaded files: keeping one for checking, showing it with its report, confirming it, and the latest ones.

use chrono::{DateTime, Utc};

use crate::domain::import::{UploadSummary, UploadView};
use crate::domain::{FieldProblem, Role};
use crate::service::{Ctx, ServiceError, access};
use crate::store::{Db, uploads};

use super::Actor;
use super::run::{run, run_upload};

/// Largest accepted HR file.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// Longest kept file name.
pub(super) const FILE_NAME_MAX: usize = 200;

/// Keep an uploaded file for checking and confirmation (coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn upload(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    file_name: &str,
    bytes: &[u8],
) -> Result<i64, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "import.upload").await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ServiceError::field("file", FieldProblem::Required));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ServiceError::field(
            "file",
            FieldProblem::TooLarge {
                max_bytes: MAX_FILE_BYTES as u64,
            },
        ));
    }
    let name: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(FILE_NAME_MAX)
        .collect();
    let name = if name.trim().is_empty() {
        "import.csv".to_owned()
    } else {
        name
    };
    let mut tx = db.begin_write().await?;
    let id = uploads::create(&mut tx, institution, ctx.person, &name, bytes, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// An upload with its report: the stored one when applied, otherwise a
/// fresh dry run against the institution as it is now.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn view(db: &Db, now: DateTime<Utc>, ctx: &Ctx, id: i64) -> Result<UploadView, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "import.view").await?;
    let (upload, content) = uploads::get(db, institution, id).await?;
    let report = match &upload.result {
        Some(json) => serde_json::from_str(json)
            .map_err(|e| ServiceError::Internal(crate::store::StoreError::Corrupt(e.to_string())))?,
        None => run(db, now, Actor::Person(ctx), institution, &content, false).await?,
    };
    Ok(UploadView {
        id: upload.id,
        file_name: upload.file_name,
        uploaded_at: upload.created_at,
        applied_at: upload.applied_at,
        report,
    })
}

/// Apply a checked upload (coordinator). Applying twice writes once.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn confirm(db: &Db, now: DateTime<Utc>, ctx: &Ctx, id: i64) -> Result<UploadView, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "import.confirm").await?;
    let (upload, content) = uploads::get(db, institution, id).await?;
    if upload.applied_at.is_none() {
        match run_upload(db, now, Actor::Person(ctx), institution, &content, true, Some(id)).await {
            Ok(_) | Err(ServiceError::AlreadyDone) => {}
            Err(err) => return Err(err),
        }
    }
    view(db, now, ctx, id).await
}

/// The institution's latest uploads, newest first (coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn recent(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Vec<UploadSummary>, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "import.recent").await?;
    Ok(uploads::recent(db, institution, 10)
        .await?
        .into_iter()
        .map(|u| UploadSummary {
            id: u.id,
            file_name: u.file_name,
            uploaded_at: u.created_at,
            applied_at: u.applied_at,
        })
        .collect())
}
