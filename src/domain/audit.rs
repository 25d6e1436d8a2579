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
    InstitutionRenamed,
    TeamCreated,
    TeamUpdated,
    TeamLeadersChanged,
    PersonCreated,
    PersonUpdated,
    RolesChanged,
    PersonDeactivated,
    PersonReactivated,
    ActivationLinkIssued,
    PasswordResetLinkIssued,
    AccountActivated,
    PasswordReset,
    PasswordChanged,
    NameChanged,
    LanguageChanged,
    LoginSucceeded,
    LoginFailed,
    LoginThrottled,
    LoggedOut,
    AccessDenied,
    DemoDataLoaded,
    StarterEnrolled,
    StarterUpdated,
    EmploymentTermsChanged,
    EmploymentEnded,
    EmploymentEndingCorrected,
    TrajectoryCompleted,
    TrajectoryCompletionCorrected,
    MilestoneUpdated,
    PartnershipCreated,
    ImportApplied,
    GoalUpdated,
    FacilitationRecorded,
    TemplateChanged,
    TemplateApplied,
    MentorProfileUpdated,
    MentorPreferenceChanged,
    PairingCreated,
    PairingEnded,
    FitCheckAnswered,
    ConversationLogged,
    ConversationUpdated,
    ConversationRead,
    ConversationConfirmed,
    ActionUpdated,
    CheckInSubmitted,
    CheckInRead,
    CheckInRhythmChanged,
    TalkRequested,
    TalkAnswered,
    AlertAcknowledged,
    AlertSnoozed,
    AlertResolved,
    SignalSettingsChanged,
    PersonalDataExported,
    PersonErased,
    RetentionPeriodChanged,
    SchoolLoginChanged,
    SchoolAccountLinked,
}

impl AuditAction {
    pub const ALL: [AuditAction; 61] = [
        AuditAction::InstitutionCreated,
        AuditAction::InstitutionRenamed,
        AuditAction::TeamCreated,
        AuditAction::TeamUpdated,
        AuditAction::TeamLeadersChanged,
        AuditAction::PersonCreated,
        AuditAction::PersonUpdated,
        AuditAction::RolesChanged,
        AuditAction::PersonDeactivated,
        AuditAction::PersonReactivated,
        AuditAction::ActivationLinkIssued,
        AuditAction::PasswordResetLinkIssued,
        AuditAction::AccountActivated,
        AuditAction::PasswordReset,
        AuditAction::PasswordChanged,
        AuditAction::NameChanged,
        AuditAction::LanguageChanged,
        AuditAction::LoginSucceeded,
        AuditAction::LoginFailed,
        AuditAction::LoginThrottled,
        AuditAction::LoggedOut,
        AuditAction::AccessDenied,
        AuditAction::DemoDataLoaded,
        AuditAction::StarterEnrolled,
        AuditAction::StarterUpdated,
        AuditAction::EmploymentTermsChanged,
        AuditAction::EmploymentEnded,
        AuditAction::EmploymentEndingCorrected,
        AuditAction::TrajectoryCompleted,
        AuditAction::TrajectoryCompletionCorrected,
        AuditAction::MilestoneUpdated,
        AuditAction::PartnershipCreated,
        AuditAction::ImportApplied,
        AuditAction::GoalUpdated,
        AuditAction::FacilitationRecorded,
        AuditAction::TemplateChanged,
        AuditAction::TemplateApplied,
        AuditAction::MentorProfileUpdated,
        AuditAction::MentorPreferenceChanged,
        AuditAction::PairingCreated,
        AuditAction::PairingEnded,
        AuditAction::FitCheckAnswered,
        AuditAction::ConversationLogged,
        AuditAction::ConversationUpdated,
        AuditAction::ConversationRead,
        AuditAction::ConversationConfirmed,
        AuditAction::ActionUpdated,
        AuditAction::CheckInSubmitted,
        AuditAction::CheckInRead,
        AuditAction::CheckInRhythmChanged,
        AuditAction::TalkRequested,
        AuditAction::TalkAnswered,
        AuditAction::AlertAcknowledged,
        AuditAction::AlertSnoozed,
        AuditAction::AlertResolved,
        AuditAction::SignalSettingsChanged,
        AuditAction::PersonalDataExported,
        AuditAction::PersonErased,
        AuditAction::RetentionPeriodChanged,
        AuditAction::SchoolLoginChanged,
        AuditAction::SchoolAccountLinked,
    ];

    /// The stored code: the variant name in snake case.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::InstitutionCreated => "institution_created",
            AuditAction::InstitutionRenamed => "institution_renamed",
            AuditAction::TeamCreated => "team_created",
            AuditAction::TeamUpdated => "team_updated",
            AuditAction::TeamLeadersChanged => "team_leaders_changed",
            AuditAction::PersonCreated => "person_created",
            AuditAction::PersonUpdated => "person_updated",
            AuditAction::RolesChanged => "roles_changed",
            AuditAction::PersonDeactivated => "person_deactivated",
            AuditAction::PersonReactivated => "person_reactivated",
            AuditAction::ActivationLinkIssued => "activation_link_issued",
            AuditAction::PasswordResetLinkIssued => "password_reset_link_issued",
            AuditAction::AccountActivated => "account_activated",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::NameChanged => "name_changed",
            AuditAction::LanguageChanged => "language_changed",
            AuditAction::LoginSucceeded => "login_succeeded",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::LoginThrottled => "login_throttled",
            AuditAction::LoggedOut => "logged_out",
            AuditAction::AccessDenied => "access_denied",
            AuditAction::DemoDataLoaded => "demo_data_loaded",
            AuditAction::StarterEnrolled => "starter_enrolled",
            AuditAction::StarterUpdated => "starter_updated",
            AuditAction::EmploymentTermsChanged => "employment_terms_changed",
            AuditAction::EmploymentEnded => "employment_ended",
            AuditAction::EmploymentEndingCorrected => "employment_ending_corrected",
            AuditAction::TrajectoryCompleted => "trajectory_completed",
            AuditAction::TrajectoryCompletionCorrected => "trajectory_completion_corrected",
            AuditAction::MilestoneUpdated => "milestone_updated",
            AuditAction::PartnershipCreated => "partnership_created",
            AuditAction::ImportApplied => "import_applied",
            AuditAction::GoalUpdated => "goal_updated",
            AuditAction::FacilitationRecorded => "facilitation_recorded",
            AuditAction::TemplateChanged => "template_changed",
            AuditAction::TemplateApplied => "template_applied",
            AuditAction::MentorProfileUpdated => "mentor_profile_updated",
            AuditAction::MentorPreferenceChanged => "mentor_preference_changed",
            AuditAction::PairingCreated => "pairing_created",
            AuditAction::PairingEnded => "pairing_ended",
            AuditAction::FitCheckAnswered => "fit_check_answered",
            AuditAction::ConversationLogged => "conversation_logged",
            AuditAction::ConversationUpdated => "conversation_updated",
            AuditAction::ConversationRead => "conversation_read",
            AuditAction::ConversationConfirmed => "conversation_confirmed",
            AuditAction::ActionUpdated => "action_updated",
            AuditAction::CheckInSubmitted => "check_in_submitted",
            AuditAction::CheckInRead => "check_in_read",
            AuditAction::CheckInRhythmChanged => "check_in_rhythm_changed",
            AuditAction::TalkRequested => "talk_requested",
            AuditAction::TalkAnswered => "talk_answered",
            AuditAction::AlertAcknowledged => "alert_acknowledged",
            AuditAction::AlertSnoozed => "alert_snoozed",
            AuditAction::AlertResolved => "alert_resolved",
            AuditAction::SignalSettingsChanged => "signal_settings_changed",
            AuditAction::PersonalDataExported => "personal_data_exported",
            AuditAction::PersonErased => "person_erased",
            AuditAction::RetentionPeriodChanged => "retention_period_changed",
            AuditAction::SchoolLoginChanged => "school_login_changed",
            AuditAction::SchoolAccountLinked => "school_account_linked",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
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

/// An event as the audit page shows it: with the names of who acted and
/// whom it concerned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_name: Option<String>,
    /// The actor's id when they belong to the institution, so the name can
    /// link to their page (a deployment admin has none there).
    pub actor_id: Option<PersonId>,
    pub subject_name: Option<String>,
    /// The subject's id when they belong to the institution.
    pub subject_id: Option<PersonId>,
    pub action: String,
    pub details: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::AuditAction;

    #[test]
    fn action_codes_are_unique_and_round_trip() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(action.code()), Some(action));
            let serde_name = serde_json::to_value(action).unwrap();
            assert_eq!(serde_name, action.code(), "stored code equals the serde name");
        }
    }
}
