//! People of the coordinator's institution.

use houvast::domain::{AccountStatus, PersonDetail, PersonListItem};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::auth::LinkKind;
use crate::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub items: Vec<PersonListItem>,
    pub has_more: bool,
    /// Team names by id, to show with roles.
    pub teams: Vec<(i64, String)>,
}

/// A link just issued for a person: shown once to the one who issued it
/// (an activation link for an account that holds nothing yet), or e-mailed
/// to the person, and then only the address is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreshLink {
    pub person: i64,
    pub name: String,
    pub kind: LinkKind,
    pub link: Option<String>,
    pub emailed_to: Option<String>,
}

/// Session key of a just-issued link, shown once on the next page.
#[cfg(feature = "ssr")]
const FRESH_LINK: &str = "houvast.fresh_link";

/// Keep a just-issued link in the session for the page that shows it.
#[cfg(feature = "ssr")]
pub(crate) async fn keep_fresh_link(link: &FreshLink) -> Result<(), AppError> {
    let session = crate::ssr::auth_session()?;
    session
        .session
        .insert(FRESH_LINK, link)
        .await
        .map_err(|e| crate::ssr::internal(&e))
}

/// The link issued on the previous step, once; `None` afterwards.
#[server(prefix = "/api", endpoint = "people/fresh-link")]
pub async fn take_fresh_link() -> Result<Option<FreshLink>, AppError> {
    use crate::ssr;
    ssr::ctx()?;
    let session = ssr::auth_session()?;
    session
        .session
        .remove::<FreshLink>(FRESH_LINK)
        .await
        .map_err(|e| ssr::internal(&e))
}

/// Checkbox values as forms post them ("on" when ticked).
#[cfg(feature = "ssr")]
fn ticked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty() && v != "false")
}

/// The roles ticked in a form, with the chosen team for the roles that
/// work in a team.
#[cfg(feature = "ssr")]
fn assignments(
    starter: &Option<String>,
    mentor: &Option<String>,
    team_leader: &Option<String>,
    coordinator: &Option<String>,
    team: &Option<String>,
) -> Result<Vec<houvast::domain::RoleAssignment>, AppError> {
    use houvast::domain::{FieldError, FieldProblem, Role, RoleAssignment, TeamId};
    let team = match team.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(raw) => Some(TeamId(raw.parse().map_err(|_| {
            crate::ssr::set_status(http::StatusCode::UNPROCESSABLE_ENTITY);
            AppError::Invalid(vec![FieldError {
                field: "team".into(),
                problem: FieldProblem::UnknownChoice,
            }])
        })?)),
    };
    let mut roles = Vec::new();
    for (value, role) in [
        (starter, Role::Starter),
        (mentor, Role::Mentor),
        (team_leader, Role::TeamLeader),
    ] {
        if ticked(value) {
            roles.push(RoleAssignment { role, team });
        }
    }
    if ticked(coordinator) {
        roles.push(RoleAssignment {
            role: Role::Coordinator,
            team: None,
        });
    }
    Ok(roles)
}

#[server(prefix = "/api", endpoint = "people")]
pub async fn people(
    q: Option<String>,
    role: Option<String>,
    team: Option<i64>,
    status: Option<AccountStatus>,
    page: Option<u32>,
) -> Result<PeoplePage, AppError> {
    use crate::ssr;
    use houvast::domain::{PeopleFilter, Role, TeamId};
    ssr::limit("q", q.as_deref().unwrap_or(""), 200)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let filter = PeopleFilter {
            query: q,
            role: role.as_deref().and_then(Role::from_code),
            team: team.map(TeamId),
            status,
        };
        let now = app.now();
        let found = houvast::service::people::list(&app.db, now, ctx, &filter, page.unwrap_or(0)).await?;
        let teams = team_names(app, ctx).await?;
        Ok(PeoplePage {
            items: found.items,
            has_more: found.has_more,
            teams,
        })
    })
    .await
}

#[cfg(feature = "ssr")]
async fn team_names(app: &crate::ssr::AppContext, ctx: &houvast::service::Ctx) -> Result<Vec<(i64, String)>, AppError> {
    let institution = ctx.institution.ok_or(AppError::Forbidden)?;
    let choices = houvast::service::teams::choices(&app.db, institution)
        .await
        .map_err(crate::ssr::service_error)?;
    Ok(choices.into_iter().map(|(id, name)| (id.0, name)).collect())
}

/// The institution's teams as choices for forms (coordinator).
#[server(prefix = "/api", endpoint = "people/teams")]
pub async fn team_choices() -> Result<Vec<(i64, String)>, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        if !ctx.has(houvast::domain::Role::Coordinator) {
            houvast::service::access::record_denial(&app.db, app.now(), Some(ctx), "people.team_choices").await;
            ssr::set_status(http::StatusCode::FORBIDDEN);
            return Err(AppError::Forbidden);
        }
        team_names(app, ctx).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "people/one")]
pub async fn person(id: i64) -> Result<PersonDetail, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::people::detail(&app.db, app.now(), ctx, houvast::domain::PersonId(id)).await?)
    })
    .await
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "people/create")]
pub async fn create_person(
    full_name: String,
    email: String,
    starter: Option<String>,
    mentor: Option<String>,
    team_leader: Option<String>,
    coordinator: Option<String>,
    team: Option<String>,
) -> Result<FreshLink, AppError> {
    use crate::ssr;
    ssr::limit("full_name", &full_name, 500)?;
    ssr::limit("email", &email, 500)?;
    let roles = assignments(&starter, &mentor, &team_leader, &coordinator, &team)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let created = houvast::service::people::create(&app.db, app.now(), ctx, &full_name, &email, &roles).await?;
        let fresh = FreshLink {
            person: created.person.0,
            name: full_name.trim().to_owned(),
            kind: LinkKind::Activation,
            link: Some(format!("{}/activate?token={}", app.public_url, created.token)),
            emailed_to: None,
        };
        keep_fresh_link(&fresh).await?;
        ssr::form_redirect(&format!("/people/{}", created.person.0));
        Ok(fresh)
    })
    .await
}

#[server(prefix = "/api", endpoint = "people/update")]
pub async fn update_person(id: i64, full_name: String, email: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("full_name", &full_name, 500)?;
    ssr::limit("email", &email, 500)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::people::update(
            &app.db,
            app.now(),
            ctx,
            houvast::domain::PersonId(id),
            &full_name,
            &email,
        )
        .await?;
        ssr::form_redirect(&format!("/people/{id}?saved=details"));
        Ok(())
    })
    .await
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "people/roles")]
pub async fn set_person_roles(
    id: i64,
    starter: Option<String>,
    mentor: Option<String>,
    team_leader: Option<String>,
    coordinator: Option<String>,
    team: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    let roles = assignments(&starter, &mentor, &team_leader, &coordinator, &team)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::people::set_roles(&app.db, app.now(), ctx, houvast::domain::PersonId(id), &roles).await?;
        ssr::form_redirect(&format!("/people/{id}?saved=roles"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "people/active")]
pub async fn set_person_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(
            houvast::service::people::set_active(&app.db, app.now(), ctx, houvast::domain::PersonId(id), active)
                .await?,
        )
    })
    .await
}

/// A new activation or password-reset link for the person. For an account
/// that holds data it goes to the person by e-mail, at once; the answer
/// then says only where it went.
#[server(prefix = "/api", endpoint = "people/link")]
pub async fn issue_person_link(id: i64) -> Result<FreshLink, AppError> {
    use crate::ssr;
    use houvast::service::people::LinkDelivery;
    use houvast::store::tokens::TokenPurpose;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let person = houvast::domain::PersonId(id);
        let delivery =
            houvast::service::people::issue_link(&app.db, app.now(), ctx, person, app.mail.is_some()).await?;
        let kind_of = |purpose: TokenPurpose| match purpose {
            TokenPurpose::Activation => (LinkKind::Activation, "activate"),
            TokenPurpose::PasswordReset => (LinkKind::Reset, "reset"),
        };
        let detail = houvast::service::people::detail(&app.db, app.now(), ctx, person).await?;
        let fresh = match delivery {
            LinkDelivery::Show { purpose, token } => {
                let (kind, page) = kind_of(purpose);
                FreshLink {
                    person: id,
                    name: detail.full_name,
                    kind,
                    link: Some(format!("{}/{page}?token={token}", app.public_url)),
                    emailed_to: None,
                }
            }
            LinkDelivery::Mail { purpose, token, to } => {
                let (kind, page) = kind_of(purpose);
                let url = format!("{}/{page}?token={token}", app.public_url);
                ssr::send_link(app, &to, &url, kind == LinkKind::Activation).await?;
                FreshLink {
                    person: id,
                    name: detail.full_name,
                    kind,
                    link: None,
                    emailed_to: Some(to.email),
                }
            }
        };
        keep_fresh_link(&fresh).await?;
        ssr::form_redirect(&format!("/people/{id}"));
        Ok(fresh)
    })
    .await
}
