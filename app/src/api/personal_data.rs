//! "My data": a person's own copy, or a coordinator's copy of a person of
//! their institution (audited by the service).

use houvast::domain::personal_data::PersonalData;
use leptos::prelude::*;

use crate::AppError;

/// `person`: `None` for one's own copy.
#[server(prefix = "/api", endpoint = "personal-data")]
pub async fn load_personal_data(person: Option<i64>) -> Result<PersonalData, AppError> {
    use crate::ssr;
    use houvast::domain::PersonId;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let person = person.map_or(ctx.person, PersonId);
        Ok(houvast::service::personal_data::export(&app.db, app.now(), ctx, person).await?)
    })
    .await
}
