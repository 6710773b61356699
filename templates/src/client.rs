//! The client: where requests go, how they are authorised and sent.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use url::Url;

use crate::error::Error;
use crate::request::{Body, Request};
use crate::response::RawResponse;

/// Time allowed to open a connection, unless configured otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed for a whole request and response, unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// `User-Agent` sent with every request.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A client for the API. Cheap to clone: clones share one connection pool.
///
/// Every operation is a method returning a request builder; finish it with
/// `.send().await`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// The API root, e.g. `https://acme.api.identitynow.com/v2024`, without a trailing `/`.
    base_url: String,
    token: Secret,
}

impl Client {
    /// A client for the tenant at `base_url` that sends `token` as its bearer token.
    ///
    /// `base_url` is the tenant's API host (`https://acme.api.identitynow.com`);
    /// the API's path (`/v2024`) is added unless the URL already ends with it.
    pub fn new(base_url: &str, token: impl Into<String>) -> Result<Self, Error> {
        Self::builder().base_url(base_url).token(token).build()
    }

    /// A builder for every setting.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The API root requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and reads the whole response.
    pub(crate) async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let operation = request.operation_id;
        let mut url = Url::parse(&format!("{}{}", self.inner.base_url, request.path))
            .map_err(|error| Error::InvalidRequest { operation, message: format!("invalid URL: {error}") })?;
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        let mut builder = self.inner.http.request(request.method.clone(), url).headers(request.headers.clone());
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", self.inner.token.0))
            .map_err(|_| Error::Config("the token contains characters not allowed in a header".to_owned()))?;
        authorization.set_sensitive(true);
        builder = builder.header(AUTHORIZATION, authorization);
        builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes { content_type, bytes } => builder.header(CONTENT_TYPE, *content_type).body(bytes.clone()),
            Body::Multipart(form) => builder.multipart(form.to_reqwest(operation)?),
        };
        let transport = |source: reqwest::Error| {
            if source.is_timeout() {
                Error::Timeout { operation }
            } else {
                Error::Transport { operation, source }
            }
        };
        let response = builder.send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport)?;
        Ok(RawResponse { operation_id: operation, status, headers, body })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("base_url", &self.inner.base_url).finish_non_exhaustive()
    }
}

/// Settings for a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<Secret>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    allow_http: bool,
}

impl ClientBuilder {
    /// The tenant's API host, e.g. `https://acme.api.identitynow.com`
    /// (a URL that already ends with the API's path is accepted as is).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// A bearer token obtained elsewhere.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret(token.into()));
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
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Allows a plain `http://` base URL, for local testing. Without it only
    /// `https://` is accepted, so a token never travels unencrypted.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.ok_or_else(|| Error::Config("no base URL was given".to_owned()))?;
        let base_url = api_root(&base_url, self.allow_http)?;
        let token = self.token.ok_or_else(|| Error::Config("no token was given".to_owned()))?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(self.user_agent.unwrap_or_else(|| USER_AGENT.to_owned()))
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .build()
                .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?,
        };
        Ok(Client { inner: Arc::new(Inner { http, base_url, token }) })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("allow_http", &self.allow_http)
            .finish_non_exhaustive()
    }
}

/// The API root for a base URL: the API's path appended unless present.
fn api_root(base_url: &str, allow_http: bool) -> Result<String, Error> {
    let url =
        Url::parse(base_url).map_err(|error| Error::Config(format!("base URL {base_url:?} is not a URL: {error}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => {
            return Err(Error::Config(format!(
                "base URL {base_url:?} is not https; use `allow_http(true)` only for local testing"
            )))
        }
        other => return Err(Error::Config(format!("base URL {base_url:?} has unsupported scheme {other:?}"))),
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!("base URL {base_url:?} must not have a query or fragment")));
    }
    let root = url.as_str().trim_end_matches('/');
    if root.ends_with(crate::BASE_PATH) {
        Ok(root.to_owned())
    } else {
        Ok(format!("{root}{}", crate::BASE_PATH))
    }
}

/// A credential; never shown by `Debug`.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
