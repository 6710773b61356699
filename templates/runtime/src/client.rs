//! A client of one API on a session: the API's base URL and credentials
//! resolved once, and how its requests are authorised, sent and retried.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, USER_AGENT};
use reqwest::StatusCode;
use tracing::Instrument;
use url::Url;

use crate::api::{checked_url, origin, roots, Api};
use crate::auth::{bearer, AccessToken, ApiKeyLocation, Requirement, SchemeKind, SecurityScheme, TokenCache, TokenUrl};
use crate::error::Error;
use crate::request::{Body, Request};
use crate::response::{read_body, BodyError, RawResponse, Response, ResponseFuture};
use crate::session::{Session, SessionInner, Tokens};

/// What a generated crate's `Client` holds: a session and one API's facts,
/// with its base URL and token cache resolved. Cheap to clone.
#[derive(Clone)]
pub struct Handle {
    inner: Arc<HandleInner>,
}

struct HandleInner {
    session: Session,
    api: &'static Api,
    /// The API root, e.g. `https://acme.api.identitynow.com/v2024`, without a trailing `/`.
    base_url: String,
    /// The bearer token of OAuth2 and `http` `bearer` schemes, when the
    /// session has one that fits the API.
    tokens: Option<Arc<TokenCache>>,
    /// The API's own `User-Agent`, unless the session sets one.
    user_agent: Option<HeaderValue>,
}

impl Handle {
    /// A client of `api` on `session`: fails with [`Error::Config`] when the
    /// session has no base URL for it, or no credentials while it needs some.
    pub fn new(session: &Session, api: &'static Api) -> Result<Self, Error> {
        let settings = &*session.inner;
        let looked_at = || settings.looked_at.clone();
        let variables = &settings.server_variables;
        let from_server = api.server_url(variables)?;
        let Some(base_url) = settings.api_root.as_ref().or(settings.base_url.as_ref()).or(from_server.as_ref()) else {
            return Err(Error::Config(format!("no base URL was given; looked at {}", looked_at())));
        };
        let base_path = api.with_variables(api.base_path, variables)?;
        let (host_root, api_root) = match &settings.api_root {
            Some(exact) => (origin(exact, settings.allow_http)?, exact.trim_end_matches('/').to_owned()),
            None => roots(base_url, &base_path, settings.allow_http)?,
        };
        let tokens = Self::tokens(session, api, &host_root)?;
        let has_credentials = tokens.is_some() || settings.basic.is_some() || !settings.api_keys.is_empty();
        if api.needs_credentials() && !has_credentials {
            return Err(Error::Config(format!(
                "no credentials ({}) were given; looked at {}",
                api.env.credential_kinds(),
                looked_at()
            )));
        }
        let user_agent = settings.api_user_agent.then(|| HeaderValue::from_static(api.user_agent));
        let inner = HandleInner { session: session.clone(), api, base_url: api_root, tokens, user_agent };
        Ok(Self { inner: Arc::new(inner) })
    }

    /// The session's token cache for this API: the shared one, or with
    /// client credentials the one of the API's token URL.
    fn tokens(session: &Session, api: &Api, host_root: &str) -> Result<Option<Arc<TokenCache>>, Error> {
        let settings: &SessionInner = &session.inner;
        if !api.security_schemes.iter().any(|scheme| scheme.kind.uses_token()) {
            return Ok(None);
        }
        match &settings.tokens {
            Tokens::None => Ok(None),
            Tokens::Shared(cache) => Ok(Some(cache.clone())),
            Tokens::ClientCredentials { .. } => {
                let token_url = match (&settings.token_url, api.token_url()) {
                    (Some(chosen), _) => chosen.clone(),
                    // On the API host itself, credentials never go elsewhere.
                    (None, Some(TokenUrl::OnApiHost(path))) => format!("{host_root}{path}"),
                    (None, Some(TokenUrl::Fixed(url))) => url.to_owned(),
                    (None, None) => {
                        return Err(Error::Config("this API declares no OAuth2 token URL; set `token_url`".to_owned()))
                    }
                };
                checked_url(&token_url, settings.allow_http)?;
                Ok(session.client_credentials_cache(&token_url))
            }
        }
    }

    /// The session the client was made from.
    pub fn session(&self) -> &Session {
        &self.inner.session
    }

    fn settings(&self) -> &SessionInner {
        &self.inner.session.inner
    }

    /// The API root requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Whether experimental operations may be sent (the session's `experimental`).
    #[cfg(feature = "sailpoint")]
    pub fn allows_experimental(&self) -> bool {
        self.settings().experimental
    }

    /// Whether the credentials of `scheme` are configured.
    fn has(&self, scheme: &SecurityScheme) -> bool {
        match scheme.kind {
            SchemeKind::ClientCredentials { .. } | SchemeKind::Bearer => self.inner.tokens.is_some(),
            SchemeKind::Basic => self.settings().basic.is_some(),
            SchemeKind::ApiKey { .. } => self.settings().api_keys.contains_key(scheme.name),
        }
    }

    /// The schemes a request uses: the first alternative of its requirements
    /// whose credentials are all configured; none when it needs none.
    fn chosen_schemes(
        &self,
        operation: &'static str,
        requirements: &'static [Requirement],
    ) -> Result<Requirement, Error> {
        let schemes = self.inner.api.security_schemes;
        let configured = |requirement: &&Requirement| {
            !requirement.is_empty() && requirement.iter().all(|&index| self.has(&schemes[index]))
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

    /// Sends a request, with authentication and retries, and reads the
    /// whole response. A non-2xx status is returned as a response: the
    /// operation decodes it into its typed error.
    async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let operation = request.operation_id;
        let url = self.url(&request)?;
        let requirements = request.security.unwrap_or(self.inner.api.security);
        let schemes = self.chosen_schemes(operation, requirements)?;
        // A token is fetched only for a request that sends one.
        let all = self.inner.api.security_schemes;
        let tokens = self.inner.tokens.as_deref();
        let tokens = tokens.filter(|_| schemes.iter().any(|&index| all[index].kind.uses_token()));
        let mut attempt = 1;
        let mut replayed_after_401 = false;
        loop {
            self.settings().pause.wait().await;
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
                    self.settings().retry.after_response(&request.method, response.status, &response.headers, attempt)
                }
                Err(Error::Transport { source, .. }) if source.is_connect() => {
                    self.settings().retry.after_connect_error(&request.method, attempt)
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
                            self.settings().pause.extend(wait)
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
    pub fn dispatch<T: Send + 'static>(
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
        if let Some(user_agent) = &self.inner.user_agent {
            headers.entry(USER_AGENT).or_insert_with(|| user_agent.clone());
        }
        let mut cookies: Vec<String> = request.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
        let mut basic = None;
        // An API key in the query makes the URL a secret: errors then leave it out.
        let mut secret_url = false;
        for &index in schemes {
            let scheme = &self.inner.api.security_schemes[index];
            match scheme.kind {
                SchemeKind::ClientCredentials { .. } | SchemeKind::Bearer => {
                    if let Some(token) = token {
                        headers.insert(AUTHORIZATION, bearer(token.secret())?);
                    }
                }
                SchemeKind::Basic => basic = self.settings().basic.as_ref(),
                SchemeKind::ApiKey { location, name } => {
                    let Some(key) = self.settings().api_keys.get(scheme.name) else { continue };
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
        let mut builder = self.settings().http.request(request.method.clone(), url).headers(headers);
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
        let limit = self.settings().max_response_bytes;
        let body = read_body(&mut response, limit).await.map_err(|error| match error {
            BodyError::TooLarge => Error::ResponseTooLarge { operation, limit },
            BodyError::Transport(source) => transport(source),
        })?;
        let strict = self.settings().strict_decoding;
        Ok(RawResponse { operation_id: operation, status, headers, body, strict })
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("session", &self.inner.session)
            .finish_non_exhaustive()
    }
}
