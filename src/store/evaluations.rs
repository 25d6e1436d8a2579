//! Each employment's current evaluation (table `evaluations`): the signals
//! of a starter in their induction as of the day they were last evaluated,
//! with the few facts a list shows beside them (team, last conversation).
//! Written by the signals service whenever something that can change them
//! happens and by the daily run; lists read it instead of evaluating.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::risk::Feature;
use crate::domain::signals::{Severity, Signal};
use crate::domain::{InstitutionId, PersonId, TeamId};

/// One employment's evaluation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub employment: i64,
    pub person: PersonId,
    pub team: Option<TeamId>,
    pub level: Option<Severity>,
    pub score: u32,
    pub signals: Vec<Signal>,
    /// With a calibrated risk in use: the chance (per mille) and the
    /// features that raise it most.
    pub risk: Option<u16>,
    pub reasons: Vec<Feature>,
    pub last_held: Option<NaiveDate>,
    pub evaluated_on: NaiveDate,
}

impl Evaluation {
    /// Whether `other` says the same about the starter (the day it was
    /// made aside): nothing to write.
    pub fn same_as(&self, other: &Evaluation) -> bool {
        self.employment == other.employment
            && self.person == other.person
            && self.team == other.team
            && self.level == other.level
            && self.score == other.score
            && self.signals == other.signals
            && self.risk == other.risk
            && self.reasons == other.reasons
            && self.last_held == other.last_held
    }
}

/// An evaluation with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub evaluation: Evaluation,
    pub name: String,
    pub team_name: Option<String>,
}

/// Whose evaluations to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    Institution,
    /// Starters whose team (as of their evaluation) is one of these.
    Teams(Vec<TeamId>),
    /// The starters `mentor` guides now (an open pairing).
    MenteesOf(PersonId),
    One(PersonId),
}

#[derive(sqlx::FromRow)]
struct Row {
    employment_id: i64,
    person_id: i64,
    team_id: Option<i64>,
    level: Option<Severity>,
    score: i64,
    signals: String,
    risk: Option<i64>,
    reasons: String,
    last_held: Option<NaiveDate>,
    evaluated_on: NaiveDate,
    full_name: String,
    name: Option<String>,
}

const COLUMNS: &str = "ev.employment_id, ev.person_id, ev.team_id, ev.level, ev.score, ev.signals, \
                       CAST(ev.risk AS BIGINT) AS risk, ev.reasons, ev.last_held, ev.evaluated_on, p.full_name, t.name";

fn to_listed(row: Row) -> Result<Listed, StoreError> {
    let employment = row.employment_id;
    let signals: Vec<Signal> = serde_json::from_str(&row.signals)
        .map_err(|e| StoreError::Corrupt(format!("evaluation signals of employment {employment}: {e}")))?;
    let reasons: Vec<Feature> = serde_json::from_str(&row.reasons)
        .map_err(|e| StoreError::Corrupt(format!("evaluation reasons of employment {employment}: {e}")))?;
    Ok(Listed {
        evaluation: Evaluation {
            employment,
            person: PersonId(row.person_id),
            team: row.team_id.map(TeamId),
            level: row.level,
            score: u32::try_from(row.score).unwrap_or(0),
            signals,
            risk: row.risk.and_then(|r| u16::try_from(r).ok()),
            reasons,
            last_held: row.last_held,
            evaluated_on: row.evaluated_on,
        },
        name: row.full_name,
        team_name: row.name,
    })
}

/// The stored evaluations of `whose` in `institution`, with names.
pub async fn listed(db: &Db, institution: InstitutionId, whose: &Whose) -> Result<Vec<Listed>, StoreError> {
    let (condition, person) = match whose {
        Whose::Institution => (String::new(), None),
        Whose::Teams(teams) if teams.is_empty() => return Ok(Vec::new()),
        // Ids, not text: nothing to escape.
        Whose::Teams(teams) => (
            format!(
                " AND ev.team_id IN ({})",
                teams.iter().map(|t| t.0.to_string()).collect::<Vec<_>>().join(", ")
            ),
            None,
        ),
        Whose::MenteesOf(mentor) => (
            " AND ev.person_id IN (SELECT starter_id FROM pairings WHERE institution_id = $1 AND mentor_id = $2 \
             AND end_date IS NULL)"
                .to_owned(),
            Some(*mentor),
        ),
        Whose::One(starter) => (" AND ev.person_id = $2".to_owned(), Some(*starter)),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM evaluations ev JOIN people p ON p.id = ev.person_id \
         LEFT JOIN teams t ON t.id = ev.team_id WHERE ev.institution_id = $1{condition} ORDER BY ev.employment_id"
    );
    let rows: Vec<Row> = match person {
        None => on_db!(db, pool => sqlx::query_as(&sql).bind(institution).fetch_all(pool).await?),
        Some(person) => on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(person).fetch_all(pool).await?),
    };
    rows.into_iter().map(to_listed).collect()
}

/// The stored evaluations of the institution's starters, or of one.
pub async fn stored(
    db: &Db,
    institution: InstitutionId,
    only: Option<PersonId>,
) -> Result<Vec<Evaluation>, StoreError> {
    let whose = only.map_or(Whose::Institution, Whose::One);
    Ok(listed(db, institution, &whose)
        .await?
        .into_iter()
        .map(|l| l.evaluation)
        .collect())
}

/// Rows per multi-row write: twelve values each, well within both
/// databases' limits of bound values per statement.
const ROWS_PER_STATEMENT: usize = 100;

/// Write evaluations (new rows or replacements of the same employments'),
/// a hundred per statement: the first daily run writes every starter's.
/// Each employment at most once.
pub async fn put(
    tx: &mut Tx,
    institution: InstitutionId,
    evaluations: &[&Evaluation],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    // Everything is encoded before the first row is written.
    let rows = evaluations
        .iter()
        .map(|evaluation| {
            let signals = serde_json::to_string(&evaluation.signals)
                .map_err(|e| StoreError::Corrupt(format!("evaluation signals: {e}")))?;
            let reasons = serde_json::to_string(&evaluation.reasons)
                .map_err(|e| StoreError::Corrupt(format!("evaluation reasons: {e}")))?;
            Ok((*evaluation, signals, reasons))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        on_tx!(tx, conn => {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO evaluations (employment_id, institution_id, person_id, team_id, level, score, signals, \
                 last_held, evaluated_on, evaluated_at, risk, reasons) ",
            );
            insert.push_values(chunk, |mut row, (evaluation, signals, reasons)| {
                row.push_bind(evaluation.employment)
                    .push_bind(institution)
                    .push_bind(evaluation.person)
                    .push_bind(evaluation.team)
                    .push_bind(evaluation.level.map(|l| l.code()))
                    .push_bind(i64::from(evaluation.score))
                    .push_bind(signals.as_str())
                    .push_bind(evaluation.last_held)
                    .push_bind(evaluation.evaluated_on)
                    .push_bind(at)
                    .push_bind(evaluation.risk.map(i32::from))
                    .push_bind(reasons.as_str());
            });
            insert.push(
                " ON CONFLICT (employment_id) DO UPDATE SET person_id = excluded.person_id, \
                 team_id = excluded.team_id, level = excluded.level, score = excluded.score, \
                 signals = excluded.signals, risk = excluded.risk, reasons = excluded.reasons, \
                 last_held = excluded.last_held, evaluated_on = excluded.evaluated_on, \
                 evaluated_at = excluded.evaluated_at",
            );
            insert.build().execute(&mut **conn).await?;
        });
    }
    Ok(())
}

/// Remove the evaluations of employments whose starters are no longer in
/// their induction (left, completed, or not started).
pub async fn remove(tx: &mut Tx, employments: &[i64]) -> Result<(), StoreError> {
    for chunk in employments.chunks(ROWS_PER_STATEMENT) {
        on_tx!(tx, conn => {
            let mut delete = sqlx::QueryBuilder::new("DELETE FROM evaluations WHERE employment_id IN (");
            let mut ids = delete.separated(", ");
            for employment in chunk {
                ids.push_bind(*employment);
            }
            delete.push(")");
            delete.build().execute(&mut **conn).await?;
        });
    }
    Ok(())
}
