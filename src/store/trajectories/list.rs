//! The starters list. Sorted by name or start date, the database filters,
//! counts and cuts one page (`listed_page`): the page's rows are read in
//! full and no others, whatever the institution's size. Sorted by progress,
//! every employment is read with its name, the terms in force and its
//! status (`listed_employments`). The milestone counts are computed by the
//! database (through `trajectory_milestones_progress_idx` the counts never
//! touch a milestone's row), only for the employments a page shows unless
//! the list is sorted by them. Also who waits for a workplace mentor.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::corrupt;
use crate::domain::trajectory::{EntryRoute, ProgressCount, StarterFilter, StarterStatus};
use crate::domain::{EmploymentId, InstitutionId, PartnershipId, PersonId, TeamId};
use crate::store::dialect::{bytewise, placeholders};
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

impl Row {
    fn listed(self) -> Result<ListedEmployment, StoreError> {
        Ok(ListedEmployment {
            id: EmploymentId(self.id),
            person: PersonId(self.person_id),
            route: EntryRoute::from_code(&self.entry_route)
                .ok_or_else(|| corrupt(format!("employment {} route", self.id)))?,
            name: self.full_name,
            employee_number: self.employee_number,
            start: self.start_date,
            ended: self.ended,
            completed_on: self.completed_on,
            team: self.team_id.map(TeamId),
            partnership: self.partnership_id.map(PartnershipId),
        })
    }
}

/// The id of the terms of employment `e` in force on `today` (a
/// placeholder), or on the last day of an ended employment; the first
/// terms when all start later.
fn id_in_force(today: &str) -> String {
    format!(
        "COALESCE( \
         (SELECT x.id FROM employment_terms x WHERE x.employment_id = e.id \
          AND x.valid_from <= (CASE WHEN e.end_date < {today} THEN e.end_date ELSE {today} END) \
          ORDER BY x.valid_from DESC LIMIT 1), \
         (SELECT x.id FROM employment_terms x WHERE x.employment_id = e.id ORDER BY x.valid_from LIMIT 1))"
    )
}

/// `et`, the terms of employment `e` in force on `today` (see [`id_in_force`]).
fn terms_in_force(today: &str) -> String {
    format!("LEFT JOIN employment_terms et ON et.id = {}", id_in_force(today))
}

/// One column of the terms in force, as a subquery read once per row the
/// query returns. A join would let PostgreSQL hash every employment's terms
/// of the deployment first when it expects many rows.
fn in_force(column: &str, today: &str) -> String {
    format!(
        "(SELECT et.{column} FROM employment_terms et WHERE et.id = {})",
        id_in_force(today)
    )
}

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
         {terms} \
         WHERE e.institution_id = $1",
        terms = terms_in_force("$2"),
    );
    let mut rows: Vec<Row> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(today).fetch_all(pool).await?);
    // Sorted here: in SQL the sort holds every computed row (on SQLite it
    // triples the statement's time).
    rows.sort_unstable_by(|a, b| b.start_date.cmp(&a.start_date).then(b.id.cmp(&a.id)));
    rows.into_iter().map(Row::listed).collect()
}

/// Whose employments a starters list may show.
#[derive(Debug, Clone, Copy)]
pub enum ListSeen<'a> {
    /// Every employment of the institution (a coordinator).
    All,
    /// Those whose terms in force are in one of `teams` (a team leader's),
    /// and `myself`'s own.
    Teams {
        teams: &'a [TeamId],
        myself: Option<PersonId>,
    },
}

/// The orders the database gives the starters list (ordering by milestone
/// counts needs every row's counts: that list is sorted in Rust).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    /// By name (`people.name_key`), then the newest start.
    Name,
    /// The newest start first, then by name.
    StartDate,
}

/// One page of the starters list, cut by the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPage {
    pub rows: Vec<ListedEmployment>,
    /// How many employments the filters keep.
    pub total: usize,
    /// The page shown: the one asked for, or the last when that is past
    /// the end.
    pub page: u32,
    pub pages: u32,
    /// The start date of every employment the caller may see, filters
    /// aside (the school years to filter on), each once, in no order.
    pub start_dates: Vec<NaiveDate>,
}

/// A parameter of a statement built by `Query`.
enum Arg {
    Int(i64),
    Text(&'static str),
    Date(NaiveDate),
}

/// Bind a `Query`'s parameters in order.
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                Arg::Int(value) => query.bind(*value),
                Arg::Text(value) => query.bind(*value),
                Arg::Date(value) => query.bind(*value),
            };
        }
        query
    }};
}

/// The FROM and WHERE of a statement over an institution's employments
/// (`e`), with only the joins its conditions need: the terms in force
/// (`et`), the trajectory (`t`).
struct Query {
    args: Vec<Arg>,
    joins: String,
    conditions: Vec<String>,
    today: NaiveDate,
    terms: bool,
    trajectory: bool,
}

impl Query {
    fn new(institution: InstitutionId, today: NaiveDate) -> Query {
        Query {
            args: vec![Arg::Int(institution.0)],
            joins: String::new(),
            conditions: vec!["e.institution_id = $1".to_owned()],
            today,
            terms: false,
            trajectory: false,
        }
    }

    /// Add a parameter; its placeholder.
    fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn terms(&mut self) {
        if !self.terms {
            let today = self.arg(Arg::Date(self.today));
            self.joins.push(' ');
            self.joins.push_str(&terms_in_force(&today));
            self.terms = true;
        }
    }

    fn trajectory(&mut self) {
        if !self.trajectory {
            self.joins
                .push_str(" LEFT JOIN trajectories t ON t.employment_id = e.id");
            self.trajectory = true;
        }
    }

    /// Keep what `seen` may see (as `service::starters::Scope::admits`).
    fn seen(&mut self, seen: ListSeen<'_>) {
        let ListSeen::Teams { teams, myself } = seen else {
            return;
        };
        let mut either = Vec::new();
        if !teams.is_empty() {
            self.terms();
            let ids: Vec<String> = teams.iter().map(|t| self.arg(Arg::Int(t.0))).collect();
            either.push(format!("et.team_id IN ({})", ids.join(", ")));
        }
        if let Some(me) = myself {
            either.push(format!("e.person_id = {}", self.arg(Arg::Int(me.0))));
        }
        self.conditions.push(if either.is_empty() {
            "1 = 0".to_owned()
        } else {
            format!("({})", either.join(" OR "))
        });
    }

    /// Keep what the filters keep (as `StarterPage::build` filters).
    fn filter(&mut self, filter: &StarterFilter) {
        if let Some(team) = filter.team {
            self.terms();
            let team = self.arg(Arg::Int(team.0));
            self.conditions.push(format!("et.team_id = {team}"));
        }
        if let Some(route) = filter.route {
            let route = self.arg(Arg::Text(route.code()));
            self.conditions.push(format!("e.entry_route = {route}"));
        }
        if let Some(status) = filter.status {
            if status != StarterStatus::Left {
                self.trajectory();
            }
            self.conditions.push(
                match status {
                    StarterStatus::Left => "e.end_date IS NOT NULL",
                    StarterStatus::Completed => "e.end_date IS NULL AND t.completed_on IS NOT NULL",
                    StarterStatus::Active => "e.end_date IS NULL AND t.completed_on IS NULL",
                }
                .to_owned(),
            );
        }
        if let Some(year) = filter.start_year {
            // School year `year` runs from 1 August to 31 July.
            let next = year.checked_add(1).and_then(|next| NaiveDate::from_ymd_opt(next, 8, 1));
            match (NaiveDate::from_ymd_opt(year, 8, 1), next) {
                (Some(from), Some(until)) => {
                    let (from, until) = (self.arg(Arg::Date(from)), self.arg(Arg::Date(until)));
                    self.conditions
                        .push(format!("e.start_date >= {from} AND e.start_date < {until}"));
                }
                _ => self.conditions.push("1 = 0".to_owned()),
            }
        }
        if let Some(in_partnership) = filter.in_partnership {
            self.terms();
            self.conditions.push(
                if in_partnership {
                    "et.partnership_id IS NOT NULL"
                } else {
                    "et.partnership_id IS NULL"
                }
                .to_owned(),
            );
        }
    }

    fn tables_and_conditions(&self) -> String {
        format!(
            "FROM employments e{} WHERE {}",
            self.joins,
            self.conditions.join(" AND ")
        )
    }
}

/// One page of the starters list: the rows `seen` may see that `filter`
/// keeps, in `order`, counted and cut in the database, so a page reads its
/// own rows in full and no more. `filter.sort` is not looked at.
pub async fn listed_page(
    db: &Db,
    institution: InstitutionId,
    today: NaiveDate,
    seen: ListSeen<'_>,
    filter: &StarterFilter,
    order: ListOrder,
) -> Result<ListedPage, StoreError> {
    let mut years = Query::new(institution, today);
    years.seen(seen);
    let sql = format!("SELECT DISTINCT e.start_date {}", years.tables_and_conditions());
    let start_dates: Vec<NaiveDate> =
        on_db!(db, pool => bind_args!(sqlx::query_scalar(&sql), &years.args).fetch_all(pool).await?);

    let mut counted = Query::new(institution, today);
    counted.seen(seen);
    counted.filter(filter);
    let sql = format!("SELECT COUNT(*) {}", counted.tables_and_conditions());
    let total: i64 = on_db!(db, pool => bind_args!(sqlx::query_scalar(&sql), &counted.args).fetch_one(pool).await?);
    let total = usize::try_from(total).map_err(|_| corrupt("starters count"))?;
    let (page, pages) = filter.shown_page(total);

    // The page's ids, sorted on the few columns the order needs; then
    // their rows in full.
    // The name key is read per employment: joining `people` instead made
    // PostgreSQL hash every person of the deployment on each page (4.3 ms
    // a page on average over the national institutions against 1.1 ms).
    let mut shown = counted;
    let name = format!(
        "(SELECT k.name_key FROM people k WHERE k.id = e.person_id){}",
        bytewise(db)
    );
    let order = match order {
        ListOrder::Name => format!("{name}, e.start_date DESC, e.id DESC"),
        ListOrder::StartDate => format!("e.start_date DESC, {name}, e.id DESC"),
    };
    let size = StarterFilter::PAGE_SIZE as i64;
    let limit = shown.arg(Arg::Int(size));
    let offset = shown.arg(Arg::Int(i64::from(page) * size));
    let outer_today = shown.arg(Arg::Date(today));
    let sql = format!(
        "SELECT e.id, e.person_id, p.full_name, e.employee_number, e.entry_route, e.start_date, \
                e.end_date IS NOT NULL AS ended, t.completed_on, et.team_id, et.partnership_id \
         FROM (SELECT e.id {tables} ORDER BY {order} LIMIT {limit} OFFSET {offset}) shown \
         JOIN employments e ON e.id = shown.id \
         JOIN people p ON p.id = e.person_id \
         LEFT JOIN trajectories t ON t.employment_id = e.id \
         {terms} \
         ORDER BY {order}",
        tables = shown.tables_and_conditions(),
        terms = terms_in_force(&outer_today),
    );
    let rows: Vec<Row> = on_db!(db, pool => bind_args!(sqlx::query_as(&sql), &shown.args).fetch_all(pool).await?);
    Ok(ListedPage {
        rows: rows.into_iter().map(Row::listed).collect::<Result<_, _>>()?,
        total,
        page,
        pages,
        start_dates,
    })
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
/// The name and team are read per starter found: as joins, PostgreSQL
/// expected most employments to pass and hashed every person and every
/// terms row of the deployment (14 ms a view on average over the national
/// institutions against 2.7 ms now).
pub async fn waiting_for_mentor(
    db: &Db,
    institution: InstitutionId,
    today: NaiveDate,
) -> Result<Vec<WaitingStarter>, StoreError> {
    let sql = format!(
        "SELECT e.person_id, (SELECT p.full_name FROM people p WHERE p.id = e.person_id) AS full_name, \
                e.start_date, {team} AS team_id \
         FROM employments e \
         WHERE e.institution_id = $1 AND e.end_date IS NULL \
           AND NOT EXISTS (SELECT 1 FROM pairings pr \
                           WHERE pr.starter_id = e.person_id AND pr.kind = $3 AND pr.end_date IS NULL \
                             AND pr.institution_id = e.institution_id) \
           AND NOT EXISTS (SELECT 1 FROM trajectories t WHERE t.employment_id = e.id AND t.completed_on <= $2) \
           AND NOT EXISTS (SELECT 1 FROM employments l \
                           WHERE l.person_id = e.person_id AND l.institution_id = e.institution_id \
                             AND (l.start_date > e.start_date OR (l.start_date = e.start_date AND l.id > e.id)))",
        team = in_force("team_id", "$2"),
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
