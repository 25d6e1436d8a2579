//! Logging in with the school account (OpenID Connect): what an admin sets
//! per institution, the claims a provider vouches for, and the rules that
//! decide whose account a login opens.
//!
//! An account is found by the provider's stable subject (`issuer`, `sub`)
//! once linked. Only the very first login matches on a claim the person or
//! the school can change (e-mail address or employee number), and only
//! inside the institution whose button was used.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{FieldErrors, FieldProblem, InstitutionId};

/// Which claim matches a person to an existing account at the first login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MatchBy {
    /// The `email` claim against the person's e-mail address.
    #[default]
    Email,
    /// A claim holding the employee number, against the number HR imported.
    EmployeeNumber,
}

crate::domain::code::stored_as_code!(MatchBy);

impl MatchBy {
    pub fn code(self) -> &'static str {
        match self {
            MatchBy::Email => "email",
            MatchBy::EmployeeNumber => "employee_number",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [MatchBy::Email, MatchBy::EmployeeNumber]
            .into_iter()
            .find(|m| m.code() == code)
    }
}

/// An institution's school login as the admin set it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolLoginSettings {
    pub institution: InstitutionId,
    /// The provider's issuer URL, exactly as its discovery document names it.
    pub issuer: String,
    pub client_id: String,
    /// Where one issuer serves many institutions (SURFconext): the claim
    /// that names the institution, and the value it must have. Empty: none.
    pub institution_claim: String,
    pub institution_value: String,
    pub match_by: MatchBy,
    /// The claim that holds the e-mail address or employee number.
    pub match_claim: String,
    /// Whether people of the institution may still log in with a password.
    pub password_login: bool,
    /// Whether someone the provider vouches for and Houvast does not know
    /// gets an account (without roles) at their first login.
    pub create_accounts: bool,
}

/// The admin's form, as typed. `client_secret` empty keeps the stored one.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolLoginForm {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub institution_claim: String,
    pub institution_value: String,
    pub match_by: String,
    pub match_claim: String,
    pub password_login: bool,
    pub create_accounts: bool,
}

/// Everything but the client secret, which a log line never shows.
impl std::fmt::Debug for SchoolLoginForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchoolLoginForm")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("institution_claim", &self.institution_claim)
            .field("institution_value", &self.institution_value)
            .field("match_by", &self.match_by)
            .field("match_claim", &self.match_claim)
            .field("password_login", &self.password_login)
            .field("create_accounts", &self.create_accounts)
            .finish()
    }
}

impl SchoolLoginForm {
    /// Check the form; `has_secret` says whether a secret is stored already.
    pub fn validate(&self, institution: InstitutionId, has_secret: bool) -> Result<SchoolLoginSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let issuer = self.issuer.trim().trim_end_matches('/').to_owned();
        if issuer.is_empty() {
            errors.add("issuer", FieldProblem::Required);
        } else if !issuer_allowed(&issuer) {
            errors.add("issuer", FieldProblem::Format);
        }
        let client_id = self.client_id.trim().to_owned();
        if client_id.is_empty() {
            errors.add("client_id", FieldProblem::Required);
        } else if client_id.len() > 200 || client_id.chars().any(char::is_control) {
            errors.add("client_id", FieldProblem::Format);
        }
        if self.client_secret.trim().is_empty() && !has_secret {
            errors.add("client_secret", FieldProblem::Required);
        } else if self.client_secret.len() > 500 {
            errors.add("client_secret", FieldProblem::TooLong { max: 500 });
        }
        let institution_claim = self.institution_claim.trim().to_owned();
        let institution_value = self.institution_value.trim().to_owned();
        if !institution_claim.is_empty() && !claim_name_ok(&institution_claim) {
            errors.add("institution_claim", FieldProblem::Format);
        }
        if !institution_claim.is_empty() && institution_value.is_empty() {
            errors.add("institution_value", FieldProblem::Required);
        }
        if institution_claim.is_empty() && !institution_value.is_empty() {
            errors.add("institution_claim", FieldProblem::Required);
        }
        if institution_value.len() > 200 {
            errors.add("institution_value", FieldProblem::TooLong { max: 200 });
        }
        let match_by = MatchBy::from_code(self.match_by.trim());
        if match_by.is_none() {
            errors.add("match_by", FieldProblem::UnknownChoice);
        }
        let match_by = match_by.unwrap_or_default();
        let match_claim = match (self.match_claim.trim(), match_by) {
            ("", MatchBy::Email) => "email".to_owned(),
            ("", MatchBy::EmployeeNumber) => {
                errors.add("match_claim", FieldProblem::Required);
                String::new()
            }
            (name, _) => {
                if !claim_name_ok(name) {
                    errors.add("match_claim", FieldProblem::Format);
                }
                name.to_owned()
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SchoolLoginSettings {
            institution,
            issuer,
            client_id,
            institution_claim,
            institution_value,
            match_by,
            match_claim,
            password_login: self.password_login,
            create_accounts: self.create_accounts,
        })
    }
}

/// An issuer must be an https URL; plain http only on this machine (a
/// provider started by the tests).
fn issuer_allowed(issuer: &str) -> bool {
    let rest = if let Some(rest) = issuer.strip_prefix("https://") {
        rest
    } else if let Some(rest) = issuer.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or("");
        if !matches!(host, "127.0.0.1" | "localhost") {
            return false;
        }
        rest
    } else {
        return false;
    };
    !rest.is_empty() && issuer.len() <= 300 && !issuer.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn claim_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/'))
}

/// What a provider vouched for in a validated ID token.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SchoolClaims {
    /// The stable subject: with the issuer, the account's link.
    pub subject: String,
    /// Every other claim with a text (or number) value, by name.
    pub values: BTreeMap<String, String>,
}

impl std::fmt::Debug for SchoolClaims {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Claims hold names and addresses: only which ones came.
        f.debug_struct("SchoolClaims")
            .field("claims", &self.values.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl SchoolClaims {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// Whether the login came from the institution these settings are for.
    /// Without an institution claim, the provider serves one institution.
    pub fn from_institution(&self, settings: &SchoolLoginSettings) -> bool {
        if settings.institution_claim.is_empty() {
            return true;
        }
        self.get(&settings.institution_claim)
            .is_some_and(|value| value.trim().eq_ignore_ascii_case(settings.institution_value.trim()))
    }

    /// The name for an account made at the first login: the `name` claim,
    /// else given and family name, else the e-mail address.
    pub fn display_name(&self) -> Option<String> {
        if let Some(name) = self.get("name") {
            return Some(name.trim().to_owned());
        }
        let parts: Vec<&str> = ["given_name", "family_name"]
            .iter()
            .filter_map(|c| self.get(c))
            .collect();
        if !parts.is_empty() {
            return Some(parts.join(" "));
        }
        self.get("email").map(|e| e.trim().to_owned())
    }

    /// The value that matches a person at the first login, normalised as
    /// Houvast stores it (e-mail addresses in lower case).
    pub fn match_value(&self, settings: &SchoolLoginSettings) -> Option<String> {
        let value = self.get(&settings.match_claim)?.trim();
        match settings.match_by {
            MatchBy::Email => Some(value.to_lowercase()),
            MatchBy::EmployeeNumber => Some(value.to_owned()),
        }
    }
}

/// A login button on the login page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolLoginButton {
    pub institution: InstitutionId,
    pub name: String,
}

/// Why a school login did not open an account. Shown on the login page in
/// words; never says whose account exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolLoginRefusal {
    /// No Houvast account matches: ask the coordinator.
    Unmatched,
    /// The provider said this person belongs to another institution.
    OtherInstitution,
    /// The account exists but was deactivated.
    Deactivated,
    /// The institution has no school login (any more).
    Unavailable,
    /// The provider could not be reached or answered wrongly.
    Unreachable,
    /// The attempt was cancelled at the provider.
    Cancelled,
    /// The attempt was too old, came back to another browser, or did not
    /// validate (state, nonce, signature, audience, expiry).
    Failed,
    /// Too many failed attempts from this client.
    Throttled,
}

impl SchoolLoginRefusal {
    pub const ALL: [SchoolLoginRefusal; 8] = [
        SchoolLoginRefusal::Unmatched,
        SchoolLoginRefusal::OtherInstitution,
        SchoolLoginRefusal::Deactivated,
        SchoolLoginRefusal::Unavailable,
        SchoolLoginRefusal::Unreachable,
        SchoolLoginRefusal::Cancelled,
        SchoolLoginRefusal::Failed,
        SchoolLoginRefusal::Throttled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SchoolLoginRefusal::Unmatched => "unmatched",
            SchoolLoginRefusal::OtherInstitution => "other_institution",
            SchoolLoginRefusal::Deactivated => "deactivated",
            SchoolLoginRefusal::Unavailable => "unavailable",
            SchoolLoginRefusal::Unreachable => "unreachable",
            SchoolLoginRefusal::Cancelled => "cancelled",
            SchoolLoginRefusal::Failed => "failed",
            SchoolLoginRefusal::Throttled => "throttled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_forms_debug_never_shows_the_client_secret() {
        let form = super::SchoolLoginForm {
            client_secret: "very-secret-value".into(),
            issuer: "https://login.example".into(),
            ..Default::default()
        };
        let shown = format!("{form:?}");
        assert!(shown.contains("https://login.example"));
        assert!(!shown.contains("very-secret-value"));
    }

    use super::*;

    fn form() -> SchoolLoginForm {
        SchoolLoginForm {
            issuer: "https://connect.surfconext.nl/".into(),
            client_id: "houvast.lindenhaghe".into(),
            client_secret: "s3cret".into(),
            institution_claim: "schac_home_organization".into(),
            institution_value: "lindenhaghe.nl".into(),
            match_by: "email".into(),
            match_claim: String::new(),
            password_login: true,
            create_accounts: false,
        }
    }

    #[test]
    fn a_complete_form_is_accepted_and_normalised() {
        let settings = form().validate(InstitutionId(1), false).unwrap();
        assert_eq!(settings.issuer, "https://connect.surfconext.nl");
        assert_eq!(settings.match_claim, "email");
        assert_eq!(settings.match_by, MatchBy::Email);
    }

    #[test]
    fn issuers_must_be_https_except_on_this_machine() {
        for (issuer, ok) in [
            ("http://idp.school.nl", false),
            ("ftp://idp.school.nl", false),
            ("https://", false),
            ("http://127.0.0.1:4000", true),
            ("http://localhost:4000/realm", true),
            ("https://login.microsoftonline.com/tenant/v2.0", true),
        ] {
            let mut f = form();
            f.issuer = issuer.into();
            assert_eq!(f.validate(InstitutionId(1), false).is_ok(), ok, "{issuer}");
        }
    }

    #[test]
    fn a_secret_is_needed_once_and_employee_numbers_need_a_claim() {
        let mut f = form();
        f.client_secret.clear();
        let errors = f.validate(InstitutionId(1), false).unwrap_err().into_vec();
        assert!(errors.iter().any(|e| e.field == "client_secret"));
        assert!(f.validate(InstitutionId(1), true).is_ok());

        let mut f = form();
        f.match_by = "employee_number".into();
        let errors = f.validate(InstitutionId(1), false).unwrap_err().into_vec();
        assert!(errors.iter().any(|e| e.field == "match_claim"));

        let mut f = form();
        f.institution_value.clear();
        let errors = f.validate(InstitutionId(1), false).unwrap_err().into_vec();
        assert!(errors.iter().any(|e| e.field == "institution_value"));
    }

    #[test]
    fn the_institution_claim_decides_which_institution_a_login_is_for() {
        let settings = form().validate(InstitutionId(1), false).unwrap();
        let mut claims = SchoolClaims {
            subject: "abc".into(),
            values: BTreeMap::new(),
        };
        assert!(!claims.from_institution(&settings));
        claims
            .values
            .insert("schac_home_organization".into(), "other.nl".into());
        assert!(!claims.from_institution(&settings));
        claims
            .values
            .insert("schac_home_organization".into(), "Lindenhaghe.nl".into());
        assert!(claims.from_institution(&settings));

        let mut open = settings.clone();
        open.institution_claim.clear();
        assert!(SchoolClaims::default().from_institution(&open));
    }

    #[test]
    fn e_mail_addresses_match_in_lower_case() {
        let settings = form().validate(InstitutionId(1), false).unwrap();
        let claims = SchoolClaims {
            subject: "abc".into(),
            values: [("email".to_owned(), " T.Bos@School.nl ".to_owned())].into(),
        };
        assert_eq!(claims.match_value(&settings).as_deref(), Some("t.bos@school.nl"));
    }

    #[test]
    fn refusal_codes_round_trip() {
        for refusal in SchoolLoginRefusal::ALL {
            assert_eq!(SchoolLoginRefusal::from_code(refusal.code()), Some(refusal));
        }
    }
}
