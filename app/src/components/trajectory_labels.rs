//! Translated names of the trajectory's codes: entry routes, leaving
//! reasons, phases, milestone states, competence domains, starter status.

use houvast::domain::trajectory::{CompetenceDomain, EntryRoute, LeaveReason, MilestoneState, Phase, StarterStatus};
use leptos_i18n::I18nContext;

use crate::i18n::*;

pub fn route_label(i18n: I18nContext<Locale>, value: EntryRoute) -> String {
    match value {
        EntryRoute::Regular => t_string!(i18n, route.regular),
        EntryRoute::SideEntrantPdg => t_string!(i18n, route.side_entrant_pdg),
        EntryRoute::SideEntrantShortened => t_string!(i18n, route.side_entrant_shortened),
        EntryRoute::Hybrid => t_string!(i18n, route.hybrid),
        EntryRoute::Trainee => t_string!(i18n, route.trainee),
        EntryRoute::AssociateDegree => t_string!(i18n, route.associate_degree),
    }
    .to_string()
}

pub fn leave_reason_label(i18n: I18nContext<Locale>, value: LeaveReason) -> String {
    match value {
        LeaveReason::Workload => t_string!(i18n, leave.workload),
        LeaveReason::Guidance => t_string!(i18n, leave.guidance),
        LeaveReason::Pay => t_string!(i18n, leave.pay),
        LeaveReason::Personal => t_string!(i18n, leave.personal),
        LeaveReason::ContractNotRenewed => t_string!(i18n, leave.contract_not_renewed),
        LeaveReason::OtherMboInstitution => t_string!(i18n, leave.other_mbo_institution),
        LeaveReason::OtherEducationSector => t_string!(i18n, leave.other_education_sector),
        LeaveReason::LeftEducation => t_string!(i18n, leave.left_education),
        LeaveReason::Retired => t_string!(i18n, leave.retired),
        LeaveReason::Other => t_string!(i18n, leave.other),
    }
    .to_string()
}

pub fn phase_label(i18n: I18nContext<Locale>, value: Phase) -> String {
    match value {
        Phase::Start => t_string!(i18n, phase.start),
        Phase::Year1 => t_string!(i18n, phase.year1),
        Phase::Year2 => t_string!(i18n, phase.year2),
        Phase::Year3 => t_string!(i18n, phase.year3),
    }
    .to_string()
}

pub fn milestone_state_label(i18n: I18nContext<Locale>, value: MilestoneState) -> String {
    match value {
        MilestoneState::Open => t_string!(i18n, milestone_state.open),
        MilestoneState::Overdue => t_string!(i18n, milestone_state.overdue),
        MilestoneState::Done => t_string!(i18n, milestone_state.done),
        MilestoneState::Skipped => t_string!(i18n, milestone_state.skipped),
    }
    .to_string()
}

pub fn competence_label(i18n: I18nContext<Locale>, value: CompetenceDomain) -> String {
    match value {
        CompetenceDomain::SubjectMatter => t_string!(i18n, competence.subject_matter),
        CompetenceDomain::SubjectDidactics => t_string!(i18n, competence.subject_didactics),
        CompetenceDomain::Pedagogical => t_string!(i18n, competence.pedagogical),
    }
    .to_string()
}

pub fn starter_status_label(i18n: I18nContext<Locale>, value: StarterStatus) -> String {
    match value {
        StarterStatus::Active => t_string!(i18n, starter_status.active),
        StarterStatus::Completed => t_string!(i18n, starter_status.completed),
        StarterStatus::Left => t_string!(i18n, starter_status.left),
    }
    .to_string()
}
