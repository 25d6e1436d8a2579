//! People and their contact details. Roles and memberships per institution
//! are separate records; a person exists once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Name, PersonId, TextError};

/// An e-mail address, trimmed and lower-cased, so it compares and stays
/// unique case-insensitively. Deliberately lenient: one `@`, a non-empty
/// local part, a domain with a dot, no spaces, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(TextError::Empty);
        }
        if email.chars().count() > Self::MAX_CHARS {
            return Err(TextError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(TextError::Format);
        };
        let well_formed = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if !well_formed {
            return Err(TextError::Format);
        }
        Ok(Self(email))
    }
}

super::text::validated_string!(Email);

/// A person as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub full_name: Name,
    pub email: Option<Email>,
    pub created_at: DateTime<Utc>,
}

/// What it takes to create a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonForCreate {
    pub full_name: Name,
    pub email: Option<Email>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Fatima.ElAmrani@Deltacollege.NL ")
                .unwrap()
                .as_str(),
            "fatima.elamrani@deltacollege.nl"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "no-at-sign",
            "@deltacollege.nl",
            "a@nodot",
            "a@b@c.nl",
            "a b@c.nl",
            "a@.nl",
            "a@c.nl.",
        ] {
            assert_eq!(Email::parse(bad), Err(TextError::Format), "{bad}");
        }
        assert_eq!(Email::parse(" "), Err(TextError::Empty));
        let long = format!("{}@example.nl", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(TextError::TooLong { max: 254 }));
    }
}
