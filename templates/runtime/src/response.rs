//! Successful responses: status, headers and the typed body.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::error::{excerpt, ApiError, DecodeError, Error, ErrorDetails};

/// A successful response with its decoded body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One header's value, when present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The `X-Total-Count` header, which SailPoint's list operations send when asked with `count=true`.
    #[cfg(feature = "sailpoint")]
    pub fn total_count(&self) -> Option<u64> {
        crate::sailpoint::total_count(&self.headers)
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, owned.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and body, owned.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }
}

/// What an operation's `send()` returns: `.await` it for the response.
pub type ResponseFuture<T> = Pin<Box<dyn Future<Output = Result<Response<T>, Error>> + Send>>;

/// Decodes the body of an error status as the model the spec declares for it.
pub type ErrorDecoder = fn(u16, &[u8]) -> Option<Box<dyn ErrorDetails>>;

/// A response as received, before the operation decodes it.
#[derive(Debug)]
pub struct RawResponse {
    pub(crate) operation_id: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// Decoded without error correction.
    pub(crate) strict: bool,
}

impl RawResponse {
    /// A JSON body decoded as `T`.
    pub fn json<T: serde::de::DeserializeOwned>(self, errors: ErrorDecoder) -> Result<Response<T>, Error> {
        self.by_status(errors, SuccessBody::json)
    }

    /// A text body (XML, plain text...) as a `String`.
    pub fn text(self, errors: ErrorDecoder) -> Result<Response<String>, Error> {
        self.by_status(errors, SuccessBody::text)
    }

    /// A binary body (zip, PDF, images...) as bytes.
    pub fn bytes(self, errors: ErrorDecoder) -> Result<Response<Bytes>, Error> {
        self.by_status(errors, |body| Ok(body.bytes()))
    }

    /// A body the operation does not read (204 No Content and the like).
    pub fn empty(self, errors: ErrorDecoder) -> Result<Response<()>, Error> {
        self.by_status(errors, |_| Ok(()))
    }

    /// A success body decoded by `decode`, which can look at the status
    /// first (operations whose 2xx statuses carry different bodies).
    pub fn by_status<T>(
        self,
        errors: ErrorDecoder,
        decode: impl FnOnce(SuccessBody) -> Result<T, Error>,
    ) -> Result<Response<T>, Error> {
        let raw = self.success(errors)?;
        let body =
            SuccessBody { operation_id: raw.operation_id, status: raw.status, body: raw.body, strict: raw.strict };
        Ok(Response { status: raw.status, headers: raw.headers, body: decode(body)? })
    }

    fn success(self, errors: ErrorDecoder) -> Result<Self, Error> {
        if self.status.is_success() {
            return Ok(self);
        }
        let details = errors(self.status.as_u16(), &self.body);
        let error = ApiError::new(self.operation_id, self.status, self.headers, &self.body, details);
        Err(Error::Api(Box::new(error)))
    }
}

/// The body of a successful response, before it is decoded.
#[derive(Debug)]
pub struct SuccessBody {
    operation_id: &'static str,
    status: StatusCode,
    body: Bytes,
    strict: bool,
}

impl SuccessBody {
    /// The HTTP status, which says how some operations' bodies decode.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The body as JSON of type `T`, with error correction unless the
    /// session decodes strictly.
    pub fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        // Decode at full speed; only a body that fails is decoded again,
        // correcting, then tracking the path to say where it failed.
        if let Ok(body) = serde_json::from_slice(&self.body) {
            return Ok(body);
        }
        if self.strict {
            return self.located_error();
        }
        let (corrected, corrections) = crate::de::correcting(|| serde_json::from_slice(&self.body));
        match corrected {
            Ok(body) => {
                self.warn(&corrections);
                Ok(body)
            }
            // The error to show is one correction cannot fix.
            Err(_) => crate::de::correcting(|| self.located_error()).0,
        }
    }

    /// One warning for each field corrected, however many objects it was in.
    fn warn(&self, corrections: &[crate::de::Correction]) {
        for correction in corrections {
            let what = if correction.null { "null" } else { "missing" };
            tracing::warn!(
                operation = self.operation_id,
                path = correction.path.as_str(),
                model = correction.model,
                field = correction.field,
                count = correction.count,
                "{}: required field `{}` of `{}` {what} at `{}` in {} object{}: decoded as its zero value",
                self.operation_id,
                correction.field,
                correction.model,
                correction.path,
                correction.count,
                if correction.count == 1 { "" } else { "s" },
            );
        }
    }

    /// The body decoded again, tracking the path: the error and where it is.
    fn located_error<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let (path, message) = match serde_path_to_error::deserialize(&mut deserializer) {
            // `serde_path_to_error` reads one document and stops: what follows
            // it must be checked too, or `{...}garbage` would be accepted.
            Ok(body) => match deserializer.end() {
                Ok(()) => return Ok(body),
                Err(error) => (String::new(), error.to_string()),
            },
            Err(error) => (
                // `serde_path_to_error` shows the document itself as `.`;
                // `DecodeError::path` promises an empty path there.
                Some(error.path().to_string()).filter(|path| path != ".").unwrap_or_default(),
                error.into_inner().to_string(),
            ),
        };
        Err(self.decode_error(path, message))
    }

    /// The body as UTF-8 text.
    pub fn text(self) -> Result<String, Error> {
        // `Vec::from(Bytes)` takes over the buffer when it is not shared: no copy.
        let (operation_id, status) = (self.operation_id, self.status);
        String::from_utf8(Vec::from(self.body)).map_err(|error| {
            Error::Decode(Box::new(DecodeError {
                operation: operation_id,
                status,
                path: String::new(),
                message: format!("the body is not UTF-8 text: {}", error.utf8_error()),
                excerpt: excerpt(&String::from_utf8_lossy(error.as_bytes())),
            }))
        })
    }

    /// The body's bytes.
    pub fn bytes(self) -> Bytes {
        self.body
    }

    fn decode_error(&self, path: String, message: String) -> Error {
        Error::Decode(Box::new(DecodeError {
            operation: self.operation_id,
            status: self.status,
            path,
            message,
            excerpt: excerpt(&String::from_utf8_lossy(&self.body)),
        }))
    }
}

/// Why a body could not be read whole.
#[derive(Debug)]
pub enum BodyError {
    /// It is longer than the limit.
    TooLarge,
    /// The connection failed or timed out while reading it.
    Transport(reqwest::Error),
}

/// Reads a whole body of at most `limit` bytes: one announcing a larger
/// `Content-Length` is refused unread, and one without a length (chunked, or
/// ended by closing the connection) is read only until it passes the limit.
pub async fn read_body(response: &mut reqwest::Response, limit: u64) -> Result<Bytes, BodyError> {
    if response.content_length().is_some_and(|length| length > limit) {
        return Err(BodyError::TooLarge);
    }
    let too_large = |length: usize| length as u64 > limit;
    let Some(first) = response.chunk().await.map_err(BodyError::Transport)? else { return Ok(Bytes::new()) };
    if too_large(first.len()) {
        return Err(BodyError::TooLarge);
    }
    // A body that arrives in one chunk is returned as it is, without a copy.
    let Some(second) = response.chunk().await.map_err(BodyError::Transport)? else { return Ok(first) };
    let announced = response.content_length().map_or(0, |length| length.min(limit) as usize);
    let mut body = bytes::BytesMut::with_capacity(announced.max(first.len() + second.len()));
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if too_large(body.len() + chunk.len()) {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await.map_err(BodyError::Transport)?;
    }
    Ok(body.freeze())
}
