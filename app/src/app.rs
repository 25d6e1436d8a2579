//! The HTML shell, the root component and the routes.

use leptos::prelude::*;
use leptos_i18n::context::{CookieOptions, UseLocalesOptions};
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::layout::Layout;
use crate::i18n::*;
use crate::pages::account::AccountPage;
use crate::pages::admin::{AdminPage, InstitutionAdminPage};
use crate::pages::audit::AuditPage;
use crate::pages::backtest::BacktestPage;
use crate::pages::checkin::CheckInPage;
use crate::pages::conversations::{LogPage, MenteePageView, MyConversationsPage};
use crate::pages::forgot::ForgotPage;
use crate::pages::home::HomePage;
use crate::pages::import::{ImportPage, ImportUploadPage};
use crate::pages::link::{ActivatePage, ResetPage};
use crate::pages::login::LoginPage;
use crate::pages::mentoring::{MentorProfilePage, PairingPage, SuggestionsPage};
use crate::pages::my_data::{MyDataPage, PersonDataPage};
use crate::pages::not_found::NotFound;
use crate::pages::notifications::NotificationsPage;
use crate::pages::people::{NewPersonPage, PeoplePage, PersonPage};
use crate::pages::privacy::PrivacyPage;
use crate::pages::retention::RetentionPageView;
use crate::pages::signal_settings::SignalSettingsPage;
use crate::pages::signals::{SignalRulesPage, WatchListPage};
use crate::pages::starters::{EnrolPage, MyTrajectoryPage, StarterPage, StartersPage};
use crate::pages::status::StatusPage;
use crate::pages::teams::{TeamPage, TeamsPage};
use crate::pages::templates::{TemplatePage, TemplatesPage};

/// The document around the application, rendered on the server only. Its
/// Content-Security-Policy allows exactly the scripts carrying this
/// response's nonce (and what they load), and WebAssembly compilation.
///
/// Pages are plain HTML; only `#[island]`s are interactive. The loader
/// fetches the browser bundle only on a page that has an island, so most
/// pages load no script beyond it and no WebAssembly at all.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    // Outside islands nothing is hydrated: no hydration markers in the HTML.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5d4b" />
                <meta name="description" content="Houvast volgt startende docenten in het mbo door hun inductie: begeleiding, check-ins en behoud." />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icon-192.png" />
                <PageScript options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's one script (`loader.js`): keeps what was typed in a refused
/// form, and loads the browser bundle only on a page with an island. A
/// classic script, not a module: it runs before the body is parsed, so it
/// sees every field typed into from the first moment.
#[component]
fn PageScript(options: LeptosOptions) -> impl IntoView {
    let script = format!(
        "const PKG = '/{}/{}';\n{}",
        options.site_pkg_dir,
        options.output_name,
        include_str!("loader.js")
    );
    view! { <script nonce=leptos::nonce::use_nonce()>{script}</script> }
}

#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use http::{HeaderValue, header};
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
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
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("/status") view=StatusPage ssr=SsrMode::Async />
                        <Route path=path!("/privacy") view=PrivacyPage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/forgot") view=ForgotPage ssr=SsrMode::Async />
                        <Route path=path!("/activate") view=ActivatePage ssr=SsrMode::Async />
                        <Route path=path!("/reset") view=ResetPage ssr=SsrMode::Async />
                        <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                        <Route path=path!("/teams") view=TeamsPage ssr=SsrMode::Async />
                        <Route path=path!("/teams/:id") view=TeamPage ssr=SsrMode::Async />
                        <Route path=path!("/people") view=PeoplePage ssr=SsrMode::Async />
                        <Route path=path!("/people/new") view=NewPersonPage ssr=SsrMode::Async />
                        <Route path=path!("/people/:id") view=PersonPage ssr=SsrMode::Async />
                        <Route path=path!("/people/:id/data") view=PersonDataPage ssr=SsrMode::Async />
                        <Route path=path!("/my-data") view=MyDataPage ssr=SsrMode::Async />
                        <Route path=path!("/starters") view=StartersPage ssr=SsrMode::Async />
                        <Route path=path!("/starters/:id") view=StarterPage ssr=SsrMode::Async />
                        <Route path=path!("/starters/:id/enrol") view=EnrolPage ssr=SsrMode::Async />
                        <Route path=path!("/my-trajectory") view=MyTrajectoryPage ssr=SsrMode::Async />
                        <Route path=path!("/mentees/:id") view=MenteePageView ssr=SsrMode::Async />
                        <Route path=path!("/mentees/:id/log") view=LogPage ssr=SsrMode::Async />
                        <Route path=path!("/my-conversations") view=MyConversationsPage ssr=SsrMode::Async />
                        <Route path=path!("/check-in") view=CheckInPage ssr=SsrMode::Async />
                        <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
                        <Route path=path!("/retention") view=RetentionPageView ssr=SsrMode::Async />
                        <Route path=path!("/watch-list") view=WatchListPage ssr=SsrMode::Async />
                        <Route path=path!("/signals") view=SignalRulesPage ssr=SsrMode::Async />
                        <Route path=path!("/signals/backtest") view=BacktestPage ssr=SsrMode::Async />
                        <Route path=path!("/signals/settings") view=SignalSettingsPage ssr=SsrMode::Async />
                        <Route path=path!("/pairing") view=PairingPage ssr=SsrMode::Async />
                        <Route path=path!("/pairing/:id") view=SuggestionsPage ssr=SsrMode::Async />
                        <Route path=path!("/mentors/:id") view=MentorProfilePage ssr=SsrMode::Async />
                        <Route path=path!("/templates") view=TemplatesPage ssr=SsrMode::Async />
                        <Route path=path!("/templates/:route") view=TemplatePage ssr=SsrMode::Async />
                        <Route path=path!("/import") view=ImportPage ssr=SsrMode::Async />
                        <Route path=path!("/import/:id") view=ImportUploadPage ssr=SsrMode::Async />
                        <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async />
                        <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/institutions/:id") view=InstitutionAdminPage ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}
