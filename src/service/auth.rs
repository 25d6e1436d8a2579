//! Logging in, activation and reset links, and password changes.
//!
//! Failed logins are throttled per account and per client address, with the
//! count in the database so it holds across app nodes; there is no
//! permanent lockout, only a wait. Unknown address, wrong password and
//! deactivated account give the same answer after the same work.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{Ctx, ServiceError, passwords, record as append};
use crate::domain::{AuditAction, Email, FieldErrors, FieldProblem, Password, PersonId};
use crate::store::tokens::TokenPurpose;
use crate::store::{Db, Tx, accounts, institutions, people, throttle, tokens};

/// Limits on failed logins.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    pub window: Duration,
    pub per_account: i64,
    pub per_address: i64,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        Self {
            window: Duration::minutes(15),
            per_account: 5,
            per_address: 50,
        }
    }
}

/// A login attempt as typed, plus where it came from.
#[derive(Debug, Clone)]
pub struct LoginAttempt {
    pub email: String,
    pub password: String,
    /// The client's address, for the per-address limit.
    pub client: String,
}

/// How long links stay valid.
pub const LINK_VALIDITY: Duration = Duration::days(7);

/// Check e-mail address and password. Returns the person on success.
pub async fn login(
    db: &Db,
    now: DateTime<Utc>,
    policy: LoginPolicy,
    attempt: &LoginAttempt,
) -> Result<PersonId, ServiceError> {
    let email = attempt.email.trim().to_lowercase();
    let account_key = format!("account:{email}");
    let address_key = format!("address:{}", attempt.client);
    let since = now - policy.window;

    let mut wait = None;
    for (key, limit) in [(&account_key, policy.per_account), (&address_key, policy.per_address)] {
        let (count, oldest) = throttle::failures_since(db, key, since).await?;
        if count >= limit {
            let free_at = oldest.unwrap_or(now) + policy.window;
            let secs = (free_at - now).num_seconds().max(1) as u64;
            wait = Some(wait.map_or(secs, |w: u64| w.max(secs)));
        }
    }
    if let Some(retry_after_secs) = wait {
        let mut tx = db.begin_write().await?;
        append(
            &mut tx,
            now,
            None,
            None,
            None,
            AuditAction::LoginThrottled,
            json!({ "email": email }),
        )
        .await?;
        tx.commit().await?;
        return Err(ServiceError::Throttled { retry_after_secs });
    }

    let account = match Email::parse(&email) {
        Ok(valid) => accounts::find_by_email(db, valid.as_str()).await?,
        Err(_) => None,
    };
    let usable = account.as_ref().filter(|a| a.deactivated_at.is_none());
    let stored = usable.and_then(|a| a.password_hash.as_deref());
    let verdict = passwords::verify(&attempt.password, stored).await;

    let mut tx = db.begin_write().await?;
    match usable {
        Some(account) if verdict.matches => {
            let person = account.person;
            throttle::clear(&mut tx, &account_key).await?;
            accounts::record_login(&mut tx, person, now).await?;
            if verdict.needs_rehash {
                let password = Password::parse(&attempt.password).map_err(|p| ServiceError::field("password", p));
                if let Ok(password) = password {
                    accounts::set_password_hash(&mut tx, person, &passwords::hash(&password).await, now).await?;
                }
            }
            let institution = people::get(db, person).await?.institution;
            append(
                &mut tx,
                now,
                Some(person),
                institution,
                Some(person),
                AuditAction::LoginSucceeded,
                json!({}),
            )
            .await?;
            tx.commit().await?;
            Ok(person)
        }
        _ => {
            let prune_before = now - policy.window * 4;
            throttle::record_failure(&mut tx, &account_key, now, prune_before).await?;
            throttle::record_failure(&mut tx, &address_key, now, prune_before).await?;
            let person = account.as_ref().map(|a| a.person);
            let institution = match person {
                Some(p) => people::get(db, p).await?.institution,
                None => None,
            };
            append(
                &mut tx,
                now,
                None,
                institution,
                person,
                AuditAction::LoginFailed,
                json!({ "email": email }),
            )
            .await?;
            tx.commit().await?;
            Err(ServiceError::InvalidCredentials)
        }
    }
}

/// Record a logout.
pub async fn logged_out(db: &Db, now: DateTime<Utc>, ctx: &Ctx) -> Result<(), ServiceError> {
    let mut tx = db.begin_write().await?;
    append(
        &mut tx,
        now,
        Some(ctx.person),
        ctx.institution,
        Some(ctx.person),
        AuditAction::LoggedOut,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A fresh random token (for a link) and the hash that is stored of it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Issue a link of `purpose` for `person` (of `institution`) inside the
/// caller's transaction. Returns the token to put in the link (shown once,
/// never stored).
pub async fn issue_link(
    tx: &mut Tx,
    now: DateTime<Utc>,
    person: PersonId,
    institution: Option<crate::domain::InstitutionId>,
    purpose: TokenPurpose,
    by: Option<&Ctx>,
) -> Result<String, ServiceError> {
    let (token, hash) = new_token();
    tokens::issue(
        tx,
        person,
        purpose,
        &hash,
        by.map(|c| c.person),
        now,
        now + LINK_VALIDITY,
    )
    .await?;
    let action = match purpose {
        TokenPurpose::Activation => AuditAction::ActivationLinkIssued,
        TokenPurpose::PasswordReset => AuditAction::PasswordResetLinkIssued,
    };
    append(
        tx,
        now,
        by.map(|c| c.person),
        institution,
        Some(person),
        action,
        json!({ "valid_days": LINK_VALIDITY.num_days() }),
    )
    .await?;
    Ok(token)
}

/// What the link page shows before a password is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkInfo {
    pub person: PersonId,
    pub name: String,
    pub email: String,
}

/// Whose valid link this is, without using it.
pub async fn link_info(
    db: &Db,
    now: DateTime<Utc>,
    token: &str,
    purpose: TokenPurpose,
) -> Result<LinkInfo, ServiceError> {
    let person = tokens::peek(db, &token_hash(token), purpose, now)
        .await?
        .ok_or(ServiceError::InvalidLink)?;
    let found = people::get(db, person).await?;
    Ok(LinkInfo {
        person,
        name: found.full_name.to_string(),
        email: found.email.map(String::from).unwrap_or_default(),
    })
}

/// Set a password through an activation or reset link (single use).
pub async fn set_password_with_link(
    db: &Db,
    now: DateTime<Utc>,
    token: &str,
    purpose: TokenPurpose,
    password: &str,
    repeat: &str,
) -> Result<PersonId, ServiceError> {
    let info = link_info(db, now, token, purpose).await?;
    let password = checked_new_password(db, info.person, password, repeat, "password").await?;
    let hash = passwords::hash(&password).await;
    let mut tx = db.begin_write().await?;
    let person = tokens::take(&mut tx, &token_hash(token), purpose, now)
        .await?
        .ok_or(ServiceError::InvalidLink)?;
    accounts::set_password_hash(&mut tx, person, &hash, now).await?;
    let action = match purpose {
        TokenPurpose::Activation => AuditAction::AccountActivated,
        TokenPurpose::PasswordReset => AuditAction::PasswordReset,
    };
    let institution = people::get(db, person).await?.institution;
    append(&mut tx, now, Some(person), institution, Some(person), action, json!({})).await?;
    tx.commit().await?;
    Ok(person)
}

/// Change one's own password; needs the current one.
pub async fn change_password(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    current: &str,
    new: &str,
    repeat: &str,
) -> Result<(), ServiceError> {
    let account = accounts::get(db, ctx.person).await?;
    if !passwords::verify(current, account.password_hash.as_deref())
        .await
        .matches
    {
        return Err(ServiceError::field("current_password", FieldProblem::WrongPassword));
    }
    let password = checked_new_password(db, ctx.person, new, repeat, "new_password").await?;
    let hash = passwords::hash(&password).await;
    let mut tx = db.begin_write().await?;
    accounts::set_password_hash(&mut tx, ctx.person, &hash, now).await?;
    append(
        &mut tx,
        now,
        Some(ctx.person),
        ctx.institution,
        Some(ctx.person),
        AuditAction::PasswordChanged,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Length, repetition and guessability (common passwords, the person's own
/// name, address and institution) of a new password.
async fn checked_new_password(
    db: &Db,
    person: PersonId,
    password: &str,
    repeat: &str,
    field: &str,
) -> Result<Password, ServiceError> {
    let mut errors = FieldErrors::new();
    let parsed = errors.check(field, Password::parse(password));
    if password != repeat {
        errors.add("repeat_password", FieldProblem::Mismatch);
    }
    if let Some(parsed) = &parsed {
        let who = people::get(db, person).await?;
        let institution = match who.institution {
            Some(id) => institutions::get(db, id).await?.name.to_string(),
            None => String::new(),
        };
        let email = who.email.as_ref().map(Email::as_str).unwrap_or("");
        let personal = [who.full_name.as_str(), email, institution.as_str(), "houvast"];
        errors.check(field, passwords::check_strength(parsed, &personal));
    }
    match parsed {
        Some(password) if errors.is_empty() => Ok(password),
        _ => Err(errors.into()),
    }
}

/// Create a deployment administrator (the first admin comes from the
/// command line; there are no default accounts).
pub async fn create_admin(
    db: &Db,
    now: DateTime<Utc>,
    full_name: &str,
    email: &str,
    password: &str,
) -> Result<PersonId, ServiceError> {
    use crate::domain::{Name, PersonForCreate, Role, RoleAssignment};
    use crate::store::memberships;

    let mut errors = FieldErrors::new();
    let name = errors.check("full_name", Name::parse(full_name));
    let address = errors.check("email", Email::parse(email));
    let parsed = errors.check("password", Password::parse(password));
    if let (Some(parsed), Some(name), Some(address)) = (&parsed, &name, &address) {
        errors.check(
            "password",
            passwords::check_strength(parsed, &[name.as_str(), address.as_str(), "houvast"]),
        );
    }
    let (Some(full_name), Some(email), Some(password)) = (name, address, parsed) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let hash = passwords::hash(&password).await;
    let mut tx = db.begin_write().await?;
    let new = PersonForCreate {
        full_name,
        email: Some(email),
        institution: None,
    };
    let person = people::create(&mut tx, &new, now)
        .await
        .map_err(|e| super::taken_as_field(e, "people_email_key", "email"))?;
    accounts::create(&mut tx, person, now).await?;
    accounts::set_password_hash(&mut tx, person, &hash, now).await?;
    memberships::set_roles(
        &mut tx,
        person,
        None,
        &[RoleAssignment {
            role: Role::Admin,
            team: None,
        }],
        now,
    )
    .await?;
    append(
        &mut tx,
        now,
        None,
        None,
        Some(person),
        AuditAction::PersonCreated,
        json!({ "roles": ["admin"], "via": "command line" }),
    )
    .await?;
    tx.commit().await?;
    Ok(person)
}
