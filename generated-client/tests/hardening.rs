//! Hardening: whatever a server sends, every operation returns `Ok` or a
//! typed error and never panics; no response is read past the size limit;
//! credentials never travel to another host; unsafe settings are refused;
//! no secret is ever logged or shown; and every path parameter stays one
//! percent-encoded segment.
//!
//! The pseudo-random cases come from `fastrand` seeded per case, so a
//! failure names the operation, case number and seed that reproduce it.

mod common;

use std::cell::RefCell;
use std::fmt::Debug;
use std::future::Future;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::sync::Once;
use std::time::Duration;

use common::*;
use futures_util::FutureExt;
use sailpoint_connectors::{
    AccessToken, Client, Error, ErrorResponseDto, FilePart, JsonPatchOperation, JsonPatchOperationOp, Locale, Response,
    RetryPolicy, TokenFuture, TokenSource, TooManyRequestsBody, UnauthorizedBody, V3CreateConnectorDto,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

// ---------------------------------------------------------------------------
// 1. Arbitrary response bodies never panic
// ---------------------------------------------------------------------------

/// Cases per operation.
const CASES: u64 = 100;

/// Base of every seed; a case's seed also depends on its operation and number.
const SEED: u64 = 0x5A11_B017_0000_0000;

/// Statuses served: success (most often, to exercise the decoders), the
/// declared error statuses and two undeclared ones.
const STATUSES: &[u16] = &[200, 200, 200, 200, 204, 400, 401, 403, 404, 429, 500, 418, 502];

/// `Content-Type`s served (`None`: no such header); the client must not trust them.
const CONTENT_TYPES: &[Option<&str>] = &[
    Some("application/json"),
    Some("application/json; charset=utf-8"),
    Some("application/problem+json"),
    Some("application/xml"),
    Some("text/plain"),
    Some("text/html; charset=iso-8859-1"),
    Some("application/octet-stream"),
    Some("multipart/form-data; boundary=x"),
    Some("x/y; ;=="),
    Some(""),
    None,
];

/// The 13 operations of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    GetConnectorList,
    CreateCustomConnector,
    GetConnector,
    DeleteCustomConnector,
    UpdateConnector,
    GetConnectorSourceConfig,
    PutConnectorSourceConfig,
    GetConnectorSourceTemplate,
    PutConnectorSourceTemplate,
    GetConnectorCorrelationConfig,
    PutConnectorCorrelationConfig,
    GetConnectorTranslations,
    PutConnectorTranslations,
}

impl Op {
    fn id(self) -> &'static str {
        match self {
            Op::GetConnectorList => "getConnectorList",
            Op::CreateCustomConnector => "createCustomConnector",
            Op::GetConnector => "getConnector",
            Op::DeleteCustomConnector => "deleteCustomConnector",
            Op::UpdateConnector => "updateConnector",
            Op::GetConnectorSourceConfig => "getConnectorSourceConfig",
            Op::PutConnectorSourceConfig => "putConnectorSourceConfig",
            Op::GetConnectorSourceTemplate => "getConnectorSourceTemplate",
            Op::PutConnectorSourceTemplate => "putConnectorSourceTemplate",
            Op::GetConnectorCorrelationConfig => "getConnectorCorrelationConfig",
            Op::PutConnectorCorrelationConfig => "putConnectorCorrelationConfig",
            Op::GetConnectorTranslations => "getConnectorTranslations",
            Op::PutConnectorTranslations => "putConnectorTranslations",
        }
    }

    /// A valid success body.
    fn sample(self) -> Vec<u8> {
        let connector = json!({
            "name": "Active Directory", "type": "Active Directory - Direct", "scriptName": "active-directory",
            "className": "sailpoint.connector.ADLDAPConnector", "features": ["AUTHENTICATE", "PROVISIONING"],
            "directConnect": true, "connectorMetadata": { "supportsVA": true, "levels": [1, 2, { "deep": null }] },
            "status": "RELEASED"
        });
        let detail = json!({
            "name": "custom-app", "type": "custom", "className": "x.Connector", "scriptName": "custom-app",
            "applicationXml": "<Application/>", "correlationConfigXml": "<Correlation/>",
            "sourceConfigXml": "<Form/>", "sourceConfig": "cfg", "sourceConfigFrom": "sp-connect",
            "s3Location": "s3://bucket/key", "uploadedFiles": ["a.xml", "b.jar"], "fileUpload": false,
            "directConnect": true, "translationProperties": { "de": "x=y" },
            "connectorMetadata": { "k": "v" }, "status": "DEVELOPMENT"
        });
        let update = json!({
            "message": "ok", "scriptName": "custom-app", "updatedFiles": ["source-config.xml"], "status": "UPDATED"
        });
        let document = match self {
            Op::GetConnectorList => json!([connector.clone(), connector]),
            Op::CreateCustomConnector => connector,
            Op::GetConnector | Op::UpdateConnector => detail,
            Op::PutConnectorSourceConfig
            | Op::PutConnectorSourceTemplate
            | Op::PutConnectorCorrelationConfig
            | Op::PutConnectorTranslations => update,
            Op::DeleteCustomConnector => json!({}),
            Op::GetConnectorSourceConfig
            | Op::GetConnectorSourceTemplate
            | Op::GetConnectorCorrelationConfig
            | Op::GetConnectorTranslations => {
                return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Form name=\"é\"><Field name=\"host\"/></Form>\n"
                    .as_bytes()
                    .to_vec();
            }
        };
        serde_json::to_vec(&document).unwrap()
    }

    /// Sends the operation and checks its outcome against what `case` served.
    async fn check(self, client: &Client, case: &Case) {
        let name = "custom-app";
        let file = || FilePart::from_bytes("<Form/>").file_name("form.xml").content_type("application/xml");
        match self {
            Op::GetConnectorList => check_json(client.get_connector_list().limit(10).send().await, self, case),
            Op::CreateCustomConnector => {
                let body = V3CreateConnectorDto::new("custom-app".into(), "x.Connector".into());
                check_json(client.create_custom_connector(body).send().await, self, case)
            }
            Op::GetConnector => check_json(client.get_connector(name).send().await, self, case),
            Op::DeleteCustomConnector => check_empty(client.delete_custom_connector(name).send().await, self, case),
            Op::UpdateConnector => {
                let patch = vec![JsonPatchOperation::new(JsonPatchOperationOp::Remove, "/sourceConfigXml".into())];
                check_json(client.update_connector(name, patch).send().await, self, case)
            }
            Op::GetConnectorSourceConfig => {
                check_text(client.get_connector_source_config(name).send().await, self, case)
            }
            Op::PutConnectorSourceConfig => {
                check_json(client.put_connector_source_config(name, file()).send().await, self, case)
            }
            Op::GetConnectorSourceTemplate => {
                check_text(client.get_connector_source_template(name).send().await, self, case)
            }
            Op::PutConnectorSourceTemplate => {
                check_json(client.put_connector_source_template(name, file()).send().await, self, case)
            }
            Op::GetConnectorCorrelationConfig => {
                check_text(client.get_connector_correlation_config(name).send().await, self, case)
            }
            Op::PutConnectorCorrelationConfig => {
                check_json(client.put_connector_correlation_config(name, file()).send().await, self, case)
            }
            Op::GetConnectorTranslations => {
                check_text(client.get_connector_translations(name, Locale::De).send().await, self, case)
            }
            Op::PutConnectorTranslations => {
                check_json(client.put_connector_translations(name, Locale::De, file()).send().await, self, case)
            }
        }
    }
}

/// One served answer.
struct Case {
    /// Names the case for failure messages: operation, number, seed, kind.
    label: String,
    status: u16,
    content_type: Option<&'static str>,
    body: Vec<u8>,
}

impl Case {
    fn new(op: Op, n: u64) -> Self {
        let seed = SEED ^ ((op as u64) << 32) ^ n;
        let mut rng = fastrand::Rng::with_seed(seed);
        let status = STATUSES[rng.usize(..STATUSES.len())];
        let content_type = CONTENT_TYPES[rng.usize(..CONTENT_TYPES.len())];
        let valid = if (200..300).contains(&status) { op.sample() } else { error_sample(status) };
        let (kind, body) = fuzz_body(&mut rng, &valid);
        let label = format!(
            "{} case {n} (seed {seed:#x}): {kind} body of {} bytes, status {status}, content type {content_type:?}",
            op.id(),
            body.len()
        );
        Self { label, status, content_type, body }
    }

    fn template(&self) -> ResponseTemplate {
        let template = ResponseTemplate::new(self.status).set_body_bytes(self.body.clone());
        match self.content_type {
            Some(content_type) => template.insert_header("content-type", content_type),
            None => template,
        }
    }

    /// The body the client receives: a 204 carries none (the server drops it).
    fn delivered(&self) -> &[u8] {
        if self.status == 204 {
            &[]
        } else {
            &self.body
        }
    }

    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A valid error body for a status: SailPoint's error document for the
/// statuses declaring it, the declared bodies of 401 and 429, HTML otherwise.
fn error_sample(status: u16) -> Vec<u8> {
    let document = match status {
        401 => json!({ "error": "JWT validation failed: JWT is expired" }),
        429 => json!({ "message": " Rate Limit Exceeded " }),
        400 | 403 | 404 | 500 => error_document("400.1.0 Required data missing or empty", "scriptName is invalid"),
        _ => return b"<html><body><h1>Bad Gateway</h1></body></html>".to_vec(),
    };
    serde_json::to_vec(&document).unwrap()
}

/// Field names of the spec's models, so random documents hit real fields.
const KEYS: &[&str] = &[
    "name",
    "type",
    "scriptName",
    "className",
    "features",
    "directConnect",
    "connectorMetadata",
    "status",
    "messages",
    "causes",
    "trackingId",
    "detailCode",
    "text",
    "locale",
    "localeOrigin",
    "updatedFiles",
    "message",
    "error",
    "translationProperties",
    "",
    "\u{202e}",
];

/// Numbers no Rust number type holds, or that are on the edge of one.
const HUGE_NUMBERS: &[&str] = &[
    "1e999999",
    "-1e400",
    "4.9e-400",
    "1E+2147483648",
    "123456789012345678901234567890123456789",
    "18446744073709551616",
    "-9223372036854775809",
    "2147483648",
    "-0",
    "0.0000000000000000000000000000000000000000000000000000000000000000000000001",
];

/// Byte sequences that are not UTF-8, or JSON escapes that are not Unicode.
const NOT_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xfe\xff",
    b"\x80",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xe2\x82",
    b"\\ud800",
    b"\\udc00\\ud800",
    b"\\u00",
];

/// A marker replaced by raw text after serialising a document.
const MARK: &str = "\u{1}MARK\u{1}";

fn fuzz_body(rng: &mut fastrand::Rng, valid: &[u8]) -> (&'static str, Vec<u8>) {
    match rng.u8(..13) {
        0 => ("random bytes", (0..rng.usize(..400)).map(|_| rng.u8(..)).collect()),
        1 => ("truncated", valid[..rng.usize(..=valid.len())].to_vec()),
        2 => ("mutated", mutate_bytes(rng, valid)),
        3 => {
            let huge = HUGE_NUMBERS[rng.usize(..HUGE_NUMBERS.len())].to_owned();
            let huge = if rng.u8(..4) == 0 { "9".repeat(5_000) } else { huge };
            ("huge number", with_raw_node(rng, valid, &huge))
        }
        4 => ("deeply nested", deeply_nested(rng, valid)),
        5 => ("invalid UTF-8", not_utf8(rng, valid)),
        6 => ("wrong type", wrong_type(rng, valid)),
        7 => ("empty", Vec::new()),
        8 => ("valid", valid.to_vec()),
        9 => ("padded", padded(rng, valid)),
        10 => {
            let long = if rng.bool() { "é".repeat(20_000) } else { "\\u0000".repeat(5_000) };
            ("long string", with_raw_node(rng, valid, &format!("\"{long}\"")))
        }
        11 => ("random JSON", serde_json::to_vec(&random_json(rng, 0)).unwrap()),
        _ => ("null", b"null".to_vec()),
    }
}

/// A few random byte edits: flips, insertions, deletions, duplications.
fn mutate_bytes(rng: &mut fastrand::Rng, valid: &[u8]) -> Vec<u8> {
    let mut bytes = valid.to_vec();
    for _ in 0..rng.usize(1..8) {
        let at = rng.usize(..=bytes.len());
        match rng.u8(..4) {
            0 if at < bytes.len() => bytes[at] ^= 1 << rng.u8(..8),
            1 => bytes.insert(at, *b"{}[]\",:\\0-e".get(rng.usize(..12)).unwrap_or(&0)),
            2 if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => {
                let end = rng.usize(at..=bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
        }
    }
    bytes
}

/// The valid body parsed as JSON, or a random document when it is not JSON.
fn as_json(rng: &mut fastrand::Rng, valid: &[u8]) -> Value {
    serde_json::from_slice(valid).unwrap_or_else(|_| random_json(rng, 0))
}

/// Runs `change` on a random node of `value` (the root included).
fn at_random_node(rng: &mut fastrand::Rng, value: &mut Value, change: &mut dyn FnMut(&mut fastrand::Rng, &mut Value)) {
    let children = match value {
        Value::Array(items) => items.len(),
        Value::Object(fields) => fields.len(),
        _ => 0,
    };
    if children == 0 || rng.u8(..3) == 0 {
        return change(rng, value);
    }
    let index = rng.usize(..children);
    let child = match value {
        Value::Array(items) => &mut items[index],
        Value::Object(fields) => fields.values_mut().nth(index).unwrap(),
        _ => unreachable!(),
    };
    at_random_node(rng, child, change)
}

/// The valid document with a random node replaced by raw JSON text.
fn with_raw_node(rng: &mut fastrand::Rng, valid: &[u8], raw: &str) -> Vec<u8> {
    let mut document = as_json(rng, valid);
    at_random_node(rng, &mut document, &mut |_, node| *node = Value::String(MARK.into()));
    let marker = serde_json::to_string(MARK).unwrap();
    serde_json::to_string(&document).unwrap().replacen(&marker, raw, 1).into_bytes()
}

/// 10 000 levels of arrays or objects, alone or inside the valid document, closed or not.
fn deeply_nested(rng: &mut fastrand::Rng, valid: &[u8]) -> Vec<u8> {
    const DEPTH: usize = 10_000;
    let (open, close) = match rng.u8(..3) {
        0 => ("[", "]"),
        1 => ("{\"a\":", "}"),
        _ => ("[{\"name\":", "}]"),
    };
    let closed = rng.bool();
    let mut nested = open.repeat(DEPTH);
    nested.push('1');
    if closed {
        nested.push_str(&close.repeat(DEPTH));
    }
    if rng.bool() {
        nested.into_bytes()
    } else {
        with_raw_node(rng, valid, &nested)
    }
}

/// The valid body with a sequence that is not UTF-8 inserted, usually inside a string.
fn not_utf8(rng: &mut fastrand::Rng, valid: &[u8]) -> Vec<u8> {
    let bad = NOT_UTF8[rng.usize(..NOT_UTF8.len())];
    let quotes: Vec<usize> =
        valid.iter().enumerate().filter(|(_, byte)| **byte == b'"').map(|(at, _)| at + 1).collect();
    let at = if quotes.is_empty() || rng.u8(..4) == 0 {
        rng.usize(..=valid.len())
    } else {
        quotes[rng.usize(..quotes.len())]
    };
    let mut bytes = valid.to_vec();
    bytes.splice(at..at, bad.iter().copied());
    bytes
}

/// The valid document with a random node replaced by a value of another type.
fn wrong_type(rng: &mut fastrand::Rng, valid: &[u8]) -> Vec<u8> {
    let mut document = as_json(rng, valid);
    at_random_node(rng, &mut document, &mut |rng, node| {
        let replacement = loop {
            let candidate = match rng.u8(..9) {
                0 => Value::Null,
                1 => json!(rng.bool()),
                2 => json!(rng.i64(..)),
                3 => json!(-1.5),
                4 => json!("text"),
                5 => json!([]),
                6 => json!({}),
                7 => json!([1, "a", null, { "b": [] }]),
                _ => json!({ "status": 7, "messages": "x" }),
            };
            if std::mem::discriminant(&candidate) != std::mem::discriminant(node) {
                break candidate;
            }
        };
        *node = replacement;
    });
    serde_json::to_vec(&document).unwrap()
}

/// The valid body with a byte order mark, whitespace, NULs or trailing garbage around it.
fn padded(rng: &mut fastrand::Rng, valid: &[u8]) -> Vec<u8> {
    let prefixes: &[&[u8]] = &[b"\xef\xbb\xbf", b" \r\n\t", b"\0", b"", b")]}',\n"];
    let suffixes: &[&[u8]] = &[b"\0", b"garbage", b"}", b"{}", b"\r\n\r\n", b""];
    let mut bytes = prefixes[rng.usize(..prefixes.len())].to_vec();
    bytes.extend_from_slice(valid);
    bytes.extend_from_slice(suffixes[rng.usize(..suffixes.len())]);
    bytes
}

/// A small random JSON document using the models' field names.
fn random_json(rng: &mut fastrand::Rng, depth: u32) -> Value {
    let kinds = if depth >= 4 { 5 } else { 7 };
    match rng.u8(..kinds) {
        0 => Value::Null,
        1 => json!(rng.bool()),
        2 => json!(rng.i64(..)),
        3 => json!(rng.f64() * 1e300),
        4 => json!((0..rng.usize(..12)).map(|_| rng.char(..)).collect::<String>()),
        5 => Value::Array((0..rng.usize(..5)).map(|_| random_json(rng, depth + 1)).collect()),
        _ => Value::Object(
            (0..rng.usize(..6))
                .map(|_| (KEYS[rng.usize(..KEYS.len())].to_owned(), random_json(rng, depth + 1)))
                .collect(),
        ),
    }
}

/// The start of a long text, for failure messages.
fn clip(text: &str) -> String {
    match text.char_indices().nth(300) {
        Some((cut, _)) => format!("{}... ({} characters)", &text[..cut], text.chars().count()),
        None => text.to_owned(),
    }
}

/// The message of a caught panic.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|text| text.to_string()))
        .unwrap_or_else(|| "(not text)".to_owned())
}

/// Serves `CASES` pseudo-random answers to `op` and checks every outcome.
async fn fuzz(op: Op) {
    let server = MockServer::builder().disable_request_recording().start().await;
    let next = NextResponse::default();
    Mock::given(any()).respond_with(next.clone()).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .allow_http(true)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    for n in 0..CASES {
        let case = Case::new(op, n);
        next.set(case.template());
        let outcome = AssertUnwindSafe(op.check(&client, &case)).catch_unwind().await;
        if let Err(payload) = outcome {
            panic!("{}: {}", case.label, panic_message(&*payload));
        }
    }
}

/// Whether a body decodes as `T`, the way the spec's model for it would.
fn decodes_as<T: DeserializeOwned>(body: &[u8]) -> bool {
    serde_json::from_slice::<T>(body).is_ok()
}

/// A JSON operation: `Ok` with exactly what `serde_json` makes of the body,
/// or the error the status and body call for.
fn check_json<T: DeserializeOwned + PartialEq + Debug>(outcome: Result<Response<T>, Error>, op: Op, case: &Case) {
    if !case.is_success() {
        return check_error_status(outcome.map(drop), op, case);
    }
    match serde_json::from_slice::<T>(case.delivered()) {
        Ok(expected) => {
            let response =
                outcome.unwrap_or_else(|error| panic!("the body decodes, yet {}", clip(&format!("{error:?}"))));
            assert_eq!(response.status().as_u16(), case.status);
            assert_eq!(response.body(), &expected);
        }
        Err(_) => check_decode_error(outcome.map(drop), op, case),
    }
}

/// A text operation: `Ok` with the body when it is UTF-8, else `Error::Decode`.
fn check_text(outcome: Result<Response<String>, Error>, op: Op, case: &Case) {
    if !case.is_success() {
        return check_error_status(outcome.map(drop), op, case);
    }
    match std::str::from_utf8(case.delivered()) {
        Ok(text) => {
            let response =
                outcome.unwrap_or_else(|error| panic!("the body is text, yet {}", clip(&format!("{error:?}"))));
            assert_eq!(response.status().as_u16(), case.status);
            assert_eq!(response.body(), text);
        }
        Err(_) => check_decode_error(outcome.map(drop), op, case),
    }
}

/// An operation without a success body: `Ok` for any 2xx body.
fn check_empty(outcome: Result<Response<()>, Error>, op: Op, case: &Case) {
    if !case.is_success() {
        return check_error_status(outcome.map(drop), op, case);
    }
    let response =
        outcome.unwrap_or_else(|error| panic!("a 2xx without a declared body, yet {}", clip(&format!("{error:?}"))));
    assert_eq!(response.status().as_u16(), case.status);
}

/// The error's `Display` and `Debug`, checked to name the operation; `Display`
/// quotes the body only in excerpts, so it stays short whatever the server sent.
fn check_shown(error: &Error, op: Op) {
    let shown = error.to_string();
    let debug = format!("{error:?}");
    assert!(shown.starts_with(op.id()), "Display does not start with the operation: {shown}");
    assert!(debug.contains(op.id()), "Debug does not name the operation: {debug}");
    // Bodies are quoted as excerpts; what the server sends must not make messages huge.
    assert!(shown.chars().count() < 1_000, "Display is too long: {}", clip(&shown));
}

fn check_decode_error(outcome: Result<(), Error>, op: Op, case: &Case) {
    let error = match outcome {
        Err(error) => error,
        Ok(()) => panic!(
            "the body does not match the operation's type, yet Ok: {}",
            clip(&String::from_utf8_lossy(case.delivered()))
        ),
    };
    let Error::Decode(decode) = &error else { panic!("expected Error::Decode, got {}", clip(&format!("{error:?}"))) };
    assert_eq!(decode.operation, op.id(), "the decode error names the operation");
    assert_eq!(decode.status.as_u16(), case.status);
    assert!(!decode.message.is_empty());
    assert_eq!(error.status().map(|status| status.as_u16()), Some(case.status));
    check_shown(&error, op);
}

fn check_error_status(outcome: Result<(), Error>, op: Op, case: &Case) {
    let error = outcome.expect_err("a status outside 2xx is an error");
    let api = api_error(&error);
    let body = case.delivered();
    assert_eq!(api.operation(), op.id());
    assert_eq!(api.status().as_u16(), case.status);
    assert_eq!(api.body(), String::from_utf8_lossy(body), "the body is kept whole");
    let declared = match case.status {
        400 | 403 | 404 | 500 => {
            assert_eq!(api.details::<ErrorResponseDto>().is_some(), decodes_as::<ErrorResponseDto>(body));
            decodes_as::<ErrorResponseDto>(body)
        }
        401 => {
            assert_eq!(api.details::<UnauthorizedBody>().is_some(), decodes_as::<UnauthorizedBody>(body));
            decodes_as::<UnauthorizedBody>(body)
        }
        429 => {
            assert_eq!(api.details::<TooManyRequestsBody>().is_some(), decodes_as::<TooManyRequestsBody>(body));
            decodes_as::<TooManyRequestsBody>(body)
        }
        _ => false,
    };
    assert_eq!(api.details_debug().is_some(), declared, "details only for the declared model");
    let tracking_id =
        serde_json::from_slice::<Value>(body).ok().and_then(|json| json.get("trackingId")?.as_str().map(str::to_owned));
    assert_eq!(api.tracking_id(), tracking_id.as_deref());
    check_shown(&error, op);
}

macro_rules! fuzz_tests {
    ($($test:ident: $op:ident,)*) => {$(
        #[tokio::test]
        async fn $test() {
            init_logging();
            fuzz(Op::$op).await;
        }
    )*};
}

fuzz_tests! {
    arbitrary_bodies_get_connector_list: GetConnectorList,
    arbitrary_bodies_create_custom_connector: CreateCustomConnector,
    arbitrary_bodies_get_connector: GetConnector,
    arbitrary_bodies_delete_custom_connector: DeleteCustomConnector,
    arbitrary_bodies_update_connector: UpdateConnector,
    arbitrary_bodies_get_connector_source_config: GetConnectorSourceConfig,
    arbitrary_bodies_put_connector_source_config: PutConnectorSourceConfig,
    arbitrary_bodies_get_connector_source_template: GetConnectorSourceTemplate,
    arbitrary_bodies_put_connector_source_template: PutConnectorSourceTemplate,
    arbitrary_bodies_get_connector_correlation_config: GetConnectorCorrelationConfig,
    arbitrary_bodies_put_connector_correlation_config: PutConnectorCorrelationConfig,
    arbitrary_bodies_get_connector_translations: GetConnectorTranslations,
    arbitrary_bodies_put_connector_translations: PutConnectorTranslations,
}

#[test]
fn fuzz_cases_are_reproducible_and_cover_every_kind_and_status() {
    init_logging();
    let ops = [Op::GetConnectorList, Op::GetConnectorSourceConfig, Op::DeleteCustomConnector];
    let mut kinds = std::collections::BTreeSet::new();
    let mut statuses = std::collections::BTreeSet::new();
    for op in ops {
        for n in 0..CASES {
            let (first, again) = (Case::new(op, n), Case::new(op, n));
            assert_eq!((&first.label, first.status, &first.body), (&again.label, again.status, &again.body));
            kinds.insert(first.label.split(": ").nth(1).unwrap().split(" body").next().unwrap().to_owned());
            statuses.insert(first.status);
        }
    }
    for kind in [
        "random bytes",
        "truncated",
        "mutated",
        "huge number",
        "deeply nested",
        "invalid UTF-8",
        "wrong type",
        "empty",
        "valid",
    ] {
        assert!(kinds.contains(kind), "no {kind} case in {kinds:?}");
    }
    for status in [200, 204, 400, 401, 403, 404, 429, 500, 418, 502] {
        assert!(statuses.contains(&status), "status {status} never served: {statuses:?}");
    }
}

/// Token endpoint answers that are valid, odd or broken; the expected outcome
/// is `Ok` exactly when the answer is an OAuth2 token that fits in a header.
#[tokio::test]
async fn arbitrary_token_responses_never_panic() {
    init_logging();
    let server = MockServer::builder().disable_request_recording().start().await;
    let next = NextResponse::default();
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(next.clone()).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;

    let mut bodies: Vec<(u16, Vec<u8>)> = [
        "18446744073709551615",
        "9223372036854775807",
        "9223372036854775808",
        "4294967296",
        "0",
        "-1",
        "1.5",
        "\"3600\"",
        "null",
        "1e30",
    ]
    .iter()
    .map(|expires_in| (200, format!(r#"{{"access_token":"tok","expires_in":{expires_in}}}"#).into_bytes()))
    .collect();
    for access_token in ["\"\"", "\"a\\r\\nb\"", "\"\\u0000\"", "\"é\"", "1", "null", "[]", "\"x\\ud800\""] {
        bodies.push((200, format!(r#"{{"access_token":{access_token},"token_type":"bearer"}}"#).into_bytes()));
    }
    for n in 0..150u64 {
        let seed = SEED ^ 0xA11 ^ (n << 8);
        let mut rng = fastrand::Rng::with_seed(seed);
        let status = [200, 200, 200, 201, 204, 400, 401, 500, 503][rng.usize(..9)];
        let valid =
            serde_json::to_vec(&json!({ "access_token": "tok", "expires_in": 3600, "token_type": "bearer" })).unwrap();
        bodies.push((status, fuzz_body(&mut rng, &valid).1));
    }

    for (status, body) in bodies {
        let label = format!("token response {status} {:?}", clip(&String::from_utf8_lossy(&body)));
        next.set(ResponseTemplate::new(status).set_body_bytes(body.clone()));
        let client = Client::builder()
            .base_url(server.uri())
            .allow_http(true)
            .client_credentials("id", "secret")
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let outcome = AssertUnwindSafe(client.get_connector_list().send()).catch_unwind().await;
        let outcome = outcome.unwrap_or_else(|payload| panic!("{label}: panicked: {}", panic_message(&*payload)));

        #[derive(serde::Deserialize)]
        struct Token {
            access_token: String,
            #[allow(dead_code)]
            expires_in: Option<u64>,
        }
        // A 204 arrives without its body.
        let delivered: &[u8] = if status == 204 { &[] } else { &body };
        let token = serde_json::from_slice::<Token>(delivered).ok().filter(|_| (200..300).contains(&status));
        match token {
            Some(token)
                if reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.access_token)).is_ok() =>
            {
                outcome.unwrap_or_else(|error| panic!("{label}: a usable token, yet {error:?}"));
            }
            Some(_) => {
                let error = outcome.expect_err(&label);
                assert!(matches!(error, Error::Config(_) | Error::Auth(_)), "{label}: {error:?}");
            }
            None => match outcome {
                Err(Error::Auth(auth)) => {
                    assert_eq!(auth.status.map(|status| status.as_u16()), Some(status), "{label}")
                }
                other => panic!("{label}: expected Error::Auth, got {other:?}"),
            },
        }
    }
}

/// Found by the `padded` cases: a document followed by more than whitespace
/// used to be accepted, the rest silently ignored.
#[tokio::test]
async fn a_json_document_followed_by_anything_but_whitespace_is_a_decode_error() {
    init_logging();
    let (server, client) = setup().await;
    let next = NextResponse::default();
    Mock::given(any()).respond_with(next.clone()).mount(&server).await;

    for trailing in ["garbage", "[]", "\0", "}", ",", "\u{feff}"] {
        next.set(ResponseTemplate::new(200).set_body_raw(format!("[]{trailing}"), "application/json"));
        let error = client.get_connector_list().send().await.expect_err(trailing);
        let Error::Decode(decode) = &error else { panic!("{trailing:?}: expected Error::Decode, got {error:?}") };
        assert_eq!(decode.operation, "getConnectorList");
        assert!(decode.message.contains("trailing characters"), "{trailing:?}: {}", decode.message);
        assert_eq!(decode.path, "");

        next.set(
            ResponseTemplate::new(200).set_body_raw(format!("{{\"status\":\"UPDATED\"}}{trailing}"), "text/plain"),
        );
        let error =
            client.put_connector_source_config("a", FilePart::from_bytes("x")).send().await.expect_err(trailing);
        assert!(matches!(&error, Error::Decode(decode) if decode.operation == "putConnectorSourceConfig"), "{error:?}");
    }
    next.set(ResponseTemplate::new(200).set_body_raw(" [] \r\n\t", "application/json"));
    client.get_connector_list().send().await.expect("whitespace around the document is fine");
}

/// Found by the `long string` cases: `Display` quoted the messages, tracking
/// id and decode message of a body whole, however long the server made them.
#[tokio::test]
async fn error_messages_stay_short_whatever_the_body_holds() {
    init_logging();
    let (server, client) = setup().await;
    let long = "ä".repeat(5_000);
    let document = json!({ "detailCode": long, "trackingId": long, "messages": [{ "text": long }] });
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/long"))
        .respond_with(ResponseTemplate::new(400).set_body_json(document))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/wrong"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "directConnect": long })))
        .mount(&server)
        .await;

    let api = client.get_connector("long").send().await.expect_err("400");
    let decode = client.get_connector("wrong").send().await.expect_err("not a boolean");

    let shown = api.to_string();
    assert!(shown.starts_with("getConnector: the server answered 400 Bad Request: ääää"), "{}", clip(&shown));
    assert!(shown.chars().count() < 500, "{}", clip(&shown));
    assert_eq!(api.tracking_id(), Some(long.as_str()), "the tracking id itself is kept whole");
    let details = api_error(&api).details::<ErrorResponseDto>().expect("details");
    assert_eq!(details.messages.as_ref().unwrap()[0].text.as_deref(), Some(long.as_str()));

    let shown = decode.to_string();
    assert!(shown.starts_with("getConnector: cannot decode the response at `directConnect`: invalid type"), "{shown}");
    assert!(shown.contains("expected a boolean"), "the end of the message is kept: {}", clip(&shown));
    assert!(shown.chars().count() < 600, "{}", clip(&shown));
    let Error::Decode(details) = &decode else { panic!("{decode:?}") };
    assert!(details.message.contains(&long), "the message itself is kept whole");
}

/// Found by the token fuzzing: `"expires_in": 18446744073709551615` panicked
/// with "overflow when adding duration to instant".
#[tokio::test]
async fn a_token_lifetime_too_long_for_an_instant_is_kept_until_rejected() {
    init_logging();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "access_token": "tok", "expires_in": u64::MAX })),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials("id", "secret")
        .token_refresh_margin(Duration::ZERO)
        .build()
        .unwrap();

    for _ in 0..3 {
        client.get_connector_list().send().await.expect("a token that never expires");
    }

    assert_eq!(received_at(&server, "/oauth/token").await.len(), 1, "fetched once, then reused");
    assert_eq!(received_at(&server, "/v2024/connectors").await.len(), 3);
}

// ---------------------------------------------------------------------------
// 2. Response size limit
// ---------------------------------------------------------------------------

const LIMIT: u64 = 1024;

fn limited_client(uri: &str) -> Client {
    Client::builder()
        .base_url(uri)
        .token(TOKEN)
        .allow_http(true)
        .retry_policy(RetryPolicy::none())
        .max_response_bytes(LIMIT)
        .build()
        .unwrap()
}

fn assert_too_large<T: Debug>(outcome: Result<T, Error>, operation: &str) {
    match outcome {
        Err(Error::ResponseTooLarge { operation: named, limit }) => {
            assert_eq!((named, limit), (operation, LIMIT));
        }
        other => panic!("expected Error::ResponseTooLarge, got {other:?}"),
    }
}

/// wiremock always sends a `Content-Length`: these bodies are refused on the header alone.
#[tokio::test]
async fn a_body_with_a_content_length_over_the_limit_is_refused() {
    init_logging();
    let server = MockServer::start().await;
    for (script_name, status, length) in
        [("over", 200, 2048), ("one-over", 200, 1025), ("exact", 200, 1024), ("error-over", 500, 2048)]
    {
        Mock::given(method("GET"))
            .and(path(format!("/v2024/connectors/{script_name}/source-config")))
            .respond_with(ResponseTemplate::new(status).set_body_raw("x".repeat(length), "application/xml"))
            .mount(&server)
            .await;
    }
    let exact_list = format!("[{}]", " ".repeat(1022));
    Mock::given(method("GET"))
        .and(path("/v2024/connectors"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(exact_list, "application/json"))
        .mount(&server)
        .await;
    let client = limited_client(&server.uri());

    for script_name in ["over", "one-over", "error-over"] {
        assert_too_large(client.get_connector_source_config(script_name).send().await, "getConnectorSourceConfig");
    }
    let exact = client.get_connector_source_config("exact").send().await.expect("a body of exactly the limit");
    assert_eq!(exact.body(), &"x".repeat(1024));
    let list = client.get_connector_list().send().await.expect("a JSON body of exactly the limit");
    assert!(list.body().is_empty());

    let error = client.get_connector_source_config("over").send().await.unwrap_err();
    assert_eq!(error.to_string(), "getConnectorSourceConfig: the response is larger than the limit of 1024 bytes");
}

/// Serves `GET` paths from a bare server: `/v2024/connectors/chunked-{n}/...`
/// sends `n` chunks of 256 bytes; `close-{n}` sends `n` bytes without a length,
/// ending them by closing the connection; `endless` never ends its chunked body.
fn unframed_server() -> RawServer {
    RawServer::start(|head, stream| {
        let target = head.split(' ').nth(1).unwrap_or_default().to_owned();
        let name = target.trim_start_matches("/v2024/connectors/").split('/').next().unwrap_or_default();
        let chunked = ["content-type: application/xml", "transfer-encoding: chunked", "connection: close"];
        let _ = if let Some(chunks) = name.strip_prefix("chunked-") {
            (|| {
                write_head(stream, "200 OK", &chunked)?;
                for _ in 0..chunks.parse().unwrap() {
                    write_chunk(stream, &[b'x'; 256])?;
                }
                write_chunk(stream, b"")
            })()
        } else if let Some(length) = name.strip_prefix("close-") {
            (|| {
                write_head(stream, "200 OK", &["content-type: application/xml", "connection: close"])?;
                stream.write_all("x".repeat(length.parse().unwrap()).as_bytes())
            })()
        } else {
            (|| {
                write_head(stream, "200 OK", &chunked)?;
                // Stops once the client hangs up (or after 64 MiB, should it never).
                for _ in 0..65_536 {
                    write_chunk(stream, &[b'x'; 1024])?;
                }
                write_chunk(stream, b"")
            })()
        };
    })
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_refused() {
    init_logging();
    let server = unframed_server();
    let client = limited_client(&server.uri);

    assert_too_large(client.get_connector_source_config("chunked-8").send().await, "getConnectorSourceConfig");
    assert_too_large(client.get_connector_source_template("chunked-5").send().await, "getConnectorSourceTemplate");
    let exact = client.get_connector_source_config("chunked-4").send().await.expect("exactly the limit, chunked");
    assert_eq!(exact.body().len(), 1024);

    let heads = server.request_heads();
    assert_eq!(heads.len(), 3);
    assert!(heads.iter().all(|head| head.starts_with("GET /v2024/connectors/chunked-")), "{heads:?}");
}

#[tokio::test]
async fn a_body_ended_by_closing_the_connection_is_limited_too() {
    init_logging();
    let server = unframed_server();
    let client = limited_client(&server.uri);

    assert_too_large(client.get_connector_source_config("close-2048").send().await, "getConnectorSourceConfig");
    let exact = client.get_connector_source_config("close-1024").send().await.expect("exactly the limit");
    assert_eq!(exact.body().len(), 1024);
}

#[tokio::test]
async fn an_endless_body_is_cut_off_at_the_limit() {
    init_logging();
    let server = unframed_server();
    let client = limited_client(&server.uri);

    let outcome = tokio::time::timeout(Duration::from_secs(5), client.get_connector_source_config("endless").send())
        .await
        .expect("the client stops reading at the limit");
    assert_too_large(outcome, "getConnectorSourceConfig");
}

/// The token endpoint's answer is read under the same limit.
#[tokio::test]
async fn the_token_response_is_limited_too() {
    init_logging();
    let endless = RawServer::start(|_, stream| {
        let _ = (|| {
            write_head(stream, "200 OK", &["content-type: application/json", "transfer-encoding: chunked"])?;
            write_chunk(stream, br#"{"access_token":""#)?;
            for _ in 0..65_536 {
                write_chunk(stream, &[b'a'; 1024])?;
            }
            write_chunk(stream, b"\"}")?;
            write_chunk(stream, b"")
        })();
    });
    let server = MockServer::start().await;
    let big_token = json!({ "access_token": "a".repeat(2048), "expires_in": 3600 });
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(big_token))
        .mount(&server)
        .await;

    for uri in [endless.uri.clone(), server.uri()] {
        let client = Client::builder()
            .base_url(&uri)
            .allow_http(true)
            .client_credentials("id", "secret")
            .max_response_bytes(LIMIT)
            .build()
            .unwrap();
        let outcome = tokio::time::timeout(Duration::from_secs(5), client.get_connector_list().send())
            .await
            .expect("the client stops reading the token response at the limit");
        match outcome {
            Err(Error::Auth(auth)) => {
                assert!(auth.message.contains("larger than the limit of 1024 bytes"), "{uri}: {auth}");
                assert_eq!(auth.status.map(|status| status.as_u16()), Some(200));
            }
            other => panic!("{uri}: expected Error::Auth, got {other:?}"),
        }
    }
    assert!(received_at(&server, "/v2024/connectors").await.is_empty(), "no API request without a token");

    // A token response within the limit still works.
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials("id", "secret")
        .max_response_bytes(LIMIT)
        .build()
        .unwrap();
    client.get_connector_list().send().await.expect("a small token response is read");
}

// ---------------------------------------------------------------------------
// 3. Credentials never go to another host
// ---------------------------------------------------------------------------

/// A second server that would accept anything: it must receive nothing.
async fn elsewhere() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "access_token": "stolen", "expires_in": 60 })))
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&server).await;
    server
}

#[tokio::test]
async fn api_redirects_to_another_host_are_not_followed() {
    init_logging();
    for status in [301, 302, 303, 307, 308] {
        let api = MockServer::start().await;
        let other = elsewhere().await;
        let location = format!("{}/v2024/connectors", other.uri());
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status).insert_header("location", location.as_str()))
            .mount(&api)
            .await;
        let client = client_for(&api);

        let list = client.get_connector_list().send().await.expect_err("a redirect is not followed");
        let create = client
            .create_custom_connector(V3CreateConnectorDto::new("n".into(), "x.C".into()))
            .send()
            .await
            .expect_err("a redirect is not followed");
        let file = FilePart::from_bytes("<Form/>");
        let put = client.put_connector_source_config("a", file).send().await.expect_err("not followed");

        for (error, operation) in
            [(&list, "getConnectorList"), (&create, "createCustomConnector"), (&put, "putConnectorSourceConfig")]
        {
            let api_error = api_error(error);
            assert_eq!(api_error.status().as_u16(), status, "{operation}");
            assert_eq!(api_error.operation(), operation);
            assert_eq!(api_error.headers()["location"], location.as_str());
        }
        assert_eq!(received(&api).await.len(), 3, "{status}: one request per call, none repeated");
        assert!(received(&other).await.is_empty(), "{status}: the other host received a request");
    }
}

#[tokio::test]
async fn token_endpoint_redirects_to_another_host_are_not_followed() {
    init_logging();
    for status in [302, 307, 308] {
        let api = MockServer::start().await;
        let other = elsewhere().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("location", format!("{}/oauth/token", other.uri()).as_str()),
            )
            .mount(&api)
            .await;
        let client = Client::builder()
            .base_url(api.uri())
            .allow_http(true)
            .client_credentials("id", "S3CRET-client-secret-value")
            .build()
            .unwrap();

        let error = client.get_connector_list().send().await.expect_err("no token");

        match &error {
            Error::Auth(auth) => assert_eq!(auth.status.map(|status| status.as_u16()), Some(status)),
            other => panic!("expected Error::Auth, got {other:?}"),
        }
        let requests = received(&api).await;
        assert_eq!(requests.len(), 1, "only the token request, and no API request without a token");
        assert_eq!(requests[0].url.path(), "/oauth/token");
        assert!(String::from_utf8_lossy(&requests[0].body).contains("S3CRET-client-secret-value"));
        assert!(received(&other).await.is_empty(), "{status}: the secret went to the other host");
    }
}

#[tokio::test]
async fn the_token_endpoint_is_on_the_api_host() {
    init_logging();
    let api = MockServer::start().await;
    let other = elsewhere().await;
    TokenEndpoint::new(Some(3600)).mount(&api).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&api).await;

    let builders = [
        (Client::builder().base_url(api.uri()), "/v2024/connectors"),
        (Client::builder().base_url(format!("{}/v2024/", api.uri())), "/v2024/connectors"),
        (Client::builder().api_root(format!("{}/proxy/sailpoint", api.uri())), "/proxy/sailpoint/connectors"),
        // `api_root` wins over `base_url`: the token goes where the API is.
        (Client::builder().base_url(other.uri()).api_root(format!("{}/v2024", api.uri())), "/v2024/connectors"),
    ];
    for (builder, list_path) in builders {
        let client = builder.allow_http(true).client_credentials("id", "secret").build().unwrap();
        client.get_connector_list().send().await.expect("ok");
        let requests = received(&api).await;
        let last_two: Vec<_> = requests[requests.len() - 2..].iter().map(|r| r.url.path().to_owned()).collect();
        assert_eq!(last_two, ["/oauth/token", list_path]);
        let token_request = &requests[requests.len() - 2];
        assert_eq!(token_request.method.as_str(), "POST");
        assert_eq!(single_header(token_request, "host"), api.address().to_string());
    }
    assert!(received(&other).await.is_empty());
}

// ---------------------------------------------------------------------------
// 4. Base URL and credential rules
// ---------------------------------------------------------------------------

const URL_PASSWORD: &str = "hunter2-PASSWORD";

fn config_message(outcome: Result<Client, Error>, what: &str) -> String {
    match outcome {
        Err(Error::Config(message)) => message,
        Err(other) => panic!("{what}: expected Error::Config, got {other:?}"),
        Ok(client) => panic!("{what}: expected Error::Config, got {client:?}"),
    }
}

#[test]
fn only_https_base_urls_without_credentials_query_or_fragment_are_accepted() {
    init_logging();
    let refused = [
        "ftp://acme.api.identitynow.com",
        "file:///etc/passwd",
        "ws://acme.api.identitynow.com",
        "javascript:alert(1)",
        "data:text/plain,hello",
        "https://user:hunter2-PASSWORD@acme.api.identitynow.com",
        "https://:hunter2-PASSWORD@acme.api.identitynow.com/v2024",
        "https://user@acme.api.identitynow.com",
        "http://user:hunter2-PASSWORD@127.0.0.1:8080",
        "https://acme.api.identitynow.com/?tenant=a",
        "https://acme.api.identitynow.com/?",
        "https://acme.api.identitynow.com/v2024#top",
        "https://acme.api.identitynow.com/#",
        "https://user:hunter2-PASSWORD@acme .api.identitynow.com",
        "https://",
        "acme.api.identitynow.com",
        "",
    ];
    for url in refused {
        for allow_http in [false, true] {
            let by_base_url = Client::builder().base_url(url).token(TOKEN).allow_http(allow_http).build();
            let by_api_root = Client::builder().api_root(url).token(TOKEN).allow_http(allow_http).build();
            for (setter, outcome) in [("base_url", by_base_url), ("api_root", by_api_root)] {
                let message = config_message(outcome, &format!("{setter}({url:?})"));
                assert!(!message.contains(URL_PASSWORD), "{setter}({url:?}) shows the password: {message}");
            }
        }
    }

    for url in ["http://127.0.0.1:8080", "http://acme.api.identitynow.com/v2024"] {
        let message = config_message(Client::builder().base_url(url).token(TOKEN).build(), url);
        assert!(message.contains("allow_http"), "{message}");
        let message = config_message(Client::builder().api_root(url).token(TOKEN).build(), url);
        assert!(message.contains("allow_http"), "{message}");
        Client::builder().base_url(url).token(TOKEN).allow_http(true).build().expect("allowed");
        Client::builder().api_root(url).token(TOKEN).allow_http(true).build().expect("allowed");
    }
    for url in ["https://acme.api.identitynow.com", "https://127.0.0.1:8443/v2024", "HTTPS://ACME.example.com"] {
        Client::builder().base_url(url).token(TOKEN).build().unwrap_or_else(|error| panic!("{url}: {error}"));
    }
}

/// Values that would split a header, or that are surely a copy-paste accident.
const WITH_LINE_BREAKS: &[&str] =
    &["TOKEN-abc-123\r\nX-Injected: 1", "TOKEN-abc-123\n", "\rTOKEN-abc-123", "TOKEN\0abc", "TOKEN\u{7f}abc"];

#[tokio::test]
async fn tokens_and_secrets_with_control_characters_are_refused_before_sending() {
    init_logging();
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&server).await;
    let builder = || Client::builder().base_url(server.uri()).allow_http(true);

    for value in WITH_LINE_BREAKS {
        let message = config_message(builder().token(*value).build(), &format!("token {value:?}"));
        assert!(!message.contains(value), "{message}");
        let message =
            config_message(builder().client_credentials("id", *value).build(), &format!("client secret {value:?}"));
        assert!(!message.contains(value) && !message.contains("TOKEN"), "{message}");
        let message =
            config_message(builder().client_credentials(*value, "secret").build(), &format!("client id {value:?}"));
        assert!(message.contains("client id"), "{message}");
    }

    // From the environment, surrounding whitespace is trimmed; a line break inside is refused.
    for (variable, value) in [("SAIL_ACCESS_TOKEN", "TOKEN\r\nabc"), ("SAIL_CLIENT_SECRET", "S3CRET\nvalue")] {
        let lookup = |name: &str| match name {
            "SAIL_CLIENT_ID" => Some("id".to_owned()),
            name if name == variable => Some(value.to_owned()),
            _ => None,
        };
        let builder = builder().with_env_from(lookup, None).unwrap();
        let message = config_message(builder.build(), variable);
        assert!(!message.contains(value), "{message}");
    }
    let lookup = |name: &str| (name == "SAIL_ACCESS_TOKEN").then(|| "env-token\r\n".to_owned());
    let client = builder().with_env_from(lookup, None).unwrap().build().expect("a trailing line break is trimmed");
    client.get_connector_list().send().await.expect("ok");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "only the trimmed token was ever sent: {requests:#?}");
    assert_eq!(bearer_tokens(&requests), [Some("env-token".to_owned())]);
}

#[derive(Debug)]
struct FixedSource(&'static str);

impl TokenSource for FixedSource {
    fn fetch_token(&self) -> TokenFuture<'_> {
        let token = AccessToken::new(self.0, None);
        Box::pin(async move { Ok(token) })
    }
}

#[tokio::test]
async fn a_fetched_token_with_a_line_break_is_never_sent() {
    init_logging();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "access_token": "TOKEN\r\nX-Injected: 1" })))
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&server).await;
    let by_credentials =
        Client::builder().base_url(server.uri()).allow_http(true).client_credentials("id", "secret").build().unwrap();
    let by_source = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .token_source(FixedSource("TOKEN\nX-Injected: 1"))
        .build()
        .unwrap();

    for client in [by_credentials, by_source] {
        let error = client.get_connector_list().send().await.expect_err("the token cannot be sent");
        assert!(matches!(error, Error::Config(_) | Error::Auth(_)), "{error:?}");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("X-Injected"), "{shown}");
    }
    let requests = received(&server).await;
    assert!(requests.iter().all(|request| request.url.path() == "/oauth/token"), "{requests:#?}");
}

// ---------------------------------------------------------------------------
// 5. No secret is ever logged or shown
// ---------------------------------------------------------------------------

const CLIENT_SECRET: &str = "S3CRET-client-secret-value";
const FIRST_TOKEN: &str = "TOKEN-abc-123";
const SECOND_TOKEN: &str = "TOKEN-def-456";
const STATIC_TOKEN: &str = "TOKEN-static-789";
const ENV_TOKEN: &str = "TOKEN-env-000";
const SECRETS: &[&str] = &[CLIENT_SECRET, FIRST_TOKEN, SECOND_TOKEN, STATIC_TOKEN, ENV_TOKEN];

thread_local! {
    /// Where the logs of this thread go while [`capture`] runs on it.
    static LOG_CAPTURE: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

fn capturing() -> bool {
    LOG_CAPTURE.with(|capture| capture.borrow().is_some())
}

/// Writes to the capture of the current thread, if any.
struct ToCapture;

impl Write for ToCapture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOG_CAPTURE.with(|capture| match capture.borrow_mut().as_mut() {
            Some(captured) => captured.write(bytes),
            None => Ok(bytes.len()),
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Forwards records of the `log` crate (used by `reqwest` and `rustls`,
/// among others) to the capture of the thread that emits them.
struct LogBridge;

impl log::Log for LogBridge {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        capturing()
    }

    fn log(&self, record: &log::Record<'_>) {
        if capturing() {
            let line = format!("{} {}: {}\n", record.level(), record.target(), record.args());
            let _ = ToCapture.write_all(line.as_bytes());
        }
    }

    fn flush(&self) {}
}

static LOG_BRIDGE: LogBridge = LogBridge;

/// Installs, once per test binary, a global `tracing` subscriber and a `log`
/// logger that take everything, down to TRACE, from every crate, and write
/// only what happens on a thread inside [`capture`]. Every test calls it
/// before anything else.
///
/// Why global, always enabled and installed first: `tracing` caches, per
/// callsite, whether it is enabled. Here a thread-local subscriber
/// (`set_default`, as in `tests/tracing.rs`) or a global one filtering by
/// thread missed the client's `request` spans whenever the fuzz tests had
/// hit them first on other threads. Enabling everything and dropping other
/// threads' output in the writer leaves nothing to cache wrongly.
fn init_logging() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&LOG_BRIDGE).expect("no other logger in this test binary");
        log::set_max_level(log::LevelFilter::Trace);
        let subscriber = tracing_subscriber::fmt()
            .with_writer(|| ToCapture)
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(FmtSpan::FULL)
            .with_target(true)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber in this test binary");
    });
}

/// Runs `future` with every `tracing` event and span (new, enter, exit,
/// close) and every `log` record of every crate, down to TRACE, written to
/// the returned capture. The test runtime is single-threaded, so every poll
/// of the client and of `reqwest`'s connections happens on this thread.
async fn capture<F: Future>(future: F) -> (F::Output, String) {
    init_logging();
    let captured = Captured::default();
    LOG_CAPTURE.with(|capture| *capture.borrow_mut() = Some(captured.clone()));
    let output = future.await;
    LOG_CAPTURE.with(|capture| *capture.borrow_mut() = None);
    (output, captured.text())
}

/// `Display`, `Debug` and pretty `Debug` of an error and of its sources.
fn shown_error(error: &Error) -> String {
    let mut shown = format!("{error}\n{error:?}\n{error:#?}\n");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        shown.push_str(&format!("{cause}\n{cause:?}\n"));
        source = cause.source();
    }
    shown
}

#[tokio::test]
async fn no_secret_is_logged_or_shown_through_a_whole_session() {
    init_logging();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(Sequence::new(vec![
            ResponseTemplate::new(200).set_body_json(json!({ "access_token": FIRST_TOKEN, "expires_in": 3600 })),
            ResponseTemplate::new(200).set_body_json(json!({ "access_token": SECOND_TOKEN, "expires_in": 3600 })),
        ]))
        .mount(&server)
        .await;
    let connectors = "/v2024/connectors";
    Mock::given(method("GET"))
        .and(path(connectors))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{ "scriptName": "a" }])))
        .mount(&server)
        .await;
    // The first token is refused once the session has used it, so the client refreshes and replays.
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/refresh"))
        .and(header("authorization", format!("Bearer {FIRST_TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "error": "JWT validation failed" })))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/refresh"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "scriptName": "refresh" })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/busy"))
        .respond_with(Sequence::new(vec![
            ResponseTemplate::new(429).insert_header("retry-after", "0").set_body_json(json!({ "message": "slow" })),
            ResponseTemplate::new(200).set_body_json(json!({ "scriptName": "busy" })),
        ]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_document("404 Not found", "no such connector")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/slow"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})).set_delay(Duration::from_millis(600)))
        .mount(&server)
        .await;

    let failing = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({ "error": "server_error" })))
        .mount(&failing)
        .await;
    let refusing = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "error": "invalid_client" })))
        .mount(&refusing)
        .await;
    let not_oauth = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "token": "x", "expires_in": "soon" })))
        .mount(&not_oauth)
        .await;
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };

    let mut shown = Vec::new();
    let builder = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials("hardening-client", CLIENT_SECRET)
        .retry_policy(fast_retries())
        .timeout(Duration::from_millis(200));
    shown.push(format!("{builder:?} {builder:#?}"));
    let client = builder.build().unwrap();
    shown.push(format!("{client:?} {client:#?}"));

    let (errors, log) = capture(async {
        let mut errors = Vec::new();
        let list = client.get_connector_list().send().await.expect("token fetch and a successful request");
        shown.push(format!("{list:?}"));
        let replayed = client.get_connector("refresh").send().await.expect("refresh and replay");
        shown.push(format!("{replayed:?}"));
        let retried = client.get_connector("busy").send().await.expect("retried after 429");
        shown.push(format!("{retried:?}"));
        errors.push(client.get_connector("missing").send().await.expect_err("404"));
        let timeout = client.get_connector("slow").send().await.expect_err("timeout");
        assert!(matches!(timeout, Error::Timeout { operation: "getConnector" }), "{timeout:?}");
        errors.push(timeout);
        for uri in [failing.uri(), refusing.uri(), not_oauth.uri(), closed_port.clone()] {
            let client = Client::builder()
                .base_url(uri)
                .allow_http(true)
                .client_credentials("hardening-client", CLIENT_SECRET)
                .retry_policy(RetryPolicy::none())
                .build()
                .unwrap();
            let error = client.get_connector_list().send().await.expect_err("no token");
            assert!(matches!(error, Error::Auth(_)), "{error:?}");
            errors.push(error);
        }
        let static_client = Client::builder().base_url(server.uri()).allow_http(true).token(STATIC_TOKEN).build();
        let static_client = static_client.unwrap();
        errors.push(static_client.get_connector("missing").send().await.expect_err("404"));
        shown.push(format!("{static_client:?}"));
        errors
    })
    .await;

    // The session really used every secret: their absence below means something.
    let token_requests = received_at(&server, "/oauth/token").await;
    assert_eq!(token_requests.len(), 2, "a first fetch and a refresh after the 401");
    assert!(String::from_utf8_lossy(&token_requests[0].body).contains(CLIENT_SECRET));
    let sent: Vec<_> = bearer_tokens(&received(&server).await).into_iter().flatten().collect();
    for token in [FIRST_TOKEN, SECOND_TOKEN, STATIC_TOKEN] {
        assert!(sent.iter().any(|sent| sent == token), "{token} was never sent: {sent:?}");
    }
    assert!(log.contains(r#"operation="getConnector""#) && log.contains("status=429"), "spans captured:\n{log}");
    assert!(log.contains("token rejected"), "the refresh is logged:\n{log}");
    assert!(log.contains("hyper_util") || log.contains("reqwest"), "the HTTP stack's logs are captured:\n{log}");

    for error in &errors {
        shown.push(shown_error(error));
    }
    let token = AccessToken::new(FIRST_TOKEN, Some(Duration::from_secs(60)));
    shown.push(format!("{token:?} {token:#?}"));

    let env = |name: &str| match name {
        "SAIL_BASE_URL" => Some("https://acme.api.identitynow.com".to_owned()),
        "SAIL_CLIENT_ID" => Some("env-client".to_owned()),
        "SAIL_CLIENT_SECRET" => Some(CLIENT_SECRET.to_owned()),
        _ => None,
    };
    let builder = Client::builder().with_env_from(env, None).unwrap();
    shown.push(format!("{builder:?} {builder:#?}"));
    let client = builder.build().unwrap();
    shown.push(format!("{client:?} {client:#?}"));
    let env = |name: &str| match name {
        "SAIL_BASE_URL" => Some("https://acme.api.identitynow.com".to_owned()),
        "SAIL_ACCESS_TOKEN" => Some(ENV_TOKEN.to_owned()),
        "SAIL_CLIENT_SECRET" => Some(CLIENT_SECRET.to_owned()),
        _ => None,
    };
    let builder = Client::builder().with_env_from(env, None).unwrap();
    shown.push(format!("{builder:?} {builder:#?}"));
    let client = builder.build().unwrap();
    shown.push(format!("{client:?} {client:#?}"));
    // A secret without a client id is an error, which must not quote it.
    let env = |name: &str| (name == "SAIL_CLIENT_SECRET").then(|| CLIENT_SECRET.to_owned());
    let error = Client::builder().with_env_from(env, None).expect_err("a secret without an id");
    shown.push(shown_error(&error));

    for secret in SECRETS {
        assert!(!log.contains(secret), "{secret} was logged:\n{log}");
        for text in &shown {
            assert!(!text.contains(secret), "{secret} was shown:\n{text}");
        }
    }
}

/// A CLI config file whose secret sits where the file's format does not
/// expect it: the error names the file, not the secret.
#[test]
fn a_malformed_config_file_does_not_quote_its_secret() {
    init_logging();
    let dir = std::env::temp_dir().join(format!("sailpoint-hardening-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = [
        format!("activeenvironment: t\nenvironments:\n  t:\n    baseurl: https://acme.api.identitynow.com\n    pat: {CLIENT_SECRET}\n"),
        format!("activeenvironment: t\nenvironments:\n  t:\n    pat:\n      clientid: id\n      clientsecret: [{CLIENT_SECRET}]\n"),
        format!("activeenvironment: t\nenvironments:\n  t:\n    pat:\n      clientid: id\n      clientsecret: {CLIENT_SECRET}\n   bad: [\n"),
        format!("{CLIENT_SECRET}\n"),
    ];
    for (n, text) in files.iter().enumerate() {
        let file = dir.join(format!("config-{n}.yaml"));
        std::fs::write(&file, text).unwrap();
        let outcome = Client::builder().with_env_from(|_| None, Some(file.clone()));
        let error = outcome.expect_err("a malformed config file");
        let shown = shown_error(&error);
        assert!(matches!(error, Error::Config(_)), "{shown}");
        assert!(shown.contains(&file.display().to_string()), "names the file: {shown}");
        assert!(!shown.contains(CLIENT_SECRET), "file {n} quotes the secret: {shown}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------
// 6. Path parameters stay one percent-encoded segment
// ---------------------------------------------------------------------------

/// Operations with a `scriptName` path parameter and the rest of their path.
const SCRIPT_NAME_OPERATIONS: &[(Op, &str)] = &[
    (Op::GetConnector, ""),
    (Op::DeleteCustomConnector, ""),
    (Op::UpdateConnector, ""),
    (Op::GetConnectorSourceConfig, "/source-config"),
    (Op::PutConnectorSourceConfig, "/source-config"),
    (Op::GetConnectorSourceTemplate, "/source-template"),
    (Op::PutConnectorSourceTemplate, "/source-template"),
    (Op::GetConnectorCorrelationConfig, "/correlation-config"),
    (Op::PutConnectorCorrelationConfig, "/correlation-config"),
    (Op::GetConnectorTranslations, "/translations/de"),
    (Op::PutConnectorTranslations, "/translations/de"),
];

/// RFC 3986 percent-encoding of everything but unreserved characters,
/// written independently of the client's encoder.
fn percent_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(byte).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

async fn send_script_name(client: &Client, op: Op, script_name: &str) -> Result<(), Error> {
    let file = || FilePart::from_bytes("<Form/>");
    let patch = || vec![JsonPatchOperation::new(JsonPatchOperationOp::Remove, "/sourceConfigXml".into())];
    match op {
        Op::GetConnector => client.get_connector(script_name).send().await.map(drop),
        Op::DeleteCustomConnector => client.delete_custom_connector(script_name).send().await.map(drop),
        Op::UpdateConnector => client.update_connector(script_name, patch()).send().await.map(drop),
        Op::GetConnectorSourceConfig => client.get_connector_source_config(script_name).send().await.map(drop),
        Op::PutConnectorSourceConfig => client.put_connector_source_config(script_name, file()).send().await.map(drop),
        Op::GetConnectorSourceTemplate => client.get_connector_source_template(script_name).send().await.map(drop),
        Op::PutConnectorSourceTemplate => {
            client.put_connector_source_template(script_name, file()).send().await.map(drop)
        }
        Op::GetConnectorCorrelationConfig => {
            client.get_connector_correlation_config(script_name).send().await.map(drop)
        }
        Op::PutConnectorCorrelationConfig => {
            client.put_connector_correlation_config(script_name, file()).send().await.map(drop)
        }
        Op::GetConnectorTranslations => {
            client.get_connector_translations(script_name, Locale::De).send().await.map(drop)
        }
        Op::PutConnectorTranslations => {
            client.put_connector_translations(script_name, Locale::De, file()).send().await.map(drop)
        }
        other => panic!("{other:?} has no script name"),
    }
}

#[tokio::test]
async fn control_unicode_and_bidi_characters_stay_in_one_encoded_segment() {
    init_logging();
    let values = [
        "\t",
        "\n",
        "\r\n",
        "a\tb\nc",
        "\0",
        "\u{7f}",
        "\u{202e}",
        "abc\u{202e}fdp.exe",
        "\u{200f}\u{2066}\u{2069}",
        "\u{200b}",
        "\u{feff}",
        "\u{2028}",
        "é",
        "e\u{301}",
        "😀",
        "a;b",
        "a b",
        "a,b=c&d+e",
        "@:!$'()*",
        "%",
        "%2e%2e",
        "..a",
        "...",
        "a/..",
        "\\..\\",
        "?x=1#y",
        "[::1]",
        "<script>",
    ];
    let (server, client) = setup().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;

    for value in values {
        for (op, _) in SCRIPT_NAME_OPERATIONS {
            send_script_name(&client, *op, value).await.unwrap_or_else(|error| panic!("{op:?} {value:?}: {error}"));
        }
    }

    let requests = received(&server).await;
    assert_eq!(requests.len(), values.len() * SCRIPT_NAME_OPERATIONS.len());
    let expected =
        values.iter().flat_map(|value| SCRIPT_NAME_OPERATIONS.iter().map(move |(op, rest)| (value, op, rest)));
    for (request, (value, op, rest)) in requests.iter().zip(expected) {
        let encoded = percent_encoded(value);
        assert_eq!(request.url.path(), format!("/v2024/connectors/{encoded}{rest}"), "{op:?} {value:?}");
        assert_eq!(request.url.query(), None, "{op:?} {value:?}");
        assert_eq!(request.url.fragment(), None, "{op:?} {value:?}");
        let segments: Vec<_> = request.url.path_segments().unwrap().collect();
        assert_eq!(segments.len(), 3 + rest.matches('/').count(), "{op:?} {value:?}: {segments:?}");
        let decoded = percent_encoding::percent_decode_str(segments[2]).decode_utf8().unwrap();
        assert_eq!(decoded, *value, "{op:?}: the server decodes exactly the value sent");
    }
}
