//! Starter service tests on both backends: who sees which starters, the
//! trajectory as each role sees it, milestones, leaving and completion.

use super::*;

use chrono::NaiveDate;

use crate::domain::Role;
use crate::domain::starter::TimelineEvent;
use crate::domain::trajectory::{
    CompetenceDomain, LeaveReason, MilestoneState, StarterFilter, StarterPage, StarterSort, StarterStatus,
};
use crate::service::ServiceError;
use crate::store::{Db, people};

use crate::domain::AuditFilter;
use crate::domain::trajectory::EntryRoute;
use crate::service::import;
use crate::store::audit;
use crate::testing::{at, ctx_of, people_fixture};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Anna's institution gets three starters: Çiğdem (the fixture's starter,
/// Verpleegkunde, PDG), Lotte (Software Development, regular, in a
/// partnership, started a year earlier) and Mo (Verpleegkunde, hybrid).
async fn enrolled(db: &Db) -> crate::testing::PeopleFixture {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let mut tx = db.begin_write().await.unwrap();
    people::set_employee_number(&mut tx, f.cigdem, Some("1001"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let file = "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap\n\
        1001;Çiğdem Öztürk;cigdem@lindenhaghe.nl;starter;Verpleegkunde;1-8-2026;0,8;tijdelijk;31-7-2027;zij-instromer pdg;\n\
        1002;Lotte de Graaf;lotte@lindenhaghe.nl;starter;Software Development;1-8-2025;1;vast;;regulier;Opleidingsschool Delta\n\
        1003;Mo Amrani;mo@lindenhaghe.nl;starter;Verpleegkunde;1-9-2026;0,5;vast;;hybride;\n";
    let report = import::import_file(db, at(2026, 9, 1), &anna, file.as_bytes(), true)
        .await
        .unwrap();
    assert!(report.applied, "{report:?}");
    f
}

fn names(page: &StarterPage) -> Vec<&str> {
    page.rows.iter().map(|r| r.name.as_str()).collect()
}

crate::db_test!(async fn coordinators_see_all_team_leaders_their_teams_others_nothing(db) {
    let f = enrolled(db).await;
    let now = at(2026, 10, 1);
    let all = list(db, now, &ctx_of(db, f.anna).await, &StarterFilter::default()).await.unwrap();
    assert_eq!(names(&all), ["Çiğdem Öztürk", "Lotte de Graaf", "Mo Amrani"]);
    let daan = list(db, now, &ctx_of(db, f.daan).await, &StarterFilter::default()).await.unwrap();
    assert_eq!(names(&daan), ["Çiğdem Öztürk", "Mo Amrani"], "Daan leads Verpleegkunde only");
    assert_eq!(daan.teams.len(), 1);
    let erik = list(db, now, &ctx_of(db, f.erik).await, &StarterFilter::default()).await.unwrap();
    assert!(erik.rows.is_empty(), "another institution sees none of them");
    for outsider in [f.bram, f.cigdem] {
        let ctx = ctx_of(db, outsider).await;
        assert!(matches!(list(db, now, &ctx, &StarterFilter::default()).await, Err(ServiceError::Forbidden)));
    }
});

crate::db_test!(async fn filters_sort_and_pages(db) {
    let f = enrolled(db).await;
    let anna = ctx_of(db, f.anna).await;
    let now = at(2026, 10, 1);
    let with = |filter: StarterFilter| {
        let anna = anna.clone();
        async move { list(db, now, &anna, &filter).await.unwrap() }
    };
    let page = with(StarterFilter { route: Some(EntryRoute::Hybrid), ..Default::default() }).await;
    assert_eq!(names(&page), ["Mo Amrani"]);
    let page = with(StarterFilter { start_year: Some(2025), ..Default::default() }).await;
    assert_eq!(names(&page), ["Lotte de Graaf"]);
    let page = with(StarterFilter { in_partnership: Some(true), ..Default::default() }).await;
    assert_eq!(names(&page), ["Lotte de Graaf"]);
    let page = with(StarterFilter { team: Some(f.team_a), sort: StarterSort::StartDate, ..Default::default() }).await;
    assert_eq!(names(&page), ["Mo Amrani", "Çiğdem Öztürk"]);
    assert_eq!(page.start_years, vec![2026, 2025]);
    let page = with(StarterFilter { sort: StarterSort::Overdue, ..Default::default() }).await;
    assert_eq!(page.rows[0].name, "Lotte de Graaf", "a year in, most milestones overdue");
    assert_eq!((page.page, page.pages, page.total), (0, 1, 3));
    // Sorted by name, only the page's rows are counted: the same counts.
    let by_name = with(StarterFilter::default()).await;
    assert!(by_name.rows.iter().any(|r| r.progress.total() > 0), "the page's rows are counted");
    for row in &by_name.rows {
        let same = page.rows.iter().find(|r| r.employment == row.employment).unwrap();
        assert_eq!(row.progress, same.progress, "{}", row.name);
    }
    let page = with(StarterFilter { page: 7, ..Default::default() }).await;
    assert_eq!(page.page, 0, "a page past the end shows the last page");
});

crate::db_test!(async fn each_role_sees_the_starter_page_it_may(db) {
    let f = enrolled(db).await;
    let now = at(2026, 10, 1);
    let lotte = list(db, now, &ctx_of(db, f.anna).await, &StarterFilter::default()).await.unwrap().rows[1].person;
    let daan = ctx_of(db, f.daan).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let erik = ctx_of(db, f.erik).await;

    let seen = detail(db, now, &daan, f.cigdem).await.unwrap();
    assert_eq!(seen.name, "Çiğdem Öztürk");
    assert!(!seen.can_manage);
    assert!(matches!(detail(db, now, &daan, lotte).await, Err(ServiceError::NotFound)), "not Daan's team");
    assert!(matches!(detail(db, now, &cigdem, lotte).await, Err(ServiceError::NotFound)), "not herself");
    assert!(matches!(detail(db, now, &erik, f.cigdem).await, Err(ServiceError::NotFound)), "other institution");
    let own = mine(db, now, &cigdem).await.unwrap().unwrap();
    assert_eq!(own.person, f.cigdem);
    let hours: Vec<(i32, u32)> = own.facilitation.iter().map(|f| (f.school_year, f.starter_promised)).collect();
    assert_eq!(hours, vec![(2026, 80), (2027, 80)], "0,8 FTE: 80 of the cao's 100 hours");
    let events = audit::list(db, &AuditFilter::institution(f.a)).await.unwrap();
    assert!(events.iter().any(|e| e.action == "access_denied" && e.details["what"] == "starters.detail"));
});

crate::db_test!(async fn milestones_are_done_skipped_reopened_and_overdue_by_the_clock(db) {
    let f = enrolled(db).await;
    let anna = ctx_of(db, f.anna).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let early = at(2026, 8, 5);
    let mut view = mine(db, early, &cigdem).await.unwrap().unwrap().trajectory.unwrap();
    assert_eq!(view.progress.overdue, 0);
    let intake = view.milestones.iter().find(|m| m.title == "Intakegesprek").unwrap().clone();
    assert_eq!(intake.due, d(2026, 8, 15));
    assert!(!intake.can_update, "the coordinator owns the intake");
    let own = view.milestones.iter().find(|m| m.owner == Role::Starter).unwrap().clone();
    assert!(own.can_update);

    // Later the same trajectory shows the intake overdue.
    view = mine(db, at(2026, 8, 20), &cigdem).await.unwrap().unwrap().trajectory.unwrap();
    assert_eq!(view.milestones.iter().find(|m| m.id == intake.id).unwrap().state, MilestoneState::Overdue);
    assert_eq!(view.next_due().unwrap().id, intake.id);

    // The starter may not mark the coordinator's milestone; the coordinator may.
    let done = MilestoneChange::Done { on: "18-8-2026".into(), note: "Goed begin".into() };
    assert!(matches!(
        update_milestone(db, at(2026, 8, 20), &cigdem, intake.id, done.clone()).await,
        Err(ServiceError::Forbidden)
    ));
    update_milestone(db, at(2026, 8, 20), &anna, intake.id, done).await.unwrap();
    let future = MilestoneChange::Done { on: "1-1-2030".into(), note: String::new() };
    assert!(matches!(update_milestone(db, at(2026, 8, 20), &anna, own.id, future).await, Err(ServiceError::Invalid(_))));
    let no_reason = MilestoneChange::Skip { reason: "  ".into() };
    assert!(matches!(update_milestone(db, at(2026, 8, 20), &cigdem, own.id, no_reason).await, Err(ServiceError::Invalid(_))));
    update_milestone(db, at(2026, 8, 20), &cigdem, own.id, MilestoneChange::Skip { reason: "Al gedaan bij vorige school".into() })
        .await
        .unwrap();

    let view = mine(db, at(2026, 8, 20), &cigdem).await.unwrap().unwrap().trajectory.unwrap();
    let got = view.milestones.iter().find(|m| m.id == intake.id).unwrap();
    assert_eq!((got.state, got.done_on), (MilestoneState::Done, Some(d(2026, 8, 18))));
    assert_eq!(got.done_by.as_deref(), Some("Anna Coördinator"));
    assert_eq!(got.note.as_deref(), Some("Goed begin"));
    assert_eq!(view.milestones.iter().find(|m| m.id == own.id).unwrap().state, MilestoneState::Skipped);
    assert_eq!(view.progress.done + view.progress.skipped, 2);

    update_milestone(db, at(2026, 8, 21), &anna, intake.id, MilestoneChange::Reopen).await.unwrap();
    let view = mine(db, at(2026, 8, 21), &cigdem).await.unwrap().unwrap().trajectory.unwrap();
    assert_eq!(view.milestones.iter().find(|m| m.id == intake.id).unwrap().state, MilestoneState::Overdue);

    // Erik (other institution) cannot touch it.
    let erik = ctx_of(db, f.erik).await;
    assert!(matches!(
        update_milestone(db, at(2026, 8, 21), &erik, intake.id, MilestoneChange::Reopen).await,
        Err(ServiceError::NotFound)
    ));
    let events = audit::list(db, &AuditFilter::institution(f.a)).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.action == "milestone_updated").count(), 3);
});

crate::db_test!(async fn leaving_and_completing_are_separate_events_that_can_be_corrected(db) {
    let f = enrolled(db).await;
    let anna = ctx_of(db, f.anna).await;
    let daan = ctx_of(db, f.daan).await;
    let now = at(2027, 3, 1);
    assert!(matches!(
        record_leaving(db, now, &daan, f.cigdem, "1-3-2027", "workload", "").await,
        Err(ServiceError::Forbidden)
    ));
    let err = record_leaving(db, now, &anna, f.cigdem, "1-7-2026", "nonsense", "").await.unwrap_err();
    assert!(matches!(err, ServiceError::Invalid(ref list) if list.len() == 2), "{err:?}");

    record_completion(db, now, &anna, f.cigdem, "15-2-2027").await.unwrap();
    assert_eq!(detail(db, now, &anna, f.cigdem).await.unwrap().status, StarterStatus::Completed);
    record_leaving(db, now, &anna, f.cigdem, "28-2-2027", "other_mbo_institution", "ROC Midden").await.unwrap();
    let left = detail(db, now, &anna, f.cigdem).await.unwrap();
    assert_eq!(left.status, StarterStatus::Left);
    assert_eq!(left.ending, Some((d(2027, 2, 28), LeaveReason::OtherMboInstitution, Some("ROC Midden".into()))));
    let kinds: Vec<&str> = left
        .timeline
        .iter()
        .map(|(_, e)| match e {
            TimelineEvent::Started { .. } => "started",
            TimelineEvent::Completed => "completed",
            TimelineEvent::Left { .. } => "left",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["started", "completed", "left"]);

    // Corrections: another reason, then undone; completion cleared.
    record_leaving(db, now, &anna, f.cigdem, "28-2-2027", "workload", "").await.unwrap();
    undo_leaving(db, now, &anna, f.cigdem).await.unwrap();
    record_completion(db, now, &anna, f.cigdem, "").await.unwrap();
    assert_eq!(detail(db, now, &anna, f.cigdem).await.unwrap().status, StarterStatus::Active);
    let filter = StarterFilter { status: Some(StarterStatus::Active), ..Default::default() };
    assert_eq!(list(db, now, &anna, &filter).await.unwrap().rows.len(), 3);
    let events = audit::list(db, &AuditFilter::institution(f.a)).await.unwrap();
    let count = |action: &str| events.iter().filter(|e| e.action == action).count();
    assert_eq!(count("employment_ended"), 1);
    assert_eq!(count("employment_ending_corrected"), 2);
    assert_eq!(count("trajectory_completed"), 1);
    assert_eq!(count("trajectory_completion_corrected"), 1);
});

crate::db_test!(async fn goals_belong_to_the_starter_and_the_ledger_to_the_coordinator(db) {
    let f = enrolled(db).await;
    let now = at(2026, 10, 1);
    let anna = ctx_of(db, f.anna).await;
    let daan = ctx_of(db, f.daan).await;
    let cigdem = ctx_of(db, f.cigdem).await;

    let goal = add_goal(db, now, &cigdem, f.cigdem, "Orde houden in grote groepen", "pedagogical").await.unwrap();
    assert!(matches!(add_goal(db, now, &cigdem, f.cigdem, " ", "").await, Err(ServiceError::Invalid(_))));
    assert!(matches!(
        add_goal(db, now, &cigdem, f.cigdem, "Iets", "zwemmen").await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(add_goal(db, now, &daan, f.cigdem, "Van de teamleider", "").await, Err(ServiceError::Forbidden)));
    set_goal_progress(db, now, &cigdem, f.cigdem, goal, 50).await.unwrap();
    assert!(matches!(set_goal_progress(db, now, &cigdem, f.cigdem, goal, 40).await, Err(ServiceError::Invalid(_))));
    let lotte_goal = {
        let lotte = list(db, now, &anna, &StarterFilter::default()).await.unwrap().rows[1].person;
        add_goal(db, now, &anna, lotte, "Toetsen ontwerpen", "subject_didactics").await.unwrap()
    };
    assert!(
        matches!(set_goal_progress(db, now, &cigdem, f.cigdem, lotte_goal, 100).await, Err(ServiceError::NotFound)),
        "another starter's goal"
    );
    let seen = detail(db, now, &daan, f.cigdem).await.unwrap();
    assert_eq!(seen.goals.len(), 1);
    assert_eq!((seen.goals[0].progress, seen.goals[0].domain), (50, Some(CompetenceDomain::Pedagogical)));
    assert!(!seen.can_edit_goals);
    assert!(mine(db, now, &cigdem).await.unwrap().unwrap().can_edit_goals);

    // The ledger: the coordinator records what was granted.
    let form = FacilitationForm {
        school_year: 2026,
        starter_promised: "80".into(),
        starter_granted: "60".into(),
        mentor_promised: "40".into(),
        mentor_granted: "".into(),
    };
    assert!(matches!(record_facilitation(db, now, &daan, f.cigdem, &form).await, Err(ServiceError::Forbidden)));
    let wrong_year = FacilitationForm { school_year: 2030, ..form.clone() };
    assert!(matches!(record_facilitation(db, now, &anna, f.cigdem, &wrong_year).await, Err(ServiceError::Invalid(_))));
    let too_many = FacilitationForm { starter_granted: "5000".into(), ..form.clone() };
    assert!(matches!(record_facilitation(db, now, &anna, f.cigdem, &too_many).await, Err(ServiceError::Invalid(_))));
    record_facilitation(db, now, &anna, f.cigdem, &form).await.unwrap();
    record_facilitation(db, now, &anna, f.cigdem, &FacilitationForm { mentor_granted: "35".into(), ..form }).await.unwrap();
    let ledger = detail(db, now, &anna, f.cigdem).await.unwrap().facilitation;
    assert_eq!(ledger[0].starter_granted, Some(60));
    assert_eq!((ledger[0].mentor_promised, ledger[0].mentor_granted), (Some(40), Some(35)));
    assert_eq!((ledger[1].school_year, ledger[1].starter_promised, ledger[1].starter_granted), (2027, 80, None));
    let events = audit::list(db, &AuditFilter::institution(f.a)).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.action == "facilitation_recorded").count(), 2);
    assert_eq!(events.iter().filter(|e| e.action == "goal_updated").count(), 3);
});

crate::db_test!(async fn coordinators_enrol_by_hand_change_terms_and_keep_partnerships(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let anna = ctx_of(db, f.anna).await;
    let daan = ctx_of(db, f.daan).await;
    assert_eq!(unenrolled(db, now, &anna).await.unwrap().iter().map(|p| p.id).collect::<Vec<_>>(), vec![f.cigdem]);
    let partnership = add_partnership(db, now, &anna, "Opleidingsschool Delta").await.unwrap();
    assert!(matches!(add_partnership(db, now, &anna, "Opleidingsschool Delta").await, Err(ServiceError::Invalid(_))));
    assert!(matches!(add_partnership(db, now, &daan, "Eigen").await, Err(ServiceError::Forbidden)));
    assert_eq!(partnerships(db, now, &anna).await.unwrap(), vec![(partnership, "Opleidingsschool Delta".to_owned())]);

    let terms = fixed_term_from_august(f.team_a, partnership);
    let bad = EnrolForm { employee_number: " ".into(), route: "swimming".into(), terms: TermsForm { fte: "3".into(), until: String::new(), team: Some(f.team_b.0), ..terms.clone() } };
    let err = enrol(db, now, &anna, f.cigdem, &bad).await.unwrap_err();
    assert!(matches!(err, ServiceError::Invalid(ref list) if list.len() == 5), "{err:?}");
    let form = EnrolForm { employee_number: "4711".into(), route: "side_entrant_pdg".into(), terms: terms.clone() };
    assert!(matches!(enrol(db, now, &daan, f.cigdem, &form).await, Err(ServiceError::Forbidden)));
    enrol(db, now, &anna, f.cigdem, &form).await.unwrap();
    assert!(matches!(enrol(db, now, &anna, f.cigdem, &form).await, Err(ServiceError::NotFound)), "enrolled once");
    let seen = detail(db, now, &anna, f.cigdem).await.unwrap();
    assert_eq!(seen.employee_number, "4711");
    assert_eq!(seen.terms[0].partnership.as_deref(), Some("Opleidingsschool Delta"));
    assert!(seen.trajectory.unwrap().milestones.iter().any(|m| m.title == "PDG behaald"));

    // A change from February: a new row; the same day again corrects it.
    let change = TermsForm { valid_from: "1-2-2027".into(), fte: "1".into(), contract: "permanent".into(), until: String::new(), ..terms.clone() };
    change_terms(db, now, &anna, f.cigdem, &change).await.unwrap();
    change_terms(db, now, &anna, f.cigdem, &TermsForm { fte: "0,9".into(), ..change.clone() }).await.unwrap();
    let early = TermsForm { valid_from: "1-1-2026".into(), ..change };
    assert!(matches!(change_terms(db, now, &anna, f.cigdem, &early).await, Err(ServiceError::Invalid(_))));
    let seen = detail(db, now, &anna, f.cigdem).await.unwrap();
    assert_eq!(seen.terms.len(), 2);
    assert_eq!(seen.terms[1].fte, crate::domain::trajectory::Fte(90));
    assert_eq!(seen.terms[0].fte, crate::domain::trajectory::Fte(80), "the first row is untouched");
});

/// Who waits for a mentor, as the pairing page's one statement finds them,
/// agrees with the same derived from every employment and open pairing:
/// each person's latest employment, still in its induction on `today`,
/// without an open work-place-mentor pairing. Returns how many wait.
async fn assert_waiting_agrees(db: &Db, institution: crate::domain::InstitutionId, today: chrono::NaiveDate) -> usize {
    use crate::store::trajectories::{ListedEmployment, listed_employments, waiting_for_mentor};
    let paired: std::collections::HashSet<_> = crate::store::mentoring::open_pairings(db, institution)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.kind.is_primary())
        .map(|p| p.starter)
        .collect();
    let mut latest: std::collections::HashMap<_, ListedEmployment> = std::collections::HashMap::new();
    for e in listed_employments(db, institution, today).await.unwrap() {
        if latest.get(&e.person).is_none_or(|l| (e.start, e.id) > (l.start, l.id)) {
            latest.insert(e.person, e);
        }
    }
    let mut derived: Vec<_> = latest
        .into_values()
        .filter(|e| !e.ended && e.completed_on.is_none_or(|done| done > today))
        .filter(|e| !paired.contains(&e.person))
        .map(|e| (e.person, e.name, e.start, e.team))
        .collect();
    let mut found: Vec<_> = waiting_for_mentor(db, institution, today)
        .await
        .unwrap()
        .into_iter()
        .map(|w| (w.person, w.name, w.start, w.team))
        .collect();
    derived.sort();
    found.sort();
    assert_eq!(found, derived, "waiting on {today}");
    found.len()
}

// The starters list's one statement (terms in force, status, milestone
// counts) agrees with the same facts derived in Rust from every row, on
// days before a start, before and after terms change, after leaving (with
// terms recorded past the last day) and with milestones done, skipped,
// open and overdue.
crate::db_test!(async fn the_listed_employments_agree_with_the_facts_derived_from_every_row(db) {
    use crate::domain::TeamId;
    use crate::domain::trajectory::{ProgressCount, milestone_state};
    let f = enrolled(db).await;
    let anna = ctx_of(db, f.anna).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let named: std::collections::HashMap<String, crate::domain::PersonId> = people::names_in_institution(db, f.a)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, name)| (name, id))
        .collect();
    let lotte = named["Lotte de Graaf"];
    let software = crate::store::teams::list(db, f.a)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name.to_string() == "Software Development")
        .unwrap()
        .id;
    let terms = |from: &str, team: TeamId| TermsForm {
        valid_from: from.into(),
        fte: "1".into(),
        contract: "permanent".into(),
        until: String::new(),
        team: Some(team.0),
        partnership: None,
    };
    let now = at(2026, 9, 1);
    change_terms(db, now, &anna, lotte, &terms("1-3-2027", f.team_a)).await.unwrap();
    change_terms(db, now, &anna, f.cigdem, &terms("1-2-2027", software)).await.unwrap();
    change_terms(db, now, &anna, f.cigdem, &terms("1-4-2027", f.team_a)).await.unwrap();
    let view = mine(db, at(2026, 8, 20), &cigdem).await.unwrap().unwrap().trajectory.unwrap();
    let mut milestones = view.milestones.iter();
    let first = milestones.next().unwrap().id;
    update_milestone(db, at(2026, 8, 20), &anna, first, MilestoneChange::Done { on: "18-8-2026".into(), note: String::new() })
        .await
        .unwrap();
    let own = view.milestones.iter().find(|m| m.owner == Role::Starter).unwrap().id;
    update_milestone(db, at(2026, 8, 20), &cigdem, own, MilestoneChange::Skip { reason: "Al gedaan".into() })
        .await
        .unwrap();
    record_completion(db, at(2027, 3, 1), &anna, lotte, "15-2-2027").await.unwrap();
    record_leaving(db, at(2027, 3, 1), &anna, f.cigdem, "28-2-2027", "workload", "").await.unwrap();
    // Çiğdem's leaving is recorded: she no longer waits for a mentor, even
    // before her last day. Then Lotte gets a work-place mentor; Mo only a
    // subject coach, so he still waits.
    assert_eq!(assert_waiting_agrees(db, f.a, d(2026, 12, 1)).await, 2);
    let mo = named["Mo Amrani"];
    crate::service::mentoring::pair(db, now, &anna, lotte, f.bram, "workplace_mentor", "", "").await.unwrap();
    crate::service::mentoring::pair(db, now, &anna, mo, f.bram, "subject_coach", "", "").await.unwrap();

    let mut waiting_counts = Vec::new();
    for today in [d(2025, 7, 1), d(2026, 8, 10), d(2026, 8, 20), d(2026, 12, 1), d(2027, 2, 15), d(2027, 6, 1)] {
        waiting_counts.push(assert_waiting_agrees(db, f.a, today).await);
        let facts = super::read::facts(db, f.a, crate::store::trajectories::Whose::Institution).await.unwrap();
        let mut derived: Vec<_> = facts
            .employments
            .iter()
            .map(|e| {
                let terms = facts.current_terms(e, today);
                let mut progress = ProgressCount::default();
                if let Some(trajectory) = facts.trajectories.get(&e.id.0) {
                    for m in facts.milestones.get(&trajectory.id.0).into_iter().flatten() {
                        progress.add(milestone_state(&m.progress, m.copy.due, today));
                    }
                }
                (e.id, e.person, terms.and_then(|t| t.team), terms.and_then(|t| t.partnership), facts.status(e), progress)
            })
            .collect();
        use crate::store::trajectories::{Counted, listed_employments, progress_counts};
        let all = progress_counts(db, f.a, today, Counted::All).await.unwrap();
        let mut listed: Vec<_> = listed_employments(db, f.a, today)
            .await
            .unwrap()
            .into_iter()
            .map(|e| {
                let status = StarterStatus::of(e.ended, e.completed_on.is_some());
                (e.id, e.person, e.team, e.partnership, status, all.get(&e.id).copied().unwrap_or_default())
            })
            .collect();
        derived.sort_by_key(|row| row.0);
        listed.sort_by_key(|row| row.0);
        assert_eq!(listed, derived, "on {today}");
        assert_eq!(listed.len(), 3);
        // Counting some employments gives the same counts as counting all.
        let some: Vec<_> = listed.iter().skip(1).map(|row| row.0).collect();
        let counted = progress_counts(db, f.a, today, Counted::Only(&some)).await.unwrap();
        assert_eq!(counted.len(), some.iter().filter(|id| all.contains_key(id)).count());
        for id in &some {
            assert_eq!(counted.get(id), all.get(id), "on {today}");
        }
    }
    assert_eq!(waiting_counts, [1; 6], "Mo only");
    let on = |today| async move {
        crate::store::trajectories::listed_employments(db, f.a, today)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.person == f.cigdem)
            .unwrap()
    };
    assert_eq!(on(d(2027, 6, 1)).await.team, Some(software), "the terms of her last day, not the later row");
    let progress = |today| async move {
        let cigdem = on(today).await.id;
        let counted = crate::store::trajectories::progress_counts(
            db,
            f.a,
            today,
            crate::store::trajectories::Counted::Only(&[cigdem]),
        )
        .await
        .unwrap();
        counted[&cigdem]
    };
    let early = progress(d(2026, 8, 20)).await;
    assert_eq!((early.done, early.skipped), (1, 1));
    assert!(progress(d(2027, 6, 1)).await.overdue > 0);
});

crate::db_test!(async fn the_starters_home_names_what_is_next_in_the_trajectory(db) {
    let f = enrolled(db).await;
    let anna = ctx_of(db, f.anna).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let cigdem = &cigdem;
    let next = |now| async move {
        let home = crate::service::home::home(db, now, cigdem).await.unwrap().starter.unwrap();
        let page = mine(db, now, cigdem).await.unwrap().unwrap().trajectory.unwrap();
        let expected = page.next_due().map(|m| (m.title.clone(), m.due));
        assert_eq!(home.next_milestone, expected, "the home and the trajectory page agree");
        home.next_milestone
    };
    let first = next(at(2026, 8, 20)).await.unwrap();
    assert_eq!(first.0, "Intakegesprek", "the overdue intake comes first");
    let view = mine(db, at(2026, 8, 20), cigdem).await.unwrap().unwrap().trajectory.unwrap();
    let intake = view.milestones.iter().find(|m| m.title == "Intakegesprek").unwrap().id;
    let done = MilestoneChange::Done { on: "18-8-2026".into(), note: String::new() };
    update_milestone(db, at(2026, 8, 20), &anna, intake, done).await.unwrap();
    let second = next(at(2026, 8, 20)).await.unwrap();
    assert_ne!(second.0, "Intakegesprek");
    assert!(second.1 >= first.1);
});

// The page the database cuts (sorted by name or start date) is the page
// built in Rust from every row, for a coordinator and a team leader, under
// every filter and on every page: with names that fold alike ("Jan
// Bakker", "jan bakker", "Jän Bakker"), one name the start of another,
// accents, several school years, and employments ended and completed.
crate::db_test!(async fn the_page_the_database_cuts_is_the_page_built_from_every_row(db) {
    let f = enrolled(db).await;
    let anna = ctx_of(db, f.anna).await;
    let firsts = ["Jan", "jan", "Jän", "Ömer", "Émile", "Sanne"];
    let lasts = ["Bakker", "de Vries", "Öztürk", "El Idrissi", "Çelik", "bakker", "Visser"];
    let teams = ["Verpleegkunde", "Software Development"];
    let starts = ["1-8-2024", "1-8-2025", "31-7-2026", "1-9-2026", "15-1-2026"];
    let routes = ["regulier", "hybride", "zij-instromer pdg"];
    let mut file = String::from(
        "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap\n",
    );
    file.push_str("2000;Jan;jan@lindenhaghe.nl;starter;Verpleegkunde;1-9-2026;1;vast;;regulier;\n");
    for i in 0..56 {
        let name = format!("{} {}", firsts[i % firsts.len()], lasts[i % lasts.len()]);
        let partnership = if i % 3 == 0 { "Opleidingsschool Delta" } else { "" };
        file.push_str(&format!(
            "{};{name};s{i}@lindenhaghe.nl;starter;{};{};1;vast;;{};{partnership}\n",
            2001 + i,
            teams[i % 2],
            starts[i % starts.len()],
            routes[i % routes.len()],
        ));
    }
    let report = import::import_file(db, at(2026, 9, 1), &anna, file.as_bytes(), true).await.unwrap();
    assert!(report.applied, "{report:?}");
    let mut people = Vec::new();
    for page in 0..3 {
        let shown = list(db, at(2026, 9, 2), &anna, &StarterFilter { page, ..Default::default() }).await.unwrap();
        assert_eq!((shown.total, shown.pages), (60, 3));
        people.extend(shown.rows.iter().map(|r| r.person));
    }
    for person in people.iter().step_by(2) {
        record_leaving(db, at(2026, 12, 1), &anna, *person, "30-11-2026", "workload", "").await.unwrap();
    }
    for person in people.iter().skip(1).step_by(4) {
        record_completion(db, at(2026, 12, 1), &anna, *person, "1-11-2026").await.unwrap();
    }

    let now = at(2026, 12, 2);
    let today = d(2026, 12, 2);
    let team_names: std::collections::HashMap<_, _> = crate::store::teams::list(db, f.a)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.id, t.name.to_string()))
        .collect();
    let mut filters = Vec::new();
    for team in [None, Some(f.team_a)] {
        for status in [None, Some(StarterStatus::Active), Some(StarterStatus::Completed), Some(StarterStatus::Left)] {
            for (route, start_year) in [(None, None), (Some(EntryRoute::Hybrid), None), (None, Some(2025)), (None, Some(1))] {
                for in_partnership in [None, Some(true), Some(false)] {
                    filters.push(StarterFilter { team, status, route, start_year, in_partnership, ..Default::default() });
                }
            }
        }
    }
    let mut seen_rows = 0;
    for who in [f.anna, f.daan] {
        let ctx = ctx_of(db, who).await;
        let scope = super::read::Scope::of(&ctx).unwrap();
        for filter in &filters {
            for sort in [StarterSort::Name, StarterSort::StartDate] {
                for page in [0, 1, 2, 7] {
                    let filter = StarterFilter { sort, page, ..filter.clone() };
                    let cut = list(db, now, &ctx, &filter).await.unwrap();
                    let built = super::read::built(db, f.a, today, &scope, &filter, &team_names).await.unwrap();
                    assert_eq!(
                        (&cut.rows, cut.total, cut.page, cut.pages, &cut.teams, &cut.start_years),
                        (&built.rows, built.total, built.page, built.pages, &built.teams, &built.start_years),
                        "{filter:?} as {who:?}"
                    );
                    seen_rows += cut.rows.len();
                }
            }
        }
    }
    assert!(seen_rows > 1000, "the filters keep rows: {seen_rows}");
    // A school year from a hand-made address finds nobody, even the last.
    for year in [i32::MIN, -1, 262_143, i32::MAX] {
        let page = list(db, now, &anna, &StarterFilter { start_year: Some(year), ..Default::default() }).await.unwrap();
        assert_eq!((page.rows.len(), page.total, page.pages), (0, 0, 1), "{year}");
    }
    // By name: case and accents folded, a name before the longer names it
    // starts, equal names newest start first.
    let first = list(db, now, &anna, &StarterFilter::default()).await.unwrap();
    assert_eq!(first.rows[0].name, "Çiğdem Öztürk");
    assert!(first.rows[1].name.starts_with("Émile"), "{:?}", names(&first));
    let jans: Vec<&str> = names(&first).into_iter().filter(|n| n.to_lowercase().starts_with("jan") || n.starts_with("Jän")).collect();
    assert_eq!(jans.first(), Some(&"Jan"), "{jans:?}");
});

// Retention groups an employment by its latest terms (a change that starts
// later included) and adds up the facilitation recorded for it alone.
crate::db_test!(async fn retention_facts_take_the_latest_terms_and_the_employments_own_facilitation(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let anna = ctx_of(db, f.anna).await;
    let partnership = add_partnership(db, now, &anna, "Opleidingsschool Delta").await.unwrap();
    let software = crate::store::teams::list(db, f.a).await.unwrap().into_iter().find(|t| t.id != f.team_a).unwrap();
    let terms = fixed_term_from_august(f.team_a, partnership);
    let form = EnrolForm { employee_number: "4711".into(), route: "side_entrant_pdg".into(), terms: terms.clone() };
    enrol(db, now, &anna, f.cigdem, &form).await.unwrap();
    let employment = detail(db, now, &anna, f.cigdem).await.unwrap().employment;
    let facts_of = async |institution| {
        crate::store::retention::employment_facts(db, institution, d(2026, 8, 1))
            .await
            .unwrap()
            .into_iter()
            .filter(|facts| facts.employment == employment.0)
            .collect::<Vec<_>>()
    };
    let first = facts_of(Some(f.a)).await;
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].team.as_ref().map(|(id, _)| *id), Some(f.team_a));
    assert!(first[0].in_partnership);
    assert_eq!((first[0].facilitation_years, first[0].hours_promised, first[0].hours_granted), (0, 0, 0));

    let later = TermsForm {
        valid_from: "1-2-2027".into(),
        contract: "permanent".into(),
        until: String::new(),
        team: Some(software.id.0),
        partnership: None,
        ..terms
    };
    change_terms(db, now, &anna, f.cigdem, &later).await.unwrap();
    for (school_year, granted) in [(2026, "60"), (2027, "")] {
        let form = FacilitationForm {
            school_year,
            starter_promised: "80".into(),
            starter_granted: granted.into(),
            mentor_promised: String::new(),
            mentor_granted: String::new(),
        };
        record_facilitation(db, now, &anna, f.cigdem, &form).await.unwrap();
    }
    let own = facts_of(Some(f.a)).await;
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].team, Some((software.id, software.name.as_str().to_owned())));
    assert_eq!(own[0].sector, software.sector.code());
    assert!(!own[0].in_partnership);
    // Only the year with granted hours counts.
    assert_eq!((own[0].facilitation_years, own[0].hours_promised, own[0].hours_granted), (1, 80, 60));
    assert_eq!(facts_of(None).await, own, "the whole deployment reads the same row");
    assert!(facts_of(Some(f.b)).await.is_empty());
});

/// Terms of a 0.8 fte fixed-term contract from 1 August 2026 to 31 July
/// 2027 in `team` and `partnership`, as a coordinator enters them.
fn fixed_term_from_august(team: crate::domain::TeamId, partnership: i64) -> TermsForm {
    TermsForm {
        valid_from: "1-8-2026".into(),
        fte: "0,8".into(),
        contract: "fixed_term".into(),
        until: "31-7-2027".into(),
        team: Some(team.0),
        partnership: Some(partnership),
    }
}
