//! The 404 page: says what happened and offers the way back. On the server
//! it also sets the HTTP status.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::title::PageTitle;
use crate::i18n::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, not_found_title).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, not_found_title)}</h1>
            <p>{t!(i18n, not_found_body)}</p>
            <p>
                <A href="/" attr:class="button">{t!(i18n, back_home)}</A>
            </p>
        </section>
    }
}
