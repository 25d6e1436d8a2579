//! Reading the audit log: a coordinator reads their institution's events,
//! filtered by person and date, page by page. There is no way to change them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Ctx, ServiceError, access};
use crate::domain::{AuditFilter, AuditLine, InstitutionId, PersonId, Role};
use crate::store::{Db, audit, people};

pub const PAGE_SIZE: u32 = 50;

/// One page, newest first. `filter.institution` is replaced by the caller's.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn list(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    mut filter: AuditFilter,
) -> Result<Vec<AuditLine>, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "audit.list").await?;
    if let Some(subject) = filter.subject {
        people::get_in_institution(db, institution, subject).await?;
    }
    filter.institution = institution;
    filter.limit = filter.limit.clamp(1, PAGE_SIZE);
    lines(db, institution, &filter).await
}

/// Events with names resolved (names of people outside the institution,
/// such as a deployment admin, are shown too: they acted here).
pub(crate) async fn lines(
    db: &Db,
    institution: InstitutionId,
    filter: &AuditFilter,
) -> Result<Vec<AuditLine>, ServiceError> {
    let events = audit::list(
        db,
        &AuditFilter {
            institution,
            ..filter.clone()
        },
    )
    .await?;
    let mut ids: Vec<PersonId> = Vec::new();
    for event in &events {
        ids.extend(event.actor);
        ids.extend(event.subject);
    }
    ids.sort();
    ids.dedup();
    // Name, and whether the person belongs to this institution (then the
    // name links to their page).
    let mut names: HashMap<PersonId, (String, bool)> = HashMap::new();
    for id in ids {
        let found = people::get(db, id).await.ok();
        names.insert(
            id,
            found
                .map(|p| (p.full_name.to_string(), p.institution == Some(institution)))
                .unwrap_or_default(),
        );
    }
    let name = |id: Option<PersonId>| id.and_then(|id| names.get(&id)).map(|(name, _)| name.clone());
    let local = |id: Option<PersonId>| id.filter(|id| names.get(id).is_some_and(|(_, here)| *here));
    Ok(events
        .into_iter()
        .map(|e| AuditLine {
            id: e.id,
            occurred_at: e.occurred_at,
            actor_name: name(e.actor),
            actor_id: local(e.actor),
            subject_name: name(e.subject),
            subject_id: local(e.subject),
            action: e.action,
            details: e.details,
        })
        .collect())
}
