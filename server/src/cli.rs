//! The command line: `houvast serve`, `houvast migrate`, `houvast demo`.

use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use houvast::clock::{Clock, SystemClock};
use houvast::store::{Db, DbConfig};
use houvast_app::ssr::AppContext;
use tokio::net::TcpListener;

use crate::config::{GlobalOptions, HttpSettings, ServeOptions};
use crate::router::{self, AppState};
use crate::serve::{serve, shutdown_signal};

/// Houvast: induction and mentoring tracker for starting teachers in mbo.
///
/// Every option can also be set through the environment variable shown with
/// it. Without options Houvast uses ./data/houvast.db (SQLite, created on
/// first start) and listens on http://127.0.0.1:3000.
#[derive(Debug, Parser)]
#[command(name = "houvast", version)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server. Applies pending database migrations first.
    Serve(ServeOptions),
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Load the demo dataset (fictional institutions and teams). Safe to run
    /// again: what exists is left alone.
    Demo,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let db = open_database(&cli.global).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let result = match cli.command {
        Command::Serve(options) => run_serve(db.clone(), clock, options).await,
        Command::Migrate => {
            println!("Database is up to date ({}).", redact(&cli.global.database_url));
            Ok(())
        }
        Command::Demo => load_demo(&db, clock.as_ref()).await,
    };
    db.close().await;
    result
}

/// Connect and migrate.
async fn open_database(global: &GlobalOptions) -> anyhow::Result<Db> {
    let mut config = DbConfig::new(global.database_url.clone());
    config.max_connections = global.pool_size;
    let db = Db::connect(&config)
        .await
        .with_context(|| format!("cannot open database {}", redact(&global.database_url)))?;
    db.migrate().await.context("cannot apply database migrations")?;
    Ok(db)
}

async fn load_demo(db: &Db, clock: &dyn Clock) -> anyhow::Result<()> {
    let report = houvast::demo::load(db, clock.now())
        .await
        .context("cannot load the demo dataset")?;
    if report.created_anything() {
        println!(
            "Demo data loaded: {} institution(s), {} team(s).",
            report.institutions_created, report.teams_created
        );
    } else {
        println!("Demo data was already present; nothing changed.");
    }
    Ok(())
}

async fn run_serve(db: Db, clock: Arc<dyn Clock>, options: ServeOptions) -> anyhow::Result<()> {
    if options.demo_if_empty && houvast::demo::is_empty(&db).await? {
        load_demo(&db, clock.as_ref()).await?;
    }
    let listener = TcpListener::bind(options.addr)
        .await
        .with_context(|| format!("cannot listen on {}", options.addr))?;
    let addr = listener.local_addr()?;
    let http = HttpSettings::from_options(&options, addr);
    if !http.site_root.join("pkg").is_dir() {
        tracing::warn!(site_root = %http.site_root.display(), "no compiled browser files found: pages render, but stay without JavaScript");
    }
    let state = AppState::new(AppContext { db, clock }, http, addr);
    let public_url = state.http.public_url.clone();
    let app = router::build(state);
    println!("Houvast is running at {public_url}  (stop with Ctrl-C)");
    tracing::info!(%addr, "listening");
    serve(listener, app, shutdown_signal()).await.context("server failed")?;
    Ok(())
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_only_the_password() {
        assert_eq!(
            redact("postgres://houvast:geheim@db:5432/houvast"),
            "postgres://houvast:***@db:5432/houvast"
        );
        assert_eq!(redact("postgres://houvast@db/houvast"), "postgres://houvast@db/houvast");
        assert_eq!(redact("sqlite://data/houvast.db"), "sqlite://data/houvast.db");
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
