//! Retention periods and erasure on both backends, with an injected clock:
//! nothing goes before the period ends; then every marker string is gone,
//! the person is a pseudonym, every retention figure is what it was, a
//! second run changes nothing, and an HR file with the same employee
//! number does not bring the person back. Erasure on request needs the
//! person's name typed, and its audit row holds none of what was erased.

use super::*;
use crate::domain::checkin::CheckInForm;
use crate::domain::import::{ImportProblem, RowAction};
use crate::domain::retention::{Breakdown, RetentionMeasure};
use crate::service::checkins::tests::world;
use crate::service::{checkins, import, retention, starters};
use crate::store::mentoring as store_mentoring;
use crate::testing::{at, ctx_of};

use crate::service::personal_data::tests::{ACTION, CHECK_IN_TEXT, NOTE, REFLECTION, SUMMARY, content_world};
const DESTINATION: &str = "DESTINATIONMARKER";

async fn figures(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> String {
    let mut all = String::new();
    for measure in RetentionMeasure::ALL {
        for by in Breakdown::ALL {
            let page = retention::page(db, now, ctx, &retention::Benchmarks::default(), *measure, *by)
                .await
                .unwrap();
            all.push_str(&serde_json::to_string(&page).unwrap());
        }
    }
    all
}

crate::db_test!(async fn after_the_retention_period_free_text_goes_and_every_figure_stays(db) {
    let (f, _fleur) = content_world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let milestones = starters::detail(db, at(2026, 9, 3), &anna, f.cigdem).await.unwrap().trajectory.unwrap().milestones;
    let skip = starters::MilestoneChange::Skip { reason: "SKIPMARKER".into() };
    starters::update_milestone(db, at(2026, 9, 3), &anna, milestones[0].id, skip).await.unwrap();
    let done = starters::MilestoneChange::Done { on: "2026-09-03".into(), note: "DONEMARKER".into() };
    starters::update_milestone(db, at(2026, 9, 3), &anna, milestones[1].id, done).await.unwrap();
    starters::record_leaving(db, at(2026, 10, 30), &anna, f.cigdem, "30-10-2026", "workload", DESTINATION)
        .await
        .unwrap();

    // Two years (the default) after she left: not a day earlier.
    let before = at(2028, 10, 29);
    let figures_before = figures(db, before, &anna).await;
    assert_eq!(daily(db, before).await.unwrap(), ErasureReport::default());
    assert_eq!(store::people::get(db, f.cigdem).await.unwrap().full_name.as_str(), "Çiğdem Öztürk");

    let due = at(2028, 10, 30);
    assert_eq!(daily(db, due).await.unwrap(), ErasureReport { erased: 1, pseudonymised: 1, ..Default::default() });
    let erased = store::people::get(db, f.cigdem).await.unwrap();
    assert_eq!(erased.full_name.as_str(), pseudonym(f.cigdem));
    assert_eq!(erased.email, None);
    // Every piece of free text is gone.
    let contents = store_mentoring::conversations_with_content(db, f.a, f.cigdem).await.unwrap();
    assert_eq!((contents[0].summary.as_str(), contents[0].reflection.as_deref()), ("", None));
    assert!(store_mentoring::notes_of_author(db, f.bram, f.cigdem).await.unwrap().is_empty());
    assert!(store::checkins::checkins_with_text(db, f.a, f.cigdem).await.unwrap().iter().all(|c| c.comment.is_none()));
    let copy = serde_json::to_string(&crate::service::personal_data::export(db, due, &anna, f.cigdem).await.unwrap())
        .unwrap();
    for marker in [
        CHECK_IN_TEXT,
        SUMMARY,
        NOTE,
        REFLECTION,
        DESTINATION,
        ACTION,
        "SKIPMARKER",
        "DONEMARKER",
        "Çiğdem",
        "cigdem@",
        "1001",
    ] {
        assert!(!copy.contains(marker), "{marker} survived the erasure");
    }
    // The people search no longer finds her by her old name or address:
    // the search and sort keys are the pseudonym's.
    for query in ["ozturk", "Çiğdem", "cigdem@"] {
        let filter = crate::domain::PeopleFilter { query: Some(query.into()), ..Default::default() };
        assert!(store::people::list(db, f.a, &filter, 50, 0).await.unwrap().is_empty(), "{query} still finds her");
    }
    let keys: (String, String) = async {
        Ok::<_, crate::store::StoreError>(crate::store::on_db!(db, pool => {
            sqlx::query_as("SELECT search_key, name_key FROM people WHERE id = $1").bind(f.cigdem).fetch_one(pool).await?
        }))
    }
    .await
    .unwrap();
    let pseudonymous = pseudonym(f.cigdem).to_lowercase();
    assert_eq!(keys, (format!("{pseudonymous} "), pseudonymous));
    // She can no longer log in, and the facts behind the figures stay.
    assert!(Ctx::load(db, f.cigdem).await.unwrap().is_none());
    assert_eq!(figures(db, before, &anna).await, figures_before);
    // A second run changes nothing; the audit row says why, not what.
    assert_eq!(daily(db, at(2028, 10, 31)).await.unwrap(), ErasureReport::default());
    let rows = crate::store::audit::about(db, f.a, f.cigdem, &[AuditAction::PersonErased]).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].details, json!({ "cause": "retention_period", "pseudonymised": true }));

    // The HR file still lists her number: the import asks instead of
    // bringing her back.
    let file = "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap\n\
        1001;Çiğdem Öztürk;cigdem@lindenhaghe.nl;starter;Verpleegkunde;17-8-2026;0,8;vast;;regulier;\n";
    let report = import::import_file(db, due, &anna, file.as_bytes(), false).await.unwrap();
    match &report.rows[0].action {
        RowAction::Error { errors } => assert_eq!(errors[0].problem, ImportProblem::ErasedBefore),
        other => panic!("the erased number was {other:?}"),
    }
});

crate::db_test!(async fn a_starter_who_became_a_mentor_keeps_name_and_account_but_not_the_induction_text(db) {
    let (f, _gijs, _fleur) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let day = at(2026, 9, 1);
    let check_in = CheckInForm {
        scores: ["4"; 5].map(str::to_owned),
        comment: CHECK_IN_TEXT.to_owned(),
        talk_to: String::new(),
    };
    checkins::submit(db, day, &cigdem, &check_in).await.unwrap();
    starters::record_completion(db, at(2027, 6, 30), &anna, f.cigdem, "30-6-2027").await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    crate::store::memberships::set_roles(
        &mut tx,
        f.cigdem,
        Some(f.a),
        &[
            crate::domain::RoleAssignment { role: Role::Starter, team: Some(f.team_a) },
            crate::domain::RoleAssignment { role: Role::Mentor, team: Some(f.team_a) },
        ],
        at(2027, 8, 1),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(daily(db, at(2029, 7, 1)).await.unwrap(), ErasureReport { erased: 1, pseudonymised: 0, ..Default::default() });
    assert_eq!(store::people::get(db, f.cigdem).await.unwrap().full_name.as_str(), "Çiğdem Öztürk");
    assert!(Ctx::load(db, f.cigdem).await.unwrap().is_some());
    assert!(store::checkins::checkins_with_text(db, f.a, f.cigdem).await.unwrap()[0].comment.is_none());
    assert_eq!(daily(db, at(2029, 7, 2)).await.unwrap(), ErasureReport::default());
});

crate::db_test!(async fn erasure_on_request_needs_the_name_typed_and_only_a_coordinator_of_the_institution(db) {
    let (f, _gijs, fleur) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let now = at(2026, 9, 1);
    let wrong = erase_on_request(db, now, &anna, fleur, "Fleur").await.unwrap_err();
    assert!(matches!(&wrong, ServiceError::Invalid(e) if e[0].problem == FieldProblem::ConfirmationDiffers));
    let bram = ctx_of(db, f.bram).await;
    assert!(matches!(erase_on_request(db, now, &bram, fleur, "Fleur Visser").await, Err(ServiceError::Forbidden)));
    let erik = ctx_of(db, f.erik).await;
    assert!(matches!(erase_on_request(db, now, &erik, fleur, "Fleur Visser").await, Err(ServiceError::NotFound)));
    assert!(matches!(erase_on_request(db, now, &anna, f.anna, "Anna Coördinator").await, Err(ServiceError::Forbidden)));
    erase_on_request(db, now, &anna, fleur, " Fleur Visser ").await.unwrap();
    assert_eq!(store::people::get(db, fleur).await.unwrap().full_name.as_str(), pseudonym(fleur));
    let rows = crate::store::audit::about(db, f.a, fleur, &[AuditAction::PersonErased]).await.unwrap();
    assert_eq!(rows[0].actor, Some(f.anna));
    assert!(!rows[0].details.to_string().contains("Fleur"));
    // The retention period: a coordinator sets it, within limits.
    assert!(matches!(set_retention(db, now, &anna, "0").await, Err(ServiceError::Invalid(_))));
    set_retention(db, now, &anna, "36").await.unwrap();
    assert_eq!(setting(db, now, &anna).await.unwrap().months, 36);
    assert!(matches!(set_retention(db, now, &bram, "12").await, Err(ServiceError::Forbidden)));
});

crate::db_test!(async fn uploaded_hr_files_go_after_their_retention_period(db) {
    let f = crate::testing::people_fixture(db).await;
    let uploaded = at(2026, 9, 1);
    let mut tx = db.begin_write().await.unwrap();
    let file = b"personeelsnummer;naam\n4711;Uploadmarker Persoon\n";
    let old = store::uploads::create(&mut tx, f.a, f.anna, "hr.csv", file, uploaded).await.unwrap();
    let newer = store::uploads::create(&mut tx, f.a, f.anna, "hr2.csv", file, uploaded + chrono::Duration::days(20))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let kept_until = uploaded + chrono::Duration::days(i64::from(UPLOAD_RETENTION_DAYS));
    assert_eq!(daily(db, kept_until - chrono::Duration::hours(1)).await.unwrap().uploads_deleted, 0);
    assert_eq!(daily(db, kept_until + chrono::Duration::hours(1)).await.unwrap().uploads_deleted, 1);
    assert!(store::uploads::get(db, f.a, old).await.is_err(), "the old file is gone");
    assert!(store::uploads::get(db, f.a, newer).await.is_ok(), "a younger file stays");
});
