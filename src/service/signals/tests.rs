//! Signals in use, on both backends: the watch list's scope and content,
//! a check-in that turns a starter red and opens one alert, the alert's
//! lifecycle, threshold changes, and the daily run (idempotent, and once
//! under concurrency).

use chrono::NaiveDate;

use super::*;
use crate::domain::alerts::AlertAction;
use crate::domain::checkin::CheckInForm;
use crate::domain::mentoring::ConversationForm;
use crate::domain::signals::RuleId;
use crate::domain::{RoleAssignment, Sector};
use crate::service::checkins::tests::world;
use crate::service::{checkins, conversations, mentoring};
use crate::store::{accounts, people};
use crate::testing::{at, ctx_of, person, team};

const SUMMARY: &str = "SIGNALSUMMARYMARKER";
const COMMENT: &str = "SIGNALCOMMENTMARKER";

fn checkin(scores: [&str; 5], comment: &str) -> CheckInForm {
    CheckInForm {
        scores: scores.map(str::to_owned),
        comment: comment.to_owned(),
        talk_to: String::new(),
    }
}

fn levels(list: &WatchList) -> Vec<(String, Option<Severity>)> {
    list.rows.iter().map(|r| (r.starter.name.clone(), r.level)).collect()
}

/// A team leader of another team of the same institution.
async fn other_leader(db: &Db, f: &crate::testing::PeopleFixture) -> PersonId {
    let when = at(2026, 8, 1);
    let mut tx = db.begin_write().await.unwrap();
    let other = teams::create(&mut tx, f.a, &team("Techniek", Sector::Technology), when)
        .await
        .unwrap();
    let id = people::create(
        &mut tx,
        &person("Olga Teamleider", Some("olga@lindenhaghe.nl"), Some(f.a)),
        when,
    )
    .await
    .unwrap();
    accounts::create(&mut tx, id, when).await.unwrap();
    memberships::set_roles(
        &mut tx,
        id,
        Some(f.a),
        &[RoleAssignment {
            role: Role::TeamLeader,
            team: Some(other),
        }],
        when,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

crate::db_test!(async fn a_low_check_in_turns_the_starter_red_on_their_team_leaders_list_only(db) {
    let (f, _, _) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let daan = ctx_of(db, f.daan).await;
    let bram = ctx_of(db, f.bram).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let olga = ctx_of(db, other_leader(db, &f).await).await;
    let day = at(2026, 9, 1);
    mentoring::pair(db, day, &anna, f.cigdem, f.bram, "workplace_mentor", "", "").await.unwrap();
    let held = ConversationForm {
        status: "held".into(),
        on: "2026-09-01".into(),
        kind: "guidance".into(),
        summary: SUMMARY.into(),
        ..Default::default()
    };
    conversations::log(db, day, &bram, f.cigdem, None, &held).await.unwrap();
    checkins::submit(db, day, &cigdem, &checkin(["4", "3", "4", "3", "4"], COMMENT)).await.unwrap();

    let calm = watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap();
    assert_eq!(levels(&calm), vec![("Çiğdem Öztürk".to_owned(), None)]);
    assert_eq!(calm.rows[0].days_since_conversation, Some(0));

    // Well-being 1: red at once, with the reason, and one alert for the
    // team leader and the mentor.
    let later = at(2026, 9, 8);
    checkins::submit(db, later, &cigdem, &checkin(["1", "3", "4", "3", "4"], COMMENT)).await.unwrap();
    let red = watch_list(db, later, &daan, None, None, WatchShow::All).await.unwrap();
    assert_eq!(levels(&red), vec![("Çiğdem Öztürk".to_owned(), Some(Severity::Red))]);
    let row = &red.rows[0];
    assert_eq!(row.signals[0].rule, RuleId::LowWellbeing);
    let alert = row.alert.as_ref().expect("an alert opened");
    assert_eq!((alert.state, alert.level, alert.history[0].action), (AlertState::Open, Severity::Red, AlertAction::Opened));
    for who in [&daan, &bram] {
        let list = notifications::list(db, later, who, false).await.unwrap();
        let told: Vec<_> = list.items.iter().filter(|n| n.kind == NotificationKind::SignalAlert).collect();
        assert_eq!(told.len(), 1);
        assert_eq!((told[0].on, told[0].about.as_ref()), (Some(later.date_naive()), None), "one a day, for the list");
    }

    // Never content: no summary, no check-in text, in anyone's list.
    for who in [&anna, &daan, &bram] {
        let json = serde_json::to_string(&watch_list(db, later, who, None, None, WatchShow::All).await.unwrap()).unwrap();
        assert!(!json.contains(SUMMARY) && !json.contains(COMMENT), "{json}");
    }

    // Scope: the mentor sees their mentee, the coordinator everyone; a
    // leader of another team nobody; a starter is refused.
    assert_eq!(watch_list(db, later, &bram, None, None, WatchShow::All).await.unwrap().rows.len(), 1);
    assert_eq!(watch_list(db, later, &anna, None, None, WatchShow::All).await.unwrap().rows.len(), 1);
    let empty = watch_list(db, later, &olga, None, None, WatchShow::All).await.unwrap();
    assert!(empty.rows.is_empty() && empty.in_scope == 0);
    assert!(matches!(watch_list(db, later, &cigdem, None, None, WatchShow::All).await, Err(ServiceError::Forbidden)));
    // Filters.
    assert!(watch_list(db, later, &daan, None, Some(Severity::Amber), WatchShow::All).await.unwrap().rows.is_empty());
    assert_eq!(watch_list(db, later, &daan, Some(f.team_a), Some(Severity::Red), WatchShow::All).await.unwrap().rows.len(), 1);

    // The team leader's home names her, counts the team, and tells what
    // is new since the previous login.
    for (when, day) in [(at(2026, 9, 2), "first"), (at(2026, 9, 8), "today")] {
        let mut tx = db.begin_write().await.unwrap();
        crate::service::record(&mut tx, when, Some(f.daan), Some(f.a), Some(f.daan), crate::domain::AuditAction::LoginSucceeded, serde_json::json!({ "login": day }))
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let home = crate::service::home::home(db, later, &daan).await.unwrap().team_leader.unwrap();
    let names: Vec<_> = home.attention.iter().map(|r| r.starter.name.as_str()).collect();
    assert_eq!(names, ["Çiğdem Öztürk"]);
    assert_eq!((home.since, home.new_since), (Some(NaiveDate::from_ymd_opt(2026, 9, 2).unwrap()), 1));
    let team = home.figures.iter().find(|t| t.starters > 0).expect("her team is counted");
    assert_eq!((team.starters, team.talked_recently, team.red, team.amber), (1, 1, 1, 0));
    let elsewhere = crate::service::home::home(db, later, &olga).await.unwrap().team_leader.unwrap();
    assert!(elsewhere.attention.is_empty() && elsewhere.since.is_none());
    assert!(elsewhere.figures.iter().all(|t| t.starters == 0));
});

crate::db_test!(async fn an_alert_is_acknowledged_snoozed_reopened_and_resolved_with_its_history(db) {
    let (f, _, _) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let daan = ctx_of(db, f.daan).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let olga = ctx_of(db, other_leader(db, &f).await).await;
    let day = at(2026, 9, 1);
    mentoring::pair(db, day, &anna, f.cigdem, f.bram, "workplace_mentor", "", "").await.unwrap();
    checkins::submit(db, day, &cigdem, &checkin(["1", "3", "4", "3", "4"], "")).await.unwrap();
    let list = watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap();
    let id = list.rows[0].alert.as_ref().unwrap().id;

    // Someone outside the starter's team cannot touch it.
    let ack = AlertCommand::Acknowledge { note: "Gesprek gepland".into() };
    assert!(matches!(act(db, day, &olga, id, ack.clone()).await, Err(ServiceError::NotFound)));
    assert!(matches!(act(db, day, &daan, id, AlertCommand::Resolve { note: " ".into() }).await, Err(ServiceError::Invalid(_))));
    let too_far = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    assert!(matches!(
        act(db, day, &daan, id, AlertCommand::Snooze { until: too_far, note: String::new() }).await,
        Err(ServiceError::Invalid(_))
    ));
    // The default view lists the new alert nobody acknowledged; once
    // acknowledged, the starter leaves that view and its count, and stays
    // one filter away.
    let now_view = watch_list(db, day, &daan, None, None, WatchShow::Now).await.unwrap();
    assert_eq!((now_view.rows.len(), now_view.needs_attention, now_view.show), (1, 1, WatchShow::Now));
    assert!(now_view.rows[0].needs_attention);
    act(db, day, &daan, id, ack).await.unwrap();
    let now_view = watch_list(db, day, &daan, None, None, WatchShow::Now).await.unwrap();
    assert_eq!((now_view.rows.len(), now_view.needs_attention, now_view.in_scope), (0, 0, 1));
    let all = watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap();
    assert_eq!((all.rows.len(), all.rows[0].needs_attention), (1, false));
    let until = NaiveDate::from_ymd_opt(2026, 9, 10).unwrap();
    act(db, day, &daan, id, AlertCommand::Snooze { until, note: String::new() }).await.unwrap();

    // Until the snooze ends nothing changes; after it, the signal is still
    // there (no new check-in) and the alert re-opens.
    assert_eq!(sync(db, at(2026, 9, 10), f.a, None).await.unwrap().reopened, 0);
    assert_eq!(sync(db, at(2026, 9, 11), f.a, None).await.unwrap().reopened, 1);
    let alerts = starter_alerts(db, at(2026, 9, 11), &daan, f.cigdem).await.unwrap();
    assert_eq!(alerts[0].state, AlertState::Open);
    // Re-opened: back in the default view until someone resolves it.
    assert_eq!(watch_list(db, at(2026, 9, 11), &daan, None, None, WatchShow::Now).await.unwrap().needs_attention, 1);
    act(db, at(2026, 9, 11), &daan, id, AlertCommand::Resolve { note: "Werkdruk verlaagd".into() }).await.unwrap();
    let now_view = watch_list(db, at(2026, 9, 11), &daan, None, None, WatchShow::Now).await.unwrap();
    assert_eq!((now_view.rows.len(), now_view.needs_attention), (0, 0));
    assert!(matches!(
        act(db, at(2026, 9, 11), &daan, id, AlertCommand::Resolve { note: "nog eens".into() }).await,
        Err(ServiceError::AlreadyDone)
    ));
    let history: Vec<(AlertAction, Option<String>)> = starter_alerts(db, at(2026, 9, 11), &daan, f.cigdem)
        .await
        .unwrap()[0]
        .history
        .iter()
        .map(|e| (e.action, e.actor.clone()))
        .collect();
    let daan_name = Some("Daan Teamleider".to_owned());
    assert_eq!(
        history,
        vec![
            (AlertAction::Opened, None),
            (AlertAction::Acknowledged, daan_name.clone()),
            (AlertAction::Snoozed, daan_name.clone()),
            (AlertAction::Reopened, None),
            (AlertAction::Resolved, daan_name),
        ]
    );
    // The starter's timeline, as the team leader sees it, has every step.
    let detail = crate::service::starters::detail(db, at(2026, 9, 11), &daan, f.cigdem).await.unwrap();
    let steps: Vec<AlertAction> = detail
        .timeline
        .iter()
        .filter_map(|(_, e)| match e {
            crate::domain::starter::TimelineEvent::Alert { action, .. } => Some(*action),
            _ => None,
        })
        .collect();
    assert_eq!(steps.len(), 5, "{steps:?}");
    // The starter's own page does not show them.
    let own = crate::service::starters::mine(db, at(2026, 9, 11), &cigdem).await.unwrap().unwrap();
    assert!(!own.timeline.iter().any(|(_, e)| matches!(e, crate::domain::starter::TimelineEvent::Alert { .. })));
    // Resolved for the same signal: no new alert the next day.
    assert_eq!(sync(db, at(2026, 9, 12), f.a, None).await.unwrap().opened, 0);
    // Every step by a person is in the audit log.
    let audit = crate::store::audit::list(db, &crate::domain::AuditFilter::institution(f.a)).await.unwrap();
    let actions: Vec<_> = audit.iter().map(|e| e.action.clone()).filter(|a| a.starts_with("alert_")).collect();
    assert_eq!(actions.len(), 3, "{actions:?}");
});

async fn alert_row(db: &Db, institution: InstitutionId, id: i64) -> crate::store::signals::AlertRow {
    let mut tx = db.begin_write().await.unwrap();
    let alert = crate::store::signals::alert_for_update(&mut tx, institution, id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    alert
}

crate::db_test!(async fn concurrent_acknowledge_and_resolve_leave_one_consistent_history(db) {
    // Two team leaders act on one alert at the same moment. The alert row is
    // locked while it is read to be changed, so the later one sees the
    // earlier one's result: never an "acknowledged" after "resolved".
    let (f, _, _) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let daan = ctx_of(db, f.daan).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let day = at(2026, 9, 1);
    mentoring::pair(db, day, &anna, f.cigdem, f.bram, "workplace_mentor", "", "").await.unwrap();
    checkins::submit(db, day, &cigdem, &checkin(["1", "3", "4", "3", "4"], "")).await.unwrap();
    let first = watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap().rows[0].alert.as_ref().unwrap().id;
    let employment = alert_row(db, f.a, first).await.employment;
    let mut id = first;
    for round in 0..12 {
        if round > 0 {
            let mut tx = db.begin_write().await.unwrap();
            id = crate::store::signals::open_alert(&mut tx, f.a, employment, f.cigdem, Severity::Red, &[RuleId::LowWellbeing], "[]", day.date_naive(), day)
                .await
                .unwrap()
                .expect("the previous alert was resolved");
            tx.commit().await.unwrap();
        }
        let ack = act(db, day, &daan, id, AlertCommand::Acknowledge { note: "Gezien".into() });
        let resolve = act(db, day, &daan, id, AlertCommand::Resolve { note: "Gesprek gevoerd".into() });
        let (ack, resolve) = tokio::join!(ack, resolve);
        resolve.unwrap();
        assert!(ack.is_ok() || matches!(ack, Err(ServiceError::AlreadyDone)), "{ack:?}");
        let alert = alert_row(db, f.a, id).await;
        assert_eq!(alert.state, AlertState::Resolved, "round {round}: the resolve stands");
        let history = starter_alerts(db, day, &daan, f.cigdem).await.unwrap().into_iter().find(|a| a.id == id).unwrap().history;
        let resolved_at = history.iter().position(|e| e.action == AlertAction::Resolved).unwrap();
        assert_eq!(resolved_at, history.len() - 1, "round {round}: nothing after resolving: {history:?}");
    }
});

crate::db_test!(async fn a_threshold_change_changes_who_is_flagged_and_is_previewed(db) {
    let (f, _, _) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let daan = ctx_of(db, f.daan).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let day = at(2026, 9, 1);
    mentoring::pair(db, day, &anna, f.cigdem, f.bram, "workplace_mentor", "", "").await.unwrap();
    checkins::submit(db, day, &cigdem, &checkin(["3", "3", "4", "3", "4"], "")).await.unwrap();
    let flagged = |list: &WatchList| list.rows.iter().any(|r| r.signals.iter().any(|s| s.rule == RuleId::LowWellbeing));
    assert!(!flagged(&watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap()));

    let stricter = Settings {
        low_wellbeing: 3,
        ..Settings::default()
    };
    let preview = preview(db, day, &anna, &stricter).await.unwrap();
    let low = preview.iter().find(|(rule, _, _)| *rule == Some(RuleId::LowWellbeing)).unwrap();
    assert_eq!((low.1, low.2), (0, 1), "nobody now, one with the change");
    assert!(matches!(save_settings(db, day, &daan, &stricter).await, Err(ServiceError::Forbidden)));
    let silly = Settings {
        low_wellbeing: 9,
        no_conversation_red_days: 10,
        ..Settings::default()
    };
    assert!(matches!(save_settings(db, day, &anna, &silly).await, Err(ServiceError::Invalid(e)) if e.len() == 2));
    save_settings(db, day, &anna, &stricter).await.unwrap();
    assert!(flagged(&watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap()));

    // A rule switched off flags nobody.
    let off = Settings {
        off: vec![RuleId::LowWellbeing],
        ..stricter
    };
    save_settings(db, day, &anna, &off).await.unwrap();
    assert!(!flagged(&watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap()));
});

crate::db_test!(async fn the_daily_run_changes_nothing_the_second_time(db) {
    let (f, _, _) = world(db).await;
    // Started 17 August, never paired, never checked in: by October the
    // clock-driven rules have held for weeks.
    let day = at(2026, 10, 20);
    let first = daily(db, day).await.unwrap();
    let mine = first.iter().find(|(i, _)| *i == f.a).unwrap().1;
    let DailyOutcome::Ran(report) = mine else { panic!("{mine:?}") };
    assert_eq!((report.evaluated, report.opened), (1, 1));
    let second = daily(db, day).await.unwrap();
    assert!(second.iter().all(|(_, o)| *o == DailyOutcome::AlreadyRan));
    // And a sync on the same day (a fact changed) opens nothing new.
    assert_eq!(sync(db, day, f.a, None).await.unwrap().opened, 0);
    let alerts = store::alerts(db, f.a).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert!(alerts[0].rules.contains(&RuleId::NoMentor), "{:?}", alerts[0].rules);
    // The next day is a new run.
    assert!(matches!(daily(db, at(2026, 10, 21)).await.unwrap()[0].1, DailyOutcome::Ran(_)));

    // On Mondays the team leader with a flagged starter gets the weekly
    // digest, once; nobody else does.
    let daan = ctx_of(db, f.daan).await;
    let digests = |list: crate::domain::notification::Notifications| {
        list.items.iter().filter(|n| n.kind == NotificationKind::WatchDigest).count()
    };
    assert_eq!(digests(notifications::list(db, at(2026, 10, 21), &daan, false).await.unwrap()), 0, "a Wednesday");
    daily(db, at(2026, 10, 26)).await.unwrap();
    assert_eq!(
        store::alerts(db, f.a).await.unwrap().len(),
        1,
        "still one alert for the same starter"
    );
    // The same Monday once more (another node, a restart): nothing new.
    assert_eq!(weekly_digest(db, at(2026, 10, 26), f.a).await.unwrap(), 0);
    assert_eq!(digests(notifications::list(db, at(2026, 10, 26), &daan, false).await.unwrap()), 1);
    let bram = ctx_of(db, f.bram).await;
    assert_eq!(digests(notifications::list(db, at(2026, 10, 26), &bram, false).await.unwrap()), 0);

    // Once the alert is acknowledged, nobody waits for attention: the next
    // Monday brings no digest, though the signal itself still holds.
    let id = store::alerts(db, f.a).await.unwrap()[0].id;
    act(db, at(2026, 10, 27), &daan, id, AlertCommand::Acknowledge { note: String::new() }).await.unwrap();
    assert_eq!(weekly_digest(db, at(2026, 11, 2), f.a).await.unwrap(), 0);
    assert_eq!(digests(notifications::list(db, at(2026, 11, 2), &daan, false).await.unwrap()), 1);
});

crate::db_test!(async fn two_concurrent_daily_runs_evaluate_once(db) {
    let (f, _, _) = world(db).await;
    let day = at(2026, 10, 20);
    let (one, two) = tokio::join!(daily(db, day), daily(db, day));
    let (one, two) = (one.unwrap(), two.unwrap());
    let ran = |outcomes: &[(InstitutionId, DailyOutcome)]| {
        outcomes.iter().filter(|(i, o)| *i == f.a && matches!(o, DailyOutcome::Ran(_))).count()
    };
    assert_eq!(ran(&one) + ran(&two), 1);
    assert_eq!(store::alerts(db, f.a).await.unwrap().len(), 1);
});

crate::db_test!(async fn the_settings_form_previews_saves_and_holidays_pause_the_clock(db) {
    let (f, _, _) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let daan = ctx_of(db, f.daan).await;
    // Started 17 August, never paired: on 1 September (15 days) "no mentor".
    let day = at(2026, 9, 1);
    daily(db, day).await.unwrap();
    let flagged = |list: &WatchList| list.rows.iter().any(|r| r.signals.iter().any(|s| s.rule == RuleId::NoMentor));
    assert!(flagged(&watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap()));

    let mut form: HashMap<String, String> = SETTING_FIELDS
        .iter()
        .map(|(name, _, _)| ((*name).to_owned(), Settings::default().field(name).unwrap().to_string()))
        .collect();
    form.insert("no_mentor_days".into(), "21".into());
    let page = settings_page(db, day, &anna, Some(&form)).await.unwrap();
    assert_eq!(page.candidate.as_ref().unwrap().no_mentor_days, 21);
    let row = page.preview.iter().find(|(rule, _, _)| *rule == Some(RuleId::NoMentor)).unwrap();
    assert_eq!((row.1, row.2), (1, 0), "flagged now, not with 21 days");
    assert!(page.problems.is_empty());
    let mut bad = form.clone();
    bad.insert("low_wellbeing".into(), "zes".into());
    let page = settings_page(db, day, &anna, Some(&bad)).await.unwrap();
    assert_eq!(page.problems[0].field, "low_wellbeing");
    assert!(page.preview.is_empty());
    assert!(matches!(save_settings_form(db, day, &anna, &bad).await, Err(ServiceError::Invalid(_))));
    assert!(matches!(settings_page(db, day, &daan, None).await, Err(ServiceError::Forbidden)));

    // Switching a rule off by its checkbox, then saving.
    form.insert("no_mentor_days".into(), "14".into());
    form.insert("off_no_mentor".into(), "on".into());
    save_settings_form(db, day, &anna, &form).await.unwrap();
    assert!(!flagged(&watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap()));
    form.remove("off_no_mentor");
    save_settings_form(db, day, &anna, &form).await.unwrap();
    assert!(flagged(&watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap()));

    // A summer holiday from the start: the fourteen days have not passed.
    assert!(matches!(add_holiday(db, day, &anna, "", "2026-08-17", "2026-08-30").await, Err(ServiceError::Invalid(_))));
    assert!(matches!(add_holiday(db, day, &anna, "Zomer", "2026-08-30", "2026-08-17").await, Err(ServiceError::Invalid(_))));
    let id = add_holiday(db, day, &anna, "Zomervakantie", "2026-08-17", "2026-08-30").await.unwrap();
    assert!(!flagged(&watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap()));
    assert_eq!(settings_page(db, day, &anna, None).await.unwrap().holidays.len(), 1);
    assert_eq!(institution_rules(db, day, &daan).await.unwrap().holidays[0].0, "Zomervakantie");
    remove_holiday(db, day, &anna, id).await.unwrap();
    assert!(flagged(&watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap()));
    assert!(matches!(remove_holiday(db, day, &anna, id).await, Err(ServiceError::NotFound)));
});

/// Çiğdem paired, then a check-in with well-being 1 on 8 September: red
/// with an open alert on Daan's list.
async fn red_alert(db: &Db) -> crate::testing::PeopleFixture {
    let (f, _, _) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    mentoring::pair(db, at(2026, 9, 1), &anna, f.cigdem, f.bram, "workplace_mentor", "", "")
        .await
        .unwrap();
    checkins::submit(db, at(2026, 9, 8), &cigdem, &checkin(["1", "3", "4", "3", "4"], ""))
        .await
        .unwrap();
    let daan = ctx_of(db, f.daan).await;
    let red = watch_list(db, at(2026, 9, 8), &daan, None, None, WatchShow::All)
        .await
        .unwrap();
    assert!(red.rows[0].alert.is_some());
    f
}

async fn closing_step(db: &Db, f: &crate::testing::PeopleFixture) -> (AlertState, Option<AlertAction>) {
    let alerts = store::alerts_of_starter(db, f.a, f.cigdem).await.unwrap();
    let history = store::alert_events_of_starter(db, f.a, f.cigdem).await.unwrap();
    let last = history
        .get(&alerts[0].id)
        .and_then(|steps| steps.last())
        .map(|e| e.action);
    (alerts[0].state, last)
}

crate::db_test!(async fn completing_the_induction_closes_the_alert_and_takes_the_starter_off_every_list(db) {
    let f = red_alert(db).await;
    let anna = ctx_of(db, f.anna).await;
    let daan = ctx_of(db, f.daan).await;
    let bram = ctx_of(db, f.bram).await;
    let day = at(2026, 9, 10);
    crate::service::starters::record_completion(db, day, &anna, f.cigdem, "2026-09-10").await.unwrap();
    assert_eq!(closing_step(db, &f).await, (AlertState::Resolved, Some(AlertAction::Completed)));
    for who in [&anna, &daan, &bram] {
        let list = watch_list(db, day, who, None, None, WatchShow::All).await.unwrap();
        assert!(list.rows.is_empty() && list.in_scope == 0, "{:?}", levels(&list));
    }
    // Nor is she waiting for a mentor any more (were her pairing to end).
    let pairing = crate::store::mentoring::pairings(db, f.a).await.unwrap()[0].id;
    mentoring::end_pairing(db, day, &anna, pairing, "completed", "2026-09-10").await.unwrap();
    assert!(mentoring::overview(db, day, &anna).await.unwrap().unpaired.is_empty());
    // The daily run opens nothing for her again.
    daily(db, at(2026, 9, 11)).await.unwrap();
    assert_eq!(store::alerts_of_starter(db, f.a, f.cigdem).await.unwrap().len(), 1);
});

crate::db_test!(async fn leaving_closes_the_alert_with_a_step_that_says_so(db) {
    let f = red_alert(db).await;
    let anna = ctx_of(db, f.anna).await;
    let daan = ctx_of(db, f.daan).await;
    let day = at(2026, 9, 12);
    crate::service::starters::record_leaving(db, day, &anna, f.cigdem, "2026-09-12", "workload", "").await.unwrap();
    assert_eq!(closing_step(db, &f).await, (AlertState::Resolved, Some(AlertAction::Left)));
    assert!(watch_list(db, day, &daan, None, None, WatchShow::All).await.unwrap().rows.is_empty());
});

/// A small deterministic generator: the same seed, the same events.
struct Steps(u64);

impl Steps {
    fn next(&mut self, below: u64) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % below
    }
}

/// Every stored evaluation of institution `a`, and a fresh evaluation of
/// every starter in their induction today: they must say the same.
async fn assert_stored_is_fresh(db: &Db, institution: InstitutionId, now: DateTime<Utc>, step: &str) {
    let on = today(now);
    let mut stored = crate::store::evaluations::stored(db, institution, None).await.unwrap();
    stored.sort_by_key(|e| e.employment);
    let calibration = crate::store::risk::calibration(db, institution).await.unwrap();
    let mut fresh: Vec<Evaluation> = evaluate_institution(db, institution, None, on)
        .await
        .unwrap()
        .into_iter()
        .map(|e| evaluation_of(&e.record, e.signals, on, calibration.as_ref()))
        .collect();
    fresh.sort_by_key(|e| e.employment);
    assert_eq!(stored.len(), fresh.len(), "after {step}: {stored:?} against {fresh:?}");
    for (s, f) in stored.iter().zip(&fresh) {
        assert!(s.same_as(f), "after {step}: stored {s:?}, fresh {f:?}");
    }
}

crate::db_test!(async fn after_any_sequence_of_events_the_stored_evaluation_and_guidance_are_fresh_ones(db) {
    let (f, _, _) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let bram = ctx_of(db, f.bram).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let mut now = at(2026, 8, 20);
    signals_daily(db, now).await;
    assert_stored_is_fresh(db, f.a, now, "the first daily run").await;
    let trajectory = crate::store::trajectories::trajectories(db, f.a)
        .await
        .unwrap()
        .into_iter()
        .next()
        .map(|t| t.id);
    let milestones = crate::store::trajectories::milestones(db, f.a, trajectory).await.unwrap();

    for seed in [7_u64, 2026, 31_337] {
        let mut steps = Steps(seed);
        for n in 0..18 {
            let day = now.date_naive().format("%Y-%m-%d").to_string();
            let score = || ((n % 5) + 1).to_string();
            let step = match steps.next(12) {
                0 => {
                    let scores = [score(), "3".into(), score(), "3".into(), score()];
                    let form = CheckInForm {
                        scores,
                        comment: String::new(),
                        talk_to: String::new(),
                    };
                    let _ = checkins::submit(db, now, &cigdem, &form).await;
                    "a check-in"
                }
                1 => {
                    let _ = mentoring::pair(db, now, &anna, f.cigdem, f.bram, "workplace_mentor", "", "").await;
                    "a pairing"
                }
                2 => {
                    let open = crate::store::mentoring::pairings_of_starter(db, f.a, f.cigdem).await.unwrap();
                    if let Some(p) = open.iter().find(|p| p.is_open()) {
                        let _ = mentoring::end_pairing(db, now, &anna, p.id, "other", &day).await;
                    }
                    "the end of a pairing"
                }
                3 => {
                    // A new conversation, held or planned, or an earlier one
                    // changed: held or planned again, on another day.
                    let status = if steps.next(3) == 0 { "planned" } else { "held" };
                    let earlier = crate::store::mentoring::conversation_facts_of(db, f.a, f.cigdem).await.unwrap();
                    let editing = match steps.next(3) {
                        0 => earlier.get(steps.next(earlier.len().max(1) as u64) as usize).map(|c| c.id),
                        _ => None,
                    };
                    let on = (now - chrono::Duration::days(steps.next(20) as i64)).date_naive();
                    let form = ConversationForm {
                        status: status.into(),
                        on: on.format("%Y-%m-%d").to_string(),
                        kind: "guidance".into(),
                        summary: "Gesprek".into(),
                        ..Default::default()
                    };
                    let _ = conversations::log(db, now, &bram, f.cigdem, editing, &form).await;
                    if editing.is_some() { "a changed conversation" } else { "a conversation" }
                }
                4 => {
                    let fixed = steps.next(2) == 0;
                    let form = crate::service::starters::TermsForm {
                        valid_from: day.clone(),
                        fte: "0,8".into(),
                        contract: if fixed { "fixed_term" } else { "permanent" }.into(),
                        until: if fixed { "2027-01-31".into() } else { String::new() },
                        team: Some(f.team_a.0),
                        partnership: None,
                    };
                    crate::service::starters::change_terms(db, now, &anna, f.cigdem, &form).await.unwrap();
                    "new terms"
                }
                5 => {
                    let form = crate::service::starters::FacilitationForm {
                        school_year: 2026,
                        starter_promised: "80".into(),
                        starter_granted: if steps.next(2) == 0 { "20".into() } else { "80".into() },
                        ..Default::default()
                    };
                    crate::service::starters::record_facilitation(db, now, &anna, f.cigdem, &form).await.unwrap();
                    "facilitation hours"
                }
                6 => {
                    if steps.next(2) == 0 {
                        let _ = crate::service::starters::record_leaving(db, now, &anna, f.cigdem, &day, "workload", "")
                            .await;
                        "leaving"
                    } else {
                        crate::service::starters::undo_leaving(db, now, &anna, f.cigdem).await.unwrap();
                        "undoing a leaving"
                    }
                }
                7 => {
                    let on = if steps.next(2) == 0 { day.clone() } else { String::new() };
                    let _ = crate::service::starters::record_completion(db, now, &anna, f.cigdem, &on).await;
                    "completing or reopening the induction"
                }
                8 => {
                    let mut settings = Settings::default();
                    settings.no_conversation_amber_days = 7 + steps.next(30) as u32;
                    settings.no_conversation_red_days = settings.no_conversation_amber_days + 14;
                    save_settings(db, now, &anna, &settings).await.unwrap();
                    "new settings"
                }
                9 => {
                    let end = (now + chrono::Duration::days(10)).date_naive().format("%Y-%m-%d").to_string();
                    let _ = add_holiday(db, now, &anna, "Vakantie", &day, &end).await;
                    "a holiday"
                }
                10 => {
                    if let Some(m) = milestones.get(steps.next(milestones.len().max(1) as u64) as usize) {
                        let change = crate::service::starters::MilestoneChange::Done {
                            on: day.clone(),
                            note: String::new(),
                        };
                        let _ = crate::service::starters::update_milestone(db, now, &anna, m.id, change).await;
                    }
                    "a milestone"
                }
                _ => {
                    now += chrono::Duration::days(1 + steps.next(20) as i64);
                    signals_daily(db, now).await;
                    "days passing"
                }
            };
            assert_stored_is_fresh(db, f.a, now, &format!("{step} (seed {seed}, step {n})")).await;
            assert_eq!(
                crate::store::retention::stored_guidance(db).await.unwrap(),
                crate::store::retention::fresh_guidance(db).await.unwrap(),
                "the guidance facts retention reads, after {step} (seed {seed}, step {n})"
            );
        }
    }
});

async fn signals_daily(db: &Db, now: DateTime<Utc>) {
    daily(db, now).await.unwrap();
}

crate::db_test!(async fn a_long_watch_list_comes_in_pages_with_the_counts_of_the_whole_list(db) {
    let now = at(2026, 12, 1);
    let anna = crate::testing::demo_coordinator(db, now).await;
    signals_daily(db, now).await;
    let whole = watch_list(db, now, &anna, None, None, WatchShow::All).await.unwrap();
    let n = whole.rows.len();
    assert!(n > 40, "{n} starters on the demo coordinator's list");
    let count = |level| whole.rows.iter().filter(|r| r.level == Some(level)).count();
    assert_eq!((whole.first, whole.total, whole.red, whole.amber), (0, n, count(Severity::Red), count(Severity::Amber)));
    let page = |first, focus| watch_list_page(db, now, &anna, None, None, WatchShow::All, first, 20, focus);

    // Each page holds its share of the whole list, in the list's order,
    // with the counts of the whole list.
    let first = page(0, None).await.unwrap();
    assert_eq!(first.rows, whole.rows[..20]);
    assert_eq!((first.first, first.total, first.red, first.amber), (0, n, whole.red, whole.amber));
    assert_eq!(first.in_scope, whole.in_scope);
    let second = page(20, None).await.unwrap();
    assert_eq!((second.first, second.rows.as_slice()), (20, &whole.rows[20..40]));
    // A link past the end (the list shrank since) gets the last page.
    let last = page(10 * n, None).await.unwrap();
    assert_eq!(last.first, (n - 1) / 20 * 20);
    assert_eq!(last.rows, whole.rows[last.first..]);

    // After acting on an alert, its page, whatever page the link asked for.
    let (index, alert) = whole
        .rows
        .iter()
        .enumerate()
        .skip(20)
        .find_map(|(i, r)| r.alert.as_ref().map(|a| (i, a.id)))
        .expect("an alert beyond the first page");
    let focused = page(0, Some(alert)).await.unwrap();
    assert_eq!(focused.first, index / 20 * 20);
    assert!(focused.rows.iter().any(|r| r.alert.as_ref().map(|a| a.id) == Some(alert)));
});

crate::db_test!(async fn evaluations_are_written_and_removed_a_hundred_to_a_statement(db) {
    use crate::store::evaluations::{self, Evaluation};
    use crate::store::statements;
    let now = at(2026, 12, 1);
    let anna = crate::testing::demo_coordinator(db, now).await;
    let institution = anna.institution.unwrap();
    signals_daily(db, now).await;
    let read = || async {
        let mut stored = evaluations::stored(db, institution, None).await.unwrap();
        stored.sort_by_key(|e| e.employment);
        stored
    };
    let stored = read().await;
    let n = stored.len();
    assert!(n > 100, "{n} evaluations");
    let budget = u64::try_from(n.div_ceil(100)).unwrap();

    // Every row replaced, a hundred to a statement.
    let changed: Vec<Evaluation> = stored
        .iter()
        .map(|e| Evaluation { score: e.score + 1, last_held: None, ..e.clone() })
        .collect();
    let rows: Vec<&Evaluation> = changed.iter().collect();
    let mut tx = db.begin_write().await.unwrap();
    let (written, sent) = statements::count(evaluations::put(&mut tx, institution, &rows, now)).await;
    written.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(sent, budget);
    assert_eq!(read().await, changed);

    // Removed the same way, all but the last.
    let ids: Vec<i64> = changed.iter().map(|e| e.employment).collect();
    let mut tx = db.begin_write().await.unwrap();
    let (removed, sent) = statements::count(evaluations::remove(&mut tx, &ids[..n - 1])).await;
    removed.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(sent, u64::try_from((n - 1).div_ceil(100)).unwrap());
    assert_eq!(read().await, changed[n - 1..]);
});
