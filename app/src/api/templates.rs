//! Trajectory templates (coordinators).

use houvast::domain::trajectory::TemplateView;
use leptos::prelude::*;

use crate::AppError;

/// The template of an entry route (by its code).
#[server(prefix = "/api", endpoint = "templates/one")]
pub async fn template(route: String) -> Result<TemplateView, AppError> {
    use crate::ssr;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    houvast::service::templates::template(&app.db, app.now(), &ctx, &route)
        .await
        .map_err(ssr::service_error)
}

/// Add (no `id`) or change a milestone of a template.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "templates/save")]
pub async fn save_template_milestone(
    route: String,
    id: Option<i64>,
    title: String,
    phase: String,
    amount: String,
    unit: String,
    owner: String,
    domain: Option<String>,
) -> Result<(), AppError> {
    use houvast::service::templates::MilestoneForm;

    use crate::ssr;
    ssr::limit("title", &title, 1000)?;
    ssr::limit("amount", &amount, 10)?;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    let form = MilestoneForm {
        title,
        phase,
        amount,
        unit,
        owner,
        domain: domain.unwrap_or_default(),
    };
    houvast::service::templates::save_milestone(&app.db, app.now(), &ctx, &route, id, &form)
        .await
        .map_err(ssr::service_error)
}

/// Take a milestone out of a template.
#[server(prefix = "/api", endpoint = "templates/remove")]
pub async fn remove_template_milestone(route: String, id: i64) -> Result<(), AppError> {
    use crate::ssr;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    houvast::service::templates::remove_milestone(&app.db, app.now(), &ctx, &route, id)
        .await
        .map_err(ssr::service_error)
}

/// Apply the template to running trajectories on an older version.
#[server(prefix = "/api", endpoint = "templates/apply")]
pub async fn apply_template(route: String) -> Result<usize, AppError> {
    use crate::ssr;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    houvast::service::templates::apply(&app.db, app.now(), &ctx, &route)
        .await
        .map_err(ssr::service_error)
}
