//! The public status overview: which institutions use this deployment and how
//! many teams each has. No personal data.

use super::ServiceError;
use crate::domain::InstitutionOverview;
use crate::store::{Db, institutions};

/// Institutions by name with their team counts. Filtering by a search text
/// happens where it is shown (`domain::matches_query`), so the browser can
/// filter as the user types.
#[tracing::instrument(skip_all)]
pub async fn overview(db: &Db) -> Result<Vec<InstitutionOverview>, ServiceError> {
    Ok(institutions::overview(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::two_institutions;

    crate::db_test!(async fn overview_lists_institutions_with_team_counts(db) {
        let f = two_institutions(db).await;
        let list = overview(db).await.unwrap();
        let lines: Vec<_> = list.into_iter().map(|i| (i.id, i.name, i.team_count)).collect();
        assert_eq!(lines, [(f.a, "Deltacollege".to_string(), 2), (f.b, "Hanzeland College".to_string(), 1)]);
    });
}
