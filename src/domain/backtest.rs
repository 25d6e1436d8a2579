//! The backtest: run the rules over history day by day and compare with who
//! actually left. For each rule, for "any signal" and for "red": how many
//! leavers were flagged before they left, how early (median lead time), and
//! how many flagged starters stayed. An institution sees how well its own
//! thresholds would have warned it — evidence for tuning, not a model.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

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
}

impl BacktestKey {
    /// Stable code for CSV and the command line.
    pub fn code(self) -> String {
        match self {
            BacktestKey::AnySignal => "any_signal".to_owned(),
            BacktestKey::Red => "red".to_owned(),
            BacktestKey::Rule(rule) => rule.code().to_owned(),
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

/// One row of the backtest table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestRow {
    pub key: BacktestKey,
    /// Leavers flagged on some day of the period before (or on) their last day.
    pub flagged_leavers: u32,
    /// Median days from the first flag in the period to the last working day.
    pub median_lead_days: Option<f64>,
    /// Starters flagged in the period who did not leave in it.
    pub flagged_stayers: u32,
}

impl BacktestRow {
    /// Share of the leavers that were flagged.
    pub fn recall(&self, leavers: u32) -> Option<f64> {
        (leavers > 0).then(|| f64::from(self.flagged_leavers) / f64::from(leavers))
    }

    /// Share of the flagged starters who left.
    pub fn precision(&self) -> Option<f64> {
        let flagged = self.flagged_leavers + self.flagged_stayers;
        (flagged > 0).then(|| f64::from(self.flagged_leavers) / f64::from(flagged))
    }
}

/// The backtest of one institution over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Starters employed on some day of the period.
    pub starters: u32,
    /// Of them, those whose employment ended within the period.
    pub leavers: u32,
    pub rows: Vec<BacktestRow>,
}

/// Longest period the backtest runs over (the rules run every day).
pub const MAX_DAYS: i64 = 3 * 366;

fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 0 {
        (values[mid - 1] + values[mid]) as f64 / 2.0
    } else {
        values[mid] as f64
    })
}

/// Run the rules for every starter on every day from `from` to `to` (both
/// included). A starter counts from their first day in the period to their
/// last; a leaver is someone whose employment ended within the period.
pub fn backtest(starters: &[StarterFacts], settings: &Settings, from: NaiveDate, to: NaiveDate) -> Backtest {
    let keys = BacktestKey::all();
    let mut flagged_leavers = vec![0u32; keys.len()];
    let mut flagged_stayers = vec![0u32; keys.len()];
    let mut leads: Vec<Vec<i64>> = vec![Vec::new(); keys.len()];
    let (mut counted, mut leavers) = (0u32, 0u32);
    for facts in starters {
        let Some(start) = facts.start else { continue };
        let first = start.max(from);
        let last = facts.end.map_or(to, |end| end.min(to));
        if first > last {
            continue;
        }
        counted += 1;
        let left = facts.end.is_some_and(|end| end >= from && end <= to);
        leavers += u32::from(left);
        // The first day each row's condition held.
        let mut first_flag: Vec<Option<NaiveDate>> = vec![None; keys.len()];
        let mut day = first;
        while day <= last {
            let signals = evaluate(facts, settings, day);
            for (i, key) in keys.iter().enumerate() {
                if first_flag[i].is_some() {
                    continue;
                }
                let hit = match key {
                    BacktestKey::AnySignal => !signals.is_empty(),
                    BacktestKey::Red => signals.iter().any(|s| s.severity == Severity::Red),
                    BacktestKey::Rule(rule) => signals.iter().any(|s| s.rule == *rule),
                };
                if hit {
                    first_flag[i] = Some(day);
                }
            }
            match day.checked_add_days(Days::new(1)) {
                Some(next) => day = next,
                None => break,
            }
        }
        for (i, flagged_on) in first_flag.iter().enumerate() {
            let Some(flagged_on) = flagged_on else { continue };
            if left {
                flagged_leavers[i] += 1;
                leads[i].push((last - *flagged_on).num_days());
            } else {
                flagged_stayers[i] += 1;
            }
        }
    }
    let rows = keys
        .into_iter()
        .enumerate()
        .map(|(i, key)| BacktestRow {
            key,
            flagged_leavers: flagged_leavers[i],
            median_lead_days: median(&mut leads[i]),
            flagged_stayers: flagged_stayers[i],
        })
        .collect();
    Backtest {
        from,
        to,
        starters: counted,
        leavers,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::signals::{CheckInFact, Span};

    fn d(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    fn row(test: &Backtest, key: BacktestKey) -> &BacktestRow {
        test.rows.iter().find(|r| r.key == key).unwrap()
    }

    /// Three starters from 1 March, all with a mentor and a conversation
    /// every week, so only the check-in rules can fire:
    /// - Ada checks in with well-being 1 on 1 April and leaves on 25 April:
    ///   red from 1 April, lead 24 days (she left before 28 days without a
    ///   check-in would have flagged her too).
    /// - Bas never checks in and leaves on 15 May: "no check-in" (28 days)
    ///   from 29 March, lead 47 days; no red.
    /// - Cor checks in fine every fortnight and stays: never flagged.
    /// - Dirk checks in with well-being 2 on 1 May and stays: red, a stayer.
    fn history() -> Vec<StarterFacts> {
        let weekly: Vec<NaiveDate> = (0..20).map(|w| d(3, 1) + chrono::Duration::weeks(w)).collect();
        let base = StarterFacts {
            start: Some(d(3, 1)),
            mentor_pairings: vec![Span {
                start: d(3, 1),
                end: None,
            }],
            held_conversations: weekly,
            ..StarterFacts::default()
        };
        let checkin = |on: NaiveDate, wellbeing: u8| CheckInFact {
            on,
            wellbeing,
            workload: 3,
            intention_to_stay: 4,
        };
        let fortnightly = |until: NaiveDate| -> Vec<CheckInFact> {
            (0..12)
                .map(|w| d(3, 1) + chrono::Duration::weeks(2 * w))
                .filter(|day| *day <= until)
                .map(|day| checkin(day, 4))
                .collect()
        };
        let mut ada_checkins = fortnightly(d(3, 31));
        ada_checkins.push(checkin(d(4, 1), 1));
        let mut dirk_checkins = fortnightly(d(4, 30));
        dirk_checkins.push(checkin(d(5, 1), 2));
        dirk_checkins.extend(fortnightly(d(6, 30)).into_iter().filter(|c| c.on > d(5, 1)));
        vec![
            StarterFacts {
                end: Some(d(4, 25)),
                checkins: ada_checkins,
                ..base.clone()
            },
            StarterFacts {
                end: Some(d(5, 15)),
                ..base.clone()
            },
            StarterFacts {
                checkins: fortnightly(d(6, 30)),
                ..base.clone()
            },
            StarterFacts {
                checkins: dirk_checkins,
                ..base
            },
        ]
    }

    #[test]
    fn counts_flagged_leavers_their_lead_time_and_flagged_stayers() {
        let test = backtest(&history(), &Settings::default(), d(3, 1), d(6, 30));
        assert_eq!((test.starters, test.leavers), (4, 2));

        let any = row(&test, BacktestKey::AnySignal);
        assert_eq!((any.flagged_leavers, any.flagged_stayers), (2, 1));
        // Ada: 25 April − 1 April = 24; Bas: 15 May − 29 March = 47.
        assert_eq!(any.median_lead_days, Some(35.5));
        assert_eq!(any.recall(test.leavers), Some(1.0));
        assert_eq!(any.precision(), Some(2.0 / 3.0));

        let red = row(&test, BacktestKey::Red);
        assert_eq!(
            (red.flagged_leavers, red.flagged_stayers, red.median_lead_days),
            (1, 1, Some(24.0))
        );

        let silent = row(&test, BacktestKey::Rule(RuleId::NoCheckIn));
        assert_eq!(
            (silent.flagged_leavers, silent.flagged_stayers, silent.median_lead_days),
            (1, 0, Some(47.0))
        );

        let never = row(&test, BacktestKey::Rule(RuleId::NoMentor));
        assert_eq!(
            (never.flagged_leavers, never.flagged_stayers, never.median_lead_days),
            (0, 0, None)
        );
        assert_eq!(never.precision(), None);
    }

    #[test]
    fn the_period_bounds_who_counts() {
        // Ending before the period: Ada and Bas left before 1 June, so only
        // the two stayers count, and nobody left.
        let test = backtest(&history(), &Settings::default(), d(6, 1), d(6, 30));
        assert_eq!((test.starters, test.leavers), (2, 0));
        // Dirk's low well-being was on 1 May, the latest check-in before June
        // is fine again: nobody red in June.
        assert_eq!(row(&test, BacktestKey::Red).flagged_stayers, 0);
    }
}
