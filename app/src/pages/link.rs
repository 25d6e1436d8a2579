//! Setting a password through a one-time link: activation of a new account,
//! or a reset a coordinator issued.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{LinkKind, SetPassword, load_link};
use crate::components::error::ErrorNotice;
use crate::components::form::{FormError, NewPasswordFields, field_error};
use crate::components::title::PageTitle;
use crate::i18n::*;

#[component]
pub fn ActivatePage() -> impl IntoView {
    view! { <LinkPage kind=LinkKind::Activation /> }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    view! { <LinkPage kind=LinkKind::Reset /> }
}

#[component]
fn LinkPage(kind: LinkKind) -> impl IntoView {
    let i18n = use_i18n();
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    let details = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        move |token| load_link(token, kind),
    );
    let set_password = ServerAction::<SetPassword>::new();
    let title = move || match kind {
        LinkKind::Activation => t_string!(i18n, activate_title).to_string(),
        LinkKind::Reset => t_string!(i18n, reset_title).to_string(),
    };
    let kind_code = match kind {
        LinkKind::Activation => "activation",
        LinkKind::Reset => "reset",
    };
    view! {
        <PageTitle text=Signal::derive(title) />
        <section class="page narrow" aria-labelledby="page-title">
            <h1 id="page-title">{title}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match details.await {
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                            Ok(found) => view! {
                                <p>{t!(i18n, link_intro, name = found.name.clone(), email = found.email.clone())}</p>
                                <FormError result=set_password.value() />
                                <ActionForm action=set_password attr:class="stack">
                                    <input type="hidden" name="token" value=token.clone() />
                                    <input type="hidden" name="kind" value=kind_code />
                                    <NewPasswordFields
                                        name="password"
                                        error=field_error(set_password.value(), "password")
                                        repeat_error=field_error(set_password.value(), "repeat_password")
                                    />
                                    <button type="submit">
                                        {t!(i18n, link_button)}
                                    </button>
                                </ActionForm>
                            }
                            .into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
