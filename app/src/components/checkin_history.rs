//! A starter's check-in history: one small server-rendered SVG chart per
//! measure with a text alternative, and the numbers in a table (works
//! without JavaScript). Shown to the starter and to their mentor.

use houvast::domain::checkin::{CheckInView, Measure, chart_points};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::components::dates::day;
use crate::i18n::*;

fn measure_name(i18n: I18nContext<Locale>, measure: Measure) -> String {
    match measure {
        Measure::Wellbeing => t_string!(i18n, measure_name.wellbeing),
        Measure::Workload => t_string!(i18n, measure_name.workload),
        Measure::Support => t_string!(i18n, measure_name.support),
        Measure::Confidence => t_string!(i18n, measure_name.confidence),
        Measure::IntentionToStay => t_string!(i18n, measure_name.intention_to_stay),
    }
    .to_string()
}

const CHART_W: f32 = 300.0;
const CHART_H: f32 = 80.0;
const CHART_PAD: f32 = 8.0;

/// One small chart per measure, with a text alternative and the numbers
/// in a table (server-rendered SVG: works without JavaScript).
#[component]
pub fn CheckInHistory(history: Vec<CheckInView>) -> impl IntoView {
    let i18n = use_i18n();
    if history.is_empty() {
        return view! {
            <section class="panel" aria-labelledby="history">
                <h2 id="history">{t!(i18n, checkin_history)}</h2>
                <p class="muted">{t!(i18n, checkin_history_empty)}</p>
            </section>
        }
        .into_any();
    }
    let recent: Vec<CheckInView> = history.iter().rev().take(12).rev().cloned().collect();
    let rows = recent.clone();
    view! {
        <section class="panel" aria-labelledby="history">
            <h2 id="history">{t!(i18n, checkin_history)}</h2>
            <div class="charts">
                {Measure::ALL.iter().map(|m| {
                    let scores: Vec<u8> = recent.iter().map(|c| c.scores.get(*m).get()).collect();
                    let points = chart_points(&scores, CHART_W, CHART_H, CHART_PAD);
                    let path = points.iter().map(|p| format!("{:.1},{:.1}", p.x, p.y)).collect::<Vec<_>>().join(" ");
                    let name = measure_name(i18n, *m);
                    let values = scores.iter().map(u8::to_string).collect::<Vec<_>>().join(" → ");
                    let description = t_string!(i18n, chart_description, measure = name.clone(), values = values.clone(), count = scores.len()).to_string();
                    let id = format!("chart-{}", m.code());
                    view! {
                        <figure class="chart">
                            <figcaption id=format!("{id}-title")>{name.clone()} " " <span class="muted">{values.clone()}</span></figcaption>
                            <svg viewBox=format!("0 0 {CHART_W} {CHART_H}") role="img" aria-labelledby=format!("{id}-title {id}-desc") focusable="false">
                                <desc id=format!("{id}-desc")>{description}</desc>
                                {[1u8, 3, 5].into_iter().map(|level| {
                                    let y = chart_points(&[level], CHART_W, CHART_H, CHART_PAD)[0].y;
                                    view! { <line class="grid" x1=CHART_PAD y1=y x2=CHART_W - CHART_PAD y2=y /> }
                                }).collect_view()}
                                <polyline class="line" points=path fill="none" />
                                {points.iter().map(|p| view! { <circle class="dot" cx=p.x cy=p.y r="3.5" /> }).collect_view()}
                            </svg>
                        </figure>
                    }
                }).collect_view()}
            </div>
            <details>
                <summary>{t!(i18n, chart_table)}</summary>
                <div class="table-scroll" role="region" tabindex="0"
                    aria-label=move || t_string!(i18n, chart_table).to_string()>
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, field_date)}</th>
                                {Measure::ALL.iter().map(|m| view! { <th scope="col">{measure_name(i18n, *m)}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().rev().map(|c| view! {
                                <tr>
                                    <th scope="row">{day(c.on)}</th>
                                    {Measure::ALL.iter().map(|m| view! { <td>{c.scores.get(*m).get()}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
            {history.iter().rev().find_map(|c| c.comment.clone().map(|text| (c.on, text))).map(|(on, text)| view! {
                <p class="muted">{t!(i18n, checkin_last_comment)} " (" {day(on)} "): " {text}</p>
            })}
        </section>
    }
    .into_any()
}
