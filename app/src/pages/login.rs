//! Logging in. Works without JavaScript (a plain form post); with it, the
//! page goes to the requested page after a successful login.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use houvast::domain::FieldProblem;
use houvast::domain::school_login::SchoolLoginRefusal;

use crate::AppError;
use crate::api::auth::{Login, school_login_buttons};
use crate::components::form::{Field, field_error};
use crate::components::title::PageTitle;
use crate::i18n::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let next = query
        .with_untracked(|q| q.get("next"))
        .unwrap_or_else(|| "/".to_owned());
    let password_set = query.with_untracked(|q| q.get("password_set").is_some());
    let refusal = query
        .with_untracked(|q| q.get("school"))
        .and_then(|code| SchoolLoginRefusal::from_code(&code));
    let buttons = Resource::new(|| (), |_| school_login_buttons());
    let login = ServerAction::<Login>::new();
    let next_for_school = next.clone();
    let message = move || {
        login.value().with(|result| match result {
            Some(Err(AppError::InvalidCredentials)) => Some(t_string!(i18n, login_failed).to_string()),
            Some(Err(AppError::Throttled { retry_after_secs })) => {
                let minutes = retry_after_secs.div_ceil(60);
                Some(t_string!(i18n, login_throttled, minutes = minutes).to_string())
            }
            Some(Err(error @ AppError::Invalid(_)))
                if error.field("password") == Some(FieldProblem::SchoolLoginOnly) =>
            {
                Some(t_string!(i18n, problem_school_login_only).to_string())
            }
            Some(Err(AppError::Invalid(_))) => Some(t_string!(i18n, login_failed).to_string()),
            Some(Err(AppError::Internal { reference })) => Some(format!(
                "{} {}: {reference}",
                t_string!(i18n, error_title),
                t_string!(i18n, error_reference)
            )),
            Some(Err(_)) => Some(t_string!(i18n, error_network).to_string()),
            _ => None,
        })
    };
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, login_title).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, login_title)}</h1>
            {password_set.then(|| view! {
                <p class="notice notice-success" role="status">{t!(i18n, login_password_set)}</p>
            })}
            {refusal.map(|refusal| view! {
                <p class="notice notice-error" role="alert">{refusal_text(i18n, refusal)}</p>
            })}
            <Show when=move || message().is_some()>
                <p class="notice notice-error" role="alert">{message}</p>
            </Show>
            <Suspense fallback=|| ()>
                {move || {
                    let next = next_for_school.clone();
                    Suspend::new(async move {
                    let buttons = buttons.await.unwrap_or_default();
                    (!buttons.is_empty()).then(|| view! {
                        <section class="school-login stack" aria-labelledby="school-login-title">
                            <h2 id="school-login-title">{t!(i18n, login_school_heading)}</h2>
                            {buttons.into_iter().map(|button| {
                                let href = format!(
                                    "/login/school/{}?next={}",
                                    button.institution,
                                    crate::paths::encode_query(&next)
                                );
                                let name = button.name.clone();
                                view! {
                                    <a class="button button-secondary" href=href rel="external">
                                        {t!(i18n, login_school_button, name = name)}
                                    </a>
                                }
                            }).collect_view()}
                            <p class="muted">{t!(i18n, login_or_password)}</p>
                        </section>
                    })
                })}}
            </Suspense>
            <ActionForm action=login attr:class="stack">
                <input type="hidden" name="next" value=next.clone() />
                <Field
                    name="email"
                    kind="email"
                    label=Signal::derive(move || t_string!(i18n, field_email).to_string())
                    autocomplete="username"
                    required=true
                    maxlength=254
                    error=field_error(login.value(), "email")
                />
                <Field
                    name="password"
                    kind="password"
                    label=Signal::derive(move || t_string!(i18n, field_password).to_string())
                    autocomplete="current-password"
                    required=true
                    maxlength=128
                    error=Signal::derive(|| None)
                />
                <button type="submit">
                    {t!(i18n, login_button)}
                </button>
            </ActionForm>
            <p><a href="/forgot">{t!(i18n, login_forgot)}</a></p>
            <p class="muted"><a href="/privacy">{t!(i18n, privacy.title)}</a></p>
            <p class="muted">{t!(i18n, login_help)}</p>
        </section>
    }
}

/// Why a school login did not open an account, in words.
fn refusal_text(i18n: leptos_i18n::I18nContext<Locale>, refusal: SchoolLoginRefusal) -> String {
    match refusal {
        SchoolLoginRefusal::Unmatched => t_string!(i18n, school_refusal.unmatched).to_string(),
        SchoolLoginRefusal::OtherInstitution => t_string!(i18n, school_refusal.other_institution).to_string(),
        SchoolLoginRefusal::Deactivated => t_string!(i18n, school_refusal.deactivated).to_string(),
        SchoolLoginRefusal::Unavailable => t_string!(i18n, school_refusal.unavailable).to_string(),
        SchoolLoginRefusal::Unreachable => t_string!(i18n, school_refusal.unreachable).to_string(),
        SchoolLoginRefusal::Cancelled => t_string!(i18n, school_refusal.cancelled).to_string(),
        SchoolLoginRefusal::Failed => t_string!(i18n, school_refusal.failed).to_string(),
        SchoolLoginRefusal::Throttled => t_string!(i18n, school_refusal.throttled).to_string(),
    }
}
