//! The one error type server functions return to the UI. It carries no
//! internals: an internal failure is only a reference (the request id) that
//! matches the server log.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The record does not exist or is not the caller's to see.
    #[error("not found")]
    NotFound,
    /// Something failed on the server; `reference` is the request id in the log.
    #[error("internal error (reference {reference})")]
    Internal { reference: String },
    /// The request did not reach the server or its answer was unreadable.
    #[error("transport: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}
