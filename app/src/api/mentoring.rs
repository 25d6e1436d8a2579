//! Mentors, pairing and conversation logs. Form-posted functions redirect a
//! plain (JavaScript-free) post to the page where the result shows.

use houvast::domain::PersonRef;
use houvast::domain::mentoring::{LogDefaults, MenteePage, MentorProfile, MyGuidance, PairingOverview, SuggestionPage};
use leptos::prelude::*;

use crate::AppError;

/// A mentee's page (their mentor).
#[server(prefix = "/api", endpoint = "mentoring/mentee")]
pub async fn mentee(id: i64) -> Result<MenteePage, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::conversations::mentee(&app.db, app.now(), ctx, houvast::domain::PersonId(id)).await?)
    })
    .await
}

/// What the log form starts with (`edit`: a conversation to change or hold).
#[server(prefix = "/api", endpoint = "mentoring/log-form")]
pub async fn log_form(id: i64, edit: Option<i64>) -> Result<LogDefaults, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(
            houvast::service::conversations::log_defaults(&app.db, app.now(), ctx, houvast::domain::PersonId(id), edit)
                .await?,
        )
    })
    .await
}

/// Log a conversation, or change one (`edit`). Topics come as `topics[]`.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "mentoring/log")]
pub async fn log_conversation(
    starter: i64,
    edit: Option<i64>,
    status: String,
    on: Option<String>,
    duration: Option<String>,
    kind: String,
    topics: Option<Vec<String>>,
    tags: Option<String>,
    summary: Option<String>,
    note: Option<String>,
    concern: Option<String>,
    action1: Option<String>,
    action1_owner: Option<String>,
    action1_due: Option<String>,
    action2: Option<String>,
    action2_owner: Option<String>,
    action2_due: Option<String>,
) -> Result<(), AppError> {
    use houvast::domain::mentoring::ConversationForm;

    use crate::ssr;
    for (field, value, max) in [
        ("summary", &summary, 8000),
        ("note", &note, 8000),
        ("tags", &tags, 1000),
        ("action1_text", &action1, 1000),
        ("action2_text", &action2, 1000),
    ] {
        ssr::limit(field, value.as_deref().unwrap_or(""), max)?;
    }
    let topics = topics.unwrap_or_default();
    if topics.len() > 20 {
        ssr::limit("topics", &"x".repeat(21), 20)?;
    }
    ssr::serve(async |ssr::Call { app, ctx }| {
        let form = ConversationForm {
            status,
            on: on.unwrap_or_default(),
            duration: duration.unwrap_or_default(),
            kind,
            topics,
            tags: tags.unwrap_or_default(),
            summary: summary.unwrap_or_default(),
            note: note.unwrap_or_default(),
            concern: concern.unwrap_or_default(),
            actions: vec![
                (
                    action1.unwrap_or_default(),
                    action1_owner.unwrap_or_default(),
                    action1_due.unwrap_or_default(),
                ),
                (
                    action2.unwrap_or_default(),
                    action2_owner.unwrap_or_default(),
                    action2_due.unwrap_or_default(),
                ),
            ],
        };
        houvast::service::conversations::log(&app.db, app.now(), ctx, houvast::domain::PersonId(starter), edit, &form)
            .await?;
        ssr::form_redirect(&format!("/mentees/{starter}?saved=1"));
        Ok(())
    })
    .await
}

/// The starter's own conversations and mentors.
#[server(prefix = "/api", endpoint = "mentoring/mine")]
pub async fn my_conversations() -> Result<MyGuidance, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| Ok(houvast::service::conversations::mine(&app.db, app.now(), ctx).await?))
        .await
}

/// The starter confirms a held conversation, optionally with a reflection.
#[server(prefix = "/api", endpoint = "mentoring/confirm")]
pub async fn confirm_conversation(id: i64, reflection: Option<String>) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("reflection", reflection.as_deref().unwrap_or(""), 4000)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        // Confirmed before: the starter changed only the reflection.
        let again =
            houvast::service::conversations::confirm(&app.db, app.now(), ctx, id, reflection.as_deref().unwrap_or(""))
                .await?;
        let what = if again { "reflection" } else { "yes" };
        ssr::form_redirect(&format!("/my-conversations?confirmed={what}#conversation-{id}"));
        Ok(())
    })
    .await
}

/// Tick an agreed action done (`done=yes`) or open again.
#[server(prefix = "/api", endpoint = "mentoring/action")]
pub async fn set_action_done(id: i64, done: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::conversations::set_action_done(&app.db, app.now(), ctx, id, done == "yes").await?;
        Ok(())
    })
    .await
}

/// Answer the fit check of a pairing.
#[server(prefix = "/api", endpoint = "mentoring/fit")]
pub async fn answer_fit(pairing: i64, answer: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::mentoring::answer_fit(&app.db, app.now(), ctx, pairing, &answer).await?)
    })
    .await
}

/// The coordinator's pairing page.
#[server(prefix = "/api", endpoint = "mentoring/overview")]
pub async fn load_pairing_overview() -> Result<PairingOverview, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| Ok(houvast::service::mentoring::overview(&app.db, app.now(), ctx).await?))
        .await
}

/// Same team, another team, or no preference for mentors.
#[server(prefix = "/api", endpoint = "mentoring/preference")]
pub async fn set_team_preference(preference: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("preference", &preference, 40)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::mentoring::set_team_preference(&app.db, app.now(), ctx, &preference).await?)
    })
    .await
}

/// Ranked mentor suggestions for a starter.
#[server(prefix = "/api", endpoint = "mentoring/suggestions")]
pub async fn mentor_suggestions(id: i64) -> Result<SuggestionPage, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::mentoring::suggestions(&app.db, app.now(), ctx, houvast::domain::PersonId(id)).await?)
    })
    .await
}

/// Pair a starter with a mentor (coordinator).
#[server(prefix = "/api", endpoint = "mentoring/pair")]
pub async fn pair_mentor(
    starter: i64,
    mentor: i64,
    kind: String,
    start: Option<String>,
    reason: Option<String>,
) -> Result<(), AppError> {
    use houvast::domain::PersonId;

    use crate::ssr;
    ssr::limit("reason", reason.as_deref().unwrap_or(""), 1000)?;
    ssr::limit("start", start.as_deref().unwrap_or(""), 40)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::mentoring::pair(
            &app.db,
            app.now(),
            ctx,
            PersonId(starter),
            PersonId(mentor),
            &kind,
            start.as_deref().unwrap_or(""),
            reason.as_deref().unwrap_or(""),
        )
        .await?;
        ssr::form_redirect(&format!("/starters/{starter}?paired=1"));
        Ok(())
    })
    .await
}

/// End a pairing (coordinator).
#[server(prefix = "/api", endpoint = "mentoring/end")]
pub async fn end_pairing(id: i64, reason: String, on: Option<String>) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("on", on.as_deref().unwrap_or(""), 40)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let starter =
            houvast::service::mentoring::end_pairing(&app.db, app.now(), ctx, id, &reason, on.as_deref().unwrap_or(""))
                .await?;
        ssr::form_redirect(&format!("/starters/{}", starter.0));
        Ok(())
    })
    .await
}

/// A mentor's profile (coordinator, or the mentor).
#[server(prefix = "/api", endpoint = "mentoring/profile")]
pub async fn load_mentor_profile(id: i64) -> Result<(PersonRef, Option<MentorProfile>), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::mentoring::profile(&app.db, app.now(), ctx, houvast::domain::PersonId(id)).await?)
    })
    .await
}

/// Save a mentor's profile. Sectors come as `sectors[]`.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "mentoring/save-profile")]
pub async fn save_mentor_profile(
    id: i64,
    capacity: String,
    sectors: Option<Vec<String>>,
    subjects: Option<String>,
    trained: Option<String>,
    trained_on: Option<String>,
    hours_per_week: String,
    availability: Option<String>,
) -> Result<(), AppError> {
    use houvast::service::mentoring::ProfileForm;

    use crate::ssr;
    for (field, value) in [
        ("subjects", &subjects),
        ("availability", &availability),
        ("trained_on", &trained_on),
    ] {
        ssr::limit(field, value.as_deref().unwrap_or(""), 1000)?;
    }
    let sectors = sectors.unwrap_or_default();
    if sectors.len() > 20 {
        ssr::limit("sectors", &"x".repeat(21), 20)?;
    }
    ssr::serve(async |ssr::Call { app, ctx }| {
        let form = ProfileForm {
            capacity,
            sectors,
            subjects: subjects.unwrap_or_default(),
            trained: trained.is_some_and(|t| t == "on" || t == "yes"),
            trained_on: trained_on.unwrap_or_default(),
            hours_per_week,
            availability: availability.unwrap_or_default(),
        };
        houvast::service::mentoring::save_profile(&app.db, app.now(), ctx, houvast::domain::PersonId(id), &form)
            .await?;
        ssr::form_redirect(&format!("/mentors/{id}?saved=1"));
        Ok(())
    })
    .await
}
