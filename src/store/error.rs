//! Errors of the storage layer. Constraint violations are named so services
//! can turn them into field errors; everything else is opaque to the user and
//! logged in full by the caller.

use super::dialect;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No row with that id (or not within the caller's institution).
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write; the name is the PostgreSQL-style
    /// constraint name (`table_col_key`) on both backends.
    #[error("unique constraint {0} violated")]
    Conflict(String),
    /// A stored value no longer parses into its domain type.
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
    #[error("database URL must start with sqlite: or postgres://")]
    UnsupportedUrl,
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("file system: {0}")]
    Io(#[source] std::io::Error),
    #[error("database: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            err => match dialect::unique_violation(&err) {
                Some(name) => StoreError::Conflict(name),
                None => StoreError::Database(err),
            },
        }
    }
}

impl StoreError {
    /// True when the write was refused by the named unique constraint.
    pub fn is_conflict_on(&self, constraint: &str) -> bool {
        matches!(self, StoreError::Conflict(name) if name == constraint)
    }
}
