//! Deny by default. Every request that reaches the application passes
//! here after the session layers: the logged-in person (if the session is
//! still valid) is put in the request as `CurrentUser`; anything not on the
//! public allow-list needs that person. Pages send an anonymous visitor to
//! the login page; server functions answer 401 and the refusal is audited.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use houvast_app::ssr::AppContext;
use houvast_app::ssr::auth::{AuthSession, CurrentUser, LOGGED_IN_AT, past_absolute_timeout};

/// Pages anyone may open.
const PUBLIC_PAGES: &[&str] = &["/login", "/forgot", "/activate", "/reset", "/status", "/privacy"];

/// Paths outside the pages and server functions that anyone may call.
const PUBLIC_OTHER: &[&str] = &["/healthz", "/readyz", "/locale"];

pub fn is_public(path: &str) -> bool {
    PUBLIC_PAGES.contains(&path)
        || PUBLIC_OTHER.contains(&path)
        || houvast_app::api::PUBLIC.contains(&path)
        // Logging in with the school account: to the provider and back.
        || path.starts_with("/login/school/")
}

/// When the session was last saved to push its idle expiry back.
const RENEWED_AT: &str = "houvast.renewed_at";

/// Keep a session in use alive without writing it on every request: the
/// session layer saves only a changed session, and this changes it once per
/// `renew_after` (so the idle timeout runs from the last renewal, at most
/// `renew_after` early). Real time, as the session store's expiry is.
async fn renew(session: &tower_sessions::Session, renew_after: chrono::Duration) {
    let now = Utc::now().timestamp();
    let last = session.get::<i64>(RENEWED_AT).await.ok().flatten();
    if last.is_none_or(|at| now - at >= renew_after.num_seconds())
        && let Err(err) = session.insert(RENEWED_AT, now).await
    {
        tracing::warn!(error = %err, "could not renew the session");
    }
}

pub async fn require_login(State(app): State<AppContext>, mut request: Request, next: Next) -> Response {
    let mut current = None;
    if let Some(mut auth) = request.extensions().get::<AuthSession>().cloned()
        && let Some(user) = auth.user.clone()
    {
        let logged_in_at = auth
            .session
            .get::<i64>(LOGGED_IN_AT)
            .await
            .ok()
            .flatten()
            .and_then(|secs| DateTime::<Utc>::from_timestamp(secs, 0));
        if past_absolute_timeout(app.session_policy, logged_in_at, app.now()) {
            let _ = auth.logout().await;
        } else {
            renew(&auth.session, app.session_policy.renew_after).await;
            current = Some(user.ctx);
        }
    }
    let logged_in = current.is_some();
    request.extensions_mut().insert(CurrentUser(current));

    let path = request.uri().path().to_owned();
    if logged_in || is_public(&path) {
        return next.run(request).await;
    }
    if path.starts_with("/api/") {
        let client = client_of(&request, app.trust_forwarded_for);
        houvast::service::access::record_anonymous_denial(&app.db, app.now(), &client, &path).await;
        return (StatusCode::UNAUTHORIZED, "login required").into_response();
    }
    let target = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let location = if target == "/" {
        "/login".to_owned()
    } else {
        format!("/login?next={}", encode(target))
    };
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The client's address for aggregating refusals: the proxy's last
/// `X-Forwarded-For` entry when trusted, else the peer address.
pub(crate) fn client_of(request: &Request, trust_forwarded_for: bool) -> String {
    let forwarded = request
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').map(str::trim).find(|entry| !entry.is_empty()))
        .filter(|_| trust_forwarded_for);
    match forwarded {
        Some(address) => address.to_owned(),
        None => request
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned()),
    }
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
