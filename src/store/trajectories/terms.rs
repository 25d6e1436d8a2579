//! Dated terms of employment: team, contract, hours, partnership from a date on.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Whose, corrupt};
use crate::domain::trajectory::{Contract, ContractKind, EmploymentTerms, Fte};
use crate::domain::{EmploymentId, InstitutionId, PartnershipId, Sector, TeamId};
use crate::store::{Db, StoreError, Tx, on_db, on_tx};

#[derive(sqlx::FromRow)]
pub(super) struct TermsRow {
    employment_id: i64,
    valid_from: NaiveDate,
    fte_hundredths: i64,
    contract: ContractKind,
    contract_until: Option<NaiveDate>,
    team_id: Option<i64>,
    sector: Sector,
    partnership_id: Option<i64>,
}

pub(super) const TERMS_COLUMNS: &str =
    "employment_id, valid_from, fte_hundredths, contract, contract_until, team_id, sector, partnership_id";

pub(super) fn to_terms(row: TermsRow) -> Result<(EmploymentId, EmploymentTerms), StoreError> {
    let employment = row.employment_id;
    Ok((
        EmploymentId(employment),
        EmploymentTerms {
            valid_from: row.valid_from,
            fte: Fte(u16::try_from(row.fte_hundredths).map_err(|_| corrupt(format!("terms of {employment} fte")))?),
            contract: Contract::from_parts(row.contract, row.contract_until)
                .map_err(|_| corrupt(format!("terms of {employment} until")))?,
            team: row.team_id.map(TeamId),
            sector: row.sector,
            partnership: row.partnership_id.map(PartnershipId),
        },
    ))
}

/// Add a dated row of terms. Two rows on the same day give
/// `Conflict("employment_terms_employment_id_valid_from_key")`.
pub async fn add_terms(
    tx: &mut Tx,
    employment: EmploymentId,
    terms: &EmploymentTerms,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO employment_terms (employment_id, valid_from, fte_hundredths, contract, contract_until, \
               team_id, sector, partnership_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(employment)
            .bind(terms.valid_from)
            .bind(i64::from(terms.fte.0))
            .bind(terms.contract.kind().code())
            .bind(terms.contract.until())
            .bind(terms.team)
            .bind(terms.sector.code())
            .bind(terms.partnership)
            .bind(at)
            .execute(&mut **conn)
            .await?;
    });
    Ok(())
}

/// Correct the row of terms that starts on `terms.valid_from`.
pub async fn replace_terms(tx: &mut Tx, employment: EmploymentId, terms: &EmploymentTerms) -> Result<(), StoreError> {
    let sql = "UPDATE employment_terms SET fte_hundredths = $1, contract = $2, contract_until = $3, team_id = $4, \
               sector = $5, partnership_id = $6 WHERE employment_id = $7 AND valid_from = $8";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(i64::from(terms.fte.0))
            .bind(terms.contract.kind().code())
            .bind(terms.contract.until())
            .bind(terms.team)
            .bind(terms.sector.code())
            .bind(terms.partnership)
            .bind(employment)
            .bind(terms.valid_from)
            .execute(&mut **conn)
            .await?
            .rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// The terms of one employment, oldest first, read inside the write that
/// changes them (outside a write, `terms_whose` reads them).
pub async fn terms(tx: &mut Tx, employment: EmploymentId) -> Result<Vec<EmploymentTerms>, StoreError> {
    let sql = format!("SELECT {TERMS_COLUMNS} FROM employment_terms WHERE employment_id = $1 ORDER BY valid_from");
    let rows: Vec<TermsRow> = on_tx!(tx, conn => sqlx::query_as(&sql).bind(employment).fetch_all(&mut **conn).await?);
    rows.into_iter().map(|r| to_terms(r).map(|(_, t)| t)).collect()
}

/// The terms of every employment of the institution, oldest first.
pub async fn all_terms(
    db: &Db,
    institution: InstitutionId,
) -> Result<Vec<(EmploymentId, EmploymentTerms)>, StoreError> {
    terms_whose(db, institution, Whose::Institution).await
}

/// The terms of the institution's employments, or of one person's.
pub async fn terms_whose(
    db: &Db,
    institution: InstitutionId,
    whose: Whose,
) -> Result<Vec<(EmploymentId, EmploymentTerms)>, StoreError> {
    let sql = format!(
        "SELECT t.employment_id, t.valid_from, t.fte_hundredths, t.contract, t.contract_until, t.team_id, \
         t.sector, t.partnership_id FROM employment_terms t JOIN employments e ON e.id = t.employment_id \
         WHERE e.institution_id = $1{} ORDER BY t.employment_id, t.valid_from",
        whose.and_person()
    );
    let rows: Vec<TermsRow> =
        on_db!(db, pool => bind_whose!(sqlx::query_as(&sql).bind(institution), whose).fetch_all(pool).await?);
    rows.into_iter().map(to_terms).collect()
}
