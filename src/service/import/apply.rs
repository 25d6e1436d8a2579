//! Applying a plan: enrolling new starters, creating people, and changing what differs.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use crate::domain::import::Column;
use crate::domain::trajectory::{EmploymentTerms, EntryRoute, snapshot};
use crate::domain::{AuditAction, InstitutionId, PartnershipId, PersonForCreate, PersonId, RoleAssignment, Sector};
use crate::service::{ServiceError, record};
use crate::store::trajectories::{self as store, EmploymentForCreate};
use crate::store::{Tx, accounts, memberships, people};

use super::Actor;
use super::plan::{Checked, Snapshot, StarterFacts};

pub(super) fn terms_of(
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
pub(super) async fn enroll(
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
pub(super) type Templates = HashMap<
    EntryRoute,
    (
        (crate::domain::TemplateId, i64),
        Vec<(i64, crate::domain::trajectory::MilestoneTemplate)>,
    ),
>;

pub(super) async fn create(
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
pub(super) async fn update(
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
