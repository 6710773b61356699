//! What each security scheme of the security fixture
//! (`generator/tests/fixtures/security/openapi.yaml`) puts on the wire,
//! against a local mock server: exactly the headers, query pairs and cookies
//! the operation's requirements name, nothing for `security: []`, secrets
//! kept out of `Debug`, errors and logs; and the server URL's variables.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use security_client::{Client, ClientBuilder, Error, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PASSWORD: &str = "basic-password-never-shown-5e2a";
const HEADER_KEY: &str = "header-key-never-shown-91c3";
const QUERY_KEY: &str = "query-key-only-in-the-url-77d0";
const COOKIE_KEY: &str = "cookie-key-never-shown-c4b8";

/// A builder for the mock server, without retries.
fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder().api_root(server.uri()).allow_http(true).retry_policy(RetryPolicy::none())
}

/// Answers 204 to every GET.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "{received:?}");
    received.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|value| value.to_str().unwrap())
}

/// `Basic base64(user:password)`, spelled out for the test.
fn basic(user: &str, password: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("{user}:{password}").into_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    format!("Basic {out}")
}

#[tokio::test]
async fn client_credentials_fetch_a_token_on_the_api_host_and_send_it_as_bearer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": "fetched", "expires_in": 600})),
        )
        .expect(1)
        .mount(&server)
        .await;
    // The API is under the server URL's path; the token endpoint on its host.
    Mock::given(method("GET")).and(path("/v1/default")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client =
        Client::builder().base_url(server.uri()).allow_http(true).client_credentials("id", "secret").build().unwrap();
    client.get_default().send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let call = requests.iter().find(|request| request.url.path() == "/v1/default").unwrap();
    assert_eq!(header(call, "authorization"), Some("Bearer fetched"));
}

#[tokio::test]
async fn a_bearer_token_goes_in_the_authorization_header_only() {
    let server = server().await;
    builder(&server).token("t0k").build().unwrap().get_default().send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), Some("Bearer t0k"));
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "cookie"), None);
}

#[tokio::test]
async fn basic_credentials_are_sent_as_basic_authorization() {
    let server = server().await;
    let client = builder(&server).token("unused").basic_auth("ada", PASSWORD).build().unwrap();
    client.get_basic().send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), Some(basic("ada", PASSWORD).as_str()));
}

#[tokio::test]
async fn an_api_key_goes_where_its_scheme_says_and_nowhere_else() {
    let server = server().await;
    let client = builder(&server).header_key(HEADER_KEY).query_key(QUERY_KEY).cookie_key(COOKIE_KEY).build().unwrap();

    client.get_header_key().send().await.unwrap();
    client.get_query_key().q("x y").send().await.unwrap();
    client.get_cookie_key().send().await.unwrap();
    let received = server.received_requests().await.unwrap();
    let [in_header, in_query, in_cookie] = &received[..] else { panic!("{received:?}") };

    assert_eq!(header(in_header, "x-api-key"), Some(HEADER_KEY));
    assert_eq!(in_header.url.query(), None);
    assert_eq!(header(in_header, "authorization"), None);

    let pairs: Vec<(String, String)> =
        in_query.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    assert_eq!(pairs, [("q".to_owned(), "x y".to_owned()), ("api_key".to_owned(), QUERY_KEY.to_owned())]);
    assert_eq!(header(in_query, "x-api-key"), None);

    assert_eq!(header(in_cookie, "cookie"), Some(format!("session={COOKIE_KEY}").as_str()));
    assert_eq!(header(in_cookie, "x-api-key"), None);
}

#[tokio::test]
async fn an_operation_with_empty_security_sends_nothing_and_fetches_no_token() {
    let server = server().await;
    // A token endpoint that must never be called.
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials("id", "secret")
        .basic_auth("ada", PASSWORD)
        .header_key(HEADER_KEY)
        .query_key(QUERY_KEY)
        .cookie_key(COOKIE_KEY)
        .build()
        .unwrap();
    client.get_public().send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/public");
    for name in ["authorization", "x-api-key", "cookie"] {
        assert_eq!(header(&request, name), None, "{name}");
    }
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn optional_security_sends_the_key_only_when_configured() {
    let server = server().await;
    builder(&server).token("t").build().unwrap().get_optional().send().await.unwrap();
    builder(&server).header_key(HEADER_KEY).build().unwrap().get_optional().send().await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(header(&received[0], "x-api-key"), None);
    assert_eq!(header(&received[0], "authorization"), None);
    assert_eq!(header(&received[1], "x-api-key"), Some(HEADER_KEY));
}

#[tokio::test]
async fn schemes_required_together_are_all_sent() {
    let server = server().await;
    let client = builder(&server).header_key(HEADER_KEY).query_key(QUERY_KEY).build().unwrap();
    client.get_both_keys().send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-api-key"), Some(HEADER_KEY));
    assert_eq!(request.url.query(), Some(format!("api_key={QUERY_KEY}").as_str()));
}

#[tokio::test]
async fn alternatives_are_tried_in_spec_order_and_the_first_configured_is_used() {
    let server = server().await;
    let both = builder(&server).basic_auth("ada", PASSWORD).header_key(HEADER_KEY).build().unwrap();
    both.get_key_or_basic().send().await.unwrap();
    let only_basic = builder(&server).basic_auth("ada", PASSWORD).build().unwrap();
    only_basic.get_key_or_basic().send().await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(header(&received[0], "x-api-key"), Some(HEADER_KEY));
    assert_eq!(header(&received[0], "authorization"), None);
    assert_eq!(header(&received[1], "authorization"), Some(basic("ada", PASSWORD).as_str()));
    assert_eq!(header(&received[1], "x-api-key"), None);
}

#[tokio::test]
async fn an_operation_whose_credentials_are_missing_fails_before_sending() {
    let server = server().await;
    let client = builder(&server).token("t").build().unwrap();
    let error = client.get_basic().send().await.unwrap_err();
    let Error::Config(message) = &error else { panic!("{error:?}") };
    assert!(message.contains("getBasic") && message.contains("basic"), "{message}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn a_client_without_any_credentials_is_refused_when_every_operation_needs_some() {
    // The API's own requirements need OAuth2 or a bearer token; some
    // operations need none, but the API as a whole does.
    let error = Client::builder().base_url("https://acme.example.com").build().unwrap_err();
    let Error::Config(message) = &error else { panic!("{error:?}") };
    assert!(message.contains("no credentials"), "{message}");
}

#[test]
fn debug_output_never_shows_a_password_or_an_api_key() {
    let builder = Client::builder()
        .base_url("https://acme.example.com")
        .basic_auth("ada", PASSWORD)
        .header_key(HEADER_KEY)
        .query_key(QUERY_KEY)
        .cookie_key(COOKIE_KEY);
    let shown_builder = format!("{builder:?}");
    let shown = format!("{shown_builder} {:?}", builder.build().unwrap());
    for secret in [PASSWORD, HEADER_KEY, QUERY_KEY, COOKIE_KEY] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("ada"), "the user name is not a secret: {shown}");
}

#[tokio::test]
async fn a_transport_error_never_shows_an_api_key_from_the_query() {
    // Nothing listens on a port just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .api_root(format!("http://127.0.0.1:{port}"))
        .allow_http(true)
        .retry_policy(RetryPolicy::none())
        .query_key(QUERY_KEY)
        .build()
        .unwrap();
    let error = client.get_query_key().send().await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(QUERY_KEY), "{shown}");
}

/// Log output kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_never_show_a_password_or_an_api_key() {
    let server = server().await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    // Global and enabling everything: `tracing` caches per callsite whether it
    // is enabled, and a thread-local subscriber misses callsites that other
    // tests' threads hit first. The other tests' logs land here too, and must
    // not show a secret either.
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this test binary");
    let client = builder(&server)
        .basic_auth("ada", PASSWORD)
        .header_key(HEADER_KEY)
        .query_key(QUERY_KEY)
        .cookie_key(COOKIE_KEY)
        .build()
        .unwrap();
    client.get_basic().send().await.unwrap();
    client.get_header_key().send().await.unwrap();
    client.get_cookie_key().send().await.unwrap();
    client.get_both_keys().send().await.unwrap();
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("request"), "the requests were logged: {log}");
    for secret in [PASSWORD, HEADER_KEY, QUERY_KEY, COOKIE_KEY] {
        assert!(!log.contains(secret), "{secret} in {log}");
    }
}

#[test]
fn server_variables_fill_the_server_url_and_default_the_others() {
    let client = |builder: ClientBuilder| builder.token("t").build();
    let url = client(Client::builder().tenant("globex")).unwrap();
    assert_eq!(url.base_url(), "https://globex.example.com/v1");
    let url = client(Client::builder().tenant("globex").version("v2")).unwrap();
    assert_eq!(url.base_url(), "https://globex.example.com/v2");
    let explicit = client(Client::builder().tenant("globex").base_url("https://proxy.example.org")).unwrap();
    assert_eq!(explicit.base_url(), "https://proxy.example.org/v1", "an explicit base URL wins");

    // Defaults are examples: with no variable set there is no base URL.
    let Err(Error::Config(message)) = client(Client::builder()) else { panic!("a base URL from nothing") };
    assert!(message.contains("no base URL"), "{message}");
    for (builder, why) in [
        (Client::builder().tenant("globex").version("v3"), "not in the enum"),
        (Client::builder().tenant("evil.com/x"), "not a host label"),
        (Client::builder().tenant(""), "empty"),
    ] {
        assert!(matches!(client(builder), Err(Error::Config(_))), "{why}");
    }
}

#[test]
fn environment_variables_are_named_from_the_crate_and_read_for_each_scheme() {
    assert_eq!(security_client::ENV_BASE_URL, "SECURITY_CLIENT_BASE_URL");
    assert_eq!(security_client::ENV_USERNAME, "SECURITY_CLIENT_USERNAME");
    assert_eq!(security_client::ENV_HEADER_KEY, "SECURITY_CLIENT_HEADER_KEY");
    let vars = [
        ("SECURITY_CLIENT_BASE_URL", "https://acme.example.com"),
        ("SECURITY_CLIENT_USERNAME", "ada"),
        ("SECURITY_CLIENT_PASSWORD", PASSWORD),
        ("SECURITY_CLIENT_HEADER_KEY", HEADER_KEY),
        // SailPoint's names mean nothing to another API's crate.
        ("SAIL_ACCESS_TOKEN", "not-read"),
    ];
    let lookup = |name: &str| vars.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned());
    let builder = Client::builder().with_env_from(lookup, None::<PathBuf>).unwrap();
    let shown = format!("{builder:?}");
    assert!(shown.contains("ada") && shown.contains("headerKey"), "{shown}");
    assert!(!shown.contains("not-read"), "{shown}");
    assert_eq!(builder.build().unwrap().base_url(), "https://acme.example.com/v1");
}

#[test]
fn only_the_declared_schemes_are_listed() {
    let names: Vec<&str> = security_client::SECURITY_SCHEMES.iter().map(|scheme| scheme.name).collect();
    // `digest` is declared too, but the client cannot send it.
    assert_eq!(names, ["oauth", "bearer", "basic", "headerKey", "queryKey", "cookieKey"]);
}
