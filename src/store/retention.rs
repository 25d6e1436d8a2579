//! What retention figures need of every employment: dates, ending, and the
//! groups it falls in. Nothing here names a person.

use chrono::NaiveDate;

use super::{Db, StoreError, on_db};
use crate::domain::{InstitutionId, TeamId};

/// One employment with its groups (team and sector from its latest terms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmploymentFacts {
    pub institution: InstitutionId,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub leave_reason: Option<String>,
    pub entry_route: String,
    pub team: Option<(TeamId, String)>,
    pub sector: String,
    pub in_partnership: bool,
    pub held_conversations: i64,
}

/// Every employment of `institution`, or of all institutions.
pub async fn employment_facts(db: &Db, institution: Option<InstitutionId>) -> Result<Vec<EmploymentFacts>, StoreError> {
    let sql = "SELECT e.institution_id, e.start_date, e.end_date, e.leave_reason, e.entry_route, tm.id, tm.name, \
                      t.sector, t.partnership_id IS NOT NULL, \
                      (SELECT COUNT(*) FROM conversations c WHERE c.institution_id = e.institution_id \
                         AND c.starter_id = e.person_id AND c.status = 'held') \
               FROM employments e \
               JOIN employment_terms t ON t.employment_id = e.id \
                AND t.valid_from = (SELECT MAX(t2.valid_from) FROM employment_terms t2 WHERE t2.employment_id = e.id) \
               LEFT JOIN teams tm ON tm.id = t.team_id \
               WHERE ($1 IS NULL OR e.institution_id = $1) \
               ORDER BY e.start_date, e.id";
    type Row = (
        i64,
        NaiveDate,
        Option<NaiveDate>,
        Option<String>,
        String,
        Option<i64>,
        Option<String>,
        String,
        bool,
        i64,
    );
    let id = institution.map(|i| i.0);
    let rows: Vec<Row> = on_db!(db, pool => sqlx::query_as(sql).bind(id).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(
            |(institution, start, end, leave_reason, entry_route, team_id, team_name, sector, in_partnership, held)| {
                EmploymentFacts {
                    institution: InstitutionId(institution),
                    start,
                    end,
                    leave_reason,
                    entry_route,
                    team: team_id.map(|id| (TeamId(id), team_name.unwrap_or_default())),
                    sector,
                    in_partnership,
                    held_conversations: held,
                }
            },
        )
        .collect())
}
