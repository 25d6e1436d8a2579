//! Conversation content over HTTP (SECURITY.md AC2, AC4): marker strings in
//! a summary, a private note, an action and a reflection are searched for
//! in every rendered page and server-function answer of each role; the
//! mentor's log form works as a plain form post (no JavaScript), topics
//! included; another institution's ids are not found.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use houvast::domain::mentoring::{ConversationStatus, Topic};
use houvast::service::{import, mentoring};
use houvast::testing::{TEST_PASSWORD, at, ctx_of, people_fixture};

const SUMMARY: &str = "SUMMARYMARKER91";
const NOTE: &str = "NOTEMARKER42";
const ACTION: &str = "ACTIONMARKER17";
const REFLECTION: &str = "REFLECTIONMARKER63";

/// A form post as a browser without JavaScript sends it.
async fn post_form(client: &mut Client, path: &str, body: &str) -> TestResponse {
    let cookie = client
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let request = Request::post(path)
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml")
        .header("origin", "http://127.0.0.1:3000")
        .header("host", "127.0.0.1:3000")
        .header("referer", "http://127.0.0.1:3000/mentees/1/log")
        .body(Body::from(body.to_owned()))
        .unwrap();
    send(&client.router, request).await
}

houvast::db_test!(async fn conversation_content_never_reaches_pages_or_answers_of_roles_that_may_not_see_it(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let mut tx = db.begin_write().await.unwrap();
    houvast::store::people::set_employee_number(&mut tx, f.cigdem, Some("1001")).await.unwrap();
    tx.commit().await.unwrap();
    let file = "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap\n\
        1001;Çiğdem Öztürk;cigdem@lindenhaghe.nl;starter;Verpleegkunde;1-8-2026;0,8;vast;;regulier;\n";
    assert!(import::import_file(db, at(2026, 8, 20), &anna, file.as_bytes(), true).await.unwrap().applied);
    mentoring::pair(db, at(2026, 8, 20), &anna, f.cigdem, f.bram, "workplace_mentor", "2026-08-20", "").await.unwrap();
    for person in [f.bram, f.cigdem, f.daan, f.erik] {
        ctx_of(db, person).await;
    }
    let app = router(db).await;
    let mut bram = Client::new(&app);
    bram.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;

    // The mentor logs without JavaScript: topics[] and all; redirected to the mentee page.
    let starter = f.cigdem.0.to_string();
    let body = form_body(&[
        ("starter", &starter),
        ("status", "held"),
        ("on", ""),
        ("duration", "45"),
        ("kind", "lesson_observation"),
        ("topics[]", "workload"),
        ("topics[]", "didactics"),
        ("tags", "stage"),
        ("summary", SUMMARY),
        ("note", NOTE),
        ("concern", "minor"),
        ("action1", ACTION),
        ("action1_owner", "starter"),
        ("action1_due", ""),
        ("action2", ""),
        ("action2_owner", "mentor"),
        ("action2_due", ""),
    ]);
    let saved = post_form(&mut bram, "/api/mentoring/log", &body).await;
    assert_eq!(saved.status, StatusCode::FOUND, "{}", saved.text());
    assert_eq!(saved.header("location"), Some(format!("/mentees/{starter}?saved=1").as_str()));
    let facts = houvast::store::mentoring::conversation_facts_of(db, f.a, f.cigdem).await.unwrap();
    assert_eq!((facts.len(), facts[0].status, facts[0].duration_minutes), (1, ConversationStatus::Held, 45));
    let content = houvast::store::mentoring::conversations_with_content(db, f.a, f.cigdem).await.unwrap();
    assert_eq!(content[0].topics, [Topic::Didactics, Topic::Workload]);
    let conversation = facts[0].id.to_string();

    // The starter confirms with a reflection (as the hydrated app calls it).
    let mut cigdem = Client::new(&app);
    cigdem.login("cigdem@lindenhaghe.nl", TEST_PASSWORD).await;
    let confirmed = cigdem.call("/api/mentoring/confirm", &[("id", &conversation), ("reflection", REFLECTION)]).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text());

    // Who sees what, in rendered pages and in server-function answers.
    let mentee_page = bram.get(&format!("/mentees/{starter}")).await.text();
    for marker in [SUMMARY, NOTE, ACTION, REFLECTION] {
        assert!(mentee_page.contains(marker), "the mentor's page lacks {marker}");
    }
    let own = cigdem.get("/my-conversations").await.text();
    for marker in [SUMMARY, ACTION, REFLECTION] {
        assert!(own.contains(marker), "the starter's page lacks {marker}");
    }
    for page in ["/my-conversations", "/my-trajectory", "/"] {
        assert!(!cigdem.get(page).await.text().contains(NOTE), "starter page {page} shows the private note");
    }
    let api = cigdem.call("/api/mentoring/mine", &[]).await.text();
    assert!(api.contains(SUMMARY) && !api.contains(NOTE));

    let all = [SUMMARY, NOTE, ACTION, REFLECTION];
    let mut daan = Client::new(&app);
    daan.login("daan@lindenhaghe.nl", TEST_PASSWORD).await;
    let mut anna_web = Client::new(&app);
    anna_web.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    let mut erik = Client::new(&app);
    erik.login("erik@hanzeland.nl", TEST_PASSWORD).await;
    for (who, client) in [("team leader", &mut daan), ("coordinator", &mut anna_web), ("other institution", &mut erik)] {
        for page in ["/", &format!("/starters/{starter}"), &format!("/mentees/{starter}"), "/pairing", &format!("/pairing/{starter}"), "/audit", "/starters"] {
            let html = client.get(page).await.text();
            for marker in all {
                assert!(!html.contains(marker), "{who}: {page} contains {marker}");
            }
        }
        for (path, form) in [
            ("/api/starters/detail", vec![("id", starter.as_str())]),
            ("/api/mentoring/mentee", vec![("id", starter.as_str())]),
            ("/api/mentoring/log-form", vec![("id", starter.as_str()), ("edit", conversation.as_str())]),
            ("/api/mentoring/overview", vec![]),
            ("/api/mentoring/suggestions", vec![("id", starter.as_str())]),
        ] {
            let answer = client.call(path, &form).await.text();
            for marker in all {
                assert!(!answer.contains(marker), "{who}: {path} answers {marker}");
            }
        }
    }
    // The team leader's page does say that a conversation happened.
    let leader_page = visible_text(&daan.get(&format!("/starters/{starter}")).await.text());
    assert!(leader_page.contains("Lesbezoek") && leader_page.contains("Lichte zorg"), "{leader_page}");

    // Another institution's coordinator: the starter and the conversation are not found.
    for (path, form) in [
        ("/api/mentoring/suggestions", vec![("id", starter.as_str())]),
        ("/api/mentoring/pair", vec![("starter", starter.as_str()), ("mentor", "2"), ("kind", "workplace_mentor")]),
        ("/api/starters/detail", vec![("id", starter.as_str())]),
    ] {
        let response = erik.call(path, &form).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}: {}", response.text());
    }
});
