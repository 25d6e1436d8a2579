//! The command line: `houvast serve`, `houvast migrate`, `houvast demo`,
//! `houvast admin create`, `houvast import`, `houvast retention`,
//! `houvast retention-records`.

use std::io::{IsTerminal, Read};
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use houvast::clock::{Clock, SystemClock};
use houvast::demo::DemoLogin;
use houvast::service::ServiceError;
use houvast::service::auth::LoginPolicy;
use houvast::store::{Db, DbConfig};
use houvast_app::ssr::AppContext;
use houvast_app::ssr::auth::SessionPolicy;
use houvast_app::ssr::session_store::Sessions;
use tokio::net::TcpListener;
use tower_sessions::session_store::ExpiredDeletion;

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
    /// Load the demo dataset (fictional institutions, teams and people with
    /// logins) and print the demo logins. Safe to run again. Never load it
    /// into a deployment with real people: the demo password is public.
    Demo(DemoArgs),
    /// Manage deployment administrators.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Import starters and mentors from an HR export (CSV), for scheduled
    /// syncs. The same rules as the import page: matched on employee number,
    /// nothing written when any row has an error.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Retention figures of an institution (Kaplan–Meier), as CSV or JSON.
    Retention(crate::retention::RetentionArgs),
    /// The anonymous per-starter records behind the retention figures.
    RetentionRecords(crate::retention::RecordsArgs),
    /// Every starter's dropout signals (level, score, evidence) as of a day.
    Signals(crate::retention::Output),
    /// Run the signal rules over a past period and compare with who left.
    Backtest(crate::signals::BacktestArgs),
    /// Copy the SQLite database to a new file while Houvast keeps serving
    /// (a consistent snapshot, checked before it gets its name). PostgreSQL
    /// is backed up with pg_dump.
    Backup(BackupArgs),
    /// Erase what each institution's retention period says is due (the job
    /// the server runs daily). Run it after restoring an older backup,
    /// before serving, so nothing erased since comes back.
    Erase,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// `small`: two institutions to try Houvast (what `serve --demo-if-empty`
    /// loads). `national`: about 60 institutions, 25,000 starters and their
    /// history, for benchmarks; only into an empty database, takes minutes.
    #[arg(long, value_enum, default_value = "small")]
    pub scale: DemoScale,
    /// The random seed of the national dataset (the same seed gives the same data).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also write every printed login of the national dataset to this file
    /// (as `scripts/load.sh` reads them).
    #[arg(long)]
    pub logins: Option<std::path::PathBuf>,
    /// A smaller "national" dataset (tests): this many starters.
    #[arg(long, hide = true)]
    pub starters: Option<usize>,
    /// A smaller "national" dataset (tests): this many institutions.
    #[arg(long, hide = true)]
    pub institutions: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoScale {
    Small,
    National,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    pub file: std::path::PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Print the CSV template (Dutch headers, two example rows).
    Template,
    /// Import a CSV file into an institution. Prints a report per row and
    /// exits non-zero when any row has an error (then nothing is written).
    Starters(crate::import::ImportStarters),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an administrator. The password is read from the environment
    /// variable HOUVAST_ADMIN_PASSWORD or, when that is not set, from
    /// standard input (never from the command line).
    Create(AdminCreate),
    /// Print a one-time link to set a new password for any account (or
    /// activate it). Meant for deployments without e-mail, where nobody in
    /// an institution may see such a link for an account that holds data.
    /// Audited; the person finds a notification about it at their next visit.
    Link(AdminLink),
}

#[derive(Debug, Args)]
pub struct AdminLink {
    /// The e-mail address of the account.
    #[arg(long)]
    pub email: String,
    /// The address people use to reach Houvast (start of the link).
    #[arg(long, env = "HOUVAST_PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
    pub public_url: String,
}

#[derive(Debug, Args)]
pub struct AdminCreate {
    /// E-mail address to log in with.
    #[arg(long)]
    pub email: String,
    /// Full name.
    #[arg(long, default_value = "Beheerder")]
    pub name: String,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Import(ImportCommand::Template) = cli.command {
        print!("{}", houvast::service::import::template());
        return Ok(());
    }
    let db = open_database(&cli.global).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let result = match cli.command {
        Command::Serve(options) => run_serve(db.clone(), clock, options).await,
        Command::Migrate => {
            println!("Database is up to date ({}).", redact(&cli.global.database_url));
            Ok(())
        }
        Command::Demo(args) if args.scale == DemoScale::National => load_national(&db, clock.as_ref(), &args).await,
        Command::Demo(_) => load_demo(&db, clock.as_ref()).await,
        Command::Admin(AdminCommand::Create(args)) => create_admin(&db, clock.as_ref(), &args).await,
        Command::Admin(AdminCommand::Link(args)) => admin_link(&db, clock.as_ref(), &args).await,
        Command::Import(ImportCommand::Starters(args)) => crate::import::run(&db, clock.as_ref(), &args).await,
        Command::Import(ImportCommand::Template) => Ok(()),
        Command::Retention(args) => crate::retention::run(&db, clock.as_ref(), &args).await,
        Command::RetentionRecords(args) => crate::retention::run_records(&db, clock.as_ref(), &args).await,
        Command::Signals(args) => crate::signals::run(&db, clock.as_ref(), &args).await,
        Command::Backtest(args) => crate::signals::run_backtest(&db, clock.as_ref(), &args).await,
        Command::Backup(args) => backup(&db, &args).await,
        Command::Erase => erase(&db, clock.as_ref()).await,
    };
    db.close().await;
    result
}

async fn erase(db: &Db, clock: &dyn Clock) -> anyhow::Result<()> {
    let report = houvast::service::erasure::daily(db, clock.now()).await?;
    println!(
        "Retention periods applied: free text erased for {} people, {} pseudonymised, {} audit events and {} HR files past their period deleted.",
        report.erased, report.pseudonymised, report.audit_events_deleted, report.uploads_deleted
    );
    Ok(())
}

async fn backup(db: &Db, args: &BackupArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let bytes = db.backup(&args.file).await?;
    println!(
        "Backup written to {} ({:.1} MB in {:.1} s). Restore: stop Houvast, put this file in place of the database file, start Houvast.",
        args.file.display(),
        bytes as f64 / 1_000_000.0,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Connect and migrate.
async fn open_database(global: &GlobalOptions) -> anyhow::Result<Db> {
    let mut config = DbConfig::new(global.database_url.clone());
    config.max_connections = global.pool_size;
    let db = Db::connect(&config)
        .await
        .with_context(|| format!("cannot open database {}", redact(&global.database_url)))?;
    db.migrate().await.context("cannot apply database migrations")?;
    db.optimize()
        .await
        .context("cannot update the query planner's statistics")?;
    Ok(db)
}

async fn load_demo(db: &Db, clock: &dyn Clock) -> anyhow::Result<()> {
    let report = houvast::demo::load(db, clock.now())
        .await
        .context("cannot load the demo dataset")?;
    if report.created_anything() {
        println!(
            "Demo data loaded: {} institution(s), {} team(s), {} people.",
            report.institutions_created, report.teams_created, report.people_created
        );
    } else {
        println!("Demo data was already present; nothing changed.");
    }
    apply_retention_periods(db, clock).await?;
    print_logins(&report.logins);
    Ok(())
}

/// The demo's history goes back years: what its retention periods say is
/// due is erased now, as a deployment's daily job would have, rather than
/// in the first minutes of serving.
async fn apply_retention_periods(db: &Db, clock: &dyn Clock) -> anyhow::Result<()> {
    let report = houvast::service::erasure::daily(db, clock.now())
        .await
        .context("cannot apply the retention periods")?;
    if report.pseudonymised > 0 {
        println!(
            "Retention periods applied: {} people who left long ago are pseudonymised.",
            report.pseudonymised
        );
    }
    Ok(())
}

fn print_logins(logins: &[DemoLogin]) {
    print!("{}", logins_text(logins));
}

fn logins_text(logins: &[DemoLogin]) -> String {
    let mut text = format!("Demo logins (password for all: {}):\n", houvast::demo::DEMO_PASSWORD);
    for login in logins {
        let institution = login.institution.as_deref().unwrap_or("all institutions");
        text.push_str(&format!(
            "  {:<12} {:<38} {} ({institution})\n",
            login.role.code(),
            login.email,
            login.name
        ));
    }
    text
}

/// Load the national dataset with a progress bar, then say what it made.
async fn load_national(db: &Db, clock: &dyn Clock, args: &DemoArgs) -> anyhow::Result<()> {
    use houvast::demo::national::{self, Scale};
    let started = std::time::Instant::now();
    let scale = Scale {
        institutions: args.institutions.unwrap_or(Scale::NATIONAL.institutions),
        starters: args.starters.unwrap_or(Scale::NATIONAL.starters),
    };
    let bar = indicatif::ProgressBar::new(scale.starters as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} starters · {msg}")
            .context("progress bar template")?
            .progress_chars("=> "),
    );
    let report = national::load(db, clock.now(), scale, args.seed, |p| {
        bar.set_position(p.starters_done as u64);
        bar.set_message(format!("{} rows · {}", p.rows, p.institution));
    })
    .await
    .context("cannot load the national dataset")?;
    bar.finish_and_clear();
    apply_retention_periods(db, clock).await?;
    println!(
        "National dataset (seed {}) loaded in {:.0?}: {} institutions, {} teams, {} people, {} starters \
         ({} left, {} completed; the largest institution has {} employments in their induction years), \
         {} mentors, {} pairings, {} conversations, {} check-ins, {} alerts; {} rows.",
        args.seed,
        started.elapsed(),
        report.institutions,
        report.teams,
        report.people,
        report.starters,
        report.leavers,
        report.completed,
        report.largest_in_induction_years,
        report.mentors,
        report.pairings,
        report.conversations,
        report.checkins,
        report.alerts,
        report.rows
    );
    let text = logins_text(&report.logins);
    if let Some(path) = &args.logins {
        std::fs::write(path, &text).with_context(|| format!("cannot write {}", path.display()))?;
        println!(
            "{} logins written to {}. A few of them:",
            report.logins.len(),
            path.display()
        );
    } else {
        println!(
            "A few of the {} logins (--logins FILE writes them all):",
            report.logins.len()
        );
    }
    let mut shown = Vec::new();
    for role in ["admin", "coordinator", "team_leader", "mentor", "starter"] {
        shown.extend(report.logins.iter().filter(|l| l.role.code() == role).take(2).cloned());
    }
    print_logins(&shown);
    Ok(())
}

async fn admin_link(db: &Db, clock: &dyn Clock, args: &AdminLink) -> anyhow::Result<()> {
    use houvast::store::tokens::TokenPurpose;
    match houvast::service::auth::operator_link(db, clock.now(), &args.email).await {
        Ok((purpose, token)) => {
            let page = match purpose {
                TokenPurpose::Activation => "activate",
                TokenPurpose::PasswordReset => "reset",
            };
            println!("{}/{page}?token={token}", args.public_url.trim_end_matches('/'));
            eprintln!("Valid for 7 days, once. Give it to the person only; they will be told it was made.");
            Ok(())
        }
        Err(ServiceError::NotFound) => bail!("no account with that e-mail address"),
        Err(ServiceError::Invalid(errors)) => {
            let problems: Vec<String> = errors.iter().map(|e| format!("{}: {:?}", e.field, e.problem)).collect();
            bail!("no link: {}", problems.join("; "))
        }
        Err(other) => Err(other).context("cannot issue the link"),
    }
}

async fn create_admin(db: &Db, clock: &dyn Clock, args: &AdminCreate) -> anyhow::Result<()> {
    let password = match std::env::var("HOUVAST_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            if std::io::stdin().is_terminal() {
                eprintln!("Password (12–128 characters), then Enter and Ctrl-D:");
            }
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .context("cannot read the password from standard input")?;
            input.trim_end_matches(['\n', '\r']).to_owned()
        }
    };
    match houvast::service::auth::create_admin(db, clock.now(), &args.name, &args.email, &password).await {
        Ok(person) => {
            println!(
                "Administrator {} created (person {person}). Log in at /login.",
                args.email.trim().to_lowercase()
            );
            Ok(())
        }
        Err(ServiceError::Invalid(errors)) => {
            let problems: Vec<String> = errors.iter().map(|e| format!("{}: {:?}", e.field, e.problem)).collect();
            bail!("not created: {}", problems.join("; "))
        }
        Err(other) => Err(other).context("cannot create the administrator"),
    }
}

async fn run_serve(db: Db, clock: Arc<dyn Clock>, options: ServeOptions) -> anyhow::Result<()> {
    if options.demo_if_empty && houvast::demo::is_empty(&db).await? {
        load_demo(&db, clock.as_ref()).await?;
    } else if let Some(logins) = houvast::demo::present_logins(&db).await? {
        print_logins(&logins);
    }
    let listener = TcpListener::bind(options.addr)
        .await
        .with_context(|| format!("cannot listen on {}", options.addr))?;
    let addr = listener.local_addr()?;
    let http = HttpSettings::from_options(&options, addr);
    if !http.site_root.join("pkg").is_dir() {
        tracing::warn!(site_root = %http.site_root.display(), "no compiled browser files found: pages render, but stay without JavaScript");
    }
    let session_policy = SessionPolicy {
        idle: chrono::Duration::minutes(options.session_idle_minutes.max(1) as i64),
        absolute: chrono::Duration::hours(options.session_max_hours.max(1) as i64),
        ..SessionPolicy::default()
    };
    let mailer = match options.smtp_url.as_deref().filter(|url| !url.trim().is_empty()) {
        Some(url) => Some(crate::notify::smtp_mailer(url, &options.mail_from)?),
        None => None,
    };
    if mailer.is_none() {
        tracing::info!("e-mail is off (no HOUVAST_SMTP_URL): notifications stay in the app");
    }
    crate::notify::spawn(
        db.clone(),
        clock.clone(),
        mailer.clone(),
        http.public_url.clone(),
        std::time::Duration::from_secs(
            options
                .notify_every_seconds
                .unwrap_or(options.notify_every_minutes * 60)
                .max(1),
        ),
    );
    let context = AppContext {
        db: db.clone(),
        clock,
        login_policy: LoginPolicy::default(),
        session_policy,
        public_url: http.public_url.clone(),
        trust_forwarded_for: options.trust_forwarded_for,
        email_enabled: mailer.is_some(),
        mail: mailer
            .clone()
            .map(|m| Arc::new(m) as Arc<dyn houvast_app::ssr::mail::SendMail>),
        secret_key: crate::school_login::secret_key_from_env(options.secret_key.as_deref())?,
        benchmarks: Default::default(),
    };
    let state = AppState::new(context, http, addr);
    let public_url = state.http.public_url.clone();
    let app = router::build(state).await.context("cannot set up sessions")?;
    spawn_session_cleanup(&db).await?;
    println!("Houvast is running at {public_url}  (stop with Ctrl-C)");
    tracing::info!(%addr, "listening");
    serve(listener, app, shutdown_signal()).await.context("server failed")?;
    Ok(())
}

/// Delete expired sessions every ten minutes.
async fn spawn_session_cleanup(db: &Db) -> anyhow::Result<()> {
    let sessions = Sessions::for_db(db).await?;
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(err) = sessions.delete_expired().await {
                tracing::warn!(error = %err, "could not delete expired sessions");
            }
        }
    });
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
