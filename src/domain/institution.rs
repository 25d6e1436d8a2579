//! Institutions (mbo schools, identified by their BRIN code): the tenant of
//! every other record.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{InstitutionId, Name, TextError};

/// A BRIN code: the four-character code DUO gives every Dutch school,
/// two digits followed by two letters (for example `25LX`). Stored upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BrinCode(String);

impl BrinCode {
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let code = raw.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(TextError::Empty);
        }
        let bytes = code.as_bytes();
        let well_formed = bytes.len() == 4
            && bytes[..2].iter().all(u8::is_ascii_digit)
            && bytes[2..].iter().all(u8::is_ascii_uppercase);
        if !well_formed {
            return Err(TextError::Format);
        }
        Ok(Self(code))
    }
}

super::text::validated_string!(BrinCode);

/// An institution as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    pub id: InstitutionId,
    pub name: Name,
    pub brin_code: BrinCode,
    pub created_at: DateTime<Utc>,
}

/// What it takes to create an institution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionForCreate {
    pub name: Name,
    pub brin_code: BrinCode,
}

/// One line of the public status page: an institution and how many teams it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionOverview {
    pub id: InstitutionId,
    pub name: String,
    pub brin_code: String,
    pub team_count: i64,
}

/// Whether an overview line matches a search: the trimmed query occurs in
/// the name or the BRIN code, ignoring case. An empty query matches all.
pub fn matches_query(institution: &InstitutionOverview, query: &str) -> bool {
    let query = query.trim().to_lowercase();
    query.is_empty()
        || institution.name.to_lowercase().contains(&query)
        || institution.brin_code.to_lowercase().contains(&query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_matches_name_or_brin_ignoring_case() {
        let line = InstitutionOverview {
            id: InstitutionId(1),
            name: "ROC Lindenhaghe".into(),
            brin_code: "25LH".into(),
            team_count: 3,
        };
        assert!(matches_query(&line, ""));
        assert!(matches_query(&line, "linden"));
        assert!(matches_query(&line, " 25lh "));
        assert!(!matches_query(&line, "zuiderzee"));
    }

    #[test]
    fn brin_code_is_normalised_to_upper_case() {
        assert_eq!(BrinCode::parse(" 25lx ").unwrap().as_str(), "25LX");
    }

    #[test]
    fn brin_code_must_be_two_digits_then_two_letters() {
        for bad in ["2LX5", "25L", "25LXX", "AB12", "25L1", "２5LX"] {
            assert_eq!(BrinCode::parse(bad), Err(TextError::Format), "{bad}");
        }
        assert_eq!(BrinCode::parse(""), Err(TextError::Empty));
    }
}
