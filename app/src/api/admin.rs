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
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    houvast::service::institutions::list(&app.db, app.now(), &ctx)
        .await
        .map_err(ssr::service_error)
}

#[server(prefix = "/api", endpoint = "admin/institutions/create")]
pub async fn create_institution(name: String, brin_code: String) -> Result<i64, AppError> {
    use crate::ssr;
    ssr::limit("name", &name, 500)?;
    ssr::limit("brin_code", &brin_code, 50)?;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    let id = houvast::service::institutions::create(&app.db, app.now(), &ctx, &name, &brin_code)
        .await
        .map_err(ssr::service_error)?;
    ssr::form_redirect(&format!("/admin/institutions/{id}"));
    Ok(id.0)
}

#[server(prefix = "/api", endpoint = "admin/institution")]
pub async fn institution(id: i64) -> Result<InstitutionDetail, AppError> {
    use crate::ssr;
    use houvast::service::institutions as service;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    let (now, id) = (app.now(), InstitutionId(id));
    let institution = service::get(&app.db, now, &ctx, id).await.map_err(ssr::service_error)?;
    let coordinators = service::coordinators(&app.db, now, &ctx, id)
        .await
        .map_err(ssr::service_error)?;
    Ok(InstitutionDetail {
        id,
        name: institution.name.to_string(),
        brin_code: institution.brin_code.to_string(),
        coordinators,
    })
}

#[server(prefix = "/api", endpoint = "admin/institution/update")]
pub async fn update_institution(id: i64, name: String, brin_code: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("name", &name, 500)?;
    ssr::limit("brin_code", &brin_code, 50)?;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    houvast::service::institutions::update(&app.db, app.now(), &ctx, InstitutionId(id), &name, &brin_code)
        .await
        .map_err(ssr::service_error)
}

#[server(prefix = "/api", endpoint = "admin/institution/coordinator")]
pub async fn add_coordinator(institution: i64, full_name: String, email: String) -> Result<FreshLink, AppError> {
    use crate::ssr;
    ssr::limit("full_name", &full_name, 500)?;
    ssr::limit("email", &email, 500)?;
    let app = ssr::app_context()?;
    let ctx = ssr::ctx()?;
    let created = houvast::service::institutions::add_coordinator(
        &app.db,
        app.now(),
        &ctx,
        InstitutionId(institution),
        &full_name,
        &email,
    )
    .await
    .map_err(ssr::service_error)?;
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
}
