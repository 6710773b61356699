//! Access tokens: where they come from, and the one cached token that every
//! request of a client shares.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;
use reqwest::StatusCode;
use tokio::sync::Mutex;

use crate::error::{excerpt, AuthError, Error};
use crate::response::{read_body, BodyError};

/// A security scheme the API declares, as a generated crate's `SECURITY_SCHEMES` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its name in the spec.
    pub name: &'static str,
    /// How a request carries it.
    pub kind: SchemeKind,
}

/// How a request carries the credentials of a scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemeKind {
    /// OAuth2 client credentials: a bearer token fetched at the token URL
    /// (or one given as is, or from a [`TokenSource`]).
    ClientCredentials {
        /// Where tokens are fetched.
        token_url: TokenUrl,
    },
    /// A bearer token given as is or by a [`TokenSource`].
    Bearer,
    /// HTTP basic authentication: a user name and a password.
    Basic,
    /// An API key.
    ApiKey {
        /// Where it goes.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: &'static str,
    },
}

impl SchemeKind {
    /// Whether the scheme sends a bearer token.
    pub fn uses_token(&self) -> bool {
        matches!(self, SchemeKind::ClientCredentials { .. } | SchemeKind::Bearer)
    }
}

/// Where the OAuth2 token endpoint is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUrl {
    /// This path on the API's own host (the spec's token URL names the
    /// server's host, with example values for its variables, or no host).
    OnApiHost(&'static str),
    /// This URL, as the spec writes it.
    Fixed(&'static str),
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter: the spec puts the key in the URL.
    Query,
    /// A cookie.
    Cookie,
}

/// One alternative of an operation's security requirements: the indexes in
/// the API's security schemes of the schemes it needs
/// together. An empty one needs no credentials.
pub type Requirement = &'static [usize];

/// A secret the client sends (a password, an API key); `Debug` never shows it.
#[derive(Clone)]
pub struct Secret(Arc<str>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Arc::from(value.into()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The secret as a header value marked sensitive, so it is never logged.
    pub fn header_value(&self, what: &str) -> Result<HeaderValue, Error> {
        let mut value = HeaderValue::from_str(&self.0)
            .map_err(|_| Error::Config(format!("the {what} contains characters not allowed in a header")))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// HTTP basic credentials.
#[derive(Clone)]
pub struct Basic {
    pub username: String,
    pub password: Secret,
}

impl fmt::Debug for Basic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Basic").field("username", &self.username).field("password", &self.password).finish()
    }
}

/// An access token and how long it stays valid.
#[derive(Clone)]
pub struct AccessToken {
    value: Arc<str>,
    expires_in: Option<Duration>,
}

impl AccessToken {
    /// A token valid for `expires_in` from now, or until rejected when `None`.
    pub fn new(value: impl Into<String>, expires_in: Option<Duration>) -> Self {
        Self { value: Arc::from(value.into()), expires_in }
    }

    /// The token itself, to put in an `Authorization` header.
    pub fn secret(&self) -> &str {
        &self.value
    }

    /// How long the token stays valid, when known.
    pub fn expires_in(&self) -> Option<Duration> {
        self.expires_in
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken").field("value", &"<redacted>").field("expires_in", &self.expires_in).finish()
    }
}

/// The future a [`TokenSource`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + 'a>>;

/// Where access tokens come from. The client calls [`fetch_token`](Self::fetch_token)
/// when it has no token, when its token is about to expire, and once after
/// the server rejects a token with 401; concurrent requests share one call.
///
/// Implement it to plug in tokens from elsewhere (a secrets manager, another
/// OAuth2 flow); `Debug` must not show secrets.
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// Fetches a fresh token.
    fn fetch_token(&self) -> TokenFuture<'_>;

    /// Whether fetching again can give a different token, so a 401 is worth
    /// one refresh and replay. `true` unless overridden.
    fn can_refresh(&self) -> bool {
        true
    }
}

/// A token obtained elsewhere, used until the server rejects it.
pub struct StaticToken(pub AccessToken);

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenSource for StaticToken {
    fn fetch_token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }

    fn can_refresh(&self) -> bool {
        false
    }
}

/// OAuth2 client credentials against the tenant's `/oauth/token`.
pub struct ClientCredentials {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub http: reqwest::Client,
    /// The largest token response read, as for the API's responses.
    pub max_response_bytes: u64,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<u64>,
}

impl TokenSource for ClientCredentials {
    fn fetch_token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let form = [
                ("grant_type", "client_credentials"),
                ("client_id", self.client_id.as_str()),
                ("client_secret", self.client_secret.as_str()),
            ];
            let failed = |status: Option<StatusCode>, body: String, message: String| {
                Error::Auth(Box::new(AuthError { status, body, message }))
            };
            let mut response = self.http.post(&self.token_url).form(&form).send().await.map_err(|error| {
                let message = format!("cannot reach the token endpoint {}: {error}", self.token_url);
                failed(None, String::new(), message)
            })?;
            let status = response.status();
            let limit = self.max_response_bytes;
            let body = read_body(&mut response, limit).await.map_err(|error| match error {
                BodyError::TooLarge => failed(
                    Some(status),
                    String::new(),
                    format!("the token response is larger than the limit of {limit} bytes"),
                ),
                BodyError::Transport(error) => {
                    failed(Some(status), String::new(), format!("reading the token response failed: {error}"))
                }
            })?;
            let text = excerpt(&String::from_utf8_lossy(&body));
            if !status.is_success() {
                return Err(failed(Some(status), text, format!("the token endpoint {} refused", self.token_url)));
            }
            let token: TokenResponse = serde_json::from_slice(&body).map_err(|error| {
                failed(Some(status), String::new(), format!("the token response is not an OAuth2 token: {error}"))
            })?;
            Ok(AccessToken::new(token.access_token, token.expires_in.map(Duration::from_secs)))
        })
    }
}

/// One token shared by all requests of a client, refreshed `margin` before
/// it expires. Holding the lock while fetching makes the refresh
/// single-flight: requests that arrive meanwhile wait for its result.
pub struct TokenCache {
    source: Arc<dyn TokenSource>,
    margin: Duration,
    current: Mutex<Option<Cached>>,
}

struct Cached {
    token: AccessToken,
    refresh_at: Option<Instant>,
}

impl TokenCache {
    pub fn new(source: Arc<dyn TokenSource>, margin: Duration) -> Self {
        Self { source, margin, current: Mutex::new(None) }
    }

    /// A valid token, fetched only when none is cached or it is about to expire.
    pub async fn token(&self) -> Result<AccessToken, Error> {
        let mut current = self.current.lock().await;
        if let Some(cached) = current.as_ref() {
            if cached.refresh_at.is_none_or(|at| Instant::now() < at) {
                return Ok(cached.token.clone());
            }
        }
        let token = self.source.fetch_token().await?;
        // A lifetime too long for an `Instant` (`expires_in` near `u64::MAX`) never needs a refresh.
        let refresh_at =
            token.expires_in.and_then(|lifetime| Instant::now().checked_add(lifetime.saturating_sub(self.margin)));
        *current = Some(Cached { token: token.clone(), refresh_at });
        Ok(token)
    }

    /// Forgets `rejected` if it is still the cached token, so the next call
    /// fetches a new one. Returns whether a refresh can help.
    pub async fn reject(&self, rejected: &AccessToken) -> bool {
        if !self.source.can_refresh() {
            return false;
        }
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|cached| Arc::ptr_eq(&cached.token.value, &rejected.value)) {
            *current = None;
        }
        true
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache").field("source", &self.source).field("margin", &self.margin).finish_non_exhaustive()
    }
}

/// The `Authorization` header for a token, marked sensitive so it is never logged.
pub(crate) fn bearer(token: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| Error::Config("the access token contains characters not allowed in a header".to_owned()))?;
    value.set_sensitive(true);
    Ok(value)
}
