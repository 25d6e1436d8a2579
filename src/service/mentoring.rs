//! Mentor profiles, pairing with explained suggestions, and the fit check.
//! Coordinators pair; mentors keep their own profile; starters and mentors
//! answer the fit check. Nothing here reads conversation content.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::{Ctx, ServiceError, access};
use crate::domain::mentoring::{
    CAPACITY_MAX, Candidate, ConversationFacts, ConversationStatus, FitAnswer, GuidanceOverview, HOURS_MAX, MentorLoad,
    MentorProfile, Need, OpenPairing, PROFILE_TEXT_MAX, PairingEndReason, PairingKind, PairingOverview, PairingRefusal,
    PairingView, SuggestionPage, TeamPreference, UnpairedStarter, needs_override_reason, pairing_allowed,
    pairings_to_close, suggest,
};
use crate::domain::notification::NotificationKind;
use crate::domain::time::parse_date;
use crate::domain::time::today;
use crate::domain::trajectory::terms_on;
use crate::domain::{AuditAction, FieldErrors, FieldProblem, InstitutionId, PersonId, PersonRef, Role, Sector, TeamId};
use crate::store::mentoring::{self as store, Pairing, PairingForCreate};
use crate::store::trajectories::{self, Employment};
use crate::store::{Db, memberships, people, teams};

/// Where a starter works today: their latest employment and its terms.
pub(crate) struct Placement {
    pub employment: Employment,
    pub team: Option<TeamId>,
    pub sector: Option<Sector>,
}

pub(crate) async fn placement(
    db: &Db,
    institution: InstitutionId,
    person: PersonId,
    today: NaiveDate,
) -> Result<Option<Placement>, ServiceError> {
    let Some(employment) = trajectories::employments_of(db, institution, person)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let terms: Vec<_> = trajectories::terms_whose(db, institution, trajectories::Whose::Person(person))
        .await?
        .into_iter()
        .filter(|(of, _)| *of == employment.id)
        .map(|(_, terms)| terms)
        .collect();
    let day = employment.ending.as_ref().map_or(today, |e| e.on.min(today));
    let current = terms_on(&terms, day);
    Ok(Some(Placement {
        team: current.and_then(|t| t.team),
        sector: current.map(|t| t.sector),
        employment,
    }))
}

async fn names(db: &Db, institution: InstitutionId) -> Result<HashMap<PersonId, String>, ServiceError> {
    Ok(people::names_in_institution(db, institution)
        .await?
        .into_iter()
        .collect())
}

fn person_ref(names: &HashMap<PersonId, String>, id: PersonId) -> PersonRef {
    PersonRef {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    }
}

/// A pairing for display, with the fit-check answers of both sides.
pub(crate) fn pairing_view(
    pairing: &Pairing,
    names: &HashMap<PersonId, String>,
    fits: &[(i64, PersonId, FitAnswer)],
) -> PairingView {
    let answer_of = |who: PersonId| {
        fits.iter()
            .find(|(p, person, _)| *p == pairing.id && *person == who)
            .map(|f| f.2)
    };
    PairingView {
        id: pairing.id,
        starter: person_ref(names, pairing.starter),
        mentor: person_ref(names, pairing.mentor),
        kind: pairing.kind,
        start: pairing.start,
        end: pairing.end,
        override_reason: pairing.override_reason.clone(),
        starter_fit: answer_of(pairing.starter),
        mentor_fit: answer_of(pairing.mentor),
    }
}

// ------------------------------------------------------------------- profiles

/// A mentor's profile as a form sends it.
#[derive(Debug, Clone, Default)]
pub struct ProfileForm {
    pub capacity: String,
    pub sectors: Vec<String>,
    pub subjects: String,
    pub trained: bool,
    pub trained_on: String,
    pub hours_per_week: String,
    pub availability: String,
}

/// The people who hold the mentor role in the institution now.
async fn mentor_ids(db: &Db, institution: InstitutionId) -> Result<Vec<PersonId>, ServiceError> {
    let mut ids: Vec<PersonId> = memberships::active_with_role(db, institution, Role::Mentor)
        .await?
        .into_iter()
        .map(|m| m.person)
        .collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The coordinator, or the mentor themselves, may see and change a profile.
async fn profile_access(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    mentor: PersonId,
    what: &str,
) -> Result<InstitutionId, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator, Role::Mentor], what).await?;
    if !ctx.has(Role::Coordinator) && ctx.person != mentor {
        access::record_denial(db, now, Some(ctx), what).await;
        return Err(ServiceError::NotFound);
    }
    if !mentor_ids(db, institution).await?.contains(&mentor) {
        return Err(ServiceError::NotFound);
    }
    Ok(institution)
}

/// A mentor's profile (`None` when not filled in yet).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, mentor = mentor.0))]
pub async fn profile(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    mentor: PersonId,
) -> Result<(PersonRef, Option<MentorProfile>), ServiceError> {
    let institution = profile_access(db, now, ctx, mentor, "mentoring.profile").await?;
    let person = people::get_in_institution(db, institution, mentor).await?;
    Ok((
        PersonRef {
            id: mentor,
            name: person.full_name.to_string(),
        },
        store::profile(db, institution, mentor).await?,
    ))
}

fn small_number(errors: &mut FieldErrors, field: &str, raw: &str, max: u8) -> Option<u8> {
    match raw.trim().parse::<u8>() {
        Ok(n) if n <= max => Some(n),
        _ => {
            errors.add(
                field,
                FieldProblem::OutOfRange {
                    min: 0,
                    max: i32::from(max),
                },
            );
            None
        }
    }
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0, mentor = mentor.0))]
pub async fn save_profile(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    mentor: PersonId,
    form: &ProfileForm,
) -> Result<(), ServiceError> {
    let institution = profile_access(db, now, ctx, mentor, "mentoring.save_profile").await?;
    let mut errors = FieldErrors::new();
    let capacity = small_number(&mut errors, "capacity", &form.capacity, CAPACITY_MAX);
    let hours = small_number(&mut errors, "hours_per_week", &form.hours_per_week, HOURS_MAX);
    let mut sectors = Vec::new();
    for code in &form.sectors {
        match Sector::from_code(code) {
            Some(sector) if !sectors.contains(&sector) => sectors.push(sector),
            Some(_) => {}
            None => errors.add("sectors", FieldProblem::UnknownChoice),
        }
    }
    sectors.sort();
    let subjects = crate::domain::text::long_text(&mut errors, "subjects", &form.subjects, PROFILE_TEXT_MAX);
    let availability =
        crate::domain::text::long_text(&mut errors, "availability", &form.availability, PROFILE_TEXT_MAX);
    let trained_on = match form.trained_on.trim() {
        "" => None,
        raw => errors.check("trained_on", parse_date(raw)),
    };
    if trained_on.is_some_and(|d| d > today(now)) {
        errors.add("trained_on", FieldProblem::InFuture);
    }
    let (Some(capacity), Some(hours_per_week)) = (capacity, hours) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let profile = MentorProfile {
        person: mentor,
        capacity,
        sectors,
        subjects,
        trained: form.trained || trained_on.is_some(),
        trained_on,
        hours_per_week,
        availability,
    };
    let mut tx = db.begin_write().await?;
    store::save_profile(&mut tx, institution, &profile, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(mentor),
        AuditAction::MentorProfileUpdated,
        json!({ "capacity": capacity, "trained": profile.trained, "hours_per_week": hours_per_week }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------- pairing

/// Everyone who could mentor, with what the score needs.
async fn candidates(
    db: &Db,
    institution: InstitutionId,
    names: &HashMap<PersonId, String>,
    open_pairings: &[Pairing],
) -> Result<Vec<Candidate>, ServiceError> {
    let mut teams: HashMap<(PersonId, Role), Vec<TeamId>> = HashMap::new();
    let mut mentors: Vec<PersonId> = Vec::new();
    for role in [Role::Mentor, Role::TeamLeader] {
        for m in memberships::active_with_role(db, institution, role).await? {
            if role == Role::Mentor {
                mentors.push(m.person);
            }
            let entry = teams.entry((m.person, role)).or_default();
            entry.extend(m.team);
        }
    }
    mentors.sort();
    mentors.dedup();
    let profiles: HashMap<PersonId, MentorProfile> = store::profiles(db, institution)
        .await?
        .into_iter()
        .map(|p| (p.person, p))
        .collect();
    let mut load: HashMap<PersonId, u32> = HashMap::new();
    for pairing in open_pairings {
        if pairing.kind.is_primary() {
            *load.entry(pairing.mentor).or_default() += 1;
        }
    }
    let teams_as = |person: PersonId, role: Role| teams.get(&(person, role)).cloned().unwrap_or_default();
    Ok(mentors
        .into_iter()
        .map(|id| Candidate {
            mentor: person_ref(names, id),
            profile: profiles.get(&id).cloned(),
            teams: teams_as(id, Role::Mentor),
            leads: teams_as(id, Role::TeamLeader),
            active_mentees: load.get(&id).copied().unwrap_or(0),
        })
        .collect())
}

/// The coordinator's pairing page: who has no mentor, which matches are in
/// doubt, and how loaded each mentor is.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn overview(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<PairingOverview, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "mentoring.overview").await?;
    let today = today(now);
    let names = names(db, institution).await?;
    let pairings = store::open_pairings(db, institution).await?;
    let fits = store::fit_checks(db, institution).await?;
    let team_names: HashMap<TeamId, String> = teams::list(db, institution)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name.to_string()))
        .collect();
    // Who waits: only those rows are read, not every employment.
    let mut unpaired: Vec<UnpairedStarter> = trajectories::waiting_for_mentor(db, institution, today)
        .await?
        .into_iter()
        .map(|w| UnpairedStarter {
            starter: PersonRef {
                id: w.person,
                name: w.name,
            },
            team_name: w.team.and_then(|t| team_names.get(&t).cloned()),
            start: w.start,
            days_without: (today - w.start).num_days().max(0),
        })
        .collect();
    // Newest first: who just started is whom the coordinator pairs now.
    unpaired.sort_by(|a, b| b.start.cmp(&a.start).then_with(|| a.starter.name.cmp(&b.starter.name)));
    let poor_fits = pairings
        .iter()
        .filter(|p| p.is_open())
        .filter(|p| fits.iter().any(|f| f.0 == p.id && f.2 == FitAnswer::Poor))
        .map(|p| pairing_view(p, &names, &fits))
        .collect();
    let mut mentors: Vec<MentorLoad> = candidates(db, institution, &names, &pairings)
        .await?
        .into_iter()
        .map(|c| MentorLoad {
            mentor: c.mentor,
            profile: c.profile,
            active_mentees: c.active_mentees,
        })
        .collect();
    mentors.sort_by(|a, b| {
        crate::domain::search_key(&[&a.mentor.name]).cmp(&crate::domain::search_key(&[&b.mentor.name]))
    });
    Ok(PairingOverview {
        unpaired,
        poor_fits,
        mentors,
        preference: store::team_preference(db, institution).await?,
        checkin_rhythm_days: crate::store::checkins::rhythm_days(db, institution).await?,
    })
}

#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn set_team_preference(db: &Db, now: DateTime<Utc>, ctx: &Ctx, code: &str) -> Result<(), ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Coordinator], "mentoring.preference").await?;
    let preference = TeamPreference::from_code(code)
        .ok_or_else(|| ServiceError::field("preference", FieldProblem::UnknownChoice))?;
    let mut tx = db.begin_write().await?;
    store::set_team_preference(&mut tx, institution, preference).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::MentorPreferenceChanged,
        json!({ "preference": preference.code() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A starter of the institution (coordinator), with where they work.
async fn starter_for_pairing(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    starter: PersonId,
    what: &str,
) -> Result<(InstitutionId, Placement), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], what).await?;
    let placement = placement(db, institution, starter, today(now))
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok((institution, placement))
}

/// Ranked mentors for a starter, each with the reasons of its score.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, starter = starter.0))]
pub async fn suggestions(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    starter: PersonId,
) -> Result<SuggestionPage, ServiceError> {
    let (institution, placement) = starter_for_pairing(db, now, ctx, starter, "mentoring.suggestions").await?;
    let names = names(db, institution).await?;
    let preference = store::team_preference(db, institution).await?;
    let need = Need {
        starter,
        team: placement.team,
        sector: placement.sector,
    };
    let candidates = candidates(db, institution, &names, &store::open_pairings(db, institution).await?).await?;
    let fits = store::fit_checks(db, institution).await?;
    let current = store::pairings_of_starter(db, institution, starter)
        .await?
        .iter()
        .filter(|p| p.is_open())
        .map(|p| pairing_view(p, &names, &fits))
        .collect();
    let team_name = match placement.team {
        Some(team) => Some(teams::get(db, institution, team).await?.name.to_string()),
        None => None,
    };
    Ok(SuggestionPage {
        starter: person_ref(&names, starter),
        team_name,
        sector: placement.sector,
        current,
        suggestions: suggest(&candidates, &need, preference),
        preference,
    })
}

/// Pair a starter with a mentor. Re-pairing in the same kind closes the
/// old pairing the day before the new one starts.
#[expect(
    clippy::too_many_arguments,
    reason = "the pairing form's fields, as the server function receives them"
)]
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, starter = starter.0, mentor = mentor.0))]
pub async fn pair(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    starter: PersonId,
    mentor: PersonId,
    kind: &str,
    start: &str,
    reason: &str,
) -> Result<i64, ServiceError> {
    let (institution, placement) = starter_for_pairing(db, now, ctx, starter, "mentoring.pair").await?;
    let mut errors = FieldErrors::new();
    let kind = PairingKind::from_code(kind.trim());
    if kind.is_none() {
        errors.add("kind", FieldProblem::UnknownChoice);
    }
    let start = match start.trim() {
        "" => Some(today(now)),
        raw => errors.check("start", parse_date(raw)),
    };
    if start.is_some_and(|s| s < placement.employment.start) {
        errors.add("start", FieldProblem::BeforeStart);
    }
    let reason = crate::domain::text::long_text(&mut errors, "reason", reason, PROFILE_TEXT_MAX);
    let names = names(db, institution).await?;
    let candidates = candidates(db, institution, &names, &store::open_pairings(db, institution).await?).await?;
    let Some(candidate) = candidates.iter().find(|c| c.mentor.id == mentor) else {
        return Err(ServiceError::field("mentor", FieldProblem::UnknownReference));
    };
    if mentor == ctx.person {
        // Separation of duties: pairing oneself would open a starter's
        // conversations and check-ins to the person who runs the programme.
        access::record_denial(db, now, Some(ctx), "mentoring.pair.self").await;
        return Err(ServiceError::field("mentor", FieldProblem::OwnPairing));
    }
    let need = Need {
        starter,
        team: placement.team,
        sector: placement.sector,
    };
    match pairing_allowed(mentor, &candidate.leads, &need) {
        Ok(()) => {}
        Err(PairingRefusal::LeadsStartersTeam) => errors.add("mentor", FieldProblem::LeadsStartersTeam),
        Err(PairingRefusal::SamePerson) => errors.add("mentor", FieldProblem::UnknownReference),
    }
    let preference = store::team_preference(db, institution).await?;
    let ranked = suggest(&candidates, &need, preference);
    let score = ranked.iter().find(|s| s.mentor.id == mentor).map(|s| s.score);
    let needs_reason = kind.is_some_and(PairingKind::is_primary) && needs_override_reason(&ranked, mentor);
    if needs_reason && reason.is_empty() && errors.is_empty() {
        errors.add("reason", FieldProblem::Required);
    }
    let (Some(kind), Some(start)) = (kind, start) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let mut tx = db.begin_write().await?;
    let open: Vec<OpenPairing> = store::open_pairings_of_starter_for_update(&mut tx, institution, starter)
        .await?
        .iter()
        .map(|p| OpenPairing {
            id: p.id,
            kind: p.kind,
            mentor: p.mentor,
        })
        .collect();
    let to_close = pairings_to_close(&open, kind, mentor).map_err(|_| ServiceError::AlreadyDone)?;
    if open.iter().any(|p| to_close.contains(&p.id) && p.mentor == ctx.person) {
        return Err(ServiceError::field("mentor", FieldProblem::OwnPairing));
    }
    for id in &to_close {
        let end = start.pred_opt().unwrap_or(start);
        store::end_pairing(&mut tx, *id, end, PairingEndReason::RePaired).await?;
    }
    let id = store::create_pairing(
        &mut tx,
        institution,
        &PairingForCreate {
            starter,
            mentor,
            kind,
            start,
            score,
            override_reason: (!reason.is_empty()).then_some(reason.as_str()),
            created_by: Some(ctx.person),
        },
        now,
    )
    .await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(starter),
        AuditAction::PairingCreated,
        json!({ "pairing": id, "mentor": mentor.0, "kind": kind.code(), "score": score,
                "override": !reason.is_empty(), "closed": to_close }),
    )
    .await?;
    // Both are told, once per pairing: the starter who their mentor is, the
    // mentor who their new starter is.
    let subject = id.to_string();
    let told = [
        (starter, NotificationKind::MentorPaired, mentor),
        (mentor, NotificationKind::MenteePaired, starter),
    ];
    for (person, kind, about) in told {
        super::notifications::notify(
            &mut tx,
            now,
            person,
            institution,
            kind,
            Some(about),
            Some(start),
            &subject,
        )
        .await?;
    }
    tx.commit().await?;
    super::signals::refresh(db, now, institution, starter).await;
    Ok(id)
}

/// End a pairing (coordinator), with a reason.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn end_pairing(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    pairing: i64,
    reason: &str,
    on: &str,
) -> Result<PersonId, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "mentoring.end").await?;
    let found = store::pairing(db, institution, pairing).await?;
    if !found.is_open() {
        return Err(ServiceError::AlreadyDone);
    }
    if found.mentor == ctx.person {
        access::record_denial(db, now, Some(ctx), "mentoring.end.self").await;
        return Err(ServiceError::field("reason", FieldProblem::OwnPairing));
    }
    let mut errors = FieldErrors::new();
    let reason = PairingEndReason::from_code(reason.trim());
    if reason.is_none() {
        errors.add("reason", FieldProblem::UnknownChoice);
    }
    let on = match on.trim() {
        "" => Some(today(now)),
        raw => errors.check("on", parse_date(raw)),
    };
    if on.is_some_and(|d| d < found.start) {
        errors.add("on", FieldProblem::BeforeStart);
    }
    let (Some(reason), Some(on)) = (reason, on) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let mut tx = db.begin_write().await?;
    store::end_pairing(&mut tx, pairing, on, reason).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(found.starter),
        AuditAction::PairingEnded,
        json!({ "pairing": pairing, "reason": reason.code() }),
    )
    .await?;
    tx.commit().await?;
    super::signals::refresh(db, now, institution, found.starter).await;
    Ok(found.starter)
}

/// The pairings through which the caller, as mentor, may see a starter's
/// content today: open, already started, and not with a starter of a team
/// the caller leads now (coaching and assessment stay apart). Checked on
/// every read, so moving the starter into the mentor's team, or making the
/// mentor that team's leader, ends the access at once; the pairing itself
/// stays for the coordinator to resolve.
pub(crate) async fn content_pairings(
    db: &Db,
    institution: InstitutionId,
    ctx: &Ctx,
    today: NaiveDate,
) -> Result<Vec<Pairing>, ServiceError> {
    let led = ctx.teams_as(Role::TeamLeader);
    let mut allowed = Vec::new();
    for pairing in store::open_pairings_of_mentor(db, institution, ctx.person).await? {
        if pairing.start > today {
            continue;
        }
        if !led.is_empty() {
            let team = placement(db, institution, pairing.starter, today)
                .await?
                .and_then(|p| p.team);
            if team.is_some_and(|t| led.contains(&t)) {
                continue;
            }
        }
        allowed.push(pairing);
    }
    Ok(allowed)
}

/// The starter or the mentor of a pairing answers the fit check.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn answer_fit(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    pairing: i64,
    answer: &str,
) -> Result<(), ServiceError> {
    let institution =
        access::require_in_institution(db, now, ctx, &[Role::Starter, Role::Mentor], "mentoring.fit").await?;
    let found = store::pairing(db, institution, pairing).await?;
    if found.starter != ctx.person && found.mentor != ctx.person {
        access::record_denial(db, now, Some(ctx), "mentoring.fit").await;
        return Err(ServiceError::NotFound);
    }
    let answer = FitAnswer::from_code(answer.trim())
        .ok_or_else(|| ServiceError::field("answer", FieldProblem::UnknownChoice))?;
    let mut tx = db.begin_write().await?;
    store::answer_fit(&mut tx, pairing, ctx.person, answer, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(found.starter),
        AuditAction::FitCheckAnswered,
        json!({ "pairing": pairing, "answer": answer.code() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `person` still owes the fit check of `pairing`: it is open, its
/// first conversation was held, and they have not answered.
pub(crate) fn fit_question_open(
    pairing: &Pairing,
    person: PersonId,
    held_in_pairing: bool,
    fits: &[(i64, PersonId, FitAnswer)],
) -> bool {
    pairing.is_open() && held_in_pairing && !fits.iter().any(|f| f.0 == pairing.id && f.1 == person)
}

/// The content-free guidance overview of one starter, for the starter's
/// page (every role that may see the starter).
pub(crate) async fn guidance_overview(
    db: &Db,
    institution: InstitutionId,
    starter: PersonId,
    can_pair: bool,
) -> Result<GuidanceOverview, ServiceError> {
    let names = names(db, institution).await?;
    let fits = store::fit_checks(db, institution).await?;
    let pairings = store::pairings_of_starter(db, institution, starter).await?;
    let facts = store::conversation_facts_of(db, institution, starter).await?;
    let count = |status: ConversationStatus| facts.iter().filter(|c| c.status == status).count() as u32;
    Ok(GuidanceOverview {
        pairings: pairings.iter().rev().map(|p| pairing_view(p, &names, &fits)).collect(),
        held: count(ConversationStatus::Held),
        planned: count(ConversationStatus::Planned),
        concerns: facts.iter().filter(|c| c.concern.is_some()).count() as u32,
        conversations: facts
            .iter()
            .rev()
            .map(|c| ConversationFacts {
                id: c.id,
                status: c.status,
                on: c.on,
                duration_minutes: c.duration_minutes,
                kind: c.kind,
                concern: c.concern,
                confirmed: c.confirmed,
                mentor_name: names.get(&c.mentor).cloned().unwrap_or_default(),
            })
            .collect(),
        can_pair,
    })
}

#[cfg(test)]
mod tests;
