//! Trajectory templates (coordinators).

use houvast::domain::trajectory::TemplateView;
use leptos::prelude::*;

use crate::AppError;

/// The template of an entry route (by its code).
#[server(prefix = "/api", endpoint = "templates/one")]
pub async fn template(route: String) -> Result<TemplateView, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::templates::template(&app.db, app.now(), ctx, &route).await?)
    })
    .await
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
    ssr::serve(async |ssr::Call { app, ctx }| {
        let form = MilestoneForm {
            title,
            phase,
            amount,
            unit,
            owner,
            domain: domain.unwrap_or_default(),
        };
        Ok(houvast::service::templates::save_milestone(&app.db, app.now(), ctx, &route, id, &form).await?)
    })
    .await
}

/// Take a milestone out of a template.
#[server(prefix = "/api", endpoint = "templates/remove")]
pub async fn remove_template_milestone(route: String, id: i64) -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::templates::remove_milestone(&app.db, app.now(), ctx, &route, id).await?)
    })
    .await
}

/// Apply the template to running trajectories on an older version.
#[server(prefix = "/api", endpoint = "templates/apply")]
pub async fn apply_template(route: String) -> Result<usize, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::templates::apply(&app.db, app.now(), ctx, &route).await?)
    })
    .await
}
