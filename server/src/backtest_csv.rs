//! `GET /backtest.csv?from=…&to=…`: the coordinator's backtest table as CSV
//! (UTF-8 with a byte-order mark; `sep=semicolon` for Dutch Excel).

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use houvast::csv::CsvStyle;
use houvast::service::ServiceError;
use houvast::service::backtest;
use houvast_app::ssr::auth::CurrentUser;
use serde::Deserialize;

use crate::retention_csv::csv_attachment;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct CsvQuery {
    from: Option<String>,
    to: Option<String>,
    sep: Option<String>,
}

pub async fn download(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    Query(query): Query<CsvQuery>,
) -> Response {
    let Some(ctx) = user else {
        return Redirect::to("/login?next=/signals/backtest").into_response();
    };
    let style = CsvStyle {
        semicolon: query.sep.as_deref() == Some("semicolon"),
        bom: true,
    };
    let app = &state.app;
    let (from, to) = (query.from.unwrap_or_default(), query.to.unwrap_or_default());
    match backtest::for_coordinator(&app.db, app.now(), &ctx, &from, &to).await {
        Ok(test) => {
            let name = format!("houvast-backtest-{}-{}.csv", test.from, test.to);
            csv_attachment(backtest::backtest_csv(&test, style), &name)
        }
        Err(ServiceError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(ServiceError::Invalid(_)) => (
            StatusCode::BAD_REQUEST,
            "from and to must be dates (YYYY-MM-DD), from before to, not in the future, at most three years apart",
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "backtest CSV failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
