//! Pairing and conversation logs on both backends: suggestions and the
//! pairing rules as a coordinator meets them, the mentor's flow, and, above
//! all, who receives conversation content. Marker strings are written into
//! a summary, a private note, an action and a reflection; every response to
//! a role that may not see them is searched for them.

use super::*;
use crate::domain::mentoring::{ConversationForm, Topic};
use crate::domain::{AuditFilter, RoleAssignment};
use crate::service::{conversations, import, starters};
use crate::store::audit;
use crate::testing::{at, ctx_of, people_fixture, person};

const SUMMARY: &str = "SUMMARY-MARKER-7f3";
const NOTE: &str = "NOTE-MARKER-a91";
const ACTION: &str = "ACTION-MARKER-c44";
const REFLECTION: &str = "REFLECTION-MARKER-e02";

struct World {
    f: crate::testing::PeopleFixture,
    /// A mentor in Software Development.
    fleur: PersonId,
    software: TeamId,
}

/// The people fixture, Çiğdem enrolled as a starter in Verpleegkunde, Daan
/// (team leader of Verpleegkunde) also a mentor, and Fleur a mentor in
/// Software Development.
async fn world(db: &Db) -> World {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let mut tx = db.begin_write().await.unwrap();
    people::set_employee_number(&mut tx, f.cigdem, Some("1001"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let file = "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap\n\
        1001;Çiğdem Öztürk;cigdem@lindenhaghe.nl;starter;Verpleegkunde;1-8-2026;0,8;tijdelijk;31-7-2027;zij-instromer pdg;\n";
    let report = import::import_file(db, at(2026, 8, 20), &anna, file.as_bytes(), true)
        .await
        .unwrap();
    assert!(report.applied, "{report:?}");
    let software = teams::list(db, f.a)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name.to_string() == "Software Development")
        .unwrap()
        .id;
    let when = at(2026, 8, 1);
    let mut tx = db.begin_write().await.unwrap();
    memberships::set_roles(
        &mut tx,
        f.daan,
        Some(f.a),
        &[
            RoleAssignment {
                role: Role::TeamLeader,
                team: Some(f.team_a),
            },
            RoleAssignment {
                role: Role::Mentor,
                team: Some(f.team_a),
            },
        ],
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
            team: Some(software),
        }],
        when,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    World { f, fleur, software }
}

fn profile_form(capacity: &str, sectors: &[&str], trained: bool, hours: &str) -> ProfileForm {
    ProfileForm {
        capacity: capacity.into(),
        sectors: sectors.iter().map(|s| (*s).to_owned()).collect(),
        subjects: "Verpleegkunde".into(),
        trained,
        trained_on: String::new(),
        hours_per_week: hours.into(),
        availability: "Dinsdag en donderdag".into(),
    }
}

fn held(summary: &str, note: &str, action: &str) -> ConversationForm {
    ConversationForm {
        status: "held".into(),
        on: String::new(),
        duration: String::new(),
        kind: "guidance".into(),
        topics: vec![Topic::Workload.code().into()],
        tags: String::new(),
        summary: summary.into(),
        note: note.into(),
        concern: "minor".into(),
        actions: vec![(action.into(), "starter".into(), "2026-10-15".into())],
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

fn assert_free_of(what: &str, text: &str, markers: &[&str]) {
    for marker in markers {
        assert!(!text.contains(marker), "{what} contains {marker}");
    }
}

crate::db_test!(async fn the_coordinator_pairs_by_explained_suggestion_and_re_pairing_closes_the_old_one(db) {
    let w = world(db).await;
    let now = at(2026, 9, 1);
    let anna = ctx_of(db, w.f.anna).await;
    let starter = w.f.cigdem;
    save_profile(db, now, &anna, w.f.bram, &profile_form("2", &["care_welfare"], true, "2")).await.unwrap();
    save_profile(db, now, &anna, w.fleur, &profile_form("0", &["ict_creative"], false, "1")).await.unwrap();
    save_profile(db, now, &anna, w.f.daan, &profile_form("5", &["care_welfare"], true, "4")).await.unwrap();

    let page = suggestions(db, now, &anna, starter).await.unwrap();
    let ranked: Vec<&str> = page.suggestions.iter().map(|s| s.mentor.name.as_str()).collect();
    assert_eq!(ranked, ["Bram Mentor", "Fleur Visser"], "Daan leads Çiğdem's team: never suggested");
    assert_eq!(page.suggestions[0].score, 30 + 20 + 15 + 15 + 10, "sector, team, two places, trained, hours");
    let overview_before = overview(db, now, &anna).await.unwrap();
    assert_eq!(overview_before.unpaired.len(), 1);

    // The team leader of her own team cannot be chosen, not even with a reason.
    let refused = pair(db, now, &anna, starter, w.f.daan, "workplace_mentor", "", "Hij wil graag").await;
    assert!(matches!(&refused, Err(ServiceError::Invalid(e)) if e[0].problem == FieldProblem::LeadsStartersTeam), "{refused:?}");

    let first = pair(db, now, &anna, starter, w.f.bram, "workplace_mentor", "2026-09-01", "").await.unwrap();
    assert!(overview(db, now, &anna).await.unwrap().unpaired.is_empty());
    // Both are told, once: the starter who her mentor is, the mentor who his new starter is.
    let told = |list: crate::domain::notification::Notifications| {
        list.items
            .iter()
            .map(|n| (n.kind, n.about.as_ref().map(|p| p.id), n.on))
            .collect::<Vec<_>>()
    };
    let cigdem = ctx_of(db, starter).await;
    let bram = ctx_of(db, w.f.bram).await;
    let start = NaiveDate::from_ymd_opt(2026, 9, 1);
    use crate::domain::notification::NotificationKind::{MenteePaired, MentorPaired};
    assert_eq!(told(crate::service::notifications::list(db, now, &cigdem, false).await.unwrap()), [(MentorPaired, Some(w.f.bram), start)]);
    assert_eq!(told(crate::service::notifications::list(db, now, &bram, false).await.unwrap()), [(MenteePaired, Some(starter), start)]);

    // Fleur has no free place: choosing her needs a reason.
    let later = at(2026, 10, 1);
    let no_reason = pair(db, later, &anna, starter, w.fleur, "workplace_mentor", "", "").await;
    assert!(matches!(&no_reason, Err(ServiceError::Invalid(e)) if e[0].field == "reason"), "{no_reason:?}");
    pair(db, later, &anna, starter, w.fleur, "workplace_mentor", "", "Vraagt om ICT-ervaring").await.unwrap();
    let pairings = store::pairings_of_starter(db, w.f.a, starter).await.unwrap();
    assert_eq!(pairings.len(), 2);
    assert_eq!(pairings[0].id, first);
    assert_eq!(pairings[0].end, Some((NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(), PairingEndReason::RePaired)));
    assert!(pairings[1].is_open() && pairings[1].override_reason.as_deref() == Some("Vraagt om ICT-ervaring"));
    // A second kind runs beside the primary mentor.
    pair(db, later, &anna, starter, w.f.bram, "subject_coach", "", "").await.unwrap();
    let open = store::pairings_of_starter(db, w.f.a, starter).await.unwrap().into_iter().filter(|p| p.is_open()).count();
    assert_eq!(open, 2);

    // Only coordinators pair; another institution does not find her.
    assert!(matches!(suggestions(db, now, &bram, starter).await, Err(ServiceError::Forbidden)));
    let erik = ctx_of(db, w.f.erik).await;
    assert!(matches!(suggestions(db, now, &erik, starter).await, Err(ServiceError::NotFound)));
    assert!(matches!(
        pair(db, now, &erik, starter, w.f.bram, "workplace_mentor", "", "").await,
        Err(ServiceError::NotFound)
    ));
    let _ = w.software;
});

crate::db_test!(async fn conversation_content_reaches_only_the_starter_and_their_mentors_and_notes_only_their_author(db) {
    let w = world(db).await;
    let f = &w.f;
    let now = at(2026, 10, 1);
    let anna = ctx_of(db, f.anna).await;
    pair(db, now, &anna, f.cigdem, f.bram, "workplace_mentor", "2026-09-01", "").await.unwrap();
    let bram = ctx_of(db, f.bram).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let daan = ctx_of(db, f.daan).await;
    let fleur = ctx_of(db, w.fleur).await;
    let erik = ctx_of(db, f.erik).await;

    let id = conversations::log(db, now, &bram, f.cigdem, None, &held(SUMMARY, NOTE, ACTION)).await.unwrap();
    let mine = conversations::mine(db, now, &cigdem).await.unwrap();
    assert!(!conversations::confirm(db, now, &cigdem, id, "").await.unwrap(), "first confirmation");
    assert!(conversations::confirm(db, now, &cigdem, id, REFLECTION).await.unwrap(), "confirmed before");

    // The mentor sees everything, including the own private note.
    let page = json(&conversations::mentee(db, now, &bram, f.cigdem).await.unwrap());
    for marker in [SUMMARY, NOTE, ACTION, REFLECTION] {
        assert!(page.contains(marker), "mentor page lacks {marker}");
    }
    // The starter sees summary, action and reflection, never the note.
    assert!(mine.conversations[0].can_confirm && mine.conversations[0].private_note.is_none());
    let own = json(&conversations::mine(db, now, &cigdem).await.unwrap());
    for marker in [SUMMARY, ACTION, REFLECTION] {
        assert!(own.contains(marker), "starter page lacks {marker}");
    }
    assert_free_of("starter's conversations", &own, &[NOTE]);
    assert_free_of("starter's trajectory", &json(&starters::mine(db, now, &cigdem).await.unwrap()), &[NOTE]);

    // A second mentor (subject coach) shares the summary, not Bram's note.
    pair(db, now, &anna, f.cigdem, w.fleur, "subject_coach", "", "").await.unwrap();
    let coach = json(&conversations::mentee(db, now, &fleur, f.cigdem).await.unwrap());
    assert!(coach.contains(SUMMARY));
    assert_free_of("another mentor's page", &coach, &[NOTE]);
    let coach_home = json(&conversations::mentor_home(db, now, &fleur).await.unwrap());
    assert_free_of("another mentor's home", &coach_home, &[SUMMARY, NOTE, ACTION, REFLECTION]);
    assert!(matches!(
        conversations::log_defaults(db, now, &fleur, f.cigdem, Some(id)).await,
        Err(ServiceError::NotFound)
    ), "only the author edits");

    let all = [SUMMARY, NOTE, ACTION, REFLECTION];
    // Team leader: dates, kinds, counts and concern flags, no content.
    let seen_by_leader = starters::detail(db, now, &daan, f.cigdem).await.unwrap();
    assert_eq!((seen_by_leader.guidance.held, seen_by_leader.guidance.concerns), (1, 1));
    assert_free_of("team leader's starter page", &json(&seen_by_leader), &all);
    assert_free_of("team leader's list", &json(&starters::list(db, now, &daan, &Default::default()).await.unwrap()), &all);
    assert!(matches!(conversations::mentee(db, now, &daan, f.cigdem).await, Err(ServiceError::NotFound)));
    // Coordinator: pairing and counts, no content.
    let seen_by_coordinator = starters::detail(db, now, &anna, f.cigdem).await.unwrap();
    assert_eq!(seen_by_coordinator.guidance.pairings.len(), 2);
    assert_free_of("coordinator's starter page", &json(&seen_by_coordinator), &all);
    assert_free_of("pairing overview", &json(&overview(db, now, &anna).await.unwrap()), &all);
    assert_free_of("suggestions", &json(&suggestions(db, now, &anna, f.cigdem).await.unwrap()), &all);
    assert!(matches!(conversations::mentee(db, now, &anna, f.cigdem).await, Err(ServiceError::Forbidden)));
    assert!(matches!(conversations::mine(db, now, &anna).await, Err(ServiceError::Forbidden)));
    // Another institution: nothing at all.
    assert!(matches!(starters::detail(db, now, &erik, f.cigdem).await, Err(ServiceError::NotFound)));
    assert!(matches!(conversations::mentee(db, now, &erik, f.cigdem).await, Err(ServiceError::Forbidden)));
    assert!(matches!(conversations::confirm(db, now, &erik, id, "x").await, Err(ServiceError::Forbidden)));

    // A mentor whose pairing ended loses access at once.
    let coach_pairing = store::pairings_of_starter(db, f.a, f.cigdem).await.unwrap().into_iter().find(|p| p.mentor == w.fleur).unwrap();
    end_pairing(db, now, &anna, coach_pairing.id, "other", "").await.unwrap();
    assert!(matches!(conversations::mentee(db, now, &fleur, f.cigdem).await, Err(ServiceError::NotFound)));
    assert!(matches!(starters::detail(db, now, &fleur, f.cigdem).await, Err(ServiceError::NotFound)));

    // Every read of content is in the audit log, with whose data it was.
    let mut filter = AuditFilter::institution(f.a);
    filter.limit = 500;
    let reads: Vec<_> = audit::list(db, &filter)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == AuditAction::ConversationRead.code())
        .collect();
    assert!(reads.iter().any(|e| e.actor == Some(f.bram) && e.subject == Some(f.cigdem)));
    assert!(reads.iter().any(|e| e.actor == Some(f.cigdem) && e.subject == Some(f.cigdem)));
    assert!(reads.iter().any(|e| e.actor == Some(w.fleur)));
    assert_free_of("audit log", &json(&reads), &all);
});

crate::db_test!(async fn the_mentor_flow_planned_to_held_in_one_step_actions_and_the_fit_check(db) {
    let w = world(db).await;
    let f = &w.f;
    let anna = ctx_of(db, f.anna).await;
    pair(db, at(2026, 9, 1), &anna, f.cigdem, f.bram, "workplace_mentor", "2026-09-01", "").await.unwrap();
    let bram = ctx_of(db, f.bram).await;
    let cigdem = ctx_of(db, f.cigdem).await;

    // No conversation yet: the home counts from the start of the pairing.
    let now = at(2026, 9, 29);
    let home = conversations::mentor_home(db, now, &bram).await.unwrap();
    assert_eq!((home.len(), home[0].days_since_contact, home[0].last_held), (1, 28, None));
    assert_eq!(home[0].fit_question, None, "asked only after the first held conversation");

    // Plan an observation for next week; the home shows it.
    let mut plan = held("", "", "");
    plan.status = "planned".into();
    plan.on = "2026-10-06".into();
    plan.kind = "lesson_observation".into();
    plan.concern = String::new();
    let planned = conversations::log(db, now, &bram, f.cigdem, None, &plan).await.unwrap();
    let home = conversations::mentor_home(db, now, &bram).await.unwrap();
    assert_eq!(home[0].next_planned, NaiveDate::from_ymd_opt(2026, 10, 6));

    // On the day: the form proposes the planned conversation; one save makes it held.
    let day = at(2026, 10, 6);
    let form = conversations::log_defaults(db, day, &bram, f.cigdem, Some(planned)).await.unwrap();
    assert_eq!(form.editing.as_ref().map(|c| c.status), Some(ConversationStatus::Planned));
    let mut hold = held("Les over groepsdynamiek", "", "Lesplan delen");
    hold.kind = "lesson_observation".into();
    assert_eq!(conversations::log(db, day, &bram, f.cigdem, Some(planned), &hold).await.unwrap(), planned);
    let defaults = conversations::log_defaults(db, day, &bram, f.cigdem, None).await.unwrap();
    assert_eq!(defaults.kind, crate::domain::mentoring::ConversationKind::LessonObservation, "the last kind");
    assert_eq!(defaults.duration_minutes, 60);
    let home = conversations::mentor_home(db, day, &bram).await.unwrap();
    assert_eq!((home[0].days_since_contact, home[0].open_actions, home[0].next_planned), (0, 1, None));

    // Actions: the starter ticks hers; an outsider cannot.
    let mine = conversations::mine(db, day, &cigdem).await.unwrap();
    let action = mine.conversations[0].actions[0].id;
    let fleur = ctx_of(db, w.fleur).await;
    assert!(matches!(conversations::set_action_done(db, day, &fleur, action, true).await, Err(ServiceError::NotFound)));
    conversations::set_action_done(db, day, &cigdem, action, true).await.unwrap();
    assert_eq!(conversations::mentor_home(db, day, &bram).await.unwrap()[0].open_actions, 0);

    // The fit check is asked of both after the first held conversation; "not a good fit" reaches the coordinator.
    let pairing = mine.fit_question.expect("the starter is asked");
    assert_eq!(conversations::mentor_home(db, day, &bram).await.unwrap()[0].fit_question, Some(pairing));
    answer_fit(db, day, &cigdem, pairing, "poor").await.unwrap();
    answer_fit(db, day, &bram, pairing, "good").await.unwrap();
    assert_eq!(conversations::mine(db, day, &cigdem).await.unwrap().fit_question, None);
    let poor = overview(db, day, &anna).await.unwrap().poor_fits;
    assert_eq!(poor.len(), 1);
    assert_eq!((poor[0].starter_fit, poor[0].mentor_fit), (Some(FitAnswer::Poor), Some(FitAnswer::Good)));
    assert!(matches!(answer_fit(db, day, &fleur, pairing, "good").await, Err(ServiceError::NotFound)));

    // Validation comes back per field; a held conversation cannot be in the future.
    let mut future = held("x", "", "");
    future.on = "2026-12-01".into();
    let err = conversations::log(db, day, &bram, f.cigdem, None, &future).await.unwrap_err();
    assert!(matches!(&err, ServiceError::Invalid(e) if e[0].field == "on"), "{err:?}");
});

fn checkin(comment: &str) -> crate::domain::checkin::CheckInForm {
    crate::domain::checkin::CheckInForm {
        scores: ["3".into(), "3".into(), "3".into(), "3".into(), "3".into()],
        comment: comment.into(),
        talk_to: String::new(),
    }
}

const CHECKIN_TEXT: &str = "CHECKIN-MARKER-5d1";

/// Whether `mentor` reaches any of Çiğdem's content: the mentee page, her
/// check-ins, or her trajectory page as a mentor.
async fn reaches_content(db: &Db, now: DateTime<Utc>, mentor: &Ctx, starter: PersonId) -> bool {
    let page = conversations::mentee(db, now, mentor, starter).await;
    let checkins = crate::service::checkins::of_mentee(db, now, mentor, starter).await;
    match (page, checkins) {
        (Ok(page), Ok(history)) => {
            assert!(json(&page).contains(SUMMARY) && json(&history).contains(CHECKIN_TEXT));
            true
        }
        (Err(_), Err(_)) => false,
        (page, checkins) => panic!("content half reachable: {page:?} / {checkins:?}"),
    }
}

crate::db_test!(async fn a_coordinator_cannot_pair_themselves_and_read_content(db) {
    // SECURITY AC6: a coordinator gives themselves the mentor role and tries
    // to pair themselves with a starter as subject coach (no reason asked).
    let w = world(db).await;
    let f = &w.f;
    let now = at(2026, 10, 1);
    let anna = ctx_of(db, f.anna).await;
    pair(db, now, &anna, f.cigdem, f.bram, "workplace_mentor", "2026-09-01", "").await.unwrap();
    let bram = ctx_of(db, f.bram).await;
    conversations::log(db, now, &bram, f.cigdem, None, &held(SUMMARY, NOTE, ACTION)).await.unwrap();
    let cigdem = ctx_of(db, f.cigdem).await;
    crate::service::checkins::submit(db, now, &cigdem, &checkin(CHECKIN_TEXT)).await.unwrap();

    crate::service::people::set_roles(db, now, &anna, f.anna, &[
        RoleAssignment { role: Role::Coordinator, team: None },
        RoleAssignment { role: Role::Mentor, team: Some(w.software) },
    ]).await.unwrap();
    let anna = ctx_of(db, f.anna).await;
    for kind in ["subject_coach", "teacher_educator", "workplace_mentor"] {
        let refused = pair(db, now, &anna, f.cigdem, f.anna, kind, "", "Even meekijken").await;
        assert!(matches!(&refused, Err(ServiceError::Invalid(e)) if e[0].problem == FieldProblem::OwnPairing), "{kind}: {refused:?}");
    }
    assert!(!reaches_content(db, now, &anna, f.cigdem).await);
    assert!(store::pairings_of_starter(db, f.a, f.cigdem).await.unwrap().iter().all(|p| p.mentor != f.anna));

    // Paired by someone else, she may mentor — but she can neither end nor
    // replace that pairing herself.
    let mut tx = db.begin_write().await.unwrap();
    let own = store::create_pairing(&mut tx, f.a, &store::PairingForCreate {
        starter: f.cigdem, mentor: f.anna, kind: PairingKind::SubjectCoach, start: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        score: None, override_reason: None, created_by: None,
    }, now).await.unwrap();
    tx.commit().await.unwrap();
    let end = end_pairing(db, now, &anna, own, "other", "").await;
    assert!(matches!(&end, Err(ServiceError::Invalid(e)) if e[0].problem == FieldProblem::OwnPairing), "{end:?}");
    let replace = pair(db, now, &anna, f.cigdem, f.bram, "subject_coach", "", "").await;
    assert!(matches!(&replace, Err(ServiceError::Invalid(e)) if e[0].problem == FieldProblem::OwnPairing), "{replace:?}");
});

crate::db_test!(async fn content_follows_a_pairing_only_from_its_start_and_never_into_the_mentors_own_team(db) {
    // SECURITY AC6, checked on every read: a future start gives no access
    // yet; becoming the starter's team leader, or the starter moving into
    // the team the mentor leads, ends it.
    let w = world(db).await;
    let f = &w.f;
    let now = at(2026, 10, 1);
    let anna = ctx_of(db, f.anna).await;
    pair(db, now, &anna, f.cigdem, f.bram, "workplace_mentor", "2026-09-01", "").await.unwrap();
    let bram = ctx_of(db, f.bram).await;
    conversations::log(db, now, &bram, f.cigdem, None, &held(SUMMARY, NOTE, ACTION)).await.unwrap();
    let cigdem = ctx_of(db, f.cigdem).await;
    crate::service::checkins::submit(db, now, &cigdem, &checkin(CHECKIN_TEXT)).await.unwrap();
    assert!(reaches_content(db, now, &bram, f.cigdem).await);

    // A pairing that starts next month gives Fleur nothing today.
    pair(db, now, &anna, f.cigdem, w.fleur, "subject_coach", "2026-11-01", "").await.unwrap();
    let fleur = ctx_of(db, w.fleur).await;
    assert!(!reaches_content(db, now, &fleur, f.cigdem).await);
    assert!(conversations::mentor_home(db, now, &fleur).await.unwrap().is_empty());
    assert!(reaches_content(db, at(2026, 11, 2), &fleur, f.cigdem).await, "from its start date on");

    // Bram becomes team leader of Çiğdem's team: no content from the next request on.
    crate::service::people::set_roles(db, now, &anna, f.bram, &[
        RoleAssignment { role: Role::Mentor, team: Some(f.team_a) },
        RoleAssignment { role: Role::TeamLeader, team: Some(f.team_a) },
    ]).await.unwrap();
    let bram = ctx_of(db, f.bram).await;
    assert!(!reaches_content(db, now, &bram, f.cigdem).await);
    assert!(starters::detail(db, now, &bram, f.cigdem).await.is_ok(), "as her team leader he still sees her trajectory");
    assert_free_of("Bram as team leader", &json(&starters::detail(db, now, &bram, f.cigdem).await.unwrap()), &[SUMMARY, NOTE, ACTION, CHECKIN_TEXT]);

    // Fleur leads Software Development; Çiğdem moves into that team.
    crate::service::people::set_roles(db, now, &anna, w.fleur, &[
        RoleAssignment { role: Role::Mentor, team: Some(w.software) },
        RoleAssignment { role: Role::TeamLeader, team: Some(w.software) },
    ]).await.unwrap();
    let later = at(2026, 11, 2);
    let fleur = ctx_of(db, w.fleur).await;
    assert!(reaches_content(db, later, &fleur, f.cigdem).await, "another team: still her coach");
    let terms = crate::service::starters::TermsForm {
        valid_from: "2026-11-01".into(),
        fte: "0,8".into(),
        contract: "fixed_term".into(),
        until: "2027-07-31".into(),
        team: Some(w.software.0),
        partnership: None,
    };
    crate::service::starters::change_terms(db, later, &anna, f.cigdem, &terms).await.unwrap();
    assert!(!reaches_content(db, later, &fleur, f.cigdem).await, "her own team now");
});
