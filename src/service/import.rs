//! The HR import: a CSV export of starters and mentors, as Dutch Excel
//! writes it (UTF-8 or Windows-1252, comma or semicolon), matched on
//! employee number.
//!
//! Reading and planning are pure: the file is decoded, every row is checked
//! against a snapshot of the institution, and the plan says per row what
//! will be created or changed, with every error by row and column. Only a
//! clean plan is applied, in one transaction: one bad row writes nothing.
//! Applying the same file twice changes nothing the second time.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::{Ctx, ServiceError, access, record};
use crate::domain::import::{
    CellError, Column, FileProblem, ImportProblem, ImportReport, RowAction, RowReport, UploadSummary, UploadView,
};
use crate::domain::time::parse_date;
use crate::domain::time::today;
use crate::domain::trajectory::{Contract, ContractKind, EmploymentTerms, EntryRoute, Fte, snapshot, terms_on};
use crate::domain::{
    AuditAction, Email, FieldProblem, InstitutionId, Name, PartnershipId, PersonForCreate, PersonId, Role,
    RoleAssignment, Sector, TeamId,
};
use crate::store::trajectories::{self as store, EmploymentForCreate};
use crate::store::{Db, Tx, accounts, memberships, people, teams, uploads};

/// Files larger than this many rows are refused (a deployment's whole HR
/// export of starters and mentors is far smaller).
pub const MAX_ROWS: usize = 20_000;
/// Longest employee number.
pub const EMPLOYEE_NUMBER_MAX: usize = 40;

/// The template: the Dutch headers and two example rows that import cleanly
/// into any institution. UTF-8 with a byte-order mark and semicolons, so
/// Dutch Excel opens it as columns.
pub fn template() -> String {
    let header: Vec<&str> = Column::ALL.iter().map(|c| c.header()).collect();
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(";"));
    out.push_str("\r\n");
    out.push_str("100234;Fatima El Amrani;f.elamrani@school.example;starter;;1-8-2026;0,8;tijdelijk;31-7-2027;zij-instromer pdg;\r\n");
    out.push_str("100187;Joost Verhoeven;j.verhoeven@school.example;mentor;;;;;;;\r\n");
    out
}

/// Role of a row: the import adds starters and mentors.
fn parse_role(raw: &str) -> Result<Role, FieldProblem> {
    match raw.trim().to_lowercase().as_str() {
        "starter" | "startende docent" | "starters" => Ok(Role::Starter),
        "mentor" | "werkplekbegeleider" | "coach" | "begeleider" => Ok(Role::Mentor),
        "" => Err(FieldProblem::Required),
        _ => Err(FieldProblem::UnknownChoice),
    }
}

fn parse_route(raw: &str) -> Result<EntryRoute, FieldProblem> {
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

fn parse_contract(raw: &str) -> Result<ContractKind, FieldProblem> {
    match raw.trim().to_lowercase().as_str() {
        "vast" | "onbepaalde tijd" | "permanent" => Ok(ContractKind::Permanent),
        "tijdelijk" | "bepaalde tijd" | "fixed_term" | "fixed term" => Ok(ContractKind::FixedTerm),
        "" => Err(FieldProblem::Required),
        _ => Err(FieldProblem::UnknownChoice),
    }
}

fn parse_employee_number(raw: &str) -> Result<String, FieldProblem> {
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

/// A decoded file: its text, and how it was read.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// UTF-8 (with or without byte-order mark) when the bytes are valid UTF-8,
/// otherwise Windows-1252 (what Excel writes on Dutch Windows).
pub fn decode(bytes: &[u8]) -> Decoded {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
        },
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Decoded {
                text: text.into_owned(),
                encoding: "Windows-1252",
            }
        }
    }
}

/// The separator of the header line: the more frequent of `;`, `,` and tab
/// outside quotes (Dutch Excel writes `;`).
pub fn separator(text: &str) -> char {
    let header = text.lines().next().unwrap_or("");
    let mut quoted = false;
    let mut counts = [(';', 0), (',', 0), ('\t', 0)];
    for c in header.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted && let Some(entry) = counts.iter_mut().find(|(s, _)| *s == c) {
            entry.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(';', |(s, _)| *s)
}

/// One data row as text, by column.
#[derive(Debug, Clone)]
pub struct RawRow {
    pub row: usize,
    pub cells: HashMap<Column, String>,
    pub cell_count_ok: bool,
}

impl RawRow {
    fn get(&self, column: Column) -> &str {
        self.cells.get(&column).map_or("", String::as_str)
    }
}

/// Byte offsets at which the rows of a spreadsheet start: after every line
/// end outside quotes.
fn row_starts(text: &str) -> Vec<u64> {
    let mut starts = vec![0];
    let mut quoted = false;
    for (i, byte) in text.bytes().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => starts.push(i as u64 + 1),
            _ => {}
        }
    }
    starts
}

/// Read the CSV into rows, or say why the file cannot be read.
pub fn read(bytes: &[u8]) -> (Vec<RawRow>, ImportReport) {
    let decoded = decode(bytes);
    let separator = separator(&decoded.text);
    let mut report = ImportReport {
        encoding: decoded.encoding.to_owned(),
        separator,
        ..ImportReport::default()
    };
    if decoded.text.trim().is_empty() {
        report.file_errors.push(FileProblem::Empty);
        return (Vec::new(), report);
    }
    // One line ending, so line numbers count the same for Windows files.
    let text = decoded.text.replace("\r\n", "\n").replace('\r', "\n");
    let starts = row_starts(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(_) => {
            report.file_errors.push(FileProblem::Unreadable);
            return (Vec::new(), report);
        }
    };
    let mut columns: Vec<Option<Column>> = Vec::new();
    for header in headers.iter() {
        let column = Column::from_header(header);
        if column.is_none() && !header.trim().is_empty() {
            report.file_errors.push(FileProblem::UnknownColumn {
                header: header.trim().chars().take(60).collect(),
            });
        }
        columns.push(column);
    }
    for required in [Column::EmployeeNumber, Column::Name, Column::Role] {
        if !columns.contains(&Some(required)) {
            report.file_errors.push(FileProblem::MissingColumn { column: required });
        }
    }
    if !report.file_errors.is_empty() {
        return (Vec::new(), report);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let Ok(record) = record else {
            report.file_errors.push(FileProblem::Unreadable);
            return (Vec::new(), report);
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            report.file_errors.push(FileProblem::TooManyRows { max: MAX_ROWS });
            return (Vec::new(), report);
        }
        // The row a spreadsheet shows: the header is row 1, blank lines
        // count, a cell spanning lines does not.
        // (A record's position may point at blank lines skipped before it.)
        let row = record.position().map_or(rows.len() + 2, |p| {
            let mut at = p.byte() as usize;
            while text.as_bytes().get(at) == Some(&b'\n') {
                at += 1;
            }
            starts.partition_point(|&s| s <= at as u64)
        });
        let cells = columns
            .iter()
            .zip(record.iter())
            .filter_map(|(column, cell)| column.map(|c| (c, cell.to_owned())))
            .collect();
        rows.push(RawRow {
            row,
            cells,
            cell_count_ok: record.len() == columns.len(),
        });
    }
    (rows, report)
}

/// A checked row, ready to be compared with what is stored.
#[derive(Debug, Clone, PartialEq)]
struct Checked {
    employee_number: String,
    name: Name,
    email: Option<Email>,
    role: Role,
    team: Option<(TeamId, Sector)>,
    starter: Option<StarterFacts>,
    partnership: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct StarterFacts {
    start: NaiveDate,
    fte: Fte,
    contract: Contract,
    route: EntryRoute,
}

/// The institution as the import sees it.
pub struct Snapshot {
    institution: InstitutionId,
    today: NaiveDate,
    teams: HashMap<String, (TeamId, Sector)>,
    partnerships: HashMap<String, PartnershipId>,
    /// By employee number.
    people: HashMap<String, KnownPerson>,
    /// Marks of erased employee numbers, with the salt to compare.
    erased: Option<(String, std::collections::HashSet<String>)>,
}

struct KnownPerson {
    id: PersonId,
    name: String,
    email: Option<String>,
    roles: Vec<RoleAssignment>,
    employment: Option<(store::Employment, Option<EmploymentTerms>)>,
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
        erased: super::erasure::erased_numbers(db, institution).await?,
    })
}

fn check(row: &RawRow, snapshot: &Snapshot) -> Result<Checked, Vec<CellError>> {
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
enum Plan {
    Create(Checked),
    Update {
        person: PersonId,
        row: Checked,
        changes: Vec<Column>,
    },
    Unchanged,
}

fn decide(checked: Checked, snapshot: &Snapshot) -> Result<Plan, Vec<CellError>> {
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
fn plan(rows: &[RawRow], snapshot: &Snapshot, report: &mut ImportReport) -> Vec<(usize, Plan)> {
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
                && super::erasure::was_erased(&snapshot.erased, &checked.employee_number)
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

/// Who runs the import: a coordinator in the app, or the command line.
#[derive(Clone, Copy)]
pub enum Actor<'a> {
    Person(&'a Ctx),
    System,
}

impl Actor<'_> {
    fn person(&self) -> Option<PersonId> {
        match self {
            Actor::Person(ctx) => Some(ctx.person),
            Actor::System => None,
        }
    }
}

/// The coordinator's import: a dry run (`confirm = false`) or the real one.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn import_file(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    bytes: &[u8],
    confirm: bool,
) -> Result<ImportReport, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "import.starters").await?;
    run(db, now, Actor::Person(ctx), institution, bytes, confirm).await
}

/// Read, plan and (when `apply` and the plan is clean) write the file.
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn run(
    db: &Db,
    now: DateTime<Utc>,
    actor: Actor<'_>,
    institution: InstitutionId,
    bytes: &[u8],
    apply: bool,
) -> Result<ImportReport, ServiceError> {
    run_upload(db, now, actor, institution, bytes, apply, None).await
}

/// `run`, marking the stored upload applied in the same transaction.
async fn run_upload(
    db: &Db,
    now: DateTime<Utc>,
    actor: Actor<'_>,
    institution: InstitutionId,
    bytes: &[u8],
    apply: bool,
    upload: Option<i64>,
) -> Result<ImportReport, ServiceError> {
    let (rows, mut report) = read(bytes);
    if !report.file_errors.is_empty() {
        return Ok(report);
    }
    let snapshot = snapshot_of(db, institution, today(now)).await?;
    let plans = plan(&rows, &snapshot, &mut report);
    // Rows whose e-mail address belongs to someone outside this file.
    let owners: HashMap<String, PersonId> = people::email_owners(db).await?.into_iter().collect();
    let mut taken = Vec::new();
    for (index, plan) in &plans {
        let (person, row) = match plan {
            Plan::Create(row) => (None, row),
            Plan::Update { person, row, .. } => (Some(*person), row),
            Plan::Unchanged => continue,
        };
        if let Some(email) = &row.email
            && let Some(owner) = owners.get(email.as_str())
            && Some(*owner) != person
        {
            taken.push(*index);
        }
    }
    for index in taken {
        report.rows[index].action = RowAction::Error {
            errors: vec![CellError {
                column: Some(Column::Email),
                problem: ImportProblem::EmailTaken,
            }],
        };
    }
    if !apply || !report.is_clean() {
        return Ok(report);
    }
    let mut tx = db.begin_write().await?;
    let mut partnerships = snapshot.partnerships.clone();
    for name in &report.new_partnerships {
        let id = store::create_partnership(&mut tx, institution, name, now).await?;
        partnerships.insert(name.to_lowercase(), id);
        record(
            &mut tx,
            now,
            actor.person(),
            Some(institution),
            None,
            AuditAction::PartnershipCreated,
            json!({ "partnership": id.0 }),
        )
        .await?;
    }
    let mut written = 0usize;
    let mut templates = Templates::new();
    for (_, plan) in &plans {
        match plan {
            Plan::Create(row) => {
                create(&mut tx, &mut templates, now, actor, &snapshot, &partnerships, row).await?;
                written += 1;
            }
            Plan::Update { person, row, changes } => {
                update(
                    &mut tx,
                    &mut templates,
                    now,
                    actor,
                    &snapshot,
                    &partnerships,
                    *person,
                    row,
                    changes,
                )
                .await?;
                written += 1;
            }
            Plan::Unchanged => {}
        }
    }
    record(
        &mut tx,
        now,
        actor.person(),
        Some(institution),
        None,
        AuditAction::ImportApplied,
        json!({
            "rows": report.rows.len(),
            "created": report.created(),
            "updated": report.updated(),
            "unchanged": report.unchanged(),
        }),
    )
    .await?;
    report.applied = true;
    if let Some(upload) = upload {
        let result = serde_json::to_string(&report)
            .map_err(|e| ServiceError::Internal(crate::store::StoreError::Corrupt(e.to_string())))?;
        if !uploads::mark_applied(&mut tx, institution, upload, &result, now).await? {
            // Applied meanwhile (a second click): this run writes nothing.
            drop(tx);
            return Err(ServiceError::AlreadyDone);
        }
    }
    tx.commit().await?;
    tracing::info!(institution = %institution, rows = report.rows.len(), written, "HR import applied");
    Ok(report)
}

/// Largest accepted HR file.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// Longest kept file name.
const FILE_NAME_MAX: usize = 200;

/// Keep an uploaded file for checking and confirmation (coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn upload(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    file_name: &str,
    bytes: &[u8],
) -> Result<i64, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "import.upload").await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ServiceError::field("file", FieldProblem::Required));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ServiceError::field(
            "file",
            FieldProblem::TooLarge {
                max_bytes: MAX_FILE_BYTES as u64,
            },
        ));
    }
    let name: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(FILE_NAME_MAX)
        .collect();
    let name = if name.trim().is_empty() {
        "import.csv".to_owned()
    } else {
        name
    };
    let mut tx = db.begin_write().await?;
    let id = uploads::create(&mut tx, institution, ctx.person, &name, bytes, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// An upload with its report: the stored one when applied, otherwise a
/// fresh dry run against the institution as it is now.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn view(db: &Db, now: DateTime<Utc>, ctx: &Ctx, id: i64) -> Result<UploadView, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "import.view").await?;
    let (upload, content) = uploads::get(db, institution, id).await?;
    let report = match &upload.result {
        Some(json) => serde_json::from_str(json)
            .map_err(|e| ServiceError::Internal(crate::store::StoreError::Corrupt(e.to_string())))?,
        None => run(db, now, Actor::Person(ctx), institution, &content, false).await?,
    };
    Ok(UploadView {
        id: upload.id,
        file_name: upload.file_name,
        uploaded_at: upload.created_at,
        applied_at: upload.applied_at,
        report,
    })
}

/// Apply a checked upload (coordinator). Applying twice writes once.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn confirm(db: &Db, now: DateTime<Utc>, ctx: &Ctx, id: i64) -> Result<UploadView, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "import.confirm").await?;
    let (upload, content) = uploads::get(db, institution, id).await?;
    if upload.applied_at.is_none() {
        match run_upload(db, now, Actor::Person(ctx), institution, &content, true, Some(id)).await {
            Ok(_) | Err(ServiceError::AlreadyDone) => {}
            Err(err) => return Err(err),
        }
    }
    view(db, now, ctx, id).await
}

/// The institution's latest uploads, newest first (coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn recent(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Vec<UploadSummary>, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "import.recent").await?;
    Ok(uploads::recent(db, institution, 10)
        .await?
        .into_iter()
        .map(|u| UploadSummary {
            id: u.id,
            file_name: u.file_name,
            uploaded_at: u.created_at,
            applied_at: u.applied_at,
        })
        .collect())
}

fn terms_of(
    row: &Checked,
    facts: &StarterFacts,
    partnerships: &HashMap<String, PartnershipId>,
    from: NaiveDate,
) -> EmploymentTerms {
    EmploymentTerms {
        valid_from: from,
        fte: facts.fte,
        contract: facts.contract,
        team: row.team.map(|t| t.0),
        sector: row.team.map_or(Sector::Other, |t| t.1),
        partnership: row
            .partnership
            .as_ref()
            .and_then(|p| partnerships.get(&p.to_lowercase()).copied()),
    }
}

#[allow(clippy::too_many_arguments)]
async fn enroll(
    tx: &mut Tx,
    templates: &mut Templates,
    now: DateTime<Utc>,
    institution: InstitutionId,
    person: PersonId,
    row: &Checked,
    facts: &StarterFacts,
    partnerships: &HashMap<String, PartnershipId>,
) -> Result<(), ServiceError> {
    let employment = store::create_employment(
        tx,
        institution,
        &EmploymentForCreate {
            person,
            employee_number: row.employee_number.clone(),
            route: facts.route,
            start: facts.start,
        },
        now,
    )
    .await?;
    store::add_terms(tx, employment, &terms_of(row, facts, partnerships, facts.start), now).await?;
    if let std::collections::hash_map::Entry::Vacant(slot) = templates.entry(facts.route) {
        let template = store::ensure_template(tx, institution, facts.route, now).await?;
        let milestones = store::template_milestones(tx, template.0).await?;
        slot.insert((template, milestones));
    }
    let (template, milestones) = &templates[&facts.route];
    store::create_trajectory(
        tx,
        employment,
        *template,
        facts.start,
        &snapshot(milestones, facts.start),
        now,
    )
    .await?;
    Ok(())
}

/// Templates read once per import: (id, version) and milestones by route.
type Templates = HashMap<
    EntryRoute,
    (
        (crate::domain::TemplateId, i64),
        Vec<(i64, crate::domain::trajectory::MilestoneTemplate)>,
    ),
>;

async fn create(
    tx: &mut Tx,
    templates: &mut Templates,
    now: DateTime<Utc>,
    actor: Actor<'_>,
    snapshot: &Snapshot,
    partnerships: &HashMap<String, PartnershipId>,
    row: &Checked,
) -> Result<(), ServiceError> {
    let institution = snapshot.institution;
    let new = PersonForCreate {
        full_name: row.name.clone(),
        email: row.email.clone(),
        institution: Some(institution),
    };
    let person = people::create(tx, &new, now).await?;
    people::set_employee_number(tx, person, Some(&row.employee_number)).await?;
    accounts::create(tx, person, now).await?;
    let assignment = RoleAssignment {
        role: row.role,
        team: row.team.map(|t| t.0),
    };
    memberships::set_roles(tx, person, Some(institution), &[assignment], now).await?;
    record(
        tx,
        now,
        actor.person(),
        Some(institution),
        Some(person),
        AuditAction::PersonCreated,
        json!({ "roles": [{ "role": row.role.code(), "team": assignment.team.map(|t| t.0) }], "source": "import" }),
    )
    .await?;
    if let Some(facts) = &row.starter {
        enroll(tx, templates, now, institution, person, row, facts, partnerships).await?;
        record(
            tx,
            now,
            actor.person(),
            Some(institution),
            Some(person),
            AuditAction::StarterEnrolled,
            json!({ "route": facts.route.code(), "start": facts.start, "source": "import" }),
        )
        .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn update(
    tx: &mut Tx,
    templates: &mut Templates,
    now: DateTime<Utc>,
    actor: Actor<'_>,
    snapshot: &Snapshot,
    partnerships: &HashMap<String, PartnershipId>,
    person: PersonId,
    row: &Checked,
    changes: &[Column],
) -> Result<(), ServiceError> {
    let institution = snapshot.institution;
    let known = &snapshot.people[&row.employee_number];
    if changes.contains(&Column::Name) || changes.contains(&Column::Email) {
        people::update(
            tx,
            institution,
            person,
            &crate::domain::PersonForUpdate {
                full_name: row.name.clone(),
                email: row.email.clone(),
            },
            now,
        )
        .await?;
    }
    if changes.contains(&Column::Role) || changes.contains(&Column::Team) {
        // Keep other roles; the imported role runs in the file's team.
        let mut roles: Vec<RoleAssignment> = known.roles.iter().filter(|r| r.role != row.role).copied().collect();
        roles.push(RoleAssignment {
            role: row.role,
            team: row.team.map(|t| t.0),
        });
        memberships::set_roles(tx, person, Some(institution), &roles, now).await?;
    }
    if let Some(facts) = &row.starter {
        match &known.employment {
            None => enroll(tx, templates, now, institution, person, row, facts, partnerships).await?,
            Some((employment, terms)) => {
                if employment.start != facts.start || employment.route != facts.route {
                    store::correct_employment(tx, institution, employment.id, facts.route, facts.start).await?;
                }
                let terms_changed = changes.iter().any(|c| {
                    matches!(
                        c,
                        Column::Fte | Column::Contract | Column::ContractEnd | Column::Team | Column::Partnership
                    )
                });
                if terms_changed || terms.is_none() {
                    // A new dated row from today (or from the start, when
                    // that is still ahead); never an overwrite.
                    let from = snapshot.today.max(facts.start);
                    let new_terms = terms_of(row, facts, partnerships, from);
                    let stored = store::terms(tx, employment.id).await?;
                    if stored.iter().any(|t| t.valid_from == from) {
                        // A second change on the same day corrects that day's row.
                        store::replace_terms(tx, employment.id, &new_terms).await?;
                    } else {
                        store::add_terms(tx, employment.id, &new_terms, now).await?;
                    }
                }
            }
        }
    }
    let columns: HashSet<&str> = changes.iter().map(|c| c.header()).collect();
    let mut columns: Vec<&str> = columns.into_iter().collect();
    columns.sort_unstable();
    record(
        tx,
        now,
        actor.person(),
        Some(institution),
        Some(person),
        AuditAction::StarterUpdated,
        json!({ "changed": columns, "source": "import" }),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests;
