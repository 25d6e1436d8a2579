//! The `houvast` binary. See `houvast --help`.

use clap::Parser;
use houvast_server::cli::{Cli, run};
use houvast_server::telemetry;

/// Rendering a page allocates many small strings on every worker thread at
/// once; mimalloc serves that with per-thread heaps, where glibc's malloc
/// spent a fifth of the server's time under 200 concurrent clients (and
/// more memory).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
