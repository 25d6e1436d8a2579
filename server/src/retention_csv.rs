//! `GET /retention.csv`: every table of the retention page as CSV for the
//! logged-in coordinator, team leader or analyst — UTF-8 with a byte-order
//! mark so Excel opens it, commas by default or semicolons with decimal
//! commas (`sep=semicolon`) for Dutch Excel. Suppressed exactly as the page.

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use houvast::csv::CsvStyle;
use houvast::domain::retention::{Breakdown, RetentionMeasure};
use houvast::service::ServiceError;
use houvast::service::retention;
use houvast_app::ssr::auth::CurrentUser;
use serde::Deserialize;

use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct CsvQuery {
    table: Option<String>,
    measure: Option<String>,
    by: Option<String>,
    sep: Option<String>,
}

pub async fn download(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    Query(query): Query<CsvQuery>,
) -> Response {
    let Some(ctx) = user else {
        return Redirect::to("/login?next=/retention").into_response();
    };
    let measure = query
        .measure
        .as_deref()
        .and_then(RetentionMeasure::from_code)
        .unwrap_or(RetentionMeasure::Institution);
    let by = query
        .by
        .as_deref()
        .and_then(Breakdown::from_code)
        .unwrap_or(Breakdown::All);
    let style = CsvStyle {
        semicolon: query.sep.as_deref() == Some("semicolon"),
        bom: true,
    };
    let app = &state.app;
    let table = query.table.as_deref().unwrap_or("readouts");
    let result = match table {
        "coverage" => retention::page(&app.db, app.now(), &ctx, &app.benchmarks, measure, by)
            .await
            .map(|page| retention::coverage_csv(&page.coverage, page.others_coverage.as_ref(), style)),
        "records" => retention::page_records(&app.db, app.now(), &ctx)
            .await
            .map(|records| retention::records_csv(&records, style)),
        "curve" | "readouts" => retention::page(&app.db, app.now(), &ctx, &app.benchmarks, measure, by)
            .await
            .map(|page| {
                let mut report = page.report;
                if let Some(others) = page.others {
                    report.groups.push(retention::others_row(others));
                }
                if table == "curve" {
                    retention::curve_csv(&report, style)
                } else {
                    retention::report_csv(&report, style)
                }
            }),
        _ => return (StatusCode::NOT_FOUND, "unknown table").into_response(),
    };
    match result {
        Ok(csv) => {
            let name = match table {
                "records" => "houvast-behoud-records.csv".to_owned(),
                "coverage" => "houvast-begeleiding.csv".to_owned(),
                _ => format!("houvast-behoud-{table}-{}-{}.csv", measure.code(), by.code()),
            };
            csv_attachment(csv, &name)
        }
        Err(ServiceError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "retention CSV failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A CSV body as a download named `name` (UTF-8).
pub fn csv_attachment(csv: String, name: &str) -> Response {
    let mut response = csv.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
