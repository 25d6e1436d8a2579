//! Logging in with the school account against a real OpenID provider (the
//! npm package `oidc-provider`, started from `end2end/oidc/provider.mjs`),
//! on SQLite and PostgreSQL: discovery, the code exchange with PKCE, ID-token
//! validation (signature, audience, nonce, expiry), state bound to the
//! browser, a changed e-mail claim that must not move the login to another
//! account, and a second institution behind the same issuer.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use axum::http::StatusCode;
use houvast::domain::InstitutionId;
use houvast::domain::school_login::SchoolLoginForm;
use houvast::service::school_login::{self as service, SecretKey};
use houvast::store::Db;
use houvast::testing::{PeopleFixture, admin_ctx, people_fixture};
use houvast_server::school_login::{Providers, validate};

use crate::support::*;

const HOUVAST: &str = "http://127.0.0.1:3000";

/// The test provider, stopped when dropped.
struct TestProvider {
    child: Child,
    issuer: String,
    _accounts: tempfile::TempDir,
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl TestProvider {
    /// Start the provider with accounts for the people fixture.
    fn start() -> Self {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let script = root.join("end2end/oidc/provider.mjs");
        assert!(
            root.join("end2end/node_modules/oidc-provider").is_dir(),
            "the test OpenID provider needs its npm packages: run `npm ci` in end2end/ (scripts/test.sh does)"
        );
        let accounts = tempfile::tempdir().unwrap();
        let file = accounts.path().join("accounts.json");
        let claims = serde_json::json!({
            "bram": { "email": "bram@lindenhaghe.nl", "email_verified": true, "schac_home_organization": "lindenhaghe.nl" },
            "anna": { "email": "anna@lindenhaghe.nl", "email_verified": true, "schac_home_organization": "lindenhaghe.nl" },
            "erik": { "email": "erik@hanzeland.nl", "email_verified": true, "schac_home_organization": "hanzeland.nl" },
            "stranger": { "email": "nobody@lindenhaghe.nl", "email_verified": true, "schac_home_organization": "lindenhaghe.nl" },
        });
        std::fs::write(&file, claims.to_string()).unwrap();
        let mut child = Command::new("node")
            .arg(script)
            .env("OIDC_PORT", "0")
            .env("OIDC_REDIRECT_URIS", format!("{HOUVAST}/login/school/callback"))
            .env("OIDC_ACCOUNTS", &file)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs the test provider");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let issuer = loop {
            let line = lines.next().expect("the provider says where it listens").unwrap();
            if let Some(url) = line.strip_prefix("listening ") {
                break url.trim().to_owned();
            }
        };
        // Keep reading: the provider writes notices later, and a closed pipe
        // would stop it.
        std::thread::spawn(move || lines.for_each(drop));
        Self {
            child,
            issuer,
            _accounts: accounts,
        }
    }

    /// Change an account's claims at the provider.
    async fn set_claims(&self, sub: &str, claims: serde_json::Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/test/accounts/{sub}", self.issuer))
            .body(claims.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
    }

    /// Log in at the provider as `account`, starting from Houvast's redirect
    /// to `authorize`; answers the path and query Houvast's callback gets.
    async fn log_in(&self, authorize: &str, account: &str) -> String {
        let browser = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut url = authorize.to_owned();
        for _ in 0..10 {
            let response = browser.get(&url).send().await.unwrap();
            let status = response.status();
            if status.is_redirection() {
                let location = response.headers()["location"].to_str().unwrap().to_owned();
                if let Some(rest) = location.strip_prefix(HOUVAST) {
                    return rest.to_owned();
                }
                url = self.absolute(&location);
                continue;
            }
            let page = response.text().await.unwrap();
            assert!(status.is_success(), "{status}: {page}");
            let action = page
                .split("action=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("the provider's login form");
            let answer = browser
                .post(self.absolute(action))
                .form(&[("login", account)])
                .send()
                .await
                .unwrap();
            assert!(
                answer.status().is_redirection(),
                "login at the provider: {}",
                answer.status()
            );
            url = self.absolute(answer.headers()["location"].to_str().unwrap());
        }
        panic!("the provider never sent the browser back to Houvast");
    }

    fn absolute(&self, location: &str) -> String {
        if location.starts_with("http") {
            location.to_owned()
        } else {
            format!("{}{location}", self.issuer)
        }
    }
}

fn form(issuer: &str, institution_value: &str) -> SchoolLoginForm {
    SchoolLoginForm {
        issuer: issuer.into(),
        client_id: "houvast".into(),
        client_secret: "houvast-test-secret".into(),
        institution_claim: "schac_home_organization".into(),
        institution_value: institution_value.into(),
        match_by: "email".into(),
        match_claim: String::new(),
        password_login: true,
        create_accounts: false,
    }
}

struct World {
    f: PeopleFixture,
    app: axum::Router,
    provider: TestProvider,
    key: SecretKey,
    admin: houvast::service::Ctx,
}

async fn world(db: &Db) -> World {
    let f = people_fixture(db).await;
    let provider = TestProvider::start();
    let key = SecretKey::generate();
    let admin = admin_ctx(db).await;
    let now = chrono::Utc::now();
    service::configure(
        db,
        now,
        &admin,
        Some(&key),
        f.a,
        &form(&provider.issuer, "lindenhaghe.nl"),
    )
    .await
    .unwrap();
    let setup = Setup {
        secret_key: Some(key.clone()),
        clock: Arc::new(TestClock::at(now)),
        ..Setup::default()
    };
    let app = router_with(db, &setup).await;
    World {
        f,
        app,
        provider,
        key,
        admin,
    }
}

/// Start at Houvast's button; answers the provider URL and the browser.
async fn start(app: &axum::Router, institution: InstitutionId) -> (String, Client) {
    let mut browser = Client::new(app);
    let response = browser
        .get(&format!("/login/school/{}?next=/my-data", institution.0))
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.text());
    let attempt = response
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("houvast_school_login="))
        .expect("the attempt cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/login/school", "Max-Age=600"] {
        assert!(attempt.contains(flag), "{flag} missing: {attempt}");
    }
    (response.header("location").unwrap().to_owned(), browser)
}

async fn viewer(browser: &mut Client) -> Option<String> {
    let response = browser.call("/api/auth/viewer", &[]).await;
    let json: serde_json::Value = serde_json::from_slice(&response.bytes).unwrap();
    json.get("name").and_then(|n| n.as_str()).map(str::to_owned)
}

houvast::db_test!(async fn the_whole_flow_logs_in_with_pkce_and_the_link_outlives_a_changed_address(db) {
    let w = world(db).await;
    let (authorize, mut browser) = start(&w.app, w.f.a).await;
    assert!(authorize.starts_with(&w.provider.issuer), "{authorize}");
    for part in ["code_challenge=", "code_challenge_method=S256", "state=", "nonce=", "scope=openid"] {
        assert!(authorize.contains(part), "{part} missing: {authorize}");
    }
    let back = w.provider.log_in(&authorize, "bram").await;
    assert!(back.starts_with("/login/school/callback?code="), "{back}");
    let response = browser.get(&back).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    // A page that moves on by itself: same-site, so the Strict cookie goes.
    assert!(response.text().contains("http-equiv=\"refresh\" content=\"0;url=/my-data\""));
    let session = response
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("houvast_session="))
        .expect("a session");
    assert!(session.contains("SameSite=Strict"), "{session}");
    assert!(!browser.cookies.contains_key("houvast_school_login"), "the attempt is used up");
    assert_eq!(viewer(&mut browser).await.as_deref(), Some("Bram Mentor"));

    // The same callback again (a replayed code and state) opens nothing.
    let mut replay = Client::new(&w.app);
    let again = replay.get(&back).await;
    assert_eq!(again.header("location"), Some("/login?school=failed"));
    assert_eq!(viewer(&mut replay).await, None);

    // At the school, Bram's address changes to Anna's. His next login still
    // opens his own account, never hers.
    w.provider
        .set_claims("bram", serde_json::json!({ "email": "anna@lindenhaghe.nl", "email_verified": true, "schac_home_organization": "lindenhaghe.nl" }))
        .await;
    let (authorize, mut browser) = start(&w.app, w.f.a).await;
    let back = w.provider.log_in(&authorize, "bram").await;
    browser.get(&back).await;
    assert_eq!(viewer(&mut browser).await.as_deref(), Some("Bram Mentor"));

    // Someone the school knows and Houvast does not: a clear refusal.
    let (authorize, mut browser) = start(&w.app, w.f.a).await;
    let back = w.provider.log_in(&authorize, "stranger").await;
    let refused = browser.get(&back).await;
    assert_eq!(refused.header("location"), Some("/login?school=unmatched"));
    assert_eq!(viewer(&mut browser).await, None);
    let page = browser.get("/login?school=unmatched").await.text();
    assert!(page.contains("coördinator"), "the login page says whom to ask");
});

houvast::db_test!(async fn a_state_that_is_not_this_browsers_is_refused(db) {
    let w = world(db).await;
    let (authorize, mut browser) = start(&w.app, w.f.a).await;
    let back = w.provider.log_in(&authorize, "bram").await;
    // Another browser's attempt (a login CSRF) does not fit this callback.
    let (_, other) = start(&w.app, w.f.a).await;
    let mut attacker = Client::new(&w.app);
    attacker.cookies = other.cookies.clone();
    let refused = attacker.get(&back).await;
    assert_eq!(refused.header("location"), Some("/login?school=failed"));
    assert_eq!(viewer(&mut attacker).await, None);
    // Without any attempt cookie: refused as well.
    let mut bare = Client::new(&w.app);
    assert_eq!(bare.get(&back).await.header("location"), Some("/login?school=failed"));
    // The state changed in the URL: refused.
    let forged = back.replace("state=", "state=x");
    assert_eq!(browser.get(&forged).await.header("location"), Some("/login?school=failed"));
});

houvast::db_test!(async fn id_tokens_are_validated_for_signature_audience_nonce_and_expiry(db) {
    let w = world(db).await;
    let providers = Providers::new();
    let login = service::provider_login(db, Some(&w.key), w.f.a).await.unwrap().unwrap();
    let client = providers.client(&login, HOUVAST).await.unwrap();

    // A real code and token, fetched the way the callback does.
    let (challenge, verifier) = openidconnect::PkceCodeChallenge::new_random_sha256();
    let (url, _state, nonce) = client
        .authorize_url(
            openidconnect::core::CoreAuthenticationFlow::AuthorizationCode,
            openidconnect::CsrfToken::new_random,
            openidconnect::Nonce::new_random,
        )
        .add_scope(openidconnect::Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let back = w.provider.log_in(url.as_str(), "bram").await;
    let code = back.split("code=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    // Without the PKCE verifier the provider refuses the code.
    let wrong_verifier = openidconnect::PkceCodeChallenge::new_random_sha256().1;
    assert!(providers.exchange(&client, &code, wrong_verifier.secret()).await.is_err());
    let back = w.provider.log_in(url.as_str(), "bram").await;
    let code = back.split("code=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    let raw = providers.exchange(&client, &code, verifier.secret()).await.unwrap();
    let now = chrono::Utc::now();
    let verifier = client.id_token_verifier();

    let claims = validate(&raw, &verifier, nonce.secret(), now).unwrap();
    assert_eq!(claims.get("email"), Some("bram@lindenhaghe.nl"));
    assert_eq!(claims.get("schac_home_organization"), Some("lindenhaghe.nl"));

    let nonce_error = validate(&raw, &verifier, "another-nonce", now).unwrap_err();
    assert!(nonce_error.to_lowercase().contains("nonce"), "{nonce_error}");
    let expired = validate(&raw, &verifier, nonce.secret(), now + chrono::Duration::hours(2)).unwrap_err();
    assert!(expired.to_lowercase().contains("expire"), "{expired}");

    // One changed character in the signature.
    let mut parts: Vec<String> = raw.split('.').map(str::to_owned).collect();
    let signature = parts[2].clone().into_bytes();
    let mut flipped = signature.clone();
    flipped[10] = if signature[10] == b'A' { b'B' } else { b'A' };
    parts[2] = String::from_utf8(flipped).unwrap();
    let tampered = parts.join(".");
    let signature_error = validate(&tampered, &verifier, nonce.secret(), now).unwrap_err();
    assert!(signature_error.to_lowercase().contains("signature"), "{signature_error}");

    // A token the provider made for another service is not for Houvast.
    let mut other = login.clone();
    other.settings.client_id = "other-service".into();
    other.client_secret = "other-service-secret".into();
    let other_client = providers.client(&other, HOUVAST).await.unwrap();
    let audience_error = validate(&raw, &other_client.id_token_verifier(), nonce.secret(), now).unwrap_err();
    assert!(audience_error.to_lowercase().contains("audience"), "{audience_error}");
});

houvast::db_test!(async fn a_second_institution_behind_the_same_issuer_does_not_open_the_firsts_people(db) {
    let w = world(db).await;
    let now = chrono::Utc::now();
    service::configure(db, now, &w.admin, Some(&w.key), w.f.b, &form(&w.provider.issuer, "hanzeland.nl"))
        .await
        .unwrap();
    // Bram (of A) through B's button: the provider says he is of A.
    let (authorize, mut browser) = start(&w.app, w.f.b).await;
    let back = w.provider.log_in(&authorize, "bram").await;
    assert_eq!(browser.get(&back).await.header("location"), Some("/login?school=other_institution"));
    assert_eq!(viewer(&mut browser).await, None);
    // Erik through B's button: his own account.
    let (authorize, mut browser) = start(&w.app, w.f.b).await;
    let back = w.provider.log_in(&authorize, "erik").await;
    browser.get(&back).await;
    assert_eq!(viewer(&mut browser).await.as_deref(), Some("Erik Anders"));
    // The login page offers both institutions.
    let page = Client::new(&w.app).get("/login").await.text();
    assert!(page.contains(&format!("/login/school/{}", w.f.a.0)) && page.contains(&format!("/login/school/{}", w.f.b.0)));
});
