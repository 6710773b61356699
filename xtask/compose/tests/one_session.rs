//! The family generated from SailPoint's per-resource specs, used as a
//! program uses it: the umbrella crate with three APIs enabled (`accounts`,
//! `sources`, `connectors`), on one session against a mock tenant: one token
//! request for all of them, one connection pool, and one pause when the
//! tenant answers 429.
//!
//! `.ci/run` generates the family, writes a crate depending on its umbrella
//! with this file as its test, and runs it.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const LISTS: [&str; 3] = ["/accounts/v1", "/sources/v1", "/connectors/v1"];

/// A tenant with a token endpoint and the three lists, each empty.
async fn tenant() -> MockServer {
    let server = MockServer::builder().start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "shared-token", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    for list in LISTS {
        Mock::given(method("GET"))
            .and(path(list))
            .and(header("authorization", "Bearer shared-token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .mount(&server)
            .await;
    }
    server
}

fn session(server: &MockServer) -> sailpoint_isc::Session {
    sailpoint_isc::Session::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials("client-id", "client-secret")
        .build()
        .unwrap()
}

async fn requests_to(server: &MockServer, wanted: &str) -> Vec<Request> {
    let received = server.received_requests().await.unwrap();
    received.into_iter().filter(|request| request.url.path() == wanted).collect()
}

#[tokio::test]
async fn three_apis_of_the_umbrella_on_one_session_send_one_token_request() {
    let server = tenant().await;
    let isc = sailpoint_isc::Client::with_session(&session(&server)).unwrap();

    isc.accounts().list_accounts_v1().send().await.unwrap();
    isc.sources().list_sources_v1().send().await.unwrap();
    isc.connectors().get_connector_list_v1().send().await.unwrap();
    // A client made later from the same session reuses the token too.
    let again = sailpoint_isc::sources::Client::with_session(isc.session()).unwrap();
    again.list_sources_v1().send().await.unwrap();

    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1, "one token request for every crate");
    for list in LISTS {
        assert!(!requests_to(&server, list).await.is_empty(), "{list} was called");
    }
    // Each crate says who it is; the token request comes from the runtime.
    let user_agent = |request: &Request| request.headers.get("user-agent").unwrap().to_str().unwrap().to_owned();
    assert_eq!(user_agent(&requests_to(&server, "/accounts/v1").await[0]), sailpoint_isc::accounts::USER_AGENT);
    assert_eq!(user_agent(&requests_to(&server, "/sources/v1").await[0]), sailpoint_isc::sources::USER_AGENT);
    assert!(sailpoint_isc::sources::USER_AGENT.starts_with("sailpoint-isc-sources/"));
    assert!(user_agent(&requests_to(&server, "/oauth/token").await[0]).starts_with("openapi-client-runtime/"));
}

#[tokio::test]
async fn the_crates_share_the_runtimes_types() {
    // One `Error`, `Session`, `RetryPolicy` and `Items` for every crate and
    // the umbrella: code that handles one crate's errors takes the others'.
    fn same<T>(value: T) -> T {
        value
    }
    let _: fn(sailpoint_isc::sources::Error) -> sailpoint_isc::accounts::Error = same;
    let _: fn(sailpoint_isc::connectors::Session) -> sailpoint_isc::Session = same;
    let _: fn(sailpoint_isc::accounts::RetryPolicy) -> sailpoint_isc::connectors::RetryPolicy = same;
    let _: fn(sailpoint_isc::accounts::Items<u8>) -> sailpoint_isc::Items<u8> = same;

    let server = tenant().await;
    let no_credentials = sailpoint_isc::Session::builder().base_url(server.uri()).allow_http(true).build().unwrap();
    let error = sailpoint_isc::Client::with_session(&no_credentials).unwrap_err();
    assert!(matches!(error, sailpoint_isc::Error::Config(_)), "{error:?}");
}

#[tokio::test]
async fn a_429_answered_to_one_crate_pauses_the_requests_of_the_others() {
    let server = tenant().await;
    // The first accounts request is told to wait a second; the lists
    // mounted by `tenant` answer everything after it.
    Mock::given(method("GET"))
        .and(path("/accounts/v1"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let isc = sailpoint_isc::Client::with_session(&session(&server)).unwrap();
    let accounts = isc.accounts().clone();

    let first = tokio::spawn(async move { accounts.list_accounts_v1().send().await });
    // Wait until the tenant has answered the 429.
    let deadline = Instant::now() + Duration::from_secs(10);
    while requests_to(&server, "/accounts/v1").await.is_empty() {
        assert!(Instant::now() < deadline, "the accounts request never arrived");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // The client handles the answer within microseconds; leave it time to
    // set the pause before the other crate's request.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let asked = Instant::now();
    isc.sources().list_sources_v1().send().await.unwrap();
    let waited = asked.elapsed();
    first.await.unwrap().unwrap();

    assert!(waited >= Duration::from_millis(700), "the sources request went out after {waited:?}, inside the pause");
    assert_eq!(requests_to(&server, "/accounts/v1").await.len(), 2, "the 429 was retried once");
}
