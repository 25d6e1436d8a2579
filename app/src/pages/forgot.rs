//! "Forgot password": a person asks for a link to their own address. The
//! answer is the same for every address; without e-mail the page says whom
//! to ask instead. Works without JavaScript (a plain form post).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{RequestReset, reset_by_email_available};
use crate::components::form::{Field, FormError, field_error};
use crate::components::title::PageTitle;
use crate::i18n::*;

#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let sent_before = use_query_map().with_untracked(|q| q.get("sent").is_some());
    let request = ServerAction::<RequestReset>::new();
    let sent = move || sent_before || matches!(request.value().get(), Some(Ok(())));
    let available = Resource::new(|| (), |_| reset_by_email_available());
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, forgot_title).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, forgot_title)}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match available.await {
                        Ok(true) => view! {
                            <Show when=sent>
                                <p class="notice notice-success" role="status">{t!(i18n, forgot_sent)}</p>
                            </Show>
                            <p>{t!(i18n, forgot_intro)}</p>
                            <FormError result=request.value() />
                            <ActionForm action=request attr:class="stack">
                                <Field
                                    name="email"
                                    kind="email"
                                    label=Signal::derive(move || t_string!(i18n, field_email).to_string())
                                    autocomplete="username"
                                    required=true
                                    maxlength=254
                                    error=field_error(request.value(), "email")
                                />
                                <button type="submit">
                                    {t!(i18n, forgot_button)}
                                </button>
                            </ActionForm>
                        }
                        .into_any(),
                        _ => view! { <p>{t!(i18n, forgot_no_email)}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/login">{t!(i18n, forgot_back)}</a></p>
        </section>
    }
}
