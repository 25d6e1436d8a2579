//! The backtest on both backends: a starter who never had a mentor and left
//! counts as a leaver found by the rules, with every figure suppressed
//! because one leaver says nothing; only coordinators run it; periods must
//! end a horizon before today, and the horizon is the institution's setting.
//! A calibrated risk adopted with chosen thresholds decides red and amber
//! without opening alerts for what was already known.

use super::*;
use crate::domain::backtest::BacktestKey;
use crate::domain::signals::{RuleId, Settings, Severity};
use crate::service::checkins::tests::world;
use crate::service::signals::save_settings;
use crate::service::starters::record_leaving;
use crate::testing::{at, ctx_of, demo_coordinator};

fn problem(result: Result<Backtest, ServiceError>) -> FieldProblem {
    match result {
        Err(ServiceError::Invalid(errors)) => errors[0].problem,
        other => panic!("{other:?}"),
    }
}

crate::db_test!(async fn one_leaver_is_found_but_no_figure_is_shown_for_one_leaver(db) {
    let (f, _, _) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let daan = ctx_of(db, f.daan).await;
    // Çiğdem started 17 August 2026, never had a mentor, a conversation or
    // a check-in, and left on 30 October.
    record_leaving(db, at(2026, 10, 30), &anna, f.cigdem, "30-10-2026", "workload", "").await.unwrap();
    let now = at(2027, 6, 1);
    let test = for_coordinator(db, now, &anna, "2026-08-01", "2026-11-30").await.unwrap();
    // 17 August – 30 October, every day followed by leaving within six months.
    assert_eq!((test.starters, test.starter_days, test.leavers, test.horizon_months), (1, 75, 1, 6));
    assert_eq!(test.base_rate, Figure::TooFewLeavers { leavers: 1 });
    let row = |key| test.rows.iter().find(|r| r.key == key).unwrap();
    let no_mentor = row(BacktestKey::Rule(RuleId::NoMentor));
    assert_eq!((no_mentor.flagged_starters, no_mentor.leavers_found), (1, 1));
    assert_eq!(no_mentor.precision, Figure::TooFewLeavers { leavers: 1 });
    assert_eq!(no_mentor.median_lead_days, Figure::TooFewLeavers { leavers: 1 });
    assert_eq!(row(BacktestKey::Red).leavers_found, 1);
    let quiet = row(BacktestKey::Rule(RuleId::LowWellbeing));
    assert_eq!((quiet.flagged_days, quiet.leavers_found, quiet.precision), (0, 0, Figure::Undefined));

    let csv = backtest_csv(&test, CsvStyle { semicolon: true, bom: false });
    assert!(csv.starts_with("signal;horizon_months;starters;leavers;flagged_starters;flagged_starter_days;leavers_found;base_rate;"), "{csv}");
    let line = csv.lines().find(|l| l.starts_with("no_mentor;")).unwrap();
    assert!(line.starts_with("no_mentor;6;1;1;1;"), "{line}");
    assert!(line.ends_with("base_rate: only 1 leavers | precision: only 1 leavers | lift: only 1 leavers | recall: only 1 leavers | median_lead_days: only 1 leavers | flagged_days_per_leaver_found: only 1 leavers"), "{line}");

    // One history: no calibrated risk can be fitted, and the CSV says why.
    assert!(matches!(test.calibrated, crate::domain::backtest::Calibrated::TooLittleHistory { leavers: 0, .. }));
    let last = csv.lines().last().unwrap();
    assert!(last.starts_with("calibrated_risk;6;1;1;"), "{last}");
    assert!(last.ends_with("too little history: 0 leavers between 2024-02-01 and 2026-01-31, 20 needed"), "{last}");

    // Only coordinators.
    assert!(matches!(for_coordinator(db, now, &daan, "", "").await, Err(ServiceError::Forbidden)));
    // Periods: the end must lie a horizon (six months) before today.
    let checks = [
        ("2026-11-01", "2026-10-01", FieldProblem::BeforeStart),
        ("2026-08-01", "2027-05-01", FieldProblem::TooRecent { months: 6 }),
        ("2026-08-01", "2027-07-01", FieldProblem::InFuture),
        ("gisteren", "", FieldProblem::Format),
        ("2020-01-01", "2026-11-01", FieldProblem::OutOfRange { min: 1, max: 3 }),
    ];
    for (from, to, expected) in checks {
        assert_eq!(problem(for_coordinator(db, now, &anna, from, to).await), expected, "{from} {to}");
    }
    // Empty dates: the twelve months up to six months ago.
    let default = for_coordinator(db, now, &anna, "", "").await.unwrap();
    assert_eq!((default.from.to_string(), default.to.to_string()), ("2025-12-02".to_owned(), "2026-12-01".to_owned()));

    // The horizon is the institution's setting.
    let three = Settings { backtest_horizon_months: 3, ..Settings::default() };
    save_settings(db, now, &anna, &three).await.unwrap();
    let default = for_coordinator(db, now, &anna, "", "").await.unwrap();
    assert_eq!((default.to.to_string(), default.horizon_months), ("2027-03-01".to_owned(), 3));
});

fn problem_of<T: std::fmt::Debug>(result: Result<T, ServiceError>) -> (String, FieldProblem) {
    match result {
        Err(ServiceError::Invalid(errors)) => (errors[0].field.clone(), errors[0].problem),
        other => panic!("{other:?}"),
    }
}

crate::db_test!(async fn an_adopted_calibrated_risk_decides_red_and_amber_and_floods_nobody(db) {
    use crate::domain::alerts::WatchShow;
    use crate::domain::risk::level_at;
    use crate::service::signals::{sync, watch_list};
    use crate::store::{evaluations, memberships, notifications, signals as alerts};

    let now = at(2026, 8, 1);
    let anna = demo_coordinator(db, now).await;
    let institution = anna.institution.unwrap();
    sync(db, now, institution, None).await.unwrap();
    let rules_alerts = alerts::alerts(db, institution).await.unwrap().len();

    // The page shows each threshold's effect today and on the period.
    let shown = page(db, now, &anna, ("", ""), ("", "")).await.unwrap();
    let choice = &shown.risk;
    assert!(choice.latest_available, "{} leavers", choice.latest_leavers);
    assert!(choice.current.is_none() && choice.preview.is_none());
    assert!(choice.starters_today > 0 && choice.flagged_now <= choice.starters_today);
    assert!(choice.choices.windows(2).all(|w| w[0].today >= w[1].today), "{:?}", choice.choices);
    // Precision and recall on the period come from the fit made before
    // it, when there was enough history for one.
    let judged = matches!(shown.test.calibrated, crate::domain::backtest::Calibrated::Fitted(_));
    assert!(choice.choices.iter().all(|c| c.recall.is_some() == judged));
    // Trying thresholds previews them: how many red and amber, and no alert.
    let tried = page(db, now, &anna, ("", ""), ("250", "100")).await.unwrap().risk.preview.unwrap();
    assert_eq!((tried.red, tried.amber, tried.alerts_opened), (250, 100, 0));
    let at_amber = choice.choices.iter().find(|c| c.threshold == 100).unwrap().today;
    assert_eq!(tried.red_today + tried.amber_today, at_amber);

    // Refused: amber above red, a threshold not offered, anyone but a coordinator.
    assert_eq!(problem_of(page(db, now, &anna, ("", ""), ("100", "250")).await), ("amber".to_owned(), FieldProblem::AmberAboveRed));
    assert_eq!(problem_of(adopt(db, now, &anna, "33", "20").await), ("red".to_owned(), FieldProblem::UnknownChoice));
    assert_eq!(problem_of(adopt(db, now, &anna, "", "").await), ("red".to_owned(), FieldProblem::Required));
    let leader = memberships::active_in_institution(db, institution)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.role == Role::TeamLeader)
        .map(|m| m.person)
        .collect::<Vec<_>>();
    let leader_ctx = ctx_of(db, leader[0]).await;
    assert!(matches!(adopt(db, now, &leader_ctx, "250", "100").await, Err(ServiceError::Forbidden)));

    // Adopted: every stored evaluation carries the risk, and its level is
    // the thresholds' (as previewed).
    let mut told_before = Vec::new();
    for person in &leader {
        told_before.push(notifications::unread_count(db, *person).await.unwrap());
    }
    adopt(db, now, &anna, "250", "100").await.unwrap();
    let stored = evaluations::stored(db, institution, None).await.unwrap();
    assert_eq!(stored.len(), choice.starters_today as usize);
    for e in &stored {
        let risk = e.risk.unwrap();
        assert_eq!((e.level, e.score), (level_at(risk, 250, 100), u32::from(risk)), "{e:?}");
    }
    let count = |level| stored.iter().filter(|e| e.level == Some(level)).count() as u32;
    assert_eq!((count(Severity::Red), count(Severity::Amber)), (tried.red_today, tried.amber_today));
    let current = page(db, now, &anna, ("", ""), ("", "")).await.unwrap().risk.current.unwrap();
    assert_eq!((current.red, current.amber, current.adopted_on), (250, 100, now.date_naive()));

    // The watch list shows each starter's chance and the reasons in it.
    let list = watch_list(db, now, &anna, None, None, WatchShow::All).await.unwrap();
    assert!(list.rows.iter().all(|r| r.risk.is_some()));
    assert!(list.rows.iter().any(|r| !r.reasons.is_empty()));
    assert!(list.rows.windows(2).all(|w| (w[0].level, w[0].score) >= (w[1].level, w[1].score)));

    // The same day's run opens nothing and tells nobody anything.
    assert_eq!(sync(db, now, institution, None).await.unwrap().opened, 0);
    assert_eq!(alerts::alerts(db, institution).await.unwrap().len(), rules_alerts);
    for (person, before) in leader.iter().zip(&told_before) {
        assert_eq!(notifications::unread_count(db, *person).await.unwrap(), *before);
    }

    // Six weeks on, only conditions that began after the change open
    // alerts, and each team leader hears at most once that day.
    let later = at(2026, 9, 15);
    let report = sync(db, later, institution, None).await.unwrap();
    let opened: Vec<_> = alerts::alerts(db, institution)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.opened_on == later.date_naive())
        .collect();
    assert_eq!(opened.len(), report.opened);
    assert!(report.opened > 0, "new conditions in six weeks open alerts: {report:?}");
    for alert in &opened {
        let today = crate::service::signals::evaluate_institution(db, institution, Some(alert.starter), later.date_naive())
            .await
            .unwrap();
        let signals = &today[0].signals;
        for rule in &alert.rules {
            let signal = signals.iter().find(|s| s.rule == *rule).unwrap();
            assert!(signal.since > now.date_naive(), "{signal:?} of alert {alert:?}");
        }
    }
    for (person, before) in leader.iter().zip(&told_before) {
        assert!(notifications::unread_count(db, *person).await.unwrap() <= before + 1);
    }

    // Back to the rules: no risk in the evaluations, the rules' levels.
    stop(db, later, &anna).await.unwrap();
    let stored = evaluations::stored(db, institution, None).await.unwrap();
    assert!(stored.iter().all(|e| e.risk.is_none() && e.level == crate::domain::signals::level(&e.signals)));
    assert!(matches!(stop(db, later, &anna).await, Err(ServiceError::AlreadyDone)));
    assert!(page(db, later, &anna, ("", ""), ("", "")).await.unwrap().risk.current.is_none());
});

crate::db_test!(async fn without_enough_history_nothing_is_adopted(db) {
    let (f, _, _) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let now = at(2027, 6, 1);
    let shown = page(db, now, &anna, ("", ""), ("250", "100")).await.unwrap();
    assert!(!shown.risk.latest_available && shown.risk.preview.is_none());
    assert_eq!(problem_of(adopt(db, now, &anna, "250", "100").await), ("red".to_owned(), FieldProblem::NoRiskModel));
});
