//! What retention figures need of every employment: dates, ending, and the
//! groups it falls in. Nothing here names a person.

use chrono::NaiveDate;

use super::{Db, StoreError, on_db};
use crate::domain::{InstitutionId, TeamId};

/// One employment with its groups (team and sector from its latest terms)
/// and the guidance its starter had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmploymentFacts {
    pub employment: i64,
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
    /// Filled from the alerts by the retention service.
    pub open_alert: Option<crate::domain::signals::Severity>,
    pub hours_to_acknowledge: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    id: i64,
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
    // Conversations and pairings come counted per starter (`guidance_facts`,
    // kept by triggers); the check-ins of the window are counted per
    // starter through `checkins_starter_idx` (a range of a few rows each).
    // The latest terms are the ones no later terms follow: written as
    // "valid from = the latest valid from", PostgreSQL estimated a handful
    // of rows and hashed every employment's terms of the deployment on each
    // view (29 ms a view on average over the national institutions against
    // 11 ms now; SQLite 3.4 against 2.9 ms). Facilitation is summed for the
    // institution's employments only, not grouped over the whole table.
    let scope = super::dialect::institution_or_all("e.institution_id", institution);
    let facilitation_scope = super::dialect::institution_or_all("fe.institution_id", institution);
    let sql = format!(
        "SELECT e.id, e.institution_id, e.start_date, e.end_date, e.leave_reason, e.entry_route, \
                      tm.id AS team_id, tm.name AS team_name, t.sector, \
                      t.partnership_id IS NOT NULL AS in_partnership, \
                      COALESCE(g.held_conversations, 0) AS held_conversations, g.first_pairing, g.first_held, \
                      (SELECT COUNT(*) FROM checkins c WHERE c.institution_id = e.institution_id \
                       AND c.starter_id = e.person_id AND c.checked_in_on > $2) AS recent_checkins, \
                      i.checkin_rhythm_days AS rhythm_days, \
                      COALESCE(fa.years, 0) AS facilitation_years, COALESCE(fa.promised, 0) AS hours_promised, \
                      COALESCE(fa.granted, 0) AS hours_granted \
               FROM employments e \
               JOIN institutions i ON i.id = e.institution_id \
               JOIN employment_terms t ON t.employment_id = e.id \
                    AND NOT EXISTS (SELECT 1 FROM employment_terms y \
                                    WHERE y.employment_id = e.id AND y.valid_from > t.valid_from) \
               LEFT JOIN teams tm ON tm.id = t.team_id \
               LEFT JOIN guidance_facts g ON g.institution_id = e.institution_id AND g.starter_id = e.person_id \
               LEFT JOIN (SELECT f.employment_id, COUNT(*) AS years, \
                                 CAST(SUM(f.starter_hours_promised) AS BIGINT) AS promised, \
                                 CAST(SUM(f.starter_hours_granted) AS BIGINT) AS granted \
                          FROM facilitation f JOIN employments fe ON fe.id = f.employment_id \
                          WHERE f.starter_hours_granted IS NOT NULL AND {facilitation_scope} \
                          GROUP BY f.employment_id) fa \
                      ON fa.employment_id = e.id \
               WHERE {scope} \
               ORDER BY e.start_date, e.id"
    );
    let id = institution.map(|i| i.0);
    let rows: Vec<FactsRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(id).bind(checkins_since).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|r| EmploymentFacts {
            employment: r.id,
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
            open_alert: None,
            hours_to_acknowledge: None,
        })
        .collect())
}

/// One starter's guidance at an institution: held conversations, the first
/// of them, the first workplace-mentor pairing.
#[cfg(test)]
#[derive(Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Guidance {
    pub institution_id: i64,
    pub starter_id: i64,
    pub held_conversations: i64,
    pub first_held: Option<NaiveDate>,
    pub first_pairing: Option<NaiveDate>,
}

/// The stored guidance facts that say anything (a row left at zero by a
/// recount is the same as none), in key order.
#[cfg(test)]
pub async fn stored_guidance(db: &Db) -> Result<Vec<Guidance>, StoreError> {
    let sql = "SELECT institution_id, starter_id, held_conversations, first_held, first_pairing FROM guidance_facts \
               WHERE held_conversations > 0 OR first_pairing IS NOT NULL ORDER BY institution_id, starter_id";
    Ok(on_db!(db, pool => sqlx::query_as(sql).fetch_all(pool).await?))
}

/// The same facts aggregated afresh from every conversation and pairing:
/// what the stored ones must equal.
#[cfg(test)]
pub async fn fresh_guidance(db: &Db) -> Result<Vec<Guidance>, StoreError> {
    let sql = "SELECT k.institution_id, k.starter_id, COALESCE(cv.held, 0) AS held_conversations, cv.first_held, \
                      pa.first_pairing \
               FROM (SELECT institution_id, starter_id FROM conversations WHERE status = 'held' \
                     UNION SELECT institution_id, starter_id FROM pairings WHERE kind = 'workplace_mentor') k \
               LEFT JOIN (SELECT institution_id, starter_id, COUNT(*) AS held, MIN(held_on) AS first_held \
                          FROM conversations WHERE status = 'held' GROUP BY institution_id, starter_id) cv \
                      ON cv.institution_id = k.institution_id AND cv.starter_id = k.starter_id \
               LEFT JOIN (SELECT institution_id, starter_id, MIN(start_date) AS first_pairing FROM pairings \
                          WHERE kind = 'workplace_mentor' GROUP BY institution_id, starter_id) pa \
                      ON pa.institution_id = k.institution_id AND pa.starter_id = k.starter_id \
               ORDER BY k.institution_id, k.starter_id";
    Ok(on_db!(db, pool => sqlx::query_as(sql).fetch_all(pool).await?))
}
