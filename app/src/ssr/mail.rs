//! E-mail text for a notification, in the recipient's language. The text
//! names who and when, never what was said; it links to the page in
//! Houvast where the rest is read.

use std::future::Future;
use std::pin::Pin;

use houvast::domain::Language;
use houvast::domain::notification::NotificationView;
use houvast::store::notifications::PendingEmail;

use crate::components::notification_text::notification_text;
use crate::i18n::*;

/// Subject and plain-text body of one notification e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub body: String,
}

fn locale(language: Language) -> Locale {
    match language {
        Language::Nl => Locale::nl,
        Language::En => Locale::en,
    }
}

/// The e-mail for `pending`; links start with `public_url`.
pub fn compose(pending: &PendingEmail, public_url: &str) -> Composed {
    let locale = locale(pending.language);
    let about = pending.about.as_ref().map(|p| p.name.as_str()).unwrap_or_default();
    let subject = notification_text(locale, pending.kind, about, pending.on);
    let view = NotificationView {
        id: pending.id,
        kind: pending.kind,
        about: pending.about.clone(),
        on: pending.on,
        created_at: chrono::DateTime::UNIX_EPOCH,
        unread: true,
    };
    let url = format!("{}{}", public_url.trim_end_matches('/'), view.link(pending.is_starter));
    let body = format!(
        "{}\n\n{subject}.\n\n{}\n\n-- \n{}\n",
        td_string!(locale, email.greeting, name = pending.name.as_str()),
        td_string!(locale, email.open, url = url),
        td_string!(locale, email.footer),
    );
    Composed { subject, body }
}

/// One e-mail to send now.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
}

impl std::fmt::Debug for OutgoingMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body may hold a one-time link: never in a log.
        f.debug_struct("OutgoingMail")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Sends one e-mail at once; the server provides it when SMTP is set.
pub trait SendMail: Send + Sync + std::fmt::Debug {
    fn send(&self, mail: OutgoingMail) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + '_>>;
}

/// The e-mail with a one-time link to set a (new) password, in the
/// recipient's language. The link is in the mail and nowhere else.
pub fn compose_link(language: Language, name: &str, url: &str, activation: bool) -> Composed {
    let locale = locale(language);
    let (subject, intro) = if activation {
        (
            td_string!(locale, email.activation_subject).to_string(),
            td_string!(locale, email.activation_intro).to_string(),
        )
    } else {
        (
            td_string!(locale, email.reset_subject).to_string(),
            td_string!(locale, email.reset_intro).to_string(),
        )
    };
    let body = format!(
        "{}\n\n{intro}\n\n{url}\n\n{}\n\n-- \n{}\n",
        td_string!(locale, email.greeting, name = name),
        td_string!(locale, email.link_rules),
        td_string!(locale, email.footer),
    );
    Composed { subject, body }
}
