//! Starters and their induction trajectory. Coordinators see and manage all
//! starters of their institution; team leaders see the starters of their own
//! teams; a starter sees their own trajectory. Nothing here ever carries
//! conversation content.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::{Ctx, ServiceError, access};
use crate::domain::starter::{StarterDetail, TimelineEvent};
use crate::domain::time::parse_date;
use crate::domain::trajectory::{
    CompetenceDomain, EmploymentTerms, FacilitationYear, GOAL_TITLE_MAX, Goal, LeaveReason, MilestoneProgress,
    MilestoneState, MilestoneView, ProgressCount, StarterFilter, StarterListItem, StarterPage, StarterSort,
    StarterStatus, TermsView, TrajectoryView, default_starter_hours, milestone_state, school_year,
    supported_school_years, terms_on, trajectory_year,
};
use crate::domain::{
    AuditAction, FieldErrors, FieldProblem, InstitutionId, MilestoneId, PersonId, PersonRef, Role, TeamId,
};
use crate::store::trajectories::{self as store, Employment, Ending, FacilitationRow, Milestone, Trajectory};
use crate::store::{Db, people, teams};

use crate::domain::time::today;

use crate::domain::trajectory::NOTE_MAX_CHARS;

/// Everything about the institution's starters that lists and pages need,
/// read in a handful of queries.
struct Facts {
    employments: Vec<Employment>,
    terms: HashMap<i64, Vec<EmploymentTerms>>,
    trajectories: HashMap<i64, Trajectory>,
    milestones: HashMap<i64, Vec<Milestone>>,
    team_names: HashMap<TeamId, String>,
    partnership_names: HashMap<i64, String>,
    goals: HashMap<i64, Vec<Goal>>,
    facilitation: HashMap<i64, Vec<FacilitationRow>>,
}

async fn facts(db: &Db, institution: InstitutionId, whose: store::Whose) -> Result<Facts, ServiceError> {
    let employments = store::employments_whose(db, institution, whose).await?;
    let mut terms: HashMap<i64, Vec<EmploymentTerms>> = HashMap::new();
    for (employment, row) in store::terms_whose(db, institution, whose).await? {
        terms.entry(employment.0).or_default().push(row);
    }
    let trajectories = store::trajectories_whose(db, institution, whose)
        .await?
        .into_iter()
        .map(|t| (t.employment.0, t))
        .collect();
    let mut milestones: HashMap<i64, Vec<Milestone>> = HashMap::new();
    for m in store::milestones_whose(db, institution, whose).await? {
        milestones.entry(m.trajectory.0).or_default().push(m);
    }
    let team_names = teams::list(db, institution)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name.to_string()))
        .collect();
    let partnership_names = store::partnerships(db, institution)
        .await?
        .into_iter()
        .map(|p| (p.id.0, p.name))
        .collect();
    let mut goals: HashMap<i64, Vec<Goal>> = HashMap::new();
    for (trajectory, goal) in store::goals_whose(db, institution, whose).await? {
        goals.entry(trajectory.0).or_default().push(goal);
    }
    let mut facilitation: HashMap<i64, Vec<FacilitationRow>> = HashMap::new();
    for (employment, row) in store::facilitation_whose(db, institution, whose).await? {
        facilitation.entry(employment.0).or_default().push(row);
    }
    Ok(Facts {
        employments,
        terms,
        trajectories,
        milestones,
        team_names,
        partnership_names,
        goals,
        facilitation,
    })
}

impl Facts {
    fn current_terms(&self, employment: &Employment, today: NaiveDate) -> Option<&EmploymentTerms> {
        let day = employment.ending.as_ref().map_or(today, |e| e.on.min(today));
        self.terms.get(&employment.id.0).and_then(|t| terms_on(t, day))
    }

    fn status(&self, employment: &Employment) -> StarterStatus {
        if employment.ending.is_some() {
            StarterStatus::Left
        } else if self
            .trajectories
            .get(&employment.id.0)
            .is_some_and(|t| t.completed_on.is_some())
        {
            StarterStatus::Completed
        } else {
            StarterStatus::Active
        }
    }

    fn progress(&self, employment: &Employment, today: NaiveDate) -> ProgressCount {
        let mut count = ProgressCount::default();
        if let Some(trajectory) = self.trajectories.get(&employment.id.0) {
            for m in self.milestones.get(&trajectory.id.0).into_iter().flatten() {
                count.add(milestone_state(&m.progress, m.copy.due, today));
            }
        }
        count
    }
}

/// Which starters the caller may see: the union of what each role gives.
struct Scope {
    all: bool,
    teams: Vec<TeamId>,
    mentees: Vec<PersonId>,
    myself: Option<PersonId>,
}

impl Scope {
    /// The scope of coordinator, team leader and starter roles (mentees are
    /// added by `with_mentees` where mentors are admitted).
    fn of(ctx: &Ctx) -> Option<Scope> {
        let scope = Scope {
            all: ctx.has(Role::Coordinator),
            teams: if ctx.has(Role::TeamLeader) {
                ctx.teams_as(Role::TeamLeader)
            } else {
                Vec::new()
            },
            mentees: Vec::new(),
            myself: ctx.has(Role::Starter).then_some(ctx.person),
        };
        (scope.all || ctx.has(Role::TeamLeader) || scope.myself.is_some()).then_some(scope)
    }

    /// Add the starters the caller mentors now.
    async fn with_mentees(
        ctx: &Ctx,
        db: &Db,
        institution: InstitutionId,
        now: DateTime<Utc>,
    ) -> Result<Option<Scope>, ServiceError> {
        let mut scope = Scope::of(ctx);
        if ctx.has(Role::Mentor) {
            let mentees = super::mentoring::content_pairings(db, institution, ctx, today(now))
                .await?
                .into_iter()
                .map(|p| p.starter)
                .collect();
            let scope = scope.get_or_insert(Scope {
                all: false,
                teams: Vec::new(),
                mentees: Vec::new(),
                myself: None,
            });
            scope.mentees = mentees;
        }
        Ok(scope)
    }

    fn admits(&self, person: PersonId, team: Option<TeamId>) -> bool {
        self.all
            || team.is_some_and(|t| self.teams.contains(&t))
            || self.mentees.contains(&person)
            || self.myself == Some(person)
    }
}

/// The starters list: coordinator (all) or team leader (own teams).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn list(db: &Db, now: DateTime<Utc>, ctx: &Ctx, filter: &StarterFilter) -> Result<StarterPage, ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Coordinator, Role::TeamLeader], "starters.list").await?;
    let scope = Scope::of(ctx).ok_or(ServiceError::Forbidden)?;
    let today = today(now);
    let facts = facts(db, institution, store::Whose::Institution).await?;
    let names = person_names(db, institution).await?;

    let mut visible: Vec<StarterListItem> = Vec::new();
    for employment in &facts.employments {
        let terms = facts.current_terms(employment, today);
        let team = terms.and_then(|t| t.team);
        if !scope.admits(employment.person, team) {
            continue;
        }
        visible.push(StarterListItem {
            person: employment.person,
            name: names.get(&employment.person).cloned().unwrap_or_default(),
            employee_number: employment.employee_number.clone(),
            route: employment.route,
            team,
            team_name: team.and_then(|t| facts.team_names.get(&t).cloned()),
            start: employment.start,
            status: facts.status(employment),
            progress: facts.progress(employment, today),
            in_partnership: terms.is_some_and(|t| t.partnership.is_some()),
        });
    }
    let mut teams: Vec<(TeamId, String)> = if scope.all {
        facts.team_names.iter().map(|(id, n)| (*id, n.clone())).collect()
    } else {
        scope
            .teams
            .iter()
            .filter_map(|t| facts.team_names.get(t).map(|n| (*t, n.clone())))
            .collect()
    };
    teams.sort_by(|a, b| a.1.cmp(&b.1));
    let mut start_years: Vec<i32> = visible.iter().map(|s| school_year(s.start)).collect();
    start_years.sort_unstable_by(|a, b| b.cmp(a));
    start_years.dedup();

    let mut rows: Vec<StarterListItem> = visible
        .into_iter()
        .filter(|s| filter.team.is_none_or(|t| s.team == Some(t)))
        .filter(|s| filter.route.is_none_or(|r| s.route == r))
        .filter(|s| filter.status.is_none_or(|st| s.status == st))
        .filter(|s| filter.start_year.is_none_or(|y| school_year(s.start) == y))
        .filter(|s| filter.in_partnership.is_none_or(|p| s.in_partnership == p))
        .collect();
    let by_name = |a: &StarterListItem, b: &StarterListItem| {
        crate::domain::search_key(&[&a.name]).cmp(&crate::domain::search_key(&[&b.name]))
    };
    match filter.sort {
        StarterSort::Name => rows.sort_by(by_name),
        StarterSort::StartDate => rows.sort_by(|a, b| b.start.cmp(&a.start).then_with(|| by_name(a, b))),
        StarterSort::Progress => rows.sort_by(|a, b| {
            a.progress
                .percent()
                .cmp(&b.progress.percent())
                .then_with(|| by_name(a, b))
        }),
        StarterSort::Overdue => {
            rows.sort_by(|a, b| b.progress.overdue.cmp(&a.progress.overdue).then_with(|| by_name(a, b)))
        }
    }
    let total = rows.len();
    let pages = total.div_ceil(StarterFilter::PAGE_SIZE).max(1) as u32;
    let page = filter.page.min(pages - 1);
    let rows = rows
        .into_iter()
        .skip(page as usize * StarterFilter::PAGE_SIZE)
        .take(StarterFilter::PAGE_SIZE)
        .collect();
    Ok(StarterPage {
        rows,
        total,
        page,
        pages,
        teams,
        start_years,
    })
}

async fn person_names(db: &Db, institution: InstitutionId) -> Result<HashMap<PersonId, String>, ServiceError> {
    Ok(people::names_in_institution(db, institution)
        .await?
        .into_iter()
        .collect())
}

/// The latest employment of a person the caller may see, with the facts.
async fn visible_employment(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    what: &str,
) -> Result<(InstitutionId, Facts, Employment), ServiceError> {
    let institution = access::require_in_institution(
        db,
        now,
        ctx,
        &[Role::Coordinator, Role::TeamLeader, Role::Mentor, Role::Starter],
        what,
    )
    .await?;
    let scope = Scope::with_mentees(ctx, db, institution, now)
        .await?
        .ok_or(ServiceError::Forbidden)?;
    let facts = facts(db, institution, store::Whose::Person(person)).await?;
    let today = today(now);
    let employment = facts
        .employments
        .iter()
        .filter(|e| e.person == person)
        .max_by_key(|e| (e.start, e.id))
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    let team = facts.current_terms(&employment, today).and_then(|t| t.team);
    if !scope.admits(person, team) {
        // Not one of theirs: the same answer as a record that does not exist.
        access::record_denial(db, now, Some(ctx), what).await;
        return Err(ServiceError::NotFound);
    }
    Ok((institution, facts, employment))
}

/// A starter's page (coordinator; team leader of their team; the starter).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn detail(db: &Db, now: DateTime<Utc>, ctx: &Ctx, person: PersonId) -> Result<StarterDetail, ServiceError> {
    let (institution, facts, employment) = visible_employment(db, now, ctx, person, "starters.detail").await?;
    let who = people::get_in_institution(db, institution, person).await?;
    let mut detail = build_detail(
        ctx,
        &facts,
        employment,
        who.full_name.to_string(),
        who.email.map(|e| e.to_string()),
        today(now),
    );
    detail.guidance = super::mentoring::guidance_overview(db, institution, person, ctx.has(Role::Coordinator)).await?;
    // The alerts about the starter, every step, for those who handle them.
    if ctx.person != person {
        let history = crate::store::signals::alert_events_of_starter(db, institution, person).await?;
        for alert in crate::store::signals::alerts_of_starter(db, institution, person).await? {
            for event in history.get(&alert.id).into_iter().flatten() {
                detail.timeline.push((
                    today(event.at),
                    TimelineEvent::Alert {
                        action: event.action,
                        level: alert.level,
                        actor: event.actor.clone(),
                        note: event.note.clone(),
                    },
                ));
            }
        }
        detail.timeline.sort_by_key(|(on, _)| *on);
    }
    Ok(detail)
}

/// Each employment of `person` with its trajectory and goals, offering no
/// changes (the copy of their data; the caller checks access).
pub(crate) async fn employments_as_seen_by_self(
    db: &Db,
    institution: InstitutionId,
    person: PersonId,
    today: NaiveDate,
) -> Result<Vec<StarterDetail>, ServiceError> {
    let facts = facts(db, institution, store::Whose::Person(person)).await?;
    let who = people::get_in_institution(db, institution, person).await?;
    let reader = Ctx::without_roles(person);
    Ok(facts
        .employments
        .iter()
        .filter(|e| e.person == person)
        .map(|e| {
            build_detail(
                &reader,
                &facts,
                e.clone(),
                who.full_name.to_string(),
                who.email.as_ref().map(|m| m.to_string()),
                today,
            )
        })
        .collect())
}

/// The logged-in starter's own trajectory; `None` when none is recorded.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn mine(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Option<StarterDetail>, ServiceError> {
    access::require_in_institution(db, now, ctx, &[Role::Starter], "starters.mine").await?;
    let starter_only = Ctx {
        memberships: ctx
            .memberships
            .iter()
            .filter(|m| m.role == Role::Starter)
            .cloned()
            .collect(),
        ..ctx.clone()
    };
    match detail(db, now, &starter_only, ctx.person).await {
        Ok(detail) => Ok(Some(detail)),
        Err(ServiceError::NotFound) => Ok(None),
        Err(err) => Err(err),
    }
}

fn build_detail(
    ctx: &Ctx,
    facts: &Facts,
    employment: Employment,
    name: String,
    email: Option<String>,
    today: NaiveDate,
) -> StarterDetail {
    let can_manage = ctx.has(Role::Coordinator);
    let terms_rows = facts.terms.get(&employment.id.0).cloned().unwrap_or_default();
    let terms: Vec<TermsView> = terms_rows
        .iter()
        .map(|t| TermsView {
            valid_from: t.valid_from,
            fte: t.fte,
            contract: t.contract,
            team: t.team,
            team_name: t.team.and_then(|id| facts.team_names.get(&id).cloned()),
            sector: t.sector,
            partnership: t.partnership.and_then(|p| facts.partnership_names.get(&p.0).cloned()),
        })
        .collect();
    let trajectory = facts.trajectories.get(&employment.id.0).map(|t| {
        let mut progress = ProgressCount::default();
        let milestones: Vec<MilestoneView> = facts
            .milestones
            .get(&t.id.0)
            .into_iter()
            .flatten()
            .map(|m| {
                let state = milestone_state(&m.progress, m.copy.due, today);
                progress.add(state);
                let (done_on, done_by, note, skip_reason) = match &m.progress {
                    MilestoneProgress::Open => (None, None, None, None),
                    MilestoneProgress::Done { on, by, note } => (Some(*on), by.clone(), note.clone(), None),
                    MilestoneProgress::Skipped { reason } => (None, None, None, Some(reason.clone())),
                };
                MilestoneView {
                    id: m.id,
                    title: m.copy.title.clone(),
                    phase: m.copy.phase,
                    owner: m.copy.owner,
                    domain: m.copy.domain,
                    due: m.copy.due,
                    state,
                    done_on,
                    done_by,
                    note,
                    skip_reason,
                    can_update: may_update_milestone(ctx, m.copy.owner),
                }
            })
            .collect();
        TrajectoryView {
            id: t.id,
            started_on: t.started_on,
            completed_on: t.completed_on,
            year: trajectory_year(t.started_on, today),
            progress,
            milestones,
        }
    });

    let mut timeline: Vec<(NaiveDate, TimelineEvent)> = vec![(
        employment.start,
        TimelineEvent::Started {
            route: employment.route,
        },
    )];
    for t in terms.iter().skip(1) {
        timeline.push((
            t.valid_from,
            TimelineEvent::TermsChanged {
                fte: t.fte,
                team_name: t.team_name.clone(),
            },
        ));
    }
    if let Some(trajectory) = &trajectory {
        for m in &trajectory.milestones {
            match (m.state, m.done_on) {
                (MilestoneState::Done, Some(on)) => {
                    timeline.push((on, TimelineEvent::MilestoneDone { title: m.title.clone() }))
                }
                (MilestoneState::Skipped, _) => {
                    timeline.push((m.due, TimelineEvent::MilestoneSkipped { title: m.title.clone() }))
                }
                _ => {}
            }
        }
        if let Some(on) = trajectory.completed_on {
            timeline.push((on, TimelineEvent::Completed));
        }
    }
    if let Some(ending) = &employment.ending {
        timeline.push((
            ending.on,
            TimelineEvent::Left {
                reason: ending.reason,
                destination: ending.destination.clone(),
            },
        ));
    }
    timeline.sort_by_key(|(on, _)| *on);

    let recorded = facts.facilitation.get(&employment.id.0);
    let facilitation = supported_school_years(employment.start)
        .into_iter()
        .filter_map(|year| {
            let row = recorded.and_then(|rows| rows.iter().find(|r| r.school_year == year));
            if let Some(row) = row {
                return Some(FacilitationYear {
                    school_year: year,
                    starter_promised: row.starter_promised,
                    starter_granted: row.starter_granted,
                    mentor_promised: row.mentor_promised,
                    mentor_granted: row.mentor_granted,
                });
            }
            let first_day = NaiveDate::from_ymd_opt(year, 8, 1)?.max(employment.start);
            let fte = terms_on(&terms_rows, first_day)?.fte;
            Some(FacilitationYear {
                school_year: year,
                starter_promised: default_starter_hours(employment.start, fte, year),
                starter_granted: None,
                mentor_promised: None,
                mentor_granted: None,
            })
        })
        .collect();
    let goals = facts
        .trajectories
        .get(&employment.id.0)
        .and_then(|t| facts.goals.get(&t.id.0))
        .cloned()
        .unwrap_or_default();
    StarterDetail {
        person: employment.person,
        name,
        email,
        employee_number: employment.employee_number.clone(),
        employment: employment.id,
        route: employment.route,
        start: employment.start,
        status: facts.status(&employment),
        ending: employment
            .ending
            .as_ref()
            .map(|e| (e.on, e.reason, e.destination.clone())),
        terms,
        trajectory,
        timeline,
        can_manage,
        facilitation,
        goals,
        can_edit_goals: may_edit_goals(ctx, employment.person),
        guidance: Default::default(),
        viewer_has_list: ctx.has(Role::Coordinator) || ctx.has(Role::TeamLeader),
    }
}

/// Goals belong to the starter; the coordinator may record them too.
fn may_edit_goals(ctx: &Ctx, starter: PersonId) -> bool {
    ctx.has(Role::Coordinator) || (ctx.has(Role::Starter) && ctx.person == starter)
}

/// Coordinators update every milestone, team leaders those of their
/// starters, a starter the milestones they own.
fn may_update_milestone(ctx: &Ctx, owner: Role) -> bool {
    ctx.has(Role::Coordinator) || ctx.has(Role::TeamLeader) || (ctx.has(Role::Starter) && owner == Role::Starter)
}

/// What to do with a milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MilestoneChange {
    Done { on: String, note: String },
    Skip { reason: String },
    Reopen,
}

fn optional_text(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<String> {
    let text = raw.trim();
    if text.chars().count() > NOTE_MAX_CHARS {
        errors.add(field, FieldProblem::TooLong { max: NOTE_MAX_CHARS });
        return None;
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        errors.add(field, FieldProblem::ControlCharacters);
        return None;
    }
    (!text.is_empty()).then(|| text.to_owned())
}

/// Mark a milestone done, skipped or open again.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, id = id.0))]
pub async fn update_milestone(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    id: MilestoneId,
    change: MilestoneChange,
) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(
        db,
        now,
        ctx,
        &[Role::Coordinator, Role::TeamLeader, Role::Starter],
        "starters.update_milestone",
    )
    .await?;
    let milestone = store::milestone(db, institution, id).await?;
    let person = store::person_of_trajectory(db, institution, milestone.trajectory).await?;
    let facts = facts(db, institution, store::Whose::Person(person)).await?;
    let employment = facts
        .trajectories
        .values()
        .find(|t| t.id == milestone.trajectory)
        .and_then(|t| facts.employments.iter().find(|e| e.id == t.employment))
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    let team = facts.current_terms(&employment, today(now)).and_then(|t| t.team);
    let scope = Scope::of(ctx).ok_or(ServiceError::Forbidden)?;
    if !scope.admits(employment.person, team) {
        access::record_denial(db, now, Some(ctx), "starters.update_milestone").await;
        return Err(ServiceError::NotFound);
    }
    if !may_update_milestone(ctx, milestone.copy.owner) {
        access::record_denial(db, now, Some(ctx), "starters.update_milestone").await;
        return Err(ServiceError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let progress = match &change {
        MilestoneChange::Done { on, note } => {
            let on = if on.trim().is_empty() {
                Some(today(now))
            } else {
                errors.check("on", parse_date(on))
            };
            if let Some(day) = on
                && day > today(now)
            {
                errors.add("on", FieldProblem::Format);
            }
            let note = optional_text(&mut errors, "note", note);
            on.map(|on| MilestoneProgress::Done { on, by: None, note })
        }
        MilestoneChange::Skip { reason } => {
            let reason = optional_text(&mut errors, "reason", reason);
            if reason.is_none() && errors.is_empty() {
                errors.add("reason", FieldProblem::Required);
            }
            reason.map(|reason| MilestoneProgress::Skipped { reason })
        }
        MilestoneChange::Reopen => Some(MilestoneProgress::Open),
    };
    let Some(progress) = progress.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let mut tx = db.begin_write().await?;
    store::set_progress(&mut tx, institution, id, &progress, Some(ctx.person)).await?;
    let state = match progress {
        MilestoneProgress::Open => "open",
        MilestoneProgress::Done { .. } => "done",
        MilestoneProgress::Skipped { .. } => "skipped",
    };
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(employment.person),
        AuditAction::MilestoneUpdated,
        json!({ "milestone": id.0, "state": state }),
    )
    .await?;
    tx.commit().await?;
    super::signals::refresh(db, now, institution, employment.person).await;
    Ok(())
}

/// Record that a starter left (or correct how), coordinator only.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn record_leaving(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    on: &str,
    reason: &str,
    destination: &str,
) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.leave").await?;
    let (_, _, employment) = visible_employment(db, now, ctx, person, "starters.leave").await?;
    let mut errors = FieldErrors::new();
    let on = errors.check("on", parse_date(on));
    if let Some(day) = on
        && day < employment.start
    {
        errors.add("on", FieldProblem::BeforeStart);
    }
    let reason = errors.check(
        "reason",
        LeaveReason::from_code(reason).ok_or(FieldProblem::UnknownChoice),
    );
    let destination = optional_text(&mut errors, "destination", destination);
    let (Some(on), Some(reason)) = (on, reason) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let ending = Ending {
        on,
        reason,
        destination,
    };
    let action = if employment.ending.is_some() {
        AuditAction::EmploymentEndingCorrected
    } else {
        AuditAction::EmploymentEnded
    };
    let mut tx = db.begin_write().await?;
    store::set_ending(&mut tx, institution, employment.id, Some(&ending)).await?;
    let before = employment
        .ending
        .as_ref()
        .map(|e| json!({ "on": e.on, "reason": e.reason.code() }));
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        action,
        json!({ "employment": employment.id.0, "on": on, "reason": reason.code(), "before": before }),
    )
    .await?;
    tx.commit().await?;
    super::signals::refresh(db, now, institution, person).await;
    Ok(())
}

/// Undo a recorded leaving (a correction), coordinator only.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn undo_leaving(db: &Db, now: DateTime<Utc>, ctx: &Ctx, person: PersonId) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.leave").await?;
    let (_, _, employment) = visible_employment(db, now, ctx, person, "starters.leave").await?;
    let Some(before) = employment.ending else {
        return Ok(());
    };
    let mut tx = db.begin_write().await?;
    store::set_ending(&mut tx, institution, employment.id, None).await?;
    ctx.audit(&mut tx, now, institution, Some(person), AuditAction::EmploymentEndingCorrected, json!({ "employment": employment.id.0, "on": null, "before": { "on": before.on, "reason": before.reason.code() } }))
    .await?;
    tx.commit().await?;
    super::signals::refresh(db, now, institution, person).await;
    Ok(())
}

/// Record that the induction trajectory was completed on a date (empty:
/// undo it), coordinator only. Separate from leaving.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn record_completion(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    on: &str,
) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.complete").await?;
    let (_, facts, employment) = visible_employment(db, now, ctx, person, "starters.complete").await?;
    let trajectory = facts.trajectories.get(&employment.id.0).ok_or(ServiceError::NotFound)?;
    let on = if on.trim().is_empty() {
        None
    } else {
        let day = parse_date(on).map_err(|p| ServiceError::field("on", p))?;
        if day < trajectory.started_on {
            return Err(ServiceError::field("on", FieldProblem::BeforeStart));
        }
        Some(day)
    };
    let action = if trajectory.completed_on.is_some() {
        AuditAction::TrajectoryCompletionCorrected
    } else {
        AuditAction::TrajectoryCompleted
    };
    let mut tx = db.begin_write().await?;
    store::set_completed(&mut tx, institution, trajectory.id, on).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        action,
        json!({ "trajectory": trajectory.id.0, "on": on, "before": trajectory.completed_on }),
    )
    .await?;
    tx.commit().await?;
    super::signals::refresh(db, now, institution, person).await;
    Ok(())
}

/// Add a personal goal to a trajectory (the starter, or a coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn add_goal(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    title: &str,
    domain: &str,
) -> Result<i64, ServiceError> {
    let (institution, facts, employment) = visible_employment(db, now, ctx, person, "starters.add_goal").await?;
    if !may_edit_goals(ctx, person) {
        access::record_denial(db, now, Some(ctx), "starters.add_goal").await;
        return Err(ServiceError::Forbidden);
    }
    let trajectory = facts.trajectories.get(&employment.id.0).ok_or(ServiceError::NotFound)?;
    let mut errors = FieldErrors::new();
    let title = super::required_text(&mut errors, "title", title, GOAL_TITLE_MAX);
    let domain = match domain.trim() {
        "" => None,
        code => errors.check(
            "domain",
            CompetenceDomain::from_code(code).ok_or(FieldProblem::UnknownChoice),
        ),
    };
    let Some(title) = title.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let mut tx = db.begin_write().await?;
    let id = store::create_goal(&mut tx, trajectory.id, &title, domain, ctx.person, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        AuditAction::GoalUpdated,
        json!({ "goal": id, "created": true }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Record a goal's progress: 0, 25, 50, 75 or 100 percent.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn set_goal_progress(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    goal: i64,
    progress: u8,
) -> Result<(), ServiceError> {
    let (institution, facts, employment) = visible_employment(db, now, ctx, person, "starters.goal").await?;
    if !may_edit_goals(ctx, person) {
        access::record_denial(db, now, Some(ctx), "starters.goal").await;
        return Err(ServiceError::Forbidden);
    }
    if !matches!(progress, 0 | 25 | 50 | 75 | 100) {
        return Err(ServiceError::field("progress", FieldProblem::UnknownChoice));
    }
    let trajectory = facts.trajectories.get(&employment.id.0).ok_or(ServiceError::NotFound)?;
    if store::goal_trajectory(db, institution, goal).await? != trajectory.id {
        return Err(ServiceError::NotFound);
    }
    let mut tx = db.begin_write().await?;
    store::set_goal_progress(&mut tx, trajectory.id, goal, progress, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        AuditAction::GoalUpdated,
        json!({ "goal": goal, "progress": progress }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The hours of one school year as a coordinator enters them; empty
/// fields are "not recorded".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacilitationForm {
    pub school_year: i32,
    pub starter_promised: String,
    pub starter_granted: String,
    pub mentor_promised: String,
    pub mentor_granted: String,
}

/// Record a school year of the facilitation ledger (coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn record_facilitation(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    form: &FacilitationForm,
) -> Result<(), ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.facilitation").await?;
    let (_, _, employment) = visible_employment(db, now, ctx, person, "starters.facilitation").await?;
    if !supported_school_years(employment.start).contains(&form.school_year) {
        return Err(ServiceError::field("school_year", FieldProblem::UnknownChoice));
    }
    let mut errors = FieldErrors::new();
    let mut hours = |field: &str, raw: &str| -> Option<u32> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<u32>() {
            Ok(value) if value <= 2000 => Some(value),
            _ => {
                errors.add(field, FieldProblem::OutOfRange { min: 0, max: 2000 });
                None
            }
        }
    };
    let starter_promised = hours("starter_promised", &form.starter_promised);
    let starter_granted = hours("starter_granted", &form.starter_granted);
    let mentor_promised = hours("mentor_promised", &form.mentor_promised);
    let mentor_granted = hours("mentor_granted", &form.mentor_granted);
    if starter_promised.is_none() && errors.is_empty() {
        errors.add("starter_promised", FieldProblem::Required);
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let row = FacilitationRow {
        school_year: form.school_year,
        starter_promised: starter_promised.unwrap_or_default(),
        starter_granted,
        mentor_promised,
        mentor_granted,
    };
    let mut tx = db.begin_write().await?;
    store::set_facilitation(&mut tx, employment.id, &row, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        AuditAction::FacilitationRecorded,
        json!({
            "school_year": row.school_year,
            "starter_promised": row.starter_promised,
            "starter_granted": row.starter_granted,
            "mentor_promised": row.mentor_promised,
            "mentor_granted": row.mentor_granted,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

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
async fn parse_terms(
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
    let stored = store::terms_tx(&mut tx, employment.id).await?;
    if stored.iter().any(|t| t.valid_from == terms.valid_from) {
        store::replace_terms(&mut tx, employment.id, &terms).await?;
    } else {
        store::add_terms(&mut tx, employment.id, &terms, now).await?;
    }
    ctx.audit(&mut tx, now, institution, Some(person), AuditAction::EmploymentTermsChanged, json!({ "employment": employment.id.0, "valid_from": terms.valid_from, "fte": terms.fte.0, "team": terms.team.map(|t| t.0) }))
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A person of the institution with the starter role and no employment
/// yet: they can be enrolled by hand.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn unenrolled(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Vec<PersonRef>, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.unenrolled").await?;
    let enrolled: Vec<PersonId> = store::employments(db, institution)
        .await?
        .into_iter()
        .map(|e| e.person)
        .collect();
    let names = person_names(db, institution).await?;
    let mut out: Vec<PersonRef> = crate::store::memberships::active_in_institution(db, institution)
        .await?
        .into_iter()
        .filter(|m| m.role == Role::Starter && !enrolled.contains(&m.person))
        .map(|m| PersonRef {
            id: m.person,
            name: names.get(&m.person).cloned().unwrap_or_default(),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out.dedup_by_key(|p| p.id);
    Ok(out)
}

/// What enrolling a starter by hand asks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnrolForm {
    pub employee_number: String,
    pub route: String,
    pub terms: TermsForm,
}

/// Enrol a starter by hand: employment, first terms, and a trajectory from
/// the template of the route. Coordinator only.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn enrol(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    person: PersonId,
    form: &EnrolForm,
) -> Result<(), ServiceError> {
    use crate::domain::trajectory::{EntryRoute, snapshot};
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.enrol").await?;
    if !unenrolled(db, now, ctx).await?.iter().any(|p| p.id == person) {
        return Err(ServiceError::NotFound);
    }
    let mut errors = FieldErrors::new();
    let number = super::required_text(
        &mut errors,
        "employee_number",
        &form.employee_number,
        super::import::EMPLOYEE_NUMBER_MAX,
    );
    let route = errors.check(
        "route",
        EntryRoute::from_code(&form.route).ok_or(FieldProblem::UnknownChoice),
    );
    let terms = parse_terms(db, institution, &form.terms, "start", &mut errors).await?;
    let (Some(number), Some(route), Some(terms)) = (number, route, terms) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let number = number.as_str();
    let mut tx = db.begin_write().await?;
    people::set_employee_number(&mut tx, person, Some(number))
        .await
        .map_err(|e| super::taken_as_field(e, "people_institution_id_employee_number_key", "employee_number"))?;
    let new = store::EmploymentForCreate {
        person,
        employee_number: number.to_owned(),
        route,
        start: terms.valid_from,
    };
    let employment = store::create_employment(&mut tx, institution, &new, now)
        .await
        .map_err(|e| super::taken_as_field(e, "employments_institution_id_employee_number_key", "employee_number"))?;
    store::add_terms(&mut tx, employment, &terms, now).await?;
    let template = store::ensure_template(&mut tx, institution, route, now).await?;
    let milestones = store::template_milestones(&mut tx, template.0).await?;
    store::create_trajectory(
        &mut tx,
        employment,
        template,
        terms.valid_from,
        &snapshot(&milestones, terms.valid_from),
        now,
    )
    .await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(person),
        AuditAction::StarterEnrolled,
        json!({ "route": route.code(), "start": terms.valid_from, "source": "form" }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The institution's SO&P partnerships (coordinator, team leader).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn partnerships(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Vec<(i64, String)>, ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.partnerships").await?;
    Ok(store::partnerships(db, institution)
        .await?
        .into_iter()
        .map(|p| (p.id.0, p.name))
        .collect())
}

/// Add an SO&P partnership (coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn add_partnership(db: &Db, now: DateTime<Utc>, ctx: &Ctx, name: &str) -> Result<i64, ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Coordinator], "starters.add_partnership").await?;
    let name = crate::domain::Name::parse(name).map_err(|e| ServiceError::field("name", e.into()))?;
    let mut tx = db.begin_write().await?;
    let id = store::create_partnership(&mut tx, institution, name.as_str(), now)
        .await
        .map_err(|e| super::taken_as_field(e, "partnerships_institution_id_name_key", "name"))?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::PartnershipCreated,
        json!({ "partnership": id.0 }),
    )
    .await?;
    tx.commit().await?;
    Ok(id.0)
}

#[cfg(test)]
mod tests;
