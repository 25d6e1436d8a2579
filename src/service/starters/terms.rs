//! Terms of employment: checking a form and recording changed terms from a date on.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::domain::time::parse_date;
use crate::domain::trajectory::EmploymentTerms;
use crate::domain::{AuditAction, FieldErrors, FieldProblem, InstitutionId, PersonId, Role, TeamId};
use crate::service::{Ctx, ServiceError, access};
use crate::store::trajectories::{self as store};
use crate::store::{Db, teams};

use super::read::visible_employment;

/// Terms of employment as a coordinator enters them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermsForm {
    pub valid_from: String,
    pub fte: String,
    pub contract: String,
    pub until: String,
    pub team: Option<i64>,
    pub partnership: Option<i64>,
}

/// Check a terms form against the institution's teams and partnerships.
pub(super) async fn parse_terms(
    db: &Db,
    institution: InstitutionId,
    form: &TermsForm,
    from_field: &str,
    errors: &mut FieldErrors,
) -> Result<Option<EmploymentTerms>, ServiceError> {
    use crate::domain::trajectory::{Contract, ContractKind, Fte};
    let valid_from = errors.check(from_field, parse_date(&form.valid_from));
    let fte = errors.check("fte", Fte::parse(&form.fte));
    let kind = errors.check(
        "contract",
        ContractKind::from_code(&form.contract).ok_or(FieldProblem::UnknownChoice),
    );
    let until = match (kind, form.until.trim()) {
        (Some(ContractKind::FixedTerm), raw) => errors.check("until", parse_date(raw)),
        _ => None,
    };
    if let (Some(from), Some(until)) = (valid_from, until)
        && until < from
    {
        errors.add("until", FieldProblem::BeforeStart);
    }
    let team = match form.team {
        None => Some(None),
        Some(id) => match teams::get(db, institution, TeamId(id)).await {
            Ok(team) => Some(Some(team)),
            Err(crate::store::StoreError::NotFound) => {
                errors.add("team", FieldProblem::UnknownReference);
                None
            }
            Err(err) => return Err(err.into()),
        },
    };
    let partnership = match form.partnership {
        None => Some(None),
        Some(id) => {
            let known = store::partnerships(db, institution)
                .await?
                .into_iter()
                .find(|p| p.id.0 == id);
            if known.is_none() {
                errors.add("partnership", FieldProblem::UnknownReference);
            }
            known.map(|p| Some(p.id))
        }
    };
    let contract = kind.and_then(|kind| Contract::from_parts(kind, until).ok());
    match (valid_from, fte, contract, team, partnership) {
        (Some(valid_from), Some(fte), Some(contract), Some(team), Some(partnership)) if errors.is_empty() => {
            Ok(Some(EmploymentTerms {
                valid_from,
                fte,
                contract,
                team: team.as_ref().map(|t| t.id),
                sector: team.map_or(crate::domain::Sector::Other, |t| t.sector),
                partnership,
            }))
        }
        _ => Ok(None),
    }
}

/// Record changed terms from a date on: a new dated row (a second change
/// on the same day corrects that day's row). Coordinator only.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn change_terms(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    form: &TermsForm,
) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.terms").await?;
    let (_, _, employment) = visible_employment(db, now, ctx, person, "starters.terms").await?;
    let mut errors = FieldErrors::new();
    let terms = parse_terms(db, institution, form, "valid_from", &mut errors).await?;
    if let Some(terms) = &terms
        && terms.valid_from < employment.start
    {
        errors.add("valid_from", FieldProblem::BeforeStart);
    }
    let Some(terms) = terms.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let mut tx = db.begin_write().await?;
    let stored = store::terms(&mut tx, employment.id).await?;
    if stored.iter().any(|t| t.valid_from == terms.valid_from) {
        store::replace_terms(&mut tx, employment.id, &terms).await?;
    } else {
        store::add_terms(&mut tx, employment.id, &terms, now).await?;
    }
    ctx.audit(&mut tx, now, institution, Some(person), AuditAction::EmploymentTermsChanged, json!({ "employment": employment.id.0, "valid_from": terms.valid_from, "fte": terms.fte.0, "team": terms.team.map(|t| t.0) }))
    .await?;
    tx.commit().await?;
    crate::service::signals::reevaluate(db, now, institution, Some(person)).await;
    Ok(())
}
