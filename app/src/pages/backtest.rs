//! The backtest for coordinators: the institution's rules run over a past
//! period day by day, beside who left within the horizon after each day.
//! Every figure with its 95% interval, suppressed where too few leavers are
//! behind it, and said in plain words. Works without JavaScript; the table
//! downloads as CSV.

use houvast::domain::FieldProblem;
use houvast::domain::backtest::{Backtest, BacktestKey, BacktestRow, Calibrated, Comparison, Figure};
use houvast::domain::risk::Feature;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

use crate::AppError;
use crate::api::signals::load_backtest;
use crate::components::dates::day;
use crate::components::error::ErrorNotice;
use crate::components::form::problem_text;
use crate::components::loaded::EmptyState;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::signals::rule_name;

fn key_label(i18n: I18nContext<Locale>, key: BacktestKey) -> String {
    match key {
        BacktestKey::AnySignal => t_string!(i18n, backtest.any_signal).to_string(),
        BacktestKey::Red => t_string!(i18n, backtest.red).to_string(),
        BacktestKey::Rule(rule) => rule_name(i18n, rule),
    }
}

/// How one kind of figure is written.
#[derive(Clone, Copy)]
enum Unit {
    Percent,
    Times,
    Days,
}

fn number(i18n: I18nContext<Locale>, value: f64, unit: Unit) -> String {
    let text = match unit {
        Unit::Percent => format!("{:.0}%", value * 100.0),
        Unit::Times => format!("{value:.1}×"),
        Unit::Days => format!("{value:.0}"),
    };
    if i18n.get_locale() == Locale::nl {
        text.replace('.', ",")
    } else {
        text
    }
}

/// The figure and, apart, its interval (or why it is not shown).
fn figure_text(i18n: I18nContext<Locale>, figure: Figure, unit: Unit) -> (String, String) {
    match figure {
        Figure::Estimate { value, low, high } => (
            number(i18n, value, unit),
            format!("{}–{}", number(i18n, low, unit), number(i18n, high, unit)),
        ),
        Figure::TooFewLeavers { leavers } => (
            "–".to_owned(),
            t_string!(i18n, backtest.too_few, leavers = leavers).to_string(),
        ),
        Figure::Undefined => ("–".to_owned(), String::new()),
    }
}

/// "1 in N" for a share, when it is shown.
fn one_in(figure: Figure) -> Option<u64> {
    figure
        .value()
        .filter(|share| *share > 0.0)
        .map(|share| (1.0 / share).round().max(1.0) as u64)
}

fn field_problem(error: &AppError, field: &str) -> Option<FieldProblem> {
    error.field(field)
}

#[component]
pub fn BacktestPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let from = move || query.with(|q| q.get("from").unwrap_or_default());
    let to = move || query.with(|q| q.get("to").unwrap_or_default());
    let data = Resource::new(move || (from(), to()), |(from, to)| load_backtest(from, to));
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, backtest.title).to_string()) />
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, backtest.title)}</h1>
            <p class="lead">{t!(i18n, backtest.lead)}</p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, backtest.running)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(error) => {
                            let problems = (field_problem(&error, "from"), field_problem(&error, "to"));
                            let has_field = problems.0.is_some() || problems.1.is_some();
                            view! {
                                <PeriodForm from=from() to=to() problems />
                                {(!has_field).then(|| view! { <ErrorNotice error /> })}
                            }.into_any()
                        }
                        Ok(test) => view! {
                            <PeriodForm from=test.from.to_string() to=test.to.to_string() problems=(None, None) />
                            <BacktestView test />
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PeriodForm(from: String, to: String, problems: (Option<FieldProblem>, Option<FieldProblem>)) -> impl IntoView {
    let i18n = use_i18n();
    let field =
        move |id: &'static str, name: &'static str, label: String, value: String, problem: Option<FieldProblem>| {
            let error_id = format!("{id}-error");
            let described = problem.is_some().then(|| error_id.clone());
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    <input id=id type="date" name=name value=value
                        aria-describedby=described aria-invalid=problem.is_some().then_some("true") />
                    {problem.map(|p| view! { <p class="field-error" id=error_id>{problem_text(i18n, p)}</p> })}
                </div>
            }
        };
    view! {
        <form method="get" action="/signals/backtest" class="filters">
            {field("backtest-from", "from", t_string!(i18n, backtest.from).to_string(), from, problems.0)}
            {field("backtest-to", "to", t_string!(i18n, backtest.to).to_string(), to, problems.1)}
            <button type="submit">{t!(i18n, backtest.run)}</button>
        </form>
    }
}

#[component]
fn BacktestView(test: Backtest) -> impl IntoView {
    let i18n = use_i18n();
    let months = test.horizon_months;
    let query = format!("from={}&to={}", test.from, test.to);
    let csv = format!("/backtest.csv?{query}");
    let csv_semicolon = format!("/backtest.csv?{query}&sep=semicolon");
    let base_one_in = one_in(test.base_rate);
    let plain: Vec<(String, u64, u64)> = test
        .rows
        .iter()
        .filter_map(|row| Some((key_label(i18n, row.key), one_in(row.precision)?, base_one_in?)))
        .collect();
    view! {
        <p>{t!(i18n, backtest.summary, starters = test.starters, leavers = test.leavers, months = months,
            from = day(test.from), to = day(test.to), until = day(test.followed_until()))}</p>
        <p class="muted">{t!(i18n, backtest.horizon_setting, months = months)} " "
            <a href="/signals/settings">{t!(i18n, backtest.settings_link)}</a></p>
        {match test.base_rate {
            Figure::Estimate { .. } => base_one_in.map(|n| view! {
                <p>{t!(i18n, backtest.base_rate, n = n, months = months)}</p>
            }.into_any()),
            _ => Some(view! {
                <EmptyState><p>{t!(i18n, backtest.few_leavers, leavers = test.leavers, min = houvast::domain::backtest::MIN_LEAVERS)}</p></EmptyState>
            }.into_any()),
        }}
        <div class="table-scroll" role="region" aria-labelledby="backtest-caption" tabindex="0">
            <table class="readouts">
                <caption id="backtest-caption">{t!(i18n, backtest.caption, months = months)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, backtest.col_signal)}</th>
                        <th scope="col">{t!(i18n, backtest.col_flagged)}</th>
                        <th scope="col">{t!(i18n, backtest.col_precision)}</th>
                        <th scope="col">{t!(i18n, backtest.col_lift)}</th>
                        <th scope="col">{t!(i18n, backtest.col_recall)}</th>
                        <th scope="col">{t!(i18n, backtest.col_lead)}</th>
                        <th scope="col">{t!(i18n, backtest.col_days_per_found)}</th>
                    </tr>
                </thead>
                <tbody>
                    {test.rows.iter().map(|row| view! { <Row row=row.clone() leavers=test.leavers /> }).collect_view()}
                </tbody>
            </table>
        </div>
        {(!plain.is_empty()).then(|| view! {
            <h2>{t!(i18n, backtest.plain_heading)}</h2>
            <ul class="plain-list">
                {plain.into_iter().map(|(name, n, base)| view! {
                    <li>{t!(i18n, backtest.plain, signal = name, n = n, months = months, base = base)}</li>
                }).collect_view()}
            </ul>
        })}
        <CalibratedRisk calibrated=test.calibrated.clone() base=test.base_rate.value() />
        <p>
            <a href=csv download>{t!(i18n, backtest.csv)}</a> " · "
            <a href=csv_semicolon download>{t!(i18n, backtest.csv_semicolon)}</a>
        </p>
        <h2>{t!(i18n, backtest.how_heading)}</h2>
        <p>{t!(i18n, backtest.how, months = months, min = houvast::domain::backtest::MIN_LEAVERS)}</p>
    }
}

/// "12 / 30 (40%)" and the interval: the leavers found of all leavers.
fn recall(i18n: I18nContext<Locale>, row: &BacktestRow, leavers: u32) -> impl IntoView + use<> {
    let (share, interval) = figure_text(i18n, row.recall, Unit::Percent);
    let found = match row.recall {
        Figure::Estimate { .. } => format!("{} / {leavers} ({share})", row.leavers_found),
        _ => format!("{} / {leavers}", row.leavers_found),
    };
    view! { <td>{found} <span class="interval">{interval}</span></td> }
}

#[component]
fn Row(row: BacktestRow, leavers: u32) -> impl IntoView {
    let i18n = use_i18n();
    let cell = move |figure: Figure, unit: Unit| {
        let (value, interval) = figure_text(i18n, figure, unit);
        view! { <td>{value} <span class="interval">{interval}</span></td> }
    };
    view! {
        <tr>
            <th scope="row">{key_label(i18n, row.key)}</th>
            <td>{row.flagged_starters}</td>
            {cell(row.precision, Unit::Percent)}
            {cell(row.lift, Unit::Times)}
            {recall(i18n, &row, leavers)}
            {cell(row.median_lead_days, Unit::Days)}
            {cell(row.days_per_leaver_found, Unit::Days)}
        </tr>
    }
}

fn feature_name(i18n: I18nContext<Locale>, feature: Feature) -> String {
    match feature {
        Feature::Rule(rule) => rule_name(i18n, rule),
        Feature::FixedTerm => t_string!(i18n, backtest.feature_fixed_term).to_string(),
        Feature::FirstYear => t_string!(i18n, backtest.feature_first_year).to_string(),
    }
}

/// The calibrated risk beside the best single rule, at the same recall, on
/// a period its fit never saw; or why the fixed rules alone decide.
#[component]
fn CalibratedRisk(calibrated: Calibrated, base: Option<f64>) -> impl IntoView {
    let i18n = use_i18n();
    let body = match calibrated {
        Calibrated::TooLittleHistory { fit_from, fit_to, leavers, needed } => view! {
            <p>{t!(i18n, backtest.risk_too_little, leavers = leavers, needed = needed, from = day(fit_from), to = day(fit_to))}</p>
        }
        .into_any(),
        Calibrated::Fitted(comparison) => view! { <Compared comparison=*comparison base /> }.into_any(),
    };
    view! {
        <section aria-labelledby="risk-title">
            <h2 id="risk-title">{t!(i18n, backtest.risk_heading)}</h2>
            {body}
        </section>
    }
}

#[component]
fn Compared(comparison: Comparison, base: Option<f64>) -> impl IntoView {
    let i18n = use_i18n();
    // Every feature present: the ones that raise the risk, largest first.
    let reasons = comparison.model.reasons(houvast::domain::risk::Mask::MAX);
    let strongest = reasons
        .iter()
        .take(3)
        .map(|(f, _)| feature_name(i18n, *f))
        .collect::<Vec<_>>()
        .join(", ");
    let lift = |precision: f64| {
        base.filter(|b| *b > 0.0)
            .map(|b| number(i18n, precision / b, Unit::Times))
            .unwrap_or_default()
    };
    let table = match (comparison.rule, comparison.risk) {
        (Some((key, rule_days, rule_precision, rule_recall)), Some(at)) => view! {
            <div class="table-scroll" role="region" aria-labelledby="risk-caption" tabindex="0">
                <table class="readouts">
                    <caption id="risk-caption">{t!(i18n, backtest.risk_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, backtest.col_signal)}</th>
                            <th scope="col">{t!(i18n, backtest.col_flagged_days)}</th>
                            <th scope="col">{t!(i18n, backtest.col_precision)}</th>
                            <th scope="col">{t!(i18n, backtest.col_lift)}</th>
                            <th scope="col">{t!(i18n, backtest.col_recall)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr>
                            <th scope="row">{t!(i18n, backtest.risk_best_rule, rule = key_label(i18n, key))}</th>
                            <td>{rule_days}</td>
                            <td>{number(i18n, rule_precision, Unit::Percent)}</td>
                            <td>{lift(rule_precision)}</td>
                            <td>{number(i18n, rule_recall, Unit::Percent)}</td>
                        </tr>
                        <tr>
                            <th scope="row">{t!(i18n, backtest.risk_model, threshold = number(i18n, at.threshold, Unit::Percent))}</th>
                            <td>{at.flagged_days}</td>
                            <td>{number(i18n, at.precision, Unit::Percent)}</td>
                            <td>{lift(at.precision)}</td>
                            <td>{number(i18n, at.recall, Unit::Percent)}</td>
                        </tr>
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
        _ => view! { <p>{t!(i18n, backtest.risk_no_rule)}</p> }.into_any(),
    };
    view! {
        <p>{t!(i18n, backtest.risk_fitted, from = day(comparison.fit_from), to = day(comparison.fit_to), leavers = comparison.fit_leavers)}</p>
        {table}
        {(!strongest.is_empty()).then(|| view! { <p>{t!(i18n, backtest.risk_strongest, reasons = strongest)}</p> })}
        <p class="muted">{t!(i18n, backtest.risk_not_live)}</p>
    }
}
