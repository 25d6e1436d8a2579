//! Bulk writes of generated rows (the national demo dataset): multi-row
//! inserts inside the caller's transaction, with ids chosen by the caller
//! so rows can refer to each other before any is written.
//!
//! Only the demo generator uses this; everything a person does goes
//! through the typed functions of the other store modules.

use chrono::{DateTime, NaiveDate, Utc};

use super::{StoreError, Tx, on_tx};

/// One column value, typed so PostgreSQL sees the column's type even for
/// a NULL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Date(Option<NaiveDate>),
    Time(Option<DateTime<Utc>>),
    Bool(bool),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_owned()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::Text(v.map(str::to_owned))
    }
}
impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Self {
        Value::Date(Some(v))
    }
}
impl From<Option<NaiveDate>> for Value {
    fn from(v: Option<NaiveDate>) -> Self {
        Value::Date(v)
    }
}
impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Self {
        Value::Time(Some(v))
    }
}
impl From<Option<DateTime<Utc>>> for Value {
    fn from(v: Option<DateTime<Utc>>) -> Self {
        Value::Time(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

/// Rows for one table, all with the same columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    pub table: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Value>>,
}

impl Rows {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            table,
            columns,
            rows: Vec::new(),
        }
    }

    /// Add a row; its values in the order of `columns`.
    pub fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.table);
        self.rows.push(row);
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Bound parameters per statement, under both engines' limits (SQLite
/// 32,766; PostgreSQL 65,535).
const PARAMETERS_PER_STATEMENT: usize = 30_000;

/// Insert every row, a few thousand per statement.
pub async fn insert(tx: &mut Tx, rows: &Rows) -> Result<(), StoreError> {
    if rows.rows.is_empty() {
        return Ok(());
    }
    let per_statement = (PARAMETERS_PER_STATEMENT / rows.columns.len()).max(1);
    let head = format!("INSERT INTO {} ({}) ", rows.table, rows.columns.join(", "));
    for chunk in rows.rows.chunks(per_statement) {
        on_tx!(tx, conn => {
            let mut insert = sqlx::QueryBuilder::new(&head);
            insert.push_values(chunk, |mut row, values| {
                for value in values {
                    match value {
                        Value::Int(v) => row.push_bind(*v),
                        Value::Text(v) => row.push_bind(v.clone()),
                        Value::Date(v) => row.push_bind(*v),
                        Value::Time(v) => row.push_bind(*v),
                        Value::Bool(v) => row.push_bind(*v),
                    };
                }
            });
            insert.build().execute(&mut **conn).await?;
        });
    }
    Ok(())
}

/// The next free id of a table with an `id` primary key.
pub async fn next_id(tx: &mut Tx, table: &'static str) -> Result<i64, StoreError> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
    Ok(on_tx!(tx, conn => sqlx::query_scalar(&sql).fetch_one(&mut **conn).await?))
}

/// After rows were inserted with their own ids: move PostgreSQL's identity
/// sequence past them (SQLite takes the largest id + 1 by itself).
pub async fn sync_id_sequence(tx: &mut Tx, table: &'static str) -> Result<(), StoreError> {
    if let Tx::Postgres(conn) = tx {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        );
        super::statements::note();
        sqlx::query(&sql).execute(&mut **conn).await?;
    }
    Ok(())
}
