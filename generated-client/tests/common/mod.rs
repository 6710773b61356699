//! Helpers shared by the integration tests: a client pointed at a local
//! `wiremock` server, and readers for what reached that server.
//!
//! Each test file compiles this module separately and uses only part of it.
#![allow(dead_code)]

use sailpoint_connectors::{ApiError, Client, Error, ErrorResponseDto};
use serde_json::{json, Value};
use std::io::Write;
use std::sync::{Arc, Mutex};
use wiremock::{MockServer, Request};

/// The bearer token every test client sends.
pub const TOKEN: &str = "test-token";

/// A tracking id used in the error documents the mock server sends.
pub const TRACKING_ID: &str = "b21b1f7ce4da4d639f2c62a57171b427";

/// A client for `server`: plain http allowed, the test token.
/// Retries are off: these tests look at single exchanges; `tests/retries.rs` covers retrying.
pub fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .allow_http(true)
        .retry_policy(sailpoint_connectors::RetryPolicy::none())
        .build()
        .expect("client builds")
}

/// A fresh mock server and a client pointed at it.
pub async fn setup() -> (MockServer, Client) {
    let server = exclusive_server().await;
    let client = client_for(&server);
    (server, client)
}

/// A mock server of this test's own. `MockServer::start` hands out servers
/// from a pool shared by the tests: a page an earlier test requested ahead
/// (its task aborted, its request already on the wire) could then arrive at
/// the next test's server and be counted there.
pub async fn exclusive_server() -> MockServer {
    MockServer::builder().start().await
}

/// Every request the server received.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is enabled")
}

/// The one request the server received; fails if it received none or several.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:#?}");
    requests.remove(0)
}

/// The one value of a header; fails if it is missing, repeated or not text.
pub fn single_header(request: &Request, name: &str) -> String {
    let values: Vec<_> = request.headers.get_all(name).iter().collect();
    assert_eq!(values.len(), 1, "expected exactly one `{name}` header, got {values:?}");
    values[0].to_str().unwrap_or_else(|_| panic!("`{name}` header is not text")).to_owned()
}

/// The decoded query pairs, in the order sent.
pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(name, value)| (name.into_owned(), value.into_owned())).collect()
}

/// Pairs of string slices as owned pairs, for comparing with [`query_pairs`].
pub fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
}

/// Checks method, exact raw path and the headers every request carries:
/// the bearer token, the one `accept` value of the operation and the user agent.
pub fn assert_request_line(request: &Request, method: &str, path: &str, accept: &str) {
    assert_eq!(request.method.as_str(), method, "method of {}", request.url);
    assert_eq!(request.url.path(), path, "raw path of {}", request.url);
    assert_eq!(request.url.fragment(), None);
    assert_eq!(single_header(request, "authorization"), format!("Bearer {TOKEN}"));
    assert_eq!(single_header(request, "accept"), accept);
    let user_agent = single_header(request, "user-agent");
    assert!(user_agent.starts_with("sailpoint-connectors/"), "user agent {user_agent:?}");
    assert_eq!(user_agent, sailpoint_connectors::USER_AGENT);
}

/// Checks a request that must carry neither a body nor a content type.
pub fn assert_no_body(request: &Request) {
    assert!(request.body.is_empty(), "unexpected body {:?}", String::from_utf8_lossy(&request.body));
    assert!(request.headers.get("content-type").is_none(), "unexpected content type");
}

/// One part of a `multipart/form-data` body.
#[derive(Debug)]
pub struct Part {
    /// Header lines as sent, name and value.
    pub headers: Vec<(String, String)>,
    /// The exact content bytes.
    pub body: Vec<u8>,
}

impl Part {
    /// The one value of a header (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.iter().filter(|(key, _)| key.eq_ignore_ascii_case(name));
        let value = values.next().map(|(_, value)| value.as_str());
        assert!(values.next().is_none(), "part header `{name}` repeated in {:?}", self.headers);
        value
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|window| window == needle).map(|at| at + from)
}

/// Parses a multipart body as RFC 7578 lays it out: checks the request's
/// `content-type` names a boundary, and returns the parts in order.
pub fn multipart_parts(request: &Request) -> Vec<Part> {
    let content_type = single_header(request, "content-type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not a multipart content type: {content_type:?}"));
    assert!(!boundary.is_empty(), "empty boundary");
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    assert!(body.starts_with(delimiter.as_bytes()), "body does not start with the boundary");
    let closing = format!("\r\n--{boundary}--\r\n");
    assert!(body.ends_with(closing.as_bytes()), "body does not end with the closing boundary");

    let mut parts = Vec::new();
    let mut start = delimiter.len();
    let separator = format!("\r\n{delimiter}");
    loop {
        let end = find(body, separator.as_bytes(), start).expect("every part is followed by a boundary");
        let chunk = body[start..end].strip_prefix(b"\r\n").expect("a CRLF follows each boundary");
        let split = find(chunk, b"\r\n\r\n", 0).expect("a blank line ends the part's headers");
        let head = std::str::from_utf8(&chunk[..split]).expect("part headers are text");
        let headers = head
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(": ").unwrap_or_else(|| panic!("malformed header line {line:?}"));
                (name.to_owned(), value.to_owned())
            })
            .collect();
        parts.push(Part { headers, body: chunk[split + 4..].to_vec() });
        start = end + separator.len();
        if body[start..].starts_with(b"--") {
            break;
        }
    }
    parts
}

/// The only part of a multipart request, which must be the `file` part.
pub fn only_file_part(request: &Request) -> Part {
    let mut parts = multipart_parts(request);
    assert_eq!(parts.len(), 1, "expected only the `file` part, got {parts:?}");
    parts.remove(0)
}

/// SailPoint's usual error document.
pub fn error_document(detail_code: &str, text: &str) -> Value {
    json!({
        "detailCode": detail_code,
        "trackingId": TRACKING_ID,
        "messages": [{ "locale": "en-US", "localeOrigin": "DEFAULT", "text": text }],
        "causes": [],
    })
}

/// The API error inside an `Error::Api`; fails on any other variant.
pub fn api_error(error: &Error) -> &ApiError {
    match error {
        Error::Api(api) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// Checks an error carrying SailPoint's error document as sent by [`error_document`].
pub fn assert_error_document(error: &Error, operation: &str, status: u16, detail_code: &str, text: &str) {
    let api = api_error(error);
    assert_eq!(api.operation(), operation);
    assert_eq!(api.status().as_u16(), status);
    assert_eq!(error.status().map(|status| status.as_u16()), Some(status));
    assert_eq!(error.is_not_found(), status == 404);
    assert_eq!(error.is_rate_limited(), status == 429);
    assert_eq!(error.tracking_id(), Some(TRACKING_ID));
    assert_eq!(api.tracking_id(), Some(TRACKING_ID));

    let details = api.details::<ErrorResponseDto>().expect("the body decodes as ErrorResponseDto");
    assert_eq!(details.detail_code.as_deref(), Some(detail_code));
    assert_eq!(details.tracking_id.as_deref(), Some(TRACKING_ID));
    let messages = details.messages.as_ref().expect("messages");
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].text.as_deref(), Some(text));
    assert_eq!(messages[0].locale.as_deref(), Some("en-US"));
    assert_eq!(messages[0].locale_origin, Some(sailpoint_connectors::LocaleOrigin::Default));
    assert_eq!(details.causes.as_deref(), Some(&[][..]));
    assert!(api.details::<sailpoint_connectors::UnauthorizedBody>().is_none());
    assert!(api.details_debug().is_some());
    assert_eq!(serde_json::from_str::<Value>(api.body()).unwrap(), error_document(detail_code, text));

    let shown = error.to_string();
    for expected in [operation, &status.to_string(), text, TRACKING_ID] {
        assert!(shown.contains(expected), "{shown:?} does not mention {expected:?}");
    }
}

/// A retry policy that never sleeps long: backoff of 1 to 5 ms, and
/// `Retry-After` honoured up to 20 ms, so retry tests take milliseconds.
pub fn fast_retries() -> sailpoint_connectors::RetryPolicy {
    sailpoint_connectors::RetryPolicy::default()
        .initial_backoff(std::time::Duration::from_millis(1))
        .max_backoff(std::time::Duration::from_millis(5))
        .max_retry_after(std::time::Duration::from_millis(20))
}

/// The requests the server received at `path`, in order.
pub async fn received_at(server: &MockServer, path: &str) -> Vec<Request> {
    received(server).await.into_iter().filter(|request| request.url.path() == path).collect()
}

/// The bearer tokens of requests, in order (`None` for a request without one).
pub fn bearer_tokens(requests: &[Request]) -> Vec<Option<String>> {
    requests
        .iter()
        .map(|request| {
            let value = request.headers.get("authorization")?.to_str().ok()?;
            Some(value.strip_prefix("Bearer ").unwrap_or(value).to_owned())
        })
        .collect()
}

/// Answers the n-th request with the n-th response, then repeats the last one.
pub struct Sequence {
    responses: Vec<wiremock::ResponseTemplate>,
    next: std::sync::atomic::AtomicUsize,
}

impl Sequence {
    pub fn new(responses: Vec<wiremock::ResponseTemplate>) -> Self {
        assert!(!responses.is_empty(), "a sequence needs at least one response");
        Self { responses, next: std::sync::atomic::AtomicUsize::new(0) }
    }
}

impl wiremock::Respond for Sequence {
    fn respond(&self, _: &Request) -> wiremock::ResponseTemplate {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.responses[n.min(self.responses.len() - 1)].clone()
    }
}

/// An OAuth2 token endpoint that issues `token-1`, `token-2`, ... in turn.
pub struct TokenEndpoint {
    issued: std::sync::atomic::AtomicUsize,
    expires_in: Option<u64>,
    delay: std::time::Duration,
}

impl TokenEndpoint {
    /// Tokens valid for `expires_in` seconds (no `expires_in` in the answer when `None`).
    pub fn new(expires_in: Option<u64>) -> Self {
        Self { issued: std::sync::atomic::AtomicUsize::new(0), expires_in, delay: std::time::Duration::ZERO }
    }

    /// Answers only after `delay`, to keep a fetch in flight for a while.
    pub fn delayed(mut self, delay: std::time::Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Mounts the endpoint at `POST /oauth/token`.
    pub async fn mount(self, server: &MockServer) {
        wiremock::Mock::given(wiremock::matchers::method("POST"))
            .and(wiremock::matchers::path("/oauth/token"))
            .respond_with(self)
            .named("token endpoint")
            .mount(server)
            .await;
    }
}

impl wiremock::Respond for TokenEndpoint {
    fn respond(&self, _: &Request) -> wiremock::ResponseTemplate {
        let n = self.issued.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        let mut body = json!({ "access_token": format!("token-{n}"), "token_type": "bearer" });
        if let Some(expires_in) = self.expires_in {
            body["expires_in"] = json!(expires_in);
        }
        wiremock::ResponseTemplate::new(200).set_body_json(body).set_delay(self.delay)
    }
}

/// Answers each request with the response last given to [`set`](Self::set),
/// so a test can pick the answer of every call it makes (one call at a time).
#[derive(Clone, Default)]
pub struct NextResponse(std::sync::Arc<std::sync::Mutex<Option<wiremock::ResponseTemplate>>>);

impl NextResponse {
    /// The answer to the next requests.
    pub fn set(&self, response: wiremock::ResponseTemplate) {
        *self.0.lock().unwrap() = Some(response);
    }
}

impl wiremock::Respond for NextResponse {
    fn respond(&self, _: &Request) -> wiremock::ResponseTemplate {
        self.0.lock().unwrap().clone().expect("NextResponse::set was called before the request")
    }
}

/// A bare HTTP/1.1 server on its own thread, for answers `wiremock` cannot
/// give (a chunked body, a body ended by closing the connection, an endless
/// body): it reads each request's head (request line and headers), lets
/// `answer` write the raw response for it and closes the connection.
/// Request bodies (of a `Content-Length`) are read and dropped.
pub struct RawServer {
    /// `http://127.0.0.1:{port}`.
    pub uri: String,
    requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl RawServer {
    pub fn start(answer: impl Fn(&str, &mut std::net::TcpStream) + Send + 'static) -> Self {
        use std::io::Read;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let uri = format!("http://{}", listener.local_addr().unwrap());
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => break,
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                // Read the body too: closing a connection with unread data resets it,
                // which could cut the response short.
                let length = head
                    .lines()
                    .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:")?.trim().parse().ok())
                    .unwrap_or(0usize);
                let _ = stream.read_exact(&mut vec![0; length]);
                seen.lock().unwrap().push(head.clone());
                answer(&head, &mut stream);
                // Dropping the stream closes the connection.
            }
        });
        Self { uri, requests }
    }

    /// The heads (request line and headers) of the requests received so far.
    pub fn request_heads(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Writes a response head: `status_line` (`200 OK`) and `headers`, each a
/// whole `name: value` line without its CRLF.
pub fn write_head(stream: &mut std::net::TcpStream, status_line: &str, headers: &[&str]) -> std::io::Result<()> {
    use std::io::Write;
    let mut head = format!("HTTP/1.1 {status_line}\r\n");
    for header in headers {
        head.push_str(header);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())
}

/// Writes one chunk of a `Transfer-Encoding: chunked` body (an empty `data` ends the body).
pub fn write_chunk(stream: &mut std::net::TcpStream, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    stream.write_all(format!("{:x}\r\n", data.len()).as_bytes())?;
    stream.write_all(data)?;
    stream.write_all(b"\r\n")?;
    stream.flush()
}

/// Log output kept in memory, for a `tracing` subscriber to write to.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// What was written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
