//! Check-ins and "I want to talk". A starter checks in on their own
//! rhythm; the scores and text reach the starter and their current
//! mentors only (every read audited). A request to talk reaches exactly
//! one person — the work-place mentor or, when the starter prefers or has
//! no mentor, a coordinator — and stays on top of their home until they
//! answer by logging a contact or a conversation.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Ctx, ServiceError, access, notifications, record};
use crate::domain::checkin::{
    CheckInForm, CheckInStatus, CheckInView, RHYTHM_MAX_DAYS, RHYTHM_MIN_DAYS, TalkRequestView, TalkTo, next_due,
};
use crate::domain::notification::NotificationKind;
use crate::domain::time::today;
use crate::domain::{AuditAction, FieldProblem, InstitutionId, PersonId, PersonRef, Role};
use crate::store::checkins::{self as store, TalkRequest};
use crate::store::{Db, memberships, mentoring, people, trajectories};

/// The names of the people of these requests.
async fn names(
    db: &Db,
    institution: InstitutionId,
    requests: &[TalkRequest],
) -> Result<HashMap<PersonId, String>, ServiceError> {
    let mut ids: Vec<PersonId> = requests.iter().flat_map(|r| [r.starter, r.recipient]).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(people::names_of(db, institution, &ids).await?.into_iter().collect())
}

fn request_view(request: &TalkRequest, names: &HashMap<PersonId, String>) -> TalkRequestView {
    let person = |id: PersonId| PersonRef {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    };
    TalkRequestView {
        id: request.id,
        starter: person(request.starter),
        recipient: person(request.recipient),
        to: request.to,
        asked_at: request.asked_at,
        answered_at: request.answered_at,
    }
}

/// The starter's primary mentor now, if any.
async fn primary_mentor(
    db: &Db,
    institution: InstitutionId,
    starter: PersonId,
) -> Result<Option<PersonId>, ServiceError> {
    Ok(mentoring::pairings_of_starter(db, institution, starter)
        .await?
        .into_iter()
        .filter(|p| p.is_open())
        .min_by_key(|p| (!p.kind.is_primary(), p.id))
        .map(|p| p.mentor))
}

/// The starter's check-in page: when the next is due, the history, requests.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn status(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<CheckInStatus, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Starter], "checkins.status").await?;
    let rhythm = store::rhythm_days(db, institution).await?;
    let history = store::checkins_with_text(db, institution, ctx.person).await?;
    let start = trajectories::employments_of(db, institution, ctx.person)
        .await?
        .first()
        .map_or(today(now), |e| e.start);
    let requests = store::requests_of_starter(db, institution, ctx.person).await?;
    let names = names(db, institution, &requests).await?;
    let requests = requests.iter().map(|r| request_view(r, &names)).collect();
    if !history.is_empty() {
        record_read(db, now, ctx, institution, ctx.person, history.len()).await?;
    }
    Ok(CheckInStatus {
        due_on: next_due(history.last().map(|c| c.on), start, rhythm),
        rhythm_days: rhythm,
        has_mentor: primary_mentor(db, institution, ctx.person).await?.is_some(),
        history,
        requests,
    })
}

async fn record_read(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    institution: InstitutionId,
    starter: PersonId,
    count: usize,
) -> Result<(), ServiceError> {
    super::record_read(
        db,
        now,
        ctx.person,
        institution,
        starter,
        AuditAction::CheckInRead,
        json!({ "checkins": count }),
    )
    .await
}

/// Save a check-in; with "I want to talk", open a request for exactly one
/// person. Returns the recipient, if any.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn submit(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    form: &CheckInForm,
) -> Result<Option<PersonRef>, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Starter], "checkins.submit").await?;
    let input = form.validate()?;
    let recipient = match input.talk_to {
        None => None,
        Some(to) => {
            let mentor = match to {
                TalkTo::Mentor => primary_mentor(db, institution, ctx.person).await?,
                TalkTo::Coordinator => None,
            };
            match mentor {
                Some(mentor) => Some((mentor, TalkTo::Mentor)),
                None => {
                    let coordinator = memberships::active_in_institution(db, institution)
                        .await?
                        .into_iter()
                        .filter(|m| m.role == Role::Coordinator && m.person != ctx.person)
                        .map(|m| m.person)
                        .min();
                    coordinator.map(|c| (c, TalkTo::Coordinator))
                }
            }
        }
    };
    if input.talk_to.is_some() && recipient.is_none() {
        return Err(ServiceError::field("talk_to", FieldProblem::UnknownReference));
    }
    let mut tx = db.begin_write().await?;
    let id = store::create(&mut tx, institution, ctx.person, today(now), &input, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(ctx.person),
        AuditAction::CheckInSubmitted,
        json!({ "checkin": id, "talk": recipient.is_some() }),
    )
    .await?;
    if let Some((to, role)) = recipient {
        let request = store::create_request(&mut tx, institution, ctx.person, id, to, role, now).await?;
        ctx.audit(
            &mut tx,
            now,
            institution,
            Some(ctx.person),
            AuditAction::TalkRequested,
            json!({ "request": request, "recipient": to.0, "to": role.code() }),
        )
        .await?;
        let kind = NotificationKind::TalkRequest;
        let subject = request.to_string();
        notifications::notify(
            &mut tx,
            now,
            to,
            institution,
            kind,
            Some(ctx.person),
            Some(today(now)),
            &subject,
        )
        .await?;
    }
    tx.commit().await?;
    super::signals::refresh(db, now, institution, ctx.person).await;
    match recipient {
        Some((to, _)) => Ok(Some(PersonRef {
            id: to,
            name: people::get_in_institution(db, institution, to)
                .await?
                .full_name
                .to_string(),
        })),
        None => Ok(None),
    }
}

/// A mentee's check-ins for their current mentor (with text). Audited.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, starter = starter.0))]
pub async fn of_mentee(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    starter: PersonId,
) -> Result<Vec<CheckInView>, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Mentor], "checkins.mentee").await?;
    let mentors = super::mentoring::content_pairings(db, institution, ctx, today(now)).await?;
    if !mentors.iter().any(|p| p.starter == starter) {
        access::record_denial(db, now, Some(ctx), "checkins.mentee").await;
        return Err(ServiceError::NotFound);
    }
    let history = store::checkins_with_text(db, institution, starter).await?;
    if !history.is_empty() {
        record_read(db, now, ctx, institution, starter, history.len()).await?;
    }
    Ok(history)
}

/// Open requests to talk addressed to the caller (mentor or coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn open_requests(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Vec<TalkRequestView>, ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Mentor, Role::Coordinator], "checkins.requests").await?;
    let requests = store::open_requests_for(db, institution, ctx.person).await?;
    let names = names(db, institution, &requests).await?;
    Ok(requests.iter().map(|r| request_view(r, &names)).collect())
}

/// The recipient answers a request by recording that they had contact.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn answer_with_contact(db: &Db, now: DateTime<Utc>, ctx: &Ctx, request: i64) -> Result<(), ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Mentor, Role::Coordinator], "checkins.answer").await?;
    let found = store::request(db, institution, request).await?;
    if found.recipient != ctx.person {
        access::record_denial(db, now, Some(ctx), "checkins.answer").await;
        return Err(ServiceError::NotFound);
    }
    if found.answered_at.is_some() {
        return Err(ServiceError::AlreadyDone);
    }
    let mut tx = db.begin_write().await?;
    answered(&mut tx, now, ctx.person, institution, found.starter, "contact").await?;
    tx.commit().await?;
    super::signals::reevaluate(db, now, institution, Some(found.starter)).await;
    Ok(())
}

/// Mark the open requests of `starter` to `recipient` answered (a contact,
/// or a conversation logged or planned), audited when there were any.
pub(crate) async fn answered(
    tx: &mut crate::store::Tx,
    now: DateTime<Utc>,
    recipient: PersonId,
    institution: InstitutionId,
    starter: PersonId,
    how: &str,
) -> Result<(), ServiceError> {
    let count = store::answer_requests(tx, starter, recipient, how, now).await?;
    if count > 0 {
        record(
            tx,
            now,
            Some(recipient),
            Some(institution),
            Some(starter),
            AuditAction::TalkAnswered,
            json!({ "how": how, "requests": count }),
        )
        .await?;
    }
    Ok(())
}

/// Set how often starters are asked to check in (coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn set_rhythm(db: &Db, now: DateTime<Utc>, ctx: &Ctx, days: &str) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "checkins.rhythm").await?;
    let days = match days.trim().parse::<u16>() {
        Ok(d) if (RHYTHM_MIN_DAYS..=RHYTHM_MAX_DAYS).contains(&d) => d,
        _ => {
            return Err(ServiceError::field(
                "days",
                FieldProblem::OutOfRange {
                    min: i32::from(RHYTHM_MIN_DAYS),
                    max: i32::from(RHYTHM_MAX_DAYS),
                },
            ));
        }
    };
    let mut tx = db.begin_write().await?;
    store::set_rhythm_days(&mut tx, institution, days).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::CheckInRhythmChanged,
        json!({ "days": days }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests;
