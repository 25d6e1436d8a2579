//! The induction trajectory of a starter: employment as dated periods, the
//! template a trajectory is copied from, milestones with due dates derived
//! from the start date, and the facilitation hours the cao promises.
//!
//! Everything here is pure: schedule rules take their dates as arguments,
//! never from a clock, so they are tested with any "today".//!
//! What is where: the codes (entry route, leave reason, phase, competence
//! domain, contract kind) and the text limits are here; `employment`,
//! `milestones`, `list` (the starters list) and `views` (what a page
//! shows) hold the rest, all re-exported from here.

use serde::{Deserialize, Serialize};

use super::code::coded;

mod employment;
mod list;
mod milestones;
mod views;

pub use employment::{
    Contract, EmploymentTerms, FacilitationYear, Fte, default_starter_hours, school_year, starter_hours_promised,
    supported_school_years, terms_on, trajectory_year,
};
pub use list::{ProgressCount, StarterFilter, StarterListItem, StarterPage, StarterSort, StarterStatus};
pub use milestones::{
    MILESTONE_OWNERS, MilestoneCopy, MilestoneProgress, MilestoneState, MilestoneTemplate, Offset, TemplateUpdate,
    TemplateView, default_milestones, milestone_state, plan_template_update, snapshot,
};
pub use views::{Goal, MilestoneView, TermsView, TrajectoryView};

coded!(
    /// How a starter came into teaching.
    EntryRoute {
        /// Qualified teacher (lerarenopleiding afgerond).
        Regular = "regular",
        /// Side-entrant in a PDG route (zij-instromer, PDG-traject).
        SideEntrantPdg = "side_entrant_pdg",
        /// Side-entrant in a shortened teacher-training route.
        SideEntrantShortened = "side_entrant_shortened",
        /// Hybrid teacher: part industry, part school.
        Hybrid = "hybrid",
        /// Teacher-training student working in the school (LIO).
        Trainee = "trainee",
        /// Educational associate degree (Ad PEP).
        AssociateDegree = "associate_degree",
    }
);

coded!(
    /// Why an employment ended.
    LeaveReason {
        Workload = "workload",
        Guidance = "guidance",
        Pay = "pay",
        Personal = "personal",
        ContractNotRenewed = "contract_not_renewed",
        OtherMboInstitution = "other_mbo_institution",
        OtherEducationSector = "other_education_sector",
        LeftEducation = "left_education",
        Retired = "retired",
        Other = "other",
    }
);

impl LeaveReason {
    /// Whether the person stayed in education (retention "in education"
    /// counts these as still teaching).
    pub fn stays_in_education(self) -> bool {
        matches!(
            self,
            LeaveReason::OtherMboInstitution | LeaveReason::OtherEducationSector
        )
    }
}

coded!(
    /// Phases of the three-year induction.
    Phase {
        Start = "start",
        Year1 = "year1",
        Year2 = "year2",
        Year3 = "year3",
    }
);

coded!(
    /// The three competence domains of the bekwaamheidseisen.
    CompetenceDomain {
        /// Vakinhoudelijk.
        SubjectMatter = "subject_matter",
        /// Vakdidactisch.
        SubjectDidactics = "subject_didactics",
        /// Pedagogisch.
        Pedagogical = "pedagogical",
    }
);

coded!(
    /// The unit of a milestone's offset from the start date.
    OffsetUnit {
        Days = "days",
        Weeks = "weeks",
        Months = "months",
    }
);

coded!(
    /// Fixed-term or permanent.
    ContractKind {
        FixedTerm = "fixed_term",
        Permanent = "permanent",
    }
);

/// Longest goal title.
pub const GOAL_TITLE_MAX: usize = 200;

/// Longest free text on a milestone (note, skip reason) and a destination.
pub const NOTE_MAX_CHARS: usize = 500;

#[cfg(test)]
mod tests;
