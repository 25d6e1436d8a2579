//! `houvast signals`: every starter's level, score and signals with their
//! evidence as of a day; `houvast backtest`: the rules run over a past
//! period beside who left. For operations and scripts.

use houvast::clock::Clock;
use houvast::csv::CsvStyle;
use houvast::service::{backtest, signals};
use houvast::store::Db;

use crate::retention::{Output, OutputFormat, emit};

pub async fn run(db: &Db, clock: &dyn Clock, output: &Output) -> anyhow::Result<()> {
    let (id, day) = output.resolve(db, clock).await?;
    let lines = signals::report(db, id, day).await?;
    emit(&match output.format {
        OutputFormat::Json => serde_json::to_string_pretty(&lines)? + "\n",
        OutputFormat::Csv => signals::report_csv(
            &lines,
            CsvStyle {
                semicolon: output.semicolon,
                bom: false,
            },
        ),
    })
}

#[derive(Debug, clap::Args)]
pub struct BacktestArgs {
    /// BRIN code of the institution.
    #[arg(long)]
    pub institution: String,
    /// First day of the period (YYYY-MM-DD).
    #[arg(long)]
    pub from: chrono::NaiveDate,
    /// Last day of the period (YYYY-MM-DD).
    #[arg(long)]
    pub to: chrono::NaiveDate,
    #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
    pub format: OutputFormat,
    /// Semicolons and decimal commas (Dutch Excel).
    #[arg(long)]
    pub semicolon: bool,
}

pub async fn run_backtest(db: &Db, args: &BacktestArgs) -> anyhow::Result<()> {
    if args.from >= args.to {
        anyhow::bail!("--from must be before --to");
    }
    if (args.to - args.from).num_days() > houvast::domain::backtest::MAX_DAYS {
        anyhow::bail!("the period may be at most three years");
    }
    let id = crate::retention::institution(db, &args.institution).await?;
    let test = backtest::run(db, id, args.from, args.to).await?;
    emit(&match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&test)? + "\n",
        OutputFormat::Csv => backtest::backtest_csv(
            &test,
            CsvStyle {
                semicolon: args.semicolon,
                bom: false,
            },
        ),
    })
}
