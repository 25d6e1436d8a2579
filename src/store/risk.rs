//! The calibrated risk an institution adopted (table `risk_calibrations`):
//! the fitted model and the thresholds its coordinator chose. No row: the
//! fixed rules decide.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::risk::{Calibration, Model};
use crate::domain::signals::Settings;
use crate::domain::{InstitutionId, PersonId};

#[derive(sqlx::FromRow)]
struct Row {
    model: String,
    fit_from: NaiveDate,
    fit_to: NaiveDate,
    fit_leavers: i64,
    pooled: bool,
    red_permille: i64,
    amber_permille: i64,
    adopted_on: NaiveDate,
}

/// The institution's calibration in use, if any.
pub async fn calibration(db: &Db, institution: InstitutionId) -> Result<Option<Calibration>, StoreError> {
    let sql = "SELECT model, fit_from, fit_to, CAST(fit_leavers AS BIGINT) AS fit_leavers, pooled, \
               CAST(red_permille AS BIGINT) AS red_permille, CAST(amber_permille AS BIGINT) AS amber_permille, \
               adopted_on FROM risk_calibrations WHERE institution_id = $1";
    let row: Option<Row> = on_db!(db, pool => sqlx::query_as(sql).bind(institution).fetch_optional(pool).await?);
    let Some(row) = row else { return Ok(None) };
    let model: Model = serde_json::from_str(&row.model)
        .map_err(|e| StoreError::Corrupt(format!("risk model of institution {}: {e}", institution.0)))?;
    let permille = |v: i64| u16::try_from(v).map_err(|_| StoreError::Corrupt(format!("risk threshold {v}")));
    Ok(Some(Calibration {
        model,
        fit_from: row.fit_from,
        fit_to: row.fit_to,
        fit_leavers: u32::try_from(row.fit_leavers).unwrap_or(0),
        pooled: row.pooled,
        red: permille(row.red_permille)?,
        amber: permille(row.amber_permille)?,
        adopted_on: row.adopted_on,
    }))
}

/// Adopt a calibration (replacing the one in use).
pub async fn adopt(
    tx: &mut Tx,
    institution: InstitutionId,
    calibration: &Calibration,
    by: PersonId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let model = serde_json::to_string(&calibration.model).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let sql = "INSERT INTO risk_calibrations (institution_id, model, fit_from, fit_to, fit_leavers, pooled, \
               red_permille, amber_permille, adopted_on, adopted_by, adopted_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (institution_id) DO UPDATE SET \
               model = excluded.model, fit_from = excluded.fit_from, fit_to = excluded.fit_to, \
               fit_leavers = excluded.fit_leavers, pooled = excluded.pooled, red_permille = excluded.red_permille, \
               amber_permille = excluded.amber_permille, adopted_on = excluded.adopted_on, \
               adopted_by = excluded.adopted_by, adopted_at = excluded.adopted_at";
    on_tx!(tx, conn => sqlx::query(sql)
        .bind(institution)
        .bind(&model)
        .bind(calibration.fit_from)
        .bind(calibration.fit_to)
        .bind(i32::try_from(calibration.fit_leavers).unwrap_or(i32::MAX))
        .bind(calibration.pooled)
        .bind(i32::from(calibration.red))
        .bind(i32::from(calibration.amber))
        .bind(calibration.adopted_on)
        .bind(by)
        .bind(at)
        .execute(&mut **conn)
        .await
        .map(|_| ())?);
    Ok(())
}

/// Stop using the calibrated risk: the fixed rules decide again.
pub async fn remove(tx: &mut Tx, institution: InstitutionId) -> Result<bool, StoreError> {
    let sql = "DELETE FROM risk_calibrations WHERE institution_id = $1";
    let removed = on_tx!(tx, conn => sqlx::query(sql).bind(institution).execute(&mut **conn).await?.rows_affected());
    Ok(removed > 0)
}

/// The other institutions that share their history for pooling, with
/// their rules.
pub async fn sharing(db: &Db, except: InstitutionId) -> Result<Vec<(InstitutionId, Settings)>, StoreError> {
    let sql = "SELECT institution_id, settings FROM signal_settings WHERE institution_id <> $1 ORDER BY institution_id";
    let rows: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(sql).bind(except).fetch_all(pool).await?);
    let mut sharing = Vec::new();
    for (id, json) in rows {
        let settings: Settings = serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if settings.pool_history {
            sharing.push((InstitutionId(id), settings));
        }
    }
    Ok(sharing)
}
