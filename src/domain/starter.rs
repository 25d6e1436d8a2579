//! The starter's page as a read model: the trajectory, the timeline of
//! what happened, goals, facilitation and the content-free guidance
//! overview together. It gathers the feature modules, so it lives above
//! them rather than in any one of them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::mentoring::GuidanceOverview;
use super::trajectory::{
    EntryRoute, FacilitationYear, Fte, Goal, LeaveReason, StarterStatus, TermsView, TrajectoryView,
};
use super::{EmploymentId, PersonId};

/// What happened, in order, on a starter's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimelineEvent {
    Started {
        route: EntryRoute,
    },
    TermsChanged {
        fte: Fte,
        team_name: Option<String>,
    },
    MilestoneDone {
        title: String,
    },
    MilestoneSkipped {
        title: String,
    },
    /// A step of a dropout alert (not shown to the starter).
    Alert {
        action: super::alerts::AlertAction,
        level: super::signals::Severity,
        actor: Option<String>,
        note: Option<String>,
    },
    Completed,
    Left {
        reason: LeaveReason,
        destination: Option<String>,
    },
}

/// The starter's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarterDetail {
    pub person: PersonId,
    pub name: String,
    pub email: Option<String>,
    pub employee_number: String,
    pub employment: EmploymentId,
    pub route: EntryRoute,
    pub start: NaiveDate,
    pub status: StarterStatus,
    pub ending: Option<(NaiveDate, LeaveReason, Option<String>)>,
    pub terms: Vec<TermsView>,
    pub trajectory: Option<TrajectoryView>,
    pub timeline: Vec<(NaiveDate, TimelineEvent)>,
    /// Whether the viewer may record leaving, completion and corrections.
    pub can_manage: bool,
    /// The facilitation ledger, per school year of the first two years.
    pub facilitation: Vec<FacilitationYear>,
    pub goals: Vec<Goal>,
    /// Whether the viewer may add goals and record their progress.
    pub can_edit_goals: bool,
    /// Pairings and conversations without any content.
    pub guidance: GuidanceOverview,
    /// The viewer sees the starters list (coordinator, team leader); a
    /// mentor goes back to the mentee page instead.
    pub viewer_has_list: bool,
}
