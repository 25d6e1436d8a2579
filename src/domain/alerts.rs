//! Alerts: what turns signals into something a person handles. A new red
//! signal, or an amber one that has lasted 14 days, opens an alert for the
//! starter's team leader and mentor. A person acknowledges it (with a note),
//! resolves it (saying what was done), or snoozes it until a date; after the
//! snooze it re-opens when the signal is still there. Nothing is decided
//! automatically about the starter: the alert only asks someone to look.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::code::coded;
use super::signals::{RuleId, Severity, Signal};
use super::{PersonId, PersonRef, TeamId};

/// An amber signal opens an alert once it has held this long.
pub const AMBER_PERSISTS_DAYS: u64 = 14;

coded!(
    /// Where an alert is in its life.
    AlertState {
        Open = "open",
        Acknowledged = "acknowledged",
        Snoozed = "snoozed",
        Resolved = "resolved",
    }
);

coded!(
    /// Which starters the watch list shows: by default only those who need
    /// attention now (an alert nobody acknowledged yet: new or re-opened),
    /// everything else one filter away.
    WatchShow {
        Now = "now",
        All = "all",
    }
);

coded!(
    /// One step in an alert's history.
    AlertAction {
        Opened = "opened",
        Acknowledged = "acknowledged",
        Snoozed = "snoozed",
        Reopened = "reopened",
        Resolved = "resolved",
        /// Closed because the starter left.
        Left = "left",
        /// Closed because the induction was completed.
        Completed = "completed",
    }
);

/// The day an amber signal must already have been there for it to alert.
pub fn persistence_day(on: NaiveDate) -> NaiveDate {
    on.checked_sub_days(Days::new(AMBER_PERSISTS_DAYS)).unwrap_or(on)
}

/// The signals that call for an alert on a day: every red one, and every
/// amber one whose rule also signalled [`AMBER_PERSISTS_DAYS`] earlier.
/// A request to talk already reaches the person the starter chose (perhaps
/// to keep it from others): it alerts only once it has waited as long.
pub fn alerting(today: &[Signal], fortnight_ago: &[Signal]) -> Vec<Signal> {
    let waits = |s: &Signal| s.severity == Severity::Amber || s.rule == RuleId::TalkUnanswered;
    today
        .iter()
        .filter(|s| !waits(s) || fortnight_ago.iter().any(|old| old.rule == s.rule))
        .cloned()
        .collect()
}

/// What is remembered of a starter's latest alert when deciding the next step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestAlert {
    pub state: AlertState,
    pub rules: Vec<RuleId>,
    pub snoozed_until: Option<NaiveDate>,
    pub resolved_on: Option<NaiveDate>,
}

/// What the evaluation does about a starter's alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertStep {
    Nothing,
    /// Open a new alert for these signals.
    Open(Vec<Signal>),
    /// The snooze is over and the signal is still there.
    Reopen,
    /// The snooze is over and the signals are gone: closed without anyone's
    /// action (recorded as such).
    Expire,
}

/// The next step for a starter given their latest alert and the alerting
/// signals of the day. A resolved alert does not re-open for the same
/// signal: only a rule that was not in it, or one whose condition started
/// after it was resolved, opens a new one.
pub fn next_step(latest: Option<&LatestAlert>, alerting: &[Signal], on: NaiveDate) -> AlertStep {
    match latest {
        None if !alerting.is_empty() => AlertStep::Open(alerting.to_vec()),
        None => AlertStep::Nothing,
        Some(alert) => match alert.state {
            AlertState::Open | AlertState::Acknowledged => AlertStep::Nothing,
            AlertState::Snoozed => match alert.snoozed_until {
                Some(until) if until >= on => AlertStep::Nothing,
                _ if alerting.is_empty() => AlertStep::Expire,
                _ => AlertStep::Reopen,
            },
            AlertState::Resolved => {
                let resolved_on = alert.resolved_on.unwrap_or(on);
                let new: Vec<Signal> = alerting
                    .iter()
                    .filter(|s| !alert.rules.contains(&s.rule) || s.since > resolved_on)
                    .cloned()
                    .collect();
                if new.is_empty() {
                    AlertStep::Nothing
                } else {
                    AlertStep::Open(new)
                }
            }
        },
    }
}

/// A step in an alert's history, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertEvent {
    pub at: DateTime<Utc>,
    pub action: AlertAction,
    /// Who did it; `None` for the evaluation itself.
    pub actor: Option<String>,
    pub note: Option<String>,
}

/// An alert as the watch list and the timeline show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertView {
    pub id: i64,
    pub level: Severity,
    pub rules: Vec<RuleId>,
    pub opened_on: NaiveDate,
    pub state: AlertState,
    pub snoozed_until: Option<NaiveDate>,
    pub history: Vec<AlertEvent>,
}

/// One row of the watch list: a starter's level, score and reasons, never
/// what was said in a conversation or written in a check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchRow {
    pub starter: PersonRef,
    pub team: Option<String>,
    pub level: Option<Severity>,
    pub score: u32,
    pub signals: Vec<Signal>,
    /// With a calibrated risk in use: the chance of leaving (per mille) and
    /// the features that raise it most.
    pub risk: Option<u16>,
    pub reasons: Vec<super::risk::Feature>,
    /// Days since the last held conversation (calendar days), or `None` when never.
    pub days_since_conversation: Option<i64>,
    pub alert: Option<AlertView>,
    /// An alert nobody acknowledged yet (new or re-opened).
    pub needs_attention: bool,
}

/// Rows per page of the watch list: enough to work through in one
/// sitting, small enough for a phone.
pub const WATCH_PAGE: usize = 50;

/// The team leader's (or coordinator's) watch list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchList {
    pub as_of: NaiveDate,
    /// Teams the viewer may filter on.
    pub teams: Vec<(TeamId, String)>,
    /// The shown rows: all of the list, or one page of it.
    pub rows: Vec<WatchRow>,
    /// The position of the first shown row in the whole list.
    pub first: usize,
    /// Rows of the whole list (the view and the filters applied).
    pub total: usize,
    /// Of the whole list: red, amber.
    pub red: usize,
    pub amber: usize,
    /// Starters in scope before the level filter (for the empty state).
    pub in_scope: usize,
    /// Of them, those who need attention now (the default view).
    pub needs_attention: usize,
    /// What the list shows.
    pub show: WatchShow,
    /// The viewer watches the whole institution (a coordinator).
    pub institution_wide: bool,
    /// For coordinators: counts across the institution and alert handling.
    pub overview: Option<Overview>,
}

/// Institution-wide counts for the coordinator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// Per team: starters red, amber, without a signal.
    pub by_team: Vec<(String, u32, u32, u32)>,
    /// Per rule: starters it flags red, amber.
    pub by_rule: Vec<(RuleId, u32, u32)>,
    pub alerts: AlertStats,
}

/// How alerts are being handled.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct AlertStats {
    pub open: u32,
    pub acknowledged: u32,
    pub snoozed: u32,
    pub resolved: u32,
    /// Median days from opening to the first acknowledgement.
    pub median_days_to_acknowledge: Option<f64>,
    /// Median days from opening to resolving.
    pub median_days_to_resolve: Option<f64>,
}

/// An alert's state with when it was opened, acknowledged and resolved.
pub type AlertTimes = (AlertState, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// Alert handling figures from each alert's state and timestamps.
pub fn alert_stats(alerts: &[AlertTimes]) -> AlertStats {
    let median = |mut hours: Vec<i64>| -> Option<f64> {
        hours.sort_unstable();
        let n = hours.len();
        match n {
            0 => None,
            n if n % 2 == 1 => Some(hours[n / 2] as f64 / 24.0),
            n => Some((hours[n / 2 - 1] + hours[n / 2]) as f64 / 48.0),
        }
    };
    let count = |state: AlertState| u32::try_from(alerts.iter().filter(|a| a.0 == state).count()).unwrap_or(u32::MAX);
    AlertStats {
        open: count(AlertState::Open),
        acknowledged: count(AlertState::Acknowledged),
        snoozed: count(AlertState::Snoozed),
        resolved: count(AlertState::Resolved),
        median_days_to_acknowledge: median(
            alerts
                .iter()
                .filter_map(|a| a.2.map(|ack| (ack - a.1).num_hours().max(0)))
                .collect(),
        ),
        median_days_to_resolve: median(
            alerts
                .iter()
                .filter_map(|a| a.3.map(|done| (done - a.1).num_hours().max(0)))
                .collect(),
        ),
    }
}

/// How a person acts on an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertCommand {
    Acknowledge { note: String },
    Resolve { note: String },
    Snooze { until: NaiveDate, note: String },
}

/// The rules as an institution has set them, for the page that explains
/// them to everyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesInfo {
    pub settings: super::signals::Settings,
    /// Holiday periods: name, first and last day.
    pub holidays: Vec<(String, NaiveDate, NaiveDate)>,
}

/// One row of the settings preview: a rule (or `None` for "any signal"),
/// how many starters it flags today, and how many it would with the change.
pub type PreviewRow = (Option<RuleId>, usize, usize);

/// The coordinator's settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsPage {
    pub current: super::signals::Settings,
    /// The settings being tried (the form's values), when previewing.
    pub candidate: Option<super::signals::Settings>,
    /// Problems with the values being tried, by field.
    pub problems: Vec<super::FieldError>,
    pub preview: Vec<PreviewRow>,
    /// Holiday periods: id, name, first and last day.
    pub holidays: Vec<(i64, String, NaiveDate, NaiveDate)>,
}

/// Notes are short: what was agreed, not a conversation log.
pub const NOTE_MAX_CHARS: usize = 500;

/// Who is told when an alert opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRecipients {
    pub team_leaders: Vec<PersonId>,
    pub mentors: Vec<PersonId>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::signals::Evidence;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn signal(rule: RuleId, severity: Severity, since: NaiveDate) -> Signal {
        Signal {
            rule,
            severity,
            evidence: Evidence::Scores(vec![1]),
            since,
        }
    }

    #[test]
    fn red_alerts_at_once_amber_only_after_a_fortnight() {
        let red = signal(RuleId::LowWellbeing, Severity::Red, day(20));
        let amber = signal(RuleId::NoCheckIn, Severity::Amber, day(1));
        assert_eq!(alerting(&[red.clone(), amber.clone()], &[]), vec![red.clone()]);
        let earlier = signal(RuleId::NoCheckIn, Severity::Amber, day(1));
        assert_eq!(alerting(&[red.clone(), amber.clone()], &[earlier]), vec![red, amber]);
        assert_eq!(persistence_day(day(29)), day(15));
        let talk = signal(RuleId::TalkUnanswered, Severity::Red, day(20));
        assert!(
            alerting(std::slice::from_ref(&talk), &[]).is_empty(),
            "the chosen person is asked first"
        );
        assert_eq!(
            alerting(std::slice::from_ref(&talk), std::slice::from_ref(&talk)),
            vec![talk]
        );
    }

    #[test]
    fn opens_once_and_stays_while_handled() {
        let red = vec![signal(RuleId::LowWellbeing, Severity::Red, day(20))];
        assert_eq!(next_step(None, &red, day(20)), AlertStep::Open(red.clone()));
        assert_eq!(next_step(None, &[], day(20)), AlertStep::Nothing);
        for state in [AlertState::Open, AlertState::Acknowledged] {
            let latest = LatestAlert {
                state,
                rules: vec![RuleId::LowWellbeing],
                snoozed_until: None,
                resolved_on: None,
            };
            assert_eq!(next_step(Some(&latest), &red, day(21)), AlertStep::Nothing);
        }
    }

    #[test]
    fn handling_times_are_medians_in_days() {
        let opened = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 2, 9, 0, 0).unwrap();
        let hours = |h: i64| Some(opened + chrono::Duration::hours(h));
        let stats = alert_stats(&[
            (AlertState::Open, opened, None, None),
            (AlertState::Acknowledged, opened, hours(12), None),
            (AlertState::Resolved, opened, hours(36), hours(72)),
            (AlertState::Resolved, opened, hours(60), hours(120)),
        ]);
        assert_eq!(
            (stats.open, stats.acknowledged, stats.snoozed, stats.resolved),
            (1, 1, 0, 2)
        );
        // 12, 36, 60 hours: the middle one, 1.5 days.
        assert_eq!(stats.median_days_to_acknowledge, Some(1.5));
        // 72 and 120 hours: their mean, 4 days.
        assert_eq!(stats.median_days_to_resolve, Some(4.0));
        assert_eq!(alert_stats(&[]).median_days_to_acknowledge, None);
    }

    #[test]
    fn snooze_reopens_only_when_the_signal_is_still_there() {
        let red = vec![signal(RuleId::LowWellbeing, Severity::Red, day(10))];
        let snoozed = LatestAlert {
            state: AlertState::Snoozed,
            rules: vec![RuleId::LowWellbeing],
            snoozed_until: Some(day(20)),
            resolved_on: None,
        };
        assert_eq!(
            next_step(Some(&snoozed), &red, day(20)),
            AlertStep::Nothing,
            "last snoozed day"
        );
        assert_eq!(next_step(Some(&snoozed), &red, day(21)), AlertStep::Reopen);
        assert_eq!(next_step(Some(&snoozed), &[], day(21)), AlertStep::Expire);
    }

    #[test]
    fn a_resolved_alert_reopens_only_for_something_new() {
        let resolved = LatestAlert {
            state: AlertState::Resolved,
            rules: vec![RuleId::LowWellbeing],
            snoozed_until: None,
            resolved_on: Some(day(15)),
        };
        let same = vec![signal(RuleId::LowWellbeing, Severity::Red, day(10))];
        assert_eq!(next_step(Some(&resolved), &same, day(20)), AlertStep::Nothing);
        let again = vec![signal(RuleId::LowWellbeing, Severity::Red, day(18))];
        assert_eq!(
            next_step(Some(&resolved), &again, day(20)),
            AlertStep::Open(again.clone())
        );
        let other = vec![
            signal(RuleId::LowWellbeing, Severity::Red, day(10)),
            signal(RuleId::TalkUnanswered, Severity::Red, day(12)),
        ];
        assert_eq!(
            next_step(Some(&resolved), &other, day(20)),
            AlertStep::Open(vec![other[1].clone()])
        );
    }
}
