//! The one error type server functions return to the UI. It carries no
//! internals: an internal failure is only a reference (the request id) that
//! matches the server log. Field errors name the field and the problem; the
//! UI translates them.

use houvast::domain::{FieldError, FieldProblem};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Not logged in, or the session has ended.
    #[error("not logged in")]
    Unauthorized,
    /// Logged in, but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// The record does not exist or is not the caller's to see.
    #[error("not found")]
    NotFound,
    /// Input refused, per field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// E-mail address and password do not match.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failed logins.
    #[error("too many attempts; retry after {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    /// An activation or reset link that is unknown, used or expired.
    #[error("invalid link")]
    InvalidLink,
    /// Something failed on the server; `reference` is the request id in the log.
    #[error("internal error (reference {reference})")]
    Internal { reference: String },
    /// The request did not reach the server or its answer was unreadable.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    /// The problem reported for `field`, if any.
    pub fn field(&self, field: &str) -> Option<FieldProblem> {
        match self {
            AppError::Invalid(errors) => errors.iter().find(|e| e.field == field).map(|e| e.problem),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}
