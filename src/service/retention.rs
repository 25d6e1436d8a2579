//! Retention figures: Kaplan–Meier per group, readouts, cohort shares and
//! the anonymous records behind them, for whoever may see them — a
//! coordinator their institution (beside all others together, never one
//! by name), a team leader their teams, an analyst the whole deployment.
//! Small groups are suppressed in every output (see `domain::retention`).

use std::collections::{BTreeMap, HashMap};

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
/// coordinator, those of every other institution (for the benchmark).
async fn scoped(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    as_of: NaiveDate,
) -> Result<(RetentionScope, Vec<EmploymentFacts>, Option<Vec<EmploymentFacts>>), ServiceError> {
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
        let all = load(db, None, as_of).await?;
        let (own, others): (Vec<_>, Vec<_>) = all.into_iter().partition(|r| r.institution == institution);
        let name = ctx.institution_name.clone().unwrap_or_default();
        return Ok((RetentionScope::Institution(name), own, Some(others)));
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
    measure: RetentionMeasure,
    by: Breakdown,
) -> Result<RetentionPage, ServiceError> {
    let as_of = today(now);
    let (scope, rows, others) = scoped(db, now, ctx, as_of).await?;
    // Across institutions, a team name could point at one institution.
    let by = if matches!(scope, RetentionScope::AllInstitutions { .. }) && by == Breakdown::Team {
        Breakdown::All
    } else {
        by
    };
    let own = facts(&rows, as_of);
    let others = others.map(|rows| facts(&rows, as_of));
    Ok(RetentionPage {
        scope,
        report: build(&own, as_of, measure, by),
        coverage: coverage(&own, as_of),
        others: others.as_ref().map(|o| build(o, as_of, measure, Breakdown::All)),
        others_coverage: others.as_ref().map(|o| coverage(o, as_of)),
    })
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
