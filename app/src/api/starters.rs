//! Starters and their trajectories; the HR import's uploaded files.

use houvast::domain::import::{UploadSummary, UploadView};
use houvast::domain::starter::StarterDetail;
use houvast::domain::trajectory::StarterPage;
use leptos::prelude::*;

use crate::AppError;

/// The starters list with its filters (all optional, as the query string
/// carries them).
#[server(prefix = "/api", endpoint = "starters/list")]
pub async fn starters(
    team: Option<i64>,
    route: Option<String>,
    status: Option<String>,
    year: Option<i32>,
    partnership: Option<String>,
    sort: Option<String>,
    page: Option<u32>,
) -> Result<StarterPage, AppError> {
    use houvast::domain::TeamId;
    use houvast::domain::trajectory::{EntryRoute, StarterFilter, StarterSort, StarterStatus};

    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let filter = StarterFilter {
            team: team.map(TeamId),
            route: route.as_deref().and_then(EntryRoute::from_code),
            status: status.as_deref().and_then(StarterStatus::from_code),
            start_year: year,
            in_partnership: match partnership.as_deref() {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                _ => None,
            },
            sort: sort.as_deref().and_then(StarterSort::from_code).unwrap_or_default(),
            page: page.unwrap_or(0),
        };
        Ok(houvast::service::starters::list(&app.db, app.now(), ctx, &filter).await?)
    })
    .await
}

/// One starter's page.
#[server(prefix = "/api", endpoint = "starters/detail")]
pub async fn starter(id: i64) -> Result<StarterDetail, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::starters::detail(&app.db, app.now(), ctx, houvast::domain::PersonId(id)).await?)
    })
    .await
}

/// The logged-in starter's own trajectory.
#[server(prefix = "/api", endpoint = "starters/mine")]
pub async fn my_trajectory() -> Result<Option<StarterDetail>, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| Ok(houvast::service::starters::mine(&app.db, app.now(), ctx).await?))
        .await
}

/// Mark a milestone done (`action=done`, optional date and note), skip it
/// (`action=skip`, with a reason) or open it again (`action=reopen`).
#[server(prefix = "/api", endpoint = "starters/milestone")]
pub async fn update_milestone(
    id: i64,
    action: String,
    on: Option<String>,
    note: Option<String>,
    reason: Option<String>,
) -> Result<(), AppError> {
    use houvast::domain::{FieldError, FieldProblem, MilestoneId};
    use houvast::service::starters::MilestoneChange;

    use crate::ssr;
    ssr::limit("note", note.as_deref().unwrap_or(""), 2000)?;
    ssr::limit("reason", reason.as_deref().unwrap_or(""), 2000)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let change = match action.as_str() {
            "done" => MilestoneChange::Done {
                on: on.unwrap_or_default(),
                note: note.unwrap_or_default(),
            },
            "skip" => MilestoneChange::Skip {
                reason: reason.unwrap_or_default(),
            },
            "reopen" => MilestoneChange::Reopen,
            _ => {
                ssr::set_status(http::StatusCode::UNPROCESSABLE_ENTITY);
                return Err(AppError::Invalid(vec![FieldError {
                    field: "action".into(),
                    problem: FieldProblem::UnknownChoice,
                }]));
            }
        };
        Ok(houvast::service::starters::update_milestone(&app.db, app.now(), ctx, MilestoneId(id), change).await?)
    })
    .await
}

/// Record that a starter left, or correct it (coordinator).
#[server(prefix = "/api", endpoint = "starters/leave")]
pub async fn record_leaving(id: i64, on: String, reason: String, destination: Option<String>) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("destination", destination.as_deref().unwrap_or(""), 2000)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::starters::record_leaving(
            &app.db,
            app.now(),
            ctx,
            houvast::domain::PersonId(id),
            &on,
            &reason,
            destination.as_deref().unwrap_or(""),
        )
        .await?)
    })
    .await
}

/// Undo a recorded leaving (coordinator).
#[server(prefix = "/api", endpoint = "starters/undo-leave")]
pub async fn undo_leaving(id: i64) -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::starters::undo_leaving(&app.db, app.now(), ctx, houvast::domain::PersonId(id)).await?)
    })
    .await
}

/// Record (or with an empty date undo) completion of the trajectory.
#[server(prefix = "/api", endpoint = "starters/complete")]
pub async fn record_completion(id: i64, on: Option<String>) -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::starters::record_completion(
            &app.db,
            app.now(),
            ctx,
            houvast::domain::PersonId(id),
            on.as_deref().unwrap_or(""),
        )
        .await?)
    })
    .await
}

/// The latest uploaded HR files.
#[server(prefix = "/api", endpoint = "import/recent")]
pub async fn recent_uploads() -> Result<Vec<UploadSummary>, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| Ok(houvast::service::import::recent(&app.db, app.now(), ctx).await?))
        .await
}

/// An uploaded file with its report (a fresh check until it is applied).
#[server(prefix = "/api", endpoint = "import/upload")]
pub async fn upload(id: i64) -> Result<UploadView, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| Ok(houvast::service::import::view(&app.db, app.now(), ctx, id).await?))
        .await
}

/// Apply a checked file. A plain form post comes back to the file's page.
#[server(prefix = "/api", endpoint = "import/confirm")]
pub async fn confirm_import(id: i64) -> Result<UploadView, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let view = houvast::service::import::confirm(&app.db, app.now(), ctx, id).await?;
        ssr::form_redirect(&format!("/import/{id}"));
        Ok(view)
    })
    .await
}

/// Add a personal goal (the starter, or a coordinator).
#[server(prefix = "/api", endpoint = "starters/goal")]
pub async fn add_goal(id: i64, title: String, domain: Option<String>) -> Result<i64, AppError> {
    use crate::ssr;
    ssr::limit("title", &title, 1000)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::starters::add_goal(
            &app.db,
            app.now(),
            ctx,
            houvast::domain::PersonId(id),
            &title,
            domain.as_deref().unwrap_or(""),
        )
        .await?)
    })
    .await
}

/// Record a goal's progress in percent (0, 25, 50, 75, 100).
#[server(prefix = "/api", endpoint = "starters/goal-progress")]
pub async fn set_goal_progress(id: i64, goal: i64, progress: u8) -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::starters::set_goal_progress(
            &app.db,
            app.now(),
            ctx,
            houvast::domain::PersonId(id),
            goal,
            progress,
        )
        .await?)
    })
    .await
}

/// Record one school year of the facilitation ledger (coordinator).
#[server(prefix = "/api", endpoint = "starters/facilitation")]
pub async fn record_facilitation(
    id: i64,
    school_year: i32,
    starter_promised: Option<String>,
    starter_granted: Option<String>,
    mentor_promised: Option<String>,
    mentor_granted: Option<String>,
) -> Result<(), AppError> {
    use houvast::service::starters::FacilitationForm;

    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let form = FacilitationForm {
            school_year,
            starter_promised: starter_promised.unwrap_or_default(),
            starter_granted: starter_granted.unwrap_or_default(),
            mentor_promised: mentor_promised.unwrap_or_default(),
            mentor_granted: mentor_granted.unwrap_or_default(),
        };
        for value in [
            &form.starter_promised,
            &form.starter_granted,
            &form.mentor_promised,
            &form.mentor_granted,
        ] {
            ssr::limit("hours", value, 10)?;
        }
        Ok(houvast::service::starters::record_facilitation(
            &app.db,
            app.now(),
            ctx,
            houvast::domain::PersonId(id),
            &form,
        )
        .await?)
    })
    .await
}

/// Team and partnership choices for the coordinator's forms.
#[server(prefix = "/api", endpoint = "starters/choices")]
pub async fn starter_choices() -> Result<ChoiceLists, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let partnerships = houvast::service::starters::partnerships(&app.db, app.now(), ctx).await?;
        let teams = houvast::service::teams::list(&app.db, app.now(), ctx)
            .await?
            .into_iter()
            .map(|t| (t.id.0, t.name))
            .collect();
        let unenrolled = houvast::service::starters::unenrolled(&app.db, app.now(), ctx)
            .await?
            .into_iter()
            .map(|p| (p.id.0, p.name))
            .collect();
        Ok(ChoiceLists {
            teams,
            partnerships,
            unenrolled,
        })
    })
    .await
}

/// What the coordinator's starter forms choose from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChoiceLists {
    pub teams: Vec<(i64, String)>,
    pub partnerships: Vec<(i64, String)>,
    /// People with the starter role and no trajectory yet.
    pub unenrolled: Vec<(i64, String)>,
}

#[cfg(feature = "ssr")]
fn terms_form(
    valid_from: String,
    fte: String,
    contract: String,
    until: Option<String>,
    team: Option<String>,
    partnership: Option<String>,
) -> houvast::service::starters::TermsForm {
    let id = |value: Option<String>| value.and_then(|v| v.trim().parse::<i64>().ok());
    houvast::service::starters::TermsForm {
        valid_from,
        fte,
        contract,
        until: until.unwrap_or_default(),
        team: id(team),
        partnership: id(partnership),
    }
}

/// New terms of employment from a date on (coordinator).
#[server(prefix = "/api", endpoint = "starters/terms")]
pub async fn change_terms(
    id: i64,
    valid_from: String,
    fte: String,
    contract: String,
    until: Option<String>,
    team: Option<String>,
    partnership: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("fte", &fte, 10)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let form = terms_form(valid_from, fte, contract, until, team, partnership);
        Ok(
            houvast::service::starters::change_terms(&app.db, app.now(), ctx, houvast::domain::PersonId(id), &form)
                .await?,
        )
    })
    .await
}

/// Enrol a person with the starter role by hand (coordinator).
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "starters/enrol")]
pub async fn enrol_starter(
    id: i64,
    employee_number: String,
    route: String,
    start: String,
    fte: String,
    contract: String,
    until: Option<String>,
    team: Option<String>,
    partnership: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("employee_number", &employee_number, 100)?;
    ssr::limit("fte", &fte, 10)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let form = houvast::service::starters::EnrolForm {
            employee_number,
            route,
            terms: terms_form(start, fte, contract, until, team, partnership),
        };
        houvast::service::starters::enrol(&app.db, app.now(), ctx, houvast::domain::PersonId(id), &form).await?;
        ssr::form_redirect(&format!("/starters/{id}"));
        Ok(())
    })
    .await
}

/// Add an SO&P partnership (coordinator).
#[server(prefix = "/api", endpoint = "starters/partnership")]
pub async fn add_partnership(name: String) -> Result<i64, AppError> {
    use crate::ssr;
    ssr::limit("name", &name, 1000)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::starters::add_partnership(&app.db, app.now(), ctx, &name).await?)
    })
    .await
}
