//! The `houvast` binary. See `houvast --help`.

use clap::Parser;
use houvast_server::cli::{Cli, run};
use houvast_server::telemetry;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.global.log_format);
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("houvast: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
