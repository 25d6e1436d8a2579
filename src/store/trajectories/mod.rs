//! Starters' employments (with dated terms), SO&P partnerships, trajectory
//! templates and trajectories with their milestones. Every read of a
//! starter's data takes the institution id, so another institution's record
//! is simply not found.
//!
//! What is where: `partnerships`, `templates` (reading and editing them),
//! `employments`, `terms` (dated terms of employment), `trajectory` (one
//! employment's plan), `milestones`, `goals`, `facilitation`, and `list`
//! (the starters list: one page cut by the database, or every row to sort
//! by progress; who waits for a mentor). `Whose`
//! and `bind_whose!` say whose rows a read returns.

use super::StoreError;
use crate::domain::PersonId;

pub(super) fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

/// Whose rows a read returns: the whole institution's (lists, imports) or
/// one person's (every page about one person reads only that person's rows,
/// through the index on `employments.person_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    Institution,
    Person(PersonId),
}

impl Whose {
    /// The condition to add after `e.institution_id = $1` (employments as
    /// `e`); the person, when there is one, is the next parameter, `$2`.
    pub(super) fn and_person(self) -> &'static str {
        match self {
            Whose::Institution => "",
            Whose::Person(_) => " AND e.person_id = $2",
        }
    }
}

/// Bind the person of `whose` as `$2`, when it names one.
macro_rules! bind_whose {
    ($query:expr, $whose:expr) => {
        match $whose {
            Whose::Institution => $query,
            Whose::Person(person) => $query.bind(person),
        }
    };
}

mod employments;
mod facilitation;
mod goals;
mod list;
mod milestones;
mod partnerships;
mod templates;
mod terms;
mod trajectory;

pub use employments::{
    Employment, EmploymentForCreate, Ending, correct_employment, create_employment, employment, employment_by_number,
    employments, employments_of, employments_whose, set_ending,
};
pub use facilitation::{FacilitationRow, facilitation, facilitation_whose, set_facilitation};
pub use goals::{create_goal, goal_trajectory, goals, goals_whose, set_goal_progress};
pub use list::{
    Counted, ListOrder, ListSeen, ListedEmployment, ListedPage, WaitingStarter, listed_employments, listed_page,
    progress_counts, unenrolled_starters, waiting_for_mentor,
};
pub use milestones::{Milestone, milestone, milestones, milestones_whose, set_progress};
pub use partnerships::{Partnership, create_partnership, partnerships};
pub use templates::{
    add_template_milestone, apply_template_update, bump_version, ensure_template, next_position,
    remove_template_milestone, template_milestones, templates, update_template_milestone,
};
pub use terms::{add_terms, all_terms, replace_terms, terms, terms_whose};
pub use trajectory::{
    Trajectory, create_trajectory, person_of_trajectory, set_completed, trajectories, trajectories_whose, trajectory_of,
};

#[cfg(test)]
mod tests;
