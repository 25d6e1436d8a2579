//! The HR import's file upload and template download: plain HTML (a form
//! with a file field, a link), so they work with or without JavaScript.
//! The upload is kept and checked; the page it leads to shows the report
//! and asks for confirmation.

use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, body::Bytes};
use houvast::domain::FieldProblem;
use houvast::service::ServiceError;
use houvast_app::ssr::auth::CurrentUser;

use crate::state::AppState;

/// Name of the file field of the upload form.
pub const FILE_FIELD: &str = "file";

/// `POST /import/upload`: keep the file and show its check.
pub async fn upload(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    mut multipart: Multipart,
) -> Response {
    let Some(ctx) = user else {
        return Redirect::to("/login?next=/import").into_response();
    };
    let mut file: Option<(String, Bytes)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some(FILE_FIELD) => {
                let name = field.file_name().unwrap_or("").to_owned();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes)),
                    Err(err) => return refused(err.status()),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(err) => return refused(err.status()),
        }
    }
    let Some((name, bytes)) = file else {
        return Redirect::to("/import?error=required").into_response();
    };
    let app = &state.app;
    match houvast::service::import::upload(&app.db, app.now(), &ctx, &name, &bytes).await {
        Ok(id) => Redirect::to(&format!("/import/{id}")).into_response(),
        Err(ServiceError::Invalid(errors)) => {
            let code = match errors.first().map(|e| e.problem) {
                Some(FieldProblem::TooLarge { .. }) => "too_large",
                _ => "required",
            };
            Redirect::to(&format!("/import?error={code}")).into_response()
        }
        Err(ServiceError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "HR upload failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A body over the limit, or a broken multipart body.
fn refused(status: StatusCode) -> Response {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Redirect::to("/import?error=too_large").into_response()
    } else {
        (status, "the upload could not be read").into_response()
    }
}

/// `GET /import/template.csv`: the template, for Excel.
pub async fn template() -> Response {
    let mut response = houvast::service::import::template().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"houvast-importsjabloon.csv\""),
    );
    response
}
