//! Domain types shared by the server and the browser. Values that come from
//! outside are parsed into validated newtypes here, so that the rest of the
//! code never sees an unchecked name or code.

mod account;
pub mod alerts;
mod audit;
pub mod backtest;
pub mod checkin;
pub mod code;
pub mod erasure;
mod field;
mod home;
mod ids;
pub mod import;
mod institution;
pub mod mentoring;
pub mod notification;
mod person;
pub mod personal_data;
pub mod retention;
pub mod risk;
mod role;
pub mod school_login;
pub mod signals;
pub mod starter;
mod team;
pub mod text;
pub mod time;
pub mod trajectory;

pub use account::{AccountStatus, Language, Password, Viewer};
pub use audit::{AuditAction, AuditEvent, AuditEventForCreate, AuditFilter, AuditLine};
pub use field::{FieldError, FieldErrors, FieldProblem};
pub use home::{AdminHome, Contact, CoordinatorHome, Home, MentorHome, StarterHome, TeamLeaderHome};
pub use ids::{EmploymentId, InstitutionId, MilestoneId, PartnershipId, PersonId, TeamId, TemplateId, TrajectoryId};
pub use institution::{BrinCode, Institution, InstitutionForCreate, InstitutionOverview, matches_query};
pub use person::{
    Email, PeopleFilter, Person, PersonDetail, PersonForCreate, PersonForUpdate, PersonListItem, search_key,
};
pub use role::{Membership, Role, RoleAssignment};
pub use team::{PersonRef, Sector, Team, TeamForCreate, TeamOverview};
pub use text::{Name, TextError};
