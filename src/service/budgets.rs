//! Pages about one person cost the same in any institution: each sends the
//! same number of statements to the database whether the institution has a
//! handful of starters or many more, with their check-ins, conversations,
//! pairings and alerts (counted, on both backends), and none reads another
//! starter's rows.

use chrono::{DateTime, Utc};

use super::*;
use crate::domain::checkin::CheckInForm;
use crate::domain::mentoring::ConversationForm;
use crate::domain::{Email, PersonId};
use crate::service::checkins::tests::world;
use crate::store::{Db, statements};
use crate::testing::{at, ctx_of};

fn checkin() -> CheckInForm {
    CheckInForm {
        scores: ["2", "2", "3", "3", "2"].map(str::to_owned),
        comment: "Zware week".into(),
        talk_to: String::new(),
    }
}

fn held(on: &str) -> ConversationForm {
    ConversationForm {
        status: "held".into(),
        on: on.into(),
        kind: "guidance".into(),
        summary: "Over de klas".into(),
        actions: vec![("Lesplan delen".into(), "starter".into(), String::new())],
        ..Default::default()
    }
}

/// Statements per page: the starter's own pages, the mentor's, and the
/// coordinator's page about the starter.
async fn statements_per_page(
    db: &Db,
    now: DateTime<Utc>,
    starter: PersonId,
    mentor: PersonId,
    coordinator: PersonId,
) -> Vec<(&'static str, u64)> {
    let s = ctx_of(db, starter).await;
    let m = ctx_of(db, mentor).await;
    let c = ctx_of(db, coordinator).await;
    let mut counts = Vec::new();
    let (page, n) = statements::count(home::home(db, now, &s)).await;
    page.unwrap();
    counts.push(("starter's home", n));
    let (page, n) = statements::count(starters::mine(db, now, &s)).await;
    assert!(page.unwrap().is_some());
    counts.push(("my trajectory", n));
    let (page, n) = statements::count(checkins::status(db, now, &s)).await;
    assert!(!page.unwrap().history.is_empty());
    counts.push(("check-in", n));
    let (page, n) = statements::count(conversations::mine(db, now, &s)).await;
    page.unwrap();
    counts.push(("my conversations", n));
    let (page, n) = statements::count(home::home(db, now, &m)).await;
    assert_eq!(page.unwrap().mentor.unwrap().mentees.len(), 1);
    counts.push(("mentor's home", n));
    let (page, n) = statements::count(conversations::mentee(db, now, &m, starter)).await;
    assert_eq!(page.unwrap().conversations.len(), 1);
    counts.push(("mentee page", n));
    let (page, n) = statements::count(conversations::log_defaults(db, now, &m, starter, None)).await;
    page.unwrap();
    counts.push(("log form", n));
    let (page, n) = statements::count(starters::detail(db, now, &c, starter)).await;
    page.unwrap();
    counts.push(("a starter's page", n));
    counts
}

/// The team leader's watch list: how many starters it shows, and the
/// statements it sent.
async fn leaders_list(db: &Db, now: DateTime<Utc>, leader: PersonId) -> (usize, u64) {
    let ctx = ctx_of(db, leader).await;
    let (list, n) = statements::count(signals::watch_list(
        db,
        now,
        &ctx,
        None,
        None,
        crate::domain::alerts::WatchShow::All,
    ))
    .await;
    (list.unwrap().rows.len(), n)
}

crate::db_test!(async fn a_page_about_one_person_sends_the_same_statements_in_a_small_and_a_large_institution(db) {
    let (f, _gijs, fleur) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let day = at(2026, 9, 1);
    mentoring::pair(db, day, &anna, f.cigdem, f.bram, "workplace_mentor", "", "").await.unwrap();
    conversations::log(db, day, &ctx_of(db, f.bram).await, f.cigdem, None, &held("2026-09-01")).await.unwrap();
    checkins::submit(db, day, &ctx_of(db, f.cigdem).await, &checkin()).await.unwrap();
    let now = at(2026, 10, 1);
    signals::daily(db, now).await.unwrap();
    let small = statements_per_page(db, now, f.cigdem, f.bram, f.anna).await;
    let leader_small = leaders_list(db, now, f.daan).await;
    assert_eq!(leader_small.0, 1);

    // Forty more starters in the same institution, each paired, guided,
    // checking in, and with alerts after the daily evaluation.
    let mut file = String::from(
        "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap",
    );
    for i in 0..40 {
        file.push_str(&format!(
            "\n{};Starter {i};s{i}@lindenhaghe.nl;starter;Verpleegkunde;17-8-2026;0,8;tijdelijk;31-7-2027;regulier;",
            2000 + i
        ));
    }
    assert!(import::import_file(db, day, &anna, file.as_bytes(), true).await.unwrap().applied);
    let fleur_ctx = ctx_of(db, fleur).await;
    for i in 0..40 {
        let email = Email::parse(&format!("s{i}@lindenhaghe.nl")).unwrap();
        let other = crate::store::people::find_by_email(db, &email).await.unwrap().unwrap().id;
        mentoring::pair(db, day, &anna, other, fleur, "workplace_mentor", "", "").await.unwrap();
        conversations::log(db, day, &fleur_ctx, other, None, &held("2026-09-01")).await.unwrap();
        checkins::submit(db, day, &ctx_of(db, other).await, &checkin()).await.unwrap();
    }
    signals::daily(db, now + chrono::Duration::days(1)).await.unwrap();
    // And one of them with a row no page could read: a page about Çiğdem
    // never reads another starter's rows, so it does not notice.
    let sql = "UPDATE employment_terms SET sector = 'unreadable' WHERE employment_id IN \
               (SELECT e.id FROM employments e JOIN people p ON p.id = e.person_id WHERE p.email = 's7@lindenhaghe.nl')";
    let changed = crate::testing::execute(db, sql).await.unwrap();
    assert_eq!(changed, 1);
    let large = statements_per_page(db, now + chrono::Duration::days(1), f.cigdem, f.bram, f.anna).await;
    // The team leader's watch list reads the stored evaluations of their
    // teams: more rows, the same statements.
    let leader_large = leaders_list(db, now + chrono::Duration::days(1), f.daan).await;
    assert_eq!(leader_large.0, 41);
    assert_eq!(leader_small.1, leader_large.1, "statements of the team leader's watch list");

    assert_eq!(small, large, "statements per page, small vs. large institution");
    for (page, n) in &large {
        assert!(*n <= 30, "{page}: {n} statements");
    }
});
