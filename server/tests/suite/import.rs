//! The HR import over HTTP: the upload form (multipart) keeps the file and
//! leads to its check; confirming imports it once; only a coordinator may,
//! only from this site; the starter pages answer per role.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use houvast::testing::{TEST_PASSWORD, ctx_of, people_fixture};

const BOUNDARY: &str = "houvast-test-boundary";

fn multipart(file: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(client: &Client, body: Vec<u8>, origin: &str) -> TestResponse {
    let cookie = client
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let request = Request::post("/import/upload")
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .header("cookie", cookie)
        .header("origin", origin)
        .header("host", "127.0.0.1:3000")
        .body(Body::from(body))
        .unwrap();
    send(&client.router, request).await
}

const FILE: &str = "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap\r\n\
                    9001;Floor Janssen;floor@lindenhaghe.nl;starter;Verpleegkunde;1-9-2026;0,8;vast;;regulier;\r\n";

houvast::db_test!(async fn a_coordinator_uploads_checks_and_confirms_once(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.anna).await;
    let app = router(db).await;
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;

    let template = anna.get("/import/template.csv").await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(template.header("content-type").unwrap().starts_with("text/csv"));
    assert!(template.text().starts_with("\u{feff}personeelsnummer;naam;"));

    let response = upload(&anna, multipart(FILE.as_bytes()), "http://127.0.0.1:3000").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.text());
    let location = response.header("location").unwrap().to_owned();
    assert!(location.starts_with("/import/"), "{location}");
    let id = location.trim_start_matches("/import/").to_owned();

    let check = anna.get(&location).await;
    assert_eq!(check.status, StatusCode::OK);
    let text = visible_text(&check.text());
    assert!(text.contains("Het bestand is in orde. Importeren schrijft 1 rij weg."), "{text}");
    assert!(text.contains("Floor Janssen"));
    let list = anna.call("/api/starters/list", &[]).await;
    assert!(!list.text().contains("Floor Janssen"), "checking writes nothing");

    for _ in 0..2 {
        let confirmed = anna.call("/api/import/confirm", &[("id", &id)]).await;
        assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text());
    }
    let list = anna.call("/api/starters/list", &[]).await;
    assert_eq!(list.text().matches("Floor Janssen").count(), 1, "{}", list.text());
    let events = anna.call("/api/audit", &[]).await.text();
    assert_eq!(events.matches("import_applied").count(), 1, "confirming twice imports once");
    let page = anna.get("/starters").await;
    assert!(visible_text(&page.text()).contains("Floor Janssen"));
});

houvast::db_test!(async fn uploads_need_a_coordinator_of_this_site_and_a_sane_size(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.anna).await;
    ctx_of(db, f.daan).await;
    ctx_of(db, f.erik).await;
    let app = router(db).await;

    let anonymous = Client::new(&app);
    let response = upload(&anonymous, multipart(FILE.as_bytes()), "http://127.0.0.1:3000").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert!(response.header("location").unwrap().starts_with("/login"));

    let mut daan = Client::new(&app);
    daan.login("daan@lindenhaghe.nl", TEST_PASSWORD).await;
    let response = upload(&daan, multipart(FILE.as_bytes()), "http://127.0.0.1:3000").await;
    assert_eq!(response.status, StatusCode::FORBIDDEN, "a team leader does not import");

    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    let response = upload(&anna, multipart(FILE.as_bytes()), "https://evil.example").await;
    assert_eq!(response.status, StatusCode::FORBIDDEN, "cross-site upload");
    let response = upload(&anna, multipart(b""), "http://127.0.0.1:3000").await;
    assert_eq!(response.header("location"), Some("/import?error=required"));
    let huge = vec![b'x'; houvast::service::import::MAX_FILE_BYTES + 1];
    let response = upload(&anna, multipart(&huge), "http://127.0.0.1:3000").await;
    assert_eq!(response.header("location"), Some("/import?error=too_large"), "{}", response.status);

    // Another institution's upload is not found.
    let response = upload(&anna, multipart(FILE.as_bytes()), "http://127.0.0.1:3000").await;
    let id = response.header("location").unwrap().trim_start_matches("/import/").to_owned();
    let mut erik = Client::new(&app);
    erik.login("erik@hanzeland.nl", TEST_PASSWORD).await;
    assert_eq!(erik.call("/api/import/upload", &[("id", &id)]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(erik.call("/api/import/confirm", &[("id", &id)]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(erik.call("/api/starters/detail", &[("id", &f.cigdem.0.to_string())]).await.status, StatusCode::NOT_FOUND);
});
