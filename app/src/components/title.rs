//! Page titles. On the server the title is computed once, while the page's
//! reactive scope is certainly alive: leptos_meta 0.8 evaluates `<Title>`
//! text after the body has rendered, outside the request's sandboxed arena,
//! and a signal read there can hit another concurrent request's arena and
//! panic ("already disposed"). In the browser the title follows the
//! language as the page does; a title whose page part was just replaced
//! (a `<Suspense>` showing new data) reads as empty until the new one
//! takes over, instead of panicking on the disposed signal.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PageTitle(#[prop(into)] text: Signal<String>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = leptos::text_prop::TextProp::from(text.get_untracked());
    #[cfg(not(feature = "ssr"))]
    let text = leptos::text_prop::TextProp::from(move || text.try_get().unwrap_or_default());
    view! { <Title text /> }
}
