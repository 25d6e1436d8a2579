//! Enrolling a starter by hand, and the SO&P partnerships the forms offer.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::domain::{AuditAction, FieldErrors, FieldProblem, PersonId, PersonRef, Role};
use crate::service::{Ctx, ServiceError, access};
use crate::store::trajectories::{self as store};
use crate::store::{Db, people};

use super::terms::{TermsForm, parse_terms};

/// A person of the institution with the starter role and no employment
/// yet: they can be enrolled by hand.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn unenrolled(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Vec<PersonRef>, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.unenrolled").await?;
    Ok(store::unenrolled_starters(db, institution)
        .await?
        .into_iter()
        .map(|(id, name)| PersonRef { id, name })
        .collect())
}

/// What enrolling a starter by hand asks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnrolForm {
    pub employee_number: String,
    pub route: String,
    pub terms: TermsForm,
}

/// Enrol a starter by hand: employment, first terms, and a trajectory from
/// the template of the route. Coordinator only.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn enrol(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    form: &EnrolForm,
) -> Result<(), ServiceError> {
    use crate::domain::trajectory::{EntryRoute, snapshot};
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.enrol").await?;
    if !unenrolled(db, now, ctx).await?.iter().any(|p| p.id == person) {
        return Err(ServiceError::NotFound);
    }
    let mut errors = FieldErrors::new();
    let number = crate::service::required_text(
        &mut errors,
        "employee_number",
        &form.employee_number,
        crate::service::import::EMPLOYEE_NUMBER_MAX,
    );
    let route = errors.check(
        "route",
        EntryRoute::from_code(&form.route).ok_or(FieldProblem::UnknownChoice),
    );
    let terms = parse_terms(db, institution, &form.terms, "start", &mut errors).await?;
    let (Some(number), Some(route), Some(terms)) = (number, route, terms) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let number = number.as_str();
    let mut tx = db.begin_write().await?;
    people::set_employee_number(&mut tx, person, Some(number))
        .await
        .map_err(|e| {
            crate::service::taken_as_field(e, "people_institution_id_employee_number_key", "employee_number")
        })?;
    let new = store::EmploymentForCreate {
        person,
        employee_number: number.to_owned(),
        route,
        start: terms.valid_from,
    };
    let employment = store::create_employment(&mut tx, institution, &new, now)
        .await
        .map_err(|e| {
            crate::service::taken_as_field(e, "employments_institution_id_employee_number_key", "employee_number")
        })?;
    store::add_terms(&mut tx, employment, &terms, now).await?;
    let template = store::ensure_template(&mut tx, institution, route, now).await?;
    let milestones = store::template_milestones(&mut tx, template.0).await?;
    store::create_trajectory(
        &mut tx,
        employment,
        template,
        terms.valid_from,
        &snapshot(&milestones, terms.valid_from),
        now,
    )
    .await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        AuditAction::StarterEnrolled,
        json!({ "route": route.code(), "start": terms.valid_from, "source": "form" }),
    )
    .await?;
    tx.commit().await?;
    crate::service::signals::reevaluate(db, now, institution, Some(person)).await;
    Ok(())
}

/// The institution's SO&P partnerships (coordinator, team leader).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn partnerships(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Vec<(i64, String)>, ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.partnerships").await?;
    Ok(store::partnerships(db, institution)
        .await?
        .into_iter()
        .map(|p| (p.id.0, p.name))
        .collect())
}

/// Add an SO&P partnership (coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn add_partnership(db: &Db, now: DateTime<Utc>, ctx: &Ctx, name: &str) -> Result<i64, ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.add_partnership").await?;
    let name = crate::domain::Name::parse(name).map_err(|e| ServiceError::field("name", e.into()))?;
    let mut tx = db.begin_write().await?;
    let id = store::create_partnership(&mut tx, institution, name.as_str(), now)
        .await
        .map_err(|e| crate::service::taken_as_field(e, "partnerships_institution_id_name_key", "name"))?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::PartnershipCreated,
        json!({ "partnership": id.0 }),
    )
    .await?;
    tx.commit().await?;
    Ok(id.0)
}
