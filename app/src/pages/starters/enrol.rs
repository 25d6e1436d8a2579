//! Enrolling by hand: people with the starter role who have no trajectory yet.

use houvast::domain::trajectory::EntryRoute;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::detail::TermsFields;
use crate::api::starters::{EnrolStarter, starter_choices};
use crate::components::error::ErrorNotice;
use crate::components::form::FormError;
use crate::components::loaded::Loaded;
use crate::components::title::PageTitle;
use crate::components::trajectory_labels::route_label;
use crate::i18n::*;

/// Coordinators: people with the starter role who have no trajectory yet
/// (the starters list brings them; nothing shows when there are none).
#[component]
pub(super) fn Unenrolled(people: Vec<houvast::domain::PersonRef>) -> impl IntoView {
    let i18n = use_i18n();
    (!people.is_empty()).then(|| {
        view! {
            <section class="panel" aria-labelledby="unenrolled">
                <h2 id="unenrolled">{t!(i18n, unenrolled_title)}</h2>
                <p class="muted">{t!(i18n, unenrolled_hint)}</p>
                <ul class="plain-list">
                    {people.into_iter().map(|p| view! {
                        <li><A href=format!("/starters/{}/enrol", p.id.0)>{t!(i18n, enrol_person, name = p.name.clone())}</A></li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
pub fn EnrolPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = move || use_params_map().with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let choices = Resource::new(|| (), |_| starter_choices());
    let enrol = ServerAction::<EnrolStarter>::new();
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, enrol_title).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <p><A href="/starters">{t!(i18n, back_to_starters)}</A></p>
            <h1 id="page-title">{t!(i18n, enrol_title)}</h1>
            <FormError result=enrol.value() />
            <Loaded resource=choices let:choices>
                {
                        let person = id();
                        match choices.unenrolled.iter().find(|(p, _)| *p == person).cloned() {
                            None => view! { <ErrorNotice error=crate::AppError::NotFound /> }.into_any(),
                            Some((_, name)) => view! {
                                <p class="lead">{name}</p>
                                <form method="post" action=EnrolStarter::url() class="stack">
                                    <input type="hidden" name="id" value=person />
                                    <div class="field">
                                        <label for="enrol-number">{t!(i18n, field_employee_number)}</label>
                                        <input id="enrol-number" type="text" name="employee_number" maxlength="40" required autocomplete="off" />
                                    </div>
                                    <div class="field">
                                        <label for="enrol-route">{t!(i18n, field_route)}</label>
                                        <select id="enrol-route" name="route">
                                            {EntryRoute::ALL.iter().map(|r| view! { <option value=r.code()>{route_label(i18n, *r)}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <TermsFields choices date_name="start" date_label=Signal::derive(move || t_string!(i18n, field_start_date).to_string()) key="enrol".to_owned() />
                                    <button type="submit">{t!(i18n, enrol_button)}</button>
                                </form>
                            }.into_any(),
                        }
                }
            </Loaded>
        </section>
    }
}
