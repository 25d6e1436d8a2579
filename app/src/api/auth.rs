//! Logging in and out, and setting a password through a one-time link.

use houvast::domain::Viewer;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// Who is logged in (`None` when nobody is).
#[server(prefix = "/api", endpoint = "auth/viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    use crate::ssr;
    let Some(ctx) = ssr::current_user() else {
        return Ok(None);
    };
    // The unread count came with the request's context (one statement).
    Ok(Some(ctx.viewer()))
}

/// Log in; answers the page to go to: `next` (a path on this site) or home.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<String, AppError> {
    use crate::ssr::{self, auth::LOGGED_IN_AT};
    use axum_login::AuthnBackend;
    use houvast::service::auth::{self as auth_service, LoginAttempt};

    ssr::limit("email", &email, 254)?;
    ssr::limit("password", &password, 1024)?;
    let app = ssr::app_context()?;
    let now = app.now();
    let attempt = LoginAttempt {
        email,
        password,
        client: ssr::client_address(),
        device: ssr::device_cookie(),
    };
    let logged_in = auth_service::login(&app.db, now, app.login_policy, &attempt).await?;
    let person = logged_in.person;
    ssr::set_device_cookie(&logged_in.device);

    let mut session = ssr::auth_session()?;
    if session.user.is_some() {
        session.logout().await.map_err(|e| ssr::internal(&e))?;
    }
    // A new session id at every login: an id known before it is dead after.
    session.session.cycle_id().await.map_err(|e| ssr::internal(&e))?;
    let user = session
        .backend
        .authenticate(person)
        .await
        .map_err(|e| ssr::internal(&e))?;
    let user = user.ok_or_else(|| ssr::internal(&"verified person has no active account"))?;
    let language = user.ctx.language;
    session.login(&user).await.map_err(|e| ssr::internal(&e))?;
    session
        .session
        .insert(LOGGED_IN_AT, now.timestamp())
        .await
        .map_err(|e| ssr::internal(&e))?;
    crate::ssr::remember_language(language);
    let target = crate::paths::local_path(next.as_deref());
    ssr::form_redirect(&target);
    Ok(target)
}

/// The institutions whose people log in with their school account: one
/// "Log in with <institution>" button each on the login page.
#[server(prefix = "/api", endpoint = "auth/school-logins")]
pub async fn school_login_buttons() -> Result<Vec<houvast::domain::school_login::SchoolLoginButton>, AppError> {
    use crate::ssr;
    let app = ssr::app_context()?;
    if app.secret_key.is_none() {
        return Ok(Vec::new());
    }
    houvast::service::school_login::buttons(&app.db)
        .await
        .map_err(ssr::service_error)
}

/// Log out: the server-side session is deleted.
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let mut session = ssr::auth_session()?;
        session.logout().await.map_err(|e| ssr::internal(&e))?;
        houvast::service::auth::logged_out(&app.db, app.now(), ctx).await?;
        ssr::form_redirect("/login");
        Ok(())
    })
    .await
}

/// Which kind of link: a first password (activation) or a new one (reset).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Activation,
    Reset,
}

#[cfg(feature = "ssr")]
impl LinkKind {
    fn purpose(self) -> houvast::store::tokens::TokenPurpose {
        match self {
            LinkKind::Activation => houvast::store::tokens::TokenPurpose::Activation,
            LinkKind::Reset => houvast::store::tokens::TokenPurpose::PasswordReset,
        }
    }
}

/// What the link page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkDetails {
    pub name: String,
    pub email: String,
}

#[server(prefix = "/api", endpoint = "auth/link")]
pub async fn load_link(token: String, kind: LinkKind) -> Result<LinkDetails, AppError> {
    use crate::ssr;
    ssr::limit("token", &token, 100)?;
    let app = ssr::app_context()?;
    let info = houvast::service::auth::link_info(&app.db, app.now(), &token, kind.purpose()).await?;
    Ok(LinkDetails {
        name: info.name,
        email: info.email,
    })
}

/// Set a password through a link, then go to the login page.
#[server(prefix = "/api", endpoint = "auth/set-password")]
pub async fn set_password(
    token: String,
    kind: LinkKind,
    password: String,
    repeat_password: String,
) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("token", &token, 100)?;
    ssr::limit("password", &password, 1024)?;
    ssr::limit("repeat_password", &repeat_password, 1024)?;
    let app = ssr::app_context()?;
    houvast::service::auth::set_password_with_link(
        &app.db,
        app.now(),
        &token,
        kind.purpose(),
        &password,
        &repeat_password,
    )
    .await?;
    ssr::form_redirect("/login?password_set=1");
    Ok(())
}

/// Whether "forgot password" can send a link (e-mail is configured).
#[server(prefix = "/api", endpoint = "auth/forgot-available")]
pub async fn reset_by_email_available() -> Result<bool, AppError> {
    let app = crate::ssr::app_context()?;
    Ok(app.mail.is_some())
}

/// "Forgot password": a link to the address if it has an account. The
/// answer is the same for every address, and comes before the mail is sent.
#[server(prefix = "/api", endpoint = "auth/forgot")]
pub async fn request_reset(email: String) -> Result<(), AppError> {
    use crate::ssr;
    use houvast::store::tokens::TokenPurpose;
    ssr::limit("email", &email, 254)?;
    let app = ssr::app_context()?;
    if app.mail.is_none() {
        return Err(ssr::invalid("email", houvast::domain::FieldProblem::EmailOnly));
    }
    let found = houvast::service::auth::request_reset(&app.db, app.now(), &email, &ssr::client_address()).await?;
    if let Some((purpose, token, to)) = found {
        let (page, activation) = match purpose {
            TokenPurpose::Activation => ("activate", true),
            TokenPurpose::PasswordReset => ("reset", false),
        };
        let url = format!("{}/{page}?token={token}", app.public_url);
        let app = app.clone();
        leptos::task::spawn(async move {
            let _ = ssr::send_link(&app, &to, &url, activation).await;
        });
    }
    ssr::form_redirect("/forgot?sent=1");
    Ok(())
}
