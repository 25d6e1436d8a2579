//! Switch between Dutch and English: a plain form that posts to `/locale`.
//! The server sets the cookie, remembers the choice with the account (so
//! e-mail reaches the person in the language they chose) and redirects
//! back, and the page loads again in the new language, with or without
//! JavaScript: every text on it, server-rendered, switches at once.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

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
    view! {
        <form class="language-switch" method="post" action="/locale">
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
