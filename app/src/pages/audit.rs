//! The institution's audit log (coordinators): every change, login and
//! refusal, filterable by person and date, newest first, page by page.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::audit::audit_events;
use crate::components::loaded::{EmptyState, Loaded};
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::home::AuditList;

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name).filter(|v| !v.is_empty()));
    let filters = move || {
        (
            param("person"),
            param("who"),
            param("from"),
            param("until"),
            param("before"),
        )
    };
    let page = Resource::new(filters, |(person, who, from, until, before)| {
        audit_events(
            person.and_then(|p| p.parse().ok()),
            who,
            from,
            until,
            before.and_then(|b| b.parse().ok()),
        )
    });
    let older_link = move |before: i64| {
        let mut parts = Vec::new();
        for name in ["person", "who", "from", "until"] {
            if let Some(value) = param(name) {
                parts.push(format!("{name}={value}"));
            }
        }
        parts.push(format!("before={before}"));
        format!("/audit?{}", parts.join("&"))
    };
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, nav_audit).to_string()) />
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, nav_audit)}</h1>
            <p class="lead">{t!(i18n, audit_intro)}</p>
            <Loaded resource=page let:found>
                <form class="filters" method="get" action="/audit" role="search">
                    <div class="field">
                        <label for="filter-person">{t!(i18n, audit_person)}</label>
                        <input
                            id="filter-person"
                            type="search"
                            name="who"
                            autocomplete="off"
                            value=param("who").or_else(|| found.person.as_ref().map(|(_, name)| name.clone()))
                        />
                    </div>
                    <div class="field">
                        <label for="filter-from">{t!(i18n, audit_from)}</label>
                        <input id="filter-from" type="date" name="from" value=param("from") />
                    </div>
                    <div class="field">
                        <label for="filter-until">{t!(i18n, audit_until)}</label>
                        <input id="filter-until" type="date" name="until" value=param("until") />
                    </div>
                    <button type="submit">{t!(i18n, filter_button)}</button>
                </form>
                {found.person.clone().map(|(_, name)| view! {
                    <p class="muted">{t!(i18n, audit_filtered_on, name = name)} " " <A href="/audit">{t!(i18n, audit_everyone)}</A></p>
                })}
                {found.nobody.then(|| view! {
                    <EmptyState><p>{t!(i18n, audit_nobody, query = param("who").unwrap_or_default())}</p></EmptyState>
                })}
                {(!found.matches.is_empty()).then(|| {
                    let matches = found.matches.clone();
                    view! {
                    <section class="panel" aria-labelledby="audit-matches">
                        <h2 id="audit-matches">{t!(i18n, audit_which)}</h2>
                        <ul class="plain-list">
                            {matches.into_iter().map(|(id, name, email)| view! {
                                <li>
                                    <A href=format!("/audit?person={id}")>{name}</A>
                                    {email.map(|e| view! { <span class="muted">" · " {e}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }})}
                <AuditList lines=found.lines />
                <nav class="pager" aria-label=move || t_string!(i18n, pager_label).to_string()>
                    {param("before").is_some().then(|| view! { <A href="/audit">{t!(i18n, audit_newest)}</A> })}
                    {found.next_before.map(|before| view! { <A href=older_link(before)>{t!(i18n, audit_older)}</A> })}
                </nav>
            </Loaded>
        </section>
    }
}
