//! Tracing: each attempt runs in a `request` span naming the operation,
//! method, path, attempt and status, and neither the access token nor the
//! client secret is ever written.

mod common;

use common::*;
use sailpoint_connectors::Client;
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "client-secret-never-logged-8c1f";

/// Runs `future` with every event and span close, down to TRACE, written to the returned capture.
async fn capture<F: std::future::Future>(future: F) -> (F::Output, String) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    // The test runtime is single-threaded, so a thread-local default sees every poll.
    let guard = tracing::subscriber::set_default(subscriber);
    let output = future.await;
    drop(guard);
    (output, captured.text())
}

/// The lines of the `request` span closes and events, for failure messages and checks.
fn request_lines(log: &str) -> Vec<&str> {
    log.lines().filter(|line| line.contains("request{")).collect()
}

#[tokio::test]
async fn a_retried_request_is_traced_per_attempt_without_secrets() {
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors"))
        .respond_with(Sequence::new(vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(200).set_body_json(json!([])),
        ]))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials("traced-client", CLIENT_SECRET)
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let (outcome, log) = capture(client.get_connector_list().limit(5).send()).await;
    outcome.expect("the retry succeeds");

    let lines = request_lines(&log);
    let first: Vec<_> = lines.iter().filter(|line| line.contains("attempt=1")).collect();
    let second: Vec<_> = lines.iter().filter(|line| line.contains("attempt=2")).collect();
    assert!(!first.is_empty() && !second.is_empty(), "one span per attempt:\n{log}");
    for line in first.iter().chain(&second) {
        for field in [r#"operation="getConnectorList""#, "method=GET", "path=/connectors"] {
            assert!(line.contains(field), "{field} missing from {line}");
        }
    }
    assert!(first.iter().any(|line| line.contains("status=503")), "{log}");
    assert!(first.iter().any(|line| line.contains("retrying") && line.contains("wait_ms=")), "{log}");
    assert!(second.iter().any(|line| line.contains("status=200") && line.contains("elapsed_ms=")), "{log}");
    assert!(!second.iter().any(|line| line.contains("status=503")), "{log}");

    let received = received(&server).await;
    assert_eq!(received.len(), 3, "a token request and two attempts");
    for secret in [CLIENT_SECRET, "token-1"] {
        assert!(!log.contains(secret), "{secret} was logged:\n{log}");
    }
}

#[tokio::test]
async fn a_refused_token_is_traced_without_the_token() {
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    Mock::given(method("DELETE"))
        .and(path("/v2024/connectors/custom-app"))
        .respond_with(Sequence::new(vec![ResponseTemplate::new(401), ResponseTemplate::new(204)]))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials("traced-client", CLIENT_SECRET)
        .build()
        .unwrap();

    let (outcome, log) = capture(client.delete_custom_connector("custom-app").send()).await;
    outcome.expect("the replay succeeds");

    let lines = request_lines(&log);
    assert!(
        lines
            .iter()
            .any(|line| line.contains("token rejected") && line.contains(r#"operation="deleteCustomConnector""#)),
        "{log}"
    );
    assert!(lines.iter().any(|line| line.contains("status=401")), "{log}");
    assert!(
        lines.iter().any(|line| line.contains("status=204") && line.contains("path=/connectors/custom-app")),
        "{log}"
    );
    for secret in [CLIENT_SECRET, "token-1", "token-2"] {
        assert!(!log.contains(secret), "{secret} was logged:\n{log}");
    }
}
