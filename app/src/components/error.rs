//! How a failed server call is shown: plain words, and for internal errors
//! the reference that matches the server log. Never any internals.

use leptos::prelude::*;

use crate::AppError;
use crate::i18n::*;

#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let body = match error {
        AppError::Internal { reference } => view! {
            <p>{t!(i18n, error_body)}</p>
            <p>
                <strong>{t!(i18n, error_reference)} ": "</strong>
                <code class="reference">{reference}</code>
            </p>
        }
        .into_any(),
        AppError::NotFound => view! { <p>{t!(i18n, not_found_body)}</p> }.into_any(),
        AppError::Transport(_) => view! { <p>{t!(i18n, error_network)}</p> }.into_any(),
        AppError::Unauthorized => view! {
            <p>{t!(i18n, error_unauthorized)}</p>
            <p>
                <a href="/login">{t!(i18n, login_title)}</a>
            </p>
        }
        .into_any(),
        AppError::Forbidden => view! { <p>{t!(i18n, error_forbidden)}</p> }.into_any(),
        AppError::InvalidLink => view! { <p>{t!(i18n, link_invalid)}</p> }.into_any(),
        AppError::Invalid(_) | AppError::InvalidCredentials | AppError::Throttled { .. } => {
            view! { <p>{t!(i18n, error_invalid)}</p> }.into_any()
        }
    };
    view! {
        <div class="notice notice-error" role="alert">
            <h2>{t!(i18n, error_title)}</h2>
            {body}
        </div>
    }
}
