//! How a failed server call is shown: plain words, and for internal errors
//! the reference that matches the server log. Never any internals.

use leptos::either::EitherOf3;
use leptos::prelude::*;

use crate::AppError;
use crate::i18n::*;

#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let body = match error {
        AppError::Internal { reference } => EitherOf3::A(view! {
            <p>{t!(i18n, error_body)}</p>
            <p>
                <strong>{t!(i18n, error_reference)} ": "</strong>
                <code class="reference">{reference}</code>
            </p>
        }),
        AppError::NotFound => EitherOf3::B(view! { <p>{t!(i18n, not_found_body)}</p> }),
        AppError::Transport(_) => EitherOf3::C(view! { <p>{t!(i18n, error_network)}</p> }),
    };
    view! {
        <div class="notice notice-error" role="alert">
            <h2>{t!(i18n, error_title)}</h2>
            {body}
        </div>
    }
}
