//! Server-side glue for server functions: the shared application context
//! and the mapping of service errors to what the user may see.

use std::sync::Arc;

use houvast::clock::Clock;
use houvast::service::ServiceError;
use houvast::store::Db;
use leptos::prelude::*;

use crate::AppError;

/// Everything a server function needs from the running server.
#[derive(Clone, Debug)]
pub struct AppContext {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
}

/// The request id the server assigned (header `x-request-id`), used as the
/// user-facing reference for errors.
pub fn request_id() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "-".to_owned())
}

/// Log an internal failure in full and return only its reference.
pub fn internal(err: &dyn std::fmt::Display) -> AppError {
    let reference = request_id();
    tracing::error!(request_id = %reference, error = %err, "server function failed");
    AppError::Internal { reference }
}

/// The application context, or an internal error when it was not provided.
pub fn app_context() -> Result<AppContext, AppError> {
    use_context::<AppContext>().ok_or_else(|| internal(&"application context missing"))
}

/// Translate a service error into what the user may know.
pub fn service_error(err: ServiceError) -> AppError {
    match err {
        ServiceError::NotFound => AppError::NotFound,
        ServiceError::Internal(inner) => internal(&inner),
    }
}
