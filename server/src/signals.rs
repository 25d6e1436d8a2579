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
    /// Last day of the period (YYYY-MM-DD); at least the horizon before today.
    #[arg(long)]
    pub to: chrono::NaiveDate,
    /// Count leaving within this many months after a day (default: the
    /// institution's setting, six months unless changed).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=24))]
    pub horizon_months: Option<u32>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
    pub format: OutputFormat,
    /// Semicolons and decimal commas (Dutch Excel).
    #[arg(long)]
    pub semicolon: bool,
    /// Instead of the backtest table: what decides red and amber now, and
    /// for each threshold of the calibrated risk how many starters it flags
    /// today and its precision, recall and lift on the period (with the
    /// institution's horizon).
    #[arg(long, conflicts_with = "horizon_months")]
    pub choose: bool,
    /// Red and amber thresholds of the calibrated risk (per mille, one of
    /// 20, 30, 40, 50, 60, 80, 100, 125, 150, 200, 250, 300, 400, 500): its
    /// rows in the table, and with --choose their effect today. Default:
    /// those in use, else those the base rate suggests.
    #[arg(long, requires = "amber")]
    pub red: Option<String>,
    #[arg(long, requires = "red")]
    pub amber: Option<String>,
}

pub async fn run_backtest(db: &Db, clock: &dyn Clock, args: &BacktestArgs) -> anyhow::Result<()> {
    if args.from >= args.to {
        anyhow::bail!("--from must be before --to");
    }
    if (args.to - args.from).num_days() > houvast::domain::backtest::MAX_DAYS {
        anyhow::bail!("the period may be at most three years");
    }
    let id = crate::retention::institution(db, &args.institution).await?;
    let rules = backtest::rules(db, id).await?;
    let horizon = args.horizon_months.unwrap_or(rules.0.backtest_horizon_months);
    let latest = backtest::latest_end(clock.now(), horizon);
    if args.to > latest {
        anyhow::bail!(
            "--to must be on or before {latest}: whether someone left is followed for {horizon} months after each day"
        );
    }
    let style = CsvStyle {
        semicolon: args.semicolon,
        bom: false,
    };
    let thresholds = match (&args.red, &args.amber) {
        (Some(red), Some(amber)) => backtest::thresholds(red, amber)
            .map_err(|_| anyhow::anyhow!("--red and --amber must be offered levels, amber not above red"))?,
        _ => None,
    };
    if args.choose {
        let page = backtest::risk_page(db, clock.now(), id, (args.from, args.to), thresholds).await?;
        return emit(&match args.format {
            OutputFormat::Json => serde_json::to_string_pretty(&page.risk)? + "\n",
            OutputFormat::Csv => backtest::choices_csv(&page, style),
        });
    }
    let test = backtest::run(db, id, rules, args.from, args.to, horizon, thresholds).await?;
    emit(&match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&test)? + "\n",
        OutputFormat::Csv => backtest::backtest_csv(&test, style),
    })
}
