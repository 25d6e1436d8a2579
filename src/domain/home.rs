//! What each role's home page shows. Later features add to these.

use serde::{Deserialize, Serialize};

use super::{AuditLine, PersonRef, TeamOverview, Viewer};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Home {
    pub viewer: Viewer,
    /// Requests to talk waiting for this person (mentor, coordinator): on top.
    pub talk_requests: Vec<super::checkin::TalkRequestView>,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StarterHome {
    pub team: Option<String>,
    pub coordinators: Vec<Contact>,
    /// Current mentors (work-place mentor first).
    pub mentors: Vec<Contact>,
    pub last_checkin: Option<chrono::NaiveDate>,
    /// When the next check-in is due (none without an employment).
    pub checkin_due: Option<chrono::NaiveDate>,
    /// It is due today or overdue.
    pub checkin_due_now: bool,
    pub next_conversation: Option<chrono::NaiveDate>,
    pub open_actions: Vec<super::mentoring::ActionView>,
    /// The next open milestone of the trajectory: title and due date.
    pub next_milestone: Option<(String, chrono::NaiveDate)>,
    /// The latest request to talk, to show whether it was answered.
    pub talk_request: Option<super::checkin::TalkRequestView>,
}

/// Someone to reach, with their e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub person: PersonRef,
    pub email: Option<String>,
}
