//! Retention periods and erasure (AVG art. 5(1)(e), 17): what Houvast
//! erases about a person, and when. The erasure job and the privacy
//! statement both read [`Erased::ALL`] and [`Kept::ALL`], so what the
//! statement promises is what the job does.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Role;
use super::code::coded;

/// Months after the end of a person's induction that free text and contact
/// details are kept, unless the institution chooses otherwise: two years,
/// long enough to answer a question about a reference or a dispute about
/// the induction, and in line with the usual period for personnel files
/// of staff who left.
pub const DEFAULT_RETENTION_MONTHS: u16 = 24;
pub const RETENTION_MONTHS_MIN: u16 = 1;

/// Months the audit log keeps an event: five years, longer than any
/// induction (three years) plus the default retention period, so who read
/// or changed a person's data can be answered for as long as the data
/// exists. Events hold ids and codes, never content or e-mail addresses.
/// The database refuses to delete any event younger than a year.
pub const AUDIT_RETENTION_MONTHS: u16 = 60;
pub const RETENTION_MONTHS_MAX: u16 = 120;

/// Days an uploaded HR file (and the report of its import) is kept: long
/// enough to check a preview, apply it and look back at what it did; it
/// holds names, addresses and employee numbers of many people, so not a day
/// longer than that needs.
pub const UPLOAD_RETENTION_DAYS: u16 = 30;

coded!(
    /// What the erasure removes. Every kind is one line of the privacy
    /// statement and one step of the erasure.
    Erased {
        ConversationContent = "conversation_content",
        PrivateNotes = "private_notes",
        CheckInTexts = "check_in_texts",
        FreeTextNotes = "free_text_notes",
        ContactDetails = "contact_details",
    }
);

coded!(
    /// What stays after erasure: the anonymous facts the retention figures
    /// need, under a pseudonym.
    Kept {
        EmploymentDates = "employment_dates",
        RouteTeamTerms = "route_team_terms",
        MilestoneDates = "milestone_dates",
        CheckInScores = "check_in_scores",
        ConversationDates = "conversation_dates",
        Pseudonym = "pseudonym",
    }
);

coded!(
    /// What Houvast stores about a person: one row of the register of
    /// processing and one paragraph of the privacy statement.
    Category {
        Account = "account",
        Employment = "employment",
        Trajectory = "trajectory",
        CheckIns = "check_ins",
        Conversations = "conversations",
        PrivateNotes = "private_notes",
        Signals = "signals",
        HrImports = "hr_imports",
        Audit = "audit",
    }
);

impl Category {
    /// What the erasure removes of this category after the retention
    /// period; `None`: kept, as anonymous facts under a pseudonym (or, for
    /// the audit log, as ids without content).
    pub fn erased(self) -> Option<Erased> {
        match self {
            Category::Account => Some(Erased::ContactDetails),
            Category::Employment | Category::Audit | Category::HrImports => None,
            Category::Trajectory | Category::Signals => Some(Erased::FreeTextNotes),
            Category::CheckIns => Some(Erased::CheckInTexts),
            Category::Conversations => Some(Erased::ConversationContent),
            Category::PrivateNotes => Some(Erased::PrivateNotes),
        }
    }

    /// Who sees it besides the person themselves (the design's access table).
    pub fn seen_by(self) -> &'static [Role] {
        match self {
            Category::Account | Category::Employment => &[Role::Coordinator, Role::TeamLeader, Role::Admin],
            Category::Trajectory => &[Role::Mentor, Role::TeamLeader, Role::Coordinator],
            Category::CheckIns | Category::Conversations => &[Role::Mentor],
            Category::PrivateNotes => &[],
            Category::Signals => &[Role::Mentor, Role::TeamLeader, Role::Coordinator],
            Category::Audit | Category::HrImports => &[Role::Coordinator],
        }
    }
}

/// The day `person`'s free text is due for erasure: `months` after their
/// induction ended (their last employment ended or their trajectory was
/// completed, whichever is later). `None` while the induction goes on.
pub fn due_on(induction_ended: Option<NaiveDate>, months: u16) -> Option<NaiveDate> {
    induction_ended.and_then(|end| end.checked_add_months(Months::new(u32::from(months))))
}

/// The name an erased person is shown by.
pub fn pseudonym(person: super::PersonId) -> String {
    format!("Persoon {}", person.0)
}

/// Check a retention period typed by a coordinator.
pub fn parse_months(raw: &str) -> Option<u16> {
    raw.trim()
        .parse::<u16>()
        .ok()
        .filter(|m| (RETENTION_MONTHS_MIN..=RETENTION_MONTHS_MAX).contains(m))
}

/// Why an erasure happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureCause {
    /// The retention period ran out.
    RetentionPeriod,
    /// The person asked (art. 17), through a coordinator.
    Request,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_names_every_kind_of_data_the_erasure_removes() {
        for kind in Erased::ALL {
            assert!(
                Category::ALL.iter().any(|c| c.erased() == Some(*kind)),
                "{kind:?} is erased but no category of the statement says so"
            );
        }
    }

    #[test]
    fn due_a_number_of_months_after_the_induction_ended() {
        let end = NaiveDate::from_ymd_opt(2025, 8, 31).unwrap();
        assert_eq!(due_on(Some(end), 24), NaiveDate::from_ymd_opt(2027, 8, 31));
        assert_eq!(due_on(None, 24), None);
        assert_eq!(parse_months(" 36 "), Some(36));
        for bad in ["0", "121", "twee", "", "-3"] {
            assert_eq!(parse_months(bad), None, "{bad}");
        }
    }
}
