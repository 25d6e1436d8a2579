//! Teams: listing, creating and editing them, and their team leaders.

use houvast::domain::TeamOverview;
use leptos::prelude::*;

use crate::AppError;

#[server(prefix = "/api", endpoint = "teams")]
pub async fn teams() -> Result<Vec<TeamOverview>, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| Ok(houvast::service::teams::list(&app.db, app.now(), ctx).await?)).await
}

#[server(prefix = "/api", endpoint = "teams/one")]
pub async fn team(id: i64) -> Result<TeamOverview, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::teams::get(&app.db, app.now(), ctx, houvast::domain::TeamId(id)).await?)
    })
    .await
}

#[server(prefix = "/api", endpoint = "teams/create")]
pub async fn create_team(name: String, sector: String) -> Result<i64, AppError> {
    use crate::ssr;
    ssr::limit("name", &name, 500)?;
    ssr::limit("sector", &sector, 50)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let id = houvast::service::teams::create(&app.db, app.now(), ctx, &name, &sector).await?;
        ssr::form_redirect("/teams?created=1");
        Ok(id.0)
    })
    .await
}

#[server(prefix = "/api", endpoint = "teams/update")]
pub async fn update_team(id: i64, name: String, sector: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("name", &name, 500)?;
    ssr::limit("sector", &sector, 50)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::teams::update(&app.db, app.now(), ctx, houvast::domain::TeamId(id), &name, &sector).await?;
        ssr::form_redirect(&format!("/teams/{id}?saved=1"));
        Ok(())
    })
    .await
}

/// Add (`add = true`) or remove one team leader.
#[server(prefix = "/api", endpoint = "teams/leader")]
pub async fn change_team_leader(team: i64, person: i64, add: bool) -> Result<(), AppError> {
    use crate::ssr;
    use houvast::service::teams as service;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let now = app.now();
        let current = service::get(&app.db, now, ctx, houvast::domain::TeamId(team)).await?;
        let mut leaders: Vec<houvast::domain::PersonId> = current
            .leaders
            .iter()
            .map(|l| l.id)
            .filter(|id| id.0 != person)
            .collect();
        if add {
            leaders.push(houvast::domain::PersonId(person));
        }
        Ok(service::set_leaders(&app.db, now, ctx, houvast::domain::TeamId(team), &leaders).await?)
    })
    .await
}
