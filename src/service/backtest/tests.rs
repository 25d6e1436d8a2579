//! The backtest on both backends: a starter who never checked in and left
//! counts as a flagged leaver with the lead time worked out by hand; only
//! coordinators run it; periods are checked.

use super::*;
use crate::domain::backtest::BacktestKey;
use crate::domain::signals::RuleId;
use crate::service::checkins::tests::world;
use crate::service::starters::record_leaving;
use crate::testing::{at, ctx_of};

crate::db_test!(async fn a_silent_leaver_is_flagged_with_the_lead_time_worked_out_by_hand(db) {
    let (f, _, _) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let daan = ctx_of(db, f.daan).await;
    // Çiğdem started 17 August 2026, never had a mentor, a conversation or
    // a check-in, and left on 30 October.
    record_leaving(db, at(2026, 10, 30), &anna, f.cigdem, "30-10-2026", "workload", "").await.unwrap();
    let now = at(2026, 11, 29);
    let test = for_coordinator(db, now, &anna, "2026-08-01", "2026-11-29").await.unwrap();
    assert_eq!((test.starters, test.leavers), (1, 1));
    let row = |key| test.rows.iter().find(|r| r.key == key).unwrap();
    // No mentor after 14 days: 31 August, 60 days before 30 October.
    assert_eq!(row(BacktestKey::Rule(RuleId::NoMentor)).median_lead_days, Some(60.0));
    // No conversation and no check-in after 28 days: 14 September, 46 days.
    assert_eq!(row(BacktestKey::Rule(RuleId::NoConversation)).median_lead_days, Some(46.0));
    assert_eq!(row(BacktestKey::Rule(RuleId::NoCheckIn)).median_lead_days, Some(46.0));
    // Red: 56 days without a conversation, 12 October, 18 days.
    assert_eq!(row(BacktestKey::Red).median_lead_days, Some(18.0));
    let any = row(BacktestKey::AnySignal);
    assert_eq!((any.flagged_leavers, any.flagged_stayers, any.median_lead_days), (1, 0, Some(60.0)));
    assert_eq!(row(BacktestKey::Rule(RuleId::LowWellbeing)).flagged_leavers, 0);

    let csv = backtest_csv(&test, CsvStyle { semicolon: true, bom: false });
    assert!(csv.starts_with("signal;leavers;flagged_leavers;"), "{csv}");
    assert!(csv.contains("no_mentor;1;1;1,000;60,000;0;1,000"), "{csv}");

    // Only coordinators; the period is checked.
    assert!(matches!(for_coordinator(db, now, &daan, "", "").await, Err(ServiceError::Forbidden)));
    for (from, to) in [("2026-11-01", "2026-10-01"), ("2026-08-01", "2027-01-01"), ("gisteren", ""), ("2020-01-01", "2026-11-01")] {
        assert!(matches!(for_coordinator(db, now, &anna, from, to).await, Err(ServiceError::Invalid(_))), "{from} {to}");
    }
    // Empty dates: the last twelve months.
    let default = for_coordinator(db, now, &anna, "", "").await.unwrap();
    assert_eq!((default.from.to_string(), default.to.to_string()), ("2025-11-30".to_owned(), "2026-11-29".to_owned()));
});
