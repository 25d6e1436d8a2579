//! Helpers for the server tests: the production router over a test
//! database, and requests sent straight into it.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use houvast::clock::FixedClock;
use houvast::store::Db;
use houvast::testing::at;
use houvast_app::ssr::AppContext;
use houvast_server::config::HttpSettings;
use houvast_server::router::{self, AppState};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The router production serves, over `db`, with browser files from `site_root`.
pub fn router_with_site(db: &Db, site_root: &Path) -> Router {
    let context = AppContext {
        db: db.clone(),
        clock: Arc::new(FixedClock(at(2026, 11, 2))),
    };
    let addr: SocketAddr = "127.0.0.1:3000".parse().unwrap();
    router::build(AppState::new(
        context,
        HttpSettings::for_tests(site_root.to_path_buf()),
        addr,
    ))
}

pub fn router(db: &Db) -> Router {
    router_with_site(db, Path::new("/nonexistent-site-root"))
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> TestResponse {
    let response = router.clone().oneshot(request).await.expect("router never fails");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("body").to_bytes().to_vec();
    TestResponse { status, headers, bytes }
}

pub async fn get(router: &Router, path: &str) -> TestResponse {
    send(router, Request::get(path).body(Body::empty()).unwrap()).await
}

pub async fn get_with(router: &Router, path: &str, headers: &[(&str, &str)]) -> TestResponse {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(router, request.body(Body::empty()).unwrap()).await
}

/// The visible text of an HTML page: Leptos hydration markers and comments
/// dropped, every tag a space, whitespace folded. Assertions then read like
/// what a person sees.
pub fn visible_text(html: &str) -> String {
    let body = html.split_once("<body").map(|(_, rest)| rest).unwrap_or(html);
    let body = body.split("__RESOLVED_RESOURCES").next().unwrap_or("");
    let mut text = String::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let tag = &rest[open..];
        let (skip, is_marker) = if tag.starts_with("<!--") {
            (tag.find("-->").map_or(tag.len(), |end| end + 3), true)
        } else {
            (tag.find('>').map_or(tag.len(), |end| end + 1), tag.starts_with("<!>"))
        };
        if !is_marker {
            text.push(' ');
        }
        rest = &tag[skip..];
    }
    text.push_str(rest);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
