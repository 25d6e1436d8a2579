//! The notification list every user has: what waits for them, newest first,
//! each entry a link to the page that answers it, and whether e-mail is on.

use houvast::domain::notification::{EmailStatus, NotificationView};
use houvast::domain::time;
use leptos::prelude::*;

use crate::api::notifications::load_notifications;
use crate::components::loaded::{EmptyState, Loaded};
use crate::components::notification_text::notification_text;
use crate::components::title::PageTitle;
use crate::i18n::*;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| load_notifications());
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, notifications_title).to_string()) />
        <section class="page narrow" aria-labelledby="page-title">
            <h1 id="page-title">{t!(i18n, notifications_title)}</h1>
            <p class="lead">{t!(i18n, notifications_lead)}</p>
            <Loaded resource=data let:list>
                {
                        let is_starter = list.is_starter;
                        view! {
                            <EmailLine email=list.email />
                            {if list.items.is_empty() {
                                view! { <EmptyState><p>{t!(i18n, notifications_empty)}</p></EmptyState> }.into_any()
                            } else {
                                view! {
                                    <ul class="notification-list">
                                        {list.items.into_iter().map(|n| view! { <Entry n is_starter /> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }
                }
            </Loaded>
        </section>
    }
}

#[component]
fn Entry(n: NotificationView, is_starter: bool) -> impl IntoView {
    let i18n = use_i18n();
    let link = n.link(is_starter);
    let name = n.about.as_ref().map(|p| p.name.clone()).unwrap_or_default();
    let (kind, on, unread) = (n.kind, n.on, n.unread);
    view! {
        <li class="notification" class:notification-unread=unread>
            {unread.then(|| view! { <span class="badge">{t!(i18n, notifications_new)}</span> " " })}
            <a href=link>{move || notification_text(i18n.get_locale(), kind, &name, on)}</a>
            <span class="muted notification-time">{time::format_date_time(n.created_at)}</span>
        </li>
    }
}

#[component]
fn EmailLine(email: EmailStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="muted notification-email">
            {match email {
                EmailStatus::Off => t!(i18n, notifications_email_off).into_any(),
                EmailStatus::NoAddress => t!(i18n, notifications_email_no_address).into_any(),
                EmailStatus::To(address) => t!(i18n, notifications_email_to, email = address).into_any(),
            }}
        </p>
    }
}
