//! `/metrics` in Prometheus' text format, for the operator's monitoring:
//! requests by route and status with a latency histogram, database pool
//! use, background job runs and failures, e-mails sent and failed.
//!
//! Off unless `HOUVAST_METRICS_TOKEN` is set; then a scrape must send
//! `Authorization: Bearer <token>`. Routes are labelled by their pattern
//! (`/starters/{id}`), never by a path with ids in it, and no label holds a
//! person's data.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;

/// Seconds; from a quick page to one that hits the request timeout.
const LATENCY_BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's metrics registry, installed on first use (the router does
/// that at start, before any request).
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("houvast_http_request_duration_seconds".to_owned()),
                &LATENCY_BUCKETS,
            )
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Only this module installs a recorder, once per process.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Count and time every request, labelled by its route pattern.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("houvast_http_requests_total", "method" => method, "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("houvast_http_request_duration_seconds", "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// A background job's run: `outcome` is `ok` or `failed`.
pub fn job(name: &'static str, ok: bool) {
    handle();
    let outcome = if ok { "ok" } else { "failed" };
    metrics::counter!("houvast_jobs_total", "job" => name, "outcome" => outcome).increment(1);
}

/// E-mails handed to the mail server: `kind` is `notification` or `link`,
/// `outcome` `sent`, `failed` or `skipped` (no usable address).
pub fn emails(kind: &'static str, outcome: &'static str, count: usize) {
    handle();
    metrics::counter!("houvast_emails_total", "kind" => kind, "outcome" => outcome).increment(count as u64);
}

/// Equal without an early exit, so the time taken says nothing about how
/// much of a guess was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `GET /metrics`.
pub async fn endpoint(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.http.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !given.is_some_and(|given| same(given.as_bytes(), token.as_bytes())) {
        return (StatusCode::UNAUTHORIZED, [(WWW_AUTHENTICATE, "Bearer")]).into_response();
    }
    let pool = state.app.db.pool_use();
    metrics::gauge!("houvast_db_pool_connections", "state" => "idle").set(pool.idle as f64);
    metrics::gauge!("houvast_db_pool_connections", "state" => "in_use")
        .set((pool.open as usize).saturating_sub(pool.idle) as f64);
    metrics::gauge!("houvast_db_pool_max_connections").set(f64::from(pool.max));
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        handle().render(),
    )
        .into_response()
}
