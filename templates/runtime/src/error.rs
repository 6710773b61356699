//! The one error type every operation returns.

use std::any::Any;
use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Longest part of a body quoted in an error message.
const EXCERPT_CHARS: usize = 200;

/// Why an operation failed. Match on the variant, or use the helpers
/// ([`status`](Error::status), [`is_not_found`](Error::is_not_found), ...).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status outside 2xx.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request did not complete: connection refused, TLS failure, reset...
    #[error("{operation}: the request failed: {source}")]
    Transport {
        /// The operation's `operationId`.
        operation: &'static str,
        /// What `reqwest` reported.
        #[source]
        source: reqwest::Error,
    },
    /// No complete response arrived within the configured timeout.
    #[error("{operation}: timed out waiting for the server")]
    Timeout {
        /// The operation's `operationId`.
        operation: &'static str,
    },
    /// The response body is larger than the configured limit.
    #[error("{operation}: the response is larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A 2xx response whose body is not what the spec promises.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The request could not be built from the arguments given.
    #[error("{operation}: invalid request: {message}")]
    InvalidRequest {
        /// The operation's `operationId`.
        operation: &'static str,
        /// What is wrong with the arguments.
        message: String,
    },
    /// A page arrived, but the request for the next one cannot be made
    /// from it: with `searchAfter` paging, its last item has no value for a
    /// key of the sort. The items before it were yielded; nothing more is fetched.
    #[error("{operation}: cannot request the next page: {message}")]
    Paging {
        /// The operation's `operationId`.
        operation: &'static str,
        /// What the page lacks.
        message: String,
    },
    /// No access token could be obtained.
    #[error(transparent)]
    Auth(Box<AuthError>),
    /// The client's configuration is missing or malformed.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status),
            Error::Decode(error) => Some(error.status),
            _ => None,
        }
    }

    /// The API error, when the server answered with a non-2xx status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// Whether the server answered 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the server answered 429 Too Many Requests.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// SailPoint's tracking id for the failure, to quote to support.
    #[cfg(feature = "sailpoint")]
    pub fn tracking_id(&self) -> Option<&str> {
        self.api_error().and_then(ApiError::tracking_id)
    }
}

/// A decoded error body: an operation's error enum (`GetConnectorError`),
/// whose variant holds the model the spec declares for the status.
///
/// [`ApiError::details`] hands back either, as the concrete type.
pub trait ErrorDetails: Any + fmt::Debug + Send + Sync {
    /// The operation's error enum, for downcasting.
    fn as_any(&self) -> &dyn Any;

    /// The model inside it, for downcasting.
    fn body(&self) -> &dyn Any;
}

/// A non-2xx response: status, headers, the raw body and, when the body
/// matches the model the spec declares for that status, the decoded model.
pub struct ApiError {
    pub(crate) operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
    pub(crate) details: Option<Box<dyn ErrorDetails>>,
    /// SailPoint's tracking id; always `None` without the `sailpoint` feature.
    pub(crate) tracking_id: Option<String>,
    pub(crate) summary: Option<String>,
}

impl ApiError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: &[u8],
        details: Option<Box<dyn ErrorDetails>>,
    ) -> Self {
        let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        #[cfg(feature = "sailpoint")]
        let tracking_id = json.as_ref().and_then(crate::sailpoint::tracking_id);
        #[cfg(not(feature = "sailpoint"))]
        let tracking_id = None;
        let summary = json.as_ref().and_then(summarize);
        let body = String::from_utf8_lossy(body).into_owned();
        Self { operation, status, headers, body, details, tracking_id, summary }
    }

    /// The operation's `operationId`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers (`Retry-After`, ...).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as the server sent it (invalid UTF-8 replaced).
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The decoded body, when the spec declares one for this status and the
    /// body matched it: as the operation's error enum
    /// (`error.details::<GetConnectorError>()`, one variant per status) or as
    /// the model inside it (`error.details::<ErrorResponseDto>()`).
    pub fn details<T: Any>(&self) -> Option<&T> {
        let details = self.details.as_deref()?;
        details.as_any().downcast_ref::<T>().or_else(|| details.body().downcast_ref::<T>())
    }

    /// The decoded body, whatever its model.
    pub fn details_debug(&self) -> Option<&dyn fmt::Debug> {
        self.details.as_deref().map(|details| details as &dyn fmt::Debug)
    }

    /// SailPoint's tracking id (`trackingId` in the body).
    #[cfg(feature = "sailpoint")]
    pub fn tracking_id(&self) -> Option<&str> {
        self.tracking_id.as_deref()
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("tracking_id", &self.tracking_id)
            .field("details", &self.details)
            .field("body", &excerpt(&self.body))
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the server answered {}", self.operation, self.status)?;
        // Everything quoted from the body is shortened: the server decides its length.
        match (&self.summary, self.body.trim()) {
            (Some(summary), _) => write!(f, ": {}", excerpt(summary))?,
            (None, "") => {}
            (None, body) => write!(f, ": {}", excerpt(body))?,
        }
        if let Some(tracking_id) = &self.tracking_id {
            write!(f, " (tracking id {})", excerpt(tracking_id))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// The token endpoint failed or refused the credentials.
#[derive(Debug)]
pub struct AuthError {
    /// The token endpoint's status, when it answered.
    pub status: Option<StatusCode>,
    /// The start of its answer (never containing the credentials sent).
    pub body: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "authentication failed: {}", shortened(&self.message))?;
        if let Some(status) = self.status {
            write!(f, " ({status})")?;
        }
        if !self.body.trim().is_empty() {
            write!(f, ": {}", self.body.trim())?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {}

/// A 2xx response whose body could not be decoded as the declared type.
#[derive(Debug)]
pub struct DecodeError {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// Where in the document decoding failed (`[0].status`), empty at the top.
    pub path: String,
    /// What did not fit.
    pub message: String,
    /// The start of the body.
    pub excerpt: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.path.is_empty() || self.path == "." { String::new() } else { format!(" at `{}`", self.path) };
        // The message can quote a value of the body, as long as the server made it.
        write!(
            f,
            "{}: cannot decode the response{at}: {}; body starts {:?}",
            self.operation,
            shortened(&self.message),
            self.excerpt
        )
    }
}

impl std::error::Error for DecodeError {}

/// The first [`EXCERPT_CHARS`] characters of a text.
pub(crate) fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// A text of at most about [`EXCERPT_CHARS`] characters: its start and its
/// end, which says what was expected, around `...`.
pub(crate) fn shortened(text: &str) -> String {
    let count = text.chars().count();
    if count <= EXCERPT_CHARS {
        return text.to_owned();
    }
    let half = EXCERPT_CHARS / 2;
    let head: String = text.chars().take(half).collect();
    let tail: String = text.chars().skip(count - half).collect();
    format!("{head}...{tail}")
}

/// A one-line summary of SailPoint's error documents: the messages' texts,
/// else `message`, `error` or `detailCode`.
fn summarize(json: &serde_json::Value) -> Option<String> {
    let texts: Vec<&str> = json
        .get("messages")
        .and_then(|messages| messages.as_array())
        .into_iter()
        .flatten()
        .filter_map(|message| message.get("text")?.as_str())
        .collect();
    if !texts.is_empty() {
        return Some(texts.join("; "));
    }
    ["message", "error", "errorMessage", "detailCode"]
        .iter()
        .find_map(|key| json.get(*key)?.as_str())
        .map(|text| text.trim().to_owned())
}
