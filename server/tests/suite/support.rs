//! Helpers for the server tests: the production router over a test
//! database, and requests sent straight into it.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use chrono::{DateTime, Utc};
use houvast::clock::Clock;
use houvast::service::auth::LoginPolicy;
use houvast::store::Db;
use houvast::testing::at;
use houvast_app::ssr::AppContext;
use houvast_app::ssr::auth::SessionPolicy;
use houvast_server::config::HttpSettings;
use houvast_server::router::{self, AppState};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A clock tests can move forward.
#[derive(Debug)]
pub struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    pub fn at(now: DateTime<Utc>) -> Self {
        Self(Mutex::new(now))
    }

    pub fn advance(&self, by: chrono::Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// How a test router is set up.
pub struct Setup {
    pub site_root: PathBuf,
    pub session_policy: SessionPolicy,
    pub login_policy: LoginPolicy,
    pub public_url: String,
    pub clock: Arc<TestClock>,
    pub trust_forwarded_for: bool,
    pub email_enabled: bool,
    /// Where account links are e-mailed (e-mail is on when set).
    pub mail: Option<Arc<MailBox>>,
    pub capacity: houvast_server::admission::Capacity,
    /// The bearer token of `/metrics` (off when `None`).
    pub metrics_token: Option<String>,
    /// The key that seals school-login secrets (school login off when `None`).
    pub secret_key: Option<houvast::service::school_login::SecretKey>,
}

/// Collects the e-mails the server sends at once (account links).
#[derive(Debug, Default)]
pub struct MailBox(pub Mutex<Vec<houvast_app::ssr::mail::OutgoingMail>>);

impl MailBox {
    pub fn sent(&self) -> Vec<houvast_app::ssr::mail::OutgoingMail> {
        self.0.lock().unwrap().clone()
    }
}

impl houvast_app::ssr::mail::SendMail for MailBox {
    fn send(
        &self,
        mail: houvast_app::ssr::mail::OutgoingMail,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + '_>> {
        self.0.lock().unwrap().push(mail);
        Box::pin(async { Ok(()) })
    }
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            site_root: PathBuf::from("/nonexistent-site-root"),
            session_policy: SessionPolicy::default(),
            login_policy: LoginPolicy::default(),
            public_url: "http://127.0.0.1:3000".to_owned(),
            clock: Arc::new(TestClock(Mutex::new(at(2026, 11, 2)))),
            trust_forwarded_for: false,
            email_enabled: false,
            mail: None,
            capacity: houvast_server::admission::Capacity::default(),
            metrics_token: None,
            secret_key: None,
        }
    }
}

/// The router production serves, over `db`.
pub async fn router_with(db: &Db, setup: &Setup) -> Router {
    let context = AppContext {
        db: db.clone(),
        clock: setup.clock.clone(),
        login_policy: setup.login_policy,
        session_policy: setup.session_policy,
        public_url: setup.public_url.clone(),
        trust_forwarded_for: setup.trust_forwarded_for,
        email_enabled: setup.email_enabled || setup.mail.is_some(),
        mail: setup
            .mail
            .clone()
            .map(|m| m as Arc<dyn houvast_app::ssr::mail::SendMail>),
        secret_key: setup.secret_key.clone(),
        benchmarks: Default::default(),
    };
    let addr: SocketAddr = "127.0.0.1:3000".parse().unwrap();
    let mut http = HttpSettings::for_tests(setup.site_root.clone());
    http.public_url = setup.public_url.clone();
    http.capacity = setup.capacity;
    http.metrics_token = setup.metrics_token.clone();
    router::build(AppState::new(context, http, addr)).await.expect("router")
}

pub async fn router_with_site(db: &Db, site_root: &Path) -> Router {
    router_with(
        db,
        &Setup {
            site_root: site_root.to_path_buf(),
            ..Setup::default()
        },
    )
    .await
}

pub async fn router(db: &Db) -> Router {
    router_with(db, &Setup::default()).await
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

/// A browser-like client: keeps cookies, sends same-origin form posts.
#[derive(Clone)]
pub struct Client {
    pub router: Router,
    pub cookies: BTreeMap<String, String>,
}

impl Client {
    pub fn new(router: &Router) -> Self {
        Self {
            router: router.clone(),
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, response: &TestResponse) {
        for value in response.headers.get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let expired = text.contains("Max-Age=0") || value.is_empty();
            if expired {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let request = Request::get(path)
            .header("cookie", self.cookie_header())
            .body(Body::empty())
            .unwrap();
        let response = send(&self.router, request).await;
        self.keep_cookies(&response);
        response
    }

    /// A server-function call as the hydrated app makes it (answers JSON).
    pub async fn call(&mut self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        let body = form_body(form);
        let request = Request::post(path)
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("origin", "http://127.0.0.1:3000")
            .header("host", "127.0.0.1:3000")
            .body(Body::from(body))
            .unwrap();
        let response = send(&self.router, request).await;
        self.keep_cookies(&response);
        response
    }

    pub async fn login(&mut self, email: &str, password: &str) -> TestResponse {
        self.call("/api/auth/login", &[("email", email), ("password", password)])
            .await
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.cookies.get("houvast_session").cloned()
    }
}

pub fn form_body(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Send a raw POST body to a path (for malformed-input tests).
pub async fn post_raw(router: &Router, path: &str, content_type: &str, body: Vec<u8>, cookie: &str) -> TestResponse {
    let request = Request::post(path)
        .header("content-type", content_type)
        .header("cookie", cookie)
        .body(Body::from(body))
        .unwrap();
    send(router, request).await
}
