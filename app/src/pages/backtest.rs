//! The backtest for coordinators: the institution's rules run over a past
//! period day by day, beside who actually left. Works without JavaScript;
//! the table downloads as CSV.

use houvast::domain::backtest::{Backtest, BacktestKey};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

use crate::api::signals::load_backtest;
use crate::components::dates::day;
use crate::components::error::ErrorNotice;
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

fn percent(value: Option<f64>) -> String {
    value
        .map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "–".to_owned())
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
                        Err(error) => view! {
                            <PeriodForm from=from() to=to() />
                            <ErrorNotice error />
                        }.into_any(),
                        Ok(test) => view! {
                            <PeriodForm from=test.from.to_string() to=test.to.to_string() />
                            <BacktestTable test />
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PeriodForm(from: String, to: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form method="get" action="/signals/backtest" class="filters">
            <div class="field">
                <label for="backtest-from">{t!(i18n, backtest.from)}</label>
                <input id="backtest-from" type="date" name="from" value=from />
            </div>
            <div class="field">
                <label for="backtest-to">{t!(i18n, backtest.to)}</label>
                <input id="backtest-to" type="date" name="to" value=to />
            </div>
            <button type="submit">{t!(i18n, backtest.run)}</button>
        </form>
    }
}

#[component]
fn BacktestTable(test: Backtest) -> impl IntoView {
    let i18n = use_i18n();
    let leavers = test.leavers;
    let query = format!("from={}&to={}", test.from, test.to);
    let csv = format!("/backtest.csv?{query}");
    let csv_semicolon = format!("/backtest.csv?{query}&sep=semicolon");
    view! {
        <p>{t!(i18n, backtest.summary, starters = test.starters, leavers = leavers, from = day(test.from), to = day(test.to))}</p>
        {(leavers == 0).then(|| view! { <div class="empty-state"><p>{t!(i18n, backtest.no_leavers)}</p></div> })}
        <div class="table-scroll" role="region" aria-labelledby="backtest-caption" tabindex="0">
            <table class="readouts">
                <caption id="backtest-caption">{t!(i18n, backtest.caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, backtest.col_signal)}</th>
                        <th scope="col">{t!(i18n, backtest.col_flagged_leavers)}</th>
                        <th scope="col">{t!(i18n, backtest.col_lead)}</th>
                        <th scope="col">{t!(i18n, backtest.col_flagged_stayers)}</th>
                        <th scope="col">{t!(i18n, backtest.col_precision)}</th>
                    </tr>
                </thead>
                <tbody>
                    {test.rows.iter().map(|row| {
                        let recall = percent(row.recall(leavers));
                        let lead = row.median_lead_days.map(|d| format!("{d:.0}")).unwrap_or_else(|| "–".to_owned());
                        view! {
                            <tr>
                                <th scope="row">{key_label(i18n, row.key)}</th>
                                <td>{format!("{} / {} ({recall})", row.flagged_leavers, leavers)}</td>
                                <td>{lead}</td>
                                <td>{row.flagged_stayers}</td>
                                <td>{percent(row.precision())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p>
            <a href=csv download>{t!(i18n, backtest.csv)}</a> " · "
            <a href=csv_semicolon download>{t!(i18n, backtest.csv_semicolon)}</a>
        </p>
        <h2>{t!(i18n, backtest.how_heading)}</h2>
        <p>{t!(i18n, backtest.how)}</p>
    }
}
