//! `GET /login/school/{institution}` and `GET /login/school/callback`:
//! logging in with the school account through the institution's OpenID
//! Connect provider (SURFconext, Microsoft Entra ID).
//!
//! Authorization code flow with PKCE, `state` and `nonce`, done by the
//! `openidconnect` crate: discovery, code exchange, and ID-token validation
//! (signature against the provider's keys, issuer, audience, expiry, nonce).
//! The callback arrives as a cross-site navigation, so the attempt (state,
//! nonce, PKCE verifier, institution, where to go next) travels in a
//! short-lived `SameSite=Lax` cookie of its own, sealed with the server's
//! key; the session cookie stays `Strict`. For the same reason the callback
//! answers with a page that moves on by itself: a redirect would still count
//! as cross-site and the browser would leave the new session cookie out.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::Extension;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use houvast::domain::InstitutionId;
use houvast::domain::school_login::{SchoolClaims, SchoolLoginRefusal, SchoolLoginSettings};
use houvast::service::school_login::{self as service, ProviderLogin, SecretKey};
use houvast_app::ssr::auth::{AuthSession, LOGGED_IN_AT};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IdToken, IdTokenVerifier, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use serde::{Deserialize, Serialize};

use crate::state::AppState;

/// Where the provider sends people back to, under the public URL.
pub const CALLBACK_PATH: &str = "/login/school/callback";
const ATTEMPT_COOKIE: &str = "houvast_school_login";
const ATTEMPT_PURPOSE: &str = "school-login-attempt";
/// How long an attempt may take at the provider.
const ATTEMPT_SECONDS: i64 = 600;
/// How long a provider's discovery document and keys are reused.
const DISCOVERY_TTL: Duration = Duration::from_secs(600);

/// Claims beyond the standard ones (`schac_home_organization`, an employee
/// number): kept by name, read only after the token validated.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    pub claims: HashMap<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

pub type SchoolIdToken =
    IdToken<OtherClaims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

pub type SchoolClient =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// The HTTP client for providers (no redirects followed: a provider that
/// redirects its token endpoint is refused) and the discovery cache.
pub struct Providers {
    http: reqwest::Client,
    cache: Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>,
}

impl Default for Providers {
    fn default() -> Self {
        Self::new()
    }
}

impl Providers {
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("a plain HTTP client builds");
        Self {
            http,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The provider's discovery document and signing keys (cached).
    pub async fn metadata(&self, issuer: &str) -> Result<CoreProviderMetadata, String> {
        if let Some((fetched, metadata)) = self.cache.lock().expect("cache lock").get(issuer)
            && fetched.elapsed() < DISCOVERY_TTL
        {
            return Ok(metadata.clone());
        }
        let url = IssuerUrl::new(issuer.to_owned()).map_err(|e| format!("issuer URL: {e}"))?;
        let metadata = CoreProviderMetadata::discover_async(url, &self.http)
            .await
            .map_err(|e| format!("discovery: {e}"))?;
        self.cache
            .lock()
            .expect("cache lock")
            .insert(issuer.to_owned(), (Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    /// A client for the institution's provider, with Houvast's callback.
    pub async fn client(&self, login: &ProviderLogin, public_url: &str) -> Result<SchoolClient, String> {
        let metadata = self.metadata(&login.settings.issuer).await?;
        let redirect =
            RedirectUrl::new(format!("{public_url}{CALLBACK_PATH}")).map_err(|e| format!("redirect URL: {e}"))?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(login.settings.client_id.clone()),
            Some(ClientSecret::new(login.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }

    /// Exchange the code (with the PKCE verifier) and validate the ID token.
    pub async fn finish(
        &self,
        client: &SchoolClient,
        code: &str,
        verifier: &str,
        nonce: &str,
        now: DateTime<Utc>,
    ) -> Result<SchoolClaims, String> {
        let raw = self.exchange(client, code, verifier).await?;
        validate(&raw, &client.id_token_verifier(), nonce, now)
    }

    /// Exchange the code (with the PKCE verifier) for the raw ID token.
    pub async fn exchange(&self, client: &SchoolClient, code: &str, verifier: &str) -> Result<String, String> {
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| format!("token endpoint: {e}"))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|e| format!("code exchange: {e}"))?;
        let token = response.id_token().ok_or("no ID token in the answer")?;
        Ok(token.to_string())
    }
}

/// Validate an ID token (signature, issuer, audience, expiry at `now`,
/// nonce) and read its claims.
pub fn validate(
    raw: &str,
    verifier: &IdTokenVerifier<'_, openidconnect::core::CoreJsonWebKey>,
    nonce: &str,
    now: DateTime<Utc>,
) -> Result<SchoolClaims, String> {
    let token: SchoolIdToken = raw.parse().map_err(|e| format!("ID token: {e}"))?;
    let verifier = verifier.clone().set_time_fn(move || now);
    let claims = token
        .claims(&verifier, &Nonce::new(nonce.to_owned()))
        .map_err(|e| format!("ID token: {e}"))?;
    let mut values = BTreeMap::new();
    for (name, value) in &claims.additional_claims().claims {
        let text = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => continue,
        };
        values.insert(name.clone(), text);
    }
    // An address the provider says it has not verified matches nobody.
    if let Some(email) = claims.email()
        && claims.email_verified() != Some(false)
    {
        values.insert("email".to_owned(), email.as_str().to_owned());
    }
    if let Some(username) = claims.preferred_username() {
        values.insert("preferred_username".to_owned(), username.as_str().to_owned());
    }
    Ok(SchoolClaims {
        subject: claims.subject().as_str().to_owned(),
        values,
    })
}

/// The login attempt, sealed into its cookie.
#[derive(Debug, Serialize, Deserialize)]
struct Attempt {
    institution: i64,
    state: String,
    nonce: String,
    verifier: String,
    next: String,
    expires: i64,
}

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// Send the browser to the institution's provider.
pub async fn start(
    State(state): State<AppState>,
    Path(institution): Path<i64>,
    Query(query): Query<StartQuery>,
) -> Response {
    let app = &state.app;
    let institution = InstitutionId(institution);
    let Some(key) = app.secret_key.as_ref() else {
        return back_to_login(SchoolLoginRefusal::Unavailable);
    };
    let login = match service::provider_login(&app.db, Some(key), institution).await {
        Ok(Some(login)) => login,
        Ok(None) => return back_to_login(SchoolLoginRefusal::Unavailable),
        Err(err) => return internal(&err),
    };
    let client = match state.providers.client(&login, &app.public_url).await {
        Ok(client) => client,
        Err(err) => {
            tracing::warn!(institution = institution.0, error = %err, "school login provider unreachable");
            return back_to_login(SchoolLoginRefusal::Unreachable);
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".to_owned()))
        .add_scope(Scope::new("profile".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let attempt = Attempt {
        institution: institution.0,
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        next: houvast_app::paths::local_path(query.next.as_deref()),
        expires: app.now().timestamp() + ATTEMPT_SECONDS,
    };
    let sealed = key.seal(
        ATTEMPT_PURPOSE,
        &serde_json::to_vec(&attempt).expect("an attempt serialises"),
    );
    let mut response = Redirect::to(url.as_str()).into_response();
    set_attempt_cookie(&mut response, &sealed, ATTEMPT_SECONDS, state.http.is_https());
    response
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The provider sends the browser back here with a code (or an error).
pub async fn callback(
    State(state): State<AppState>,
    Query(query): Query<CallbackQuery>,
    Extension(mut session): Extension<AuthSession>,
    request: Request,
) -> Response {
    let app = &state.app;
    let now = app.now();
    let client_address = crate::access::client_of(&request, app.trust_forwarded_for);
    let https = state.http.is_https();
    let attempt = app
        .secret_key
        .as_ref()
        .zip(cookie(request.headers(), ATTEMPT_COOKIE))
        .and_then(|(key, sealed)| key.open(ATTEMPT_PURPOSE, &sealed))
        .and_then(|bytes| serde_json::from_slice::<Attempt>(&bytes).ok())
        .filter(|attempt| attempt.expires >= now.timestamp());
    let outcome = match attempt {
        None => Err((None, SchoolLoginRefusal::Failed, "no (valid) attempt cookie".to_owned())),
        Some(attempt) => finish(&state, &attempt, &query, now, &client_address)
            .await
            .map(|person| (person, attempt.next)),
    };
    let mut response = match outcome {
        Ok((logged_in, next)) => match open_session(&mut session, logged_in.person, now).await {
            Ok(language) => {
                let mut response = continue_page(&next);
                append_cookie(&mut response, &device_cookie(&logged_in.device, https));
                append_cookie(&mut response, &language_cookie(language, https));
                response
            }
            Err(err) => internal(&err),
        },
        Err((institution, refusal, why)) => {
            tracing::info!(reason = refusal.code(), detail = %why, "school login refused");
            if refusal == SchoolLoginRefusal::Failed || refusal == SchoolLoginRefusal::Cancelled {
                let record = service::refused(
                    &app.db,
                    now,
                    app.login_policy,
                    institution,
                    None,
                    &client_address,
                    refusal,
                );
                if let Err(err) = record.await {
                    return internal(&err);
                }
            }
            back_to_login(refusal)
        }
    };
    set_attempt_cookie(&mut response, "", 0, https);
    response
}

type Refused = (Option<InstitutionId>, SchoolLoginRefusal, String);

async fn finish(
    state: &AppState,
    attempt: &Attempt,
    query: &CallbackQuery,
    now: DateTime<Utc>,
    client_address: &str,
) -> Result<houvast::service::auth::LoggedIn, Refused> {
    let app = &state.app;
    let institution = InstitutionId(attempt.institution);
    let failed = |why: String| (Some(institution), SchoolLoginRefusal::Failed, why);
    if let Some(error) = &query.error {
        return Err((
            Some(institution),
            SchoolLoginRefusal::Cancelled,
            format!("provider: {error}"),
        ));
    }
    if query.state.as_deref() != Some(attempt.state.as_str()) {
        return Err(failed("state differs from the attempt".into()));
    }
    let code = query.code.as_deref().ok_or_else(|| failed("no code".into()))?;
    match service::throttle_wait(&app.db, now, app.login_policy, client_address).await {
        Ok(None) => {}
        Ok(Some(_)) => return Err((Some(institution), SchoolLoginRefusal::Throttled, "throttled".into())),
        Err(err) => return Err(failed(err.to_string())),
    }
    let login = match service::provider_login(&app.db, app.secret_key.as_ref(), institution).await {
        Ok(Some(login)) => login,
        Ok(None) => {
            return Err((
                Some(institution),
                SchoolLoginRefusal::Unavailable,
                "no school login".into(),
            ));
        }
        Err(err) => return Err(failed(err.to_string())),
    };
    let client = state
        .providers
        .client(&login, &app.public_url)
        .await
        .map_err(|e| (Some(institution), SchoolLoginRefusal::Unreachable, e))?;
    let claims = state
        .providers
        .finish(&client, code, &attempt.verifier, &attempt.nonce, now)
        .await
        .map_err(failed)?;
    sign_in(state, &login.settings, &claims, now, client_address).await
}

async fn sign_in(
    state: &AppState,
    settings: &SchoolLoginSettings,
    claims: &SchoolClaims,
    now: DateTime<Utc>,
    client_address: &str,
) -> Result<houvast::service::auth::LoggedIn, Refused> {
    let app = &state.app;
    match service::sign_in(&app.db, now, app.login_policy, settings, claims, client_address).await {
        Ok(Ok(logged_in)) => Ok(logged_in),
        Ok(Err(refusal)) => Err((
            Some(settings.institution),
            refusal,
            "refused by the sign-in rules".into(),
        )),
        Err(err) => Err((Some(settings.institution), SchoolLoginRefusal::Failed, err.to_string())),
    }
}

/// Log the person in: a new session id, as with a password.
async fn open_session(
    session: &mut AuthSession,
    person: houvast::domain::PersonId,
    now: DateTime<Utc>,
) -> Result<houvast::domain::Language, String> {
    use axum_login::AuthnBackend;
    if session.user.is_some() {
        session.logout().await.map_err(|e| e.to_string())?;
    }
    session.session.cycle_id().await.map_err(|e| e.to_string())?;
    let user = session
        .backend
        .authenticate(person)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the signed-in person has no usable account")?;
    let language = user.ctx.language;
    session.login(&user).await.map_err(|e| e.to_string())?;
    session
        .session
        .insert(LOGGED_IN_AT, now.timestamp())
        .await
        .map_err(|e| e.to_string())?;
    Ok(language)
}

fn back_to_login(refusal: SchoolLoginRefusal) -> Response {
    Redirect::to(&format!("/login?school={}", refusal.code())).into_response()
}

fn internal(err: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %err, "school login failed");
    back_to_login(SchoolLoginRefusal::Failed)
}

/// A page that moves on to `next` by itself (a same-site navigation, so the
/// browser sends the new `Strict` session cookie), with a link for anyone
/// whose browser does not.
fn continue_page(next: &str) -> Response {
    let next = html_escape(next);
    let body = format!(
        "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"refresh\" content=\"0;url={next}\"><title>Houvast</title></head>\
         <body><main><p><a href=\"{next}\">Verder naar Houvast · Continue to Houvast</a></p></main></body></html>"
    );
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_owned())
}

fn set_attempt_cookie(response: &mut Response, value: &str, max_age: i64, https: bool) {
    let cookie = format!(
        "{ATTEMPT_COOKIE}={value}; Path=/login/school; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if https { "; Secure" } else { "" }
    );
    append_cookie(response, &cookie);
}

fn device_cookie(token: &str, https: bool) -> String {
    format!(
        "{}={token}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict{}",
        houvast_app::ssr::DEVICE_COOKIE,
        if https { "; Secure" } else { "" }
    )
}

fn language_cookie(language: houvast::domain::Language, https: bool) -> String {
    format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        houvast_app::LOCALE_COOKIE,
        language.code(),
        if https { "; Secure" } else { "" }
    )
}

fn append_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The key from `HOUVAST_SECRET_KEY`, if set (checked at start).
pub fn secret_key_from_env(value: Option<&str>) -> anyhow::Result<Option<SecretKey>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => SecretKey::from_base64(text).map(Some).map_err(anyhow::Error::msg),
    }
}
