//! Field errors: what was wrong with which form field, as data the UI
//! translates. A service never answers bad input with a 500.

use serde::{Deserialize, Serialize};

use super::TextError;

/// Why a field value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum FieldProblem {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    Format,
    ControlCharacters,
    /// Already used (e-mail address, BRIN code, team name).
    Taken,
    /// A password that is too easy to guess.
    TooGuessable,
    /// The current password given to confirm a change is wrong.
    WrongPassword,
    /// Two entries that must match do not.
    Mismatch,
    /// A choice that is not one of the offered options.
    UnknownChoice,
    /// A whole number outside the allowed range.
    OutOfRange {
        min: i32,
        max: i32,
    },
    /// An FTE outside 0,01–1,2.
    FteRange,
    /// A date before the date it must follow (an end before its start).
    BeforeStart,
    /// Refers to something that does not exist (a team, a partnership).
    UnknownReference,
    /// A file larger than allowed.
    TooLarge {
        max_bytes: u64,
    },
    /// A date after today where only past days make sense (a held conversation).
    InFuture,
    /// A date less than this many months before today, where what happened
    /// in the months after it must be known (the end of a backtest period).
    TooRecent {
        months: u32,
    },
    /// A team leader asked to mentor a starter of their own team.
    LeadsStartersTeam,
    /// Separation of duties: nobody creates, changes or ends a pairing in
    /// which they are the mentor themselves.
    OwnPairing,
    /// An address that cannot be used here; deliberately does not say
    /// whether (or where) it is registered.
    AddressUnavailable,
    /// A link for an account that holds data goes to the person by e-mail
    /// only, and e-mail is not configured.
    EmailOnly,
    /// The address of an account that holds data was changed by someone
    /// else since the person last logged in: no link goes there.
    AddressUnconfirmed,
    /// The name typed to confirm an erasure is not the person's.
    ConfirmationDiffers,
    /// The institution logs in with the school account only.
    SchoolLoginOnly,
    /// An amber threshold above the red one.
    AmberAboveRed,
    /// Too little history to fit a calibrated risk on.
    NoRiskModel,
    /// A secret cannot be stored: the server has no key to seal it with.
    NoSecretKey,
}

impl From<TextError> for FieldProblem {
    fn from(err: TextError) -> Self {
        match err {
            TextError::Empty => FieldProblem::Required,
            TextError::TooLong { max } => FieldProblem::TooLong { max },
            TextError::ControlCharacters => FieldProblem::ControlCharacters,
            TextError::Format => FieldProblem::Format,
        }
    }
}

/// One refused field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    #[serde(flatten)]
    pub problem: FieldProblem,
}

/// Collects field errors while parsing a form.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, problem: impl Into<FieldProblem>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            problem: problem.into(),
        });
    }

    /// Record the error of `result`, if any, and return its value.
    pub fn check<T, E: Into<FieldProblem>>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.add(field, err);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_errors_and_values() {
        let mut errors = FieldErrors::new();
        assert_eq!(errors.check::<_, TextError>("name", Ok(3)), Some(3));
        assert_eq!(errors.check::<i32, _>("email", Err(TextError::Format)), None);
        let list = errors.into_vec();
        assert_eq!(
            list,
            [FieldError {
                field: "email".into(),
                problem: FieldProblem::Format
            }]
        );
        let json = serde_json::to_value(&list[0]).unwrap();
        assert_eq!(json, serde_json::json!({ "field": "email", "problem": "format" }));
    }
}
