//! Translated names of the mentoring codes and the reasons of a mentor
//! suggestion.

use houvast::domain::mentoring::{
    ActionOwner, Concern, ConversationKind, ConversationStatus, FitAnswer, PairingEndReason, PairingKind, Reason,
    TeamPreference, Topic,
};
use leptos_i18n::I18nContext;

use crate::i18n::*;

pub fn pairing_kind_label(i18n: I18nContext<Locale>, value: PairingKind) -> String {
    match value {
        PairingKind::WorkplaceMentor => t_string!(i18n, pairing_kind.workplace_mentor),
        PairingKind::SubjectCoach => t_string!(i18n, pairing_kind.subject_coach),
        PairingKind::TeacherEducator => t_string!(i18n, pairing_kind.teacher_educator),
    }
    .to_string()
}

pub fn pairing_end_reason_label(i18n: I18nContext<Locale>, value: PairingEndReason) -> String {
    match value {
        PairingEndReason::RePaired => t_string!(i18n, pairing_end.re_paired),
        PairingEndReason::NotAGoodFit => t_string!(i18n, pairing_end.not_a_good_fit),
        PairingEndReason::MentorUnavailable => t_string!(i18n, pairing_end.mentor_unavailable),
        PairingEndReason::StarterLeft => t_string!(i18n, pairing_end.starter_left),
        PairingEndReason::Completed => t_string!(i18n, pairing_end.completed),
        PairingEndReason::Other => t_string!(i18n, pairing_end.other),
    }
    .to_string()
}

pub fn fit_answer_label(i18n: I18nContext<Locale>, value: FitAnswer) -> String {
    match value {
        FitAnswer::Good => t_string!(i18n, fit.good),
        FitAnswer::Unsure => t_string!(i18n, fit.unsure),
        FitAnswer::Poor => t_string!(i18n, fit.poor),
    }
    .to_string()
}

pub fn conversation_kind_label(i18n: I18nContext<Locale>, value: ConversationKind) -> String {
    match value {
        ConversationKind::Intake => t_string!(i18n, conversation_kind.intake),
        ConversationKind::Guidance => t_string!(i18n, conversation_kind.guidance),
        ConversationKind::LessonObservation => t_string!(i18n, conversation_kind.lesson_observation),
        ConversationKind::PeerConsultation => t_string!(i18n, conversation_kind.peer_consultation),
        ConversationKind::Evaluation => t_string!(i18n, conversation_kind.evaluation),
        ConversationKind::Closing => t_string!(i18n, conversation_kind.closing),
    }
    .to_string()
}

pub fn conversation_status_label(i18n: I18nContext<Locale>, value: ConversationStatus) -> String {
    match value {
        ConversationStatus::Planned => t_string!(i18n, conversation_status.planned),
        ConversationStatus::Held => t_string!(i18n, conversation_status.held),
    }
    .to_string()
}

pub fn topic_label(i18n: I18nContext<Locale>, value: Topic) -> String {
    match value {
        Topic::ClassroomManagement => t_string!(i18n, topic.classroom_management),
        Topic::Didactics => t_string!(i18n, topic.didactics),
        Topic::SubjectKnowledge => t_string!(i18n, topic.subject_knowledge),
        Topic::StudentGuidance => t_string!(i18n, topic.student_guidance),
        Topic::Workload => t_string!(i18n, topic.workload),
        Topic::Wellbeing => t_string!(i18n, topic.wellbeing),
        Topic::TeamColleagues => t_string!(i18n, topic.team_colleagues),
        Topic::PdgStudy => t_string!(i18n, topic.pdg_study),
        Topic::Career => t_string!(i18n, topic.career),
    }
    .to_string()
}

pub fn concern_label(i18n: I18nContext<Locale>, value: Concern) -> String {
    match value {
        Concern::Minor => t_string!(i18n, concern.minor),
        Concern::Serious => t_string!(i18n, concern.serious),
    }
    .to_string()
}

pub fn action_owner_label(i18n: I18nContext<Locale>, value: ActionOwner) -> String {
    match value {
        ActionOwner::Starter => t_string!(i18n, action_owner.starter),
        ActionOwner::Mentor => t_string!(i18n, action_owner.mentor),
    }
    .to_string()
}

pub fn team_preference_label(i18n: I18nContext<Locale>, value: TeamPreference) -> String {
    match value {
        TeamPreference::Same => t_string!(i18n, team_preference.same),
        TeamPreference::Different => t_string!(i18n, team_preference.different),
        TeamPreference::Either => t_string!(i18n, team_preference.either),
    }
    .to_string()
}

/// A suggestion reason in words, e.g. "same sector" or "2 places left".
pub fn reason_label(i18n: I18nContext<Locale>, reason: Reason) -> String {
    match reason {
        Reason::SameSector => t_string!(i18n, reason.same_sector).to_string(),
        Reason::OtherSector => t_string!(i18n, reason.other_sector).to_string(),
        Reason::SameTeam { preferred: true } => t_string!(i18n, reason.same_team_preferred).to_string(),
        Reason::SameTeam { preferred: false } => t_string!(i18n, reason.same_team).to_string(),
        Reason::OtherTeam { preferred: true } => t_string!(i18n, reason.other_team_preferred).to_string(),
        Reason::OtherTeam { preferred: false } => t_string!(i18n, reason.other_team).to_string(),
        Reason::PlacesLeft { left: 1 } => t_string!(i18n, reason.places_left_1).to_string(),
        Reason::PlacesLeft { left } => t_string!(i18n, reason.places_left, count = left).to_string(),
        Reason::Full => t_string!(i18n, reason.full).to_string(),
        Reason::Trained => t_string!(i18n, reason.trained).to_string(),
        Reason::NotTrained => t_string!(i18n, reason.not_trained).to_string(),
        Reason::Hours { hours: 1 } => t_string!(i18n, reason.hours_1).to_string(),
        Reason::Hours { hours } => t_string!(i18n, reason.hours, count = hours).to_string(),
        Reason::NoProfile => t_string!(i18n, reason.no_profile).to_string(),
    }
}
