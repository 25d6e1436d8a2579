//! The few places where SQLite and PostgreSQL differ, each named here so the
//! queries elsewhere stay identical on both backends.

use super::{Db, Tx};
use crate::domain::InstitutionId;

/// Row locking for a read whose rows the same transaction is about to
/// change: `FOR UPDATE` on PostgreSQL, so a concurrent change of the same
/// row waits and then sees the committed state. SQLite needs nothing: its
/// write transactions (`BEGIN IMMEDIATE`) hold the database's single write
/// lock from their start.
pub fn for_update(tx: &Tx) -> &'static str {
    match tx {
        Tx::Sqlite(..) => "",
        Tx::Postgres(_) => " FOR UPDATE",
    }
}

/// The collation that orders text byte by byte, as Rust orders `String`s:
/// SQLite's default; PostgreSQL's default follows the database's locale.
pub fn bytewise(db: &Db) -> &'static str {
    match db {
        Db::Sqlite(_) => "",
        Db::Postgres(_) => " COLLATE \"C\"",
    }
}

/// The condition that keeps the rows of the institution bound as `$1`, or
/// of every institution when `$1` is NULL. Written per case: `$1 IS NULL OR
/// column = $1` would make both backends read every institution's rows.
pub fn institution_or_all(column: &str, institution: Option<InstitutionId>) -> String {
    match institution {
        Some(_) => format!("{column} = $1"),
        None => "CAST($1 AS BIGINT) IS NULL".to_owned(),
    }
}

/// `count` numbered placeholders from `$first` on, for an `IN (...)` list
/// (the same syntax on both backends).
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name of the unique constraint a failed write violated, in
/// PostgreSQL's default naming (`table_col1_col2_key`) on both backends.
///
/// PostgreSQL reports the constraint (or unique index) name directly. SQLite
/// only says `UNIQUE constraint failed: table.col1, table.col2`, or names the
/// index for expression indexes (`index 'name'`); both are mapped to the same
/// name the PostgreSQL migration uses.
pub fn unique_violation(err: &sqlx::Error) -> Option<String> {
    let db_err = err.as_database_error()?;
    if db_err.kind() != sqlx::error::ErrorKind::UniqueViolation {
        return None;
    }
    if let Some(name) = db_err.constraint() {
        return Some(name.to_owned());
    }
    sqlite_constraint_name(db_err.message())
}

fn sqlite_constraint_name(message: &str) -> Option<String> {
    let detail = message.strip_prefix("UNIQUE constraint failed: ")?;
    if let Some(index) = detail.strip_prefix("index '") {
        return index.strip_suffix('\'').map(str::to_owned);
    }
    let mut table = None;
    let mut columns = Vec::new();
    for qualified in detail.split(", ") {
        let (t, column) = qualified.split_once('.')?;
        table.get_or_insert(t);
        columns.push(column);
    }
    Some(format!("{}_{}_key", table?, columns.join("_")))
}

#[cfg(test)]
mod tests {
    use super::sqlite_constraint_name;

    #[test]
    fn sqlite_messages_map_to_postgres_constraint_names() {
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: institutions.brin_code").as_deref(),
            Some("institutions_brin_code_key")
        );
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: teams.institution_id, teams.name").as_deref(),
            Some("teams_institution_id_name_key")
        );
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: index 'people_email_key'").as_deref(),
            Some("people_email_key")
        );
        assert_eq!(sqlite_constraint_name("NOT NULL constraint failed: teams.name"), None);
    }
}
