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
