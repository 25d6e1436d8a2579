//! A watch on slow page renders.
//!
//! A render is never redone: a second render of a slow page only adds load
//! (and repeats the audit records of what was shown). A page render that
//! takes longer than `render_stall` is logged with its path (the request id
//! is on the span) and left to finish; the request timeout still bounds it.
//! Leptos 0.8's server-side `<Suspense>` has had races in which a render
//! never completes (leptos-rs/leptos#4851, #4773; the second is avoided by
//! generating the route list once, see `router::route_list`): such a render
//! shows up here as a warning and ends with the request timeout.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

pub async fn log_slow_renders(State(render_stall): State<Duration>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let render = next.run(request);
    tokio::pin!(render);
    tokio::select! {
        response = &mut render => response,
        () = tokio::time::sleep(render_stall) => {
            tracing::warn!(path = %path, seconds = render_stall.as_secs_f32(), "page render is slow; letting it finish");
            render.await
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::Router;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn a_slow_render_finishes_and_is_never_redone() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        let app = Router::new()
            .route(
                "/",
                get(move || {
                    let calls = counted.clone();
                    async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(120)).await;
                        "page"
                    }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                Duration::from_millis(20),
                log_slow_renders,
            ));
        let request = Request::builder().uri("/").body(Body::empty()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(calls.load(Ordering::SeqCst), 1, "rendered once");
    }
}
