//! Check-ins and requests to talk.

use houvast::domain::PersonRef;
use houvast::domain::checkin::{CheckInStatus, CheckInView, TalkRequestView};
use leptos::prelude::*;

use crate::AppError;

/// The starter's check-in page: due date, history, requests to talk.
#[server(prefix = "/api", endpoint = "checkins/status")]
pub async fn checkin_status() -> Result<CheckInStatus, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| Ok(houvast::service::checkins::status(&app.db, app.now(), ctx).await?))
        .await
}

/// Check in: five scores, an optional text, and "I want to talk".
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "checkins/submit")]
pub async fn check_in(
    wellbeing: Option<String>,
    workload: Option<String>,
    support: Option<String>,
    confidence: Option<String>,
    intention_to_stay: Option<String>,
    comment: Option<String>,
    talk_to: Option<String>,
) -> Result<Option<PersonRef>, AppError> {
    use houvast::domain::checkin::CheckInForm;

    use crate::ssr;
    ssr::limit("comment", comment.as_deref().unwrap_or(""), 2000)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let score = |s: Option<String>| s.unwrap_or_default().chars().take(10).collect::<String>();
        let form = CheckInForm {
            scores: [
                score(wellbeing),
                score(workload),
                score(support),
                score(confidence),
                score(intention_to_stay),
            ],
            comment: comment.unwrap_or_default(),
            talk_to: talk_to.unwrap_or_default().chars().take(40).collect(),
        };
        let recipient = houvast::service::checkins::submit(&app.db, app.now(), ctx, &form).await?;
        ssr::form_redirect(if recipient.is_some() {
            "/check-in?done=talk"
        } else {
            "/check-in?done=1"
        });
        Ok(recipient)
    })
    .await
}

/// A mentee's check-ins (their mentor).
#[server(prefix = "/api", endpoint = "checkins/mentee")]
pub async fn mentee_checkins(id: i64) -> Result<Vec<CheckInView>, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::checkins::of_mentee(&app.db, app.now(), ctx, houvast::domain::PersonId(id)).await?)
    })
    .await
}

/// Requests to talk waiting for the caller.
#[server(prefix = "/api", endpoint = "checkins/requests")]
pub async fn talk_requests() -> Result<Vec<TalkRequestView>, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::checkins::open_requests(&app.db, app.now(), ctx).await?)
    })
    .await
}

/// "I had contact": answers a request to talk.
#[server(prefix = "/api", endpoint = "checkins/answer")]
pub async fn answer_talk_request(id: i64) -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::checkins::answer_with_contact(&app.db, app.now(), ctx, id).await?;
        ssr::form_redirect("/");
        Ok(())
    })
    .await
}

/// How often starters check in, in days (coordinator).
#[server(prefix = "/api", endpoint = "checkins/rhythm")]
pub async fn set_checkin_rhythm(days: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("days", &days, 10)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::checkins::set_rhythm(&app.db, app.now(), ctx, &days).await?)
    })
    .await
}
