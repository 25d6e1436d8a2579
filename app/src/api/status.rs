//! The public status overview.

use houvast::domain::InstitutionOverview;
use leptos::prelude::*;

use crate::AppError;

/// Institutions with their team counts, for the status page.
#[server(prefix = "/api", endpoint = "status/institutions")]
pub async fn institutions_overview() -> Result<Vec<InstitutionOverview>, AppError> {
    let ctx = crate::ssr::app_context()?;
    houvast::service::status::overview(&ctx.db)
        .await
        .map_err(crate::ssr::service_error)
}
