//! The 30-second check-in on a phone, its history as small server-rendered
//! SVG charts with a table behind them, and requests to talk as their
//! recipient sees them on top of the home page.

use houvast::domain::checkin::{CheckInStatus, Measure, TalkRequestView, TalkTo};
use houvast::domain::time;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

use crate::api::checkins::{AnswerTalkRequest, CheckIn, checkin_status};
use crate::components::checkin_history::CheckInHistory;
use crate::components::dates::day;
use crate::components::form::{FormError, Success, field_error, problem_text};
use crate::components::loaded::Loaded;
use crate::components::title::PageTitle;
use crate::i18n::*;

pub fn measure_question(i18n: I18nContext<Locale>, measure: Measure) -> String {
    match measure {
        Measure::Wellbeing => t_string!(i18n, measure.wellbeing),
        Measure::Workload => t_string!(i18n, measure.workload),
        Measure::Support => t_string!(i18n, measure.support),
        Measure::Confidence => t_string!(i18n, measure.confidence),
        Measure::IntentionToStay => t_string!(i18n, measure.intention_to_stay),
    }
    .to_string()
}

#[component]
pub fn CheckInPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let done = move || query.with(|q| q.get("done"));
    let again = move || query.with(|q| q.get("again").is_some());
    let data = Resource::new(|| (), |_| checkin_status());
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, checkin_title).to_string()) />
        <Loaded resource=data let:status>
            <CheckInView status done=done() again=again() />
        </Loaded>
    }
}

#[component]
fn CheckInView(status: CheckInStatus, done: Option<String>, again: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CheckIn>::new();
    let result = action.value();
    let has_mentor = status.has_mentor;
    let due = status.due_on;
    let last = status.history.last().map(|c| c.on);
    let open_request = status.requests.iter().find(|r| r.answered_at.is_none()).cloned();
    let answered = status.requests.iter().find(|r| r.answered_at.is_some()).cloned();
    view! {
        <section class="page narrow" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, checkin_title)}</h1>
            {match done.as_deref() {
                Some("talk") => view! { <Success text=Signal::derive(move || t_string!(i18n, checkin_thanks_talk).to_string()) /> }.into_any(),
                Some(_) => view! { <Success text=Signal::derive(move || t_string!(i18n, checkin_thanks).to_string()) /> }.into_any(),
                None => ().into_any(),
            }}
            <RequestStatus open=open_request answered />
            <p class="lead">
                {last.map(|d| view! { {t!(i18n, checkin_last)} " " {day(d)} " · " })}
                {t!(i18n, checkin_next_due)} " " {day(due)}
            </p>
            {if done.is_some() && !again {
                // Just checked in: a done state instead of the empty form.
                view! {
                    <p class="actions">
                        <a href="/" class="button">{t!(i18n, back_home)}</a>
                        <a href="/check-in?again=1" class="button button-secondary">{t!(i18n, checkin_again)}</a>
                    </p>
                }.into_any()
            } else {
                view! {
                    <FormError result=action.value() />
                    <form method="post" action=CheckIn::url() class="stack checkin-form">
                        {Measure::ALL.iter().map(|m| {
                            let code = m.code();
                            let problem = field_error(result, code);
                            let error_id = format!("{code}-error");
                            let described = error_id.clone();
                            view! {
                                <fieldset class="scale" aria-describedby=described>
                                    <legend>{measure_question(i18n, *m)}</legend>
                                    <div class="scale-options">
                                        {(1..=5u8).map(|n| view! {
                                            <label>
                                                <input type="radio" name=code value=n required=n == 1 />
                                                <span aria-hidden="true">{n}</span>
                                                <span class="visually-hidden">{scale_label(i18n, *m, n)}</span>
                                            </label>
                                        }).collect_view()}
                                    </div>
                                    <p class="scale-ends muted" aria-hidden="true"><span>{scale_label(i18n, *m, 1)}</span><span>{scale_label(i18n, *m, 5)}</span></p>
                                    <Show when=move || problem.get().is_some()>
                                        <p class="field-error" id=error_id.clone()>{move || problem.get().map(|p| problem_text(i18n, p))}</p>
                                    </Show>
                                </fieldset>
                            }
                        }).collect_view()}
                        <div class="field">
                            <label for="checkin-comment">{t!(i18n, checkin_comment)}</label>
                            <p class="hint" id="checkin-comment-hint">{t!(i18n, checkin_comment_hint)}</p>
                            <textarea id="checkin-comment" name="comment" rows="2" maxlength=houvast::domain::checkin::COMMENT_MAX aria-describedby="checkin-comment-hint"></textarea>
                        </div>
                        <fieldset class="talk">
                            <legend>{t!(i18n, checkin_talk)}</legend>
                            <label class="choice"><input type="radio" name="talk_to" value="no" checked=true /> {t!(i18n, checkin_talk_no)}</label>
                            {has_mentor.then(|| view! {
                                <label class="choice"><input type="radio" name="talk_to" value=TalkTo::Mentor.code() /> {t!(i18n, checkin_talk_mentor)}</label>
                            })}
                            <label class="choice"><input type="radio" name="talk_to" value=TalkTo::Coordinator.code() /> {t!(i18n, checkin_talk_coordinator)}</label>
                        </fieldset>
                        <button type="submit" class="button-wide">{t!(i18n, checkin_button)}</button>
                    </form>
                }.into_any()
            }}
            <CheckInHistory history=status.history />
        </section>
    }
}

fn scale_label(i18n: I18nContext<Locale>, measure: Measure, n: u8) -> String {
    let (low, high) = if measure == Measure::Workload {
        (
            t_string!(i18n, scale_low_workload).to_string(),
            t_string!(i18n, scale_high_workload).to_string(),
        )
    } else {
        (
            t_string!(i18n, scale_low).to_string(),
            t_string!(i18n, scale_high).to_string(),
        )
    };
    match n {
        1 => format!("1 – {low}"),
        5 => format!("5 – {high}"),
        n => n.to_string(),
    }
}

/// Whether the starter's last request to talk was received and answered.
#[component]
pub fn RequestStatus(open: Option<TalkRequestView>, answered: Option<TalkRequestView>) -> impl IntoView {
    let i18n = use_i18n();
    match (open, answered) {
        (Some(r), _) => view! {
            <div class="notice" role="status">
                <p>{t!(i18n, talk_received, name = r.recipient.name.clone(), when = time::format_date_time(r.asked_at))}</p>
            </div>
        }
        .into_any(),
        (None, Some(r)) => view! {
            <div class="notice notice-success" role="status">
                <p>{t!(i18n, talk_answered, name = r.recipient.name.clone(), when = r.answered_at.map(time::format_date_time).unwrap_or_default())}</p>
            </div>
        }
        .into_any(),
        (None, None) => ().into_any(),
    }
}

/// Requests to talk for the logged-in mentor or coordinator, on top of the home.
#[component]
pub fn TalkRequests(requests: Vec<TalkRequestView>, can_plan: bool) -> impl IntoView {
    let i18n = use_i18n();
    let answer = ServerAction::<AnswerTalkRequest>::new();
    (!requests.is_empty()).then(|| {
        view! {
            <section class="panel panel-attention" aria-labelledby="talk-requests">
                <h2 id="talk-requests">{t!(i18n, talk_requests_title)}</h2>
                <FormError result=answer.value() />
                <ul class="cards">
                    {requests.into_iter().map(|r| {
                        let starter = r.starter.id.0;
                        let name = r.starter.name.clone();
                        let can_plan = can_plan && r.to == TalkTo::Mentor;
                        // The mentor goes to their mentee's page, the coordinator to the starter's.
                        let page = if r.to == TalkTo::Mentor {
                            format!("/mentees/{starter}")
                        } else {
                            format!("/starters/{starter}")
                        };
                        view! {
                            <li class="card">
                                <p><strong><a href=page>{r.starter.name.clone()}</a></strong> " " {t!(i18n, talk_wants)}</p>
                                <p class="muted">{t!(i18n, talk_since)} " " {time::format_date_time(r.asked_at)}</p>
                                <div class="button-row">
                                    {can_plan.then(|| view! {
                                        <a href=format!("/mentees/{starter}/log?plan=1") class="button button-small">
                                            {t!(i18n, talk_plan)}<span class="visually-hidden">": " {name.clone()}</span>
                                        </a>
                                    })}
                                    <form method="post" action=AnswerTalkRequest::url() class="inline-form">
                                        <input type="hidden" name="id" value=r.id />
                                        <button type="submit" class="button-small button-secondary">
                                            {t!(i18n, talk_contacted)}<span class="visually-hidden">": " {name.clone()}</span>
                                        </button>
                                    </form>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
