//! SQLite's writers wait their turn in this process instead of in SQLite.
//!
//! SQLite lets one transaction write at a time. A second `BEGIN IMMEDIATE`
//! meets a busy database and SQLite's busy handler sleeps and polls (1, 2,
//! 5, 10 … 100 ms) while it holds a pooled connection, so under load
//! writers slept on the lock and the readers queued for the connections
//! they held. Here every write transaction of a database file first takes
//! that file's gate, a fair asynchronous lock, without holding a
//! connection; SQLite's busy handler remains for writers of other
//! processes (a second node, the command line).
//!
//! The records that someone read content (page views) are written in groups:
//! each view queues its row and waits for its turn at the gate; whoever gets
//! the gate writes every row queued by then in one transaction, and each
//! view learns when its own row is committed. Under load one commit carries
//! many views; alone a view costs what it did.

use sqlx::SqlitePool;
use sqlx::sqlite::SqlitePoolOptions;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use tokio::sync::{OwnedMutexGuard, oneshot};

use super::StoreError;
use crate::domain::AuditEventForCreate;

/// The gate of one database file, and the read records waiting for it.
#[derive(Default)]
pub(super) struct WriteGate {
    turn: Arc<tokio::sync::Mutex<()>>,
    queued: Mutex<Vec<Queued>>,
    /// Groups of read records committed so far.
    groups: AtomicU64,
    /// The one connection that write transactions and groups of read
    /// records use: only the holder of the turn writes, and it never queues
    /// behind the pages waiting for a pooled connection.
    writer: Mutex<Option<SqlitePool>>,
}

/// A read record and who waits for it to be committed.
pub(super) struct Queued {
    pub event: AuditEventForCreate,
    pub done: oneshot::Sender<Result<(), String>>,
}

/// Holding it is this process's turn to write the file.
pub struct Turn(#[allow(dead_code)] OwnedMutexGuard<()>);

static GATES: LazyLock<Mutex<HashMap<PathBuf, Arc<WriteGate>>>> = LazyLock::new(Default::default);

/// The gate of the database file of `pool` (one per file and process).
pub(super) fn of(pool: &SqlitePool) -> Arc<WriteGate> {
    let options = pool.connect_options();
    let path: &Path = options.get_filename();
    let mut gates = GATES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(gate) = gates.get(path) {
        return gate.clone();
    }
    gates.entry(path.to_path_buf()).or_default().clone()
}

/// Close the writer connection of `pool`'s file (it opens again if needed).
pub(super) async fn close(pool: &SqlitePool) {
    let writer = of(pool)
        .writer
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .take();
    if let Some(writer) = writer {
        writer.close().await;
    }
}

impl WriteGate {
    /// The writer connection's pool, opened with `pool`'s settings.
    pub(super) fn writer(&self, pool: &SqlitePool) -> SqlitePool {
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get_or_insert_with(|| {
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(pool.options().get_acquire_timeout())
                    .test_before_acquire(false)
                    .connect_lazy_with((*pool.connect_options()).clone())
            })
            .clone()
    }

    /// Wait for this process's turn to write, at most as long as a query of
    /// `pool` waits for a connection: a task that already holds a write
    /// transaction and asks for a second one gets an error, not a hang.
    pub(super) async fn turn(&self, pool: &SqlitePool) -> Result<Turn, StoreError> {
        let patience = pool.options().get_acquire_timeout();
        match tokio::time::timeout(patience, self.turn.clone().lock_owned()).await {
            Ok(guard) => Ok(Turn(guard)),
            // What waiting too long for a pooled connection gives, too.
            Err(_) => Err(StoreError::Database(sqlx::Error::PoolTimedOut)),
        }
    }

    /// Queue a read record; the receiver says when it is committed.
    pub(super) fn queue(&self, event: AuditEventForCreate) -> oneshot::Receiver<Result<(), String>> {
        let (done, committed) = oneshot::channel();
        self.queued
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(Queued { event, done });
        committed
    }

    /// Every read record queued so far (for the holder of the turn to write).
    pub(super) fn take_queued(&self) -> Vec<Queued> {
        std::mem::take(&mut *self.queued.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// Read records waiting for a writer.
    #[cfg(test)]
    pub(super) fn queued_len(&self) -> usize {
        self.queued
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .len()
    }

    /// Count one group of read records committed.
    pub(super) fn group_written(&self) {
        self.groups.fetch_add(1, Ordering::Relaxed);
    }

    /// Groups of read records committed so far.
    #[cfg(test)]
    pub(super) fn groups_written(&self) -> u64 {
        self.groups.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use crate::store::{Db, DbConfig};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_second_write_transaction_in_the_same_task_fails_instead_of_hanging() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = DbConfig::new(format!("sqlite://{}/houvast.db", dir.path().display()));
        config.busy_timeout = Duration::from_millis(300);
        let db = Db::connect(&config).await.unwrap();
        db.migrate().await.unwrap();
        let first = db.begin_write().await.unwrap();
        let second = tokio::time::timeout(Duration::from_secs(5), db.begin_write()).await;
        assert!(
            matches!(second, Ok(Err(StoreError::Database(sqlx::Error::PoolTimedOut)))),
            "the second waited its patience and then failed"
        );
        first.commit().await.unwrap();
        // The turn came back with the commit.
        db.begin_write().await.unwrap().commit().await.unwrap();
    }
}
