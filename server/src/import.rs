//! `houvast import starters`: the HR import from the command line, with a
//! plain-text report per row (in English: it is read by whoever runs the
//! scheduled sync).

use anyhow::{Context, bail};
use houvast::clock::Clock;
use houvast::domain::import::{CellError, Column, FileProblem, ImportProblem, ImportReport, RowAction};
use houvast::domain::{BrinCode, FieldProblem};
use houvast::service::import::{self, Actor};
use houvast::store::{Db, institutions};

use clap::Args;

#[derive(Debug, Args)]
pub struct ImportStarters {
    /// BRIN code of the institution, e.g. 25LH.
    #[arg(long)]
    pub institution: String,
    /// Check the file and print what would change, without writing.
    #[arg(long)]
    pub dry_run: bool,
    /// The CSV file (UTF-8 or Windows-1252, comma or semicolon separated).
    pub file: std::path::PathBuf,
}

pub async fn run(db: &Db, clock: &dyn Clock, args: &ImportStarters) -> anyhow::Result<()> {
    let brin = BrinCode::parse(&args.institution)
        .map_err(|_| anyhow::anyhow!("{:?} is not a BRIN code (four characters, e.g. 25LH)", args.institution))?;
    let Some(institution) = institutions::find_by_brin(db, &brin).await? else {
        bail!("no institution with BRIN code {brin}");
    };
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let report = import::run(db, clock.now(), Actor::System, institution.id, &bytes, !args.dry_run)
        .await
        .context("the import failed")?;
    print!("{}", render(&report, args.dry_run));
    if !report.is_clean() {
        bail!("nothing was imported: fix the errors above and run again");
    }
    Ok(())
}

/// The report as text: one line per row, then a summary.
pub fn render(report: &ImportReport, dry_run: bool) -> String {
    let mut out = format!("Read as {} with separator {:?}.\n", report.encoding, report.separator);
    for problem in &report.file_errors {
        out.push_str(&format!("file: {}\n", file_problem(problem)));
    }
    for row in &report.rows {
        let who = format!("row {:>5}  {:<12} {}", row.row, row.employee_number, row.name);
        match &row.action {
            RowAction::Create => out.push_str(&format!("{who}: create\n")),
            RowAction::Unchanged => out.push_str(&format!("{who}: unchanged\n")),
            RowAction::Update { changes } => {
                let columns: Vec<&str> = changes.iter().map(|c| c.header()).collect();
                out.push_str(&format!("{who}: update {}\n", columns.join(", ")))
            }
            RowAction::Error { errors } => {
                for error in errors {
                    out.push_str(&format!("{who}: ERROR {}\n", cell_error(error)));
                }
            }
        }
    }
    for name in &report.new_partnerships {
        out.push_str(&format!("new partnership: {name}\n"));
    }
    let verb = if report.applied {
        "imported"
    } else if dry_run && report.is_clean() {
        "dry run, nothing written"
    } else {
        "nothing written"
    };
    out.push_str(&format!(
        "{} rows: {} to create, {} to update, {} unchanged, {} with errors ({verb}).\n",
        report.rows.len(),
        report.created(),
        report.updated(),
        report.unchanged(),
        report.with_errors()
    ));
    out
}

fn cell_error(error: &CellError) -> String {
    let place = match error.column {
        Some(column) => format!("column \"{}\": ", column.header()),
        None => String::new(),
    };
    let problem = match error.problem {
        ImportProblem::Field { problem } => field_problem(problem),
        ImportProblem::DuplicateInFile => "this employee number appears more than once in the file".into(),
        ImportProblem::EmailTaken => "this e-mail address belongs to someone else".into(),
        ImportProblem::UnknownTeam => "no team with this name in the institution".into(),
        ImportProblem::CellCount => "the row does not have as many cells as the header".into(),
        ImportProblem::RoleNotImported => "only starters and mentors are imported".into(),
        ImportProblem::ErasedBefore => {
            "this employee number belonged to someone whose data was erased; add them by hand if they really come back"
                .into()
        }
    };
    format!("{place}{problem}")
}

fn field_problem(problem: FieldProblem) -> String {
    match problem {
        FieldProblem::Required => "required".into(),
        FieldProblem::TooLong { max } => format!("too long (at most {max} characters)"),
        FieldProblem::TooShort { min } => format!("too short (at least {min} characters)"),
        FieldProblem::Format => "not in a recognised format (dates as 1-9-2026 or 2026-09-01)".into(),
        FieldProblem::ControlCharacters => "contains control characters".into(),
        FieldProblem::UnknownChoice => "not one of the accepted values".into(),
        FieldProblem::FteRange => "FTE must be between 0,01 and 1,2".into(),
        FieldProblem::BeforeStart => "before the start date".into(),
        other => format!("{other:?}"),
    }
}

fn file_problem(problem: &FileProblem) -> String {
    match problem {
        FileProblem::Empty => "the file is empty".into(),
        FileProblem::Unreadable => "not a readable CSV file".into(),
        FileProblem::MissingColumn { column } => format!("column \"{}\" is missing", column.header()),
        FileProblem::UnknownColumn { header } => {
            let known: Vec<&str> = Column::ALL.iter().map(|c| c.header()).collect();
            format!("unknown column \"{header}\" (expected: {})", known.join(", "))
        }
        FileProblem::TooManyRows { max } => format!("more than {max} rows"),
    }
}
