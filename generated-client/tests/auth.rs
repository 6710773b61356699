//! Authentication: OAuth2 client credentials against `/oauth/token`, the
//! one cached token shared by every request, its refresh before expiry and
//! after a 401, failures of the token endpoint, and custom token sources.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use sailpoint_connectors::{AccessToken, Client, Error, RetryPolicy, TokenFuture, TokenSource};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "client-id-1234";
const CLIENT_SECRET: &str = "client-secret-do-not-show-5678";
const LIST: &str = "/v2024/connectors";
const TOKEN_PATH: &str = "/oauth/token";

/// A client using client credentials against `server`, retries off.
fn credentials_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

/// `GET /v2024/connectors` answers 200 `[]` to any token.
async fn mount_list(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .named("connector list")
        .mount(server)
        .await;
}

fn auth_error(error: &Error) -> &sailpoint_connectors::AuthError {
    match error {
        Error::Auth(auth) => auth,
        other => panic!("expected Error::Auth, got {other:?}"),
    }
}

#[tokio::test]
async fn the_token_request_is_a_form_with_exactly_the_client_credentials() {
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = credentials_client(&server);

    client.get_connector_list().send().await.expect("the request succeeds with the fetched token");

    let token_requests = received_at(&server, TOKEN_PATH).await;
    assert_eq!(token_requests.len(), 1);
    let request = &token_requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(single_header(request, "content-type"), "application/x-www-form-urlencoded");
    assert!(request.headers.get("authorization").is_none(), "the token request carries no bearer token");
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    assert_eq!(
        form,
        pairs(&[("grant_type", "client_credentials"), ("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET)])
    );
    assert_eq!(request.url.query(), None, "credentials never go in the URL");

    let api_requests = received_at(&server, LIST).await;
    assert_eq!(bearer_tokens(&api_requests), [Some("token-1".to_owned())]);
    // The token endpoint is fetched before the API request.
    assert_eq!(received(&server).await[0].url.path(), TOKEN_PATH);
}

#[tokio::test]
async fn credentials_with_form_special_characters_are_encoded() {
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    mount_list(&server).await;
    let secret = "a+b&c=d %/?é";
    let client =
        Client::builder().base_url(server.uri()).allow_http(true).client_credentials("id&x=y", secret).build().unwrap();

    client.get_connector_list().send().await.expect("ok");

    let request = &received_at(&server, TOKEN_PATH).await[0];
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    assert_eq!(
        form,
        pairs(&[("grant_type", "client_credentials"), ("client_id", "id&x=y"), ("client_secret", secret)])
    );
}

#[tokio::test]
async fn the_token_is_cached_across_requests_and_clones() {
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    mount_list(&server).await;
    let client = credentials_client(&server);

    for _ in 0..4 {
        client.get_connector_list().send().await.expect("ok");
    }
    client.clone().get_connector_list().send().await.expect("a clone shares the token");

    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 1, "one token for five requests");
    assert_eq!(bearer_tokens(&received_at(&server, LIST).await), vec![Some("token-1".to_owned()); 5]);
}

#[tokio::test]
async fn a_token_without_expires_in_is_kept_until_rejected() {
    let server = MockServer::start().await;
    TokenEndpoint::new(None).mount(&server).await;
    mount_list(&server).await;
    let client = credentials_client(&server);

    for _ in 0..3 {
        client.get_connector_list().send().await.expect("ok");
    }

    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_share_a_single_token_fetch() {
    let server = MockServer::start().await;
    // A slow token endpoint keeps the first fetch in flight while the others arrive.
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(TokenEndpoint::new(Some(3600)).delayed(Duration::from_millis(100)))
        .expect(1)
        .mount(&server)
        .await;
    mount_list(&server).await;
    let client = credentials_client(&server);

    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_connector_list().send().await })
        })
        .collect();
    let outcomes = futures_util::future::join_all(tasks).await;

    for outcome in outcomes {
        outcome.expect("the task does not panic").expect("every request succeeds");
    }
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 1, "exactly one token request");
    let api_requests = received_at(&server, LIST).await;
    assert_eq!(api_requests.len(), 50);
    assert_eq!(bearer_tokens(&api_requests), vec![Some("token-1".to_owned()); 50]);
}

#[tokio::test]
async fn a_token_about_to_expire_is_refreshed_before_each_request() {
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    mount_list(&server).await;
    // The margin covers the whole lifetime: every token is "about to expire" at once.
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .token_refresh_margin(Duration::from_secs(3600))
        .build()
        .unwrap();

    for _ in 0..3 {
        client.get_connector_list().send().await.expect("ok");
    }

    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 3);
    assert_eq!(
        bearer_tokens(&received_at(&server, LIST).await),
        [Some("token-1".to_owned()), Some("token-2".to_owned()), Some("token-3".to_owned())]
    );
}

#[tokio::test]
async fn a_token_shorter_lived_than_the_default_margin_is_refreshed_every_time() {
    let server = MockServer::start().await;
    // 30 s of validity is less than the default 60 s margin.
    TokenEndpoint::new(Some(30)).mount(&server).await;
    mount_list(&server).await;
    let client = credentials_client(&server);

    client.get_connector_list().send().await.expect("ok");
    client.get_connector_list().send().await.expect("ok");

    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 2);
}

#[tokio::test]
async fn with_the_default_margin_a_one_hour_token_is_fetched_once() {
    assert_eq!(sailpoint_connectors::DEFAULT_REFRESH_MARGIN, Duration::from_secs(60));
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    mount_list(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap();

    for _ in 0..3 {
        client.get_connector_list().send().await.expect("ok");
    }

    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 1);
}

/// `GET /v2024/connectors` refuses `token-1` with 401 and accepts every other token.
async fn mount_list_refusing_token_1(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "error": "JWT expired" })))
        .with_priority(1)
        .mount(server)
        .await;
    mount_list(server).await;
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_replays_the_request() {
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    mount_list_refusing_token_1(&server).await;
    let client = credentials_client(&server);

    let response = client.get_connector_list().send().await.expect("the replay with a new token succeeds");
    assert_eq!(response.status().as_u16(), 200);

    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 2, "one refresh");
    assert_eq!(
        bearer_tokens(&received_at(&server, LIST).await),
        [Some("token-1".to_owned()), Some("token-2".to_owned())],
        "one replay, with the new token"
    );

    // The new token is cached for later requests.
    client.get_connector_list().send().await.expect("ok");
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(bearer_tokens(&received_at(&server, LIST).await)[2].as_deref(), Some("token-2"));
}

#[tokio::test]
async fn a_401_on_a_post_is_replayed_with_the_same_body() {
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    Mock::given(method("POST"))
        .and(path(LIST))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "scriptName": "new" })))
        .mount(&server)
        .await;
    let client = credentials_client(&server);

    let body = sailpoint_connectors::V3CreateConnectorDto::new("new".into(), "x.Connector".into());
    let response = client.create_custom_connector(body).send().await.expect("the replay succeeds");

    assert_eq!(response.body().script_name.as_deref(), Some("new"));
    let requests = received_at(&server, LIST).await;
    assert_eq!(bearer_tokens(&requests), [Some("token-1".to_owned()), Some("token-2".to_owned())]);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(
        requests[1].body_json::<serde_json::Value>().unwrap(),
        json!({ "name": "new", "className": "x.Connector" })
    );
}

#[tokio::test]
async fn a_second_401_is_returned_without_another_replay() {
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "error": "not allowed" })))
        .mount(&server)
        .await;
    // Retries on: a 401 must still not be retried beyond the one replay.
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let error = client.get_connector_list().send().await.expect_err("both tokens are refused");

    assert_eq!(api_error(&error).status().as_u16(), 401);
    let details = api_error(&error).details::<sailpoint_connectors::UnauthorizedBody>().expect("declared 401 body");
    assert_eq!(details.error, Some(json!("not allowed")));
    assert_eq!(
        bearer_tokens(&received_at(&server, LIST).await),
        [Some("token-1".to_owned()), Some("token-2".to_owned())],
        "exactly two API requests: the original and one replay"
    );
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 2);
}

#[tokio::test]
async fn a_static_token_refused_with_401_is_not_replayed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "error": "JWT expired" })))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .token(TOKEN)
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let error = client.get_connector_list().send().await.expect_err("refused");

    assert_eq!(api_error(&error).status().as_u16(), 401);
    let request = only_request(&server).await;
    assert_eq!(single_header(&request, "authorization"), format!("Bearer {TOKEN}"));
}

#[tokio::test]
async fn a_refused_client_secret_is_an_auth_error_with_the_servers_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "error": "invalid_client" })))
        .expect(1)
        .mount(&server)
        .await;
    mount_list(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client.get_connector_list().send().await.expect_err("the credentials are refused");
    assert!(started.elapsed() < Duration::from_secs(1), "returned promptly, took {:?}", started.elapsed());

    let auth = auth_error(&error);
    assert_eq!(auth.status.map(|status| status.as_u16()), Some(401));
    assert!(auth.body.contains("invalid_client"), "{auth:?}");
    assert_eq!(error.status(), None, "no API response is involved");
    let shown = error.to_string();
    assert!(shown.contains("invalid_client") && shown.contains("401"), "{shown}");
    for shown in [error.to_string(), format!("{error:?}"), format!("{error:#?}")] {
        assert!(!shown.contains(CLIENT_SECRET), "the secret leaked: {shown}");
    }
    assert!(received_at(&server, LIST).await.is_empty(), "no API request without a token");
}

#[tokio::test]
async fn a_failing_token_endpoint_is_an_auth_error_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(500).set_body_string("token service unavailable"))
        .mount(&server)
        .await;
    mount_list(&server).await;
    let client = credentials_client(&server);

    let started = Instant::now();
    let error = client.get_connector_list().send().await.expect_err("no token");
    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());

    let auth = auth_error(&error);
    assert_eq!(auth.status.map(|status| status.as_u16()), Some(500));
    assert_eq!(auth.body, "token service unavailable");
    assert!(error.to_string().contains("token service unavailable"), "{error}");
    assert!(!format!("{error:?}").contains(CLIENT_SECRET));
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 1);

    // A failure is not cached: the next request asks again.
    let _ = client.get_connector_list().send().await.expect_err("still no token");
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 2);
    assert!(received_at(&server, LIST).await.is_empty());
}

#[tokio::test]
async fn a_token_response_that_is_not_an_oauth2_token_is_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>login</html>"))
        .mount(&server)
        .await;
    let client = credentials_client(&server);

    let error = client.get_connector_list().send().await.expect_err("no token");

    let auth = auth_error(&error);
    assert_eq!(auth.status.map(|status| status.as_u16()), Some(200));
    assert!(auth.message.contains("not an OAuth2 token"), "{auth:?}");
    assert!(!format!("{error:?} {error}").contains(CLIENT_SECRET));
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_an_auth_error_without_status() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .allow_http(true)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap();

    let error = client.get_connector_list().send().await.expect_err("nothing listens");

    let auth = auth_error(&error);
    assert_eq!(auth.status, None);
    assert!(auth.message.contains("/oauth/token"), "{auth:?}");
    assert!(!format!("{error:?} {error}").contains(CLIENT_SECRET));
}

/// A token source that counts its calls and hands out `custom-1`, `custom-2`, ...
#[derive(Debug, Clone)]
struct CountingSource {
    calls: Arc<AtomicUsize>,
    refreshable: bool,
}

impl TokenSource for CountingSource {
    fn fetch_token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(AccessToken::new(format!("custom-{n}"), Some(Duration::from_secs(3600))))
        })
    }

    fn can_refresh(&self) -> bool {
        self.refreshable
    }
}

#[tokio::test]
async fn a_custom_token_source_supplies_the_token() {
    let server = MockServer::start().await;
    mount_list(&server).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let source = CountingSource { calls: calls.clone(), refreshable: true };
    let client = Client::builder().base_url(server.uri()).allow_http(true).token_source(source).build().unwrap();

    client.get_connector_list().send().await.expect("ok");
    client.get_connector_list().send().await.expect("ok");

    assert_eq!(calls.load(Ordering::SeqCst), 1, "the custom token is cached too");
    assert_eq!(bearer_tokens(&received(&server).await), vec![Some("custom-1".to_owned()); 2]);
    assert!(received_at(&server, TOKEN_PATH).await.is_empty(), "the built-in token endpoint is not used");
}

#[tokio::test]
async fn a_custom_token_source_is_asked_again_after_a_401_unless_it_cannot_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(header("authorization", "Bearer custom-1"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(1)
        .mount(&server)
        .await;
    mount_list(&server).await;

    let calls = Arc::new(AtomicUsize::new(0));
    let source = CountingSource { calls: calls.clone(), refreshable: true };
    let client = Client::builder().base_url(server.uri()).allow_http(true).token_source(source).build().unwrap();
    client.get_connector_list().send().await.expect("replayed with custom-2");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(bearer_tokens(&received(&server).await), [Some("custom-1".to_owned()), Some("custom-2".to_owned())]);

    server.reset().await;
    Mock::given(method("GET")).and(path(LIST)).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let source = CountingSource { calls: calls.clone(), refreshable: false };
    let client = Client::builder().base_url(server.uri()).allow_http(true).token_source(source).build().unwrap();
    let error = client.get_connector_list().send().await.expect_err("not replayed");
    assert_eq!(api_error(&error).status().as_u16(), 401);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_failing_custom_token_source_fails_the_request_without_sending_it() {
    #[derive(Debug)]
    struct Failing;
    impl TokenSource for Failing {
        fn fetch_token(&self) -> TokenFuture<'_> {
            Box::pin(async { Err(Error::Config("vault is sealed".to_owned())) })
        }
    }
    let server = MockServer::start().await;
    mount_list(&server).await;
    let client = Client::builder().base_url(server.uri()).allow_http(true).token_source(Failing).build().unwrap();

    let error = client.get_connector_list().send().await.expect_err("no token");

    assert!(error.to_string().contains("vault is sealed"), "{error}");
    assert!(received(&server).await.is_empty());
}

#[test]
fn access_tokens_and_credentials_never_show_their_secrets() {
    let token = AccessToken::new("tok-secret-value", Some(Duration::from_secs(60)));
    assert_eq!(token.secret(), "tok-secret-value");
    assert_eq!(token.expires_in(), Some(Duration::from_secs(60)));
    let shown = format!("{token:?} {token:#?}");
    assert!(!shown.contains("tok-secret-value"), "{shown}");

    let builder =
        Client::builder().base_url("https://acme.api.identitynow.com").client_credentials(CLIENT_ID, CLIENT_SECRET);
    let shown = format!("{builder:?}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(shown.contains(CLIENT_ID), "the client id is not secret: {shown}");
    let client = builder.build().unwrap();
    let shown = format!("{client:?} {client:#?}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
}
