//! `Ctx`: who is asking. Built from the session on every request, from the
//! database, so a changed role or a deactivation takes effect at once.

use sha2::{Digest, Sha256};

use crate::domain::{AuditAction, AuditEventForCreate};
use crate::domain::{InstitutionId, Language, Membership, PersonId, Role, TeamId, Viewer};
use crate::store::{Db, StoreError, Tx, accounts};

use super::ServiceError;

/// Ids and roles only: a context in a log line never shows the person's
/// name, address or credential fingerprint.
impl std::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("person", &self.person)
            .field("institution", &self.institution)
            .field("roles", &self.roles())
            .finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct Ctx {
    pub person: PersonId,
    pub name: String,
    pub email: String,
    pub institution: Option<InstitutionId>,
    pub institution_name: Option<String>,
    pub memberships: Vec<Membership>,
    pub language: Language,
    /// Changes whenever the password changes: sessions bound to an older
    /// value end (used as the session's authentication hash).
    pub credential_fingerprint: Vec<u8>,
    /// Unread notifications when the request began (for the menu).
    pub unread_notifications: u32,
}

impl Ctx {
    /// The context of an active account, or `None` when the person cannot be
    /// logged in (unknown, never activated, deactivated, no password).
    #[tracing::instrument(skip_all, fields(person = person.0))]
    pub async fn load(db: &Db, person: PersonId) -> Result<Option<Ctx>, StoreError> {
        let Some(found) = accounts::session_person(db, person).await? else {
            return Ok(None);
        };
        let account = found.account;
        if account.deactivated_at.is_some() {
            return Ok(None);
        }
        // Without a password, only a linked school account logs in; its
        // sessions last until a password is set.
        let credential = match account.password_hash.as_deref() {
            Some(hash) => hash.to_owned(),
            None if crate::store::school_login::has_any_link(db, person).await? => "school-account".to_owned(),
            None => return Ok(None),
        };
        Ok(Some(Ctx {
            person,
            name: found.full_name,
            email: found.email.unwrap_or_default(),
            institution: found.institution,
            institution_name: found.institution_name,
            memberships: found.memberships,
            language: account.language,
            credential_fingerprint: Sha256::digest(credential.as_bytes()).to_vec(),
            unread_notifications: found.unread_notifications,
        }))
    }

    pub fn roles(&self) -> Vec<Role> {
        let mut roles: Vec<Role> = self.memberships.iter().map(|m| m.role).collect();
        roles.sort();
        roles.dedup();
        roles
    }

    /// `person` with no roles at all: what is built for it offers no
    /// changes (the copy of someone's data).
    pub(crate) fn without_roles(person: PersonId) -> Ctx {
        Ctx {
            person,
            name: String::new(),
            email: String::new(),
            institution: None,
            institution_name: None,
            memberships: Vec::new(),
            language: Default::default(),
            credential_fingerprint: Vec::new(),
            unread_notifications: 0,
        }
    }

    /// Append an audit event with this person as the actor, inside the
    /// caller's transaction (so it commits or rolls back with the change).
    pub(crate) async fn audit(
        &self,
        tx: &mut Tx,
        now: chrono::DateTime<chrono::Utc>,
        institution: impl Into<Option<InstitutionId>>,
        subject: Option<PersonId>,
        action: AuditAction,
        details: serde_json::Value,
    ) -> Result<(), ServiceError> {
        let event = AuditEventForCreate {
            occurred_at: now,
            actor: Some(self.person),
            institution: institution.into(),
            subject,
            action,
            details,
        };
        crate::store::audit::append(tx, &event).await?;
        Ok(())
    }

    pub fn has(&self, role: Role) -> bool {
        self.memberships.iter().any(|m| m.role == role)
    }

    /// Teams in which the person holds `role`.
    pub fn teams_as(&self, role: Role) -> Vec<TeamId> {
        self.memberships
            .iter()
            .filter(|m| m.role == role)
            .filter_map(|m| m.team)
            .collect()
    }

    /// What the UI may know about this person.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            person: self.person,
            name: self.name.clone(),
            email: self.email.clone(),
            institution: self.institution,
            institution_name: self.institution_name.clone(),
            roles: self.roles(),
            language: self.language,
            unread_notifications: self.unread_notifications,
        }
    }
}
