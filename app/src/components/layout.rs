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
    let viewer = Resource::new(|| (), |_| current_viewer());
    provide_context(ViewerResource(viewer));
    view! {
        <a class="skip-link" href="#main">
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
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>
                {t!(i18n, footer_text)} " · " <a href="/status">{t!(i18n, footer_status)}</a>
                " · " <a href="/privacy">{t!(i18n, privacy.link)}</a>
            </p>
        </footer>
    }
}

/// A place in the menu.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Home,
    CheckIn,
    Conversations,
    Trajectory,
    Notifications,
    Signals,
    Starters,
    Teams,
    Retention,
    Pairing,
    People,
    Import,
    Audit,
    Institutions,
    Account,
}

impl Place {
    fn href(self) -> &'static str {
        match self {
            Place::Home => "/",
            Place::CheckIn => "/check-in",
            Place::Conversations => "/my-conversations",
            Place::Trajectory => "/my-trajectory",
            Place::Notifications => "/notifications",
            Place::Signals => "/watch-list",
            Place::Starters => "/starters",
            Place::Teams => "/teams",
            Place::Retention => "/retention",
            Place::Pairing => "/pairing",
            Place::People => "/people",
            Place::Import => "/import",
            Place::Audit => "/audit",
            Place::Institutions => "/admin",
            Place::Account => "/account",
        }
    }

    fn label(self, i18n: leptos_i18n::I18nContext<Locale>) -> String {
        match self {
            Place::Home => t_string!(i18n, nav_home),
            Place::CheckIn => t_string!(i18n, checkin_title),
            Place::Conversations => t_string!(i18n, my_conversations),
            Place::Trajectory => t_string!(i18n, my_trajectory),
            Place::Notifications => t_string!(i18n, nav_notifications),
            Place::Signals => t_string!(i18n, nav_signals),
            Place::Starters => t_string!(i18n, nav_starters),
            Place::Teams => t_string!(i18n, nav_teams),
            Place::Retention => t_string!(i18n, nav_retention),
            Place::Pairing => t_string!(i18n, pairing_title),
            Place::People => t_string!(i18n, nav_people),
            Place::Import => t_string!(i18n, nav_import),
            Place::Audit => t_string!(i18n, nav_audit),
            Place::Institutions => t_string!(i18n, nav_institutions),
            Place::Account => t_string!(i18n, nav_account),
        }
        .to_string()
    }
}

/// Every place the viewer may go, in menu order.
fn places(viewer: &Viewer) -> Vec<Place> {
    let has = |role| viewer.has(role);
    let mut places = vec![Place::Home];
    if has(Role::Starter) {
        places.extend([Place::CheckIn, Place::Conversations, Place::Trajectory]);
    }
    if has(Role::Coordinator) {
        places.extend([Place::Pairing, Place::People]);
    }
    if has(Role::Coordinator) || has(Role::TeamLeader) || has(Role::Mentor) {
        places.push(Place::Signals);
    }
    if has(Role::Coordinator) || has(Role::TeamLeader) {
        places.extend([Place::Starters, Place::Teams]);
    }
    if has(Role::Coordinator) || has(Role::TeamLeader) || has(Role::Analyst) {
        places.push(Place::Retention);
    }
    if has(Role::Coordinator) {
        places.extend([Place::Import, Place::Audit]);
    }
    if has(Role::Admin) {
        places.push(Place::Institutions);
    }
    places.extend([Place::Notifications, Place::Account]);
    places
}

/// The role's main places, always in view; the rest sits behind "Menu".
/// The first role decides: a starter's check-in, a coordinator's pairing,
/// a team leader's signals, a mentor's starters (home).
fn main_places(viewer: &Viewer) -> [Place; 3] {
    let has = |role| viewer.has(role);
    if has(Role::Starter) {
        [Place::Home, Place::CheckIn, Place::Conversations]
    } else if has(Role::Coordinator) {
        [Place::Home, Place::Pairing, Place::Starters]
    } else if has(Role::TeamLeader) {
        [Place::Home, Place::Signals, Place::Starters]
    } else if has(Role::Mentor) {
        [Place::Home, Place::Signals, Place::Notifications]
    } else if has(Role::Admin) {
        [Place::Home, Place::Institutions, Place::Notifications]
    } else {
        [Place::Home, Place::Retention, Place::Notifications]
    }
}

#[component]
fn Navigation(viewer: Option<Viewer>) -> impl IntoView {
    let i18n = use_i18n();
    let Some(viewer) = viewer else {
        return view! {
            <nav class="site-nav" aria-label=move || t_string!(i18n, nav_label).to_string()>
                <ul class="nav-main">
                    <li>
                        <A href="/login">{t!(i18n, login_title)}</A>
                    </li>
                </ul>
            </nav>
        }
        .into_any();
    };
    let logout = ServerAction::<Logout>::new();
    let unread = viewer.unread_notifications;
    let all = places(&viewer);
    let main: Vec<Place> = main_places(&viewer).into_iter().filter(|p| all.contains(p)).collect();
    let more: Vec<Place> = all.iter().copied().filter(|p| !main.contains(p)).collect();
    let unread_in_menu = more.contains(&Place::Notifications);
    // The unread count, on the notifications link and on the menu button
    // when that link is behind it.
    let unread_badge = move |shown: bool| {
        (shown && unread > 0).then(|| {
            view! {
                <span class="nav-count">
                    <span aria-hidden="true">{unread}</span>
                    <span class="visually-hidden">" " {t!(i18n, notifications_unread, count = unread)}</span>
                </span>
            }
        })
    };
    let link = move |place: Place| {
        let count = unread_badge(place == Place::Notifications);
        view! {
            <li>
                <A href=place.href() exact=place == Place::Home>{move || place.label(i18n)} {count}</A>
            </li>
        }
    };
    view! {
        <nav class="site-nav" aria-label=move || t_string!(i18n, nav_label).to_string()>
            <div class="nav-inner">
                <ul class="nav-main">{main.into_iter().map(link).collect_view()}</ul>
                <details class="nav-more">
                    <summary>
                        {t!(i18n, nav_menu)}
                        {unread_badge(unread_in_menu)}
                    </summary>
                    <ul>
                        {more.into_iter().map(link).collect_view()}
                        <li>
                            <ActionForm action=logout attr:class="inline-form">
                                <button type="submit" class="nav-button">{t!(i18n, logout)}</button>
                            </ActionForm>
                        </li>
                    </ul>
                </details>
            </div>
        </nav>
    }
    .into_any()
}
