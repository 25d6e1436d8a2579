//! Building a starter's page from the facts read for it.

use chrono::NaiveDate;

use super::{may_edit_goals, may_update_milestone};
use crate::domain::Role;
use crate::domain::starter::{StarterDetail, TimelineEvent};
use crate::domain::trajectory::{
    FacilitationYear, MilestoneProgress, MilestoneState, MilestoneView, ProgressCount, TermsView, TrajectoryView,
    default_starter_hours, milestone_state, supported_school_years, terms_on, trajectory_year,
};
use crate::service::Ctx;
use crate::store::trajectories::Employment;

use super::read::Facts;

pub(super) fn build_detail(
    ctx: &Ctx,
    facts: &Facts,
    employment: Employment,
    name: String,
    email: Option<String>,
    today: NaiveDate,
) -> StarterDetail {
    let can_manage = ctx.has(Role::Coordinator);
    let terms_rows = facts.terms.get(&employment.id.0).cloned().unwrap_or_default();
    let terms: Vec<TermsView> = terms_rows
        .iter()
        .map(|t| TermsView {
            valid_from: t.valid_from,
            fte: t.fte,
            contract: t.contract,
            team: t.team,
            team_name: t.team.and_then(|id| facts.team_names.get(&id).cloned()),
            sector: t.sector,
            partnership: t.partnership.and_then(|p| facts.partnership_names.get(&p.0).cloned()),
        })
        .collect();
    let trajectory = facts.trajectories.get(&employment.id.0).map(|t| {
        let mut progress = ProgressCount::default();
        let milestones: Vec<MilestoneView> = facts
            .milestones
            .get(&t.id.0)
            .into_iter()
            .flatten()
            .map(|m| {
                let state = milestone_state(&m.progress, m.copy.due, today);
                progress.add(state);
                let (done_on, done_by, note, skip_reason) = match &m.progress {
                    MilestoneProgress::Open => (None, None, None, None),
                    MilestoneProgress::Done { on, by, note } => (Some(*on), by.clone(), note.clone(), None),
                    MilestoneProgress::Skipped { reason } => (None, None, None, Some(reason.clone())),
                };
                MilestoneView {
                    id: m.id,
                    title: m.copy.title.clone(),
                    phase: m.copy.phase,
                    owner: m.copy.owner,
                    domain: m.copy.domain,
                    due: m.copy.due,
                    state,
                    done_on,
                    done_by,
                    note,
                    skip_reason,
                    can_update: may_update_milestone(ctx, m.copy.owner),
                }
            })
            .collect();
        TrajectoryView {
            id: t.id,
            started_on: t.started_on,
            completed_on: t.completed_on,
            year: trajectory_year(t.started_on, today),
            progress,
            milestones,
        }
    });

    let mut timeline: Vec<(NaiveDate, TimelineEvent)> = vec![(
        employment.start,
        TimelineEvent::Started {
            route: employment.route,
        },
    )];
    for t in terms.iter().skip(1) {
        timeline.push((
            t.valid_from,
            TimelineEvent::TermsChanged {
                fte: t.fte,
                team_name: t.team_name.clone(),
            },
        ));
    }
    if let Some(trajectory) = &trajectory {
        for m in &trajectory.milestones {
            match (m.state, m.done_on) {
                (MilestoneState::Done, Some(on)) => {
                    timeline.push((on, TimelineEvent::MilestoneDone { title: m.title.clone() }))
                }
                (MilestoneState::Skipped, _) => {
                    timeline.push((m.due, TimelineEvent::MilestoneSkipped { title: m.title.clone() }))
                }
                _ => {}
            }
        }
        if let Some(on) = trajectory.completed_on {
            timeline.push((on, TimelineEvent::Completed));
        }
    }
    if let Some(ending) = &employment.ending {
        timeline.push((
            ending.on,
            TimelineEvent::Left {
                reason: ending.reason,
                destination: ending.destination.clone(),
            },
        ));
    }
    timeline.sort_by_key(|(on, _)| *on);

    let recorded = facts.facilitation.get(&employment.id.0);
    let facilitation = supported_school_years(employment.start)
        .into_iter()
        .filter_map(|year| {
            let row = recorded.and_then(|rows| rows.iter().find(|r| r.school_year == year));
            if let Some(row) = row {
                return Some(FacilitationYear {
                    school_year: year,
                    starter_promised: row.starter_promised,
                    starter_granted: row.starter_granted,
                    mentor_promised: row.mentor_promised,
                    mentor_granted: row.mentor_granted,
                });
            }
            let first_day = NaiveDate::from_ymd_opt(year, 8, 1)?.max(employment.start);
            let fte = terms_on(&terms_rows, first_day)?.fte;
            Some(FacilitationYear {
                school_year: year,
                starter_promised: default_starter_hours(employment.start, fte, year),
                starter_granted: None,
                mentor_promised: None,
                mentor_granted: None,
            })
        })
        .collect();
    let goals = facts
        .trajectories
        .get(&employment.id.0)
        .and_then(|t| facts.goals.get(&t.id.0))
        .cloned()
        .unwrap_or_default();
    StarterDetail {
        person: employment.person,
        name,
        email,
        employee_number: employment.employee_number.clone(),
        employment: employment.id,
        route: employment.route,
        start: employment.start,
        status: facts.status(&employment),
        ending: employment
            .ending
            .as_ref()
            .map(|e| (e.on, e.reason, e.destination.clone())),
        terms,
        trajectory,
        timeline,
        can_manage,
        facilitation,
        goals,
        can_edit_goals: may_edit_goals(ctx, employment.person),
        guidance: Default::default(),
        viewer_has_list: ctx.has(Role::Coordinator) || ctx.has(Role::TeamLeader),
    }
}
