//! Conversation logs on a phone: the mentor's page about a mentee, the
//! one-screen log form, and the starter's own conversations. Every form is
//! a plain form post, so all of it works without JavaScript.

use houvast::domain::FieldProblem;
use houvast::domain::mentoring::{
    ActionOwner, ActionView, Concern, ConversationKind, ConversationStatus, ConversationView, FitAnswer, LogDefaults,
    MenteePage, MyGuidance, Topic,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::mentoring::{
    AnswerFit, ConfirmConversation, LogConversation, SetActionDone, log_form, mentee, my_conversations,
};
use crate::components::dates::day;
use crate::components::form::{FormError, Success, field_error, problem_text};
use crate::components::loaded::Loaded;
use crate::components::mentoring_labels::{
    action_owner_label, concern_label, conversation_kind_label, conversation_status_label, fit_answer_label,
    pairing_kind_label, topic_label,
};
use crate::components::title::PageTitle;
use crate::i18n::*;

fn id_param() -> impl Fn() -> i64 + Copy {
    move || use_params_map().with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0))
}

/// The problem with one field after a plain form post, in words.
#[component]
fn ErrorFor(#[prop(into)] problem: Signal<Option<FieldProblem>>, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || problem.get().is_some()>
            <p class="field-error" id=id>{move || problem.get().map(|p| problem_text(i18n, p))}</p>
        </Show>
    }
}

#[component]
pub fn MenteePageView() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("saved").is_some());
    let data = Resource::new(id, mentee);
    view! {
        <Loaded resource=data let:page>
            <Mentee page saved=saved() />
        </Loaded>
    }
}

#[component]
fn Mentee(page: MenteePage, saved: bool) -> impl IntoView {
    let i18n = use_i18n();
    let name = page.starter.name.clone();
    let title = name.clone();
    let starter = page.starter.id.0;
    let empty = page.conversations.is_empty();
    view! {
        <PageTitle text=Signal::derive(move || title.clone()) />
        <section class="page narrow" aria-labelledby="page-title">
            <p><A href="/">{t!(i18n, back_home)}</A></p>
            <h1 id="page-title">{name}</h1>
            <p class="lead">
                {t!(i18n, mentee_your_role)} ": " {pairing_kind_label(i18n, page.pairing.kind)} " · " {t!(i18n, since)} " " {day(page.pairing.start)}
                {page.email.clone().map(|email| view! { " · " <a href=format!("mailto:{email}")>{email.clone()}</a> })}
            </p>
            {saved.then(|| view! { <Success text=Signal::derive(move || t_string!(i18n, conversation_saved).to_string()) /> })}
            {page.fit_question.map(|pairing| view! { <FitQuestion pairing /> })}
            <p class="actions">
                <a href=format!("/mentees/{starter}/log") class="button">{t!(i18n, log_conversation)}</a>
                <a href=format!("/starters/{starter}") class="button button-secondary">{t!(i18n, view_trajectory)}</a>
            </p>
            <crate::components::checkin_history::CheckInHistory history=page.checkins.clone() />
            <section class="panel" aria-labelledby="conversations">
                <h2 id="conversations">{t!(i18n, conversations_title)}</h2>
                {empty.then(|| view! { <p class="muted">{t!(i18n, conversations_empty_mentor)}</p> })}
                <ul class="cards">
                    {page.conversations.into_iter().map(|c| view! { <ConversationCard conversation=c starter /> }).collect_view()}
                </ul>
            </section>
        </section>
    }
}

/// "Is this a good match?" with three answers.
#[component]
fn FitQuestion(pairing: i64) -> impl IntoView {
    let i18n = use_i18n();
    let answer = ServerAction::<AnswerFit>::new();
    view! {
        <section class="panel panel-attention" aria-labelledby=format!("fit-{pairing}")>
            <h2 id=format!("fit-{pairing}")>{t!(i18n, fit_question)}</h2>
            <p class="muted">{t!(i18n, fit_question_hint)}</p>
            <FormError result=answer.value() />
            <div class="button-row">
                {FitAnswer::ALL.iter().map(|a| view! {
                    <form method="post" action=AnswerFit::url() class="inline-form">
                        <input type="hidden" name="pairing" value=pairing />
                        <input type="hidden" name="answer" value=a.code() />
                        <button type="submit" class="button-secondary">{fit_answer_label(i18n, *a)}</button>
                    </form>
                }).collect_view()}
            </div>
        </section>
    }
}

/// One conversation with its content, as its starter or mentor sees it.
#[component]
fn ConversationCard(
    conversation: ConversationView,
    starter: i64,
    /// The starter reads their own conversations.
    #[prop(optional)]
    own: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let c = conversation;
    let heading = format!("{} · {}", day(c.on), conversation_kind_label(i18n, c.kind));
    let planned = c.status == ConversationStatus::Planned;
    let confirm = ServerAction::<ConfirmConversation>::new();
    let topics: Vec<String> = c
        .topics
        .iter()
        .map(|t| topic_label(i18n, *t))
        .chain(c.tags.iter().map(|t| format!("#{t}")))
        .collect();
    view! {
        <li class="card" id=format!("conversation-{}", c.id)>
            <h3>{heading}</h3>
            <p class="muted">
                <span class=format!("badge badge-{}", c.status.code())>{conversation_status_label(i18n, c.status)}</span>
                " " {c.duration_minutes} " " {t!(i18n, minutes)} " · " {c.mentor.name.clone()}
                {c.concern.map(|concern| view! { " · " <span class=format!("badge badge-concern-{}", concern.code())>{concern_label(i18n, concern)}</span> })}
                {c.confirmed_at.map(|_| view! { " · " {t!(i18n, confirmed_by_starter)} })}
            </p>
            {(!topics.is_empty()).then(|| view! { <p class="tags">{topics.join(" · ")}</p> })}
            {(!c.summary.is_empty()).then(|| view! {
                <h4>{t!(i18n, field_summary)}</h4>
                <p class="prewrap">{c.summary.clone()}</p>
            })}
            {c.private_note.clone().map(|note| view! {
                <div class="private-note">
                    <h4>{t!(i18n, field_private_note)}</h4>
                    <p class="prewrap">{note}</p>
                </div>
            })}
            {(!c.actions.is_empty()).then(|| view! {
                <h4>{t!(i18n, actions_title)}</h4>
                <ActionList actions=c.actions.clone() />
            })}
            // The starter edits their reflection in the form below; the
            // mentor reads it here.
            {c.reflection.clone().filter(|_| !c.can_confirm).map(|r| view! {
                <h4>{if own { t!(i18n, reflection_own_title).into_any() } else { t!(i18n, reflection_title).into_any() }}</h4>
                <p class="prewrap">{r}</p>
            })}
            {c.can_edit.then(|| {
                let href = format!("/mentees/{starter}/log?edit={}", c.id);
                if planned {
                    view! { <p><a href=href class="button">{t!(i18n, log_as_held)}</a></p> }.into_any()
                } else {
                    view! { <p><a href=href>{t!(i18n, edit_conversation)}</a></p> }.into_any()
                }
            })}
            {c.can_confirm.then(|| {
                let id = c.id;
                let reflection = c.reflection.clone().unwrap_or_default();
                let confirmed = c.confirmed_at.is_some();
                view! {
                    <FormError result=confirm.value() />
                    <form method="post" action=ConfirmConversation::url() class="stack">
                        <input type="hidden" name="id" value=id />
                        <div class="field">
                            <label for=format!("reflection-{id}")>{t!(i18n, field_reflection)}</label>
                            <p class="hint" id=format!("reflection-{id}-hint")>{t!(i18n, reflection_hint)}</p>
                            <textarea id=format!("reflection-{id}") name="reflection" rows="3" maxlength=houvast::domain::mentoring::REFLECTION_MAX aria-describedby=format!("reflection-{id}-hint")>{reflection}</textarea>
                        </div>
                        <button type="submit">{if confirmed { t!(i18n, save_reflection).into_any() } else { t!(i18n, confirm_conversation).into_any() }}</button>
                    </form>
                }
            })}
        </li>
    }
}

/// Agreed actions, each with a button to tick it off (or open it again).
#[component]
pub fn ActionList(actions: Vec<ActionView>) -> impl IntoView {
    let i18n = use_i18n();
    let tick = ServerAction::<SetActionDone>::new();
    view! {
        <FormError result=tick.value() />
        <ul class="actions-list">
            {actions.into_iter().map(|a| {
                let text = a.description.clone();
                view! {
                    <li class:done=a.done>
                        <span>
                            {a.description.clone()}
                            <span class="muted">
                                " · " {action_owner_label(i18n, a.owner)}
                                {a.due_on.map(|d| view! { " · " {t!(i18n, due)} " " {day(d)} })}
                            </span>
                        </span>
                        <form method="post" action=SetActionDone::url() class="inline-form">
                            <input type="hidden" name="id" value=a.id />
                            <input type="hidden" name="done" value=if a.done { "no" } else { "yes" } />
                            <button type="submit" class="button-small button-secondary">
                                {if a.done { t!(i18n, action_reopen).into_any() } else { t!(i18n, action_done).into_any() }}
                                <span class="visually-hidden">": " {text}</span>
                            </button>
                        </form>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn LogPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let query = use_query_map();
    let edit = move || query.with(|q| q.get("edit").and_then(|v| v.parse::<i64>().ok()));
    let plan = move || query.with(|q| q.get("plan").is_some());
    let data = Resource::new(move || (id(), edit()), |(id, edit)| log_form(id, edit));
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, log_conversation).to_string()) />
        <Loaded resource=data let:defaults>
            <LogForm defaults plan=plan() />
        </Loaded>
    }
}

/// The one-screen log form. Defaults: held, today, the last kind, 60 minutes.
#[component]
fn LogForm(defaults: LogDefaults, plan: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LogConversation>::new();
    let result = action.value();
    let err = move |field: &'static str| field_error(result, field);
    let starter = defaults.starter.id.0;
    let editing = defaults.editing.clone();
    // Holding a planned conversation: held, on its date (or today if later).
    let status = if plan && editing.is_none() {
        ConversationStatus::Planned
    } else {
        ConversationStatus::Held
    };
    let on = editing.as_ref().map_or(defaults.today, |c| match c.status {
        ConversationStatus::Held => c.on,
        ConversationStatus::Planned => c.on.min(defaults.today),
    });
    let kind = editing.as_ref().map_or(defaults.kind, |c| c.kind);
    let duration = editing
        .as_ref()
        .map_or(defaults.duration_minutes, |c| c.duration_minutes);
    let topics: Vec<Topic> = editing.as_ref().map(|c| c.topics.clone()).unwrap_or_default();
    let tags = editing.as_ref().map(|c| c.tags.join(", ")).unwrap_or_default();
    let summary = editing.as_ref().map(|c| c.summary.clone()).unwrap_or_default();
    let note = editing
        .as_ref()
        .and_then(|c| c.private_note.clone())
        .unwrap_or_default();
    let concern = editing.as_ref().and_then(|c| c.concern);
    let existing_actions = editing.as_ref().map(|c| c.actions.clone()).unwrap_or_default();
    let heading = if editing.is_some() {
        t_string!(i18n, edit_conversation).to_string()
    } else {
        t_string!(i18n, log_conversation).to_string()
    };
    view! {
        <section class="page narrow" aria-labelledby="page-title">
            <p><a href=format!("/mentees/{starter}")>{t!(i18n, back_to)} " " {defaults.starter.name.clone()}</a></p>
            <h1 id="page-title">{heading}</h1>
            <p class="lead">{defaults.starter.name.clone()}</p>
            <FormError result=action.value() />
            <form method="post" action=LogConversation::url() class="stack log-form">
                <input type="hidden" name="starter" value=starter />
                {editing.as_ref().map(|c| view! { <input type="hidden" name="edit" value=c.id /> })}
                <fieldset class="segmented">
                    <legend>{t!(i18n, field_status)}</legend>
                    {ConversationStatus::ALL.iter().rev().map(|s| view! {
                        <label>
                            <input type="radio" name="status" value=s.code() checked=*s == status />
                            {conversation_status_label(i18n, *s)}
                        </label>
                    }).collect_view()}
                </fieldset>
                <div class="field-row">
                    <div class="field">
                        <label for="log-on">{t!(i18n, field_date)}</label>
                        <input id="log-on" type="date" name="on" value=on.to_string() required aria-describedby="log-on-error" />
                        <ErrorFor problem=err("on") id="log-on-error" />
                    </div>
                    <div class="field field-narrow">
                        <label for="log-duration">{t!(i18n, field_duration)}</label>
                        <input id="log-duration" type="number" name="duration" min="5" max="480" step="5" inputmode="numeric" value=duration aria-describedby="log-duration-error" />
                        <ErrorFor problem=err("duration") id="log-duration-error" />
                    </div>
                </div>
                <div class="field">
                    <label for="log-kind">{t!(i18n, field_kind)}</label>
                    <select id="log-kind" name="kind">
                        {ConversationKind::ALL.iter().map(|k| view! {
                            <option value=k.code() selected=*k == kind>{conversation_kind_label(i18n, *k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset class="chips">
                    <legend>{t!(i18n, field_topics)}</legend>
                    {Topic::ALL.iter().map(|topic| view! {
                        <label class="chip">
                            <input type="checkbox" name="topics[]" value=topic.code() checked=topics.contains(topic) />
                            <span>{topic_label(i18n, *topic)}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="log-tags">{t!(i18n, field_tags)}</label>
                    <input id="log-tags" type="text" name="tags" maxlength="400" value=tags aria-describedby="log-tags-hint log-tags-error" />
                    <p class="hint" id="log-tags-hint">{t!(i18n, tags_hint)}</p>
                    <ErrorFor problem=err("tags") id="log-tags-error" />
                </div>
                <div class="field">
                    <label for="log-summary">{t!(i18n, field_summary)}</label>
                    <p class="hint" id="log-summary-hint">{t!(i18n, summary_hint)}</p>
                    <textarea id="log-summary" name="summary" rows="4" maxlength=houvast::domain::mentoring::SUMMARY_MAX aria-describedby="log-summary-hint log-summary-error">{summary}</textarea>
                    <ErrorFor problem=err("summary") id="log-summary-error" />
                </div>
                <div class="field">
                    <label for="log-note">{t!(i18n, field_private_note)}</label>
                    <p class="hint" id="log-note-hint">{t!(i18n, private_note_hint)}</p>
                    <textarea id="log-note" name="note" rows="2" maxlength=houvast::domain::mentoring::NOTE_MAX aria-describedby="log-note-hint log-note-error">{note}</textarea>
                    <ErrorFor problem=err("note") id="log-note-error" />
                </div>
                <fieldset class="action-fields">
                    <legend>{t!(i18n, actions_title)}</legend>
                    {(!existing_actions.is_empty()).then(|| view! {
                        <ul class="plain-list muted">
                            {existing_actions.iter().map(|a| view! { <li>{a.description.clone()}</li> }).collect_view()}
                        </ul>
                    })}
                    <ActionFields n=1 />
                    <details>
                        <summary>{t!(i18n, another_action)}</summary>
                        <ActionFields n=2 />
                    </details>
                </fieldset>
                <div class="field">
                    <label for="log-concern">{t!(i18n, field_concern)}</label>
                    <select id="log-concern" name="concern" aria-describedby="log-concern-hint">
                        <option value="none">{t!(i18n, concern_none)}</option>
                        {Concern::ALL.iter().map(|c| view! { <option value=c.code() selected=Some(*c) == concern>{concern_label(i18n, *c)}</option> }).collect_view()}
                    </select>
                    <p class="hint" id="log-concern-hint">{t!(i18n, concern_hint)}</p>
                </div>
                <button type="submit" class="button-wide">{t!(i18n, save_conversation)}</button>
            </form>
        </section>
    }
}

/// One new agreed action: what, who, by when.
#[component]
fn ActionFields(n: u8) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=format!("action{n}")>{t!(i18n, field_action)}</label>
            <input id=format!("action{n}") type="text" name=format!("action{n}") maxlength=houvast::domain::mentoring::ACTION_MAX />
        </div>
        <div class="field-row">
            <div class="field">
                <label for=format!("action{n}-owner")>{t!(i18n, field_action_owner)}</label>
                <select id=format!("action{n}-owner") name=format!("action{n}_owner")>
                    {ActionOwner::ALL.iter().map(|o| view! { <option value=o.code()>{action_owner_label(i18n, *o)}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=format!("action{n}-due")>{t!(i18n, field_action_due)}</label>
                <input id=format!("action{n}-due") type="date" name=format!("action{n}_due") />
            </div>
        </div>
    }
}

#[component]
pub fn MyConversationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let confirmed = move || query.with(|q| q.get("confirmed"));
    let data = Resource::new(|| (), |_| my_conversations());
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, my_conversations).to_string()) />
        <Loaded resource=data let:guidance>
            <MyConversations guidance confirmed=confirmed() />
        </Loaded>
    }
}

#[component]
fn MyConversations(guidance: MyGuidance, confirmed: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let no_mentor = guidance.mentors.is_empty();
    let empty = guidance.conversations.is_empty();
    let waiting = guidance
        .conversations
        .iter()
        .filter(|c| c.can_confirm && c.confirmed_at.is_none())
        .count();
    view! {
        <section class="page narrow" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, my_conversations)}</h1>
            {confirmed.map(|what| {
                let text = if what == "reflection" {
                    Signal::derive(move || t_string!(i18n, reflection_saved).to_string())
                } else {
                    Signal::derive(move || t_string!(i18n, conversation_confirmed).to_string())
                };
                view! { <Success text /> }
            })}
            {(waiting > 0).then(|| view! {
                <p class="panel panel-attention">{if waiting == 1 { t_string!(i18n, reports_waiting_1).to_string() } else { t_string!(i18n, reports_waiting, count = waiting).to_string() }}</p>
            })}
            <section class="panel" aria-labelledby="my-mentors">
                <h2 id="my-mentors">{t!(i18n, my_mentors)}</h2>
                {no_mentor.then(|| view! { <p class="muted">{t!(i18n, no_mentor_yet)}</p> })}
                <ul class="plain-list">
                    {guidance.mentors.into_iter().map(|(pairing, email)| view! {
                        <li>
                            <strong>{pairing.mentor.name.clone()}</strong> " · " {pairing_kind_label(i18n, pairing.kind)}
                            {email.map(|email| view! { " · " <a href=format!("mailto:{email}")>{email.clone()}</a> })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
            {guidance.fit_question.map(|pairing| view! { <FitQuestion pairing /> })}
            <section class="panel" aria-labelledby="conversations">
                <h2 id="conversations">{t!(i18n, conversations_title)}</h2>
                {empty.then(|| view! { <p class="muted">{t!(i18n, conversations_empty_starter)}</p> })}
                <ul class="cards">
                    {guidance.conversations.into_iter().map(|c| view! { <ConversationCard conversation=c starter=0 own=true /> }).collect_view()}
                </ul>
            </section>
        </section>
    }
}
