//! The institution's audit log, for coordinators.

use houvast::domain::AuditLine;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub lines: Vec<AuditLine>,
    /// Pass as `before` for the next (older) page.
    pub next_before: Option<i64>,
    /// People of the institution, to filter by.
    pub people: Vec<(i64, String)>,
}

#[server(prefix = "/api", endpoint = "audit")]
pub async fn audit_events(
    person: Option<i64>,
    from: Option<String>,
    until: Option<String>,
    before: Option<i64>,
) -> Result<AuditPage, AppError> {
    use crate::ssr;
    use chrono::NaiveDate;
    use houvast::domain::{AuditFilter, FieldError, FieldProblem, InstitutionId, PeopleFilter, PersonId, time};
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    let mut errors = Vec::new();
    let mut day = |field: &str, value: &Option<String>| match value.as_deref().map(str::trim).filter(|v| !v.is_empty())
    {
        None => None,
        Some(raw) => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                errors.push(FieldError {
                    field: field.to_owned(),
                    problem: FieldProblem::Format,
                });
                None
            }
        },
    };
    let from = day("from", &from).map(time::start_of_day);
    let until = day("until", &until).map(|d| time::start_of_day(d + chrono::Duration::days(1)));
    if !errors.is_empty() {
        ssr::set_status(http::StatusCode::UNPROCESSABLE_ENTITY);
        return Err(AppError::Invalid(errors));
    }
    let filter = AuditFilter {
        institution: ctx.institution.unwrap_or(InstitutionId(0)),
        subject: person.map(PersonId),
        from,
        until,
        before_id: before,
        limit: houvast::service::audit_log::PAGE_SIZE,
    };
    let now = app.now();
    let lines = houvast::service::audit_log::list(&app.db, now, &ctx, filter)
        .await
        .map_err(ssr::service_error)?;
    let next_before = (lines.len() as u32 == houvast::service::audit_log::PAGE_SIZE)
        .then(|| lines.last().map(|l| l.id))
        .flatten();
    // The list call above checked the role; the names are of the same institution.
    let institution = ctx.institution.unwrap_or(InstitutionId(0));
    let everyone = houvast::store::people::list(&app.db, institution, &PeopleFilter::default(), 10_000, 0)
        .await
        .map_err(|e| ssr::internal(&e))?;
    Ok(AuditPage {
        lines,
        next_before,
        people: everyone.into_iter().map(|p| (p.id.0, p.full_name)).collect(),
    })
}
