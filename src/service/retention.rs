//! Retention figures: Kaplan–Meier per group, readouts, cohort shares and
//! the anonymous records behind them, for whoever may see them — a
//! coordinator their institution (beside all others together, never one
//! by name), a team leader their teams, an analyst the whole deployment.
//! Small groups are suppressed in every output (see `domain::retention`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::{Ctx, ServiceError, access};
use crate::domain::retention::{
    AnonymousRecord, Breakdown, CHECKIN_WINDOW_DAYS, Cell, Fact, Guidance, Period, READOUT_MONTHS, RetentionMeasure,
    RetentionPage, RetentionReport, RetentionScope, SUPPRESSED_LABEL, anonymous_records, build, coverage,
    intensity_band, school_year_label,
};
use crate::domain::time::today;
use crate::domain::trajectory::{LeaveReason, school_year};
use crate::domain::{InstitutionId, Role};
use crate::store::retention::{self as store, EmploymentFacts};
use crate::store::{Db, institutions, teams};

/// The facts of employments that started on or before `as_of`.
pub fn facts(rows: &[EmploymentFacts], as_of: NaiveDate) -> Vec<Fact> {
    rows.iter()
        .filter(|r| r.start <= as_of)
        .map(|r| {
            let period = Period {
                start: r.start,
                end: r.end,
                reason: r.leave_reason.as_deref().and_then(LeaveReason::from_code),
            };
            let followed = period
                .observe(RetentionMeasure::Institution, as_of)
                .map_or(0, |o| o.days);
            let mut groups = BTreeMap::new();
            groups.insert(Breakdown::All, String::new());
            groups.insert(
                Breakdown::Team,
                r.team.as_ref().map_or_else(|| "-".to_owned(), |(_, name)| name.clone()),
            );
            groups.insert(Breakdown::Sector, r.sector.clone());
            groups.insert(Breakdown::Route, r.entry_route.clone());
            groups.insert(Breakdown::Cohort, school_year_label(school_year(r.start)));
            groups.insert(
                Breakdown::Partnership,
                if r.in_partnership { "yes" } else { "no" }.to_owned(),
            );
            groups.insert(
                Breakdown::Intensity,
                intensity_band(r.held_conversations, followed).code().to_owned(),
            );
            let guidance = Guidance {
                first_pairing: r.first_pairing,
                first_held: r.first_held,
                held_conversations: r.held_conversations,
                recent_checkins: r.recent_checkins,
                rhythm_days: r.rhythm_days,
                in_partnership: r.in_partnership,
                facilitation_years: r.facilitation_years,
                hours_promised: r.hours_promised,
                hours_granted: r.hours_granted,
                open_alert: r.open_alert,
                hours_to_acknowledge: r.hours_to_acknowledge,
            };
            Fact {
                period,
                groups,
                guidance,
            }
        })
        .collect()
}

/// The employments of `institution` (or all), check-ins counted over the
/// response-rate window before `as_of`.
async fn load(
    db: &Db,
    institution: Option<InstitutionId>,
    as_of: NaiveDate,
) -> Result<Vec<EmploymentFacts>, ServiceError> {
    let since = as_of
        .checked_sub_days(chrono::Days::new(u64::from(CHECKIN_WINDOW_DAYS)))
        .unwrap_or(as_of);
    let mut rows = store::employment_facts(db, institution, since).await?;
    // Alerts per employment: the one being handled now, and how long the
    // latest acknowledged one waited.
    let mut open = HashMap::new();
    let mut waited = HashMap::new();
    for alert in crate::store::signals::alert_timings(db, institution).await? {
        if !alert.resolved {
            open.insert(alert.employment_id, alert.level);
        }
        if let Some(acknowledged) = alert.acknowledged_at {
            waited.insert(alert.employment_id, (acknowledged - alert.opened_at).num_hours().max(0));
        }
    }
    for row in &mut rows {
        row.open_alert = open.get(&row.employment).copied();
        row.hours_to_acknowledge = waited.get(&row.employment).copied();
    }
    Ok(rows)
}

/// One institution's figures (command line; no caller to check).
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn report(
    db: &Db,
    institution: InstitutionId,
    as_of: NaiveDate,
    measure: RetentionMeasure,
    by: Breakdown,
) -> Result<RetentionReport, ServiceError> {
    let rows = load(db, Some(institution), as_of).await?;
    Ok(build(&facts(&rows, as_of), as_of, measure, by))
}

/// One institution's anonymous records (command line).
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn records(
    db: &Db,
    institution: InstitutionId,
    as_of: NaiveDate,
) -> Result<Vec<AnonymousRecord>, ServiceError> {
    let rows = load(db, Some(institution), as_of).await?;
    Ok(anonymous_records(&facts(&rows, as_of), as_of))
}

/// What the caller may see: the employments in scope and, for a
/// coordinator, their institution (compared with all others together).
async fn scoped(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    as_of: NaiveDate,
) -> Result<(RetentionScope, Vec<EmploymentFacts>, Option<InstitutionId>), ServiceError> {
    if ctx.has(Role::Analyst) {
        let rows = load(db, None, as_of).await?;
        let count = institutions::list(db).await?.len();
        let scope = RetentionScope::AllInstitutions {
            institutions: u32::try_from(count).unwrap_or(u32::MAX),
        };
        return Ok((scope, rows, None));
    }
    let roles = [Role::Coordinator, Role::TeamLeader];
    let institution = access::require_in_institution(db, now, ctx, &roles, "retention.page").await?;
    if ctx.has(Role::Coordinator) {
        let own = load(db, Some(institution), as_of).await?;
        let name = ctx.institution_name.clone().unwrap_or_default();
        return Ok((RetentionScope::Institution(name), own, Some(institution)));
    }
    let mine = ctx.teams_as(Role::TeamLeader);
    let names: Vec<String> = teams::list(db, institution)
        .await?
        .into_iter()
        .filter(|t| mine.contains(&t.id))
        .map(|t| t.name.to_string())
        .collect();
    let rows = load(db, Some(institution), as_of)
        .await?
        .into_iter()
        .filter(|r| r.team.as_ref().is_some_and(|(id, _)| mine.contains(id)))
        .collect();
    Ok((RetentionScope::Teams(names), rows, None))
}

/// The retention page for the caller.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn page(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    benchmarks: &Benchmarks,
    measure: RetentionMeasure,
    by: Breakdown,
) -> Result<RetentionPage, ServiceError> {
    let as_of = today(now);
    let (scope, rows, compared) = scoped(db, now, ctx, as_of).await?;
    // Across institutions, a team name could point at one institution.
    let by = if matches!(scope, RetentionScope::AllInstitutions { .. }) && by == Breakdown::Team {
        Breakdown::All
    } else {
        by
    };
    let own = facts(&rows, as_of);
    let others = match compared {
        Some(institution) => Some(benchmarks.others(db, now, institution, measure).await?),
        None => None,
    };
    Ok(RetentionPage {
        scope,
        report: build(&own, as_of, measure, by),
        coverage: coverage(&own, as_of),
        others: others.as_ref().map(|o| o.report.clone()),
        others_coverage: others.as_ref().map(|o| o.coverage.clone()),
    })
}

/// How long the figures of all other institutions together are reused.
/// They are the deployment's retention over years, as of a day: a few
/// minutes add nothing a reader could see, and computing them reads every
/// employment of the deployment.
pub const BENCHMARK_MAX_AGE: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// All other institutions together, as one institution's coordinators see
/// them beside their own figures.
#[derive(Debug)]
pub struct Benchmark {
    /// When the deployment's employments behind it were read.
    pub computed_at: DateTime<Utc>,
    pub report: RetentionReport,
    pub coverage: crate::domain::retention::Coverage,
}

/// Every employment of the deployment with its institution, as read at
/// `computed_at` (groups left out: all others together are never split).
struct Deployment {
    computed_at: DateTime<Utc>,
    facts: Vec<(InstitutionId, Fact)>,
}

/// A value filled once, however many ask for it at the same moment.
type Slot<T> = Arc<tokio::sync::OnceCell<Arc<T>>>;

/// Values computed once per key and day, and dropped when older than
/// [`BENCHMARK_MAX_AGE`] or of another day.
struct Kept<K, T> {
    slots: std::sync::Mutex<HashMap<(K, NaiveDate), Slot<T>>>,
}

impl<K, T> Default for Kept<K, T> {
    fn default() -> Self {
        Self {
            slots: std::sync::Mutex::default(),
        }
    }
}

impl<K: Copy + Eq + std::hash::Hash, T> Kept<K, T> {
    async fn get<F: Future<Output = Result<T, ServiceError>>>(
        &self,
        key: K,
        now: DateTime<Utc>,
        computed_at: impl Fn(&T) -> DateTime<Utc>,
        compute: impl FnOnce() -> F,
    ) -> Result<Arc<T>, ServiceError> {
        let as_of = today(now);
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            // Another day's and expired ones go; one still being filled stays.
            slots.retain(|(_, day), slot| {
                *day == as_of
                    && slot
                        .get()
                        .is_none_or(|value| now - computed_at(value) < BENCHMARK_MAX_AGE)
            });
            slots.entry((key, as_of)).or_default().clone()
        };
        let value = slot.get_or_try_init(|| async { compute().await.map(Arc::new) }).await?;
        Ok(value.clone())
    }
}

/// The benchmarks of this process: the deployment's employments are read
/// once per [`BENCHMARK_MAX_AGE`], and each institution's "all others
/// together" is computed from them once. The coordinator's own figures are
/// never kept: they are read on each view, and cost what the institution's
/// size costs. Every app node keeps its own; nothing in them is personal
/// (the figures are suppressed like every other output).
#[derive(Clone, Default)]
pub struct Benchmarks {
    deployment: Arc<Kept<(), Deployment>>,
    others: Arc<Kept<(InstitutionId, RetentionMeasure), Benchmark>>,
}

impl std::fmt::Debug for Benchmarks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Benchmarks").finish_non_exhaustive()
    }
}

impl Benchmarks {
    /// All institutions but `institution` together, as of `now`'s day.
    pub async fn others(
        &self,
        db: &Db,
        now: DateTime<Utc>,
        institution: InstitutionId,
        measure: RetentionMeasure,
    ) -> Result<Arc<Benchmark>, ServiceError> {
        let as_of = today(now);
        // Others may wait here for the one reading the deployment: none of
        // them keeps a connection that reader could need.
        crate::store::held::release(db);
        let deployment = self
            .deployment
            .get(
                (),
                now,
                |d| d.computed_at,
                || async {
                    let rows = load(db, None, as_of).await?;
                    let facts = facts(&rows, as_of);
                    Ok(Deployment {
                        computed_at: now,
                        facts: rows
                            .iter()
                            .filter(|r| r.start <= as_of)
                            .map(|r| r.institution)
                            .zip(facts)
                            .map(|(institution, mut fact)| {
                                fact.groups = BTreeMap::new();
                                (institution, fact)
                            })
                            .collect(),
                    })
                },
            )
            .await?;
        self.others
            .get(
                (institution, measure),
                now,
                |b| b.computed_at,
                || async {
                    let others: Vec<Fact> = deployment
                        .facts
                        .iter()
                        .filter(|(of, _)| *of != institution)
                        .map(|(_, fact)| fact.clone())
                        .collect();
                    Ok(Benchmark {
                        computed_at: deployment.computed_at,
                        report: build(&others, as_of, measure, Breakdown::All),
                        coverage: coverage(&others, as_of),
                    })
                },
            )
            .await
    }
}

/// The anonymous records the caller may download.
///
/// Per-person records are for analysts only: with small teams, exact day
/// counts beside team, cohort and route re-identify people. Everyone else
/// gets the aggregate tables, suppressed under five.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn page_records(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<Vec<AnonymousRecord>, ServiceError> {
    access::require(db, now, ctx, &[Role::Analyst], "retention.records").await?;
    let as_of = today(now);
    let (scope, rows, _) = scoped(db, now, ctx, as_of).await?;
    let mut records = anonymous_records(&facts(&rows, as_of), as_of);
    if matches!(scope, RetentionScope::AllInstitutions { .. }) {
        for record in &mut records {
            record.team = String::new();
        }
    }
    Ok(records)
}

// -------------------------------------------------------------------- CSV

use crate::csv::CsvStyle;

fn cell_text<T>(cell: &Cell<T>, shown: impl Fn(&T) -> String) -> String {
    match cell {
        Cell::Shown(value) => shown(value),
        Cell::Suppressed => SUPPRESSED_LABEL.to_owned(),
    }
}

/// The readout table: people, events, survival with interval at each
/// month, cohort shares.
pub fn report_csv(report: &RetentionReport, style: CsvStyle) -> String {
    let mut header: Vec<String> = vec!["group".into(), "people".into(), "events".into()];
    for m in READOUT_MONTHS {
        header.extend([format!("survival_{m}m"), format!("lower_{m}m"), format!("upper_{m}m")]);
    }
    for years in crate::domain::retention::COHORT_YEARS {
        header.push(format!("cohort_share_{years}y"));
    }
    let rows = std::iter::once(&report.total)
        .chain(report.groups.iter())
        .map(|g| {
            let mut row = vec![
                g.group.clone(),
                cell_text(&g.people, u32::to_string),
                cell_text(&g.events, u32::to_string),
            ];
            for (_, readout) in &g.readouts {
                match readout {
                    Cell::Shown(Some(r)) => {
                        row.extend([style.number(r.survival), style.number(r.lower), style.number(r.upper)])
                    }
                    Cell::Shown(None) => row.extend([String::new(), String::new(), String::new()]),
                    Cell::Suppressed => row.extend([SUPPRESSED_LABEL.to_owned(), String::new(), String::new()]),
                }
            }
            for years in crate::domain::retention::COHORT_YEARS {
                let share = g.cohort_shares.iter().find(|(y, _)| *y == years).map(|(_, cell)| cell);
                row.push(match share {
                    Some(Cell::Shown(s)) => style.number(f64::from(s.still) / f64::from(s.size.max(1))),
                    Some(Cell::Suppressed) => SUPPRESSED_LABEL.to_owned(),
                    None if matches!(g.people, Cell::Suppressed) => SUPPRESSED_LABEL.to_owned(),
                    None => String::new(),
                });
            }
            row
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    style.write(&header, rows)
}

/// The guidance coverage figures: one row per figure, the caller's scope
/// beside all other institutions (when there is a benchmark).
pub fn coverage_csv(
    own: &crate::domain::retention::Coverage,
    others: Option<&crate::domain::retention::Coverage>,
    style: CsvStyle,
) -> String {
    use crate::domain::retention::Coverage;
    let count = |cell: &Cell<u32>| cell_text(cell, u32::to_string);
    let share = |cell: &Cell<crate::domain::retention::Share>| {
        cell_text(cell, |s| {
            if s.whole > 0 {
                style.number(s.ratio())
            } else {
                String::new()
            }
        })
    };
    let figures = |c: &Coverage| -> Vec<(&'static str, String)> {
        vec![
            ("starters", count(&c.starters)),
            ("mentor_within_14_days", share(&c.mentor_within_14_days)),
            (
                "median_days_to_first_conversation",
                cell_text(&c.median_days_to_first_conversation, u32::to_string),
            ),
            (
                "conversations_per_starter_month",
                cell_text(&c.conversations_per_month, |v| style.number(*v)),
            ),
            ("checkin_response", share(&c.checkin_response)),
            ("in_partnership", share(&c.in_partnership)),
            ("hours_granted_of_promised", share(&c.hours_granted)),
            ("open_alerts_red", count(&c.open_alerts_red)),
            ("open_alerts_amber", count(&c.open_alerts_amber)),
            (
                "median_days_to_acknowledge",
                cell_text(&c.median_days_to_acknowledge, |v| style.number(*v)),
            ),
        ]
    };
    let here = figures(own);
    let theirs = others.map(figures);
    let rows = here
        .into_iter()
        .enumerate()
        .map(|(i, (code, value))| {
            let mut row = vec![code.to_owned(), value];
            if let Some(theirs) = &theirs {
                row.push(theirs[i].1.clone());
            }
            row
        })
        .collect();
    if others.is_some() {
        style.write(&["figure", "here", "all_other_institutions"], rows)
    } else {
        style.write(&["figure", "here"], rows)
    }
}

/// Every distinct time of every shown curve.
pub fn curve_csv(report: &RetentionReport, style: CsvStyle) -> String {
    let rows = std::iter::once(&report.total)
        .chain(report.groups.iter())
        .flat_map(|g| {
            g.curve.iter().map(move |p| {
                vec![
                    g.group.clone(),
                    p.days.to_string(),
                    p.at_risk.to_string(),
                    p.events.to_string(),
                    p.censored.to_string(),
                    style.number(p.survival),
                    style.number(p.lower),
                    style.number(p.upper),
                ]
            })
        })
        .collect();
    style.write(
        &[
            "group", "days", "at_risk", "events", "censored", "survival", "lower_95", "upper_95",
        ],
        rows,
    )
}

/// The anonymous records.
pub fn records_csv(records: &[AnonymousRecord], style: CsvStyle) -> String {
    let yes = |b: bool| if b { "1" } else { "0" }.to_owned();
    let rows = records
        .iter()
        .map(|r| {
            vec![
                r.team.clone(),
                r.sector.clone(),
                r.route.clone(),
                r.cohort.clone(),
                r.partnership.clone(),
                r.intensity.clone(),
                r.days_institution.to_string(),
                yes(r.left_institution),
                r.days_education.to_string(),
                yes(r.left_education),
            ]
        })
        .collect();
    style.write(
        &[
            "team",
            "sector",
            "route",
            "cohort",
            "partnership",
            "intensity",
            "days_institution",
            "left_institution",
            "days_education",
            "left_education",
        ],
        rows,
    )
}

/// The benchmark as one more row of a table: all other institutions together.
pub fn others_row(others: RetentionReport) -> crate::domain::retention::GroupFigures {
    crate::domain::retention::GroupFigures {
        group: "all_other_institutions".to_owned(),
        ..others.total
    }
}

#[cfg(test)]
mod tests;
