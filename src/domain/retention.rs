//! Retention, measured: Kaplan–Meier survival with Greenwood confidence
//! intervals, readouts at fixed months, the plain share of a complete cohort
//! still employed, and the suppression of small cells. Pure functions over
//! employment periods, so every figure can be checked by hand.
//!
//! Two measures: "still employed at this institution" (every ending is an
//! event) and "still in education" (a move to another mbo institution or
//! another education sector is not leaving education: that person is
//! censored on the day they moved, as we do not follow them further).
//! People still employed on the evaluation date are censored on that date.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::code::coded;
use super::trajectory::LeaveReason;

/// Figures based on fewer people than this are not shown.
pub const MIN_CELL: usize = 5;

/// The months at which survival is read.
pub const READOUT_MONTHS: [u32; 5] = [6, 12, 24, 36, 60];

/// The years after which the plain cohort share is given.
pub const COHORT_YEARS: [u32; 3] = [1, 2, 3];

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

coded!(
    /// What "staying" means.
    RetentionMeasure {
        /// Still employed at this institution.
        Institution = "institution",
        /// Still in education (moving to another school is not leaving).
        Education = "education",
    }
);

coded!(
    /// How figures are split.
    Breakdown {
        All = "all",
        Team = "team",
        Sector = "sector",
        Route = "route",
        Cohort = "cohort",
        Partnership = "partnership",
        Intensity = "intensity",
    }
);

coded!(
    /// Mentoring intensity: held conversations per starter-month.
    IntensityBand {
        /// No held conversation.
        None = "none",
        /// Fewer than one every two months.
        Low = "low",
        /// One every one to two months.
        Medium = "medium",
        /// One a month or more.
        High = "high",
    }
);

/// The band for `conversations` held over `followed_days` of employment
/// (counted as at least one month).
pub fn intensity_band(conversations: i64, followed_days: u32) -> IntensityBand {
    let months = (f64::from(followed_days) / (365.25 / 12.0)).max(1.0);
    let rate = conversations.max(0) as f64 / months;
    if conversations <= 0 {
        IntensityBand::None
    } else if rate < 0.5 {
        IntensityBand::Low
    } else if rate < 1.0 {
        IntensityBand::Medium
    } else {
        IntensityBand::High
    }
}

/// One person's follow-up: days from start until the event or censoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    pub days: u32,
    pub event: bool,
}

/// A starter's employment as retention needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub reason: Option<LeaveReason>,
}

impl Period {
    /// The follow-up of this period for `measure`, evaluated on `as_of`;
    /// `None` when it starts after `as_of`.
    pub fn observe(&self, measure: RetentionMeasure, as_of: NaiveDate) -> Option<Observation> {
        if self.start > as_of {
            return None;
        }
        let days = |until: NaiveDate| u32::try_from((until - self.start).num_days().max(0)).unwrap_or(u32::MAX);
        Some(match self.end.filter(|end| *end <= as_of) {
            None => Observation {
                days: days(as_of),
                event: false,
            },
            Some(end) => Observation {
                days: days(end),
                event: match measure {
                    RetentionMeasure::Institution => true,
                    RetentionMeasure::Education => !self.reason.is_some_and(stays_in_education),
                },
            },
        })
    }

    /// Whether still employed `years` after the start (`None` when that day
    /// is after `as_of`: not yet known).
    pub fn employed_after(&self, years: u32, as_of: NaiveDate) -> Option<bool> {
        let day = self.start.checked_add_months(Months::new(12 * years))?;
        if day > as_of {
            return None;
        }
        Some(self.end.is_none_or(|end| end >= day))
    }
}

/// Endings that are a move within education, not leaving it.
pub fn stays_in_education(reason: LeaveReason) -> bool {
    matches!(
        reason,
        LeaveReason::OtherMboInstitution | LeaveReason::OtherEducationSector
    )
}

/// One distinct time on a Kaplan–Meier curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    pub days: u32,
    pub at_risk: u32,
    pub events: u32,
    pub censored: u32,
    pub survival: f64,
    /// Greenwood standard error of `survival`.
    pub std_err: f64,
    /// 95% interval, computed on the log scale and capped at 1.
    pub lower: f64,
    pub upper: f64,
}

/// The Kaplan–Meier estimate: one point per distinct time at which someone
/// had the event or was censored. Ties are handled the standard way:
/// events at a time happen before censorings at that time, so those
/// censored at t count as at risk at t.
pub fn kaplan_meier(observations: &[Observation]) -> Vec<CurvePoint> {
    let mut sorted: Vec<Observation> = observations.to_vec();
    sorted.sort_by_key(|o| o.days);
    let mut at_risk = u32::try_from(sorted.len()).unwrap_or(u32::MAX);
    let mut survival = 1.0_f64;
    let mut greenwood = 0.0_f64;
    let mut points = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let days = sorted[i].days;
        let same = sorted[i..].iter().take_while(|o| o.days == days).count();
        let events = u32::try_from(sorted[i..i + same].iter().filter(|o| o.event).count()).unwrap_or(0);
        let censored = u32::try_from(same).unwrap_or(0) - events;
        if events > 0 {
            let (n, d) = (f64::from(at_risk), f64::from(events));
            survival *= 1.0 - d / n;
            greenwood = if events < at_risk {
                greenwood + d / (n * (n - d))
            } else {
                f64::INFINITY
            };
        }
        let (std_err, lower, upper) = interval(survival, greenwood);
        points.push(CurvePoint {
            days,
            at_risk,
            events,
            censored,
            survival,
            std_err,
            lower,
            upper,
        });
        at_risk -= u32::try_from(same).unwrap_or(0);
        i += same;
    }
    points
}

/// Greenwood standard error and the log-scale 95% interval.
fn interval(survival: f64, greenwood: f64) -> (f64, f64, f64) {
    if survival <= 0.0 || !greenwood.is_finite() {
        return (0.0, 0.0, 0.0);
    }
    let se_log = greenwood.sqrt();
    (
        survival * se_log,
        survival * (-Z95 * se_log).exp(),
        (survival * (Z95 * se_log).exp()).min(1.0),
    )
}

/// Survival read at a day, with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Readout {
    pub survival: f64,
    pub lower: f64,
    pub upper: f64,
    pub at_risk: u32,
}

/// Days in `months` months (on average: 365.25 / 12 days each).
pub fn months_to_days(months: u32) -> u32 {
    (f64::from(months) * 365.25 / 12.0).round() as u32
}

/// Survival at `days` after the start; `None` when nobody is followed that
/// long (nobody at risk).
pub fn read_at(observations: &[Observation], curve: &[CurvePoint], days: u32) -> Option<Readout> {
    let at_risk = u32::try_from(observations.iter().filter(|o| o.days >= days).count()).unwrap_or(0);
    if at_risk == 0 {
        return None;
    }
    Some(match curve.iter().rev().find(|p| p.days <= days) {
        Some(p) => Readout {
            survival: p.survival,
            lower: p.lower,
            upper: p.upper,
            at_risk,
        },
        None => Readout {
            survival: 1.0,
            lower: 1.0,
            upper: 1.0,
            at_risk,
        },
    })
}

/// "2024/25" for the school year that starts in August 2024.
pub fn school_year_label(year: i32) -> String {
    format!("{year}/{:02}", (year + 1).rem_euclid(100))
}

/// The plain share of a cohort still employed `years` after each start,
/// given only when the cohort is complete for that many years (everyone's
/// anniversary is on or before `as_of`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CohortShare {
    pub years: u32,
    pub still: u32,
    pub size: u32,
}

pub fn cohort_shares(periods: &[Period], as_of: NaiveDate) -> Vec<CohortShare> {
    COHORT_YEARS
        .iter()
        .filter_map(|&years| {
            let known: Option<Vec<bool>> = periods.iter().map(|p| p.employed_after(years, as_of)).collect();
            let known = known.filter(|k| !k.is_empty())?;
            Some(CohortShare {
                years,
                still: u32::try_from(known.iter().filter(|s| **s).count()).unwrap_or(0),
                size: u32::try_from(known.len()).unwrap_or(0),
            })
        })
        .collect()
}

/// Which groups of a split to hide: every group under [`MIN_CELL`] people
/// (primary suppression) and, when exactly one is hidden while the total is
/// shown, also the smallest other group, so the hidden one cannot be found
/// by subtracting the others from the total (complementary suppression).
pub fn suppressed(sizes: &[usize]) -> Vec<bool> {
    let mut hidden: Vec<bool> = sizes.iter().map(|&n| n < MIN_CELL).collect();
    if hidden.iter().filter(|h| **h).count() == 1 {
        let smallest = sizes
            .iter()
            .enumerate()
            .filter(|(i, _)| !hidden[*i])
            .min_by_key(|(_, n)| **n)
            .map(|(i, _)| i);
        if let Some(i) = smallest {
            hidden[i] = true;
        }
    }
    hidden
}

/// A figure as shown: the value, or hidden because too few people.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Cell<T> {
    Shown(T),
    Suppressed,
}

impl<T> Cell<T> {
    pub fn of(value: T, people: usize) -> Self {
        if people < MIN_CELL {
            Cell::Suppressed
        } else {
            Cell::Shown(value)
        }
    }
}

// ------------------------------------------------------------ reports

/// One group's figures; everything is `Suppressed` under five people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    pub group: String,
    pub people: Cell<u32>,
    pub events: Cell<u32>,
    /// Survival at 6, 12, 24, 36 and 60 months (`None`: nobody followed that long).
    pub readouts: Vec<(u32, Cell<Option<Readout>>)>,
    /// Per complete year (1, 2, 3): the plain cohort share.
    pub cohort_shares: Vec<(u32, Cell<CohortShare>)>,
    /// Every distinct time (empty when suppressed).
    pub curve: Vec<CurvePoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionReport {
    pub as_of: NaiveDate,
    pub measure: RetentionMeasure,
    pub by: Breakdown,
    pub total: GroupFigures,
    pub groups: Vec<GroupFigures>,
}

/// One employment with the group it falls in for each breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub period: Period,
    pub groups: BTreeMap<Breakdown, String>,
    pub guidance: Guidance,
}

/// What guidance a starter had, for the coverage figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Guidance {
    /// Start of the first work-place mentor pairing.
    pub first_pairing: Option<NaiveDate>,
    /// Day of the first held conversation.
    pub first_held: Option<NaiveDate>,
    pub held_conversations: i64,
    /// Check-ins in the last [`CHECKIN_WINDOW_DAYS`] days.
    pub recent_checkins: i64,
    pub rhythm_days: i64,
    pub in_partnership: bool,
    /// Facilitation years with a granted figure: hours promised and granted.
    pub facilitation_years: i64,
    pub hours_promised: i64,
    pub hours_granted: i64,
    /// The level of the alert being handled now, if any.
    pub open_alert: Option<super::signals::Severity>,
    /// Hours from opening to acknowledging the latest acknowledged alert.
    pub hours_to_acknowledge: Option<i64>,
}

/// The window over which the check-in response rate is measured.
pub const CHECKIN_WINDOW_DAYS: u32 = 182;

/// A mentor should be there within this many days of the start.
pub const MENTOR_WITHIN_DAYS: i64 = 14;

/// A part of a whole (people, check-ins or hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub part: u32,
    pub whole: u32,
}

impl Share {
    pub fn ratio(self) -> f64 {
        if self.whole == 0 {
            0.0
        } else {
            f64::from(self.part) / f64::from(self.whole)
        }
    }
}

/// Guidance coverage of a group of starters; every figure suppressed when
/// it rests on fewer than five people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub starters: Cell<u32>,
    /// Of those started at least 14 days ago: with a mentor within 14 days.
    pub mentor_within_14_days: Cell<Share>,
    /// Median days from start to the first held conversation (of those who had one).
    pub median_days_to_first_conversation: Cell<u32>,
    /// Held conversations per starter-month of employment.
    pub conversations_per_month: Cell<f64>,
    /// Of current starters: check-ins given of those asked in the last half year.
    pub checkin_response: Cell<Share>,
    /// Trained inside an SO&P partnership (goal: everyone by 2030).
    pub in_partnership: Cell<Share>,
    /// Starter hours granted of those promised (years with a granted figure).
    pub hours_granted: Cell<Share>,
    /// Starters with an open (not yet resolved) dropout alert, red and amber.
    pub open_alerts_red: Cell<u32>,
    pub open_alerts_amber: Cell<u32>,
    /// Median days from an alert opening to someone acknowledging it.
    pub median_days_to_acknowledge: Cell<f64>,
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Guidance coverage of `facts` on `as_of`.
pub fn coverage(facts: &[Fact], as_of: NaiveDate) -> Coverage {
    use super::signals::Severity;
    let started: Vec<&Fact> = facts.iter().filter(|f| f.period.start <= as_of).collect();
    // A count of people with an open alert is a figure about those people:
    // under five it is suppressed like every other.
    let open_alerts = |level: Severity| {
        let n = started
            .iter()
            .filter(|f| f.period.end.is_none_or(|end| end >= as_of))
            .filter(|f| f.guidance.open_alert == Some(level))
            .count();
        Cell::of(to_u32(n), n)
    };
    let n = started.len();
    let settled: Vec<&&Fact> = started
        .iter()
        .filter(|f| (as_of - f.period.start).num_days() >= MENTOR_WITHIN_DAYS)
        .collect();
    let in_time = settled
        .iter()
        .filter(|f| {
            f.guidance
                .first_pairing
                .is_some_and(|p| (p - f.period.start).num_days() <= MENTOR_WITHIN_DAYS)
        })
        .count();
    let mut to_first: Vec<u32> = started
        .iter()
        .filter_map(|f| {
            let first = f.guidance.first_held.filter(|d| *d <= as_of)?;
            Some(u32::try_from((first - f.period.start).num_days().max(0)).unwrap_or(0))
        })
        .collect();
    to_first.sort_unstable();
    let median = match to_first.len() {
        0 => 0,
        k if k % 2 == 1 => to_first[k / 2],
        k => (to_first[k / 2 - 1] + to_first[k / 2]) / 2,
    };
    let months: f64 = started
        .iter()
        .filter_map(|f| f.period.observe(RetentionMeasure::Institution, as_of))
        .map(|o| f64::from(o.days) / (365.25 / 12.0))
        .sum();
    let held: i64 = started.iter().map(|f| f.guidance.held_conversations.max(0)).sum();
    let current: Vec<&&Fact> = started
        .iter()
        .filter(|f| f.period.end.is_none_or(|e| e > as_of))
        .collect();
    let (given, asked) = current.iter().fold((0_u32, 0_u32), |(given, asked), f| {
        let days = u32::try_from((as_of - f.period.start).num_days().max(0))
            .unwrap_or(0)
            .min(CHECKIN_WINDOW_DAYS);
        let expected = days / u32::try_from(f.guidance.rhythm_days.max(1)).unwrap_or(14);
        let got = u32::try_from(f.guidance.recent_checkins.max(0))
            .unwrap_or(0)
            .min(expected);
        (given + got, asked + expected)
    });
    let partnership = started.iter().filter(|f| f.guidance.in_partnership).count();
    let facilitated: Vec<&&Fact> = started.iter().filter(|f| f.guidance.facilitation_years > 0).collect();
    let promised: i64 = facilitated.iter().map(|f| f.guidance.hours_promised).sum();
    let granted: i64 = facilitated.iter().map(|f| f.guidance.hours_granted).sum();
    let hours = |h: i64| u32::try_from(h.max(0)).unwrap_or(u32::MAX);
    Coverage {
        starters: Cell::of(to_u32(n), n),
        mentor_within_14_days: Cell::of(
            Share {
                part: to_u32(in_time),
                whole: to_u32(settled.len()),
            },
            settled.len(),
        ),
        median_days_to_first_conversation: Cell::of(median, to_first.len()),
        conversations_per_month: Cell::of(if months > 0.0 { held as f64 / months } else { 0.0 }, n),
        checkin_response: Cell::of(
            Share {
                part: given,
                whole: asked,
            },
            current.len(),
        ),
        in_partnership: Cell::of(
            Share {
                part: to_u32(partnership),
                whole: to_u32(n),
            },
            n,
        ),
        hours_granted: Cell::of(
            Share {
                part: hours(granted),
                whole: hours(promised),
            },
            facilitated.len(),
        ),
        open_alerts_red: open_alerts(Severity::Red),
        open_alerts_amber: open_alerts(Severity::Amber),
        median_days_to_acknowledge: {
            let mut hours: Vec<i64> = started.iter().filter_map(|f| f.guidance.hours_to_acknowledge).collect();
            hours.sort_unstable();
            let median = match hours.len() {
                0 => 0.0,
                n if n % 2 == 1 => hours[n / 2] as f64 / 24.0,
                n => (hours[n / 2 - 1] + hours[n / 2]) as f64 / 48.0,
            };
            Cell::of(median, hours.len())
        },
    }
}

fn figures(
    group: String,
    periods: &[Period],
    measure: RetentionMeasure,
    as_of: NaiveDate,
    hidden: bool,
) -> GroupFigures {
    let observations: Vec<Observation> = periods.iter().filter_map(|p| p.observe(measure, as_of)).collect();
    let people = observations.len();
    if hidden {
        return GroupFigures {
            group,
            people: Cell::Suppressed,
            events: Cell::Suppressed,
            readouts: READOUT_MONTHS.iter().map(|m| (*m, Cell::Suppressed)).collect(),
            cohort_shares: Vec::new(),
            curve: Vec::new(),
        };
    }
    let full_curve = kaplan_meier(&observations);
    let mut curve = full_curve.clone();
    // Times with fewer than five people at risk are not listed.
    curve.retain(|p| p.at_risk as usize >= MIN_CELL);
    let events = observations.iter().filter(|o| o.event).count();
    GroupFigures {
        group,
        people: Cell::Shown(u32::try_from(people).unwrap_or(u32::MAX)),
        events: Cell::Shown(u32::try_from(events).unwrap_or(u32::MAX)),
        readouts: READOUT_MONTHS
            .iter()
            .map(|m| {
                let readout = read_at(&observations, &full_curve, months_to_days(*m));
                // A readout rests on the people still at risk then.
                let cell = match readout {
                    Some(r) => Cell::of(Some(r), r.at_risk as usize),
                    None => Cell::Shown(None),
                };
                (*m, cell)
            })
            .collect(),
        cohort_shares: cohort_shares(periods, as_of)
            .into_iter()
            .map(|s| (s.years, Cell::of(s, s.size as usize)))
            .collect(),
        curve,
    }
}

/// Figures for `facts`, split `by` a group, small groups suppressed.
pub fn build(facts: &[Fact], as_of: NaiveDate, measure: RetentionMeasure, by: Breakdown) -> RetentionReport {
    let all: Vec<Period> = facts.iter().map(|f| f.period).collect();
    let total = figures("all".to_owned(), &all, measure, as_of, all.len() < MIN_CELL);
    let mut split: BTreeMap<String, Vec<Period>> = BTreeMap::new();
    if by != Breakdown::All {
        for fact in facts {
            split.entry(fact.groups[&by].clone()).or_default().push(fact.period);
        }
    }
    let sizes: Vec<usize> = split.values().map(Vec::len).collect();
    let hidden = suppressed(&sizes);
    let groups = split
        .into_iter()
        .zip(hidden)
        .map(|((group, periods), hidden)| figures(group, &periods, measure, as_of, hidden))
        .collect();
    RetentionReport {
        as_of,
        measure,
        by,
        total,
        groups,
    }
}

/// One starter's anonymous record: groups, follow-up and events. No name,
/// no id, and group labels of suppressed groups blanked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonymousRecord {
    pub team: String,
    pub sector: String,
    pub route: String,
    pub cohort: String,
    pub partnership: String,
    pub intensity: String,
    pub days_institution: u32,
    pub left_institution: bool,
    pub days_education: u32,
    pub left_education: bool,
}

/// Label shown instead of a group that has fewer than five people.
pub const SUPPRESSED_LABEL: &str = "< 5";

/// The anonymous records of `facts` (fewer than five: none at all).
pub fn anonymous_records(facts: &[Fact], as_of: NaiveDate) -> Vec<AnonymousRecord> {
    let mut shown: BTreeMap<Breakdown, Vec<String>> = BTreeMap::new();
    for by in Breakdown::ALL.iter().copied().filter(|b| *b != Breakdown::All) {
        let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
        for fact in facts {
            *sizes.entry(fact.groups[&by].as_str()).or_default() += 1;
        }
        let counts: Vec<usize> = sizes.values().copied().collect();
        let visible = sizes
            .keys()
            .zip(suppressed(&counts))
            .filter(|(_, hidden)| !hidden)
            .map(|(label, _)| (*label).to_owned())
            .collect();
        shown.insert(by, visible);
    }
    let label = |fact: &Fact, by: Breakdown| {
        let value = &fact.groups[&by];
        if shown[&by].contains(value) {
            value.clone()
        } else {
            SUPPRESSED_LABEL.to_owned()
        }
    };
    let mut records: Vec<AnonymousRecord> = facts
        .iter()
        .filter_map(|fact| {
            let institution = fact.period.observe(RetentionMeasure::Institution, as_of)?;
            let education = fact.period.observe(RetentionMeasure::Education, as_of)?;
            Some(AnonymousRecord {
                team: label(fact, Breakdown::Team),
                sector: label(fact, Breakdown::Sector),
                route: label(fact, Breakdown::Route),
                cohort: label(fact, Breakdown::Cohort),
                partnership: label(fact, Breakdown::Partnership),
                intensity: label(fact, Breakdown::Intensity),
                days_institution: institution.days,
                left_institution: institution.event,
                days_education: education.days,
                left_education: education.event,
            })
        })
        .collect();
    if records.len() < MIN_CELL {
        records.clear();
    }
    records.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    records
}

/// Whose figures a page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RetentionScope {
    /// A coordinator's institution, by name.
    Institution(String),
    /// A team leader's teams.
    Teams(Vec<String>),
    /// An analyst: every institution of the deployment together.
    AllInstitutions { institutions: u32 },
}

/// The retention page: the figures of the scope and, for an institution,
/// the same figures of all other institutions together (never one by name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionPage {
    pub scope: RetentionScope,
    pub report: RetentionReport,
    pub others: Option<RetentionReport>,
    pub coverage: Coverage,
    pub others_coverage: Option<Coverage>,
}

#[cfg(test)]
mod tests;
