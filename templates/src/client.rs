//! The client: where requests go, how they are authorised, sent and retried.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE};
use reqwest::StatusCode;
use tracing::Instrument;
use url::Url;

use crate::auth::{AccessToken, ApiKeyLocation, Basic, ClientCredentials, Requirement, SchemeKind, Secret};
use crate::auth::{SecurityScheme, StaticToken, TokenCache, TokenSource, TokenUrl};
use crate::config::{self, Settings};
use crate::error::Error;
use crate::request::{Body, Request};
use crate::response::{read_body, BodyError, RawResponse, Response, ResponseFuture};
use crate::retry::{Pause, RetryPolicy};

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
    credentials: Credentials,
    retry: RetryPolicy,
    /// The wait the last 429 asked for, shared by every request.
    pause: Pause,
    max_response_bytes: u64,
    experimental: bool,
}

/// The credentials configured, by kind; an operation uses those its
/// security requirements name.
#[derive(Debug)]
struct Credentials {
    /// The bearer token of OAuth2 and `http` `bearer` schemes.
    tokens: Option<TokenCache>,
    basic: Option<Basic>,
    /// API keys by scheme name.
    api_keys: BTreeMap<&'static str, Secret>,
}

impl Credentials {
    fn has(&self, scheme: &SecurityScheme) -> bool {
        match scheme.kind {
            SchemeKind::ClientCredentials { .. } | SchemeKind::Bearer => self.tokens.is_some(),
            SchemeKind::Basic => self.basic.is_some(),
            SchemeKind::ApiKey { .. } => self.api_keys.contains_key(scheme.name),
        }
    }

    fn any(&self) -> bool {
        self.tokens.is_some() || self.basic.is_some() || !self.api_keys.is_empty()
    }
}

/// The schemes a request uses: the first alternative of its requirements
/// whose credentials are all configured; none when it needs none.
fn chosen_schemes(
    credentials: &Credentials,
    operation: &'static str,
    requirements: &'static [Requirement],
) -> Result<Requirement, Error> {
    let schemes = crate::SECURITY_SCHEMES;
    let configured = |requirement: &&Requirement| {
        !requirement.is_empty() && requirement.iter().all(|&index| credentials.has(&schemes[index]))
    };
    if let Some(found) = requirements.iter().find(configured) {
        return Ok(found);
    }
    if requirements.is_empty() || requirements.iter().any(|requirement| requirement.is_empty()) {
        return Ok(&[]);
    }
    let wanted: Vec<String> = requirements
        .iter()
        .map(|requirement| requirement.iter().map(|&index| schemes[index].name).collect::<Vec<_>>().join(" and "))
        .collect();
    Err(Error::Config(format!(
        "operation {operation} needs credentials for {}, and none are configured",
        wanted.join(", or ")
    )))
}

impl Client {
    /// A client configured from the environment, then from configuration
    /// files; see [`ClientBuilder::with_env`].
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
        let requirements = request.security.unwrap_or(crate::SECURITY);
        let schemes = chosen_schemes(&self.inner.credentials, operation, requirements)?;
        // A token is fetched only for a request that sends one.
        let tokens = self.inner.credentials.tokens.as_ref();
        let tokens = tokens.filter(|_| schemes.iter().any(|&index| crate::SECURITY_SCHEMES[index].kind.uses_token()));
        let mut attempt = 1;
        let mut replayed_after_401 = false;
        loop {
            self.inner.pause.wait().await;
            let token = match tokens {
                Some(tokens) => Some(tokens.token().await?),
                None => None,
            };
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
            let outcome = self.send_once(&request, url.clone(), schemes, token.as_ref()).instrument(span.clone()).await;
            span.record("elapsed_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
            let wait = match &outcome {
                Ok(response) => {
                    span.record("status", response.status.as_u16());
                    if let (Some(tokens), Some(token)) = (tokens, &token) {
                        if response.status == StatusCode::UNAUTHORIZED
                            && !replayed_after_401
                            && tokens.reject(token).await
                        {
                            replayed_after_401 = true;
                            tracing::debug!(parent: &span, "token rejected: refreshing it and sending again");
                            continue;
                        }
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
                    match &outcome {
                        // The server is rate limiting: every request waits, this one at the top of the loop.
                        Ok(response) if response.status == StatusCode::TOO_MANY_REQUESTS => {
                            self.inner.pause.extend(wait)
                        }
                        _ => tokio::time::sleep(wait).await,
                    }
                    attempt += 1;
                }
                None => return outcome,
            }
        }
    }

    /// Sends an operation's request, once built, and decodes its response
    /// with `decode`. Operations call this rather than being `async`
    /// themselves: one generic future here costs the compiler far less than
    /// one per operation.
    pub(crate) fn dispatch<T: Send + 'static>(
        self,
        request: Result<Request, Error>,
        decode: fn(RawResponse) -> Result<Response<T>, Error>,
    ) -> ResponseFuture<T> {
        Box::pin(async move { decode(self.execute(request?).await?) })
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
    async fn send_once(
        &self,
        request: &Request,
        mut url: Url,
        schemes: Requirement,
        token: Option<&AccessToken>,
    ) -> Result<RawResponse, Error> {
        let operation = request.operation_id;
        let mut headers = request.headers.clone();
        let mut cookies: Vec<String> = request.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
        let mut basic = None;
        // An API key in the query makes the URL a secret: errors then leave it out.
        let mut secret_url = false;
        for &index in schemes {
            let scheme = &crate::SECURITY_SCHEMES[index];
            match scheme.kind {
                SchemeKind::ClientCredentials { .. } | SchemeKind::Bearer => {
                    if let Some(token) = token {
                        headers.insert(AUTHORIZATION, bearer(token.secret())?);
                    }
                }
                SchemeKind::Basic => basic = self.inner.credentials.basic.as_ref(),
                SchemeKind::ApiKey { location, name } => {
                    let Some(key) = self.inner.credentials.api_keys.get(scheme.name) else { continue };
                    match location {
                        ApiKeyLocation::Header => {
                            let name = HeaderName::try_from(name).map_err(|_| {
                                Error::Config(format!("the API key header name {name:?} is not a valid header name"))
                            })?;
                            headers.insert(name, key.header_value("API key")?);
                        }
                        ApiKeyLocation::Query => {
                            url.query_pairs_mut().append_pair(name, key.expose());
                            secret_url = true;
                        }
                        ApiKeyLocation::Cookie => cookies.push(format!("{name}={}", key.expose())),
                    }
                }
            }
        }
        if !cookies.is_empty() {
            let mut value = HeaderValue::from_str(&cookies.join("; ")).map_err(|_| Error::InvalidRequest {
                operation,
                message: "a cookie value contains characters not allowed in a header".to_owned(),
            })?;
            // An API key may be one of them.
            value.set_sensitive(true);
            headers.insert(COOKIE, value);
        }
        let mut builder = self.inner.http.request(request.method.clone(), url).headers(headers);
        if let Some(basic) = basic {
            // `reqwest` marks the header sensitive, so it is never logged.
            builder = builder.basic_auth(&basic.username, Some(basic.password.expose()));
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
            let source = if secret_url { source.without_url() } else { source };
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
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// The bearer token credentials a client was given.
#[derive(Clone)]
pub(crate) enum Auth {
    Token(AccessToken),
    ClientCredentials {
        client_id: String,
        client_secret: String,
    },
    #[allow(dead_code, reason = "set only by crates whose spec has bearer token schemes")]
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
/// variables, then configuration files (see [`with_env`](Self::with_env)).
/// The methods for credentials and server variables are those the API's
/// spec declares.
#[derive(Debug, Default)]
pub struct ClientBuilder {
    pub(crate) base_url: Option<String>,
    api_root: Option<String>,
    pub(crate) token: Option<Auth>,
    pub(crate) token_url: Option<String>,
    pub(crate) basic: Option<Basic>,
    pub(crate) api_keys: BTreeMap<&'static str, Secret>,
    pub(crate) server_variables: BTreeMap<&'static str, String>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    allow_http: bool,
    retry: Option<RetryPolicy>,
    pub(crate) refresh_margin: Option<Duration>,
    max_response_bytes: Option<u64>,
    experimental: bool,
    /// Where `with_env` looked, for error messages.
    looked_at: Vec<String>,
}

impl ClientBuilder {
    /// The API's host, e.g. `https://api.example.com` (a URL that already
    /// ends with the API's path is accepted as is). It takes precedence
    /// over the spec's server URL.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
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
    /// proxy or mock server that serves the API somewhere other than where
    /// its server URL says. Overrides [`base_url`](Self::base_url).
    pub fn api_root(mut self, api_root: impl Into<String>) -> Self {
        self.api_root = Some(api_root.into());
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

    /// Fills what is not set yet from the environment variables named by
    /// the crate's `ENV_*` constants or, when none of them is set, from the
    /// first configuration file that exists: for SailPoint's APIs,
    /// `config.json` in the working directory (as SailPoint's SDKs read it),
    /// then the SailPoint CLI's `~/.sailpoint/config.yaml` (its active
    /// environment). Other APIs read no file.
    ///
    /// An access token wins over client credentials. A malformed config file
    /// is an error; a missing one is not.
    pub fn with_env(self) -> Result<Self, Error> {
        let lookup = |name: &str| std::env::var(name).ok();
        let files = config::default_files(&lookup);
        self.with_env_from(lookup, files)
    }

    /// [`with_env`](Self::with_env) with the variables read through `lookup`
    /// and the configuration files `files`, tried in order: a `.json` file in
    /// the format of SailPoint's SDKs, any other in the SailPoint CLI's.
    pub fn with_env_from(
        mut self,
        lookup: impl Fn(&str) -> Option<String>,
        files: impl IntoIterator<Item = PathBuf>,
    ) -> Result<Self, Error> {
        let from_env = config::from_env(&lookup);
        let files: Vec<PathBuf> = files.into_iter().collect();
        if let Some(settings) = from_env {
            self.apply(settings)?;
            for path in files {
                // Say why the file's settings were not used, in case they were expected.
                self.looked_at.push(format!(
                    "{} (not read: it is used only when none of those variables is set)",
                    path.display()
                ));
            }
            return Ok(self);
        }
        self.looked_at.push(format!("the environment variables {} (none set)", config::env_names().join(", ")));
        for path in files {
            match config::from_file(&path)? {
                Some(settings) => {
                    self.apply(settings)?;
                    break;
                }
                None => self.looked_at.push(format!("{} (not found)", path.display())),
            }
        }
        Ok(self)
    }

    fn apply(&mut self, settings: Settings) -> Result<(), Error> {
        self.looked_at.push(settings.origin.clone());
        if self.base_url.is_none() {
            self.base_url = settings.base_url;
        }
        if self.basic.is_none() {
            self.basic = match (settings.username, settings.password) {
                (Some(username), Some(password)) => Some(Basic { username, password: Secret::new(password) }),
                (None, None) => None,
                _ => {
                    let message = format!("a user name or a password is set without the other, in {}", settings.origin);
                    return Err(Error::Config(message));
                }
            };
        }
        for (scheme, key) in settings.api_keys {
            self.api_keys.entry(scheme).or_insert(Secret::new(key));
        }
        if self.token.is_some() {
            return Ok(());
        }
        self.token = match (settings.access_token, settings.client_id, settings.client_secret) {
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
        let from_server = server_url(&self.server_variables)?;
        let Some(base_url) = self.api_root.as_ref().or(self.base_url.as_ref()).or(from_server.as_ref()) else {
            return Err(Error::Config(format!("no base URL was given; looked at {}", looked_at())));
        };
        let base_path = with_variables(crate::BASE_PATH, &self.server_variables)?;
        let (host_root, api_root) = match &self.api_root {
            Some(exact) => (origin(exact, self.allow_http)?, exact.trim_end_matches('/').to_owned()),
            None => roots(base_url, &base_path, self.allow_http)?,
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
        let source: Option<Arc<dyn TokenSource>> = match self.token.clone() {
            None => None,
            Some(Auth::Token(token)) => {
                bearer(token.secret())?;
                Some(Arc::new(StaticToken(token)))
            }
            Some(Auth::ClientCredentials { client_id, client_secret }) => {
                // Form encoding would carry them safely, but a control character
                // (a line break pasted along) is a mistake: refused here, not sent.
                for (what, value) in [("client id", &client_id), ("client secret", &client_secret)] {
                    if value.chars().any(char::is_control) {
                        return Err(Error::Config(format!(
                            "the {what} contains control characters (a line break pasted along?)"
                        )));
                    }
                }
                let token_url = match (&self.token_url, token_url()) {
                    (Some(chosen), _) => chosen.clone(),
                    // On the API host itself, credentials never go elsewhere.
                    (None, Some(TokenUrl::OnApiHost(path))) => format!("{host_root}{path}"),
                    (None, Some(TokenUrl::Fixed(url))) => url.to_owned(),
                    (None, None) => {
                        return Err(Error::Config("this API declares no OAuth2 token URL; set `token_url`".to_owned()))
                    }
                };
                checked_url(&token_url, self.allow_http)?;
                let http = http.clone();
                Some(Arc::new(ClientCredentials { token_url, client_id, client_secret, http, max_response_bytes }))
            }
            Some(Auth::Source(source)) => Some(source),
        };
        let refresh_margin = self.refresh_margin.unwrap_or(DEFAULT_REFRESH_MARGIN);
        let tokens = source.map(|source| TokenCache::new(source, refresh_margin));
        if let Some(basic) = &self.basic {
            if basic.username.contains(':') || basic.username.chars().any(char::is_control) {
                return Err(Error::Config("the user name contains a `:` or control characters".to_owned()));
            }
        }
        let credentials = Credentials { tokens, basic: self.basic.clone(), api_keys: self.api_keys.clone() };
        let needs_credentials =
            !crate::SECURITY.is_empty() && crate::SECURITY.iter().all(|alternative| !alternative.is_empty());
        if needs_credentials && !credentials.any() {
            return Err(Error::Config(format!(
                "no credentials ({}) were given; looked at {}",
                config::credential_kinds(),
                looked_at()
            )));
        }
        let retry = self.retry.unwrap_or_default();
        let experimental = self.experimental;
        let inner = Inner {
            http,
            base_url: api_root,
            credentials,
            retry,
            pause: Pause::default(),
            max_response_bytes,
            experimental,
        };
        Ok(Client { inner: Arc::new(inner) })
    }
}

/// The token URL of the first OAuth2 client credentials scheme.
fn token_url() -> Option<TokenUrl> {
    crate::SECURITY_SCHEMES.iter().find_map(|scheme| match scheme.kind {
        SchemeKind::ClientCredentials { token_url } => Some(token_url),
        _ => None,
    })
}

/// A server variable, as the spec declares it.
#[derive(Debug)]
pub(crate) struct ServerVariable {
    pub(crate) name: &'static str,
    pub(crate) default: &'static str,
    /// The values the spec allows; any when empty.
    pub(crate) allowed: &'static [&'static str],
    pub(crate) place: VariablePlace,
}

/// What part of the server URL a variable is, which says what it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code, reason = "each spec's server URL has only some of these")]
pub(crate) enum VariablePlace {
    /// A label of the host name (`{tenant}.api.identitynow.com`).
    HostLabel,
    /// The whole host, with an optional port (`https://{apiUrl}`).
    Host,
    /// Part of the path.
    Path,
}

/// The spec's server URL with the variables set on the builder, the others
/// at their defaults. `None` when no variable is set and the URL has some
/// (their defaults are examples, not a place to send credentials), or when
/// the spec names no absolute server URL.
fn server_url(values: &BTreeMap<&'static str, String>) -> Result<Option<String>, Error> {
    if !crate::SERVER_URL.contains("://") || (values.is_empty() && !crate::SERVER_VARIABLES.is_empty()) {
        return Ok(None);
    }
    with_variables(crate::SERVER_URL, values).map(Some)
}

/// `template` with each `{variable}` replaced by its value on the builder
/// or its default, after checking the value fits its place in the URL.
fn with_variables(template: &str, values: &BTreeMap<&'static str, String>) -> Result<String, Error> {
    let mut filled = template.to_owned();
    for variable in crate::SERVER_VARIABLES {
        let token = format!("{{{}}}", variable.name);
        if !filled.contains(&token) {
            continue;
        }
        let value = values.get(variable.name).map_or(variable.default, String::as_str);
        if !variable.allowed.is_empty() && !variable.allowed.contains(&value) {
            let allowed = variable.allowed.join(", ");
            return Err(Error::Config(format!("{} {value:?} is not one of {allowed}", variable.name)));
        }
        let allowed_byte = |b: u8| match variable.place {
            VariablePlace::HostLabel => b.is_ascii_alphanumeric() || b == b'-',
            VariablePlace::Host => b.is_ascii_alphanumeric() || b"-.:[]".contains(&b),
            VariablePlace::Path => b.is_ascii_alphanumeric() || b"-._~".contains(&b),
        };
        let valid = !value.is_empty()
            && value.bytes().all(allowed_byte)
            && (variable.place != VariablePlace::HostLabel
                || (value.len() <= 63 && !value.starts_with('-') && !value.ends_with('-')));
        if !valid {
            let what = match variable.place {
                VariablePlace::HostLabel => "a valid host name label",
                VariablePlace::Host => "a valid host name",
                VariablePlace::Path => "a valid path segment",
            };
            return Err(Error::Config(format!("{} {value:?} is not {what}", variable.name)));
        }
        filled = filled.replace(&token, value);
    }
    Ok(filled)
}

/// The host root (`https://acme.api.identitynow.com`) and the API root
/// (`.../v2024`) for a base URL given with or without the API's path.
fn roots(base_url: &str, base_path: &str, allow_http: bool) -> Result<(String, String), Error> {
    let url = checked_url(base_url, allow_http)?;
    let given = url.as_str().trim_end_matches('/');
    let host_root = given.strip_suffix(base_path).unwrap_or(given).to_owned();
    let api_root = format!("{host_root}{base_path}");
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
