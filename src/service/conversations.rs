//! Conversation logs: the mentor's home and log form, the mentee page, and
//! the starter's own conversations. Content (summaries, actions,
//! reflections) reaches only the starter and their current mentors; a
//! private note reaches only its author. Every read of content is audited.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::mentoring::{fit_question_open, pairing_view};
use super::{Ctx, ServiceError, access, notifications};
use crate::domain::mentoring::{
    ActionView, ConversationForm, ConversationKind, ConversationStatus, ConversationView, DEFAULT_DURATION,
    LogDefaults, MenteePage, MenteeRow, MyGuidance, REFLECTION_MAX,
};
use crate::domain::notification::NotificationKind;
use crate::domain::personal_data::MentorPeriod;
use crate::domain::text::long_text;
use crate::domain::time::today;
use crate::domain::{AuditAction, FieldErrors, InstitutionId, PersonId, PersonRef, Role};
use crate::store::mentoring::{self as store, ConversationContent, Pairing, Participants};
use crate::store::{Db, people};

/// The names of the given people (a page names only the people on it).
async fn names(
    db: &Db,
    institution: InstitutionId,
    ids: impl IntoIterator<Item = PersonId>,
) -> Result<HashMap<PersonId, String>, ServiceError> {
    let mut ids: Vec<PersonId> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(people::names_of(db, institution, &ids).await?.into_iter().collect())
}

/// The people a pairing names and the mentors of conversations.
fn named_in(pairings: &[&Pairing], contents: &[ConversationContent]) -> Vec<PersonId> {
    pairings
        .iter()
        .flat_map(|p| [p.starter, p.mentor])
        .chain(contents.iter().map(|c| c.facts.mentor))
        .collect()
}

/// The caller's open pairing with `starter`, if the caller mentors them.
async fn mentoring(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    starter: PersonId,
    what: &str,
) -> Result<(InstitutionId, Pairing), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Mentor], what).await?;
    let pairing = super::mentoring::content_pairings(db, institution, ctx, today(now))
        .await?
        .into_iter()
        .filter(|p| p.starter == starter)
        .min_by_key(|p| (!p.kind.is_primary(), p.id));
    match pairing {
        Some(pairing) => Ok((institution, pairing)),
        None => {
            // Not (or no longer) their mentee: as if it does not exist.
            access::record_denial(db, now, Some(ctx), what).await;
            Err(ServiceError::NotFound)
        }
    }
}

/// Record that conversation content about `starter` was shown to the caller.
async fn audit_read(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    institution: InstitutionId,
    starter: PersonId,
    what: &str,
    conversations: usize,
) -> Result<(), ServiceError> {
    super::record_read(
        db,
        now,
        ctx.person,
        institution,
        starter,
        AuditAction::ConversationRead,
        json!({ "view": what, "conversations": conversations }),
    )
    .await
}

/// Turn stored content into views for `viewer`. `notes` holds the viewer's
/// own private notes (empty for a starter).
fn views(
    contents: Vec<ConversationContent>,
    actions: &[store::ActionRow],
    notes: &[(i64, String)],
    names: &HashMap<PersonId, String>,
    viewer: PersonId,
) -> Vec<ConversationView> {
    contents
        .into_iter()
        .map(|c| {
            let id = c.facts.id;
            let is_author = c.facts.mentor == viewer;
            let is_starter = c.facts.starter == viewer;
            ConversationView {
                id,
                status: c.facts.status,
                on: c.facts.on,
                duration_minutes: c.facts.duration_minutes,
                kind: c.facts.kind,
                topics: c.topics,
                tags: c.tags,
                summary: c.summary,
                private_note: if is_author {
                    notes.iter().find(|n| n.0 == id).map(|n| n.1.clone())
                } else {
                    None
                },
                actions: actions
                    .iter()
                    .filter(|a| a.conversation == id)
                    .map(|a| ActionView {
                        id: a.id,
                        description: a.description.clone(),
                        owner: a.owner,
                        due_on: a.due_on,
                        done: a.done,
                    })
                    .collect(),
                concern: c.facts.concern,
                confirmed_at: c.confirmed_at,
                reflection: c.reflection,
                mentor: PersonRef {
                    id: c.facts.mentor,
                    name: names.get(&c.facts.mentor).cloned().unwrap_or_default(),
                },
                can_edit: is_author,
                can_confirm: is_starter && c.facts.status == ConversationStatus::Held,
            }
        })
        .collect()
}

/// The mentor's home: every current mentee with days since the last held
/// conversation, open actions and the next planned talk.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn mentor_home(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Vec<MenteeRow>, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Mentor], "conversations.home").await?;
    let today = today(now);
    let pairings = super::mentoring::content_pairings(db, institution, ctx, today).await?;
    let names = names(db, institution, pairings.iter().map(|p| p.starter)).await?;
    let facts = store::conversation_facts_of_mentees(db, institution, ctx.person).await?;
    let open_actions: HashMap<PersonId, i64> = store::open_action_counts(db, institution, ctx.person)
        .await?
        .into_iter()
        .collect();
    let ids: Vec<i64> = pairings.iter().map(|p| p.id).collect();
    let fits = store::fit_checks_of(db, institution, &ids).await?;
    let mut rows: Vec<MenteeRow> = pairings
        .iter()
        .map(|p| {
            let mine = facts.iter().filter(|c| c.starter == p.starter);
            let last_held = mine
                .clone()
                .filter(|c| c.status == ConversationStatus::Held && c.on <= today)
                .map(|c| c.on)
                .max();
            let next_planned = mine
                .clone()
                .filter(|c| c.status == ConversationStatus::Planned && c.on >= today)
                .map(|c| c.on)
                .min();
            let held_in_pairing = facts
                .iter()
                .any(|c| c.pairing == p.id && c.status == ConversationStatus::Held);
            MenteeRow {
                starter: PersonRef {
                    id: p.starter,
                    name: names.get(&p.starter).cloned().unwrap_or_default(),
                },
                kind: p.kind,
                since: p.start,
                last_held,
                days_since_contact: (today - last_held.unwrap_or(p.start)).num_days().max(0),
                open_actions: open_actions.get(&p.starter).copied().unwrap_or(0) as u32,
                next_planned,
                fit_question: fit_question_open(p, ctx.person, held_in_pairing, &fits).then_some(p.id),
                signals: Vec::new(),
            }
        })
        .collect();
    // Each mentee's signals, so the mentor sees who needs attention first.
    let mentees = crate::store::evaluations::Whose::MenteesOf(ctx.person);
    let mut signals: HashMap<PersonId, Vec<crate::domain::signals::Signal>> =
        crate::store::evaluations::listed(db, institution, &mentees)
            .await?
            .into_iter()
            .map(|e| (e.evaluation.person, e.evaluation.signals))
            .collect();
    for row in &mut rows {
        row.signals = signals.remove(&row.starter.id).unwrap_or_default();
    }
    rows.sort_by(|a, b| {
        let level = |r: &MenteeRow| crate::domain::signals::level(&r.signals);
        level(b)
            .cmp(&level(a))
            .then(b.days_since_contact.cmp(&a.days_since_contact))
            .then_with(|| a.starter.name.cmp(&b.starter.name))
    });
    Ok(rows)
}

/// The mentor's page about one mentee: every conversation with content,
/// and the mentor's own private notes. Audited.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, starter = starter.0))]
pub async fn mentee(db: &Db, now: DateTime<Utc>, ctx: &Ctx, starter: PersonId) -> Result<MenteePage, ServiceError> {
    let (institution, pairing) = mentoring(db, now, ctx, starter, "conversations.mentee").await?;
    let contents = store::conversations_with_content(db, institution, starter).await?;
    let names = names(db, institution, named_in(&[&pairing], &contents)).await?;
    let held_in_pairing = contents
        .iter()
        .any(|c| c.facts.pairing == pairing.id && c.facts.status == ConversationStatus::Held);
    let actions = store::actions_of_starter(db, institution, starter).await?;
    let notes = store::notes_of_author(db, ctx.person, starter).await?;
    let fits = store::fit_checks_of(db, institution, &[pairing.id]).await?;
    let conversations = views(contents, &actions, &notes, &names, ctx.person);
    audit_read(db, now, ctx, institution, starter, "mentee", conversations.len()).await?;
    let person = people::get_in_institution(db, institution, starter).await?;
    let checkins = crate::store::checkins::checkins_with_text(db, institution, starter).await?;
    if !checkins.is_empty() {
        super::record_read(
            db,
            now,
            ctx.person,
            institution,
            starter,
            AuditAction::CheckInRead,
            json!({ "checkins": checkins.len() }),
        )
        .await?;
    }
    Ok(MenteePage {
        checkins,
        starter: PersonRef {
            id: starter,
            name: person.full_name.to_string(),
        },
        email: person.email.map(String::from),
        fit_question: fit_question_open(&pairing, ctx.person, held_in_pairing, &fits).then_some(pairing.id),
        pairing: pairing_view(&pairing, &names, &fits),
        conversations,
    })
}

/// What the log form starts with: today, the last kind used with this
/// starter, 60 minutes; or the conversation being edited.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, starter = starter.0))]
pub async fn log_defaults(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    starter: PersonId,
    editing: Option<i64>,
) -> Result<LogDefaults, ServiceError> {
    let (institution, _) = mentoring(db, now, ctx, starter, "conversations.log_form").await?;
    let facts = store::conversation_facts_of(db, institution, starter).await?;
    let names = names(
        db,
        institution,
        std::iter::once(starter).chain(facts.iter().map(|c| c.mentor)),
    )
    .await?;
    let kind = facts
        .iter()
        .filter(|c| c.status == ConversationStatus::Held)
        .max_by_key(|c| (c.on, c.id))
        .map_or(ConversationKind::Guidance, |c| c.kind);
    let editing = match editing {
        None => None,
        Some(id) => {
            let found = facts.iter().find(|c| c.id == id).ok_or(ServiceError::NotFound)?;
            if found.mentor != ctx.person {
                access::record_denial(db, now, Some(ctx), "conversations.log_form").await;
                return Err(ServiceError::NotFound);
            }
            let contents: Vec<ConversationContent> = store::conversations_with_content(db, institution, starter)
                .await?
                .into_iter()
                .filter(|c| c.facts.id == id)
                .collect();
            let actions = store::actions_of_starter(db, institution, starter).await?;
            let notes = store::notes_of_author(db, ctx.person, starter).await?;
            audit_read(db, now, ctx, institution, starter, "log_form", 1).await?;
            views(contents, &actions, &notes, &names, ctx.person).into_iter().next()
        }
    };
    Ok(LogDefaults {
        starter: PersonRef {
            id: starter,
            name: names.get(&starter).cloned().unwrap_or_default(),
        },
        today: today(now),
        kind,
        duration_minutes: DEFAULT_DURATION,
        editing,
    })
}

/// Log a conversation (or change one the caller wrote, e.g. turn a
/// planned one into a held one). Returns its id.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, starter = starter.0))]
pub async fn log(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    starter: PersonId,
    editing: Option<i64>,
    form: &ConversationForm,
) -> Result<i64, ServiceError> {
    let (institution, pairing) = mentoring(db, now, ctx, starter, "conversations.log").await?;
    let existing = match editing {
        None => None,
        Some(id) => {
            let found = store::conversation(db, institution, id).await?;
            if found.mentor != ctx.person || found.starter != starter {
                access::record_denial(db, now, Some(ctx), "conversations.log").await;
                return Err(ServiceError::NotFound);
            }
            Some(found)
        }
    };
    let input = form.validate(today(now))?;
    let mut tx = db.begin_write().await?;
    let (id, action) = match &existing {
        None => {
            let who = Participants {
                institution,
                pairing: pairing.id,
                starter,
                mentor: ctx.person,
            };
            (
                store::create_conversation(&mut tx, &who, &input, now).await?,
                AuditAction::ConversationLogged,
            )
        }
        Some(found) => {
            store::update_conversation(&mut tx, found.id, ctx.person, &input, now).await?;
            (found.id, AuditAction::ConversationUpdated)
        }
    };
    super::checkins::answered(&mut tx, now, ctx.person, institution, starter, "conversation").await?;
    if input.status == ConversationStatus::Held && !input.summary.is_empty() {
        let kind = NotificationKind::ConversationSummary;
        let subject = id.to_string();
        notifications::notify(
            &mut tx,
            now,
            starter,
            institution,
            kind,
            Some(ctx.person),
            Some(input.on),
            &subject,
        )
        .await?;
    }
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(starter),
        action,
        json!({
            "conversation": id,
            "status": input.status.code(),
            "kind": input.kind.code(),
            "concern": input.concern.map(|c| c.code()),
            "actions": input.actions.len(),
        }),
    )
    .await?;
    tx.commit().await?;
    super::signals::refresh(db, now, institution, starter).await;
    Ok(id)
}

/// The starter's own conversations, mentors and actions. Audited.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn mine(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<MyGuidance, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Starter], "conversations.mine").await?;
    let pairings = store::pairings_of_starter(db, institution, ctx.person).await?;
    let contents = store::conversations_with_content(db, institution, ctx.person).await?;
    let names = names(
        db,
        institution,
        named_in(&pairings.iter().collect::<Vec<_>>(), &contents),
    )
    .await?;
    let ids: Vec<i64> = pairings.iter().map(|p| p.id).collect();
    let fits = store::fit_checks_of(db, institution, &ids).await?;
    let actions = store::actions_of_starter(db, institution, ctx.person).await?;
    let mut mentors = Vec::new();
    let mut fit_question = None;
    for pairing in pairings.iter().filter(|p| p.is_open()) {
        let email = people::get_in_institution(db, institution, pairing.mentor)
            .await?
            .email
            .map(String::from);
        mentors.push((pairing_view(pairing, &names, &fits), email));
        let held = contents
            .iter()
            .any(|c| c.facts.pairing == pairing.id && c.facts.status == ConversationStatus::Held);
        if fit_question.is_none() && fit_question_open(pairing, ctx.person, held, &fits) {
            fit_question = Some(pairing.id);
        }
    }
    // A starter never receives private notes: none are read.
    let conversations = views(contents, &actions, &[], &names, ctx.person);
    if !conversations.is_empty() {
        audit_read(db, now, ctx, institution, ctx.person, "mine", conversations.len()).await?;
    }
    Ok(MyGuidance {
        mentors,
        conversations,
        fit_question,
    })
}

/// A starter's mentors and conversations with what was shared with them
/// (never a private note): the copy of their data. The caller audits.
pub(crate) async fn as_starter(
    db: &Db,
    institution: InstitutionId,
    starter: PersonId,
) -> Result<(Vec<MentorPeriod>, Vec<ConversationView>), ServiceError> {
    let pairings = store::pairings_of_starter(db, institution, starter).await?;
    let contents = store::conversations_with_content(db, institution, starter).await?;
    let names = names(
        db,
        institution,
        named_in(&pairings.iter().collect::<Vec<_>>(), &contents),
    )
    .await?;
    let actions = store::actions_of_starter(db, institution, starter).await?;
    let mentors = pairings
        .iter()
        .map(|p| MentorPeriod {
            mentor: names.get(&p.mentor).cloned().unwrap_or_default(),
            kind: p.kind,
            start: p.start,
            end: p.end,
        })
        .collect();
    Ok((mentors, views(contents, &actions, &[], &names, starter)))
}

/// The starter confirms a held conversation and may add a reflection;
/// `true` when it was confirmed before (only the reflection changed).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn confirm(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    conversation: i64,
    reflection: &str,
) -> Result<bool, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Starter], "conversations.confirm").await?;
    let found = store::conversation(db, institution, conversation).await?;
    if found.starter != ctx.person {
        access::record_denial(db, now, Some(ctx), "conversations.confirm").await;
        return Err(ServiceError::NotFound);
    }
    if found.status != ConversationStatus::Held {
        return Err(ServiceError::field(
            "conversation",
            crate::domain::FieldProblem::UnknownChoice,
        ));
    }
    let mut errors = FieldErrors::new();
    let reflection = long_text(&mut errors, "reflection", reflection, REFLECTION_MAX);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let mut tx = db.begin_write().await?;
    store::confirm(
        &mut tx,
        conversation,
        (!reflection.is_empty()).then_some(reflection.as_str()),
        now,
    )
    .await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(ctx.person),
        AuditAction::ConversationConfirmed,
        json!({ "conversation": conversation, "reflection": !reflection.is_empty() }),
    )
    .await?;
    tx.commit().await?;
    Ok(found.confirmed)
}

/// Tick an action done (or not): the starter or a current mentor. Returns
/// the starter it concerns.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn set_action_done(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    action: i64,
    done: bool,
) -> Result<PersonId, ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Starter, Role::Mentor], "conversations.action").await?;
    let conversation = store::action_conversation(db, institution, action).await?;
    let found = store::conversation(db, institution, conversation).await?;
    let allowed = (ctx.has(Role::Starter) && found.starter == ctx.person)
        || (ctx.has(Role::Mentor)
            && super::mentoring::content_pairings(db, institution, ctx, today(now))
                .await?
                .iter()
                .any(|p| p.starter == found.starter));
    if !allowed {
        access::record_denial(db, now, Some(ctx), "conversations.action").await;
        return Err(ServiceError::NotFound);
    }
    let mut tx = db.begin_write().await?;
    store::set_action_done(&mut tx, action, done, ctx.person, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(found.starter),
        AuditAction::ActionUpdated,
        json!({ "action": action, "done": done }),
    )
    .await?;
    tx.commit().await?;
    Ok(found.starter)
}
