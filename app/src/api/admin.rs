//! The admin's work: institutions and their coordinators.

use houvast::domain::{InstitutionId, InstitutionOverview, PersonListItem};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::people::FreshLink;
use crate::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionDetail {
    pub id: InstitutionId,
    pub name: String,
    pub brin_code: String,
    pub coordinators: Vec<PersonListItem>,
}

#[server(prefix = "/api", endpoint = "admin/institutions")]
pub async fn institutions() -> Result<Vec<InstitutionOverview>, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| Ok(houvast::service::institutions::list(&app.db, app.now(), ctx).await?))
        .await
}

#[server(prefix = "/api", endpoint = "admin/institutions/create")]
pub async fn create_institution(name: String, brin_code: String) -> Result<i64, AppError> {
    use crate::ssr;
    ssr::limit("name", &name, 500)?;
    ssr::limit("brin_code", &brin_code, 50)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let id = houvast::service::institutions::create(&app.db, app.now(), ctx, &name, &brin_code).await?;
        ssr::form_redirect(&format!("/admin/institutions/{id}"));
        Ok(id.0)
    })
    .await
}

#[server(prefix = "/api", endpoint = "admin/institution")]
pub async fn institution(id: i64) -> Result<InstitutionDetail, AppError> {
    use crate::ssr;
    use houvast::service::institutions as service;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let (now, id) = (app.now(), InstitutionId(id));
        let institution = service::get(&app.db, now, ctx, id).await?;
        let coordinators = service::coordinators(&app.db, now, ctx, id).await?;
        Ok(InstitutionDetail {
            id,
            name: institution.name.to_string(),
            brin_code: institution.brin_code.to_string(),
            coordinators,
        })
    })
    .await
}

#[server(prefix = "/api", endpoint = "admin/institution/update")]
pub async fn update_institution(id: i64, name: String, brin_code: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("name", &name, 500)?;
    ssr::limit("brin_code", &brin_code, 50)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::institutions::update(&app.db, app.now(), ctx, InstitutionId(id), &name, &brin_code).await?;
        ssr::form_redirect(&format!("/admin/institutions/{id}?saved=1"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "admin/institution/coordinator")]
pub async fn add_coordinator(institution: i64, full_name: String, email: String) -> Result<FreshLink, AppError> {
    use crate::ssr;
    ssr::limit("full_name", &full_name, 500)?;
    ssr::limit("email", &email, 500)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let created = houvast::service::institutions::add_coordinator(
            &app.db,
            app.now(),
            ctx,
            InstitutionId(institution),
            &full_name,
            &email,
        )
        .await?;
        let fresh = FreshLink {
            person: created.person.0,
            name: full_name.trim().to_owned(),
            kind: super::auth::LinkKind::Activation,
            link: Some(format!("{}/activate?token={}", app.public_url, created.token)),
            emailed_to: None,
        };
        super::people::keep_fresh_link(&fresh).await?;
        ssr::form_redirect(&format!("/admin/institutions/{institution}"));
        Ok(fresh)
    })
    .await
}

/// The institution's school login as the admin sees it: the settings
/// (never the secret), whether the server can seal a secret at all, and
/// the redirect URI to register at the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolLoginView {
    pub settings: Option<houvast::domain::school_login::SchoolLoginSettings>,
    pub key_configured: bool,
    pub redirect_uri: String,
}

#[server(prefix = "/api", endpoint = "admin/institution/school-login")]
pub async fn school_login_panel(institution: i64) -> Result<SchoolLoginView, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let settings =
            houvast::service::school_login::settings(&app.db, app.now(), ctx, InstitutionId(institution)).await?;
        Ok(SchoolLoginView {
            settings,
            key_configured: app.secret_key.is_some(),
            redirect_uri: format!("{}/login/school/callback", app.public_url),
        })
    })
    .await
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "admin/institution/school-login/save")]
pub async fn save_school_login(
    institution: i64,
    issuer: String,
    client_id: String,
    client_secret: String,
    institution_claim: String,
    institution_value: String,
    match_by: String,
    match_claim: String,
    password_login: Option<String>,
    create_accounts: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    use houvast::domain::school_login::SchoolLoginForm;
    for (field, value, max) in [
        ("issuer", &issuer, 500),
        ("client_id", &client_id, 500),
        ("client_secret", &client_secret, 1000),
        ("institution_claim", &institution_claim, 200),
        ("institution_value", &institution_value, 500),
        ("match_by", &match_by, 50),
        ("match_claim", &match_claim, 200),
    ] {
        ssr::limit(field, value, max)?;
    }
    ssr::serve(async |ssr::Call { app, ctx }| {
        let form = SchoolLoginForm {
            issuer,
            client_id,
            client_secret,
            institution_claim,
            institution_value,
            match_by,
            match_claim,
            password_login: password_login.is_some_and(|v| v == "on" || v == "yes"),
            create_accounts: create_accounts.is_some_and(|v| v == "on" || v == "yes"),
        };
        houvast::service::school_login::configure(
            &app.db,
            app.now(),
            ctx,
            app.secret_key.as_ref(),
            InstitutionId(institution),
            &form,
        )
        .await?;
        ssr::form_redirect(&format!("/admin/institutions/{institution}?school_login=saved"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "admin/institution/school-login/remove")]
pub async fn remove_school_login(institution: i64) -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::school_login::remove(&app.db, app.now(), ctx, InstitutionId(institution)).await?;
        ssr::form_redirect(&format!("/admin/institutions/{institution}?school_login=removed"));
        Ok(())
    })
    .await
}
