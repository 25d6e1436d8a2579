//! Check-ins and requests to talk on both backends: validation, the rhythm
//! for an injected clock, a request reaching exactly the chosen person and
//! being answered, and free text never reaching a team leader.

use chrono::NaiveDate;

use super::*;
use crate::domain::RoleAssignment;
use crate::domain::checkin::CheckInForm;
use crate::service::{conversations, import, mentoring, starters};
use crate::store::teams;
use crate::testing::{at, ctx_of, people_fixture, person};

const TEXT: &str = "CHECKINTEXTMARKER";

fn form(scores: [&str; 5], comment: &str, talk_to: &str) -> CheckInForm {
    CheckInForm {
        scores: scores.map(str::to_owned),
        comment: comment.to_owned(),
        talk_to: talk_to.to_owned(),
    }
}

/// The people fixture with Çiğdem enrolled (started 2026-08-17) and paired
/// with Bram; a second coordinator (Gijs) and a second mentor (Fleur).
pub(crate) async fn world(db: &Db) -> (crate::testing::PeopleFixture, PersonId, PersonId) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let mut tx = db.begin_write().await.unwrap();
    people::set_employee_number(&mut tx, f.cigdem, Some("1001"))
        .await
        .unwrap();
    let when = at(2026, 8, 1);
    let gijs = people::create(
        &mut tx,
        &person("Gijs Coördinator", Some("gijs@lindenhaghe.nl"), Some(f.a)),
        when,
    )
    .await
    .unwrap();
    crate::store::accounts::create(&mut tx, gijs, when).await.unwrap();
    memberships::set_roles(
        &mut tx,
        gijs,
        Some(f.a),
        &[RoleAssignment {
            role: Role::Coordinator,
            team: None,
        }],
        when,
    )
    .await
    .unwrap();
    let fleur = people::create(
        &mut tx,
        &person("Fleur Visser", Some("fleur@lindenhaghe.nl"), Some(f.a)),
        when,
    )
    .await
    .unwrap();
    crate::store::accounts::create(&mut tx, fleur, when).await.unwrap();
    memberships::set_roles(
        &mut tx,
        fleur,
        Some(f.a),
        &[RoleAssignment {
            role: Role::Mentor,
            team: Some(f.team_a),
        }],
        when,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let file = "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap\n\
        1001;Çiğdem Öztürk;cigdem@lindenhaghe.nl;starter;Verpleegkunde;17-8-2026;0,8;vast;;regulier;\n";
    assert!(
        import::import_file(db, at(2026, 8, 10), &anna, file.as_bytes(), true)
            .await
            .unwrap()
            .applied
    );
    let _ = teams::list(db, f.a).await.unwrap();
    (f, gijs, fleur)
}

crate::db_test!(async fn check_ins_are_validated_and_due_on_the_institutions_rhythm(db) {
    let (f, _, _) = world(db).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let anna = ctx_of(db, f.anna).await;

    // Before the first check-in it is due from the first day of work.
    let first_day = at(2026, 8, 17);
    assert_eq!(status(db, first_day, &cigdem).await.unwrap().due_on, NaiveDate::from_ymd_opt(2026, 8, 17).unwrap());

    let bad = submit(db, first_day, &cigdem, &form(["0", "6", "3", "3", ""], "", "")).await.unwrap_err();
    assert!(matches!(&bad, ServiceError::Invalid(e) if e.len() == 3), "{bad:?}");
    let long = submit(db, first_day, &cigdem, &form(["3"; 5], &"x".repeat(501), "")).await.unwrap_err();
    assert!(matches!(&long, ServiceError::Invalid(e) if e[0].field == "comment"));
    assert!(status(db, first_day, &cigdem).await.unwrap().history.is_empty(), "nothing saved");

    let day = at(2026, 9, 1);
    submit(db, day, &cigdem, &form(["4", "3", "4", "3", "5"], "", "")).await.unwrap();
    let now = status(db, day, &cigdem).await.unwrap();
    assert_eq!((now.rhythm_days, now.due_on), (14, NaiveDate::from_ymd_opt(2026, 9, 15).unwrap()));
    assert_eq!(now.history.len(), 1);

    // The coordinator changes the rhythm; the next due date follows.
    assert!(matches!(set_rhythm(db, day, &anna, "3").await, Err(ServiceError::Invalid(_))));
    assert!(matches!(set_rhythm(db, day, &cigdem, "7").await, Err(ServiceError::Forbidden)));
    set_rhythm(db, day, &anna, "28").await.unwrap();
    assert_eq!(status(db, day, &cigdem).await.unwrap().due_on, NaiveDate::from_ymd_opt(2026, 9, 29).unwrap());
});

crate::db_test!(async fn i_want_to_talk_reaches_exactly_the_chosen_person_until_they_answer(db) {
    let (f, gijs, fleur) = world(db).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let anna = ctx_of(db, f.anna).await;
    let bram = ctx_of(db, f.bram).await;
    let gijs = ctx_of(db, gijs).await;
    let fleur = ctx_of(db, fleur).await;
    let day = at(2026, 9, 1);

    // Without a mentor, "my mentor" goes to a coordinator (the first one).
    let to = submit(db, day, &cigdem, &form(["2"; 5], "", "mentor")).await.unwrap().unwrap();
    assert_eq!(to.id, f.anna);
    assert_eq!(open_requests(db, day, &anna).await.unwrap().len(), 1);
    assert!(open_requests(db, day, &gijs).await.unwrap().is_empty(), "one coordinator, not all");
    answer_with_contact(db, day, &anna, open_requests(db, day, &anna).await.unwrap()[0].id).await.unwrap();

    // With a mentor: exactly the mentor; not another mentor, not the coordinators.
    mentoring::pair(db, day, &anna, f.cigdem, f.bram, "workplace_mentor", "", "").await.unwrap();
    let later = at(2026, 9, 15);
    let to = submit(db, later, &cigdem, &form(["2", "5", "2", "2", "2"], TEXT, "mentor")).await.unwrap().unwrap();
    assert_eq!(to.id, f.bram);
    let waiting = open_requests(db, later, &bram).await.unwrap();
    assert_eq!((waiting.len(), waiting[0].starter.id), (1, f.cigdem));
    for other in [&anna, &gijs, &fleur] {
        assert!(open_requests(db, later, other).await.unwrap().is_empty());
    }
    // The starter sees it was received, not yet answered.
    let mine = status(db, later, &cigdem).await.unwrap();
    assert!(mine.requests[0].answered_at.is_none());
    // Someone else cannot answer it.
    assert!(matches!(answer_with_contact(db, later, &fleur, waiting[0].id).await, Err(ServiceError::NotFound)));

    // The mentor answers by planning a conversation.
    let plan = crate::domain::mentoring::ConversationForm {
        status: "planned".into(),
        on: "2026-09-18".into(),
        kind: "guidance".into(),
        ..Default::default()
    };
    conversations::log(db, later, &bram, f.cigdem, None, &plan).await.unwrap();
    assert!(open_requests(db, later, &bram).await.unwrap().is_empty());
    let mine = status(db, later, &cigdem).await.unwrap();
    assert!(mine.requests.iter().all(|r| r.answered_at.is_some()), "received and answered");

    // Asking the coordinator on purpose goes to a coordinator even with a mentor.
    let to = submit(db, later, &cigdem, &form(["3"; 5], "", "coordinator")).await.unwrap().unwrap();
    assert_eq!(to.id, f.anna);
    assert!(open_requests(db, later, &bram).await.unwrap().is_empty());
});

crate::db_test!(async fn check_in_text_reaches_starter_and_mentor_never_a_team_leader(db) {
    let (f, _, fleur) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let day = at(2026, 9, 1);
    mentoring::pair(db, day, &anna, f.cigdem, f.bram, "workplace_mentor", "", "").await.unwrap();
    let cigdem = ctx_of(db, f.cigdem).await;
    submit(db, day, &cigdem, &form(["3"; 5], TEXT, "")).await.unwrap();

    let bram = ctx_of(db, f.bram).await;
    let seen = serde_json::to_string(&of_mentee(db, day, &bram, f.cigdem).await.unwrap()).unwrap();
    assert!(seen.contains(TEXT));
    assert!(serde_json::to_string(&status(db, day, &cigdem).await.unwrap()).unwrap().contains(TEXT));
    let fleur = ctx_of(db, fleur).await;
    assert!(matches!(of_mentee(db, day, &fleur, f.cigdem).await, Err(ServiceError::NotFound)));

    let daan = ctx_of(db, f.daan).await;
    assert!(matches!(of_mentee(db, day, &daan, f.cigdem).await, Err(ServiceError::Forbidden)));
    for json in [
        serde_json::to_string(&starters::detail(db, day, &daan, f.cigdem).await.unwrap()).unwrap(),
        serde_json::to_string(&starters::list(db, day, &daan, &Default::default()).await.unwrap()).unwrap(),
        serde_json::to_string(&crate::service::home::home(db, day, &daan).await.unwrap()).unwrap(),
    ] {
        assert!(!json.contains(TEXT), "the team leader received check-in text");
    }
});
