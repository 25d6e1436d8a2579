//! The backtest for coordinators: the institution's rules run over a past
//! period day by day, beside who left within the horizon after each day.
//! Every figure with its 95% interval, suppressed where too few leavers are
//! behind it, and said in plain words. Works without JavaScript; the table
//! downloads as CSV.

use houvast::domain::FieldProblem;
use houvast::domain::backtest::{
    Backtest, BacktestKey, BacktestRow, Calibrated, Comparison, Figure, Preview, RiskChoice,
};
use houvast::domain::risk::CHOICES;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

use crate::AppError;
use crate::api::signals::{AdoptRisk, StopRisk, load_backtest};
use crate::components::dates::day;
use crate::components::error::ErrorNotice;
use crate::components::form::{Success, problem_text};
use crate::components::loaded::EmptyState;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::signals::{feature_name, rule_name};

fn key_label(i18n: I18nContext<Locale>, key: BacktestKey) -> String {
    match key {
        BacktestKey::AnySignal => t_string!(i18n, backtest.any_signal).to_string(),
        BacktestKey::Red => t_string!(i18n, backtest.red).to_string(),
        BacktestKey::Rule(rule) => rule_name(i18n, rule),
        BacktestKey::Risk(permille) => {
            t_string!(i18n, backtest.risk_row, threshold = permille_text(i18n, permille)).to_string()
        }
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
    let get = move |key: &'static str| query.with(|q| q.get(key).unwrap_or_default());
    let from = move || get("from");
    let to = move || get("to");
    let data = Resource::new(
        move || (from(), to(), get("red"), get("amber")),
        |(from, to, red, amber)| load_backtest(from, to, red, amber),
    );
    let adopted = move || !get("adopted").is_empty();
    let stopped = move || !get("stopped").is_empty();
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, backtest.title).to_string()) />
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, backtest.title)}</h1>
            <p class="lead">{t!(i18n, backtest.lead)}</p>
            {move || adopted().then(|| view! { <Success text=Signal::derive(move || t_string!(i18n, backtest.adopted).to_string()) /> })}
            {move || stopped().then(|| view! { <Success text=Signal::derive(move || t_string!(i18n, backtest.stopped).to_string()) /> })}
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, backtest.running)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(error) => {
                            let problems = (field_problem(&error, "from"), field_problem(&error, "to"));
                            let thresholds = (field_problem(&error, "red"), field_problem(&error, "amber"));
                            let has_field = problems.0.is_some() || problems.1.is_some();
                            let has_threshold = thresholds.0.is_some() || thresholds.1.is_some();
                            view! {
                                <PeriodForm from=from() to=to() problems />
                                {has_threshold.then(|| view! {
                                    <div class="notice notice-error" role="alert">
                                        <p>{thresholds.0.or(thresholds.1).map(|p| problem_text(i18n, p))}</p>
                                        <p><a href=format!("/signals/backtest?from={}&to={}", from(), to())>{t!(i18n, backtest.choose_again)}</a></p>
                                    </div>
                                })}
                                {(!has_field && !has_threshold).then(|| view! { <ErrorNotice error /> })}
                            }.into_any()
                        }
                        Ok(page) => view! {
                            <PeriodForm from=page.test.from.to_string() to=page.test.to.to_string() problems=(None, None) />
                            <BacktestView test=page.test.clone() />
                            <ChooseRisk choice=page.risk from=page.test.from.to_string() to=page.test.to.to_string() />
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

/// A per mille threshold as a percentage ("12,5%").
fn permille_text(i18n: I18nContext<Locale>, permille: u16) -> String {
    let text = if permille.is_multiple_of(10) {
        format!("{}%", permille / 10)
    } else {
        format!("{:.1}%", f64::from(permille) / 10.0)
    };
    if i18n.get_locale() == Locale::nl {
        text.replace('.', ",")
    } else {
        text
    }
}

/// Red and amber from the calibrated risk: what decides now, what each
/// threshold would flag today and how it did on the period, the effect of
/// the thresholds tried, and adopting them (or going back to the rules).
#[component]
fn ChooseRisk(choice: RiskChoice, from: String, to: String) -> impl IntoView {
    let i18n = use_i18n();
    let starters = choice.starters_today;
    let now = match &choice.current {
        Some(current) => view! {
            <p>{t!(i18n, backtest.choose_current, since = day(current.adopted_on), red = permille_text(i18n, current.red),
                amber = permille_text(i18n, current.amber), from = day(current.fit_from), to = day(current.fit_to),
                leavers = current.fit_leavers)}
                {current.pooled.then(|| view! { " " {t!(i18n, backtest.choose_pooled)} })}</p>
            <p>{t!(i18n, backtest.choose_now, red = choice.red_now, flagged = choice.flagged_now, starters = starters)}</p>
            <form method="post" action=StopRisk::url() class="inline-form">
                <button type="submit" class="secondary">{t!(i18n, backtest.choose_stop)}</button>
            </form>
        }
        .into_any(),
        None => view! {
            <p>{t!(i18n, backtest.choose_rules_now, red = choice.red_now, flagged = choice.flagged_now, starters = starters)}</p>
        }
        .into_any(),
    };
    let body = if choice.latest_available {
        let (red, amber) = choice
            .preview
            .map(|p| (p.red, p.amber))
            .or(choice.current.as_ref().map(|c| (c.red, c.amber)))
            .or(choice.suggested)
            .unwrap_or((250, 100));
        let select = move |id: &'static str, name: &'static str, label: String, chosen: u16| {
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    <select id=id name=name>
                        {CHOICES.iter().map(|c| view! {
                            <option value=c.to_string() selected=*c == chosen>{permille_text(i18n, *c)}</option>
                        }).collect_view()}
                    </select>
                </div>
            }
        };
        view! {
            <p>{t!(i18n, backtest.choose_latest, from = day(choice.latest_from), to = day(choice.latest_to),
                leavers = choice.latest_leavers)}
                {choice.latest_pooled.then(|| view! { " " {t!(i18n, backtest.choose_pooled)} })}</p>
            <div class="table-scroll" role="region" aria-labelledby="choose-caption" tabindex="0">
                <table class="readouts">
                    <caption id="choose-caption">{t!(i18n, backtest.choose_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, backtest.col_threshold)}</th>
                            <th scope="col">{t!(i18n, backtest.col_today, starters = starters)}</th>
                            <th scope="col">{t!(i18n, backtest.col_precision)}</th>
                            <th scope="col">{t!(i18n, backtest.col_recall)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {choice.choices.iter().map(|c| {
                            let share = if starters > 0 { f64::from(c.today) / f64::from(starters) } else { 0.0 };
                            view! {
                                <tr>
                                    <th scope="row">{permille_text(i18n, c.threshold)}</th>
                                    <td>{format!("{} ({})", c.today, number(i18n, share, Unit::Percent))}</td>
                                    <td>{c.precision.map(|p| number(i18n, p, Unit::Percent)).unwrap_or_else(|| "–".to_owned())}</td>
                                    <td>{c.recall.map(|r| number(i18n, r, Unit::Percent)).unwrap_or_else(|| "–".to_owned())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <form method="get" action="/signals/backtest" class="filters" aria-label=move || t_string!(i18n, backtest.choose_heading)>
                <input type="hidden" name="from" value=from.clone() />
                <input type="hidden" name="to" value=to.clone() />
                {select("risk-red", "red", t_string!(i18n, backtest.choose_red).to_string(), red)}
                {select("risk-amber", "amber", t_string!(i18n, backtest.choose_amber).to_string(), amber)}
                <button type="submit" class="secondary">{t!(i18n, backtest.choose_preview)}</button>
            </form>
            {choice.preview.map(|preview| view! { <PreviewBox preview starters from=from.clone() to=to.clone() /> })}
        }
        .into_any()
    } else {
        view! {
            <p>{t!(i18n, backtest.choose_too_little, leavers = choice.latest_leavers, needed = houvast::domain::risk::MIN_FIT_LEAVERS,
                from = day(choice.latest_from), to = day(choice.latest_to))}</p>
            {(!choice.pool_history).then(|| view! {
                <p class="muted">{t!(i18n, backtest.choose_pool_hint)} " " <a href="/signals/settings">{t!(i18n, backtest.settings_link)}</a></p>
            })}
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="choose-title">
            <h2 id="choose-title">{t!(i18n, backtest.choose_heading)}</h2>
            {now}
            {body}
        </section>
    }
}

/// The effect of the thresholds tried, and adopting them.
#[component]
fn PreviewBox(preview: Preview, starters: u32, from: String, to: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice" role="status" id="risk-preview">
            <p>{t!(i18n, backtest.preview_effect, red = permille_text(i18n, preview.red), amber = permille_text(i18n, preview.amber),
                red_today = preview.red_today, amber_today = preview.amber_today, starters = starters,
                newly = preview.newly_flagged)}</p>
            <p>{t!(i18n, backtest.preview_alerts, alerts = preview.alerts_opened)}</p>
            <form method="post" action=AdoptRisk::url()>
                <input type="hidden" name="from" value=from />
                <input type="hidden" name="to" value=to />
                <input type="hidden" name="red" value=preview.red.to_string() />
                <input type="hidden" name="amber" value=preview.amber.to_string() />
                <button type="submit">{t!(i18n, backtest.choose_adopt)}</button>
            </form>
        </div>
    }
}
