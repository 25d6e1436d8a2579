//! Checking every row against a snapshot of the institution and deciding what it does. Pure: same file, same snapshot, same plan.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::import::{CellError, Column, ImportProblem, ImportReport, RowAction, RowReport};
use crate::domain::time::parse_date;
use crate::domain::trajectory::{Contract, ContractKind, EmploymentTerms, EntryRoute, Fte, terms_on};
use crate::domain::{
    Email, FieldProblem, InstitutionId, Name, PartnershipId, PersonId, Role, RoleAssignment, Sector, TeamId,
};
use crate::service::ServiceError;
use crate::store::trajectories::{self as store};
use crate::store::{Db, memberships, people, teams};

use super::EMPLOYEE_NUMBER_MAX;
use super::read::RawRow;

/// Role of a row: the import adds starters and mentors.
pub(super) fn parse_role(raw: &str) -> Result<Role, FieldProblem> {
    match raw.trim().to_lowercase().as_str() {
        "starter" | "startende docent" | "starters" => Ok(Role::Starter),
        "mentor" | "werkplekbegeleider" | "coach" | "begeleider" => Ok(Role::Mentor),
        "" => Err(FieldProblem::Required),
        _ => Err(FieldProblem::UnknownChoice),
    }
}

pub(super) fn parse_route(raw: &str) -> Result<EntryRoute, FieldProblem> {
    let value = raw.trim().to_lowercase();
    if value.is_empty() {
        return Err(FieldProblem::Required);
    }
    if let Some(route) = EntryRoute::from_code(&value) {
        return Ok(route);
    }
    let route = match value.replace(['-', '_'], " ").as_str() {
        "regulier" | "bevoegd" | "regular" => EntryRoute::Regular,
        "zij instromer pdg" | "zij instromer" | "pdg" => EntryRoute::SideEntrantPdg,
        "zij instromer verkort" | "verkorte opleiding" | "verkort" => EntryRoute::SideEntrantShortened,
        "hybride" | "hybride docent" | "hybrid" => EntryRoute::Hybrid,
        "lio" | "trainee" | "student in opleiding" => EntryRoute::Trainee,
        "ad pep" | "associate degree" | "ad" => EntryRoute::AssociateDegree,
        _ => return Err(FieldProblem::UnknownChoice),
    };
    Ok(route)
}

pub(super) fn parse_contract(raw: &str) -> Result<ContractKind, FieldProblem> {
    match raw.trim().to_lowercase().as_str() {
        "vast" | "onbepaalde tijd" | "permanent" => Ok(ContractKind::Permanent),
        "tijdelijk" | "bepaalde tijd" | "fixed_term" | "fixed term" => Ok(ContractKind::FixedTerm),
        "" => Err(FieldProblem::Required),
        _ => Err(FieldProblem::UnknownChoice),
    }
}

pub(super) fn parse_employee_number(raw: &str) -> Result<String, FieldProblem> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldProblem::Required);
    }
    if value.chars().count() > EMPLOYEE_NUMBER_MAX {
        return Err(FieldProblem::TooLong {
            max: EMPLOYEE_NUMBER_MAX,
        });
    }
    if value.chars().any(char::is_control) {
        return Err(FieldProblem::ControlCharacters);
    }
    Ok(value.to_owned())
}

/// A checked row, ready to be compared with what is stored.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Checked {
    pub(super) employee_number: String,
    pub(super) name: Name,
    pub(super) email: Option<Email>,
    pub(super) role: Role,
    pub(super) team: Option<(TeamId, Sector)>,
    pub(super) starter: Option<StarterFacts>,
    pub(super) partnership: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct StarterFacts {
    pub(super) start: NaiveDate,
    pub(super) fte: Fte,
    pub(super) contract: Contract,
    pub(super) route: EntryRoute,
}

/// The institution as the import sees it.
pub struct Snapshot {
    pub(super) institution: InstitutionId,
    pub(super) today: NaiveDate,
    pub(super) teams: HashMap<String, (TeamId, Sector)>,
    pub(super) partnerships: HashMap<String, PartnershipId>,
    /// By employee number.
    pub(super) people: HashMap<String, KnownPerson>,
    /// Marks of erased employee numbers, with the salt to compare.
    pub(super) erased: Option<(String, std::collections::HashSet<String>)>,
}

pub(super) struct KnownPerson {
    pub(super) id: PersonId,
    pub(super) name: String,
    pub(super) email: Option<String>,
    pub(super) roles: Vec<RoleAssignment>,
    pub(super) employment: Option<(store::Employment, Option<EmploymentTerms>)>,
}

/// Read what the import compares against.
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn snapshot_of(db: &Db, institution: InstitutionId, today: NaiveDate) -> Result<Snapshot, ServiceError> {
    let teams = teams::list(db, institution)
        .await?
        .into_iter()
        .map(|t| (t.name.as_str().to_lowercase(), (t.id, t.sector)))
        .collect();
    let partnerships = store::partnerships(db, institution)
        .await?
        .into_iter()
        .map(|p| (p.name.to_lowercase(), p.id))
        .collect();
    let active = memberships::active_in_institution(db, institution).await?;
    let employments = store::employments(db, institution).await?;
    let mut terms: HashMap<i64, Vec<EmploymentTerms>> = HashMap::new();
    for (employment, row) in store::all_terms(db, institution).await? {
        terms.entry(employment.0).or_default().push(row);
    }
    let mut known = HashMap::new();
    for (id, name, email, number) in people::with_employee_numbers(db, institution).await? {
        let roles = active
            .iter()
            .filter(|m| m.person == id)
            .map(|m| RoleAssignment {
                role: m.role,
                team: m.team,
            })
            .collect();
        let employment = employments
            .iter()
            .filter(|e| e.person == id && e.employee_number == number)
            .max_by_key(|e| e.start)
            .map(|e| {
                let current = terms.get(&e.id.0).and_then(|t| terms_on(t, today)).cloned();
                (e.clone(), current)
            });
        known.insert(
            number,
            KnownPerson {
                id,
                name,
                email,
                roles,
                employment,
            },
        );
    }
    Ok(Snapshot {
        institution,
        today,
        teams,
        partnerships,
        people: known,
        erased: crate::service::erasure::erased_numbers(db, institution).await?,
    })
}

pub(super) fn check(row: &RawRow, snapshot: &Snapshot) -> Result<Checked, Vec<CellError>> {
    let mut errors = Vec::new();
    let mut cell = |column: Column, problem: ImportProblem| {
        errors.push(CellError {
            column: Some(column),
            problem,
        })
    };
    let employee_number = parse_employee_number(row.get(Column::EmployeeNumber))
        .map_err(|p| cell(Column::EmployeeNumber, p.into()))
        .ok();
    let name = Name::parse(row.get(Column::Name))
        .map_err(|e| cell(Column::Name, FieldProblem::from(e).into()))
        .ok();
    let email = match row.get(Column::Email).trim() {
        "" => Some(None),
        raw => Email::parse(raw)
            .map(Some)
            .map_err(|e| cell(Column::Email, FieldProblem::from(e).into()))
            .ok(),
    };
    let role = parse_role(row.get(Column::Role))
        .map_err(|p| cell(Column::Role, p.into()))
        .ok();
    let team = match row.get(Column::Team).trim() {
        "" => Some(None),
        name => match snapshot.teams.get(&name.to_lowercase()) {
            Some(team) => Some(Some(*team)),
            None => {
                cell(Column::Team, ImportProblem::UnknownTeam);
                None
            }
        },
    };
    let partnership = match row.get(Column::Partnership).trim() {
        "" => None,
        name => match Name::parse(name) {
            Ok(name) => Some(name.to_string()),
            Err(e) => {
                cell(Column::Partnership, FieldProblem::from(e).into());
                None
            }
        },
    };
    let starter = if role == Some(Role::Starter) {
        let start = parse_date(row.get(Column::StartDate))
            .map_err(|p| cell(Column::StartDate, p.into()))
            .ok();
        let fte = Fte::parse(row.get(Column::Fte))
            .map_err(|p| cell(Column::Fte, p.into()))
            .ok();
        let kind = parse_contract(row.get(Column::Contract))
            .map_err(|p| cell(Column::Contract, p.into()))
            .ok();
        let until = match (kind, row.get(Column::ContractEnd).trim()) {
            (Some(ContractKind::FixedTerm), raw) => parse_date(raw)
                .map(Some)
                .map_err(|p| cell(Column::ContractEnd, p.into()))
                .ok(),
            _ => Some(None),
        };
        if let (Some(start), Some(Some(until))) = (start, until)
            && until < start
        {
            cell(Column::ContractEnd, FieldProblem::BeforeStart.into());
        }
        let route = parse_route(row.get(Column::EntryRoute))
            .map_err(|p| cell(Column::EntryRoute, p.into()))
            .ok();
        match (start, fte, kind, until, route) {
            (Some(start), Some(fte), Some(kind), Some(until), Some(route)) => {
                Contract::from_parts(kind, until).ok().map(|contract| StarterFacts {
                    start,
                    fte,
                    contract,
                    route,
                })
            }
            _ => None,
        }
    } else {
        None
    };
    if !row.cell_count_ok {
        errors.push(CellError {
            column: None,
            problem: ImportProblem::CellCount,
        });
    }
    match (employee_number, name, email, role, team) {
        (Some(employee_number), Some(name), Some(email), Some(role), Some(team)) if errors.is_empty() => Ok(Checked {
            employee_number,
            name,
            email,
            role,
            team,
            starter,
            partnership,
        }),
        _ => Err(errors),
    }
}

/// What to do with a row, decided against the snapshot.
#[derive(Debug)]
pub(super) enum Plan {
    Create(Checked),
    Update {
        person: PersonId,
        row: Checked,
        changes: Vec<Column>,
    },
    Unchanged,
}

pub(super) fn decide(checked: Checked, snapshot: &Snapshot) -> Result<Plan, Vec<CellError>> {
    let Some(known) = snapshot.people.get(&checked.employee_number) else {
        return Ok(Plan::Create(checked));
    };
    let mut changes = Vec::new();
    if known.name != checked.name.as_str() {
        changes.push(Column::Name);
    }
    if known.email.as_deref() != checked.email.as_ref().map(Email::as_str) {
        changes.push(Column::Email);
    }
    let team = checked.team.map(|t| t.0);
    let wanted = RoleAssignment {
        role: checked.role,
        team,
    };
    if !known.roles.contains(&wanted) {
        if known.roles.iter().any(|r| r.role == checked.role) {
            changes.push(Column::Team);
        } else {
            changes.push(Column::Role);
        }
    }
    if let Some(facts) = &checked.starter {
        match &known.employment {
            None => changes.extend([Column::StartDate, Column::EntryRoute]),
            Some((employment, terms)) => {
                if employment.start != facts.start {
                    changes.push(Column::StartDate);
                }
                if employment.route != facts.route {
                    changes.push(Column::EntryRoute);
                }
                match terms {
                    None => changes.extend([Column::Fte, Column::Contract]),
                    Some(terms) => {
                        if terms.fte != facts.fte {
                            changes.push(Column::Fte);
                        }
                        if terms.contract.kind() != facts.contract.kind() {
                            changes.push(Column::Contract);
                        }
                        if terms.contract.until() != facts.contract.until() {
                            changes.push(Column::ContractEnd);
                        }
                        if terms.team != team && !changes.contains(&Column::Team) {
                            changes.push(Column::Team);
                        }
                        let partnership = checked
                            .partnership
                            .as_ref()
                            .map(|p| snapshot.partnerships.get(&p.to_lowercase()).copied());
                        let same_partnership = match (terms.partnership, partnership) {
                            (None, None) => true,
                            (Some(current), Some(Some(named))) => current == named,
                            _ => false,
                        };
                        if !same_partnership {
                            changes.push(Column::Partnership);
                        }
                    }
                }
            }
        }
    }
    if changes.is_empty() {
        Ok(Plan::Unchanged)
    } else {
        Ok(Plan::Update {
            person: known.id,
            row: checked,
            changes,
        })
    }
}

/// Check every row and decide what it does. Pure: same file, same snapshot,
/// same plan.
pub(super) fn plan(rows: &[RawRow], snapshot: &Snapshot, report: &mut ImportReport) -> Vec<(usize, Plan)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut emails: HashMap<String, String> = HashMap::new();
    let mut new_partnerships: Vec<String> = Vec::new();
    let mut plans = Vec::new();
    for row in rows {
        let employee_number = row.get(Column::EmployeeNumber).trim().to_owned();
        let name = row.get(Column::Name).trim().chars().take(120).collect::<String>();
        let outcome = check(row, snapshot).and_then(|checked| {
            let mut errors = Vec::new();
            if let Some(first) = seen.insert(checked.employee_number.clone(), row.row) {
                let _ = first;
                errors.push(CellError {
                    column: Some(Column::EmployeeNumber),
                    problem: ImportProblem::DuplicateInFile,
                });
            }
            if let Some(email) = &checked.email {
                let key = email.as_str().to_lowercase();
                match emails.get(&key) {
                    Some(other) if *other != checked.employee_number => errors.push(CellError {
                        column: Some(Column::Email),
                        problem: ImportProblem::EmailTaken,
                    }),
                    _ => {
                        emails.insert(key, checked.employee_number.clone());
                    }
                }
            }
            // Someone erased is not brought back by a file: only by hand.
            if !snapshot.people.contains_key(&checked.employee_number)
                && crate::service::erasure::was_erased(&snapshot.erased, &checked.employee_number)
            {
                errors.push(CellError {
                    column: Some(Column::EmployeeNumber),
                    problem: ImportProblem::ErasedBefore,
                });
            }
            if !errors.is_empty() {
                return Err(errors);
            }
            decide(checked, snapshot)
        });
        let action = match &outcome {
            Ok(Plan::Create(_)) => RowAction::Create,
            Ok(Plan::Update { changes, .. }) => RowAction::Update {
                changes: changes.clone(),
            },
            Ok(Plan::Unchanged) => RowAction::Unchanged,
            Err(errors) => RowAction::Error { errors: errors.clone() },
        };
        if let Ok(Plan::Create(c) | Plan::Update { row: c, .. }) = &outcome
            && let Some(p) = &c.partnership
            && !snapshot.partnerships.contains_key(&p.to_lowercase())
            && !new_partnerships.iter().any(|n| n.to_lowercase() == p.to_lowercase())
        {
            new_partnerships.push(p.clone());
        }
        report.rows.push(RowReport {
            row: row.row,
            employee_number,
            name,
            action,
        });
        if let Ok(plan) = outcome {
            plans.push((report.rows.len() - 1, plan));
        }
    }
    report.new_partnerships = new_partnerships;
    plans
}
