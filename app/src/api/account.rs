//! One's own account: home data, name, language, password.

use houvast::domain::{Home, Language};
use leptos::prelude::*;

use crate::AppError;

#[server(prefix = "/api", endpoint = "account/home")]
pub async fn load_home() -> Result<Home, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| Ok(houvast::service::home::home(&app.db, app.now(), ctx).await?)).await
}

#[server(prefix = "/api", endpoint = "account/name")]
pub async fn rename_self(full_name: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("full_name", &full_name, 500)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::account::rename(&app.db, app.now(), ctx, &full_name).await?;
        ssr::form_redirect("/account?saved=name");
        Ok(())
    })
    .await
}

/// Remember the interface language for this account (the account page).
#[server(prefix = "/api", endpoint = "account/language")]
pub async fn set_language(language: Language) -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::account::set_language(&app.db, app.now(), ctx, language).await?;
        ssr::remember_language(language);
        ssr::form_redirect("/account?saved=language");
        Ok(())
    })
    .await
}

/// Change one's password. Other sessions of this person end; this one
/// continues under a new session id.
#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    repeat_password: String,
) -> Result<(), AppError> {
    use crate::ssr;
    use axum_login::AuthnBackend;
    for (field, value) in [
        ("current_password", &current_password),
        ("new_password", &new_password),
        ("repeat_password", &repeat_password),
    ] {
        ssr::limit(field, value, 1024)?;
    }
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::auth::change_password(
            &app.db,
            app.now(),
            ctx,
            &current_password,
            &new_password,
            &repeat_password,
        )
        .await?;
        let mut session = ssr::auth_session()?;
        let user = session
            .backend
            .get_user(&ctx.person.0)
            .await
            .map_err(|e| ssr::internal(&e))?;
        let user = user.ok_or_else(|| ssr::internal(&"account vanished after a password change"))?;
        session.session.cycle_id().await.map_err(|e| ssr::internal(&e))?;
        session.login(&user).await.map_err(|e| ssr::internal(&e))?;
        ssr::form_redirect("/account?saved=password");
        Ok(())
    })
    .await
}
