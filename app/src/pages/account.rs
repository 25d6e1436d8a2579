//! My account: name, language, password.

use houvast::domain::Language;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::account::{ChangePassword, RenameSelf, SetLanguage};
use crate::components::form::{Field, FormError, NewPasswordFields, Success, field_error};
use crate::components::layout::use_viewer;
use crate::components::title::PageTitle;
use crate::i18n::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let viewer = use_viewer().0;
    let rename = ServerAction::<RenameSelf>::new();
    let password = ServerAction::<ChangePassword>::new();
    let language = ServerAction::<SetLanguage>::new();
    // What the last form post saved (its server function redirects here so).
    let saved = use_query_map().with_untracked(|q| q.get("saved"));
    let renamed = saved.as_deref() == Some("name");
    let password_changed = saved.as_deref() == Some("password");
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, nav_account).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, nav_account)}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let me = viewer.await.ok().flatten();
                    me.map(|me| {
                        let current = me.language;
                        view! {
                            <p class="lead">{me.email.clone()}</p>
                            <section class="panel" aria-labelledby="account-name">
                                <h2 id="account-name">{t!(i18n, account_name)}</h2>
                                {renamed.then(|| view! { <Success text=Signal::derive(move || t_string!(i18n, saved).to_string()) /> })}
                                <FormError result=rename.value() />
                                <ActionForm action=rename attr:class="stack">
                                    <Field
                                        name="full_name"
                                        label=Signal::derive(move || t_string!(i18n, field_full_name).to_string())
                                        value=me.name.clone()
                                        autocomplete="name"
                                        required=true
                                        maxlength=120
                                        error=field_error(rename.value(), "full_name")
                                    />
                                    <button type="submit">{t!(i18n, save)}</button>
                                </ActionForm>
                            </section>
                            <section class="panel" aria-labelledby="account-language">
                                <h2 id="account-language">{t!(i18n, language_label)}</h2>
                                <ActionForm action=language attr:class="stack">
                                    <fieldset>
                                        <legend>{t!(i18n, account_language_legend)}</legend>
                                        <label class="choice">
                                            <input type="radio" name="language" value="nl" checked=current == Language::Nl />
                                            "Nederlands"
                                        </label>
                                        <label class="choice">
                                            <input type="radio" name="language" value="en" checked=current == Language::En />
                                            "English"
                                        </label>
                                    </fieldset>
                                    <button type="submit">{t!(i18n, save)}</button>
                                </ActionForm>
                            </section>
                        }
                    })
                })}
            </Suspense>
            <section class="panel" aria-labelledby="account-password">
                <h2 id="account-password">{t!(i18n, account_password)}</h2>
                <p class="muted">{t!(i18n, account_password_intro)}</p>
                {password_changed.then(|| view! { <Success text=Signal::derive(move || t_string!(i18n, account_password_changed).to_string()) /> })}
                <FormError result=password.value() />
                <ActionForm action=password attr:class="stack">
                    <Field
                        name="current_password"
                        kind="password"
                        label=Signal::derive(move || t_string!(i18n, field_current_password).to_string())
                        autocomplete="current-password"
                        required=true
                        maxlength=128
                        error=field_error(password.value(), "current_password")
                    />
                    <NewPasswordFields
                        name="new_password"
                        error=field_error(password.value(), "new_password")
                        repeat_error=field_error(password.value(), "repeat_password")
                    />
                    <button type="submit">{t!(i18n, account_password_button)}</button>
                </ActionForm>
            </section>
            <section class="panel" aria-labelledby="account-data">
                <h2 id="account-data">{t!(i18n, my_data.title)}</h2>
                <p><a href="/my-data">{t!(i18n, my_data.link)}</a></p>
            </section>
        </section>
    }
}
