//! Retries: 429 for every method after `Retry-After`; 502, 503 and 504 for
//! idempotent methods only, after a backoff; the last response when they
//! run out; multipart bodies sent whole again; timeouts and connection
//! failures. Every policy here waits milliseconds, never seconds.

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::*;
use sailpoint_connectors::{
    Client, Error, FilePart, JsonPatchOperation, JsonPatchOperationOp, RetryPolicy, TooManyRequestsBody,
    V3CreateConnectorDto,
};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LIST: &str = "/v2024/connectors";

/// A client for `server` with the static test token and `policy`.
fn client_with(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder().base_url(server.uri()).token(TOKEN).allow_http(true).retry_policy(policy).build().unwrap()
}

/// Mounts `responses`, one per attempt (the last repeats), for `verb route`.
async fn mount_sequence(server: &MockServer, verb: &str, route: &str, responses: Vec<ResponseTemplate>) {
    Mock::given(method(verb)).and(path(route)).respond_with(Sequence::new(responses)).mount(server).await;
}

fn ok_list() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!([{ "scriptName": "after-retry" }]))
}

fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code)
}

fn create_body() -> V3CreateConnectorDto {
    V3CreateConnectorDto::new("custom".into(), "sailpoint.connector.OpenConnectorAdapter".into())
}

fn patch() -> Vec<JsonPatchOperation> {
    vec![JsonPatchOperation::new(JsonPatchOperationOp::Remove, "/correlationConfigXml".into())]
}

#[tokio::test]
async fn a_429_with_retry_after_seconds_is_retried_after_the_capped_wait() {
    let server = MockServer::start().await;
    mount_sequence(&server, "GET", LIST, vec![status(429).insert_header("Retry-After", "1"), ok_list()]).await;
    let client = client_with(&server, fast_retries());

    let started = Instant::now();
    let response = client.get_connector_list().send().await.expect("the retry succeeds");
    let elapsed = started.elapsed();

    assert_eq!(response.body()[0].script_name.as_deref(), Some("after-retry"));
    assert_eq!(received(&server).await.len(), 2);
    // `Retry-After: 1` capped by `max_retry_after(20 ms)`: at least 20 ms, far below 1 s.
    assert!(elapsed >= Duration::from_millis(20), "Retry-After was not honoured: {elapsed:?}");
    assert!(elapsed < Duration::from_millis(900), "the cap was not applied: {elapsed:?}");
}

#[tokio::test]
async fn a_429_with_an_http_date_retry_after_is_retried_after_the_capped_wait() {
    let server = MockServer::start().await;
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(5));
    mount_sequence(&server, "GET", LIST, vec![status(429).insert_header("Retry-After", date.as_str()), ok_list()])
        .await;
    let client = client_with(&server, fast_retries());

    let started = Instant::now();
    client.get_connector_list().send().await.expect("the retry succeeds");
    let elapsed = started.elapsed();

    assert_eq!(received(&server).await.len(), 2);
    assert!(elapsed >= Duration::from_millis(20), "the date was not honoured: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(1), "the cap was not applied to a date: {elapsed:?}");
}

#[tokio::test]
async fn a_429_with_a_past_date_or_no_retry_after_is_retried_promptly() {
    for retry_after in [Some("Sun, 06 Nov 1994 08:49:37 GMT"), Some("not a date"), None] {
        let server = MockServer::start().await;
        let mut limited = status(429);
        if let Some(value) = retry_after {
            limited = limited.insert_header("Retry-After", value);
        }
        mount_sequence(&server, "GET", LIST, vec![limited, ok_list()]).await;
        // A cap of a minute: only a wrong reading of the header could make this slow.
        let policy = fast_retries().max_retry_after(Duration::from_secs(60));
        let client = client_with(&server, policy);

        let started = Instant::now();
        client.get_connector_list().send().await.expect("the retry succeeds");

        assert!(started.elapsed() < Duration::from_secs(1), "{retry_after:?}: {:?}", started.elapsed());
        assert_eq!(received(&server).await.len(), 2, "{retry_after:?}");
    }
}

#[tokio::test]
async fn a_429_is_retried_even_for_a_post() {
    let server = MockServer::start().await;
    let created = ResponseTemplate::new(201).set_body_json(json!({ "scriptName": "custom" }));
    mount_sequence(&server, "POST", LIST, vec![status(429).insert_header("Retry-After", "0"), created]).await;
    let client = client_with(&server, fast_retries());

    let response = client.create_custom_connector(create_body()).send().await.expect("the retry succeeds");

    assert_eq!(response.body().script_name.as_deref(), Some("custom"));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let expected = json!({ "name": "custom", "className": "sailpoint.connector.OpenConnectorAdapter" });
    for request in &requests {
        assert_eq!(request.body_json::<Value>().unwrap(), expected, "the body is sent again whole");
    }
}

#[tokio::test]
async fn a_503_on_a_get_is_retried_after_a_backoff() {
    let server = MockServer::start().await;
    mount_sequence(&server, "GET", LIST, vec![status(503), status(503), ok_list()]).await;
    let client = client_with(&server, fast_retries());

    let response = client.get_connector_list().send().await.expect("the third attempt succeeds");

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_502_on_a_put_and_a_504_on_a_delete_are_retried() {
    let server = MockServer::start().await;
    let route = "/v2024/connectors/custom-app/correlation-config";
    let updated = ResponseTemplate::new(200).set_body_json(json!({ "scriptName": "custom-app" }));
    mount_sequence(&server, "PUT", route, vec![status(502), updated]).await;
    mount_sequence(&server, "DELETE", "/v2024/connectors/custom-app", vec![status(504), status(204)]).await;
    let client = client_with(&server, fast_retries());

    let file = FilePart::from_bytes("<CorrelationConfig/>").file_name("c.xml").content_type("application/xml");
    let response = client.put_connector_correlation_config("custom-app", file).send().await.expect("PUT retried");
    assert_eq!(response.body().script_name.as_deref(), Some("custom-app"));
    let response = client.delete_custom_connector("custom-app").send().await.expect("DELETE retried");
    assert_eq!(response.status().as_u16(), 204);

    let methods: Vec<_> = received(&server).await.iter().map(|request| request.method.to_string()).collect();
    assert_eq!(methods, ["PUT", "PUT", "DELETE", "DELETE"]);
}

#[tokio::test]
async fn server_errors_on_post_and_patch_are_not_retried() {
    for code in [502, 503, 504] {
        let server = MockServer::start().await;
        mount_sequence(&server, "POST", LIST, vec![status(code), status(201)]).await;
        mount_sequence(&server, "PATCH", "/v2024/connectors/custom-app", vec![status(code), status(200)]).await;
        let client = client_with(&server, fast_retries());

        let error = client.create_custom_connector(create_body()).send().await.expect_err("POST is not retried");
        assert_eq!(api_error(&error).status().as_u16(), code);
        assert_eq!(api_error(&error).operation(), "createCustomConnector");
        let error = client.update_connector("custom-app", patch()).send().await.expect_err("PATCH is not retried");
        assert_eq!(api_error(&error).status().as_u16(), code);
        assert_eq!(api_error(&error).operation(), "updateConnector");

        let methods: Vec<_> = received(&server).await.iter().map(|request| request.method.to_string()).collect();
        assert_eq!(methods, ["POST", "PATCH"], "exactly one request each for {code}");
    }
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    for code in [400, 404, 500, 501] {
        let server = MockServer::start().await;
        mount_sequence(&server, "GET", LIST, vec![status(code), ok_list()]).await;
        let client = client_with(&server, fast_retries());

        let error = client.get_connector_list().send().await.expect_err("not retried");

        assert_eq!(api_error(&error).status().as_u16(), code);
        assert_eq!(received(&server).await.len(), 1, "{code}");
    }
}

/// A 503 whose body and headers say which attempt it answers.
fn unavailable(attempt: usize) -> ResponseTemplate {
    ResponseTemplate::new(503).insert_header("X-Attempt", attempt.to_string().as_str()).set_body_json(json!({
        "detailCode": "503 Service Unavailable",
        "trackingId": format!("attempt-{attempt}"),
        "messages": [{ "locale": "en-US", "localeOrigin": "DEFAULT", "text": format!("busy ({attempt})") }],
        "causes": [],
    }))
}

#[tokio::test]
async fn when_retries_run_out_the_last_response_is_the_error() {
    for (policy, attempts) in [(fast_retries(), 4), (fast_retries().max_attempts(2), 2)] {
        let server = MockServer::start().await;
        mount_sequence(&server, "GET", LIST, (1..=5).map(unavailable).collect()).await;
        let client = client_with(&server, policy);

        let error = client.get_connector_list().send().await.expect_err("always unavailable");

        assert_eq!(received(&server).await.len(), attempts, "exactly max_attempts requests");
        let api = api_error(&error);
        assert_eq!(api.status().as_u16(), 503);
        let last = attempts.to_string();
        assert_eq!(api.headers().get("x-attempt").and_then(|value| value.to_str().ok()), Some(last.as_str()));
        let tracking_id = format!("attempt-{attempts}");
        assert_eq!(error.tracking_id(), Some(tracking_id.as_str()));
        let body: Value = serde_json::from_str(api.body()).unwrap();
        assert_eq!(body["trackingId"], json!(tracking_id));
        assert!(error.to_string().contains(&format!("busy ({attempts})")), "{error}");
        // The spec declares no body for 503, so it stays undecoded.
        assert!(api.details::<sailpoint_connectors::ErrorResponseDto>().is_none());
    }
}

#[tokio::test]
async fn when_429s_run_out_the_last_declared_body_is_decoded() {
    let server = MockServer::start().await;
    let limited = |attempt: usize| {
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "0")
            .set_body_json(json!({ "message": format!("rate limit hit ({attempt})") }))
    };
    mount_sequence(&server, "GET", LIST, (1..=5).map(limited).collect()).await;
    let client = client_with(&server, fast_retries().max_attempts(3));

    let error = client.get_connector_list().send().await.expect_err("always limited");

    assert_eq!(received(&server).await.len(), 3);
    assert!(error.is_rate_limited());
    let details = api_error(&error).details::<TooManyRequestsBody>().expect("the declared 429 body");
    assert_eq!(details.message, Some(json!("rate limit hit (3)")));
    assert_eq!(api_error(&error).headers().get("retry-after").unwrap(), "0");
}

#[test]
fn the_default_policy_makes_four_attempts() {
    assert_eq!(RetryPolicy::default(), RetryPolicy::default().max_attempts(4));
    assert_ne!(RetryPolicy::default(), RetryPolicy::default().max_attempts(3));
    assert_eq!(RetryPolicy::none(), RetryPolicy::default().max_attempts(1));
    assert_eq!(RetryPolicy::default().max_attempts(0), RetryPolicy::none(), "at least one attempt");
}

#[tokio::test]
async fn no_retries_means_one_request() {
    for first in [status(429).insert_header("Retry-After", "0"), status(503)] {
        let server = MockServer::start().await;
        mount_sequence(&server, "GET", LIST, vec![first, ok_list()]).await;
        let client = client_with(&server, RetryPolicy::none());

        let error = client.get_connector_list().send().await.expect_err("not retried");

        assert!(matches!(api_error(&error).status().as_u16(), 429 | 503));
        assert_eq!(received(&server).await.len(), 1);
    }
}

#[tokio::test]
async fn a_retried_multipart_upload_sends_the_whole_file_again() {
    let server = MockServer::start().await;
    let route = "/v2024/connectors/custom-app/source-config";
    let updated = ResponseTemplate::new(200).set_body_json(json!({ "scriptName": "custom-app", "status": "UPDATED" }));
    mount_sequence(&server, "PUT", route, vec![status(503), updated]).await;
    let client = client_with(&server, fast_retries());
    // Larger than one read buffer, with bytes that are not text.
    let content: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();

    let file = FilePart::from_bytes(content.clone()).file_name("source-config.xml").content_type("application/xml");
    client.put_connector_source_config("custom-app", file).send().await.expect("the retry succeeds");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let parts: Vec<_> = requests.iter().map(only_file_part).collect();
    for part in &parts {
        assert_eq!(part.body, content, "the file is sent whole on every attempt");
        assert_eq!(part.header("content-disposition"), Some(r#"form-data; name="file"; filename="source-config.xml""#));
        assert_eq!(part.header("content-type"), Some("application/xml"));
    }
    assert_eq!(parts[0].headers, parts[1].headers);
    // Each attempt has its own boundary; once it is taken out the bodies are identical.
    let boundary = |request: &wiremock::Request| {
        single_header(request, "content-type").trim_start_matches("multipart/form-data; boundary=").to_owned()
    };
    let normalised: Vec<_> = requests
        .iter()
        .map(|request| {
            let boundary = boundary(request);
            let position = |body: &[u8]| body.windows(boundary.len()).position(|w| w == boundary.as_bytes());
            let mut body = request.body.clone();
            while let Some(at) = position(&body) {
                body.splice(at..at + boundary.len(), b"BOUNDARY".iter().copied());
            }
            body
        })
        .collect();
    assert_eq!(normalised[0], normalised[1]);
    for request in &requests {
        assert_eq!(single_header(request, "content-length"), request.body.len().to_string());
    }
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_is_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ok_list().set_delay(Duration::from_millis(500)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .allow_http(true)
        .timeout(Duration::from_millis(100))
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client.get_connector_list().send().await.expect_err("too slow");

    assert!(matches!(error, Error::Timeout { operation: "getConnectorList" }), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_millis(450),
        "the timeout did not cut the wait: {:?}",
        started.elapsed()
    );
    assert_eq!(error.to_string(), "getConnectorList: timed out waiting for the server");
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .token(TOKEN)
        .allow_http(true)
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client.get_connector_list().send().await.expect_err("nothing listens");

    assert!(matches!(error, Error::Transport { operation: "getConnectorList", .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    let error = client.create_custom_connector(create_body()).send().await.expect_err("nothing listens");
    assert!(matches!(error, Error::Transport { operation: "createCustomConnector", .. }), "{error:?}");
}
