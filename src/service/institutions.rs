//! Institutions and their coordinators: the admin's work.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Ctx, ServiceError, access, people as people_service, taken_as_field};
use crate::domain::{
    AuditAction, BrinCode, FieldErrors, Institution, InstitutionForCreate, InstitutionId, InstitutionOverview, Name,
    PeopleFilter, PersonListItem, Role,
};
use crate::store::{Db, institutions};

/// Every institution with its team count (admin).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn list(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Vec<InstitutionOverview>, ServiceError> {
    access::require(db, now, ctx, &[Role::Admin], "institutions.list").await?;
    Ok(institutions::overview(db).await?)
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn get(db: &Db, now: DateTime<Utc>, ctx: &Ctx, id: InstitutionId) -> Result<Institution, ServiceError> {
    access::require(db, now, ctx, &[Role::Admin], "institutions.get").await?;
    Ok(institutions::get(db, id).await?)
}

fn parse(name: &str, brin_code: &str) -> Result<InstitutionForCreate, ServiceError> {
    let mut errors = FieldErrors::new();
    let name = errors.check("name", Name::parse(name));
    let brin_code = errors.check("brin_code", BrinCode::parse(brin_code));
    match (name, brin_code) {
        (Some(name), Some(brin_code)) if errors.is_empty() => Ok(InstitutionForCreate { name, brin_code }),
        _ => Err(errors.into()),
    }
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn create(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    name: &str,
    brin_code: &str,
) -> Result<InstitutionId, ServiceError> {
    access::require(db, now, ctx, &[Role::Admin], "institutions.create").await?;
    let new = parse(name, brin_code)?;
    let mut tx = db.begin_write().await?;
    let id = institutions::create(&mut tx, &new, now)
        .await
        .map_err(|e| taken_as_field(e, "institutions_brin_code_key", "brin_code"))?;
    let details = json!({ "name": new.name.as_str(), "brin_code": new.brin_code.as_str() });
    ctx.audit(&mut tx, now, id, None, AuditAction::InstitutionCreated, details)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Rename an institution and/or correct its BRIN code.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn update(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    id: InstitutionId,
    name: &str,
    brin_code: &str,
) -> Result<(), ServiceError> {
    access::require(db, now, ctx, &[Role::Admin], "institutions.update").await?;
    let change = parse(name, brin_code)?;
    let before = institutions::get(db, id).await?;
    let mut tx = db.begin_write().await?;
    institutions::update(&mut tx, id, &change)
        .await
        .map_err(|e| taken_as_field(e, "institutions_brin_code_key", "brin_code"))?;
    let details = json!({
        "from": { "name": before.name.as_str(), "brin_code": before.brin_code.as_str() },
        "to": { "name": change.name.as_str(), "brin_code": change.brin_code.as_str() },
    });
    ctx.audit(&mut tx, now, id, None, AuditAction::InstitutionRenamed, details)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The coordinators of an institution (admin).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn coordinators(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    id: InstitutionId,
) -> Result<Vec<PersonListItem>, ServiceError> {
    access::require(db, now, ctx, &[Role::Admin], "institutions.coordinators").await?;
    institutions::get(db, id).await?;
    let filter = PeopleFilter {
        role: Some(Role::Coordinator),
        ..Default::default()
    };
    Ok(crate::store::people::list(db, id, &filter, 500, 0).await?)
}

/// Add a coordinator to an institution (admin); returns the person and the
/// activation token for their link.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn add_coordinator(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    id: InstitutionId,
    full_name: &str,
    email: &str,
) -> Result<people_service::Created, ServiceError> {
    access::require(db, now, ctx, &[Role::Admin], "institutions.add_coordinator").await?;
    institutions::get(db, id).await?;
    let roles = [crate::domain::RoleAssignment {
        role: Role::Coordinator,
        team: None,
    }];
    people_service::create_in(db, now, ctx, id, full_name, email, &roles).await
}
