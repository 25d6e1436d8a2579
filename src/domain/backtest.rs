//! The backtest: run the rules over a past period day by day and compare
//! with who actually left within the horizon after each day.
//!
//! The unit is the starter-day: every day a starter was in their induction
//! during the period. A day is *followed by leaving* when the starter's last
//! working day came within the horizon (default six months) from that day.
//! For each rule, for "any signal" and for "red":
//! - precision: of the flagged starter-days, the share followed by leaving;
//! - base rate: of all starter-days, the share followed by leaving;
//! - lift: precision ÷ base rate (1 means the flag adds nothing);
//! - recall: of the leavers, the share flagged on some day within the
//!   horizon before they left;
//! - median lead time: from the first such flag to the last working day;
//! - flagged starter-days per leaver found: the attention a rule asks for.
//!
//! Each figure has a 95% interval from a bootstrap over starters (a
//! starter's days are not independent of each other), and is suppressed when
//! fewer than [`MIN_LEAVERS`] leavers are behind it. The outcome of a day is
//! only known a horizon later, so the period must end a horizon before today.
//! This module is pure: the caller supplies the resampling draws.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::risk::{self, Counts, Day, Model, Operating};
use super::signals::{RuleId, Settings, Severity, StarterFacts, evaluate};

/// What a row of the backtest counts as "flagged".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BacktestKey {
    /// Any signal, amber or red (the level as a whole).
    AnySignal,
    /// A red signal.
    Red,
    /// One rule.
    Rule(RuleId),
    /// The calibrated risk (fitted before the period) at or above this
    /// many per mille: the red threshold, and the amber one (red or amber).
    Risk(u16),
}

impl BacktestKey {
    /// Stable code for CSV and the command line.
    pub fn code(self) -> String {
        match self {
            BacktestKey::AnySignal => "any_signal".to_owned(),
            BacktestKey::Red => "red".to_owned(),
            BacktestKey::Rule(rule) => rule.code().to_owned(),
            BacktestKey::Risk(permille) => format!("risk_from_{permille}_permille"),
        }
    }

    /// Every row, in the order the table shows them.
    pub fn all() -> Vec<BacktestKey> {
        [BacktestKey::AnySignal, BacktestKey::Red]
            .into_iter()
            .chain(RuleId::ALL.iter().copied().map(BacktestKey::Rule))
            .collect()
    }
}

/// Fewer leavers than this behind a figure, and it is not shown: with so
/// few, chance decides more than the rule does.
pub const MIN_LEAVERS: u32 = 10;

/// Bootstrap resamples behind each interval.
pub const RESAMPLES: usize = 400;

/// Longest period the backtest runs over (the rules run every day).
pub const MAX_DAYS: i64 = 3 * 366;

/// One figure of the backtest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Figure {
    /// The estimate with its 95% interval.
    Estimate { value: f64, low: f64, high: f64 },
    /// Not shown: only this many leavers are behind it (fewer than [`MIN_LEAVERS`]).
    TooFewLeavers { leavers: u32 },
    /// Nothing to estimate (the rule flagged nobody).
    Undefined,
}

impl Figure {
    /// The estimate, when shown.
    pub fn value(self) -> Option<f64> {
        match self {
            Figure::Estimate { value, .. } => Some(value),
            _ => None,
        }
    }
}

/// One row of the backtest table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestRow {
    pub key: BacktestKey,
    /// Starters flagged on at least one day of the period.
    pub flagged_starters: u32,
    /// Starter-days flagged.
    pub flagged_days: u64,
    /// Leavers flagged on some day within the horizon before they left.
    pub leavers_found: u32,
    pub precision: Figure,
    pub lift: Figure,
    pub recall: Figure,
    pub median_lead_days: Figure,
    pub days_per_leaver_found: Figure,
}

/// The backtest of one institution over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Leaving within this many months after a day counts.
    pub horizon_months: u32,
    /// Starters in their induction on some day of the period.
    pub starters: u32,
    pub starter_days: u64,
    /// Of them, those who left within the horizon after one of their days.
    pub leavers: u32,
    /// Share of all starter-days followed by leaving.
    pub base_rate: Figure,
    pub rows: Vec<BacktestRow>,
    /// The calibrated risk, fitted before the period and judged on it.
    pub calibrated: Calibrated,
    /// The red and amber thresholds of the calibrated risk's rows (none
    /// when no model could be fitted).
    #[serde(default)]
    pub risk_thresholds: Option<(u16, u16)>,
}

/// The calibrated risk beside the fixed rules (see `domain::risk`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Calibrated {
    /// Too few leavers in the history before the period to fit a model:
    /// the fixed rules alone decide.
    TooLittleHistory {
        fit_from: NaiveDate,
        fit_to: NaiveDate,
        leavers: u32,
        needed: u32,
    },
    Fitted(Box<Comparison>),
}

/// The calibrated risk and the best single rule on the same period, at the
/// same recall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub fit_from: NaiveDate,
    pub fit_to: NaiveDate,
    pub fit_leavers: u32,
    /// Fitted on the pooled history of institutions that share theirs.
    #[serde(default)]
    pub pooled: bool,
    pub model: Model,
    /// Per threshold of [`risk::CHOICES`] (per mille): precision and recall
    /// on the period when flagging at or above it.
    #[serde(default)]
    pub choices: Vec<(u16, Option<f64>, Option<f64>)>,
    /// The rule with the highest lift (with enough leavers behind it), its
    /// flagged starter-days, precision and recall; `None` when no rule
    /// has enough leavers behind it.
    pub rule: Option<(BacktestKey, u64, f64, f64)>,
    /// The calibrated risk at the highest threshold reaching that recall.
    pub risk: Option<Operating>,
}

/// The backtest page: the backtest, and the calibrated risk a coordinator
/// chooses thresholds for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestPage {
    pub test: Backtest,
    pub risk: RiskChoice,
}

/// Choosing the calibrated risk's thresholds by seeing their effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskChoice {
    /// The calibration in use; `None`: the fixed rules decide.
    pub current: Option<risk::Calibration>,
    /// The fit adopting would use: on the latest history whose outcomes are
    /// known (`model` is `None` with too little history).
    pub latest_from: NaiveDate,
    pub latest_to: NaiveDate,
    pub latest_leavers: u32,
    pub latest_pooled: bool,
    pub latest_available: bool,
    /// Red and amber to start from (see [`risk::suggested_thresholds`]).
    pub suggested: Option<(u16, u16)>,
    /// The institution shares its history for pooling.
    pub pool_history: bool,
    /// Starters in their induction today, and of them red and flagged (red
    /// or amber) by what decides now.
    pub starters_today: u32,
    pub red_now: u32,
    pub flagged_now: u32,
    /// Per threshold of [`risk::CHOICES`]: its effect today and on the period.
    pub choices: Vec<risk::Choice>,
    /// The thresholds being tried, with their effect today.
    pub preview: Option<Preview>,
}

/// The effect of adopting thresholds, before doing so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub red: u16,
    pub amber: u16,
    /// Starters red and amber today with them.
    pub red_today: u32,
    pub amber_today: u32,
    /// Of those flagged, how many are not flagged now.
    pub newly_flagged: u32,
    /// Alerts adopting would open today (only conditions that arise after
    /// the change open alerts, so what is flagged now opens none).
    pub alerts_opened: u32,
}

impl Backtest {
    /// The last day whose outcome the backtest needs: a horizon after `to`.
    pub fn followed_until(&self) -> NaiveDate {
        horizon_end(self.to, self.horizon_months)
    }
}

/// The day a horizon of `months` after `day` ends.
pub fn horizon_end(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// One row's tally for one starter.
#[derive(Debug, Clone, Copy, Default)]
struct KeyTally {
    flagged_days: u32,
    flagged_leaving_days: u32,
    /// Days from the first flag within the horizon to the last working day.
    lead: Option<u32>,
}

/// One starter's tally over the period.
#[derive(Debug, Clone)]
struct Tally {
    days: u32,
    leaving_days: u32,
    keys: Vec<KeyTally>,
    /// Each day's features and outcome, for judging the calibrated risk.
    judged: Vec<(risk::Mask, bool)>,
}

impl Tally {
    fn leaver(&self) -> bool {
        self.leaving_days > 0
    }
}

fn hit(key: BacktestKey, signals: &[super::signals::Signal], risk: Option<u16>) -> bool {
    match key {
        BacktestKey::AnySignal => !signals.is_empty(),
        BacktestKey::Red => signals.iter().any(|s| s.severity == Severity::Red),
        BacktestKey::Rule(rule) => signals.iter().any(|s| s.rule == rule),
        BacktestKey::Risk(threshold) => risk.is_some_and(|r| r >= threshold),
    }
}

/// Run the rules for one starter on every day of the period they were in
/// their induction; `None` when there was no such day.
#[allow(clippy::too_many_arguments)]
fn tally(
    facts: &StarterFacts,
    settings: &Settings,
    model: Option<&Model>,
    keys: &[BacktestKey],
    from: NaiveDate,
    to: NaiveDate,
    horizon_months: u32,
) -> Option<Tally> {
    let start = facts.start?;
    let mut day = start.max(from);
    let mut tally = Tally {
        days: 0,
        leaving_days: 0,
        keys: vec![KeyTally::default(); keys.len()],
        judged: Vec::new(),
    };
    while day <= to {
        if !facts.in_induction(day) {
            if facts.end.is_some_and(|end| end < day) || facts.completed.is_some_and(|done| done <= day) {
                break;
            }
        } else {
            // Followed by leaving: the last working day lies within the horizon.
            let leaving = facts.end.filter(|end| *end <= horizon_end(day, horizon_months));
            tally.days += 1;
            tally.leaving_days += u32::from(leaving.is_some());
            let signals = evaluate(facts, settings, day);
            let mask = risk::features(facts, &signals, day);
            tally.judged.push((mask, leaving.is_some()));
            let chance = model.map(|m| risk::permille(m.risk(mask)));
            for (key, counts) in keys.iter().zip(tally.keys.iter_mut()) {
                if !hit(*key, &signals, chance) {
                    continue;
                }
                counts.flagged_days += 1;
                if let Some(end) = leaving {
                    counts.flagged_leaving_days += 1;
                    if counts.lead.is_none() {
                        counts.lead = u32::try_from((end - day).num_days()).ok();
                    }
                }
            }
        }
        match day.checked_add_days(Days::new(1)) {
            Some(next) => day = next,
            None => break,
        }
    }
    (tally.days > 0).then_some(tally)
}

/// Sums over a set of starters: the sample itself, or one resample of it.
#[derive(Debug, Clone, Default)]
struct Sums {
    days: u64,
    leaving_days: u64,
    leavers: u32,
    keys: Vec<KeySums>,
}

#[derive(Debug, Clone, Default)]
struct KeySums {
    flagged_starters: u32,
    flagged_days: u64,
    flagged_leaving_days: u64,
    leads: Vec<u32>,
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Sums {
    fn new(keys: usize) -> Self {
        Sums {
            keys: vec![KeySums::default(); keys],
            ..Sums::default()
        }
    }

    fn add(&mut self, tally: &Tally) {
        self.days += u64::from(tally.days);
        self.leaving_days += u64::from(tally.leaving_days);
        self.leavers += u32::from(tally.leaver());
        for (sums, counts) in self.keys.iter_mut().zip(&tally.keys) {
            sums.flagged_starters += u32::from(counts.flagged_days > 0);
            sums.flagged_days += u64::from(counts.flagged_days);
            sums.flagged_leaving_days += u64::from(counts.flagged_leaving_days);
            sums.leads.extend(counts.lead);
        }
    }

    fn base_rate(&self) -> Option<f64> {
        ratio(self.leaving_days, self.days)
    }

    /// Precision, lift, recall, median lead, flagged days per leaver found.
    fn figures(&mut self, key: usize) -> [Option<f64>; 5] {
        let base = self.base_rate();
        let leavers = u64::from(self.leavers);
        let sums = &mut self.keys[key];
        let found = sums.leads.len() as u64;
        let precision = ratio(sums.flagged_leaving_days, sums.flagged_days);
        let lift = match (precision, base) {
            (Some(p), Some(b)) if b > 0.0 => Some(p / b),
            _ => None,
        };
        [
            precision,
            lift,
            ratio(found, leavers),
            median(&mut sums.leads),
            ratio(sums.flagged_days, found),
        ]
    }
}

fn median(values: &mut [u32]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (f64::from(values[mid - 1]) + f64::from(values[mid])) / 2.0
    } else {
        f64::from(values[mid])
    })
}

/// The 2.5th and 97.5th percentiles (nearest rank).
fn interval(samples: &mut [f64]) -> Option<(f64, f64)> {
    if samples.is_empty() {
        return None;
    }
    samples.sort_unstable_by(f64::total_cmp);
    let last = samples.len() - 1;
    let rank = |q: f64| (q * last as f64).round() as usize;
    Some((samples[rank(0.025)], samples[rank(0.975)]))
}

fn figure(value: Option<f64>, samples: &mut [f64], leavers_behind: u32) -> Figure {
    if leavers_behind < MIN_LEAVERS {
        return Figure::TooFewLeavers {
            leavers: leavers_behind,
        };
    }
    let Some(value) = value else {
        return Figure::Undefined;
    };
    let (low, high) = interval(samples).unwrap_or((value, value));
    Figure::Estimate { value, low, high }
}

/// Another institution's history, shared for pooling: its starters and its
/// own rules.
pub type Shared = (Vec<StarterFacts>, Settings);

/// A fit on a window of history.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub window: (NaiveDate, NaiveDate),
    /// Leavers in the history fitted on (or looked at, when too few).
    pub leavers: u32,
    pub model: Option<Model>,
    pub pooled: bool,
    /// Share of the starter-days fitted on that were followed by leaving.
    pub base_rate: Option<f64>,
}

impl Fit {
    /// The calibration this fit gives with red and amber thresholds,
    /// adopted on `on`; `None` without a model.
    pub fn calibration(&self, red: u16, amber: u16, on: NaiveDate) -> Option<risk::Calibration> {
        Some(risk::Calibration {
            model: self.model.clone()?,
            fit_from: self.window.0,
            fit_to: self.window.1,
            fit_leavers: self.leavers,
            pooled: self.pooled,
            red,
            amber,
            adopted_on: on,
        })
    }
}

/// Fit the calibrated risk on the window: on the institution's own history,
/// or, when that holds too few leavers and `shared` is not empty (the
/// institution and the others switched pooling on), on the pooled history,
/// each institution's days judged by its own rules.
pub fn fit_history(
    starters: &[StarterFacts],
    settings: &Settings,
    shared: &[Shared],
    window: (NaiveDate, NaiveDate),
    horizon_months: u32,
) -> Fit {
    let mut counts = fitting_counts(starters, settings, window, horizon_months);
    if let Some(model) = risk::fit(&counts) {
        return Fit {
            window,
            leavers: counts.leavers,
            model: Some(model),
            pooled: false,
            base_rate: counts.base_rate(),
        };
    }
    if shared.is_empty() {
        return Fit {
            window,
            leavers: counts.leavers,
            model: None,
            pooled: false,
            base_rate: counts.base_rate(),
        };
    }
    for (others, their_settings) in shared {
        counts.merge(&fitting_counts(others, their_settings, window, horizon_months));
    }
    Fit {
        window,
        leavers: counts.leavers,
        model: risk::fit(&counts),
        pooled: true,
        base_rate: counts.base_rate(),
    }
}

/// The history the calibrated risk is fitted on: every seventh day of the
/// fitting window a starter was in their induction, with its features and
/// whether leaving followed within the horizon.
fn fitting_counts(
    starters: &[StarterFacts],
    settings: &Settings,
    window: (NaiveDate, NaiveDate),
    horizon_months: u32,
) -> Counts {
    let mut counts = Counts::default();
    for facts in starters {
        let Some(start) = facts.start else { continue };
        let mut day = start.max(window.0);
        let mut left = false;
        while day <= window.1 {
            if facts.in_induction(day) {
                let leaving = facts.end.is_some_and(|end| end <= horizon_end(day, horizon_months));
                let signals = evaluate(facts, settings, day);
                counts.add(risk::features(facts, &signals, day), leaving);
                left |= leaving;
            } else if facts.end.is_some_and(|end| end < day) || facts.completed.is_some_and(|done| done <= day) {
                break;
            }
            match day.checked_add_days(Days::new(7)) {
                Some(next) => day = next,
                None => break,
            }
        }
        counts.leavers += u32::from(left);
    }
    counts
}

/// Fit the calibrated risk on the history before the period and judge it
/// against the best single rule on the period.
fn calibrate(fit: Fit, tallies: &[Tally], rows: &[BacktestRow], leavers: u32) -> Calibrated {
    let (fit_from, fit_to) = fit.window;
    let Some(model) = fit.model else {
        return Calibrated::TooLittleHistory {
            fit_from,
            fit_to,
            leavers: fit.leavers,
            needed: risk::MIN_FIT_LEAVERS,
        };
    };
    let best = rows
        .iter()
        .filter(|row| matches!(row.key, BacktestKey::Rule(_)))
        .filter_map(|row| {
            let lift = row.lift.value()?;
            Some((row, lift, row.precision.value()?, row.recall.value()?))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let days: Vec<Day> = tallies
        .iter()
        .enumerate()
        .flat_map(|(i, tally)| {
            let starter = u32::try_from(i).unwrap_or(u32::MAX);
            tally
                .judged
                .iter()
                .map(move |&(mask, leaving)| Day { mask, leaving, starter })
        })
        .collect();
    let risk = best.and_then(|(_, _, _, recall)| risk::at_recall(&model, &days, leavers, recall));
    let choices = risk::CHOICES
        .iter()
        .map(|&threshold| {
            let (precision, recall) = risk::at_threshold(&model, &days, leavers, threshold);
            (threshold, precision, recall)
        })
        .collect();
    Calibrated::Fitted(Box::new(Comparison {
        fit_from,
        fit_to,
        fit_leavers: fit.leavers,
        pooled: fit.pooled,
        choices,
        model,
        rule: best.map(|(row, _, precision, recall)| (row.key, row.flagged_days, precision, recall)),
        risk,
    }))
}

/// In their induction on `on` as the lists count it: started, not
/// completed, and not leaving on or before that day.
fn in_induction_today(facts: &StarterFacts, on: NaiveDate) -> bool {
    facts.in_induction(on) && facts.end.is_none_or(|end| end > on)
}

/// What choosing the calibrated risk's thresholds would do: for every
/// threshold of [`risk::CHOICES`], the starters in their induction `on` it
/// flags with the `latest` fit and its precision and recall on the
/// backtest's period (with the fit made before it); with `trying`, the
/// effect of adopting those red and amber thresholds today.
pub fn risk_choice(
    starters: &[StarterFacts],
    settings: &Settings,
    on: NaiveDate,
    current: Option<risk::Calibration>,
    latest: &Fit,
    test: &Backtest,
    trying: Option<(u16, u16)>,
) -> RiskChoice {
    let today: Vec<(&StarterFacts, Vec<super::signals::Signal>)> = starters
        .iter()
        .filter(|f| in_induction_today(f, on))
        .map(|f| (f, evaluate(f, settings, on)))
        .collect();
    let levels_now: Vec<Option<Severity>> = today
        .iter()
        .map(|(f, signals)| risk::judge(f, signals, on, current.as_ref()).level)
        .collect();
    let red_now = levels_now.iter().filter(|l| **l == Some(Severity::Red)).count();
    let flagged_now = levels_now.iter().filter(|l| l.is_some()).count();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let risks: Vec<u16> = latest.model.as_ref().map_or_else(Vec::new, |model| {
        today
            .iter()
            .map(|(f, signals)| risk::permille(model.risk(risk::features(f, signals, on))))
            .collect()
    });
    let on_period = match &test.calibrated {
        Calibrated::Fitted(comparison) => comparison.choices.clone(),
        Calibrated::TooLittleHistory { .. } => Vec::new(),
    };
    let choices = risk::CHOICES
        .iter()
        .map(|&threshold| {
            let (precision, recall) = on_period
                .iter()
                .find(|(t, ..)| *t == threshold)
                .map_or((None, None), |(_, p, r)| (*p, *r));
            risk::Choice {
                threshold,
                today: count(risks.iter().filter(|r| **r >= threshold).count()),
                precision,
                recall,
            }
        })
        .collect();
    let preview = trying.and_then(|(red, amber)| {
        let candidate = latest.calibration(red, amber, on)?;
        let earlier = super::alerts::persistence_day(on);
        let mut preview = Preview {
            red,
            amber,
            red_today: 0,
            amber_today: 0,
            newly_flagged: 0,
            alerts_opened: 0,
        };
        for ((facts, signals), now) in today.iter().zip(&levels_now) {
            let mask = risk::features(facts, signals, on);
            match candidate.level(mask) {
                Some(Severity::Red) => preview.red_today += 1,
                Some(Severity::Amber) => preview.amber_today += 1,
                None => continue,
            }
            preview.newly_flagged += u32::from(now.is_none());
            let before = evaluate(facts, settings, earlier);
            let due = risk::alerting_calibrated(&candidate, (signals, mask), risk::features(facts, &before, earlier));
            preview.alerts_opened += u32::from(!due.is_empty());
        }
        Some(preview)
    });
    RiskChoice {
        current,
        latest_from: latest.window.0,
        latest_to: latest.window.1,
        latest_leavers: latest.leavers,
        latest_pooled: latest.pooled,
        latest_available: latest.model.is_some(),
        suggested: latest
            .model
            .as_ref()
            .and(latest.base_rate.map(risk::suggested_thresholds)),
        pool_history: settings.pool_history,
        starters_today: count(today.len()),
        red_now: count(red_now),
        flagged_now: count(flagged_now),
        choices,
        preview,
    }
}

/// Run the rules for every starter on every day from `from` to `to` (both
/// included) and compare with leaving within `horizon_months` after each
/// day. `pick(n)` draws a starter index below `n` for the bootstrap (a
/// seeded random source makes the intervals reproducible).
#[allow(clippy::too_many_arguments)]
pub fn backtest(
    starters: &[StarterFacts],
    settings: &Settings,
    shared: &[Shared],
    from: NaiveDate,
    to: NaiveDate,
    horizon_months: u32,
    thresholds: Option<(u16, u16)>,
    mut pick: impl FnMut(usize) -> usize,
) -> Backtest {
    // The calibrated risk is fitted on the history before the period, so
    // its rows are judged like the rules' on days it never saw.
    let fit = fit_history(
        starters,
        settings,
        shared,
        risk::fitting_window(from, horizon_months),
        horizon_months,
    );
    let mut keys = BacktestKey::all();
    // The risk's rows at the thresholds given (chosen or tried), else at
    // those suggested by the base rate of the history fitted on.
    let risk_thresholds = fit
        .model
        .as_ref()
        .and(thresholds.or(fit.base_rate.map(risk::suggested_thresholds)));
    if let Some((red, amber)) = risk_thresholds {
        keys.push(BacktestKey::Risk(red));
        if amber != red {
            keys.push(BacktestKey::Risk(amber));
        }
    }
    let model = fit.model.as_ref();
    let tallies: Vec<Tally> = starters
        .iter()
        .filter_map(|facts| tally(facts, settings, model, &keys, from, to, horizon_months))
        .collect();
    let mut sums = Sums::new(keys.len());
    tallies.iter().for_each(|t| sums.add(t));

    // Bootstrap: resample starters with replacement, recompute every figure.
    let mut base_samples = Vec::with_capacity(RESAMPLES);
    let mut samples: Vec<[Vec<f64>; 5]> = vec![Default::default(); keys.len()];
    if !tallies.is_empty() {
        for _ in 0..RESAMPLES {
            let mut resample = Sums::new(keys.len());
            for _ in 0..tallies.len() {
                resample.add(&tallies[pick(tallies.len()) % tallies.len()]);
            }
            base_samples.extend(resample.base_rate());
            for (k, key_samples) in samples.iter_mut().enumerate() {
                for (figure, value) in key_samples.iter_mut().zip(resample.figures(k)) {
                    figure.extend(value);
                }
            }
        }
    }

    let leavers = sums.leavers;
    let base_rate = figure(sums.base_rate(), &mut base_samples, leavers);
    let points: Vec<[Option<f64>; 5]> = (0..keys.len()).map(|k| sums.figures(k)).collect();
    let rows = keys
        .iter()
        .enumerate()
        .map(|(k, key)| {
            let [precision, lift, recall, lead, per_found] = points[k];
            let key_sums = &sums.keys[k];
            let found = u32::try_from(key_sums.leads.len()).unwrap_or(u32::MAX);
            let [s_precision, s_lift, s_recall, s_lead, s_per_found] = &mut samples[k];
            let about_flags = |value, samples: &mut Vec<f64>| {
                if key_sums.flagged_days == 0 {
                    Figure::Undefined
                } else {
                    figure(value, samples, found)
                }
            };
            BacktestRow {
                key: *key,
                flagged_starters: key_sums.flagged_starters,
                flagged_days: key_sums.flagged_days,
                leavers_found: found,
                precision: about_flags(precision, s_precision),
                lift: about_flags(lift, s_lift),
                recall: figure(recall, s_recall, leavers),
                median_lead_days: about_flags(lead, s_lead),
                days_per_leaver_found: about_flags(per_found, s_per_found),
            }
        })
        .collect::<Vec<_>>();
    let rule_rows: Vec<BacktestRow> = rows
        .iter()
        .filter(|row| !matches!(row.key, BacktestKey::Risk(_)))
        .cloned()
        .collect();
    let calibrated = calibrate(fit, &tallies, &rule_rows, leavers);
    Backtest {
        from,
        to,
        horizon_months,
        starters: u32::try_from(tallies.len()).unwrap_or(u32::MAX),
        starter_days: sums.days,
        leavers,
        base_rate,
        rows,
        calibrated,
        risk_thresholds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::signals::{CheckInFact, Span};

    fn d(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    /// Red and amber thresholds of the calibrated risk's rows.
    const RISK: Option<(u16, u16)> = Some((250, 100));

    fn row(test: &Backtest, key: BacktestKey) -> &BacktestRow {
        test.rows.iter().find(|r| r.key == key).unwrap()
    }

    /// A small linear congruential draw: reproducible, good enough to spread
    /// the resamples in a test.
    fn draws() -> impl FnMut(usize) -> usize {
        let mut state: u64 = 42;
        move |n| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % n
        }
    }

    /// A starter from 1 March with a mentor and a conversation every week,
    /// so only the check-in rules can fire.
    fn guided() -> StarterFacts {
        let weekly: Vec<NaiveDate> = (0..20).map(|w| d(3, 1) + chrono::Duration::weeks(w)).collect();
        StarterFacts {
            start: Some(d(3, 1)),
            mentor_pairings: vec![Span {
                start: d(3, 1),
                end: None,
            }],
            held_conversations: weekly,
            ..StarterFacts::default()
        }
    }

    fn checkin(on: NaiveDate, wellbeing: u8) -> CheckInFact {
        CheckInFact {
            on,
            wellbeing,
            workload: 3,
            intention_to_stay: 4,
        }
    }

    fn fortnightly(until: NaiveDate) -> Vec<CheckInFact> {
        (0..12)
            .map(|w| d(3, 1) + chrono::Duration::weeks(2 * w))
            .filter(|day| *day <= until)
            .map(|day| checkin(day, 4))
            .collect()
    }

    /// `leavers` starters who never check in and leave on 15 May, and
    /// `stayers` who check in well every fortnight and stay.
    fn history(leavers: usize, stayers: usize) -> Vec<StarterFacts> {
        let silent = StarterFacts {
            end: Some(d(5, 15)),
            ..guided()
        };
        let fine = StarterFacts {
            checkins: fortnightly(d(6, 30)),
            ..guided()
        };
        std::iter::repeat_n(silent, leavers)
            .chain(std::iter::repeat_n(fine, stayers))
            .collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn figures_per_starter_day_worked_out_by_hand() {
        // Period 1 March – 30 June (122 days), horizon one month.
        // A silent leaver counts 1 March – 15 May: 76 days, of which the 31
        // from 15 April on are followed by leaving within a month; "no
        // check-in" flags from 29 March (28 days): 48 days, 31 of them
        // followed by leaving; the first of those is 15 April, 30 days
        // before the last working day. A stayer counts 122 days, unflagged.
        let test = backtest(
            &history(10, 10),
            &Settings::default(),
            &[],
            d(3, 1),
            d(6, 30),
            1,
            RISK,
            draws(),
        );
        assert_eq!((test.starters, test.leavers, test.starter_days), (20, 10, 1980));
        let base = 310.0 / 1980.0;
        assert!(close(test.base_rate.value().unwrap(), base), "{:?}", test.base_rate);

        let silent = row(&test, BacktestKey::Rule(RuleId::NoCheckIn));
        assert_eq!(
            (silent.flagged_starters, silent.flagged_days, silent.leavers_found),
            (10, 480, 10)
        );
        let precision = 310.0 / 480.0;
        assert!(close(silent.precision.value().unwrap(), precision));
        assert!(close(silent.lift.value().unwrap(), precision / base));
        assert!(close(silent.recall.value().unwrap(), 1.0));
        assert!(close(silent.median_lead_days.value().unwrap(), 30.0));
        assert!(close(silent.days_per_leaver_found.value().unwrap(), 48.0));
        // "Any signal" is the same here: nothing else fires.
        assert_eq!(row(&test, BacktestKey::AnySignal).precision, silent.precision);

        // Intervals hold their estimate; a rule that fires on everyone who
        // leaves has recall 1 in every resample.
        for figure in [test.base_rate, silent.precision, silent.lift, silent.median_lead_days] {
            let Figure::Estimate { value, low, high } = figure else {
                panic!("{figure:?}")
            };
            assert!(low <= value && value <= high, "{figure:?}");
        }
        let Figure::Estimate { low, high, .. } = silent.lift else {
            unreachable!()
        };
        assert!(low < high, "resampling starters moves the lift");
        assert_eq!(
            silent.recall,
            Figure::Estimate {
                value: 1.0,
                low: 1.0,
                high: 1.0
            }
        );

        // Nothing red: precision undefined, recall 0 of 10.
        let red = row(&test, BacktestKey::Red);
        assert_eq!((red.flagged_days, red.precision), (0, Figure::Undefined));
        assert!(close(red.recall.value().unwrap(), 0.0));
    }

    #[test]
    fn too_few_leavers_suppress_the_figures_behind_them() {
        let test = backtest(
            &history(9, 30),
            &Settings::default(),
            &[],
            d(3, 1),
            d(6, 30),
            1,
            RISK,
            draws(),
        );
        assert_eq!(test.leavers, 9);
        assert_eq!(test.base_rate, Figure::TooFewLeavers { leavers: 9 });
        let silent = row(&test, BacktestKey::Rule(RuleId::NoCheckIn));
        assert_eq!(silent.leavers_found, 9);
        for figure in [silent.precision, silent.lift, silent.recall, silent.median_lead_days] {
            assert_eq!(figure, Figure::TooFewLeavers { leavers: 9 });
        }
    }

    #[test]
    fn the_horizon_decides_which_days_are_followed_by_leaving() {
        // Three months: every day from 15 February on is within three months
        // of 15 May, so all 76 of a leaver's days are followed by leaving,
        // and the first flag (29 March) is 47 days before the end.
        let test = backtest(
            &history(10, 10),
            &Settings::default(),
            &[],
            d(3, 1),
            d(6, 30),
            3,
            RISK,
            draws(),
        );
        let silent = row(&test, BacktestKey::Rule(RuleId::NoCheckIn));
        assert!(close(silent.precision.value().unwrap(), 1.0));
        assert!(close(silent.median_lead_days.value().unwrap(), 47.0));
        assert!(close(test.base_rate.value().unwrap(), 760.0 / 1980.0));
    }

    #[test]
    fn only_days_in_the_induction_count() {
        // Leavers who completed their induction on 1 April: only March
        // counts (31 days), and nobody is flagged or found in it within a
        // month of leaving; a starter who left before the period is not there.
        let mut starters = history(10, 10);
        for leaver in &mut starters[..10] {
            leaver.completed = Some(d(4, 1));
        }
        starters.push(StarterFacts {
            end: Some(d(2, 27)),
            start: Some(d(1, 5)),
            ..guided()
        });
        let test = backtest(
            &starters,
            &Settings::default(),
            &[],
            d(3, 1),
            d(6, 30),
            1,
            RISK,
            draws(),
        );
        assert_eq!((test.starters, test.starter_days), (20, 10 * 31 + 10 * 122));
        assert_eq!(test.leavers, 0);
        assert_eq!(row(&test, BacktestKey::Rule(RuleId::NoCheckIn)).leavers_found, 0);
    }

    #[test]
    fn the_same_draws_give_the_same_intervals() {
        let run = || {
            backtest(
                &history(12, 40),
                &Settings::default(),
                &[],
                d(3, 1),
                d(6, 30),
                1,
                RISK,
                draws(),
            )
        };
        assert_eq!(run(), run());
    }

    /// The same pattern a year earlier: silent starters from 1 March 2025
    /// who leave on 15 May 2025, and starters who check in well and complete
    /// their induction at the end of 2025.
    fn a_year_earlier(leavers: usize, stayers: usize) -> Vec<StarterFacts> {
        let shift = |facts: StarterFacts| StarterFacts {
            start: facts.start.map(|s| s - chrono::Duration::days(365)),
            end: facts.end.map(|e| e - chrono::Duration::days(365)),
            mentor_pairings: facts
                .mentor_pairings
                .iter()
                .map(|p| Span {
                    start: p.start - chrono::Duration::days(365),
                    end: None,
                })
                .collect(),
            held_conversations: facts
                .held_conversations
                .iter()
                .map(|d| *d - chrono::Duration::days(365))
                .collect(),
            checkins: facts
                .checkins
                .iter()
                .map(|c| CheckInFact {
                    on: c.on - chrono::Duration::days(365),
                    ..*c
                })
                .collect(),
            ..facts
        };
        history(leavers, stayers)
            .into_iter()
            .map(shift)
            .map(|facts| StarterFacts {
                completed: facts
                    .end
                    .is_none()
                    .then(|| NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()),
                ..facts
            })
            .collect()
    }

    #[test]
    fn the_calibrated_risk_is_fitted_before_the_period_and_judged_on_it() {
        // Without history before the period: the fixed rules alone decide.
        let test = backtest(
            &history(10, 10),
            &Settings::default(),
            &[],
            d(3, 1),
            d(6, 30),
            1,
            RISK,
            draws(),
        );
        let Calibrated::TooLittleHistory {
            leavers,
            needed,
            fit_to,
            ..
        } = test.calibrated
        else {
            panic!("{:?}", test.calibrated)
        };
        assert_eq!((leavers, needed, fit_to), (0, risk::MIN_FIT_LEAVERS, d(1, 31)));
        assert!(!test.rows.iter().any(|r| matches!(r.key, BacktestKey::Risk(_))));
        assert_eq!(test.risk_thresholds, None);

        // With 25 leavers the year before, the model learns that "no
        // check-in" goes with leaving; on the judged period it reaches the
        // recall of the best rule ("no check-in") with the same precision.
        let mut starters = a_year_earlier(25, 25);
        starters.extend(history(10, 10));
        let test = backtest(
            &starters,
            &Settings::default(),
            &[],
            d(3, 1),
            d(6, 30),
            1,
            RISK,
            draws(),
        );
        let Calibrated::Fitted(comparison) = &test.calibrated else {
            panic!("{:?}", test.calibrated)
        };
        assert_eq!(comparison.fit_leavers, 25);
        let weight = |f| comparison.model.weights.iter().find(|(g, _)| *g == f).unwrap().1;
        assert!(
            weight(risk::Feature::Rule(RuleId::NoCheckIn)) > 1.0,
            "{:?}",
            comparison.model
        );
        let (key, _, precision, recall) = comparison.rule.unwrap();
        assert_eq!((key, recall), (BacktestKey::Rule(RuleId::NoCheckIn), 1.0));
        let at = comparison.risk.unwrap();
        assert_eq!(at.recall, 1.0);
        assert!(close(at.precision, precision), "{at:?} vs {precision}");
        // The risk at red and amber is judged like a rule, with intervals:
        // the silent leavers are flagged, the starters who check in are not.
        assert_eq!(test.risk_thresholds, RISK);
        for threshold in [250, 100] {
            let flagged = row(&test, BacktestKey::Risk(threshold));
            assert_eq!(flagged.leavers_found, 10, "{flagged:?}");
            assert!(matches!(flagged.lift, Figure::Estimate { .. }), "{flagged:?}");
            assert!(close(
                flagged.precision.value().unwrap(),
                row(&test, BacktestKey::Rule(RuleId::NoCheckIn))
                    .precision
                    .value()
                    .unwrap()
            ));
        }
        assert_eq!(BacktestKey::Risk(250).code(), "risk_from_250_permille");
        // Without chosen thresholds, those the base rate suggests.
        let suggested = backtest(
            &starters,
            &Settings::default(),
            &[],
            d(3, 1),
            d(6, 30),
            1,
            None,
            draws(),
        );
        assert!(suggested.risk_thresholds.is_some());
    }

    #[test]
    fn pooled_history_is_used_only_when_shared_and_the_own_is_too_small() {
        // Ten leavers of its own the year before: too few to fit on.
        let mut own = a_year_earlier(10, 10);
        own.extend(history(10, 10));
        let alone = backtest(&own, &Settings::default(), &[], d(3, 1), d(6, 30), 1, RISK, draws());
        assert!(
            matches!(alone.calibrated, Calibrated::TooLittleHistory { leavers: 10, .. }),
            "{:?}",
            alone.calibrated
        );
        // Another institution shares 15 more: the pool of 25 is fitted on.
        let shared = [(a_year_earlier(15, 15), Settings::default())];
        let pooled = backtest(&own, &Settings::default(), &shared, d(3, 1), d(6, 30), 1, RISK, draws());
        let Calibrated::Fitted(comparison) = &pooled.calibrated else {
            panic!("{:?}", pooled.calibrated)
        };
        assert_eq!((comparison.fit_leavers, comparison.pooled), (25, true));
        // With enough history of its own, the shared history is not used.
        let mut rich = a_year_earlier(25, 25);
        rich.extend(history(10, 10));
        let own_fit = backtest(
            &rich,
            &Settings::default(),
            &shared,
            d(3, 1),
            d(6, 30),
            1,
            RISK,
            draws(),
        );
        let Calibrated::Fitted(comparison) = &own_fit.calibrated else {
            panic!("{:?}", own_fit.calibrated)
        };
        assert_eq!((comparison.fit_leavers, comparison.pooled), (25, false));
    }

    #[test]
    fn choosing_thresholds_shows_their_effect_and_opens_no_alert_for_what_is_known() {
        let mut starters = a_year_earlier(25, 25);
        starters.extend(history(10, 10));
        let settings = Settings::default();
        let test = backtest(&starters, &settings, &[], d(3, 1), d(6, 30), 1, RISK, draws());
        // Judged on 1 May: the latest fit ends a horizon (one month) before.
        let on = d(5, 1);
        let latest = fit_history(&starters, &settings, &[], risk::fitting_window(on, 1), 1);
        assert!(latest.model.is_some());
        let choice = risk_choice(&starters, &settings, on, None, &latest, &test, None);
        assert_eq!(choice.starters_today, 20);
        assert_eq!(choice.choices.len(), risk::CHOICES.len());
        // A higher threshold never flags more starters today.
        assert!(
            choice.choices.windows(2).all(|w| w[0].today >= w[1].today),
            "{:?}",
            choice.choices
        );
        assert!(choice.choices.iter().all(|c| c.recall.is_some()));
        assert!(choice.preview.is_none());
        // The ten silent starters are flagged at a low threshold; trying it
        // flags them, and adopting it today would open no alert.
        let tried = risk_choice(&starters, &settings, on, None, &latest, &test, Some((500, 20)));
        let preview = tried.preview.unwrap();
        assert_eq!(preview.red_today + preview.amber_today, choice.choices[0].today);
        assert!(preview.red_today + preview.amber_today >= 10, "{preview:?}");
        assert_eq!(preview.alerts_opened, 0);
        // Newly flagged: flagged with the thresholds, without a signal now.
        assert!(preview.newly_flagged <= preview.red_today + preview.amber_today);
    }
}
