//! Validated free text used for names: trimmed, not empty, bounded length,
//! no control characters.

use serde::{Deserialize, Serialize};

/// Why a piece of text was refused. The UI translates each variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TextError {
    #[error("required")]
    Empty,
    #[error("too long (at most {max} characters)")]
    TooLong { max: usize },
    #[error("contains control characters")]
    ControlCharacters,
    #[error("invalid format")]
    Format,
}

/// The conversions every validated string newtype shares: parsing from a
/// `String` (serde uses it), back into a `String`, `as_str`, `Display`.
/// The type must have `fn parse(&str) -> Result<Self, TextError>`.
macro_rules! validated_string {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::domain::TextError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

pub(crate) use validated_string;

/// A display name (institution, team, person): 1 to 120 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(TextError::Empty);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(TextError::TooLong { max: Self::MAX_CHARS });
        }
        if trimmed.chars().any(char::is_control) {
            return Err(TextError::ControlCharacters);
        }
        Ok(Self(trimmed.to_owned()))
    }
}

validated_string!(Name);

/// Free text with line breaks: at most `max` characters, no other control
/// characters. Trimmed; may be empty.
pub fn long_text(errors: &mut super::FieldErrors, field: &str, raw: &str, max: usize) -> String {
    let text = raw.trim();
    if text.chars().count() > max {
        errors.add(field, super::FieldProblem::TooLong { max });
    } else if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        errors.add(field, super::FieldProblem::ControlCharacters);
    }
    text.replace("\r\n", "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_accepts_ordinary_names() {
        assert_eq!(Name::parse("  Deltacollege  ").unwrap().as_str(), "Deltacollege");
    }

    #[test]
    fn refuses_empty_long_and_control_text() {
        assert_eq!(Name::parse("   "), Err(TextError::Empty));
        assert_eq!(Name::parse(&"a".repeat(121)), Err(TextError::TooLong { max: 120 }));
        assert_eq!(Name::parse("a\u{7}b"), Err(TextError::ControlCharacters));
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert!(Name::parse(&"é".repeat(120)).is_ok());
    }
}
