//! One pooled connection for all the reads of one piece of work.
//!
//! Each statement sent through the pool takes a connection and gives it
//! back, and sqlx pings a connection when it comes back: a second round
//! trip per statement, to the SQLite connection's thread or to the
//! PostgreSQL server. A page about one person sends a dozen statements.
//! Inside [`Db::on_one_connection`] the first statement takes a
//! connection and keeps it for the next ones, until the work is done.
//!
//! A connection is never kept while waiting for another: a write
//! transaction gives the kept connection back before it starts (so
//! requests that each keep one cannot wait on each other for the pool),
//! and a statement that fails drops it (a later one takes a fresh one).
//! Work that waits for other work which may need a connection (a read
//! record's group writer, the one computing a shared value) calls
//! [`release`] first: with every pooled connection kept by waiters, the
//! awaited work could otherwise never start.

use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::{Postgres, Sqlite};

use super::{Db, StoreError};

/// A connection taken from one of the two pools.
pub enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// The connection kept for the work in scope, and the pool it belongs to.
struct Slot {
    pool: usize,
    conn: Option<Conn>,
}

tokio::task_local! {
    static KEPT: RefCell<Slot>;
}

impl Db {
    /// Run `work` with its statements on `self` sharing one connection.
    /// Inside work that already shares one, this adds nothing.
    pub async fn on_one_connection<F: Future>(&self, work: F) -> F::Output {
        if KEPT.try_with(|_| ()).is_ok() {
            return work.await;
        }
        let slot = Slot {
            pool: self.identity(),
            conn: None,
        };
        KEPT.scope(RefCell::new(slot), work).await
    }

    /// Which pool this is: each pool holds its own copy of its options.
    fn identity(&self) -> usize {
        match self {
            Db::Sqlite(pool) => Arc::as_ptr(&pool.connect_options()) as usize,
            Db::Postgres(pool) => Arc::as_ptr(&pool.connect_options()) as usize,
        }
    }
}

/// A connection for one statement: the one kept for this work, or one
/// from the pool.
pub async fn take(db: &Db) -> Result<Conn, StoreError> {
    Ok(match (take_kept(db), db) {
        (Some(conn), _) => conn,
        (None, Db::Sqlite(pool)) => Conn::Sqlite(pool.acquire().await?),
        (None, Db::Postgres(pool)) => Conn::Postgres(pool.acquire().await?),
    })
}

/// After a statement: keep the connection for the next one when the work
/// shares one, otherwise it goes back to the pool.
pub fn give_back(db: &Db, conn: Conn) {
    let pool = db.identity();
    let mut conn = Some(conn);
    let _ = KEPT.try_with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.pool == pool && slot.conn.is_none() {
            slot.conn = conn.take();
        }
    });
}

/// Give the kept connection back to the pool (before a write transaction
/// takes one of its own).
pub fn release(db: &Db) {
    drop(take_kept(db));
}

/// The connection kept for `db` by the work in scope, if any.
fn take_kept(db: &Db) -> Option<Conn> {
    let pool = db.identity();
    KEPT.try_with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.pool == pool { slot.conn.take() } else { None }
    })
    .ok()
    .flatten()
}

/// Whether a connection is kept for the work in scope (for tests).
#[cfg(test)]
fn is_kept(db: &Db) -> bool {
    let pool = db.identity();
    KEPT.try_with(|slot| {
        let slot = slot.borrow();
        slot.pool == pool && slot.conn.is_some()
    })
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::store::{DbConfig, on_db};

    /// A temporary table lives in one connection only.
    async fn temp_table_rows(db: &Db) -> Result<i64, StoreError> {
        Ok(on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM kept_here").fetch_one(pool).await?))
    }

    async fn make_temp_table(db: &Db) -> Result<(), StoreError> {
        on_db!(db, pool => {
            sqlx::query("CREATE TEMPORARY TABLE kept_here (x INTEGER)").execute(pool).await?;
        });
        Ok(())
    }

    crate::db_test!(async fn the_statements_of_one_piece_of_work_share_a_connection(db) {
        let kept = db
            .on_one_connection(async {
                assert!(!is_kept(db), "nothing is taken before the first statement");
                make_temp_table(db).await.unwrap();
                assert!(is_kept(db));
                // The next statement runs where the temporary table is.
                let rows = temp_table_rows(db).await.unwrap();
                // A write transaction takes its own connection and the kept
                // one goes back first.
                let tx = db.begin_write().await.unwrap();
                let after_write = is_kept(db);
                tx.commit().await.unwrap();
                (rows, after_write)
            })
            .await;
        assert_eq!(kept, (0, false));
        // Outside the work nothing is kept.
        make_temp_table(db).await.unwrap_or_default();
        assert!(!is_kept(db));
    });

    /// A SQLite database with one pooled connection, which gives up waiting
    /// for it after two seconds.
    async fn pool_of_one(dir: &tempfile::TempDir) -> Db {
        let mut config = DbConfig::new(format!("sqlite://{}/houvast.db", dir.path().display()));
        config.max_connections = 1;
        config.busy_timeout = Duration::from_secs(2);
        Db::connect(&config).await.unwrap()
    }

    /// With every pooled connection kept by work that then writes, nothing
    /// waits forever: the kept connection goes back and the write runs on
    /// the writer connection.
    #[tokio::test]
    async fn a_write_never_waits_for_the_connection_its_own_work_keeps() {
        let dir = tempfile::tempdir().unwrap();
        let db = pool_of_one(&dir).await;
        db.on_one_connection(async {
            make_temp_table(&db).await.unwrap();
            assert!(is_kept(&db));
            let tx = db
                .begin_write()
                .await
                .expect("the only connection was given back for the write");
            tx.commit().await.unwrap();
            // A read after the write takes the connection again.
            assert_eq!(temp_table_rows(&db).await.unwrap(), 0);
            assert!(is_kept(&db));
        })
        .await;
        db.close().await;
    }

    /// A read record is written by a group writer on the writer
    /// connection; the work that waits for it keeps none meanwhile.
    #[tokio::test]
    async fn a_read_record_never_waits_for_the_connection_its_own_work_keeps() {
        let dir = tempfile::tempdir().unwrap();
        let db = pool_of_one(&dir).await;
        db.migrate().await.unwrap();
        let event = crate::domain::AuditEventForCreate {
            occurred_at: chrono::Utc::now(),
            actor: None,
            institution: None,
            subject: None,
            action: crate::domain::AuditAction::PersonCreated,
            details: serde_json::json!({}),
        };
        db.on_one_connection(async {
            make_temp_table(&db).await.unwrap();
            crate::store::audit::append_read(&db, &event)
                .await
                .expect("written while the work waited");
        })
        .await;
        db.close().await;
    }

    /// Another database's statements never run on the kept connection.
    #[tokio::test]
    async fn work_on_one_database_keeps_nothing_for_another() {
        let one = crate::testing::TestDb::sqlite().await;
        let other = crate::testing::TestDb::sqlite().await;
        one.db
            .on_one_connection(async {
                make_temp_table(&one.db).await.unwrap();
                assert!(temp_table_rows(&other.db).await.is_err());
                assert_eq!(temp_table_rows(&one.db).await.unwrap(), 0);
            })
            .await;
        one.finish().await;
        other.finish().await;
    }
}
