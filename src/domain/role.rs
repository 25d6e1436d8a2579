//! Roles a person holds, each for a dated period (a membership). What each
//! role may see is decided in the services; see DESIGN.md.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{InstitutionId, PersonId, TeamId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Starter,
    Mentor,
    TeamLeader,
    Coordinator,
    Admin,
    Analyst,
}

crate::domain::code::stored_as_code!(Role);

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Starter,
        Role::Mentor,
        Role::TeamLeader,
        Role::Coordinator,
        Role::Admin,
        Role::Analyst,
    ];

    /// Roles held within an institution (the others are deployment-wide).
    pub const INSTITUTIONAL: [Role; 4] = [Role::Starter, Role::Mentor, Role::TeamLeader, Role::Coordinator];

    pub fn code(self) -> &'static str {
        match self {
            Role::Starter => "starter",
            Role::Mentor => "mentor",
            Role::TeamLeader => "team_leader",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
            Role::Analyst => "analyst",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn is_institutional(self) -> bool {
        Self::INSTITUTIONAL.contains(&self)
    }

    /// The role whose home a person with several roles lands on first.
    pub fn primary(roles: &[Role]) -> Option<Role> {
        [
            Role::Admin,
            Role::Coordinator,
            Role::TeamLeader,
            Role::Mentor,
            Role::Starter,
            Role::Analyst,
        ]
        .into_iter()
        .find(|r| roles.contains(r))
    }
}

/// A role held for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub id: i64,
    pub person: PersonId,
    pub institution: Option<InstitutionId>,
    pub role: Role,
    /// The team the role is exercised in (a team leader's team, a starter's team).
    pub team: Option<TeamId>,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// A role to give someone: the role and, where it applies, the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoleAssignment {
    pub role: Role,
    pub team: Option<TeamId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip_and_primary_prefers_the_widest_view() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::primary(&[Role::Starter, Role::Mentor]), Some(Role::Mentor));
        assert_eq!(
            Role::primary(&[Role::Mentor, Role::Coordinator]),
            Some(Role::Coordinator)
        );
        assert_eq!(Role::primary(&[]), None);
        assert!(!Role::Admin.is_institutional() && Role::TeamLeader.is_institutional());
    }
}
