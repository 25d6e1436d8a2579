//! A calibrated risk beside the fixed rules: a logistic regression of "left
//! within the horizon" on which rules fire and two facts (a fixed-term
//! contract, the first year), fitted on the institution's own history and
//! judged on a later period that starts one horizon after the fitting data
//! ends, so the fit never sees an outcome of the days it is judged on.
//!
//! A starter-day is described by a bit mask of its [`Feature`]s. Starter-days
//! with the same mask are interchangeable for the fit, so the fit works on
//! counts per mask: a handful of rows whatever the size of the institution.

use std::collections::BTreeMap;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::signals::{RuleId, Severity, Signal, StarterFacts, level, score};

/// What the model knows of a starter-day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Feature {
    /// The rule fires (amber or red).
    Rule(RuleId),
    /// A fixed-term contract without a decision yet.
    FixedTerm,
    /// In the first twelve months after the start.
    FirstYear,
}

impl Feature {
    /// Every feature, in the order of the mask's bits.
    pub fn all() -> Vec<Feature> {
        RuleId::ALL
            .iter()
            .copied()
            .map(Feature::Rule)
            .chain([Feature::FixedTerm, Feature::FirstYear])
            .collect()
    }
}

/// Features as bits, in the order of [`Feature::all`].
pub type Mask = u32;

/// The features of a starter on `day`, given the signals the rules gave.
pub fn features(facts: &StarterFacts, signals: &[Signal], day: NaiveDate) -> Mask {
    let mut mask = 0;
    for (bit, feature) in Feature::all().into_iter().enumerate() {
        let on = match feature {
            Feature::Rule(rule) => signals.iter().any(|s| s.rule == rule),
            Feature::FixedTerm => facts
                .contract_until
                .is_some_and(|(until, decided)| until >= day && decided.is_none_or(|d| d > day)),
            Feature::FirstYear => facts
                .start
                .and_then(|start| start.checked_add_months(Months::new(12)))
                .is_some_and(|year| day < year),
        };
        if on {
            mask |= 1 << bit;
        }
    }
    mask
}

/// Starter-days per feature mask: how many, and how many were followed by
/// leaving within the horizon.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    by_mask: BTreeMap<Mask, (u64, u64)>,
    /// Distinct starters with at least one day followed by leaving.
    pub leavers: u32,
    pub days: u64,
}

impl Counts {
    pub fn add(&mut self, mask: Mask, left: bool) {
        let entry = self.by_mask.entry(mask).or_default();
        entry.0 += 1;
        entry.1 += u64::from(left);
        self.days += 1;
    }

    /// The share of starter-days followed by leaving.
    pub fn base_rate(&self) -> Option<f64> {
        let (days, left) = self.by_mask.values().fold((0, 0), |(n, y), (dn, dy)| (n + dn, y + dy));
        (days > 0).then(|| left as f64 / days as f64)
    }

    /// Add another history (pooling).
    pub fn merge(&mut self, other: &Counts) {
        for (mask, (n, y)) in &other.by_mask {
            let entry = self.by_mask.entry(*mask).or_default();
            entry.0 += n;
            entry.1 += y;
        }
        self.days += other.days;
        self.leavers += other.leavers;
    }
}

/// A fitted model: an intercept and a weight (log odds) per feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub intercept: f64,
    pub weights: Vec<(Feature, f64)>,
}

impl Model {
    /// The chance of leaving within the horizon for a starter-day.
    pub fn risk(&self, mask: Mask) -> f64 {
        let z = self.intercept
            + self
                .weights
                .iter()
                .enumerate()
                .filter(|(bit, _)| mask & (1 << bit) != 0)
                .map(|(_, (_, w))| w)
                .sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }

    /// The features present that raise the risk most, largest first: the
    /// reasons to show in words.
    pub fn reasons(&self, mask: Mask) -> Vec<(Feature, f64)> {
        let mut present: Vec<(Feature, f64)> = self
            .weights
            .iter()
            .enumerate()
            .filter(|(bit, (_, w))| mask & (1 << bit) != 0 && *w > 0.0)
            .map(|(_, fw)| *fw)
            .collect();
        present.sort_by(|a, b| b.1.total_cmp(&a.1));
        present
    }
}

/// Ridge penalty on the weights (not the intercept): keeps a feature seen on
/// few days from getting an extreme weight.
pub const PENALTY: f64 = 1.0;

/// Fewer leavers than this in the fitting data, and no model is fitted: the
/// fixed rules alone decide.
pub const MIN_FIT_LEAVERS: u32 = 20;

/// Fit the logistic regression by Newton's method on the counts per mask.
/// `None` when there is too little history or the fit does not converge.
pub fn fit(counts: &Counts) -> Option<Model> {
    if counts.leavers < MIN_FIT_LEAVERS {
        return None;
    }
    let features = Feature::all();
    let k = features.len() + 1;
    let row = |mask: Mask| -> Vec<f64> {
        std::iter::once(1.0)
            .chain((0..features.len()).map(|bit| if mask & (1 << bit) != 0 { 1.0 } else { 0.0 }))
            .collect()
    };
    let mut beta = vec![0.0; k];
    for _ in 0..100 {
        let mut gradient = vec![0.0; k];
        let mut hessian = vec![vec![0.0; k]; k];
        for (&mask, &(n, y)) in &counts.by_mask {
            let x = row(mask);
            let z: f64 = x.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let (n, y) = (n as f64, y as f64);
            for i in 0..k {
                gradient[i] += x[i] * (y - n * p);
                for j in 0..k {
                    hessian[i][j] += n * p * (1.0 - p) * x[i] * x[j];
                }
            }
        }
        for i in 1..k {
            gradient[i] -= PENALTY * beta[i];
            hessian[i][i] += PENALTY;
        }
        // A feature never seen keeps weight 0 through the penalty alone.
        hessian[0][0] += 1e-9;
        let step = solve(hessian, gradient)?;
        let size = step.iter().map(|s| s.abs()).fold(0.0, f64::max);
        beta.iter_mut().zip(&step).for_each(|(b, s)| *b += s);
        if size < 1e-9 {
            return Some(Model {
                intercept: beta[0],
                weights: features.into_iter().zip(beta[1..].iter().copied()).collect(),
            });
        }
    }
    None
}

/// Solve `a x = b` by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (upper, lower) = a.split_at_mut(col + 1);
        let pivot_row = &upper[col];
        for (r, row) in lower.iter_mut().enumerate() {
            let factor = row[col] / pivot_row[col];
            row.iter_mut()
                .zip(pivot_row)
                .skip(col)
                .for_each(|(x, p)| *x -= factor * p);
            b[col + 1 + r] -= factor * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let sum: f64 = (r + 1..n).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - sum) / a[r][r];
    }
    Some(x)
}

/// The fitting window for a backtest period starting `from`: the 24 months
/// of days ending one horizon before `from`, so every outcome the fit uses
/// was known before the first day it is judged on.
pub fn fitting_window(from: NaiveDate, horizon_months: u32) -> (NaiveDate, NaiveDate) {
    let end = from
        .checked_sub_months(Months::new(horizon_months))
        .and_then(|d| d.checked_sub_days(Days::new(1)))
        .unwrap_or(NaiveDate::MIN);
    let start = end
        .checked_sub_months(Months::new(24))
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .unwrap_or(NaiveDate::MIN);
    (start, end)
}

/// One validation starter-day: its features, whether leaving followed, and
/// whose day it is.
#[derive(Debug, Clone, Copy)]
pub struct Day {
    pub mask: Mask,
    pub leaving: bool,
    pub starter: u32,
}

/// How flagging every starter-day at or above a risk threshold did.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Operating {
    pub threshold: f64,
    pub flagged_days: u64,
    pub precision: f64,
    pub recall: f64,
}

/// The highest threshold whose recall (leavers flagged on a day followed by
/// their leaving, of `leavers`) reaches `recall`: the model's precision at
/// the recall of the rule it is compared with.
pub fn at_recall(model: &Model, days: &[Day], leavers: u32, recall: f64) -> Option<Operating> {
    if leavers == 0 {
        return None;
    }
    let mut scored: Vec<(f64, &Day)> = days.iter().map(|d| (model.risk(d.mask), d)).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut found = std::collections::HashSet::new();
    let (mut flagged, mut flagged_leaving) = (0u64, 0u64);
    let mut i = 0;
    while i < scored.len() {
        // Every day with the same risk is flagged together.
        let threshold = scored[i].0;
        while i < scored.len() && scored[i].0 == threshold {
            let day = scored[i].1;
            flagged += 1;
            if day.leaving {
                flagged_leaving += 1;
                found.insert(day.starter);
            }
            i += 1;
        }
        let reached = found.len() as f64 / f64::from(leavers);
        if reached + 1e-12 >= recall {
            return Some(Operating {
                threshold,
                flagged_days: flagged,
                precision: flagged_leaving as f64 / flagged as f64,
                recall: reached,
            });
        }
    }
    None
}

/// The risk levels (per mille chance of leaving within the horizon) a
/// coordinator chooses the red and amber thresholds from.
pub const CHOICES: [u16; 14] = [20, 30, 40, 50, 60, 80, 100, 125, 150, 200, 250, 300, 400, 500];

/// Thresholds to start from, before the coordinator chooses: red at three
/// times the base rate of the history fitted on (a starter three times as
/// likely to leave as the average), amber at one and a half times; each the
/// nearest offered level at or above it.
pub fn suggested_thresholds(base_rate: f64) -> (u16, u16) {
    let at_least = |chance: f64| {
        let wanted = permille(chance);
        CHOICES
            .iter()
            .copied()
            .find(|c| *c >= wanted)
            .unwrap_or(CHOICES[CHOICES.len() - 1])
    };
    (at_least(3.0 * base_rate), at_least(1.5 * base_rate))
}

/// A calibrated risk in use: the model fitted on the institution's latest
/// history and the thresholds the coordinator chose for red and amber.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub model: Model,
    pub fit_from: NaiveDate,
    pub fit_to: NaiveDate,
    pub fit_leavers: u32,
    /// Fitted on the pooled history of institutions that share it.
    pub pooled: bool,
    /// Per mille chance at or above which a starter is red, and amber.
    pub red: u16,
    pub amber: u16,
    /// The day it was adopted: a condition already there that day never
    /// opens an alert under it (a change never floods anyone).
    pub adopted_on: NaiveDate,
}

/// A chance as per mille, rounded.
pub fn permille(chance: f64) -> u16 {
    (chance * 1000.0).round().clamp(0.0, 1000.0) as u16
}

impl Calibration {
    /// The level for a starter-day's features: red, amber or nothing.
    pub fn level(&self, mask: Mask) -> Option<Severity> {
        level_at(permille(self.model.risk(mask)), self.red, self.amber)
    }
}

/// The level of a risk (per mille) under thresholds.
pub fn level_at(risk: u16, red: u16, amber: u16) -> Option<Severity> {
    if risk >= red {
        Some(Severity::Red)
    } else if risk >= amber {
        Some(Severity::Amber)
    } else {
        None
    }
}

/// What a starter's evaluation says: the level and the score lists are
/// ordered by, and, with a calibrated risk, the risk and its reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    pub level: Option<Severity>,
    pub score: u32,
    /// Per mille chance of leaving within the horizon.
    pub risk: Option<u16>,
    /// The features that raise the risk most, largest first (at most three).
    pub reasons: Vec<Feature>,
}

/// Judge a starter on `day`: by the fixed rules (the highest severity of
/// the signals), or, with a calibration, by the calibrated risk and its
/// thresholds (the score is then the risk, so lists order by it).
pub fn judge(facts: &StarterFacts, signals: &[Signal], day: NaiveDate, calibration: Option<&Calibration>) -> Judged {
    match calibration {
        None => Judged {
            level: level(signals),
            score: score(signals, day),
            risk: None,
            reasons: Vec::new(),
        },
        Some(calibration) => {
            let mask = features(facts, signals, day);
            let risk = permille(calibration.model.risk(mask));
            Judged {
                level: level_at(risk, calibration.red, calibration.amber),
                score: u32::from(risk),
                risk: Some(risk),
                reasons: calibration
                    .model
                    .reasons(mask)
                    .into_iter()
                    .take(3)
                    .map(|(f, _)| f)
                    .collect(),
            }
        }
    }
}

/// The signals that call for an alert under a calibration: when the
/// starter is red, or has been amber or red for a fortnight, the signals of
/// the day whose condition began after the calibration was adopted. What
/// was already there when it was adopted never opens an alert.
pub fn alerting_calibrated(calibration: &Calibration, today: (&[Signal], Mask), fortnight_ago: Mask) -> Vec<Signal> {
    let due = match calibration.level(today.1) {
        Some(Severity::Red) => true,
        Some(Severity::Amber) => calibration.level(fortnight_ago).is_some(),
        None => false,
    };
    if !due {
        return Vec::new();
    }
    today
        .0
        .iter()
        .filter(|s| s.since > calibration.adopted_on)
        .cloned()
        .collect()
}

/// How a threshold did on the judged period and what it flags today.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// Per mille chance at or above which a starter is flagged.
    pub threshold: u16,
    /// Starters in their induction today at or above it (latest fit).
    pub today: u32,
    /// On the judged period (the fit made before it): share of flagged
    /// starter-days followed by leaving, and leavers flagged on such a day.
    pub precision: Option<f64>,
    pub recall: Option<f64>,
}

/// Precision and recall on judged days when flagging at `threshold` per
/// mille: `None` when nothing is flagged (precision) or nobody left (recall).
pub fn at_threshold(model: &Model, days: &[Day], leavers: u32, threshold: u16) -> (Option<f64>, Option<f64>) {
    let mut found = std::collections::HashSet::new();
    let (mut flagged, mut flagged_leaving) = (0u64, 0u64);
    for day in days.iter().filter(|d| permille(model.risk(d.mask)) >= threshold) {
        flagged += 1;
        if day.leaving {
            flagged_leaving += 1;
            found.insert(day.starter);
        }
    }
    let precision = (flagged > 0).then(|| flagged_leaving as f64 / flagged as f64);
    let recall = (leavers > 0).then(|| found.len() as f64 / f64::from(leavers));
    (precision, recall)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bit(feature: Feature) -> Mask {
        1 << Feature::all().iter().position(|f| *f == feature).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A history whose answer is known: without a signal 1 in 10 days is
    /// followed by leaving, with "no conversation" 1 in 2. The fit finds the
    /// log odds (the penalty pulls a little towards 0 on this many days).
    #[test]
    fn the_fit_recovers_known_log_odds() {
        let silent = bit(Feature::Rule(RuleId::NoConversation));
        let mut counts = Counts {
            leavers: 50,
            ..Counts::default()
        };
        for i in 0..10_000 {
            counts.add(0, i % 10 == 0);
            counts.add(silent, i % 2 == 0);
        }
        let model = fit(&counts).unwrap();
        let base = (0.1f64 / 0.9).ln();
        assert!((model.intercept - base).abs() < 0.01, "{model:?}");
        let weight = model
            .weights
            .iter()
            .find(|(f, _)| *f == Feature::Rule(RuleId::NoConversation))
            .unwrap()
            .1;
        assert!((weight - (0.0 - base)).abs() < 0.01, "{weight}");
        assert!((model.risk(0) - 0.1).abs() < 1e-3);
        assert!((model.risk(silent) - 0.5).abs() < 1e-3);
        // Never seen: weight 0, so the risk is the base risk.
        let unseen = model.weights.iter().find(|(f, _)| *f == Feature::FixedTerm).unwrap().1;
        assert!(unseen.abs() < 1e-6);
        assert_eq!(
            model.reasons(silent | bit(Feature::FixedTerm))[0].0,
            Feature::Rule(RuleId::NoConversation)
        );
    }

    #[test]
    fn too_little_history_fits_nothing() {
        let mut counts = Counts {
            leavers: MIN_FIT_LEAVERS - 1,
            ..Counts::default()
        };
        counts.add(0, true);
        assert_eq!(fit(&counts), None);
    }

    #[test]
    fn the_fitting_data_ends_one_horizon_before_the_judged_period() {
        // Judged from 1 June 2026 with six months: fitted on days up to
        // 30 November 2025, whose outcomes are known by 31 May 2026.
        assert_eq!(fitting_window(d(2026, 6, 1), 6), (d(2023, 12, 1), d(2025, 11, 30)));
    }

    #[test]
    fn the_threshold_is_the_highest_that_reaches_the_recall() {
        let model = Model {
            intercept: -2.0,
            weights: Feature::all()
                .into_iter()
                .enumerate()
                .map(|(i, f)| (f, if i == 0 { 2.0 } else { 0.0 }))
                .collect(),
        };
        // Starter 0 leaves and is flagged (bit 0); starter 1 leaves unflagged;
        // starter 2 stays, flagged on one day and not on three.
        let days = [
            Day {
                mask: 1,
                leaving: true,
                starter: 0,
            },
            Day {
                mask: 0,
                leaving: true,
                starter: 1,
            },
            Day {
                mask: 1,
                leaving: false,
                starter: 2,
            },
            Day {
                mask: 0,
                leaving: false,
                starter: 2,
            },
            Day {
                mask: 0,
                leaving: false,
                starter: 2,
            },
            Day {
                mask: 0,
                leaving: false,
                starter: 2,
            },
        ];
        let half = at_recall(&model, &days, 2, 0.5).unwrap();
        assert_eq!((half.flagged_days, half.precision, half.recall), (2, 0.5, 0.5));
        let all = at_recall(&model, &days, 2, 1.0).unwrap();
        assert_eq!((all.flagged_days, all.recall), (6, 1.0));
        assert!((all.precision - 2.0 / 6.0).abs() < 1e-12);
    }

    fn silence(since: NaiveDate, severity: Severity) -> Signal {
        Signal {
            rule: RuleId::NoConversation,
            severity,
            evidence: crate::domain::signals::Evidence::DaysSince {
                since,
                days: 30,
                ever: true,
            },
            since,
        }
    }

    /// Base risk 1 in 21 (log odds -3); no conversation adds 2 (27%).
    fn calibration(adopted_on: NaiveDate) -> Calibration {
        Calibration {
            model: Model {
                intercept: -3.0,
                weights: Feature::all()
                    .into_iter()
                    .map(|f| {
                        (
                            f,
                            if f == Feature::Rule(RuleId::NoConversation) {
                                2.0
                            } else {
                                0.0
                            },
                        )
                    })
                    .collect(),
            },
            fit_from: d(2024, 1, 1),
            fit_to: d(2025, 12, 31),
            fit_leavers: 40,
            pooled: false,
            red: 250,
            amber: 100,
            adopted_on,
        }
    }

    #[test]
    fn the_calibrated_level_follows_the_chosen_thresholds() {
        let facts = StarterFacts::default();
        let on = d(2026, 6, 1);
        let signals = [silence(d(2026, 5, 1), Severity::Amber)];
        // Without a calibration the rules decide: amber, scored by the rules.
        let by_rules = judge(&facts, &signals, on, None);
        assert_eq!((by_rules.level, by_rules.risk), (Some(Severity::Amber), None));
        assert_eq!(by_rules.score, score(&signals, on));
        // With one: a 27% chance is red at 25%, amber at 30%.
        let mut adopted = calibration(d(2026, 1, 1));
        let judged = judge(&facts, &signals, on, Some(&adopted));
        assert_eq!(
            (judged.level, judged.risk, judged.score),
            (Some(Severity::Red), Some(269), 269)
        );
        assert_eq!(judged.reasons, [Feature::Rule(RuleId::NoConversation)]);
        adopted.red = 300;
        assert_eq!(judge(&facts, &signals, on, Some(&adopted)).level, Some(Severity::Amber));
        // Nothing signalled: the base risk of 5% is below amber.
        let quiet = judge(&facts, &[], on, Some(&adopted));
        assert_eq!((quiet.level, quiet.risk, quiet.reasons.len()), (None, Some(47), 0));
        assert_eq!(level_at(100, 300, 100), Some(Severity::Amber));
        assert_eq!(level_at(99, 300, 100), None);
    }

    #[test]
    fn a_condition_already_there_when_adopted_never_opens_an_alert() {
        let adopted = calibration(d(2026, 5, 15));
        let silent = bit(Feature::Rule(RuleId::NoConversation));
        // Red (27% at or above 25%) for a condition from before the change: nothing.
        let old = [silence(d(2026, 5, 1), Severity::Amber)];
        assert!(alerting_calibrated(&adopted, (&old, silent), silent).is_empty());
        // A condition that began after it alerts.
        let new = [silence(d(2026, 5, 20), Severity::Amber)];
        assert_eq!(alerting_calibrated(&adopted, (&new, silent), 0), new);
        // Amber must have lasted a fortnight.
        let amber = Calibration { red: 300, ..adopted };
        assert!(alerting_calibrated(&amber, (&new, silent), 0).is_empty());
        assert_eq!(alerting_calibrated(&amber, (&new, silent), silent), new);
        // Below amber: nothing, whatever the signals.
        let strict = Calibration {
            red: 500,
            amber: 400,
            ..calibration(d(2026, 5, 15))
        };
        assert!(alerting_calibrated(&strict, (&new, silent), silent).is_empty());
    }

    #[test]
    fn precision_and_recall_at_a_threshold_count_flagged_days_and_leavers() {
        let model = calibration(d(2026, 1, 1)).model;
        let silent = bit(Feature::Rule(RuleId::NoConversation));
        let days = [
            Day {
                mask: silent,
                leaving: true,
                starter: 0,
            },
            Day {
                mask: silent,
                leaving: false,
                starter: 1,
            },
            Day {
                mask: 0,
                leaving: true,
                starter: 2,
            },
            Day {
                mask: 0,
                leaving: false,
                starter: 3,
            },
        ];
        assert_eq!(at_threshold(&model, &days, 2, 250), (Some(0.5), Some(0.5)));
        assert_eq!(at_threshold(&model, &days, 2, 40), (Some(0.5), Some(1.0)));
        assert_eq!(at_threshold(&model, &days, 2, 500), (None, Some(0.0)));
        assert_eq!(at_threshold(&model, &days, 0, 500), (None, None));
    }

    #[test]
    fn suggested_thresholds_are_three_and_one_and_a_half_times_the_base_rate() {
        // 5.4%: red from 16.2% (20% is the next level), amber from 8.1% (10%).
        assert_eq!(suggested_thresholds(0.054), (200, 100));
        assert_eq!(suggested_thresholds(0.02), (60, 30));
        assert_eq!(suggested_thresholds(0.4), (500, 500));
    }

    #[test]
    fn merged_counts_add_up() {
        let mut a = Counts {
            leavers: 3,
            ..Counts::default()
        };
        a.add(1, true);
        let mut b = Counts {
            leavers: 4,
            ..Counts::default()
        };
        b.add(1, false);
        b.add(0, false);
        a.merge(&b);
        assert_eq!((a.leavers, a.days), (7, 3));
        assert_eq!(a.by_mask[&1], (2, 1));
    }
}
