//! Logging in with the school account: the admin's settings per
//! institution, and the sign-in that follows a validated ID token.
//!
//! The OpenID Connect exchange itself (discovery, PKCE, token validation)
//! happens in the server; this module gets the claims the provider vouched
//! for and decides whose account they open, with the same throttling,
//! session bookkeeping and audit trail as a password login.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::auth::{LoggedIn, LoginPolicy, new_token, throttled};
use super::{Ctx, ServiceError, access, record};
use crate::domain::school_login::{
    MatchBy, SchoolClaims, SchoolLoginButton, SchoolLoginForm, SchoolLoginRefusal, SchoolLoginSettings,
};
use crate::domain::{
    AuditAction, Email, FieldError, FieldProblem, InstitutionId, Name, PersonForCreate, PersonId, Role,
};
use crate::store::{Db, StoreError, Tx, accounts, institutions, people, school_login as store, throttle};

/// The server's key for sealing secrets: client secrets at rest, and the
/// login attempt that travels to the provider in a cookie. From the
/// environment (`HOUVAST_SECRET_KEY`: 32 random bytes in base64), the same
/// on every app node.
#[derive(Clone)]
pub struct SecretKey(chacha20poly1305::Key);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    /// Read a key written as base64 (standard or URL-safe, padded or not).
    pub fn from_base64(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bytes = [
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::STANDARD_NO_PAD,
        ]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
        .or_else(|| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok())
        .ok_or_else(|| "HOUVAST_SECRET_KEY is not base64".to_owned())?;
        if bytes.len() != 32 {
            return Err(format!(
                "HOUVAST_SECRET_KEY must hold 32 bytes, it holds {} (make one with: openssl rand -base64 32)",
                bytes.len()
            ));
        }
        Ok(Self(*chacha20poly1305::Key::from_slice(&bytes)))
    }

    /// A fresh random key (tests, and a deployment's first key).
    pub fn generate() -> Self {
        Self(XChaCha20Poly1305::generate_key(&mut OsRng))
    }

    /// Seal `plain` for `purpose` (bound into the seal: a value sealed for
    /// one purpose does not open for another).
    pub fn seal(&self, purpose: &str, plain: &[u8]) -> String {
        let cipher = XChaCha20Poly1305::new(&self.0);
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: purpose.as_bytes(),
                },
            )
            .expect("sealing into memory cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        URL_SAFE_NO_PAD.encode(out)
    }

    /// Open what `seal` made for the same purpose; `None` when it was made
    /// with another key or purpose, or changed.
    pub fn open(&self, purpose: &str, sealed: &str) -> Option<Vec<u8>> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed.trim()).ok()?;
        if bytes.len() < 24 {
            return None;
        }
        let (nonce, body) = bytes.split_at(24);
        XChaCha20Poly1305::new(&self.0)
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: purpose.as_bytes(),
                },
            )
            .ok()
    }
}

fn secret_purpose(institution: InstitutionId) -> String {
    format!("school-login-client-secret:{}", institution.0)
}

/// The institution's settings (admin), `None` when it has no school login.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, institution = institution.0))]
pub async fn settings(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    institution: InstitutionId,
) -> Result<Option<SchoolLoginSettings>, ServiceError> {
    access::require(db, now, ctx, &[Role::Admin], "school_login.settings").await?;
    institutions::get(db, institution).await?;
    Ok(store::get(db, institution).await?.map(|(settings, _)| settings))
}

/// Set (or change) the institution's school login (admin). An empty
/// client secret keeps the stored one; a new one is sealed with `key`.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, institution = institution.0))]
pub async fn configure(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    key: Option<&SecretKey>,
    institution: InstitutionId,
    form: &SchoolLoginForm,
) -> Result<SchoolLoginSettings, ServiceError> {
    access::require(db, now, ctx, &[Role::Admin], "school_login.configure").await?;
    institutions::get(db, institution).await?;
    let existing = store::get(db, institution).await?;
    let settings = form.validate(institution, existing.is_some())?;
    let new_secret = form.client_secret.trim();
    let sealed = match (new_secret.is_empty(), key) {
        (true, _) => None,
        (false, Some(key)) => Some(key.seal(&secret_purpose(institution), new_secret.as_bytes())),
        (false, None) => {
            return Err(ServiceError::Invalid(vec![FieldError {
                field: "client_secret".into(),
                problem: FieldProblem::NoSecretKey,
            }]));
        }
    };
    let mut tx = db.begin_write().await?;
    store::put(&mut tx, &settings, sealed.as_deref(), now).await?;
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::SchoolLoginChanged,
        json!({
            "issuer": settings.issuer,
            "client_id": settings.client_id,
            "match_by": settings.match_by.code(),
            "password_login": settings.password_login,
            "create_accounts": settings.create_accounts,
            "secret_changed": sealed.is_some(),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(settings)
}

/// Switch the institution's school login off (admin). Password login is
/// allowed again; links to school accounts stay for a later switch-on.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0, institution = institution.0))]
pub async fn remove(db: &Db, now: DateTime<Utc>, ctx: &Ctx, institution: InstitutionId) -> Result<(), ServiceError> {
    access::require(db, now, ctx, &[Role::Admin], "school_login.remove").await?;
    let mut tx = db.begin_write().await?;
    if !store::remove(&mut tx, institution).await? {
        return Err(ServiceError::NotFound);
    }
    ctx.audit(
        &mut tx,
        now,
        institution,
        None,
        AuditAction::SchoolLoginChanged,
        json!({ "removed": true }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// "Log in with <institution>" buttons for the login page (public).
#[tracing::instrument(skip_all)]
pub async fn buttons(db: &Db) -> Result<Vec<SchoolLoginButton>, ServiceError> {
    Ok(store::buttons(db).await?)
}

/// What the server needs to start and finish a login at the provider.
#[derive(Clone)]
pub struct ProviderLogin {
    pub settings: SchoolLoginSettings,
    pub client_secret: String,
}

impl std::fmt::Debug for ProviderLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderLogin")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// The institution's provider and its opened client secret; `None` when
/// the institution has no school login, or its secret does not open with
/// this server's key (logged: the key changed).
#[tracing::instrument(skip_all, fields(institution = institution.0))]
pub async fn provider_login(
    db: &Db,
    key: Option<&SecretKey>,
    institution: InstitutionId,
) -> Result<Option<ProviderLogin>, ServiceError> {
    let Some((settings, sealed)) = store::get(db, institution).await? else {
        return Ok(None);
    };
    let opened = key
        .and_then(|key| key.open(&secret_purpose(institution), &sealed))
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match opened {
        Some(client_secret) => Ok(Some(ProviderLogin {
            settings,
            client_secret,
        })),
        None => {
            tracing::error!(
                institution = institution.0,
                "the school login's client secret does not open: is HOUVAST_SECRET_KEY the key it was saved with?"
            );
            Ok(None)
        }
    }
}

fn address_key(client: &str) -> String {
    format!("address:{client}")
}

/// Seconds this client must wait before another school login, if any.
#[tracing::instrument(skip_all)]
pub async fn throttle_wait(
    db: &Db,
    now: DateTime<Utc>,
    policy: LoginPolicy,
    client: &str,
) -> Result<Option<u64>, ServiceError> {
    throttled(db, now, policy.window, &[(address_key(client), policy.per_address)]).await
}

/// Record a school login that did not open an account: a failure against
/// the client's budget, and an audit row with the reason (no claims).
#[tracing::instrument(skip_all)]
pub async fn refused(
    db: &Db,
    now: DateTime<Utc>,
    policy: LoginPolicy,
    institution: Option<InstitutionId>,
    person: Option<PersonId>,
    client: &str,
    refusal: SchoolLoginRefusal,
) -> Result<(), ServiceError> {
    let mut tx = db.begin_write().await?;
    if refusal != SchoolLoginRefusal::Throttled {
        throttle::record_failure(&mut tx, &address_key(client), now, now - policy.window * 4).await?;
    }
    let action = if refusal == SchoolLoginRefusal::Throttled {
        AuditAction::LoginThrottled
    } else {
        AuditAction::LoginFailed
    };
    record(
        &mut tx,
        now,
        None,
        institution,
        person,
        action,
        json!({ "method": "school", "reason": refusal.code() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Open the account the validated claims belong to.
///
/// `issuer` is the one the token was validated against. A subject linked
/// before opens its person, whatever the other claims say now; otherwise the
/// institution's match claim finds a person of that institution, who is
/// then linked. Refusals are recorded (throttle and audit) before they
/// return.
#[tracing::instrument(skip_all)]
pub async fn sign_in(
    db: &Db,
    now: DateTime<Utc>,
    policy: LoginPolicy,
    settings: &SchoolLoginSettings,
    claims: &SchoolClaims,
    client: &str,
) -> Result<Result<LoggedIn, SchoolLoginRefusal>, ServiceError> {
    let institution = settings.institution;
    let refuse = |person: Option<PersonId>, refusal: SchoolLoginRefusal| async move {
        refused(db, now, policy, Some(institution), person, client, refusal).await?;
        Ok::<_, ServiceError>(Err(refusal))
    };
    if throttle_wait(db, now, policy, client).await?.is_some() {
        return refuse(None, SchoolLoginRefusal::Throttled).await;
    }
    if !claims.from_institution(settings) {
        return refuse(None, SchoolLoginRefusal::OtherInstitution).await;
    }
    let issuer = settings.issuer.as_str();
    let (person, newly_linked) = match store::linked_person(db, issuer, &claims.subject).await? {
        Some(person) => (person, false),
        None => {
            let Some(value) = claims.match_value(settings) else {
                return refuse(None, SchoolLoginRefusal::Unmatched).await;
            };
            match store::person_by(db, institution, settings.match_by, &value).await? {
                // A person linked to another subject of this issuer already
                // has their school account: this one is someone else's.
                Some(person) if !store::is_linked(db, person, issuer).await? => (person, true),
                Some(_) => return refuse(None, SchoolLoginRefusal::Unmatched).await,
                None if settings.create_accounts => {
                    return match create_account(db, now, settings, claims, &value).await? {
                        Some(logged_in) => Ok(Ok(logged_in)),
                        None => refuse(None, SchoolLoginRefusal::Unmatched).await,
                    };
                }
                None => return refuse(None, SchoolLoginRefusal::Unmatched).await,
            }
        }
    };
    let found = people::get(db, person).await?;
    if found.institution != Some(institution) {
        return refuse(None, SchoolLoginRefusal::OtherInstitution).await;
    }
    let account = match accounts::get(db, person).await {
        Ok(account) => account,
        Err(StoreError::NotFound) => return refuse(Some(person), SchoolLoginRefusal::Unmatched).await,
        Err(err) => return Err(err.into()),
    };
    if account.deactivated_at.is_some() {
        return refuse(Some(person), SchoolLoginRefusal::Deactivated).await;
    }

    let mut tx = db.begin_write().await?;
    if newly_linked {
        match store::link(&mut tx, issuer, &claims.subject, person, now).await {
            Ok(()) => {}
            // Another login linked the same subject or person a moment ago.
            Err(StoreError::Conflict(_)) => {
                drop(tx);
                return refuse(Some(person), SchoolLoginRefusal::Unmatched).await;
            }
            Err(err) => return Err(err.into()),
        }
        linked(&mut tx, now, institution, person, issuer, settings.match_by.code()).await?;
    }
    let device = logged_in(&mut tx, now, institution, person).await?;
    tx.commit().await?;
    Ok(Ok(LoggedIn { person, device }))
}

/// The first login of someone the provider vouches for and Houvast does not
/// know, where the institution makes accounts on the fly: a person of the
/// institution without roles (the coordinator gives them one), linked to
/// the subject, and logged in. `None` when the claims do not make a valid
/// person, or the address is someone else's elsewhere in the deployment.
async fn create_account(
    db: &Db,
    now: DateTime<Utc>,
    settings: &SchoolLoginSettings,
    claims: &SchoolClaims,
    matched: &str,
) -> Result<Option<LoggedIn>, ServiceError> {
    let institution = settings.institution;
    let email = claims
        .get("email")
        .and_then(|e| Email::parse(&e.trim().to_lowercase()).ok());
    let name = claims.display_name().and_then(|n| Name::parse(&n).ok());
    let (Some(email), Some(full_name)) = (email, name) else {
        return Ok(None);
    };
    let new = PersonForCreate {
        full_name,
        email: Some(email),
        institution: Some(institution),
    };
    let mut tx = db.begin_write().await?;
    let person = match people::create(&mut tx, &new, now).await {
        Ok(person) => person,
        Err(StoreError::Conflict(_)) => return Ok(None),
        Err(err) => return Err(err.into()),
    };
    accounts::create(&mut tx, person, now).await?;
    if settings.match_by == MatchBy::EmployeeNumber {
        people::set_employee_number(&mut tx, person, Some(matched)).await?;
    }
    match store::link(&mut tx, &settings.issuer, &claims.subject, person, now).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Ok(None),
        Err(err) => return Err(err.into()),
    }
    record(
        &mut tx,
        now,
        None,
        Some(institution),
        Some(person),
        AuditAction::PersonCreated,
        json!({ "via": "school_login" }),
    )
    .await?;
    linked(&mut tx, now, institution, person, &settings.issuer, "created").await?;
    let device = logged_in(&mut tx, now, institution, person).await?;
    tx.commit().await?;
    Ok(Some(LoggedIn { person, device }))
}

/// Audit a new link between a school account and a person.
async fn linked(
    tx: &mut Tx,
    now: DateTime<Utc>,
    institution: InstitutionId,
    person: PersonId,
    issuer: &str,
    matched_by: &str,
) -> Result<(), ServiceError> {
    let details = json!({ "issuer": issuer, "matched_by": matched_by });
    record(
        tx,
        now,
        Some(person),
        Some(institution),
        Some(person),
        AuditAction::SchoolAccountLinked,
        details,
    )
    .await
}

/// The bookkeeping of a school login, as for a password: last login, a new
/// remembered browser, the audit row. Answers the device cookie's value.
async fn logged_in(
    tx: &mut Tx,
    now: DateTime<Utc>,
    institution: InstitutionId,
    person: PersonId,
) -> Result<String, ServiceError> {
    let (device, device_hash) = new_token();
    accounts::record_login(tx, person, now).await?;
    accounts::remember_device(tx, person, &device_hash, now).await?;
    let details = json!({ "method": "school", "trusted_device": false });
    record(
        tx,
        now,
        Some(person),
        Some(institution),
        Some(person),
        AuditAction::LoginSucceeded,
        details,
    )
    .await?;
    Ok(device)
}

#[cfg(test)]
mod tests;
