//! Trajectory templates (coordinators): the milestones each entry route
//! starts with. Changes apply to new starters; running trajectories keep
//! their copy until the coordinator applies the template to them.

use houvast::domain::trajectory::{
    CompetenceDomain, EntryRoute, MILESTONE_OWNERS, MilestoneTemplate, OffsetUnit, Phase, TemplateView,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::starters::{AddPartnership, starter_choices};
use crate::api::templates::{ApplyTemplate, RemoveTemplateMilestone, SaveTemplateMilestone, template};
use crate::components::error::ErrorNotice;
use crate::components::form::FormError;
use crate::components::labels::role_label;
use crate::components::loaded::Loaded;
use crate::components::title::PageTitle;
use crate::components::trajectory_labels::{competence_label, phase_label, route_label};
use crate::i18n::*;

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, templates_title).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <p><A href="/starters">{t!(i18n, back_to_starters)}</A></p>
            <h1 id="page-title">{t!(i18n, templates_title)}</h1>
            <p class="lead">{t!(i18n, templates_intro)}</p>
            <ul class="cards">
                {EntryRoute::ALL.iter().map(|route| view! {
                    <li class="card">
                        <h2><A href=format!("/templates/{}", route.code())>{route_label(i18n, *route)}</A></h2>
                    </li>
                }).collect_view()}
            </ul>
            <Partnerships />
        </section>
    }
}

/// The institution's SO&P partnerships, and adding one.
#[component]
fn Partnerships() -> impl IntoView {
    let i18n = use_i18n();
    let choices = Resource::new(|| (), |_| starter_choices());
    let add = ServerAction::<AddPartnership>::new();
    view! {
        <section class="panel" aria-labelledby="partnerships">
            <h2 id="partnerships">{t!(i18n, partnerships_title)}</h2>
            <p class="muted">{t!(i18n, partnerships_hint)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match choices.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(c) if c.partnerships.is_empty() => view! { <p>{t!(i18n, partnerships_empty)}</p> }.into_any(),
                        Ok(c) => view! {
                            <ul class="plain-list">
                                {c.partnerships.into_iter().map(|(_, name)| view! { <li>{name}</li> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <FormError result=add.value() />
            <form method="post" action=AddPartnership::url() class="stack">
                <div class="field">
                    <label for="partnership-name">{t!(i18n, partnership_name)}</label>
                    <input id="partnership-name" type="text" name="name" maxlength="120" required />
                </div>
                <button type="submit">{t!(i18n, partnership_add_button)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn TemplatePage() -> impl IntoView {
    let route = move || use_params_map().with(|p| p.get("route").unwrap_or_default());
    let data = Resource::new(route, template);
    view! {
        <Loaded resource=data let:view>
            <TemplateEditor template=view />
        </Loaded>
    }
}

#[component]
fn TemplateEditor(template: TemplateView) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveTemplateMilestone>::new();
    let remove = ServerAction::<RemoveTemplateMilestone>::new();
    let apply = ServerAction::<ApplyTemplate>::new();
    let route = template.route;
    let title = route_label(i18n, route);
    let heading = title.clone();
    view! {
        <PageTitle text=Signal::derive(move || title.clone()) />
        <section class="page narrow" aria-labelledby="page-title">
            <p><A href="/templates">{t!(i18n, back_to_templates)}</A></p>
            <h1 id="page-title">{heading}</h1>
            <p class="lead">{t!(i18n, template_version, version = template.version)}</p>
            <FormError result=apply.value() />
            {if template.behind > 0 {
                view! {
                    <div class="notice" role="status">
                        <p>{if template.behind == 1 { t_string!(i18n, template_behind_1).to_string() } else { t_string!(i18n, template_behind, count = template.behind).to_string() }}</p>
                        <form method="post" action=ApplyTemplate::url() class="stack">
                            <input type="hidden" name="route" value=route.code() />
                            <button type="submit">{t!(i18n, template_apply)}</button>
                        </form>
                    </div>
                }.into_any()
            } else {
                view! { <p class="muted">{t!(i18n, template_all_current)}</p> }.into_any()
            }}
            <FormError result=save.value() />
            <FormError result=remove.value() />
            <ol class="milestones">
                {template.milestones.iter().map(|(id, m)| {
                    let id = *id;
                    let name = m.title.clone();
                    view! {
                        <li class="milestone">
                            <p class="milestone-title">{m.title.clone()}</p>
                            <p class="muted">
                                {phase_label(i18n, m.phase)} " · " {offset_text(i18n, m)} " · " {role_label(i18n, m.owner)}
                                {m.domain.map(|d| view! { " · " {competence_label(i18n, d)} })}
                            </p>
                            <details class="milestone-actions">
                                <summary>{t!(i18n, template_edit)}<span class="visually-hidden">": " {name.clone()}</span></summary>
                                <MilestoneFields route id=Some(id) milestone=Some(m.clone()) />
                                <form method="post" action=RemoveTemplateMilestone::url() class="stack">
                                    <input type="hidden" name="route" value=route.code() />
                                    <input type="hidden" name="id" value=id />
                                    <button type="submit" class="button-secondary">{t!(i18n, template_remove)}<span class="visually-hidden">": " {name}</span></button>
                                </form>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <section class="panel" aria-labelledby="add-milestone">
                <h2 id="add-milestone">{t!(i18n, template_add)}</h2>
                <MilestoneFields route id=None milestone=None />
            </section>
        </section>
    }
}

fn offset_text(i18n: leptos_i18n::I18nContext<Locale>, m: &MilestoneTemplate) -> String {
    let amount = m.offset.amount;
    match m.offset.unit {
        OffsetUnit::Days if amount == 1 => t_string!(i18n, offset_days_1).to_string(),
        OffsetUnit::Days => t_string!(i18n, offset_days, count = amount).to_string(),
        OffsetUnit::Weeks if amount == 1 => t_string!(i18n, offset_weeks_1).to_string(),
        OffsetUnit::Weeks => t_string!(i18n, offset_weeks, count = amount).to_string(),
        OffsetUnit::Months if amount == 1 => t_string!(i18n, offset_months_1).to_string(),
        OffsetUnit::Months => t_string!(i18n, offset_months, count = amount).to_string(),
    }
}

/// The form of one milestone: change it (`id`) or add one.
#[component]
fn MilestoneFields(route: EntryRoute, id: Option<i64>, milestone: Option<MilestoneTemplate>) -> impl IntoView {
    let i18n = use_i18n();
    let key = id.map_or_else(|| "new".to_owned(), |id| id.to_string());
    let field = move |name: &str| format!("{name}-{key}");
    let m = milestone.clone();
    view! {
        <form method="post" action=SaveTemplateMilestone::url() class="stack">
            <input type="hidden" name="route" value=route.code() />
            {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <div class="field">
                <label for=field("title")>{t!(i18n, template_field_title)}</label>
                <input id=field("title") type="text" name="title" maxlength="200" required value=m.as_ref().map(|m| m.title.clone()) />
            </div>
            <div class="field">
                <label for=field("phase")>{t!(i18n, template_field_phase)}</label>
                <select id=field("phase") name="phase">
                    {Phase::ALL.iter().map(|p| view! {
                        <option value=p.code() selected=m.as_ref().is_some_and(|m| m.phase == *p)>{phase_label(i18n, *p)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=field("amount")>{t!(i18n, template_field_due)}</label>
                <div class="search-row">
                    <input id=field("amount") type="number" inputmode="numeric" min="0" max="1830" name="amount" required value=m.as_ref().map(|m| m.offset.amount) />
                    <select name="unit" aria-label=move || t_string!(i18n, template_field_unit).to_string()>
                        {OffsetUnit::ALL.iter().map(|u| {
                            let label = match u {
                                OffsetUnit::Days => t_string!(i18n, unit_days),
                                OffsetUnit::Weeks => t_string!(i18n, unit_weeks),
                                OffsetUnit::Months => t_string!(i18n, unit_months),
                            };
                            view! { <option value=u.code() selected=m.as_ref().is_some_and(|m| m.offset.unit == *u)>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <p class="hint">{t!(i18n, template_field_due_hint)}</p>
            </div>
            <div class="field">
                <label for=field("owner")>{t!(i18n, template_field_owner)}</label>
                <select id=field("owner") name="owner">
                    {MILESTONE_OWNERS.iter().map(|r| view! {
                        <option value=r.code() selected=m.as_ref().is_some_and(|m| m.owner == *r)>{role_label(i18n, *r)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=field("domain")>{t!(i18n, goal_domain_field)}</label>
                <select id=field("domain") name="domain">
                    <option value="">{t!(i18n, goal_domain_none)}</option>
                    {CompetenceDomain::ALL.iter().map(|d| view! {
                        <option value=d.code() selected=m.as_ref().is_some_and(|m| m.domain == Some(*d))>{competence_label(i18n, *d)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">{if id.is_some() { t!(i18n, save).into_any() } else { t!(i18n, template_add_button).into_any() }}</button>
        </form>
    }
}
