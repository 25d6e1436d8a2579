//! The backtest on both backends: a starter who never had a mentor and left
//! counts as a leaver found by the rules, with every figure suppressed
//! because one leaver says nothing; only coordinators run it; periods must
//! end a horizon before today, and the horizon is the institution's setting.

use super::*;
use crate::domain::backtest::BacktestKey;
use crate::domain::signals::{RuleId, Settings};
use crate::service::checkins::tests::world;
use crate::service::signals::save_settings;
use crate::service::starters::record_leaving;
use crate::testing::{at, ctx_of};

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
