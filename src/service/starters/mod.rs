//! Starters and their induction trajectory. Coordinators see and manage all
//! starters of their institution; team leaders see the starters of their own
//! teams; a starter sees their own trajectory. Nothing here ever carries
//! conversation content.
//!
//! What is where:
//! - `read`: the facts lists and pages are built from, who may see whom,
//!   the starters list, a starter's page, one's own trajectory;
//! - `detail`: building a starter's page from those facts;
//! - `milestones`, `goals`, `ending` (leaving and completion),
//!   `facilitation`, `terms`: the changes a page offers;
//! - `enrol`: enrolling by hand, and the partnerships the forms offer.
//!
//! The rules shared by several of them (who may change goals and milestones,
//! an optional note) are here.

mod detail;
mod ending;
mod enrol;
mod facilitation;
mod goals;
mod milestones;
mod read;
mod terms;

pub use ending::{record_completion, record_leaving, undo_leaving};
pub use enrol::{EnrolForm, add_partnership, enrol, partnerships, unenrolled};
pub use facilitation::{FacilitationForm, record_facilitation};
pub use goals::{add_goal, set_goal_progress};
pub use milestones::{MilestoneChange, update_milestone};
pub(crate) use read::employments_as_seen_by_self;
pub use read::{detail, list, mine};
pub use terms::{TermsForm, change_terms};

use super::Ctx;
use crate::domain::{FieldErrors, FieldProblem, PersonId, Role};

use crate::domain::trajectory::NOTE_MAX_CHARS;

/// Goals belong to the starter; the coordinator may record them too.
pub(super) fn may_edit_goals(ctx: &Ctx, starter: PersonId) -> bool {
    ctx.has(Role::Coordinator) || (ctx.has(Role::Starter) && ctx.person == starter)
}

/// Coordinators update every milestone, team leaders those of their
/// starters, a starter the milestones they own.
pub(super) fn may_update_milestone(ctx: &Ctx, owner: Role) -> bool {
    ctx.has(Role::Coordinator) || ctx.has(Role::TeamLeader) || (ctx.has(Role::Starter) && owner == Role::Starter)
}

pub(super) fn optional_text(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<String> {
    let text = raw.trim();
    if text.chars().count() > NOTE_MAX_CHARS {
        errors.add(field, FieldProblem::TooLong { max: NOTE_MAX_CHARS });
        return None;
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        errors.add(field, FieldProblem::ControlCharacters);
        return None;
    }
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests;
