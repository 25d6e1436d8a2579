//! Dropout signals: explainable rules over one starter's facts on one day.
//! Pure functions, no clock and no database: the same code evaluates today,
//! previews a threshold change and runs the backtest day by day. A signal is
//! evidence for a person to weigh, never a decision.
//!
//! Every default below is the one in DESIGN.md; an institution may change
//! each threshold and switch a rule off ([`Settings`]). Time-based rules
//! skip the institution's holiday periods: a day in a holiday does not count.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::code::coded;

coded!(
    /// The rules, each with a stable id used in settings, alerts and exports.
    RuleId {
        /// No active work-place mentor some days after the start.
        NoMentor = "no_mentor",
        /// No held conversation for a while (amber, then red).
        NoConversation = "no_conversation",
        /// Latest well-being low, or low twice in a row (red).
        LowWellbeing = "low_wellbeing",
        /// Well-being falling over the last three check-ins.
        FallingWellbeing = "falling_wellbeing",
        /// Workload high in two check-ins in a row.
        HighWorkload = "high_workload",
        /// Intention to stay low in the latest check-in.
        LowIntention = "low_intention",
        /// No check-in for a while.
        NoCheckIn = "no_checkin",
        /// A milestone overdue by some days.
        MilestoneOverdue = "milestone_overdue",
        /// The PDG deadline is near and the PDG is not passed.
        PdgDeadline = "pdg_deadline",
        /// "I want to talk" not answered yet.
        TalkUnanswered = "talk_unanswered",
        /// The mentor flagged a concern.
        MentorConcern = "mentor_concern",
        /// A fixed-term contract ends soon without a decision.
        ContractEnding = "contract_ending",
        /// Fewer reduction hours granted than promised.
        HoursBelowPromise = "hours_below_promise",
    }
);

coded!(
    /// How serious a signal is.
    Severity {
        Amber = "amber",
        Red = "red",
    }
);

/// Thresholds per rule, with DESIGN.md's defaults; `off` lists rules the
/// institution switched off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Days after the start without an active mentor (default 14).
    pub no_mentor_days: u32,
    /// Days without a held conversation for amber (28) and red (56).
    pub no_conversation_amber_days: u32,
    pub no_conversation_red_days: u32,
    /// Well-being at or below this is low (2).
    pub low_wellbeing: u8,
    /// Workload at or above this is high (4), in this many check-ins in a row (2).
    pub high_workload: u8,
    pub high_workload_times: u32,
    /// Intention to stay at or below this is low (2).
    pub low_intention: u8,
    /// Days without a check-in (28).
    pub no_checkin_days: u32,
    /// Days a milestone may be overdue before it signals (14).
    pub milestone_overdue_days: u32,
    /// Days before the PDG deadline (90).
    pub pdg_warning_days: u32,
    /// Days before a fixed-term contract ends without a decision (60).
    pub contract_warning_days: u32,
    /// The backtest counts leaving within this many months after a day (6).
    pub backtest_horizon_months: u32,
    pub off: Vec<RuleId>,
    /// Share this institution's history to fit a calibrated risk on, and
    /// use that of others who share theirs when its own is too small. Off
    /// unless the coordinator switches it on: each institution is its own
    /// data controller.
    pub pool_history: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            no_mentor_days: 14,
            no_conversation_amber_days: 28,
            no_conversation_red_days: 56,
            low_wellbeing: 2,
            high_workload: 4,
            high_workload_times: 2,
            low_intention: 2,
            no_checkin_days: 28,
            milestone_overdue_days: 14,
            pdg_warning_days: 90,
            contract_warning_days: 60,
            backtest_horizon_months: 6,
            off: Vec::new(),
            pool_history: false,
        }
    }
}

/// The thresholds by name, with the range a coordinator may choose from
/// (days, or a score from 1 to 5), in the order the settings page shows them.
pub const SETTING_FIELDS: [(&str, u32, u32); 12] = [
    ("no_mentor_days", 1, 365),
    ("no_conversation_amber_days", 1, 365),
    ("no_conversation_red_days", 1, 365),
    ("low_wellbeing", 1, 5),
    ("high_workload", 1, 5),
    ("high_workload_times", 1, 5),
    ("low_intention", 1, 5),
    ("no_checkin_days", 1, 365),
    ("milestone_overdue_days", 1, 365),
    ("pdg_warning_days", 1, 365),
    ("contract_warning_days", 1, 365),
    ("backtest_horizon_months", 1, 24),
];

impl Settings {
    /// A threshold by its name in [`SETTING_FIELDS`].
    pub fn field(&self, name: &str) -> Option<u32> {
        Some(match name {
            "no_mentor_days" => self.no_mentor_days,
            "no_conversation_amber_days" => self.no_conversation_amber_days,
            "no_conversation_red_days" => self.no_conversation_red_days,
            "low_wellbeing" => u32::from(self.low_wellbeing),
            "high_workload" => u32::from(self.high_workload),
            "high_workload_times" => self.high_workload_times,
            "low_intention" => u32::from(self.low_intention),
            "no_checkin_days" => self.no_checkin_days,
            "milestone_overdue_days" => self.milestone_overdue_days,
            "pdg_warning_days" => self.pdg_warning_days,
            "contract_warning_days" => self.contract_warning_days,
            "backtest_horizon_months" => self.backtest_horizon_months,
            _ => return None,
        })
    }

    /// Set a threshold by name (scores saturate at 255; the service checks ranges).
    pub fn set_field(&mut self, name: &str, value: u32) {
        let score = u8::try_from(value).unwrap_or(u8::MAX);
        match name {
            "no_mentor_days" => self.no_mentor_days = value,
            "no_conversation_amber_days" => self.no_conversation_amber_days = value,
            "no_conversation_red_days" => self.no_conversation_red_days = value,
            "low_wellbeing" => self.low_wellbeing = score,
            "high_workload" => self.high_workload = score,
            "high_workload_times" => self.high_workload_times = value,
            "low_intention" => self.low_intention = score,
            "no_checkin_days" => self.no_checkin_days = value,
            "milestone_overdue_days" => self.milestone_overdue_days = value,
            "pdg_warning_days" => self.pdg_warning_days = value,
            "contract_warning_days" => self.contract_warning_days = value,
            "backtest_horizon_months" => self.backtest_horizon_months = value,
            _ => {}
        }
    }
}

/// A dated period, both ends included; `end` open when still running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl Span {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|end| day <= end)
    }
}

/// A check-in's scores that the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInFact {
    pub on: NaiveDate,
    pub wellbeing: u8,
    pub workload: u8,
    pub intention_to_stay: u8,
}

/// A milestone: due date and the day it was done or skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneFact {
    pub name: String,
    pub due: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

/// Everything the rules know about one starter. Lists may hold facts from
/// after the evaluation day: the rules ignore them (the backtest relies on it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StarterFacts {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// The day the induction was completed: from then on the starter is a
    /// colleague like any other, never flagged.
    pub completed: Option<NaiveDate>,
    /// Work-place mentor pairings.
    pub mentor_pairings: Vec<Span>,
    pub held_conversations: Vec<NaiveDate>,
    /// Days of conversations with a concern flag, and whether it was serious.
    pub concerns: Vec<(NaiveDate, bool)>,
    pub checkins: Vec<CheckInFact>,
    /// Requests to talk: asked on, answered on.
    pub talk_requests: Vec<(NaiveDate, Option<NaiveDate>)>,
    pub milestones: Vec<MilestoneFact>,
    /// PDG deadline and the day it was passed, when the route has one.
    pub pdg: Option<(NaiveDate, Option<NaiveDate>)>,
    /// Fixed-term contract end, and the day a decision was recorded.
    pub contract_until: Option<(NaiveDate, Option<NaiveDate>)>,
    /// Facilitation per school year: hours promised, granted (when known).
    pub hours: Vec<(i64, Option<i64>)>,
    pub holidays: Vec<Span>,
}

/// Why a signal is there, in structured form (the UI puts it in words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Evidence {
    /// Days (holidays not counted) since a day, or since the start when never.
    DaysSince { since: NaiveDate, days: u32, ever: bool },
    /// Scores of the latest check-ins, oldest first.
    Scores(Vec<u8>),
    /// A named item and the days it is overdue.
    Overdue { name: String, due: NaiveDate, days: u32 },
    /// A deadline and the days left.
    DaysLeft { deadline: NaiveDate, days: u32 },
    /// A flag set on a day.
    FlaggedOn { on: NaiveDate, serious: bool },
    /// Hours granted of promised.
    Hours { promised: i64, granted: i64 },
}

impl Evidence {
    /// The evidence in plain English (command line and exports; the UI
    /// words it in the reader's language).
    pub fn summary(&self) -> String {
        let scores = |list: &[u8]| list.iter().map(u8::to_string).collect::<Vec<_>>().join(" -> ");
        match self {
            Evidence::DaysSince {
                since,
                days,
                ever: true,
            } => format!("since {since}, {days} days"),
            Evidence::DaysSince {
                since,
                days,
                ever: false,
            } => format!("never, since the start on {since}, {days} days"),
            Evidence::Scores(list) => scores(list),
            Evidence::Overdue { name, due, days } => format!("\"{name}\" due {due}, {days} days overdue"),
            Evidence::DaysLeft { deadline, days } => format!("{deadline}, {days} days left"),
            Evidence::FlaggedOn { on, serious: true } => format!("serious concern flagged on {on}"),
            Evidence::FlaggedOn { on, serious: false } => format!("concern flagged on {on}"),
            Evidence::Hours { promised, granted } => format!("{granted} of {promised} promised hours granted"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    pub rule: RuleId,
    pub severity: Severity,
    pub evidence: Evidence,
    /// Since when the condition holds.
    pub since: NaiveDate,
}

/// Days from `from` to `to` (exclusive of `from`), holidays not counted.
pub fn working_days(from: NaiveDate, to: NaiveDate, holidays: &[Span]) -> u32 {
    if to <= from {
        return 0;
    }
    let mut days = 0;
    let mut day = from;
    while day < to {
        day = day.checked_add_days(Days::new(1)).unwrap_or(to);
        if !holidays.iter().any(|h| h.contains(day)) {
            days += 1;
        }
    }
    days
}

fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days().max(0)).unwrap_or(u32::MAX)
}

/// The signals for `facts` on `on`, most severe first, then by rule.
impl StarterFacts {
    /// Employed on `on` and the induction not completed by then: the only
    /// starters signals, alerts and the watch list are about.
    pub fn in_induction(&self, on: NaiveDate) -> bool {
        self.start.is_some_and(|s| s <= on)
            && self.end.is_none_or(|end| end >= on)
            && self.completed.is_none_or(|done| done > on)
    }
}

pub fn evaluate(facts: &StarterFacts, settings: &Settings, on: NaiveDate) -> Vec<Signal> {
    let Some(start) = facts.start.filter(|_| facts.in_induction(on)) else {
        return Vec::new();
    };
    let mut signals = Vec::new();
    let holidays = &facts.holidays[..];
    let in_holiday = holidays.iter().any(|h| h.contains(on));
    let mut push = |rule: RuleId, severity: Severity, evidence: Evidence, since: NaiveDate| {
        if !settings.off.contains(&rule) {
            signals.push(Signal {
                rule,
                severity,
                evidence,
                since,
            });
        }
    };

    // No active mentor some days after the start, or after the last
    // pairing ended.
    let has_mentor = facts.mentor_pairings.iter().any(|p| p.contains(on));
    let since = facts
        .mentor_pairings
        .iter()
        .filter_map(|p| p.end)
        .filter(|end| *end < on)
        .max()
        .unwrap_or(start)
        .max(start);
    let waited = working_days(since, on, holidays);
    if !has_mentor && !in_holiday && waited >= settings.no_mentor_days {
        push(
            RuleId::NoMentor,
            Severity::Amber,
            Evidence::DaysSince {
                since,
                days: waited,
                ever: since != start,
            },
            since,
        );
    }

    // No held conversation (counted from the last one, or the start).
    let last_held = facts.held_conversations.iter().filter(|d| **d <= on).max().copied();
    let from = last_held.unwrap_or(start);
    let quiet = working_days(from, on, holidays);
    if !in_holiday && quiet >= settings.no_conversation_amber_days {
        let severity = if quiet >= settings.no_conversation_red_days {
            Severity::Red
        } else {
            Severity::Amber
        };
        push(
            RuleId::NoConversation,
            severity,
            Evidence::DaysSince {
                since: from,
                days: quiet,
                ever: last_held.is_some(),
            },
            from,
        );
    }

    // Check-in rules on the check-ins up to today, oldest first.
    let mut checkins: Vec<&CheckInFact> = facts.checkins.iter().filter(|c| c.on <= on).collect();
    checkins.sort_by_key(|c| c.on);
    let last = |n: usize| &checkins[checkins.len().saturating_sub(n)..];
    if let Some(latest) = checkins.last() {
        let low = |c: &&CheckInFact| c.wellbeing <= settings.low_wellbeing;
        let two = last(2);
        if low(latest) {
            let evidence = Evidence::Scores(two.iter().map(|c| c.wellbeing).collect());
            let since = if two.len() == 2 && two.iter().all(low) {
                two[0].on
            } else {
                latest.on
            };
            push(RuleId::LowWellbeing, Severity::Red, evidence, since);
        }
        let three = last(3);
        if three.len() == 3 && three[0].wellbeing > three[1].wellbeing && three[1].wellbeing > three[2].wellbeing {
            push(
                RuleId::FallingWellbeing,
                Severity::Amber,
                Evidence::Scores(three.iter().map(|c| c.wellbeing).collect()),
                three[0].on,
            );
        }
        let times = settings.high_workload_times.max(1) as usize;
        let run = last(times);
        if run.len() == times && run.iter().all(|c| c.workload >= settings.high_workload) {
            push(
                RuleId::HighWorkload,
                Severity::Amber,
                Evidence::Scores(run.iter().map(|c| c.workload).collect()),
                run[0].on,
            );
        }
        if latest.intention_to_stay <= settings.low_intention {
            push(
                RuleId::LowIntention,
                Severity::Red,
                Evidence::Scores(vec![latest.intention_to_stay]),
                latest.on,
            );
        }
    }
    let last_checkin = checkins.last().map(|c| c.on);
    let from = last_checkin.unwrap_or(start);
    let silent = working_days(from, on, holidays);
    if !in_holiday && silent >= settings.no_checkin_days {
        push(
            RuleId::NoCheckIn,
            Severity::Amber,
            Evidence::DaysSince {
                since: from,
                days: silent,
                ever: last_checkin.is_some(),
            },
            from,
        );
    }

    // The most overdue open milestone.
    let overdue = facts
        .milestones
        .iter()
        .filter(|m| m.closed_on.is_none_or(|d| d > on))
        .filter(|m| days_between(m.due, on) >= settings.milestone_overdue_days && m.due < on)
        .min_by_key(|m| m.due);
    if let Some(m) = overdue {
        push(
            RuleId::MilestoneOverdue,
            Severity::Amber,
            Evidence::Overdue {
                name: m.name.clone(),
                due: m.due,
                days: days_between(m.due, on),
            },
            m.due,
        );
    }

    // PDG deadline near, not passed.
    if let Some((deadline, passed)) = facts.pdg {
        let passed = passed.is_some_and(|d| d <= on);
        let left = days_between(on, deadline);
        if !passed && (on > deadline || left <= settings.pdg_warning_days) {
            let severity = if on > deadline { Severity::Red } else { Severity::Amber };
            let since = deadline
                .checked_sub_days(Days::new(u64::from(settings.pdg_warning_days)))
                .unwrap_or(deadline);
            push(
                RuleId::PdgDeadline,
                severity,
                Evidence::DaysLeft { deadline, days: left },
                since,
            );
        }
    }

    // A request to talk not answered (red: someone asked for help).
    if let Some((asked, _)) = facts
        .talk_requests
        .iter()
        .filter(|(asked, answered)| *asked <= on && answered.is_none_or(|a| a > on))
        .min_by_key(|(asked, _)| *asked)
    {
        push(
            RuleId::TalkUnanswered,
            Severity::Red,
            Evidence::DaysSince {
                since: *asked,
                days: days_between(*asked, on),
                ever: true,
            },
            *asked,
        );
    }

    // The mentor's concern flag on the latest held conversation.
    let latest_held = facts.held_conversations.iter().filter(|d| **d <= on).max();
    if let Some((flagged, serious)) = facts
        .concerns
        .iter()
        .filter(|(d, _)| *d <= on && latest_held.is_some_and(|l| d >= l))
        .max_by_key(|(d, serious)| (*d, *serious))
    {
        let severity = if *serious { Severity::Red } else { Severity::Amber };
        push(
            RuleId::MentorConcern,
            severity,
            Evidence::FlaggedOn {
                on: *flagged,
                serious: *serious,
            },
            *flagged,
        );
    }

    // A fixed-term contract ending soon with no decision recorded.
    if let Some((until, decided)) = facts.contract_until {
        let decided = decided.is_some_and(|d| d <= on);
        let left = days_between(on, until);
        if !decided && until >= on && left <= settings.contract_warning_days {
            let since = until
                .checked_sub_days(Days::new(u64::from(settings.contract_warning_days)))
                .unwrap_or(until);
            push(
                RuleId::ContractEnding,
                Severity::Amber,
                Evidence::DaysLeft {
                    deadline: until,
                    days: left,
                },
                since,
            );
        }
    }

    // Fewer hours granted than promised.
    let (promised, granted) = facts
        .hours
        .iter()
        .filter_map(|(p, g)| g.map(|g| (*p, g)))
        .fold((0, 0), |(p, g), (pp, gg)| (p + pp, g + gg));
    if granted < promised {
        push(
            RuleId::HoursBelowPromise,
            Severity::Amber,
            Evidence::Hours { promised, granted },
            start,
        );
    }

    signals.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.rule.cmp(&b.rule)));
    signals
}

/// The level of a starter: the highest severity, if any signal.
pub fn level(signals: &[Signal]) -> Option<Severity> {
    signals.iter().map(|s| s.severity).max()
}

/// A score to order lists: red counts 10, amber 3, plus one per 14 days the
/// oldest signal has lasted (capped), so long-standing risks rise.
pub fn score(signals: &[Signal], on: NaiveDate) -> u32 {
    let weights: u32 = signals
        .iter()
        .map(|s| match s.severity {
            Severity::Red => 10,
            Severity::Amber => 3,
        })
        .sum();
    let oldest = signals.iter().map(|s| s.since).min();
    let age = oldest.map_or(0, |since| (days_between(since, on) / 14).min(10));
    weights + if signals.is_empty() { 0 } else { age }
}

#[cfg(test)]
mod tests;
