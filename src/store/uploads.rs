//! HR files uploaded for import, kept between the check and the confirmed
//! import. Every read takes the institution id.

use chrono::{DateTime, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::{InstitutionId, PersonId};

/// An upload as stored (without its content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub id: i64,
    pub file_name: String,
    pub uploaded_by: Option<PersonId>,
    pub created_at: DateTime<Utc>,
    pub applied_at: Option<DateTime<Utc>>,
    /// The report of the applied import (JSON), once applied.
    pub result: Option<String>,
}

#[derive(sqlx::FromRow)]
struct UploadRow {
    id: i64,
    file_name: String,
    uploaded_by: Option<i64>,
    created_at: DateTime<Utc>,
    applied_at: Option<DateTime<Utc>>,
    result: Option<String>,
}

/// An upload's row followed by the uploaded file.
#[derive(sqlx::FromRow)]
struct UploadRowWithContent {
    #[sqlx(flatten)]
    upload: UploadRow,
    content: Vec<u8>,
}

fn to_upload(row: UploadRow) -> Upload {
    Upload {
        id: row.id,
        file_name: row.file_name,
        uploaded_by: row.uploaded_by.map(PersonId),
        created_at: row.created_at,
        applied_at: row.applied_at,
        result: row.result,
    }
}

const COLUMNS: &str = "id, file_name, uploaded_by, created_at, applied_at, result";

pub async fn create(
    tx: &mut Tx,
    institution: InstitutionId,
    by: PersonId,
    file_name: &str,
    content: &[u8],
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let sql = "INSERT INTO import_uploads (institution_id, uploaded_by, file_name, content, created_at) \
               VALUES ($1, $2, $3, $4, $5) RETURNING id";
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(institution)
            .bind(by)
            .bind(file_name)
            .bind(content)
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    }))
}

pub async fn get(db: &Db, institution: InstitutionId, id: i64) -> Result<(Upload, Vec<u8>), StoreError> {
    let sql = format!("SELECT {COLUMNS}, content FROM import_uploads WHERE institution_id = $1 AND id = $2");
    let row: UploadRowWithContent =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(id).fetch_one(pool).await?);
    Ok((to_upload(row.upload), row.content))
}

/// The institution's latest uploads, newest first.
pub async fn recent(db: &Db, institution: InstitutionId, limit: i64) -> Result<Vec<Upload>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM import_uploads WHERE institution_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    );
    let rows: Vec<UploadRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(limit).fetch_all(pool).await?);
    Ok(rows.into_iter().map(to_upload).collect())
}

/// Mark an upload applied with its report; `false` when it already was.
pub async fn mark_applied(
    tx: &mut Tx,
    institution: InstitutionId,
    id: i64,
    result: &str,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let sql = "UPDATE import_uploads SET applied_at = $1, result = $2 \
               WHERE institution_id = $3 AND id = $4 AND applied_at IS NULL";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql).bind(at).bind(result).bind(institution).bind(id).execute(&mut **conn).await?.rows_affected()
    });
    Ok(done == 1)
}

/// Delete uploads made before `before` (their retention period): the file
/// and the report of its import.
pub async fn prune(db: &Db, before: DateTime<Utc>) -> Result<u64, StoreError> {
    let sql = "DELETE FROM import_uploads WHERE created_at < $1";
    Ok(on_db!(db, pool => sqlx::query(sql).bind(before).execute(pool).await?.rows_affected()))
}
