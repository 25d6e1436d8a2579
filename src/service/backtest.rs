//! The backtest of an institution's signal rules over a period (see
//! `domain::backtest`): for coordinators on a page and as CSV, and for the
//! command line.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use rand::{Rng, SeedableRng};

use super::signals::rules_of;
use super::{Ctx, ServiceError, access};
use crate::csv::CsvStyle;
use serde_json::json;

use crate::domain::backtest::{
    Backtest, BacktestPage, Calibrated, Figure, MAX_DAYS, Shared, backtest, fit_history, risk_choice,
};
use crate::domain::risk::{CHOICES, fitting_window};
use crate::domain::signals::{Settings, Span, StarterFacts};
use crate::domain::time::today;
use crate::domain::{AuditAction, FieldErrors, FieldProblem, InstitutionId, Role};
use crate::store::Db;
use crate::store::signals::starter_records;

/// The seed of the bootstrap: the same history gives the same intervals.
const BOOTSTRAP_SEED: u64 = 20_261_201;

/// The institution's rules: its settings and holiday periods (read once,
/// then given to [`run`]; the settings also hold the default horizon).
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn rules(db: &Db, institution: InstitutionId) -> Result<(Settings, Vec<Span>), ServiceError> {
    rules_of(db, institution).await
}

/// Run the institution's rules over every day from `from` to `to`,
/// following leaving for `horizon_months` after each day, with the
/// calibrated risk's rows at `thresholds` (else those in use, else those
/// suggested). Runs off the async runtime.
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn run(
    db: &Db,
    institution: InstitutionId,
    (settings, holidays): (Settings, Vec<Span>),
    from: NaiveDate,
    to: NaiveDate,
    horizon: u32,
    thresholds: Option<(u16, u16)>,
) -> Result<Backtest, ServiceError> {
    let facts = history(db, institution, &holidays).await?;
    let shared = shared_histories(db, institution, &settings).await?;
    let thresholds = match thresholds {
        Some(chosen) => Some(chosen),
        None => crate::store::risk::calibration(db, institution)
            .await?
            .map(|c| (c.red, c.amber)),
    };
    blocking(move || {
        let mut rng = rand::rngs::StdRng::seed_from_u64(BOOTSTRAP_SEED);
        backtest(&facts, &settings, &shared, from, to, horizon, thresholds, |n| {
            rng.gen_range(0..n)
        })
    })
    .await
}

/// Run pure work off the async runtime.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ServiceError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ServiceError::Internal(crate::store::StoreError::Corrupt(e.to_string())))
}

/// Every starter of the institution, past ones included.
async fn history(db: &Db, institution: InstitutionId, holidays: &[Span]) -> Result<Vec<StarterFacts>, ServiceError> {
    Ok(starter_records(db, institution, None, holidays)
        .await?
        .into_iter()
        .map(|r| r.facts)
        .collect())
}

/// The histories of the other institutions that share theirs, when this
/// one shares its own (`pool_history`); otherwise none.
async fn shared_histories(
    db: &Db,
    institution: InstitutionId,
    settings: &Settings,
) -> Result<Vec<Shared>, ServiceError> {
    if !settings.pool_history {
        return Ok(Vec::new());
    }
    let mut shared = Vec::new();
    for (other, their_settings) in crate::store::risk::sharing(db, institution).await? {
        let (_, holidays) = rules_of(db, other).await?;
        shared.push((history(db, other, &holidays).await?, their_settings));
    }
    Ok(shared)
}

/// Red and amber thresholds (per mille) from a form: both empty is none;
/// each must be one of [`CHOICES`] and amber not above red.
pub fn thresholds(red: &str, amber: &str) -> Result<Option<(u16, u16)>, ServiceError> {
    let (red, amber) = (red.trim(), amber.trim());
    if red.is_empty() && amber.is_empty() {
        return Ok(None);
    }
    let mut errors = FieldErrors::new();
    let mut choice = |field: &str, raw: &str| {
        let parsed = raw.parse::<u16>().ok().filter(|v| CHOICES.contains(v));
        if parsed.is_none() {
            errors.add(field, FieldProblem::UnknownChoice);
        }
        parsed
    };
    let (red, amber) = (choice("red", red), choice("amber", amber));
    match (red, amber) {
        (Some(red), Some(amber)) if amber > red => {
            errors.add("amber", FieldProblem::AmberAboveRed);
            Err(ServiceError::Invalid(errors.into_vec()))
        }
        (Some(red), Some(amber)) => Ok(Some((red, amber))),
        _ => Err(ServiceError::Invalid(errors.into_vec())),
    }
}

/// The backtest page for the caller's institution (coordinators): the
/// backtest of the period, and what the calibrated risk would flag with
/// each threshold; with `red` and `amber`, the effect of adopting them.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn page(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    (from, to): (&str, &str),
    (red, amber): (&str, &str),
) -> Result<BacktestPage, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "signals.backtest").await?;
    let horizon = rules_of(db, institution).await?.0.backtest_horizon_months;
    let (from, to) = period(now, from, to, horizon)?;
    let trying = thresholds(red, amber)?;
    risk_page(db, now, institution, (from, to), trying).await
}

/// The backtest of a period checked beforehand, and the calibrated risk's
/// choice of thresholds (the page, and the command line).
pub async fn risk_page(
    db: &Db,
    now: DateTime<Utc>,
    institution: InstitutionId,
    (from, to): (NaiveDate, NaiveDate),
    trying: Option<(u16, u16)>,
) -> Result<BacktestPage, ServiceError> {
    let (settings, holidays) = rules_of(db, institution).await?;
    let horizon = settings.backtest_horizon_months;
    let facts = history(db, institution, &holidays).await?;
    let shared = shared_histories(db, institution, &settings).await?;
    let current = crate::store::risk::calibration(db, institution).await?;
    let thresholds = trying.or(current.as_ref().map(|c| (c.red, c.amber)));
    let on = today(now);
    blocking(move || {
        let mut rng = rand::rngs::StdRng::seed_from_u64(BOOTSTRAP_SEED);
        let test = backtest(&facts, &settings, &shared, from, to, horizon, thresholds, |n| {
            rng.gen_range(0..n)
        });
        let latest = fit_history(&facts, &settings, &shared, fitting_window(on, horizon), horizon);
        let risk = risk_choice(&facts, &settings, on, current, &latest, &test, trying);
        BacktestPage { test, risk }
    })
    .await
}

/// The choice of thresholds as CSV: what decides now (red, and red or
/// amber, today), then per threshold of the calibrated risk the starters it
/// flags today and its precision, recall and lift on the period.
pub fn choices_csv(page: &BacktestPage, style: CsvStyle) -> String {
    let choice = &page.risk;
    let share = |n: u32| match choice.starters_today {
        0 => String::new(),
        all => style.number(f64::from(n) / f64::from(all)),
    };
    let base = page.test.base_rate.value();
    // A row of starters flagged today only (no figures on the period).
    let today_only = |name: String, count: u32| {
        let mut row = vec![name, count.to_string(), choice.starters_today.to_string(), share(count)];
        row.extend(std::iter::repeat_n(String::new(), 3));
        row
    };
    let mut rows = vec![
        today_only("now_red".to_owned(), choice.red_now),
        today_only("now_red_or_amber".to_owned(), choice.flagged_now),
    ];
    for c in &choice.choices {
        let number = |v: Option<f64>| v.map(|v| style.number(v)).unwrap_or_default();
        rows.push(vec![
            format!("risk_from_{}_permille", c.threshold),
            c.today.to_string(),
            choice.starters_today.to_string(),
            share(c.today),
            number(c.precision),
            number(c.recall),
            number(c.precision.zip(base).filter(|(_, b)| *b > 0.0).map(|(p, b)| p / b)),
        ]);
    }
    if let Some(preview) = choice.preview {
        rows.push(today_only(
            format!("tried_red_from_{}_permille", preview.red),
            preview.red_today,
        ));
        rows.push(today_only(
            format!("tried_red_or_amber_from_{}_permille", preview.amber),
            preview.red_today + preview.amber_today,
        ));
    }
    style.write(
        &[
            "flag",
            "flagged_today",
            "starters_today",
            "share_today",
            "precision",
            "recall",
            "lift",
        ],
        rows,
    )
}

/// Adopt the calibrated risk with red and amber thresholds (coordinator):
/// the model is fitted on the latest history whose outcomes are known, and
/// from now on red and amber come from it. Conditions already there today
/// never open an alert under it; the stored evaluations change at once.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn adopt(db: &Db, now: DateTime<Utc>, ctx: &Ctx, red: &str, amber: &str) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "signals.risk").await?;
    let Some((red, amber)) = thresholds(red, amber)? else {
        let mut errors = FieldErrors::new();
        errors.add("red", FieldProblem::Required);
        return Err(ServiceError::Invalid(errors.into_vec()));
    };
    let (settings, holidays) = rules_of(db, institution).await?;
    let horizon = settings.backtest_horizon_months;
    let facts = history(db, institution, &holidays).await?;
    let shared = shared_histories(db, institution, &settings).await?;
    let on = today(now);
    let latest =
        blocking(move || fit_history(&facts, &settings, &shared, fitting_window(on, horizon), horizon)).await?;
    let Some(calibration) = latest.calibration(red, amber, on) else {
        let mut errors = FieldErrors::new();
        errors.add("red", FieldProblem::NoRiskModel);
        return Err(ServiceError::Invalid(errors.into_vec()));
    };
    let before = crate::store::risk::calibration(db, institution).await?;
    let mut tx = db.begin_write().await?;
    crate::store::risk::adopt(&mut tx, institution, &calibration, ctx.person, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::SignalSettingsChanged,
        json!({
            "risk_adopted": { "red_permille": red, "amber_permille": amber, "fit_from": calibration.fit_from,
                "fit_to": calibration.fit_to, "fit_leavers": calibration.fit_leavers, "pooled": calibration.pooled },
            "before": before.map(|b| json!({ "red_permille": b.red, "amber_permille": b.amber })),
        }),
    )
    .await?;
    tx.commit().await?;
    super::signals::reevaluate(db, now, institution, None).await;
    Ok(())
}

/// Stop using the calibrated risk (coordinator): the fixed rules decide
/// red and amber again.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn stop(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "signals.risk").await?;
    let mut tx = db.begin_write().await?;
    if !crate::store::risk::remove(&mut tx, institution).await? {
        return Err(ServiceError::AlreadyDone);
    }
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::SignalSettingsChanged,
        json!({ "risk_stopped": true }),
    )
    .await?;
    tx.commit().await?;
    super::signals::reevaluate(db, now, institution, None).await;
    Ok(())
}

/// The latest day a period may end: what happened in the horizon after it
/// must be known by today.
pub fn latest_end(now: DateTime<Utc>, horizon_months: u32) -> NaiveDate {
    let today = today(now);
    today.checked_sub_months(Months::new(horizon_months)).unwrap_or(today)
}

/// The default period: the twelve months up to a horizon before today.
pub fn default_period(now: DateTime<Utc>, horizon_months: u32) -> (NaiveDate, NaiveDate) {
    let to = latest_end(now, horizon_months);
    let from = to.checked_sub_months(Months::new(12)).unwrap_or(to);
    (from.checked_add_days(Days::new(1)).unwrap_or(from), to)
}

/// Parse and check a period: dates as YYYY-MM-DD (empty: the default),
/// `from` before `to`, `to` at least a horizon before today, at most three
/// years.
pub fn period(
    now: DateTime<Utc>,
    from: &str,
    to: &str,
    horizon_months: u32,
) -> Result<(NaiveDate, NaiveDate), ServiceError> {
    let (default_from, default_to) = default_period(now, horizon_months);
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
            errors.add("to", FieldProblem::InFuture);
        } else if to > latest_end(now, horizon_months) {
            errors.add("to", FieldProblem::TooRecent { months: horizon_months });
        } else if from >= to {
            errors.add("from", FieldProblem::BeforeStart);
        } else if (to - from).num_days() > MAX_DAYS {
            errors.add("from", FieldProblem::OutOfRange { min: 1, max: 3 });
        }
    }
    match (from, to) {
        (Some(from), Some(to)) if errors.is_empty() => Ok((from, to)),
        _ => Err(ServiceError::Invalid(errors.into_vec())),
    }
}

/// The backtest for the caller's institution (coordinators).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn for_coordinator(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    from: &str,
    to: &str,
) -> Result<Backtest, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "signals.backtest").await?;
    let rules = rules_of(db, institution).await?;
    let horizon = rules.0.backtest_horizon_months;
    let (from, to) = period(now, from, to, horizon)?;
    run(db, institution, rules, from, to, horizon, None).await
}

/// The backtest table as CSV: one row per rule, "any signal" and "red";
/// each figure with the ends of its 95% interval, empty when suppressed
/// (the last column says why).
pub fn backtest_csv(test: &Backtest, style: CsvStyle) -> String {
    let figure = |cells: &mut Vec<String>, reasons: &mut Vec<String>, name: &str, figure: Figure| match figure {
        Figure::Estimate { value, low, high } => cells.extend([value, low, high].map(|v| style.number(v))),
        Figure::TooFewLeavers { leavers } => {
            cells.extend(std::iter::repeat_n(String::new(), 3));
            reasons.push(format!("{name}: only {leavers} leavers"));
        }
        Figure::Undefined => cells.extend(std::iter::repeat_n(String::new(), 3)),
    };
    let rows = test
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                row.key.code(),
                test.horizon_months.to_string(),
                test.starters.to_string(),
                test.leavers.to_string(),
                row.flagged_starters.to_string(),
                row.flagged_days.to_string(),
                row.leavers_found.to_string(),
            ];
            let mut reasons = Vec::new();
            figure(&mut cells, &mut reasons, "base_rate", test.base_rate);
            figure(&mut cells, &mut reasons, "precision", row.precision);
            figure(&mut cells, &mut reasons, "lift", row.lift);
            figure(&mut cells, &mut reasons, "recall", row.recall);
            figure(&mut cells, &mut reasons, "median_lead_days", row.median_lead_days);
            figure(
                &mut cells,
                &mut reasons,
                "flagged_days_per_leaver_found",
                row.days_per_leaver_found,
            );
            cells.push(reasons.join(" | "));
            cells
        })
        .collect::<Vec<_>>();
    let mut rows = rows;
    rows.push(calibrated_row(test, style));
    let mut header: Vec<String> = [
        "signal",
        "horizon_months",
        "starters",
        "leavers",
        "flagged_starters",
        "flagged_starter_days",
        "leavers_found",
    ]
    .map(str::to_owned)
    .into();
    for name in [
        "base_rate",
        "precision",
        "lift",
        "recall",
        "median_lead_days",
        "flagged_days_per_leaver_found",
    ] {
        header.extend([name.to_owned(), format!("{name}_low"), format!("{name}_high")]);
    }
    header.push("suppressed".to_owned());
    style.write(&header.iter().map(String::as_str).collect::<Vec<_>>(), rows)
}

/// The calibrated risk as one more CSV row: its flagged starter-days,
/// precision, lift and recall at the recall of the best rule (no interval),
/// or why there is none.
fn calibrated_row(test: &Backtest, style: CsvStyle) -> Vec<String> {
    let mut cells = vec![
        "calibrated_risk".to_owned(),
        test.horizon_months.to_string(),
        test.starters.to_string(),
        test.leavers.to_string(),
        String::new(),
    ];
    let empty = |n: usize| std::iter::repeat_n(String::new(), n);
    let why = match &test.calibrated {
        Calibrated::TooLittleHistory {
            fit_from,
            fit_to,
            leavers,
            needed,
        } => {
            format!("too little history: {leavers} leavers between {fit_from} and {fit_to}, {needed} needed")
        }
        Calibrated::Fitted(comparison) => match (&comparison.rule, &comparison.risk) {
            (Some((key, ..)), Some(at)) => {
                cells.extend([at.flagged_days.to_string(), String::new()]);
                cells.extend(empty(3));
                cells.extend([style.number(at.precision), String::new(), String::new()]);
                let lift = test
                    .base_rate
                    .value()
                    .map(|b| style.number(at.precision / b))
                    .unwrap_or_default();
                cells.extend([lift, String::new(), String::new()]);
                cells.extend([style.number(at.recall), String::new(), String::new()]);
                cells.extend(empty(6));
                cells.push(format!(
                    "no interval: threshold {} at the recall of {}, fitted on {} to {}",
                    style.number(at.threshold),
                    key.code(),
                    comparison.fit_from,
                    comparison.fit_to
                ));
                return cells;
            }
            _ => "no rule has enough leavers behind it to compare with".to_owned(),
        },
    };
    cells.extend(empty(2 + 18));
    cells.push(why);
    cells
}

#[cfg(test)]
mod tests;
