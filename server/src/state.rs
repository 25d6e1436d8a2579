//! The state every handler shares: the application context server
//! functions read, the Leptos options, and the HTTP settings. Its own
//! module, so handlers and the router both depend on it and not on each other.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::FromRef;
use houvast_app::ssr::AppContext;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;

use crate::config::HttpSettings;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub app: AppContext,
    pub http: Arc<HttpSettings>,
    /// School-login providers: their HTTP client and discovery cache.
    pub providers: Arc<crate::school_login::Providers>,
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
            providers: Arc::new(crate::school_login::Providers::new()),
        }
    }

    /// What every Leptos render and server function gets in its context.
    pub(crate) fn leptos_context(&self) -> impl Fn() + Clone + Send + Sync + 'static {
        let app = self.app.clone();
        move || provide_context(app.clone())
    }
}
