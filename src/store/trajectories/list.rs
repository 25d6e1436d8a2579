//! The starters list in two statements: each employment of the institution
//! with its name, the terms in force and its status; then the milestone
//! counts, computed by the database (through
//! `trajectory_milestones_progress_idx` the counts never touch a
//! milestone's row), only for the employments a page shows unless the list
//! is sorted by them. Counting every employment's milestones took twice as
//! long as the rest of the list.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::corrupt;
use crate::domain::trajectory::{EntryRoute, ProgressCount};
use crate::domain::{EmploymentId, InstitutionId, PartnershipId, PersonId, TeamId};
use crate::store::dialect::placeholders;
use crate::store::{Db, StoreError, on_db};

/// One employment as the starters list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedEmployment {
    pub id: EmploymentId,
    pub person: PersonId,
    pub name: String,
    pub employee_number: String,
    pub route: EntryRoute,
    pub start: NaiveDate,
    pub ended: bool,
    /// The day the induction was completed, if it was.
    pub completed_on: Option<NaiveDate>,
    /// Team and partnership of the terms in force on `today`, or on the
    /// last day of an ended employment (the first terms when all start
    /// later), as `domain::trajectory::terms_on` chooses them.
    pub team: Option<TeamId>,
    pub partnership: Option<PartnershipId>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    person_id: i64,
    full_name: String,
    employee_number: String,
    entry_route: String,
    start_date: NaiveDate,
    ended: bool,
    completed_on: Option<NaiveDate>,
    team_id: Option<i64>,
    partnership_id: Option<i64>,
}

/// `et`, the terms of employment `e` in force on `$2` (today), or on the
/// last day of an ended employment; the first terms when all start later.
const TERMS_IN_FORCE: &str = "LEFT JOIN employment_terms et ON et.id = COALESCE( \
     (SELECT x.id FROM employment_terms x WHERE x.employment_id = e.id \
      AND x.valid_from <= (CASE WHEN e.end_date < $2 THEN e.end_date ELSE $2 END) \
      ORDER BY x.valid_from DESC LIMIT 1), \
     (SELECT x.id FROM employment_terms x WHERE x.employment_id = e.id ORDER BY x.valid_from LIMIT 1))";

/// Every employment of the institution, newest start first.
pub async fn listed_employments(
    db: &Db,
    institution: InstitutionId,
    today: NaiveDate,
) -> Result<Vec<ListedEmployment>, StoreError> {
    let sql = format!(
        "SELECT e.id, e.person_id, p.full_name, e.employee_number, e.entry_route, e.start_date, \
                e.end_date IS NOT NULL AS ended, t.completed_on, \
                et.team_id, et.partnership_id \
         FROM employments e \
         JOIN people p ON p.id = e.person_id \
         LEFT JOIN trajectories t ON t.employment_id = e.id \
         {TERMS_IN_FORCE} \
         WHERE e.institution_id = $1"
    );
    let mut rows: Vec<Row> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(today).fetch_all(pool).await?);
    // Sorted here: in SQL the sort holds every computed row (on SQLite it
    // triples the statement's time).
    rows.sort_unstable_by(|a, b| b.start_date.cmp(&a.start_date).then(b.id.cmp(&a.id)));
    rows.into_iter()
        .map(|r| {
            Ok(ListedEmployment {
                id: EmploymentId(r.id),
                person: PersonId(r.person_id),
                route: EntryRoute::from_code(&r.entry_route)
                    .ok_or_else(|| corrupt(format!("employment {} route", r.id)))?,
                name: r.full_name,
                employee_number: r.employee_number,
                start: r.start_date,
                ended: r.ended,
                completed_on: r.completed_on,
                team: r.team_id.map(TeamId),
                partnership: r.partnership_id.map(PartnershipId),
            })
        })
        .collect()
}

/// A starter who waits for a workplace mentor, as the pairing page lists
/// them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingStarter {
    pub person: PersonId,
    pub name: String,
    pub start: NaiveDate,
    /// The team of the terms in force on `today` (the first terms when all
    /// start later).
    pub team: Option<TeamId>,
}

#[derive(sqlx::FromRow)]
struct WaitingRow {
    person_id: i64,
    full_name: String,
    start_date: NaiveDate,
    team_id: Option<i64>,
}

/// The starters whose latest employment at the institution is still in
/// its induction on `today` (not ended, not completed by then) and who
/// have no open workplace-mentor pairing there, in no particular order.
/// Only these rows are read in full: the pairing page of a large
/// institution used to read every employment it ever had. Most starters
/// are paired, so that test comes first (one look in `pairings_open_key`).
pub async fn waiting_for_mentor(
    db: &Db,
    institution: InstitutionId,
    today: NaiveDate,
) -> Result<Vec<WaitingStarter>, StoreError> {
    let sql = format!(
        "SELECT e.person_id, p.full_name, e.start_date, et.team_id \
         FROM employments e \
         JOIN people p ON p.id = e.person_id \
         {TERMS_IN_FORCE} \
         WHERE e.institution_id = $1 AND e.end_date IS NULL \
           AND NOT EXISTS (SELECT 1 FROM pairings pr \
                           WHERE pr.starter_id = e.person_id AND pr.kind = $3 AND pr.end_date IS NULL \
                             AND pr.institution_id = e.institution_id) \
           AND NOT EXISTS (SELECT 1 FROM trajectories t WHERE t.employment_id = e.id AND t.completed_on <= $2) \
           AND NOT EXISTS (SELECT 1 FROM employments l \
                           WHERE l.person_id = e.person_id AND l.institution_id = e.institution_id \
                             AND (l.start_date > e.start_date OR (l.start_date = e.start_date AND l.id > e.id)))"
    );
    let rows: Vec<WaitingRow> = on_db!(db, pool => sqlx::query_as(&sql)
        .bind(institution)
        .bind(today)
        .bind(crate::domain::mentoring::PairingKind::WorkplaceMentor.code())
        .fetch_all(pool)
        .await?);
    Ok(rows
        .into_iter()
        .map(|r| WaitingStarter {
            person: PersonId(r.person_id),
            name: r.full_name,
            start: r.start_date,
            team: r.team_id.map(TeamId),
        })
        .collect())
}

/// Which employments' milestones to count.
#[derive(Debug, Clone, Copy)]
pub enum Counted<'a> {
    /// Every employment of the institution (to sort the list by progress).
    All,
    /// These employments of the institution (the rows of one page).
    Only(&'a [EmploymentId]),
}

/// The counts of the milestones of employments of the institution on
/// `today`, by employment; an employment without a trajectory is missing.
pub async fn progress_counts(
    db: &Db,
    institution: InstitutionId,
    today: NaiveDate,
    which: Counted<'_>,
) -> Result<HashMap<EmploymentId, ProgressCount>, StoreError> {
    let count = |condition: &str| {
        format!("(SELECT COUNT(*) FROM trajectory_milestones m WHERE m.trajectory_id = t.id AND {condition})")
    };
    let chosen = match which {
        Counted::All => String::new(),
        Counted::Only([]) => return Ok(HashMap::new()),
        Counted::Only(ids) => format!(" AND t.employment_id IN ({})", placeholders(3, ids.len())),
    };
    let sql = format!(
        "SELECT t.employment_id, {done} AS done, {skipped} AS skipped, {overdue} AS overdue, {open} AS open \
         FROM trajectories t JOIN employments e ON e.id = t.employment_id \
         WHERE e.institution_id = $1{chosen}",
        done = count("m.state = 'done'"),
        skipped = count("m.state = 'skipped'"),
        overdue = count("m.state = 'open' AND m.due_on < $2"),
        open = count("m.state = 'open' AND m.due_on >= $2"),
    );
    let ids: &[EmploymentId] = match which {
        Counted::All => &[],
        Counted::Only(ids) => ids,
    };
    let rows: Vec<(i64, i64, i64, i64, i64)> = on_db!(db, pool => {
        let mut query = sqlx::query_as(&sql).bind(institution).bind(today);
        for id in ids {
            query = query.bind(id.0);
        }
        query.fetch_all(pool).await?
    });
    rows.into_iter()
        .map(|(id, done, skipped, overdue, open)| {
            let counted = |n: i64| u32::try_from(n).map_err(|_| corrupt(format!("employment {id} milestones")));
            Ok((
                EmploymentId(id),
                ProgressCount {
                    done: counted(done)?,
                    skipped: counted(skipped)?,
                    open: counted(open)?,
                    overdue: counted(overdue)?,
                },
            ))
        })
        .collect()
}

/// People with an active starter role in the institution and no employment
/// there yet (to enrol by hand), by name.
pub async fn unenrolled_starters(db: &Db, institution: InstitutionId) -> Result<Vec<(PersonId, String)>, StoreError> {
    let sql = "SELECT DISTINCT p.id, p.full_name FROM memberships m JOIN people p ON p.id = m.person_id \
               WHERE m.institution_id = $1 AND m.role = $2 AND m.ended_at IS NULL \
               AND NOT EXISTS (SELECT 1 FROM employments e WHERE e.person_id = m.person_id AND e.institution_id = $1)";
    let mut rows: Vec<(i64, String)> = on_db!(db, pool => {
        sqlx::query_as(sql).bind(institution).bind(crate::domain::Role::Starter).fetch_all(pool).await?
    });
    rows.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(rows.into_iter().map(|(id, name)| (PersonId(id), name)).collect())
}
