//! `POST /locale`: the language switch for browsers without JavaScript. Sets
//! the same cookie the hydrated app uses and sends the person back to the
//! page they were on (only ever a path on this site). For someone logged
//! in the choice is also remembered with their account.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use houvast::domain::Language;
use houvast_app::paths::local_path;
use houvast_app::ssr::auth::AuthSession;

use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct LocaleForm {
    locale: String,
    redirect: Option<String>,
}

pub async fn set_locale(
    State(state): State<AppState>,
    auth: Option<axum::Extension<AuthSession>>,
    Form(form): Form<LocaleForm>,
) -> Response {
    let Some(language) = Language::from_code(&form.locale) else {
        return (StatusCode::BAD_REQUEST, "unknown locale").into_response();
    };
    if let Some(ctx) = auth.and_then(|a| a.0.user.clone()).map(|u| u.ctx) {
        let now = state.app.now();
        if let Err(err) = houvast::service::account::set_language(&state.app.db, now, &ctx, language).await {
            tracing::error!(error = %err, "could not store the language preference");
        }
    }
    let target = local_path(form.redirect.as_deref());
    let secure = if state.http.is_https() { "; Secure" } else { "" };
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        houvast_app::LOCALE_COOKIE,
        form.locale
    );
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::LOCATION,
        HeaderValue::from_str(&target).unwrap_or(HeaderValue::from_static("/")),
    );
    headers.insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("cookie is ASCII"),
    );
    response
}
