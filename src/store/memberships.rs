//! Memberships: a role held for a dated period. Changing someone's roles
//! ends periods and starts new ones; nothing is overwritten.

use chrono::{DateTime, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::{InstitutionId, Membership, PersonId, Role, RoleAssignment, TeamId};

#[derive(sqlx::FromRow)]
struct MembershipRow {
    id: i64,
    person_id: i64,
    institution_id: Option<i64>,
    role: Role,
    team_id: Option<i64>,
    started_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, person_id, institution_id, role, team_id, started_at, ended_at";

fn to_membership(row: MembershipRow) -> Result<Membership, StoreError> {
    Ok(Membership {
        id: row.id,
        person: PersonId(row.person_id),
        institution: row.institution_id.map(InstitutionId),
        role: row.role,
        team: row.team_id.map(TeamId),
        started_at: row.started_at,
        ended_at: row.ended_at,
    })
}

/// The membership columns of a statement that joins a person's active
/// memberships (`LEFT JOIN memberships m`): all `NULL` for a person without.
pub(super) const JOINED_COLUMNS: &str = "m.id AS m_id, m.institution_id AS m_institution_id, m.role AS m_role, \
                                         m.team_id AS m_team_id, m.started_at AS m_started_at";

#[derive(sqlx::FromRow)]
pub(super) struct JoinedMembershipRow {
    m_id: Option<i64>,
    m_institution_id: Option<i64>,
    m_role: Option<Role>,
    m_team_id: Option<i64>,
    m_started_at: Option<DateTime<Utc>>,
}

/// The active membership of `person` in a joined row, if the row has one.
pub(super) fn joined(person: PersonId, row: JoinedMembershipRow) -> Option<Membership> {
    Some(Membership {
        id: row.m_id?,
        person,
        institution: row.m_institution_id.map(InstitutionId),
        role: row.m_role?,
        team: row.m_team_id.map(TeamId),
        started_at: row.m_started_at?,
        ended_at: None,
    })
}

/// Start a role for a person. Institutional roles need the institution;
/// admin and analyst must have none (the database enforces it too).
pub async fn start(
    tx: &mut Tx,
    person: PersonId,
    institution: Option<InstitutionId>,
    assignment: RoleAssignment,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let sql = "INSERT INTO memberships (person_id, institution_id, role, team_id, started_at) \
               VALUES ($1, $2, $3, $4, $5) RETURNING id";
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(person)
            .bind(institution)
            .bind(assignment.role.code())
            .bind(assignment.team)
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    }))
}

/// End an active membership.
pub async fn end(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
    let sql = "UPDATE memberships SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL";
    on_tx!(tx, conn => { sqlx::query(sql).bind(at).bind(id).execute(&mut **conn).await?; });
    Ok(())
}

/// A person's active memberships.
pub async fn active_for_person(db: &Db, person: PersonId) -> Result<Vec<Membership>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM memberships WHERE person_id = $1 AND ended_at IS NULL ORDER BY id");
    let rows: Vec<MembershipRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(person).fetch_all(pool).await?);
    rows.into_iter().map(to_membership).collect()
}

/// The active memberships of these people (one page of a list).
pub async fn active_for_people(db: &Db, people: &[PersonId]) -> Result<Vec<Membership>, StoreError> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = super::dialect::placeholders(1, people.len());
    let sql = format!(
        "SELECT {COLUMNS} FROM memberships WHERE person_id IN ({placeholders}) AND ended_at IS NULL ORDER BY id"
    );
    let rows: Vec<MembershipRow> = on_db!(db, pool => {
        let mut query = sqlx::query_as(&sql);
        for person in people {
            query = query.bind(*person);
        }
        query.fetch_all(pool).await?
    });
    rows.into_iter().map(to_membership).collect()
}

/// Every active membership in an institution.
pub async fn active_in_institution(db: &Db, institution: InstitutionId) -> Result<Vec<Membership>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM memberships WHERE institution_id = $1 AND ended_at IS NULL ORDER BY id");
    let rows: Vec<MembershipRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(institution).fetch_all(pool).await?);
    rows.into_iter().map(to_membership).collect()
}

/// The active memberships of one role in an institution (its coordinators,
/// say), through the index on (institution, role).
pub async fn active_with_role(db: &Db, institution: InstitutionId, role: Role) -> Result<Vec<Membership>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM memberships WHERE institution_id = $1 AND role = $2 AND ended_at IS NULL ORDER BY id"
    );
    let rows: Vec<MembershipRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(role.code()).fetch_all(pool).await?);
    rows.into_iter().map(to_membership).collect()
}

/// A person's memberships, active and ended, oldest first (their history).
pub async fn history_for_person(db: &Db, person: PersonId) -> Result<Vec<Membership>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM memberships WHERE person_id = $1 ORDER BY started_at, id");
    let rows: Vec<MembershipRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(person).fetch_all(pool).await?);
    rows.into_iter().map(to_membership).collect()
}

/// What `set_roles` changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RoleChanges {
    pub started: Vec<RoleAssignment>,
    pub ended: Vec<RoleAssignment>,
}

impl RoleChanges {
    pub fn is_empty(&self) -> bool {
        self.started.is_empty() && self.ended.is_empty()
    }
}

/// Make the person's active roles in the institution exactly `wanted`:
/// periods no longer wanted end, new ones start, unchanged ones run on.
pub async fn set_roles(
    tx: &mut Tx,
    person: PersonId,
    institution: Option<InstitutionId>,
    wanted: &[RoleAssignment],
    at: DateTime<Utc>,
) -> Result<RoleChanges, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM memberships WHERE person_id = $1 AND ended_at IS NULL \
         AND (institution_id = $2 OR (institution_id IS NULL AND $2 IS NULL))"
    );
    let rows: Vec<MembershipRow> = on_tx!(tx, conn => {
        sqlx::query_as(&sql).bind(person).bind(institution).fetch_all(&mut **conn).await?
    });
    let active = rows.into_iter().map(to_membership).collect::<Result<Vec<_>, _>>()?;
    let mut changes = RoleChanges::default();
    for membership in &active {
        let current = RoleAssignment {
            role: membership.role,
            team: membership.team,
        };
        if !wanted.contains(&current) {
            end(tx, membership.id, at).await?;
            changes.ended.push(current);
        }
    }
    for assignment in wanted {
        let running = active
            .iter()
            .any(|m| m.role == assignment.role && m.team == assignment.team);
        if !running && !changes.started.contains(assignment) {
            start(tx, person, institution, *assignment, at).await?;
            changes.started.push(*assignment);
        }
    }
    Ok(changes)
}

/// How many different people hold an active role in each team of the
/// institution (teams nobody is in are left out).
pub async fn member_counts(db: &Db, institution: InstitutionId) -> Result<Vec<(TeamId, usize)>, StoreError> {
    let sql = "SELECT team_id, COUNT(DISTINCT person_id) FROM memberships \
               WHERE institution_id = $1 AND ended_at IS NULL AND team_id IS NOT NULL GROUP BY team_id";
    let rows: Vec<(i64, i64)> = on_db!(db, pool => sqlx::query_as(sql).bind(institution).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(team, count)| (TeamId(team), usize::try_from(count).unwrap_or(0)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, person, two_institutions};

    crate::db_test!(async fn set_roles_keeps_history_as_dated_periods(db) {
        let f = two_institutions(db).await;
        let mut tx = db.begin_write().await.unwrap();
        let p = crate::store::people::create(&mut tx, &person("Fleur", None, Some(f.a)), at(2026, 8, 1)).await.unwrap();
        let mentor = RoleAssignment { role: Role::Mentor, team: Some(f.team_of_a) };
        let leader = RoleAssignment { role: Role::TeamLeader, team: Some(f.team_of_a) };
        let first = set_roles(&mut tx, p, Some(f.a), &[mentor], at(2026, 8, 1)).await.unwrap();
        assert_eq!(first, RoleChanges { started: vec![mentor], ended: vec![] });
        let again = set_roles(&mut tx, p, Some(f.a), &[mentor], at(2026, 8, 2)).await.unwrap();
        assert!(again.is_empty());
        let swap = set_roles(&mut tx, p, Some(f.a), &[leader], at(2026, 9, 1)).await.unwrap();
        assert_eq!(swap, RoleChanges { started: vec![leader], ended: vec![mentor] });
        tx.commit().await.unwrap();

        let active = active_for_person(db, p).await.unwrap();
        assert_eq!(active.iter().map(|m| m.role).collect::<Vec<_>>(), [Role::TeamLeader]);
        let history = history_for_person(db, p).await.unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].role, Role::Mentor);
        assert_eq!(history[0].ended_at, Some(at(2026, 9, 1)));
        assert_eq!(history[1].started_at, at(2026, 9, 1));
        assert_eq!(active_in_institution(db, f.a).await.unwrap().len(), 1);
        assert!(active_in_institution(db, f.b).await.unwrap().is_empty());
    });

    crate::db_test!(async fn deployment_roles_have_no_institution(db) {
        let f = two_institutions(db).await;
        let mut tx = db.begin_write().await.unwrap();
        let p = crate::store::people::create(&mut tx, &person("Beheer", None, None), at(2026, 8, 1)).await.unwrap();
        set_roles(&mut tx, p, None, &[RoleAssignment { role: Role::Admin, team: None }], at(2026, 8, 1)).await.unwrap();
        let refused = start(&mut tx, p, Some(f.a), RoleAssignment { role: Role::Admin, team: None }, at(2026, 8, 1)).await;
        assert!(refused.is_err(), "an admin role inside an institution is refused by the schema");
    });
}
