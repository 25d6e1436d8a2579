//! The HTTP router: Leptos pages and server functions, static files, the
//! health probes, and the middleware every request passes through (request
//! id, tracing, timeout, body limit, compression).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRef, Request, State};
use axum::http::{HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Router, middleware};
use houvast_app::ssr::AppContext;
use houvast_app::{App, shell};
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::HttpSettings;
use crate::{health, locale, render_guard, site};

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub app: AppContext,
    pub http: Arc<HttpSettings>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    pub fn new(app: AppContext, http: HttpSettings, addr: SocketAddr) -> Self {
        let leptos_options = LeptosOptions::builder()
            .output_name(houvast_app::OUTPUT_NAME)
            .site_root(http.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .env(Env::PROD)
            .site_addr(addr)
            .build();
        Self {
            leptos_options,
            app,
            http: Arc::new(http),
        }
    }

    /// What every Leptos render and server function gets in its context.
    fn leptos_context(&self) -> impl Fn() + Clone + Send + Sync + 'static {
        let app = self.app.clone();
        move || provide_context(app.clone())
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The complete application router.
pub fn build(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, state.leptos_context(), move || shell(options.clone()))
        .fallback(static_file_or_not_found)
        .layer(middleware::from_fn_with_state(
            state.http.render_stall,
            render_guard::retry_stalled_renders,
        ));
    let app_routes = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/locale", post(locale::set_locale))
        .merge(pages)
        .with_state(state.clone());

    let middleware = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let request_id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %request_id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(state.http.body_limit_bytes))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, state.http.request_timeout));
    app_routes.layer(middleware)
}

/// Files from the site root (GET/HEAD); anything else is the app's 404 page.
async fn static_file_or_not_found(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if parts.method == Method::GET || parts.method == Method::HEAD {
        let file_request = Request::from_parts(parts.clone(), Body::empty());
        if let Some(response) = site::serve_file(&state.http.site_root, file_request).await {
            return response;
        }
    }
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(state.leptos_context(), move || shell(options.clone()));
    render(Request::from_parts(parts, body)).await.into_response()
}
