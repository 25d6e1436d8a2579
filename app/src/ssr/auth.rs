//! Who is logged in: axum-login over tower-sessions, with Houvast's
//! database as the user backend. Every request re-reads the person (roles,
//! deactivation, password) so changes take effect on the next request, and
//! a session whose password fingerprint no longer matches has ended.

use axum_login::{AuthUser, AuthnBackend, UserId};
use chrono::{DateTime, Utc};
use houvast::domain::PersonId;
use houvast::service::Ctx;
use houvast::store::{Db, StoreError};

#[derive(Clone, Debug)]
pub struct Backend {
    db: Db,
}

impl Backend {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

/// The person behind a session.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub ctx: Ctx,
}

impl AuthUser for SessionUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.ctx.person.0
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.ctx.credential_fingerprint
    }
}

#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct BackendError(#[from] StoreError);

impl AuthnBackend for Backend {
    type User = SessionUser;
    /// The person the login service has already verified.
    type Credentials = PersonId;
    type Error = BackendError;

    async fn authenticate(&self, person: PersonId) -> Result<Option<SessionUser>, BackendError> {
        self.get_user(&person.0).await
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SessionUser>, BackendError> {
        Ok(Ctx::load(&self.db, PersonId(*id)).await?.map(|ctx| SessionUser { ctx }))
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;

/// Session key of the moment of login (for the absolute timeout).
pub const LOGGED_IN_AT: &str = "houvast.logged_in_at";

/// The logged-in person of this request, once the session checks passed.
/// Inserted into the request extensions by the server's middleware.
#[derive(Clone, Debug, Default)]
pub struct CurrentUser(pub Option<Ctx>);

/// Session lifetime settings.
#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    pub idle: chrono::Duration,
    pub absolute: chrono::Duration,
    /// A session in use is saved (its idle expiry pushed back) at most this
    /// often, not on every request: a page view writes nothing.
    pub renew_after: chrono::Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: chrono::Duration::minutes(30),
            absolute: chrono::Duration::hours(12),
            renew_after: chrono::Duration::minutes(1),
        }
    }
}

/// Whether a session that logged in at `logged_in_at` has outlived the policy.
pub fn past_absolute_timeout(policy: SessionPolicy, logged_in_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    logged_in_at.is_none_or(|at| now - at >= policy.absolute)
}
