//! What the dropout rules read, for every starter of one institution at
//! once: one query per kind of fact, grouped in memory by starter. Nothing
//! here reads conversation content or check-in free text.
//!
//! Also the institution's signal settings, its holiday periods and the
//! alerts with their history.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::alerts::{AlertAction, AlertEvent, AlertState};
use crate::domain::signals::{CheckInFact, MilestoneFact, RuleId, Settings, Severity, Span, StarterFacts};
use crate::domain::{InstitutionId, PersonId, TeamId};

/// One employment of a starter with the facts the rules read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarterRecord {
    pub employment: i64,
    pub person: PersonId,
    pub name: String,
    pub employee_number: String,
    pub team: Option<(TeamId, String)>,
    /// Current work-place mentors (pairings open today).
    pub mentors: Vec<PersonId>,
    pub last_held: Option<NaiveDate>,
    pub facts: StarterFacts,
}

#[derive(sqlx::FromRow)]
struct EmploymentRow {
    id: i64,
    person_id: i64,
    full_name: String,
    employee_number: String,
    entry_route: String,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    team_id: Option<i64>,
    team_name: Option<String>,
    completed_on: Option<NaiveDate>,
}

/// PDG routes must be finished within two years of the appointment.
const PDG_ROUTE: &str = "side_entrant_pdg";
const PDG_YEARS: u32 = 2;

/// Whose facts to read: every starter of the institution (the backtest),
/// those in their induction on a day (what signals are about), one
/// starter, or the current mentees of one mentor (a mentor's home).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Starters {
    All,
    InInduction(NaiveDate),
    /// In their induction on the day and, by their latest terms, in one of
    /// the teams (a team leader's list; never empty).
    InInductionInTeams(NaiveDate, Vec<TeamId>),
    One(PersonId),
    MenteesOf(PersonId),
}

impl Starters {
    /// The condition on `column` (a starter's person id) to add to a query
    /// whose only other parameter is `$1`; its person is bound as `$2`.
    fn condition(&self, column: &str) -> String {
        match self {
            Starters::All => String::new(),
            // Employed after the day, not completed by it (as
            // `StarterFacts::in_induction`); the day is bound as `$2`.
            Starters::InInduction(_) => format!(
                " AND {column} IN (SELECT ie.person_id FROM employments ie \
                 LEFT JOIN trajectories itr ON itr.employment_id = ie.id \
                 WHERE ie.institution_id = $1 AND ie.start_date <= $2 \
                 AND (ie.end_date IS NULL OR ie.end_date > $2) \
                 AND (itr.completed_on IS NULL OR itr.completed_on > $2))"
            ),
            Starters::InInductionInTeams(_, teams) => format!(
                " AND {column} IN (SELECT ie.person_id FROM employments ie \
                 LEFT JOIN trajectories itr ON itr.employment_id = ie.id \
                 WHERE ie.institution_id = $1 AND ie.start_date <= $2 \
                 AND (ie.end_date IS NULL OR ie.end_date > $2) \
                 AND (itr.completed_on IS NULL OR itr.completed_on > $2) \
                 AND (SELECT it.team_id FROM employment_terms it WHERE it.employment_id = ie.id \
                      ORDER BY it.valid_from DESC LIMIT 1) IN ({}))",
                // Ids, not text: nothing to escape.
                teams.iter().map(|t| t.0.to_string()).collect::<Vec<_>>().join(", ")
            ),
            Starters::One(_) => format!(" AND {column} = $2"),
            Starters::MenteesOf(_) => {
                format!(" AND {column} IN (SELECT starter_id FROM pairings WHERE mentor_id = $2 AND end_date IS NULL)")
            }
        }
    }
}

/// Every employment of `institution` (current and ended; the backtest reads
/// the ended ones) with its facts. `holidays` apply to all.
pub async fn starter_records(
    db: &Db,
    institution: InstitutionId,
    only: Option<PersonId>,
    holidays: &[Span],
) -> Result<Vec<StarterRecord>, StoreError> {
    let which = only.map_or(Starters::All, Starters::One);
    starter_records_of(db, institution, which, holidays).await
}

/// The employments of `which` starters of `institution` with their facts.
pub async fn starter_records_of(
    db: &Db,
    institution: InstitutionId,
    which: Starters,
    holidays: &[Span],
) -> Result<Vec<StarterRecord>, StoreError> {
    // `$2` appears only in the SQL of a narrowed read.
    macro_rules! bind_only {
        ($query:expr) => {
            match &which {
                Starters::All => $query,
                Starters::InInduction(on) | Starters::InInductionInTeams(on, _) => $query.bind(*on),
                Starters::One(person) | Starters::MenteesOf(person) => $query.bind(person.0),
            }
        };
    }
    let employments_sql = format!(
        "SELECT e.id, e.person_id, p.full_name, e.employee_number, e.entry_route, e.start_date, e.end_date, \
                tm.id AS team_id, tm.name AS team_name, tr.completed_on \
         FROM employments e \
         JOIN people p ON p.id = e.person_id \
         LEFT JOIN trajectories tr ON tr.employment_id = e.id \
         JOIN employment_terms t ON t.employment_id = e.id AND t.valid_from = \
              (SELECT MAX(l.valid_from) FROM employment_terms l WHERE l.employment_id = e.id) \
         LEFT JOIN teams tm ON tm.id = t.team_id \
         WHERE e.institution_id = $1{} ORDER BY e.start_date, e.id",
        which.condition("e.person_id")
    );
    let employments: Vec<EmploymentRow> = on_db!(db, pool => bind_only!(sqlx::query_as(&employments_sql)
        .bind(institution)).fetch_all(pool).await?);

    // Contract terms, in order: the latest fixed-term end and the day a
    // later term (a renewal or a permanent contract) decided it.
    let terms_sql = format!(
        "SELECT t.employment_id, t.valid_from, t.contract_until FROM employment_terms t \
         JOIN employments e ON e.id = t.employment_id \
         WHERE e.institution_id = $1{} ORDER BY t.employment_id, t.valid_from",
        which.condition("e.person_id")
    );
    let terms: Vec<(i64, NaiveDate, Option<NaiveDate>)> = on_db!(db, pool => bind_only!(sqlx::query_as(&terms_sql)
        .bind(institution)).fetch_all(pool).await?);
    let pairings_sql = format!(
        "SELECT starter_id, mentor_id, start_date, end_date FROM pairings \
         WHERE institution_id = $1{} AND kind = 'workplace_mentor' \
         ORDER BY start_date, id",
        which.condition("starter_id")
    );
    let pairings: Vec<(i64, i64, NaiveDate, Option<NaiveDate>)> = on_db!(db, pool => bind_only!(sqlx::query_as(&pairings_sql)
        .bind(institution)).fetch_all(pool).await?);
    let conversations_sql = conversations_sql(&which);
    let mut conversations: Vec<(i64, NaiveDate, i64, Option<String>)> = on_db!(db, pool => bind_only!(sqlx::query_as(&conversations_sql)
        .bind(institution)).fetch_all(pool).await?);
    let checkins_sql = checkins_sql(&which);
    let mut checkins: Vec<(i64, NaiveDate, i64, i64, i64, i64)> = on_db!(db, pool => bind_only!(sqlx::query_as(&checkins_sql)
        .bind(institution)).fetch_all(pool).await?);
    let talks_sql = format!(
        "SELECT starter_id, created_at, answered_at FROM talk_requests \
         WHERE institution_id = $1{} ORDER BY created_at, id",
        which.condition("starter_id")
    );
    let talks: Vec<(i64, DateTime<Utc>, Option<DateTime<Utc>>)> = on_db!(db, pool => bind_only!(sqlx::query_as(&talks_sql)
        .bind(institution)).fetch_all(pool).await?);
    let milestones_sql = milestones_sql(&which);
    let mut milestones: Vec<(i64, NaiveDate, i64, String, String, Option<NaiveDate>)> = on_db!(db, pool => bind_only!(sqlx::query_as(&milestones_sql)
        .bind(institution)).fetch_all(pool).await?);
    let hours_sql = format!(
        "SELECT f.employment_id, f.starter_hours_promised, f.starter_hours_granted FROM facilitation f \
         JOIN employments e ON e.id = f.employment_id \
         WHERE e.institution_id = $1{} ORDER BY f.employment_id, f.school_year",
        which.condition("e.person_id")
    );
    let hours: Vec<(i64, i64, Option<i64>)> = on_db!(db, pool => bind_only!(sqlx::query_as(&hours_sql)
        .bind(institution)).fetch_all(pool).await?);

    let mut by_employment: HashMap<i64, StarterFacts> = HashMap::new();
    let mut contract: HashMap<i64, (NaiveDate, Option<NaiveDate>)> = HashMap::new();
    for (employment, valid_from, until) in terms {
        match until {
            Some(until) => {
                contract.insert(employment, (until, None));
            }
            None => {
                if let Some(entry) = contract.get_mut(&employment) {
                    entry.1.get_or_insert(valid_from);
                }
            }
        }
        // A renewal (a later fixed term) decides the earlier one: the
        // latest fixed term is then the one that counts, still undecided.
    }
    // Each history in order: by starter (or employment), day and id. The
    // rows mostly come in that order from the indexes already, which the
    // (stable) sort finds in one pass.
    milestones.sort_by_key(|m| (m.0, m.1, m.2));
    conversations.sort_by_key(|c| (c.0, c.1, c.2));
    checkins.sort_by_key(|c| (c.0, c.1, c.2));
    for (employment, due, _, title, state, done_on) in milestones {
        let closed_on = match state.as_str() {
            "done" => done_on,
            "skipped" => Some(due),
            _ => None,
        };
        by_employment
            .entry(employment)
            .or_default()
            .milestones
            .push(MilestoneFact {
                name: title,
                due,
                closed_on,
            });
    }
    for (employment, promised, granted) in hours {
        by_employment
            .entry(employment)
            .or_default()
            .hours
            .push((promised, granted));
    }

    // Facts keyed by person hold for whichever of their employments is at
    // this institution (a person has one employment per institution at a time).
    let mut by_person: HashMap<i64, StarterFacts> = HashMap::new();
    let mut open_mentors: HashMap<i64, Vec<PersonId>> = HashMap::new();
    for (starter, mentor, start, end) in pairings {
        by_person
            .entry(starter)
            .or_default()
            .mentor_pairings
            .push(Span { start, end });
        if end.is_none() {
            open_mentors.entry(starter).or_default().push(PersonId(mentor));
        }
    }
    for (starter, on, _, concern) in conversations {
        let facts = by_person.entry(starter).or_default();
        facts.held_conversations.push(on);
        if let Some(concern) = concern {
            facts.concerns.push((on, concern == "serious"));
        }
    }
    for (starter, on, _, wellbeing, workload, intention) in checkins {
        by_person.entry(starter).or_default().checkins.push(CheckInFact {
            on,
            wellbeing: score(wellbeing),
            workload: score(workload),
            intention_to_stay: score(intention),
        });
    }
    for (starter, asked, answered) in talks {
        by_person
            .entry(starter)
            .or_default()
            .talk_requests
            .push((asked.date_naive(), answered.map(|a| a.date_naive())));
    }

    // A person's facts are copied only for an earlier employment of theirs
    // here; the last one takes them.
    let mut employments_left: HashMap<i64, usize> = HashMap::new();
    for e in &employments {
        *employments_left.entry(e.person_id).or_default() += 1;
    }
    Ok(employments
        .into_iter()
        .map(|e| {
            let own = by_employment.remove(&e.id).unwrap_or_default();
            let left = employments_left.entry(e.person_id).or_default();
            *left = left.saturating_sub(1);
            let personal = if *left == 0 {
                by_person.remove(&e.person_id).unwrap_or_default()
            } else {
                by_person.get(&e.person_id).cloned().unwrap_or_default()
            };
            let pdg = (e.entry_route == PDG_ROUTE).then(|| {
                let deadline = e
                    .start_date
                    .checked_add_months(chrono::Months::new(12 * PDG_YEARS))
                    .unwrap_or(e.start_date);
                let passed = own
                    .milestones
                    .iter()
                    .filter(|m| m.name.to_lowercase().contains("pdg"))
                    .filter_map(|m| m.closed_on)
                    .max();
                (deadline, passed)
            });
            let last_held = personal.held_conversations.last().copied();
            let facts = StarterFacts {
                start: Some(e.start_date),
                end: e.end_date,
                completed: e.completed_on,
                mentor_pairings: personal.mentor_pairings,
                held_conversations: personal.held_conversations,
                concerns: personal.concerns,
                checkins: personal.checkins,
                talk_requests: personal.talk_requests,
                milestones: own.milestones,
                pdg,
                contract_until: contract.get(&e.id).copied(),
                hours: own.hours,
                holidays: holidays.to_vec(),
            };
            StarterRecord {
                employment: e.id,
                person: PersonId(e.person_id),
                name: e.full_name,
                employee_number: e.employee_number,
                team: e.team_id.map(|id| (TeamId(id), e.team_name.unwrap_or_default())),
                mentors: if e.end_date.is_none() {
                    open_mentors.get(&e.person_id).cloned().unwrap_or_default()
                } else {
                    Vec::new()
                },
                last_held,
                facts,
            }
        })
        .collect())
}

// The histories are read without ORDER BY and put in order per starter in
// memory: sorting an institution's history in the database took most of
// the daily run's reads.

/// Held conversations (starter, day, id, concern).
fn conversations_sql(which: &Starters) -> String {
    format!(
        "SELECT starter_id, held_on, id, concern FROM conversations \
         WHERE institution_id = $1{} AND status = 'held'",
        which.condition("starter_id")
    )
}

/// Check-ins (starter, day, id, scores).
fn checkins_sql(which: &Starters) -> String {
    format!(
        "SELECT starter_id, checked_in_on, id, wellbeing, workload, intention_to_stay FROM checkins \
         WHERE institution_id = $1{}",
        which.condition("starter_id")
    )
}

/// Milestones (employment, due day, id, title, state, done on).
fn milestones_sql(which: &Starters) -> String {
    format!(
        "SELECT tr.employment_id, m.due_on, m.id, m.title, m.state, m.done_on FROM trajectory_milestones m \
         JOIN trajectories tr ON tr.id = m.trajectory_id \
         JOIN employments e ON e.id = tr.employment_id \
         WHERE e.institution_id = $1{}",
        which.condition("e.person_id")
    )
}

fn score(value: i64) -> u8 {
    u8::try_from(value.clamp(1, 5)).unwrap_or(1)
}

// ------------------------------------------------------------- settings

/// The institution's settings, or the defaults when it never changed them.
pub async fn settings(db: &Db, institution: InstitutionId) -> Result<Settings, StoreError> {
    let row: Option<(String,)> = on_db!(db, pool => sqlx::query_as(
        "SELECT settings FROM signal_settings WHERE institution_id = $1")
        .bind(institution).fetch_optional(pool).await?);
    match row {
        Some((json,)) => serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(e.to_string())),
        None => Ok(Settings::default()),
    }
}

pub async fn save_settings(
    tx: &mut Tx,
    institution: InstitutionId,
    settings: &Settings,
    by: PersonId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(settings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let sql = "INSERT INTO signal_settings (institution_id, settings, updated_by, updated_at) \
               VALUES ($1, $2, $3, $4) ON CONFLICT (institution_id) DO UPDATE SET \
               settings = excluded.settings, updated_by = excluded.updated_by, updated_at = excluded.updated_at";
    on_tx!(tx, conn => sqlx::query(sql).bind(institution).bind(json).bind(by).bind(at)
        .execute(&mut **conn).await.map(|_| ())?);
    Ok(())
}

/// A named holiday period of the institution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub id: i64,
    pub name: String,
    pub span: Span,
}

pub async fn holidays(db: &Db, institution: InstitutionId) -> Result<Vec<Holiday>, StoreError> {
    let rows: Vec<(i64, String, NaiveDate, NaiveDate)> = on_db!(db, pool => sqlx::query_as(
        "SELECT id, name, start_date, end_date FROM holidays WHERE institution_id = $1 ORDER BY start_date, id")
        .bind(institution).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name, start, end)| Holiday {
            id,
            name,
            span: Span { start, end: Some(end) },
        })
        .collect())
}

pub async fn add_holiday(
    tx: &mut Tx,
    institution: InstitutionId,
    name: &str,
    start: NaiveDate,
    end: NaiveDate,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let sql = "INSERT INTO holidays (institution_id, name, start_date, end_date, created_at) \
               VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let (id,): (i64,) = on_tx!(tx, conn => sqlx::query_as(sql).bind(institution).bind(name).bind(start)
        .bind(end).bind(at).fetch_one(&mut **conn).await?);
    Ok(id)
}

pub async fn remove_holiday(tx: &mut Tx, institution: InstitutionId, id: i64) -> Result<bool, StoreError> {
    let done = on_tx!(tx, conn => sqlx::query("DELETE FROM holidays WHERE institution_id = $1 AND id = $2")
        .bind(institution).bind(id).execute(&mut **conn).await?.rows_affected());
    Ok(done > 0)
}

// ---------------------------------------------------------------- alerts

/// An alert row with what the evaluation and the lists need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    pub id: i64,
    pub employment: i64,
    pub starter: PersonId,
    pub level: Severity,
    pub rules: Vec<RuleId>,
    pub opened_on: NaiveDate,
    pub opened_at: DateTime<Utc>,
    pub state: AlertState,
    pub snoozed_until: Option<NaiveDate>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct AlertDbRow {
    id: i64,
    employment_id: i64,
    starter_id: i64,
    level: String,
    rules: String,
    opened_on: NaiveDate,
    opened_at: DateTime<Utc>,
    state: String,
    snoozed_until: Option<NaiveDate>,
    acknowledged_at: Option<DateTime<Utc>>,
    resolved_at: Option<DateTime<Utc>>,
}

const ALERT_COLUMNS: &str = "id, employment_id, starter_id, level, rules, opened_on, opened_at, state, \
                             snoozed_until, acknowledged_at, resolved_at";

fn to_alert(row: AlertDbRow) -> Result<AlertRow, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(what.to_owned());
    Ok(AlertRow {
        id: row.id,
        employment: row.employment_id,
        starter: PersonId(row.starter_id),
        level: Severity::from_code(&row.level).ok_or_else(|| corrupt(&row.level))?,
        rules: row
            .rules
            .split(',')
            .filter(|r| !r.is_empty())
            .map(|r| RuleId::from_code(r).ok_or_else(|| corrupt(r)))
            .collect::<Result<_, _>>()?,
        opened_on: row.opened_on,
        opened_at: row.opened_at,
        state: AlertState::from_code(&row.state).ok_or_else(|| corrupt(&row.state))?,
        snoozed_until: row.snoozed_until,
        acknowledged_at: row.acknowledged_at,
        resolved_at: row.resolved_at,
    })
}

/// Every alert of the institution, oldest first (the latest per employment
/// is the last one for it).
pub async fn alerts(db: &Db, institution: InstitutionId) -> Result<Vec<AlertRow>, StoreError> {
    alerts_of(db, Some(institution)).await
}

/// Every alert of `institution`, or of all institutions.
pub async fn alerts_of(db: &Db, institution: Option<InstitutionId>) -> Result<Vec<AlertRow>, StoreError> {
    let sql = format!(
        "SELECT {ALERT_COLUMNS} FROM alerts WHERE {} ORDER BY opened_at, id",
        super::dialect::institution_or_all("institution_id", institution)
    );
    let id = institution.map(|i| i.0);
    let rows: Vec<AlertDbRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_all(pool).await?);
    rows.into_iter().map(to_alert).collect()
}

/// What retention figures need of an alert.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlertTiming {
    pub employment_id: i64,
    pub level: Severity,
    pub resolved: bool,
    pub opened_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// The timings of the alerts of the institution (or all) that are open or
/// were acknowledged, oldest first.
pub async fn alert_timings(db: &Db, institution: Option<InstitutionId>) -> Result<Vec<AlertTiming>, StoreError> {
    let sql = format!(
        "SELECT employment_id, level, state = 'resolved' AS resolved, opened_at, acknowledged_at FROM alerts \
         WHERE {} AND (state <> 'resolved' OR acknowledged_at IS NOT NULL) ORDER BY opened_at, id",
        super::dialect::institution_or_all("institution_id", institution)
    );
    let id = institution.map(|i| i.0);
    Ok(on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_all(pool).await?))
}

/// The alerts of these employments of the institution, oldest first (the
/// watch list of a team leader or mentor reads only its own starters').
pub async fn alerts_of_employments(
    db: &Db,
    institution: InstitutionId,
    employments: &[i64],
) -> Result<Vec<AlertRow>, StoreError> {
    if employments.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {ALERT_COLUMNS} FROM alerts WHERE institution_id = $1 AND employment_id IN ({}) ORDER BY opened_at, id",
        super::dialect::placeholders(2, employments.len())
    );
    let rows: Vec<AlertDbRow> = on_db!(db, pool => {
        let mut query = sqlx::query_as(&sql).bind(institution);
        for employment in employments {
            query = query.bind(*employment);
        }
        query.fetch_all(pool).await?
    });
    rows.into_iter().map(to_alert).collect()
}

/// The alerts about one starter, oldest first.
pub async fn alerts_of_starter(
    db: &Db,
    institution: InstitutionId,
    starter: PersonId,
) -> Result<Vec<AlertRow>, StoreError> {
    let sql = format!(
        "SELECT {ALERT_COLUMNS} FROM alerts WHERE starter_id = $1 AND institution_id = $2 ORDER BY opened_at, id"
    );
    let rows: Vec<AlertDbRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(starter).bind(institution).fetch_all(pool).await?);
    rows.into_iter().map(to_alert).collect()
}

/// One alert of the institution, read (and locked) inside the write
/// transaction that changes it.
pub async fn alert_for_update(tx: &mut Tx, institution: InstitutionId, id: i64) -> Result<AlertRow, StoreError> {
    let lock = super::dialect::for_update(tx);
    let sql = format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE institution_id = $1 AND id = $2{lock}");
    let row: Option<AlertDbRow> =
        on_tx!(tx, conn => sqlx::query_as(&sql).bind(institution).bind(id).fetch_optional(&mut **conn).await?);
    to_alert(row.ok_or(StoreError::NotFound)?)
}

/// A new alert; `None` when the employment already has an active one (a
/// concurrent evaluation got there first).
#[allow(clippy::too_many_arguments)]
pub async fn open_alert(
    tx: &mut Tx,
    institution: InstitutionId,
    employment: i64,
    starter: PersonId,
    level: Severity,
    rules: &[RuleId],
    evidence: &str,
    on: NaiveDate,
    at: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    let rules: Vec<&str> = rules.iter().map(|r| r.code()).collect();
    let sql = "INSERT INTO alerts (institution_id, employment_id, starter_id, level, rules, evidence, opened_on, \
               opened_at, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open') \
               ON CONFLICT (employment_id) WHERE state <> 'resolved' DO NOTHING RETURNING id";
    let id: Option<(i64,)> = on_tx!(tx, conn => sqlx::query_as(sql).bind(institution).bind(employment).bind(starter)
        .bind(level.code()).bind(rules.join(",")).bind(evidence).bind(on).bind(at)
        .fetch_optional(&mut **conn).await?);
    if let Some((id,)) = id {
        add_event(tx, id, at, None, AlertAction::Opened, None).await?;
    }
    Ok(id.map(|(id,)| id))
}

/// Alerts not resolved yet whose starter left or completed the induction
/// by `on` (of one starter, or the whole institution), with the step that
/// closes each: `Left` or `Completed`.
pub async fn alerts_to_close(
    db: &Db,
    institution: InstitutionId,
    starter: Option<PersonId>,
    on: NaiveDate,
) -> Result<Vec<(i64, AlertAction)>, StoreError> {
    let sql = format!(
        "SELECT a.id, e.end_date IS NOT NULL AND e.end_date <= $2 AS left_ FROM alerts a \
         JOIN employments e ON e.id = a.employment_id \
         LEFT JOIN trajectories tr ON tr.employment_id = e.id \
         WHERE a.institution_id = $1 AND a.state <> 'resolved' \
         AND ((e.end_date IS NOT NULL AND e.end_date <= $2) OR (tr.completed_on IS NOT NULL AND tr.completed_on <= $2)){} \
         ORDER BY a.id",
        if starter.is_some() {
            " AND a.starter_id = $3"
        } else {
            ""
        }
    );
    let rows: Vec<(i64, bool)> = on_db!(db, pool => {
        let query = sqlx::query_as(&sql).bind(institution).bind(on);
        match starter {
            Some(person) => query.bind(person).fetch_all(pool).await?,
            None => query.fetch_all(pool).await?,
        }
    });
    Ok(rows
        .into_iter()
        .map(|(id, left)| {
            (
                id,
                if left {
                    AlertAction::Left
                } else {
                    AlertAction::Completed
                },
            )
        })
        .collect())
}

/// Move an alert to a new state and record the step.
#[allow(clippy::too_many_arguments)]
pub async fn change_alert(
    tx: &mut Tx,
    id: i64,
    action: AlertAction,
    actor: Option<PersonId>,
    note: Option<&str>,
    snoozed_until: Option<NaiveDate>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    // PostgreSQL wants exactly the parameters a statement uses.
    match action {
        AlertAction::Acknowledged => {
            let sql = "UPDATE alerts SET state = 'acknowledged', snoozed_until = NULL, acknowledged_by = $2, \
                       acknowledged_at = COALESCE(acknowledged_at, $3), acknowledge_note = $4 WHERE id = $1";
            on_tx!(tx, conn => sqlx::query(sql).bind(id).bind(actor).bind(at).bind(note)
                .execute(&mut **conn).await.map(|_| ())?);
        }
        AlertAction::Snoozed => {
            let sql = "UPDATE alerts SET state = 'snoozed', snoozed_until = $4, \
                       acknowledged_by = COALESCE(acknowledged_by, $2), \
                       acknowledged_at = COALESCE(acknowledged_at, $3) WHERE id = $1";
            on_tx!(tx, conn => sqlx::query(sql).bind(id).bind(actor).bind(at).bind(snoozed_until)
                .execute(&mut **conn).await.map(|_| ())?);
        }
        AlertAction::Reopened => {
            let sql = "UPDATE alerts SET state = 'open', snoozed_until = NULL WHERE id = $1";
            on_tx!(tx, conn => sqlx::query(sql).bind(id).execute(&mut **conn).await.map(|_| ())?);
        }
        AlertAction::Resolved | AlertAction::Left | AlertAction::Completed => {
            let sql = "UPDATE alerts SET state = 'resolved', snoozed_until = NULL, resolved_by = $2, \
                       resolved_at = $3, resolution = $4 WHERE id = $1";
            on_tx!(tx, conn => sqlx::query(sql).bind(id).bind(actor).bind(at).bind(note)
                .execute(&mut **conn).await.map(|_| ())?);
        }
        AlertAction::Opened => return Err(StoreError::Corrupt("an alert is opened once".into())),
    }
    add_event(tx, id, at, actor, action, note).await
}

async fn add_event(
    tx: &mut Tx,
    alert: i64,
    at: DateTime<Utc>,
    actor: Option<PersonId>,
    action: AlertAction,
    note: Option<&str>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO alert_events (alert_id, at, actor_id, action, note) VALUES ($1, $2, $3, $4, $5)";
    on_tx!(tx, conn => sqlx::query(sql).bind(alert).bind(at).bind(actor).bind(action.code()).bind(note)
        .execute(&mut **conn).await.map(|_| ())?);
    Ok(())
}

/// Every step of these alerts, by alert.
pub async fn alert_events_of_alerts(db: &Db, alerts: &[i64]) -> Result<HashMap<i64, Vec<AlertEvent>>, StoreError> {
    if alerts.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT ev.alert_id, ev.at, ev.action, p.full_name, ev.note FROM alert_events ev \
         LEFT JOIN people p ON p.id = ev.actor_id WHERE ev.alert_id IN ({}) ORDER BY ev.at, ev.id",
        super::dialect::placeholders(1, alerts.len())
    );
    let rows: Vec<AlertEventRow> = on_db!(db, pool => {
        let mut query = sqlx::query_as(&sql);
        for alert in alerts {
            query = query.bind(*alert);
        }
        query.fetch_all(pool).await?
    });
    Ok(to_alert_events(rows))
}

/// Every step of the alerts about one starter, by alert.
pub async fn alert_events_of_starter(
    db: &Db,
    institution: InstitutionId,
    starter: PersonId,
) -> Result<HashMap<i64, Vec<AlertEvent>>, StoreError> {
    let sql = "SELECT ev.alert_id, ev.at, ev.action, p.full_name, ev.note FROM alerts a \
               JOIN alert_events ev ON ev.alert_id = a.id LEFT JOIN people p ON p.id = ev.actor_id \
               WHERE a.starter_id = $1 AND a.institution_id = $2 ORDER BY ev.at, ev.id";
    let rows: Vec<AlertEventRow> =
        on_db!(db, pool => sqlx::query_as(sql).bind(starter).bind(institution).fetch_all(pool).await?);
    Ok(to_alert_events(rows))
}

#[derive(sqlx::FromRow)]
struct AlertEventRow {
    alert_id: i64,
    at: DateTime<Utc>,
    action: AlertAction,
    full_name: Option<String>,
    note: Option<String>,
}

fn to_alert_events(rows: Vec<AlertEventRow>) -> HashMap<i64, Vec<AlertEvent>> {
    let mut events: HashMap<i64, Vec<AlertEvent>> = HashMap::new();
    for row in rows {
        events.entry(row.alert_id).or_default().push(AlertEvent {
            at: row.at,
            action: row.action,
            actor: row.full_name,
            note: row.note,
        });
    }
    events
}

/// Claim the daily evaluation of `institution` for `day`; false when it ran
/// already (or runs now on another node: the key waits for its commit).
pub async fn claim_run(
    tx: &mut Tx,
    institution: InstitutionId,
    day: NaiveDate,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let sql = "INSERT INTO signal_runs (institution_id, run_on, finished_at, evaluated, opened) \
               VALUES ($1, $2, $3, 0, 0) ON CONFLICT (institution_id, run_on) DO NOTHING";
    let done = on_tx!(tx, conn => sqlx::query(sql).bind(institution).bind(day).bind(at)
        .execute(&mut **conn).await?.rows_affected());
    Ok(done == 1)
}

pub async fn finish_run(
    tx: &mut Tx,
    institution: InstitutionId,
    day: NaiveDate,
    at: DateTime<Utc>,
    evaluated: i64,
    opened: i64,
) -> Result<(), StoreError> {
    let sql = "UPDATE signal_runs SET finished_at = $3, evaluated = $4, opened = $5 \
               WHERE institution_id = $1 AND run_on = $2";
    on_tx!(tx, conn => sqlx::query(sql).bind(institution).bind(day).bind(at).bind(evaluated).bind(opened)
        .execute(&mut **conn).await.map(|_| ())?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::notification::NotificationKind;
    use crate::testing::{at, two_institutions};

    #[test]
    fn every_rule_and_notification_code_is_spelled_the_same_in_json() {
        for rule in RuleId::ALL {
            let json = serde_json::to_string(rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.code()));
            assert_eq!(serde_json::from_str::<RuleId>(&json).unwrap(), *rule);
        }
        for kind in NotificationKind::ALL {
            assert_eq!(serde_json::to_string(kind).unwrap(), format!("\"{}\"", kind.code()));
        }
    }

    crate::db_test!(async fn settings_and_evidence_spell_rules_by_their_code_and_old_json_is_rewritten(db) {
        let f = two_institutions(db).await;
        let settings = Settings { off: vec![RuleId::NoCheckIn], ..Settings::default() };
        let mut tx = db.begin_write().await.unwrap();
        let by = crate::store::people::create(&mut tx, &crate::testing::person("Kees", None, Some(f.a)), at(2026, 12, 1))
            .await
            .unwrap();
        save_settings(&mut tx, f.a, &settings, by, at(2026, 12, 1)).await.unwrap();
        tx.commit().await.unwrap();
        let stored: String = async {
            Ok::<_, StoreError>(on_db!(db, pool => sqlx::query_scalar("SELECT settings FROM signal_settings")
                .fetch_one(pool).await?))
        }
        .await
        .unwrap();
        assert!(stored.contains("\"no_checkin\"") && !stored.contains("no_check_in"), "{stored}");
        assert_eq!(super::settings(db, f.a).await.unwrap().off, [RuleId::NoCheckIn]);

        // Settings written before the one-spelling migration read the same
        // after it runs.
        let old = stored.replace("\"no_checkin\"", "\"no_check_in\"");
        async {
            on_db!(db, pool => {
                sqlx::query("UPDATE signal_settings SET settings = $1").bind(&old).execute(pool).await?;
            });
            Ok::<_, StoreError>(())
        }
        .await
        .unwrap();
        let migration = match db.backend() {
            crate::store::Backend::Sqlite => include_str!("../../migrations/sqlite/20261201000011_one_spelling.sql"),
            crate::store::Backend::Postgres => include_str!("../../migrations/postgres/20261201000011_one_spelling.sql"),
        };
        for statement in migration.split(';').filter(|s| s.contains("UPDATE")) {
            crate::testing::execute(db, statement).await.unwrap();
        }
        assert_eq!(super::settings(db, f.a).await.unwrap().off, [RuleId::NoCheckIn]);
    });
}
