//! The two shapes every page repeats: a server function's answer that is
//! still loading or failed, and a list with nothing in it yet.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::AppError;
use crate::components::error::ErrorNotice;
use crate::i18n::*;

/// Shows `resource` once it has loaded: a "loading" line while it loads,
/// the error notice when it failed, otherwise what `children` makes of the
/// answer (`<Loaded resource=list let:teams>…</Loaded>`).
#[component]
pub fn Loaded<T, F, V>(resource: Resource<Result<T, AppError>>, children: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match resource.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(value) => children(value).into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// What an empty list says instead: what is missing and what to do next
/// (`children`: a heading and a line, or only a line).
#[component]
pub fn EmptyState(children: Children) -> impl IntoView {
    view! { <div class="empty-state">{children()}</div> }
}
