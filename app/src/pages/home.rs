//! The home page: what each of the person's roles has today, and plainly
//! what comes next.

use houvast::domain::mentoring::MenteeRow;
use houvast::domain::{AuditAction, AuditLine, Contact, Home, TeamLeaderHome, time};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::account::load_home;
use crate::components::error::ErrorNotice;
use crate::components::labels::action_label;
use crate::components::loaded::EmptyState;
use crate::components::title::PageTitle;
use crate::i18n::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let home = Resource::new(|| (), |_| load_home());
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, nav_home).to_string()) />
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(home) => view! { <HomeView home /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HomeView(home: Home) -> impl IntoView {
    let i18n = use_i18n();
    let first_name = home
        .viewer
        .name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    let institution = home.viewer.institution_name.clone();
    let no_role = home.admin.is_none()
        && home.coordinator.is_none()
        && home.team_leader.is_none()
        && home.mentor.is_none()
        && home.starter.is_none();
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, home_greeting, name = first_name.clone())}</h1>
            {institution.map(|name| view! { <p class="lead">{name}</p> })}
            {no_role.then(|| view! {
                <EmptyState>
                    <h2>{t!(i18n, home_no_role_title)}</h2>
                    <p>{t!(i18n, home_no_role_body)}</p>
                </EmptyState>
            })}
            <crate::pages::checkin::TalkRequests requests=home.talk_requests.clone() can_plan=home.mentor.is_some() />
            {home.admin.map(|admin| view! {
                <section class="panel" aria-labelledby="home-admin">
                    <h2 id="home-admin">{t!(i18n, role_admin)}</h2>
                    <dl class="stats">
                        <div><dt>{t!(i18n, stat_institutions)}</dt><dd>{admin.institutions}</dd></div>
                        <div><dt>{t!(i18n, stat_coordinators)}</dt><dd>{admin.coordinators}</dd></div>
                    </dl>
                    <p><A href="/admin" attr:class="button">{t!(i18n, home_admin_action)}</A></p>
                </section>
            })}
            {home.coordinator.map(|c| {
                let latest = c.latest_events.clone();
                view! {
                    <section class="panel" aria-labelledby="home-coordinator">
                        <h2 id="home-coordinator">{t!(i18n, role_coordinator)}</h2>
                        <dl class="stats">
                            <div><dt>{t!(i18n, stat_teams)}</dt><dd>{c.teams}</dd></div>
                            <div><dt>{t!(i18n, stat_people)}</dt><dd>{c.people}</dd></div>
                            <div><dt>{t!(i18n, stat_invited)}</dt><dd>{c.invited}</dd></div>
                        </dl>
                        <p class="actions">
                            <A href="/people/new" attr:class="button">{t!(i18n, people_new)}</A>
                            <A href="/teams" attr:class="button button-secondary">{t!(i18n, nav_teams)}</A>
                        </p>
                        <h3>{t!(i18n, home_latest_events)}</h3>
                        <AuditList lines=latest />
                        <p><A href="/audit">{t!(i18n, home_all_events)}</A></p>
                        <p class="muted">{t!(i18n, home_coordinator_next)}</p>
                    </section>
                }
            })}
            {home.team_leader.map(|tl| view! { <TeamLeaderToday home=tl /> })}
            {home.mentor.map(|m| {
                let me = home.viewer.person.0;
                let none = m.mentees.is_empty();
                view! {
                    <section class="panel" aria-labelledby="home-mentor">
                        <h2 id="home-mentor">{t!(i18n, my_starters)}</h2>
                        {none.then(|| view! { <p class="muted">{t!(i18n, my_starters_empty)}</p> })}
                        <ul class="cards">
                            {m.mentees.into_iter().map(|row| view! { <MenteeCard row /> }).collect_view()}
                        </ul>
                        {(!m.teams.is_empty()).then(|| view! { <p>{t!(i18n, home_your_teams)} ": " {m.teams.join(", ")}</p> })}
                        <p><A href=format!("/mentors/{me}")>{t!(i18n, my_mentor_profile)}</A></p>
                        <Contacts contacts=m.coordinators />
                    </section>
                }
            })}
            {home.starter.clone().map(|s| view! { <StarterToday home=s /> })}
            {home.starter.map(|s| view! {
                <section class="panel" aria-labelledby="home-starter">
                    <h2 id="home-starter">{t!(i18n, role_starter)}</h2>
                    {s.team.map(|team| view! { <p>{t!(i18n, home_your_team)} ": " {team}</p> })}
                    {if s.mentors.is_empty() {
                        view! { <p class="muted">{t!(i18n, no_mentor_yet)}</p> }.into_any()
                    } else {
                        view! {
                            <h3>{t!(i18n, my_mentors)}</h3>
                            <Contacts contacts=s.mentors.clone() heading=false />
                        }.into_any()
                    }}
                    <p class="actions">
                        <A href="/my-conversations" attr:class="button button-secondary">{t!(i18n, my_conversations)}</A>
                        <A href="/my-trajectory" attr:class="button button-secondary">{t!(i18n, my_trajectory)}</A>
                    </p>
                    <Contacts contacts=s.coordinators />
                </section>
            })}
        </section>
    }
}

/// The team leader's home: who needs attention now (with links), what is
/// new since the previous visit, and each team's guidance at a glance.
#[component]
fn TeamLeaderToday(home: TeamLeaderHome) -> impl IntoView {
    let i18n = use_i18n();
    let total = home.attention_total;
    let more = total.saturating_sub(home.attention.len());
    let new_since = home.new_since;
    view! {
        <section class="panel" aria-labelledby="home-team-leader">
            <h2 id="home-team-leader">{t!(i18n, role_team_leader)}</h2>
            {home.since.map(|since| view! {
                <p class="lead">
                    {t!(i18n, home_since_visit, date = crate::components::dates::day(since))} " "
                    {if new_since == 1 { t_string!(i18n, home_new_alerts_1).to_string() } else { t_string!(i18n, home_new_alerts, count = new_since).to_string() }}
                </p>
            })}
            <h3 id="home-attention">{t!(i18n, home_attention_title)}</h3>
            {if home.attention.is_empty() {
                view! { <p class="muted">{t!(i18n, home_attention_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="attention-list" aria-labelledby="home-attention">
                        {home.attention.into_iter().map(|row| {
                            let reasons = row.signals.iter().take(2).map(|s| crate::pages::signals::rule_name(i18n, s.rule)).collect::<Vec<_>>().join(", ");
                            view! {
                                <li>
                                    <A href=format!("/starters/{}", row.starter.id.0)>{row.starter.name.clone()}</A>
                                    <span class=crate::pages::signals::level_class(row.level)>{crate::pages::signals::level_label(i18n, row.level)}</span>
                                    <span class="muted">{reasons}{row.team.clone().map(|t| format!(" · {t}"))}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p>
                <A href="/watch-list" attr:class="button">
                    {if more > 0 { t_string!(i18n, home_attention_more, count = total).to_string() } else { t_string!(i18n, home_team_leader_watch).to_string() }}
                </A>
            </p>
            <h3>{t!(i18n, home_teams_glance)}</h3>
            <ul class="plain-list">
                {home.figures.into_iter().map(|f| view! {
                    <li>
                        <A href=format!("/teams/{}", f.id.0)>{f.team.clone()}</A> ": "
                        {if f.starters == 1 { t_string!(i18n, home_team_figures_1, talked = f.talked_recently, red = f.red, amber = f.amber).to_string() } else { t_string!(i18n, home_team_figures, count = f.starters, talked = f.talked_recently, red = f.red, amber = f.amber).to_string() }}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// One mentee on the mentor's home: how long since the last talk, open
/// actions, the next planned talk, and logging in one tap.
#[component]
fn MenteeCard(row: MenteeRow) -> impl IntoView {
    let i18n = use_i18n();
    let id = row.starter.id.0;
    let name = row.starter.name.clone();
    let days = row.days_since_contact;
    view! {
        <li class="card">
            <h3 class="card-title"><A href=format!("/mentees/{id}")>{row.starter.name.clone()}</A></h3>
            <p class="muted">
                {match row.last_held {
                    Some(_) if days == 1 => t_string!(i18n, last_conversation_days_1).to_string(),
                    Some(_) => t_string!(i18n, last_conversation_days, count = days).to_string(),
                    None if days == 1 => t_string!(i18n, no_conversation_yet_1).to_string(),
                    None => t_string!(i18n, no_conversation_yet, count = days).to_string(),
                }}
                " · " {if row.open_actions == 1 { t_string!(i18n, open_actions_1).to_string() } else { t_string!(i18n, open_actions, count = row.open_actions).to_string() }}
                {row.next_planned.map(|d| view! { " · " {t!(i18n, next_planned)} " " {crate::components::dates::day(d)} })}
            </p>
            {row.fit_question.map(|_| view! { <p class="badge badge-attention">{t!(i18n, fit_question_pending)}</p> })}
            {(!row.signals.is_empty()).then(|| {
                let level = houvast::domain::signals::level(&row.signals);
                let reasons = row
                    .signals
                    .iter()
                    .map(|s| crate::pages::signals::rule_name(i18n, s.rule))
                    .collect::<Vec<_>>()
                    .join(", ");
                view! {
                    <p class="mentee-signals">
                        <a href="/watch-list" class=crate::pages::signals::level_class(level)>
                            {crate::pages::signals::level_label(i18n, level)}
                        </a>
                        " " {reasons}
                    </p>
                }
            })}
            <a href=format!("/mentees/{id}/log") class="button button-small">
                {t!(i18n, log_conversation)}<span class="visually-hidden">": " {name}</span>
            </a>
        </li>
    }
}

#[component]
fn Contacts(contacts: Vec<Contact>, #[prop(default = true)] heading: bool) -> impl IntoView {
    let i18n = use_i18n();
    (!contacts.is_empty()).then(|| {
        view! {
            {heading.then(|| view! { <h3>{t!(i18n, home_contact)}</h3> })}
            <ul class="plain-list">
                {contacts.into_iter().map(|c| view! {
                    <li>
                        {c.person.name.clone()}
                        {c.email.map(|email| view! { " · " <a href=format!("mailto:{email}")>{email.clone()}</a> })}
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}

/// A list of audit events in words.
#[component]
pub fn AuditList(lines: Vec<AuditLine>) -> impl IntoView {
    let i18n = use_i18n();
    if lines.is_empty() {
        return view! { <p class="muted">{t!(i18n, audit_empty)}</p> }.into_any();
    }
    view! {
        <ul class="events">
            {lines.into_iter().map(|line| {
                let action = AuditAction::from_code(&line.action);
                // The subject is named only when it is someone else than the actor.
                let subject = line.subject_name.clone()
                    .filter(|s| !s.is_empty() && Some(s) != line.actor_name.as_ref());
                let actor = line.actor_name.clone().unwrap_or_else(|| t_string!(i18n, audit_system).to_string());
                view! {
                    <li>
                        <time datetime=line.occurred_at.to_rfc3339()>{time::format_date_time(line.occurred_at)}</time>
                        <span class="event-text">
                            <strong><PersonName name=actor id=line.actor_id.map(|id| id.0) /></strong>
                            " " {move || action.map(|a| action_label(i18n, a)).unwrap_or_else(|| line.action.clone())}
                            {subject.map(|name| view! { " · " <PersonName name id=line.subject_id.map(|id| id.0) /> })}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A person's name, linked to their page when the viewer has one for them.
#[component]
fn PersonName(name: String, id: Option<i64>) -> impl IntoView {
    match id {
        Some(id) => view! { <A href=format!("/people/{id}")>{name}</A> }.into_any(),
        None => name.into_any(),
    }
}

/// The starter's phone home: check in, the next talk, open actions and the
/// next step, with the answer to a request to talk.
#[component]
fn StarterToday(home: houvast::domain::StarterHome) -> impl IntoView {
    let i18n = use_i18n();
    let due_now = home.checkin_due_now;
    let answered = home.talk_request.clone().filter(|r| r.answered_at.is_some());
    let open = home.talk_request.clone().filter(|r| r.answered_at.is_none());
    let reports = home.reports_to_confirm;
    view! {
        <crate::pages::checkin::RequestStatus open answered />
        {(reports > 0).then(|| view! {
            <section class="panel panel-attention" aria-labelledby="home-reports">
                <h2 id="home-reports">{t!(i18n, reports_title)}</h2>
                <p>{if reports == 1 { t_string!(i18n, reports_waiting_1).to_string() } else { t_string!(i18n, reports_waiting, count = reports).to_string() }}</p>
                <p><A href="/my-conversations" attr:class="button">{t!(i18n, reports_action)}</A></p>
            </section>
        })}
        {home.checkin_due.map(|due| view! {
            <section class=if due_now { "panel panel-attention" } else { "panel" } aria-labelledby="home-checkin">
                <h2 id="home-checkin">{t!(i18n, checkin_title)}</h2>
                {if due_now {
                    view! {
                        <p>{t!(i18n, checkin_due_now)}</p>
                        {home.last_checkin.map(|d| view! { <p class="muted">{t!(i18n, checkin_last)} " " {crate::components::dates::day(d)}</p> })}
                        <p><A href="/check-in" attr:class="button">{t!(i18n, checkin_now)}</A></p>
                    }.into_any()
                } else {
                    // Checked in: a done state, and the history one tap away.
                    view! {
                        {home.last_checkin.map(|d| view! { <p><span class="badge">{t!(i18n, checkin_done_badge)}</span> " " {t!(i18n, checkin_last)} " " {crate::components::dates::day(d)}</p> })}
                        <p>{t!(i18n, checkin_next_due)} " " {crate::components::dates::day(due)}</p>
                        <p><A href="/check-in">{t!(i18n, checkin_view_history)}</A></p>
                    }.into_any()
                }}
            </section>
        })}
        {(home.next_conversation.is_some() || home.next_milestone.is_some()).then(|| view! {
            <section class="panel" aria-labelledby="home-next">
                <h2 id="home-next">{t!(i18n, next_planned_title)}</h2>
                <dl class="facts">
                    {home.next_conversation.map(|d| view! {
                        <div><dt>{t!(i18n, next_conversation)}</dt><dd>{crate::components::dates::day(d)}</dd></div>
                    })}
                    {home.next_milestone.clone().map(|(title, due)| view! {
                        <div><dt>{t!(i18n, next_milestone)}</dt><dd>{title} " · " {crate::components::dates::day(due)}</dd></div>
                    })}
                </dl>
            </section>
        })}
        {(!home.open_actions.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="home-actions">
                <h2 id="home-actions">{t!(i18n, open_actions_title)}</h2>
                <crate::pages::conversations::ActionList actions=home.open_actions.clone() />
            </section>
        })}
    }
}
