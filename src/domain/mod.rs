//! Domain types shared by the server and the browser. Values that come from
//! outside are parsed into validated newtypes here, so that the rest of the
//! code never sees an unchecked name or code.

mod audit;
mod ids;
mod institution;
mod person;
mod team;
mod text;

pub use audit::{AuditAction, AuditEvent, AuditEventForCreate, AuditFilter};
pub use ids::{InstitutionId, PersonId, TeamId};
pub use institution::{
    BrinCode, Institution, InstitutionForCreate, InstitutionOverview, matches_query,
};
pub use person::{Email, Person, PersonForCreate};
pub use team::{Sector, Team, TeamForCreate};
pub use text::{Name, TextError};
