//! The home page of each role, from what Houvast knows today.

use chrono::{DateTime, Utc};

use super::{Ctx, ServiceError, audit_log, teams};
use crate::domain::alerts::WatchShow;
use crate::domain::{
    AdminHome, AuditFilter, Contact, CoordinatorHome, Home, InstitutionId, MentorHome, PersonRef, Role, StarterHome,
    TeamLeaderHome,
};
use crate::store::{Db, institutions, memberships, people};

#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn home(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Home, ServiceError> {
    let mut home = Home {
        viewer: ctx.viewer(),
        talk_requests: Vec::new(),
        admin: None,
        coordinator: None,
        team_leader: None,
        mentor: None,
        starter: None,
    };
    if ctx.has(Role::Admin) {
        let all = institutions::list(db).await?;
        let mut coordinators = 0;
        for institution in &all {
            coordinators += memberships::active_with_role(db, institution.id, Role::Coordinator)
                .await?
                .len();
        }
        home.admin = Some(AdminHome {
            institutions: all.len(),
            coordinators,
        });
    }
    let Some(institution) = ctx.institution else {
        return Ok(home);
    };
    if ctx.has(Role::Coordinator) || ctx.has(Role::Mentor) {
        home.talk_requests = super::checkins::open_requests(db, now, ctx).await?;
    }
    if ctx.has(Role::Coordinator) {
        let invited = usize::try_from(people::count_invited(db, institution).await?).unwrap_or(usize::MAX);
        let mut filter = AuditFilter::institution(institution);
        filter.limit = 5;
        home.coordinator = Some(CoordinatorHome {
            teams: crate::store::teams::list(db, institution).await?.len(),
            people: people::count(db, institution).await?,
            invited,
            latest_events: audit_log::lines(db, institution, &filter).await?,
        });
    }
    if ctx.has(Role::TeamLeader) {
        let teams = teams::list(db, now, ctx).await?;
        let list = super::signals::watch_list(db, now, ctx, None, None, WatchShow::All).await?;
        let since = crate::store::audit::previous_login(db, ctx.person)
            .await?
            .map(crate::domain::time::today);
        home.team_leader = Some(TeamLeaderHome::new(teams, list.rows, since));
    }
    let team_names = crate::store::teams::list(db, institution).await?;
    let name_of = |role: Role| {
        ctx.teams_as(role)
            .into_iter()
            .filter_map(|id| team_names.iter().find(|t| t.id == id).map(|t| t.name.to_string()))
            .collect::<Vec<_>>()
    };
    if ctx.has(Role::Mentor) {
        home.mentor = Some(MentorHome {
            teams: name_of(Role::Mentor),
            coordinators: coordinators(db, institution).await?,
            mentees: super::conversations::mentor_home(db, now, ctx).await?,
        });
    }
    if ctx.has(Role::Starter) {
        let mut pairings = crate::store::mentoring::pairings_of_starter(db, institution, ctx.person).await?;
        pairings.retain(|p| p.is_open());
        pairings.sort_by_key(|p| (!p.kind.is_primary(), p.id));
        let mut mentors = Vec::new();
        for pairing in pairings {
            let person = people::get(db, pairing.mentor).await?;
            mentors.push(Contact {
                person: PersonRef {
                    id: person.id,
                    name: person.full_name.to_string(),
                },
                email: person.email.map(String::from),
            });
        }
        home.starter = Some(
            starter_home(
                db,
                now,
                ctx,
                institution,
                name_of(Role::Starter).into_iter().next(),
                mentors,
            )
            .await?,
        );
        home.starter.as_mut().expect("just set").coordinators = coordinators(db, institution).await?;
    }
    Ok(home)
}

/// The institution's coordinators, to contact.
async fn coordinators(db: &Db, institution: InstitutionId) -> Result<Vec<Contact>, ServiceError> {
    Ok(people::with_role(db, institution, Role::Coordinator)
        .await?
        .into_iter()
        .map(|(id, name, email)| Contact {
            person: PersonRef { id, name },
            email,
        })
        .collect())
}

/// The starter's home: check-in due, next conversation, open actions, the
/// next step in the trajectory and the latest request to talk.
async fn starter_home(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    institution: InstitutionId,
    team: Option<String>,
    mentors: Vec<Contact>,
) -> Result<StarterHome, ServiceError> {
    use crate::domain::mentoring::{ActionView, ConversationStatus};
    use crate::store::{checkins, mentoring, trajectories};
    let today = crate::domain::time::today(now);
    let employment = trajectories::employments_of(db, institution, ctx.person)
        .await?
        .into_iter()
        .next();
    let last_checkin = checkins::last_checkin(db, institution, ctx.person).await?;
    let rhythm = checkins::rhythm_days(db, institution).await?;
    let checkin_due = employment
        .as_ref()
        .map(|e| crate::domain::checkin::next_due(last_checkin, e.start, rhythm));
    let conversations = mentoring::conversation_facts_of(db, institution, ctx.person).await?;
    let next_conversation = conversations
        .iter()
        .filter(|c| c.status == ConversationStatus::Planned && c.on >= today)
        .map(|c| c.on)
        .min();
    let reports_to_confirm = conversations
        .iter()
        .filter(|c| c.status == ConversationStatus::Held && !c.confirmed)
        .count();
    let open_actions: Vec<ActionView> = mentoring::actions_of_starter(db, institution, ctx.person)
        .await?
        .into_iter()
        .filter(|a| !a.done)
        .map(|a| ActionView {
            id: a.id,
            description: a.description,
            owner: a.owner,
            due_on: a.due_on,
            done: a.done,
        })
        .collect();
    if !open_actions.is_empty() {
        super::record_read(
            db,
            now,
            ctx.person,
            institution,
            ctx.person,
            crate::domain::AuditAction::ConversationRead,
            serde_json::json!({ "view": "home", "actions": open_actions.len() }),
        )
        .await?;
    }
    // What is next in the trajectory of the latest employment: the first
    // open or overdue milestone by due date (as the trajectory page says).
    let trajectory = match &employment {
        Some(e) => trajectories::trajectory_of(db, institution, e.id).await?,
        None => None,
    };
    let next_milestone = match trajectory {
        Some(trajectory) => trajectories::milestones_whose(db, institution, trajectories::Whose::Person(ctx.person))
            .await?
            .into_iter()
            .filter(|m| m.trajectory == trajectory.id)
            .filter(|m| crate::domain::trajectory::milestone_state(&m.progress, m.copy.due, today).is_pending())
            .min_by_key(|m| m.copy.due)
            .map(|m| (m.copy.title, m.copy.due)),
        None => None,
    };
    let talk_request = checkins::requests_of_starter(db, institution, ctx.person)
        .await?
        .into_iter()
        .next();
    let named: Vec<_> = talk_request.iter().flat_map(|r| [r.starter, r.recipient]).collect();
    let names: std::collections::HashMap<_, _> = people::names_of(db, institution, &named).await?.into_iter().collect();
    let talk_request = talk_request.map(|r| crate::domain::checkin::TalkRequestView {
        id: r.id,
        starter: PersonRef {
            id: r.starter,
            name: names.get(&r.starter).cloned().unwrap_or_default(),
        },
        recipient: PersonRef {
            id: r.recipient,
            name: names.get(&r.recipient).cloned().unwrap_or_default(),
        },
        to: r.to,
        asked_at: r.asked_at,
        answered_at: r.answered_at,
    });
    Ok(StarterHome {
        team,
        coordinators: Vec::new(),
        mentors,
        last_checkin,
        checkin_due_now: checkin_due.is_some_and(|d| d <= today),
        checkin_due,
        next_conversation,
        reports_to_confirm,
        open_actions,
        next_milestone,
        talk_request,
    })
}
