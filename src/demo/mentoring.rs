//! Demo guidance: mentor profiles, pairings with history (re-pairings,
//! endings), conversations spread over every cohort with actions, concern
//! flags, confirmations and fit checks. Some starters have long gaps, a few
//! have no mentor yet, one match is "not a good fit". Deterministic, and
//! only when the institution has no pairings yet.

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::{DemoInstitution, pick};
use crate::domain::mentoring::{
    ActionOwner, Concern, ConversationInput, ConversationKind, ConversationStatus, FitAnswer, MentorProfile, NewAction,
    PairingEndReason, PairingKind, Topic,
};
use crate::domain::{Email, InstitutionId, PersonId, Role};
use crate::store::mentoring::{self as store, PairingForCreate, Participants};
use crate::store::trajectories;
use crate::store::{Db, StoreError, people};

pub(super) const SUMMARIES: &[&str] = &[
    "We hebben de eerste weken doorgenomen. Het rooster valt zwaar; we kijken samen naar de voorbereiding.",
    "Lesbezoek bij de tweedejaars: duidelijke instructie, de overgang naar zelfstandig werken kan strakker.",
    "Gesproken over orde in de klas na de pauze. Afgesproken om met vaste startopdrachten te werken.",
    "Intervisie over een lastige student. Starter heeft zelf een aanpak bedacht en gaat die uitproberen.",
    "Terugblik op het eerste halfjaar: groei in didactiek, werkdruk blijft een aandachtspunt.",
    "Voorbereiding op het PDG-assessment besproken; portfolio is bijna compleet.",
    "Rustig gesprek; het gaat goed. Volgende keer een lesbezoek bij de praktijkles.",
    "Starter voelt zich nog niet thuis in het team. Samen gekeken wie een maatje kan zijn.",
];

pub(super) const NOTES: &[&str] = &[
    "Let op: maakt zich zorgen over verlenging contract.",
    "Lijkt moe; volgende keer vragen naar thuissituatie.",
    "Zelf nog navragen bij rooster of het lesblok kan schuiven.",
];

const ACTIONS: &[(&str, ActionOwner)] = &[
    ("Lesvoorbereiding van volgende week delen", ActionOwner::Starter),
    ("Rooster bespreken met de teamleider", ActionOwner::Mentor),
    ("Startopdrachten uitproberen in klas 2B", ActionOwner::Starter),
    ("Materiaal over activerende didactiek sturen", ActionOwner::Mentor),
    ("Portfolio-onderdeel afronden", ActionOwner::Starter),
];

const REFLECTIONS: &[&str] = &[
    "Fijn gesprek, ik ga de startopdrachten meteen proberen.",
    "Goed om te horen dat het normaal is dat het eerste jaar zwaar is.",
];

fn days(date: NaiveDate, n: u64) -> NaiveDate {
    date.checked_add_days(Days::new(n)).unwrap_or(date)
}

/// Give the institution's mentors a profile, pair its starters and log
/// their conversations.
pub(super) async fn load(
    db: &Db,
    now: DateTime<Utc>,
    institution: InstitutionId,
    demo: &DemoInstitution,
    seed: u64,
) -> Result<(), StoreError> {
    if !store::pairings(db, institution).await?.is_empty() {
        return Ok(());
    }
    let today = crate::domain::time::today(now);
    let mut mentors: Vec<(PersonId, usize)> = Vec::new();
    let mut tx = db.begin_write().await?;
    for (n, (_, local, role, team)) in demo.people.iter().enumerate() {
        if *role != Role::Mentor {
            continue;
        }
        let email = Email::parse(&format!("{local}@{}", demo.domain)).expect("demo e-mail");
        let Some(person) = people::find_by_email(db, &email).await? else {
            continue;
        };
        let team = team.unwrap_or(0);
        let n = n as u64;
        let profile = MentorProfile {
            person: person.id,
            capacity: 8 + pick(seed + n * 3, 4) as u8,
            sectors: vec![demo.teams[team].1],
            subjects: demo.teams[team].0.to_owned(),
            trained: pick(seed + n * 5, 4) > 0,
            trained_on: None,
            hours_per_week: 1 + pick(seed + n * 7, 4) as u8,
            availability: ["Maandag en woensdag", "Dinsdagmiddag", "Flexibel, liefst na 15.00 uur"]
                [pick(seed + n, 3) as usize]
                .to_owned(),
        };
        store::save_profile(&mut tx, institution, &profile, now).await?;
        mentors.push((person.id, team));
    }
    let logins = mentors.len();
    // The generated mentors (no login), with a profile of their own.
    let existing_teams = crate::store::teams::list(db, institution).await?;
    let team_ids: Vec<crate::domain::TeamId> = demo
        .teams
        .iter()
        .filter_map(|(name, _)| existing_teams.iter().find(|t| t.name.as_str() == *name).map(|t| t.id))
        .collect();
    for (n, m) in crate::store::memberships::active_in_institution(db, institution)
        .await?
        .iter()
        .enumerate()
    {
        if m.role != Role::Mentor || mentors.iter().any(|(p, _)| *p == m.person) {
            continue;
        }
        let team = m
            .team
            .and_then(|t| team_ids.iter().position(|id| *id == t))
            .unwrap_or(0);
        let n = n as u64 + 100;
        let profile = MentorProfile {
            person: m.person,
            capacity: 6 + pick(seed + n * 3, 6) as u8,
            sectors: vec![demo.teams[team].1],
            subjects: demo.teams[team].0.to_owned(),
            trained: pick(seed + n * 5, 3) > 0,
            trained_on: None,
            hours_per_week: 1 + pick(seed + n * 7, 4) as u8,
            availability: String::new(),
        };
        store::save_profile(&mut tx, institution, &profile, now).await?;
        mentors.push((m.person, team));
    }
    tx.commit().await?;
    if mentors.is_empty() {
        return Ok(());
    }
    let login_starters: Vec<PersonId> = {
        let mut found = Vec::new();
        for (_, local, role, _) in demo.people {
            if *role == Role::Starter {
                let email = Email::parse(&format!("{local}@{}", demo.domain)).expect("demo e-mail");
                if let Some(person) = people::find_by_email(db, &email).await? {
                    found.push(person.id);
                }
            }
        }
        found
    };

    // Demo-login starters: all paired except the first (left for trying
    // the pairing page).
    let unpaired_login = demo
        .people
        .iter()
        .find(|p| p.2 == Role::Starter)
        .map(|p| format!("{}@{}", p.1, demo.domain));
    let unpaired_login = match unpaired_login {
        Some(email) => people::find_by_email(db, &Email::parse(&email).expect("demo e-mail"))
            .await?
            .map(|p| p.id),
        None => None,
    };
    let terms = trajectories::all_terms(db, institution).await?;
    let trajectories_list = trajectories::trajectories(db, institution).await?;
    let mut tx = db.begin_write().await?;
    for (n, employment) in trajectories::employments(db, institution).await?.iter().enumerate() {
        let n = n as u64 + seed;
        let current = employment.ending.is_none();
        // A few recent starters are still waiting for a mentor.
        let recent = (today - employment.start).num_days() < 120;
        if Some(employment.person) == unpaired_login || (current && recent && pick(n * 53, 4) == 0) {
            continue;
        }
        let until = employment.ending.as_ref().map_or(today, |e| e.on.min(today));
        let completed = trajectories_list
            .iter()
            .find(|t| t.employment == employment.id)
            .and_then(|t| t.completed_on);
        let until = completed.map_or(until, |c| c.min(until));
        let team = terms
            .iter()
            .filter(|(e, _)| *e == employment.id)
            .map(|(_, t)| t.team)
            .next()
            .flatten();
        // Mostly a mentor of the starter's own team, else any (by seed);
        // starters with a demo login get a mentor with one too.
        let candidates = if login_starters.contains(&employment.person) {
            &mentors[..logins.max(1).min(mentors.len())]
        } else {
            &mentors[..]
        };
        let same_team: Vec<PersonId> = candidates
            .iter()
            .filter(|(_, t)| team.is_some() && team_ids.get(*t).copied() == team)
            .map(|(p, _)| *p)
            .collect();
        let first_mentor = if !same_team.is_empty() && pick(n * 57, 4) > 0 {
            same_team[pick(n * 59, same_team.len() as u64) as usize]
        } else {
            candidates[pick(n * 59, candidates.len() as u64) as usize].0
        };
        let start = days(employment.start, 3 + pick(n * 61, 25));
        if start >= until {
            continue;
        }
        // One in six changes mentor half-way.
        // (mentor, from, and when and why it ended)
        type Period = (PersonId, NaiveDate, Option<(NaiveDate, PairingEndReason)>);
        let mut periods: Vec<Period> = Vec::new();
        let total = (until - start).num_days().max(1) as u64;
        if pick(n * 67, 6) == 0 && total > 120 && mentors.len() > 1 {
            let switch = days(start, total / 2);
            let reason = if pick(n * 71, 2) == 0 {
                PairingEndReason::NotAGoodFit
            } else {
                PairingEndReason::MentorUnavailable
            };
            let second = mentors
                .iter()
                .map(|m| m.0)
                .find(|m| *m != first_mentor)
                .unwrap_or(first_mentor);
            periods.push((first_mentor, start, Some((switch, reason))));
            periods.push((second, days(switch, 1), None));
        } else {
            periods.push((first_mentor, start, None));
        }
        let last = periods.len() - 1;
        let final_end = match (&employment.ending, completed) {
            (Some(ending), _) if ending.on <= today => Some((ending.on, PairingEndReason::StarterLeft)),
            (_, Some(done)) => Some((done, PairingEndReason::Completed)),
            _ => None,
        };
        let long_gap = current && pick(n * 73, 5) == 0;
        for (index, (mentor, from, end)) in periods.into_iter().enumerate() {
            let end = if index == last { final_end } else { end };
            let id = store::create_pairing(
                &mut tx,
                institution,
                &PairingForCreate {
                    starter: employment.person,
                    mentor,
                    kind: PairingKind::WorkplaceMentor,
                    start: from,
                    score: None,
                    override_reason: None,
                    created_by: None,
                },
                now,
            )
            .await?;
            let to = end.map_or(until, |(on, _)| on);
            conversations(
                &mut tx,
                now,
                institution,
                (id, employment.person, mentor),
                (from, to, today),
                n + index as u64 * 1000,
                long_gap && index == last,
                end.is_none(),
            )
            .await?;
            let answer = match pick(n * 79 + index as u64, 12) {
                0 => FitAnswer::Poor,
                1 | 2 => FitAnswer::Unsure,
                _ => FitAnswer::Good,
            };
            if to > days(from, 30) {
                store::answer_fit(&mut tx, id, employment.person, answer, now).await?;
                store::answer_fit(&mut tx, id, mentor, FitAnswer::Good, now).await?;
            }
            if let Some((on, reason)) = end {
                store::end_pairing(&mut tx, id, on, reason).await?;
            }
        }
    }
    tx.commit().await?;
    // Most past actions are done.
    let mut tx = db.begin_write().await?;
    let starters: Vec<PersonId> = trajectories::employments(db, institution)
        .await?
        .iter()
        .map(|e| e.person)
        .collect();
    for starter in starters {
        for action in store::actions_of_starter(db, institution, starter).await? {
            let overdue = action.due_on.is_some_and(|d| d < today);
            if overdue && pick(seed + action.id as u64 * 83, 5) > 0 {
                store::set_action_done(&mut tx, action.id, true, starter, now).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Conversations of one pairing from `from` to `to`: an intake, then every
/// three to six weeks (none in the last months for a "long gap"), with
/// topics, summaries, sometimes a private note, actions and a concern; a
/// planned next talk for a running pairing.
#[allow(clippy::too_many_arguments)]
async fn conversations(
    tx: &mut crate::store::Tx,
    now: DateTime<Utc>,
    institution: InstitutionId,
    (pairing, starter, mentor): (i64, PersonId, PersonId),
    (from, to, today): (NaiveDate, NaiveDate, NaiveDate),
    seed: u64,
    long_gap: bool,
    running: bool,
) -> Result<(), StoreError> {
    let who = Participants {
        institution,
        pairing,
        starter,
        mentor,
    };
    let stop = if long_gap {
        to.checked_sub_days(Days::new(60 + pick(seed, 40))).unwrap_or(from)
    } else {
        to
    };
    let mut on = days(from, pick(seed * 3, 7));
    let mut k = 0u64;
    while on <= stop && on <= today {
        let s = seed * 31 + k;
        let kind = if k == 0 {
            ConversationKind::Intake
        } else {
            [
                ConversationKind::Guidance,
                ConversationKind::Guidance,
                ConversationKind::LessonObservation,
                ConversationKind::PeerConsultation,
                ConversationKind::Guidance,
                ConversationKind::Evaluation,
            ][pick(s, 6) as usize]
        };
        let topics: Vec<Topic> = {
            let mut t: Vec<Topic> = (0..1 + pick(s * 7, 3))
                .map(|i| Topic::ALL[pick(s * 11 + i, Topic::ALL.len() as u64) as usize])
                .collect();
            t.sort();
            t.dedup();
            t
        };
        let actions = if pick(s * 13, 2) == 0 {
            let (text, owner) = ACTIONS[pick(s * 17, ACTIONS.len() as u64) as usize];
            vec![NewAction {
                description: text.to_owned(),
                owner,
                due_on: Some(days(on, 14)),
            }]
        } else {
            Vec::new()
        };
        let input = ConversationInput {
            status: ConversationStatus::Held,
            on,
            duration_minutes: [45, 60, 60, 30, 90][pick(s * 19, 5) as usize],
            kind,
            topics,
            tags: if pick(s * 23, 6) == 0 {
                vec!["stage".to_owned()]
            } else {
                Vec::new()
            },
            summary: SUMMARIES[pick(s * 29, SUMMARIES.len() as u64) as usize].to_owned(),
            note: if pick(s * 37, 5) == 0 {
                NOTES[pick(s * 41, NOTES.len() as u64) as usize].to_owned()
            } else {
                String::new()
            },
            concern: match pick(s * 43, 14) {
                0 => Some(Concern::Serious),
                1 | 2 => Some(Concern::Minor),
                _ => None,
            },
            actions,
        };
        let id = store::create_conversation(tx, &who, &input, now).await?;
        if pick(s * 47, 10) < 7 {
            let reflection = (pick(s * 53, 4) == 0).then(|| REFLECTIONS[pick(s, REFLECTIONS.len() as u64) as usize]);
            store::confirm(tx, id, reflection, now).await?;
        }
        k += 1;
        on = days(on, 21 + pick(s * 59, 22));
    }
    if running && !long_gap && pick(seed * 61, 2) == 0 {
        let input = ConversationInput {
            status: ConversationStatus::Planned,
            on: days(today, 1 + pick(seed * 67, 13)),
            duration_minutes: 60,
            kind: ConversationKind::Guidance,
            topics: Vec::new(),
            tags: Vec::new(),
            summary: String::new(),
            note: String::new(),
            concern: None,
            actions: Vec::new(),
        };
        store::create_conversation(tx, &who, &input, now).await?;
    }
    Ok(())
}
