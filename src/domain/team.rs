//! Teams inside an institution, each working in one mbo sector.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{InstitutionId, Name, TeamId};

/// The mbo sector a team works in. Stored by its `code`; shown translated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// Zorg & welzijn
    CareWelfare,
    /// Techniek
    Technology,
    /// Economie
    Economy,
    /// ICT & creatief
    IctCreative,
    /// Horeca & toerisme
    HospitalityTourism,
    /// Groen
    Green,
    /// Entree (entry level)
    Entry,
    /// Anything else (general education, languages, …)
    Other,
}

crate::domain::code::stored_as_code!(Sector);

impl Sector {
    pub const ALL: [Sector; 8] = [
        Sector::CareWelfare,
        Sector::Technology,
        Sector::Economy,
        Sector::IctCreative,
        Sector::HospitalityTourism,
        Sector::Green,
        Sector::Entry,
        Sector::Other,
    ];

    /// The stable code stored in the database and used in CSV files.
    pub fn code(self) -> &'static str {
        match self {
            Sector::CareWelfare => "care_welfare",
            Sector::Technology => "technology",
            Sector::Economy => "economy",
            Sector::IctCreative => "ict_creative",
            Sector::HospitalityTourism => "hospitality_tourism",
            Sector::Green => "green",
            Sector::Entry => "entry",
            Sector::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A team as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub institution_id: InstitutionId,
    pub name: Name,
    pub sector: Sector,
    pub created_at: DateTime<Utc>,
}

/// What it takes to create a team. The institution comes from the caller's
/// context, never from the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamForCreate {
    pub name: Name,
    pub sector: Sector,
}

/// A person named in a list (leader of a team, actor in the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: super::PersonId,
    pub name: String,
}

/// A team with its leaders and how many people have a role in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamOverview {
    pub id: TeamId,
    pub name: String,
    pub sector: Sector,
    pub leaders: Vec<PersonRef>,
    pub member_count: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_codes_round_trip() {
        for sector in Sector::ALL {
            assert_eq!(Sector::from_code(sector.code()), Some(sector));
        }
        assert_eq!(Sector::from_code("zorg"), None);
    }

    #[test]
    fn sector_serde_uses_the_stored_code() {
        for sector in Sector::ALL {
            let json = serde_json::to_string(&sector).unwrap();
            assert_eq!(json, format!("\"{}\"", sector.code()));
        }
    }
}
