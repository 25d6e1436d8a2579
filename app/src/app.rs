//! The HTML shell, the root component and the routes.

use leptos::prelude::*;
use leptos_i18n::context::{CookieOptions, UseLocalesOptions};
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::layout::Layout;
use crate::i18n::*;
use crate::pages::{not_found::NotFound, status::StatusPage};

/// The document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5d4b" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// One year, in milliseconds (leptos-use counts cookie ages in ms).
const LOCALE_COOKIE_MAX_AGE_MS: i64 = 365 * 24 * 60 * 60 * 1000;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Dutch first: the locale is the user's explicit choice (cookie) or Dutch,
    // never guessed from the browser's Accept-Language.
    let cookie_options: CookieOptions<Locale> = CookieOptions::default()
        .path("/")
        .same_site(leptos_use::SameSite::Lax)
        .max_age(LOCALE_COOKIE_MAX_AGE_MS);
    let locales = UseLocalesOptions::default().ssr_lang_header_getter(|| None);
    view! {
        <I18nContextProvider cookie_name=crate::LOCALE_COOKIE cookie_options ssr_lang_header_getter=locales>
            <Stylesheet id="leptos" href=format!("/pkg/{}.css", crate::OUTPUT_NAME) />
            <Title formatter=|page: String| {
                if page.is_empty() { "Houvast".to_owned() } else { format!("{page} · Houvast") }
            } />
            <Router>
                <Layout>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=StatusPage ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}
