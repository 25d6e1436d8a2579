//! The security review's findings over HTTP (SECURITY.md AC6, AC7, AU4,
//! AU5, IN1, LG1): nobody in an institution role obtains a working link for
//! an account that holds data; links go by e-mail and work; "forgot
//! password" answers the same for every address; the device cookie;
//! refused requests do not grow the audit log without bound; a person's
//! address in another institution is not revealed.

use std::sync::Arc;

use crate::support::*;
use axum::http::StatusCode;
use houvast::domain::mentoring::{ConversationForm, Topic};
use houvast::service::{conversations, import, mentoring};
use houvast::testing::{TEST_PASSWORD, at, ctx_of, people_fixture};

/// Anna (coordinator); Bram (mentor, logged in before); Femke, imported
/// from HR, never activated, with a logged conversation; Gijs, created
/// but never paired, never activated.
struct World {
    f: houvast::testing::PeopleFixture,
    femke: houvast::domain::PersonId,
    gijs: houvast::domain::PersonId,
}

async fn world(db: &houvast::store::Db) -> World {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let file = "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap\n\
        2001;Femke Import;femke@lindenhaghe.nl;starter;Verpleegkunde;1-8-2026;1;vast;;regulier;\n";
    assert!(
        import::import_file(db, at(2026, 8, 20), &anna, file.as_bytes(), true)
            .await
            .unwrap()
            .applied
    );
    let femke =
        houvast::store::people::find_by_email(db, &houvast::domain::Email::parse("femke@lindenhaghe.nl").unwrap())
            .await
            .unwrap()
            .unwrap()
            .id;
    mentoring::pair(
        db,
        at(2026, 8, 20),
        &anna,
        femke,
        f.bram,
        "workplace_mentor",
        "2026-08-20",
        "",
    )
    .await
    .unwrap();
    let bram = ctx_of(db, f.bram).await;
    let form = ConversationForm {
        status: "held".into(),
        on: "2026-09-01".into(),
        duration: "45".into(),
        kind: "guidance".into(),
        topics: vec![Topic::Workload.code().into()],
        tags: String::new(),
        summary: "Over de werkdruk".into(),
        note: "Eigen aantekening".into(),
        concern: String::new(),
        actions: Vec::new(),
    };
    conversations::log(db, at(2026, 9, 1), &bram, femke, None, &form)
        .await
        .unwrap();
    let gijs = houvast::service::people::create(
        db,
        at(2026, 9, 1),
        &anna,
        "Gijs Nieuw",
        "gijs@lindenhaghe.nl",
        &[houvast::domain::RoleAssignment {
            role: houvast::domain::Role::Starter,
            team: Some(f.team_a),
        }],
    )
    .await
    .unwrap()
    .person;
    World { f, femke, gijs }
}

fn token_in(text: &str) -> Option<String> {
    let start = text.find("token=")? + "token=".len();
    Some(
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect(),
    )
}

houvast::db_test!(async fn a_coordinator_never_obtains_a_working_link_for_an_account_that_holds_data(db) {
    let w = world(db).await;
    let mailbox = Arc::new(MailBox::default());
    for with_mail in [false, true] {
        let setup = Setup { mail: with_mail.then(|| mailbox.clone()), ..Setup::default() };
        let app = router_with(db, &setup).await;
        let mut anna = Client::new(&app);
        anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
        // Bram logs in (activated) and Femke, never activated, has a logged
        // conversation: neither link may reach Anna, by answer or by page.
        for (who, email) in [(w.f.bram, "bram@lindenhaghe.nl"), (w.femke, "femke@lindenhaghe.nl")] {
            let id = who.0.to_string();
            let answer = anna.call("/api/people/link", &[("id", &id)]).await;
            let page = anna.get(&format!("/people/{id}")).await;
            for text in [answer.text(), page.text()] {
                assert!(!text.contains("token="), "{email}, mail {with_mail}: a link leaked: {text}");
            }
            if with_mail {
                assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
                assert!(answer.text().contains(email), "the answer says where it went: {}", answer.text());
                let sent = mailbox.sent();
                let mail = sent.iter().rev().find(|m| m.to_address == email).expect("mailed to the person");
                assert!(token_in(&mail.body).is_some(), "{mail:?}");
                assert!(!mail.body.contains("Over de werkdruk") && !mail.body.contains("Eigen aantekening"), "no content in mail");
            } else {
                assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
                assert!(answer.text().contains("email_only"), "{}", answer.text());
            }
        }
        // Gijs holds nothing yet: his activation link is shown to Anna once.
        let id = w.gijs.0.to_string();
        let answer = anna.call("/api/people/link", &[("id", &id)]).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        assert!(answer.text().contains("activate?token="), "{}", answer.text());
    }

    // The mailed link works for the person, once, and Bram logs in with it.
    let app = router_with(db, &Setup { mail: Some(mailbox.clone()), ..Setup::default() }).await;
    let mail = mailbox.sent().into_iter().rev().find(|m| m.to_address == "bram@lindenhaghe.nl").unwrap();
    let token = token_in(&mail.body).unwrap();
    assert!(mail.body.contains("/reset?token="), "{}", mail.body);
    let mut bram = Client::new(&app);
    let set = bram.call("/api/auth/set-password", &[("token", &token), ("kind", "reset"), ("password", "zeilboot op het meer 9"), ("repeat_password", "zeilboot op het meer 9")]).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());
    assert_eq!(bram.login("bram@lindenhaghe.nl", "zeilboot op het meer 9").await.status, StatusCode::OK);
    let again = bram.call("/api/auth/set-password", &[("token", &token), ("kind", "reset"), ("password", "zeilboot op het meer 10"), ("repeat_password", "zeilboot op het meer 10")]).await;
    assert_eq!(again.status, StatusCode::GONE, "single use");
});

houvast::db_test!(async fn the_operator_can_issue_a_link_and_the_person_is_told(db) {
    let w = world(db).await;
    let now = at(2026, 11, 2);
    let (_, token) = houvast::service::auth::operator_link(db, now, "bram@lindenhaghe.nl").await.unwrap();
    assert!(!token.is_empty());
    let app = router(db).await;
    let mut bram = Client::new(&app);
    bram.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    let list = visible_text(&bram.get("/notifications").await.text());
    assert!(list.contains("Een beheerder heeft op"), "{list}");
    let _ = w.femke;
});

houvast::db_test!(async fn forgot_password_answers_the_same_for_every_address(db) {
    let w = world(db).await;
    let mailbox = Arc::new(MailBox::default());
    let app = router_with(db, &Setup { mail: Some(mailbox.clone()), ..Setup::default() }).await;
    let mut answers = Vec::new();
    for email in ["bram@lindenhaghe.nl", "niemand@lindenhaghe.nl", "geen adres"] {
        let answer = Client::new(&app).call("/api/auth/forgot", &[("email", email)]).await;
        answers.push((answer.status, answer.text()));
    }
    assert!(answers.windows(2).all(|pair| pair[0] == pair[1]), "{answers:?}");
    assert_eq!(answers[0].0, StatusCode::OK);
    // The mail goes in the background; wait for it briefly.
    for _ in 0..50 {
        if !mailbox.sent().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let sent = mailbox.sent();
    assert_eq!(sent.len(), 1, "only the real address gets mail: {sent:?}");
    assert_eq!(sent[0].to_address, "bram@lindenhaghe.nl");
    let token = token_in(&sent[0].body).unwrap();
    let mut bram = Client::new(&app);
    let set = bram.call("/api/auth/set-password", &[("token", &token), ("kind", "reset"), ("password", "fietsen langs de dijk 4"), ("repeat_password", "fietsen langs de dijk 4")]).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());
    // Without e-mail the page says whom to ask, and nothing is issued.
    let plain = router(db).await;
    let page = visible_text(&get(&plain, "/forgot").await.text());
    assert!(page.contains("verstuurt geen e-mail"), "{page}");
    let _ = w.gijs;
});

houvast::db_test!(async fn a_successful_login_remembers_the_browser_in_a_strict_cookie(db) {
    let w = world(db).await;
    let app = router(db).await;
    let mut bram = Client::new(&app);
    let answer = bram.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    let cookie = answer
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("houvast_device="))
        .expect("a device cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), "{cookie}");
    // Five wrong passwords from this browser's network for Bram's address
    // by someone else (no cookie) do not keep Bram out of his own browser.
    for _ in 0..5 {
        Client::new(&app).login("bram@lindenhaghe.nl", "geraden wachtwoord 1").await;
    }
    let blocked = Client::new(&app).login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS, "an unknown browser waits");
    assert!(blocked.header("retry-after").is_some());
    let mut own = Client::new(&app);
    own.cookies.insert("houvast_device".into(), bram.cookies["houvast_device"].clone());
    assert_eq!(own.login("bram@lindenhaghe.nl", TEST_PASSWORD).await.status, StatusCode::OK, "his own browser gets in");
    let _ = w.femke;
});

houvast::db_test!(async fn refused_requests_are_audited_once_per_client_and_minute(db) {
    let w = world(db).await;
    let app = router(db).await;
    let before = access_denied_rows(db).await;
    for _ in 0..100 {
        assert_eq!(Client::new(&app).call("/api/people", &[]).await.status, StatusCode::UNAUTHORIZED);
    }
    let mut bram = Client::new(&app);
    bram.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    for _ in 0..100 {
        assert_eq!(bram.call("/api/people", &[]).await.status, StatusCode::FORBIDDEN);
    }
    let added = access_denied_rows(db).await - before;
    assert!((2..=4).contains(&added), "two kinds of refusal in at most two minutes: {added} rows");
    let _ = w.gijs;
});

async fn access_denied_rows(db: &houvast::store::Db) -> i64 {
    let sql = "SELECT COUNT(*) FROM audit_events WHERE action = 'access_denied'";
    match db {
        houvast::store::Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        houvast::store::Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

houvast::db_test!(async fn an_address_used_in_another_institution_is_not_revealed(db) {
    let w = world(db).await;
    ctx_of(db, w.f.erik).await;
    let app = router(db).await;
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    let form = |email: &'static str| vec![("full_name", "Iemand Anders"), ("email", email), ("starter", "on")];
    // Erik is a coordinator of Hanzeland College.
    let elsewhere = anna.call("/api/people/create", &form("erik@hanzeland.nl")).await;
    assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(elsewhere.text().contains("address_unavailable") && !elsewhere.text().contains("taken"), "{}", elsewhere.text());
    let here = anna.call("/api/people/create", &form("bram@lindenhaghe.nl")).await;
    assert!(here.text().contains("taken"), "in her own institution she may know: {}", here.text());
    let update = anna.call("/api/people/update", &[("id", &w.gijs.0.to_string()), ("full_name", "Gijs Nieuw"), ("email", "erik@hanzeland.nl")]).await;
    assert!(update.text().contains("address_unavailable"), "{}", update.text());
});

houvast::db_test!(async fn an_unknown_alert_step_is_a_field_error_not_a_server_error(db) {
    let w = world(db).await;
    let app = router(db).await;
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    for (step, until) in [("verwijder", ""), ("snooze", "morgen"), ("", "")] {
        let answer = anna.call("/api/signals/alert", &[("alert", "1"), ("step", step), ("note", "x"), ("until", until)]).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{step}: {}", answer.text());
    }
    let _ = w.femke;
});

houvast::db_test!(async fn changing_someones_address_does_not_route_their_link_elsewhere(db) {
    // A coordinator sets Bram's address to one she reads, then asks for a
    // link (or uses "forgot password"): nothing goes there until Bram has
    // logged in again.
    let w = world(db).await;
    let mailbox = Arc::new(MailBox::default());
    let setup = Setup { mail: Some(mailbox.clone()), ..Setup::default() };
    let clock = setup.clock.clone();
    let app = router_with(db, &setup).await;
    let mut bram = Client::new(&app);
    bram.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
    clock.advance(chrono::Duration::hours(1));
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    let id = w.f.bram.0.to_string();
    let moved = anna.call("/api/people/update", &[("id", &id), ("full_name", "Bram Mentor"), ("email", "anna.prive@lindenhaghe.nl")]).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text());
    let link = anna.call("/api/people/link", &[("id", &id)]).await;
    assert_eq!(link.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", link.text());
    assert!(link.text().contains("address_unconfirmed"), "{}", link.text());
    let forgot = Client::new(&app).call("/api/auth/forgot", &[("email", "anna.prive@lindenhaghe.nl")]).await;
    assert_eq!(forgot.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(mailbox.sent().is_empty(), "no link to the changed address: {:?}", mailbox.sent());
    // Once Bram has logged in with the new address, it is his.
    clock.advance(chrono::Duration::hours(1));
    let mut later = Client::new(&app);
    assert_eq!(later.login("anna.prive@lindenhaghe.nl", TEST_PASSWORD).await.status, StatusCode::OK);
    assert_eq!(anna.call("/api/people/link", &[("id", &id)]).await.status, StatusCode::OK);
    assert_eq!(mailbox.sent().len(), 1);
});
