//! The public status page: the institutions in this deployment and their
//! team counts, with a search that filters as you type (JavaScript) or on
//! submit (`?q=`, without JavaScript).

use houvast::domain::{InstitutionOverview, matches_query};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::status::institutions_overview;
use crate::components::error::ErrorNotice;
use crate::components::loaded::EmptyState;
use crate::components::title::PageTitle;
use crate::i18n::*;

#[component]
pub fn StatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = RwSignal::new(query.with_untracked(|q| q.get("q").unwrap_or_default()));
    let overview = Resource::new(|| (), |_| institutions_overview());

    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, status_title).to_string()) />
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, status_title)}</h1>
            <p class="lead">{t!(i18n, status_intro)}</p>
            <form class="search" method="get" action="/status" role="search" on:submit=|ev| ev.prevent_default()>
                <label for="q">{t!(i18n, status_search_label)}</label>
                <div class="search-row">
                    <input
                        id="q"
                        name="q"
                        type="search"
                        autocomplete="off"
                        maxlength="120"
                        placeholder=move || t_string!(i18n, status_search_hint).to_string()
                        value=filter.get_untracked()
                        prop:value=move || filter.get()
                        on:input=move |ev| filter.set(event_target_value(&ev))
                    />
                    <button type="submit">{t!(i18n, status_search_button)}</button>
                </div>
            </form>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(list) => Either::Left(view! { <InstitutionList list filter /> }),
                        Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn InstitutionList(list: Vec<InstitutionOverview>, filter: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return Either::Left(view! {
            <EmptyState>
                <h2>{t!(i18n, status_empty_title)}</h2>
                <p>{t!(i18n, status_empty_body)}</p>
            </EmptyState>
        });
    }
    let total = list.len();
    let shown =
        Memo::new(move |_| filter.with(|q| list.iter().filter(|i| matches_query(i, q)).cloned().collect::<Vec<_>>()));
    let shown_count = move || shown.with(Vec::len);
    let no_match = move || shown.with(Vec::is_empty);
    Either::Right(view! {
        <p class="count" role="status" aria-live="polite">
            {t!(i18n, status_count, shown = shown_count, total)}
        </p>
        <Show when=no_match>
            <EmptyState><p>{t!(i18n, status_no_match, query = move || filter.get().trim().to_owned())}</p></EmptyState>
        </Show>
        <ul class="cards">
            <For each=move || shown.get() key=|i| i.id let:institution>
                <InstitutionCard institution />
            </For>
        </ul>
    })
}

#[component]
fn InstitutionCard(institution: InstitutionOverview) -> impl IntoView {
    let i18n = use_i18n();
    let teams = institution.team_count;
    view! {
        <li class="card">
            <h2>{institution.name}</h2>
            <dl class="facts">
                <div>
                    <dt>{t!(i18n, status_brin)}</dt>
                    <dd>{institution.brin_code}</dd>
                </div>
                <div>
                    <dt class="visually-hidden">"Teams"</dt>
                    <dd>
                        {move || {
                            if teams == 1 {
                                Either::Left(t!(i18n, status_team_single))
                            } else {
                                Either::Right(t!(i18n, status_teams_count, count = move || teams))
                            }
                        }}
                    </dd>
                </div>
            </dl>
        </li>
    }
}
