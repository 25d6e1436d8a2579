//! "My data" (AVG art. 15): everything Houvast holds about a person that
//! they may see, readable on a phone, with the same copy as a JSON file.
//! `/my-data` for oneself; `/people/:id/data` for a coordinator producing
//! it on a person's request.

use houvast::domain::checkin::{Measure, TalkTo};
use houvast::domain::personal_data::PersonalData;
use houvast::domain::{Language, time};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::personal_data::load_personal_data;
use crate::components::dates::day;
use crate::components::error::ErrorNotice;
use crate::components::labels::{action_label, role_label};
use crate::components::mentoring_labels::{
    action_owner_label, conversation_kind_label, conversation_status_label, pairing_end_reason_label,
    pairing_kind_label, topic_label,
};
use crate::components::notification_text::notification_text;
use crate::components::title::PageTitle;
use crate::components::trajectory_labels::{leave_reason_label, milestone_state_label, route_label};
use crate::i18n::*;
use crate::pages::checkin::measure_question;
use crate::pages::signals::{action_label as alert_action_label, level_label, rule_name};

/// The logged-in person's own copy.
#[component]
pub fn MyDataPage() -> impl IntoView {
    view! { <DataView person=None /> }
}

/// A coordinator's copy of a person of the institution (audited).
#[component]
pub fn PersonDataPage() -> impl IntoView {
    let params = use_params_map();
    let person = params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    view! { <DataView person=Some(person.unwrap_or(0)) /> }
}

#[component]
fn DataView(person: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || person, load_personal_data);
    let download = match person {
        Some(id) => format!("/people/{id}/data.json"),
        None => "/my-data.json".to_owned(),
    };
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, my_data.title).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || {
                    let download = download.clone();
                    Suspend::new(async move {
                        match data.await {
                            Err(error) => view! {
                                <h1 id="page-title">{t!(i18n, my_data.title)}</h1>
                                <ErrorNotice error />
                            }.into_any(),
                            Ok(data) => view! { <DataSections data download person /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn DataSections(data: PersonalData, download: String, person: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let name = data.person.name.clone();
    let heading = match person {
        None => t_string!(i18n, my_data.title).to_string(),
        Some(_) => t_string!(i18n, my_data.title_of, name = name.clone()).to_string(),
    };
    let is_starter = data.is_starter();
    let PersonalData {
        produced_at,
        person: who,
        roles,
        employments,
        check_ins,
        talk_requests,
        mentors,
        conversations,
        written_as_mentor,
        notifications,
        signals,
        reads,
        logins,
    } = data;
    view! {
        <h1 id="page-title">{heading}</h1>
        <p class="lead">{if person.is_none() { t!(i18n, my_data.lead).into_any() } else { t!(i18n, my_data.lead_on_request).into_any() }}</p>
        <p class="actions">
            <a href=download.clone() class="button" download="">{t!(i18n, my_data.download)}</a>
            {person.map(|id| view! { <A href=format!("/people/{id}") attr:class="button button-secondary">{t!(i18n, my_data.back_to_person)}</A> })}
        </p>
        <p class="muted">{t!(i18n, my_data.produced, when = time::format_date_time(produced_at))}</p>

        <section class="panel" aria-labelledby="data-person">
            <h2 id="data-person">{t!(i18n, my_data.person)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, field_full_name)}</dt><dd>{who.name}</dd>
                <dt>{t!(i18n, field_email)}</dt><dd>{who.email.unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>{t!(i18n, my_data.institution)}</dt><dd>{who.institution.unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>{t!(i18n, language_label)}</dt><dd>{match who.language { Language::Nl => "Nederlands", Language::En => "English" }}</dd>
                <dt>{t!(i18n, my_data.since)}</dt><dd>{time::format_date(who.created_at)}</dd>
            </dl>
            <h3>{t!(i18n, my_data.roles)}</h3>
            <Nothing when=roles.is_empty() />
            <ul class="plain-list">
                {roles.into_iter().map(|r| view! {
                    <li>
                        {role_label(i18n, r.role)}
                        {r.team.map(|t| view! { " · " {t} })}
                        " · " {time::format_date(r.from)}
                        {r.until.map(|u| view! { " – " {time::format_date(u)} })}
                    </li>
                }).collect_view()}
            </ul>
        </section>

        {is_starter.then(|| view! {
            <section class="panel" aria-labelledby="data-employment">
                <h2 id="data-employment">{t!(i18n, my_data.employment)}</h2>
                {employments.into_iter().map(|e| view! {
                    <dl class="facts">
                        <dt>{t!(i18n, field_employee_number)}</dt><dd>{e.employee_number.clone()}</dd>
                        <dt>{t!(i18n, field_route)}</dt><dd>{route_label(i18n, e.route)}</dd>
                        <dt>{t!(i18n, field_start_date)}</dt><dd><time datetime=e.start.to_string()>{day(e.start)}</time></dd>
                        {e.ending.clone().map(|(on, reason, destination)| view! {
                            <dt>{t!(i18n, my_data.ended)}</dt>
                            <dd>{day(on)} " · " {leave_reason_label(i18n, reason)} {destination.map(|d| view! { " · " {d} })}</dd>
                        })}
                    </dl>
                    {e.trajectory.clone().map(|t| view! {
                        <h3>{t!(i18n, my_data.milestones)}</h3>
                        <ul class="plain-list">
                            {t.milestones.into_iter().map(|m| view! {
                                <li>
                                    {m.title} " · " <time datetime=m.due.to_string()>{day(m.due)}</time>
                                    " · " {milestone_state_label(i18n, m.state)}
                                    {m.done_on.map(|d| view! { " (" {day(d)} ")" })}
                                    {m.note.map(|n| view! { <br /><span class="muted">{n}</span> })}
                                    {m.skip_reason.map(|n| view! { <br /><span class="muted">{n}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                    {(!e.goals.is_empty()).then(|| view! {
                        <h3>{t!(i18n, goals_title)}</h3>
                        <ul class="plain-list">
                            {e.goals.clone().into_iter().map(|g| view! { <li>{g.title} " · " {g.progress} "%"</li> }).collect_view()}
                        </ul>
                    })}
                }).collect_view()}
            </section>

            <section class="panel" aria-labelledby="data-checkins">
                <h2 id="data-checkins">{t!(i18n, my_data.check_ins)}</h2>
                <Nothing when=check_ins.is_empty() />
                <ul class="plain-list">
                    {check_ins.into_iter().rev().map(|c| view! {
                        <li>
                            <strong><time datetime=c.on.to_string()>{day(c.on)}</time></strong>
                            <br />
                            <span class="muted">
                                {Measure::ALL.iter().map(|m| view! { {measure_question(i18n, *m)} " " {c.scores.get(*m).get()} "/5. " }).collect_view()}
                            </span>
                            {c.comment.map(|t| view! { <br />{t} })}
                        </li>
                    }).collect_view()}
                </ul>
                {(!talk_requests.is_empty()).then(|| view! {
                    <h3>{t!(i18n, my_data.talk_requests)}</h3>
                    <ul class="plain-list">
                        {talk_requests.into_iter().map(|r| view! {
                            <li>
                                {time::format_date_time(r.asked_at)} " · "
                                {match r.to {
                                    TalkTo::Mentor => t_string!(i18n, my_data.to_mentor).to_string(),
                                    TalkTo::Coordinator => t_string!(i18n, my_data.to_coordinator).to_string(),
                                }}
                                {r.answered_at.map(|a| view! { " · " {t!(i18n, my_data.answered, when = time::format_date_time(a))} })}
                            </li>
                        }).collect_view()}
                    </ul>
                })}
            </section>

            <section class="panel" aria-labelledby="data-conversations">
                <h2 id="data-conversations">{t!(i18n, my_data.conversations)}</h2>
                <ul class="plain-list">
                    {mentors.into_iter().map(|m| view! {
                        <li>
                            <strong>{m.mentor}</strong> " · " {pairing_kind_label(i18n, m.kind)} " · " {day(m.start)}
                            {m.end.map(|(on, reason)| view! { " – " {day(on)} " (" {pairing_end_reason_label(i18n, reason)} ")" })}
                        </li>
                    }).collect_view()}
                </ul>
                <Nothing when=conversations.is_empty() />
                <ul class="plain-list">
                    {conversations.into_iter().map(|c| view! {
                        <li>
                            <strong><time datetime=c.on.to_string()>{day(c.on)}</time> " · " {conversation_kind_label(i18n, c.kind)}</strong>
                            " · " {conversation_status_label(i18n, c.status)} " · " {c.mentor.name}
                            {(!c.topics.is_empty()).then(|| view! {
                                <br /><span class="muted">{c.topics.iter().map(|t| topic_label(i18n, *t)).collect::<Vec<_>>().join(", ")}</span>
                            })}
                            {(!c.summary.is_empty()).then(|| view! { <p>{c.summary.clone()}</p> })}
                            {c.reflection.map(|r| view! { <p><em>{t!(i18n, my_data.your_reflection)}</em> " " {r}</p> })}
                            {(!c.actions.is_empty()).then(|| view! {
                                <ul>
                                    {c.actions.into_iter().map(|a| view! {
                                        <li>{a.description} " · " {action_owner_label(i18n, a.owner)} {a.done.then_some(" ✓")}</li>
                                    }).collect_view()}
                                </ul>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>

            <section class="panel" aria-labelledby="data-signals">
                <h2 id="data-signals">{t!(i18n, my_data.signals)}</h2>
                <Nothing when=signals.is_empty() />
                <ul class="plain-list">
                    {signals.into_iter().map(|s| view! {
                        <li>
                            <strong>{day(s.opened_on)} " · " {level_label(i18n, Some(s.level))}</strong>
                            " · " {s.rules.iter().map(|r| rule_name(i18n, *r)).collect::<Vec<_>>().join(", ")}
                            <ul>
                                {s.steps.into_iter().map(|step| view! {
                                    <li>
                                        {time::format_date_time(step.at)} " · " {alert_action_label(i18n, step.action)}
                                        {step.actor.map(|a| view! { " · " {a} })}
                                        {step.note.map(|n| view! { <br /><span class="muted">{n}</span> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}

        {(!written_as_mentor.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="data-written">
                <h2 id="data-written">{t!(i18n, my_data.written_as_mentor)}</h2>
                <p class="muted">{t!(i18n, my_data.written_lead)}</p>
                <ul class="plain-list">
                    {written_as_mentor.into_iter().map(|w| view! {
                        <li>
                            <strong><time datetime=w.on.to_string()>{day(w.on)}</time> " · " {conversation_kind_label(i18n, w.kind)}</strong>
                            {(!w.summary.is_empty()).then(|| view! { <p>{w.summary.clone()}</p> })}
                            {w.private_note.map(|n| view! { <p><em>{t!(i18n, my_data.private_note)}</em> " " {n}</p> })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}

        <section class="panel" aria-labelledby="data-reads">
            <h2 id="data-reads">{t!(i18n, my_data.reads)}</h2>
            <p class="muted">{t!(i18n, my_data.reads_lead)}</p>
            <Nothing when=reads.is_empty() />
            <ul class="plain-list">
                {reads.into_iter().map(|r| view! {
                    <li>
                        {time::format_date_time(r.at)} " · "
                        <strong>{r.by.unwrap_or_else(|| t_string!(i18n, my_data.someone_gone).to_string())}</strong>
                        " " {action_label(i18n, r.what)}
                    </li>
                }).collect_view()}
            </ul>
        </section>

        <section class="panel" aria-labelledby="data-notifications">
            <h2 id="data-notifications">{t!(i18n, my_data.notifications)}</h2>
            <Nothing when=notifications.is_empty() />
            <ul class="plain-list">
                {notifications.into_iter().map(|n| {
                    let about = n.about.clone().unwrap_or_default();
                    view! {
                        <li>
                            {time::format_date_time(n.at)} " · " {move || notification_text(i18n.get_locale(), n.kind, &about, n.on)}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h3>{t!(i18n, my_data.logins)}</h3>
            <Nothing when=logins.is_empty() />
            <p class="muted">{logins.iter().map(|l| time::format_date_time(*l)).collect::<Vec<_>>().join(" · ")}</p>
        </section>
    }
}

/// "Nothing stored" for an empty section.
#[component]
fn Nothing(when: bool) -> impl IntoView {
    let i18n = use_i18n();
    when.then(|| view! { <p class="muted">{t!(i18n, my_data.nothing)}</p> })
}
