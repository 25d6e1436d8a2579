//! Property tests: no input, however random or malformed, makes the
//! server answer with a 5xx (SECURITY.md IN1). Field errors, 400, 401,
//! 404, 422 and 429 are all fine; 500 is not.

use crate::support::*;
use houvast::testing::{TEST_PASSWORD, ctx_of, people_fixture};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        "[a-zA-Z0-9@. _-]{0,30}",
        "\\PC{200,600}",
        Just(String::new()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("'; DROP TABLE people; --".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999999999999999".to_owned()),
    ]
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Run an async block from inside a proptest case on the test's runtime.
fn block<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(future))
}

houvast::db_test!(async fn random_form_input_never_yields_a_server_error(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.anna).await;
    let app = router(db).await;
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    let team = f.team_a.0.to_string();
    runner()
        .run(&(text(), text(), text(), any::<bool>()), |(a, b, c, flag)| {
            let tick = if flag { "on" } else { "" };
            // (endpoint, form fields, needs a logged-in coordinator)
            type Call<'a> = (&'a str, Vec<(&'a str, &'a str)>, bool);
            let calls: Vec<Call> = vec![
                ("/api/auth/login", vec![("email", &a), ("password", &b), ("next", &c)], false),
                ("/api/auth/link", vec![("token", &a), ("kind", if flag { "activation" } else { &c })], false),
                ("/api/auth/set-password", vec![("token", &a), ("kind", "reset"), ("password", &b), ("repeat_password", &c)], false),
                ("/api/people/create", vec![("full_name", &a), ("email", &b), ("starter", tick), ("mentor", &c), ("team", if flag { &team } else { &c })], true),
                ("/api/people/update", vec![("id", &c), ("full_name", &a), ("email", &b)], true),
                ("/api/people", vec![("q", &a), ("role", &b), ("status", &c)], true),
                ("/api/teams/create", vec![("name", &a), ("sector", if flag { "green" } else { &b })], true),
                ("/api/teams/update", vec![("id", &c), ("name", &a), ("sector", &b)], true),
                ("/api/account/name", vec![("full_name", &a)], true),
                ("/api/audit", vec![("person", &c), ("from", &a), ("until", &b)], true),
                ("/api/audit", vec![("who", &a), ("from", if flag { "" } else { &b })], true),
            ];
            for (path, form, as_anna) in calls {
                let mut client = if as_anna { anna.clone() } else { Client::new(&app) };
                let response = block(client.call(path, &form));
                prop_assert!(response.status.as_u16() < 500, "{path} {form:?} -> {} {}", response.status, response.text());
            }
            Ok(())
        })
        .unwrap();
});

houvast::db_test!(async fn malformed_bodies_never_yield_a_server_error(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.anna).await;
    let app = router(db).await;
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    let cookie = format!("houvast_session={}", anna.session_cookie().unwrap());
    let paths = ["/api/auth/login", "/api/people/create", "/api/teams/create", "/api/people/active", "/locale"];
    runner()
        .run(&(proptest::collection::vec(any::<u8>(), 0..400), 0..paths.len(), any::<bool>()), |(body, which, json)| {
            let content_type = if json { "application/json" } else { "application/x-www-form-urlencoded" };
            let response = block(post_raw(&app, paths[which], content_type, body.clone(), &cookie));
            prop_assert!(response.status.as_u16() < 500, "{} {:?} -> {} {}", paths[which], String::from_utf8_lossy(&body), response.status, response.text());
            Ok(())
        })
        .unwrap();
});

/// Every server function with the names of its arguments, read from the
/// source of `app/src/api` (the framework's registry knows the paths, not
/// the arguments); checked against the registry so none is left out.
fn server_functions() -> Vec<(String, Vec<String>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/api");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut rest = source.as_str();
        while let Some(at) = rest.find("endpoint = \"") {
            rest = &rest[at + "endpoint = \"".len()..];
            let endpoint = &rest[..rest.find('"').unwrap()];
            let signature = &rest[rest.find("pub async fn ").unwrap()..];
            let open = signature.find('(').unwrap();
            let close = signature.find(") -> ").unwrap();
            let args = signature[open + 1..close]
                .split(',')
                .filter_map(|arg| arg.split_once(':'))
                .map(|(name, _)| name.trim().to_owned())
                .filter(|name| !name.is_empty())
                .collect();
            found.push((format!("/api/{endpoint}"), args));
        }
    }
    found.sort();
    found
}

houvast::db_test!(async fn no_server_function_answers_a_server_error_for_any_argument(db) {
    // SECURITY IN1 for every server function: each argument an arbitrary
    // string, as a coordinator, a mentor and someone not logged in.
    let f = people_fixture(db).await;
    ctx_of(db, f.anna).await;
    ctx_of(db, f.bram).await;
    let functions = server_functions();
    let mut registered: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    registered.sort();
    registered.dedup();
    let listed: Vec<String> = functions.iter().map(|(path, _)| path.clone()).collect();
    assert_eq!(listed, registered, "the source and the registry list the same server functions");
    let app = router(db).await;
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    let mut bram = Client::new(&app);
    bram.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    let runner = TestRunner::new(Config { cases: 12, failure_persistence: None, ..Config::default() });
    let mut runner = runner;
    runner
        .run(&proptest::collection::vec(text(), 4), |values| {
            for (path, args) in &functions {
                let form: Vec<(&str, &str)> = args
                    .iter()
                    .enumerate()
                    .map(|(i, name)| (name.as_str(), values[i % values.len()].as_str()))
                    .collect();
                let logs_out = path == "/api/auth/logout";
                for client in [&anna, &bram, &Client::new(&app)] {
                    let mut client = if logs_out { Client::new(&app) } else { client.clone() };
                    let response = block(client.call(path, &form));
                    prop_assert!(response.status.as_u16() < 500, "{path} {form:?} -> {} {}", response.status, response.text());
                }
            }
            Ok(())
        })
        .unwrap();
});
