//! The public status page: the institutions in this deployment and their
//! team counts, with a search that filters as you type (an island) or on
//! submit (`?q=`, without JavaScript).

use houvast::domain::InstitutionOverview;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::status::institutions_overview;
use crate::components::error::ErrorNotice;
use crate::components::loaded::EmptyState;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::islands::{StatusSearch, StatusTexts};

#[component]
pub fn StatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let overview = Resource::new(|| (), |_| institutions_overview());

    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, status_title).to_string()) />
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, status_title)}</h1>
            <p class="lead">{t!(i18n, status_intro)}</p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || {
                    let query = query.clone();
                    Suspend::new(async move {
                        match overview.await {
                            Ok(list) => Either::Left(view! { <InstitutionList list query /> }),
                            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn InstitutionList(list: Vec<InstitutionOverview>, query: String) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return Either::Left(view! {
            <EmptyState>
                <h2>{t!(i18n, status_empty_title)}</h2>
                <p>{t!(i18n, status_empty_body)}</p>
            </EmptyState>
        });
    }
    let texts = StatusTexts {
        search_label: t_string!(i18n, status_search_label).to_string(),
        search_hint: t_string!(i18n, status_search_hint).to_string(),
        search_button: t_string!(i18n, status_search_button).to_string(),
        count: t_string!(i18n, status_count, shown = "{shown}", total = "{total}").to_string(),
        no_match: t_string!(i18n, status_no_match, query = "{query}").to_string(),
        brin: t_string!(i18n, status_brin).to_string(),
        one_team: t_string!(i18n, status_team_single).to_string(),
        teams: t_string!(i18n, status_teams_count, count = "{count}").to_string(),
    };
    // The island renders on the server too, filtered by `?q=`: without
    // JavaScript the search answers by submitting.
    Either::Right(view! { <StatusSearch list query texts /> })
}
