//! Institutions: create, read, list, and the overview behind the status page.

use chrono::{DateTime, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::{BrinCode, Institution, InstitutionForCreate, InstitutionId, InstitutionOverview, Name};

#[derive(sqlx::FromRow)]
struct InstitutionRow {
    id: i64,
    name: String,
    brin_code: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<InstitutionRow> for Institution {
    type Error = StoreError;
    fn try_from(row: InstitutionRow) -> Result<Self, StoreError> {
        Ok(Institution {
            id: InstitutionId(row.id),
            name: Name::parse(&row.name)
                .map_err(|e| StoreError::Corrupt(format!("institution {} name: {e}", row.id)))?,
            brin_code: BrinCode::parse(&row.brin_code)
                .map_err(|e| StoreError::Corrupt(format!("institution {} BRIN code: {e}", row.id)))?,
            created_at: row.created_at,
        })
    }
}

const COLUMNS: &str = "id, name, brin_code, created_at";

/// Insert an institution. A BRIN code already in use gives
/// `StoreError::Conflict("institutions_brin_code_key")`.
pub async fn create(tx: &mut Tx, new: &InstitutionForCreate, at: DateTime<Utc>) -> Result<InstitutionId, StoreError> {
    let sql = "INSERT INTO institutions (name, brin_code, created_at) VALUES ($1, $2, $3) RETURNING id";
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(new.name.as_str())
            .bind(new.brin_code.as_str())
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    });
    Ok(InstitutionId(id))
}

/// Change name and BRIN code.
pub async fn update(tx: &mut Tx, id: InstitutionId, change: &InstitutionForCreate) -> Result<(), StoreError> {
    let sql = "UPDATE institutions SET name = $1, brin_code = $2 WHERE id = $3";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(change.name.as_str())
            .bind(change.brin_code.as_str())
            .bind(id)
            .execute(&mut **conn)
            .await?
            .rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

pub async fn get(db: &Db, id: InstitutionId) -> Result<Institution, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM institutions WHERE id = $1");
    let row: InstitutionRow = on_db!(db, pool => {
        sqlx::query_as(&sql).bind(id).fetch_one(pool).await?
    });
    row.try_into()
}

pub async fn find_by_brin(db: &Db, brin_code: &BrinCode) -> Result<Option<Institution>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM institutions WHERE brin_code = $1");
    let row: Option<InstitutionRow> = on_db!(db, pool => {
        sqlx::query_as(&sql).bind(brin_code.as_str()).fetch_optional(pool).await?
    });
    row.map(Institution::try_from).transpose()
}

/// All institutions, by name.
pub async fn list(db: &Db) -> Result<Vec<Institution>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM institutions ORDER BY name, id");
    let rows: Vec<InstitutionRow> = on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
    rows.into_iter().map(Institution::try_from).collect()
}

/// Every institution with its number of teams, by name.
pub async fn overview(db: &Db) -> Result<Vec<InstitutionOverview>, StoreError> {
    let sql = "SELECT i.id, i.name, i.brin_code, COUNT(t.id) AS team_count \
               FROM institutions i LEFT JOIN teams t ON t.institution_id = i.id \
               GROUP BY i.id, i.name, i.brin_code ORDER BY i.name, i.id";
    let rows: Vec<(i64, String, String, i64)> = on_db!(db, pool => sqlx::query_as(sql).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name, brin_code, team_count)| InstitutionOverview {
            id: InstitutionId(id),
            name,
            brin_code,
            team_count,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, institution};

    crate::db_test!(async fn create_get_and_find(db) {
        let mut tx = db.begin_write().await.unwrap();
        let new = institution("Deltacollege", "25LX");
        let id = create(&mut tx, &new, at(2026, 8, 1)).await.unwrap();
        tx.commit().await.unwrap();

        let got = get(db, id).await.unwrap();
        assert_eq!(got.name.as_str(), "Deltacollege");
        assert_eq!(got.brin_code.as_str(), "25LX");
        assert_eq!(got.created_at, at(2026, 8, 1));
        assert_eq!(find_by_brin(db, &new.brin_code).await.unwrap(), Some(got));
        assert_eq!(find_by_brin(db, &BrinCode::parse("99ZZ").unwrap()).await.unwrap(), None);
    });

    crate::db_test!(async fn get_unknown_id_is_not_found(db) {
        let err = get(db, InstitutionId(4242)).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound), "{err:?}");
    });

    crate::db_test!(async fn duplicate_brin_code_is_a_named_conflict(db) {
        let mut tx = db.begin_write().await.unwrap();
        create(&mut tx, &institution("Deltacollege", "25LX"), at(2026, 8, 1)).await.unwrap();
        let err = create(&mut tx, &institution("Ander college", "25LX"), at(2026, 8, 1)).await.unwrap_err();
        assert!(err.is_conflict_on("institutions_brin_code_key"), "{err:?}");
    });

    crate::db_test!(async fn list_and_overview_are_sorted_by_name_with_team_counts(db) {
        let fixture = crate::testing::two_institutions(db).await;
        let names: Vec<String> = list(db).await.unwrap().into_iter().map(|i| i.name.to_string()).collect();
        assert_eq!(names, ["Deltacollege", "Hanzeland College"]);

        let overview = overview(db).await.unwrap();
        assert_eq!(overview.len(), 2);
        assert_eq!(overview[0].id, fixture.a);
        assert_eq!(overview[0].team_count, 2);
        assert_eq!(overview[1].id, fixture.b);
        assert_eq!(overview[1].team_count, 1);
    });

    crate::db_test!(async fn overview_counts_zero_teams(db) {
        let mut tx = db.begin_write().await.unwrap();
        create(&mut tx, &institution("Leeg College", "11AA"), at(2026, 8, 1)).await.unwrap();
        tx.commit().await.unwrap();
        let overview = overview(db).await.unwrap();
        assert_eq!(overview[0].team_count, 0);
    });
}
