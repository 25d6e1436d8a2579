//! Teams: the list (coordinators see all, team leaders their own), a form
//! to add one, and each team's page with its name, sector and leaders.

use houvast::domain::{Role, Sector, TeamOverview};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::people::people;
use crate::api::teams::{ChangeTeamLeader, CreateTeam, UpdateTeam, team, teams};
use crate::components::error::ErrorNotice;
use crate::components::form::{Field, FormError, Success, field_error, problem_text};
use crate::components::labels::sector_label;
use crate::components::layout::use_viewer;
use crate::components::loaded::{EmptyState, Loaded};
use crate::components::title::PageTitle;
use crate::i18n::*;

#[component]
pub fn TeamsPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateTeam>::new();
    let list = Resource::new(move || create.version().get(), |_| teams());
    let viewer = use_viewer().0;
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, nav_teams).to_string()) />
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, nav_teams)}</h1>
            <Loaded resource=list let:teams>
                {match teams {
                    teams if teams.is_empty() => view! {
                        <EmptyState>
                            <h2>{t!(i18n, teams_empty_title)}</h2>
                            <p>{t!(i18n, teams_empty_body)}</p>
                        </EmptyState>
                    }.into_any(),
                    teams => view! {
                        <ul class="cards">
                            {teams.into_iter().map(|team| view! { <TeamCard team /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </Loaded>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let coordinator = viewer.await.ok().flatten().is_some_and(|v| v.has(Role::Coordinator));
                    coordinator.then(|| view! { <NewTeamForm create /> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn TeamCard(team: TeamOverview) -> impl IntoView {
    let i18n = use_i18n();
    let leaders = team
        .leaders
        .iter()
        .map(|l| l.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let count = team.member_count;
    view! {
        <li class="card">
            <h2>
                <A href=format!("/teams/{}", team.id)>{team.name.clone()}</A>
            </h2>
            <p class="muted">{sector_label(i18n, team.sector)}</p>
            <p>
                {t!(i18n, team_leaders)} ": "
                {if leaders.is_empty() { t_string!(i18n, team_no_leaders).to_string() } else { leaders }}
            </p>
            <p>{t!(i18n, team_member_count, count = count)}</p>
        </li>
    }
}

#[component]
fn SectorSelect(
    #[prop(optional)] selected: Option<Sector>,
    #[prop(into)] error: Signal<Option<houvast::domain::FieldProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for="field-sector">{t!(i18n, field_sector)}</label>
            <select id="field-sector" name="sector" required=true>
                <option value="" selected=selected.is_none()>{t!(i18n, choose)}</option>
                {Sector::ALL.into_iter().map(|sector| view! {
                    <option value=sector.code() selected=selected == Some(sector)>{sector_label(i18n, sector)}</option>
                }).collect_view()}
            </select>
            <Show when=move || error.get().is_some()>
                <p class="field-error">{move || error.get().map(|p| problem_text(i18n, p))}</p>
            </Show>
        </div>
    }
}

#[component]
fn NewTeamForm(create: ServerAction<CreateTeam>) -> impl IntoView {
    let i18n = use_i18n();
    // The create post redirects here with `?created=1`.
    let created = use_query_map().with_untracked(|q| q.get("created").is_some());
    view! {
        <section class="panel" aria-labelledby="new-team">
            <h2 id="new-team">{t!(i18n, teams_new)}</h2>
            {created.then(|| view! { <Success text=Signal::derive(move || t_string!(i18n, teams_created).to_string()) /> })}
            <FormError result=create.value() />
            <ActionForm action=create attr:class="stack">
                <Field
                    name="name"
                    label=Signal::derive(move || t_string!(i18n, field_team_name).to_string())
                    required=true
                    maxlength=120
                    error=field_error(create.value(), "name")
                />
                <SectorSelect error=field_error(create.value(), "sector") />
                <button type="submit">{t!(i18n, teams_create_button)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = move || use_params_map().with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let update = ServerAction::<UpdateTeam>::new();
    // The update post redirects here with `?saved=1`.
    let saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    // Leaders are added and removed by plain form posts (the page reloads);
    // this action only reads back an error the framework redirects with.
    let leader = ServerAction::<ChangeTeamLeader>::new();
    let data = Resource::new(id, team);
    let viewer = use_viewer().0;
    // Only coordinators choose leaders; nobody else asks for the people list.
    let candidates = Resource::new(
        || (),
        move |_| async move {
            let coordinator = viewer.await.ok().flatten().is_some_and(|v| v.has(Role::Coordinator));
            if !coordinator {
                return Vec::new();
            }
            people(None, None, None, None, None)
                .await
                .map(|page| page.items)
                .unwrap_or_default()
        },
    );
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let coordinator = viewer.await.ok().flatten().is_some_and(|v| v.has(Role::Coordinator));
                let options = candidates.await;
                match data.await {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(team) => {
                        let name = team.name.clone();
                        let team_id = team.id.0;
                        let leaders = team.leaders.clone();
                        view! {
                            <PageTitle text=Signal::derive(move || name.clone()) />
                            <section class="page narrow" aria-labelledby="page-title">
                                <p><A href="/teams">{t!(i18n, back_to_teams)}</A></p>
                                <h1 id="page-title">{team.name.clone()}</h1>
                                <p class="lead">{sector_label(i18n, team.sector)}</p>
                                <h2>{t!(i18n, team_leaders)}</h2>
                                <FormError result=leader.value() />
                                {if leaders.is_empty() {
                                    view! { <p class="muted">{t!(i18n, team_no_leaders)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="plain-list">
                                            {leaders.into_iter().map(|l| {
                                                let person = l.id.0;
                                                let name = l.name.clone();
                                                view! {
                                                    <li class="row">
                                                        <span>{l.name}</span>
                                                        {coordinator.then(|| view! {
                                                            <form method="post" action=ChangeTeamLeader::url() class="inline-form">
                                                                <input type="hidden" name="team" value=team_id />
                                                                <input type="hidden" name="person" value=person />
                                                                <input type="hidden" name="add" value="false" />
                                                                <button type="submit" class="button-small button-secondary">
                                                                    {t!(i18n, remove)} <span class="visually-hidden">" " {name.clone()}</span>
                                                                </button>
                                                            </form>
                                                        })}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                {coordinator.then(|| view! {
                                    <form method="post" action=ChangeTeamLeader::url() class="stack">
                                        <input type="hidden" name="team" value=team_id />
                                        <input type="hidden" name="add" value="true" />
                                        <div class="field">
                                            <label for="field-person">{t!(i18n, team_add_leader)}</label>
                                            <select id="field-person" name="person" required=true>
                                                <option value="">{t!(i18n, choose)}</option>
                                                {options.iter().map(|p| view! {
                                                    <option value=p.id.0>{p.full_name.clone()}</option>
                                                }).collect_view()}
                                            </select>
                                        </div>
                                        <button type="submit">{t!(i18n, add)}</button>
                                    </form>
                                    <section class="panel" aria-labelledby="edit-team">
                                        <h2 id="edit-team">{t!(i18n, team_edit)}</h2>
                                        {saved.then(|| view! {
                                            <Success text=Signal::derive(move || t_string!(i18n, saved).to_string()) />
                                        })}
                                        <FormError result=update.value() />
                                        <ActionForm action=update attr:class="stack">
                                            <input type="hidden" name="id" value=team_id />
                                            <Field
                                                name="name"
                                                label=Signal::derive(move || t_string!(i18n, field_team_name).to_string())
                                                value=team.name.clone()
                                                required=true
                                                maxlength=120
                                                error=field_error(update.value(), "name")
                                            />
                                            <SectorSelect selected=team.sector error=field_error(update.value(), "sector") />
                                            <button type="submit">{t!(i18n, save)}</button>
                                        </ActionForm>
                                    </section>
                                })}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
