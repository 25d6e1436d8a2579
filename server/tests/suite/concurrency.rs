//! Many pages rendered at once must all succeed. This caught a real fault:
//! a `<Title>` read a signal after the request's reactive arena was gone,
//! which under concurrency panicked and left the response hanging.

use crate::support::*;
use axum::http::StatusCode;
use houvast::testing::two_institutions;

houvast::db_test!(async fn concurrent_page_renders_all_succeed(db) {
    two_institutions(db).await;
    let app = router(db).await;
    let mut workers = Vec::new();
    for _ in 0..8 {
        let app = app.clone();
        workers.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for path in ["/status", "/status?q=delta", "/login"].iter().cycle().take(30) {
                statuses.push((path.to_string(), get(&app, path).await.status));
            }
            statuses
        }));
    }
    for worker in workers {
        for (path, status) in worker.await.expect("no render panics") {
            assert_eq!(status, StatusCode::OK, "{path}");
        }
    }
});

houvast::db_test!(async fn beyond_capacity_pages_get_a_quick_503_with_retry_after_and_probes_still_answer(db) {
    let full = houvast_server::admission::Capacity { in_flight: 0, queued: 0, wait: std::time::Duration::from_secs(60) };
    let app = router_with(db, &Setup { capacity: full, ..Setup::default() }).await;
    for path in ["/login", "/api/auth/viewer"] {
        let refused = get(&app, path).await;
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(refused.headers["retry-after"], "1", "{path}");
    }
    assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK, "health probes are outside the bound");
    let normal = router_with(db, &Setup::default()).await;
    assert_eq!(get(&normal, "/login").await.status, StatusCode::OK);
});
