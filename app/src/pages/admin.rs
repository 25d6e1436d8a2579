//! The admin's pages: all institutions, adding one, and per institution its
//! name, BRIN code and coordinators.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::admin::{
    AddCoordinator, CreateInstitution, RemoveSchoolLogin, SaveSchoolLogin, UpdateInstitution, institution,
    institutions, school_login_panel,
};
use crate::api::people::take_fresh_link;
use crate::components::error::ErrorNotice;
use crate::components::form::{Field, FormError, Success, field_error};
use crate::components::labels::status_label;
use crate::components::loaded::{EmptyState, Loaded};
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::people::FreshLinkNotice;

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateInstitution>::new();
    let list = Resource::new(move || create.version().get(), |_| institutions());
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, nav_institutions).to_string()) />
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, nav_institutions)}</h1>
            <Loaded resource=list let:all>
                {match all {
                    all if all.is_empty() => view! {
                        <EmptyState>
                            <h2>{t!(i18n, status_empty_title)}</h2>
                            <p>{t!(i18n, admin_empty_body)}</p>
                        </EmptyState>
                    }.into_any(),
                    all => view! {
                        <ul class="cards">
                            {all.into_iter().map(|i| {
                                let teams = i.team_count;
                                view! {
                                    <li class="card">
                                        <h2><A href=format!("/admin/institutions/{}", i.id)>{i.name.clone()}</A></h2>
                                        <p class="muted">{t!(i18n, status_brin)} " " {i.brin_code.clone()} " · " {if teams == 1 { t_string!(i18n, status_team_single).to_string() } else { t_string!(i18n, status_teams_count, count = teams).to_string() }}</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </Loaded>
            <section class="panel" aria-labelledby="new-institution">
                <h2 id="new-institution">{t!(i18n, admin_new_institution)}</h2>
                <FormError result=create.value() />
                <ActionForm action=create attr:class="stack">
                    <Field name="name" label=Signal::derive(move || t_string!(i18n, field_institution_name).to_string()) required=true maxlength=120 error=field_error(create.value(), "name") />
                    <Field name="brin_code" label=Signal::derive(move || t_string!(i18n, status_brin).to_string()) hint=Signal::derive(move || t_string!(i18n, brin_hint).to_string()) required=true maxlength=4 error=field_error(create.value(), "brin_code") />
                    <button type="submit">{t!(i18n, admin_create_button)}</button>
                </ActionForm>
            </section>
        </section>
    }
}

#[component]
pub fn InstitutionAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = move || use_params_map().with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let update = ServerAction::<UpdateInstitution>::new();
    // The update post redirects here with `?saved=1`.
    let saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    let add = ServerAction::<AddCoordinator>::new();
    let data = Resource::new(
        move || (id(), update.version().get(), add.version().get()),
        |(id, ..)| institution(id),
    );
    let fresh = Resource::new(move || (id(), add.version().get()), |_| take_fresh_link());
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let fresh = fresh.await.ok().flatten();
                match data.await {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(found) => {
                        let name = found.name.clone();
                        let id = found.id.0;
                        view! {
                            <PageTitle text=Signal::derive(move || name.clone()) />
                            <section class="page narrow" aria-labelledby="page-title">
                                <p><A href="/admin">{t!(i18n, back_to_institutions)}</A></p>
                                <h1 id="page-title">{found.name.clone()}</h1>
                                <p class="lead">{t!(i18n, status_brin)} " " {found.brin_code.clone()}</p>
                                {fresh.map(|link| view! { <FreshLinkNotice link /> })}
                                <section class="panel" aria-labelledby="coordinators">
                                    <h2 id="coordinators">{t!(i18n, stat_coordinators)}</h2>
                                    {if found.coordinators.is_empty() {
                                        view! { <p class="muted">{t!(i18n, admin_no_coordinators)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="plain-list">
                                                {found.coordinators.iter().map(|c| view! {
                                                    <li>{c.full_name.clone()} " · " {c.email.clone()} " · " {status_label(i18n, c.status)}</li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                    <h3>{t!(i18n, admin_add_coordinator)}</h3>
                                    <FormError result=add.value() />
                                    <form method="post" action=AddCoordinator::url() class="stack">
                                        <input type="hidden" name="institution" value=id />
                                        <Field name="full_name" label=Signal::derive(move || t_string!(i18n, field_full_name).to_string()) autocomplete="off" required=true maxlength=120 error=field_error(add.value(), "full_name") />
                                        <Field name="email" kind="email" label=Signal::derive(move || t_string!(i18n, field_email).to_string()) autocomplete="off" required=true maxlength=254 error=field_error(add.value(), "email") />
                                        <button type="submit">{t!(i18n, add)}</button>
                                    </form>
                                </section>
                                <SchoolLoginSection institution=id name=found.name.clone() />
                                <section class="panel" aria-labelledby="edit-institution">
                                    <h2 id="edit-institution">{t!(i18n, admin_edit_institution)}</h2>
                                    {saved.then(|| view! {
                                        <Success text=Signal::derive(move || t_string!(i18n, saved).to_string()) />
                                    })}
                                    <FormError result=update.value() />
                                    <ActionForm action=update attr:class="stack">
                                        <input type="hidden" name="id" value=id />
                                        <Field name="name" label=Signal::derive(move || t_string!(i18n, field_institution_name).to_string()) value=found.name.clone() required=true maxlength=120 error=field_error(update.value(), "name") />
                                        <Field name="brin_code" label=Signal::derive(move || t_string!(i18n, status_brin).to_string()) value=found.brin_code.clone() required=true maxlength=4 error=field_error(update.value(), "brin_code") />
                                        <button type="submit">{t!(i18n, save)}</button>
                                    </ActionForm>
                                </section>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Logging in with the school account: the provider, the client, how the
/// first login finds a person, and whether passwords stay allowed.
#[component]
fn SchoolLoginSection(institution: i64, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveSchoolLogin>::new();
    // The save post redirects here with `?school_login=saved`.
    let school_login_saved = use_query_map().with_untracked(|q| q.get("school_login").as_deref() == Some("saved"));
    let remove = ServerAction::<RemoveSchoolLogin>::new();
    let panel = Resource::new(
        move || (save.version().get(), remove.version().get()),
        move |_| school_login_panel(institution),
    );
    let label = |text: String| Signal::derive(move || text.clone());
    view! {
        <section class="panel" aria-labelledby="school-login">
            <h2 id="school-login">{t!(i18n, school_login.title)}</h2>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || {
                    let name = name.clone();
                    Suspend::new(async move {
                    match panel.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(panel) => {
                            let stored = panel.settings.clone();
                            let on = stored.is_some();
                            let s = stored.unwrap_or(houvast::domain::school_login::SchoolLoginSettings {
                                institution: houvast::domain::InstitutionId(institution),
                                issuer: String::new(),
                                client_id: String::new(),
                                institution_claim: String::new(),
                                institution_value: String::new(),
                                match_by: houvast::domain::school_login::MatchBy::Email,
                                match_claim: String::new(),
                                password_login: true,
                                create_accounts: false,
                            });
                            let by_number = s.match_by == houvast::domain::school_login::MatchBy::EmployeeNumber;
                            view! {
                                <p>{t!(i18n, school_login.intro)}</p>
                                <p><code class="copyable">{panel.redirect_uri.clone()}</code></p>
                                {(!panel.key_configured).then(|| view! {
                                    <p class="notice notice-error" role="alert">{t!(i18n, school_login.no_key)}</p>
                                })}
                                {if on {
                                    let name = name.clone();
                                    view! { <p class="notice notice-success" role="status">{t!(i18n, school_login.status_on, name = name)}</p> }.into_any()
                                } else {
                                    view! { <p class="muted">{t!(i18n, school_login.status_off)}</p> }.into_any()
                                }}
                                {school_login_saved.then(|| view! {
                                    <Success text=Signal::derive(move || t_string!(i18n, saved).to_string()) />
                                })}
                                <FormError result=save.value() />
                                <ActionForm action=save attr:class="stack">
                                    <input type="hidden" name="institution" value=institution />
                                    <Field name="issuer" label=label(t_string!(i18n, school_login.issuer).to_string()) hint=label(t_string!(i18n, school_login.issuer_hint).to_string()) value=s.issuer.clone() required=true maxlength=300 error=field_error(save.value(), "issuer") />
                                    <Field name="client_id" label=label(t_string!(i18n, school_login.client_id).to_string()) value=s.client_id.clone() autocomplete="off" required=true maxlength=200 error=field_error(save.value(), "client_id") />
                                    <Field name="client_secret" kind="password" label=label(t_string!(i18n, school_login.client_secret).to_string()) hint=label(if on { t_string!(i18n, school_login.secret_kept).to_string() } else { t_string!(i18n, school_login.secret_new).to_string() }) autocomplete="new-password" required=!on maxlength=500 error=field_error(save.value(), "client_secret") />
                                    <Field name="institution_claim" label=label(t_string!(i18n, school_login.institution_claim).to_string()) hint=label(t_string!(i18n, school_login.institution_claim_hint).to_string()) value=s.institution_claim.clone() autocomplete="off" maxlength=100 error=field_error(save.value(), "institution_claim") />
                                    <Field name="institution_value" label=label(t_string!(i18n, school_login.institution_value).to_string()) hint=label(t_string!(i18n, school_login.institution_value_hint).to_string()) value=s.institution_value.clone() autocomplete="off" maxlength=200 error=field_error(save.value(), "institution_value") />
                                    <div class="field">
                                        <label for="field-match_by">{t!(i18n, school_login.match_by)}</label>
                                        <select id="field-match_by" name="match_by">
                                            <option value="email" selected=!by_number>{t!(i18n, school_login.match_email)}</option>
                                            <option value="employee_number" selected=by_number>{t!(i18n, school_login.match_number)}</option>
                                        </select>
                                    </div>
                                    <Field name="match_claim" label=label(t_string!(i18n, school_login.match_claim).to_string()) hint=label(t_string!(i18n, school_login.match_claim_hint).to_string()) value=s.match_claim.clone() autocomplete="off" maxlength=100 error=field_error(save.value(), "match_claim") />
                                    <div class="field">
                                        <label class="choice">
                                            <input type="checkbox" name="password_login" value="on" checked=s.password_login />
                                            {t!(i18n, school_login.password_login)}
                                        </label>
                                    </div>
                                    <div class="field">
                                        <label class="choice">
                                            <input type="checkbox" name="create_accounts" value="on" checked=s.create_accounts aria-describedby="create-accounts-hint" />
                                            {t!(i18n, school_login.create_accounts)}
                                        </label>
                                        <p class="hint" id="create-accounts-hint">{t!(i18n, school_login.create_accounts_hint)}</p>
                                    </div>
                                    <button type="submit">{t!(i18n, save)}</button>
                                </ActionForm>
                                {on.then(|| view! {
                                    <ActionForm action=remove attr:class="stack">
                                        <input type="hidden" name="institution" value=institution />
                                        <button type="submit" class="button-quiet">{t!(i18n, school_login.remove)}</button>
                                    </ActionForm>
                                })}
                            }.into_any()
                        }
                    }
                })}}
            </Suspense>
        </section>
    }
}
