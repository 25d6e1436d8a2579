//! A starter's page and the starter's own "my trajectory": trajectory, goals, employment, facilitation and timeline, with the forms a role may use.

use houvast::domain::starter::{StarterDetail, TimelineEvent};
use houvast::domain::trajectory::{
    CompetenceDomain, Contract, FacilitationYear, Goal, LeaveReason, MilestoneState, MilestoneView, Phase,
    TrajectoryView,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::list::ProgressBar;
use crate::api::starters::{
    AddGoal, ChangeTerms, ChoiceLists, RecordCompletion, RecordFacilitation, RecordLeaving, SetGoalProgress,
    UndoLeaving, UpdateMilestone, my_trajectory, starter, starter_choices,
};
use crate::components::dates::day;
use crate::components::form::{FormError, Success};
use crate::components::labels::role_label;
use crate::components::loaded::{EmptyState, Loaded};
use crate::components::title::PageTitle;
use crate::components::trajectory_labels::{
    competence_label, leave_reason_label, milestone_state_label, phase_label, route_label, starter_status_label,
};
use crate::i18n::*;

#[component]
pub fn StarterPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = move || use_params_map().with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let query = leptos_router::hooks::use_query_map();
    let paired = move || query.with(|q| q.get("paired").is_some());
    let data = Resource::new(id, starter);
    view! {
        <Loaded resource=data let:detail>
            {paired().then(|| view! { <Success text=Signal::derive(move || t_string!(i18n, pairing_saved).to_string()) /> })}
            <StarterView detail back=true />
        </Loaded>
    }
}

#[component]
pub fn MyTrajectoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| my_trajectory());
    view! {
        <Loaded resource=data let:loaded>
            {match loaded {
                Some(detail) => view! { <StarterView detail back=false /> }.into_any(),
                None => view! {
                    <PageTitle text=Signal::derive(move || t_string!(i18n, my_trajectory).to_string()) />
                    <section class="page narrow" aria-labelledby="page-title">
                        <h1 id="page-title">{t!(i18n, my_trajectory)}</h1>
                        <EmptyState>
                            <h2>{t!(i18n, my_trajectory_empty_title)}</h2>
                            <p>{t!(i18n, my_trajectory_empty_body)}</p>
                        </EmptyState>
                    </section>
                }.into_any(),
            }}
        </Loaded>
    }
}

/// The page of one starter: as the starter sees it (`back = false`: "my
/// trajectory") or as a coordinator or team leader does.
#[component]
pub(super) fn StarterView(detail: StarterDetail, back: bool) -> impl IntoView {
    let i18n = use_i18n();
    let name = detail.name.clone();
    let own = !back;
    let title = if own {
        t_string!(i18n, my_trajectory).to_string()
    } else {
        name.clone()
    };
    let heading = title.clone();
    let current = detail.terms.last().cloned();
    let milestone = ServerAction::<UpdateMilestone>::new();
    let leaving = ServerAction::<RecordLeaving>::new();
    let undo = ServerAction::<UndoLeaving>::new();
    let completion = ServerAction::<RecordCompletion>::new();
    view! {
        <PageTitle text=Signal::derive(move || title.clone()) />
        <section class="page narrow" aria-labelledby="page-title">
            {back.then(|| if detail.viewer_has_list {
                view! { <p><A href="/starters">{t!(i18n, back_to_starters)}</A></p> }.into_any()
            } else {
                view! { <p><a href=format!("/mentees/{}", detail.person.0)>{t!(i18n, back_to)} " " {detail.name.clone()}</a></p> }.into_any()
            })}
            <h1 id="page-title">{heading}</h1>
            <p class="lead">
                {(!own).then(|| view! { <span class=format!("badge badge-{}", detail.status.code())>{starter_status_label(i18n, detail.status)}</span> " " })}
                {route_label(i18n, detail.route)}
                {current.as_ref().and_then(|t| t.team_name.clone()).map(|team| view! { " · " {team} })}
                " · " {t!(i18n, started_on)} " " {day(detail.start)}
            </p>
            {detail.ending.clone().map(|(on, reason, destination)| view! {
                <div class="notice" role="note">
                    <p>{t!(i18n, left_on)} " " {day(on)} ": " {leave_reason_label(i18n, reason)} {destination.map(|d| view! { " (" {d} ")" })}</p>
                </div>
            })}
            <FormError result=milestone.value() />
            {match detail.trajectory.clone() {
                Some(trajectory) => view! {
                    <TrajectoryPanel trajectory own />
                    <GoalsPanel person=detail.person.0 goals=detail.goals.clone() editable=detail.can_edit_goals own />
                }.into_any(),
                None => view! { <p class="muted">{t!(i18n, no_trajectory)}</p> }.into_any(),
            }}
            <section class="panel" aria-labelledby="employment">
                <h2 id="employment">{t!(i18n, employment_title)}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, field_employee_number)}</dt><dd>{detail.employee_number.clone()}</dd>
                </dl>
                <ul class="plain-list">
                    {detail.terms.iter().map(|t| {
                        let contract = match t.contract {
                            Contract::Permanent => t_string!(i18n, contract_permanent).to_string(),
                            Contract::FixedTerm { until } => t_string!(i18n, contract_fixed_until, until = day(until)).to_string(),
                        };
                        view! {
                            <li>
                                <strong>{t!(i18n, from_date)} " " {day(t.valid_from)}</strong> ": "
                                {t.fte.display()} " fte · " {contract}
                                {t.team_name.clone().map(|team| view! { " · " {team} })}
                                {t.partnership.clone().map(|p| view! { " · " {t!(i18n, field_partnership)} " " {p} })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {detail.can_manage.then(|| view! { <TermsChange person=detail.person.0 /> })}
            </section>
            <crate::pages::mentoring::GuidancePanel guidance=detail.guidance.clone() person=detail.person.0 />
            <FacilitationPanel person=detail.person.0 years=detail.facilitation.clone() editable=detail.can_manage />
            <section class="panel" aria-labelledby="timeline">
                <h2 id="timeline">{t!(i18n, timeline_title)}</h2>
                <ol class="timeline">
                    {detail.timeline.iter().rev().map(|(on, event)| {
                        let text = match event {
                            TimelineEvent::Started { route } => t_string!(i18n, timeline_started, route = route_label(i18n, *route)).to_string(),
                            TimelineEvent::TermsChanged { fte, team_name } => t_string!(i18n, timeline_terms, fte = fte.display(), team = team_name.clone().unwrap_or_default()).to_string(),
                            TimelineEvent::MilestoneDone { title } => t_string!(i18n, timeline_done, title = title.clone()).to_string(),
                            TimelineEvent::MilestoneSkipped { title } => t_string!(i18n, timeline_skipped, title = title.clone()).to_string(),
                            TimelineEvent::Alert { action, level, actor, note } => {
                                let mut text = format!(
                                    "{} ({}): {}",
                                    t_string!(i18n, signals.alert_timeline),
                                    crate::pages::signals::level_label(i18n, Some(*level)),
                                    crate::pages::signals::action_label(i18n, *action),
                                );
                                if let Some(actor) = actor {
                                    text.push_str(&format!(" — {actor}"));
                                }
                                if let Some(note) = note {
                                    text.push_str(&format!(": “{note}”"));
                                }
                                text
                            }
                            TimelineEvent::Completed => t_string!(i18n, timeline_completed).to_string(),
                            TimelineEvent::Left { reason, .. } => t_string!(i18n, timeline_left, reason = leave_reason_label(i18n, *reason)).to_string(),
                        };
                        view! { <li><time datetime=on.to_string()>{day(*on)}</time> " " {text}</li> }
                    }).collect_view()}
                </ol>
            </section>
            {detail.can_manage.then(|| {
                let id = detail.person.0;
                let ending = detail.ending.clone();
                let completed = detail.trajectory.as_ref().and_then(|t| t.completed_on);
                view! {
                    <section class="panel" aria-labelledby="leaving">
                        <h2 id="leaving">{t!(i18n, leaving_title)}</h2>
                        <FormError result=leaving.value() />
                        <form method="post" action=RecordLeaving::url() class="stack">
                            <input type="hidden" name="id" value=id />
                            <div class="field">
                                <label for="leave-on">{t!(i18n, field_leave_date)}</label>
                                <input id="leave-on" type="date" name="on" required value=ending.as_ref().map(|e| e.0.to_string()) />
                            </div>
                            <div class="field">
                                <label for="leave-reason">{t!(i18n, field_leave_reason)}</label>
                                <select id="leave-reason" name="reason" required>
                                    <option value="">{t!(i18n, choose)}</option>
                                    {LeaveReason::ALL.iter().map(|reason| view! {
                                        <option value=reason.code() selected=ending.as_ref().is_some_and(|e| e.1 == *reason)>{leave_reason_label(i18n, *reason)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="leave-destination">{t!(i18n, field_destination)}</label>
                                <input id="leave-destination" type="text" name="destination" maxlength=houvast::domain::trajectory::NOTE_MAX_CHARS value=ending.as_ref().and_then(|e| e.2.clone()) />
                            </div>
                            <button type="submit">{if ending.is_some() { t!(i18n, leaving_correct).into_any() } else { t!(i18n, leaving_button).into_any() }}</button>
                        </form>
                        <FormError result=undo.value() />
                        {ending.is_some().then(|| view! {
                            <form method="post" action=UndoLeaving::url() class="stack">
                                <input type="hidden" name="id" value=id />
                                <button type="submit" class="button-secondary">{t!(i18n, leaving_undo)}</button>
                            </form>
                        })}
                        <h3>{t!(i18n, completion_title)}</h3>
                        <p class="muted">{t!(i18n, completion_hint)}</p>
                        <FormError result=completion.value() />
                        <form method="post" action=RecordCompletion::url() class="stack">
                            <input type="hidden" name="id" value=id />
                            <div class="field">
                                <label for="complete-on">{t!(i18n, field_completion_date)}</label>
                                <input id="complete-on" type="date" name="on" value=completed.map(|d| d.to_string()) />
                            </div>
                            <button type="submit">{t!(i18n, completion_button)}</button>
                        </form>
                    </section>
                }
            })}
        </section>
    }
}

#[component]
pub(super) fn TrajectoryPanel(trajectory: TrajectoryView, own: bool) -> impl IntoView {
    let i18n = use_i18n();
    let percent = trajectory.progress.percent();
    let next = trajectory.next_due().cloned();
    let year = trajectory.year;
    view! {
        <section class="panel" aria-labelledby="trajectory">
            <h2 id="trajectory">{t!(i18n, trajectory_title)}</h2>
            <p>
                {match trajectory.completed_on {
                    Some(on) => t_string!(i18n, trajectory_completed_on, date = day(on)).to_string(),
                    None => t_string!(i18n, trajectory_year, year = year.clamp(1, 3)).to_string(),
                }}
            </p>
            <ProgressBar percent label=Signal::derive(move || t_string!(i18n, progress_label, percent = percent).to_string()) />
            {next.map(|m| view! {
                <div class=if m.state == MilestoneState::Overdue { "next-up next-up-overdue" } else { "next-up" }>
                    <p class="muted">{if own { t!(i18n, next_for_me).into_any() } else { t!(i18n, next_due).into_any() }}</p>
                    <p><strong>{m.title.clone()}</strong></p>
                    <p>{t!(i18n, due_on)} " " {day(m.due)} " · " {milestone_state_label(i18n, m.state)}</p>
                </div>
            })}
            {Phase::ALL.iter().map(|phase| {
                let items: Vec<MilestoneView> = trajectory.milestones.iter().filter(|m| m.phase == *phase).cloned().collect();
                (!items.is_empty()).then(|| view! {
                    <h3>{phase_label(i18n, *phase)}</h3>
                    <ul class="milestones">
                        {items.into_iter().map(|m| view! { <MilestoneItem milestone=m /> }).collect_view()}
                    </ul>
                })
            }).collect_view()}
        </section>
    }
}

#[component]
pub(super) fn MilestoneItem(milestone: MilestoneView) -> impl IntoView {
    let i18n = use_i18n();
    let m = milestone;
    let id = m.id.0;
    let open = matches!(m.state, MilestoneState::Open | MilestoneState::Overdue);
    view! {
        <li class=format!("milestone milestone-{}", m.state.code())>
            <p class="milestone-title">{m.title.clone()}</p>
            <p class="muted">
                <span class=format!("badge badge-{}", m.state.code())>{milestone_state_label(i18n, m.state)}</span>
                " " {t!(i18n, due_on)} " " {day(m.due)}
                " · " {role_label(i18n, m.owner)}
                {m.domain.map(|d| view! { " · " {competence_label(i18n, d)} })}
            </p>
            {m.done_on.map(|on| view! {
                <p>{t!(i18n, done_on)} " " {day(on)} {m.done_by.clone().map(|by| view! { " · " {by} })}</p>
            })}
            {m.note.clone().map(|note| view! { <p class="note">{note}</p> })}
            {m.skip_reason.clone().map(|reason| view! { <p class="note">{t!(i18n, skipped_because)} " " {reason}</p> })}
            {m.can_update.then(|| if open {
                view! {
                    <details class="milestone-actions">
                        <summary>{t!(i18n, milestone_update)}<span class="visually-hidden">": " {m.title.clone()}</span></summary>
                        <form method="post" action=UpdateMilestone::url() class="stack">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="action" value="done" />
                            <div class="field">
                                <label for=format!("done-on-{id}")>{t!(i18n, field_done_on)}</label>
                                <input id=format!("done-on-{id}") type="date" name="on" />
                                <p class="hint">{t!(i18n, field_done_on_hint)}</p>
                            </div>
                            <div class="field">
                                <label for=format!("note-{id}")>{t!(i18n, field_note)}</label>
                                <textarea id=format!("note-{id}") name="note" maxlength=houvast::domain::trajectory::NOTE_MAX_CHARS rows="2"></textarea>
                            </div>
                            <button type="submit">{t!(i18n, milestone_done_button)}</button>
                        </form>
                        <form method="post" action=UpdateMilestone::url() class="stack">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="action" value="skip" />
                            <div class="field">
                                <label for=format!("reason-{id}")>{t!(i18n, field_skip_reason)}</label>
                                <input id=format!("reason-{id}") type="text" name="reason" maxlength=houvast::domain::trajectory::NOTE_MAX_CHARS required />
                            </div>
                            <button type="submit" class="button-secondary">{t!(i18n, milestone_skip_button)}</button>
                        </form>
                    </details>
                }.into_any()
            } else {
                view! {
                    <form method="post" action=UpdateMilestone::url() class="inline-form">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="action" value="reopen" />
                        <button type="submit" class="button-small button-secondary">{t!(i18n, milestone_reopen)}<span class="visually-hidden">": " {m.title.clone()}</span></button>
                    </form>
                }.into_any()
            })}
        </li>
    }
}

/// "2026/27" for the school year starting in 2026.
pub(super) fn school_year_label(year: i32) -> String {
    format!("{year}/{:02}", (year + 1) % 100)
}

#[component]
pub(super) fn GoalsPanel(person: i64, goals: Vec<Goal>, editable: bool, own: bool) -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddGoal>::new();
    let progress = ServerAction::<SetGoalProgress>::new();
    let empty = goals.is_empty();
    view! {
        <section class="panel" aria-labelledby="goals">
            <h2 id="goals">{t!(i18n, goals_title)}</h2>
            {empty.then(|| view! {
                <p class="muted">{if own { t!(i18n, goals_empty_own).into_any() } else { t!(i18n, goals_empty).into_any() }}</p>
            })}
            <FormError result=progress.value() />
            <ul class="milestones">
                {goals.into_iter().map(|goal| {
                    let percent = u32::from(goal.progress);
                    let title = goal.title.clone();
                    view! {
                        <li class="milestone">
                            <p class="milestone-title">{goal.title.clone()}</p>
                            {goal.domain.map(|d| view! { <p class="muted">{competence_label(i18n, d)}</p> })}
                            <ProgressBar percent label=Signal::derive(move || t_string!(i18n, goal_progress_label, percent = percent).to_string()) />
                            {editable.then(|| view! {
                                <form method="post" action=SetGoalProgress::url() class="inline-form goal-form">
                                    <input type="hidden" name="id" value=person />
                                    <input type="hidden" name="goal" value=goal.id />
                                    <label for=format!("goal-{}", goal.id)>{t!(i18n, goal_progress_field)}<span class="visually-hidden">": " {title.clone()}</span></label>
                                    <select id=format!("goal-{}", goal.id) name="progress">
                                        {[0u8, 25, 50, 75, 100].into_iter().map(|p| view! {
                                            <option value=p selected=p == goal.progress>{format!("{p}%")}</option>
                                        }).collect_view()}
                                    </select>
                                    <button type="submit" class="button-small">{t!(i18n, save)}<span class="visually-hidden">": " {title}</span></button>
                                </form>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {editable.then(|| view! {
                <h3>{t!(i18n, goal_add_title)}</h3>
                <FormError result=add.value() />
                <form method="post" action=AddGoal::url() class="stack">
                    <input type="hidden" name="id" value=person />
                    <div class="field">
                        <label for="goal-title">{t!(i18n, goal_title_field)}</label>
                        <input id="goal-title" type="text" name="title" maxlength="200" required />
                    </div>
                    <div class="field">
                        <label for="goal-domain">{t!(i18n, goal_domain_field)}</label>
                        <select id="goal-domain" name="domain">
                            <option value="">{t!(i18n, goal_domain_none)}</option>
                            {CompetenceDomain::ALL.iter().map(|d| view! { <option value=d.code()>{competence_label(i18n, *d)}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit">{t!(i18n, goal_add_button)}</button>
                </form>
            })}
        </section>
    }
}

#[component]
pub(super) fn FacilitationPanel(person: i64, years: Vec<FacilitationYear>, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let record = ServerAction::<RecordFacilitation>::new();
    let hours = move |value: Option<u32>| value.map_or_else(|| "–".to_owned(), |h| h.to_string());
    (!years.is_empty()).then(|| view! {
        <section class="panel" aria-labelledby="facilitation">
            <h2 id="facilitation">{t!(i18n, facilitation_title)}</h2>
            <p class="muted">{t!(i18n, facilitation_hint)}</p>
            <FormError result=record.value() />
            <table class="report">
                <caption class="visually-hidden">{t!(i18n, facilitation_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, school_year)}</th>
                        <th scope="col">{t!(i18n, facilitation_starter)}</th>
                        <th scope="col">{t!(i18n, facilitation_mentor)}</th>
                    </tr>
                </thead>
                <tbody>
                    {years.iter().map(|y| view! {
                        <tr>
                            <th scope="row">{school_year_label(y.school_year)}</th>
                            <td>{t!(i18n, hours_granted_of, granted = hours(y.starter_granted), promised = y.starter_promised)}</td>
                            <td>{t!(i18n, hours_granted_of, granted = hours(y.mentor_granted), promised = hours(y.mentor_promised))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {editable.then(|| years.into_iter().map(|y| {
                let label = school_year_label(y.school_year);
                let field = move |name: &str| format!("{name}-{}", y.school_year);
                view! {
                    <details class="milestone-actions">
                        <summary>{t!(i18n, facilitation_edit)} " " {label.clone()}</summary>
                        <form method="post" action=RecordFacilitation::url() class="stack">
                            <input type="hidden" name="id" value=person />
                            <input type="hidden" name="school_year" value=y.school_year />
                            <div class="field">
                                <label for=field("sp")>{t!(i18n, facilitation_starter_promised)}</label>
                                <input id=field("sp") type="number" inputmode="numeric" min="0" max="2000" name="starter_promised" required value=y.starter_promised />
                            </div>
                            <div class="field">
                                <label for=field("sg")>{t!(i18n, facilitation_starter_granted)}</label>
                                <input id=field("sg") type="number" inputmode="numeric" min="0" max="2000" name="starter_granted" value=y.starter_granted />
                            </div>
                            <div class="field">
                                <label for=field("mp")>{t!(i18n, facilitation_mentor_promised)}</label>
                                <input id=field("mp") type="number" inputmode="numeric" min="0" max="2000" name="mentor_promised" value=y.mentor_promised />
                            </div>
                            <div class="field">
                                <label for=field("mg")>{t!(i18n, facilitation_mentor_granted)}</label>
                                <input id=field("mg") type="number" inputmode="numeric" min="0" max="2000" name="mentor_granted" value=y.mentor_granted />
                            </div>
                            <button type="submit">{t!(i18n, save)}</button>
                        </form>
                    </details>
                }
            }).collect_view())}
        </section>
    })
}

/// The fields of a set of employment terms (enrolment and changes).
#[component]
pub(super) fn TermsFields(
    choices: ChoiceLists,
    #[prop(into)] date_name: String,
    #[prop(into)] date_label: Signal<String>,
    key: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = move |name: &str| format!("{name}-{key}");
    view! {
        <div class="field">
            <label for=field("date")>{move || date_label.get()}</label>
            <input id=field("date") type="date" name=date_name required />
        </div>
        <div class="field">
            <label for=field("fte")>{t!(i18n, field_fte)}</label>
            <input id=field("fte") type="text" inputmode="decimal" name="fte" maxlength="6" required placeholder="0,8" />
        </div>
        <div class="field">
            <label for=field("contract")>{t!(i18n, field_contract)}</label>
            <select id=field("contract") name="contract">
                <option value="fixed_term">{t!(i18n, contract_fixed)}</option>
                <option value="permanent">{t!(i18n, contract_permanent)}</option>
            </select>
        </div>
        <div class="field">
            <label for=field("until")>{t!(i18n, field_contract_until)}</label>
            <input id=field("until") type="date" name="until" />
            <p class="hint">{t!(i18n, field_contract_until_hint)}</p>
        </div>
        <div class="field">
            <label for=field("team")>{t!(i18n, field_team)}</label>
            <select id=field("team") name="team">
                <option value="">{t!(i18n, no_team)}</option>
                {choices.teams.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=field("partnership")>{t!(i18n, field_partnership)}</label>
            <select id=field("partnership") name="partnership">
                <option value="">{t!(i18n, in_partnership_no)}</option>
                {choices.partnerships.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// The coordinator's form for new terms from a date on.
#[component]
pub(super) fn TermsChange(person: i64) -> impl IntoView {
    let i18n = use_i18n();
    let choices = Resource::new(|| (), |_| starter_choices());
    let change = ServerAction::<ChangeTerms>::new();
    view! {
        <FormError result=change.value() />
        <details class="milestone-actions">
            <summary>{t!(i18n, terms_change)}</summary>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    choices.await.ok().map(|choices| view! {
                        <form method="post" action=ChangeTerms::url() class="stack">
                            <input type="hidden" name="id" value=person />
                            <p class="hint">{t!(i18n, terms_change_hint)}</p>
                            <TermsFields choices date_name="valid_from" date_label=Signal::derive(move || t_string!(i18n, from_date).to_string()) key="change".to_owned() />
                            <button type="submit">{t!(i18n, save)}</button>
                        </form>
                    })
                })}
            </Suspense>
        </details>
    }
}
