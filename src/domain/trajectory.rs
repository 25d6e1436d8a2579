//! The induction trajectory of a starter: employment as dated periods, the
//! template a trajectory is copied from, milestones with due dates derived
//! from the start date, and the facilitation hours the cao promises.
//!
//! Everything here is pure: schedule rules take their dates as arguments,
//! never from a clock, so they are tested with any "today".

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{FieldProblem, MilestoneId, PartnershipId, PersonId, Role, Sector, TeamId, TrajectoryId};

use super::code::coded;

coded!(
    /// How a starter came into teaching.
    EntryRoute {
        /// Qualified teacher (lerarenopleiding afgerond).
        Regular = "regular",
        /// Side-entrant in a PDG route (zij-instromer, PDG-traject).
        SideEntrantPdg = "side_entrant_pdg",
        /// Side-entrant in a shortened teacher-training route.
        SideEntrantShortened = "side_entrant_shortened",
        /// Hybrid teacher: part industry, part school.
        Hybrid = "hybrid",
        /// Teacher-training student working in the school (LIO).
        Trainee = "trainee",
        /// Educational associate degree (Ad PEP).
        AssociateDegree = "associate_degree",
    }
);

coded!(
    /// Why an employment ended.
    LeaveReason {
        Workload = "workload",
        Guidance = "guidance",
        Pay = "pay",
        Personal = "personal",
        ContractNotRenewed = "contract_not_renewed",
        OtherMboInstitution = "other_mbo_institution",
        OtherEducationSector = "other_education_sector",
        LeftEducation = "left_education",
        Retired = "retired",
        Other = "other",
    }
);

impl LeaveReason {
    /// Whether the person stayed in education (retention "in education"
    /// counts these as still teaching).
    pub fn stays_in_education(self) -> bool {
        matches!(
            self,
            LeaveReason::OtherMboInstitution | LeaveReason::OtherEducationSector
        )
    }
}

coded!(
    /// Phases of the three-year induction.
    Phase {
        Start = "start",
        Year1 = "year1",
        Year2 = "year2",
        Year3 = "year3",
    }
);

coded!(
    /// The three competence domains of the bekwaamheidseisen.
    CompetenceDomain {
        /// Vakinhoudelijk.
        SubjectMatter = "subject_matter",
        /// Vakdidactisch.
        SubjectDidactics = "subject_didactics",
        /// Pedagogisch.
        Pedagogical = "pedagogical",
    }
);

coded!(
    /// The unit of a milestone's offset from the start date.
    OffsetUnit {
        Days = "days",
        Weeks = "weeks",
        Months = "months",
    }
);

coded!(
    /// Fixed-term or permanent.
    ContractKind {
        FixedTerm = "fixed_term",
        Permanent = "permanent",
    }
);

/// Roles that can own a milestone.
pub const MILESTONE_OWNERS: [Role; 4] = [Role::Starter, Role::Mentor, Role::TeamLeader, Role::Coordinator];

/// How long after the start a milestone is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offset {
    pub amount: u16,
    pub unit: OffsetUnit,
}

impl Offset {
    pub const MAX_DAYS: u16 = 5 * 366;

    pub fn days(amount: u16) -> Self {
        Offset {
            amount,
            unit: OffsetUnit::Days,
        }
    }
    pub fn weeks(amount: u16) -> Self {
        Offset {
            amount,
            unit: OffsetUnit::Weeks,
        }
    }
    pub fn months(amount: u16) -> Self {
        Offset {
            amount,
            unit: OffsetUnit::Months,
        }
    }

    /// Checked constructor: at most about five years.
    pub fn new(amount: i64, unit: OffsetUnit) -> Result<Self, FieldProblem> {
        let max = match unit {
            OffsetUnit::Days => i64::from(Self::MAX_DAYS),
            OffsetUnit::Weeks => 261,
            OffsetUnit::Months => 60,
        };
        if !(0..=max).contains(&amount) {
            return Err(FieldProblem::OutOfRange {
                min: 0,
                max: max as i32,
            });
        }
        Ok(Offset {
            amount: amount as u16,
            unit,
        })
    }

    /// The due date for a trajectory starting on `start`. Months keep the
    /// day of the month, clamped to the month's last day (31 Jan + 1 month =
    /// 28 or 29 Feb).
    pub fn due_from(self, start: NaiveDate) -> NaiveDate {
        let amount = u64::from(self.amount);
        let due = match self.unit {
            OffsetUnit::Days => start.checked_add_days(Days::new(amount)),
            OffsetUnit::Weeks => start.checked_add_days(Days::new(amount * 7)),
            OffsetUnit::Months => start.checked_add_months(Months::new(self.amount.into())),
        };
        due.unwrap_or(NaiveDate::MAX)
    }
}

/// Full-time equivalent in hundredths (0.8 FTE = 80). Between 0.01 and 1.20.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fte(pub u16);

impl Fte {
    pub const FULL: Fte = Fte(100);
    pub const MAX: u16 = 120;

    /// "0,8", "0.8", "1", "80%" → 0.80.
    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldProblem::Required);
        }
        let hundredths = if let Some(percent) = raw.strip_suffix('%') {
            percent.trim().parse::<u32>().map_err(|_| FieldProblem::Format)?
        } else {
            let normalised = raw.replace(',', ".");
            let (whole, fraction) = normalised.split_once('.').unwrap_or((&normalised, ""));
            if whole.is_empty() && fraction.is_empty()
                || !whole.chars().all(|c| c.is_ascii_digit())
                || !fraction.chars().all(|c| c.is_ascii_digit())
                || fraction.len() > 2
            {
                return Err(FieldProblem::Format);
            }
            let whole: u32 = if whole.is_empty() {
                0
            } else {
                whole.parse().map_err(|_| FieldProblem::Format)?
            };
            let fraction: u32 = match fraction.len() {
                0 => 0,
                1 => fraction.parse::<u32>().map_err(|_| FieldProblem::Format)? * 10,
                _ => fraction.parse().map_err(|_| FieldProblem::Format)?,
            };
            whole.saturating_mul(100).saturating_add(fraction)
        };
        if hundredths == 0 || hundredths > u32::from(Self::MAX) {
            return Err(FieldProblem::FteRange);
        }
        Ok(Fte(hundredths as u16))
    }

    /// "0,8" / "1" — Dutch decimal comma, used in both languages and in CSV.
    pub fn display(self) -> String {
        let whole = self.0 / 100;
        let fraction = self.0 % 100;
        match fraction {
            0 => whole.to_string(),
            f if f % 10 == 0 => format!("{whole},{}", f / 10),
            f => format!("{whole},{f:02}"),
        }
    }
}

/// The contract of an employment period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Contract {
    Permanent,
    FixedTerm { until: NaiveDate },
}

impl Contract {
    pub fn kind(self) -> ContractKind {
        match self {
            Contract::Permanent => ContractKind::Permanent,
            Contract::FixedTerm { .. } => ContractKind::FixedTerm,
        }
    }
    pub fn until(self) -> Option<NaiveDate> {
        match self {
            Contract::Permanent => None,
            Contract::FixedTerm { until } => Some(until),
        }
    }
    /// A fixed-term contract needs its end date, a permanent one has none.
    pub fn from_parts(kind: ContractKind, until: Option<NaiveDate>) -> Result<Self, FieldProblem> {
        match (kind, until) {
            (ContractKind::Permanent, _) => Ok(Contract::Permanent),
            (ContractKind::FixedTerm, Some(until)) => Ok(Contract::FixedTerm { until }),
            (ContractKind::FixedTerm, None) => Err(FieldProblem::Required),
        }
    }
}

/// The terms of employment from a date on. A change of team, FTE or contract
/// is a new row with a later `valid_from`; nothing is overwritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmploymentTerms {
    pub valid_from: NaiveDate,
    pub fte: Fte,
    pub contract: Contract,
    pub team: Option<TeamId>,
    pub sector: Sector,
    /// The SO&P partnership the starter is trained in, if any.
    pub partnership: Option<PartnershipId>,
}

/// The terms in force on `date`: the latest row that starts on or before it
/// (the first row when `date` is before all of them).
pub fn terms_on(terms: &[EmploymentTerms], date: NaiveDate) -> Option<&EmploymentTerms> {
    terms
        .iter()
        .filter(|t| t.valid_from <= date)
        .max_by_key(|t| t.valid_from)
        .or_else(|| terms.iter().min_by_key(|t| t.valid_from))
}

/// The school year a date falls in, named by the year it starts
/// (1 August – 31 July): 2026-09-01 and 2027-07-31 are both in 2026.
pub fn school_year(date: NaiveDate) -> i32 {
    if date.month() >= 8 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// Starter-hour reduction the cao promises for trajectory year `year`
/// (1-based): 100 hours for a full-time starter in years 1 and 2, pro rata
/// FTE (rounded to whole hours), nothing after.
pub fn starter_hours_promised(fte: Fte, year: u32) -> u32 {
    if !(1..=2).contains(&year) {
        return 0;
    }
    (u32::from(fte.0) * 100 + 50) / 100
}

/// The school years a starter's reduction covers: those overlapping the
/// first two trajectory years.
pub fn supported_school_years(start: NaiveDate) -> Vec<i32> {
    let end = start.checked_add_months(Months::new(24)).unwrap_or(NaiveDate::MAX);
    let last = school_year(end.pred_opt().unwrap_or(end));
    (school_year(start)..=last).collect()
}

/// The cao's starter hours for one school year: 100 hours × FTE for a whole
/// school year inside the first two trajectory years, pro rata by days for
/// a school year only partly inside (a January start).
pub fn default_starter_hours(start: NaiveDate, fte: Fte, year: i32) -> u32 {
    let (Some(from), Some(until)) = (
        NaiveDate::from_ymd_opt(year, 8, 1),
        NaiveDate::from_ymd_opt(year + 1, 8, 1),
    ) else {
        return 0;
    };
    let end = start.checked_add_months(Months::new(24)).unwrap_or(NaiveDate::MAX);
    let overlap = (until.min(end) - from.max(start)).num_days().max(0) as u64;
    let year_days = (until - from).num_days() as u64;
    ((u64::from(fte.0) * overlap + year_days / 2) / year_days) as u32
}

/// One school year of the facilitation ledger as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilitationYear {
    pub school_year: i32,
    pub starter_promised: u32,
    pub starter_granted: Option<u32>,
    pub mentor_promised: Option<u32>,
    pub mentor_granted: Option<u32>,
}

/// A starter's personal development goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub id: i64,
    pub title: String,
    pub domain: Option<CompetenceDomain>,
    /// Percent, in steps the form offers (0, 25, 50, 75, 100).
    pub progress: u8,
}

/// Longest goal title.
pub const GOAL_TITLE_MAX: usize = 200;

/// Longest free text on a milestone (note, skip reason) and a destination.
pub const NOTE_MAX_CHARS: usize = 500;

/// Which trajectory year (1-based) `date` is in for a trajectory that
/// started on `start`; 0 before the start.
pub fn trajectory_year(start: NaiveDate, date: NaiveDate) -> u32 {
    if date < start {
        return 0;
    }
    let mut year = 1;
    while let Some(next) = start.checked_add_months(Months::new(12 * year))
        && next <= date
    {
        year += 1;
    }
    year
}

/// One milestone of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneTemplate {
    pub title: String,
    pub phase: Phase,
    pub offset: Offset,
    pub owner: Role,
    pub domain: Option<CompetenceDomain>,
}

/// The defaults every institution starts with: a three-year induction for
/// all starters, and for the PDG route the geschiktheidsverklaring and the
/// PDG itself within two years of the start.
pub fn default_milestones(route: EntryRoute) -> Vec<MilestoneTemplate> {
    use CompetenceDomain::*;
    use Phase::*;
    let m = |title: &str, phase, offset, owner, domain| MilestoneTemplate {
        title: title.to_owned(),
        phase,
        offset,
        owner,
        domain,
    };
    let mut all = vec![
        m("Intakegesprek", Start, Offset::weeks(2), Role::Coordinator, None),
        m("Kennismaking met mentor", Start, Offset::weeks(3), Role::Mentor, None),
        m(
            "Eerste lesbezoek",
            Year1,
            Offset::weeks(8),
            Role::Mentor,
            Some(SubjectDidactics),
        ),
        m(
            "Persoonlijk ontwikkelplan opgesteld",
            Year1,
            Offset::weeks(10),
            Role::Starter,
            None,
        ),
        m(
            "Tussenevaluatie jaar 1",
            Year1,
            Offset::months(5),
            Role::TeamLeader,
            None,
        ),
        m(
            "Tweede lesbezoek",
            Year1,
            Offset::months(7),
            Role::Mentor,
            Some(Pedagogical),
        ),
        m(
            "Jaarevaluatie jaar 1",
            Year1,
            Offset::months(11),
            Role::TeamLeader,
            None,
        ),
    ];
    if route == EntryRoute::SideEntrantPdg {
        all.push(m(
            "Geschiktheidsverklaring (geschiktheidsonderzoek)",
            Start,
            Offset::months(1),
            Role::Coordinator,
            None,
        ));
        all.push(m(
            "PDG behaald",
            Year2,
            Offset::months(24),
            Role::Starter,
            Some(SubjectDidactics),
        ));
    }
    all.extend([
        m(
            "Lesbezoek jaar 2",
            Year2,
            Offset::months(16),
            Role::Mentor,
            Some(SubjectMatter),
        ),
        m(
            "Jaarevaluatie jaar 2",
            Year2,
            Offset::months(23),
            Role::TeamLeader,
            None,
        ),
        m(
            "Jaarevaluatie jaar 3",
            Year3,
            Offset::months(35),
            Role::TeamLeader,
            None,
        ),
        m(
            "Eindgesprek inductie",
            Year3,
            Offset::months(36),
            Role::Coordinator,
            None,
        ),
    ]);
    all.sort_by_key(|t| (t.offset.due_from(NaiveDate::MIN), t.phase));
    all
}

/// A milestone's state as stored: open, done or skipped. "Overdue" is never
/// stored; it is derived from the date (see `MilestoneState`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MilestoneProgress {
    Open,
    Done {
        on: NaiveDate,
        by: Option<String>,
        note: Option<String>,
    },
    Skipped {
        reason: String,
    },
}

/// What a person sees: stored progress plus "overdue" on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneState {
    Open,
    Overdue,
    Done,
    Skipped,
}

impl MilestoneState {
    pub const ALL: [MilestoneState; 4] = [
        MilestoneState::Open,
        MilestoneState::Overdue,
        MilestoneState::Done,
        MilestoneState::Skipped,
    ];
    pub fn code(self) -> &'static str {
        match self {
            MilestoneState::Open => "open",
            MilestoneState::Overdue => "overdue",
            MilestoneState::Done => "done",
            MilestoneState::Skipped => "skipped",
        }
    }
}

/// A milestone is overdue once its due day has passed and it is still open.
pub fn milestone_state(progress: &MilestoneProgress, due: NaiveDate, today: NaiveDate) -> MilestoneState {
    match progress {
        MilestoneProgress::Done { .. } => MilestoneState::Done,
        MilestoneProgress::Skipped { .. } => MilestoneState::Skipped,
        MilestoneProgress::Open if due < today => MilestoneState::Overdue,
        MilestoneProgress::Open => MilestoneState::Open,
    }
}

/// A milestone copied into a trajectory: the trajectory keeps its own copy
/// so that a later template change never rewrites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneCopy {
    /// The template milestone it came from (to apply template changes).
    pub template_milestone: Option<i64>,
    pub title: String,
    pub phase: Phase,
    pub owner: Role,
    pub domain: Option<CompetenceDomain>,
    pub due: NaiveDate,
}

/// Copy a template into a trajectory that starts on `start`.
pub fn snapshot(template: &[(i64, MilestoneTemplate)], start: NaiveDate) -> Vec<MilestoneCopy> {
    template
        .iter()
        .map(|(id, m)| MilestoneCopy {
            template_milestone: Some(*id),
            title: m.title.clone(),
            phase: m.phase,
            owner: m.owner,
            domain: m.domain,
            due: m.offset.due_from(start),
        })
        .collect()
}

/// What applying a changed template to a running trajectory does. Done and
/// skipped milestones are history and stay exactly as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TemplateUpdate {
    /// New template milestones the trajectory lacks.
    pub add: Vec<MilestoneCopy>,
    /// Open milestones whose template entry changed: (trajectory milestone id, new copy).
    pub change: Vec<(i64, MilestoneCopy)>,
    /// Open milestones whose template entry is gone.
    pub remove: Vec<i64>,
}

impl TemplateUpdate {
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.change.is_empty() && self.remove.is_empty()
    }
}

/// Plan applying `template` to a trajectory that started on `start` and has
/// `existing` milestones (id, copy, progress).
pub fn plan_template_update(
    existing: &[(i64, MilestoneCopy, MilestoneProgress)],
    template: &[(i64, MilestoneTemplate)],
    start: NaiveDate,
) -> TemplateUpdate {
    let wanted = snapshot(template, start);
    let mut update = TemplateUpdate::default();
    for copy in &wanted {
        match existing
            .iter()
            .find(|(_, e, _)| e.template_milestone == copy.template_milestone)
        {
            None => update.add.push(copy.clone()),
            Some((id, current, MilestoneProgress::Open)) if current != copy => update.change.push((*id, copy.clone())),
            Some(_) => {}
        }
    }
    for (id, current, progress) in existing {
        let still_there = wanted
            .iter()
            .any(|w| w.template_milestone == current.template_milestone);
        if !still_there && current.template_milestone.is_some() && *progress == MilestoneProgress::Open {
            update.remove.push(*id);
        }
    }
    update
}

/// A template as the coordinator edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    pub route: EntryRoute,
    pub version: i64,
    /// Current milestones with their template milestone id, in order.
    pub milestones: Vec<(i64, MilestoneTemplate)>,
    /// Running trajectories that follow an older version.
    pub behind: usize,
}

/// Progress of a trajectory in numbers, for lists and the starter's phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProgressCount {
    pub done: u32,
    pub skipped: u32,
    pub open: u32,
    pub overdue: u32,
}

impl ProgressCount {
    pub fn add(&mut self, state: MilestoneState) {
        match state {
            MilestoneState::Done => self.done += 1,
            MilestoneState::Skipped => self.skipped += 1,
            MilestoneState::Open => self.open += 1,
            MilestoneState::Overdue => self.overdue += 1,
        }
    }
    pub fn total(self) -> u32 {
        self.done + self.skipped + self.open + self.overdue
    }
    /// Whole percent finished (done or skipped); 0 for an empty trajectory.
    pub fn percent(self) -> u32 {
        ((self.done + self.skipped) * 100)
            .checked_div(self.total())
            .unwrap_or(0)
    }
}

/// Where a starter stands: still employed and in induction, finished the
/// induction (still employed), or left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StarterStatus {
    Active,
    Completed,
    Left,
}

impl StarterStatus {
    pub const ALL: [StarterStatus; 3] = [StarterStatus::Active, StarterStatus::Completed, StarterStatus::Left];
    pub fn code(self) -> &'static str {
        match self {
            StarterStatus::Active => "active",
            StarterStatus::Completed => "completed",
            StarterStatus::Left => "left",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// How the starters list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StarterSort {
    #[default]
    Name,
    StartDate,
    Progress,
    Overdue,
}

impl StarterSort {
    pub const ALL: [StarterSort; 4] = [
        StarterSort::Name,
        StarterSort::StartDate,
        StarterSort::Progress,
        StarterSort::Overdue,
    ];
    pub fn code(self) -> &'static str {
        match self {
            StarterSort::Name => "name",
            StarterSort::StartDate => "start",
            StarterSort::Progress => "progress",
            StarterSort::Overdue => "overdue",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Filters of the starters list; all optional.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StarterFilter {
    pub team: Option<TeamId>,
    pub route: Option<EntryRoute>,
    pub status: Option<StarterStatus>,
    /// School year of the start (2026 = 2026/27).
    pub start_year: Option<i32>,
    pub in_partnership: Option<bool>,
    pub sort: StarterSort,
    /// 0-based page of `PAGE_SIZE` rows.
    pub page: u32,
}

impl StarterFilter {
    pub const PAGE_SIZE: usize = 25;
}

/// One row of the starters list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarterListItem {
    pub person: PersonId,
    pub name: String,
    pub employee_number: String,
    pub route: EntryRoute,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub start: NaiveDate,
    pub status: StarterStatus,
    pub progress: ProgressCount,
    pub in_partnership: bool,
}

/// A page of the starters list with what the filters can offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarterPage {
    pub rows: Vec<StarterListItem>,
    pub total: usize,
    pub page: u32,
    pub pages: u32,
    /// Teams the caller may filter on: (id, name).
    pub teams: Vec<(TeamId, String)>,
    /// School years that occur, newest first.
    pub start_years: Vec<i32>,
}

/// A milestone as a person sees it on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneView {
    pub id: MilestoneId,
    pub title: String,
    pub phase: Phase,
    pub owner: Role,
    pub domain: Option<CompetenceDomain>,
    pub due: NaiveDate,
    pub state: MilestoneState,
    pub done_on: Option<NaiveDate>,
    pub done_by: Option<String>,
    pub note: Option<String>,
    pub skip_reason: Option<String>,
    /// Whether the viewer may mark it done, skip it or reopen it.
    pub can_update: bool,
}

/// A trajectory as a person sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrajectoryView {
    pub id: TrajectoryId,
    pub started_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub year: u32,
    pub progress: ProgressCount,
    pub milestones: Vec<MilestoneView>,
}

impl TrajectoryView {
    /// The first open or overdue milestone by due date: "what is next".
    pub fn next_due(&self) -> Option<&MilestoneView> {
        self.milestones
            .iter()
            .filter(|m| matches!(m.state, MilestoneState::Open | MilestoneState::Overdue))
            .min_by_key(|m| m.due)
    }
}

/// The terms of employment from a date on, with names filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsView {
    pub valid_from: NaiveDate,
    pub fte: Fte,
    pub contract: Contract,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub sector: Sector,
    pub partnership: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_date;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn due_dates_count_from_the_start_date() {
        let start = d(2026, 8, 24);
        assert_eq!(Offset::days(10).due_from(start), d(2026, 9, 3));
        assert_eq!(Offset::weeks(2).due_from(start), d(2026, 9, 7));
        assert_eq!(Offset::months(5).due_from(start), d(2027, 1, 24));
        assert_eq!(Offset::months(24).due_from(start), d(2028, 8, 24));
        // End of month is clamped, leap years respected.
        assert_eq!(Offset::months(1).due_from(d(2027, 1, 31)), d(2027, 2, 28));
        assert_eq!(Offset::months(1).due_from(d(2028, 1, 31)), d(2028, 2, 29));
        assert_eq!(Offset::days(0).due_from(start), start);
    }

    #[test]
    fn offsets_are_bounded() {
        assert!(Offset::new(60, OffsetUnit::Months).is_ok());
        assert_eq!(
            Offset::new(61, OffsetUnit::Months),
            Err(FieldProblem::OutOfRange { min: 0, max: 60 })
        );
        assert!(Offset::new(-1, OffsetUnit::Days).is_err());
    }

    #[test]
    fn pdg_route_gets_the_two_year_deadline() {
        let start = d(2026, 9, 1);
        let pdg = default_milestones(EntryRoute::SideEntrantPdg);
        let completion = pdg.iter().find(|m| m.title == "PDG behaald").unwrap();
        assert_eq!(completion.offset.due_from(start), d(2028, 9, 1));
        assert!(pdg.iter().any(|m| m.title.starts_with("Geschiktheidsverklaring")));
        let regular = default_milestones(EntryRoute::Regular);
        assert!(!regular.iter().any(|m| m.title.contains("PDG")));
        for title in [
            "Intakegesprek",
            "Kennismaking met mentor",
            "Eerste lesbezoek",
            "Eindgesprek inductie",
        ] {
            assert!(regular.iter().any(|m| m.title == title), "{title}");
        }
        // Ordered by due date.
        let dues: Vec<NaiveDate> = pdg.iter().map(|m| m.offset.due_from(start)).collect();
        assert!(dues.windows(2).all(|w| w[0] <= w[1]), "{dues:?}");
    }

    #[test]
    fn starter_hours_are_pro_rata_in_years_one_and_two() {
        assert_eq!(starter_hours_promised(Fte::FULL, 1), 100);
        assert_eq!(starter_hours_promised(Fte(80), 2), 80);
        assert_eq!(starter_hours_promised(Fte(55), 1), 55);
        assert_eq!(starter_hours_promised(Fte(120), 1), 120);
        assert_eq!(starter_hours_promised(Fte::FULL, 3), 0);
        assert_eq!(starter_hours_promised(Fte::FULL, 0), 0);
    }

    #[test]
    fn starter_hours_per_school_year_are_pro_rata_by_days() {
        let august = d(2026, 8, 1);
        assert_eq!(supported_school_years(august), vec![2026, 2027]);
        assert_eq!(default_starter_hours(august, Fte::FULL, 2026), 100);
        assert_eq!(default_starter_hours(august, Fte(80), 2027), 80);
        assert_eq!(default_starter_hours(august, Fte::FULL, 2028), 0);
        // A January start spreads two years over three school years.
        let january = d(2027, 1, 4);
        assert_eq!(supported_school_years(january), vec![2026, 2027, 2028]);
        let hours: Vec<u32> = [2026, 2027, 2028]
            .iter()
            .map(|y| default_starter_hours(january, Fte::FULL, *y))
            .collect();
        assert_eq!(hours, vec![57, 100, 43]);
        assert_eq!(hours.iter().sum::<u32>(), 200);
    }

    #[test]
    fn trajectory_years_turn_on_the_anniversary() {
        let start = d(2026, 9, 1);
        assert_eq!(trajectory_year(start, d(2026, 8, 31)), 0);
        assert_eq!(trajectory_year(start, start), 1);
        assert_eq!(trajectory_year(start, d(2027, 8, 31)), 1);
        assert_eq!(trajectory_year(start, d(2027, 9, 1)), 2);
        assert_eq!(trajectory_year(start, d(2029, 9, 1)), 4);
    }

    #[test]
    fn overdue_is_derived_from_the_day() {
        let due = d(2026, 10, 1);
        assert_eq!(
            milestone_state(&MilestoneProgress::Open, due, d(2026, 10, 1)),
            MilestoneState::Open
        );
        assert_eq!(
            milestone_state(&MilestoneProgress::Open, due, d(2026, 10, 2)),
            MilestoneState::Overdue
        );
        let done = MilestoneProgress::Done {
            on: d(2026, 12, 1),
            by: None,
            note: None,
        };
        assert_eq!(milestone_state(&done, due, d(2027, 1, 1)), MilestoneState::Done);
        let skipped = MilestoneProgress::Skipped {
            reason: "n.v.t.".into(),
        };
        assert_eq!(milestone_state(&skipped, due, d(2027, 1, 1)), MilestoneState::Skipped);
    }

    #[test]
    fn a_snapshot_is_not_touched_by_template_changes_until_applied() {
        let start = d(2026, 9, 1);
        let template: Vec<(i64, MilestoneTemplate)> = default_milestones(EntryRoute::Regular)
            .into_iter()
            .enumerate()
            .map(|(i, m)| (i as i64 + 1, m))
            .collect();
        let copies = snapshot(&template, start);
        assert_eq!(copies.len(), template.len());
        assert_eq!(copies[0].due, d(2026, 9, 15));

        // The trajectory holds copies: first done, second open, rest open.
        let existing: Vec<(i64, MilestoneCopy, MilestoneProgress)> = copies
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let progress = if i == 0 {
                    MilestoneProgress::Done {
                        on: d(2026, 9, 10),
                        by: None,
                        note: None,
                    }
                } else {
                    MilestoneProgress::Open
                };
                (100 + i as i64, c.clone(), progress)
            })
            .collect();
        assert!(plan_template_update(&existing, &template, start).is_empty());

        // The coordinator moves the intake (done) and the meeting (open),
        // drops the third milestone and adds one.
        let mut changed = template.clone();
        changed[0].1.offset = Offset::weeks(1);
        changed[1].1.offset = Offset::weeks(4);
        let dropped = changed.remove(2).0;
        changed.push((
            99,
            MilestoneTemplate {
                title: "Intervisie".into(),
                phase: Phase::Year1,
                offset: Offset::months(3),
                owner: Role::Mentor,
                domain: None,
            },
        ));
        let plan = plan_template_update(&existing, &changed, start);
        assert_eq!(plan.add.len(), 1);
        assert_eq!(plan.add[0].title, "Intervisie");
        assert_eq!(plan.add[0].due, d(2026, 12, 1));
        assert_eq!(plan.change.len(), 1, "the done intake keeps its history");
        assert_eq!(plan.change[0].0, 101);
        assert_eq!(plan.change[0].1.due, d(2026, 9, 29));
        let dropped_copy = existing
            .iter()
            .find(|e| e.1.template_milestone == Some(dropped))
            .unwrap()
            .0;
        assert_eq!(plan.remove, vec![dropped_copy]);
    }

    #[test]
    fn fte_is_read_the_dutch_way() {
        assert_eq!(Fte::parse("0,8"), Ok(Fte(80)));
        assert_eq!(Fte::parse("0.85"), Ok(Fte(85)));
        assert_eq!(Fte::parse("1"), Ok(Fte(100)));
        assert_eq!(Fte::parse(",5"), Ok(Fte(50)));
        assert_eq!(Fte::parse("60%"), Ok(Fte(60)));
        assert_eq!(Fte::parse(""), Err(FieldProblem::Required));
        assert_eq!(Fte::parse("0"), Err(FieldProblem::FteRange));
        assert_eq!(Fte::parse("1,5"), Err(FieldProblem::FteRange));
        assert_eq!(Fte::parse("een"), Err(FieldProblem::Format));
        assert_eq!(Fte::parse("0,855"), Err(FieldProblem::Format));
        assert_eq!(Fte(80).display(), "0,8");
        assert_eq!(Fte(85).display(), "0,85");
        assert_eq!(Fte(100).display(), "1");
    }

    #[test]
    fn dates_are_read_in_iso_and_dutch_order() {
        assert_eq!(parse_date("2026-09-01"), Ok(d(2026, 9, 1)));
        assert_eq!(parse_date("1-9-2026"), Ok(d(2026, 9, 1)));
        assert_eq!(parse_date("01/09/2026"), Ok(d(2026, 9, 1)));
        assert_eq!(parse_date("31-02-2026"), Err(FieldProblem::Format));
        assert_eq!(parse_date(" "), Err(FieldProblem::Required));
        assert_eq!(school_year(d(2026, 8, 1)), 2026);
        assert_eq!(school_year(d(2027, 7, 31)), 2026);
    }

    #[test]
    fn terms_in_force_on_a_day() {
        let row = |from, fte| EmploymentTerms {
            valid_from: from,
            fte: Fte(fte),
            contract: Contract::Permanent,
            team: None,
            sector: Sector::Other,
            partnership: None,
        };
        let terms = vec![row(d(2026, 9, 1), 80), row(d(2027, 2, 1), 100)];
        assert_eq!(terms_on(&terms, d(2026, 12, 1)).unwrap().fte, Fte(80));
        assert_eq!(terms_on(&terms, d(2027, 2, 1)).unwrap().fte, Fte(100));
        assert_eq!(terms_on(&terms, d(2026, 1, 1)).unwrap().fte, Fte(80));
        assert!(terms_on(&[], d(2026, 1, 1)).is_none());
    }

    #[test]
    fn codes_round_trip() {
        for route in EntryRoute::ALL {
            assert_eq!(EntryRoute::from_code(route.code()), Some(*route));
        }
        for reason in LeaveReason::ALL {
            assert_eq!(LeaveReason::from_code(reason.code()), Some(*reason));
        }
        assert!(LeaveReason::OtherMboInstitution.stays_in_education());
        assert!(!LeaveReason::LeftEducation.stays_in_education());
        assert_eq!(
            Contract::from_parts(ContractKind::FixedTerm, None),
            Err(FieldProblem::Required)
        );
    }
}
