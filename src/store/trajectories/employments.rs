//! Employments: a starter's contract with the institution, its start, leaving and completion.

use chrono::{DateTime, NaiveDate, Utc};

use super::Whose;
use crate::domain::trajectory::{EntryRoute, LeaveReason};
use crate::domain::{EmploymentId, InstitutionId, PersonId};
use crate::store::{Db, StoreError, Tx, on_db, on_tx};

/// A starter's employment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employment {
    pub id: EmploymentId,
    pub institution: InstitutionId,
    pub person: PersonId,
    pub employee_number: String,
    pub route: EntryRoute,
    pub start: NaiveDate,
    pub ending: Option<Ending>,
}

/// How an employment ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub on: NaiveDate,
    pub reason: LeaveReason,
    pub destination: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(super) struct EmploymentRow {
    id: i64,
    institution_id: i64,
    person_id: i64,
    employee_number: String,
    entry_route: EntryRoute,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    leave_reason: Option<LeaveReason>,
    leave_destination: Option<String>,
}

pub(super) const EMPLOYMENT_COLUMNS: &str = "id, institution_id, person_id, employee_number, entry_route, start_date, end_date, leave_reason, leave_destination";

pub(super) fn to_employment(row: EmploymentRow) -> Result<Employment, StoreError> {
    let ending = match (row.end_date, row.leave_reason) {
        (Some(on), Some(reason)) => Some(Ending {
            on,
            reason,
            destination: row.leave_destination,
        }),
        _ => None,
    };
    Ok(Employment {
        id: EmploymentId(row.id),
        institution: InstitutionId(row.institution_id),
        person: PersonId(row.person_id),
        employee_number: row.employee_number,
        route: row.entry_route,
        start: row.start_date,
        ending,
    })
}

/// What it takes to record a new employment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmploymentForCreate {
    pub person: PersonId,
    pub employee_number: String,
    pub route: EntryRoute,
    pub start: NaiveDate,
}

/// Insert an employment. An employee number already used in the
/// institution gives `Conflict("employments_institution_id_employee_number_key")`.
pub async fn create_employment(
    tx: &mut Tx,
    institution: InstitutionId,
    new: &EmploymentForCreate,
    at: DateTime<Utc>,
) -> Result<EmploymentId, StoreError> {
    let sql = "INSERT INTO employments (institution_id, person_id, employee_number, entry_route, start_date, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(institution)
            .bind(new.person)
            .bind(&new.employee_number)
            .bind(new.route.code())
            .bind(new.start)
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    });
    Ok(EmploymentId(id))
}

/// Change route and start date (a correction, e.g. from the HR import).
pub async fn correct_employment(
    tx: &mut Tx,
    institution: InstitutionId,
    id: EmploymentId,
    route: EntryRoute,
    start: NaiveDate,
) -> Result<(), StoreError> {
    let sql = "UPDATE employments SET entry_route = $1, start_date = $2 WHERE id = $3 AND institution_id = $4";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql).bind(route.code()).bind(start).bind(id).bind(institution).execute(&mut **conn).await?.rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Record (or correct, or with `None` undo) how an employment ended.
pub async fn set_ending(
    tx: &mut Tx,
    institution: InstitutionId,
    id: EmploymentId,
    ending: Option<&Ending>,
) -> Result<(), StoreError> {
    let sql = "UPDATE employments SET end_date = $1, leave_reason = $2, leave_destination = $3 \
               WHERE id = $4 AND institution_id = $5";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(ending.map(|e| e.on))
            .bind(ending.map(|e| e.reason.code()))
            .bind(ending.and_then(|e| e.destination.clone()))
            .bind(id)
            .bind(institution)
            .execute(&mut **conn)
            .await?
            .rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

pub async fn employment(db: &Db, institution: InstitutionId, id: EmploymentId) -> Result<Employment, StoreError> {
    let sql = format!("SELECT {EMPLOYMENT_COLUMNS} FROM employments WHERE institution_id = $1 AND id = $2");
    let row: EmploymentRow = on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(id).fetch_one(pool).await?);
    to_employment(row)
}

/// The employment with this employee number (read inside a write).
pub async fn employment_by_number(
    tx: &mut Tx,
    institution: InstitutionId,
    employee_number: &str,
) -> Result<Option<Employment>, StoreError> {
    let sql =
        format!("SELECT {EMPLOYMENT_COLUMNS} FROM employments WHERE institution_id = $1 AND employee_number = $2");
    let row: Option<EmploymentRow> = on_tx!(tx, conn => {
        sqlx::query_as(&sql).bind(institution).bind(employee_number).fetch_optional(&mut **conn).await?
    });
    row.map(to_employment).transpose()
}

/// A person's employments at the institution, latest start first.
pub async fn employments_of(
    db: &Db,
    institution: InstitutionId,
    person: PersonId,
) -> Result<Vec<Employment>, StoreError> {
    let sql = format!(
        "SELECT {EMPLOYMENT_COLUMNS} FROM employments WHERE institution_id = $1 AND person_id = $2 \
         ORDER BY start_date DESC, id DESC"
    );
    let rows: Vec<EmploymentRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(person).fetch_all(pool).await?);
    rows.into_iter().map(to_employment).collect()
}

/// All employments of the institution, by start date.
pub async fn employments(db: &Db, institution: InstitutionId) -> Result<Vec<Employment>, StoreError> {
    let sql = format!(
        "SELECT {EMPLOYMENT_COLUMNS} FROM employments WHERE institution_id = $1 ORDER BY start_date DESC, id DESC"
    );
    let rows: Vec<EmploymentRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(institution).fetch_all(pool).await?);
    rows.into_iter().map(to_employment).collect()
}

/// The institution's employments, or one person's there, newest first.
pub async fn employments_whose(
    db: &Db,
    institution: InstitutionId,
    whose: Whose,
) -> Result<Vec<Employment>, StoreError> {
    match whose {
        Whose::Institution => employments(db, institution).await,
        Whose::Person(person) => employments_of(db, institution, person).await,
    }
}
