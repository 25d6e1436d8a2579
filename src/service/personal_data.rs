//! "My data" (AVG art. 15): a person's own copy of everything Houvast holds
//! about them that they may see, or the same copy produced by a coordinator
//! of their institution on their request. Every copy is an audit row, so
//! the next copy lists who produced the previous ones.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Ctx, ServiceError, access};
use crate::domain::personal_data::{
    ContentRead, LOGINS_SHOWN, NOTIFICATIONS_SHOWN, NotificationReceived, PersonSection, PersonalData, READ_ACTIONS,
    RolePeriod, SignalAbout, TalkRequestMade,
};
use crate::domain::time::today;
use crate::domain::{AuditAction, InstitutionId, Person, PersonId, Role};
use crate::store::{self, Db};

/// The copy of `person`'s data: the caller's own, or, for a coordinator,
/// that of a person of their institution. Audited either way.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, person = person.0))]
pub async fn export(db: &Db, now: DateTime<Utc>, ctx: &Ctx, person: PersonId) -> Result<PersonalData, ServiceError> {
    let on_request = person != ctx.person;
    let who = if on_request {
        let institution =
            access::require_in_institution(db, now, ctx, &[Role::Coordinator], "personal_data.export").await?;
        store::people::get_in_institution(db, institution, person).await?
    } else {
        store::people::get(db, person).await?
    };
    let institution = who.institution;
    let data = gather(db, now, who).await?;
    let event = crate::domain::AuditEventForCreate {
        occurred_at: now,
        actor: Some(ctx.person),
        institution,
        subject: Some(person),
        action: AuditAction::PersonalDataExported,
        details: json!({ "on_request": on_request }),
    };
    store::audit::append_read(db, &event).await?;
    Ok(data)
}

/// Everything about `person`, read as it is now. No access checks: callers
/// check who may have it.
async fn gather(db: &Db, now: DateTime<Utc>, who: Person) -> Result<PersonalData, ServiceError> {
    let person = who.id;
    let account = store::accounts::get(db, person).await?;
    let institution = who.institution;
    let institution_name = match institution {
        Some(id) => Some(store::institutions::get(db, id).await?.name.to_string()),
        None => None,
    };
    let mut data = PersonalData {
        produced_at: now,
        person: PersonSection {
            id: person,
            name: who.full_name.to_string(),
            email: who.email.map(String::from),
            institution: institution_name,
            language: account.language,
            created_at: who.created_at,
        },
        roles: Vec::new(),
        employments: Vec::new(),
        check_ins: Vec::new(),
        talk_requests: Vec::new(),
        mentors: Vec::new(),
        conversations: Vec::new(),
        written_as_mentor: Vec::new(),
        notifications: Vec::new(),
        signals: Vec::new(),
        reads: Vec::new(),
        logins: store::audit::logins_of(db, person, LOGINS_SHOWN).await?,
    };
    let Some(institution) = institution else {
        return Ok(data);
    };
    let received = store::notifications::of_person(db, person, NOTIFICATIONS_SHOWN as i64).await?;
    let mut named: Vec<PersonId> = received.iter().filter_map(|n| n.about).collect();
    named.sort_unstable();
    named.dedup();
    let names: HashMap<PersonId, String> = store::people::names_of(db, institution, &named)
        .await?
        .into_iter()
        .collect();
    data.notifications = received
        .into_iter()
        .map(|n| NotificationReceived {
            at: n.created_at,
            kind: n.kind,
            about: n.about.and_then(|p| names.get(&p).cloned()),
            on: n.on,
            read_at: n.read_at,
        })
        .collect();
    data.roles = roles(db, institution, person).await?;
    data.employments = super::starters::employments_as_seen_by_self(db, institution, person, today(now)).await?;
    data.check_ins = store::checkins::checkins_with_text(db, institution, person).await?;
    data.talk_requests = store::checkins::requests_of_starter(db, institution, person)
        .await?
        .into_iter()
        .map(|r| TalkRequestMade {
            asked_at: r.asked_at,
            to: r.to,
            answered_at: r.answered_at,
        })
        .collect();
    (data.mentors, data.conversations) = super::conversations::as_starter(db, institution, person).await?;
    data.written_as_mentor = store::mentoring::written_by(db, institution, person).await?;
    data.signals = signals(db, institution, person).await?;
    data.reads = reads(db, institution, person).await?;
    Ok(data)
}

async fn roles(db: &Db, institution: InstitutionId, person: PersonId) -> Result<Vec<RolePeriod>, ServiceError> {
    let teams = store::teams::list(db, institution).await?;
    Ok(store::memberships::history_for_person(db, person)
        .await?
        .into_iter()
        .map(|m| RolePeriod {
            role: m.role,
            team: m
                .team
                .and_then(|id| teams.iter().find(|t| t.id == id))
                .map(|t| t.name.to_string()),
            from: m.started_at,
            until: m.ended_at,
        })
        .collect())
}

async fn signals(db: &Db, institution: InstitutionId, person: PersonId) -> Result<Vec<SignalAbout>, ServiceError> {
    let mut history = store::signals::alert_events_of_starter(db, institution, person).await?;
    Ok(store::signals::alerts_of_starter(db, institution, person)
        .await?
        .into_iter()
        .map(|alert| SignalAbout {
            opened_on: alert.opened_on,
            level: alert.level,
            rules: alert.rules,
            steps: history.remove(&alert.id).unwrap_or_default(),
        })
        .collect())
}

/// Who else read the person's content: their own reads are left out.
async fn reads(db: &Db, institution: InstitutionId, person: PersonId) -> Result<Vec<ContentRead>, ServiceError> {
    let events = store::audit::about(db, institution, person, &READ_ACTIONS).await?;
    let mut readers: Vec<PersonId> = events.iter().filter_map(|e| e.actor).collect();
    readers.sort_unstable();
    readers.dedup();
    let mut names = HashMap::new();
    for reader in readers {
        if let Ok(found) = store::people::get(db, reader).await {
            names.insert(reader, found.full_name.to_string());
        }
    }
    Ok(events
        .into_iter()
        .filter(|e| e.actor != Some(person))
        .filter_map(|e| {
            Some(ContentRead {
                at: e.occurred_at,
                by: e.actor.and_then(|a| names.get(&a).cloned()),
                what: AuditAction::from_code(&e.action)?,
            })
        })
        .collect())
}

#[cfg(test)]
pub(crate) mod tests;
