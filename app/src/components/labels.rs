//! Translated names of domain codes: sectors, roles, account states and
//! audit actions.

use houvast::domain::{AccountStatus, AuditAction, Role, Sector};
use leptos_i18n::I18nContext;

use crate::i18n::*;

pub fn sector_label(i18n: I18nContext<Locale>, sector: Sector) -> String {
    match sector {
        Sector::CareWelfare => t_string!(i18n, sector.care_welfare),
        Sector::Technology => t_string!(i18n, sector.technology),
        Sector::Economy => t_string!(i18n, sector.economy),
        Sector::IctCreative => t_string!(i18n, sector.ict_creative),
        Sector::HospitalityTourism => t_string!(i18n, sector.hospitality_tourism),
        Sector::Green => t_string!(i18n, sector.green),
        Sector::Entry => t_string!(i18n, sector.entry),
        Sector::Other => t_string!(i18n, sector.other),
    }
    .to_string()
}

pub fn role_label(i18n: I18nContext<Locale>, role: Role) -> String {
    match role {
        Role::Starter => t_string!(i18n, role_starter),
        Role::Mentor => t_string!(i18n, role_mentor),
        Role::TeamLeader => t_string!(i18n, role_team_leader),
        Role::Coordinator => t_string!(i18n, role_coordinator),
        Role::Admin => t_string!(i18n, role_admin),
        Role::Analyst => t_string!(i18n, role_analyst),
    }
    .to_string()
}

pub fn status_label(i18n: I18nContext<Locale>, status: AccountStatus) -> String {
    match status {
        AccountStatus::Invited => t_string!(i18n, status_invited),
        AccountStatus::Active => t_string!(i18n, status_active),
        AccountStatus::Deactivated => t_string!(i18n, status_deactivated),
    }
    .to_string()
}

pub fn action_label(i18n: I18nContext<Locale>, action: AuditAction) -> String {
    match action {
        AuditAction::InstitutionCreated => t_string!(i18n, audit.institution_created),
        AuditAction::InstitutionRenamed => t_string!(i18n, audit.institution_renamed),
        AuditAction::TeamCreated => t_string!(i18n, audit.team_created),
        AuditAction::TeamUpdated => t_string!(i18n, audit.team_updated),
        AuditAction::TeamLeadersChanged => t_string!(i18n, audit.team_leaders_changed),
        AuditAction::PersonCreated => t_string!(i18n, audit.person_created),
        AuditAction::PersonUpdated => t_string!(i18n, audit.person_updated),
        AuditAction::RolesChanged => t_string!(i18n, audit.roles_changed),
        AuditAction::PersonDeactivated => t_string!(i18n, audit.person_deactivated),
        AuditAction::PersonReactivated => t_string!(i18n, audit.person_reactivated),
        AuditAction::ActivationLinkIssued => t_string!(i18n, audit.activation_link_issued),
        AuditAction::PasswordResetLinkIssued => t_string!(i18n, audit.password_reset_link_issued),
        AuditAction::AccountActivated => t_string!(i18n, audit.account_activated),
        AuditAction::PasswordReset => t_string!(i18n, audit.password_reset),
        AuditAction::PasswordChanged => t_string!(i18n, audit.password_changed),
        AuditAction::NameChanged => t_string!(i18n, audit.name_changed),
        AuditAction::LanguageChanged => t_string!(i18n, audit.language_changed),
        AuditAction::LoginSucceeded => t_string!(i18n, audit.login_succeeded),
        AuditAction::LoginFailed => t_string!(i18n, audit.login_failed),
        AuditAction::LoginThrottled => t_string!(i18n, audit.login_throttled),
        AuditAction::LoggedOut => t_string!(i18n, audit.logged_out),
        AuditAction::AccessDenied => t_string!(i18n, audit.access_denied),
        AuditAction::DemoDataLoaded => t_string!(i18n, audit.demo_data_loaded),
        AuditAction::StarterEnrolled => t_string!(i18n, audit.starter_enrolled),
        AuditAction::StarterUpdated => t_string!(i18n, audit.starter_updated),
        AuditAction::EmploymentTermsChanged => t_string!(i18n, audit.employment_terms_changed),
        AuditAction::EmploymentEnded => t_string!(i18n, audit.employment_ended),
        AuditAction::EmploymentEndingCorrected => t_string!(i18n, audit.employment_ending_corrected),
        AuditAction::TrajectoryCompleted => t_string!(i18n, audit.trajectory_completed),
        AuditAction::TrajectoryCompletionCorrected => t_string!(i18n, audit.trajectory_completion_corrected),
        AuditAction::MilestoneUpdated => t_string!(i18n, audit.milestone_updated),
        AuditAction::PartnershipCreated => t_string!(i18n, audit.partnership_created),
        AuditAction::ImportApplied => t_string!(i18n, audit.import_applied),
        AuditAction::GoalUpdated => t_string!(i18n, audit.goal_updated),
        AuditAction::FacilitationRecorded => t_string!(i18n, audit.facilitation_recorded),
        AuditAction::TemplateChanged => t_string!(i18n, audit.template_changed),
        AuditAction::TemplateApplied => t_string!(i18n, audit.template_applied),
        AuditAction::MentorProfileUpdated => t_string!(i18n, audit.mentor_profile_updated),
        AuditAction::MentorPreferenceChanged => t_string!(i18n, audit.mentor_preference_changed),
        AuditAction::PairingCreated => t_string!(i18n, audit.pairing_created),
        AuditAction::PairingEnded => t_string!(i18n, audit.pairing_ended),
        AuditAction::FitCheckAnswered => t_string!(i18n, audit.fit_check_answered),
        AuditAction::ConversationLogged => t_string!(i18n, audit.conversation_logged),
        AuditAction::ConversationUpdated => t_string!(i18n, audit.conversation_updated),
        AuditAction::ConversationRead => t_string!(i18n, audit.conversation_read),
        AuditAction::ConversationConfirmed => t_string!(i18n, audit.conversation_confirmed),
        AuditAction::ActionUpdated => t_string!(i18n, audit.action_updated),
        AuditAction::CheckInSubmitted => t_string!(i18n, audit.check_in_submitted),
        AuditAction::CheckInRead => t_string!(i18n, audit.check_in_read),
        AuditAction::CheckInRhythmChanged => t_string!(i18n, audit.check_in_rhythm_changed),
        AuditAction::TalkRequested => t_string!(i18n, audit.talk_requested),
        AuditAction::TalkAnswered => t_string!(i18n, audit.talk_answered),
        AuditAction::AlertAcknowledged => t_string!(i18n, audit.alert_acknowledged),
        AuditAction::AlertSnoozed => t_string!(i18n, audit.alert_snoozed),
        AuditAction::AlertResolved => t_string!(i18n, audit.alert_resolved),
        AuditAction::SignalSettingsChanged => t_string!(i18n, audit.signal_settings_changed),
        AuditAction::PersonalDataExported => t_string!(i18n, audit.personal_data_exported),
        AuditAction::PersonErased => t_string!(i18n, audit.person_erased),
        AuditAction::SchoolLoginChanged => t_string!(i18n, audit.school_login_changed),
        AuditAction::SchoolAccountLinked => t_string!(i18n, audit.school_account_linked),
        AuditAction::RetentionPeriodChanged => t_string!(i18n, audit.retention_period_changed),
    }
    .to_string()
}
