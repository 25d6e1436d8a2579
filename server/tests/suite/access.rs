//! Access control, tenancy, cross-site refusal and headers over HTTP:
//! SECURITY.md AC1, AC2, AC5, CS1, HD1, HD2, LG1.

use crate::support::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use houvast::domain::AuditFilter;
use houvast::testing::{TEST_PASSWORD, ctx_of, people_fixture};

/// Every registered server function, from the framework's own registry.
fn registered_server_functions() -> Vec<(String, Method)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method))
        .collect()
}

houvast::db_test!(async fn every_server_function_off_the_allow_list_refuses_anonymous_callers(db) {
    people_fixture(db).await;
    let app = router(db).await;
    let functions = registered_server_functions();
    assert!(functions.len() >= 25, "the registry lists the server functions: {functions:?}");
    let mut refused = 0;
    for (path, method) in &functions {
        let request = Request::builder()
            .method(method.clone())
            .uri(path.as_str())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(Body::from("id=1&team=1&person=1&add=true&active=true&name=x&sector=other&full_name=x&email=x@x.nl"))
            .unwrap();
        let response = send(&app, request).await;
        if houvast_app::api::PUBLIC.contains(&path.as_str()) {
            assert_ne!(response.status, StatusCode::UNAUTHORIZED, "{path} is public");
        } else {
            assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{path}: {}", response.text());
            refused += 1;
        }
    }
    assert_eq!(refused, functions.len() - houvast_app::api::PUBLIC.len());
    // Every refusal is audited, aggregated per client and minute so that
    // nobody can grow the append-only log at will: the first refusal is a
    // row, the repeats of that minute are counted beside it.
    let rows = count_anonymous_denials(db).await;
    assert!((1..=2).contains(&rows), "one row per client and minute: {rows}");
    assert_eq!(count_denials_counted(db).await, refused, "every refusal is counted");
});

async fn count_anonymous_denials(db: &houvast::store::Db) -> usize {
    let sql = "SELECT COUNT(*) FROM audit_events WHERE action = 'access_denied' AND actor_person_id IS NULL";
    let count: i64 = match db {
        houvast::store::Db::Sqlite(pool) => sqlx_count(pool, sql).await,
        houvast::store::Db::Postgres(pool) => sqlx_count_pg(pool, sql).await,
    };
    count as usize
}

async fn count_denials_counted(db: &houvast::store::Db) -> usize {
    let sql = "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM denial_counts WHERE key LIKE 'client:%'";
    let count: i64 = match db {
        houvast::store::Db::Sqlite(pool) => sqlx_count(pool, sql).await,
        houvast::store::Db::Postgres(pool) => sqlx_count_pg(pool, sql).await,
    };
    count as usize
}

async fn sqlx_count(pool: &sqlx::SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn sqlx_count_pg(pool: &sqlx::PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

houvast::db_test!(async fn protected_pages_send_anonymous_visitors_to_login(db) {
    let app = router(db).await;
    for path in ["/", "/account", "/teams", "/teams/1", "/people", "/people/new", "/people/1", "/audit", "/admin", "/admin/institutions/1", "/no/such/page"] {
        let response = get(&app, path).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        let location = response.header("location").unwrap();
        assert!(location.starts_with("/login"), "{path} -> {location}");
    }
    assert_eq!(get(&app, "/people/1").await.header("location"), Some("/login?next=/people/1"));
    for path in ["/login", "/status", "/healthz", "/readyz"] {
        assert_eq!(get(&app, path).await.status, StatusCode::OK, "{path}");
    }
    for path in ["/activate?token=x", "/reset?token=x"] {
        let page = get(&app, path).await;
        assert_eq!(page.status, StatusCode::GONE, "{path}: an unknown link");
        assert!(visible_text(&page.text()).contains("Deze link werkt niet"), "{path}");
    }
});

houvast::db_test!(async fn another_institutions_ids_are_not_found_everywhere(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.anna).await;
    let app = router(db).await;
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    let (team_b, erik, team_a) = (f.team_b.0.to_string(), f.erik.0.to_string(), f.team_a.0.to_string());
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/api/teams/one", vec![("id", &team_b)]),
        ("/api/teams/update", vec![("id", &team_b), ("name", "Overgenomen"), ("sector", "other")]),
        ("/api/teams/leader", vec![("team", &team_b), ("person", &erik), ("add", "true")]),
        ("/api/teams/leader", vec![("team", &team_a), ("person", &erik), ("add", "true")]),
        ("/api/people", vec![("team", &team_b)]),
        ("/api/people/one", vec![("id", &erik)]),
        ("/api/people/update", vec![("id", &erik), ("full_name", "Erik X"), ("email", "erik.x@hanzeland.nl")]),
        ("/api/people/roles", vec![("id", &erik), ("mentor", "on")]),
        ("/api/people/active", vec![("id", &erik), ("active", "false")]),
        ("/api/people/link", vec![("id", &erik)]),
        ("/api/people/create", vec![("full_name", "Nieuw"), ("email", "nieuw@x.nl"), ("starter", "on"), ("team", &team_b)]),
        ("/api/audit", vec![("person", &erik)]),
    ];
    for (path, form) in calls {
        let response = anna.call(path, &form).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path} {form:?}: {}", response.text());
        assert_eq!(response.text(), r#""NotFound""#);
    }
    let erik_after = houvast::store::people::get(db, f.erik).await.unwrap();
    assert_eq!(erik_after.full_name.as_str(), "Erik Anders", "nothing of B changed");
    // Finding a person for the audit log by name searches the own
    // institution only: Erik (of B) is nobody here, Bram is found.
    let search = anna.call("/api/audit", &[("who", "Erik Anders")]).await;
    assert_eq!(search.status, StatusCode::OK, "{}", search.text());
    let found: serde_json::Value = serde_json::from_str(&search.text()).unwrap();
    assert_eq!((found["nobody"].as_bool(), found["person"].is_null()), (Some(true), true), "{found}");
    let search = anna.call("/api/audit", &[("who", "bram")]).await;
    let found: serde_json::Value = serde_json::from_str(&search.text()).unwrap();
    assert_eq!(found["person"][0].as_i64(), Some(f.bram.0), "{found}");
    for path in ["/api/admin/institution", "/api/admin/institution/update"] {
        let response = anna.call(path, &[("id", &f.b.0.to_string()), ("name", "X"), ("brin_code", "11XX")]).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{path}");
    }
});

houvast::db_test!(async fn role_changes_take_effect_on_the_next_request(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.anna).await;
    ctx_of(db, f.bram).await;
    let app = router(db).await;
    let (mut anna, mut bram) = (Client::new(&app), Client::new(&app));
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    bram.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    assert_eq!(bram.call("/api/people", &[]).await.status, StatusCode::FORBIDDEN);
    let id = f.bram.0.to_string();
    assert_eq!(anna.call("/api/people/roles", &[("id", &id), ("coordinator", "on")]).await.status, StatusCode::OK);
    assert_eq!(bram.call("/api/people", &[]).await.status, StatusCode::OK);
    assert_eq!(anna.call("/api/people/roles", &[("id", &id), ("mentor", "on")]).await.status, StatusCode::OK);
    assert_eq!(bram.call("/api/people", &[]).await.status, StatusCode::FORBIDDEN);
});

houvast::db_test!(async fn cross_site_posts_are_refused(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    let app = router(db).await;
    let post = |headers: Vec<(&'static str, &'static str)>| {
        let mut request = Request::post("/api/auth/login").header("content-type", "application/x-www-form-urlencoded");
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.body(Body::from(format!("email=bram%40lindenhaghe.nl&password={}", encode(TEST_PASSWORD)))).unwrap()
    };
    let foreign = send(&app, post(vec![("origin", "https://evil.example"), ("host", "127.0.0.1:3000")])).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert!(foreign.header("set-cookie").is_none());
    let fetch_meta = send(&app, post(vec![("sec-fetch-site", "cross-site")])).await;
    assert_eq!(fetch_meta.status, StatusCode::FORBIDDEN);
    let same = send(&app, post(vec![("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000"), ("sec-fetch-site", "same-origin")])).await;
    assert_eq!(same.status, StatusCode::OK);
    let locale = Request::post("/locale").header("origin", "https://evil.example").header("content-type", "application/x-www-form-urlencoded").body(Body::from("locale=en")).unwrap();
    assert_eq!(send(&app, locale).await.status, StatusCode::FORBIDDEN);
});

houvast::db_test!(async fn state_changes_only_by_post(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.anna).await;
    let app = router(db).await;
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    for path in ["/api/people/active", "/api/auth/login", "/api/teams/create", "/locale"] {
        let response = anna.get(path).await;
        assert!(matches!(response.status, StatusCode::METHOD_NOT_ALLOWED | StatusCode::SEE_OTHER), "{path}: {}", response.status);
        assert_ne!(response.status, StatusCode::OK, "{path}");
    }
});

houvast::db_test!(async fn pages_carry_a_nonce_csp_that_differs_per_response(db) {
    let app = router(db).await;
    let first = get(&app, "/login").await;
    let second = get(&app, "/login").await;
    let nonce_of = |response: &TestResponse| {
        let csp = response.header("content-security-policy").unwrap().to_owned();
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'", "'strict-dynamic'", "'wasm-unsafe-eval'"] {
            assert!(csp.contains(directive), "{directive} missing: {csp}");
        }
        let start = csp.find("'nonce-").unwrap() + 7;
        csp[start..].split('\'').next().unwrap().to_owned()
    };
    let (a, b) = (nonce_of(&first), nonce_of(&second));
    assert_ne!(a, b);
    assert!(a.len() >= 16);
    let html = first.text();
    assert!(html.contains(&format!("nonce=\"{a}\"")), "scripts carry the header's nonce");
    let without_nonce = html.match_indices("<script").filter(|(at, _)| {
        let tag = &html[*at..html[*at..].find('>').map_or(html.len(), |end| at + end)];
        !tag.contains("nonce=") && !html[*at..].starts_with("<script></script>")
    });
    assert_eq!(without_nonce.count(), 0, "every non-empty script carries the nonce");
});

houvast::db_test!(async fn security_headers_are_on_every_response(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.anna).await;
    let app = router(db).await;
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    let mut responses = vec![
        ("/login", get(&app, "/login").await),
        ("/status", get(&app, "/status").await),
        ("/healthz", get(&app, "/healthz").await),
        ("/pkg/missing.js", get(&app, "/pkg/missing.js").await),
        ("/nope (anonymous)", get(&app, "/nope").await),
        ("/api/auth/viewer", anna.call("/api/auth/viewer", &[]).await),
    ];
    for path in ["/", "/people", "/teams", "/audit", "/account", "/nope"] {
        responses.push((path, anna.get(path).await));
    }
    for (path, response) in responses {
        for (name, value) in [
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "same-origin"),
            ("cross-origin-opener-policy", "same-origin"),
            ("x-frame-options", "DENY"),
            ("cache-control", "no-store"),
        ] {
            assert_eq!(response.header(name), Some(value), "{name} on {path} ({})", response.status);
        }
        assert!(response.header("content-security-policy").is_some(), "CSP on {path}");
    }
    assert_eq!(anna.get("/nope").await.status, StatusCode::NOT_FOUND);
});

houvast::db_test!(async fn changes_and_refusals_leave_audit_rows(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.anna).await;
    ctx_of(db, f.bram).await;
    let app = router(db).await;
    let (mut anna, mut bram) = (Client::new(&app), Client::new(&app));
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    bram.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    assert_eq!(anna.call("/api/teams/create", &[("name", "Groen"), ("sector", "green")]).await.status, StatusCode::OK);
    assert_eq!(bram.call("/api/teams/create", &[("name", "Stiekem"), ("sector", "green")]).await.status, StatusCode::FORBIDDEN);
    let events = houvast::store::audit::list(db, &AuditFilter::institution(f.a)).await.unwrap();
    let find = |action: &str| events.iter().find(|e| e.action == action).unwrap_or_else(|| panic!("{action} missing"));
    assert_eq!(find("team_created").actor, Some(f.anna));
    assert_eq!(find("access_denied").actor, Some(f.bram));
    assert_eq!(find("access_denied").details["what"], "teams.create");
    assert_eq!(events.iter().filter(|e| e.action == "login_succeeded").count(), 2);
});
