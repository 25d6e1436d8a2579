//! People of the institution (coordinators): search and filter, add a
//! person (who gets a one-time activation link), and each person's page.

use houvast::domain::{AccountStatus, PersonDetail, Role, time};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::auth::LinkKind;
use crate::api::people::{
    CreatePerson, FreshLink, IssuePersonLink, SetPersonActive, SetPersonRoles, UpdatePerson, people, person,
    take_fresh_link, team_choices,
};
use crate::api::privacy::ErasePerson;
use crate::components::error::ErrorNotice;
use crate::components::form::{Field, FormError, Success, field_error, problem_text};
use crate::components::labels::{role_label, status_label};
use crate::components::loaded::{EmptyState, Loaded};
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::islands::CopyButton;

#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name).filter(|v| !v.is_empty()));
    let filters = move || (param("q"), param("role"), param("team"), param("status"), param("page"));
    let list = Resource::new(filters, |(q, role, team, status, page)| {
        let status = match status.as_deref() {
            Some("invited") => Some(AccountStatus::Invited),
            Some("active") => Some(AccountStatus::Active),
            Some("deactivated") => Some(AccountStatus::Deactivated),
            _ => None,
        };
        people(
            q,
            role,
            team.and_then(|t| t.parse().ok()),
            status,
            page.and_then(|p| p.parse().ok()),
        )
    });
    let current_page = move || param("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    let page_link = move |page: u32| {
        let mut parts: Vec<String> = Vec::new();
        for name in ["q", "role", "team", "status"] {
            if let Some(value) = param(name) {
                parts.push(format!("{name}={}", urlencoding(&value)));
            }
        }
        parts.push(format!("page={page}"));
        format!("/people?{}", parts.join("&"))
    };
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, nav_people).to_string()) />
        <section class="page" aria-labelledby="page-title">
            <div class="title-row">
                <h1 id="page-title">{t!(i18n, nav_people)}</h1>
                <A href="/people/new" attr:class="button">{t!(i18n, people_new)}</A>
            </div>
            <Loaded resource=list let:found>
                {
                        let teams = found.teams.clone();
                        let team_name = move |id: Option<houvast::domain::TeamId>| {
                            id.and_then(|id| teams.iter().find(|(t, _)| *t == id.0).map(|(_, n)| n.clone()))
                        };
                        let page = current_page();
                        view! {
                            <form class="filters" method="get" action="/people" role="search">
                                <div class="field">
                                    <label for="filter-q">{t!(i18n, people_search)}</label>
                                    <input id="filter-q" type="search" name="q" value=param("q") maxlength="100" />
                                </div>
                                <div class="field">
                                    <label for="filter-role">{t!(i18n, field_role)}</label>
                                    <select id="filter-role" name="role">
                                        <option value="">{t!(i18n, all)}</option>
                                        {Role::INSTITUTIONAL.into_iter().map(|role| view! {
                                            <option value=role.code() selected=param("role").as_deref() == Some(role.code())>{role_label(i18n, role)}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="filter-team">{t!(i18n, field_team)}</label>
                                    <select id="filter-team" name="team">
                                        <option value="">{t!(i18n, all)}</option>
                                        {found.teams.iter().map(|(id, name)| view! {
                                            <option value=*id selected=param("team") == Some(id.to_string())>{name.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="filter-status">{t!(i18n, field_status)}</label>
                                    <select id="filter-status" name="status">
                                        <option value="">{t!(i18n, all)}</option>
                                        {[("invited", AccountStatus::Invited), ("active", AccountStatus::Active), ("deactivated", AccountStatus::Deactivated)].into_iter().map(|(code, status)| view! {
                                            <option value=code selected=param("status").as_deref() == Some(code)>{status_label(i18n, status)}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit">{t!(i18n, filter_button)}</button>
                            </form>
                            {if found.items.is_empty() {
                                view! {
                                    <EmptyState>
                                        <h2>{t!(i18n, people_empty_title)}</h2>
                                        <p>{t!(i18n, people_empty_body)}</p>
                                    </EmptyState>
                                }.into_any()
                            } else {
                                view! {
                                    <ul class="cards">
                                        {found.items.into_iter().map(|p| {
                                            let roles = p.roles.iter().map(|(role, team)| match team_name(*team) {
                                                Some(team) => format!("{} · {team}", role_label(i18n, *role)),
                                                None => role_label(i18n, *role),
                                            }).collect::<Vec<_>>().join(", ");
                                            view! {
                                                <li class="card">
                                                    <h2><A href=format!("/people/{}", p.id)>{p.full_name.clone()}</A></h2>
                                                    <p class="muted">{p.email.clone()}</p>
                                                    <p>{roles}</p>
                                                    <p><span class=format!("badge badge-{:?}", p.status).to_lowercase()>{status_label(i18n, p.status)}</span></p>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <nav class="pager" aria-label=move || t_string!(i18n, pager_label).to_string()>
                                {(page > 0).then(|| view! { <A href=page_link(page - 1)>{t!(i18n, pager_previous)}</A> })}
                                {found.has_more.then(|| view! { <A href=page_link(page + 1)>{t!(i18n, pager_next)}</A> })}
                            </nav>
                        }
                }
            </Loaded>
        </section>
    }
}

/// Percent-encode a query value.
pub fn urlencoding(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Role checkboxes and the team they apply to.
#[component]
fn RoleFields(
    teams: Vec<(i64, String)>,
    #[prop(optional)] current: Vec<(Role, Option<houvast::domain::TeamId>)>,
    #[prop(into)] roles_error: Signal<Option<houvast::domain::FieldProblem>>,
    #[prop(into)] team_error: Signal<Option<houvast::domain::FieldProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let has = |role: Role| current.iter().any(|(r, _)| *r == role);
    let current_team = current.iter().find_map(|(_, team)| *team);
    view! {
        <fieldset class="field" class:field-invalid=move || roles_error.get().is_some()>
            <legend>{t!(i18n, field_roles)}</legend>
            {[("starter", Role::Starter), ("mentor", Role::Mentor), ("team_leader", Role::TeamLeader), ("coordinator", Role::Coordinator)]
                .into_iter()
                .map(|(name, role)| view! {
                    <label class="choice">
                        <input type="checkbox" name=name value="on" checked=has(role) />
                        {role_label(i18n, role)}
                    </label>
                })
                .collect_view()}
            <Show when=move || roles_error.get().is_some()>
                <p class="field-error">{move || roles_error.get().map(|p| problem_text(i18n, p))}</p>
            </Show>
        </fieldset>
        <div class="field" class:field-invalid=move || team_error.get().is_some()>
            <label for="field-team">{t!(i18n, field_team)}</label>
            <p class="hint" id="field-team-hint">{t!(i18n, field_team_hint)}</p>
            <select id="field-team" name="team" aria-describedby="field-team-hint">
                <option value="">{t!(i18n, no_team)}</option>
                {teams.into_iter().map(|(id, name)| view! {
                    <option value=id selected=current_team.map(|t| t.0) == Some(id)>{name}</option>
                }).collect_view()}
            </select>
            <Show when=move || team_error.get().is_some()>
                <p class="field-error">{move || team_error.get().map(|p| problem_text(i18n, p))}</p>
            </Show>
        </div>
    }
}

#[component]
pub fn NewPersonPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreatePerson>::new();
    let teams = Resource::new(|| (), |_| team_choices());
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, people_new).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <p><A href="/people">{t!(i18n, back_to_people)}</A></p>
            <h1 id="page-title">{t!(i18n, people_new)}</h1>
            <p class="lead">{t!(i18n, people_new_intro)}</p>
            <Loaded resource=teams let:teams>
                <FormError result=create.value() />
                <ActionForm action=create attr:class="stack">
                    <Field
                        name="full_name"
                        label=Signal::derive(move || t_string!(i18n, field_full_name).to_string())
                        autocomplete="off"
                        required=true
                        maxlength=120
                        error=field_error(create.value(), "full_name")
                    />
                    <Field
                        name="email"
                        kind="email"
                        label=Signal::derive(move || t_string!(i18n, field_email).to_string())
                        autocomplete="off"
                        required=true
                        maxlength=254
                        error=field_error(create.value(), "email")
                    />
                    <RoleFields teams roles_error=field_error(create.value(), "roles") team_error=field_error(create.value(), "team") />
                    <button type="submit">{t!(i18n, people_create_button)}</button>
                </ActionForm>
            </Loaded>
        </section>
    }
}

/// A just-issued link, with a button that copies it; or, for a link that
/// went by e-mail, where it went.
#[component]
pub fn FreshLinkNotice(link: FreshLink) -> impl IntoView {
    let i18n = use_i18n();
    let Some(shown) = link.link.clone() else {
        let to = link.emailed_to.clone().unwrap_or_default();
        let name = link.name.clone();
        return view! {
            <div class="notice notice-success fresh-link" role="status">
                <p>{t!(i18n, link_emailed, name = name, email = to)}</p>
                <p class="muted">{t!(i18n, link_rules)}</p>
            </div>
        }
        .into_any();
    };
    let text = shown.clone();
    let what = match link.kind {
        LinkKind::Activation => t_string!(i18n, link_activation_ready, name = link.name.clone()).to_string(),
        LinkKind::Reset => t_string!(i18n, link_reset_ready, name = link.name.clone()).to_string(),
    };
    view! {
        <div class="notice notice-success fresh-link" role="status">
            <p>{what}</p>
            <p><code class="link-text" id="fresh-link">{shown}</code></p>
            <p class="actions">
                <CopyButton text label=t_string!(i18n, copy_link).to_string() done=t_string!(i18n, copied).to_string() />
            </p>
            <p class="muted">{t!(i18n, link_rules)}</p>
        </div>
    }
    .into_any()
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = move || use_params_map().with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let update = ServerAction::<UpdatePerson>::new();
    let roles = ServerAction::<SetPersonRoles>::new();
    // The page is built once per person, so its forms keep their state;
    // what the forms change is shown again from `live`.
    let initial = Resource::new(id, person);
    let live = Resource::new(
        move || (id(), update.version().get(), roles.version().get()),
        |(id, ..)| person(id),
    );
    let teams = Resource::new(|| (), |_| team_choices());
    let fresh = Resource::new(id, |_| take_fresh_link());
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let fresh = fresh.await.ok().flatten();
                let teams = teams.await.unwrap_or_default();
                match initial.await {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(person) => view! { <PersonView person fresh teams update roles live /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PersonView(
    person: PersonDetail,
    fresh: Option<FreshLink>,
    teams: Vec<(i64, String)>,
    update: ServerAction<UpdatePerson>,
    roles: ServerAction<SetPersonRoles>,
    live: Resource<Result<PersonDetail, crate::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Plain form posts (the page reloads with the result), read back here
    // for their errors when the framework redirects with one.
    let active = ServerAction::<SetPersonActive>::new();
    let link = ServerAction::<IssuePersonLink>::new();
    let erase = ServerAction::<ErasePerson>::new();
    let (erased, saved) = use_query_map().with_untracked(|q| (q.get("erased").is_some(), q.get("saved")));
    let name = person.full_name.clone();
    let id = person.id.0;
    let team_name = move |team: Option<houvast::domain::TeamId>, teams: &[(i64, String)]| {
        team.and_then(|t| teams.iter().find(|(id, _)| *id == t.0).map(|(_, n)| n.clone()))
    };
    let deactivated = person.status == AccountStatus::Deactivated;
    let history_teams = teams.clone();
    view! {
        <PageTitle text=Signal::derive(move || name.clone()) />
        <section class="page narrow" aria-labelledby="page-title">
            <p><A href="/people">{t!(i18n, back_to_people)}</A></p>
            <h1 id="page-title">{person.full_name.clone()}</h1>
            <p class="lead">
                <span class=format!("badge badge-{:?}", person.status).to_lowercase()>{status_label(i18n, person.status)}</span>
                {person.last_login_at.map(|at| view! { " · " {t!(i18n, person_last_login)} " " {time::format_date_time(at)} })}
            </p>
            {erased.then(|| view! { <Success text=Signal::derive(move || t_string!(i18n, privacy.erased).to_string()) /> })}
            {fresh.filter(|f| f.person == id).map(|link| view! { <FreshLinkNotice link /> })}
            <section class="panel" aria-labelledby="person-details">
                <h2 id="person-details">{t!(i18n, person_details)}</h2>
                {(saved.as_deref() == Some("details")).then(|| view! {
                    <Success text=Signal::derive(move || t_string!(i18n, saved).to_string()) />
                })}
                <FormError result=update.value() />
                <ActionForm action=update attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <Field name="full_name" label=Signal::derive(move || t_string!(i18n, field_full_name).to_string()) value=person.full_name.clone() required=true maxlength=120 error=field_error(update.value(), "full_name") />
                    <Field name="email" kind="email" label=Signal::derive(move || t_string!(i18n, field_email).to_string()) value=person.email.clone().unwrap_or_default() required=true maxlength=254 error=field_error(update.value(), "email") />
                    <button type="submit">{t!(i18n, save)}</button>
                </ActionForm>
            </section>
            <section class="panel" aria-labelledby="person-roles">
                <h2 id="person-roles">{t!(i18n, field_roles)}</h2>
                {(saved.as_deref() == Some("roles")).then(|| view! {
                    <Success text=Signal::derive(move || t_string!(i18n, saved).to_string()) />
                })}
                <FormError result=roles.value() />
                <ActionForm action=roles attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <RoleFields teams=teams.clone() current=person.roles.clone() roles_error=field_error(roles.value(), "roles") team_error=field_error(roles.value(), "team") />
                    <button type="submit">{t!(i18n, save)}</button>
                </ActionForm>
                <h3>{t!(i18n, person_history)}</h3>
                <Transition fallback=|| ()>
                    {move || {
                        let teams = history_teams.clone();
                        Suspend::new(async move {
                            live.await.ok().map(|detail| view! {
                                <ul class="plain-list">
                                    {detail.history.iter().map(|(role, team, from, until)| view! {
                                        <li>
                                            {role_label(i18n, *role)}
                                            {team_name(*team, &teams).map(|t| view! { " · " {t} })}
                                            ": " {time::format_date(*from)} " – "
                                            {until.map(time::format_date).unwrap_or_else(|| t_string!(i18n, now_running).to_string())}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            })
                        })
                    }}
                </Transition>
            </section>
            <section class="panel" aria-labelledby="person-access">
                <h2 id="person-access">{t!(i18n, person_access)}</h2>
                <p><A href=format!("/people/{id}/data")>{t!(i18n, my_data.link_of)}</A></p>
                <FormError result=link.value() />
                {(!deactivated).then(|| view! {
                    <form method="post" action=IssuePersonLink::url() class="stack">
                        <input type="hidden" name="id" value=id />
                        <p class="muted">{t!(i18n, person_link_intro)}</p>
                        <button type="submit" class="button-secondary">{t!(i18n, person_link_button)}</button>
                    </form>
                })}
                <FormError result=active.value() />
                <form method="post" action=SetPersonActive::url() class="stack">
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="active" value=if deactivated { "true" } else { "false" } />
                    {if deactivated {
                        view! {
                            <p class="muted">{t!(i18n, person_reactivate_intro)}</p>
                            <button type="submit">{t!(i18n, person_reactivate)}</button>
                        }.into_any()
                    } else {
                        view! {
                            <p class="muted">{t!(i18n, person_deactivate_intro)}</p>
                            <button type="submit" class="button-danger">{t!(i18n, person_deactivate)}</button>
                        }.into_any()
                    }}
                </form>
            </section>
            <section class="panel" aria-labelledby="person-erase">
                <h2 id="person-erase">{t!(i18n, privacy.erase_title)}</h2>
                <p class="muted">{t!(i18n, privacy.erase_lead)}</p>
                <FormError result=erase.value() />
                <form method="post" action=ErasePerson::url() class="stack">
                    <input type="hidden" name="id" value=id />
                    <Field
                        name="confirm_name"
                        label=Signal::derive(move || t_string!(i18n, privacy.erase_confirm).to_string())
                        autocomplete="off"
                        required=true
                        maxlength=120
                        error=field_error(erase.value(), "confirm_name")
                    />
                    <button type="submit" class="button-danger">{t!(i18n, privacy.erase_button)}</button>
                </form>
            </section>
        </section>
    }
}
