//! Retention, measured: survival curves and readouts per group, the own
//! institution beside all others together, cohort shares, and every table
//! as CSV. Rendered on the server (works without JavaScript); charts are
//! SVG with a title, a description and the table behind them.

use houvast::domain::retention::{
    Breakdown, Cell, Coverage, GroupFigures, IntensityBand, READOUT_MONTHS, Readout, RetentionMeasure, RetentionPage,
    RetentionReport, RetentionScope, Share, months_to_days,
};
use houvast::domain::trajectory::EntryRoute;
use houvast::domain::{Sector, time};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

use crate::api::retention::load_retention;
use crate::components::labels::sector_label;
use crate::components::loaded::{EmptyState, Loaded};
use crate::components::title::PageTitle;
use crate::components::trajectory_labels::route_label;
use crate::i18n::*;

// Narrow enough that its text stays at least 12 px on a 390 px phone.
const W: f32 = 400.0;
const H: f32 = 300.0;
const LEFT: f32 = 44.0;
const RIGHT: f32 = 12.0;
const TOP: f32 = 12.0;
const BOTTOM: f32 = 36.0;
/// At most this many curves in one chart; the table has every group.
const MAX_SERIES: usize = 7;

fn measure_label(i18n: I18nContext<Locale>, measure: RetentionMeasure) -> String {
    match measure {
        RetentionMeasure::Institution => t_string!(i18n, retention.measure_institution),
        RetentionMeasure::Education => t_string!(i18n, retention.measure_education),
    }
    .to_string()
}

fn breakdown_label(i18n: I18nContext<Locale>, by: Breakdown) -> String {
    match by {
        Breakdown::All => t_string!(i18n, retention.by_all),
        Breakdown::Team => t_string!(i18n, retention.by_team),
        Breakdown::Sector => t_string!(i18n, retention.by_sector),
        Breakdown::Route => t_string!(i18n, retention.by_route),
        Breakdown::Cohort => t_string!(i18n, retention.by_cohort),
        Breakdown::Partnership => t_string!(i18n, retention.by_partnership),
        Breakdown::Intensity => t_string!(i18n, retention.by_intensity),
    }
    .to_string()
}

/// A group's code or name in words.
fn group_label(i18n: I18nContext<Locale>, by: Breakdown, group: &str) -> String {
    match by {
        Breakdown::All => t_string!(i18n, retention.everyone).to_string(),
        Breakdown::Sector => Sector::from_code(group).map_or_else(|| group.to_owned(), |s| sector_label(i18n, s)),
        Breakdown::Route => EntryRoute::from_code(group).map_or_else(|| group.to_owned(), |r| route_label(i18n, r)),
        Breakdown::Partnership if group == "yes" => t_string!(i18n, retention.in_partnership).to_string(),
        Breakdown::Partnership => t_string!(i18n, retention.not_in_partnership).to_string(),
        Breakdown::Intensity => match IntensityBand::from_code(group) {
            Some(IntensityBand::None) => t_string!(i18n, retention.intensity_none),
            Some(IntensityBand::Low) => t_string!(i18n, retention.intensity_low),
            Some(IntensityBand::Medium) => t_string!(i18n, retention.intensity_medium),
            _ => t_string!(i18n, retention.intensity_high),
        }
        .to_string(),
        Breakdown::Team if group == "-" => t_string!(i18n, retention.no_team).to_string(),
        Breakdown::Team | Breakdown::Cohort => group.to_owned(),
    }
}

fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

#[component]
pub fn RetentionPageView() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let params = move || query.with(|q| (q.get("measure").unwrap_or_default(), q.get("by").unwrap_or_default()));
    let data = Resource::new(params, |(measure, by)| load_retention(measure, by));
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, retention.title).to_string()) />
        <section class="page retention" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, retention.title)}</h1>
            <Loaded resource=data let:page>
                <RetentionView page />
            </Loaded>
        </section>
    }
}

#[component]
fn RetentionView(page: RetentionPage) -> impl IntoView {
    let i18n = use_i18n();
    let report = page.report.clone();
    let (measure, by) = (report.measure, report.by);
    let analyst = matches!(page.scope, RetentionScope::AllInstitutions { .. });
    let scope = match &page.scope {
        RetentionScope::Institution(name) => name.clone(),
        RetentionScope::Teams(names) => t_string!(i18n, retention.scope_teams, teams = names.join(", ")).to_string(),
        RetentionScope::AllInstitutions { institutions } => {
            t_string!(i18n, retention.scope_all, count = *institutions).to_string()
        }
    };
    let query = format!("measure={}&by={}", measure.code(), by.code());
    let csv = move |table: &str, semicolon: bool| {
        format!(
            "/retention.csv?table={table}&{query}{}",
            if semicolon { "&sep=semicolon" } else { "" }
        )
    };
    let breakdowns: Vec<Breakdown> = Breakdown::ALL
        .iter()
        .copied()
        .filter(|b| !(analyst && *b == Breakdown::Team))
        .collect();
    view! {
        <p class="lead">
            {scope} " · " {t!(i18n, retention.as_of)} " " {time::format_date(time::start_of_day(report.as_of))}
        </p>
        <form method="get" action="/retention" class="filters no-print">
            <label>
                {t!(i18n, retention.measure)}
                <select name="measure">
                    {RetentionMeasure::ALL.iter().map(|m| view! {
                        <option value=m.code() selected=*m == measure>{measure_label(i18n, *m)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {t!(i18n, retention.by)}
                <select name="by">
                    {breakdowns.into_iter().map(|b| view! {
                        <option value=b.code() selected=b == by>{breakdown_label(i18n, b)}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit">{t!(i18n, retention.show)}</button>
        </form>

        <section class="panel" aria-labelledby="curve-title">
            <h2 id="curve-title">{measure_label(i18n, measure)} " · " {breakdown_label(i18n, by)}</h2>
            <SurvivalChart report=report.clone() others=page.others.clone() />
            <ReadoutTable report=report.clone() others=page.others.clone() />
            <p class="downloads no-print">
                {t!(i18n, retention.download)} " "
                <a href=csv("readouts", false) download>{t!(i18n, retention.csv_readouts)}</a> " ("
                <a href=csv("readouts", true) download>{t!(i18n, retention.csv_semicolon)}</a> ") · "
                <a href=csv("curve", false) download>{t!(i18n, retention.csv_curve)}</a> " ("
                <a href=csv("curve", true) download>{t!(i18n, retention.csv_semicolon)}</a> ")"
                // Per-person records: analysts only (small teams re-identify).
                {analyst.then(|| view! {
                    " · "
                    <a href=csv("records", false) download>{t!(i18n, retention.csv_records)}</a> " ("
                    <a href=csv("records", true) download>{t!(i18n, retention.csv_semicolon)}</a> ")"
                })}
            </p>
        </section>

        <CoverageTable coverage=page.coverage.clone() others=page.others_coverage.clone() />

        <section class="panel" aria-labelledby="explain-title">
            <h2 id="explain-title">{t!(i18n, retention.explain_title)}</h2>
            <p>{t!(i18n, retention.explain_curve)}</p>
            <p>{t!(i18n, retention.explain_censoring)}</p>
            <p>{t!(i18n, retention.explain_measures)}</p>
            <p>{t!(i18n, retention.explain_interval)}</p>
            <p>{t!(i18n, retention.explain_cohorts)}</p>
            <p>{t!(i18n, retention.explain_small)}</p>
            {page.others.is_some().then(|| view! { <p>{t!(i18n, retention.explain_benchmark)}</p> })}
        </section>
    }
}

/// Series shown in the chart: the total (or the groups), then all others.
fn series(
    i18n: I18nContext<Locale>,
    report: &RetentionReport,
    others: &Option<RetentionReport>,
) -> Vec<(String, GroupFigures)> {
    let mut list: Vec<(String, GroupFigures)> = report
        .groups
        .iter()
        .filter(|g| !g.curve.is_empty())
        .take(MAX_SERIES)
        .map(|g| (group_label(i18n, report.by, &g.group), g.clone()))
        .collect();
    // Not split, or every group too small to draw: the whole scope.
    if list.is_empty() && !report.total.curve.is_empty() {
        list.push((group_label(i18n, Breakdown::All, ""), report.total.clone()));
    }
    if let Some(others) = others.as_ref().filter(|o| !o.total.curve.is_empty()) {
        list.push((t_string!(i18n, retention.others).to_string(), others.total.clone()));
    }
    list
}

fn x_of(days: u32) -> f32 {
    let max = months_to_days(60) as f32;
    LEFT + (W - LEFT - RIGHT) * (days as f32).min(max) / max
}

fn y_of(survival: f64) -> f32 {
    TOP + (H - TOP - BOTTOM) * (1.0 - survival as f32)
}

/// The step line of a curve, from 100% at the start to its last listed time.
fn step_path(group: &GroupFigures) -> String {
    let mut path = format!("M{:.1},{:.1}", x_of(0), y_of(1.0));
    let mut level = 1.0;
    for p in &group.curve {
        if p.survival != level {
            path.push_str(&format!(" H{:.1} V{:.1}", x_of(p.days), y_of(p.survival)));
            level = p.survival;
        }
    }
    if let Some(last) = group.curve.last() {
        path.push_str(&format!(" H{:.1}", x_of(last.days)));
    }
    path
}

#[component]
fn SurvivalChart(report: RetentionReport, others: Option<RetentionReport>) -> impl IntoView {
    let i18n = use_i18n();
    let lines = series(i18n, &report, &others);
    if lines.is_empty() {
        return view! { <EmptyState><p>{t!(i18n, retention.no_curve)}</p></EmptyState> }.into_any();
    }
    let names = lines
        .iter()
        .map(|(name, _)| name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let description = t_string!(i18n, retention.chart_description, groups = names).to_string();
    view! {
        <figure class="survival">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="curve-title survival-desc" focusable="false">
                <desc id="survival-desc">{description}</desc>
                {[0.0, 0.25, 0.5, 0.75, 1.0].into_iter().map(|s| view! {
                    <line class="grid" x1=LEFT y1=y_of(s) x2=W - RIGHT y2=y_of(s) />
                    <text class="axis" x=LEFT - 6.0 y=y_of(s) + 4.0 text-anchor="end">{percent(s)}</text>
                }).collect_view()}
                {[0u32, 12, 24, 36, 48, 60].into_iter().map(|m| view! {
                    <line class="tick" x1=x_of(months_to_days(m)) y1=H - BOTTOM x2=x_of(months_to_days(m)) y2=H - BOTTOM + 5.0 />
                    <text class="axis" x=x_of(months_to_days(m)) y=H - BOTTOM + 18.0 text-anchor="middle">{m}</text>
                }).collect_view()}
                <text class="axis" x=(LEFT + W - RIGHT) / 2.0 y=H - 4.0 text-anchor="middle">{t!(i18n, retention.months_after_start)}</text>
                {lines.iter().enumerate().map(|(i, (_, group))| view! {
                    <path class=format!("series s{i}") d=step_path(group) fill="none" />
                }).collect_view()}
            </svg>
            <figcaption>
                <ul class="legend">
                    {lines.into_iter().enumerate().map(|(i, (name, _))| view! {
                        <li>
                            <svg class="swatch" viewBox="0 0 28 10" aria-hidden="true" focusable="false">
                                <line class=format!("series s{i}") x1="1" y1="5" x2="27" y2="5" />
                            </svg>
                            {name}
                        </li>
                    }).collect_view()}
                </ul>
            </figcaption>
        </figure>
    }
    .into_any()
}

fn readout_text(i18n: I18nContext<Locale>, cell: &Cell<Option<Readout>>) -> (String, String) {
    match cell {
        Cell::Shown(Some(r)) => (
            percent(r.survival),
            format!("{}–{}", percent(r.lower), percent(r.upper)),
        ),
        Cell::Shown(None) => ("".to_owned(), t_string!(i18n, retention.not_yet).to_string()),
        Cell::Suppressed => (hidden(i18n), String::new()),
    }
}

/// A figure about fewer than five people, which is never shown, in words.
fn hidden(i18n: I18nContext<Locale>) -> String {
    t_string!(i18n, retention.hidden).to_string()
}

fn count_text<T: std::fmt::Display>(i18n: I18nContext<Locale>, cell: &Cell<T>) -> String {
    match cell {
        Cell::Shown(v) => v.to_string(),
        Cell::Suppressed => hidden(i18n),
    }
}

#[component]
fn ReadoutTable(report: RetentionReport, others: Option<RetentionReport>) -> impl IntoView {
    let i18n = use_i18n();
    let by = report.by;
    let mut rows: Vec<(String, GroupFigures)> = vec![(group_label(i18n, Breakdown::All, ""), report.total.clone())];
    rows.extend(
        report
            .groups
            .iter()
            .map(|g| (group_label(i18n, by, &g.group), g.clone())),
    );
    if let Some(others) = others {
        rows.push((t_string!(i18n, retention.others).to_string(), others.total));
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="readout-caption">
            <table class="readouts">
                <caption id="readout-caption">{t!(i18n, retention.table_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, retention.group)}</th>
                        <th scope="col">{t!(i18n, retention.people)}</th>
                        <th scope="col">{t!(i18n, retention.left)}</th>
                        {READOUT_MONTHS.iter().map(|m| view! {
                            <th scope="col">{t!(i18n, retention.after_months, months = *m)}</th>
                        }).collect_view()}
                        {[1u32, 2, 3].into_iter().map(|y| view! {
                            <th scope="col">{t!(i18n, retention.cohort_after_years, years = y)}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(name, g)| {
                        let suppressed = matches!(g.people, Cell::Suppressed);
                        view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td>{count_text(i18n, &g.people)}</td>
                                <td>{count_text(i18n, &g.events)}</td>
                                {g.readouts.iter().map(|(_, cell)| {
                                    let (value, interval) = readout_text(i18n, cell);
                                    view! { <td>{value} <span class="interval">{interval}</span></td> }
                                }).collect_view()}
                                {[1u32, 2, 3].into_iter().map(|years| {
                                    let share = g.cohort_shares.iter().find(|(y, _)| *y == years).map(|(_, cell)| *cell);
                                    let text = match share {
                                        Some(Cell::Shown(s)) => format!("{} ({} / {})", percent(f64::from(s.still) / f64::from(s.size.max(1))), s.still, s.size),
                                        Some(Cell::Suppressed) => hidden(i18n),
                                        None if suppressed => hidden(i18n),
                                        None => String::new(),
                                    };
                                    view! { <td>{text}</td> }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// "0,62" in Dutch, "0.62" in English.
fn decimal(i18n: I18nContext<Locale>, value: f64) -> String {
    let text = format!("{value:.2}");
    if i18n.get_locale() == Locale::nl {
        text.replace('.', ",")
    } else {
        text
    }
}

fn share_text(i18n: I18nContext<Locale>, cell: &Cell<Share>) -> String {
    match cell {
        Cell::Shown(s) => format!("{} ({} / {})", percent(s.ratio()), s.part, s.whole),
        Cell::Suppressed => hidden(i18n),
    }
}

/// The coverage figures as rows of text, in a fixed order.
fn coverage_cells(i18n: I18nContext<Locale>, c: &Coverage) -> Vec<String> {
    vec![
        count_text(i18n, &c.starters),
        share_text(i18n, &c.mentor_within_14_days),
        match &c.median_days_to_first_conversation {
            Cell::Shown(days) => t_string!(i18n, retention.days, count = *days).to_string(),
            Cell::Suppressed => hidden(i18n),
        },
        match &c.conversations_per_month {
            Cell::Shown(rate) => decimal(i18n, *rate),
            Cell::Suppressed => hidden(i18n),
        },
        share_text(i18n, &c.checkin_response),
        share_text(i18n, &c.in_partnership),
        share_text(i18n, &c.hours_granted),
        count_text(i18n, &c.open_alerts_red),
        count_text(i18n, &c.open_alerts_amber),
        match &c.median_days_to_acknowledge {
            Cell::Shown(days) => decimal(i18n, *days),
            Cell::Suppressed => hidden(i18n),
        },
    ]
}

#[component]
fn CoverageTable(coverage: Coverage, others: Option<Coverage>) -> impl IntoView {
    let i18n = use_i18n();
    let labels = [
        t_string!(i18n, retention.coverage_starters).to_string(),
        t_string!(i18n, retention.coverage_mentor_14).to_string(),
        t_string!(i18n, retention.coverage_first_conversation).to_string(),
        t_string!(i18n, retention.coverage_per_month).to_string(),
        t_string!(i18n, retention.coverage_checkins).to_string(),
        t_string!(i18n, retention.coverage_partnership).to_string(),
        t_string!(i18n, retention.coverage_hours).to_string(),
        t_string!(i18n, retention.coverage_alerts_red).to_string(),
        t_string!(i18n, retention.coverage_alerts_amber).to_string(),
        t_string!(i18n, retention.coverage_days_to_acknowledge).to_string(),
    ];
    let own = coverage_cells(i18n, &coverage);
    let theirs = others.as_ref().map(|o| coverage_cells(i18n, o));
    let has_others = theirs.is_some();
    view! {
        <section class="panel" aria-labelledby="coverage-title">
            <h2 id="coverage-title">{t!(i18n, retention.coverage_title)}</h2>
            <p class="muted">{t!(i18n, retention.coverage_lead)}</p>
            <CoverageBars coverage=coverage.clone() others=others.clone() />
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="coverage-caption">
                <table class="readouts">
                    <caption id="coverage-caption">{t!(i18n, retention.coverage_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, retention.figure)}</th>
                            <th scope="col">{t!(i18n, retention.here)}</th>
                            {has_others.then(|| view! { <th scope="col">{t!(i18n, retention.others)}</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {labels.into_iter().enumerate().map(|(i, label)| view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td>{own[i].clone()}</td>
                                {theirs.as_ref().map(|t| view! { <td>{t[i].clone()}</td> })}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="downloads no-print">
                {t!(i18n, retention.download)} " "
                <a href="/retention.csv?table=coverage" download>{t!(i18n, retention.csv_coverage)}</a> " ("
                <a href="/retention.csv?table=coverage&sep=semicolon" download>{t!(i18n, retention.csv_semicolon)}</a> ")"
            </p>
        </section>
    }
}

/// One bar of the coverage chart: label, own share, others' share.
struct Bar {
    label: String,
    own: Option<f64>,
    others: Option<f64>,
}

fn shown_ratio(cell: &Cell<Share>) -> Option<f64> {
    match cell {
        Cell::Shown(s) if s.whole > 0 => Some(s.ratio()),
        _ => None,
    }
}

/// The shares of the coverage figures as horizontal bars, own beside all
/// others; the table after it has the same numbers.
#[component]
fn CoverageBars(coverage: Coverage, others: Option<Coverage>) -> impl IntoView {
    let i18n = use_i18n();
    let pick = |c: &Coverage| {
        [
            shown_ratio(&c.mentor_within_14_days),
            shown_ratio(&c.checkin_response),
            shown_ratio(&c.in_partnership),
            shown_ratio(&c.hours_granted),
        ]
    };
    let own = pick(&coverage);
    let theirs = others.as_ref().map(pick);
    let labels = [
        t_string!(i18n, retention.coverage_mentor_14).to_string(),
        t_string!(i18n, retention.coverage_checkins).to_string(),
        t_string!(i18n, retention.coverage_partnership).to_string(),
        t_string!(i18n, retention.coverage_hours).to_string(),
    ];
    let bars: Vec<Bar> = labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| Bar {
            label,
            own: own[i],
            others: theirs.and_then(|t| t[i]),
        })
        .filter(|b| b.own.is_some() || b.others.is_some())
        .collect();
    if bars.is_empty() {
        return ().into_any();
    }
    let has_others = others.is_some();
    // Labels and values are text (they wrap on a phone and read as text);
    // only the bars themselves are drawn.
    let bar = |class: &'static str, share: f64| {
        view! {
            <svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect class=format!("bar {class}") x="0" y="0" width=format!("{:.1}", (share * 100.0).clamp(0.5, 100.0)) height="10" />
            </svg>
        }
    };
    view! {
        <figure class="bars">
            <ul class="bar-list">
                {bars.into_iter().map(|b| view! {
                    <li>
                        <span class="bar-label">{b.label.clone()}</span>
                        <span class="bar-row">
                            {match b.own {
                                Some(share) => view! { {bar("bar-own", share)} <span class="bar-value">{percent(share)}</span> }.into_any(),
                                None => view! { <span class="bar-value">{hidden(i18n)}</span> }.into_any(),
                            }}
                            {has_others.then(|| view! { <span class="visually-hidden">" " {t!(i18n, retention.here)}</span> })}
                        </span>
                        {b.others.map(|share| view! {
                            <span class="bar-row">
                                {bar("bar-others", share)}
                                <span class="bar-value">{percent(share)} <span class="visually-hidden">" " {t!(i18n, retention.others)}</span></span>
                            </span>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {has_others.then(|| view! {
                <figcaption>
                    <ul class="legend" aria-hidden="true">
                        <li><span class="bar-key bar-own"></span>{t!(i18n, retention.here)}</li>
                        <li><span class="bar-key bar-others"></span>{t!(i18n, retention.others)}</li>
                    </ul>
                </figcaption>
            })}
        </figure>
    }
    .into_any()
}
