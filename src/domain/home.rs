//! What each role's home page shows. Later features add to these.

use serde::{Deserialize, Serialize};

use super::{AuditLine, PersonRef, TeamOverview, Viewer};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Home {
    pub viewer: Viewer,
    pub admin: Option<AdminHome>,
    pub coordinator: Option<CoordinatorHome>,
    pub team_leader: Option<TeamLeaderHome>,
    pub mentor: Option<MentorHome>,
    pub starter: Option<StarterHome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminHome {
    pub institutions: usize,
    pub coordinators: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoordinatorHome {
    pub teams: usize,
    pub people: i64,
    /// People who have not activated their account yet.
    pub invited: usize,
    pub latest_events: Vec<AuditLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamLeaderHome {
    pub teams: Vec<TeamOverview>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorHome {
    pub teams: Vec<String>,
    pub coordinators: Vec<Contact>,
    /// "My starters": current mentees, longest without contact first.
    pub mentees: Vec<super::mentoring::MenteeRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarterHome {
    pub team: Option<String>,
    pub coordinators: Vec<Contact>,
    /// Current mentors (work-place mentor first).
    pub mentors: Vec<Contact>,
}

/// Someone to reach, with their e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub person: PersonRef,
    pub email: Option<String>,
}
