//! Typed record ids, so an institution id can never be passed where a team id
//! is expected. They are plain `i64` in both databases.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "server", derive(sqlx::Type))]
        #[cfg_attr(feature = "server", sqlx(transparent))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// An mbo institution (the tenant).
    InstitutionId
);
id_type!(
    /// A team inside an institution.
    TeamId
);
id_type!(
    /// A person: starter, mentor, team leader, coordinator, admin or analyst.
    PersonId
);
id_type!(
    /// A starter's employment at an institution.
    EmploymentId
);
id_type!(
    /// An SO&P partnership of an institution.
    PartnershipId
);
id_type!(
    /// A trajectory template (one per institution and entry route).
    TemplateId
);
id_type!(
    /// A starter's induction trajectory.
    TrajectoryId
);
id_type!(
    /// A milestone inside a starter's trajectory.
    MilestoneId
);
