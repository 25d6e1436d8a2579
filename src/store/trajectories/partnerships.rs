//! SO&P partnerships: the school–teacher-college partnerships a starter's terms may name.

use chrono::{DateTime, Utc};

use crate::domain::{InstitutionId, PartnershipId};
use crate::store::{Db, StoreError, Tx, on_db, on_tx};

/// A partnership of the institution, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partnership {
    pub id: PartnershipId,
    pub name: String,
}

pub async fn create_partnership(
    tx: &mut Tx,
    institution: InstitutionId,
    name: &str,
    at: DateTime<Utc>,
) -> Result<PartnershipId, StoreError> {
    let sql = "INSERT INTO partnerships (institution_id, name, created_at) VALUES ($1, $2, $3) RETURNING id";
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(sql).bind(institution).bind(name).bind(at).fetch_one(&mut **conn).await?
    });
    Ok(PartnershipId(id))
}

pub async fn partnerships(db: &Db, institution: InstitutionId) -> Result<Vec<Partnership>, StoreError> {
    let sql = "SELECT id, name FROM partnerships WHERE institution_id = $1 ORDER BY name, id";
    let rows: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(sql).bind(institution).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name)| Partnership {
            id: PartnershipId(id),
            name,
        })
        .collect())
}
