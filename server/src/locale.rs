//! `POST /locale`: the language switch for browsers without JavaScript. Sets
//! the same cookie the hydrated app uses and sends the person back to the
//! page they were on (only ever a path on this site).

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::router::AppState;

#[derive(Debug, Deserialize)]
pub struct LocaleForm {
    locale: String,
    redirect: Option<String>,
}

pub async fn set_locale(State(state): State<AppState>, Form(form): Form<LocaleForm>) -> Response {
    if !matches!(form.locale.as_str(), "nl" | "en") {
        return (StatusCode::BAD_REQUEST, "unknown locale").into_response();
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

/// A redirect target that stays on this site: an absolute path, not `//host`
/// or `/\host`, no control characters; anything else becomes `/`.
pub fn local_path(candidate: Option<&str>) -> String {
    match candidate {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && path.len() <= 2000
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(local_path(Some("/?q=zuider")), "/?q=zuider");
        assert_eq!(local_path(Some("/teams/3")), "/teams/3");
        for hostile in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/a\r\nSet-Cookie: x=1",
            "",
        ] {
            assert_eq!(local_path(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}
