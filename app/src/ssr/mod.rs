//! Server-side glue for server functions: the shared application context,
//! who is asking, and the mapping of service errors to what the user may
//! see (with the matching HTTP status).

pub mod auth;
pub mod mail;
pub mod session_store;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use houvast::clock::Clock;
use houvast::service::auth::LoginPolicy;
use houvast::service::{Ctx, ServiceError};
use houvast::store::Db;
use http::{HeaderValue, StatusCode, header};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::AppError;
use auth::{AuthSession, CurrentUser, SessionPolicy};

/// Everything a server function needs from the running server.
#[derive(Clone, Debug)]
pub struct AppContext {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub login_policy: LoginPolicy,
    pub session_policy: SessionPolicy,
    /// The address people use (for links shown to copy).
    pub public_url: String,
    /// Behind a reverse proxy: take the client address from the last
    /// `X-Forwarded-For` entry (the one the proxy added) for throttling.
    pub trust_forwarded_for: bool,
    /// Whether notifications also go out by e-mail (SMTP configured).
    pub email_enabled: bool,
    /// Sends e-mail at once (account links), when SMTP is configured.
    pub mail: Option<Arc<dyn mail::SendMail>>,
    /// Seals school-login client secrets and login attempts
    /// (`HOUVAST_SECRET_KEY`); without it school login cannot be set up.
    pub secret_key: Option<houvast::service::school_login::SecretKey>,
    /// Retention figures of all other institutions together, reused for a
    /// few minutes (they read every employment of the deployment).
    pub benchmarks: houvast::service::retention::Benchmarks,
}

impl AppContext {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The request id the server assigned (header `x-request-id`), used as the
/// user-facing reference for errors.
pub fn request_id() -> String {
    parts()
        .and_then(|parts| {
            parts
                .headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "-".to_owned())
}

/// Log an internal failure in full and return only its reference.
pub fn internal(err: &dyn std::fmt::Display) -> AppError {
    let reference = request_id();
    tracing::error!(request_id = %reference, error = %err, "server function failed");
    set_status(StatusCode::INTERNAL_SERVER_ERROR);
    AppError::Internal { reference }
}

/// The application context, or an internal error when it was not provided.
pub fn app_context() -> Result<AppContext, AppError> {
    use_context::<AppContext>().ok_or_else(|| internal(&"application context missing"))
}

/// The logged-in person, or `Unauthorized` (HTTP 401).
pub fn ctx() -> Result<Ctx, AppError> {
    current_user().ok_or_else(|| {
        set_status(StatusCode::UNAUTHORIZED);
        AppError::Unauthorized
    })
}

/// What a server function hands to the service it calls: the running
/// server and the logged-in person.
pub struct Call {
    pub app: AppContext,
    pub ctx: Ctx,
}

/// Run `service` for the logged-in person (401 without a login): the one
/// opening of every server function that acts for someone. A service's
/// refusal or failure becomes the HTTP answer through `?` (see
/// [`service_error`]). Its statements share one database connection (see
/// `houvast::store::held`).
pub async fn serve<T>(service: impl AsyncFnOnce(&Call) -> Result<T, AppError>) -> Result<T, AppError> {
    let call = Call {
        app: app_context()?,
        ctx: ctx()?,
    };
    call.app.db.on_one_connection(service(&call)).await
}

impl From<ServiceError> for AppError {
    fn from(err: ServiceError) -> AppError {
        service_error(err)
    }
}

/// The logged-in person, if any.
pub fn current_user() -> Option<Ctx> {
    parts()
        .and_then(|p| p.extensions.get::<CurrentUser>().cloned())
        .and_then(|u| u.0)
}

/// The login session of this request.
pub fn auth_session() -> Result<AuthSession, AppError> {
    parts()
        .and_then(|p| p.extensions.get::<AuthSession>().cloned())
        .ok_or_else(|| internal(&"no session layer on this route"))
}

/// The client's network address (for throttling).
pub fn client_address() -> String {
    let Some(parts) = parts() else {
        return "unknown".to_owned();
    };
    let trusted = use_context::<AppContext>().is_some_and(|app| app.trust_forwarded_for);
    let forwarded = parts
        .headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').map(str::trim).find(|entry| !entry.is_empty()))
        .filter(|_| trusted);
    match forwarded {
        Some(address) => address.chars().take(64).collect(),
        None => parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned()),
    }
}

/// Set the HTTP status of a server function's answer. A plain form post
/// (no JavaScript) keeps the framework's redirect back to the form, which
/// carries the error in its URL, so its status is left alone.
pub fn set_status(status: StatusCode) {
    if is_form_post() {
        return;
    }
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(status);
    }
}

/// Whether this request is a plain HTML form post rather than a call from
/// the hydrated app.
fn is_form_post() -> bool {
    parts()
        .and_then(|p| {
            p.headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

fn set_header(name: header::HeaderName, value: &str) {
    if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(value)) {
        response.insert_header(name, value);
    }
}

/// Translate a service error into what the user may know, with its status.
pub fn service_error(err: ServiceError) -> AppError {
    let (status, error) = match err {
        ServiceError::Unauthorized => (StatusCode::UNAUTHORIZED, AppError::Unauthorized),
        ServiceError::Forbidden => (StatusCode::FORBIDDEN, AppError::Forbidden),
        ServiceError::NotFound => (StatusCode::NOT_FOUND, AppError::NotFound),
        ServiceError::Invalid(fields) => (StatusCode::UNPROCESSABLE_ENTITY, AppError::Invalid(fields)),
        ServiceError::InvalidCredentials => (StatusCode::UNAUTHORIZED, AppError::InvalidCredentials),
        ServiceError::InvalidLink => (StatusCode::GONE, AppError::InvalidLink),
        ServiceError::Throttled { retry_after_secs } => {
            set_header(header::RETRY_AFTER, &retry_after_secs.to_string());
            (StatusCode::TOO_MANY_REQUESTS, AppError::Throttled { retry_after_secs })
        }
        ServiceError::AlreadyDone => (StatusCode::CONFLICT, AppError::NotFound),
        ServiceError::Internal(inner) => return internal(&inner),
    };
    set_status(status);
    error
}

/// A refused field, answered 422 (never the framework's default 500).
pub fn invalid(field: &str, problem: houvast::domain::FieldProblem) -> AppError {
    set_status(StatusCode::UNPROCESSABLE_ENTITY);
    AppError::Invalid(vec![houvast::domain::FieldError {
        field: field.to_owned(),
        problem,
    }])
}

/// Reject input longer than `max` characters before it reaches a service
/// (the services check their own limits too; this bounds the work).
pub fn limit(field: &str, value: &str, max: usize) -> Result<(), AppError> {
    if value.chars().count() > max {
        set_status(StatusCode::UNPROCESSABLE_ENTITY);
        return Err(AppError::Invalid(vec![houvast::domain::FieldError {
            field: field.to_owned(),
            problem: houvast::domain::FieldProblem::TooLong { max },
        }]));
    }
    Ok(())
}

/// Make the interface language follow the account's preference from now on
/// (the same cookie the language switch sets).
pub fn remember_language(language: houvast::domain::Language) {
    let secure = use_context::<AppContext>().is_some_and(|app| app.public_url.starts_with("https://"));
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        crate::LOCALE_COOKIE,
        language.code(),
        if secure { "; Secure" } else { "" }
    );
    if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&cookie)) {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// The name of the device cookie: a browser in which someone logged in
/// before keeps its own login budget (see `service::auth::LoginPolicy`).
pub const DEVICE_COOKIE: &str = "houvast_device";

/// The device cookie this request carries, if any.
pub fn device_cookie() -> Option<String> {
    let parts = parts()?;
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == DEVICE_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// Remember this browser for a year (HttpOnly, Strict, Secure over https).
pub fn set_device_cookie(token: &str) {
    let secure = use_context::<AppContext>().is_some_and(|app| app.public_url.starts_with("https://"));
    let cookie = format!(
        "{DEVICE_COOKIE}={token}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    );
    if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&cookie)) {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// Redirect a plain form post (no JavaScript) to `path`. Calls from the
/// hydrated app get the result instead and navigate themselves.
pub fn form_redirect(path: &str) {
    if is_form_post() {
        leptos_axum::redirect(path);
    }
}

/// Send a one-time link to its person now. A failure is logged and
/// answered as an internal error; the link itself was never shown, so it
/// simply goes unused.
pub async fn send_link(
    app: &AppContext,
    to: &houvast::service::auth::LinkRecipient,
    url: &str,
    activation: bool,
) -> Result<(), crate::AppError> {
    let Some(mailer) = app.mail.as_ref() else {
        return Err(internal(&"a link by e-mail while e-mail is off"));
    };
    let text = mail::compose_link(to.language, &to.name, url, activation);
    let message = mail::OutgoingMail {
        to_name: to.name.clone(),
        to_address: to.email.clone(),
        subject: text.subject,
        body: text.body,
    };
    mailer.send(message).await.map_err(|err| {
        tracing::warn!(person = to.person.0, error = %err, "could not send a link by e-mail");
        internal(&"sending the e-mail failed")
    })
}
