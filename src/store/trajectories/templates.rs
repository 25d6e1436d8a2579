//! Trajectory templates per entry route: reading them and editing their milestones.

use chrono::{DateTime, Utc};

use super::corrupt;
use super::trajectory::add_milestones;
use crate::domain::trajectory::{CompetenceDomain, EntryRoute, MilestoneTemplate, Offset, OffsetUnit, Phase};
use crate::domain::{InstitutionId, Role, TemplateId, TrajectoryId};
use crate::store::{Db, StoreError, Tx, on_db, on_tx};

/// Make sure the institution has a template for `route`, creating it from
/// the defaults the first time. Returns its id and version.
pub async fn ensure_template(
    tx: &mut Tx,
    institution: InstitutionId,
    route: EntryRoute,
    at: DateTime<Utc>,
) -> Result<(TemplateId, i64), StoreError> {
    let find = "SELECT id, version FROM trajectory_templates WHERE institution_id = $1 AND entry_route = $2";
    let found: Option<(i64, i64)> = on_tx!(tx, conn => {
        sqlx::query_as(find).bind(institution).bind(route.code()).fetch_optional(&mut **conn).await?
    });
    if let Some((id, version)) = found {
        return Ok((TemplateId(id), version));
    }
    let insert = "INSERT INTO trajectory_templates (institution_id, entry_route, version, updated_at) \
                  VALUES ($1, $2, 1, $3) RETURNING id";
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(insert).bind(institution).bind(route.code()).bind(at).fetch_one(&mut **conn).await?
    });
    for (position, milestone) in crate::domain::trajectory::default_milestones(route).iter().enumerate() {
        add_template_milestone(tx, TemplateId(id), position as i64, milestone).await?;
    }
    Ok((TemplateId(id), 1))
}

pub async fn add_template_milestone(
    tx: &mut Tx,
    template: TemplateId,
    position: i64,
    m: &MilestoneTemplate,
) -> Result<i64, StoreError> {
    let sql = "INSERT INTO template_milestones \
               (template_id, position, title, phase, offset_amount, offset_unit, owner_role, competence_domain) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(template)
            .bind(position)
            .bind(&m.title)
            .bind(m.phase.code())
            .bind(i64::from(m.offset.amount))
            .bind(m.offset.unit.code())
            .bind(m.owner.code())
            .bind(m.domain.map(CompetenceDomain::code))
            .fetch_one(&mut **conn)
            .await?
    }))
}

#[derive(sqlx::FromRow)]
pub(super) struct TemplateMilestoneRow {
    id: i64,
    title: String,
    phase: Phase,
    offset_amount: i64,
    offset_unit: OffsetUnit,
    owner_role: Role,
    competence_domain: Option<CompetenceDomain>,
}

pub(super) fn to_template_milestone(row: TemplateMilestoneRow) -> Result<(i64, MilestoneTemplate), StoreError> {
    let id = row.id;
    Ok((
        id,
        MilestoneTemplate {
            title: row.title,
            phase: row.phase,
            offset: Offset {
                amount: u16::try_from(row.offset_amount)
                    .map_err(|_| corrupt(format!("template milestone {id} offset")))?,
                unit: row.offset_unit,
            },
            owner: row.owner_role,
            domain: row.competence_domain,
        },
    ))
}

/// The current milestones of a template, in order.
pub async fn template_milestones(
    tx: &mut Tx,
    template: TemplateId,
) -> Result<Vec<(i64, MilestoneTemplate)>, StoreError> {
    let sql = "SELECT id, title, phase, offset_amount, offset_unit, owner_role, competence_domain \
               FROM template_milestones WHERE template_id = $1 AND removed_at IS NULL ORDER BY position, id";
    let rows: Vec<TemplateMilestoneRow> =
        on_tx!(tx, conn => sqlx::query_as(sql).bind(template).fetch_all(&mut **conn).await?);
    rows.into_iter().map(to_template_milestone).collect()
}

// Editing templates.

/// The institution's templates: id, route and version.
pub async fn templates(db: &Db, institution: InstitutionId) -> Result<Vec<(TemplateId, EntryRoute, i64)>, StoreError> {
    let sql = "SELECT id, entry_route, version FROM trajectory_templates WHERE institution_id = $1";
    let rows: Vec<(i64, String, i64)> =
        on_db!(db, pool => sqlx::query_as(sql).bind(institution).fetch_all(pool).await?);
    rows.into_iter()
        .map(|(id, route, version)| {
            let route = EntryRoute::from_code(&route).ok_or_else(|| corrupt(format!("template {id} route")))?;
            Ok((TemplateId(id), route, version))
        })
        .collect()
}

/// Change one current milestone of a template.
pub async fn update_template_milestone(
    tx: &mut Tx,
    template: TemplateId,
    id: i64,
    m: &MilestoneTemplate,
) -> Result<(), StoreError> {
    let sql = "UPDATE template_milestones SET title = $1, phase = $2, offset_amount = $3, offset_unit = $4, \
               owner_role = $5, competence_domain = $6 WHERE id = $7 AND template_id = $8 AND removed_at IS NULL";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(&m.title)
            .bind(m.phase.code())
            .bind(i64::from(m.offset.amount))
            .bind(m.offset.unit.code())
            .bind(m.owner.code())
            .bind(m.domain.map(CompetenceDomain::code))
            .bind(id)
            .bind(template)
            .execute(&mut **conn)
            .await?
            .rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Take a milestone out of a template (its row stays for the copies).
pub async fn remove_template_milestone(
    tx: &mut Tx,
    template: TemplateId,
    id: i64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql =
        "UPDATE template_milestones SET removed_at = $1 WHERE id = $2 AND template_id = $3 AND removed_at IS NULL";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql).bind(at).bind(id).bind(template).execute(&mut **conn).await?.rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// The next free position at the end of a template.
pub async fn next_position(tx: &mut Tx, template: TemplateId) -> Result<i64, StoreError> {
    let sql = "SELECT COALESCE(MAX(position), -1) + 1 FROM template_milestones WHERE template_id = $1";
    Ok(on_tx!(tx, conn => sqlx::query_scalar(sql).bind(template).fetch_one(&mut **conn).await?))
}

/// Count a change of a template; returns the new version.
pub async fn bump_version(tx: &mut Tx, template: TemplateId, at: DateTime<Utc>) -> Result<i64, StoreError> {
    let sql = "UPDATE trajectory_templates SET version = version + 1, updated_at = $1 WHERE id = $2 RETURNING version";
    Ok(on_tx!(tx, conn => sqlx::query_scalar(sql).bind(at).bind(template).fetch_one(&mut **conn).await?))
}

/// Apply a planned template update to one trajectory: open milestones only.
pub async fn apply_template_update(
    tx: &mut Tx,
    trajectory: TrajectoryId,
    update: &crate::domain::trajectory::TemplateUpdate,
    version: i64,
) -> Result<(), StoreError> {
    add_milestones(tx, trajectory, &update.add).await?;
    for (id, m) in &update.change {
        let sql = "UPDATE trajectory_milestones SET title = $1, phase = $2, owner_role = $3, competence_domain = $4, \
                   due_on = $5 WHERE id = $6 AND trajectory_id = $7 AND state = 'open'";
        on_tx!(tx, conn => {
            sqlx::query(sql)
                .bind(&m.title)
                .bind(m.phase.code())
                .bind(m.owner.code())
                .bind(m.domain.map(CompetenceDomain::code))
                .bind(m.due)
                .bind(id)
                .bind(trajectory)
                .execute(&mut **conn)
                .await?;
        });
    }
    for id in &update.remove {
        let sql = "DELETE FROM trajectory_milestones WHERE id = $1 AND trajectory_id = $2 AND state = 'open'";
        on_tx!(tx, conn => { sqlx::query(sql).bind(id).bind(trajectory).execute(&mut **conn).await?; });
    }
    let sql = "UPDATE trajectories SET template_version = $1 WHERE id = $2";
    on_tx!(tx, conn => { sqlx::query(sql).bind(version).bind(trajectory).execute(&mut **conn).await?; });
    Ok(())
}
