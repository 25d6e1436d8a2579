//! `houvast signals`: every starter's level, score and signals with their
//! evidence as of a day, for operations and scripts.

use houvast::clock::Clock;
use houvast::service::retention::CsvStyle;
use houvast::service::signals;
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
