//! The client: where requests go, how they are authorised, sent and retried.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE};
use reqwest::StatusCode;
use tracing::Instrument;
use url::Url;

use crate::auth::{AccessToken, ClientCredentials, StaticToken, TokenCache, TokenSource};
use crate::config::{self, Settings};
use crate::error::Error;
use crate::request::{Body, Request};
use crate::response::{read_body, BodyError, RawResponse};
use crate::retry::RetryPolicy;

/// Time allowed to open a connection, unless configured otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed for a whole request and response, unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest response body read, unless configured otherwise (100 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 100 << 20;
/// How long before it expires a token is refreshed, unless configured otherwise.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// `User-Agent` sent with every request.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A client for the API. Cheap to clone: clones share one connection pool
/// and one access token.
///
/// Every operation is a method returning a request builder; finish it with
/// `.send().await`. Authentication, token refresh and retries happen inside.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// The API root, e.g. `https://acme.api.identitynow.com/v2024`, without a trailing `/`.
    base_url: String,
    tokens: TokenCache,
    retry: RetryPolicy,
    max_response_bytes: u64,
    experimental: bool,
}

impl Client {
    /// A client for the tenant at `base_url` that sends `token` as its bearer token.
    ///
    /// `base_url` is the tenant's API host (`https://acme.api.identitynow.com`);
    /// the API's path (`/v2024`) is added unless the URL already ends with it.
    pub fn new(base_url: &str, token: impl Into<String>) -> Result<Self, Error> {
        Self::builder().base_url(base_url).token(token).build()
    }

    /// A client configured from the environment, then from the SailPoint
    /// CLI's config file; see [`ClientBuilder::with_env`].
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().with_env()?.build()
    }

    /// A builder for every setting.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The API root requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Whether experimental operations may be sent (see [`ClientBuilder::experimental`]).
    pub fn allows_experimental(&self) -> bool {
        self.inner.experimental
    }

    /// Sends a request, with authentication and retries, and reads the
    /// whole response. A non-2xx status is returned as a response: the
    /// operation decodes it into its typed error.
    pub(crate) async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let operation = request.operation_id;
        let url = self.url(&request)?;
        let mut attempt = 1;
        let mut replayed_after_401 = false;
        loop {
            let token = self.inner.tokens.token().await?;
            let span = tracing::debug_span!(
                "request",
                operation,
                method = %request.method,
                path = %request.path,
                attempt,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let outcome = self.send_once(&request, url.clone(), &token).instrument(span.clone()).await;
            span.record("elapsed_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
            let wait = match &outcome {
                Ok(response) => {
                    span.record("status", response.status.as_u16());
                    if response.status == StatusCode::UNAUTHORIZED
                        && !replayed_after_401
                        && self.inner.tokens.reject(&token).await
                    {
                        replayed_after_401 = true;
                        tracing::debug!(parent: &span, "token rejected: refreshing it and sending again");
                        continue;
                    }
                    self.inner.retry.after_response(&request.method, response.status, &response.headers, attempt)
                }
                Err(Error::Transport { source, .. }) if source.is_connect() => {
                    self.inner.retry.after_connect_error(&request.method, attempt)
                }
                Err(_) => None,
            };
            match wait {
                Some(wait) => {
                    let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                    tracing::info!(parent: &span, wait_ms, "retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                None => return outcome,
            }
        }
    }

    fn url(&self, request: &Request) -> Result<Url, Error> {
        let operation = request.operation_id;
        let mut url = Url::parse(&format!("{}{}", self.inner.base_url, request.path))
            .map_err(|error| Error::InvalidRequest { operation, message: format!("invalid URL: {error}") })?;
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }

    /// One attempt. The body is rebuilt from the request, so a retried
    /// multipart upload sends the whole form again.
    async fn send_once(&self, request: &Request, url: Url, token: &AccessToken) -> Result<RawResponse, Error> {
        let operation = request.operation_id;
        let mut builder = self.inner.http.request(request.method.clone(), url).headers(request.headers.clone());
        builder = builder.header(AUTHORIZATION, bearer(token.secret())?);
        if !request.cookies.is_empty() {
            let cookies: Vec<String> = request.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
            builder = builder.header(COOKIE, cookies.join("; "));
        }
        builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes { content_type, bytes } => {
                builder.header(CONTENT_TYPE, content_type.as_ref()).body(bytes.clone())
            }
            Body::File { content_type, path } => {
                let unreadable = |error: std::io::Error| Error::InvalidRequest {
                    operation,
                    message: format!("cannot read {}: {error}", path.display()),
                };
                let file = tokio::fs::File::open(path).await.map_err(unreadable)?;
                let length = file.metadata().await.map_err(unreadable)?.len();
                builder.header(CONTENT_TYPE, content_type.as_ref()).header(CONTENT_LENGTH, length).body(file)
            }
            Body::Multipart(form) => builder.multipart(form.to_reqwest(operation)?),
        };
        let transport = |source: reqwest::Error| {
            if source.is_timeout() {
                Error::Timeout { operation }
            } else {
                Error::Transport { operation, source }
            }
        };
        let mut response = builder.send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let limit = self.inner.max_response_bytes;
        let body = read_body(&mut response, limit).await.map_err(|error| match error {
            BodyError::TooLarge => Error::ResponseTooLarge { operation, limit },
            BodyError::Transport(source) => transport(source),
        })?;
        Ok(RawResponse { operation_id: operation, status, headers, body })
    }
}

/// The `Authorization` header for a token, marked sensitive so it is never logged.
fn bearer(token: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| Error::Config("the access token contains characters not allowed in a header".to_owned()))?;
    value.set_sensitive(true);
    Ok(value)
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("tokens", &self.inner.tokens)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// How the client authenticates.
#[derive(Clone)]
enum Auth {
    Token(AccessToken),
    ClientCredentials { client_id: String, client_secret: String },
    Source(Arc<dyn TokenSource>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Token(_) => f.write_str("Token(<redacted>)"),
            Auth::ClientCredentials { client_id, .. } => f
                .debug_struct("ClientCredentials")
                .field("client_id", client_id)
                .field("client_secret", &"<redacted>")
                .finish(),
            Auth::Source(source) => f.debug_tuple("Source").field(source).finish(),
        }
    }
}

/// Settings for a [`Client`].
///
/// Precedence, highest first: what is set on the builder, then environment
/// variables, then the SailPoint CLI's config file (see [`with_env`](Self::with_env)).
#[derive(Debug, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    api_root: Option<String>,
    credentials: Option<Auth>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    allow_http: bool,
    retry: Option<RetryPolicy>,
    refresh_margin: Option<Duration>,
    max_response_bytes: Option<u64>,
    tenant: Option<String>,
    experimental: bool,
    /// Where `with_env` looked, for error messages.
    looked_at: Vec<String>,
}

impl ClientBuilder {
    /// The tenant's API host, e.g. `https://acme.api.identitynow.com`
    /// (a URL that already ends with the API's path is accepted as is).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The tenant's name: the base URL becomes the spec's server URL for it
    /// (`https://{tenant}.api.identitynow.com`). An explicit
    /// [`base_url`](Self::base_url) takes precedence.
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = Some(tenant.into());
        self
    }

    /// Allows SailPoint's experimental operations; each then sends
    /// `X-SailPoint-Experimental: true` itself. Without it they fail with
    /// [`Error::Config`] before sending anything.
    pub fn experimental(mut self, allow: bool) -> Self {
        self.experimental = allow;
        self
    }

    /// The URL the operations' paths are appended to, used as is: for a
    /// proxy or mock server that serves the API somewhere other than
    /// `{host}/v2024`. Overrides [`base_url`](Self::base_url).
    pub fn api_root(mut self, api_root: impl Into<String>) -> Self {
        self.api_root = Some(api_root.into());
        self
    }

    /// A bearer token obtained elsewhere, used until the server rejects it.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Auth::Token(AccessToken::new(token, None)));
        self
    }

    /// OAuth2 client credentials (a personal access token's or an API
    /// client's id and secret), exchanged at `{host}/oauth/token` for a
    /// token that is cached and refreshed before it expires.
    pub fn client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.credentials =
            Some(Auth::ClientCredentials { client_id: client_id.into(), client_secret: client_secret.into() });
        self
    }

    /// Tokens from the caller's own source.
    pub fn token_source(mut self, source: impl TokenSource + 'static) -> Self {
        self.credentials = Some(Auth::Source(Arc::new(source)));
        self
    }

    /// How long before it expires a token is refreshed (default 60 s).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = Some(margin);
        self
    }

    /// When and how requests are retried (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The largest response body the client reads (default 100 MiB); a
    /// larger one is [`Error::ResponseTooLarge`] ([`Error::Auth`] for the
    /// token endpoint's answer, which is limited too).
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Time allowed for a whole request and response (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends requests through this `reqwest` client; its own timeouts and
    /// user agent then apply instead of this builder's.
    ///
    /// Build it with `redirect(reqwest::redirect::Policy::none())`, as the
    /// client's own is: `reqwest` follows redirects by default, and a `307`
    /// from the token endpoint would send the client secret to whatever
    /// host it names.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Allows a plain `http://` base URL, for local testing. Without it only
    /// `https://` is accepted, so credentials never travel unencrypted.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Fills what is not set yet from the environment variables
    /// [`SAIL_BASE_URL`](crate::ENV_BASE_URL), [`SAIL_CLIENT_ID`](crate::ENV_CLIENT_ID),
    /// [`SAIL_CLIENT_SECRET`](crate::ENV_CLIENT_SECRET) and
    /// [`SAIL_ACCESS_TOKEN`](crate::ENV_ACCESS_TOKEN) or, when none of them is
    /// set, from the active environment of the SailPoint CLI's config file
    /// `~/.sailpoint/config.yaml` (`activeenvironment`,
    /// `environments.<name>.baseurl`, `.pat.clientid`, `.pat.clientsecret`).
    ///
    /// An access token wins over client credentials. A malformed config file
    /// is an error; a missing one is not.
    pub fn with_env(self) -> Result<Self, Error> {
        let lookup = |name: &str| std::env::var(name).ok();
        let file = config::default_config_file(&lookup);
        self.with_env_from(lookup, file)
    }

    /// [`with_env`](Self::with_env) with the variables read through `lookup`
    /// and the config file at `config_file` (none when `None`).
    pub fn with_env_from(
        mut self,
        lookup: impl Fn(&str) -> Option<String>,
        config_file: Option<PathBuf>,
    ) -> Result<Self, Error> {
        let from_env = config::from_env(&lookup);
        let file_skipped = from_env.is_some().then_some(config_file.as_ref()).flatten().cloned();
        let settings = match from_env {
            Some(settings) => Some(settings),
            None => {
                self.looked_at.push(format!(
                    "the environment variables {}, {}, {}, {} (none set)",
                    config::ENV_BASE_URL,
                    config::ENV_CLIENT_ID,
                    config::ENV_CLIENT_SECRET,
                    config::ENV_ACCESS_TOKEN
                ));
                match &config_file {
                    Some(path) => {
                        let found = config::from_file(path)?;
                        if found.is_none() {
                            self.looked_at.push(format!("{} (not found)", path.display()));
                        }
                        found
                    }
                    None => None,
                }
            }
        };
        if let Some(settings) = settings {
            self.apply(settings)?;
        }
        if let Some(path) = file_skipped {
            // Say why the file's settings were not used, in case they were expected.
            self.looked_at
                .push(format!("{} (not read: it is used only when none of those variables is set)", path.display()));
        }
        Ok(self)
    }

    fn apply(&mut self, settings: Settings) -> Result<(), Error> {
        self.looked_at.push(settings.origin.clone());
        if self.base_url.is_none() {
            self.base_url = settings.base_url;
        }
        if self.credentials.is_some() {
            return Ok(());
        }
        self.credentials = match (settings.access_token, settings.client_id, settings.client_secret) {
            (Some(token), _, _) => Some(Auth::Token(AccessToken::new(token, None))),
            (None, Some(client_id), Some(client_secret)) => Some(Auth::ClientCredentials { client_id, client_secret }),
            (None, Some(_), None) => {
                return Err(Error::Config(format!("a client id is set but no client secret, in {}", settings.origin)));
            }
            (None, None, Some(_)) => {
                return Err(Error::Config(format!("a client secret is set but no client id, in {}", settings.origin)));
            }
            (None, None, None) => None,
        };
        Ok(())
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let looked_at = || {
            let mut places = vec!["the ClientBuilder".to_owned()];
            places.extend(self.looked_at.iter().cloned());
            places.join("; ")
        };
        let from_tenant = self.tenant.as_deref().map(tenant_url).transpose()?;
        let Some(base_url) = self.api_root.as_ref().or(self.base_url.as_ref()).or(from_tenant.as_ref()) else {
            return Err(Error::Config(format!("no base URL was given; looked at {}", looked_at())));
        };
        let Some(credentials) = &self.credentials else {
            return Err(Error::Config(format!(
                "no credentials (an access token or a client id and secret) were given; looked at {}",
                looked_at()
            )));
        };
        let (host_root, api_root) = match &self.api_root {
            Some(exact) => (origin(exact, self.allow_http)?, exact.trim_end_matches('/').to_owned()),
            None => roots(base_url, self.allow_http)?,
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(self.user_agent.unwrap_or_else(|| USER_AGENT.to_owned()))
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                // The API does not redirect; following one could carry credentials elsewhere.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?,
        };
        let max_response_bytes = self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        let source: Arc<dyn TokenSource> = match credentials.clone() {
            Auth::Token(token) => {
                bearer(token.secret())?;
                Arc::new(StaticToken(token))
            }
            Auth::ClientCredentials { client_id, client_secret } => {
                // Form encoding would carry them safely, but a control character
                // (a line break pasted along) is a mistake: refused here, not sent.
                for (what, value) in [("client id", &client_id), ("client secret", &client_secret)] {
                    if value.chars().any(char::is_control) {
                        return Err(Error::Config(format!(
                            "the {what} contains control characters (a line break pasted along?)"
                        )));
                    }
                }
                Arc::new(ClientCredentials {
                    // The token endpoint is on the API host itself: credentials never go elsewhere.
                    token_url: format!("{host_root}/oauth/token"),
                    client_id,
                    client_secret,
                    http: http.clone(),
                    max_response_bytes,
                })
            }
            Auth::Source(source) => source,
        };
        let tokens = TokenCache::new(source, self.refresh_margin.unwrap_or(DEFAULT_REFRESH_MARGIN));
        let retry = self.retry.unwrap_or_default();
        let experimental = self.experimental;
        let inner = Inner { http, base_url: api_root, tokens, retry, max_response_bytes, experimental };
        Ok(Client { inner: Arc::new(inner) })
    }
}

/// The spec's server URL for a tenant.
fn tenant_url(tenant: &str) -> Result<String, Error> {
    let valid = !tenant.is_empty()
        && tenant.len() <= 63
        && tenant.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !tenant.starts_with('-')
        && !tenant.ends_with('-');
    if !valid {
        return Err(Error::Config(format!("tenant {tenant:?} is not a valid host name label")));
    }
    if !crate::SERVER_URL.contains("{tenant}") {
        return Err(Error::Config("this API's server URL has no `{tenant}`; set the base URL instead".to_owned()));
    }
    Ok(crate::SERVER_URL.replace("{tenant}", tenant))
}

/// The host root (`https://acme.api.identitynow.com`) and the API root
/// (`.../v2024`) for a base URL given with or without the API's path.
fn roots(base_url: &str, allow_http: bool) -> Result<(String, String), Error> {
    let url = checked_url(base_url, allow_http)?;
    let given = url.as_str().trim_end_matches('/');
    let host_root = given.strip_suffix(crate::BASE_PATH).unwrap_or(given).to_owned();
    let api_root = format!("{host_root}{}", crate::BASE_PATH);
    Ok((host_root, api_root))
}

/// `scheme://host[:port]` of a URL given as an API root.
fn origin(api_root: &str, allow_http: bool) -> Result<String, Error> {
    let url = checked_url(api_root, allow_http)?;
    Ok(url.origin().ascii_serialization())
}

/// A base URL that is https (or http when allowed), with no credentials,
/// query or fragment.
fn checked_url(base_url: &str, allow_http: bool) -> Result<Url, Error> {
    let shown = shown_url(base_url);
    let url = Url::parse(base_url).map_err(|error| Error::Config(format!("base URL {shown} is not a URL: {error}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => {
            return Err(Error::Config(format!(
                "base URL {shown} is not https; use `allow_http(true)` only for local testing"
            )))
        }
        other => return Err(Error::Config(format!("base URL {shown} has unsupported scheme {other:?}"))),
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(format!("base URL {shown} must not have credentials, a query or a fragment")));
    }
    Ok(url)
}

/// A base URL as error messages quote it: without the user name and
/// password it may carry, which are secrets.
fn shown_url(base_url: &str) -> String {
    match Url::parse(base_url) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            // Both succeed for the URLs that can have credentials.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            format!("{:?} (credentials removed)", url.as_str())
        }
        Ok(_) => format!("{base_url:?}"),
        // Where credentials start and end in a malformed URL is a guess: show none of it.
        Err(_) if base_url.contains('@') => "(not shown, as it may contain credentials)".to_owned(),
        Err(_) => format!("{base_url:?}"),
    }
}
