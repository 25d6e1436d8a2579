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

/// Limits on failed logins. No limit can lock a person out of their own
/// account: failures count per address-and-client, and a browser in which
/// the person logged in before (a device cookie, OWASP) has a budget of its
/// own that guesses from elsewhere never touch.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    pub window: Duration,
    /// Failures for one address from one client, or from one remembered
    /// browser.
    pub per_account: i64,
    /// Failures for one address from all browsers it was never used in
    /// (slows guessing spread over many clients).
    pub per_account_untrusted: i64,
    /// Failures from one client for any address.
    pub per_address: i64,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        Self {
            window: Duration::minutes(15),
            per_account: 5,
            per_account_untrusted: 20,
            per_address: 50,
        }
    }
}

/// A login attempt as typed, plus where it came from.
#[derive(Clone)]
pub struct LoginAttempt {
    pub email: String,
    pub password: String,
    /// The client's address, for the per-address limit.
    pub client: String,
    /// The device cookie this browser sent, if any.
    pub device: Option<String>,
}

impl std::fmt::Debug for LoginAttempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginAttempt")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

/// A successful login: who, and the device cookie to (re)set in the browser.
#[derive(Clone, PartialEq, Eq)]
pub struct LoggedIn {
    pub person: PersonId,
    pub device: String,
}

impl std::fmt::Debug for LoggedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoggedIn")
            .field("person", &self.person)
            .finish_non_exhaustive()
    }
}

/// How long links stay valid.
pub const LINK_VALIDITY: Duration = Duration::days(7);

/// How long a browser stays remembered after its last login.
pub const DEVICE_VALIDITY: Duration = Duration::days(365);

/// Seconds to wait when any of `budgets` (key, limit) is spent.
pub(crate) async fn throttled(
    db: &Db,
    now: DateTime<Utc>,
    window: Duration,
    budgets: &[(String, i64)],
) -> Result<Option<u64>, ServiceError> {
    let since = now - window;
    let mut wait = None;
    for (key, limit) in budgets {
        let (count, oldest) = throttle::failures_since(db, key, since).await?;
        if count >= *limit {
            let free_at = oldest.unwrap_or(now) + window;
            let secs = (free_at - now).num_seconds().max(1) as u64;
            wait = Some(wait.map_or(secs, |w: u64| w.max(secs)));
        }
    }
    Ok(wait)
}

/// Check e-mail address and password. Returns the person on success.
///
/// Every attempt that is not throttled costs exactly one argon2
/// verification, whether the address is unknown, deactivated or real.
#[tracing::instrument(skip_all)]
pub async fn login(
    db: &Db,
    now: DateTime<Utc>,
    policy: LoginPolicy,
    attempt: &LoginAttempt,
) -> Result<LoggedIn, ServiceError> {
    let email = attempt.email.trim().to_lowercase();
    let account = match Email::parse(&email) {
        Ok(valid) => accounts::find_by_email(db, valid.as_str()).await?,
        Err(_) => None,
    };
    let device_hash = attempt
        .device
        .as_deref()
        .filter(|d| !d.is_empty() && d.len() <= 100)
        .map(token_hash);
    let trusted = match (&device_hash, &account) {
        (Some(hash), Some(account)) => {
            accounts::device_owner(db, hash, now - DEVICE_VALIDITY).await? == Some(account.person)
        }
        _ => false,
    };
    let budgets: Vec<(String, i64)> = match (&device_hash, trusted) {
        (Some(hash), true) => vec![(format!("device:{hash}"), policy.per_account)],
        _ => vec![
            (format!("pair:{email}|{}", attempt.client), policy.per_account),
            (format!("account:{email}"), policy.per_account_untrusted),
            (format!("address:{}", attempt.client), policy.per_address),
        ],
    };
    if let Some(retry_after_secs) = throttled(db, now, policy.window, &budgets).await? {
        let mut tx = db.begin_write().await?;
        append(
            &mut tx,
            now,
            None,
            None,
            account.as_ref().map(|a| a.person),
            AuditAction::LoginThrottled,
            json!({ "trusted_device": trusted }),
        )
        .await?;
        tx.commit().await?;
        return Err(ServiceError::Throttled { retry_after_secs });
    }

    let usable = account.as_ref().filter(|a| a.deactivated_at.is_none());
    let stored = usable.and_then(|a| a.password_hash.as_deref());
    let verdict = passwords::verify(&attempt.password, stored).await;

    match usable {
        Some(account) if verdict.matches => {
            let person = account.person;
            let institution = people::get(db, person).await?.institution;
            if let Some(institution) = institution
                && !crate::store::school_login::password_login_allowed(db, institution).await?
            {
                // The right password, but the institution logs in with the
                // school account only.
                return Err(ServiceError::Invalid(vec![crate::domain::FieldError {
                    field: "password".into(),
                    problem: FieldProblem::SchoolLoginOnly,
                }]));
            }
            // Hashing the upgrade happens before the write transaction opens.
            let rehashed = if verdict.needs_rehash {
                match Password::parse(&attempt.password) {
                    Ok(password) => Some(passwords::hash(&password).await),
                    Err(_) => None,
                }
            } else {
                None
            };
            let (device, device_hash) = match (attempt.device.as_deref(), trusted) {
                (Some(existing), true) => (existing.to_owned(), token_hash(existing)),
                _ => new_token(),
            };
            let mut tx = db.begin_write().await?;
            for (key, _) in budgets
                .iter()
                .filter(|(k, _)| !k.starts_with("account:") && !k.starts_with("address:"))
            {
                throttle::clear(&mut tx, key).await?;
            }
            accounts::record_login(&mut tx, person, now).await?;
            accounts::remember_device(&mut tx, person, &device_hash, now).await?;
            if let Some(hash) = rehashed {
                accounts::set_password_hash(&mut tx, person, &hash, now).await?;
            }
            append(
                &mut tx,
                now,
                Some(person),
                institution,
                Some(person),
                AuditAction::LoginSucceeded,
                json!({ "trusted_device": trusted }),
            )
            .await?;
            tx.commit().await?;
            Ok(LoggedIn { person, device })
        }
        _ => {
            let prune_before = now - policy.window * 4;
            let person = account.as_ref().map(|a| a.person);
            let institution = match person {
                Some(p) => people::get(db, p).await?.institution,
                None => None,
            };
            let mut tx = db.begin_write().await?;
            for (key, _) in &budgets {
                throttle::record_failure(&mut tx, key, now, prune_before).await?;
            }
            // No address in the audit row: an unknown one may be a typo of
            // someone's password.
            append(
                &mut tx,
                now,
                None,
                institution,
                person,
                AuditAction::LoginFailed,
                json!({ "trusted_device": trusted }),
            )
            .await?;
            tx.commit().await?;
            Err(ServiceError::InvalidCredentials)
        }
    }
}

/// Record a logout.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
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
#[tracing::instrument(skip_all, fields(person = person.0))]
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
#[tracing::instrument(skip_all)]
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
#[tracing::instrument(skip_all)]
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
    tokens::revoke_all(&mut tx, person, now).await?;
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
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn change_password(
    db: &Db,
    now: DateTime<Utc>,
    ctx: &Ctx,
    current: &str,
    new: &str,
    repeat: &str,
) -> Result<(), ServiceError> {
    let policy = LoginPolicy::default();
    let key = format!("current-password:{}", ctx.person.0);
    if let Some(retry_after_secs) = throttled(db, now, policy.window, &[(key.clone(), policy.per_account)]).await? {
        return Err(ServiceError::Throttled { retry_after_secs });
    }
    let account = accounts::get(db, ctx.person).await?;
    if !passwords::verify(current, account.password_hash.as_deref())
        .await
        .matches
    {
        let mut tx = db.begin_write().await?;
        throttle::record_failure(&mut tx, &key, now, now - policy.window * 4).await?;
        tx.commit().await?;
        return Err(ServiceError::field("current_password", FieldProblem::WrongPassword));
    }
    let password = checked_new_password(db, ctx.person, new, repeat, "new_password").await?;
    let hash = passwords::hash(&password).await;
    let mut tx = db.begin_write().await?;
    throttle::clear(&mut tx, &key).await?;
    accounts::set_password_hash(&mut tx, ctx.person, &hash, now).await?;
    // A reset link issued before must not outlive the password it replaces.
    tokens::revoke_all(&mut tx, ctx.person, now).await?;
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
#[tracing::instrument(skip_all)]
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

/// Which link an account needs: activation while it never had a
/// password, otherwise a password reset.
pub fn link_purpose(account: &accounts::Account) -> TokenPurpose {
    if account.password_hash.is_none() {
        TokenPurpose::Activation
    } else {
        TokenPurpose::PasswordReset
    }
}

/// A link for any account, issued by the deployment's administrator from
/// the command line (`houvast admin link`): the one way to a new password
/// for an account that holds data when e-mail is off. Audited, and the
/// person finds a notification about it at their next visit.
#[tracing::instrument(skip_all)]
pub async fn operator_link(db: &Db, now: DateTime<Utc>, email: &str) -> Result<(TokenPurpose, String), ServiceError> {
    let email = Email::parse(email).map_err(|p| ServiceError::field("email", p.into()))?;
    let account = accounts::find_by_email(db, email.as_str())
        .await?
        .ok_or(ServiceError::NotFound)?;
    if account.deactivated_at.is_some() {
        return Err(ServiceError::field("status", FieldProblem::UnknownChoice));
    }
    let purpose = link_purpose(&account);
    let person = people::get(db, account.person).await?;
    let mut tx = db.begin_write().await?;
    let token = issue_link(&mut tx, now, account.person, person.institution, purpose, None).await?;
    let notice = crate::store::notifications::NewNotification {
        person: account.person,
        institution: person.institution,
        kind: crate::domain::notification::NotificationKind::LinkIssued,
        about: None,
        on: Some(now.date_naive()),
        dedupe_key: format!("link_issued:{}:{}", account.person.0, now.timestamp_millis()),
    };
    crate::store::notifications::insert(&mut tx, &notice, now).await?;
    tx.commit().await?;
    Ok((purpose, token))
}

/// A self-service request for a new password ("forgot password" on the
/// login page): for an active account with an address, a reset link to
/// send to that address. The caller answers the same whatever comes back
/// and sends the mail without waiting for it, so neither the answer nor
/// its timing says whether the address has an account. Requests per
/// address and per client are bounded; past the per-address bound nothing
/// more is sent (silently), past the per-client bound the answer is 429.
#[tracing::instrument(skip_all)]
pub async fn request_reset(
    db: &Db,
    now: DateTime<Utc>,
    email: &str,
    client: &str,
) -> Result<Option<(TokenPurpose, String, LinkRecipient)>, ServiceError> {
    let policy = LoginPolicy::default();
    let email = email.trim().to_lowercase();
    let client_key = format!("reset-client:{client}");
    let address_key = format!("reset-address:{email}");
    if let Some(retry_after_secs) =
        throttled(db, now, policy.window, &[(client_key.clone(), policy.per_account * 4)]).await?
    {
        return Err(ServiceError::Throttled { retry_after_secs });
    }
    let address_spent = throttled(db, now, policy.window, &[(address_key.clone(), 3)])
        .await?
        .is_some();
    let mut tx = db.begin_write().await?;
    let prune_before = now - policy.window * 4;
    throttle::record_failure(&mut tx, &client_key, now, prune_before).await?;
    throttle::record_failure(&mut tx, &address_key, now, prune_before).await?;
    tx.commit().await?;
    if address_spent {
        return Ok(None);
    }
    let Ok(valid) = Email::parse(&email) else {
        return Ok(None);
    };
    let Some(account) = accounts::find_by_email(db, valid.as_str()).await? else {
        return Ok(None);
    };
    if account.deactivated_at.is_some() {
        return Ok(None);
    }
    let holds_data = account.password_hash.is_some() || accounts::holds_data(db, account.person).await?;
    if holds_data && address_set_by_others(db, &account).await? {
        // Same answer, no mail: the address may be someone else's.
        return Ok(None);
    }
    let purpose = link_purpose(&account);
    let person = people::get(db, account.person).await?;
    let mut tx = db.begin_write().await?;
    let token = issue_link(&mut tx, now, account.person, person.institution, purpose, None).await?;
    tx.commit().await?;
    Ok(Some((
        purpose,
        token,
        LinkRecipient {
            person: account.person,
            name: person.full_name.to_string(),
            email: valid.as_str().to_owned(),
            language: account.language,
        },
    )))
}

/// Who a link by e-mail goes to, and in which language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRecipient {
    pub person: PersonId,
    pub name: String,
    pub email: String,
    pub language: crate::domain::Language,
}

/// Whether the account's address was changed by someone else (coordinator
/// or HR import) after the person last logged in. A link to such an
/// address could reach whoever changed it, so none goes there: the person
/// logs in (or the operator issues a link) first.
pub(crate) async fn address_set_by_others(db: &Db, account: &accounts::Account) -> Result<bool, ServiceError> {
    let changed = people::email_changed_at(db, account.person).await?;
    Ok(changed.is_some_and(|changed| account.last_login_at.is_none_or(|login| changed >= login)))
}
