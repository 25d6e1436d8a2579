//! The caller's own notification list.

use houvast::domain::notification::Notifications;
use leptos::prelude::*;

use crate::AppError;

/// The caller's notifications, newest first; opening them marks them read.
#[server(prefix = "/api", endpoint = "notifications/list")]
pub async fn load_notifications() -> Result<Notifications, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::notifications::list(&app.db, app.now(), ctx, app.email_enabled).await?)
    })
    .await
}
