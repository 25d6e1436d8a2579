//! E-mail text for a notification, in the recipient's language. The text
//! names who and when, never what was said; it links to the page in
//! Houvast where the rest is read.

use houvast::domain::Language;
use houvast::domain::notification::NotificationView;
use houvast::store::notifications::PendingEmail;

use crate::i18n::*;
use crate::pages::notifications::notification_text;

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
