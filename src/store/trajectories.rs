//! Starters' employments (with dated terms), SO&P partnerships, trajectory
//! templates and trajectories with their milestones. Every read of a
//! starter's data takes the institution id, so another institution's record
//! is simply not found.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::trajectory::{
    CompetenceDomain, Contract, ContractKind, EmploymentTerms, EntryRoute, Fte, LeaveReason, MilestoneCopy,
    MilestoneProgress, MilestoneTemplate, Offset, OffsetUnit, Phase,
};
use crate::domain::{
    EmploymentId, InstitutionId, MilestoneId, PartnershipId, PersonId, Role, Sector, TeamId, TemplateId, TrajectoryId,
};

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

/// Whose rows a read returns: the whole institution's (lists, imports) or
/// one person's (every page about one person reads only that person's rows,
/// through the index on `employments.person_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    Institution,
    Person(PersonId),
}

impl Whose {
    /// The condition to add after `e.institution_id = $1` (employments as
    /// `e`); the person, when there is one, is the next parameter, `$2`.
    fn and_person(self) -> &'static str {
        match self {
            Whose::Institution => "",
            Whose::Person(_) => " AND e.person_id = $2",
        }
    }
}

/// Bind the person of `whose` as `$2`, when it names one.
macro_rules! bind_whose {
    ($query:expr, $whose:expr) => {
        match $whose {
            Whose::Institution => $query,
            Whose::Person(person) => $query.bind(person),
        }
    };
}

// ---------------------------------------------------------------- partnerships

/// A partnership of the institution, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partnership {
    pub id: PartnershipId,
    pub name: String,
}

pub async fn create_partnership(
    tx: &mut Tx,
    institution: InstitutionId,
    name: &str,
    at: DateTime<Utc>,
) -> Result<PartnershipId, StoreError> {
    let sql = "INSERT INTO partnerships (institution_id, name, created_at) VALUES ($1, $2, $3) RETURNING id";
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(sql).bind(institution).bind(name).bind(at).fetch_one(&mut **conn).await?
    });
    Ok(PartnershipId(id))
}

pub async fn partnerships(db: &Db, institution: InstitutionId) -> Result<Vec<Partnership>, StoreError> {
    let sql = "SELECT id, name FROM partnerships WHERE institution_id = $1 ORDER BY name, id";
    let rows: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(sql).bind(institution).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name)| Partnership {
            id: PartnershipId(id),
            name,
        })
        .collect())
}

/// Partnerships read inside a write (the import matches names).
pub async fn partnerships_tx(tx: &mut Tx, institution: InstitutionId) -> Result<Vec<Partnership>, StoreError> {
    let sql = "SELECT id, name FROM partnerships WHERE institution_id = $1 ORDER BY name, id";
    let rows: Vec<(i64, String)> =
        on_tx!(tx, conn => sqlx::query_as(sql).bind(institution).fetch_all(&mut **conn).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name)| Partnership {
            id: PartnershipId(id),
            name,
        })
        .collect())
}

// ------------------------------------------------------------------- templates

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

type TemplateMilestoneRow = (i64, String, String, i64, String, String, Option<String>);

fn to_template_milestone(row: TemplateMilestoneRow) -> Result<(i64, MilestoneTemplate), StoreError> {
    let (id, title, phase, amount, unit, owner, domain) = row;
    Ok((
        id,
        MilestoneTemplate {
            title,
            phase: Phase::from_code(&phase).ok_or_else(|| corrupt(format!("template milestone {id} phase")))?,
            offset: Offset {
                amount: u16::try_from(amount).map_err(|_| corrupt(format!("template milestone {id} offset")))?,
                unit: OffsetUnit::from_code(&unit).ok_or_else(|| corrupt(format!("template milestone {id} unit")))?,
            },
            owner: Role::from_code(&owner).ok_or_else(|| corrupt(format!("template milestone {id} owner")))?,
            domain: match domain {
                Some(code) => Some(
                    CompetenceDomain::from_code(&code)
                        .ok_or_else(|| corrupt(format!("template milestone {id} domain")))?,
                ),
                None => None,
            },
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

// ----------------------------------------------------------------- employments

/// A starter's employment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employment {
    pub id: EmploymentId,
    pub institution: InstitutionId,
    pub person: PersonId,
    pub employee_number: String,
    pub route: EntryRoute,
    pub start: NaiveDate,
    pub ending: Option<Ending>,
}

/// How an employment ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub on: NaiveDate,
    pub reason: LeaveReason,
    pub destination: Option<String>,
}

type EmploymentRow = (
    i64,
    i64,
    i64,
    String,
    String,
    NaiveDate,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
);

const EMPLOYMENT_COLUMNS: &str = "id, institution_id, person_id, employee_number, entry_route, start_date, end_date, leave_reason, leave_destination";

fn to_employment(row: EmploymentRow) -> Result<Employment, StoreError> {
    let (id, institution, person, employee_number, route, start, end, reason, destination) = row;
    let ending = match (end, reason) {
        (Some(on), Some(reason)) => Some(Ending {
            on,
            reason: LeaveReason::from_code(&reason).ok_or_else(|| corrupt(format!("employment {id} reason")))?,
            destination,
        }),
        _ => None,
    };
    Ok(Employment {
        id: EmploymentId(id),
        institution: InstitutionId(institution),
        person: PersonId(person),
        employee_number,
        route: EntryRoute::from_code(&route).ok_or_else(|| corrupt(format!("employment {id} route")))?,
        start,
        ending,
    })
}

/// What it takes to record a new employment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmploymentForCreate {
    pub person: PersonId,
    pub employee_number: String,
    pub route: EntryRoute,
    pub start: NaiveDate,
}

/// Insert an employment. An employee number already used in the
/// institution gives `Conflict("employments_institution_id_employee_number_key")`.
pub async fn create_employment(
    tx: &mut Tx,
    institution: InstitutionId,
    new: &EmploymentForCreate,
    at: DateTime<Utc>,
) -> Result<EmploymentId, StoreError> {
    let sql = "INSERT INTO employments (institution_id, person_id, employee_number, entry_route, start_date, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(institution)
            .bind(new.person)
            .bind(&new.employee_number)
            .bind(new.route.code())
            .bind(new.start)
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    });
    Ok(EmploymentId(id))
}

/// Change route and start date (a correction, e.g. from the HR import).
pub async fn correct_employment(
    tx: &mut Tx,
    institution: InstitutionId,
    id: EmploymentId,
    route: EntryRoute,
    start: NaiveDate,
) -> Result<(), StoreError> {
    let sql = "UPDATE employments SET entry_route = $1, start_date = $2 WHERE id = $3 AND institution_id = $4";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql).bind(route.code()).bind(start).bind(id).bind(institution).execute(&mut **conn).await?.rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Record (or correct, or with `None` undo) how an employment ended.
pub async fn set_ending(
    tx: &mut Tx,
    institution: InstitutionId,
    id: EmploymentId,
    ending: Option<&Ending>,
) -> Result<(), StoreError> {
    let sql = "UPDATE employments SET end_date = $1, leave_reason = $2, leave_destination = $3 \
               WHERE id = $4 AND institution_id = $5";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(ending.map(|e| e.on))
            .bind(ending.map(|e| e.reason.code()))
            .bind(ending.and_then(|e| e.destination.clone()))
            .bind(id)
            .bind(institution)
            .execute(&mut **conn)
            .await?
            .rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

pub async fn employment(db: &Db, institution: InstitutionId, id: EmploymentId) -> Result<Employment, StoreError> {
    let sql = format!("SELECT {EMPLOYMENT_COLUMNS} FROM employments WHERE institution_id = $1 AND id = $2");
    let row: EmploymentRow = on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(id).fetch_one(pool).await?);
    to_employment(row)
}

/// The employment with this employee number (read inside a write).
pub async fn employment_by_number(
    tx: &mut Tx,
    institution: InstitutionId,
    employee_number: &str,
) -> Result<Option<Employment>, StoreError> {
    let sql =
        format!("SELECT {EMPLOYMENT_COLUMNS} FROM employments WHERE institution_id = $1 AND employee_number = $2");
    let row: Option<EmploymentRow> = on_tx!(tx, conn => {
        sqlx::query_as(&sql).bind(institution).bind(employee_number).fetch_optional(&mut **conn).await?
    });
    row.map(to_employment).transpose()
}

/// A person's employments at the institution, latest start first.
pub async fn employments_of(
    db: &Db,
    institution: InstitutionId,
    person: PersonId,
) -> Result<Vec<Employment>, StoreError> {
    let sql = format!(
        "SELECT {EMPLOYMENT_COLUMNS} FROM employments WHERE institution_id = $1 AND person_id = $2 \
         ORDER BY start_date DESC, id DESC"
    );
    let rows: Vec<EmploymentRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(institution).bind(person).fetch_all(pool).await?);
    rows.into_iter().map(to_employment).collect()
}

/// All employments of the institution, by start date.
pub async fn employments(db: &Db, institution: InstitutionId) -> Result<Vec<Employment>, StoreError> {
    let sql = format!(
        "SELECT {EMPLOYMENT_COLUMNS} FROM employments WHERE institution_id = $1 ORDER BY start_date DESC, id DESC"
    );
    let rows: Vec<EmploymentRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(institution).fetch_all(pool).await?);
    rows.into_iter().map(to_employment).collect()
}

/// The institution's employments, or one person's there, newest first.
pub async fn employments_whose(
    db: &Db,
    institution: InstitutionId,
    whose: Whose,
) -> Result<Vec<Employment>, StoreError> {
    match whose {
        Whose::Institution => employments(db, institution).await,
        Whose::Person(person) => employments_of(db, institution, person).await,
    }
}

// ------------------------------------------------------------ employment terms

type TermsRow = (
    i64,
    NaiveDate,
    i64,
    String,
    Option<NaiveDate>,
    Option<i64>,
    String,
    Option<i64>,
);

const TERMS_COLUMNS: &str =
    "employment_id, valid_from, fte_hundredths, contract, contract_until, team_id, sector, partnership_id";

fn to_terms(row: TermsRow) -> Result<(EmploymentId, EmploymentTerms), StoreError> {
    let (employment, valid_from, fte, contract, until, team, sector, partnership) = row;
    let kind = ContractKind::from_code(&contract).ok_or_else(|| corrupt(format!("terms of {employment} contract")))?;
    Ok((
        EmploymentId(employment),
        EmploymentTerms {
            valid_from,
            fte: Fte(u16::try_from(fte).map_err(|_| corrupt(format!("terms of {employment} fte")))?),
            contract: Contract::from_parts(kind, until).map_err(|_| corrupt(format!("terms of {employment} until")))?,
            team: team.map(TeamId),
            sector: Sector::from_code(&sector).ok_or_else(|| corrupt(format!("terms of {employment} sector")))?,
            partnership: partnership.map(PartnershipId),
        },
    ))
}

/// Add a dated row of terms. Two rows on the same day give
/// `Conflict("employment_terms_employment_id_valid_from_key")`.
pub async fn add_terms(
    tx: &mut Tx,
    employment: EmploymentId,
    terms: &EmploymentTerms,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO employment_terms (employment_id, valid_from, fte_hundredths, contract, contract_until, \
               team_id, sector, partnership_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(employment)
            .bind(terms.valid_from)
            .bind(i64::from(terms.fte.0))
            .bind(terms.contract.kind().code())
            .bind(terms.contract.until())
            .bind(terms.team)
            .bind(terms.sector.code())
            .bind(terms.partnership)
            .bind(at)
            .execute(&mut **conn)
            .await?;
    });
    Ok(())
}

/// Correct the row of terms that starts on `terms.valid_from`.
pub async fn replace_terms(tx: &mut Tx, employment: EmploymentId, terms: &EmploymentTerms) -> Result<(), StoreError> {
    let sql = "UPDATE employment_terms SET fte_hundredths = $1, contract = $2, contract_until = $3, team_id = $4, \
               sector = $5, partnership_id = $6 WHERE employment_id = $7 AND valid_from = $8";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(i64::from(terms.fte.0))
            .bind(terms.contract.kind().code())
            .bind(terms.contract.until())
            .bind(terms.team)
            .bind(terms.sector.code())
            .bind(terms.partnership)
            .bind(employment)
            .bind(terms.valid_from)
            .execute(&mut **conn)
            .await?
            .rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// The terms of one employment, oldest first.
pub async fn terms(db: &Db, employment: EmploymentId) -> Result<Vec<EmploymentTerms>, StoreError> {
    let sql = format!("SELECT {TERMS_COLUMNS} FROM employment_terms WHERE employment_id = $1 ORDER BY valid_from");
    let rows: Vec<TermsRow> = on_db!(db, pool => sqlx::query_as(&sql).bind(employment).fetch_all(pool).await?);
    rows.into_iter().map(|r| to_terms(r).map(|(_, t)| t)).collect()
}

/// The terms of one employment read inside a write.
pub async fn terms_tx(tx: &mut Tx, employment: EmploymentId) -> Result<Vec<EmploymentTerms>, StoreError> {
    let sql = format!("SELECT {TERMS_COLUMNS} FROM employment_terms WHERE employment_id = $1 ORDER BY valid_from");
    let rows: Vec<TermsRow> = on_tx!(tx, conn => sqlx::query_as(&sql).bind(employment).fetch_all(&mut **conn).await?);
    rows.into_iter().map(|r| to_terms(r).map(|(_, t)| t)).collect()
}

/// The terms of every employment of the institution, oldest first.
pub async fn all_terms(
    db: &Db,
    institution: InstitutionId,
) -> Result<Vec<(EmploymentId, EmploymentTerms)>, StoreError> {
    terms_whose(db, institution, Whose::Institution).await
}

/// The terms of the institution's employments, or of one person's.
pub async fn terms_whose(
    db: &Db,
    institution: InstitutionId,
    whose: Whose,
) -> Result<Vec<(EmploymentId, EmploymentTerms)>, StoreError> {
    let sql = format!(
        "SELECT t.employment_id, t.valid_from, t.fte_hundredths, t.contract, t.contract_until, t.team_id, \
         t.sector, t.partnership_id FROM employment_terms t JOIN employments e ON e.id = t.employment_id \
         WHERE e.institution_id = $1{} ORDER BY t.employment_id, t.valid_from",
        whose.and_person()
    );
    let rows: Vec<TermsRow> =
        on_db!(db, pool => bind_whose!(sqlx::query_as(&sql).bind(institution), whose).fetch_all(pool).await?);
    rows.into_iter().map(to_terms).collect()
}

// ---------------------------------------------------------------- trajectories

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

type TrajectoryRow = (i64, i64, i64, i64, NaiveDate, Option<NaiveDate>);

fn to_trajectory(row: TrajectoryRow) -> Trajectory {
    let (id, employment, template, version, started_on, completed_on) = row;
    Trajectory {
        id: TrajectoryId(id),
        employment: EmploymentId(employment),
        template: TemplateId(template),
        template_version: version,
        started_on,
        completed_on,
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
async fn add_milestones(tx: &mut Tx, trajectory: TrajectoryId, milestones: &[MilestoneCopy]) -> Result<(), StoreError> {
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

const TRAJECTORY_COLUMNS: &str =
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

// ------------------------------------------------------------------ milestones

/// A milestone of a trajectory as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub id: MilestoneId,
    pub trajectory: TrajectoryId,
    pub copy: MilestoneCopy,
    pub progress: MilestoneProgress,
    pub done_by: Option<PersonId>,
}

type MilestoneRow = (
    i64,
    i64,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
    NaiveDate,
    String,
    Option<NaiveDate>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

const MILESTONE_COLUMNS: &str = "m.id, m.trajectory_id, m.template_milestone_id, m.title, m.phase, m.owner_role, \
     m.competence_domain, m.due_on, m.state, m.done_on, m.done_by, p.full_name, m.note, m.skip_reason";

fn to_milestone(row: MilestoneRow) -> Result<Milestone, StoreError> {
    let (id, trajectory, template, title, phase, owner, domain, due, state, done_on, done_by, by_name, note, skip) =
        row;
    let progress = match (state.as_str(), done_on, skip) {
        ("open", _, _) => MilestoneProgress::Open,
        ("done", Some(on), _) => MilestoneProgress::Done { on, by: by_name, note },
        ("skipped", _, Some(reason)) => MilestoneProgress::Skipped { reason },
        _ => return Err(corrupt(format!("milestone {id} state {state:?}"))),
    };
    Ok(Milestone {
        id: MilestoneId(id),
        trajectory: TrajectoryId(trajectory),
        copy: MilestoneCopy {
            template_milestone: template,
            title,
            phase: Phase::from_code(&phase).ok_or_else(|| corrupt(format!("milestone {id} phase")))?,
            owner: Role::from_code(&owner).ok_or_else(|| corrupt(format!("milestone {id} owner")))?,
            domain: match domain {
                Some(code) => {
                    Some(CompetenceDomain::from_code(&code).ok_or_else(|| corrupt(format!("milestone {id} domain")))?)
                }
                None => None,
            },
            due,
        },
        progress,
        done_by: done_by.map(PersonId),
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

// -------------------------------------------------------- editing templates

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

// ----------------------------------------------------------------------- goals

type GoalRow = (i64, i64, String, Option<String>, i64);

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
        .map(|(id, trajectory, title, domain, progress)| {
            let domain = match domain {
                Some(code) => {
                    Some(CompetenceDomain::from_code(&code).ok_or_else(|| corrupt(format!("goal {id} domain")))?)
                }
                None => None,
            };
            Ok((
                TrajectoryId(trajectory),
                crate::domain::trajectory::Goal {
                    id,
                    title,
                    domain,
                    progress: u8::try_from(progress).map_err(|_| corrupt(format!("goal {id} progress")))?,
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

// ---------------------------------------------------------------- facilitation

/// A recorded school year of the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FacilitationRow {
    pub school_year: i32,
    pub starter_promised: u32,
    pub starter_granted: Option<u32>,
    pub mentor_promised: Option<u32>,
    pub mentor_granted: Option<u32>,
}

type FacilitationSql = (i64, i64, i64, Option<i64>, Option<i64>, Option<i64>);

/// Every recorded ledger row of the institution, by employment.
pub async fn facilitation(
    db: &Db,
    institution: InstitutionId,
) -> Result<Vec<(EmploymentId, FacilitationRow)>, StoreError> {
    facilitation_whose(db, institution, Whose::Institution).await
}

/// Facilitation hours of the institution's employments, or of one person's.
pub async fn facilitation_whose(
    db: &Db,
    institution: InstitutionId,
    whose: Whose,
) -> Result<Vec<(EmploymentId, FacilitationRow)>, StoreError> {
    let sql = format!(
        "SELECT f.employment_id, f.school_year, f.starter_hours_promised, f.starter_hours_granted, \
         f.mentor_hours_promised, f.mentor_hours_granted FROM facilitation f \
         JOIN employments e ON e.id = f.employment_id WHERE e.institution_id = $1{} ORDER BY f.school_year",
        whose.and_person()
    );
    let rows: Vec<FacilitationSql> =
        on_db!(db, pool => bind_whose!(sqlx::query_as(&sql).bind(institution), whose).fetch_all(pool).await?);
    let hours = |v: i64| u32::try_from(v).map_err(|_| corrupt("facilitation hours"));
    rows.into_iter()
        .map(|(employment, year, sp, sg, mp, mg)| {
            Ok((
                EmploymentId(employment),
                FacilitationRow {
                    school_year: i32::try_from(year).map_err(|_| corrupt("facilitation year"))?,
                    starter_promised: hours(sp)?,
                    starter_granted: sg.map(hours).transpose()?,
                    mentor_promised: mp.map(hours).transpose()?,
                    mentor_granted: mg.map(hours).transpose()?,
                },
            ))
        })
        .collect()
}

/// Record one school year of the ledger (insert or replace).
pub async fn set_facilitation(
    tx: &mut Tx,
    employment: EmploymentId,
    row: &FacilitationRow,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO facilitation (employment_id, school_year, starter_hours_promised, starter_hours_granted, \
               mentor_hours_promised, mentor_hours_granted, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
               ON CONFLICT (employment_id, school_year) DO UPDATE SET \
               starter_hours_promised = excluded.starter_hours_promised, \
               starter_hours_granted = excluded.starter_hours_granted, \
               mentor_hours_promised = excluded.mentor_hours_promised, \
               mentor_hours_granted = excluded.mentor_hours_granted, updated_at = excluded.updated_at";
    on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(employment)
            .bind(i64::from(row.school_year))
            .bind(i64::from(row.starter_promised))
            .bind(row.starter_granted.map(i64::from))
            .bind(row.mentor_promised.map(i64::from))
            .bind(row.mentor_granted.map(i64::from))
            .bind(at)
            .execute(&mut **conn)
            .await?;
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::trajectory::snapshot;
    use crate::testing::{at, people_fixture};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    crate::db_test!(async fn an_employment_keeps_dated_terms_and_its_own_milestones(db) {
        let f = people_fixture(db).await;
        let now = at(2026, 9, 1);
        let mut tx = db.begin_write().await.unwrap();
        let employment = create_employment(
            &mut tx,
            f.a,
            &EmploymentForCreate {
                person: f.cigdem,
                employee_number: "100234".into(),
                route: EntryRoute::SideEntrantPdg,
                start: d(2026, 8, 24),
            },
            now,
        )
        .await
        .unwrap();
        let first = EmploymentTerms {
            valid_from: d(2026, 8, 24),
            fte: Fte(80),
            contract: Contract::FixedTerm { until: d(2027, 7, 31) },
            team: Some(f.team_a),
            sector: Sector::CareWelfare,
            partnership: None,
        };
        add_terms(&mut tx, employment, &first, now).await.unwrap();
        let later = EmploymentTerms {
            valid_from: d(2027, 2, 1),
            fte: Fte::FULL,
            contract: Contract::Permanent,
            ..first.clone()
        };
        add_terms(&mut tx, employment, &later, now).await.unwrap();
        let template = ensure_template(&mut tx, f.a, EntryRoute::SideEntrantPdg, now).await.unwrap();
        assert_eq!(ensure_template(&mut tx, f.a, EntryRoute::SideEntrantPdg, now).await.unwrap(), template);
        let defaults = template_milestones(&mut tx, template.0).await.unwrap();
        let copies = snapshot(&defaults, d(2026, 8, 24));
        let trajectory = create_trajectory(&mut tx, employment, template, d(2026, 8, 24), &copies, now).await.unwrap();
        tx.commit().await.unwrap();

        assert_eq!(terms(db, employment).await.unwrap(), vec![first, later]);
        let stored = milestones(db, f.a, Some(trajectory)).await.unwrap();
        assert_eq!(stored.len(), copies.len());
        assert!(stored.iter().all(|m| m.progress == MilestoneProgress::Open));
        assert!(stored.iter().any(|m| m.copy.title == "PDG behaald" && m.copy.due == d(2028, 8, 24)));

        // Done, by whom, with a note; another institution cannot touch it.
        let first_id = stored[0].id;
        let mut tx = db.begin_write().await.unwrap();
        let done = MilestoneProgress::Done {
            on: d(2026, 9, 3),
            by: None,
            note: Some("Goed gesprek".into()),
        };
        assert!(matches!(
            set_progress(&mut tx, f.b, first_id, &done, Some(f.anna)).await,
            Err(StoreError::NotFound)
        ));
        set_progress(&mut tx, f.a, first_id, &done, Some(f.anna)).await.unwrap();
        tx.commit().await.unwrap();
        let got = milestone(db, f.a, first_id).await.unwrap();
        assert_eq!(
            got.progress,
            MilestoneProgress::Done {
                on: d(2026, 9, 3),
                by: Some("Anna Coördinator".into()),
                note: Some("Goed gesprek".into())
            }
        );
        assert!(matches!(milestone(db, f.b, first_id).await, Err(StoreError::NotFound)));
        assert!(trajectory_of(db, f.b, employment).await.unwrap().is_none());
        assert_eq!(trajectory_of(db, f.a, employment).await.unwrap().unwrap().id, trajectory);
    });

    crate::db_test!(async fn employee_numbers_are_unique_per_institution_and_endings_are_checked(db) {
        let f = people_fixture(db).await;
        let now = at(2026, 9, 1);
        let new = EmploymentForCreate {
            person: f.cigdem,
            employee_number: "7".into(),
            route: EntryRoute::Regular,
            start: d(2026, 8, 1),
        };
        let mut tx = db.begin_write().await.unwrap();
        let id = create_employment(&mut tx, f.a, &new, now).await.unwrap();
        let err = create_employment(&mut tx, f.a, &new, now).await.unwrap_err();
        assert!(err.is_conflict_on("employments_institution_id_employee_number_key"), "{err:?}");
        drop(tx);

        let mut tx = db.begin_write().await.unwrap();
        assert!(matches!(employment(db, f.a, id).await, Err(StoreError::NotFound)), "rolled back");
        let id = create_employment(&mut tx, f.a, &new, now).await.unwrap();
        let ending = Ending {
            on: d(2027, 3, 1),
            reason: LeaveReason::OtherMboInstitution,
            destination: Some("ROC elders".into()),
        };
        assert!(matches!(set_ending(&mut tx, f.b, id, Some(&ending)).await, Err(StoreError::NotFound)));
        set_ending(&mut tx, f.a, id, Some(&ending)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(employment(db, f.a, id).await.unwrap().ending, Some(ending));
        assert_eq!(employments_of(db, f.a, f.cigdem).await.unwrap().len(), 1);
        assert!(employments(db, f.b).await.unwrap().is_empty());
    });
}
