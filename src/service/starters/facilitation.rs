//! The facilitation ledger: hours promised and granted per school year.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::domain::trajectory::supported_school_years;
use crate::domain::{AuditAction, FieldErrors, FieldProblem, PersonId, Role};
use crate::service::{Ctx, ServiceError, access};
use crate::store::Db;
use crate::store::trajectories::{self as store, FacilitationRow};

use super::read::visible_employment;

/// The hours of one school year as a coordinator enters them; empty
/// fields are "not recorded".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacilitationForm {
    pub school_year: i32,
    pub starter_promised: String,
    pub starter_granted: String,
    pub mentor_promised: String,
    pub mentor_granted: String,
}

/// Record a school year of the facilitation ledger (coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn record_facilitation(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    form: &FacilitationForm,
) -> Result<(), ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.facilitation").await?;
    let (_, _, employment) = visible_employment(db, now, ctx, person, "starters.facilitation").await?;
    if !supported_school_years(employment.start).contains(&form.school_year) {
        return Err(ServiceError::field("school_year", FieldProblem::UnknownChoice));
    }
    let mut errors = FieldErrors::new();
    let mut hours = |field: &str, raw: &str| -> Option<u32> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<u32>() {
            Ok(value) if value <= 2000 => Some(value),
            _ => {
                errors.add(field, FieldProblem::OutOfRange { min: 0, max: 2000 });
                None
            }
        }
    };
    let starter_promised = hours("starter_promised", &form.starter_promised);
    let starter_granted = hours("starter_granted", &form.starter_granted);
    let mentor_promised = hours("mentor_promised", &form.mentor_promised);
    let mentor_granted = hours("mentor_granted", &form.mentor_granted);
    if starter_promised.is_none() && errors.is_empty() {
        errors.add("starter_promised", FieldProblem::Required);
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let row = FacilitationRow {
        school_year: form.school_year,
        starter_promised: starter_promised.unwrap_or_default(),
        starter_granted,
        mentor_promised,
        mentor_granted,
    };
    let mut tx = db.begin_write().await?;
    store::set_facilitation(&mut tx, employment.id, &row, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        AuditAction::FacilitationRecorded,
        json!({
            "school_year": row.school_year,
            "starter_promised": row.starter_promised,
            "starter_granted": row.starter_granted,
            "mentor_promised": row.mentor_promised,
            "mentor_granted": row.mentor_granted,
        }),
    )
    .await?;
    tx.commit().await?;
    crate::service::signals::reevaluate(db, now, institution, Some(person)).await;
    Ok(())
}
