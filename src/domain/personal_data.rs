//! "My data" (AVG art. 15): everything Houvast holds about one person that
//! they may see, as one value the person downloads as JSON and reads as a
//! page. It never holds another person's private notes nor content about
//! other people: a mentor's copy holds what the mentor wrote, not their
//! mentees' check-ins.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::alerts::AlertEvent;
use super::checkin::{CheckInView, TalkTo};
use super::mentoring::{ConversationKind, ConversationView, PairingEndReason, PairingKind};
use super::notification::NotificationKind;
use super::signals::{RuleId, Severity};
use super::starter::StarterDetail;
use super::{AuditAction, Language, PersonId, Role};

/// The whole export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalData {
    pub produced_at: DateTime<Utc>,
    pub person: PersonSection,
    pub roles: Vec<RolePeriod>,
    /// Each employment as a starter, with its trajectory and goals.
    pub employments: Vec<StarterDetail>,
    pub check_ins: Vec<CheckInView>,
    pub talk_requests: Vec<TalkRequestMade>,
    /// The person's mentors, as a starter.
    pub mentors: Vec<MentorPeriod>,
    /// Conversations with the person as a starter: what was shared with
    /// them and their own reflections (never the mentor's private note).
    pub conversations: Vec<ConversationView>,
    /// What the person wrote as a mentor: summaries and their own private
    /// notes, without the mentee's name.
    pub written_as_mentor: Vec<WrittenAsMentor>,
    pub notifications: Vec<NotificationReceived>,
    /// Signals about the person as a starter and how they were handled.
    pub signals: Vec<SignalAbout>,
    /// Who read the person's check-ins or conversation content, and when.
    pub reads: Vec<ContentRead>,
    /// When the person logged in (newest first, at most [`LOGINS_SHOWN`]).
    pub logins: Vec<DateTime<Utc>>,
}

/// How many logins the export lists.
pub const LOGINS_SHOWN: usize = 100;

/// How many notifications the export lists (they are kept for a year).
pub const NOTIFICATIONS_SHOWN: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSection {
    pub id: PersonId,
    pub name: String,
    pub email: Option<String>,
    pub institution: Option<String>,
    pub language: Language,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolePeriod {
    pub role: Role,
    pub team: Option<String>,
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkRequestMade {
    pub asked_at: DateTime<Utc>,
    pub to: TalkTo,
    pub answered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorPeriod {
    pub mentor: String,
    pub kind: PairingKind,
    pub start: NaiveDate,
    pub end: Option<(NaiveDate, PairingEndReason)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenAsMentor {
    pub on: NaiveDate,
    pub kind: ConversationKind,
    pub summary: String,
    pub private_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationReceived {
    pub at: DateTime<Utc>,
    pub kind: NotificationKind,
    /// Whom it named, as the person was told.
    pub about: Option<String>,
    pub on: Option<NaiveDate>,
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalAbout {
    pub opened_on: NaiveDate,
    pub level: Severity,
    /// The rules that raised it.
    pub rules: Vec<RuleId>,
    /// Every step: when, what, who, and the handler's note.
    pub steps: Vec<AlertEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentRead {
    pub at: DateTime<Utc>,
    /// Who read it; `None` when that person no longer exists.
    pub by: Option<String>,
    pub what: AuditAction,
}

/// The audit actions that mean someone read a person's content.
pub const READ_ACTIONS: [AuditAction; 3] = [
    AuditAction::ConversationRead,
    AuditAction::CheckInRead,
    AuditAction::PersonalDataExported,
];

impl PersonalData {
    /// Whether the person has anything as a starter (employment, check-ins,
    /// conversations), so the page can leave out empty starter sections.
    pub fn is_starter(&self) -> bool {
        !self.employments.is_empty() || !self.check_ins.is_empty() || !self.conversations.is_empty()
    }
}
