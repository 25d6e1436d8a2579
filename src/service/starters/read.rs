//! Reading: the facts every list and page is built from, who may see which starter, the starters list, a starter's page and one's own trajectory.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::starter::{StarterDetail, TimelineEvent};
use crate::domain::trajectory::{
    EmploymentTerms, Goal, ProgressCount, StarterFilter, StarterListItem, StarterPage, StarterSort, StarterStatus,
    terms_on,
};
use crate::domain::{InstitutionId, PersonId, Role, TeamId};
use crate::service::{Ctx, ServiceError, access};
use crate::store::trajectories::{self as store, Employment, FacilitationRow, Milestone, Trajectory};
use crate::store::{Db, people, teams};

use crate::domain::time::today;

use super::detail::build_detail;

/// Everything about the institution's starters that lists and pages need,
/// read in a handful of queries.
pub(super) struct Facts {
    pub(super) employments: Vec<Employment>,
    pub(super) terms: HashMap<i64, Vec<EmploymentTerms>>,
    pub(super) trajectories: HashMap<i64, Trajectory>,
    pub(super) milestones: HashMap<i64, Vec<Milestone>>,
    pub(super) team_names: HashMap<TeamId, String>,
    pub(super) partnership_names: HashMap<i64, String>,
    pub(super) goals: HashMap<i64, Vec<Goal>>,
    pub(super) facilitation: HashMap<i64, Vec<FacilitationRow>>,
}

pub(super) async fn facts(db: &Db, institution: InstitutionId, whose: store::Whose) -> Result<Facts, ServiceError> {
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
    pub(super) fn current_terms(&self, employment: &Employment, today: NaiveDate) -> Option<&EmploymentTerms> {
        let day = employment.ending.as_ref().map_or(today, |e| e.on.min(today));
        self.terms.get(&employment.id.0).and_then(|t| terms_on(t, day))
    }

    pub(super) fn status(&self, employment: &Employment) -> StarterStatus {
        let completed = self
            .trajectories
            .get(&employment.id.0)
            .is_some_and(|t| t.completed_on.is_some());
        StarterStatus::of(employment.ending.is_some(), completed)
    }
}

/// Which starters the caller may see: the union of what each role gives.
pub(super) struct Scope {
    pub(super) all: bool,
    pub(super) teams: Vec<TeamId>,
    pub(super) mentees: Vec<PersonId>,
    pub(super) myself: Option<PersonId>,
}

impl Scope {
    /// The scope of coordinator, team leader and starter roles (mentees are
    /// added by `with_mentees` where mentors are admitted).
    pub(super) fn of(ctx: &Ctx) -> Option<Scope> {
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
    pub(super) async fn with_mentees(
        ctx: &Ctx,
        db: &Db,
        institution: InstitutionId,
        now: DateTime<Utc>,
    ) -> Result<Option<Scope>, ServiceError> {
        let mut scope = Scope::of(ctx);
        if ctx.has(Role::Mentor) {
            let mentees = crate::service::mentoring::content_pairings(db, institution, ctx, today(now))
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

    /// The teams of the institution the caller may filter a list on.
    pub(super) fn filter_teams(&self, team_names: &HashMap<TeamId, String>) -> Vec<(TeamId, String)> {
        if self.all {
            team_names.iter().map(|(t, n)| (*t, n.clone())).collect()
        } else {
            self.teams
                .iter()
                .filter_map(|t| team_names.get(t).map(|n| (*t, n.clone())))
                .collect()
        }
    }

    pub(super) fn admits(&self, person: PersonId, team: Option<TeamId>) -> bool {
        self.all
            || team.is_some_and(|t| self.teams.contains(&t))
            || self.mentees.contains(&person)
            || self.myself == Some(person)
    }
}

/// The starters list: coordinator (all) or team leader (own teams). By
/// name or start date the database filters, sorts and cuts the page, and
/// only the page's milestones are counted; by progress every row's counts
/// are needed, so that list is built in Rust (`built`).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn list(db: &Db, now: DateTime<Utc>, ctx: &Ctx, filter: &StarterFilter) -> Result<StarterPage, ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Coordinator, Role::TeamLeader], "starters.list").await?;
    let scope = Scope::of(ctx).ok_or(ServiceError::Forbidden)?;
    let today = today(now);
    let team_names: HashMap<TeamId, String> = teams::list(db, institution)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name.to_string()))
        .collect();
    let order = match filter.sort {
        StarterSort::Name => Some(store::ListOrder::Name),
        StarterSort::StartDate => Some(store::ListOrder::StartDate),
        StarterSort::Progress | StarterSort::Overdue => None,
    };
    let mut page = match order {
        Some(order) => {
            let seen = if scope.all {
                store::ListSeen::All
            } else {
                store::ListSeen::Teams {
                    teams: &scope.teams,
                    myself: scope.myself,
                }
            };
            let listed = store::listed_page(db, institution, today, seen, filter, order).await?;
            let shown: Vec<_> = listed.rows.iter().map(|e| e.id).collect();
            let counted = store::progress_counts(db, institution, today, store::Counted::Only(&shown)).await?;
            let rows = listed
                .rows
                .into_iter()
                .map(|e| {
                    let progress = counted.get(&e.id).copied().unwrap_or_default();
                    list_item(e, progress, &team_names)
                })
                .collect();
            let teams = scope.filter_teams(&team_names);
            StarterPage::cut(
                rows,
                (listed.total, listed.page, listed.pages),
                teams,
                listed.start_dates,
            )
        }
        None => built(db, institution, today, &scope, filter, &team_names).await?,
    };
    if scope.all {
        page.unenrolled = store::unenrolled_starters(db, institution)
            .await?
            .into_iter()
            .map(|(id, name)| crate::domain::PersonRef { id, name })
            .collect();
    }
    Ok(page)
}

/// The starters list built in Rust from every employment `scope` may see
/// and every row's milestone counts (any sort; `list` uses it to sort by
/// progress).
pub(super) async fn built(
    db: &Db,
    institution: InstitutionId,
    today: NaiveDate,
    scope: &Scope,
    filter: &StarterFilter,
    team_names: &HashMap<TeamId, String>,
) -> Result<StarterPage, ServiceError> {
    let listed = store::listed_employments(db, institution, today).await?;
    let counted = store::progress_counts(db, institution, today, store::Counted::All).await?;
    let visible: Vec<StarterListItem> = listed
        .into_iter()
        .filter(|e| scope.admits(e.person, e.team))
        .map(|e| {
            let progress = counted.get(&e.id).copied().unwrap_or_default();
            list_item(e, progress, team_names)
        })
        .collect();
    Ok(StarterPage::build(visible, scope.filter_teams(team_names), filter))
}

fn list_item(
    e: store::ListedEmployment,
    progress: ProgressCount,
    team_names: &HashMap<TeamId, String>,
) -> StarterListItem {
    StarterListItem {
        employment: e.id,
        person: e.person,
        name: e.name,
        employee_number: e.employee_number,
        route: e.route,
        team: e.team,
        team_name: e.team.and_then(|t| team_names.get(&t).cloned()),
        start: e.start,
        status: StarterStatus::of(e.ended, e.completed_on.is_some()),
        progress,
        in_partnership: e.partnership.is_some(),
    }
}

/// The latest employment of a person the caller may see, with the facts.
pub(super) async fn visible_employment(
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
    detail.guidance =
        crate::service::mentoring::guidance_overview(db, institution, person, ctx.has(Role::Coordinator)).await?;
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
