use super::*;
use crate::domain::Sector;
use crate::domain::trajectory::snapshot;
use crate::domain::trajectory::{Contract, EmploymentTerms, EntryRoute, Fte, LeaveReason, MilestoneProgress};
use crate::store::StoreError;
use crate::testing::{at, people_fixture};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

crate::db_test!(async fn an_employment_keeps_dated_terms_and_its_own_milestones(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let mut tx = db.begin_write().await.unwrap();
    let employment = create_employment(
        &mut tx,
        f.a,
        &EmploymentForCreate {
            person: f.cigdem,
            employee_number: "100234".into(),
            route: EntryRoute::SideEntrantPdg,
            start: d(2026, 8, 24),
        },
        now,
    )
    .await
    .unwrap();
    let first = EmploymentTerms {
        valid_from: d(2026, 8, 24),
        fte: Fte(80),
        contract: Contract::FixedTerm { until: d(2027, 7, 31) },
        team: Some(f.team_a),
        sector: Sector::CareWelfare,
        partnership: None,
    };
    add_terms(&mut tx, employment, &first, now).await.unwrap();
    let later = EmploymentTerms {
        valid_from: d(2027, 2, 1),
        fte: Fte::FULL,
        contract: Contract::Permanent,
        ..first.clone()
    };
    add_terms(&mut tx, employment, &later, now).await.unwrap();
    let template = ensure_template(&mut tx, f.a, EntryRoute::SideEntrantPdg, now).await.unwrap();
    assert_eq!(ensure_template(&mut tx, f.a, EntryRoute::SideEntrantPdg, now).await.unwrap(), template);
    let defaults = template_milestones(&mut tx, template.0).await.unwrap();
    let copies = snapshot(&defaults, d(2026, 8, 24));
    let trajectory = create_trajectory(&mut tx, employment, template, d(2026, 8, 24), &copies, now).await.unwrap();
    tx.commit().await.unwrap();

    let stored = terms_whose(db, f.a, Whose::Institution).await.unwrap();
    assert_eq!(stored, vec![(employment, first.clone()), (employment, later.clone())]);
    let mut tx = db.begin_write().await.unwrap();
    assert_eq!(terms(&mut tx, employment).await.unwrap(), vec![first, later]);
    tx.commit().await.unwrap();
    let stored = milestones(db, f.a, Some(trajectory)).await.unwrap();
    assert_eq!(stored.len(), copies.len());
    assert!(stored.iter().all(|m| m.progress == MilestoneProgress::Open));
    assert!(stored.iter().any(|m| m.copy.title == "PDG behaald" && m.copy.due == d(2028, 8, 24)));

    // Done, by whom, with a note; another institution cannot touch it.
    let first_id = stored[0].id;
    let mut tx = db.begin_write().await.unwrap();
    let done = MilestoneProgress::Done {
        on: d(2026, 9, 3),
        by: None,
        note: Some("Goed gesprek".into()),
    };
    assert!(matches!(
        set_progress(&mut tx, f.b, first_id, &done, Some(f.anna)).await,
        Err(StoreError::NotFound)
    ));
    set_progress(&mut tx, f.a, first_id, &done, Some(f.anna)).await.unwrap();
    tx.commit().await.unwrap();
    let got = milestone(db, f.a, first_id).await.unwrap();
    assert_eq!(
        got.progress,
        MilestoneProgress::Done {
            on: d(2026, 9, 3),
            by: Some("Anna Coördinator".into()),
            note: Some("Goed gesprek".into())
        }
    );
    assert!(matches!(milestone(db, f.b, first_id).await, Err(StoreError::NotFound)));
    assert!(trajectory_of(db, f.b, employment).await.unwrap().is_none());
    assert_eq!(trajectory_of(db, f.a, employment).await.unwrap().unwrap().id, trajectory);
});

crate::db_test!(async fn employee_numbers_are_unique_per_institution_and_endings_are_checked(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let new = EmploymentForCreate {
        person: f.cigdem,
        employee_number: "7".into(),
        route: EntryRoute::Regular,
        start: d(2026, 8, 1),
    };
    let mut tx = db.begin_write().await.unwrap();
    let id = create_employment(&mut tx, f.a, &new, now).await.unwrap();
    let err = create_employment(&mut tx, f.a, &new, now).await.unwrap_err();
    assert!(err.is_conflict_on("employments_institution_id_employee_number_key"), "{err:?}");
    drop(tx);

    let mut tx = db.begin_write().await.unwrap();
    assert!(matches!(employment(db, f.a, id).await, Err(StoreError::NotFound)), "rolled back");
    let id = create_employment(&mut tx, f.a, &new, now).await.unwrap();
    let ending = Ending {
        on: d(2027, 3, 1),
        reason: LeaveReason::OtherMboInstitution,
        destination: Some("ROC elders".into()),
    };
    assert!(matches!(set_ending(&mut tx, f.b, id, Some(&ending)).await, Err(StoreError::NotFound)));
    set_ending(&mut tx, f.a, id, Some(&ending)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(employment(db, f.a, id).await.unwrap().ending, Some(ending));
    assert_eq!(employments_of(db, f.a, f.cigdem).await.unwrap().len(), 1);
    assert!(employments(db, f.b).await.unwrap().is_empty());
});
