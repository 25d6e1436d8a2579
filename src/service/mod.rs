//! Services: the only way the UI and the command line reach the store. Each
//! call takes the caller's context first (`Ctx`, built from the session),
//! checks role and tenant, runs its queries, writes the audit trail, and
//! returns domain types or a `ServiceError` the UI can translate.
//!
//! The institution always comes from the context, never from a request
//! argument; a record of another institution is simply not found.

pub mod access;
pub mod account;
pub mod audit_log;
pub mod auth;
pub mod backtest;
pub mod checkins;
pub mod conversations;
pub mod ctx;
pub mod erasure;
pub mod home;
pub mod import;
pub mod institutions;
pub mod mentoring;
pub mod notifications;
pub mod passwords;
pub mod people;
pub mod personal_data;
pub mod retention;
pub mod school_login;
pub mod signals;
pub mod starters;
pub mod status;
pub mod teams;
pub mod templates;

pub use ctx::Ctx;

use crate::domain::{FieldError, FieldErrors};
use crate::store::StoreError;

/// What can go wrong in a service call, as far as the caller needs to know.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Nobody is logged in (or the session ended).
    #[error("not logged in")]
    Unauthorized,
    /// Logged in, but this is not for this person's roles.
    #[error("forbidden")]
    Forbidden,
    /// The record does not exist or is not visible to the caller.
    #[error("not found")]
    NotFound,
    /// The input was refused; one entry per field.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// E-mail address and password do not match an active account. Unknown
    /// address, wrong password and deactivated account look the same.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failed logins; try again after this many seconds.
    #[error("throttled for {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    /// An activation or reset link that is unknown, used or expired.
    #[error("invalid or expired link")]
    InvalidLink,
    /// The action was already carried out (a second click, another tab).
    #[error("already done")]
    AlreadyDone,
    /// Storage failed; details are for the log, never for the user.
    #[error("internal error: {0}")]
    Internal(#[source] StoreError),
}

impl From<StoreError> for ServiceError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => ServiceError::NotFound,
            other => ServiceError::Internal(other),
        }
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(errors: FieldErrors) -> Self {
        ServiceError::Invalid(errors.into_vec())
    }
}

impl ServiceError {
    /// A single field error.
    pub fn field(field: &str, problem: crate::domain::FieldProblem) -> Self {
        ServiceError::Invalid(vec![FieldError {
            field: field.to_owned(),
            problem,
        }])
    }
}

/// Turn a unique-constraint conflict into a field error (`Taken`), pass
/// everything else on.
pub(crate) fn taken_as_field(err: StoreError, constraint: &str, field: &str) -> ServiceError {
    if err.is_conflict_on(constraint) {
        ServiceError::field(field, crate::domain::FieldProblem::Taken)
    } else {
        err.into()
    }
}

/// A required single-line text: trimmed, not empty, at most `max`
/// characters, no control characters. Records the problem under `field`.
pub(crate) fn required_text(errors: &mut FieldErrors, field: &str, raw: &str, max: usize) -> Option<String> {
    let text = raw.trim();
    let problem = if text.is_empty() {
        crate::domain::FieldProblem::Required
    } else if text.chars().count() > max {
        crate::domain::FieldProblem::TooLong { max }
    } else if text.chars().any(char::is_control) {
        crate::domain::FieldProblem::ControlCharacters
    } else {
        return Some(text.to_owned());
    };
    errors.add(field, problem);
    None
}

/// Append an audit event inside the caller's transaction.
pub(crate) async fn record(
    tx: &mut crate::store::Tx,
    now: chrono::DateTime<chrono::Utc>,
    actor: Option<crate::domain::PersonId>,
    institution: Option<crate::domain::InstitutionId>,
    subject: Option<crate::domain::PersonId>,
    action: crate::domain::AuditAction,
    details: serde_json::Value,
) -> Result<(), ServiceError> {
    let event = crate::domain::AuditEventForCreate {
        occurred_at: now,
        actor,
        institution,
        subject,
        action,
        details,
    };
    crate::store::audit::append(tx, &event).await?;
    Ok(())
}

/// Record that content about `subject` was shown to `actor` (a page view):
/// without an fsync of its own, see [`crate::store::audit::append_read`].
pub(crate) async fn record_read(
    db: &crate::store::Db,
    now: chrono::DateTime<chrono::Utc>,
    actor: crate::domain::PersonId,
    institution: crate::domain::InstitutionId,
    subject: crate::domain::PersonId,
    action: crate::domain::AuditAction,
    details: serde_json::Value,
) -> Result<(), ServiceError> {
    let event = crate::domain::AuditEventForCreate {
        occurred_at: now,
        actor: Some(actor),
        institution: Some(institution),
        subject: Some(subject),
        action,
        details,
    };
    crate::store::audit::append_read(db, &event).await?;
    Ok(())
}

#[cfg(test)]
mod budgets;
#[cfg(test)]
mod tests;
