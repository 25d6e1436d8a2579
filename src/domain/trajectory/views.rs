//! A trajectory, its milestones, goals and terms as a person sees them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{MilestoneId, Role, Sector, TeamId, TrajectoryId};

use super::employment::{Contract, Fte};
use super::list::ProgressCount;
use super::milestones::MilestoneState;
use super::{CompetenceDomain, Phase};

/// A starter's personal development goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub id: i64,
    pub title: String,
    pub domain: Option<CompetenceDomain>,
    /// Percent, in steps the form offers (0, 25, 50, 75, 100).
    pub progress: u8,
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
            .filter(|m| m.state.is_pending())
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
