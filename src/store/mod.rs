//! The store: every SQL statement Houvast runs, for SQLite and PostgreSQL
//! from the same Rust code.
//!
//! `Db` holds one of the two pools; the `on_db!`/`on_tx!` macros expand a body
//! once per backend, so each query is written once, with `$1` placeholders.
//! The compiler checks that every bound value and every decoded column type
//! is supported by both drivers; the SQL text itself is checked only by
//! running it, which the test suite does on both databases. Where the
//! dialects differ the difference is isolated in a named helper in
//! [`dialect`].
//!
//! A read that must see the writes of the transaction it belongs to (or
//! lock the rows it is about to change, `..._for_update`) takes the `Tx`;
//! every other read takes the pool. There are no twins of one read.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod bulk;
pub mod checkins;
pub mod dialect;
pub mod erasure;
mod error;
pub mod evaluations;
pub mod held;
pub mod institutions;
pub mod memberships;
pub mod mentoring;
pub mod notifications;
pub mod people;
pub mod retention;
pub mod risk;
pub mod school_login;
pub mod signals;
pub mod statements;
pub mod teams;
pub mod throttle;
pub mod tokens;
pub mod trajectories;
pub mod uploads;
mod write_gate;

#[cfg(test)]
mod query_plans;

pub use error::StoreError;

/// Run `$body` with `$pool` bound to a connection of the backend (`&mut`
/// to it is the executor): the one kept for the work in scope (see
/// [`held`]), or one from the pool. A failing `$body` drops it.
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {{
        $crate::store::statements::note();
        let db: &$crate::store::Db = $db;
        let mut conn = $crate::store::held::take(db).await?;
        let value = match &mut conn {
            $crate::store::held::Conn::Sqlite(conn) => {
                let $pool = &mut **conn;
                $body
            }
            $crate::store::held::Conn::Postgres(conn) => {
                let $pool = &mut **conn;
                $body
            }
        };
        $crate::store::held::give_back(db, conn);
        value
    }};
}

/// Run `$body` with `$conn` bound to the transaction's connection
/// (`&mut *$conn` is the executor).
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {{
        $crate::store::statements::note();
        match $tx {
            $crate::store::Tx::Sqlite($conn, _) => $body,
            $crate::store::Tx::Postgres($conn) => $body,
        }
    }};
}

pub(crate) use {on_db, on_tx};

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a database URL names, if it names one Houvast supports.
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DbConfig {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub url: String,
    /// Upper bound of pooled connections.
    pub max_connections: u32,
    /// How long a query waits for a locked SQLite database, or for a free pool slot.
    pub busy_timeout: Duration,
}

impl DbConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 8,
            busy_timeout: Duration::from_secs(10),
        }
    }
}

/// How long a PostgreSQL connection may sit idle in the pool before it is
/// pinged on its next use.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(10);

/// Connections of the pool: open, of which idle, and the most allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    pub open: u32,
    pub idle: usize,
    pub max: u32,
}

/// A connection pool to SQLite or PostgreSQL.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A write transaction. On SQLite it starts with `BEGIN IMMEDIATE`, so a
/// read-then-write never fails with "database is locked" half-way.
pub enum Tx {
    /// The transaction, and this process's turn to write the file (see
    /// [`write_gate`]), given back after the commit or rollback.
    Sqlite(Transaction<'static, Sqlite>, write_gate::Turn),
    Postgres(Transaction<'static, Postgres>),
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Db {
    /// Open a pool for the URL in `config`. A SQLite file (and its folder) is
    /// created when missing and configured per the reliability rules: WAL,
    /// `synchronous=FULL`, a busy timeout and enforced foreign keys.
    pub async fn connect(config: &DbConfig) -> Result<Self, StoreError> {
        match Backend::from_url(&config.url) {
            Some(Backend::Sqlite) => {
                let options = SqliteConnectOptions::from_str(&config.url)?;
                ensure_parent_dir(options.get_filename())?;
                let options = sqlite_options(options, config.busy_timeout);
                // The file is in this process: a pooled connection cannot
                // have been lost while idle, so it is not pinged before each
                // use (a round trip to its thread per statement).
                let pool = SqlitePoolOptions::new()
                    .max_connections(config.max_connections.max(1))
                    .acquire_timeout(config.busy_timeout)
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await?;
                Ok(Db::Sqlite(pool))
            }
            Some(Backend::Postgres) => {
                let options = PgConnectOptions::from_str(&config.url)?;
                Self::connect_postgres(options, config).await
            }
            None => Err(StoreError::UnsupportedUrl),
        }
    }

    /// Open a PostgreSQL pool from explicit options (tests use this to pin a schema).
    pub async fn connect_postgres(options: PgConnectOptions, config: &DbConfig) -> Result<Self, StoreError> {
        // A connection is pinged before use only when it sat idle for a
        // while (the server may have closed it meanwhile); under load every
        // statement would otherwise pay a second round trip. sqlx still
        // pings each connection when it goes back to the pool.
        let pool = PgPoolOptions::new()
            .max_connections(config.max_connections.max(1))
            .acquire_timeout(config.busy_timeout)
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= IDLE_BEFORE_PING {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db::Postgres(pool))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Apply the backend's migrations that have not run yet. Safe to call
    /// from several nodes at once: sqlx takes a database lock.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        people::fill_name_keys(self).await?;
        Ok(())
    }

    /// A round trip to the database (readiness probe).
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_db!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Keep the query planner's statistics current, so a query about one
    /// person uses that person's index whatever the tables' sizes. SQLite:
    /// `PRAGMA optimize` (a bounded ANALYZE of the tables that changed much,
    /// checking every table); at start and with each run of the periodic job.
    /// PostgreSQL's autovacuum does this by itself.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        if let Db::Sqlite(pool) = self {
            statements::note();
            let mut conn = pool.acquire().await?;
            sqlx::query("PRAGMA analysis_limit = 1000").execute(&mut *conn).await?;
            sqlx::query("PRAGMA optimize = 0x10002").execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Full planner statistics of every table (after a bulk load); on
    /// PostgreSQL also the visibility map, so index-only scans work at once.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        statements::note();
        match self {
            Db::Sqlite(pool) => sqlx::query("ANALYZE").execute(pool).await.map(|_| ())?,
            Db::Postgres(pool) => sqlx::query("VACUUM ANALYZE").execute(pool).await.map(|_| ())?,
        }
        Ok(())
    }

    /// How the connection pool is used right now (for monitoring).
    pub fn pool_use(&self) -> PoolUse {
        let (open, idle, max) = match self {
            Db::Sqlite(pool) => (pool.size(), pool.num_idle(), pool.options().get_max_connections()),
            Db::Postgres(pool) => (pool.size(), pool.num_idle(), pool.options().get_max_connections()),
        };
        PoolUse { open, idle, max }
    }

    /// Start a write transaction (`BEGIN IMMEDIATE` on SQLite).
    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        held::release(self);
        Ok(match self {
            Db::Sqlite(pool) => {
                let gate = write_gate::of(pool);
                let turn = gate.turn(pool).await?;
                Tx::Sqlite(gate.writer(pool).begin_with("BEGIN IMMEDIATE").await?, turn)
            }
            Db::Postgres(pool) => {
                // sqlx 0.8 counts a PostgreSQL transaction only once the
                // answer to its `BEGIN` is read. A request dropped in between
                // (the browser went away, a read record's view ended) gave
                // the connection back to the pool inside a transaction that
                // nothing would end: the next borrowers' statements ran in
                // it, holding their locks, and their writes were never
                // committed (sqlx issue 4393). The `BEGIN` round trip runs in
                // a task of its own, which a dropped caller cannot stop; a
                // transaction begun for nobody is dropped there and rolls back.
                let pool = pool.clone();
                match tokio::spawn(async move { pool.begin().await }).await {
                    Ok(tx) => Tx::Postgres(tx?),
                    Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
                    // The runtime is shutting down.
                    Err(_) => return Err(StoreError::Database(sqlx::Error::PoolClosed)),
                }
            }
        })
    }

    /// PostgreSQL's current schema (where the migrations put the tables);
    /// `None` on SQLite.
    pub async fn current_schema(&self) -> Result<Option<String>, StoreError> {
        match self {
            Db::Sqlite(_) => Ok(None),
            Db::Postgres(pool) => Ok(Some(
                sqlx::query_scalar("SELECT current_schema()").fetch_one(pool).await?,
            )),
        }
    }

    /// Close every pooled connection (waits for connections in use).
    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => {
                write_gate::close(pool).await;
                pool.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        // On SQLite the turn is given back once the commit is done.
        on_tx!(self, tx => tx.commit().await?);
        Ok(())
    }
}

/// Apply the SQLite settings that the reliability requirements (RL1) ask for.
pub fn sqlite_options(options: SqliteConnectOptions, busy_timeout: Duration) -> SqliteConnectOptions {
    options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(busy_timeout.max(Duration::from_secs(5)))
        .foreign_keys(true)
        .row_buffer_size(SQLITE_ROW_BUFFER)
}

/// How many rows a SQLite connection's thread may hand over before the
/// request's task has taken them. sqlx's default, 50, makes the thread
/// stop and wait for the task every 50 rows of a long list: under 200
/// clients on the national dataset that doubled the thread switches per
/// view. `fetch_all` keeps every row anyway, so a larger buffer costs no
/// memory there.
const SQLITE_ROW_BUFFER: usize = 4096;

fn ensure_parent_dir(file: &Path) -> Result<(), StoreError> {
    let is_memory = file.as_os_str().is_empty() || file.to_string_lossy().starts_with(":memory:");
    if let Some(parent) = file.parent().filter(|p| !is_memory && !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(StoreError::Io)?;
    }
    Ok(())
}

#[cfg(test)]
mod sqlite_settings_tests {
    use super::*;

    #[tokio::test]
    async fn a_sqlite_connection_reads_back_the_reliability_settings() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&DbConfig::new(format!("sqlite://{}/houvast.db", dir.path().display())))
            .await
            .unwrap();
        let Db::Sqlite(pool) = &db else {
            unreachable!("a SQLite URL")
        };
        let mut conn = pool.acquire().await.unwrap();
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let mut numbers = Vec::new();
        for name in ["synchronous", "busy_timeout", "foreign_keys"] {
            let value: i64 = sqlx::query_scalar(&format!("PRAGMA {name}"))
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            numbers.push(value);
        }
        // WAL, synchronous=FULL (2), a busy timeout of at least 5 s, foreign keys on (RL1).
        assert_eq!(
            (journal.as_str(), numbers.as_slice()),
            ("wal", [2, 10_000, 1].as_slice())
        );
        drop(conn);
        db.close().await;
    }
}

#[cfg(test)]
mod postgres_transaction_tests {
    use std::future::Future;
    use std::pin::pin;
    use std::str::FromStr;
    use std::task::{Context, Waker};

    use sqlx::postgres::PgConnectOptions;

    use super::{Db, DbConfig};

    /// A write transaction whose caller goes away after sending `BEGIN`
    /// and before reading its answer leaves no transaction open: the
    /// connection's next statement is the first of its own transaction.
    #[tokio::test]
    async fn a_transaction_dropped_while_beginning_leaves_none_open() {
        let Some(test_db) = crate::testing::TestDb::postgres().await else {
            return;
        };
        let schema = test_db.db.current_schema().await.unwrap().unwrap();
        let url = std::env::var(crate::testing::POSTGRES_URL_VAR).unwrap();
        let options = PgConnectOptions::from_str(&url)
            .unwrap()
            .options([("search_path", schema.as_str())]);
        // One connection, so every statement below runs on the one the
        // dropped transactions used.
        let mut config = DbConfig::new(url);
        config.max_connections = 1;
        let db = Db::connect_postgres(options.clone(), &config).await.unwrap();
        let Db::Postgres(pool) = &db else {
            unreachable!("a PostgreSQL database")
        };
        sqlx::query("CREATE TABLE probe (n INTEGER NOT NULL)")
            .execute(pool)
            .await
            .unwrap();
        let mut other: sqlx::PgConnection = sqlx::Connection::connect_with(&options).await.unwrap();
        let (mut written, mut open) = (0_i64, 0);
        for _ in 0..20 {
            {
                // Polled once: the connection is taken and `BEGIN` sent, and
                // its answer is not read yet. Then the caller goes away.
                let mut beginning = pin!(db.begin_write());
                let _ = beginning.as_mut().poll(&mut Context::from_waker(Waker::noop()));
            }
            // A row written outside any transaction is there for everyone
            // at once, unless the connection sits in one left open.
            sqlx::query("INSERT INTO probe (n) VALUES (1)")
                .execute(pool)
                .await
                .unwrap();
            written += 1;
            let seen: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM probe")
                .fetch_one(&mut other)
                .await
                .unwrap();
            if seen != written {
                open += 1;
                sqlx::query("COMMIT").execute(pool).await.unwrap();
            }
        }
        sqlx::Connection::close(other).await.unwrap();
        db.close().await;
        test_db.finish().await;
        assert_eq!(open, 0, "transactions left open on the pooled connection");
    }
}
