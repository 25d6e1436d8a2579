//! Services: the only way the UI and the command line reach the store. Each
//! service call checks who is asking (from the session context, once logins
//! exist), runs its queries, writes the audit trail, and returns domain types
//! or a `ServiceError` the UI can translate.

pub mod status;

use crate::store::StoreError;

/// What can go wrong in a service call, as far as the caller needs to know.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The record does not exist or is not visible to the caller.
    #[error("not found")]
    NotFound,
    /// Storage failed; details are for the log, never for the user.
    #[error("internal error: {0}")]
    Internal(StoreError),
}

impl From<StoreError> for ServiceError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => ServiceError::NotFound,
            other => ServiceError::Internal(other),
        }
    }
}
