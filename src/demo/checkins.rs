//! Demo check-ins: for every current starter a history every two weeks
//! since their start (at most a school year back), in one of three
//! patterns — stable, declining, recovering — with a few comments, some
//! missed check-ins, and a few open requests to talk.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use super::pick;
use crate::domain::checkin::{CheckInInput, Score, Scores, TalkTo};
use crate::domain::{InstitutionId, PersonId, Role};
use crate::store::{Db, StoreError, checkins, memberships, mentoring, trajectories};

pub(super) const COMMENTS: &[&str] = &[
    "Drukke week met toetsen.",
    "Fijne les gehad met klas 2B!",
    "Ik merk dat ik weinig tijd heb voor voorbereiding.",
    "Goed gesprek met mijn mentor gehad.",
];

fn score(value: i32) -> Score {
    Score::try_from(value.clamp(1, 5) as u8).expect("clamped to 1–5")
}

/// One check-in's scores for pattern `pattern` at step `i` of `n`.
fn scores(pattern: u64, i: usize, n: usize, seed: u64) -> Scores {
    let jitter = |k: u64| (pick(seed * 7 + i as u64 * 13 + k, 3) as i32) - 1; // −1, 0, +1
    let progress = if n <= 1 { 0.0 } else { i as f32 / (n - 1) as f32 };
    let base = match pattern {
        // Declining: from 4 to 2 over the period.
        1 => 4.0 - 2.2 * progress,
        // Recovering: a dip in the middle, then back up.
        2 => 4.0 - 2.0 * (1.0 - (2.0 * progress - 1.0).abs()),
        // Stable around 4.
        _ => 4.0,
    };
    let level = base.round() as i32;
    Scores {
        wellbeing: score(level + jitter(1).min(0)),
        workload: score(6 - level + jitter(2).max(0)),
        support: score(level + jitter(3)),
        confidence: score(level + jitter(4)),
        intention_to_stay: score(level + jitter(5).min(0)),
    }
}

pub(super) async fn load(db: &Db, now: DateTime<Utc>, institution: InstitutionId, seed: u64) -> Result<(), StoreError> {
    let today = crate::domain::time::today(now);
    let employments = trajectories::employments(db, institution).await?;
    // Only when there are no check-ins yet.
    for e in employments.iter().take(3) {
        if checkins::last_checkin(db, institution, e.person).await?.is_some() {
            return Ok(());
        }
    }
    let pairings = mentoring::pairings(db, institution).await?;
    let coordinator: Option<PersonId> = memberships::active_in_institution(db, institution)
        .await?
        .into_iter()
        .filter(|m| m.role == Role::Coordinator)
        .map(|m| m.person)
        .min();
    let mut tx = db.begin_write().await?;
    for (n, employment) in employments.iter().enumerate() {
        if employment.ending.is_some() {
            continue;
        }
        let n = n as u64 + seed;
        let from = employment
            .start
            .max(today.checked_sub_days(Days::new(300)).unwrap_or(today));
        let days: Vec<NaiveDate> = (0..)
            .map(|k: u64| from.checked_add_days(Days::new(3 + k * 14)).unwrap_or(from))
            .take_while(|d| *d <= today)
            .filter(|d| pick(n * 89 + d.num_days_from_ce() as u64, 6) > 0) // one in six skipped
            .collect();
        let pattern = pick(n * 97, 4).min(2); // stable twice as often
        let count = days.len();
        let mut last = None;
        for (i, on) in days.into_iter().enumerate() {
            let input = CheckInInput {
                scores: scores(pattern, i, count, n),
                comment: (pick(n * 101 + i as u64, 5) == 0)
                    .then(|| COMMENTS[pick(n + i as u64, COMMENTS.len() as u64) as usize].to_owned()),
                talk_to: None,
            };
            let at = on.and_hms_opt(12, 0, 0).map_or(now, |t| t.and_utc());
            last = Some((
                checkins::create(&mut tx, institution, employment.person, on, &input, at).await?,
                at,
            ));
        }
        // A few declining starters asked to talk and are waiting.
        if let (1, Some((checkin, at))) = (pattern, last)
            && pick(n * 103, 2) == 0
        {
            let mentor = pairings
                .iter()
                .find(|p| p.starter == employment.person && p.is_open())
                .map(|p| (p.mentor, TalkTo::Mentor));
            if let Some((to, role)) = mentor.or(coordinator.map(|c| (c, TalkTo::Coordinator))) {
                checkins::create_request(&mut tx, institution, employment.person, checkin, to, role, at).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}
