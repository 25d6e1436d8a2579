//! The watch list (team leaders, coordinators, mentors): starters ordered
//! by risk, each with the reasons in words and the alert being handled;
//! and the page that explains to everyone which rules exist and what a
//! signal means. Both work without JavaScript.

use houvast::domain::alerts::{
    AlertAction, AlertState, AlertView, NOTE_MAX_CHARS, Overview, RulesInfo, WATCH_PAGE, WatchList, WatchRow, WatchShow,
};
use houvast::domain::risk::Feature;
use houvast::domain::signals::{Evidence, RuleId, Settings, Severity, Signal as RuleSignal};
use houvast::domain::time;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

use crate::api::signals::{HandleAlert, load_signal_rules, load_watch_list};
use crate::components::dates::day;
use crate::components::form::{FormError, Success};
use crate::components::loaded::{EmptyState, Loaded};
use crate::components::title::PageTitle;
use crate::i18n::*;

pub fn rule_name(i18n: I18nContext<Locale>, rule: RuleId) -> String {
    match rule {
        RuleId::NoMentor => t_string!(i18n, signals.rule.no_mentor),
        RuleId::NoConversation => t_string!(i18n, signals.rule.no_conversation),
        RuleId::LowWellbeing => t_string!(i18n, signals.rule.low_wellbeing),
        RuleId::FallingWellbeing => t_string!(i18n, signals.rule.falling_wellbeing),
        RuleId::HighWorkload => t_string!(i18n, signals.rule.high_workload),
        RuleId::LowIntention => t_string!(i18n, signals.rule.low_intention),
        RuleId::NoCheckIn => t_string!(i18n, signals.rule.no_checkin),
        RuleId::MilestoneOverdue => t_string!(i18n, signals.rule.milestone_overdue),
        RuleId::PdgDeadline => t_string!(i18n, signals.rule.pdg_deadline),
        RuleId::TalkUnanswered => t_string!(i18n, signals.rule.talk_unanswered),
        RuleId::MentorConcern => t_string!(i18n, signals.rule.mentor_concern),
        RuleId::ContractEnding => t_string!(i18n, signals.rule.contract_ending),
        RuleId::HoursBelowPromise => t_string!(i18n, signals.rule.hours_below_promise),
    }
    .to_string()
}

/// What a rule looks for, with the institution's threshold.
fn rule_explained(i18n: I18nContext<Locale>, rule: RuleId, s: &Settings) -> String {
    match rule {
        RuleId::NoMentor => t_string!(i18n, signals.explain.no_mentor, days = s.no_mentor_days).to_string(),
        RuleId::NoConversation => t_string!(
            i18n,
            signals.explain.no_conversation,
            amber = s.no_conversation_amber_days,
            red = s.no_conversation_red_days
        )
        .to_string(),
        RuleId::LowWellbeing => t_string!(i18n, signals.explain.low_wellbeing, score = s.low_wellbeing).to_string(),
        RuleId::FallingWellbeing => t_string!(i18n, signals.explain.falling_wellbeing).to_string(),
        RuleId::HighWorkload => t_string!(
            i18n,
            signals.explain.high_workload,
            score = s.high_workload,
            times = s.high_workload_times
        )
        .to_string(),
        RuleId::LowIntention => t_string!(i18n, signals.explain.low_intention, score = s.low_intention).to_string(),
        RuleId::NoCheckIn => t_string!(i18n, signals.explain.no_checkin, days = s.no_checkin_days).to_string(),
        RuleId::MilestoneOverdue => {
            t_string!(i18n, signals.explain.milestone_overdue, days = s.milestone_overdue_days).to_string()
        }
        RuleId::PdgDeadline => t_string!(i18n, signals.explain.pdg_deadline, days = s.pdg_warning_days).to_string(),
        RuleId::TalkUnanswered => t_string!(i18n, signals.explain.talk_unanswered).to_string(),
        RuleId::MentorConcern => t_string!(i18n, signals.explain.mentor_concern).to_string(),
        RuleId::ContractEnding => {
            t_string!(i18n, signals.explain.contract_ending, days = s.contract_warning_days).to_string()
        }
        RuleId::HoursBelowPromise => t_string!(i18n, signals.explain.hours_below_promise).to_string(),
    }
}

fn scores(list: &[u8]) -> String {
    list.iter().map(u8::to_string).collect::<Vec<_>>().join(" → ")
}

/// The evidence of a signal in a sentence.
pub fn evidence_text(i18n: I18nContext<Locale>, signal: &RuleSignal) -> String {
    match &signal.evidence {
        Evidence::DaysSince { since, days, ever } => {
            let date = day(*since);
            match (signal.rule, ever) {
                (RuleId::TalkUnanswered, _) => {
                    t_string!(i18n, signals.evidence.talk_waiting, date = date, days = *days).to_string()
                }
                (_, true) => t_string!(i18n, signals.evidence.days_since, date = date, days = *days).to_string(),
                (_, false) => t_string!(i18n, signals.evidence.days_since_start, date = date, days = *days).to_string(),
            }
        }
        Evidence::Scores(list) => t_string!(i18n, signals.evidence.scores, scores = scores(list)).to_string(),
        Evidence::Overdue { name, due, days } => t_string!(
            i18n,
            signals.evidence.overdue,
            name = name.clone(),
            date = day(*due),
            days = *days
        )
        .to_string(),
        Evidence::DaysLeft { deadline, days } => {
            t_string!(i18n, signals.evidence.days_left, date = day(*deadline), days = *days).to_string()
        }
        Evidence::FlaggedOn { on, serious } => {
            if *serious {
                t_string!(i18n, signals.evidence.flagged_serious, date = day(*on)).to_string()
            } else {
                t_string!(i18n, signals.evidence.flagged, date = day(*on)).to_string()
            }
        }
        Evidence::Hours { promised, granted } => {
            t_string!(i18n, signals.evidence.hours, granted = *granted, promised = *promised).to_string()
        }
    }
}

pub fn level_label(i18n: I18nContext<Locale>, level: Option<Severity>) -> String {
    match level {
        Some(Severity::Red) => t_string!(i18n, signals.level_red),
        Some(Severity::Amber) => t_string!(i18n, signals.level_amber),
        None => t_string!(i18n, signals.level_none),
    }
    .to_string()
}

pub fn level_class(level: Option<Severity>) -> &'static str {
    match level {
        Some(Severity::Red) => "level level-red",
        Some(Severity::Amber) => "level level-amber",
        None => "level level-none",
    }
}

fn state_label(i18n: I18nContext<Locale>, state: AlertState) -> String {
    match state {
        AlertState::Open => t_string!(i18n, signals.state_open),
        AlertState::Acknowledged => t_string!(i18n, signals.state_acknowledged),
        AlertState::Snoozed => t_string!(i18n, signals.state_snoozed),
        AlertState::Resolved => t_string!(i18n, signals.state_resolved),
    }
    .to_string()
}

pub fn action_label(i18n: I18nContext<Locale>, action: AlertAction) -> String {
    match action {
        AlertAction::Opened => t_string!(i18n, signals.step_opened),
        AlertAction::Acknowledged => t_string!(i18n, signals.step_acknowledged),
        AlertAction::Snoozed => t_string!(i18n, signals.step_snoozed),
        AlertAction::Reopened => t_string!(i18n, signals.step_reopened),
        AlertAction::Resolved => t_string!(i18n, signals.step_resolved),
        AlertAction::Left => t_string!(i18n, signals.step_left),
        AlertAction::Completed => t_string!(i18n, signals.step_completed),
    }
    .to_string()
}

#[component]
pub fn WatchListPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let team = move || query.with(|q| q.get("team").unwrap_or_default());
    let level = move || query.with(|q| q.get("level").unwrap_or_default());
    let show = move || query.with(|q| q.get("show").unwrap_or_default());
    let done = move || query.with(|q| q.get("done"));
    let handled = move || query.with(|q| q.get("alert").and_then(|a| a.parse::<i64>().ok()));
    let page = move || query.with(|q| q.get("page").unwrap_or_default());
    let data = Resource::new(
        move || (show(), team(), level(), page(), handled()),
        |(show, team, level, page, handled)| load_watch_list(show, team, level, page, handled),
    );
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, signals.watch_title).to_string()) />
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, signals.watch_title)}</h1>
            <p class="lead">{t!(i18n, signals.watch_lead)} " " <a href="/signals">{t!(i18n, signals.about_link)}</a></p>
            {move || done().map(|_| view! { <Success text=Signal::derive(move || t_string!(i18n, signals.saved).to_string()) /> })}
            <Loaded resource=data let:list>
                <WatchListView list team=team() level=level() handled=handled() />
            </Loaded>
        </section>
    }
}

#[component]
fn WatchListView(list: WatchList, team: String, level: String, handled: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let (red, amber) = (list.red, list.amber);
    let overview = list
        .overview
        .clone()
        .map(|overview| view! { <OverviewPanel overview /> });
    let backtest = list.institution_wide.then(|| {
        view! {
            <p>
                <a href="/signals/settings">{t!(i18n, signals.settings_link)}</a> " · "
                <a href="/signals/backtest">{t!(i18n, signals.backtest_link)}</a>
            </p>
        }
    });
    let now_view = list.show == WatchShow::Now;
    let empty = if list.in_scope == 0 {
        Some(t_string!(i18n, signals.empty_scope).to_string())
    } else if list.rows.is_empty() && now_view {
        Some(t_string!(i18n, signals.empty_now).to_string())
    } else if list.rows.is_empty() {
        Some(t_string!(i18n, signals.empty_filter).to_string())
    } else {
        None
    };
    // The filters keep their values when switching between the two views.
    let link = |show: &str| {
        let mut query = format!("/watch-list?show={show}");
        if !team.is_empty() {
            query.push_str(&format!("&team={team}"));
        }
        if !level.is_empty() {
            query.push_str(&format!("&level={level}"));
        }
        query
    };
    let (now_link, all_link) = (link("now"), link("all"));
    let pages = pager(i18n, &list, &link(list.show.code()));
    let back = Back {
        team: team.clone(),
        level: level.clone(),
    };
    view! {
        <nav class="view-switch" aria-label=move || t_string!(i18n, signals.view_label).to_string()>
            <a href=now_link aria-current=now_view.then_some("page")>
                {t!(i18n, signals.view_now, count = list.needs_attention)}
            </a>
            <a href=all_link aria-current=(!now_view).then_some("page")>
                {t!(i18n, signals.view_all, count = list.in_scope)}
            </a>
        </nav>
        {now_view.then(|| view! { <p class="muted">{t!(i18n, signals.view_now_lead)}</p> })}
        <form method="get" action="/watch-list" class="filters" role="search">
            <input type="hidden" name="show" value=list.show.code() />
            <div class="field">
                <label for="watch-team">{t!(i18n, signals.filter_team)}</label>
                <select id="watch-team" name="team">
                    <option value="" selected=team.is_empty()>{t!(i18n, signals.filter_all_teams)}</option>
                    {list.teams.iter().map(|(id, name)| {
                        let value = id.0.to_string();
                        let selected = value == team;
                        view! { <option value=value selected=selected>{name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="watch-level">{t!(i18n, signals.filter_level)}</label>
                <select id="watch-level" name="level">
                    <option value="" selected=level.is_empty()>{t!(i18n, signals.filter_all_levels)}</option>
                    <option value="red" selected=level == "red">{t!(i18n, signals.level_red)}</option>
                    <option value="amber" selected=level == "amber">{t!(i18n, signals.level_amber)}</option>
                </select>
            </div>
            <button type="submit">{t!(i18n, signals.filter_button)}</button>
        </form>
        <p class="muted">{t!(i18n, signals.summary, red = red, amber = amber, date = day(list.as_of))}</p>
        {backtest}
        {overview}
        {match empty {
            Some(text) => view! { <EmptyState><p>{text}</p></EmptyState> }.into_any(),
            None => view! {
                <ul class="watch-list">
                    {list.rows.into_iter().map(|row| {
                        // The alert just acted on stays open, to show its new state.
                        let open = handled.is_some() && row.alert.as_ref().map(|a| a.id) == handled;
                        view! { <WatchItem row back=back.clone() open /> }
                    }).collect_view()}
                </ul>
                {pages}
            }.into_any(),
        }}
    }
}

/// Where this page sits in a list longer than one page, with links to the
/// pages before and after it (the filters kept); nothing for a short list.
fn pager(i18n: I18nContext<Locale>, list: &WatchList, link: &str) -> Option<impl IntoView + use<>> {
    if list.total <= WATCH_PAGE {
        return None;
    }
    let page = list.first / WATCH_PAGE;
    let range = t_string!(
        i18n,
        signals.page_range,
        from = list.first + 1,
        to = list.first + list.rows.len(),
        total = list.total
    )
    .to_string();
    let previous = (page > 0).then(|| {
        let href = format!("{link}&page={}", page - 1);
        view! { <a href=href rel="prev">{t!(i18n, pager_previous)}</a> }
    });
    let next = (list.first + list.rows.len() < list.total).then(|| {
        let href = format!("{link}&page={}", page + 1);
        view! { <a href=href rel="next">{t!(i18n, pager_next)}</a> }
    });
    Some(view! {
        <nav class="pager" aria-label=t_string!(i18n, pager_label).to_string()>
            {previous}
            <span class="muted">{range}</span>
            {next}
        </nav>
    })
}

fn days_text(i18n: I18nContext<Locale>, days: Option<f64>) -> String {
    match days {
        Some(d) => t_string!(i18n, signals.days_decimal, days = format!("{d:.1}").replace('.', ",")).to_string(),
        None => "–".to_owned(),
    }
}

/// The coordinator's counts: per team and per rule, and how alerts are handled.
#[component]
fn OverviewPanel(overview: Overview) -> impl IntoView {
    let i18n = use_i18n();
    let stats = overview.alerts;
    view! {
        <details class="panel overview">
            <summary>{t!(i18n, signals.overview_title)}</summary>
            <p>
                {t!(i18n, signals.overview_alerts, open = stats.open, acknowledged = stats.acknowledged, snoozed = stats.snoozed, resolved = stats.resolved)}
                " " {t!(i18n, signals.overview_ack)} " " {days_text(i18n, stats.median_days_to_acknowledge)}
                " · " {t!(i18n, signals.overview_resolve)} " " {days_text(i18n, stats.median_days_to_resolve)}
            </p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="overview-teams">
                <table class="readouts">
                    <caption id="overview-teams">{t!(i18n, signals.overview_by_team)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, signals.filter_team)}</th>
                            <th scope="col">{t!(i18n, signals.level_red)}</th>
                            <th scope="col">{t!(i18n, signals.level_amber)}</th>
                            <th scope="col">{t!(i18n, signals.level_none)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {overview.by_team.into_iter().map(|(team, red, amber, none)| view! {
                            <tr><th scope="row">{team}</th><td>{red}</td><td>{amber}</td><td>{none}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="overview-rules">
                <table class="readouts">
                    <caption id="overview-rules">{t!(i18n, signals.overview_by_rule)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, signals.overview_rule)}</th>
                            <th scope="col">{t!(i18n, signals.level_red)}</th>
                            <th scope="col">{t!(i18n, signals.level_amber)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {overview.by_rule.into_iter().map(|(rule, red, amber)| view! {
                            <tr><th scope="row">{rule_name(i18n, rule)}</th><td>{red}</td><td>{amber}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// A feature of the calibrated risk in words.
pub fn feature_name(i18n: I18nContext<Locale>, feature: Feature) -> String {
    match feature {
        Feature::Rule(rule) => rule_name(i18n, rule),
        Feature::FixedTerm => t_string!(i18n, backtest.feature_fixed_term).to_string(),
        Feature::FirstYear => t_string!(i18n, backtest.feature_first_year).to_string(),
    }
}

/// A chance in per mille as a whole percentage ("23%").
fn risk_text(permille: u16) -> String {
    format!("{}%", (u32::from(permille) + 5) / 10)
}

/// One starter on one line: name (a link to their page), level, team,
/// the last conversation and the reasons by name. The evidence, the next
/// steps and the alert's actions open on demand, without JavaScript.
#[component]
fn WatchItem(row: WatchRow, back: Back, open: bool) -> impl IntoView {
    let i18n = use_i18n();
    let since = row.days_since_conversation;
    let level = row.level;
    let id = row.starter.id.0;
    let heading_id = format!("starter-{id}");
    let labelled_by = heading_id.clone();
    let reasons = row
        .signals
        .iter()
        .map(|s| rule_name(i18n, s.rule))
        .collect::<Vec<_>>()
        .join(", ");
    // With a calibrated risk: the chance and what raises it most, in words.
    let risk = row.risk.map(|risk| {
        let why = row
            .reasons
            .iter()
            .map(|f| feature_name(i18n, *f))
            .collect::<Vec<_>>()
            .join(", ");
        view! {
            <p class="watch-risk">
                <strong>{t!(i18n, signals.risk, risk = risk_text(risk))}</strong>
                {(!why.is_empty()).then(|| view! { " · " {t!(i18n, signals.risk_reasons, reasons = why)} })}
            </p>
        }
    });
    let scored = row.risk.is_none();
    let name = row.starter.name.clone();
    let details = (!row.signals.is_empty() || row.alert.is_some()).then(|| {
        let alert = row.alert.clone();
        let name = name.clone();
        view! {
            <details class="watch-more" open=open>
                <summary>
                    {if alert.is_some() { t!(i18n, signals.more_with_alert).into_any() } else { t!(i18n, signals.more).into_any() }}
                    <span class="visually-hidden">": " {name.clone()}</span>
                </summary>
                {(!row.signals.is_empty()).then(|| view! {
                    <ul class="reasons">
                        {row.signals.iter().map(|s| {
                            let s = s.clone();
                            let severity = Some(s.severity);
                            view! {
                                <li>
                                    <span class=level_class(severity)>{level_label(i18n, severity)}</span> " "
                                    <strong>{rule_name(i18n, s.rule)}</strong> ": " {evidence_text(i18n, &s)}
                                    <br /><span class="next-step">{t!(i18n, signals.next_step_label)} " " {next_step_text(i18n, s.rule)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {scored.then(|| view! { <p class="muted">{t!(i18n, signals.score_explained, score = row.score)}</p> })}
                })}
                {alert.map(|alert| view! { <AlertBox alert name back /> })}
            </details>
        }
    });
    view! {
        <li class="watch-row" aria-labelledby=labelled_by>
            <div class="watch-head">
                <h2 id=heading_id><a href=format!("/starters/{id}")>{name.clone()}</a></h2>
                <span class=level_class(level)>{move || level_label(i18n, level)}</span>
            </div>
            <p class="muted">
                {row.team.clone().unwrap_or_default()}
                {row.team.is_some().then_some(" · ")}
                {move || match since {
                    Some(1) => t_string!(i18n, signals.days_since_conversation_1).to_string(),
                    Some(days) => t_string!(i18n, signals.days_since_conversation, days = days).to_string(),
                    None => t_string!(i18n, signals.no_conversation_yet).to_string(),
                }}
            </p>
            {risk}
            {(!reasons.is_empty()).then(|| view! { <p class="watch-reasons">{reasons}</p> })}
            {details}
        </li>
    }
}

/// Where acting on an alert returns to: the list as it was filtered.
#[derive(Clone, Default)]
struct Back {
    team: String,
    level: String,
}

/// One suggested next step per reason: what a team leader can do about it.
fn next_step_text(i18n: I18nContext<Locale>, rule: RuleId) -> String {
    match rule {
        RuleId::NoMentor => t_string!(i18n, signals.next.no_mentor),
        RuleId::NoConversation => t_string!(i18n, signals.next.no_conversation),
        RuleId::LowWellbeing => t_string!(i18n, signals.next.low_wellbeing),
        RuleId::FallingWellbeing => t_string!(i18n, signals.next.falling_wellbeing),
        RuleId::HighWorkload => t_string!(i18n, signals.next.high_workload),
        RuleId::LowIntention => t_string!(i18n, signals.next.low_intention),
        RuleId::NoCheckIn => t_string!(i18n, signals.next.no_checkin),
        RuleId::MilestoneOverdue => t_string!(i18n, signals.next.milestone_overdue),
        RuleId::PdgDeadline => t_string!(i18n, signals.next.pdg_deadline),
        RuleId::TalkUnanswered => t_string!(i18n, signals.next.talk_unanswered),
        RuleId::MentorConcern => t_string!(i18n, signals.next.mentor_concern),
        RuleId::ContractEnding => t_string!(i18n, signals.next.contract_ending),
        RuleId::HoursBelowPromise => t_string!(i18n, signals.next.hours_below_promise),
    }
    .to_string()
}

#[component]
fn AlertBox(alert: AlertView, name: String, back: Back) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<HandleAlert>::new();
    let id = alert.id;
    let box_id = format!("alert-{id}");
    let note_id = format!("alert-{id}-note");
    let until_id = format!("alert-{id}-until");
    let state = alert.state;
    view! {
        <section class="alert-box" id=box_id aria-label=move || t_string!(i18n, signals.alert_label, name = name.clone()).to_string()>
            <p>
                <strong>{move || state_label(i18n, state)}</strong> " · "
                {t!(i18n, signals.alert_opened, date = day(alert.opened_on))}
                {alert.snoozed_until.map(|d| view! { " · " {t!(i18n, signals.snoozed_until, date = day(d))} })}
            </p>
            <ol class="alert-history">
                {alert.history.iter().map(|e| view! {
                    <li>
                        {time::format_date_time(e.at)} " — " {action_label(i18n, e.action)}
                        {e.actor.clone().map(|a| view! { " (" {a} ")" })}
                        {e.note.clone().map(|n| view! { ": " <q>{n}</q> })}
                    </li>
                }).collect_view()}
            </ol>
            <FormError result=action.value() />
            <form method="post" action=HandleAlert::url() class="stack alert-form">
                <input type="hidden" name="alert" value=id />
                <input type="hidden" name="team" value=back.team />
                <input type="hidden" name="level" value=back.level />
                <div class="field">
                    <label for=note_id.clone()>{t!(i18n, signals.note)}</label>
                    <textarea id=note_id name="note" rows="2" maxlength=NOTE_MAX_CHARS></textarea>
                </div>
                <div class="button-row">
                    {(state != AlertState::Acknowledged).then(|| view! {
                        <button type="submit" name="step" value="acknowledge">{t!(i18n, signals.acknowledge)}</button>
                    })}
                    <button type="submit" name="step" value="resolve">{t!(i18n, signals.resolve)}</button>
                </div>
                <div class="field inline-field">
                    <label for=until_id.clone()>{t!(i18n, signals.snooze_until)}</label>
                    <input id=until_id type="date" name="until" />
                    <button type="submit" name="step" value="snooze" class="secondary">{t!(i18n, signals.snooze)}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
pub fn SignalRulesPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| load_signal_rules());
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, signals.about_title).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, signals.about_title)}</h1>
            <p class="lead">{t!(i18n, signals.about_lead)}</p>
            <p>{t!(i18n, signals.about_levels)}</p>
            <p>{t!(i18n, signals.about_alerts)}</p>
            <p>{t!(i18n, signals.about_privacy)}</p>
            <Loaded resource=data let:info>
                <RulesList info />
            </Loaded>
        </section>
    }
}

#[component]
fn RulesList(info: RulesInfo) -> impl IntoView {
    let i18n = use_i18n();
    let settings = info.settings;
    view! {
        <h2>{t!(i18n, signals.rules_heading)}</h2>
        <dl class="rules">
            {RuleId::ALL.iter().map(|rule| {
                let off = settings.off.contains(rule);
                view! {
                    <dt>{rule_name(i18n, *rule)} {off.then(|| view! { " " <span class="badge">{t!(i18n, signals.rule_off)}</span> })}</dt>
                    <dd>{rule_explained(i18n, *rule, &settings)}</dd>
                }
            }).collect_view()}
        </dl>
        <h2>{t!(i18n, signals.holidays_heading)}</h2>
        {if info.holidays.is_empty() {
            view! { <p class="muted">{t!(i18n, signals.holidays_none)}</p> }.into_any()
        } else {
            view! {
                <ul>
                    {info.holidays.into_iter().map(|(name, start, end)| view! {
                        <li>{name} ": " {day(start)} " – " {day(end)}</li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
