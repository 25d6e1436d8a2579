//! Notifications: what the in-app list shows and what goes out by e-mail.
//! A notification carries a kind, the person it is about and a date, never
//! the content of a conversation or check-in, so it is safe to send by
//! e-mail and to show on a lock screen.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::PersonRef;
use super::code::coded;

coded!(
    /// Why someone is notified.
    NotificationKind {
        /// The starter's mentor logged a held conversation with a summary.
        ConversationSummary = "conversation_summary",
        /// An agreed action is due (to its owner: starter or mentor).
        ActionDue = "action_due",
        /// The starter's next check-in is due.
        CheckInDue = "checkin_due",
        /// A starter wants to talk (to the chosen mentor or coordinator).
        TalkRequest = "talk_request",
        /// A dropout-signal alert opened for a starter (to their team
        /// leader and mentor).
        SignalAlert = "signal_alert",
        /// The weekly summary of the watch list (to team leaders).
        WatchDigest = "watch_digest",
        /// An administrator issued a link to set a new password for this
        /// person (shown at their next visit, so a link they did not ask
        /// for does not go unnoticed).
        LinkIssued = "link_issued",
        /// A coordinator paired the starter with a mentor (to the starter,
        /// about the mentor).
        MentorPaired = "mentor_paired",
        /// A coordinator paired a starter with this mentor (to the mentor,
        /// about the starter).
        MenteePaired = "mentee_paired",
    }
);

/// Actions are announced when due, and up to this many days late (the job
/// may not have run on the day itself); older ones are not announced.
pub const ACTION_DUE_GRACE_DAYS: u64 = 7;

/// Notifications created while e-mail was off are not sent by e-mail when
/// it comes on later if they are older than this.
pub const EMAIL_MAX_AGE_HOURS: i64 = 24;

/// One entry of a person's notification list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub kind: NotificationKind,
    pub about: Option<PersonRef>,
    pub on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    /// Unread when the list was opened (opening the list marks all read).
    pub unread: bool,
}

impl NotificationView {
    /// Where the notification leads, from the recipient's point of view.
    pub fn link(&self, recipient_is_starter: bool) -> String {
        match (self.kind, &self.about) {
            (NotificationKind::ConversationSummary, _) => "/my-conversations".to_owned(),
            (NotificationKind::CheckInDue, _) => "/check-in".to_owned(),
            (NotificationKind::TalkRequest, _) => "/".to_owned(),
            (NotificationKind::SignalAlert | NotificationKind::WatchDigest, _) => "/watch-list".to_owned(),
            (NotificationKind::ActionDue, Some(starter)) if !recipient_is_starter => {
                format!("/mentees/{}", starter.id)
            }
            (NotificationKind::ActionDue, _) => "/my-conversations".to_owned(),
            (NotificationKind::LinkIssued, _) => "/account".to_owned(),
            (NotificationKind::MentorPaired, _) => "/my-conversations".to_owned(),
            (NotificationKind::MenteePaired, Some(starter)) => format!("/mentees/{}", starter.id),
            (NotificationKind::MenteePaired, None) => "/".to_owned(),
        }
    }
}

/// Whether notifications also go out by e-mail to this person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailStatus {
    /// This server has no SMTP settings: the list is the only channel.
    Off,
    /// E-mail is on, but no address is known for this person.
    NoAddress,
    /// Sent to this address as well.
    To(String),
}

/// A person's notification list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    pub items: Vec<NotificationView>,
    pub email: EmailStatus,
    pub is_starter: bool,
}

/// The dedupe key that makes each notification happen once.
pub fn dedupe_key(kind: NotificationKind, person: i64, subject: &str) -> String {
    format!("{}:{person}:{subject}", kind.code())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PersonId;

    fn view(kind: NotificationKind) -> NotificationView {
        NotificationView {
            id: 1,
            kind,
            about: Some(PersonRef {
                id: PersonId(7),
                name: "Sanne".into(),
            }),
            on: None,
            created_at: DateTime::UNIX_EPOCH,
            unread: true,
        }
    }

    #[test]
    fn links_lead_to_the_page_that_answers_the_notification() {
        assert_eq!(
            view(NotificationKind::ConversationSummary).link(true),
            "/my-conversations"
        );
        assert_eq!(view(NotificationKind::CheckInDue).link(true), "/check-in");
        assert_eq!(view(NotificationKind::TalkRequest).link(false), "/");
        assert_eq!(view(NotificationKind::ActionDue).link(false), "/mentees/7");
        assert_eq!(view(NotificationKind::ActionDue).link(true), "/my-conversations");
    }

    #[test]
    fn dedupe_keys_differ_per_kind_person_and_subject() {
        let a = dedupe_key(NotificationKind::CheckInDue, 1, "2026-11-29");
        assert_eq!(a, "checkin_due:1:2026-11-29");
        assert_ne!(a, dedupe_key(NotificationKind::CheckInDue, 2, "2026-11-29"));
        assert_ne!(a, dedupe_key(NotificationKind::ActionDue, 1, "2026-11-29"));
    }

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::from_code(kind.code()), Some(*kind));
        }
    }
}
