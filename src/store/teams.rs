//! Teams of an institution. Every read takes the institution id, so a team
//! of another institution is simply not found.

use chrono::{DateTime, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::{InstitutionId, Name, Sector, Team, TeamForCreate, TeamId};

#[derive(sqlx::FromRow)]
struct TeamRow {
    id: i64,
    institution_id: i64,
    name: String,
    sector: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<TeamRow> for Team {
    type Error = StoreError;
    fn try_from(row: TeamRow) -> Result<Self, StoreError> {
        Ok(Team {
            id: TeamId(row.id),
            institution_id: InstitutionId(row.institution_id),
            name: Name::parse(&row.name).map_err(|e| StoreError::Corrupt(format!("team {} name: {e}", row.id)))?,
            sector: Sector::from_code(&row.sector)
                .ok_or_else(|| StoreError::Corrupt(format!("team {} sector {:?}", row.id, row.sector)))?,
            created_at: row.created_at,
        })
    }
}

const COLUMNS: &str = "id, institution_id, name, sector, created_at";

/// Insert a team. A name already used in the institution gives
/// `StoreError::Conflict("teams_institution_id_name_key")`.
pub async fn create(
    tx: &mut Tx,
    institution: InstitutionId,
    new: &TeamForCreate,
    at: DateTime<Utc>,
) -> Result<TeamId, StoreError> {
    let sql = "INSERT INTO teams (institution_id, name, sector, created_at) VALUES ($1, $2, $3, $4) RETURNING id";
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(institution)
            .bind(new.name.as_str())
            .bind(new.sector.code())
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    });
    Ok(TeamId(id))
}

/// Change name and sector of a team of the institution.
pub async fn update(
    tx: &mut Tx,
    institution: InstitutionId,
    id: TeamId,
    change: &TeamForCreate,
) -> Result<(), StoreError> {
    let sql = "UPDATE teams SET name = $1, sector = $2 WHERE id = $3 AND institution_id = $4";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(change.name.as_str())
            .bind(change.sector.code())
            .bind(id)
            .bind(institution)
            .execute(&mut **conn)
            .await?
            .rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// One team of the institution; another institution's team is `NotFound`.
pub async fn get(db: &Db, institution: InstitutionId, id: TeamId) -> Result<Team, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM teams WHERE institution_id = $1 AND id = $2");
    let row: TeamRow = on_db!(db, pool => {
        sqlx::query_as(&sql).bind(institution).bind(id).fetch_one(pool).await?
    });
    row.try_into()
}

/// The institution's teams, by name.
pub async fn list(db: &Db, institution: InstitutionId) -> Result<Vec<Team>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM teams WHERE institution_id = $1 ORDER BY name, id");
    let rows: Vec<TeamRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(institution).fetch_all(pool).await?);
    rows.into_iter().map(Team::try_from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, team, two_institutions};

    crate::db_test!(async fn create_get_and_list(db) {
        let f = two_institutions(db).await;
        let mut tx = db.begin_write().await.unwrap();
        let id = create(&mut tx, f.a, &team("Bouw & Infra", Sector::Technology), at(2026, 9, 1)).await.unwrap();
        tx.commit().await.unwrap();

        let got = get(db, f.a, id).await.unwrap();
        assert_eq!(got.name.as_str(), "Bouw & Infra");
        assert_eq!(got.sector, Sector::Technology);
        assert_eq!(got.institution_id, f.a);

        let names: Vec<String> = list(db, f.a).await.unwrap().into_iter().map(|t| t.name.to_string()).collect();
        assert_eq!(names, ["Bouw & Infra", "Software Development", "Verpleegkunde"]);
        assert_eq!(list(db, f.b).await.unwrap().len(), 1);
    });

    crate::db_test!(async fn another_institutions_team_is_not_found(db) {
        let f = two_institutions(db).await;
        let err = get(db, f.a, f.team_of_b).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound), "{err:?}");
    });

    crate::db_test!(async fn team_names_are_unique_per_institution_only(db) {
        let f = two_institutions(db).await;
        let mut tx = db.begin_write().await.unwrap();
        let err = create(&mut tx, f.a, &team("Verpleegkunde", Sector::CareWelfare), at(2026, 9, 1)).await.unwrap_err();
        assert!(err.is_conflict_on("teams_institution_id_name_key"), "{err:?}");
        drop(tx);

        let mut tx = db.begin_write().await.unwrap();
        create(&mut tx, f.b, &team("Verpleegkunde", Sector::CareWelfare), at(2026, 9, 1)).await.unwrap();
        tx.commit().await.unwrap();
    });

    crate::db_test!(async fn a_team_needs_an_existing_institution(db) {
        let mut tx = db.begin_write().await.unwrap();
        let err = create(&mut tx, InstitutionId(777), &team("Wees", Sector::Other), at(2026, 9, 1)).await.unwrap_err();
        assert!(matches!(err, StoreError::Database(_)), "{err:?}");
    });
}
