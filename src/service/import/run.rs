//! Running an import: read, plan, and apply a clean plan in one transaction.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::domain::import::{CellError, Column, ImportProblem, ImportReport, RowAction};
use crate::domain::time::today;
use crate::domain::{AuditAction, InstitutionId, PersonId, Role};
use crate::service::{Ctx, ServiceError, access, record};
use crate::store::trajectories::{self as store};
use crate::store::{Db, people, uploads};

use super::Actor;
use super::apply::{Templates, create, update};
use super::plan::{Plan, plan, snapshot_of};
use super::read::read;

/// The coordinator's import: a dry run (`confirm = false`) or the real one.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn import_file(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    bytes: &[u8],
    confirm: bool,
) -> Result<ImportReport, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "import.starters").await?;
    run(db, now, Actor::Person(ctx), institution, bytes, confirm).await
}

/// Read, plan and (when `apply` and the plan is clean) write the file.
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn run(
    db: &Db,
    now: DateTime<Utc>,
    actor: Actor<'_>,
    institution: InstitutionId,
    bytes: &[u8],
    apply: bool,
) -> Result<ImportReport, ServiceError> {
    run_upload(db, now, actor, institution, bytes, apply, None).await
}

/// `run`, marking the stored upload applied in the same transaction.
pub(super) async fn run_upload(
    db: &Db,
    now: DateTime<Utc>,
    actor: Actor<'_>,
    institution: InstitutionId,
    bytes: &[u8],
    apply: bool,
    upload: Option<i64>,
) -> Result<ImportReport, ServiceError> {
    let (rows, mut report) = read(bytes);
    if !report.file_errors.is_empty() {
        return Ok(report);
    }
    let snapshot = snapshot_of(db, institution, today(now)).await?;
    let plans = plan(&rows, &snapshot, &mut report);
    // Rows whose e-mail address belongs to someone outside this file.
    let owners: HashMap<String, PersonId> = people::email_owners(db).await?.into_iter().collect();
    let mut taken = Vec::new();
    for (index, plan) in &plans {
        let (person, row) = match plan {
            Plan::Create(row) => (None, row),
            Plan::Update { person, row, .. } => (Some(*person), row),
            Plan::Unchanged => continue,
        };
        if let Some(email) = &row.email
            && let Some(owner) = owners.get(email.as_str())
            && Some(*owner) != person
        {
            taken.push(*index);
        }
    }
    for index in taken {
        report.rows[index].action = RowAction::Error {
            errors: vec![CellError {
                column: Some(Column::Email),
                problem: ImportProblem::EmailTaken,
            }],
        };
    }
    if !apply || !report.is_clean() {
        return Ok(report);
    }
    let mut tx = db.begin_write().await?;
    let mut partnerships = snapshot.partnerships.clone();
    for name in &report.new_partnerships {
        let id = store::create_partnership(&mut tx, institution, name, now).await?;
        partnerships.insert(name.to_lowercase(), id);
        record(
            &mut tx,
            now,
            actor.person(),
            Some(institution),
            None,
            AuditAction::PartnershipCreated,
            json!({ "partnership": id.0 }),
        )
        .await?;
    }
    let mut written = 0usize;
    let mut templates = Templates::new();
    for (_, plan) in &plans {
        match plan {
            Plan::Create(row) => {
                create(&mut tx, &mut templates, now, actor, &snapshot, &partnerships, row).await?;
                written += 1;
            }
            Plan::Update { person, row, changes } => {
                update(
                    &mut tx,
                    &mut templates,
                    now,
                    actor,
                    &snapshot,
                    &partnerships,
                    *person,
                    row,
                    changes,
                )
                .await?;
                written += 1;
            }
            Plan::Unchanged => {}
        }
    }
    record(
        &mut tx,
        now,
        actor.person(),
        Some(institution),
        None,
        AuditAction::ImportApplied,
        json!({
            "rows": report.rows.len(),
            "created": report.created(),
            "updated": report.updated(),
            "unchanged": report.unchanged(),
        }),
    )
    .await?;
    report.applied = true;
    if let Some(upload) = upload {
        let result = serde_json::to_string(&report)
            .map_err(|e| ServiceError::Internal(crate::store::StoreError::Corrupt(e.to_string())))?;
        if !uploads::mark_applied(&mut tx, institution, upload, &result, now).await? {
            // Applied meanwhile (a second click): this run writes nothing.
            drop(tx);
            return Err(ServiceError::AlreadyDone);
        }
    }
    tx.commit().await?;
    tracing::info!(institution = %institution, rows = report.rows.len(), written, "HR import applied");
    if written > 0 {
        crate::service::signals::reevaluate(db, now, institution, None).await;
    }
    Ok(report)
}
