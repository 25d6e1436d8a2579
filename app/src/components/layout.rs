//! The page frame: skip link, header with the product name and navigation,
//! the main landmark, and the footer. Mobile first.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::language::LanguageSwitch;
use crate::i18n::*;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    mark_hydrated();
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
            <nav class="site-nav" aria-label=move || t_string!(i18n, nav_label).to_string()>
                <ul>
                    <li>
                        <A href="/" exact=true>{t!(i18n, nav_status)}</A>
                    </li>
                </ul>
            </nav>
        </header>
        <main id="main" tabindex="-1" node_ref=main>
            {children()}
        </main>
        <footer class="site-footer">
            <p>{t!(i18n, footer_text)}</p>
        </footer>
    }
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
