//! Starters: the list (coordinator: all; team leader: own teams), a
//! starter's page with the trajectory, employment, facilitation and
//! timeline, and the starter's own "my trajectory" on a phone.
//!
//! Milestone and leaving forms are plain form posts: they work without
//! JavaScript and the page comes back with the result.//!
//! What is where: `list` (the starters list), `detail` (a starter's page and
//! "my trajectory") and `enrol` (enrolling by hand).

mod detail;
mod enrol;
mod list;

pub use detail::{MyTrajectoryPage, StarterPage};
pub use enrol::EnrolPage;
pub use list::StartersPage;
