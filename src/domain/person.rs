//! People and their contact details. Roles and memberships per institution
//! are separate records; a person exists once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AccountStatus, InstitutionId, Name, PersonId, Role, TeamId, TextError};

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
            return Err(TextError::TooLong { max: Self::MAX_CHARS });
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
    /// The institution the person belongs to; `None` for deployment staff.
    pub institution: Option<InstitutionId>,
    pub created_at: DateTime<Utc>,
}

/// What it takes to create a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonForCreate {
    pub full_name: Name,
    pub email: Option<Email>,
    pub institution: Option<InstitutionId>,
}

/// A change of name or e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonForUpdate {
    pub full_name: Name,
    pub email: Option<Email>,
}

/// Which people of an institution to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleFilter {
    /// Part of the name or e-mail address, any case, accents ignored.
    pub query: Option<String>,
    pub role: Option<Role>,
    pub team: Option<TeamId>,
    pub status: Option<AccountStatus>,
}

/// One line in the people list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonListItem {
    pub id: PersonId,
    pub full_name: String,
    pub email: Option<String>,
    pub status: AccountStatus,
    pub roles: Vec<(Role, Option<TeamId>)>,
}

/// One role period of a person: role, team, started, ended.
pub type RolePeriod = (Role, Option<TeamId>, DateTime<Utc>, Option<DateTime<Utc>>);

/// Everything the people page shows about one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetail {
    pub id: PersonId,
    pub full_name: String,
    pub email: Option<String>,
    pub status: AccountStatus,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Active roles.
    pub roles: Vec<(Role, Option<TeamId>)>,
    /// Every role period, oldest first.
    pub history: Vec<RolePeriod>,
}

/// The text people are searched by: lower case, accents removed, name and
/// e-mail address together. The same function folds the query.
pub fn search_key(parts: &[&str]) -> String {
    let mut key = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        for c in part.chars().flat_map(char::to_lowercase) {
            key.push(fold_accent(c));
        }
    }
    key
}

/// The base letter of the accented Latin letters common in Dutch names
/// (and in the names of Dutch people of Turkish, Moroccan, Surinamese,
/// Polish or Portuguese descent).
fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ı' | 'ī' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_key_ignores_case_and_accents() {
        assert_eq!(
            search_key(&["Özdemir Çelik", "O.Celik@roc.nl"]),
            "ozdemir celik o.celik@roc.nl"
        );
        assert_eq!(search_key(&["Anaïs Brouwer"]), "anais brouwer");
        assert!(search_key(&["Łukasz Wiśniewski"]).contains("lukasz wisniewski"));
    }

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Fatima.ElAmrani@Deltacollege.NL ").unwrap().as_str(),
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
