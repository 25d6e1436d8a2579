//! A notification in words: the in-app list and the e-mail subject share it.

use houvast::domain::notification::NotificationKind;

use crate::components::dates::day;
use crate::i18n::*;

/// One notification in words, in `locale` (also the e-mail's subject line).
pub fn notification_text(locale: Locale, kind: NotificationKind, name: &str, on: Option<chrono::NaiveDate>) -> String {
    let date = on.map(day).unwrap_or_default();
    match kind {
        NotificationKind::ConversationSummary => {
            td_string!(locale, notification.conversation_summary, name = name, date = date).to_string()
        }
        NotificationKind::ActionDue => {
            td_string!(locale, notification.action_due, name = name, date = date).to_string()
        }
        NotificationKind::CheckInDue => td_string!(locale, notification.checkin_due, date = date).to_string(),
        NotificationKind::TalkRequest => {
            td_string!(locale, notification.talk_request, name = name, date = date).to_string()
        }
        // One a day per person since alerts are told together; older ones name the starter.
        NotificationKind::SignalAlert if name.is_empty() => {
            td_string!(locale, notification.signal_alerts, date = date).to_string()
        }
        NotificationKind::SignalAlert => {
            td_string!(locale, notification.signal_alert, name = name, date = date).to_string()
        }
        NotificationKind::WatchDigest => td_string!(locale, notification.watch_digest, date = date).to_string(),
        NotificationKind::LinkIssued => td_string!(locale, notification.link_issued, date = date).to_string(),
        NotificationKind::MentorPaired => {
            td_string!(locale, notification.mentor_paired, name = name, date = date).to_string()
        }
        NotificationKind::MenteePaired => {
            td_string!(locale, notification.mentee_paired, name = name, date = date).to_string()
        }
    }
}
