//! Retention figures for coordinators, team leaders and analysts.

use houvast::domain::retention::RetentionPage;
use leptos::prelude::*;

use crate::AppError;

/// The retention page: `measure` (institution | education) and `by`
/// (all | team | sector | route | cohort | partnership | intensity).
#[server(prefix = "/api", endpoint = "retention/page")]
pub async fn load_retention(measure: String, by: String) -> Result<RetentionPage, AppError> {
    use houvast::domain::retention::{Breakdown, RetentionMeasure};

    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let measure = RetentionMeasure::from_code(measure.trim()).unwrap_or(RetentionMeasure::Institution);
        let by = Breakdown::from_code(by.trim()).unwrap_or(Breakdown::All);
        Ok(houvast::service::retention::page(&app.db, app.now(), ctx, &app.benchmarks, measure, by).await?)
    })
    .await
}
