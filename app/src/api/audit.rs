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
    /// The person filtered on, by name.
    pub person: Option<(i64, String)>,
    /// Several people answer to the name typed (the first page of them):
    /// id, name, e-mail address.
    pub matches: Vec<(i64, String, Option<String>)>,
    /// Nobody answers to the name typed.
    pub nobody: bool,
}

#[server(prefix = "/api", endpoint = "audit")]
pub async fn audit_events(
    person: Option<i64>,
    who: Option<String>,
    from: Option<String>,
    until: Option<String>,
    before: Option<i64>,
) -> Result<AuditPage, AppError> {
    use crate::ssr;
    use chrono::NaiveDate;
    use houvast::domain::{AuditFilter, FieldError, FieldProblem, InstitutionId, PeopleFilter, PersonId, time};
    ssr::limit("who", who.as_deref().unwrap_or(""), 200)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let mut errors = Vec::new();
        let mut day =
            |field: &str, value: &Option<String>| match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
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
        let institution = ctx.institution.unwrap_or(InstitutionId(0));
        let now = app.now();
        // A name (or part of it, or an e-mail address) typed instead of a person
        // chosen: one match filters on them, several are offered to choose from.
        let mut person = person.map(PersonId);
        // The name of the one person the search found.
        let mut found_name = None;
        let mut matches = Vec::new();
        let mut nobody = false;
        let typed = who.as_deref().map(str::trim).filter(|w| !w.is_empty());
        if let (None, Some(typed)) = (person, typed) {
            let filter = PeopleFilter {
                query: Some(typed.to_owned()),
                ..PeopleFilter::default()
            };
            // The people list checks the role (coordinators), as the log does.
            let found = houvast::service::people::list(&app.db, now, ctx, &filter, 0)
                .await?
                .items;
            match found.as_slice() {
                [] => nobody = true,
                [one] => {
                    person = Some(one.id);
                    found_name = Some(one.full_name.clone());
                }
                many => {
                    matches = many
                        .iter()
                        .map(|p| (p.id.0, p.full_name.clone(), p.email.clone()))
                        .collect()
                }
            }
        }
        let filter = AuditFilter {
            institution,
            subject: person,
            from,
            until,
            before_id: before,
            limit: houvast::service::audit_log::PAGE_SIZE,
        };
        let lines = houvast::service::audit_log::list(&app.db, now, ctx, filter).await?;
        let next_before = (lines.len() as u32 == houvast::service::audit_log::PAGE_SIZE)
            .then(|| lines.last().map(|l| l.id))
            .flatten();
        // The list call above checked the role; the name is of the same institution.
        let person = match (person, found_name) {
            (Some(id), Some(name)) => Some((id.0, name)),
            (Some(id), None) => houvast::store::people::names_of(&app.db, institution, &[id])
                .await
                .map_err(|e| ssr::internal(&e))?
                .into_iter()
                .next()
                .map(|(id, name)| (id.0, name)),
            (None, _) => None,
        };
        Ok(AuditPage {
            lines,
            next_before,
            person,
            matches,
            nobody,
        })
    })
    .await
}
