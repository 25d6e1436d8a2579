//! The facilitation ledger: hours promised and granted per school year.

use chrono::{DateTime, Utc};

use super::{Whose, corrupt};
use crate::domain::{EmploymentId, InstitutionId};
use crate::store::{Db, StoreError, Tx, on_db, on_tx};

/// A recorded school year of the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FacilitationRow {
    pub school_year: i32,
    pub starter_promised: u32,
    pub starter_granted: Option<u32>,
    pub mentor_promised: Option<u32>,
    pub mentor_granted: Option<u32>,
}

pub(super) type FacilitationSql = (i64, i64, i64, Option<i64>, Option<i64>, Option<i64>);

/// Every recorded ledger row of the institution, by employment.
pub async fn facilitation(
    db: &Db,
    institution: InstitutionId,
) -> Result<Vec<(EmploymentId, FacilitationRow)>, StoreError> {
    facilitation_whose(db, institution, Whose::Institution).await
}

/// Facilitation hours of the institution's employments, or of one person's.
pub async fn facilitation_whose(
    db: &Db,
    institution: InstitutionId,
    whose: Whose,
) -> Result<Vec<(EmploymentId, FacilitationRow)>, StoreError> {
    let sql = format!(
        "SELECT f.employment_id, f.school_year, f.starter_hours_promised, f.starter_hours_granted, \
         f.mentor_hours_promised, f.mentor_hours_granted FROM facilitation f \
         JOIN employments e ON e.id = f.employment_id WHERE e.institution_id = $1{} ORDER BY f.school_year",
        whose.and_person()
    );
    let rows: Vec<FacilitationSql> =
        on_db!(db, pool => bind_whose!(sqlx::query_as(&sql).bind(institution), whose).fetch_all(pool).await?);
    let hours = |v: i64| u32::try_from(v).map_err(|_| corrupt("facilitation hours"));
    rows.into_iter()
        .map(|(employment, year, sp, sg, mp, mg)| {
            Ok((
                EmploymentId(employment),
                FacilitationRow {
                    school_year: i32::try_from(year).map_err(|_| corrupt("facilitation year"))?,
                    starter_promised: hours(sp)?,
                    starter_granted: sg.map(hours).transpose()?,
                    mentor_promised: mp.map(hours).transpose()?,
                    mentor_granted: mg.map(hours).transpose()?,
                },
            ))
        })
        .collect()
}

/// Record one school year of the ledger (insert or replace).
pub async fn set_facilitation(
    tx: &mut Tx,
    employment: EmploymentId,
    row: &FacilitationRow,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO facilitation (employment_id, school_year, starter_hours_promised, starter_hours_granted, \
               mentor_hours_promised, mentor_hours_granted, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
               ON CONFLICT (employment_id, school_year) DO UPDATE SET \
               starter_hours_promised = excluded.starter_hours_promised, \
               starter_hours_granted = excluded.starter_hours_granted, \
               mentor_hours_promised = excluded.mentor_hours_promised, \
               mentor_hours_granted = excluded.mentor_hours_granted, updated_at = excluded.updated_at";
    on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(employment)
            .bind(i64::from(row.school_year))
            .bind(i64::from(row.starter_promised))
            .bind(row.starter_granted.map(i64::from))
            .bind(row.mentor_promised.map(i64::from))
            .bind(row.mentor_granted.map(i64::from))
            .bind(at)
            .execute(&mut **conn)
            .await?;
    });
    Ok(())
}
