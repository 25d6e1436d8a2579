//! A guard against stalled page renders.
//!
//! Leptos 0.8's server-side `<Suspense>` has had rare races in which a render
//! never completes (leptos-rs/leptos#4851, #4773; the second is avoided by
//! generating the route list once, see `router::route_list`), and the person
//! would wait for the request timeout. A page render for GET/HEAD is side-effect free, so when one takes
//! longer than `render_stall` it is abandoned and rendered once more. The
//! stall is logged with the request id so it stays visible.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// How many times a stalled render is tried in all.
const ATTEMPTS: usize = 2;

pub async fn retry_stalled_renders(State(render_stall): State<Duration>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let (parts, _empty_body) = request.into_parts();
    for attempt in 1..=ATTEMPTS {
        let request = Request::from_parts(parts.clone(), Body::empty());
        match tokio::time::timeout(render_stall, next.clone().run(request)).await {
            Ok(response) => return response,
            Err(_) => {
                tracing::warn!(path = %parts.uri.path(), attempt, "page render stalled; rendering again")
            }
        }
    }
    tracing::error!(path = %parts.uri.path(), "page render stalled on every attempt");
    StatusCode::SERVICE_UNAVAILABLE.into_response()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::Router;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    /// A page that stalls on its first `stalls` renders, then answers.
    fn app(stalls: usize, calls: Arc<AtomicUsize>) -> Router {
        Router::new()
            .route(
                "/",
                get(move || {
                    let calls = calls.clone();
                    async move {
                        if calls.fetch_add(1, Ordering::SeqCst) < stalls {
                            std::future::pending::<()>().await;
                        }
                        "page"
                    }
                })
                .post(|| async { "posted" }),
            )
            .layer(axum::middleware::from_fn_with_state(
                Duration::from_millis(50),
                retry_stalled_renders,
            ))
    }

    async fn status(app: Router, method: Method) -> StatusCode {
        let request = Request::builder().method(method).uri("/").body(Body::empty()).unwrap();
        app.oneshot(request).await.unwrap().status()
    }

    #[tokio::test]
    async fn a_stalled_render_is_redone_once() {
        let calls = Arc::new(AtomicUsize::new(0));
        assert_eq!(status(app(1, calls.clone()), Method::GET).await, StatusCode::OK);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_render_that_keeps_stalling_becomes_503() {
        let calls = Arc::new(AtomicUsize::new(0));
        assert_eq!(
            status(app(usize::MAX, calls.clone()), Method::GET).await,
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(calls.load(Ordering::SeqCst), ATTEMPTS);
    }

    #[tokio::test]
    async fn other_methods_are_never_repeated() {
        let calls = Arc::new(AtomicUsize::new(0));
        assert_eq!(status(app(0, calls.clone()), Method::POST).await, StatusCode::OK);
        assert_eq!(
            calls.load(Ordering::SeqCst),
            0,
            "the POST handler does not count GET renders"
        );
    }
}
