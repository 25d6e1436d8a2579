//! The HR import: a CSV export of starters and mentors, as Dutch Excel
//! writes it (UTF-8 or Windows-1252, comma or semicolon), matched on
//! employee number.
//!
//! Reading and planning are pure: the file is decoded, every row is checked
//! against a snapshot of the institution, and the plan says per row what
//! will be created or changed, with every error by row and column. Only a
//! clean plan is applied, in one transaction: one bad row writes nothing.
//! Applying the same file twice changes nothing the second time.//!
//! What is where: `read` (encoding, separator, rows), `plan` (checking rows
//! against a snapshot, deciding per row), `run` (read, plan, apply in one
//! transaction), `apply` (the writes of a clean plan) and `upload` (kept
//! files, their reports, confirming them).

use crate::domain::PersonId;
use crate::domain::import::Column;
use crate::service::Ctx;

mod apply;
mod plan;
mod read;
mod run;
mod upload;

pub use plan::{Snapshot, snapshot_of};
pub use read::{Decoded, RawRow, decode, read, separator};
pub use run::{import_file, run};
pub use upload::{MAX_FILE_BYTES, confirm, recent, upload, view};

/// Files larger than this many rows are refused (a deployment's whole HR
/// export of starters and mentors is far smaller).
pub const MAX_ROWS: usize = 20_000;
/// Longest employee number.
pub const EMPLOYEE_NUMBER_MAX: usize = 40;

/// The template: the Dutch headers and two example rows that import cleanly
/// into any institution. UTF-8 with a byte-order mark and semicolons, so
/// Dutch Excel opens it as columns.
pub fn template() -> String {
    let header: Vec<&str> = Column::ALL.iter().map(|c| c.header()).collect();
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(";"));
    out.push_str("\r\n");
    out.push_str("100234;Fatima El Amrani;f.elamrani@school.example;starter;;1-8-2026;0,8;tijdelijk;31-7-2027;zij-instromer pdg;\r\n");
    out.push_str("100187;Joost Verhoeven;j.verhoeven@school.example;mentor;;;;;;;\r\n");
    out
}

/// Who runs the import: a coordinator in the app, or the command line.
#[derive(Clone, Copy)]
pub enum Actor<'a> {
    Person(&'a Ctx),
    System,
}

impl Actor<'_> {
    pub(super) fn person(&self) -> Option<PersonId> {
        match self {
            Actor::Person(ctx) => Some(ctx.person),
            Actor::System => None,
        }
    }
}

#[cfg(test)]
mod tests;
