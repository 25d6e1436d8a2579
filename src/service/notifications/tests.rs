//! Notifications on both backends: who is notified of what, each exactly
//! once however often the sweep runs, never with content, and read by
//! nobody but their recipient.

use chrono::NaiveDate;

use super::*;
use crate::domain::checkin::CheckInForm;
use crate::domain::mentoring::ConversationForm;
use crate::service::checkins::tests::world;
use crate::service::{checkins, conversations, mentoring};
use crate::testing::{at, ctx_of};

const SUMMARY: &str = "NOTIFYSUMMARYMARKER";
const ACTION: &str = "NOTIFYACTIONMARKER";

/// What was notified after the pairing (which told both; see the
/// mentoring tests).
fn kinds(list: &Notifications) -> Vec<NotificationKind> {
    list.items
        .iter()
        .map(|n| n.kind)
        .filter(|k| !matches!(k, NotificationKind::MentorPaired | NotificationKind::MenteePaired))
        .collect()
}

/// The unread count as every page's menu gets it: with the request's
/// context, equal to a count of the stored rows.
async fn unread(db: &Db, ctx: &Ctx) -> Result<u32, crate::store::StoreError> {
    let fresh = Ctx::load(db, ctx.person).await?.expect("an active account");
    assert_eq!(fresh.viewer().unread_notifications, fresh.unread_notifications);
    assert_eq!(store::unread_count(db, ctx.person).await?, fresh.unread_notifications);
    Ok(fresh.unread_notifications)
}

fn checkin(talk_to: &str) -> CheckInForm {
    CheckInForm {
        scores: ["3"; 5].map(str::to_owned),
        comment: String::new(),
        talk_to: talk_to.to_owned(),
    }
}

crate::db_test!(async fn a_held_conversation_and_a_request_to_talk_notify_exactly_their_person(db) {
    let (f, gijs, fleur) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let day = at(2026, 9, 1);
    mentoring::pair(db, day, &anna, f.cigdem, f.bram, "workplace_mentor", "", "").await.unwrap();
    let bram = ctx_of(db, f.bram).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    // Both read that they were paired.
    list(db, day, &cigdem, false).await.unwrap();
    list(db, day, &bram, false).await.unwrap();

    // A planned conversation is not news; a held one with a summary is.
    let plan = ConversationForm {
        status: "planned".into(),
        on: "2026-09-03".into(),
        kind: "guidance".into(),
        ..Default::default()
    };
    let planned = conversations::log(db, day, &bram, f.cigdem, None, &plan).await.unwrap();
    assert_eq!(unread(db, &cigdem).await.unwrap(), 0);
    let held = ConversationForm {
        status: "held".into(),
        summary: SUMMARY.into(),
        ..plan.clone()
    };
    let held_day = at(2026, 9, 3);
    conversations::log(db, held_day, &bram, f.cigdem, Some(planned), &held).await.unwrap();
    // Saving it again (an edit) does not notify a second time.
    conversations::log(db, held_day, &bram, f.cigdem, Some(planned), &held).await.unwrap();
    assert_eq!(unread(db, &cigdem).await.unwrap(), 1);
    let list_ = list(db, held_day, &cigdem, false).await.unwrap();
    assert_eq!(kinds(&list_), vec![NotificationKind::ConversationSummary]);
    let item = &list_.items[0];
    assert_eq!((item.about.as_ref().map(|p| p.id), item.on), (Some(f.bram), Some(NaiveDate::from_ymd_opt(2026, 9, 3).unwrap())));
    assert!(item.unread && list_.is_starter);
    assert!(!serde_json::to_string(&list_).unwrap().contains(SUMMARY), "notifications carry no content");
    // Opening the list marked it read.
    assert_eq!(unread(db, &cigdem).await.unwrap(), 0);
    assert!(!list(db, held_day, &cigdem, false).await.unwrap().items[0].unread);

    // "I want to talk" notifies the mentor, nobody else.
    checkins::submit(db, held_day, &cigdem, &checkin("mentor")).await.unwrap();
    let bram_list = list(db, held_day, &bram, false).await.unwrap();
    assert_eq!(kinds(&bram_list), vec![NotificationKind::TalkRequest]);
    assert_eq!(bram_list.items[0].about.as_ref().map(|p| p.id), Some(f.cigdem));
    for other in [&anna, &ctx_of(db, gijs).await, &ctx_of(db, fleur).await, &ctx_of(db, f.daan).await] {
        assert!(list(db, held_day, other, false).await.unwrap().items.is_empty(), "{} was notified", other.name);
    }
    // To the coordinator on purpose: that coordinator only.
    checkins::submit(db, held_day, &cigdem, &checkin("coordinator")).await.unwrap();
    assert_eq!(kinds(&list(db, held_day, &anna, false).await.unwrap()), vec![NotificationKind::TalkRequest]);
    assert_eq!(unread(db, &bram).await.unwrap(), 0);
});

crate::db_test!(async fn the_sweep_reminds_of_a_due_check_in_and_a_due_action_once(db) {
    let (f, _, _) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let start = at(2026, 9, 1);
    mentoring::pair(db, start, &anna, f.cigdem, f.bram, "workplace_mentor", "", "").await.unwrap();
    let bram = ctx_of(db, f.bram).await;
    checkins::submit(db, start, &cigdem, &checkin("")).await.unwrap();
    let conversation = ConversationForm {
        status: "held".into(),
        on: "2026-09-01".into(),
        kind: "guidance".into(),
        actions: vec![
            (ACTION.into(), "starter".into(), "2026-09-10".into()),
            ("Rooster bekijken".into(), "mentor".into(), "2026-09-12".into()),
        ],
        ..Default::default()
    };
    conversations::log(db, start, &bram, f.cigdem, None, &conversation).await.unwrap();

    // Nothing is due yet: the check-in is due on 15 September.
    assert_eq!(sweep(db, at(2026, 9, 9)).await.unwrap(), SweepReport::default());
    // The starter's action falls due.
    assert_eq!(sweep(db, at(2026, 9, 10)).await.unwrap(), SweepReport { checkins_due: 0, actions_due: 1 });
    // Running again the same day, or the next, adds nothing; the mentor's comes on its day.
    assert_eq!(sweep(db, at(2026, 9, 10)).await.unwrap(), SweepReport::default());
    assert_eq!(sweep(db, at(2026, 9, 12)).await.unwrap(), SweepReport { checkins_due: 0, actions_due: 1 });
    // The check-in is due on the 15th: one reminder, and none on the days after.
    assert_eq!(sweep(db, at(2026, 9, 15)).await.unwrap(), SweepReport { checkins_due: 1, actions_due: 0 });
    for day in 16..=30 {
        assert_eq!(sweep(db, at(2026, 9, day)).await.unwrap(), SweepReport::default(), "day {day}");
    }
    let mine = list(db, at(2026, 9, 30), &cigdem, false).await.unwrap();
    assert_eq!(kinds(&mine), vec![NotificationKind::CheckInDue, NotificationKind::ActionDue]);
    assert_eq!(mine.items[0].on, Some(NaiveDate::from_ymd_opt(2026, 9, 15).unwrap()));
    assert!(!serde_json::to_string(&mine).unwrap().contains(ACTION), "the action is named by date, not text");
    let his = list(db, at(2026, 9, 30), &bram, false).await.unwrap();
    assert_eq!(kinds(&his), vec![NotificationKind::ActionDue]);
    assert_eq!(his.items[0].about.as_ref().map(|p| p.id), Some(f.cigdem));

    // After checking in, the next due date gets its own single reminder.
    checkins::submit(db, at(2026, 10, 1), &cigdem, &checkin("")).await.unwrap();
    assert_eq!(sweep(db, at(2026, 10, 14)).await.unwrap(), SweepReport::default());
    assert_eq!(sweep(db, at(2026, 10, 15)).await.unwrap().checkins_due, 1);
    assert_eq!(sweep(db, at(2026, 10, 15)).await.unwrap().checkins_due, 0);
});

crate::db_test!(async fn e_mail_status_says_whether_and_where_mail_goes(db) {
    let (f, _, _) = world(db).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let day = at(2026, 9, 1);
    assert_eq!(list(db, day, &cigdem, false).await.unwrap().email, EmailStatus::Off);
    assert_eq!(
        list(db, day, &cigdem, true).await.unwrap().email,
        EmailStatus::To("cigdem@lindenhaghe.nl".into())
    );
});
