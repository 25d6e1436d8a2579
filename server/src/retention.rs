//! `houvast retention` and `houvast retention-records`: the figures of the
//! retention page, and the anonymous records behind them, for scripts and
//! research tools. Small groups are suppressed exactly as on the page.

use anyhow::bail;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use houvast::clock::Clock;
use houvast::csv::CsvStyle;
use houvast::domain::BrinCode;
use houvast::domain::retention::{Breakdown, RetentionMeasure};
use houvast::service::retention;
use houvast::store::{Db, institutions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Csv,
    Json,
}

/// What both commands take: which institution, as of when, in what form.
#[derive(Debug, Args)]
pub struct Output {
    /// BRIN code of the institution.
    #[arg(long)]
    pub institution: String,
    #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
    pub format: OutputFormat,
    /// Semicolons and decimal commas (Dutch Excel).
    #[arg(long)]
    pub semicolon: bool,
    /// Evaluation date (YYYY-MM-DD); default today.
    #[arg(long)]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct RetentionArgs {
    #[command(flatten)]
    pub output: Output,
    /// Split by: team, sector, route, cohort, partnership or intensity.
    #[arg(long, value_parser = parse_breakdown, default_value = "all")]
    pub by: Breakdown,
    /// What counts as staying: institution (employed here) or education.
    #[arg(long, value_parser = parse_measure, default_value = "institution")]
    pub measure: RetentionMeasure,
    /// List every distinct time of each curve (at risk, events, censored,
    /// survival and its 95% interval) instead of the readouts.
    #[arg(long)]
    pub curve: bool,
}

#[derive(Debug, Args)]
pub struct RecordsArgs {
    #[command(flatten)]
    pub output: Output,
}

fn parse_breakdown(value: &str) -> Result<Breakdown, String> {
    Breakdown::from_code(value).ok_or_else(|| {
        let codes: Vec<&str> = Breakdown::ALL.iter().map(|b| b.code()).collect();
        format!("expected one of {}", codes.join(", "))
    })
}

fn parse_measure(value: &str) -> Result<RetentionMeasure, String> {
    RetentionMeasure::from_code(value).ok_or_else(|| "expected institution or education".to_owned())
}

pub(crate) async fn institution(db: &Db, brin: &str) -> anyhow::Result<houvast::domain::InstitutionId> {
    let code = BrinCode::parse(brin)
        .map_err(|_| anyhow::anyhow!("{brin:?} is not a BRIN code (four characters, e.g. 25LH)"))?;
    match institutions::find_by_brin(db, &code).await? {
        Some(found) => Ok(found.id),
        None => bail!("no institution with BRIN code {code}"),
    }
}

fn as_of(date: Option<NaiveDate>, clock: &dyn Clock) -> NaiveDate {
    date.unwrap_or_else(|| houvast::domain::time::today(clock.now()))
}

impl Output {
    /// The institution's id and the evaluation day.
    pub(crate) async fn resolve(
        &self,
        db: &Db,
        clock: &dyn Clock,
    ) -> anyhow::Result<(houvast::domain::InstitutionId, NaiveDate)> {
        Ok((institution(db, &self.institution).await?, as_of(self.date, clock)))
    }

    fn style(&self) -> CsvStyle {
        CsvStyle {
            semicolon: self.semicolon,
            bom: false,
        }
    }
}

pub async fn run(db: &Db, clock: &dyn Clock, args: &RetentionArgs) -> anyhow::Result<()> {
    let (id, day) = args.output.resolve(db, clock).await?;
    let report = retention::report(db, id, day, args.measure, args.by).await?;
    let style = args.output.style();
    emit(&match (args.output.format, args.curve) {
        (OutputFormat::Json, _) => serde_json::to_string_pretty(&report)? + "\n",
        (OutputFormat::Csv, false) => retention::report_csv(&report, style),
        (OutputFormat::Csv, true) => retention::curve_csv(&report, style),
    })
}

pub async fn run_records(db: &Db, clock: &dyn Clock, args: &RecordsArgs) -> anyhow::Result<()> {
    let (id, day) = args.output.resolve(db, clock).await?;
    let records = retention::records(db, id, day).await?;
    emit(&match args.output.format {
        OutputFormat::Json => serde_json::to_string_pretty(&records)? + "\n",
        OutputFormat::Csv => retention::records_csv(&records, args.output.style()),
    })
}

/// Write to standard output; a reader that stops early (`| head`) is fine.
pub(crate) fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
