//! A starter's personal goals and their progress.

use chrono::{DateTime, Utc};

use super::{Whose, corrupt};
use crate::domain::trajectory::CompetenceDomain;
use crate::domain::{InstitutionId, PersonId, TrajectoryId};
use crate::store::{Db, StoreError, Tx, on_db, on_tx};

#[derive(sqlx::FromRow)]
struct GoalRow {
    id: i64,
    trajectory_id: i64,
    title: String,
    competence_domain: Option<CompetenceDomain>,
    progress: i64,
}

/// The goals of the institution's trajectories (trajectory id, goal).
pub async fn goals(
    db: &Db,
    institution: InstitutionId,
) -> Result<Vec<(TrajectoryId, crate::domain::trajectory::Goal)>, StoreError> {
    goals_whose(db, institution, Whose::Institution).await
}

/// The goals of the institution's trajectories, or of one person's.
pub async fn goals_whose(
    db: &Db,
    institution: InstitutionId,
    whose: Whose,
) -> Result<Vec<(TrajectoryId, crate::domain::trajectory::Goal)>, StoreError> {
    let sql = format!(
        "SELECT g.id, g.trajectory_id, g.title, g.competence_domain, g.progress FROM goals g \
         JOIN trajectories t ON t.id = g.trajectory_id JOIN employments e ON e.id = t.employment_id \
         WHERE e.institution_id = $1{} ORDER BY g.id",
        whose.and_person()
    );
    let rows: Vec<GoalRow> =
        on_db!(db, pool => bind_whose!(sqlx::query_as(&sql).bind(institution), whose).fetch_all(pool).await?);
    rows.into_iter()
        .map(|row| {
            let id = row.id;
            Ok((
                TrajectoryId(row.trajectory_id),
                crate::domain::trajectory::Goal {
                    id,
                    title: row.title,
                    domain: row.competence_domain,
                    progress: u8::try_from(row.progress).map_err(|_| corrupt(format!("goal {id} progress")))?,
                },
            ))
        })
        .collect()
}

pub async fn create_goal(
    tx: &mut Tx,
    trajectory: TrajectoryId,
    title: &str,
    domain: Option<CompetenceDomain>,
    by: PersonId,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let sql = "INSERT INTO goals (trajectory_id, title, competence_domain, progress, created_by, created_at, updated_at) \
               VALUES ($1, $2, $3, 0, $4, $5, $5) RETURNING id";
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(trajectory)
            .bind(title)
            .bind(domain.map(CompetenceDomain::code))
            .bind(by)
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    }))
}

/// Record a goal's progress (the goal must belong to the trajectory).
pub async fn set_goal_progress(
    tx: &mut Tx,
    trajectory: TrajectoryId,
    id: i64,
    progress: u8,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "UPDATE goals SET progress = $1, updated_at = $2 WHERE id = $3 AND trajectory_id = $4";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql).bind(i64::from(progress)).bind(at).bind(id).bind(trajectory).execute(&mut **conn).await?.rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// The trajectory a goal of the institution belongs to.
pub async fn goal_trajectory(db: &Db, institution: InstitutionId, id: i64) -> Result<TrajectoryId, StoreError> {
    let sql = "SELECT g.trajectory_id FROM goals g JOIN trajectories t ON t.id = g.trajectory_id \
               JOIN employments e ON e.id = t.employment_id WHERE e.institution_id = $1 AND g.id = $2";
    let id: i64 = on_db!(db, pool => sqlx::query_scalar(sql).bind(institution).bind(id).fetch_one(pool).await?);
    Ok(TrajectoryId(id))
}
