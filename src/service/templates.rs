//! Trajectory templates: coordinators edit the milestones per entry route.
//! A change never touches running trajectories (they hold their own copy)
//! until the coordinator applies the template to them explicitly; then only
//! open milestones change, and done or skipped ones stay as history.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Ctx, ServiceError, access};
use crate::domain::trajectory::{
    CompetenceDomain, EntryRoute, MILESTONE_OWNERS, MilestoneTemplate, Offset, OffsetUnit, Phase, TemplateView,
    plan_template_update,
};
use crate::domain::{AuditAction, FieldErrors, FieldProblem, InstitutionId, Role};
use crate::store::Db;
use crate::store::trajectories as store;

/// Longest milestone title.
pub const TITLE_MAX: usize = 200;

fn route_of(code: &str) -> Result<EntryRoute, ServiceError> {
    EntryRoute::from_code(code).ok_or(ServiceError::NotFound)
}

async fn coordinator(db: &Db, now: DateTime<Utc>, ctx: &Ctx, what: &str) -> Result<InstitutionId, ServiceError> {
    access::require_in_institution(db, now, ctx, &[Role::Coordinator], what).await
}

/// The template of one entry route, created from the defaults on first use,
/// with how many running trajectories follow an older version.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn template(db: &Db, now: DateTime<Utc>, ctx: &Ctx, route: &str) -> Result<TemplateView, ServiceError> {
    let institution = coordinator(db, now, ctx, "templates.view").await?;
    let route = route_of(route)?;
    let mut tx = db.begin_write().await?;
    let (id, version) = store::ensure_template(&mut tx, institution, route, now).await?;
    let milestones = store::template_milestones(&mut tx, id).await?;
    tx.commit().await?;
    let behind = running(db, institution, id)
        .await?
        .iter()
        .filter(|t| t.template_version < version)
        .count();
    Ok(TemplateView {
        route,
        version,
        milestones,
        behind,
    })
}

/// Running trajectories of a template: not completed, employment not ended.
async fn running(
    db: &Db,
    institution: InstitutionId,
    template: crate::domain::TemplateId,
) -> Result<Vec<store::Trajectory>, ServiceError> {
    let ended: Vec<_> = store::employments(db, institution)
        .await?
        .into_iter()
        .filter(|e| e.ending.is_some())
        .map(|e| e.id)
        .collect();
    Ok(store::trajectories(db, institution)
        .await?
        .into_iter()
        .filter(|t| t.template == template && t.completed_on.is_none() && !ended.contains(&t.employment))
        .collect())
}

/// A milestone as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MilestoneForm {
    pub title: String,
    pub phase: String,
    pub amount: String,
    pub unit: String,
    pub owner: String,
    pub domain: String,
}

fn parse(form: &MilestoneForm) -> Result<MilestoneTemplate, ServiceError> {
    let mut errors = FieldErrors::new();
    let title = super::required_text(&mut errors, "title", &form.title, TITLE_MAX);
    let phase = errors.check(
        "phase",
        Phase::from_code(&form.phase).ok_or(FieldProblem::UnknownChoice),
    );
    let unit = errors.check(
        "unit",
        OffsetUnit::from_code(&form.unit).ok_or(FieldProblem::UnknownChoice),
    );
    let amount = match form.amount.trim().parse::<i64>() {
        Ok(amount) => Some(amount),
        Err(_) if form.amount.trim().is_empty() => {
            errors.add("amount", FieldProblem::Required);
            None
        }
        Err(_) => {
            errors.add("amount", FieldProblem::Format);
            None
        }
    };
    let offset = match (amount, unit) {
        (Some(amount), Some(unit)) => errors.check("amount", Offset::new(amount, unit)),
        _ => None,
    };
    let owner = errors.check(
        "owner",
        Role::from_code(&form.owner)
            .filter(|r| MILESTONE_OWNERS.contains(r))
            .ok_or(FieldProblem::UnknownChoice),
    );
    let domain = match form.domain.trim() {
        "" => Some(None),
        code => errors.check(
            "domain",
            CompetenceDomain::from_code(code)
                .map(Some)
                .ok_or(FieldProblem::UnknownChoice),
        ),
    };
    match (title, phase, offset, owner, domain) {
        (Some(title), Some(phase), Some(offset), Some(owner), Some(domain)) if errors.is_empty() => {
            Ok(MilestoneTemplate {
                title,
                phase,
                offset,
                owner,
                domain,
            })
        }
        _ => Err(errors.into()),
    }
}

/// Add a milestone (`id = None`) or change one; the template's version goes up.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn save_milestone(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    route: &str,
    id: Option<i64>,
    form: &MilestoneForm,
) -> Result<(), ServiceError> {
    let institution = coordinator(db, now, ctx, "templates.save").await?;
    let route = route_of(route)?;
    let milestone = parse(form)?;
    let mut tx = db.begin_write().await?;
    let (template, _) = store::ensure_template(&mut tx, institution, route, now).await?;
    let id = match id {
        Some(id) => {
            store::update_template_milestone(&mut tx, template, id, &milestone).await?;
            id
        }
        None => {
            let position = store::next_position(&mut tx, template).await?;
            store::add_template_milestone(&mut tx, template, position, &milestone).await?
        }
    };
    let version = store::bump_version(&mut tx, template, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::TemplateChanged,
        json!({ "route": route.code(), "milestone": id, "version": version }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Take a milestone out of the template.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn remove_milestone(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    route: &str,
    id: i64,
) -> Result<(), ServiceError> {
    let institution = coordinator(db, now, ctx, "templates.remove").await?;
    let route = route_of(route)?;
    let mut tx = db.begin_write().await?;
    let (template, _) = store::ensure_template(&mut tx, institution, route, now).await?;
    store::remove_template_milestone(&mut tx, template, id, now).await?;
    let version = store::bump_version(&mut tx, template, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::TemplateChanged,
        json!({ "route": route.code(), "removed": id, "version": version }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Apply the current template to every running trajectory of the route
/// that follows an older version. Returns how many were updated.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn apply(db: &Db, now: DateTime<Utc>, ctx: &Ctx, route: &str) -> Result<usize, ServiceError> {
    let institution = coordinator(db, now, ctx, "templates.apply").await?;
    let route = route_of(route)?;
    let mut tx = db.begin_write().await?;
    let (template, version) = store::ensure_template(&mut tx, institution, route, now).await?;
    let milestones = store::template_milestones(&mut tx, template).await?;
    tx.commit().await?;
    let behind: Vec<store::Trajectory> = running(db, institution, template)
        .await?
        .into_iter()
        .filter(|t| t.template_version < version)
        .collect();
    let existing = store::milestones(db, institution, None).await?;
    let employments = store::employments(db, institution).await?;
    let mut tx = db.begin_write().await?;
    for trajectory in &behind {
        let current: Vec<_> = existing
            .iter()
            .filter(|m| m.trajectory == trajectory.id)
            .map(|m| (m.id.0, m.copy.clone(), m.progress.clone()))
            .collect();
        let plan = plan_template_update(&current, &milestones, trajectory.started_on);
        store::apply_template_update(&mut tx, trajectory.id, &plan, version).await?;
        let person = employments
            .iter()
            .find(|e| e.id == trajectory.employment)
            .map(|e| e.person);
        ctx.audit(
            &mut tx,
            now,
            institution,
            person,
            AuditAction::TemplateApplied,
            json!({
                "trajectory": trajectory.id.0,
                "version": version,
                "added": plan.add.len(),
                "changed": plan.change.len(),
                "removed": plan.remove.len(),
            }),
        )
        .await?;
    }
    tx.commit().await?;
    super::signals::reevaluate(db, now, institution, None).await;
    Ok(behind.len())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::trajectory::MilestoneState;
    use crate::service::import;
    use crate::service::starters::{self, MilestoneChange};
    use crate::testing::{at, ctx_of, people_fixture};

    fn form(title: &str, amount: &str) -> MilestoneForm {
        MilestoneForm {
            title: title.into(),
            phase: "year1".into(),
            amount: amount.into(),
            unit: "weeks".into(),
            owner: "mentor".into(),
            domain: "pedagogical".into(),
        }
    }

    crate::db_test!(async fn a_template_change_reaches_running_trajectories_only_when_applied(db) {
        let f = people_fixture(db).await;
        let anna = ctx_of(db, f.anna).await;
        let now = at(2026, 9, 1);
        let file = "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute\n\
                    1;Ilse Vos;;starter;Verpleegkunde;1-8-2026;1;vast;;regulier\n";
        import::import_file(db, now, &anna, file.as_bytes(), true).await.unwrap();
        let ilse = starters::list(db, now, &anna, &Default::default()).await.unwrap().rows[0].person;
        let before = starters::detail(db, now, &anna, ilse).await.unwrap().trajectory.unwrap();
        let intake = before.milestones.iter().find(|m| m.title == "Intakegesprek").unwrap().id;
        starters::update_milestone(db, now, &anna, intake, MilestoneChange::Done { on: "10-8-2026".into(), note: String::new() })
            .await
            .unwrap();

        let view = template(db, now, &anna, "regular").await.unwrap();
        assert_eq!((view.version, view.behind), (1, 0));
        let first_visit = view.milestones.iter().find(|(_, m)| m.title == "Eerste lesbezoek").unwrap().0;
        let intake_template = view.milestones.iter().find(|(_, m)| m.title == "Intakegesprek").unwrap().0;

        // Refused input, in words per field.
        let err = save_milestone(db, now, &anna, "regular", None, &form("", "x")).await.unwrap_err();
        assert!(matches!(err, ServiceError::Invalid(ref list) if list.len() == 2), "{err:?}");
        let err = save_milestone(db, now, &anna, "regular", None, &MilestoneForm { owner: "admin".into(), ..form("A", "3") }).await.unwrap_err();
        assert!(matches!(err, ServiceError::Invalid(_)));
        assert!(matches!(template(db, now, &anna, "nonsense").await, Err(ServiceError::NotFound)));

        // Change: the first visit later, the intake (done) later, a new one, one removed.
        save_milestone(db, now, &anna, "regular", Some(first_visit), &form("Eerste lesbezoek", "10")).await.unwrap();
        save_milestone(db, now, &anna, "regular", Some(intake_template), &MilestoneForm { unit: "weeks".into(), owner: "coordinator".into(), domain: String::new(), ..form("Intakegesprek", "4") }).await.unwrap();
        save_milestone(db, now, &anna, "regular", None, &form("Intervisie", "12")).await.unwrap();
        let plan_id = view.milestones.iter().find(|(_, m)| m.title == "Persoonlijk ontwikkelplan opgesteld").unwrap().0;
        remove_milestone(db, now, &anna, "regular", plan_id).await.unwrap();
        let view = template(db, now, &anna, "regular").await.unwrap();
        assert_eq!((view.version, view.behind), (5, 1));

        // Not applied yet: the running trajectory is exactly as it was.
        let unchanged = starters::detail(db, now, &anna, ilse).await.unwrap().trajectory.unwrap();
        assert_eq!(unchanged.milestones.len(), before.milestones.len());

        assert_eq!(apply(db, now, &anna, "regular").await.unwrap(), 1);
        let after = starters::detail(db, now, &anna, ilse).await.unwrap().trajectory.unwrap();
        let by_title = |title: &str| after.milestones.iter().find(|m| m.title == title);
        assert_eq!(by_title("Eerste lesbezoek").unwrap().due, NaiveDate::from_ymd_opt(2026, 10, 10).unwrap());
        assert_eq!(by_title("Intervisie").unwrap().due, NaiveDate::from_ymd_opt(2026, 10, 24).unwrap());
        assert!(by_title("Persoonlijk ontwikkelplan opgesteld").is_none());
        let intake_after = by_title("Intakegesprek").unwrap();
        assert_eq!(intake_after.state, MilestoneState::Done, "done milestones keep their history");
        assert_eq!(intake_after.due, NaiveDate::from_ymd_opt(2026, 8, 15).unwrap());
        assert_eq!(template(db, now, &anna, "regular").await.unwrap().behind, 0);
        assert_eq!(apply(db, now, &anna, "regular").await.unwrap(), 0, "applying again changes nothing");

        let daan = ctx_of(db, f.daan).await;
        assert!(matches!(template(db, now, &daan, "regular").await, Err(ServiceError::Forbidden)));
        let erik = ctx_of(db, f.erik).await;
        assert!(matches!(
            save_milestone(db, now, &erik, "regular", Some(first_visit), &form("Overgenomen", "1")).await,
            Err(ServiceError::NotFound)
        ), "another institution's template milestone");
    });
}
