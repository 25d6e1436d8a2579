//! `GET /my-data.json` and `GET /people/{id}/data.json`: the copy of a
//! person's data as a JSON file (AVG art. 15), one's own or, for a
//! coordinator, a person's of their institution.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use houvast::domain::PersonId;
use houvast::service::{ServiceError, personal_data};
use houvast_app::ssr::auth::CurrentUser;

use crate::state::AppState;

pub async fn own(State(state): State<AppState>, Extension(CurrentUser(user)): Extension<CurrentUser>) -> Response {
    match user {
        Some(ctx) => {
            let person = ctx.person;
            download(&state, &ctx, person).await
        }
        None => Redirect::to("/login?next=/my-data").into_response(),
    }
}

pub async fn of_person(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    Path(id): Path<i64>,
) -> Response {
    match user {
        Some(ctx) => download(&state, &ctx, PersonId(id)).await,
        None => Redirect::to(&format!("/login?next=/people/{id}/data")).into_response(),
    }
}

async fn download(state: &AppState, ctx: &houvast::service::Ctx, person: PersonId) -> Response {
    let app = &state.app;
    match personal_data::export(&app.db, app.now(), ctx, person).await {
        Ok(data) => match serde_json::to_vec_pretty(&data) {
            Ok(body) => {
                let name = format!("houvast-gegevens-{}-{}.json", person.0, data.produced_at.date_naive());
                (
                    [
                        (header::CONTENT_TYPE, "application/json; charset=utf-8".to_owned()),
                        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                        (header::CACHE_CONTROL, "no-store".to_owned()),
                    ],
                    body,
                )
                    .into_response()
            }
            Err(err) => {
                tracing::error!(error = %err, "personal data JSON failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        },
        Err(ServiceError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(ServiceError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "personal data export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
