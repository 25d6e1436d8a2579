//! The privacy statement (AVG art. 13/14), for everyone, logged in or not:
//! what Houvast keeps, why, who sees it and how long. Built from the same
//! definitions the erasure job uses (`houvast::domain::erasure`), so the
//! statement says what the job does. Coordinators also set the retention
//! period here; coordinators and admins read it as a register.

use houvast::domain::erasure::{
    AUDIT_RETENTION_MONTHS, Category, DEFAULT_RETENTION_MONTHS, Kept, UPLOAD_RETENTION_DAYS,
};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

use crate::api::privacy::{PrivacyFacts, SetRetentionPeriod, load_privacy_facts};
use crate::components::form::{Field, FormError, Success, field_error};
use crate::components::labels::role_label;
use crate::components::loaded::Loaded;
use crate::components::title::PageTitle;
use crate::i18n::*;

fn category_name(i18n: I18nContext<Locale>, category: Category) -> String {
    match category {
        Category::Account => t_string!(i18n, privacy.category.account),
        Category::Employment => t_string!(i18n, privacy.category.employment),
        Category::Trajectory => t_string!(i18n, privacy.category.trajectory),
        Category::CheckIns => t_string!(i18n, privacy.category.check_ins),
        Category::Conversations => t_string!(i18n, privacy.category.conversations),
        Category::PrivateNotes => t_string!(i18n, privacy.category.private_notes),
        Category::Signals => t_string!(i18n, privacy.category.signals),
        Category::HrImports => t_string!(i18n, privacy.category.hr_imports),
        Category::Audit => t_string!(i18n, privacy.category.audit),
    }
    .to_string()
}

fn purpose(i18n: I18nContext<Locale>, category: Category) -> String {
    match category {
        Category::Account => t_string!(i18n, privacy.purpose.account),
        Category::Employment => t_string!(i18n, privacy.purpose.employment),
        Category::Trajectory => t_string!(i18n, privacy.purpose.trajectory),
        Category::CheckIns => t_string!(i18n, privacy.purpose.check_ins),
        Category::Conversations => t_string!(i18n, privacy.purpose.conversations),
        Category::PrivateNotes => t_string!(i18n, privacy.purpose.private_notes),
        Category::Signals => t_string!(i18n, privacy.purpose.signals),
        Category::HrImports => t_string!(i18n, privacy.purpose.hr_imports),
        Category::Audit => t_string!(i18n, privacy.purpose.audit),
    }
    .to_string()
}

fn kept_label(i18n: I18nContext<Locale>, kept: Kept) -> String {
    match kept {
        Kept::EmploymentDates => t_string!(i18n, privacy.kept.employment_dates),
        Kept::RouteTeamTerms => t_string!(i18n, privacy.kept.route_team_terms),
        Kept::MilestoneDates => t_string!(i18n, privacy.kept.milestone_dates),
        Kept::CheckInScores => t_string!(i18n, privacy.kept.check_in_scores),
        Kept::ConversationDates => t_string!(i18n, privacy.kept.conversation_dates),
        Kept::Pseudonym => t_string!(i18n, privacy.kept.pseudonym),
    }
    .to_string()
}

fn seen_by(i18n: I18nContext<Locale>, category: Category) -> String {
    let roles = category.seen_by();
    if roles.is_empty() {
        return t_string!(i18n, privacy.who_nobody).to_string();
    }
    roles
        .iter()
        .map(|r| role_label(i18n, *r))
        .collect::<Vec<_>>()
        .join(", ")
}

fn how_long(i18n: I18nContext<Locale>, category: Category, months: u16) -> String {
    match (category.erased(), category) {
        (Some(_), _) => t_string!(i18n, privacy.erased_after, months = months).to_string(),
        (None, Category::Audit) => t_string!(i18n, privacy.kept_audit, months = AUDIT_RETENTION_MONTHS).to_string(),
        (None, Category::HrImports) => {
            t_string!(i18n, privacy.kept_hr_imports, days = UPLOAD_RETENTION_DAYS).to_string()
        }
        (None, _) => t_string!(i18n, privacy.kept_anonymous).to_string(),
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    let context = Resource::new(|| (), |_| load_privacy_facts());
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, privacy.title).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, privacy.title)}</h1>
            <p class="lead">{t!(i18n, privacy.lead)}</p>
            <Loaded resource=context let:context>
                <Statement context />
            </Loaded>
        </section>
    }
}

#[component]
fn Statement(context: PrivacyFacts) -> impl IntoView {
    let i18n = use_i18n();
    let months = context
        .institution
        .as_ref()
        .map_or(DEFAULT_RETENTION_MONTHS, |(_, m)| *m);
    let period = match context.institution.clone() {
        Some((institution, months)) => {
            t_string!(i18n, privacy.period_here, institution = institution, months = months).to_string()
        }
        None => t_string!(i18n, privacy.period_default, months = DEFAULT_RETENTION_MONTHS).to_string(),
    };
    let logged_in = context.institution.is_some() || context.admin;
    view! {
        <section class="panel" aria-labelledby="privacy-what">
            <h2 id="privacy-what">{t!(i18n, privacy.what)}</h2>
            <p>{period}</p>
            {Category::ALL.iter().map(|category| {
                let category = *category;
                view! {
                    <h3>{category_name(i18n, category)}</h3>
                    <dl class="facts">
                        <dt>{t!(i18n, privacy.why)}</dt><dd>{purpose(i18n, category)}</dd>
                        <dt>{t!(i18n, privacy.who)}</dt><dd>{seen_by(i18n, category)}</dd>
                        <dt>{t!(i18n, privacy.how_long)}</dt><dd>{how_long(i18n, category, months)}</dd>
                    </dl>
                }
            }).collect_view()}
        </section>
        <section class="panel" aria-labelledby="privacy-after">
            <h2 id="privacy-after">{t!(i18n, privacy.after)}</h2>
            <p>{t!(i18n, privacy.after_lead)}</p>
            <ul>
                {Kept::ALL.iter().map(|k| view! { <li>{kept_label(i18n, *k)}</li> }).collect_view()}
            </ul>
        </section>
        <section class="panel" aria-labelledby="privacy-rights">
            <h2 id="privacy-rights">{t!(i18n, privacy.rights)}</h2>
            <p>{t!(i18n, privacy.rights_access)} " " <a href=if logged_in { "/my-data" } else { "/login?next=/my-data" }>{t!(i18n, my_data.title)}</a></p>
            <p>{t!(i18n, privacy.rights_erasure)}</p>
            <p>{t!(i18n, privacy.rights_profiling)}</p>
        </section>
        {context.coordinator.then(|| view! { <RetentionSetting months /> })}
        {(context.coordinator || context.admin).then(|| view! { <Register months /> })}
    }
}

#[component]
fn RetentionSetting(months: u16) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("saved").is_some());
    let set = ServerAction::<SetRetentionPeriod>::new();
    view! {
        <section class="panel" aria-labelledby="privacy-setting">
            <h2 id="privacy-setting">{t!(i18n, privacy.setting)}</h2>
            <p class="muted">{t!(i18n, privacy.setting_lead)}</p>
            {move || (saved() || matches!(set.value().get(), Some(Ok(())))).then(|| view! {
                <Success text=Signal::derive(move || t_string!(i18n, privacy.saved).to_string()) />
            })}
            <FormError result=set.value() />
            <ActionForm action=set attr:class="stack">
                <Field
                    name="months"
                    kind="number"
                    label=Signal::derive(move || t_string!(i18n, privacy.months).to_string())
                    value=months.to_string()
                    required=true
                    error=field_error(set.value(), "months")
                />
                <button type="submit">{t!(i18n, save)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Register(months: u16) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" aria-labelledby="privacy-register">
            <h2 id="privacy-register">{t!(i18n, privacy.register)}</h2>
            <p class="muted" id="privacy-register-lead">{t!(i18n, privacy.register_lead)}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="privacy-register-lead">
                <table class="report">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, privacy.what)}</th>
                            <th scope="col">{t!(i18n, privacy.why)}</th>
                            <th scope="col">{t!(i18n, privacy.who)}</th>
                            <th scope="col">{t!(i18n, privacy.how_long)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {Category::ALL.iter().map(|category| {
                            let category = *category;
                            view! {
                                <tr>
                                    <th scope="row">{category_name(i18n, category)}</th>
                                    <td>{purpose(i18n, category)}</td>
                                    <td>{seen_by(i18n, category)}</td>
                                    <td>{how_long(i18n, category, months)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
