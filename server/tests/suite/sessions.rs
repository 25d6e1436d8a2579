//! Authentication and sessions over HTTP, on SQLite and PostgreSQL:
//! SECURITY.md AU3–AU6 and SE1–SE4.

use crate::support::*;
use axum::http::StatusCode;
use houvast::testing::{TEST_PASSWORD, ctx_of, people_fixture};

/// The anonymous answer of a protected server function.
async fn viewer_name(client: &mut Client) -> Option<String> {
    let response = client.call("/api/auth/viewer", &[]).await;
    let json: serde_json::Value = serde_json::from_slice(&response.bytes).unwrap();
    json.get("name").and_then(|n| n.as_str()).map(str::to_owned)
}

houvast::db_test!(async fn login_sets_a_strict_http_only_cookie_and_a_new_session_id(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    let app = router(db).await;
    let mut client = Client::new(&app);
    // A session id an attacker planted before login:
    client.cookies.insert("houvast_session".into(), "Zm9yZ2VkLXNlc3Npb24taWQtMTIzNDU2".into());
    let response = client.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let cookie = response.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).find(|c| c.starts_with("houvast_session=")).expect("session cookie");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} missing: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
    assert_ne!(client.session_cookie().as_deref(), Some("Zm9yZ2VkLXNlc3Npb24taWQtMTIzNDU2"), "the session id rotates");
    assert_eq!(viewer_name(&mut client).await.as_deref(), Some("Bram Mentor"));

    let before = client.session_cookie().unwrap();
    let mut again = Client::new(&app);
    again.cookies.insert("houvast_session".into(), before.clone());
    again.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    let mut old = Client::new(&app);
    old.cookies.insert("houvast_session".into(), before);
    assert_ne!(again.session_cookie(), old.session_cookie());
    assert_eq!(viewer_name(&mut old).await, None, "the pre-login id is dead after a new login");
});

houvast::db_test!(async fn over_https_the_cookie_is_host_prefixed_and_secure(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    let app = router_with(db, &Setup { public_url: "https://houvast.roc.example".into(), ..Setup::default() }).await;
    let mut client = Client::new(&app);
    let response = client.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    let cookie = response.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).find(|c| c.starts_with("__Host-houvast=")).expect("__Host- cookie");
    assert!(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"), "{cookie}");
    assert!(response.header("strict-transport-security").is_some());
});

houvast::db_test!(async fn unknown_address_and_wrong_password_get_the_same_answer(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    let app = router(db).await;
    let wrong = Client::new(&app).login("bram@lindenhaghe.nl", "helemaal verkeerd 123").await;
    let unknown = Client::new(&app).login("niemand@lindenhaghe.nl", "helemaal verkeerd 123").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!((wrong.status, wrong.bytes.clone()), (unknown.status, unknown.bytes.clone()));
    assert_eq!(wrong.text(), r#""InvalidCredentials""#);
});

houvast::db_test!(async fn too_many_failures_answer_429_with_retry_after(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    ctx_of(db, f.daan).await;
    let app = router(db).await;
    for _ in 0..5 {
        assert_eq!(Client::new(&app).login("bram@lindenhaghe.nl", "fout fout fout").await.status, StatusCode::UNAUTHORIZED);
    }
    let blocked = Client::new(&app).login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = blocked.header("retry-after").unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    let other = Client::new(&app).login("daan@lindenhaghe.nl", TEST_PASSWORD).await;
    assert_eq!(other.status, StatusCode::OK, "another account is unaffected");
});

houvast::db_test!(async fn a_fresh_database_has_no_usable_login(db) {
    assert!(!houvast::store::accounts::any_usable(db).await.unwrap());
    let app = router(db).await;
    for (email, password) in [("admin@houvast.example", "admin"), ("admin", "admin"), ("beheer@houvast.example", "Houvast-demo-2026")] {
        assert_eq!(Client::new(&app).login(email, password).await.status, StatusCode::UNAUTHORIZED);
    }
});

houvast::db_test!(async fn logout_deletes_the_server_side_session(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    let app = router(db).await;
    let mut client = Client::new(&app);
    client.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    let cookie = client.session_cookie().unwrap();
    assert_eq!(client.call("/api/auth/logout", &[]).await.status, StatusCode::OK);
    let mut replay = Client::new(&app);
    replay.cookies.insert("houvast_session".into(), cookie);
    assert_eq!(viewer_name(&mut replay).await, None);
    assert_eq!(replay.call("/api/account/home", &[]).await.status, StatusCode::UNAUTHORIZED);
});

houvast::db_test!(async fn deactivation_ends_the_persons_sessions(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.anna).await;
    ctx_of(db, f.daan).await;
    let app = router(db).await;
    let mut daan = Client::new(&app);
    daan.login("daan@lindenhaghe.nl", TEST_PASSWORD).await;
    assert_eq!(daan.call("/api/account/home", &[]).await.status, StatusCode::OK);
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    let done = anna.call("/api/people/active", &[("id", &f.daan.0.to_string()), ("active", "false")]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(daan.call("/api/account/home", &[]).await.status, StatusCode::UNAUTHORIZED);
});

houvast::db_test!(async fn a_password_change_ends_the_other_sessions(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    let app = router(db).await;
    let (mut phone, mut laptop) = (Client::new(&app), Client::new(&app));
    phone.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    laptop.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    let wrong = phone.call("/api/account/password", &[("current_password", "niet het goede"), ("new_password", "lamp stoel bloem wolk 9"), ("repeat_password", "lamp stoel bloem wolk 9")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "the current password is needed");
    let changed = phone.call("/api/account/password", &[("current_password", TEST_PASSWORD), ("new_password", "lamp stoel bloem wolk 9"), ("repeat_password", "lamp stoel bloem wolk 9")]).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    assert_eq!(laptop.call("/api/account/home", &[]).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(phone.call("/api/account/home", &[]).await.status, StatusCode::OK, "this session continues");
});

houvast::db_test!(async fn sessions_end_after_the_idle_timeout(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    let policy = houvast_app::ssr::auth::SessionPolicy { idle: chrono::Duration::seconds(1), ..Default::default() };
    let app = router_with(db, &Setup { session_policy: policy, ..Setup::default() }).await;
    let mut client = Client::new(&app);
    client.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    assert_eq!(client.call("/api/account/home", &[]).await.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(client.call("/api/account/home", &[]).await.status, StatusCode::UNAUTHORIZED);
});

houvast::db_test!(async fn sessions_end_after_the_absolute_timeout_despite_activity(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    let setup = Setup::default();
    let app = router_with(db, &setup).await;
    let mut client = Client::new(&app);
    client.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    for _ in 0..3 {
        setup.clock.advance(chrono::Duration::hours(3));
        let response = client.call("/api/account/home", &[]).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    }
    setup.clock.advance(chrono::Duration::minutes(3 * 60 + 1));
    assert_eq!(client.call("/api/account/home", &[]).await.status, StatusCode::UNAUTHORIZED, "12 h after login");
});

houvast::db_test!(async fn behind_a_trusted_proxy_each_client_address_is_throttled_on_its_own(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    let login_policy = houvast::service::auth::LoginPolicy { per_address: 2, ..Default::default() };
    let app = router_with(db, &Setup { trust_forwarded_for: true, login_policy, ..Setup::default() }).await;
    let attempt = |client: &'static str, email: &'static str, password: &'static str| {
        let app = app.clone();
        async move {
            let request = axum::http::Request::post("/api/auth/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("x-forwarded-for", format!("203.0.113.9, {client}"))
                .body(axum::body::Body::from(format!("email={}&password={}", encode(email), encode(password))))
                .unwrap();
            send(&app, request).await.status
        }
    };
    for email in ["a@x.nl", "b@x.nl"] {
        assert_eq!(attempt("198.51.100.1", email, "fout fout fout").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(attempt("198.51.100.1", "bram@lindenhaghe.nl", TEST_PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(attempt("198.51.100.2", "bram@lindenhaghe.nl", TEST_PASSWORD).await, StatusCode::OK, "another client behind the same proxy");
});

/// Whether the answer saved the session (and so sent its cookie again).
fn saved_session(response: &TestResponse) -> bool {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("houvast_session="))
}

houvast::db_test!(async fn a_session_in_use_is_saved_once_per_renewal_interval_not_on_every_request(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    // Long enough that the reads below stay within it on a busy machine
    // (the whole suite runs in parallel), short enough to wait for.
    let policy = houvast_app::ssr::auth::SessionPolicy { renew_after: chrono::Duration::seconds(4), ..Default::default() };
    let app = router_with(db, &Setup { session_policy: policy, ..Setup::default() }).await;
    let mut client = Client::new(&app);
    client.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    let first = client.call("/api/account/home", &[]).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(saved_session(&first), "the first request after login renews");
    for _ in 0..3 {
        let again = client.call("/api/account/home", &[]).await;
        assert_eq!(again.status, StatusCode::OK);
        assert!(!saved_session(&again), "a read within the interval writes no session");
        assert_eq!(client.get("/").await.status, StatusCode::OK);
    }
    tokio::time::sleep(std::time::Duration::from_millis(4100)).await;
    let later = client.call("/api/account/home", &[]).await;
    assert_eq!(later.status, StatusCode::OK);
    assert!(saved_session(&later), "after the interval the idle expiry moves on");
    let anonymous = get(&app, "/login").await;
    assert!(!saved_session(&anonymous), "no session for a visitor who is not logged in");
});
