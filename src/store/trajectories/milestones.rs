//! Milestones of a trajectory and their progress.

use chrono::NaiveDate;

use super::{Whose, corrupt};
use crate::domain::trajectory::{CompetenceDomain, MilestoneCopy, MilestoneProgress, Phase};
use crate::domain::{InstitutionId, MilestoneId, PersonId, Role, TrajectoryId};
use crate::store::{Db, StoreError, Tx, on_db, on_tx};

/// A milestone of a trajectory as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub id: MilestoneId,
    pub trajectory: TrajectoryId,
    pub copy: MilestoneCopy,
    pub progress: MilestoneProgress,
    pub done_by: Option<PersonId>,
}

#[derive(sqlx::FromRow)]
pub(super) struct MilestoneRow {
    id: i64,
    trajectory_id: i64,
    template_milestone_id: Option<i64>,
    title: String,
    phase: Phase,
    owner_role: Role,
    competence_domain: Option<CompetenceDomain>,
    due_on: NaiveDate,
    state: String,
    done_on: Option<NaiveDate>,
    done_by: Option<i64>,
    full_name: Option<String>,
    note: Option<String>,
    skip_reason: Option<String>,
}

pub(super) const MILESTONE_COLUMNS: &str = "m.id, m.trajectory_id, m.template_milestone_id, m.title, m.phase, m.owner_role, \
     m.competence_domain, m.due_on, m.state, m.done_on, m.done_by, p.full_name, m.note, m.skip_reason";

pub(super) fn to_milestone(row: MilestoneRow) -> Result<Milestone, StoreError> {
    let progress = match (row.state.as_str(), row.done_on, row.skip_reason) {
        ("open", _, _) => MilestoneProgress::Open,
        ("done", Some(on), _) => MilestoneProgress::Done {
            on,
            by: row.full_name,
            note: row.note,
        },
        ("skipped", _, Some(reason)) => MilestoneProgress::Skipped { reason },
        _ => return Err(corrupt(format!("milestone {} state {:?}", row.id, row.state))),
    };
    Ok(Milestone {
        id: MilestoneId(row.id),
        trajectory: TrajectoryId(row.trajectory_id),
        copy: MilestoneCopy {
            template_milestone: row.template_milestone_id,
            title: row.title,
            phase: row.phase,
            owner: row.owner_role,
            domain: row.competence_domain,
            due: row.due_on,
        },
        progress,
        done_by: row.done_by.map(PersonId),
    })
}

/// The milestones of the given trajectories of the institution, by due date.
pub async fn milestones(
    db: &Db,
    institution: InstitutionId,
    trajectory: Option<TrajectoryId>,
) -> Result<Vec<Milestone>, StoreError> {
    let sql = format!(
        "SELECT {MILESTONE_COLUMNS} FROM trajectory_milestones m \
         JOIN trajectories t ON t.id = m.trajectory_id JOIN employments e ON e.id = t.employment_id \
         LEFT JOIN people p ON p.id = m.done_by \
         WHERE e.institution_id = $1 AND ($2 IS NULL OR m.trajectory_id = $2) ORDER BY m.trajectory_id, m.due_on, m.id"
    );
    let trajectory = trajectory.map(|t| t.0);
    let rows: Vec<MilestoneRow> = on_db!(db, pool => {
        sqlx::query_as(&sql).bind(institution).bind(trajectory).fetch_all(pool).await?
    });
    rows.into_iter().map(to_milestone).collect()
}

/// The milestones of every trajectory of the institution, or of one
/// person's trajectories.
pub async fn milestones_whose(db: &Db, institution: InstitutionId, whose: Whose) -> Result<Vec<Milestone>, StoreError> {
    if whose == Whose::Institution {
        return milestones(db, institution, None).await;
    }
    let sql = format!(
        "SELECT {MILESTONE_COLUMNS} FROM trajectory_milestones m \
         JOIN trajectories t ON t.id = m.trajectory_id JOIN employments e ON e.id = t.employment_id \
         LEFT JOIN people p ON p.id = m.done_by \
         WHERE e.institution_id = $1{} ORDER BY m.trajectory_id, m.due_on, m.id",
        whose.and_person()
    );
    let rows: Vec<MilestoneRow> =
        on_db!(db, pool => bind_whose!(sqlx::query_as(&sql).bind(institution), whose).fetch_all(pool).await?);
    rows.into_iter().map(to_milestone).collect()
}

/// One milestone of the institution.
pub async fn milestone(db: &Db, institution: InstitutionId, id: MilestoneId) -> Result<Milestone, StoreError> {
    let sql = format!(
        "SELECT {MILESTONE_COLUMNS} FROM trajectory_milestones m \
         JOIN trajectories t ON t.id = m.trajectory_id JOIN employments e ON e.id = t.employment_id \
         LEFT JOIN people p ON p.id = m.done_by WHERE e.institution_id = $1 AND m.id = $2"
    );
    let row: MilestoneRow = on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(id).fetch_one(pool).await?);
    to_milestone(row)
}

/// Set a milestone open, done (on a date, by a person, with a note) or
/// skipped (with a reason).
pub async fn set_progress(
    tx: &mut Tx,
    institution: InstitutionId,
    id: MilestoneId,
    progress: &MilestoneProgress,
    by: Option<PersonId>,
) -> Result<(), StoreError> {
    let (state, done_on, note, skip) = match progress {
        MilestoneProgress::Open => ("open", None, None, None),
        MilestoneProgress::Done { on, note, .. } => ("done", Some(*on), note.clone(), None),
        MilestoneProgress::Skipped { reason } => ("skipped", None, None, Some(reason.clone())),
    };
    let by = if state == "done" { by } else { None };
    let sql = "UPDATE trajectory_milestones SET state = $1, done_on = $2, done_by = $3, note = $4, skip_reason = $5 \
               WHERE id = $6 AND trajectory_id IN (SELECT t.id FROM trajectories t \
               JOIN employments e ON e.id = t.employment_id WHERE e.institution_id = $7)";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(state)
            .bind(done_on)
            .bind(by)
            .bind(note)
            .bind(skip)
            .bind(id)
            .bind(institution)
            .execute(&mut **conn)
            .await?
            .rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
