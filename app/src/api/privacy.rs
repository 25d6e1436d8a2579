//! The privacy statement (public), the retention period and erasure on a
//! person's request (coordinators).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// What the statement needs beyond the fixed definitions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyFacts {
    /// The viewer's institution and its retention period, when logged in.
    pub institution: Option<(String, u16)>,
    /// The viewer may set the period and reads the register (coordinator).
    pub coordinator: bool,
    /// The viewer reads the register (admin).
    pub admin: bool,
}

#[server(prefix = "/api", endpoint = "privacy/context")]
pub async fn load_privacy_facts() -> Result<PrivacyFacts, AppError> {
    use crate::ssr;
    use houvast::domain::Role;
    let app = ssr::app_context()?;
    let Some(ctx) = ssr::current_user() else {
        return Ok(PrivacyFacts {
            institution: None,
            coordinator: false,
            admin: false,
        });
    };
    let institution = match (ctx.institution, ctx.institution_name.clone()) {
        (Some(id), Some(name)) => Some((
            name,
            houvast::store::erasure::retention_months(&app.db, id)
                .await
                .map_err(|e| ssr::service_error(e.into()))?,
        )),
        _ => None,
    };
    Ok(PrivacyFacts {
        institution,
        coordinator: ctx.has(Role::Coordinator),
        admin: ctx.has(Role::Admin),
    })
}

#[server(prefix = "/api", endpoint = "privacy/retention")]
pub async fn set_retention_period(months: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("months", &months, 10)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::erasure::set_retention(&app.db, app.now(), ctx, &months).await?;
        ssr::form_redirect("/privacy?saved=1");
        Ok(())
    })
    .await
}

/// Erase a person's data on their request: the name typed must be theirs.
#[server(prefix = "/api", endpoint = "privacy/erase")]
pub async fn erase_person(id: i64, confirm_name: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("confirm_name", &confirm_name, 500)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::erasure::erase_on_request(
            &app.db,
            app.now(),
            ctx,
            houvast::domain::PersonId(id),
            &confirm_name,
        )
        .await?;
        ssr::form_redirect(&format!("/people/{id}?erased=1"));
        Ok(())
    })
    .await
}
