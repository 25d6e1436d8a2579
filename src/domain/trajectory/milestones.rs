//! Milestones: who may own them, when they fall due, the defaults per route, their state on a day, and copying a changed template into running trajectories.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::{FieldProblem, Role};

use super::{CompetenceDomain, EntryRoute, OffsetUnit, Phase};

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
    /// Still to do: open, or overdue.
    pub fn is_pending(self) -> bool {
        matches!(self, MilestoneState::Open | MilestoneState::Overdue)
    }

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
