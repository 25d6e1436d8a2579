//! The coordinator's signal settings: every threshold and which rules are
//! on, a preview of how many starters each change would flag (a GET of the
//! same form, so it works without JavaScript), saving, and the holiday
//! periods that pause the time-based rules.

use std::collections::HashMap;

use houvast::domain::alerts::SettingsPage;
use houvast::domain::signals::{RuleId, SETTING_FIELDS, Settings};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

use crate::api::signals::{AddSignalHoliday, RemoveSignalHoliday, SaveSignalSettings, load_signal_settings};
use crate::components::dates::day;
use crate::components::form::{FormError, Success, problem_text};
use crate::components::loaded::Loaded;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::signals::rule_name;

fn field_label(i18n: I18nContext<Locale>, field: &str) -> String {
    match field {
        "no_mentor_days" => t_string!(i18n, settings.no_mentor_days),
        "no_conversation_amber_days" => t_string!(i18n, settings.no_conversation_amber_days),
        "no_conversation_red_days" => t_string!(i18n, settings.no_conversation_red_days),
        "low_wellbeing" => t_string!(i18n, settings.low_wellbeing),
        "high_workload" => t_string!(i18n, settings.high_workload),
        "high_workload_times" => t_string!(i18n, settings.high_workload_times),
        "low_intention" => t_string!(i18n, settings.low_intention),
        "no_checkin_days" => t_string!(i18n, settings.no_checkin_days),
        "milestone_overdue_days" => t_string!(i18n, settings.milestone_overdue_days),
        "pdg_warning_days" => t_string!(i18n, settings.pdg_warning_days),
        "backtest_horizon_months" => t_string!(i18n, settings.backtest_horizon_months),
        _ => t_string!(i18n, settings.contract_warning_days),
    }
    .to_string()
}

#[component]
pub fn SignalSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("saved"));
    // The form's fields when previewing (`preview=1`), else nothing.
    let form = move || {
        query.with(|q| {
            q.get("preview").map(|_| {
                let mut form = HashMap::new();
                for (field, _, _) in SETTING_FIELDS {
                    form.insert(field.to_owned(), q.get(field).unwrap_or_default());
                }
                for rule in RuleId::ALL {
                    let key = format!("off_{}", rule.code());
                    if let Some(value) = q.get(&key) {
                        form.insert(key, value);
                    }
                }
                if let Some(value) = q.get("pool_history") {
                    form.insert("pool_history".to_owned(), value);
                }
                form
            })
        })
    };
    let data = Resource::new(form, load_signal_settings);
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, settings.title).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, settings.title)}</h1>
            <p class="lead">{t!(i18n, settings.lead)} " " <a href="/signals">{t!(i18n, signals.about_link)}</a></p>
            {move || saved().map(|_| view! { <Success text=Signal::derive(move || t_string!(i18n, signals.saved).to_string()) /> })}
            <Loaded resource=data let:page>
                <SettingsView page />
            </Loaded>
        </section>
    }
}

#[component]
fn SettingsView(page: SettingsPage) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveSignalSettings>::new();
    let shown: Settings = page.candidate.clone().unwrap_or_else(|| page.current.clone());
    let problems = page.problems.clone();
    let previewing = page.candidate.is_some();
    view! {
        <FormError result=save.value() />
        {(!problems.is_empty()).then(|| view! {
            <div class="notice notice-error" role="alert"><p>{t!(i18n, form_has_errors)}</p></div>
        })}
        <form method="get" action="/signals/settings" class="stack settings-form">
            <input type="hidden" name="preview" value="1" />
            <fieldset>
                <legend>{t!(i18n, settings.thresholds)}</legend>
                {SETTING_FIELDS.iter().map(|(field, min, max)| {
                    let id = format!("setting-{field}");
                    let value = shown.field(field).unwrap_or_default().to_string();
                    let problem = problems.iter().find(|p| p.field == *field).map(|p| p.problem);
                    let error_id = format!("{id}-error");
                    let described = problem.is_some().then(|| error_id.clone());
                    view! {
                        <div class="field">
                            <label for=id.clone()>{field_label(i18n, field)}</label>
                            <input id=id type="number" name=*field min=*min max=*max value=value required=true
                                inputmode="numeric" aria-describedby=described aria-invalid=problem.is_some().then_some("true") />
                            {problem.map(|p| view! { <p class="field-error" id=error_id>{problem_text(i18n, p)}</p> })}
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, settings.rules_off)}</legend>
                {RuleId::ALL.iter().map(|rule| {
                    let name = format!("off_{}", rule.code());
                    let off = shown.off.contains(rule);
                    view! {
                        <label class="choice"><input type="checkbox" name=name checked=off /> {rule_name(i18n, *rule)}</label>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, settings.pool_legend)}</legend>
                <label class="choice"><input type="checkbox" name="pool_history" checked=shown.pool_history
                    aria-describedby="pool-help" /> {t!(i18n, settings.pool_history)}</label>
                <p class="muted" id="pool-help">{t!(i18n, settings.pool_help)}</p>
            </fieldset>
            <div class="button-row">
                <button type="submit" class="secondary">{t!(i18n, settings.preview)}</button>
                <button type="submit" formmethod="post" formaction=SaveSignalSettings::url()>{t!(i18n, settings.save)}</button>
            </div>
        </form>
        {previewing.then(|| view! { <Preview rows=page.preview.clone() /> })}
        <Holidays holidays=page.holidays.clone() />
    }
}

#[component]
fn Preview(rows: Vec<houvast::domain::alerts::PreviewRow>) -> impl IntoView {
    let i18n = use_i18n();
    (!rows.is_empty()).then(|| {
        view! {
            <section class="panel" aria-labelledby="preview-title">
                <h2 id="preview-title">{t!(i18n, settings.preview_title)}</h2>
                <p class="muted">{t!(i18n, settings.preview_lead)}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="preview-caption">
                    <table class="readouts">
                        <caption id="preview-caption">{t!(i18n, settings.preview_caption)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, signals.overview_rule)}</th>
                                <th scope="col">{t!(i18n, settings.now)}</th>
                                <th scope="col">{t!(i18n, settings.with_change)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|(rule, before, after)| view! {
                                <tr class:changed=before != after>
                                    <th scope="row">{match rule {
                                        Some(rule) => rule_name(i18n, rule),
                                        None => t_string!(i18n, backtest.any_signal).to_string(),
                                    }}</th>
                                    <td>{before}</td>
                                    <td>{after}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }
    })
}

#[component]
fn Holidays(holidays: Vec<(i64, String, chrono::NaiveDate, chrono::NaiveDate)>) -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddSignalHoliday>::new();
    view! {
        <section class="panel" id="holidays" aria-labelledby="holidays-title">
            <h2 id="holidays-title">{t!(i18n, signals.holidays_heading)}</h2>
            <p class="muted">{t!(i18n, settings.holidays_lead)}</p>
            {if holidays.is_empty() {
                view! { <p>{t!(i18n, signals.holidays_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {holidays.into_iter().map(|(id, name, start, end)| {
                            let label = format!("{name}: {} – {}", day(start), day(end));
                            view! {
                                <li>
                                    {label.clone()} " "
                                    <form method="post" action=RemoveSignalHoliday::url() class="inline-form">
                                        <input type="hidden" name="id" value=id />
                                        <button type="submit" class="button-small secondary">
                                            {t!(i18n, settings.remove)}<span class="visually-hidden">": " {label}</span>
                                        </button>
                                    </form>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <FormError result=add.value() />
            <form method="post" action=AddSignalHoliday::url() class="stack">
                <div class="field">
                    <label for="holiday-name">{t!(i18n, settings.holiday_name)}</label>
                    <input id="holiday-name" name="name" required=true maxlength="80" />
                </div>
                <div class="field">
                    <label for="holiday-start">{t!(i18n, settings.holiday_start)}</label>
                    <input id="holiday-start" name="start" type="date" required=true />
                </div>
                <div class="field">
                    <label for="holiday-end">{t!(i18n, settings.holiday_end)}</label>
                    <input id="holiday-end" name="end" type="date" required=true />
                </div>
                <button type="submit">{t!(i18n, settings.holiday_add)}</button>
            </form>
        </section>
    }
}
