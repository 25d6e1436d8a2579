//! What retention figures need of every employment: dates, ending, and the
//! groups it falls in. Nothing here names a person.

use chrono::NaiveDate;

use super::{Db, StoreError, on_db};
use crate::domain::{InstitutionId, TeamId};

/// One employment with its groups (team and sector from its latest terms)
/// and the guidance its starter had.
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
    pub first_pairing: Option<NaiveDate>,
    pub first_held: Option<NaiveDate>,
    pub recent_checkins: i64,
    pub rhythm_days: i64,
    pub facilitation_years: i64,
    pub hours_promised: i64,
    pub hours_granted: i64,
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    institution_id: i64,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    leave_reason: Option<String>,
    entry_route: String,
    team_id: Option<i64>,
    team_name: Option<String>,
    sector: String,
    in_partnership: bool,
    held_conversations: i64,
    first_pairing: Option<NaiveDate>,
    first_held: Option<NaiveDate>,
    recent_checkins: i64,
    rhythm_days: i64,
    facilitation_years: i64,
    hours_promised: i64,
    hours_granted: i64,
}

/// Every employment of `institution`, or of all institutions; check-ins
/// are counted from `checkins_since`.
pub async fn employment_facts(
    db: &Db,
    institution: Option<InstitutionId>,
    checkins_since: NaiveDate,
) -> Result<Vec<EmploymentFacts>, StoreError> {
    let sql = "SELECT e.institution_id, e.start_date, e.end_date, e.leave_reason, e.entry_route, \
                      tm.id AS team_id, tm.name AS team_name, t.sector, \
                      t.partnership_id IS NOT NULL AS in_partnership, \
                      (SELECT COUNT(*) FROM conversations c WHERE c.institution_id = e.institution_id \
                         AND c.starter_id = e.person_id AND c.status = 'held') AS held_conversations, \
                      (SELECT MIN(p.start_date) FROM pairings p WHERE p.institution_id = e.institution_id \
                         AND p.starter_id = e.person_id AND p.kind = 'workplace_mentor') AS first_pairing, \
                      (SELECT MIN(c.held_on) FROM conversations c WHERE c.institution_id = e.institution_id \
                         AND c.starter_id = e.person_id AND c.status = 'held') AS first_held, \
                      (SELECT COUNT(*) FROM checkins k WHERE k.institution_id = e.institution_id \
                         AND k.starter_id = e.person_id AND k.checked_in_on > $2) AS recent_checkins, \
                      i.checkin_rhythm_days AS rhythm_days, \
                      (SELECT COUNT(*) FROM facilitation f WHERE f.employment_id = e.id \
                         AND f.starter_hours_granted IS NOT NULL) AS facilitation_years, \
                      (SELECT CAST(COALESCE(SUM(f.starter_hours_promised), 0) AS BIGINT) FROM facilitation f \
                         WHERE f.employment_id = e.id AND f.starter_hours_granted IS NOT NULL) AS hours_promised, \
                      (SELECT CAST(COALESCE(SUM(f.starter_hours_granted), 0) AS BIGINT) FROM facilitation f \
                         WHERE f.employment_id = e.id AND f.starter_hours_granted IS NOT NULL) AS hours_granted \
               FROM employments e \
               JOIN institutions i ON i.id = e.institution_id \
               JOIN employment_terms t ON t.employment_id = e.id \
                AND t.valid_from = (SELECT MAX(t2.valid_from) FROM employment_terms t2 WHERE t2.employment_id = e.id) \
               LEFT JOIN teams tm ON tm.id = t.team_id \
               WHERE ($1 IS NULL OR e.institution_id = $1) \
               ORDER BY e.start_date, e.id";
    let id = institution.map(|i| i.0);
    let rows: Vec<FactsRow> =
        on_db!(db, pool => sqlx::query_as(sql).bind(id).bind(checkins_since).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|r| EmploymentFacts {
            institution: InstitutionId(r.institution_id),
            start: r.start_date,
            end: r.end_date,
            leave_reason: r.leave_reason,
            entry_route: r.entry_route,
            team: r.team_id.map(|id| (TeamId(id), r.team_name.unwrap_or_default())),
            sector: r.sector,
            in_partnership: r.in_partnership,
            held_conversations: r.held_conversations,
            first_pairing: r.first_pairing,
            first_held: r.first_held,
            recent_checkins: r.recent_checkins,
            rhythm_days: r.rhythm_days,
            facilitation_years: r.facilitation_years,
            hours_promised: r.hours_promised,
            hours_granted: r.hours_granted,
        })
        .collect())
}
