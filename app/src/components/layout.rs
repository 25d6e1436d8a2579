//! The page frame: skip link, header with the product name, the navigation
//! for the roles of whoever is logged in, the main landmark, and the footer.
//! Mobile first.

use houvast::domain::{Role, Viewer};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::auth::{Logout, current_viewer};
use crate::components::language::LanguageSwitch;
use crate::i18n::*;

/// Who is logged in, loaded once per page and shared with the pages.
#[derive(Clone, Copy)]
pub struct ViewerResource(pub Resource<Result<Option<Viewer>, crate::AppError>>);

pub fn use_viewer() -> ViewerResource {
    expect_context::<ViewerResource>()
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    mark_hydrated();
    let viewer = Resource::new(|| (), |_| current_viewer());
    provide_context(ViewerResource(viewer));
    // The router would treat "#main" as a navigation and leave focus where it
    // was; move focus to the content as the browser does without JavaScript.
    let main = NodeRef::<leptos::html::Main>::new();
    let skip_to_main = move |ev: leptos::ev::MouseEvent| {
        if let Some(main) = main.get() {
            ev.prevent_default();
            let _ = main.focus();
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>
            {t!(i18n, skip_to_content)}
        </a>
        <header class="site-header">
            <div class="bar">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"H"</span>
                    <span class="brand-name">{t!(i18n, app_name)}</span>
                </A>
                <LanguageSwitch />
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let who = viewer.await.ok().flatten();
                    view! { <Navigation viewer=who /> }
                })}
            </Suspense>
        </header>
        <main id="main" tabindex="-1" node_ref=main>
            {children()}
        </main>
        <footer class="site-footer">
            <p>
                {t!(i18n, footer_text)} " · " <a href="/status">{t!(i18n, nav_status)}</a>
            </p>
        </footer>
    }
}

#[component]
fn Navigation(viewer: Option<Viewer>) -> impl IntoView {
    let i18n = use_i18n();
    let Some(viewer) = viewer else {
        return view! {
            <nav class="site-nav" aria-label=move || t_string!(i18n, nav_label).to_string()>
                <ul>
                    <li>
                        <A href="/login">{t!(i18n, login_title)}</A>
                    </li>
                </ul>
            </nav>
        }
        .into_any();
    };
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            let _ = window().location().set_href("/login");
        }
    });
    let has = |role| viewer.has(role);
    let unread = viewer.unread_notifications;
    view! {
        <nav class="site-nav" aria-label=move || t_string!(i18n, nav_label).to_string()>
            <ul>
                <li>
                    <A href="/" exact=true>{t!(i18n, nav_home)}</A>
                </li>
                <li>
                    <A href="/notifications">
                        {t!(i18n, nav_notifications)}
                        {(unread > 0).then(|| view! {
                            <span class="nav-count">
                                <span aria-hidden="true">{unread}</span>
                                <span class="visually-hidden">" " {t!(i18n, notifications_unread, count = unread)}</span>
                            </span>
                        })}
                    </A>
                </li>
                {has(Role::Admin).then(|| view! {
                    <li>
                        <A href="/admin">{t!(i18n, nav_institutions)}</A>
                    </li>
                })}
                {has(Role::Starter).then(|| view! {
                    <li>
                        <A href="/my-trajectory">{t!(i18n, my_trajectory)}</A>
                    </li>
                    <li>
                        <A href="/check-in">{t!(i18n, checkin_title)}</A>
                    </li>
                    <li>
                        <A href="/my-conversations">{t!(i18n, my_conversations)}</A>
                    </li>
                })}
                {(has(Role::Coordinator) || has(Role::TeamLeader) || has(Role::Mentor)).then(|| view! {
                    <li>
                        <A href="/watch-list">{t!(i18n, nav_signals)}</A>
                    </li>
                })}
                {(has(Role::Coordinator) || has(Role::TeamLeader)).then(|| view! {
                    <li>
                        <A href="/starters">{t!(i18n, nav_starters)}</A>
                    </li>
                    <li>
                        <A href="/teams">{t!(i18n, nav_teams)}</A>
                    </li>
                    <li>
                        <A href="/retention">{t!(i18n, nav_retention)}</A>
                    </li>
                })}
                {(has(Role::Analyst) && !has(Role::Coordinator) && !has(Role::TeamLeader)).then(|| view! {
                    <li>
                        <A href="/retention">{t!(i18n, nav_retention)}</A>
                    </li>
                })}
                {has(Role::Coordinator).then(|| view! {
                    <li>
                        <A href="/pairing">{t!(i18n, pairing_title)}</A>
                    </li>
                    <li>
                        <A href="/people">{t!(i18n, nav_people)}</A>
                    </li>
                    <li>
                        <A href="/audit">{t!(i18n, nav_audit)}</A>
                    </li>
                })}
                <li>
                    <A href="/account">{t!(i18n, nav_account)}</A>
                </li>
                <li>
                    <ActionForm action=logout attr:class="inline-form">
                        <button type="submit" class="nav-button">{t!(i18n, logout)}</button>
                    </ActionForm>
                </li>
            </ul>
        </nav>
    }
    .into_any()
}

/// Sets `data-hydrated` on `<body>` once the browser bundle has taken over
/// (effects only run in the browser), so tests and styles can tell.
fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
