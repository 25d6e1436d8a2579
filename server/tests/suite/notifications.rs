//! Notifications over HTTP and by e-mail: the page every user has (with
//! e-mail off or on), the unread count in the menu, and the e-mail job —
//! each notification sent once, never with content, nothing sent for old
//! ones, a person without an address skipped.

use crate::support::*;
use houvast::clock::FixedClock;
use houvast::domain::checkin::CheckInForm;
use houvast::domain::mentoring::ConversationForm;
use houvast::service::{checkins, conversations, import, mentoring, notifications};
use houvast::testing::{TEST_PASSWORD, at, ctx_of, people_fixture};
use houvast_server::notify::{DeliveryReport, Mailer, deliver};
use lettre::transport::stub::AsyncStubTransport;

const SUMMARY: &str = "MAILSUMMARYMARKER";
const TEXT: &str = "MAILCHECKINMARKER";

/// Çiğdem (starter, started 1 August) paired with Bram on 1 October; on
/// 2 November Bram logged a held conversation and Çiğdem asked to talk.
async fn world(db: &houvast::store::Db) -> houvast::testing::PeopleFixture {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let mut tx = db.begin_write().await.unwrap();
    houvast::store::people::set_employee_number(&mut tx, f.cigdem, Some("1001"))
        .await
        .unwrap();
    // This file is about notifications of conversations and requests to
    // talk: dropout signals (and their alert notifications) are switched off.
    let quiet = houvast::domain::signals::Settings {
        off: houvast::domain::signals::RuleId::ALL.to_vec(),
        ..Default::default()
    };
    houvast::store::signals::save_settings(&mut tx, f.a, &quiet, f.anna, at(2026, 8, 1))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let file = "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap\n\
        1001;Çiğdem Öztürk;cigdem@lindenhaghe.nl;starter;Verpleegkunde;1-8-2026;0,8;vast;;regulier;\n";
    assert!(
        import::import_file(db, at(2026, 8, 20), &anna, file.as_bytes(), true)
            .await
            .unwrap()
            .applied
    );
    // Paired a month before (both were told then, and read it), so
    // today's mail is about the conversation and the request only.
    let paired = at(2026, 10, 1);
    mentoring::pair(
        db,
        paired,
        &anna,
        f.cigdem,
        f.bram,
        "workplace_mentor",
        "2026-10-01",
        "",
    )
    .await
    .unwrap();
    let bram = ctx_of(db, f.bram).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    for who in [&bram, &cigdem] {
        notifications::list(db, paired, who, false).await.unwrap();
    }
    let day = at(2026, 11, 2);
    let held = ConversationForm {
        status: "held".into(),
        on: "2026-11-02".into(),
        kind: "guidance".into(),
        summary: SUMMARY.into(),
        ..Default::default()
    };
    conversations::log(db, day, &bram, f.cigdem, None, &held).await.unwrap();
    let talk = CheckInForm {
        scores: ["2"; 5].map(str::to_owned),
        comment: TEXT.into(),
        talk_to: "mentor".into(),
    };
    checkins::submit(db, day, &cigdem, &talk).await.unwrap();
    f
}

/// A message body as text: quoted-printable soft line breaks undone.
fn unfolded(raw: &str) -> String {
    raw.replace("=\r\n", "")
}

houvast::db_test!(async fn each_notification_is_e_mailed_once_without_content(db) {
    let f = world(db).await;
    let mailer = Mailer {
        transport: AsyncStubTransport::new_ok(),
        from: "Houvast <houvast@lindenhaghe.nl>".parse().unwrap(),
    };
    let clock = FixedClock(at(2026, 11, 2) + chrono::Duration::hours(1));
    let url = "https://houvast.lindenhaghe.nl";
    let first = deliver(db, &clock, &mailer, url).await.unwrap();
    assert_eq!(first, DeliveryReport { sent: 2, failed: 0, skipped: 0 });
    let messages = mailer.transport.messages().await;
    assert_eq!(messages.len(), 2);
    let to: Vec<String> = messages
        .iter()
        .map(|(envelope, _)| envelope.to().iter().map(ToString::to_string).collect::<Vec<_>>().join(","))
        .collect();
    assert!(to.contains(&"cigdem@lindenhaghe.nl".to_owned()), "{to:?}");
    assert!(to.contains(&"bram@lindenhaghe.nl".to_owned()), "{to:?}");
    for (_, raw) in &messages {
        let text = unfolded(raw);
        assert!(!text.contains(SUMMARY) && !text.contains(TEXT), "content in an e-mail:\n{text}");
        assert!(text.contains("From: Houvast <houvast@lindenhaghe.nl>"), "{text}");
    }
    let to_cigdem = messages.iter().map(|(_, raw)| unfolded(raw)).find(|t| t.contains("To: ") && t.contains("cigdem@")).unwrap();
    assert!(to_cigdem.contains("Bram Mentor heeft een verslag"), "{to_cigdem}");
    assert!(to_cigdem.contains("https://houvast.lindenhaghe.nl/my-conversations"), "{to_cigdem}");
    let to_bram = messages.iter().map(|(_, raw)| unfolded(raw)).find(|t| t.contains("bram@")).unwrap();
    assert!(to_bram.contains("wil graag met je praten"), "{to_bram}");

    // A second run, or a second node, sends nothing again.
    assert_eq!(deliver(db, &clock, &mailer, url).await.unwrap(), DeliveryReport::default());
    assert_eq!(mailer.transport.messages().await.len(), 2);

    // A notification for someone without an address is skipped; one older
    // than a day (e-mail was off then) is never sent.
    let without_address = houvast::domain::PersonForUpdate {
        full_name: houvast::domain::Name::parse("Anna Coördinator").unwrap(),
        email: None,
    };
    let mut tx = db.begin_write().await.unwrap();
    houvast::store::people::update(&mut tx, f.a, f.anna, &without_address, at(2026, 11, 2)).await.unwrap();
    tx.commit().await.unwrap();
    let cigdem = ctx_of(db, f.cigdem).await;
    let old = at(2026, 10, 1);
    let to_coordinator = CheckInForm {
        scores: ["3"; 5].map(str::to_owned),
        comment: String::new(),
        talk_to: "coordinator".into(),
    };
    checkins::submit(db, old, &cigdem, &to_coordinator).await.unwrap();
    assert_eq!(deliver(db, &clock, &mailer, url).await.unwrap(), DeliveryReport::default(), "old: not sent");
    checkins::submit(db, clock.0, &cigdem, &to_coordinator).await.unwrap();
    assert_eq!(deliver(db, &clock, &mailer, url).await.unwrap(), DeliveryReport { sent: 0, failed: 0, skipped: 1 });
    assert_eq!(mailer.transport.messages().await.len(), 2);
});

houvast::db_test!(async fn a_failing_mail_server_loses_nothing_in_the_app(db) {
    let f = world(db).await;
    let mailer = Mailer {
        transport: AsyncStubTransport::new_error(),
        from: "houvast@lindenhaghe.nl".parse().unwrap(),
    };
    let clock = FixedClock(at(2026, 11, 2));
    let report = deliver(db, &clock, &mailer, "http://localhost").await.unwrap();
    assert_eq!(report, DeliveryReport { sent: 0, failed: 2, skipped: 0 });
    // The operator sees it in the metrics.
    let metrics = houvast_server::metrics::handle().render();
    assert!(metrics.contains("houvast_emails_total{kind=\"notification\",outcome=\"failed\"}"), "{metrics}");
    let cigdem = ctx_of(db, f.cigdem).await;
    assert_eq!(cigdem.unread_notifications, 1, "still in the list");
});

houvast::db_test!(async fn the_page_lists_notifications_and_says_whether_e_mail_is_on(db) {
    let f = world(db).await;
    for email_enabled in [false, true] {
        let setup = Setup {
            email_enabled,
            ..Setup::default()
        };
        let app = router_with(db, &setup).await;
        let mut client = Client::new(&app);
        client.login("bram@lindenhaghe.nl", TEST_PASSWORD).await;
        let home = client.get("/").await;
        if !email_enabled {
            // The menu shows one unread notification before the list is opened.
            assert!(visible_text(&home.text()).contains("Meldingen 1 1 ongelezen"), "{}", visible_text(&home.text()));
        }
        let page = client.get("/notifications").await;
        assert_eq!(page.status, axum::http::StatusCode::OK);
        let text = visible_text(&page.text());
        assert!(text.contains("Çiğdem Öztürk wil graag met je praten (gevraagd op 02-11-2026)"), "{text}");
        assert!(!page.text().contains(TEXT) && !page.text().contains(SUMMARY));
        if email_enabled {
            assert!(text.contains("Je krijgt meldingen ook per e-mail op bram@lindenhaghe.nl"), "{text}");
        } else {
            assert!(text.contains("E-mail staat uit"), "{text}");
        }
    }
    // Opened: the count is gone; others' lists stay their own.
    let bram = ctx_of(db, f.bram).await;
    assert_eq!(bram.unread_notifications, 0);
    ctx_of(db, f.daan).await;
    let app = router(db).await;
    let mut daan = Client::new(&app);
    daan.login("daan@lindenhaghe.nl", TEST_PASSWORD).await;
    let text = visible_text(&daan.get("/notifications").await.text());
    assert!(text.contains("Je hebt nog geen meldingen"), "{text}");
    assert!(!text.contains("Çiğdem"), "{text}");
});
