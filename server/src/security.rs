//! Response headers and cross-site request refusal.
//!
//! Every response gets nosniff, a referrer policy, COOP, frame refusal, a
//! restrictive default Content-Security-Policy (pages set their own, with
//! the per-response nonce), HSTS over https, and `Cache-Control: no-store`
//! unless it is a static file that set its own caching.
//!
//! State changes come only by POST (the router has no other writing
//! method); a request whose `Sec-Fetch-Site` says cross-site, or whose
//! `Origin` is not this site, is refused with 403 before it reaches a
//! handler. Together with `SameSite=Strict` session cookies this is the
//! OWASP "verify origin with standard headers" defence, without tokens.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::HttpSettings;

const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub async fn headers(State(http): State<Arc<HttpSettings>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        headers,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    set(headers, header::CONTENT_SECURITY_POLICY, DEFAULT_CSP);
    set(headers, header::CACHE_CONTROL, "no-store");
    if http.is_https() {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

/// Refuse cross-site state-changing requests.
pub async fn same_origin_only(State(http): State<Arc<HttpSettings>>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_site(request.headers(), &http.public_url) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &HeaderMap, public_url: &str) -> bool {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = value("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return true;
    }
    let Some(origin) = value("origin") else { return false };
    let host = value("host").unwrap_or("");
    let same_as_host = ["http://", "https://"]
        .iter()
        .any(|scheme| origin == format!("{scheme}{host}"));
    !(origin == public_url || same_as_host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_site_requests_pass_and_foreign_ones_are_refused() {
        let public = "https://houvast.roc.example";
        assert!(
            !is_cross_site(&headers(&[]), public),
            "no browser headers: a non-browser client"
        );
        assert!(!is_cross_site(
            &headers(&[("origin", "https://houvast.roc.example")]),
            public
        ));
        assert!(!is_cross_site(
            &headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]),
            public
        ));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "same-origin")]), public));
        assert!(is_cross_site(
            &headers(&[("origin", "https://evil.example"), ("host", "houvast.roc.example")]),
            public
        ));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")]), public));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")]), public));
        assert!(is_cross_site(&headers(&[("origin", "null")]), public));
    }
}
