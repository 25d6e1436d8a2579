//! A consistent copy of a live SQLite database (`houvast backup FILE`).
//!
//! `VACUUM INTO` copies the database as one read transaction sees it, so
//! the server keeps serving and writing meanwhile (WAL mode) and the copy
//! holds every transaction committed before it started and none after. The
//! copy is written beside the target under a temporary name, checked with
//! `PRAGMA integrity_check`, and only then renamed into place: a failed or
//! interrupted backup never leaves a file that looks like a backup.
//! PostgreSQL is backed up with its own tools (`pg_dump`); see the README.

use std::path::{Path, PathBuf};

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use super::{Db, StoreError};

/// Why a backup was not made.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists: a backup never overwrites a file, choose a new name")]
    Exists(PathBuf),
    #[error(
        "houvast backup copies SQLite databases; back up PostgreSQL with pg_dump (pg_dump --format=custom --file FILE DATABASE_URL)"
    )]
    Postgres,
    #[error("the copy failed its integrity check: {0}")]
    Damaged(String),
    #[error("cannot write the backup: {0}")]
    Io(#[source] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BackupError {
    fn from(err: sqlx::Error) -> Self {
        BackupError::Store(err.into())
    }
}

impl Db {
    /// Copy the database to `target` while it is in use; returns the size
    /// of the copy in bytes.
    pub async fn backup(&self, target: &Path) -> Result<u64, BackupError> {
        let Db::Sqlite(pool) = self else {
            return Err(BackupError::Postgres);
        };
        if target.exists() {
            return Err(BackupError::Exists(target.to_owned()));
        }
        let mut partial = target.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        match std::fs::remove_file(&partial) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(BackupError::Io(err)),
        }
        super::statements::note();
        let written = sqlx::query("VACUUM INTO $1")
            .bind(partial.to_string_lossy().into_owned())
            .execute(pool)
            .await;
        let checked = match written {
            Ok(_) => check(&partial).await,
            Err(err) => Err(err.into()),
        };
        if let Err(err) = checked {
            let _ = std::fs::remove_file(&partial);
            return Err(err);
        }
        std::fs::rename(&partial, target).map_err(BackupError::Io)?;
        std::fs::metadata(target).map(|m| m.len()).map_err(BackupError::Io)
    }
}

/// `PRAGMA integrity_check` on a closed database file.
async fn check(file: &Path) -> Result<(), BackupError> {
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let result: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    if result == "ok" {
        Ok(())
    } else {
        Err(BackupError::Damaged(result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Sector;
    use crate::store::{DbConfig, teams};
    use crate::testing::{at, team, two_institutions};

    async fn add_team(db: &Db, institution: crate::domain::InstitutionId, i: usize) {
        let mut tx = db.begin_write().await.unwrap();
        teams::create(
            &mut tx,
            institution,
            &team(&format!("Team {i}"), Sector::Economy),
            at(2026, 9, 1),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }

    crate::db_test!(async fn a_backup_taken_during_writes_restores_to_a_consistent_database(db) {
        let f = two_institutions(db).await;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("backup.db");
        if matches!(db, Db::Postgres(_)) {
            assert!(matches!(db.backup(&target).await, Err(BackupError::Postgres)));
            return;
        }
        for i in 0..20 {
            add_team(db, f.a, i).await;
        }
        // A writer keeps adding teams while the backup runs.
        let writer = {
            let db = db.clone();
            tokio::spawn(async move {
                for i in 20..220 {
                    add_team(&db, f.a, i).await;
                }
            })
        };
        tokio::task::yield_now().await;
        let bytes = db.backup(&target).await.unwrap();
        writer.await.unwrap();
        assert!(bytes > 0 && target.exists());
        assert!(!dir.path().join("backup.db.partial").exists());

        // Restore: the copy opens as a database of its own, fully migrated,
        // and holds a prefix of the writes — never a team half-written.
        let restored = Db::connect(&DbConfig::new(format!("sqlite://{}", target.display()))).await.unwrap();
        restored.migrate().await.unwrap();
        let names: Vec<String> = teams::list(&restored, f.a).await.unwrap().into_iter().map(|t| t.name.to_string()).collect();
        let total = teams::list(db, f.a).await.unwrap().len();
        assert!(names.len() >= 22 && names.len() <= total, "{} of {total}", names.len());
        let mut numbers: Vec<usize> = names.iter().filter_map(|n| n.strip_prefix("Team ")?.parse().ok()).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (0..numbers.len()).collect::<Vec<_>>(), "the writes up to some moment, in order");
        assert_eq!(teams::list(&restored, f.b).await.unwrap().len(), 1);
        restored.close().await;

        // Never over an existing file.
        assert!(matches!(db.backup(&target).await, Err(BackupError::Exists(_))));
    });
}
