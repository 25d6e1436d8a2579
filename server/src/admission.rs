//! Bounded work in flight: beyond capacity the excess gets a quick 503.
//!
//! At most `in_flight` requests are worked on at once; up to `queued` more
//! wait, each at most `wait`, for a place. A request that finds the queue
//! full, or waits too long, is answered at once with 503 and `Retry-After`,
//! so the admitted requests stay fast instead of every request slowing
//! down until the 30-second timeout. Sized so that normal load (hundreds of
//! people at once) never meets it; health probes and static files are
//! outside it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How much work the server takes on at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    pub in_flight: usize,
    pub queued: usize,
    pub wait: Duration,
}

impl Default for Capacity {
    fn default() -> Self {
        Self {
            in_flight: 64,
            queued: 1024,
            wait: Duration::from_secs(3),
        }
    }
}

/// The shared admission state of one server.
#[derive(Debug, Clone)]
pub struct Admission {
    places: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    capacity: Capacity,
}

impl Admission {
    pub fn new(capacity: Capacity) -> Self {
        Self {
            places: Arc::new(Semaphore::new(capacity.in_flight)),
            waiting: Arc::new(AtomicUsize::new(0)),
            capacity,
        }
    }

    /// A place to work on a request, or `None` when the server is full.
    async fn place(&self) -> Option<OwnedSemaphorePermit> {
        if let Ok(place) = self.places.clone().try_acquire_owned() {
            return Some(place);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.capacity.queued {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        let place = tokio::time::timeout(self.capacity.wait, self.places.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        place.ok().and_then(Result::ok)
    }
}

pub async fn admit(State(admission): State<Admission>, request: Request, next: Next) -> Response {
    let Some(place) = admission.place().await else {
        tracing::warn!(path = %request.uri().path(), "server full: answered 503");
        return busy();
    };
    let response = next.run(request).await;
    drop(place);
    response
}

/// The answer beyond capacity: try again in a second.
fn busy() -> Response {
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        "Houvast is even erg druk. Probeer het over een paar seconden opnieuw.\n\
         Houvast is very busy right now. Please try again in a few seconds.\n",
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tokio::sync::Notify;
    use tower::ServiceExt;

    use super::*;

    /// `/slow` holds its place until `release` is notified.
    fn app(capacity: Capacity, release: Arc<Notify>) -> Router {
        Router::new()
            .route(
                "/slow",
                get(move || {
                    let release = release.clone();
                    async move {
                        release.notified().await;
                        "done"
                    }
                }),
            )
            .route("/fast", get(|| async { "fast" }))
            .layer(axum::middleware::from_fn_with_state(Admission::new(capacity), admit))
    }

    async fn get_status(app: &Router, path: &str) -> Response {
        let request = Request::builder().uri(path).body(Body::empty()).unwrap();
        app.clone().oneshot(request).await.unwrap()
    }

    #[tokio::test]
    async fn beyond_capacity_the_excess_gets_a_quick_503_with_retry_after() {
        let release = Arc::new(Notify::new());
        let capacity = Capacity {
            in_flight: 1,
            queued: 0,
            wait: Duration::from_secs(60),
        };
        let app = app(capacity, release.clone());
        let busy_app = app.clone();
        let slow = tokio::spawn(async move { get_status(&busy_app, "/slow").await.status() });
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(20)).await;

        let started = std::time::Instant::now();
        let refused = get_status(&app, "/fast").await;
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.headers()[header::RETRY_AFTER], "1");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "answered at once, not after the wait"
        );

        release.notify_one();
        assert_eq!(slow.await.unwrap(), StatusCode::OK);
        assert_eq!(
            get_status(&app, "/fast").await.status(),
            StatusCode::OK,
            "a free place admits again"
        );
    }

    #[tokio::test]
    async fn a_queued_request_gets_the_next_free_place() {
        let release = Arc::new(Notify::new());
        let capacity = Capacity {
            in_flight: 1,
            queued: 1,
            wait: Duration::from_secs(60),
        };
        let app = app(capacity, release.clone());
        let busy_app = app.clone();
        let slow = tokio::spawn(async move { get_status(&busy_app, "/slow").await.status() });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let queued_app = app.clone();
        let queued = tokio::spawn(async move { get_status(&queued_app, "/fast").await.status() });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(
            get_status(&app, "/fast").await.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "the queue holds one"
        );
        release.notify_one();
        assert_eq!(slow.await.unwrap(), StatusCode::OK);
        assert_eq!(
            queued.await.unwrap(),
            StatusCode::OK,
            "the waiting request was served, not refused"
        );
    }

    #[tokio::test]
    async fn a_request_that_waits_too_long_is_refused() {
        let release = Arc::new(Notify::new());
        let capacity = Capacity {
            in_flight: 1,
            queued: 8,
            wait: Duration::from_millis(50),
        };
        let app = app(capacity, release.clone());
        let busy_app = app.clone();
        let slow = tokio::spawn(async move { get_status(&busy_app, "/slow").await.status() });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(
            get_status(&app, "/fast").await.status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        release.notify_one();
        assert_eq!(slow.await.unwrap(), StatusCode::OK);
    }
}
