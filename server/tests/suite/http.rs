//! The HTTP surface on the real router, on SQLite and PostgreSQL: probes,
//! server-rendered pages with database data, 404, limits, compression,
//! request ids, the language switch and the generic error page.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use houvast::testing::two_institutions;

houvast::db_test!(async fn healthz_and_readyz_answer(db) {
    let app = router(db).await;
    let health = get(&app, "/healthz").await;
    assert_eq!((health.status, health.text().as_str()), (StatusCode::OK, "ok"));
    let ready = get(&app, "/readyz").await;
    assert_eq!((ready.status, ready.text().as_str()), (StatusCode::OK, "ready"));
});

houvast::db_test!(async fn metrics_are_off_without_a_token_and_count_requests_by_route_pattern(db) {
    assert_eq!(get(&router(db).await, "/metrics").await.status, StatusCode::NOT_FOUND, "off by default");
    let setup = Setup { metrics_token: Some("scrape-3f9c1e".to_owned()), ..Setup::default() };
    let app = router_with(db, &setup).await;
    for headers in [vec![], vec![("authorization", "Bearer scrape-3f9c1")], vec![("authorization", "scrape-3f9c1e")]] {
        let refused = get_with(&app, "/metrics", &headers).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert_eq!(refused.header("www-authenticate"), Some("Bearer"));
    }
    assert_eq!(get(&app, "/login").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/starters/424242").await.status, StatusCode::SEE_OTHER, "not logged in");
    assert_eq!(get(&app, "/no/such/page").await.status, StatusCode::SEE_OTHER, "not logged in");
    let scrape = get_with(&app, "/metrics", &[("authorization", "Bearer scrape-3f9c1e")]).await;
    assert_eq!(scrape.status, StatusCode::OK);
    assert!(scrape.header("content-type").unwrap().starts_with("text/plain; version=0.0.4"));
    let text = scrape.text();
    for needle in [
        "houvast_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"}",
        "houvast_http_requests_total{method=\"GET\",route=\"/starters/{id}\",status=\"303\"}",
        "houvast_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"303\"}",
        "houvast_http_request_duration_seconds_bucket{route=\"/login\",le=\"0.005\"}",
        "houvast_db_pool_connections{state=\"idle\"}",
        "houvast_db_pool_max_connections",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    // Patterns, never paths with ids or whatever a client sent.
    assert!(!text.contains("424242") && !text.contains("/no/such/page"), "{text}");
});

houvast::db_test!(async fn readyz_fails_when_the_database_is_gone(db) {
    let app = router(db).await;
    db.close().await;
    let ready = get(&app, "/readyz").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK, "the process itself is still up");
});

houvast::db_test!(async fn status_page_is_rendered_on_the_server_from_the_database(db) {
    two_institutions(db).await;
    let page = get(&router(db).await, "/status").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    let text = visible_text(&page.text());
    assert!(text.contains("Instellingen in Houvast"), "{text}");
    assert!(text.contains("Deltacollege BRIN-code 25LX Teams 2 teams"), "{text}");
    assert!(text.contains("Hanzeland College BRIN-code 31HZ Teams 1 team"), "{text}");
    assert!(text.contains("2 van 2 instellingen"), "{text}");
    assert!(page.text().starts_with("<!DOCTYPE html><html lang=\"nl\""), "Dutch is the default");
});

houvast::db_test!(async fn status_search_works_without_javascript(db) {
    two_institutions(db).await;
    let text = visible_text(&get(&router(db).await, "/status?q=hanze").await.text());
    assert!(text.contains("1 van 2 instellingen"), "{text}");
    assert!(text.contains("Hanzeland College"), "{text}");
    assert!(!text.contains("Deltacollege"), "{text}");

    let none = visible_text(&get(&router(db).await, "/status?q=nergens").await.text());
    assert!(none.contains("Geen instelling gevonden voor ‘nergens’"), "{none}");
});

houvast::db_test!(async fn empty_database_shows_what_to_do_next(db) {
    let page = get(&router(db).await, "/status").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let text = visible_text(&page.text());
    assert!(text.contains("Nog geen instellingen"), "{text}");
    assert!(text.contains("houvast demo"), "{text}");
});

houvast::db_test!(async fn server_function_returns_the_overview_as_json(db) {
    let fixture = two_institutions(db).await;
    let request = Request::post("/api/status/institutions")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::empty())
        .unwrap();
    let response = send(&router(db).await, request).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let json: serde_json::Value = serde_json::from_slice(&response.bytes).unwrap();
    assert_eq!(json[0]["id"], fixture.a.0);
    assert_eq!(json[0]["brin_code"], "25LX");
    assert_eq!(json[1]["team_count"], 1);
});

houvast::db_test!(async fn unknown_paths_get_the_404_page(db) {
    let f = houvast::testing::people_fixture(db).await;
    houvast::testing::ctx_of(db, f.anna).await;
    let mut anna = Client::new(&router(db).await);
    anna.login("anna@lindenhaghe.nl", houvast::testing::TEST_PASSWORD).await;
    let page = anna.get("/bestaat/niet").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let text = visible_text(&page.text());
    assert!(text.contains("Pagina niet gevonden"), "{text}");
    assert!(text.contains("Naar de startpagina"), "{text}");
});

houvast::db_test!(async fn oversized_bodies_are_refused_with_413(db) {
    let request = Request::post("/locale")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(vec![b'a'; 1024 * 1024]))
        .unwrap();
    assert_eq!(send(&router(db).await, request).await.status, StatusCode::PAYLOAD_TOO_LARGE);
});

houvast::db_test!(async fn pages_are_compressed_when_the_browser_accepts_it(db) {
    two_institutions(db).await;
    let app = router(db).await;
    for encoding in ["br", "gzip"] {
        let page = get_with(&app, "/status", &[("accept-encoding", encoding)]).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.header("content-encoding"), Some(encoding));
    }
    assert_eq!(get(&app, "/status").await.header("content-encoding"), None);
});

houvast::db_test!(async fn every_response_carries_a_request_id(db) {
    let app = router(db).await;
    let first = get(&app, "/healthz").await;
    let second = get(&app, "/bestaat/niet").await;
    let (a, b) = (first.header("x-request-id").unwrap(), second.header("x-request-id").unwrap());
    assert_eq!(a.len(), 36, "a UUID: {a}");
    assert_ne!(a, b);
});

houvast::db_test!(async fn language_switch_without_javascript_sets_the_cookie_and_goes_back(db) {
    two_institutions(db).await;
    let app = router(db).await;
    let request = Request::post("/locale")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("locale=en&redirect=%2Fstatus%3Fq%3Dhanze"))
        .unwrap();
    let response = send(&app, request).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.header("location"), Some("/status?q=hanze"));
    let cookie = response.header("set-cookie").unwrap();
    assert!(cookie.starts_with("i18n_pref_locale=en;"), "{cookie}");
    assert!(cookie.contains("Path=/") && cookie.contains("SameSite=Lax"), "{cookie}");

    let english = get_with(&app, "/status?q=hanze", &[("cookie", "i18n_pref_locale=en")]).await;
    assert!(english.text().starts_with("<!DOCTYPE html><html lang=\"en\""));
    let text = visible_text(&english.text());
    assert!(text.contains("Institutions using Houvast") && text.contains("1 of 2 institutions"), "{text}");

    let hostile = Request::post("/locale")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("locale=en&redirect=https%3A%2F%2Fevil.example"))
        .unwrap();
    assert_eq!(send(&app, hostile).await.header("location"), Some("/"));

    let unknown = Request::post("/locale")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("locale=fr"))
        .unwrap();
    assert_eq!(send(&app, unknown).await.status, StatusCode::BAD_REQUEST);
});

houvast::db_test!(async fn accept_language_does_not_override_dutch(db) {
    let page = get_with(&router(db).await, "/status", &[("accept-language", "en-US,en;q=0.9")]).await;
    assert!(page.text().starts_with("<!DOCTYPE html><html lang=\"nl\""));
});

houvast::db_test!(async fn a_database_failure_shows_a_reference_and_no_internals(db) {
    two_institutions(db).await;
    let app = router(db).await;
    db.close().await;
    let page = get(&app, "/status").await;
    let request_id = page.header("x-request-id").unwrap().to_owned();
    let html = page.text();
    let text = visible_text(&html);
    assert!(text.contains("Er ging iets mis"), "{text}");
    assert!(text.contains(&format!("Referentie: {request_id}")), "{text}");
    for internal in ["pool", "closed", "sqlx", "SELECT", "institutions"] {
        assert!(!html.contains(internal), "page leaks {internal:?}: {html}");
    }
});
