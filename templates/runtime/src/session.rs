//! The session: one tenant's settings, and what every client made from it
//! shares: the connection pool, the token caches and the 429 pause.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::api::checked_url;
use crate::auth::{bearer, AccessToken, Basic, ClientCredentials, Secret, StaticToken, TokenCache, TokenSource};
use crate::config::{self, EnvNames, Settings};
use crate::error::Error;
use crate::retry::{Pause, RetryPolicy};

/// Time allowed to open a connection, unless configured otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed for a whole request and response, unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest response body read, unless configured otherwise (100 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 100 << 20;
/// How long before it expires a token is refreshed, unless configured otherwise.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The settings of one tenant or account, shared by the clients of every
/// generated crate made from it (`Client::with_session(&session)`). Cheap
/// to clone: clones share one connection pool, one token cache per token
/// URL and client id, and one pause after a 429, which every request of
/// every client of the session honours.
#[derive(Clone)]
pub struct Session {
    pub(crate) inner: Arc<SessionInner>,
}

pub(crate) struct SessionInner {
    pub(crate) http: reqwest::Client,
    /// Whether each API's own `User-Agent` is sent (no user agent and no
    /// HTTP client was given).
    pub(crate) api_user_agent: bool,
    pub(crate) base_url: Option<String>,
    pub(crate) api_root: Option<String>,
    pub(crate) server_variables: BTreeMap<String, String>,
    pub(crate) tokens: Tokens,
    pub(crate) token_url: Option<String>,
    pub(crate) basic: Option<Basic>,
    /// API keys by scheme name.
    pub(crate) api_keys: BTreeMap<String, Secret>,
    pub(crate) retry: RetryPolicy,
    /// The wait the last 429 asked for, shared by every request.
    pub(crate) pause: Pause,
    pub(crate) max_response_bytes: u64,
    pub(crate) allow_http: bool,
    /// Responses are decoded without error correction.
    pub(crate) strict_decoding: bool,
    #[cfg_attr(not(feature = "sailpoint"), allow(dead_code, reason = "read by SailPoint's crates only"))]
    pub(crate) experimental: bool,
    /// Where the settings were looked for, for error messages.
    pub(crate) looked_at: String,
}

/// Where a session's bearer tokens come from.
pub(crate) enum Tokens {
    None,
    /// A token given as is, or from the caller's source: one cache for every API.
    Shared(Arc<TokenCache>),
    /// OAuth2 client credentials, exchanged at each API's token URL: one
    /// cache per token URL, made when a client first needs it.
    ClientCredentials {
        client_id: String,
        client_secret: String,
        refresh_margin: Duration,
        caches: Mutex<BTreeMap<String, Arc<TokenCache>>>,
    },
}

impl Session {
    /// A builder for every setting.
    pub fn builder() -> SessionBuilder {
        SessionBuilder::default()
    }

    /// The token cache for an API whose token endpoint is `token_url`
    /// (used only with client credentials): one for each URL, shared by
    /// every client of the session.
    pub(crate) fn client_credentials_cache(&self, token_url: &str) -> Option<Arc<TokenCache>> {
        let Tokens::ClientCredentials { client_id, client_secret, refresh_margin, caches } = &self.inner.tokens else {
            return None;
        };
        let mut caches = caches.lock().unwrap_or_else(PoisonError::into_inner);
        let cache = caches.entry(token_url.to_owned()).or_insert_with(|| {
            let source = ClientCredentials {
                token_url: token_url.to_owned(),
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
                http: self.inner.http.clone(),
                max_response_bytes: self.inner.max_response_bytes,
            };
            Arc::new(TokenCache::new(Arc::new(source), *refresh_margin))
        });
        Some(cache.clone())
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let tokens = match &inner.tokens {
            Tokens::None => "none".to_owned(),
            Tokens::Shared(cache) => format!("{cache:?}"),
            Tokens::ClientCredentials { client_id, .. } => {
                format!("ClientCredentials {{ client_id: {client_id:?}, client_secret: \"<redacted>\" }}")
            }
        };
        let api_keys: Vec<&str> = inner.api_keys.keys().map(String::as_str).collect();
        f.debug_struct("Session")
            .field("base_url", &inner.base_url)
            .field("api_root", &inner.api_root)
            .field("server_variables", &inner.server_variables)
            .field("tokens", &tokens)
            .field("basic", &inner.basic)
            .field("api_keys (redacted)", &api_keys)
            .field("retry", &inner.retry)
            .finish_non_exhaustive()
    }
}

/// The bearer token credentials a builder was given.
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

/// Settings for a [`Session`].
///
/// Precedence, highest first: what is set on the builder, then environment
/// variables, then configuration files (see [`with_env`](Self::with_env)).
/// A generated crate's `ClientBuilder` wraps one, with methods for just
/// the credentials and server variables its spec declares.
#[derive(Debug, Default)]
pub struct SessionBuilder {
    base_url: Option<String>,
    api_root: Option<String>,
    token: Option<Auth>,
    token_url: Option<String>,
    basic: Option<Basic>,
    api_keys: BTreeMap<String, Secret>,
    server_variables: BTreeMap<String, String>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    allow_http: bool,
    strict_decoding: bool,
    retry: Option<RetryPolicy>,
    refresh_margin: Option<Duration>,
    max_response_bytes: Option<u64>,
    experimental: bool,
    /// Where `with_env` looked, for error messages.
    looked_at: Vec<String>,
}

impl SessionBuilder {
    /// The API's host, e.g. `https://api.example.com` (a URL that already
    /// ends with an API's path is accepted as is). It takes precedence
    /// over the spec's server URL.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The URL the operations' paths are appended to, used as is: for a
    /// proxy or mock server that serves the API somewhere other than where
    /// its server URL says. Overrides [`base_url`](Self::base_url).
    pub fn api_root(mut self, api_root: impl Into<String>) -> Self {
        self.api_root = Some(api_root.into());
        self
    }

    /// Sets the server URL variable `name` (SailPoint's `tenant`, for
    /// example) for every API whose server URL has it; a variable not set
    /// takes its default. An explicit `base_url` takes precedence.
    pub fn server_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.server_variables.insert(name.into(), value.into());
        self
    }

    /// A bearer token obtained elsewhere, used until the server rejects it.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Auth::Token(AccessToken::new(token, None)));
        self
    }

    /// OAuth2 client credentials, exchanged at each API's token URL for a
    /// token that is cached and refreshed before it expires: one token for
    /// all the APIs that share a token URL.
    pub fn client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.token = Some(Auth::ClientCredentials { client_id: client_id.into(), client_secret: client_secret.into() });
        self
    }

    /// The OAuth2 token endpoint, instead of the one each spec names.
    pub fn token_url(mut self, token_url: impl Into<String>) -> Self {
        self.token_url = Some(token_url.into());
        self
    }

    /// Tokens from the caller's own source.
    pub fn token_source(mut self, source: impl TokenSource + 'static) -> Self {
        self.token = Some(Auth::Source(Arc::new(source)));
        self
    }

    /// How long before it expires a token is refreshed (default 60 s).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = Some(margin);
        self
    }

    /// A user name and password for HTTP basic authentication.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.basic = Some(Basic { username: username.into(), password: Secret::new(password) });
        self
    }

    /// The API key of the security scheme named `scheme` in the spec.
    pub fn api_key(mut self, scheme: impl Into<String>, key: impl Into<String>) -> Self {
        self.api_keys.insert(scheme.into(), Secret::new(key));
        self
    }

    /// Allows SailPoint's experimental operations; each then sends
    /// `X-SailPoint-Experimental: true` itself. Without it they fail with
    /// [`Error::Config`] before sending anything.
    #[cfg(feature = "sailpoint")]
    pub fn experimental(mut self, allow: bool) -> Self {
        self.experimental = allow;
        self
    }

    /// When and how requests are retried (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The largest response body a client reads (default 100 MiB); a
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

    /// The `User-Agent` header (default: each API crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends requests through this `reqwest` client; its own timeouts and
    /// user agent then apply instead of this builder's.
    ///
    /// Build it with `redirect(reqwest::redirect::Policy::none())`, as the
    /// session's own is: `reqwest` follows redirects by default, and a `307`
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

    /// Decodes responses strictly (default: off): a required field missing
    /// from a response, or `null` where its schema does not allow it, is
    /// then [`Error::Decode`] rather than its zero value with a warning.
    /// For tests, and for callers who want to catch a server's drift.
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.strict_decoding = strict;
        self
    }

    /// Fills what is not set yet from the environment variables `names`
    /// lists (a generated crate's `ENV`) or, when none of them is set, from
    /// the first of its configuration files that exists (SailPoint's APIs
    /// read `config.json` in the working directory, then the SailPoint
    /// CLI's `~/.sailpoint/config.yaml`; other APIs read none).
    ///
    /// An access token wins over client credentials. A malformed config file
    /// is an error; a missing one is not.
    pub fn with_env(self, names: &EnvNames) -> Result<Self, Error> {
        let lookup = |name: &str| std::env::var(name).ok();
        let files = names.files.map(|files| (files.paths)(&lookup)).unwrap_or_default();
        self.with_env_from(names, lookup, files)
    }

    /// [`with_env`](Self::with_env) with the variables read through `lookup`
    /// and the configuration files `files`, tried in order.
    pub fn with_env_from(
        mut self,
        names: &EnvNames,
        lookup: impl Fn(&str) -> Option<String>,
        files: impl IntoIterator<Item = PathBuf>,
    ) -> Result<Self, Error> {
        let from_env = config::from_env(names, &lookup);
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
        self.looked_at.push(format!("the environment variables {} (none set)", names.all().join(", ")));
        for path in files {
            match config::from_file(names, &path)? {
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
            self.api_keys.entry(scheme.to_owned()).or_insert(Secret::new(key));
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

    /// Checks the settings and builds the session. What depends on an API
    /// (its base URL, its token URL, whether it needs credentials) is
    /// checked when a client is made from the session.
    pub fn build(self) -> Result<Session, Error> {
        for url in [&self.base_url, &self.api_root].into_iter().flatten() {
            checked_url(url, self.allow_http)?;
        }
        let http = match &self.http {
            Some(http) => http.clone(),
            None => {
                // Each API's requests send its crate's own; the token endpoint's, the runtime's.
                let runtime = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
                reqwest::Client::builder()
                    .user_agent(self.user_agent.as_deref().unwrap_or(runtime))
                    .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    // The API does not redirect; following one could carry credentials elsewhere.
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?
            }
        };
        let max_response_bytes = self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        let refresh_margin = self.refresh_margin.unwrap_or(DEFAULT_REFRESH_MARGIN);
        let shared = |source: Arc<dyn TokenSource>| Tokens::Shared(Arc::new(TokenCache::new(source, refresh_margin)));
        let tokens = match self.token.clone() {
            None => Tokens::None,
            Some(Auth::Token(token)) => {
                bearer(token.secret())?;
                shared(Arc::new(StaticToken(token)))
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
                Tokens::ClientCredentials { client_id, client_secret, refresh_margin, caches: Mutex::default() }
            }
            Some(Auth::Source(source)) => shared(source),
        };
        if let Some(token_url) = &self.token_url {
            checked_url(token_url, self.allow_http)?;
        }
        if let Some(basic) = &self.basic {
            if basic.username.contains(':') || basic.username.chars().any(char::is_control) {
                return Err(Error::Config("the user name contains a `:` or control characters".to_owned()));
            }
        }
        let mut places = vec!["the settings of the ClientBuilder or SessionBuilder".to_owned()];
        places.extend(self.looked_at.iter().cloned());
        let inner = SessionInner {
            http,
            api_user_agent: self.user_agent.is_none() && self.http.is_none(),
            base_url: self.base_url,
            api_root: self.api_root,
            server_variables: self.server_variables,
            tokens,
            token_url: self.token_url,
            basic: self.basic,
            api_keys: self.api_keys,
            retry: self.retry.unwrap_or_default(),
            pause: Pause::default(),
            max_response_bytes,
            allow_http: self.allow_http,
            strict_decoding: self.strict_decoding,
            experimental: self.experimental,
            looked_at: places.join("; "),
        };
        Ok(Session { inner: Arc::new(inner) })
    }
}
