//! Dropout signals in use: evaluating an institution's starters with its
//! own settings and holidays, opening and re-opening alerts, the daily run,
//! the watch list and what a person does with an alert.
//!
//! Evaluation is cheap (a handful of queries and pure rules), so lists
//! evaluate on read and are never stale; alerts are stored because people
//! act on them. Alerts are synced after every change to a starter's facts
//! ([`refresh`]) and once a day for the clock-driven rules ([`daily`]).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde_json::json;

use super::{Ctx, ServiceError, access, notifications};
use crate::domain::alerts::{
    AlertAction, AlertCommand, AlertState, AlertStep, AlertView, LatestAlert, NOTE_MAX_CHARS, Overview, RulesInfo,
    SettingsPage, WatchList, WatchRow, WatchShow, alert_stats, alerting, next_step, persistence_day,
};
use crate::domain::notification::NotificationKind;
use crate::domain::risk::{self, Calibration, judge};
use crate::domain::signals::{RuleId, SETTING_FIELDS, Settings, Severity, Signal, Span, evaluate};
use crate::domain::time::today;
use crate::domain::{AuditAction, FieldErrors, FieldProblem, InstitutionId, PersonId, PersonRef, Role, TeamId};
use crate::store::evaluations::{self, Evaluation, Listed};
use crate::store::signals::{self as store, AlertRow, StarterRecord};
use crate::store::{Db, institutions, memberships, teams};

/// How far ahead an alert may be snoozed.
pub const SNOOZE_MAX_DAYS: u64 = 90;

/// A starter's record with today's signals.
#[derive(Debug, Clone)]
pub struct Evaluated {
    pub record: StarterRecord,
    pub signals: Vec<Signal>,
}

/// The institution's settings and holiday periods.
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn rules_of(db: &Db, institution: InstitutionId) -> Result<(Settings, Vec<Span>), ServiceError> {
    let settings = store::settings(db, institution).await?;
    let holidays = store::holidays(db, institution)
        .await?
        .into_iter()
        .map(|h| h.span)
        .collect();
    Ok((settings, holidays))
}

/// In their induction on `on` as every list counts it: started, not
/// completed, and not leaving on or before that day (a starter whose last
/// day is today is off the lists, as the queries of `Starters` have it).
fn in_induction(record: &StarterRecord, on: NaiveDate) -> bool {
    record.facts.in_induction(on) && record.facts.end.is_none_or(|end| end > on)
}

/// Every starter in their induction on `on` with their signals that day.
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn evaluate_institution(
    db: &Db,
    institution: InstitutionId,
    only: Option<PersonId>,
    on: NaiveDate,
) -> Result<Vec<Evaluated>, ServiceError> {
    evaluate_starters(
        db,
        institution,
        only.map_or(store::Starters::InInduction(on), store::Starters::One),
        on,
    )
    .await
}

/// The `which` starters in their induction on `on` with their signals that day.
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn evaluate_starters(
    db: &Db,
    institution: InstitutionId,
    which: store::Starters,
    on: NaiveDate,
) -> Result<Vec<Evaluated>, ServiceError> {
    let (settings, holidays) = rules_of(db, institution).await?;
    let records = store::starter_records_of(db, institution, which, &holidays).await?;
    Ok(evaluate_records(records, &settings, on))
}

/// The pure part of [`evaluate_institution`] (benchmarked on its own).
pub fn evaluate_records(records: Vec<StarterRecord>, settings: &Settings, on: NaiveDate) -> Vec<Evaluated> {
    records
        .into_iter()
        .filter(|r| in_induction(r, on))
        .map(|record| {
            let signals = evaluate(&record.facts, settings, on);
            Evaluated { record, signals }
        })
        .collect()
}

/// A starter's evaluation on `on` as it is stored: judged by the fixed
/// rules, or by the calibrated risk when the institution adopted one.
pub fn evaluation_of(
    record: &StarterRecord,
    signals: Vec<Signal>,
    on: NaiveDate,
    calibration: Option<&Calibration>,
) -> Evaluation {
    let judged = judge(&record.facts, &signals, on, calibration);
    Evaluation {
        employment: record.employment,
        person: record.person,
        team: record.team.as_ref().map(|(t, _)| *t),
        level: judged.level,
        score: judged.score,
        signals,
        risk: judged.risk,
        reasons: judged.reasons,
        last_held: record.last_held,
        evaluated_on: on,
    }
}

/// What one sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub evaluated: usize,
    pub opened: usize,
    pub reopened: usize,
    pub expired: usize,
    /// Alerts closed because the starter left or completed the induction.
    pub closed: usize,
    /// Stored evaluations written or removed because they changed.
    pub rewritten: usize,
}

/// The latest alert per employment.
fn latest_alerts(alerts: Vec<AlertRow>) -> HashMap<i64, AlertRow> {
    let mut latest = HashMap::new();
    for alert in alerts {
        latest.insert(alert.employment, alert);
    }
    latest
}

/// Evaluate the institution's starters (or one of them) on the day of `now`
/// and open, re-open or expire their alerts. Running it twice changes
/// nothing the second time.
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn sync(
    db: &Db,
    now: DateTime<Utc>,
    institution: InstitutionId,
    only: Option<PersonId>,
) -> Result<SyncReport, ServiceError> {
    evaluate_and_store(db, now, institution, only, true).await
}

/// Evaluate the institution's starters (or one of them) and store what
/// changed; with `alerts`, also open, re-open, expire and close alerts.
async fn evaluate_and_store(
    db: &Db,
    now: DateTime<Utc>,
    institution: InstitutionId,
    only: Option<PersonId>,
    alerts: bool,
) -> Result<SyncReport, ServiceError> {
    let on = today(now);
    let (settings, holidays) = rules_of(db, institution).await?;
    let calibration = crate::store::risk::calibration(db, institution).await?;
    let which = only.map_or(store::Starters::InInduction(on), store::Starters::One);
    let records = store::starter_records_of(db, institution, which, &holidays).await?;
    // Leaving or completing the induction closes what is still open.
    let closing = match alerts {
        true => store::alerts_to_close(db, institution, only, on).await?,
        false => Vec::new(),
    };
    let latest = latest_alerts(match (alerts, only) {
        (false, _) => Vec::new(),
        (true, Some(starter)) => store::alerts_of_starter(db, institution, starter).await?,
        (true, None) => store::alerts(db, institution).await?,
    });
    let mut report = SyncReport::default();
    let mut steps = Vec::new();
    let mut fresh: Vec<Evaluation> = Vec::new();
    let earlier = persistence_day(on);
    for record in records.into_iter().filter(|r| in_induction(r, on)) {
        report.evaluated += 1;
        let signals = evaluate(&record.facts, &settings, on);
        let evaluation = evaluation_of(&record, signals.clone(), on, calibration.as_ref());
        let level_today = evaluation.level;
        fresh.push(evaluation);
        if !alerts {
            continue;
        }
        let fortnight_ago = evaluate(&record.facts, &settings, earlier);
        let due = match &calibration {
            None => alerting(&signals, &fortnight_ago),
            Some(calibration) => risk::alerting_calibrated(
                calibration,
                (&signals, risk::features(&record.facts, &signals, on)),
                risk::features(&record.facts, &fortnight_ago, earlier),
            ),
        };
        let alert = latest.get(&record.employment);
        let memory = alert.map(|a| LatestAlert {
            state: a.state,
            rules: a.rules.clone(),
            snoozed_until: a.snoozed_until,
            resolved_on: a.resolved_at.map(today),
        });
        let step = next_step(memory.as_ref(), &due, on);
        if step != AlertStep::Nothing {
            steps.push((record, alert.map(|a| a.id), step, level_today));
        }
    }
    // The stored evaluations that differ from today's, and those of
    // starters no longer in their induction.
    let stored: HashMap<i64, Evaluation> = evaluations::stored(db, institution, only)
        .await?
        .into_iter()
        .map(|e| (e.employment, e))
        .collect();
    let changed: Vec<&Evaluation> = fresh
        .iter()
        .filter(|f| stored.get(&f.employment).is_none_or(|s| !s.same_as(f)))
        .collect();
    let evaluated: HashSet<i64> = fresh.iter().map(|f| f.employment).collect();
    let gone: Vec<i64> = stored.keys().filter(|e| !evaluated.contains(*e)).copied().collect();
    if steps.is_empty() && closing.is_empty() && changed.is_empty() && gone.is_empty() {
        return Ok(report);
    }
    let leaders: Vec<(TeamId, PersonId)> = if steps.is_empty() {
        Vec::new()
    } else {
        memberships::active_in_institution(db, institution)
            .await?
            .into_iter()
            .filter(|m| m.role == Role::TeamLeader)
            .filter_map(|m| m.team.map(|t| (t, m.person)))
            .collect()
    };
    let mut tx = db.begin_write().await?;
    evaluations::put(&mut tx, institution, &changed, now).await?;
    evaluations::remove(&mut tx, &gone).await?;
    report.rewritten += changed.len() + gone.len();
    for (id, action) in closing {
        store::change_alert(&mut tx, id, action, None, None, None, now).await?;
        report.closed += 1;
    }
    // Whoever is told of a new alert hears once a day, however many open.
    let mut told: Vec<PersonId> = Vec::new();
    for (record, alert, step, level_today) in steps {
        match step {
            AlertStep::Nothing => {}
            AlertStep::Open(signals) => {
                // By the rules: the highest alerting signal; by the
                // calibrated risk: the starter's level.
                let level = match &calibration {
                    None => crate::domain::signals::level(&signals),
                    Some(_) => level_today,
                };
                let Some(level) = level else { continue };
                let rules: Vec<_> = signals.iter().map(|s| s.rule).collect();
                let evidence = serde_json::to_string(&signals).unwrap_or_default();
                let opened = store::open_alert(
                    &mut tx,
                    institution,
                    record.employment,
                    record.person,
                    level,
                    &rules,
                    &evidence,
                    on,
                    now,
                )
                .await?;
                if opened.is_some() {
                    report.opened += 1;
                    let team = record.team.as_ref().map(|(t, _)| *t);
                    let mut recipients: Vec<PersonId> = leaders
                        .iter()
                        .filter(|(t, _)| Some(*t) == team)
                        .map(|(_, p)| *p)
                        .chain(record.mentors.iter().copied())
                        .collect();
                    recipients.sort();
                    recipients.dedup();
                    for person in recipients {
                        if told.contains(&person) {
                            continue;
                        }
                        told.push(person);
                        notifications::notify(
                            &mut tx,
                            now,
                            person,
                            institution,
                            NotificationKind::SignalAlert,
                            None,
                            Some(on),
                            &format!("alerts:{on}"),
                        )
                        .await?;
                    }
                }
            }
            AlertStep::Reopen => {
                if let Some(id) = alert {
                    store::change_alert(&mut tx, id, AlertAction::Reopened, None, None, None, now).await?;
                    report.reopened += 1;
                }
            }
            AlertStep::Expire => {
                if let Some(id) = alert {
                    store::change_alert(&mut tx, id, AlertAction::Resolved, None, None, None, now).await?;
                    report.expired += 1;
                }
            }
        }
    }
    tx.commit().await?;
    Ok(report)
}

/// Re-evaluate one starter after a change to their facts. A failure is
/// logged and left to the daily run: it never undoes the change itself.
#[tracing::instrument(skip_all, fields(institution = institution.0, starter = starter.0))]
pub async fn refresh(db: &Db, now: DateTime<Utc>, institution: InstitutionId, starter: PersonId) {
    if let Err(err) = sync(db, now, institution, Some(starter)).await {
        tracing::warn!(error = %err, starter = starter.0, "re-evaluating signals failed; the daily run will catch up");
    }
}

/// Store the evaluations of the institution's starters (or one of them)
/// after a change that can alter their signals, without touching alerts
/// (those follow in the daily run). A failure is logged and left to the
/// daily run: it never undoes the change itself.
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn reevaluate(db: &Db, now: DateTime<Utc>, institution: InstitutionId, only: Option<PersonId>) {
    if let Err(err) = evaluate_and_store(db, now, institution, only, false).await {
        tracing::warn!(error = %err, "storing evaluations failed; the daily run will catch up");
    }
}

/// What the daily run did for one institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DailyOutcome {
    Ran(SyncReport),
    /// Another node (or an earlier run) did today's evaluation.
    AlreadyRan,
}

/// The daily evaluation of every institution. Each institution's day is
/// claimed first in the database, so with several app nodes exactly one
/// evaluates it (on PostgreSQL a concurrent claim waits on the key until
/// the first commits and then finds it taken; SQLite serves one node).
/// Two institutions are evaluated at a time: while one waits for its rows
/// the other is evaluated.
#[tracing::instrument(skip_all)]
pub async fn daily(db: &Db, now: DateTime<Utc>) -> Result<Vec<(InstitutionId, DailyOutcome)>, ServiceError> {
    let started = std::time::Instant::now();
    let list = institutions::list(db).await?;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let worker = || async {
        let mut done = Vec::new();
        loop {
            let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(institution) = list.get(at) else {
                return Ok::<_, ServiceError>(done);
            };
            done.push((at, daily_of(db, now, institution.id).await?));
        }
    };
    let (one, two) = tokio::join!(worker(), worker());
    let mut outcomes = one?;
    outcomes.extend(two?);
    outcomes.sort_by_key(|(at, _)| *at);
    let outcomes: Vec<(InstitutionId, DailyOutcome)> = outcomes
        .into_iter()
        .map(|(at, outcome)| (list[at].id, outcome))
        .collect();
    let ran: Vec<&SyncReport> = outcomes
        .iter()
        .filter_map(|(_, outcome)| match outcome {
            DailyOutcome::Ran(report) => Some(report),
            DailyOutcome::AlreadyRan => None,
        })
        .collect();
    if !ran.is_empty() {
        tracing::info!(
            institutions = ran.len(),
            evaluated = ran.iter().map(|r| r.evaluated).sum::<usize>(),
            opened = ran.iter().map(|r| r.opened).sum::<usize>(),
            rewritten = ran.iter().map(|r| r.rewritten).sum::<usize>(),
            millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "daily evaluation done"
        );
    }
    Ok(outcomes)
}

/// One institution's daily evaluation, unless another node or an earlier
/// run claimed its day.
async fn daily_of(db: &Db, now: DateTime<Utc>, institution: InstitutionId) -> Result<DailyOutcome, ServiceError> {
    let on = today(now);
    let mut tx = db.begin_write().await?;
    let claimed = store::claim_run(&mut tx, institution, on, now).await?;
    tx.commit().await?;
    if !claimed {
        return Ok(DailyOutcome::AlreadyRan);
    }
    let report = sync(db, now, institution, None).await?;
    if on.weekday() == chrono::Weekday::Mon {
        weekly_digest(db, now, institution).await?;
    }
    let mut tx = db.begin_write().await?;
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    store::finish_run(
        &mut tx,
        institution,
        on,
        now,
        count(report.evaluated),
        count(report.opened),
    )
    .await?;
    tx.commit().await?;
    Ok(DailyOutcome::Ran(report))
}

/// Monday's digest: every team leader with a starter in their teams who
/// needs attention now (an alert nobody acknowledged) is pointed to the
/// watch list, whose default view lists exactly those, once per week.
async fn weekly_digest(db: &Db, now: DateTime<Utc>, institution: InstitutionId) -> Result<usize, ServiceError> {
    let on = today(now);
    let waiting: std::collections::HashSet<i64> = latest_alerts(store::alerts(db, institution).await?)
        .into_values()
        .filter(|a| a.state == AlertState::Open)
        .map(|a| a.employment)
        .collect();
    let flagged_teams: Vec<TeamId> = if waiting.is_empty() {
        Vec::new()
    } else {
        store::starter_records_of(db, institution, store::Starters::InInduction(on), &[])
            .await?
            .into_iter()
            .filter(|r| waiting.contains(&r.employment))
            .filter_map(|r| r.team.map(|(t, _)| t))
            .collect()
    };
    let mut leaders: Vec<PersonId> = memberships::active_in_institution(db, institution)
        .await?
        .into_iter()
        .filter(|m| m.role == Role::TeamLeader && m.team.is_some_and(|t| flagged_teams.contains(&t)))
        .map(|m| m.person)
        .collect();
    leaders.sort();
    leaders.dedup();
    let week = on.iso_week();
    let subject = format!("digest:{}-W{:02}", week.year(), week.week());
    let mut tx = db.begin_write().await?;
    let mut sent = 0;
    for person in leaders {
        let new = notifications::notify(
            &mut tx,
            now,
            person,
            institution,
            NotificationKind::WatchDigest,
            None,
            Some(on),
            &subject,
        )
        .await?;
        sent += usize::from(new);
    }
    tx.commit().await?;
    Ok(sent)
}

// ------------------------------------------------------------ watch list

/// Whose starters the caller watches.
enum Scope {
    Institution,
    Teams(Vec<TeamId>),
    Mentees,
}

async fn scope(db: &Db, now: DateTime<Utc>, ctx: &Ctx, what: &str) -> Result<(InstitutionId, Scope), ServiceError> {
    let roles = [Role::Coordinator, Role::TeamLeader, Role::Mentor];
    let institution = access::require_in_institution(db, now, ctx, &roles, what).await?;
    let scope = if ctx.has(Role::Coordinator) {
        Scope::Institution
    } else if ctx.has(Role::TeamLeader) {
        Scope::Teams(ctx.teams_as(Role::TeamLeader))
    } else {
        Scope::Mentees
    };
    Ok((institution, scope))
}

fn in_scope(scope: &Scope, record: &StarterRecord, person: PersonId) -> bool {
    match scope {
        Scope::Institution => true,
        Scope::Teams(teams) => record.team.as_ref().is_some_and(|(t, _)| teams.contains(t)),
        Scope::Mentees => record.mentors.contains(&person),
    }
}

fn view(alert: &AlertRow, history: &HashMap<i64, Vec<crate::domain::alerts::AlertEvent>>) -> AlertView {
    AlertView {
        id: alert.id,
        level: alert.level,
        rules: alert.rules.clone(),
        opened_on: alert.opened_on,
        state: alert.state,
        snoozed_until: alert.snoozed_until,
        history: history.get(&alert.id).cloned().unwrap_or_default(),
    }
}

/// The caller's starters ordered by level and score, with the reasons and
/// the alert being handled. Coordinators see the institution, team leaders
/// their teams, mentors their mentees. Never any conversation content or
/// check-in text: the rows hold scores, dates and rule ids only.
pub async fn watch_list(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    team: Option<TeamId>,
    only_level: Option<Severity>,
    show: WatchShow,
) -> Result<WatchList, ServiceError> {
    watch_list_page(db, now, ctx, team, only_level, show, 0, usize::MAX, None).await
}

/// One page of the watch list: `count` rows from `first` (in the list's
/// order), or the page that holds the alert `focus` (just acted on), with
/// the counts of the whole list. Only the shown alerts' histories are
/// read, and only the shown rows rendered: a large institution's list of
/// hundreds stays as cheap as a small one's.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn watch_list_page(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    team: Option<TeamId>,
    only_level: Option<Severity>,
    show: WatchShow,
    first: usize,
    count: usize,
    focus: Option<i64>,
) -> Result<WatchList, ServiceError> {
    let (institution, scope) = scope(db, now, ctx, "signals.watch_list").await?;
    let on = today(now);
    // The stored evaluations of the starters in scope: nothing is
    // evaluated on request (the events and the daily run keep them).
    let whose = match &scope {
        Scope::Institution => evaluations::Whose::Institution,
        Scope::Teams(teams) => evaluations::Whose::Teams(teams.clone()),
        Scope::Mentees => evaluations::Whose::MenteesOf(ctx.person),
    };
    let visible = evaluations::listed(db, institution, &whose).await?;
    // The institution's overview counts every alert; a team leader's or a
    // mentor's list reads only the alerts of the starters it shows.
    let all_alerts = match &scope {
        Scope::Institution => store::alerts(db, institution).await?,
        _ => {
            let employments: Vec<i64> = visible.iter().map(|e| e.evaluation.employment).collect();
            store::alerts_of_employments(db, institution, &employments).await?
        }
    };
    let handled: Vec<_> = all_alerts
        .iter()
        .map(|a| (a.state, a.opened_at, a.acknowledged_at, a.resolved_at))
        .collect();
    let alerts = latest_alerts(all_alerts);
    let mut team_names: Vec<(TeamId, String)> = match &scope {
        Scope::Institution => teams::list(db, institution)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name.to_string()))
            .collect(),
        _ => visible
            .iter()
            .filter_map(|e| e.evaluation.team.zip(e.team_name.clone()))
            .collect(),
    };
    if let Scope::Teams(mine) = &scope {
        for t in teams::list(db, institution).await? {
            if mine.contains(&t.id) {
                team_names.push((t.id, t.name.to_string()));
            }
        }
    }
    team_names.sort_by(|a, b| a.1.cmp(&b.1));
    team_names.dedup();
    let in_scope_count = visible.len();
    let overview = matches!(scope, Scope::Institution).then(|| {
        let mut by_team: Vec<(String, u32, u32, u32)> = team_names.iter().map(|(_, n)| (n.clone(), 0, 0, 0)).collect();
        let mut by_rule: Vec<(RuleId, u32, u32)> = RuleId::ALL.iter().map(|r| (*r, 0, 0)).collect();
        for e in &visible {
            let level = e.evaluation.level;
            if let Some(name) = &e.team_name
                && let Some(row) = by_team.iter_mut().find(|t| &t.0 == name)
            {
                match level {
                    Some(Severity::Red) => row.1 += 1,
                    Some(Severity::Amber) => row.2 += 1,
                    None => row.3 += 1,
                }
            }
            for (rule, red, amber) in &mut by_rule {
                match e
                    .evaluation
                    .signals
                    .iter()
                    .find(|s| s.rule == *rule)
                    .map(|s| s.severity)
                {
                    Some(Severity::Red) => *red += 1,
                    Some(Severity::Amber) => *amber += 1,
                    None => {}
                }
            }
        }
        Overview {
            by_team,
            by_rule,
            alerts: alert_stats(&handled),
        }
    });
    // Each starter's current alert (a resolved one is history), then the
    // filters; the steps are read only for the alerts the list shows.
    let mut shown: Vec<(Listed, Option<&AlertRow>)> = visible
        .into_iter()
        .filter(|e| team.is_none_or(|t| e.evaluation.team == Some(t)))
        .map(|e| {
            let alert = alerts
                .get(&e.evaluation.employment)
                .filter(|a| a.state != AlertState::Resolved);
            (e, alert)
        })
        .collect();
    let waiting = |alert: Option<&AlertRow>| alert.is_some_and(|a| a.state == AlertState::Open);
    let needs_attention = shown.iter().filter(|(_, alert)| waiting(*alert)).count();
    shown.retain(|(e, alert)| {
        only_level.is_none_or(|wanted| e.evaluation.level == Some(wanted))
            && (show == WatchShow::All || waiting(*alert))
    });
    // Level, then score, then name: the most urgent first.
    shown.sort_by(|(a, _), (b, _)| {
        b.evaluation
            .level
            .cmp(&a.evaluation.level)
            .then(b.evaluation.score.cmp(&a.evaluation.score))
            .then(a.name.cmp(&b.name))
    });
    let total = shown.len();
    let red = shown
        .iter()
        .filter(|(e, _)| e.evaluation.level == Some(Severity::Red))
        .count();
    let amber = shown
        .iter()
        .filter(|(e, _)| e.evaluation.level == Some(Severity::Amber))
        .count();
    let count = count.max(1);
    let focused = focus.and_then(|id| shown.iter().position(|(_, alert)| alert.is_some_and(|a| a.id == id)));
    let first = match focused {
        Some(at) => at / count * count,
        // Past the end (the list shrank since the link was made): the last page.
        None if first >= total => total.saturating_sub(1) / count * count,
        None => first,
    };
    let shown: Vec<_> = shown.into_iter().skip(first).take(count).collect();
    let ids: Vec<i64> = shown.iter().filter_map(|(_, alert)| alert.map(|a| a.id)).collect();
    let history = store::alert_events_of_alerts(db, &ids).await?;
    let rows: Vec<WatchRow> = shown
        .into_iter()
        .map(|(e, alert)| WatchRow {
            starter: PersonRef {
                id: e.evaluation.person,
                name: e.name,
            },
            team: e.team_name,
            level: e.evaluation.level,
            score: e.evaluation.score,
            days_since_conversation: e.evaluation.last_held.filter(|d| *d <= on).map(|d| (on - d).num_days()),
            signals: e.evaluation.signals,
            risk: e.evaluation.risk,
            reasons: e.evaluation.reasons,
            needs_attention: waiting(alert),
            alert: alert.map(|a| view(a, &history)),
        })
        .collect();
    Ok(WatchList {
        as_of: on,
        teams: team_names,
        rows,
        first,
        total,
        red,
        amber,
        in_scope: in_scope_count,
        needs_attention,
        show,
        institution_wide: matches!(scope, Scope::Institution),
        overview,
    })
}

/// A starter's alerts with their full history (for their timeline), for
/// those who may see the starter's signals.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, starter = starter.0))]
pub async fn starter_alerts(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    starter: PersonId,
) -> Result<Vec<AlertView>, ServiceError> {
    let (institution, scope) = scope(db, now, ctx, "signals.starter_alerts").await?;
    let records = store::starter_records(db, institution, Some(starter), &[]).await?;
    if !records.iter().any(|r| in_scope(&scope, r, ctx.person)) {
        return Err(ServiceError::NotFound);
    }
    let history = store::alert_events_of_starter(db, institution, starter).await?;
    let mut alerts: Vec<AlertView> = store::alerts_of_starter(db, institution, starter)
        .await?
        .iter()
        .map(|a| view(a, &history))
        .collect();
    alerts.reverse();
    Ok(alerts)
}

/// Acknowledge, resolve or snooze an alert. Allowed to the coordinator, the
/// starter's team leader and the starter's current mentor. Audited.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn act(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    alert_id: i64,
    command: AlertCommand,
) -> Result<(), ServiceError> {
    let (institution, scope) = scope(db, now, ctx, "signals.act").await?;
    let on = today(now);
    let mut errors = FieldErrors::new();
    let note = |errors: &mut FieldErrors, raw: &str, required: bool| -> Option<String> {
        let text = raw.trim();
        if text.is_empty() {
            if required {
                errors.add("note", FieldProblem::Required);
            }
            None
        } else if text.chars().count() > NOTE_MAX_CHARS {
            errors.add("note", FieldProblem::TooLong { max: NOTE_MAX_CHARS });
            None
        } else {
            Some(text.to_owned())
        }
    };
    let (action, note, until) = match &command {
        AlertCommand::Acknowledge { note: raw } => (AlertAction::Acknowledged, note(&mut errors, raw, false), None),
        AlertCommand::Resolve { note: raw } => (AlertAction::Resolved, note(&mut errors, raw, true), None),
        AlertCommand::Snooze { until, note: raw } => {
            let latest = on.checked_add_days(Days::new(SNOOZE_MAX_DAYS)).unwrap_or(on);
            if *until <= on || *until > latest {
                errors.add("until", FieldProblem::Format);
            }
            (AlertAction::Snoozed, note(&mut errors, raw, false), Some(*until))
        }
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors.into_vec()));
    }
    let mut tx = db.begin_write().await?;
    let alert = store::alert_for_update(&mut tx, institution, alert_id).await?;
    let records = store::starter_records(db, institution, Some(alert.starter), &[]).await?;
    if !records
        .iter()
        .any(|r| r.employment == alert.employment && in_scope(&scope, r, ctx.person))
    {
        return Err(ServiceError::NotFound);
    }
    if alert.state == AlertState::Resolved {
        return Err(ServiceError::AlreadyDone);
    }
    store::change_alert(&mut tx, alert.id, action, Some(ctx.person), note.as_deref(), until, now).await?;
    let audit = match action {
        AlertAction::Acknowledged => AuditAction::AlertAcknowledged,
        AlertAction::Snoozed => AuditAction::AlertSnoozed,
        _ => AuditAction::AlertResolved,
    };
    ctx.audit(
        &mut tx,
        now,
        institution,
        Some(alert.starter),
        audit,
        json!({ "alert": alert.id, "until": until }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The rules as the caller's institution has set them (the transparency page).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn institution_rules(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<RulesInfo, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &Role::ALL, "signals.rules").await?;
    Ok(RulesInfo {
        settings: store::settings(db, institution).await?,
        holidays: store::holidays(db, institution)
            .await?
            .into_iter()
            .map(|h| (h.name, h.span.start, h.span.end.unwrap_or(h.span.start)))
            .collect(),
    })
}

/// One starter's signals as of a day, for the command line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignalLine {
    pub employee_number: String,
    pub name: String,
    pub team: Option<String>,
    pub level: Option<Severity>,
    pub score: u32,
    /// With a calibrated risk in use: the chance of leaving (per mille).
    pub risk: Option<u16>,
    pub signals: Vec<Signal>,
}

/// Every starter employed on `on` with level, score and signals, most at
/// risk first (command line: no caller to check).
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn report(db: &Db, institution: InstitutionId, on: NaiveDate) -> Result<Vec<SignalLine>, ServiceError> {
    let calibration = crate::store::risk::calibration(db, institution).await?;
    let mut lines: Vec<SignalLine> = evaluate_institution(db, institution, None, on)
        .await?
        .into_iter()
        .map(|e| {
            let judged = judge(&e.record.facts, &e.signals, on, calibration.as_ref());
            SignalLine {
                employee_number: e.record.employee_number,
                name: e.record.name,
                team: e.record.team.map(|(_, name)| name),
                level: judged.level,
                score: judged.score,
                risk: judged.risk,
                signals: e.signals,
            }
        })
        .collect();
    lines.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then(b.score.cmp(&a.score))
            .then(a.name.cmp(&b.name))
    });
    Ok(lines)
}

/// The report as CSV: one row per starter, signals as "rule (severity):
/// evidence" joined by " | ".
pub fn report_csv(lines: &[SignalLine], style: crate::csv::CsvStyle) -> String {
    let rows = lines
        .iter()
        .map(|l| {
            vec![
                l.employee_number.clone(),
                l.name.clone(),
                l.team.clone().unwrap_or_default(),
                l.level.map(|s| s.code().to_owned()).unwrap_or_default(),
                l.score.to_string(),
                l.signals
                    .iter()
                    .map(|s| format!("{} ({}): {}", s.rule.code(), s.severity.code(), s.evidence.summary()))
                    .collect::<Vec<_>>()
                    .join(" | "),
            ]
        })
        .collect();
    style.write(&["employee_number", "name", "team", "level", "score", "signals"], rows)
}

/// What is wrong with a set of thresholds: each within its range, red
/// after amber for conversations.
fn problems(settings: &Settings) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for (field, min, max) in SETTING_FIELDS {
        if settings.field(field).is_none_or(|v| v < min || v > max) {
            errors.add(
                field,
                FieldProblem::OutOfRange {
                    min: i32::try_from(min).unwrap_or(0),
                    max: i32::try_from(max).unwrap_or(i32::MAX),
                },
            );
        }
    }
    if settings.no_conversation_red_days < settings.no_conversation_amber_days {
        errors.add(
            "no_conversation_red_days",
            FieldProblem::OutOfRange {
                min: i32::try_from(settings.no_conversation_amber_days).unwrap_or(i32::MAX),
                max: 365,
            },
        );
    }
    errors
}

/// Thresholds from a form: every field of [`SETTING_FIELDS`] as a number
/// (a missing or unreadable one keeps the current value and is reported),
/// and `off_<rule>` for each rule switched off.
pub fn settings_from_form(current: &Settings, form: &HashMap<String, String>) -> (Settings, FieldErrors) {
    let mut settings = current.clone();
    let mut errors = FieldErrors::new();
    for (field, min, max) in SETTING_FIELDS {
        match form.get(field).map(|v| v.trim().parse::<u32>()) {
            Some(Ok(value)) => settings.set_field(field, value),
            _ => errors.add(
                field,
                FieldProblem::OutOfRange {
                    min: i32::try_from(min).unwrap_or(0),
                    max: i32::try_from(max).unwrap_or(i32::MAX),
                },
            ),
        }
    }
    settings.off = RuleId::ALL
        .iter()
        .copied()
        .filter(|rule| form.contains_key(&format!("off_{}", rule.code())))
        .collect();
    settings.pool_history = form.contains_key("pool_history");
    if errors.is_empty() {
        errors = problems(&settings);
    }
    (settings, errors)
}

/// The coordinator's settings page; with `form`, the values being tried
/// and how many starters each rule would flag with them.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn settings_page(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    form: Option<&HashMap<String, String>>,
) -> Result<SettingsPage, ServiceError> {
    access::require_in_institution(db, now, ctx, &[Role::Coordinator], "signals.settings").await?;
    let institution = ctx.institution.ok_or(ServiceError::Forbidden)?;
    let current = store::settings(db, institution).await?;
    let holidays = store::holidays(db, institution)
        .await?
        .into_iter()
        .map(|h| (h.id, h.name, h.span.start, h.span.end.unwrap_or(h.span.start)))
        .collect();
    let (candidate, problems, preview) = match form {
        Some(form) => {
            let (candidate, errors) = settings_from_form(&current, form);
            let preview = if errors.is_empty() {
                preview(db, now, ctx, &candidate).await?
            } else {
                Vec::new()
            };
            (Some(candidate), errors.into_vec(), preview)
        }
        None => (None, Vec::new(), Vec::new()),
    };
    Ok(SettingsPage {
        current,
        candidate,
        problems,
        preview,
        holidays,
    })
}

/// Save thresholds from the settings form (coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn save_settings_form(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    form: &HashMap<String, String>,
) -> Result<(), ServiceError> {
    access::require_in_institution(db, now, ctx, &[Role::Coordinator], "signals.settings").await?;
    let institution = ctx.institution.ok_or(ServiceError::Forbidden)?;
    let current = store::settings(db, institution).await?;
    let (settings, errors) = settings_from_form(&current, form);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors.into_vec()));
    }
    save_settings(db, now, ctx, &settings).await
}

/// Add a holiday period (coordinator): a name, first and last day
/// (YYYY-MM-DD), at most 120 days. Time-based rules pause during it.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn add_holiday(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    name: &str,
    start: &str,
    end: &str,
) -> Result<i64, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "signals.holidays").await?;
    let mut errors = FieldErrors::new();
    let name = super::required_text(&mut errors, "name", name, 80);
    let mut date = |field: &str, raw: &str| {
        let parsed = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
        if parsed.is_none() {
            errors.add(field, FieldProblem::Format);
        }
        parsed
    };
    let (start, end) = (date("start", start), date("end", end));
    if let (Some(s), Some(e)) = (start, end)
        && (e < s || (e - s).num_days() > 120)
    {
        errors.add("end", FieldProblem::OutOfRange { min: 0, max: 120 });
    }
    let (Some(name), Some(start), Some(end)) = (name, start, end) else {
        return Err(ServiceError::Invalid(errors.into_vec()));
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors.into_vec()));
    }
    let mut tx = db.begin_write().await?;
    let id = store::add_holiday(&mut tx, institution, &name, start, end, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::SignalSettingsChanged,
        json!({ "holiday_added": { "name": name, "start": start, "end": end } }),
    )
    .await?;
    tx.commit().await?;
    reevaluate(db, now, institution, None).await;
    Ok(id)
}

/// Remove a holiday period (coordinator).
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn remove_holiday(db: &Db, now: DateTime<Utc>, ctx: &Ctx, id: i64) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "signals.holidays").await?;
    let mut tx = db.begin_write().await?;
    if !store::remove_holiday(&mut tx, institution, id).await? {
        return Err(ServiceError::NotFound);
    }
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::SignalSettingsChanged,
        json!({ "holiday_removed": id }),
    )
    .await?;
    tx.commit().await?;
    reevaluate(db, now, institution, None).await;
    Ok(())
}

/// Change the institution's thresholds and switched-off rules
/// (coordinator). Every threshold must be a sensible number of days or a
/// score from 1 to 5. Audited with the old and new settings.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn save_settings(db: &Db, now: DateTime<Utc>, ctx: &Ctx, settings: &Settings) -> Result<(), ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "signals.settings").await?;
    let errors = problems(settings);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors.into_vec()));
    }
    let before = store::settings(db, institution).await?;
    let mut tx = db.begin_write().await?;
    store::save_settings(&mut tx, institution, settings, ctx.person, now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::SignalSettingsChanged,
        json!({ "before": before, "after": settings }),
    )
    .await?;
    tx.commit().await?;
    reevaluate(db, now, institution, None).await;
    Ok(())
}

/// How many starters each rule would flag today with `settings`, beside
/// the current settings (the preview of a change), per rule and in total.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn preview(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    settings: &Settings,
) -> Result<Vec<(Option<crate::domain::signals::RuleId>, usize, usize)>, ServiceError> {
    let institution = access::require_in_institution(db, now, ctx, &[Role::Coordinator], "signals.preview").await?;
    let on = today(now);
    let (current, holidays) = rules_of(db, institution).await?;
    let records = store::starter_records(db, institution, None, &holidays).await?;
    let mut counts: Vec<(Option<crate::domain::signals::RuleId>, usize, usize)> = std::iter::once(None)
        .chain(crate::domain::signals::RuleId::ALL.iter().copied().map(Some))
        .map(|r| (r, 0, 0))
        .collect();
    for record in records.iter().filter(|r| in_induction(r, on)) {
        let now_signals = evaluate(&record.facts, &current, on);
        let new_signals = evaluate(&record.facts, settings, on);
        for (rule, before, after) in &mut counts {
            let rule = *rule;
            let has = |signals: &[Signal]| match rule {
                None => !signals.is_empty(),
                Some(rule) => signals.iter().any(|s| s.rule == rule),
            };
            *before += usize::from(has(&now_signals));
            *after += usize::from(has(&new_signals));
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests;
