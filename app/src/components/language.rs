//! Switch between Dutch and English. Without JavaScript it is a plain form
//! that posts to `/locale` (the server sets the cookie, remembers the choice
//! with the account and redirects back); with JavaScript the text changes in
//! place and, for someone logged in, the choice is remembered with the
//! account too, so e-mail reaches them in the language they chose.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::layout::ViewerResource;
use crate::i18n::*;

fn other(locale: Locale) -> Locale {
    match locale {
        Locale::nl => Locale::en,
        Locale::en => Locale::nl,
    }
}

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let target = move || other(i18n.get_locale());
    let back_to = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    let viewer = use_context::<ViewerResource>();
    let switch = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let next = target();
        i18n.set_locale(next);
        let logged_in = viewer.is_some_and(|v| matches!(v.0.get_untracked(), Some(Ok(Some(_)))));
        if logged_in {
            let language = match next {
                Locale::nl => houvast::domain::Language::Nl,
                Locale::en => houvast::domain::Language::En,
            };
            leptos::task::spawn_local(async move {
                // The page has switched already; a failure only means the
                // account keeps its earlier language until the next switch.
                let _ = crate::api::account::set_language(language).await;
            });
        }
    };
    view! {
        <form class="language-switch" method="post" action="/locale" on:submit=switch>
            <input type="hidden" name="locale" value=move || target().as_str() />
            <input type="hidden" name="redirect" value=back_to />
            <button
                type="submit"
                class="button-quiet"
                lang=move || target().as_str()
                aria-label=move || t_string!(i18n, language_switch_hint).to_string()
            >
                {t!(i18n, language_switch)}
            </button>
        </form>
    }
}
