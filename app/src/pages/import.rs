//! The HR import (coordinators): upload a CSV export, read the check per
//! row, confirm. Plain HTML forms, so it works without JavaScript too.

use houvast::domain::import::{CellError, Column, FileProblem, ImportProblem, ImportReport, RowAction, UploadView};
use houvast::domain::time::format_date_time;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::starters::{ConfirmImport, recent_uploads, upload};
use crate::components::form::{FormError, problem_text};
use crate::components::loaded::Loaded;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::islands::{UploadForm, UploadTexts};

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let error = move || query.with(|q| q.get("error"));
    let recent = Resource::new(|| (), |_| recent_uploads());
    let upload_texts = UploadTexts {
        button: t_string!(i18n, import_check_button).to_string(),
        uploading: t_string!(i18n, import_uploading).to_string(),
        sending: t_string!(i18n, import_uploading_percent, percent = "{percent}").to_string(),
        checking: t_string!(i18n, import_checking).to_string(),
    };
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, import_title).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <p><A href="/starters">{t!(i18n, back_to_starters)}</A></p>
            <h1 id="page-title">{t!(i18n, import_title)}</h1>
            <p class="lead">{t!(i18n, import_intro)}</p>
            <section class="panel" aria-labelledby="upload">
                <h2 id="upload">{t!(i18n, import_upload_title)}</h2>
                {move || error().map(|code| {
                    let text = if code == "too_large" { t_string!(i18n, import_error_too_large).to_string() } else { t_string!(i18n, import_error_required).to_string() };
                    view! { <div class="notice notice-error" role="alert"><p>{text}</p></div> }
                })}
                <UploadForm action="/import/upload".to_owned() texts=upload_texts>
                    <div class="field">
                        <label for="import-file">{t!(i18n, import_file_label)}</label>
                        <p class="hint" id="import-file-hint">{t!(i18n, import_file_hint)}</p>
                        <input id="import-file" type="file" name="file" accept=".csv,text/csv" required aria-describedby="import-file-hint" />
                    </div>
                </UploadForm>
                <p><a href="/import/template.csv" download>{t!(i18n, import_template_link)}</a></p>
                <p class="muted">{t!(i18n, import_columns_hint)}</p>
            </section>
            <section class="panel" aria-labelledby="recent">
                <h2 id="recent">{t!(i18n, import_recent_title)}</h2>
                <Loaded resource=recent let:list>
                    {match list {
                        list if list.is_empty() => view! { <p class="muted">{t!(i18n, import_recent_empty)}</p> }.into_any(),
                        list => view! {
                            <ul class="plain-list">
                                {list.into_iter().map(|u| view! {
                                    <li>
                                        <A href=format!("/import/{}", u.id)>{u.file_name.clone()}</A>
                                        " · " {format_date_time(u.uploaded_at)} " · "
                                        {match u.applied_at {
                                            Some(_) => t!(i18n, import_state_applied).into_any(),
                                            None => t!(i18n, import_state_checked).into_any(),
                                        }}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }}
                </Loaded>
            </section>
        </section>
    }
}

#[component]
pub fn ImportUploadPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = move || use_params_map().with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(id, upload);
    let confirm = ServerAction::<ConfirmImport>::new();
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, import_check_title).to_string()) />
        <section class="page" aria-labelledby="page-title">
            <p><A href="/import">{t!(i18n, back_to_import)}</A></p>
            <h1 id="page-title">{t!(i18n, import_check_title)}</h1>
            <FormError result=confirm.value() />
            <Loaded resource=data let:view>
                <UploadReport upload=view />
            </Loaded>
        </section>
    }
}

#[component]
fn UploadReport(upload: UploadView) -> impl IntoView {
    let i18n = use_i18n();
    let report = upload.report.clone();
    let clean = report.is_clean();
    let applied = upload.applied_at.is_some();
    let writes = report.created() + report.updated();
    let summary = t_string!(
        i18n,
        import_summary,
        rows = report.rows.len(),
        created = report.created(),
        updated = report.updated(),
        unchanged = report.unchanged(),
        errors = report.with_errors()
    )
    .to_string();
    view! {
        <p class="lead">
            <strong>{upload.file_name.clone()}</strong>
            " · " {t!(i18n, import_read_as, encoding = report.encoding.clone(), separator = separator_name(i18n, report.separator))}
        </p>
        {if applied {
            view! {
                <div class="notice notice-success" role="status">
                    <p>{t!(i18n, import_applied, at = format_date_time(upload.applied_at.unwrap_or(upload.uploaded_at)))}</p>
                    <p><A href="/starters">{t!(i18n, import_to_starters)}</A></p>
                </div>
            }.into_any()
        } else if !report.file_errors.is_empty() {
            view! {
                <div class="notice notice-error" role="alert">
                    <h2>{t!(i18n, import_file_refused)}</h2>
                    <ul>{report.file_errors.iter().map(|p| view! { <li>{file_problem_text(i18n, p)}</li> }).collect_view()}</ul>
                </div>
            }.into_any()
        } else if !clean {
            view! {
                <div class="notice notice-error" role="alert">
                    <p>{if report.with_errors() == 1 { t_string!(i18n, import_has_errors_1).to_string() } else { t_string!(i18n, import_has_errors, count = report.with_errors()).to_string() }}</p>
                </div>
            }.into_any()
        } else {
            view! {
                <div class="notice" role="status">
                    <p>{if writes == 1 { t_string!(i18n, import_ready_1).to_string() } else { t_string!(i18n, import_ready, count = writes).to_string() }}</p>
                    <form method="post" action=ConfirmImport::url() class="stack">
                        <input type="hidden" name="id" value=upload.id />
                        <button type="submit">{t!(i18n, import_confirm_button)}</button>
                    </form>
                </div>
            }.into_any()
        }}
        <p aria-live="polite">{summary}</p>
        {(!report.new_partnerships.is_empty()).then(|| view! {
            <p>{t!(i18n, import_new_partnerships)} " " {report.new_partnerships.join(", ")}</p>
        })}
        <ReportRows report />
    }
}

fn separator_name(i18n: leptos_i18n::I18nContext<Locale>, separator: char) -> String {
    match separator {
        ';' => t_string!(i18n, separator_semicolon).to_string(),
        ',' => t_string!(i18n, separator_comma).to_string(),
        _ => t_string!(i18n, separator_tab).to_string(),
    }
}

/// Rows with errors first (they need attention), then the others.
#[component]
fn ReportRows(report: ImportReport) -> impl IntoView {
    let i18n = use_i18n();
    let mut rows = report.rows.clone();
    rows.sort_by_key(|r| (!matches!(r.action, RowAction::Error { .. }), r.row));
    (!rows.is_empty()).then(|| view! {
        <div class="table-scroll" role="region" aria-labelledby="import-rows-caption" tabindex="0">
            <table class="report">
                <caption class="visually-hidden" id="import-rows-caption">{t!(i18n, import_rows_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, import_col_row)}</th>
                        <th scope="col">{t!(i18n, field_employee_number)}</th>
                        <th scope="col">{t!(i18n, field_full_name)}</th>
                        <th scope="col">{t!(i18n, import_col_result)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let (class, result) = match &row.action {
                            RowAction::Create => ("row-create", t_string!(i18n, import_create).to_string()),
                            RowAction::Unchanged => ("row-unchanged", t_string!(i18n, import_unchanged).to_string()),
                            RowAction::Update { changes } => ("row-update", t_string!(i18n, import_update, columns = changes.iter().map(|c| c.header()).collect::<Vec<_>>().join(", ")).to_string()),
                            RowAction::Error { errors } => ("row-error", errors.iter().map(|e| cell_error_text(i18n, e)).collect::<Vec<_>>().join(" ")),
                        };
                        view! {
                            <tr class=class>
                                <td>{row.row}</td>
                                <td>{row.employee_number.clone()}</td>
                                <td>{row.name.clone()}</td>
                                <td>{result}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}

fn column_name(column: Column) -> &'static str {
    column.header()
}

fn cell_error_text(i18n: leptos_i18n::I18nContext<Locale>, error: &CellError) -> String {
    let problem = match error.problem {
        ImportProblem::Field { problem } => problem_text(i18n, problem),
        ImportProblem::DuplicateInFile => t_string!(i18n, import_problem_duplicate).to_string(),
        ImportProblem::EmailTaken => t_string!(i18n, import_problem_email_taken).to_string(),
        ImportProblem::UnknownTeam => t_string!(i18n, import_problem_unknown_team).to_string(),
        ImportProblem::CellCount => t_string!(i18n, import_problem_cell_count).to_string(),
        ImportProblem::RoleNotImported => t_string!(i18n, import_problem_role).to_string(),
        ImportProblem::ErasedBefore => t_string!(i18n, import_problem_erased).to_string(),
    };
    match error.column {
        Some(column) => t_string!(i18n, import_in_column, column = column_name(column), problem = problem).to_string(),
        None => problem,
    }
}

fn file_problem_text(i18n: leptos_i18n::I18nContext<Locale>, problem: &FileProblem) -> String {
    match problem {
        FileProblem::Empty => t_string!(i18n, import_file_empty).to_string(),
        FileProblem::Unreadable => t_string!(i18n, import_file_unreadable).to_string(),
        FileProblem::MissingColumn { column } => {
            t_string!(i18n, import_file_missing_column, column = column_name(*column)).to_string()
        }
        FileProblem::UnknownColumn { header } => {
            t_string!(i18n, import_file_unknown_column, column = header.clone()).to_string()
        }
        FileProblem::TooManyRows { max } => t_string!(i18n, import_file_too_many_rows, max = *max).to_string(),
    }
}
