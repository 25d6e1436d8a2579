//! The audit timeline: who did what to whose data, when. Events are only
//! ever appended; nothing in Houvast updates or deletes them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{InstitutionId, PersonId};

/// What happened. The code is stored; the UI translates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    InstitutionCreated,
    TeamCreated,
    PersonCreated,
    DemoDataLoaded,
}

impl AuditAction {
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::InstitutionCreated => "institution.created",
            AuditAction::TeamCreated => "team.created",
            AuditAction::PersonCreated => "person.created",
            AuditAction::DemoDataLoaded => "demo.loaded",
        }
    }
}

/// An event to append.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEventForCreate {
    pub occurred_at: DateTime<Utc>,
    /// Who acted; `None` for the system itself (command line, jobs).
    pub actor: Option<PersonId>,
    pub institution: Option<InstitutionId>,
    /// Whose data it concerns, if a person's.
    pub subject: Option<PersonId>,
    pub action: AuditAction,
    /// Structured facts (ids, changed field names) — never free text a
    /// person wrote, so erasing a person never needs to touch the log.
    pub details: serde_json::Value,
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: Option<PersonId>,
    pub institution: Option<InstitutionId>,
    pub subject: Option<PersonId>,
    pub action: String,
    pub details: serde_json::Value,
}

/// Which events to read: always one institution; optionally one person and a
/// time window; newest first, `limit` at a time, continuing `before_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditFilter {
    pub institution: InstitutionId,
    pub subject: Option<PersonId>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub before_id: Option<i64>,
    pub limit: u32,
}

impl AuditFilter {
    pub fn institution(institution: InstitutionId) -> Self {
        Self {
            institution,
            subject: None,
            from: None,
            until: None,
            before_id: None,
            limit: 50,
        }
    }
}
