//! The copy of a person's data on both backends: a starter's copy holds
//! their own check-ins, what was shared with them and their reflection, and
//! never the mentor's private note; a mentor's copy holds what the mentor
//! wrote and none of the mentee's check-ins; a coordinator's copy is an
//! audit row the person sees in the next copy; nobody else gets one.

use super::*;
use crate::domain::checkin::CheckInForm;
use crate::domain::mentoring::{ConversationForm, Topic};
use crate::service::checkins::tests::world;
use crate::service::{checkins, conversations, mentoring};
use crate::testing::{at, ctx_of};

pub(crate) const CHECK_IN_TEXT: &str = "CHECKINTEXTMARKER";
pub(crate) const SUMMARY: &str = "SUMMARYMARKER";
pub(crate) const NOTE: &str = "PRIVATENOTEMARKER";
pub(crate) const REFLECTION: &str = "REFLECTIONMARKER";
pub(crate) const ACTION: &str = "ACTIONMARKER";

fn json(data: &PersonalData) -> String {
    serde_json::to_string(data).unwrap()
}

/// The check-in world with Çiğdem paired with Bram, a check-in with text
/// asking to talk, and a held conversation with summary, private note and an
/// action, confirmed by her with a reflection: one marker string each.
pub(crate) async fn content_world(db: &Db) -> (crate::testing::PeopleFixture, PersonId) {
    let (f, _gijs, fleur) = world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let bram = ctx_of(db, f.bram).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    mentoring::pair(db, at(2026, 9, 1), &anna, f.cigdem, f.bram, "workplace_mentor", "", "")
        .await
        .unwrap();
    let check_in = CheckInForm {
        scores: ["4", "3", "4", "3", "5"].map(str::to_owned),
        comment: CHECK_IN_TEXT.to_owned(),
        talk_to: "mentor".to_owned(),
    };
    checkins::submit(db, at(2026, 9, 1), &cigdem, &check_in).await.unwrap();
    let held = ConversationForm {
        status: "held".into(),
        kind: "guidance".into(),
        topics: vec![Topic::Workload.code().into()],
        summary: SUMMARY.into(),
        note: NOTE.into(),
        actions: vec![(ACTION.into(), "starter".into(), String::new())],
        ..Default::default()
    };
    let later = at(2026, 9, 3);
    let conversation = conversations::log(db, later, &bram, f.cigdem, None, &held)
        .await
        .unwrap();
    conversations::confirm(db, later, &cigdem, conversation, REFLECTION)
        .await
        .unwrap();
    (f, fleur)
}

crate::db_test!(async fn each_copy_holds_what_its_person_may_see_and_nothing_of_others(db) {
    let (f, _fleur) = content_world(db).await;
    let anna = ctx_of(db, f.anna).await;
    let bram = ctx_of(db, f.bram).await;
    let cigdem = ctx_of(db, f.cigdem).await;
    let later = at(2026, 9, 3);
    // The mentor reads the check-in: the starter's copy will say so.
    checkins::of_mentee(db, later, &bram, f.cigdem).await.unwrap();

    let now = at(2026, 9, 4);
    let own = export(db, now, &cigdem, f.cigdem).await.unwrap();
    assert_eq!(own.person.name, "Çiğdem Öztürk");
    assert_eq!(own.employments.len(), 1);
    assert_eq!(own.employments[0].employee_number, "1001");
    assert!(own.employments[0].trajectory.is_some());
    assert!(!own.employments[0].can_manage && !own.employments[0].can_edit_goals, "a copy offers no changes");
    assert_eq!(own.check_ins.len(), 1);
    assert_eq!(own.check_ins[0].comment.as_deref(), Some(CHECK_IN_TEXT));
    assert_eq!(own.talk_requests.len(), 1);
    assert_eq!(own.mentors.len(), 1);
    assert_eq!(own.mentors[0].mentor, "Bram Mentor");
    assert_eq!(own.conversations.len(), 1);
    assert_eq!(own.conversations[0].summary, SUMMARY);
    assert_eq!(own.conversations[0].reflection.as_deref(), Some(REFLECTION));
    let text = json(&own);
    assert!(!text.contains(NOTE), "the mentor's private note is never in the starter's copy");
    assert!(own.written_as_mentor.is_empty());
    assert!(
        own.reads.iter().any(|r| r.by.as_deref() == Some("Bram Mentor") && r.what == AuditAction::CheckInRead),
        "{:?}",
        own.reads
    );
    assert!(own.reads.iter().all(|r| r.by.as_deref() != Some("Çiğdem Öztürk")), "her own reads are not listed");
    assert!(
        own.notifications.iter().any(|n| n.kind == crate::domain::notification::NotificationKind::MentorPaired)
    );

    // The mentor's copy: what he wrote, with his own note, and nothing of hers.
    let his = export(db, now, &bram, f.bram).await.unwrap();
    assert_eq!(his.written_as_mentor.len(), 1);
    assert_eq!(his.written_as_mentor[0].summary, SUMMARY);
    assert_eq!(his.written_as_mentor[0].private_note.as_deref(), Some(NOTE));
    let text = json(&his);
    // (Her name is in the notifications he received, as he was told it.)
    for marker in [CHECK_IN_TEXT, REFLECTION] {
        assert!(!text.contains(marker), "the mentor's copy holds {marker}");
    }
    assert!(his.employments.is_empty() && his.check_ins.is_empty() && his.conversations.is_empty());

    // Nobody but the person and a coordinator of the institution gets a copy.
    assert!(matches!(export(db, now, &bram, f.cigdem).await, Err(ServiceError::Forbidden)));
    let erik = ctx_of(db, f.erik).await;
    assert!(matches!(export(db, now, &erik, f.cigdem).await, Err(ServiceError::NotFound)));
    let daan = ctx_of(db, f.daan).await;
    assert!(matches!(export(db, now, &daan, f.cigdem).await, Err(ServiceError::Forbidden)));

    // A coordinator's copy on request equals her own, and is in the log.
    let on_request = export(db, now, &anna, f.cigdem).await.unwrap();
    assert_eq!(on_request.conversations, own.conversations);
    assert!(!json(&on_request).contains(NOTE));
    let again = export(db, at(2026, 9, 5), &cigdem, f.cigdem).await.unwrap();
    assert!(
        again
            .reads
            .iter()
            .any(|r| r.by.as_deref() == Some("Anna Coördinator") && r.what == AuditAction::PersonalDataExported)
    );
});
