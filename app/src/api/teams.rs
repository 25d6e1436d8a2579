//! Teams: listing, creating and editing them, and their team leaders.

use houvast::domain::TeamOverview;
use leptos::prelude::*;

use crate::AppError;

#[server(prefix = "/api", endpoint = "teams")]
pub async fn teams() -> Result<Vec<TeamOverview>, AppError> {
    use crate::ssr;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    houvast::service::teams::list(&app.db, app.now(), &ctx)
        .await
        .map_err(ssr::service_error)
}

#[server(prefix = "/api", endpoint = "teams/one")]
pub async fn team(id: i64) -> Result<TeamOverview, AppError> {
    use crate::ssr;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    houvast::service::teams::get(&app.db, app.now(), &ctx, houvast::domain::TeamId(id))
        .await
        .map_err(ssr::service_error)
}

#[server(prefix = "/api", endpoint = "teams/create")]
pub async fn create_team(name: String, sector: String) -> Result<i64, AppError> {
    use crate::ssr;
    ssr::limit("name", &name, 500)?;
    ssr::limit("sector", &sector, 50)?;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    let id = houvast::service::teams::create(&app.db, app.now(), &ctx, &name, &sector)
        .await
        .map_err(ssr::service_error)?;
    Ok(id.0)
}

#[server(prefix = "/api", endpoint = "teams/update")]
pub async fn update_team(id: i64, name: String, sector: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("name", &name, 500)?;
    ssr::limit("sector", &sector, 50)?;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    houvast::service::teams::update(&app.db, app.now(), &ctx, houvast::domain::TeamId(id), &name, &sector)
        .await
        .map_err(ssr::service_error)
}

/// Add (`add = true`) or remove one team leader.
#[server(prefix = "/api", endpoint = "teams/leader")]
pub async fn change_team_leader(team: i64, person: i64, add: bool) -> Result<(), AppError> {
    use crate::ssr;
    use houvast::service::teams as service;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    let now = app.now();
    let current = service::get(&app.db, now, &ctx, houvast::domain::TeamId(team))
        .await
        .map_err(ssr::service_error)?;
    let mut leaders: Vec<houvast::domain::PersonId> = current
        .leaders
        .iter()
        .map(|l| l.id)
        .filter(|id| id.0 != person)
        .collect();
    if add {
        leaders.push(houvast::domain::PersonId(person));
    }
    service::set_leaders(&app.db, now, &ctx, houvast::domain::TeamId(team), &leaders)
        .await
        .map_err(ssr::service_error)
}
