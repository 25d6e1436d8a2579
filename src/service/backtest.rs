//! The backtest of an institution's signal rules over a period (see
//! `domain::backtest`): for coordinators on a page and as CSV, and for the
//! command line.

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::signals::rules_of;
use super::{Ctx, ServiceError, access};
use crate::csv::CsvStyle;
use crate::domain::backtest::{Backtest, MAX_DAYS, backtest};
use crate::domain::time::today;
use crate::domain::{FieldErrors, FieldProblem, InstitutionId, Role};
use crate::store::Db;
use crate::store::signals::starter_records;

/// Run the institution's rules (its own settings and holidays) over every
/// day from `from` to `to`. The rules run off the async runtime.
pub async fn run(
    db: &Db,
    institution: InstitutionId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Backtest, ServiceError> {
    let (settings, holidays) = rules_of(db, institution).await?;
    let facts: Vec<_> = starter_records(db, institution, None, &holidays)
        .await?
        .into_iter()
        .map(|r| r.facts)
        .collect();
    tokio::task::spawn_blocking(move || backtest(&facts, &settings, from, to))
        .await
        .map_err(|e| ServiceError::Internal(crate::store::StoreError::Corrupt(e.to_string())))
}

/// The default period: the twelve months up to today.
pub fn default_period(now: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
    let to = today(now);
    let from = to.checked_sub_months(chrono::Months::new(12)).unwrap_or(to);
    (from.checked_add_days(Days::new(1)).unwrap_or(from), to)
}

/// Parse and check a period: dates as YYYY-MM-DD (empty: the default),
/// `from` before `to`, not in the future, at most three years.
pub fn period(now: DateTime<Utc>, from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), ServiceError> {
    let (default_from, default_to) = default_period(now);
    let mut errors = FieldErrors::new();
    let mut parse = |field: &str, raw: &str, default: NaiveDate| {
        let raw = raw.trim();
        if raw.is_empty() {
            return Some(default);
        }
        let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
        if parsed.is_none() {
            errors.add(field, FieldProblem::Format);
        }
        parsed
    };
    let from = parse("from", from, default_from);
    let to = parse("to", to, default_to);
    if let (Some(from), Some(to)) = (from, to) {
        if to > today(now) {
            errors.add("to", FieldProblem::Format);
        } else if from >= to || (to - from).num_days() > MAX_DAYS {
            errors.add("from", FieldProblem::Format);
        }
    }
    match (from, to) {
        (Some(from), Some(to)) if errors.is_empty() => Ok((from, to)),
        _ => Err(ServiceError::Invalid(errors.into_vec())),
    }
}

/// The backtest for the caller's institution (coordinators).
pub async fn for_coordinator(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    from: &str,
    to: &str,
) -> Result<Backtest, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "signals.backtest").await?;
    let (from, to) = period(now, from, to)?;
    run(db, institution, from, to).await
}

/// The backtest table as CSV: one row per rule, "any signal" and "red".
pub fn backtest_csv(test: &Backtest, style: CsvStyle) -> String {
    let share = |value: Option<f64>| value.map(|v| style.number(v)).unwrap_or_default();
    let rows = test
        .rows
        .iter()
        .map(|row| {
            vec![
                row.key.code(),
                test.leavers.to_string(),
                row.flagged_leavers.to_string(),
                share(row.recall(test.leavers)),
                share(row.median_lead_days),
                row.flagged_stayers.to_string(),
                share(row.precision()),
            ]
        })
        .collect();
    style.write(
        &[
            "signal",
            "leavers",
            "flagged_leavers",
            "share_of_leavers_flagged",
            "median_lead_days",
            "flagged_stayers",
            "share_of_flagged_who_left",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests;
