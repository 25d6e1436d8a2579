//! Pairing for coordinators: who has no mentor yet, explained suggestions,
//! matches in doubt and mentor load; mentor profiles; and the content-free
//! guidance panel on a starter's page.

use houvast::domain::mentoring::{
    GuidanceOverview, PairingEndReason, PairingKind, PairingOverview, SUGGESTIONS_SHOWN, SuggestionPage, TeamPreference,
};
use houvast::domain::{PersonRef, Sector};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::mentoring::{
    EndPairing, PairMentor, SaveMentorProfile, SetTeamPreference, load_mentor_profile, load_pairing_overview,
    mentor_suggestions,
};
use crate::components::dates::day;
use crate::components::form::{FormError, Success};
use crate::components::labels::sector_label;
use crate::components::loaded::{EmptyState, Loaded};
use crate::components::mentoring_labels::{
    concern_label, conversation_kind_label, conversation_status_label, fit_answer_label, pairing_end_reason_label,
    pairing_kind_label, reason_label, team_preference_label,
};
use crate::components::title::PageTitle;
use crate::i18n::*;

fn id_param() -> impl Fn() -> i64 + Copy {
    move || use_params_map().with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0))
}

#[component]
pub fn PairingPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let search = move || query.with(|q| q.get("q").unwrap_or_default());
    let data = Resource::new(|| (), |_| load_pairing_overview());
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, pairing_title).to_string()) />
        <Loaded resource=data let:overview>
            <Pairing overview search=search() />
        </Loaded>
    }
}

#[component]
fn Pairing(mut overview: PairingOverview, search: String) -> impl IntoView {
    let i18n = use_i18n();
    let preference = ServerAction::<SetTeamPreference>::new();
    let current = overview.preference;
    let all_paired = overview.unpaired.is_empty();
    let waiting = overview.unpaired.len();
    let wanted = search.trim().to_lowercase();
    if !wanted.is_empty() {
        overview.unpaired.retain(|u| {
            u.starter.name.to_lowercase().contains(&wanted)
                || u.team_name
                    .as_deref()
                    .is_some_and(|t| t.to_lowercase().contains(&wanted))
        });
    }
    let no_match = !all_paired && overview.unpaired.is_empty();
    let no_mentors = overview.mentors.is_empty();
    let poor_fits = overview.poor_fits.clone();
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, pairing_title)}</h1>
            <p class="lead">{t!(i18n, pairing_lead)}</p>
            <section class="panel" aria-labelledby="unpaired">
                <h2 id="unpaired">{t!(i18n, unpaired_title)} " (" {waiting} ")"</h2>
                {all_paired.then(|| view! { <p class="muted">{t!(i18n, unpaired_empty)}</p> })}
                {(!all_paired).then(|| view! {
                    <form method="get" action="/pairing" class="filters" role="search">
                        <div class="field">
                            <label for="pairing-search">{t!(i18n, pairing_search)}</label>
                            <input id="pairing-search" type="search" name="q" value=search.clone() />
                        </div>
                        <button type="submit">{t!(i18n, pairing_search_button)}</button>
                    </form>
                    <p class="muted">{t!(i18n, pairing_newest_first)}</p>
                })}
                {no_match.then(|| view! { <EmptyState><p>{t!(i18n, pairing_no_match, query = search.clone())}</p></EmptyState> })}
                <ul class="cards">
                    {overview.unpaired.into_iter().map(|u| view! {
                        <li class="card card-row">
                            <span>
                                <strong>{let starter = u.starter.clone(); view! { <A href=format!("/starters/{}", starter.id)>{starter.name}</A> }}</strong>
                                <span class="muted">
                                    {u.team_name.clone().map(|t| view! { " · " {t} })}
                                    " · " {t!(i18n, started_on)} " " <time datetime=u.start.to_string()>{day(u.start)}</time>
                                    " · " {if u.days_without == 1 { t_string!(i18n, days_without_mentor_1).to_string() } else { t_string!(i18n, days_without_mentor, count = u.days_without).to_string() }}
                                </span>
                            </span>
                            <a href=format!("/pairing/{}", u.starter.id) class="button button-small">
                                {t!(i18n, find_mentor)}<span class="visually-hidden">": " {u.starter.name.clone()}</span>
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
            {(!poor_fits.is_empty()).then(move || view! {
                <section class="panel panel-attention" aria-labelledby="poor-fits">
                    <h2 id="poor-fits">{t!(i18n, poor_fits_title)}</h2>
                    <ul class="plain-list">
                        {poor_fits.into_iter().map(|p| view! {
                            <li>
                                <A href=format!("/starters/{}", p.starter.id)>{p.starter.name.clone()}</A>
                                " · " <A href=format!("/mentors/{}", p.mentor.id)>{p.mentor.name.clone()}</A>
                                {p.starter_fit.map(|a| view! { " · " {t!(i18n, role_starter)} ": " {fit_answer_label(i18n, a)} })}
                                {p.mentor_fit.map(|a| view! { " · " {t!(i18n, role_mentor)} ": " {fit_answer_label(i18n, a)} })}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <section class="panel" aria-labelledby="mentors">
                <h2 id="mentors">{t!(i18n, mentors_title)}</h2>
                {no_mentors.then(|| view! { <p class="muted">{t!(i18n, mentors_empty)}</p> })}
                <ul class="plain-list">
                    {overview.mentors.into_iter().map(|m| {
                        let load = match &m.profile {
                            Some(p) => t_string!(i18n, mentor_load, active = m.active_mentees, capacity = p.capacity).to_string(),
                            None => t_string!(i18n, mentor_load_unknown, active = m.active_mentees).to_string(),
                        };
                        let trained = m.profile.as_ref().is_some_and(|p| p.trained);
                        let full = m.profile.as_ref().is_some_and(|p| u32::from(p.capacity) <= m.active_mentees);
                        view! {
                            <li>
                                <A href=format!("/mentors/{}", m.mentor.id)>{m.mentor.name.clone()}</A>
                                " · " {load}
                                {full.then(|| view! { " " <span class="badge badge-invited">{t!(i18n, reason.full)}</span> })}
                                {trained.then(|| view! { " · " {t!(i18n, reason.trained)} })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
            <CheckInRhythm days=overview.checkin_rhythm_days />
            <section class="panel" aria-labelledby="preference">
                <h2 id="preference">{t!(i18n, team_preference_title)}</h2>
                <FormError result=preference.value() />
                <form method="post" action=SetTeamPreference::url() class="stack">
                    <fieldset>
                        <legend>{t!(i18n, team_preference_legend)}</legend>
                        {TeamPreference::ALL.iter().map(|p| view! {
                            <label class="choice">
                                <input type="radio" name="preference" value=p.code() checked=*p == current />
                                {team_preference_label(i18n, *p)}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <button type="submit">{t!(i18n, save)}</button>
                </form>
            </section>
        </section>
    }
}

#[component]
pub fn SuggestionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let data = Resource::new(id, mentor_suggestions);
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, find_mentor).to_string()) />
        <Loaded resource=data let:page>
            <Suggestions page />
        </Loaded>
    }
}

#[component]
fn Suggestions(page: SuggestionPage) -> impl IntoView {
    let i18n = use_i18n();
    let pair = ServerAction::<PairMentor>::new();
    let starter = page.starter.id.0;
    let shown: Vec<_> = page.suggestions.iter().take(SUGGESTIONS_SHOWN).cloned().collect();
    let everyone = page.suggestions.clone();
    let none = everyone.is_empty();
    view! {
        <section class="page narrow" aria-labelledby="page-title">
            <p><A href="/pairing">{t!(i18n, back_to_pairing)}</A></p>
            <h1 id="page-title">{t!(i18n, find_mentor)}</h1>
            <p class="lead">
                {page.starter.name.clone()}
                {page.team_name.clone().map(|t| view! { " · " {t} })}
                {page.sector.map(|s| view! { " · " {sector_label(i18n, s)} })}
            </p>
            {(!page.current.is_empty()).then(|| view! {
                <div class="notice" role="note">
                    <p>{t!(i18n, current_mentors)} ": "
                        {page.current.iter().map(|p| format!("{} ({})", p.mentor.name, pairing_kind_label(i18n, p.kind))).collect::<Vec<_>>().join(", ")}
                    </p>
                </div>
            })}
            <p class="muted">{t!(i18n, suggestions_hint)} " " {team_preference_label(i18n, page.preference)}</p>
            <FormError result=pair.value() />
            {none.then(|| view! { <p class="muted">{t!(i18n, mentors_empty)}</p> })}
            <ol class="cards suggestions">
                {shown.into_iter().map(|s| {
                    let name = s.mentor.name.clone();
                    view! {
                        <li class="card">
                            <h2 class="card-title">{s.mentor.name.clone()} <span class="score">{t!(i18n, score_points, points = s.score)}</span></h2>
                            {s.reasons.iter().any(|r| r.reason == houvast::domain::mentoring::Reason::Full).then(|| view! {
                                <p class="notice notice-warning" role="note">{t!(i18n, pair_full_warning)}</p>
                            })}
                            <ul class="reasons">
                                {s.reasons.iter().map(|r| view! {
                                    <li class={if r.points > 0 { "reason-plus" } else if r.points < 0 { "reason-minus" } else { "reason-neutral" }}>
                                        {reason_label(i18n, r.reason)}
                                        {(r.points != 0).then(|| format!(" ({:+})", r.points))}
                                    </li>
                                }).collect_view()}
                            </ul>
                            <form method="post" action=PairMentor::url() class="inline-form">
                                <input type="hidden" name="starter" value=starter />
                                <input type="hidden" name="mentor" value=s.mentor.id.0 />
                                <input type="hidden" name="kind" value=PairingKind::WorkplaceMentor.code() />
                                <button type="submit">{t!(i18n, pair_with, name = name.clone())}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {(!none).then(|| view! {
                <section class="panel" aria-labelledby="override">
                    <h2 id="override">{t!(i18n, pair_other_title)}</h2>
                    <p class="muted">{t!(i18n, pair_other_hint)}</p>
                    <form method="post" action=PairMentor::url() class="stack">
                        <input type="hidden" name="starter" value=starter />
                        <div class="field">
                            <label for="pair-mentor">{t!(i18n, role_mentor)}</label>
                            <select id="pair-mentor" name="mentor">
                                {everyone.iter().map(|s| view! { <option value=s.mentor.id.0>{s.mentor.name.clone()} " (" {s.score} ")"</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="pair-kind">{t!(i18n, field_pairing_kind)}</label>
                            <select id="pair-kind" name="kind">
                                {PairingKind::ALL.iter().map(|k| view! { <option value=k.code()>{pairing_kind_label(i18n, *k)}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="pair-start">{t!(i18n, field_start_date)}</label>
                            <input id="pair-start" type="date" name="start" />
                        </div>
                        <div class="field">
                            <label for="pair-reason">{t!(i18n, field_override_reason)}</label>
                            <textarea id="pair-reason" name="reason" rows="2" maxlength=houvast::domain::mentoring::PROFILE_TEXT_MAX></textarea>
                        </div>
                        <button type="submit" class="button-secondary">{t!(i18n, pair_button)}</button>
                    </form>
                </section>
            })}
        </section>
    }
}

/// Pairings and conversations of one starter, without any content.
#[component]
pub fn GuidancePanel(guidance: GuidanceOverview, person: i64) -> impl IntoView {
    let i18n = use_i18n();
    let end = ServerAction::<EndPairing>::new();
    let can_pair = guidance.can_pair;
    let no_pairing = guidance.pairings.is_empty();
    let no_conversations = guidance.conversations.is_empty();
    view! {
        <section class="panel" aria-labelledby="guidance">
            <h2 id="guidance">{t!(i18n, guidance_title)}</h2>
            <dl class="stats">
                <div><dt>{t!(i18n, stat_held)}</dt><dd>{guidance.held}</dd></div>
                <div><dt>{t!(i18n, stat_planned)}</dt><dd>{guidance.planned}</dd></div>
                <div><dt>{t!(i18n, stat_concerns)}</dt><dd>{guidance.concerns}</dd></div>
            </dl>
            {no_pairing.then(|| view! { <p class="muted">{t!(i18n, no_mentor_yet_other)}</p> })}
            <FormError result=end.value() />
            <ul class="plain-list">
                {guidance.pairings.iter().map(|p| {
                    let open = p.end.is_none();
                    let id = p.id;
                    view! {
                        <li>
                            <strong>
                                {let mentor = p.mentor.clone(); if can_pair {
                                    view! { <A href=format!("/mentors/{}", mentor.id)>{mentor.name}</A> }.into_any()
                                } else {
                                    mentor.name.into_any()
                                }}
                            </strong> " · " {pairing_kind_label(i18n, p.kind)}
                            " · " {day(p.start)} {p.end.map(|(on, reason)| view! { " – " {day(on)} " (" {pairing_end_reason_label(i18n, reason)} ")" })}
                            {p.starter_fit.map(|a| view! { " · " {t!(i18n, role_starter)} ": " {fit_answer_label(i18n, a)} })}
                            {p.mentor_fit.map(|a| view! { " · " {t!(i18n, role_mentor)} ": " {fit_answer_label(i18n, a)} })}
                            {p.override_reason.clone().map(|r| view! { <br /><span class="muted">{t!(i18n, field_override_reason)} ": " {r}</span> })}
                            {(open && can_pair).then(|| view! {
                                <form method="post" action=EndPairing::url() class="inline-form">
                                    <input type="hidden" name="id" value=id />
                                    <label for=format!("end-{id}") class="visually-hidden">{t!(i18n, field_end_reason)}</label>
                                    <select id=format!("end-{id}") name="reason">
                                        {PairingEndReason::ALL.iter().filter(|r| **r != PairingEndReason::RePaired).map(|r| view! {
                                            <option value=r.code()>{pairing_end_reason_label(i18n, *r)}</option>
                                        }).collect_view()}
                                    </select>
                                    <button type="submit" class="button-small button-secondary">{t!(i18n, end_pairing)}</button>
                                </form>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can_pair.then(|| view! { <p><a href=format!("/pairing/{person}") class="button">{t!(i18n, find_mentor)}</a></p> })}
            <h3>{t!(i18n, conversations_title)}</h3>
            {no_conversations.then(|| view! { <p class="muted">{t!(i18n, conversations_none)}</p> })}
            <ul class="plain-list">
                {guidance.conversations.into_iter().map(|c| view! {
                    <li>
                        <time datetime=c.on.to_string()>{day(c.on)}</time> " · " {conversation_kind_label(i18n, c.kind)}
                        " · " {conversation_status_label(i18n, c.status)} " · " {c.duration_minutes} " " {t!(i18n, minutes)}
                        " · " {c.mentor_name.clone()}
                        {c.concern.map(|concern| view! { " · " <span class=format!("badge badge-concern-{}", concern.code())>{concern_label(i18n, concern)}</span> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn MentorProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("saved").is_some());
    let data = Resource::new(id, load_mentor_profile);
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, mentor_profile_title).to_string()) />
        <Loaded resource=data let:loaded>
            {
                let (mentor, profile) = loaded;
                view! { <ProfileForm mentor profile saved=saved() /> }
            }
        </Loaded>
    }
}

#[component]
fn ProfileForm(
    mentor: PersonRef,
    profile: Option<houvast::domain::mentoring::MentorProfile>,
    saved: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveMentorProfile>::new();
    let p = profile.clone();
    let capacity = p.as_ref().map_or(2, |p| p.capacity);
    let hours = p.as_ref().map_or(2, |p| p.hours_per_week);
    let sectors: Vec<Sector> = p.as_ref().map(|p| p.sectors.clone()).unwrap_or_default();
    let trained = p.as_ref().is_some_and(|p| p.trained);
    let trained_on = p.as_ref().and_then(|p| p.trained_on).map(|d| d.to_string());
    let subjects = p.as_ref().map(|p| p.subjects.clone()).unwrap_or_default();
    let availability = p.as_ref().map(|p| p.availability.clone()).unwrap_or_default();
    view! {
        <section class="page narrow" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, mentor_profile_title)}</h1>
            <p class="lead">{mentor.name.clone()}</p>
            {saved.then(|| view! { <Success text=Signal::derive(move || t_string!(i18n, saved).to_string()) /> })}
            {profile.is_none().then(|| view! { <p class="muted">{t!(i18n, mentor_profile_empty)}</p> })}
            <FormError result=save.value() />
            <form method="post" action=SaveMentorProfile::url() class="stack">
                <input type="hidden" name="id" value=mentor.id.0 />
                <div class="field-row">
                    <div class="field field-narrow">
                        <label for="profile-capacity">{t!(i18n, field_capacity)}</label>
                        <input id="profile-capacity" type="number" name="capacity" min="0" max="20" inputmode="numeric" value=capacity required />
                    </div>
                    <div class="field field-narrow">
                        <label for="profile-hours">{t!(i18n, field_hours_per_week)}</label>
                        <input id="profile-hours" type="number" name="hours_per_week" min="0" max="40" inputmode="numeric" value=hours required />
                    </div>
                </div>
                <fieldset class="chips">
                    <legend>{t!(i18n, field_sectors)}</legend>
                    {Sector::ALL.iter().map(|s| view! {
                        <label class="chip">
                            <input type="checkbox" name="sectors[]" value=s.code() checked=sectors.contains(s) />
                            <span>{sector_label(i18n, *s)}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="profile-subjects">{t!(i18n, field_subjects)}</label>
                    <input id="profile-subjects" type="text" name="subjects" maxlength=houvast::domain::mentoring::PROFILE_TEXT_MAX value=subjects />
                </div>
                <div class="field">
                    <label class="choice">
                        <input type="checkbox" name="trained" value="on" checked=trained />
                        {t!(i18n, field_trained)}
                    </label>
                </div>
                <div class="field">
                    <label for="profile-trained-on">{t!(i18n, field_trained_on)}</label>
                    <input id="profile-trained-on" type="date" name="trained_on" value=trained_on />
                </div>
                <div class="field">
                    <label for="profile-availability">{t!(i18n, field_availability)}</label>
                    <textarea id="profile-availability" name="availability" rows="2" maxlength=houvast::domain::mentoring::PROFILE_TEXT_MAX>{availability}</textarea>
                </div>
                <button type="submit">{t!(i18n, save)}</button>
            </form>
        </section>
    }
}

/// How often starters check in (coordinator).
#[component]
fn CheckInRhythm(days: u16) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<crate::api::checkins::SetCheckinRhythm>::new();
    view! {
        <section class="panel" aria-labelledby="rhythm">
            <h2 id="rhythm">{t!(i18n, checkin_rhythm_title)}</h2>
            <FormError result=save.value() />
            <form method="post" action=crate::api::checkins::SetCheckinRhythm::url() class="inline-form goal-form">
                <label for="rhythm-days">{t!(i18n, checkin_rhythm_field)}</label>
                <input id="rhythm-days" type="number" name="days" min="7" max="56" inputmode="numeric" value=days required />
                <button type="submit">{t!(i18n, save)}</button>
            </form>
        </section>
    }
}
