//! The HTTP router: Leptos pages and server functions behind the session,
//! login and access layers; static files and health probes outside them;
//! and the middleware every request passes through (request id, tracing,
//! security headers, cross-site refusal, timeout, body limit, compression).

use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Router, middleware};
use axum_login::AuthManagerLayerBuilder;
use houvast::store::StoreError;
use houvast_app::ssr::auth::Backend;
use houvast_app::ssr::session_store::Sessions;
use houvast_app::{App, shell};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::admission::{self, Admission};
pub use crate::state::AppState;
use crate::{
    access, api_errors, backtest_csv, health, locale, personal_data, render_guard, retention_csv, school_login,
    security, site, upload,
};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The name of the session cookie: `__Host-` prefixed over https.
pub fn session_cookie_name(https: bool) -> &'static str {
    if https { "__Host-houvast" } else { "houvast_session" }
}

/// The complete application router.
pub async fn build(state: AppState) -> Result<Router, StoreError> {
    let https = state.http.is_https();
    let idle = state.app.session_policy.idle.num_seconds();
    let sessions = Sessions::for_db(&state.app.db).await?;
    let session_layer = SessionManagerLayer::new(sessions)
        .with_name(session_cookie_name(https))
        .with_secure(https)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(idle)));
    let auth_layer = AuthManagerLayerBuilder::new(Backend::new(state.app.db.clone()), session_layer).build();

    let routes = route_list();
    let options = state.leptos_options.clone();
    // HR files may be larger than any form; everything else keeps the
    // general body limit.
    let uploads = Router::new()
        .route("/import/upload", post(upload::upload))
        .route("/import/template.csv", get(upload::template))
        .layer(RequestBodyLimitLayer::new(upload_limit()))
        .layer(axum::extract::DefaultBodyLimit::max(upload_limit()));
    let application = Router::new()
        .route("/locale", post(locale::set_locale))
        .route("/retention.csv", get(retention_csv::download))
        .route("/backtest.csv", get(backtest_csv::download))
        .route("/my-data.json", get(personal_data::own))
        .route("/people/{id}/data.json", get(personal_data::of_person))
        .route(school_login::CALLBACK_PATH, get(school_login::callback))
        .route("/login/school/{institution}", get(school_login::start))
        .leptos_routes_with_context(&state, routes, state.leptos_context(), move || shell(options.clone()))
        .fallback(not_found)
        .layer(RequestBodyLimitLayer::new(state.http.body_limit_bytes))
        .merge(uploads)
        .layer(middleware::from_fn(api_errors::bad_arguments_are_400))
        .layer(middleware::from_fn_with_state(
            state.http.render_stall,
            render_guard::log_slow_renders,
        ))
        .layer(middleware::from_fn_with_state(state.app.clone(), access::require_login))
        .layer(auth_layer)
        // Outermost: a request beyond capacity costs no session read.
        .layer(middleware::from_fn_with_state(
            Admission::new(state.http.capacity),
            admission::admit,
        ));

    let files = Router::new()
        .route("/pkg/{*file}", get(static_file))
        .route("/favicon.svg", get(static_file))
        // Installing as a home-screen app: the manifest and its icons.
        .route("/manifest.webmanifest", get(static_file))
        .route("/robots.txt", get(static_file))
        .route("/icon-192.png", get(static_file))
        .route("/icon-512.png", get(static_file))
        // A missing file renders the 404 page, watched like any render.
        .route_layer(middleware::from_fn_with_state(
            state.http.render_stall,
            render_guard::log_slow_renders,
        ));
    let outside_sessions = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(crate::metrics::endpoint))
        .merge(files);

    crate::metrics::handle();
    let middleware = ServiceBuilder::new()
        .layer(middleware::from_fn(crate::metrics::track))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let request_id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %request_id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(middleware::from_fn_with_state(state.http.clone(), security::headers))
        .layer(middleware::from_fn_with_state(state.http.clone(), security::same_origin_only))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(state.http.body_limit_bytes.max(upload_limit())))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, state.http.request_timeout));
    Ok(outside_sessions.merge(application).with_state(state).layer(middleware))
}

/// The largest HR file plus room for the multipart framing.
fn upload_limit() -> usize {
    houvast::service::import::MAX_FILE_BYTES + 64 * 1024
}

/// The application's routes, generated once per process.
///
/// Generating them runs the app with resource loading switched off for the
/// whole process (leptos-rs/leptos#4773): a page render that starts at that
/// moment never finishes. Generating once, before anything is served, keeps
/// that window closed; several routers in one process (the tests) share it.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// A compiled browser file, or the 404 page.
async fn static_file(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let file_request = Request::from_parts(parts.clone(), Body::empty());
    if let Some(response) = site::serve_file(&state.http.site_root, file_request).await {
        return response;
    }
    not_found(State(state), Request::from_parts(parts, body)).await
}

/// Any other path: the application's 404 page (after the access check).
async fn not_found(State(state): State<AppState>, request: Request) -> Response {
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(state.leptos_context(), move || shell(options.clone()));
    render(request).await.into_response()
}
