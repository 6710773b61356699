//! Building a client: base URL checks, where requests go, and that the token
//! is never shown.

mod common;

use common::*;
use sailpoint_connectors::{Client, Error};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

fn config_error(result: Result<Client, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        Err(other) => panic!("expected Error::Config, got {other:?}"),
        Ok(client) => panic!("expected Error::Config, got {client:?}"),
    }
}

#[test]
fn plain_http_is_refused_unless_allowed() {
    let message = config_error(Client::new("http://127.0.0.1:8080", TOKEN));
    assert!(message.contains("https") && message.contains("allow_http"), "{message}");
    let message = config_error(Client::builder().base_url("http://127.0.0.1:8080").token(TOKEN).build());
    assert!(message.contains("https"), "{message}");
    assert!(!message.contains(TOKEN));

    let client = Client::builder().base_url("http://127.0.0.1:8080").token(TOKEN).allow_http(true).build();
    assert_eq!(client.expect("allowed").base_url(), "http://127.0.0.1:8080/v2024");
}

#[test]
fn https_is_accepted_and_the_api_path_is_added_once() {
    for base_url in [
        "https://acme.api.identitynow.com",
        "https://acme.api.identitynow.com/",
        "https://acme.api.identitynow.com/v2024",
        "https://acme.api.identitynow.com/v2024/",
    ] {
        let client = Client::new(base_url, TOKEN).unwrap_or_else(|error| panic!("{base_url}: {error}"));
        assert_eq!(client.base_url(), "https://acme.api.identitynow.com/v2024", "from {base_url}");
    }
    let client = Client::new("https://gateway.example.com/sailpoint/", TOKEN).unwrap();
    assert_eq!(client.base_url(), "https://gateway.example.com/sailpoint/v2024");
}

#[test]
fn malformed_settings_are_config_errors() {
    let message = config_error(Client::builder().token(TOKEN).build());
    assert!(message.contains("base URL"), "{message}");
    let message = config_error(Client::builder().base_url("https://acme.api.identitynow.com").build());
    assert!(message.contains("token"), "{message}");
    let message = config_error(Client::new("acme.api.identitynow.com", TOKEN));
    assert!(message.contains("not a URL"), "{message}");
    let message = config_error(Client::new("ftp://acme.api.identitynow.com", TOKEN));
    assert!(message.contains("ftp"), "{message}");
    let message = config_error(Client::new("https://acme.api.identitynow.com/?tenant=a", TOKEN));
    assert!(message.contains("query"), "{message}");
    let message = config_error(Client::new("https://acme.api.identitynow.com/#top", TOKEN));
    assert!(message.contains("fragment"), "{message}");
    assert!(Error::Config(message).to_string().starts_with("invalid client configuration: "));
}

#[tokio::test]
async fn with_or_without_the_api_path_requests_go_under_v2024() {
    let server = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(4)
        .mount(&server)
        .await;

    for base_url in [
        server.uri(),
        format!("{}/", server.uri()),
        format!("{}/v2024", server.uri()),
        format!("{}/v2024/", server.uri()),
    ] {
        let client = Client::builder().base_url(&base_url).token(TOKEN).allow_http(true).build().unwrap();
        client.get_connector_list().send().await.unwrap_or_else(|error| panic!("{base_url}: {error}"));
    }

    let paths: Vec<String> = received(&server).await.iter().map(|request| request.url.path().to_owned()).collect();
    assert_eq!(paths, ["/v2024/connectors"; 4]);
}

#[test]
fn debug_output_never_contains_the_token() {
    let secret = "super-secret-token-value";
    let builder = Client::builder().base_url("https://acme.api.identitynow.com").token(secret);
    let shown = format!("{builder:?}");
    assert!(!shown.contains(secret), "{shown}");
    assert!(shown.contains("acme.api.identitynow.com"), "the rest stays visible: {shown}");
    assert!(shown.contains("redacted"), "{shown}");

    let client = builder.build().unwrap();
    for shown in [format!("{client:?}"), format!("{client:#?}"), format!("{:?}", client.clone())] {
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("https://acme.api.identitynow.com/v2024"), "{shown}");
    }
    // Request builders hold the client; they must not show the token either.
    let request = client.get_connector_list().filters("name sw \"a\"");
    assert!(!format!("{request:?}").contains(secret));
    let request = client.put_connector_source_config("a", sailpoint_connectors::FilePart::from_bytes("x"));
    assert!(!format!("{request:?}").contains(secret));
}

#[tokio::test]
async fn a_custom_user_agent_replaces_the_default() {
    let server = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors"))
        .and(header("user-agent", "my-tool/2.0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .allow_http(true)
        .user_agent("my-tool/2.0")
        .build()
        .unwrap();

    client.get_connector_list().send().await.expect("ok");

    assert_eq!(single_header(&only_request(&server).await, "user-agent"), "my-tool/2.0");
}

#[tokio::test]
async fn a_token_that_cannot_be_a_header_is_refused_without_sending() {
    let (server, _) = setup().await;
    let client = Client::builder().base_url(server.uri()).token("bad\r\ntoken").allow_http(true).build();

    let outcome = match client {
        Err(error) => error,
        Ok(client) => client.get_connector_list().send().await.expect_err("the token cannot be sent"),
    };

    match &outcome {
        Error::Config(message) => assert!(!message.contains("bad\r\ntoken"), "{message}"),
        other => panic!("expected Error::Config, got {other:?}"),
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn clones_share_the_configuration() {
    let (server, client) = setup().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).expect(2).mount(&server).await;

    let clone = client.clone();
    client.delete_custom_connector("a").send().await.expect("ok");
    clone.delete_custom_connector("b").send().await.expect("ok");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(single_header(request, "authorization"), format!("Bearer {TOKEN}"));
    }
    assert_eq!(clone.base_url(), client.base_url());
}

#[test]
fn a_tenant_name_becomes_the_spec_server_url() {
    let client = sailpoint_connectors::Client::builder().tenant("acme").token("t").build().unwrap();
    assert_eq!(client.base_url(), "https://acme.api.identitynow.com/v2024");
    let explicit =
        sailpoint_connectors::Client::builder().tenant("acme").base_url("https://other.example.com").token("t").build();
    assert_eq!(explicit.unwrap().base_url(), "https://other.example.com/v2024");
    for bad in ["", "a.b", "evil.com/x", "-x", "a b"] {
        let error = sailpoint_connectors::Client::builder().tenant(bad).token("t").build().unwrap_err();
        assert!(matches!(error, sailpoint_connectors::Error::Config(_)), "{bad:?}: {error}");
    }
}

#[test]
fn experimental_operations_are_off_unless_enabled() {
    let off = sailpoint_connectors::Client::builder().tenant("acme").token("t").build().unwrap();
    assert!(!off.allows_experimental());
    let on = sailpoint_connectors::Client::builder().tenant("acme").token("t").experimental(true).build().unwrap();
    assert!(on.allows_experimental());
}
