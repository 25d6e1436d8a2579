//! Teams of an institution: coordinators create and edit them and choose
//! their team leaders; team leaders see their own teams.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Ctx, ServiceError, access, taken_as_field};
use crate::domain::{
    AuditAction, FieldErrors, FieldProblem, InstitutionId, Membership, Name, PersonId, PersonRef, Role, RoleAssignment,
    Sector, TeamForCreate, TeamId, TeamOverview,
};
use crate::store::{Db, memberships, people, teams};

/// The teams the caller may see: all of the institution for a coordinator,
/// their own for a team leader. By name.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn list(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Vec<TeamOverview>, ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Coordinator, Role::TeamLeader], "teams.list").await?;
    let own = ctx.teams_as(Role::TeamLeader);
    let all = teams::list(db, institution).await?;
    let leaders = memberships::active_with_role(db, institution, Role::TeamLeader).await?;
    let ids: Vec<PersonId> = leaders
        .iter()
        .map(|m| m.person)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let names: HashMap<PersonId, String> = people::names_of(db, institution, &ids).await?.into_iter().collect();
    let counts: HashMap<TeamId, usize> = memberships::member_counts(db, institution).await?.into_iter().collect();
    Ok(all
        .into_iter()
        .filter(|team| ctx.has(Role::Coordinator) || own.contains(&team.id))
        .map(|team| overview(team, &leaders, &names, &counts))
        .collect())
}

fn overview(
    team: crate::domain::Team,
    leaders: &[Membership],
    names: &HashMap<PersonId, String>,
    counts: &HashMap<TeamId, usize>,
) -> TeamOverview {
    let mut team_leaders: Vec<PersonRef> = leaders
        .iter()
        .filter(|m| m.team == Some(team.id))
        .map(|m| PersonRef {
            id: m.person,
            name: names.get(&m.person).cloned().unwrap_or_default(),
        })
        .collect();
    team_leaders.sort_by(|a, b| a.name.cmp(&b.name));
    TeamOverview {
        member_count: counts.get(&team.id).copied().unwrap_or(0),
        id: team.id,
        name: team.name.to_string(),
        sector: team.sector,
        leaders: team_leaders,
    }
}

fn parse(name: &str, sector: &str) -> Result<TeamForCreate, ServiceError> {
    let mut errors = FieldErrors::new();
    let name = errors.check("name", Name::parse(name));
    let sector = errors.check("sector", Sector::from_code(sector).ok_or(FieldProblem::UnknownChoice));
    match (name, sector) {
        (Some(name), Some(sector)) if errors.is_empty() => Ok(TeamForCreate { name, sector }),
        _ => Err(errors.into()),
    }
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn create(db: &Db, now: DateTime<Utc>, ctx: &Ctx, name: &str, sector: &str) -> Result<TeamId, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "teams.create").await?;
    let new = parse(name, sector)?;
    let mut tx = db.begin_write().await?;
    let id = teams::create(&mut tx, institution, &new, now)
        .await
        .map_err(|e| taken_as_field(e, "teams_institution_id_name_key", "name"))?;
    let details = json!({ "team": id.0, "name": new.name.as_str(), "sector": new.sector.code() });
    ctx.audit(&mut tx, now, institution, None, AuditAction::TeamCreated, details)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// One team with its leaders (coordinator, or its own team leader).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn get(db: &Db, now: DateTime<Utc>, ctx: &Ctx, id: TeamId) -> Result<TeamOverview, ServiceError> {
    list(db, now, ctx)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(ServiceError::NotFound)
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn update(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    id: TeamId,
    name: &str,
    sector: &str,
) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "teams.update").await?;
    let change = parse(name, sector)?;
    let before = teams::get(db, institution, id).await?;
    let mut tx = db.begin_write().await?;
    teams::update(&mut tx, institution, id, &change)
        .await
        .map_err(|e| taken_as_field(e, "teams_institution_id_name_key", "name"))?;
    let details = json!({
        "team": id.0,
        "from": { "name": before.name.as_str(), "sector": before.sector.code() },
        "to": { "name": change.name.as_str(), "sector": change.sector.code() },
    });
    ctx.audit(&mut tx, now, institution, None, AuditAction::TeamUpdated, details)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Make exactly `leaders` the team leaders of the team. Each must be a
/// person of the institution.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn set_leaders(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    id: TeamId,
    leaders: &[PersonId],
) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "teams.set_leaders").await?;
    teams::get(db, institution, id).await?;
    for leader in leaders {
        people::get_in_institution(db, institution, *leader).await?;
    }
    let wanted: BTreeSet<PersonId> = leaders.iter().copied().collect();
    let active = memberships::active_with_role(db, institution, Role::TeamLeader).await?;
    let current: BTreeSet<PersonId> = active
        .iter()
        .filter(|m| m.role == Role::TeamLeader && m.team == Some(id))
        .map(|m| m.person)
        .collect();
    let mut tx = db.begin_write().await?;
    for m in active
        .iter()
        .filter(|m| m.role == Role::TeamLeader && m.team == Some(id) && !wanted.contains(&m.person))
    {
        memberships::end(&mut tx, m.id, now).await?;
    }
    for person in wanted.difference(&current) {
        memberships::start(
            &mut tx,
            *person,
            Some(institution),
            RoleAssignment {
                role: Role::TeamLeader,
                team: Some(id),
            },
            now,
        )
        .await?;
    }
    if wanted != current {
        let details = json!({
            "team": id.0,
            "added": wanted.difference(&current).map(|p| p.0).collect::<Vec<_>>(),
            "removed": current.difference(&wanted).map(|p| p.0).collect::<Vec<_>>(),
        });
        ctx.audit(
            &mut tx,
            now,
            institution,
            None,
            AuditAction::TeamLeadersChanged,
            details,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Teams of the institution as plain choices (for forms).
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn choices(db: &Db, institution: InstitutionId) -> Result<Vec<(TeamId, String)>, ServiceError> {
    Ok(teams::list(db, institution)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name.to_string()))
        .collect())
}
