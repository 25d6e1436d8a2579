//! Trajectories: the induction plan of one employment, made from a template.

use chrono::{DateTime, NaiveDate, Utc};

use super::Whose;
use crate::domain::trajectory::{CompetenceDomain, MilestoneCopy};
use crate::domain::{EmploymentId, InstitutionId, PersonId, TemplateId, TrajectoryId};
use crate::store::{Db, StoreError, Tx, on_db, on_tx};

/// A trajectory as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trajectory {
    pub id: TrajectoryId,
    pub employment: EmploymentId,
    pub template: TemplateId,
    pub template_version: i64,
    pub started_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
pub(super) struct TrajectoryRow {
    id: i64,
    employment_id: i64,
    template_id: i64,
    template_version: i64,
    started_on: NaiveDate,
    completed_on: Option<NaiveDate>,
}

pub(super) fn to_trajectory(row: TrajectoryRow) -> Trajectory {
    Trajectory {
        id: TrajectoryId(row.id),
        employment: EmploymentId(row.employment_id),
        template: TemplateId(row.template_id),
        template_version: row.template_version,
        started_on: row.started_on,
        completed_on: row.completed_on,
    }
}

/// Start a trajectory with its own copy of the milestones.
pub async fn create_trajectory(
    tx: &mut Tx,
    employment: EmploymentId,
    template: (TemplateId, i64),
    started_on: NaiveDate,
    milestones: &[MilestoneCopy],
    at: DateTime<Utc>,
) -> Result<TrajectoryId, StoreError> {
    let sql = "INSERT INTO trajectories (employment_id, template_id, template_version, started_on, created_at) \
               VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(employment)
            .bind(template.0)
            .bind(template.1)
            .bind(started_on)
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    });
    add_milestones(tx, TrajectoryId(id), milestones).await?;
    Ok(TrajectoryId(id))
}

/// Insert milestones in one statement (an import enrols thousands).
pub(super) async fn add_milestones(
    tx: &mut Tx,
    trajectory: TrajectoryId,
    milestones: &[MilestoneCopy],
) -> Result<(), StoreError> {
    if milestones.is_empty() {
        return Ok(());
    }
    on_tx!(tx, conn => {
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO trajectory_milestones (trajectory_id, template_milestone_id, title, phase, owner_role, \
             competence_domain, due_on) ",
        );
        insert.push_values(milestones, |mut row, m| {
            row.push_bind(trajectory)
                .push_bind(m.template_milestone)
                .push_bind(m.title.clone())
                .push_bind(m.phase.code())
                .push_bind(m.owner.code())
                .push_bind(m.domain.map(CompetenceDomain::code))
                .push_bind(m.due);
        });
        insert.build().execute(&mut **conn).await?;
    });
    Ok(())
}

pub(super) const TRAJECTORY_COLUMNS: &str =
    "t.id, t.employment_id, t.template_id, t.template_version, t.started_on, t.completed_on";

/// The trajectory of an employment of the institution, if it has one.
pub async fn trajectory_of(
    db: &Db,
    institution: InstitutionId,
    employment: EmploymentId,
) -> Result<Option<Trajectory>, StoreError> {
    let sql = format!(
        "SELECT {TRAJECTORY_COLUMNS} FROM trajectories t JOIN employments e ON e.id = t.employment_id \
         WHERE e.institution_id = $1 AND t.employment_id = $2"
    );
    let row: Option<TrajectoryRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(employment).fetch_optional(pool).await?);
    Ok(row.map(to_trajectory))
}

/// Whose trajectory it is (of the institution).
pub async fn person_of_trajectory(
    db: &Db,
    institution: InstitutionId,
    trajectory: TrajectoryId,
) -> Result<PersonId, StoreError> {
    let sql = "SELECT e.person_id FROM trajectories t JOIN employments e ON e.id = t.employment_id \
               WHERE e.institution_id = $1 AND t.id = $2";
    let person: Option<i64> =
        on_db!(db, pool => sqlx::query_scalar(sql).bind(institution).bind(trajectory).fetch_optional(pool).await?);
    person.map(PersonId).ok_or(StoreError::NotFound)
}

/// Every trajectory of the institution.
pub async fn trajectories(db: &Db, institution: InstitutionId) -> Result<Vec<Trajectory>, StoreError> {
    trajectories_whose(db, institution, Whose::Institution).await
}

/// The trajectories of the institution, or of one person's employments.
pub async fn trajectories_whose(
    db: &Db,
    institution: InstitutionId,
    whose: Whose,
) -> Result<Vec<Trajectory>, StoreError> {
    let sql = format!(
        "SELECT {TRAJECTORY_COLUMNS} FROM trajectories t JOIN employments e ON e.id = t.employment_id \
         WHERE e.institution_id = $1{}",
        whose.and_person()
    );
    let rows: Vec<TrajectoryRow> =
        on_db!(db, pool => bind_whose!(sqlx::query_as(&sql).bind(institution), whose).fetch_all(pool).await?);
    Ok(rows.into_iter().map(to_trajectory).collect())
}

/// Mark a trajectory completed on a date, or (with `None`) not completed.
pub async fn set_completed(
    tx: &mut Tx,
    institution: InstitutionId,
    trajectory: TrajectoryId,
    on: Option<NaiveDate>,
) -> Result<(), StoreError> {
    let sql = "UPDATE trajectories SET completed_on = $1 WHERE id = $2 AND employment_id IN \
               (SELECT id FROM employments WHERE institution_id = $3)";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql).bind(on).bind(trajectory).bind(institution).execute(&mut **conn).await?.rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
