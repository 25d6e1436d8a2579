//! Accounts: how a person logs in, and what the UI may know about the person
//! logged in. Passwords are checked here for length only; whether one is too
//! easy to guess is decided on the server (`service::passwords`).

use serde::{Deserialize, Serialize};

use super::{FieldProblem, InstitutionId, PersonId, Role};

/// A password as typed: 12 to 128 characters, any characters, never trimmed
/// or truncated (OWASP ASVS 6.2).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let chars = raw.chars().count();
        if chars == 0 {
            Err(FieldProblem::Required)
        } else if chars < Self::MIN_CHARS {
            Err(FieldProblem::TooShort { min: Self::MIN_CHARS })
        } else if chars > Self::MAX_CHARS {
            Err(FieldProblem::TooLong { max: Self::MAX_CHARS })
        } else {
            Ok(Self(raw.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// The two interface languages. Dutch first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Nl,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "nl" => Some(Language::Nl),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Created; the person has not set a password through their link yet.
    Invited,
    Active,
    Deactivated,
}

/// What the interface knows about the person logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub person: PersonId,
    pub name: String,
    pub email: String,
    pub institution: Option<InstitutionId>,
    pub institution_name: Option<String>,
    pub roles: Vec<Role>,
    pub language: Language,
    /// Unread notifications, for the menu (filled in by the page frame).
    #[serde(default)]
    pub unread_notifications: u32,
}

impl Viewer {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_taken_as_typed_within_12_to_128_characters() {
        assert_eq!(Password::parse(""), Err(FieldProblem::Required));
        assert_eq!(Password::parse("elf tekens!"), Err(FieldProblem::TooShort { min: 12 }));
        assert_eq!(
            Password::parse(&"x".repeat(129)),
            Err(FieldProblem::TooLong { max: 128 })
        );
        let spaced = "  twaalf tekens  ";
        assert_eq!(Password::parse(spaced).unwrap().expose(), spaced, "never trimmed");
        assert!(Password::parse(&"é".repeat(128)).is_ok(), "characters, not bytes");
        assert_eq!(format!("{:?}", Password::parse(spaced).unwrap()), "Password(…)");
    }
}
