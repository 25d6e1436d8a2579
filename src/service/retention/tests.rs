//! Who sees which retention figures, on both backends: a coordinator their
//! institution by name beside all others together; a team leader their
//! teams only; an analyst every institution together, none by name; and
//! small groups suppressed with their complement, in figures and CSV.

use super::*;
use crate::domain::retention::{Cell, RetentionScope};
use crate::domain::trajectory::LeaveReason;
use crate::domain::{RoleAssignment, TeamId};
use crate::service::import;
use crate::store::{accounts, memberships, people, trajectories};
use crate::testing::{at, ctx_of, people_fixture, person};

/// A: 8 starters in Verpleegkunde (5 regular, 3 hybrid), 6 in Software
/// Development (regular); B: 6 in Elektrotechniek. Starts 2023–2025,
/// a few left.
async fn world(db: &Db) -> (crate::testing::PeopleFixture, crate::service::Ctx) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let erik = ctx_of(db, f.erik).await;
    let header =
        "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap\n";
    let mut a = header.to_owned();
    for i in 0..14 {
        let (team, route) = match i {
            0..5 => ("Verpleegkunde", "regulier"),
            5..8 => ("Verpleegkunde", "hybride"),
            _ => ("Software Development", "regulier"),
        };
        let year = 2023 + i % 3;
        a.push_str(&format!(
            "A{i:03};Starter A{i};;starter;{team};1-8-{year};1;vast;;{route};\n"
        ));
    }
    assert!(
        import::import_file(db, at(2026, 8, 1), &anna, a.as_bytes(), true)
            .await
            .unwrap()
            .applied
    );
    let mut b = header.to_owned();
    for i in 0..6 {
        b.push_str(&format!(
            "B{i:03};Starter B{i};;starter;Elektrotechniek;1-8-2024;1;vast;;regulier;\n"
        ));
    }
    assert!(
        import::import_file(db, at(2026, 8, 1), &erik, b.as_bytes(), true)
            .await
            .unwrap()
            .applied
    );
    // Three leave A: two to another mbo institution, one out of education.
    let mut tx = db.begin_write().await.unwrap();
    for (n, employment) in trajectories::employments(db, f.a)
        .await
        .unwrap()
        .iter()
        .take(3)
        .enumerate()
    {
        let reason = if n < 2 {
            LeaveReason::OtherMboInstitution
        } else {
            LeaveReason::LeftEducation
        };
        let ending = trajectories::Ending {
            on: employment.start.checked_add_days(chrono::Days::new(200)).unwrap(),
            reason,
            destination: None,
        };
        trajectories::set_ending(&mut tx, f.a, employment.id, Some(&ending))
            .await
            .unwrap();
    }
    // An analyst of the deployment.
    let when = at(2026, 8, 1);
    let ada = people::create(&mut tx, &person("Ada Analist", Some("ada@houvast.example"), None), when)
        .await
        .unwrap();
    accounts::create(&mut tx, ada, when).await.unwrap();
    let analyst = RoleAssignment {
        role: Role::Analyst,
        team: None,
    };
    memberships::set_roles(&mut tx, ada, None, &[analyst], when)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let ada = ctx_of(db, ada).await;
    (f, ada)
}

fn people_of(cell: &Cell<u32>) -> Option<u32> {
    match cell {
        Cell::Shown(n) => Some(*n),
        Cell::Suppressed => None,
    }
}

crate::db_test!(async fn each_role_sees_only_the_figures_it_may(db) {
    let (f, ada) = world(db).await;
    let now = at(2026, 11, 29);
    let anna = ctx_of(db, f.anna).await;
    let inst = RetentionMeasure::Institution;

    // Coordinator: own institution by name, and all others together.
    let page = page(db, now, &anna, &Benchmarks::default(), inst, Breakdown::Team).await.unwrap();
    assert_eq!(page.scope, RetentionScope::Institution("Deltacollege".into()));
    assert_eq!(people_of(&page.report.total.people), Some(14));
    assert_eq!(people_of(&page.report.total.events), Some(3));
    let teams: Vec<(&str, Option<u32>)> =
        page.report.groups.iter().map(|g| (g.group.as_str(), people_of(&g.people))).collect();
    assert_eq!(teams, [("Software Development", Some(6)), ("Verpleegkunde", Some(8))]);
    let others = page.others.as_ref().unwrap();
    assert_eq!((people_of(&others.total.people), others.groups.len()), (Some(6), 0));
    assert_eq!((page.coverage.starters, page.others_coverage.as_ref().map(|c| c.starters)), (Cell::Shown(14), Some(Cell::Shown(6))));
    let json = serde_json::to_string(&page).unwrap();
    assert!(!json.contains("Hanzeland") && !json.contains("Elektrotechniek"), "another institution by name");

    // "Still in education": moving to another mbo institution is not leaving.
    let education = super::page(db, now, &anna, &Benchmarks::default(), RetentionMeasure::Education, Breakdown::All).await.unwrap();
    assert_eq!(people_of(&education.report.total.events), Some(1));

    // Team leader: their team only.
    let daan = ctx_of(db, f.daan).await;
    let theirs = super::page(db, now, &daan, &Benchmarks::default(), inst, Breakdown::Team).await.unwrap();
    assert_eq!(theirs.scope, RetentionScope::Teams(vec!["Verpleegkunde".into()]));
    assert_eq!(people_of(&theirs.report.total.people), Some(8));
    assert!(theirs.others.is_none() && theirs.others_coverage.is_none());
    assert_eq!(theirs.coverage.starters, Cell::Shown(8));
    assert!(!serde_json::to_string(&theirs).unwrap().contains("Software Development"));

    // Analyst: every institution together, no names, no split by team.
    let all = super::page(db, now, &ada, &Benchmarks::default(), inst, Breakdown::Team).await.unwrap();
    assert_eq!(all.scope, RetentionScope::AllInstitutions { institutions: 2 });
    assert_eq!((people_of(&all.report.total.people), all.report.by), (Some(20), Breakdown::All));
    let json = serde_json::to_string(&all).unwrap();
    assert!(!json.contains("Deltacollege") && !json.contains("Hanzeland") && !json.contains("Verpleegkunde"));
    assert!(page_records(db, now, &ada).await.unwrap().iter().all(|r| r.team.is_empty()));

    // Starters and mentors see none of it.
    for person in [f.cigdem, f.bram] {
        let ctx = ctx_of(db, person).await;
        assert!(matches!(super::page(db, now, &ctx, &Benchmarks::default(), inst, Breakdown::All).await, Err(ServiceError::Forbidden)));
        assert!(matches!(page_records(db, now, &ctx).await, Err(ServiceError::Forbidden)));
    }
    let _: TeamId = f.team_a;
});

crate::db_test!(async fn small_groups_and_their_complement_are_hidden_in_figures_and_csv(db) {
    let (f, ada) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let now = at(2026, 11, 29);
    // By route: 11 regular, 3 hybrid. Hybrid is hidden; regular would give it
    // away (14 − 11), so it is hidden too.
    let page = page(db, now, &anna, &Benchmarks::default(), RetentionMeasure::Institution, Breakdown::Route).await.unwrap();
    let routes: Vec<(&str, Option<u32>)> =
        page.report.groups.iter().map(|g| (g.group.as_str(), people_of(&g.people))).collect();
    assert_eq!(routes, [("hybrid", None), ("regular", None)]);
    assert!(page.report.groups.iter().all(|g| g.curve.is_empty()
        && g.readouts.iter().all(|(_, c)| *c == Cell::Suppressed)));
    let csv = report_csv(&page.report, CsvStyle { semicolon: true, bom: true });
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].contains("group;people;events;survival_6m"));
    assert!(lines[1].starts_with("all;14;3;"), "{}", lines[1]);
    for line in &lines[2..] {
        assert!(line.contains(";< 5;< 5;"), "{line}");
        assert_eq!(line.split(';').nth(1), Some("< 5"), "{line}");
    }
    // Per-person research records are for analysts only (SECURITY AC3): a
    // coordinator or team leader with small teams could re-identify people.
    assert!(matches!(page_records(db, now, &anna).await, Err(ServiceError::Forbidden)));
    let daan = ctx_of(db, f.daan).await;
    assert!(matches!(page_records(db, now, &daan).await, Err(ServiceError::Forbidden)));
    let records = page_records(db, now, &ada).await.unwrap();
    assert_eq!(records.len(), 20, "every institution together");
    assert!(records.iter().all(|r| r.team.is_empty()), "no teams for the analyst");
    let csv = records_csv(&records, CsvStyle { semicolon: false, bom: false });
    assert!(csv.starts_with("team,sector,route,cohort,partnership,intensity,days_institution"));
    assert!(!csv.contains("Starter A"), "no names");
});

crate::db_test!(async fn all_others_together_are_reused_for_minutes_and_the_own_figures_never(db) {
    let (f, _) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let inst = RetentionMeasure::Institution;
    let kept = Benchmarks::default();
    let now = at(2026, 11, 29);
    let events = |page: &RetentionPage| {
        (people_of(&page.report.total.events), people_of(&page.others.as_ref().unwrap().total.events))
    };
    let first = page(db, now, &anna, &kept, inst, Breakdown::All).await.unwrap();
    assert_eq!(events(&first), (Some(3), Some(0)));

    // One starter leaves in each institution.
    let mut tx = db.begin_write().await.unwrap();
    for institution in [f.a, f.b] {
        let employment = trajectories::employments(db, institution).await.unwrap().last().unwrap().id;
        let ending = trajectories::Ending {
            on: at(2026, 11, 1).date_naive(),
            reason: LeaveReason::LeftEducation,
            destination: None,
        };
        trajectories::set_ending(&mut tx, institution, employment, Some(&ending)).await.unwrap();
    }
    tx.commit().await.unwrap();

    // Minutes later the own figures show it, all others together not yet.
    let soon = now + chrono::TimeDelta::minutes(5);
    let reused = page(db, soon, &anna, &kept, inst, Breakdown::All).await.unwrap();
    assert_eq!(events(&reused), (Some(4), Some(0)));
    let fresh = page(db, soon, &anna, &Benchmarks::default(), inst, Breakdown::All).await.unwrap();
    assert_eq!(events(&fresh), (Some(4), Some(1)));
    // Once the benchmark is older than its maximum age it is computed again.
    let later = now + BENCHMARK_MAX_AGE + chrono::TimeDelta::seconds(1);
    let again = page(db, later, &anna, &kept, inst, Breakdown::All).await.unwrap();
    assert_eq!(again, page(db, later, &anna, &Benchmarks::default(), inst, Breakdown::All).await.unwrap());
    assert_eq!(events(&again), (Some(4), Some(1)));
});
