//! Requests as generated operations describe them, rebuilt for every attempt.

use std::path::Path;

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;

use crate::error::Error;

/// Everything except RFC 3986's unreserved characters is percent-encoded,
/// so a value can never add a `/`, `?` or `#` to the path.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Encodes a path parameter as exactly one path segment.
///
/// `.` and `..` are refused: URL normalisation would turn them into a
/// different path, so no encoding of them stays one segment.
pub fn path_segment(operation_id: &'static str, name: &str, value: &str) -> Result<String, Error> {
    if value.is_empty() || value == "." || value == ".." {
        let message = format!("path parameter `{name}` cannot be {value:?}: it would not stay one path segment");
        return Err(Error::InvalidRequest { operation: operation_id, message });
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

/// A structured parameter value as JSON text.
pub fn json_text<T: serde::Serialize>(operation_id: &'static str, value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|error| Error::InvalidRequest {
        operation: operation_id,
        message: format!("a parameter cannot be written as JSON: {error}"),
    })
}

/// How an array or object value becomes text in a query string or a form
/// body: OpenAPI's `style` and `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form`: exploded, a pair per array item (`a=1&a=2`) or object property
    /// (`x=1&y=2`); else one pair, comma-separated (`a=1,2`, `a=x,1,y,2`).
    Form {
        /// Whether each item or property is a parameter of its own.
        explode: bool,
    },
    /// `spaceDelimited`: array items joined by spaces.
    SpaceDelimited,
    /// `pipeDelimited`: array items joined by `|`.
    PipeDelimited,
    /// `deepObject`: a pair per object property, `name[property]=value`.
    DeepObject,
    /// The value's JSON text (objects in a form body, unless an `encoding` says otherwise).
    Json,
}

/// The name/value pairs a value is sent as, by OpenAPI's style rules;
/// `None` (JSON `null`) sends nothing. Scalars are their text; items or
/// properties that are themselves arrays or objects are their JSON text.
pub fn style_pairs(name: &str, value: &serde_json::Value, style: Style) -> Vec<(String, String)> {
    use serde_json::Value;
    fn text(value: &Value) -> String {
        match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    }
    let pair = |value: String| vec![(name.to_owned(), value)];
    match (value, style) {
        (Value::Null, _) => Vec::new(),
        (Value::Array(_) | Value::Object(_), Style::Json) => pair(value.to_string()),
        (Value::Array(items), Style::Form { explode: true }) => {
            items.iter().map(|item| (name.to_owned(), text(item))).collect()
        }
        (Value::Array(items), style) => {
            let separator = match style {
                Style::SpaceDelimited => " ",
                Style::PipeDelimited => "|",
                _ => ",",
            };
            pair(items.iter().map(text).collect::<Vec<_>>().join(separator))
        }
        (Value::Object(properties), Style::DeepObject) => {
            properties.iter().map(|(key, value)| (format!("{name}[{key}]"), text(value))).collect()
        }
        (Value::Object(properties), Style::Form { explode: true }) => {
            properties.iter().map(|(key, value)| (key.clone(), text(value))).collect()
        }
        (Value::Object(properties), _) => {
            pair(properties.iter().flat_map(|(key, value)| [key.clone(), text(value)]).collect::<Vec<_>>().join(","))
        }
        (scalar, _) => pair(text(scalar)),
    }
}

/// An array or object as OpenAPI's `simple` style writes it in a path
/// segment, a header or a cookie: items, or keys and values, joined by commas.
pub fn simple_text<T: serde::Serialize>(operation_id: &'static str, value: &T) -> Result<String, Error> {
    let value = serde_json::to_value(value).map_err(|error| Error::InvalidRequest {
        operation: operation_id,
        message: format!("a parameter cannot be written: {error}"),
    })?;
    let pairs = style_pairs("", &value, Style::Form { explode: false });
    Ok(pairs.into_iter().map(|(_, text)| text).collect::<Vec<_>>().join(","))
}

/// One request, described by a generated operation.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) operation_id: &'static str,
    pub(crate) method: Method,
    /// Path below the API base, already encoded, starting with `/`.
    pub(crate) path: String,
    pub(crate) query: Vec<(std::borrow::Cow<'static, str>, String)>,
    pub(crate) headers: HeaderMap,
    /// Cookie parameters, sent together in one `Cookie` header.
    pub(crate) cookies: Vec<(&'static str, String)>,
    pub(crate) body: Body,
    /// The operation's own security requirements; `None` for the API's.
    pub(crate) security: Option<&'static [crate::auth::Requirement]>,
}

/// A request body, kept in a form that can be sent again on a retry.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Empty,
    Bytes {
        content_type: std::borrow::Cow<'static, str>,
        bytes: Bytes,
    },
    /// A file on disk, opened afresh and streamed for every attempt.
    File {
        content_type: std::borrow::Cow<'static, str>,
        path: std::path::PathBuf,
    },
    Multipart(Form),
}

impl Request {
    /// A request of the operation `operation_id` for `path` (below the API root, encoded).
    pub fn new(operation_id: &'static str, method: Method, path: String) -> Self {
        Self {
            operation_id,
            method,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: Body::Empty,
            security: None,
        }
    }

    /// Sets the security requirements the operation declares instead of the API's.
    pub fn security(mut self, requirements: &'static [crate::auth::Requirement]) -> Self {
        self.security = Some(requirements);
        self
    }

    /// Sets the media type the operation expects back.
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static(media_type));
        self
    }

    /// Adds a query parameter; a value appears in the URL as its `Display` text.
    pub fn query(mut self, name: &'static str, value: &(impl ToString + ?Sized)) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Adds an optional query parameter when it is set.
    pub fn query_opt(self, name: &'static str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.query(name, &value),
            None => self,
        }
    }

    /// Adds a query parameter once per item (an exploded `form` array); none for no items.
    pub fn query_each<T: ToString>(self, name: &'static str, values: impl IntoIterator<Item = T>) -> Self {
        values.into_iter().fold(self, |request, value| request.query(name, &value))
    }

    /// Adds an optional query parameter whose value is an array or object, when it is set.
    pub fn query_styled_opt<T: serde::Serialize>(
        self,
        name: &'static str,
        value: Option<&T>,
        style: Style,
    ) -> Result<Self, Error> {
        match value {
            Some(value) => self.query_styled(name, value, style),
            None => Ok(self),
        }
    }

    /// Adds an optional header when it is set.
    pub fn header_opt(self, name: &'static str, value: Option<impl ToString>) -> Result<Self, Error> {
        match value {
            Some(value) => self.header(name, &value),
            None => Ok(self),
        }
    }

    /// Adds an optional cookie when it is set.
    pub fn cookie_opt(self, name: &'static str, value: Option<impl ToString>) -> Result<Self, Error> {
        match value {
            Some(value) => self.cookie(name, &value),
            None => Ok(self),
        }
    }

    /// Adds a query parameter whose value is an array or object, written by `style`.
    pub fn query_styled<T: serde::Serialize>(
        mut self,
        name: &'static str,
        value: &T,
        style: Style,
    ) -> Result<Self, Error> {
        let value = self.to_value(value)?;
        for (key, text) in style_pairs(name, &value, style) {
            self.query.push((key.into(), text));
        }
        Ok(self)
    }

    /// Adds a cookie parameter; a value that could end the cookie or the header is refused.
    pub fn cookie(mut self, name: &'static str, value: &(impl ToString + ?Sized)) -> Result<Self, Error> {
        let value = value.to_string();
        // RFC 6265's cookie-octet: no controls, whitespace, `"`, `,`, `;` or `\`.
        if value.chars().any(|c| c.is_control() || c.is_whitespace() || matches!(c, '"' | ',' | ';' | '\\')) {
            let message = format!("cookie `{name}` has a value that is not allowed in a cookie");
            return Err(Error::InvalidRequest { operation: self.operation_id, message });
        }
        self.cookies.push((name, value));
        Ok(self)
    }

    fn to_value<T: serde::Serialize>(&self, value: &T) -> Result<serde_json::Value, Error> {
        serde_json::to_value(value).map_err(|error| Error::InvalidRequest {
            operation: self.operation_id,
            message: format!("a value cannot be written: {error}"),
        })
    }

    /// Adds a header parameter; values that could split the header are refused.
    pub fn header(mut self, name: &'static str, value: &(impl ToString + ?Sized)) -> Result<Self, Error> {
        let value = value.to_string();
        let invalid = |message: String| Error::InvalidRequest { operation: self.operation_id, message };
        let header_value = HeaderValue::from_str(&value)
            .map_err(|_| invalid(format!("header `{name}` has a value that is not allowed in a header")))?;
        let header_name = HeaderName::from_static(name);
        self.headers.append(header_name, header_value);
        Ok(self)
    }

    /// Sets a JSON body with the exact media type the operation declares.
    pub fn json<T: serde::Serialize>(mut self, content_type: &'static str, body: &T) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|error| Error::InvalidRequest {
            operation: self.operation_id,
            message: format!("the body cannot be written as JSON: {error}"),
        })?;
        self.body = Body::Bytes { content_type: content_type.into(), bytes: Bytes::from(bytes) };
        Ok(self)
    }

    /// Sets an `application/x-www-form-urlencoded` body: each property of the
    /// object `body` is a pair (or several), written by its `styles` entry, or
    /// by default arrays exploded and objects as JSON text; properties in
    /// the order of `serde_json`'s maps, absent ones left out.
    pub fn form<T: serde::Serialize>(
        mut self,
        content_type: &'static str,
        body: &T,
        styles: &[(&'static str, Style)],
    ) -> Result<Self, Error> {
        let value = self.to_value(body)?;
        let serde_json::Value::Object(properties) = value else {
            let message = "a form body must be an object".to_owned();
            return Err(Error::InvalidRequest { operation: self.operation_id, message });
        };
        let mut pairs = Vec::new();
        for (name, value) in &properties {
            let default = if value.is_object() { Style::Json } else { Style::Form { explode: true } };
            let style = styles.iter().find(|(styled, _)| styled == name).map_or(default, |(_, style)| *style);
            pairs.extend(style_pairs(name, value, style));
        }
        let text = serde_urlencoded::to_string(&pairs).map_err(|error| Error::InvalidRequest {
            operation: self.operation_id,
            message: format!("the form cannot be encoded: {error}"),
        })?;
        self.body = Body::Bytes { content_type: content_type.into(), bytes: Bytes::from(text) };
        Ok(self)
    }

    /// Sets a text body (`text/plain`, `text/csv`, ...).
    pub fn text(mut self, content_type: &'static str, text: String) -> Self {
        self.body = Body::Bytes { content_type: content_type.into(), bytes: Bytes::from(text) };
        self
    }

    /// Sets a binary body; the upload's own content type wins over the spec's.
    pub fn upload(mut self, content_type: &'static str, upload: Upload) -> Self {
        let content_type = upload.content_type.map_or(std::borrow::Cow::Borrowed(content_type), Into::into);
        self.body = match upload.source {
            UploadSource::Bytes(bytes) => Body::Bytes { content_type, bytes },
            UploadSource::File(path) => Body::File { content_type, path },
        };
        self
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(mut self, form: Form) -> Self {
        self.body = Body::Multipart(form);
        self
    }
}

/// The parts of a `multipart/form-data` body.
#[derive(Debug, Clone, Default)]
pub struct Form {
    parts: Vec<(std::borrow::Cow<'static, str>, FormValue)>,
}

#[derive(Debug, Clone)]
enum FormValue {
    File(FilePart),
    Text(String),
}

impl Form {
    /// Adds a file part.
    pub fn file(mut self, name: &'static str, file: FilePart) -> Self {
        self.parts.push((name.into(), FormValue::File(file)));
        self
    }

    /// A file part whose name the caller chose (for forms the spec leaves open).
    pub fn named_file(mut self, name: String, file: FilePart) -> Self {
        self.parts.push((name.into(), FormValue::File(file)));
        self
    }

    /// Adds a text part.
    pub fn text(mut self, name: &'static str, value: impl ToString) -> Self {
        self.parts.push((name.into(), FormValue::Text(value.to_string())));
        self
    }

    /// A fresh `reqwest` form; the bytes are shared, not copied.
    pub fn to_reqwest(&self, operation_id: &'static str) -> Result<reqwest::multipart::Form, Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in &self.parts {
            let part = match value {
                FormValue::Text(text) => reqwest::multipart::Part::text(text.clone()),
                FormValue::File(file) => {
                    let length = file.bytes.len() as u64;
                    let body = reqwest::Body::from(file.bytes.clone());
                    let mut part = reqwest::multipart::Part::stream_with_length(body, length);
                    if let Some(file_name) = &file.file_name {
                        // `reqwest` escapes quotes but copies CR and LF as they are,
                        // which would let a file name add headers to the part.
                        if file_name.chars().any(char::is_control) {
                            return Err(Error::InvalidRequest {
                                operation: operation_id,
                                message: format!(
                                    "part `{name}` has a file name with control characters: {file_name:?}"
                                ),
                            });
                        }
                        part = part.file_name(file_name.clone());
                    }
                    part.mime_str(&file.content_type).map_err(|_| Error::InvalidRequest {
                        operation: operation_id,
                        message: format!("part `{name}` has an invalid content type {:?}", file.content_type),
                    })?
                }
            };
            form = form.part(name.clone(), part);
        }
        Ok(form)
    }
}

/// A binary request body: bytes in memory, or a file on disk that is
/// streamed (never read whole into memory) and opened afresh for every
/// attempt, so a retry sends it again from the start.
#[derive(Debug, Clone)]
pub struct Upload {
    source: UploadSource,
    content_type: Option<String>,
}

#[derive(Debug, Clone)]
enum UploadSource {
    Bytes(Bytes),
    File(std::path::PathBuf),
}

impl Upload {
    /// A body holding `bytes`.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        Self { source: UploadSource::Bytes(bytes.into()), content_type: None }
    }

    /// A body streamed from the file at `path`, which is opened only when
    /// the request is sent.
    pub fn from_path(path: impl Into<std::path::PathBuf>) -> Self {
        Self { source: UploadSource::File(path.into()), content_type: None }
    }

    /// Sends the body with this content type instead of the one the
    /// operation declares (for operations that accept any, such as `*/*`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Self::from_bytes(bytes)
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from_bytes(bytes)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from_bytes(bytes)
    }
}

/// A file to upload as a part of a multipart request.
///
/// Build it from bytes in memory or from a file on disk; the file name and
/// content type sent with it can be set either way.
#[derive(Clone)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: String,
}

impl FilePart {
    /// A part holding `bytes`, sent as `application/octet-stream` with no file name
    /// until [`file_name`](Self::file_name) and [`content_type`](Self::content_type) say otherwise.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        Self { bytes: bytes.into(), file_name: None, content_type: "application/octet-stream".to_owned() }
    }

    /// Reads a file; its name becomes the part's file name and its extension
    /// chooses the content type (`.xml` is sent as `application/xml`).
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let bytes = tokio::fs::read(path).await.map_err(|error| Error::InvalidRequest {
            operation: "FilePart::from_path",
            message: format!("cannot read {}: {error}", path.display()),
        })?;
        let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned());
        let content_type = match mime_guess::from_path(path).first_or_octet_stream().essence_str() {
            // `mime_guess` knows `.xml` only as `text/xml`; RFC 7303 prefers `application/xml`.
            "text/xml" => "application/xml".to_owned(),
            other => other.to_owned(),
        };
        Ok(Self { bytes: Bytes::from(bytes), file_name, content_type })
    }

    /// Sets the file name sent with the part.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the content type sent with the part.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The content of the part.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_that_could_split_the_header_are_refused() {
        for value in ["a\r\nx-injected: 1", "a\nb", "a\rb", "nul\0"] {
            let request = Request::new("op", Method::GET, "/".into());
            let error = request.header("x-sailpoint-experimental", value).expect_err(value);
            assert!(matches!(error, Error::InvalidRequest { operation: "op", .. }), "{error}");
        }
        let request = Request::new("op", Method::GET, "/".into()).header("x-sailpoint-experimental", "true").unwrap();
        assert_eq!(request.headers["x-sailpoint-experimental"], "true");
    }

    #[test]
    fn path_segments_never_leave_their_segment() {
        let cases = [
            ("a/b", "a%2Fb"),
            ("../sources", "..%2Fsources"),
            ("x?y#z", "x%3Fy%23z"),
            ("%2F", "%252F"),
            ("café", "caf%C3%A9"),
            ("tab\tnew\nline", "tab%09new%0Aline"),
            ("\u{202e}rtl", "%E2%80%AErtl"),
            ("a;b=c", "a%3Bb%3Dc"),
            ("keep-._~", "keep-._~"),
        ];
        for (value, encoded) in cases {
            assert_eq!(path_segment("op", "scriptName", value).unwrap(), encoded);
        }
        for value in ["", ".", ".."] {
            assert!(path_segment("op", "scriptName", value).is_err(), "{value:?}");
        }
    }
}
