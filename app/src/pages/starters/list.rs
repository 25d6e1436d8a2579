//! The starters list: filters, sorting and pages in the query string, so every view is a link.

use houvast::domain::trajectory::{EntryRoute, StarterSort, StarterStatus};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::enrol::Unenrolled;
use crate::api::starters::starters;
use crate::components::dates::day;
use crate::components::layout::use_viewer;
use crate::components::loaded::{EmptyState, Loaded};
use crate::components::title::PageTitle;
use crate::components::trajectory_labels::{route_label, starter_status_label};
use crate::i18n::*;
use crate::pages::people::urlencoding;

const FILTERS: [&str; 6] = ["team", "route", "status", "year", "partnership", "sort"];

/// The list's query string, by name (`FILTERS` and the page).
#[derive(Debug, Clone, PartialEq, Default)]
struct ListQuery {
    team: Option<i64>,
    route: Option<String>,
    status: Option<String>,
    year: Option<i32>,
    partnership: Option<String>,
    sort: Option<String>,
    page: Option<u32>,
}

#[component]
pub fn StartersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name).filter(|v| !v.is_empty()));
    let filters = move || ListQuery {
        team: param("team").and_then(|t| t.parse().ok()),
        route: param("route"),
        status: param("status"),
        year: param("year").and_then(|y| y.parse().ok()),
        partnership: param("partnership"),
        sort: param("sort"),
        page: param("page").and_then(|p| p.parse().ok()),
    };
    let list = Resource::new(filters, |q| {
        starters(q.team, q.route, q.status, q.year, q.partnership, q.sort, q.page)
    });
    let page_link = move |page: u32| {
        let mut parts: Vec<String> = FILTERS
            .iter()
            .filter_map(|name| param(name).map(|v| format!("{name}={}", urlencoding(&v))))
            .collect();
        parts.push(format!("page={page}"));
        format!("/starters?{}", parts.join("&"))
    };
    let viewer = use_viewer();
    let selected = move |name: &str, value: &str| param(name).as_deref() == Some(value);
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, nav_starters).to_string()) />
        <section class="page" aria-labelledby="page-title">
            <div class="title-row">
                <h1 id="page-title">{t!(i18n, nav_starters)}</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let coordinator = viewer.0.await.ok().flatten().is_some_and(|v| v.has(houvast::domain::Role::Coordinator));
                        coordinator.then(|| view! {
                            <span class="actions">
                                <A href="/templates" attr:class="button button-secondary">{t!(i18n, templates_title)}</A>
                                <A href="/import" attr:class="button">{t!(i18n, import_title)}</A>
                            </span>
                        })
                    })}
                </Suspense>
            </div>
            <Loaded resource=list let:found>
                {
                        let page = found.page;
                        let pages = found.pages;
                        view! {
                            <Unenrolled people=found.unenrolled.clone() />
                            <form class="filters" method="get" action="/starters" role="search">
                                <div class="field">
                                    <label for="filter-team">{t!(i18n, field_team)}</label>
                                    <select id="filter-team" name="team">
                                        <option value="">{t!(i18n, all)}</option>
                                        {found.teams.iter().map(|(id, name)| view! {
                                            <option value=id.0 selected=selected("team", &id.0.to_string())>{name.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="filter-route">{t!(i18n, field_route)}</label>
                                    <select id="filter-route" name="route">
                                        <option value="">{t!(i18n, all)}</option>
                                        {EntryRoute::ALL.iter().map(|route| view! {
                                            <option value=route.code() selected=selected("route", route.code())>{route_label(i18n, *route)}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="filter-status">{t!(i18n, field_status)}</label>
                                    <select id="filter-status" name="status">
                                        <option value="">{t!(i18n, all)}</option>
                                        {StarterStatus::ALL.into_iter().map(|status| view! {
                                            <option value=status.code() selected=selected("status", status.code())>{starter_status_label(i18n, status)}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="filter-year">{t!(i18n, field_start_year)}</label>
                                    <select id="filter-year" name="year">
                                        <option value="">{t!(i18n, all)}</option>
                                        {found.start_years.iter().map(|year| view! {
                                            <option value=*year selected=selected("year", &year.to_string())>{format!("{year}/{}", (year + 1) % 100)}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="filter-partnership">{t!(i18n, field_partnership)}</label>
                                    <select id="filter-partnership" name="partnership">
                                        <option value="">{t!(i18n, all)}</option>
                                        <option value="yes" selected=selected("partnership", "yes")>{t!(i18n, in_partnership_yes)}</option>
                                        <option value="no" selected=selected("partnership", "no")>{t!(i18n, in_partnership_no)}</option>
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="filter-sort">{t!(i18n, field_sort)}</label>
                                    <select id="filter-sort" name="sort">
                                        {StarterSort::ALL.into_iter().map(|sort| {
                                            let label = match sort {
                                                StarterSort::Name => t_string!(i18n, sort_name),
                                                StarterSort::StartDate => t_string!(i18n, sort_start),
                                                StarterSort::Progress => t_string!(i18n, sort_progress),
                                                StarterSort::Overdue => t_string!(i18n, sort_overdue),
                                            };
                                            view! { <option value=sort.code() selected=selected("sort", sort.code())>{label}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit">{t!(i18n, filter_button)}</button>
                            </form>
                            <p class="muted" aria-live="polite">{if found.total == 1 { t_string!(i18n, starters_count_1).to_string() } else { t_string!(i18n, starters_count, count = found.total).to_string() }}</p>
                            {if found.rows.is_empty() {
                                view! {
                                    <EmptyState>
                                        <h2>{t!(i18n, starters_empty_title)}</h2>
                                        <p>{t!(i18n, starters_empty_body)}</p>
                                    </EmptyState>
                                }.into_any()
                            } else {
                                view! {
                                    <ul class="cards">
                                        {found.rows.into_iter().map(|s| {
                                            let percent = s.progress.percent();
                                            view! {
                                                <li class="card">
                                                    <h2><A href=format!("/starters/{}", s.person)>{s.name.clone()}</A></h2>
                                                    <p class="muted">
                                                        {s.team_name.clone().unwrap_or_else(|| t_string!(i18n, no_team).to_string())}
                                                        " · " {route_label(i18n, s.route)}
                                                        " · " {t!(i18n, started_on)} " " {day(s.start)}
                                                    </p>
                                                    <p>
                                                        <span class=format!("badge badge-{}", s.status.code())>{starter_status_label(i18n, s.status)}</span>
                                                        {(s.progress.overdue > 0).then(|| view! {
                                                            " " <span class="badge badge-overdue">{t!(i18n, overdue_count, count = s.progress.overdue)}</span>
                                                        })}
                                                    </p>
                                                    <ProgressBar percent label=Signal::derive(move || t_string!(i18n, progress_label, percent = percent).to_string()) />
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <nav class="pager" aria-label=move || t_string!(i18n, pager_label).to_string()>
                                {(page > 0).then(|| view! { <A href=page_link(page - 1)>{t!(i18n, pager_previous)}</A> })}
                                {(pages > 1).then(|| view! { <span class="muted">{t!(i18n, page_of, page = page + 1, pages = pages)}</span> })}
                                {(page + 1 < pages).then(|| view! { <A href=page_link(page + 1)>{t!(i18n, pager_next)}</A> })}
                            </nav>
                        }
                }
            </Loaded>
        </section>
    }
}

/// A labelled progress bar (the label is also its accessible name).
#[component]
pub(super) fn ProgressBar(percent: u32, #[prop(into)] label: Signal<String>) -> impl IntoView {
    view! {
        <div class="progress">
            <progress max="100" value=percent aria-label=move || label.get()>{percent} "%"</progress>
            <span class="muted">{move || label.get()}</span>
        </div>
    }
}
