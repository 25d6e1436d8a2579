//! People of an institution: the coordinator creates them (with a one-time
//! activation link), edits names, addresses and roles, deactivates and
//! reactivates them, and issues password-reset links.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Ctx, ServiceError, access, auth, taken_as_field};
use crate::domain::{
    AccountStatus, AuditAction, Email, FieldErrors, FieldProblem, InstitutionId, Name, PeopleFilter, PersonDetail,
    PersonForCreate, PersonForUpdate, PersonId, PersonListItem, Role, RoleAssignment,
};
use crate::store::tokens::TokenPurpose;
use crate::store::{Db, accounts, memberships, people, teams};

/// A person just created, with the token for their activation link.
#[derive(Clone, PartialEq, Eq)]
pub struct Created {
    pub person: PersonId,
    pub token: String,
}

/// The person, never the token.
impl std::fmt::Debug for Created {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Created")
            .field("person", &self.person)
            .finish_non_exhaustive()
    }
}

/// One page of the people list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeoplePage {
    pub items: Vec<PersonListItem>,
    pub has_more: bool,
}

pub const PAGE_SIZE: u32 = 25;

#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn list(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    filter: &PeopleFilter,
    page: u32,
) -> Result<PeoplePage, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "people.list").await?;
    if let Some(team) = filter.team {
        teams::get(db, institution, team).await?;
    }
    let mut items = people::list(db, institution, filter, PAGE_SIZE + 1, page.saturating_mul(PAGE_SIZE)).await?;
    let has_more = items.len() > PAGE_SIZE as usize;
    items.truncate(PAGE_SIZE as usize);
    Ok(PeoplePage { items, has_more })
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn detail(db: &Db, now: DateTime<Utc>, ctx: &Ctx, id: PersonId) -> Result<PersonDetail, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "people.detail").await?;
    let person = people::get_in_institution(db, institution, id).await?;
    let account = accounts::get(db, id).await?;
    let history = memberships::history_for_person(db, id).await?;
    Ok(PersonDetail {
        id,
        full_name: person.full_name.to_string(),
        email: person.email.map(String::from),
        status: match account.status() {
            // Someone who logs in with the school account uses Houvast.
            AccountStatus::Invited if crate::store::school_login::has_any_link(db, id).await? => AccountStatus::Active,
            status => status,
        },
        last_login_at: account.last_login_at,
        roles: history
            .iter()
            .filter(|m| m.ended_at.is_none())
            .map(|m| (m.role, m.team))
            .collect(),
        history: history
            .iter()
            .map(|m| (m.role, m.team, m.started_at, m.ended_at))
            .collect(),
    })
}

/// The caller's institution, when they coordinate it and `id` is one of its
/// people; another institution's person is not found.
async fn coordinated_person(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    id: PersonId,
    what: &str,
) -> Result<InstitutionId, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], what).await?;
    people::get_in_institution(db, institution, id).await?;
    Ok(institution)
}

/// Refuse an address someone else uses. In the caller's own institution
/// that is "taken" (the coordinator can find that person anyway); in
/// another one a neutral "cannot use this address" that does not say
/// where it is registered, and the attempt is audited (it may be probing).
async fn address_free(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    institution: InstitutionId,
    email: &Email,
    except: Option<PersonId>,
) -> Result<(), ServiceError> {
    let Some(owner) = people::find_by_email(db, email).await? else {
        return Ok(());
    };
    if Some(owner.id) == except {
        return Ok(());
    }
    if owner.institution == Some(institution) {
        return Err(ServiceError::field("email", FieldProblem::Taken));
    }
    access::record_denial(db, now, Some(ctx), "people.address_elsewhere").await;
    Err(ServiceError::field("email", FieldProblem::AddressUnavailable))
}

/// Validate roles for an institution: only institutional roles, teams of
/// this institution, a team for team leaders, no duplicates.
async fn check_roles(
    db: &Db,
    institution: InstitutionId,
    roles: &[RoleAssignment],
    errors: &mut FieldErrors,
) -> Result<Vec<RoleAssignment>, ServiceError> {
    let mut checked: Vec<RoleAssignment> = Vec::new();
    for assignment in roles {
        if !assignment.role.is_institutional() {
            errors.add("roles", FieldProblem::UnknownChoice);
            continue;
        }
        if let Some(team) = assignment.team {
            // A team of another institution is simply not found.
            teams::get(db, institution, team).await?;
        }
        if assignment.role == Role::TeamLeader && assignment.team.is_none() {
            errors.add("team", FieldProblem::Required);
            continue;
        }
        if !checked.contains(assignment) {
            checked.push(*assignment);
        }
    }
    if roles.is_empty() {
        errors.add("roles", FieldProblem::Required);
    }
    Ok(checked)
}

/// Create a person of the caller's institution (coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn create(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    full_name: &str,
    email: &str,
    roles: &[RoleAssignment],
) -> Result<Created, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "people.create").await?;
    create_in(db, now, ctx, institution, full_name, email, roles).await
}

/// Create a person in `institution` with an account awaiting activation,
/// the given roles, and an activation link. Callers check access first.
pub(crate) async fn create_in(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    institution: InstitutionId,
    full_name: &str,
    email: &str,
    roles: &[RoleAssignment],
) -> Result<Created, ServiceError> {
    let mut errors = FieldErrors::new();
    let full_name = errors.check("full_name", Name::parse(full_name));
    let email = errors.check("email", Email::parse(email));
    let roles = check_roles(db, institution, roles, &mut errors).await?;
    let (Some(full_name), Some(email)) = (full_name, email) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    address_free(db, now, ctx, institution, &email, None).await?;
    let new = PersonForCreate {
        full_name,
        email: Some(email),
        institution: Some(institution),
    };
    let mut tx = db.begin_write().await?;
    let person = people::create(&mut tx, &new, now)
        .await
        .map_err(|e| neutral_taken(taken_as_field(e, "people_email_key", "email")))?;
    accounts::create(&mut tx, person, now).await?;
    memberships::set_roles(&mut tx, person, Some(institution), &roles, now).await?;
    let details = json!({ "roles": role_codes(&roles) });
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        AuditAction::PersonCreated,
        details,
    )
    .await?;
    let token = auth::issue_link(
        &mut tx,
        now,
        person,
        Some(institution),
        TokenPurpose::Activation,
        Some(ctx),
    )
    .await?;
    tx.commit().await?;
    Ok(Created { person, token })
}

fn role_codes(roles: &[RoleAssignment]) -> Vec<serde_json::Value> {
    roles
        .iter()
        .map(|r| json!({ "role": r.role.code(), "team": r.team.map(|t| t.0) }))
        .collect()
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn update(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    id: PersonId,
    full_name: &str,
    email: &str,
) -> Result<(), ServiceError> {
    let institution = coordinated_person(db, now, ctx, id, "people.update").await?;
    let mut errors = FieldErrors::new();
    let full_name = errors.check("full_name", Name::parse(full_name));
    let email = errors.check("email", Email::parse(email));
    let (Some(full_name), Some(email)) = (full_name, email) else {
        return Err(errors.into());
    };
    address_free(db, now, ctx, institution, &email, Some(id)).await?;
    let mut tx = db.begin_write().await?;
    people::update(
        &mut tx,
        institution,
        id,
        &PersonForUpdate {
            full_name,
            email: Some(email),
        },
        now,
    )
    .await
    .map_err(|e| neutral_taken(taken_as_field(e, "people_email_key", "email")))?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(id),
        AuditAction::PersonUpdated,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn set_roles(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    id: PersonId,
    roles: &[RoleAssignment],
) -> Result<(), ServiceError> {
    let institution = coordinated_person(db, now, ctx, id, "people.set_roles").await?;
    let mut errors = FieldErrors::new();
    let roles = check_roles(db, institution, roles, &mut errors).await?;
    if id == ctx.person && !roles.iter().any(|r| r.role == Role::Coordinator) {
        errors.add("roles", FieldProblem::Required);
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let mut tx = db.begin_write().await?;
    let changes = memberships::set_roles(&mut tx, id, Some(institution), &roles, now).await?;
    if !changes.is_empty() {
        let details = json!({ "started": role_codes(&changes.started), "ended": role_codes(&changes.ended) });
        ctx.audit(&mut tx, now, institution, Some(id), AuditAction::RolesChanged, details)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deactivate (`active = false`) or reactivate a person's account. A
/// deactivated person is logged out on their next request.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn set_active(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    id: PersonId,
    active: bool,
) -> Result<(), ServiceError> {
    let institution = coordinated_person(db, now, ctx, id, "people.set_active").await?;
    if id == ctx.person && !active {
        return Err(ServiceError::field("status", FieldProblem::UnknownChoice));
    }
    let mut tx = db.begin_write().await?;
    accounts::set_deactivated(&mut tx, id, (!active).then_some(now)).await?;
    let action = if active {
        AuditAction::PersonReactivated
    } else {
        AuditAction::PersonDeactivated
    };
    ctx.audit(&mut tx, now, institution, Some(id), action, json!({}))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// How a new link reaches the person.
#[derive(Clone, PartialEq, Eq)]
pub enum LinkDelivery {
    /// An activation link for an account that holds nothing yet: shown
    /// once to the coordinator who asked, to pass on.
    Show { purpose: TokenPurpose, token: String },
    /// For the person's own mailbox only: the caller sends it at once and
    /// shows only that it was sent, never the link.
    Mail {
        purpose: TokenPurpose,
        token: String,
        to: auth::LinkRecipient,
    },
}

impl std::fmt::Debug for LinkDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkDelivery::Show { purpose, .. } => {
                f.debug_struct("Show").field("purpose", purpose).finish_non_exhaustive()
            }
            LinkDelivery::Mail { purpose, to, .. } => f
                .debug_struct("Mail")
                .field("purpose", purpose)
                .field("to", &to.person)
                .finish_non_exhaustive(),
        }
    }
}

/// A new link for the person: activation while they never set a password,
/// otherwise a password reset. Earlier links stop working.
///
/// Nobody in an institution role obtains a working credential for an
/// account that holds data (activated, paired, conversations, check-ins or
/// notes): such a link goes to the person by e-mail only, and without
/// e-mail only the deployment's administrator can issue one
/// (`houvast admin link`). `email_on` tells whether this server sends mail.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn issue_link(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    id: PersonId,
    email_on: bool,
) -> Result<LinkDelivery, ServiceError> {
    let institution = coordinated_person(db, now, ctx, id, "people.issue_link").await?;
    let account = accounts::get(db, id).await?;
    if account.status() == AccountStatus::Deactivated {
        return Err(ServiceError::field("status", FieldProblem::UnknownChoice));
    }
    let purpose = auth::link_purpose(&account);
    let holds_data = account.password_hash.is_some() || accounts::holds_data(db, id).await?;
    if !holds_data {
        let mut tx = db.begin_write().await?;
        let token = auth::issue_link(&mut tx, now, id, Some(institution), purpose, Some(ctx)).await?;
        tx.commit().await?;
        return Ok(LinkDelivery::Show { purpose, token });
    }
    if !email_on {
        access::record_denial(db, now, Some(ctx), "people.issue_link.without_email").await;
        return Err(ServiceError::field("link", FieldProblem::EmailOnly));
    }
    let person = people::get_in_institution(db, institution, id).await?;
    let Some(email) = person.email else {
        return Err(ServiceError::field("email", FieldProblem::Required));
    };
    if auth::address_set_by_others(db, &account).await? {
        access::record_denial(db, now, Some(ctx), "people.issue_link.changed_address").await;
        return Err(ServiceError::field("email", FieldProblem::AddressUnconfirmed));
    }
    let mut tx = db.begin_write().await?;
    let token = auth::issue_link(&mut tx, now, id, Some(institution), purpose, Some(ctx)).await?;
    tx.commit().await?;
    Ok(LinkDelivery::Mail {
        purpose,
        token,
        to: auth::LinkRecipient {
            person: id,
            name: person.full_name.to_string(),
            email: email.to_string(),
            language: account.language,
        },
    })
}

/// A unique-address conflict found only at insert (two requests at once):
/// answered as neutrally as [`address_free`] does for other institutions.
fn neutral_taken(err: ServiceError) -> ServiceError {
    match err {
        ServiceError::Invalid(fields) if fields.iter().any(|f| f.problem == FieldProblem::Taken) => {
            ServiceError::field("email", FieldProblem::AddressUnavailable)
        }
        other => other,
    }
}
