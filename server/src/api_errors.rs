//! Bad arguments to a server function are the caller's error, not the
//! server's: the framework answers them with 500 before Houvast's code
//! runs; this turns those answers into 400 so that no input, however
//! malformed, produces a 5xx.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use houvast_app::AppError;

pub async fn bad_arguments_are_400(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, 64 * 1024).await.unwrap_or_default();
    if matches!(serde_json::from_slice::<AppError>(&bytes), Ok(AppError::Transport(_))) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}
