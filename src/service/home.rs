//! The home page of each role, from what Houvast knows today.

use chrono::{DateTime, Utc};

use super::{Ctx, ServiceError, audit_log, teams};
use crate::domain::{
    AccountStatus, AdminHome, AuditFilter, Contact, CoordinatorHome, Home, InstitutionId, MentorHome, PeopleFilter,
    PersonRef, Role, StarterHome, TeamLeaderHome,
};
use crate::store::{Db, institutions, memberships, people};

pub async fn home(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Home, ServiceError> {
    let mut home = Home {
        viewer: ctx.viewer(),
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
            coordinators += memberships::active_in_institution(db, institution.id)
                .await?
                .iter()
                .filter(|m| m.role == Role::Coordinator)
                .count();
        }
        home.admin = Some(AdminHome {
            institutions: all.len(),
            coordinators,
        });
    }
    let Some(institution) = ctx.institution else {
        return Ok(home);
    };
    if ctx.has(Role::Coordinator) {
        let invited = people::list(
            db,
            institution,
            &PeopleFilter {
                status: Some(AccountStatus::Invited),
                ..Default::default()
            },
            10_000,
            0,
        )
        .await?
        .len();
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
        home.team_leader = Some(TeamLeaderHome {
            teams: teams::list(db, now, ctx).await?,
        });
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
        home.starter = Some(StarterHome {
            team: name_of(Role::Starter).into_iter().next(),
            coordinators: coordinators(db, institution).await?,
            mentors,
        });
    }
    Ok(home)
}

/// The institution's coordinators, to contact.
async fn coordinators(db: &Db, institution: InstitutionId) -> Result<Vec<Contact>, ServiceError> {
    let mut contacts = Vec::new();
    for m in memberships::active_in_institution(db, institution)
        .await?
        .iter()
        .filter(|m| m.role == Role::Coordinator)
    {
        let person = people::get(db, m.person).await?;
        contacts.push(Contact {
            person: PersonRef {
                id: person.id,
                name: person.full_name.to_string(),
            },
            email: person.email.map(String::from),
        });
    }
    Ok(contacts)
}
