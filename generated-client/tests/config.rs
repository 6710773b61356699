//! Configuration from the environment and the SailPoint CLI's config file,
//! through `ClientBuilder::with_env_from` (no real environment variable is
//! ever read or set): precedence, error messages, and secrets kept out of
//! `Debug`.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use sailpoint_connectors::{Client, ClientBuilder, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LIST: &str = "/v2024/connectors";
const TOKEN_PATH: &str = "/oauth/token";

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "sailpoint-connectors-config-{}-{}-{name}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let dir = std::env::temp_dir().join(unique);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// Writes `config.yaml` with `text` and returns its path.
    fn config(&self, text: &str) -> PathBuf {
        let file = self.0.join("config.yaml");
        std::fs::write(&file, text).unwrap();
        file
    }

    /// A path in the directory where no file exists.
    fn missing(&self) -> PathBuf {
        self.0.join("no-such-config.yaml")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A config file in the SailPoint CLI's format with one active environment.
fn cli_config(base_url: &str, client_id: &str, client_secret: &str) -> String {
    format!(
        "activeenvironment: acme\n\
         authtype: pat\n\
         debug: false\n\
         environments:\n\
         \x20 other:\n\
         \x20   baseurl: https://other.api.identitynow.com\n\
         \x20   pat:\n\
         \x20     clientid: other-id\n\
         \x20     clientsecret: other-secret\n\
         \x20 acme:\n\
         \x20   baseurl: {base_url}\n\
         \x20   tenanturl: https://acme.identitynow.com\n\
         \x20   pat:\n\
         \x20     clientid: {client_id}\n\
         \x20     clientsecret: {client_secret}\n\
         \x20     accesstoken: cached-token-of-the-cli\n"
    )
}

/// Environment variables as a lookup function.
fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let vars: HashMap<String, String> =
        vars.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect();
    move |name: &str| vars.get(name).cloned()
}

fn config_error<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        Err(other) => panic!("expected Error::Config, got {other:?}"),
        Ok(value) => panic!("expected Error::Config, got {value:?}"),
    }
}

fn assert_mentions(message: &str, expected: &[&str]) {
    for expected in expected {
        assert!(message.contains(expected), "{message:?} does not mention {expected:?}");
    }
}

/// A server with a token endpoint (issuing `token-1`, ...) and the connector list.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    TokenEndpoint::new(Some(3600)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    server
}

/// The `client_id` sent to the token endpoint, for each token request.
async fn client_ids_sent(server: &MockServer) -> Vec<String> {
    received_at(server, TOKEN_PATH)
        .await
        .iter()
        .map(|request| {
            url::form_urlencoded::parse(&request.body)
                .find(|(name, _)| name == "client_id")
                .map(|(_, value)| value.into_owned())
                .expect("a client_id")
        })
        .collect()
}

fn build(builder: ClientBuilder) -> Client {
    builder.allow_http(true).build().expect("the client builds")
}

#[tokio::test]
async fn without_environment_variables_the_cli_config_file_is_used() {
    let server = server().await;
    let dir = TempDir::new("file-only");
    let file = dir.config(&cli_config(&server.uri(), "file-id", "file-secret"));

    let client = build(Client::builder().with_env_from(env(&[]), Some(file)).unwrap());

    assert_eq!(client.base_url(), format!("{}/v2024", server.uri()));
    client.get_connector_list().send().await.expect("ok");
    assert_eq!(client_ids_sent(&server).await, ["file-id"], "the active environment's credentials");
    let form = &received_at(&server, TOKEN_PATH).await[0].body;
    assert!(url::form_urlencoded::parse(form).any(|(name, value)| name == "client_secret" && value == "file-secret"));
    assert_eq!(bearer_tokens(&received_at(&server, LIST).await), [Some("token-1".to_owned())]);
}

#[tokio::test]
async fn environment_variables_win_over_the_file() {
    let server = server().await;
    let dir = TempDir::new("env-wins");
    let file = dir.config(&cli_config("https://file.api.identitynow.com", "file-id", "file-secret"));
    let vars =
        env(&[("SAIL_BASE_URL", &server.uri()), ("SAIL_CLIENT_ID", "env-id"), ("SAIL_CLIENT_SECRET", "env-secret")]);

    let client = build(Client::builder().with_env_from(vars, Some(file)).unwrap());

    assert_eq!(client.base_url(), format!("{}/v2024", server.uri()));
    client.get_connector_list().send().await.expect("ok");
    assert_eq!(client_ids_sent(&server).await, ["env-id"]);
}

#[tokio::test]
async fn an_access_token_wins_over_client_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let vars = env(&[
        ("SAIL_BASE_URL", &server.uri()),
        ("SAIL_CLIENT_ID", "env-id"),
        ("SAIL_CLIENT_SECRET", "env-secret"),
        ("SAIL_ACCESS_TOKEN", "env-access-token"),
    ]);

    let client = build(Client::builder().with_env_from(vars, None).unwrap());
    client.get_connector_list().send().await.expect("ok");

    assert_eq!(bearer_tokens(&received(&server).await), [Some("env-access-token".to_owned())]);
}

#[tokio::test]
async fn values_set_on_the_builder_win_over_the_environment_and_the_file() {
    let server = server().await;
    let dir = TempDir::new("explicit-wins");
    let file = dir.config(&cli_config("https://file.api.identitynow.com", "file-id", "file-secret"));
    let vars = || env(&[("SAIL_BASE_URL", "https://env.api.identitynow.com"), ("SAIL_ACCESS_TOKEN", "env-token")]);

    // Set before reading the environment...
    let client = build(
        Client::builder()
            .base_url(server.uri())
            .token("explicit-token")
            .with_env_from(vars(), Some(file.clone()))
            .unwrap(),
    );
    assert_eq!(client.base_url(), format!("{}/v2024", server.uri()));
    client.get_connector_list().send().await.expect("ok");
    // ... or after.
    let client = build(
        Client::builder()
            .with_env_from(vars(), Some(file.clone()))
            .unwrap()
            .base_url(server.uri())
            .token("later-token"),
    );
    client.get_connector_list().send().await.expect("ok");
    // Only the base URL set: the credentials still come from the environment.
    let client = build(Client::builder().base_url(server.uri()).with_env_from(vars(), Some(file.clone())).unwrap());
    client.get_connector_list().send().await.expect("ok");
    // Without environment variables, explicit credentials win over the file's and its base URL is used.
    let client = build(
        Client::builder()
            .client_credentials("explicit-id", "explicit-secret")
            .with_env_from(env(&[]), Some(dir.config(&cli_config(&server.uri(), "file-id", "file-secret"))))
            .unwrap(),
    );
    assert_eq!(client.base_url(), format!("{}/v2024", server.uri()));
    client.get_connector_list().send().await.expect("ok");

    assert_eq!(
        bearer_tokens(&received_at(&server, LIST).await),
        [
            Some("explicit-token".to_owned()),
            Some("later-token".to_owned()),
            Some("env-token".to_owned()),
            Some("token-1".to_owned())
        ]
    );
    assert_eq!(client_ids_sent(&server).await, ["explicit-id"]);
}

#[test]
fn empty_environment_variables_count_as_unset() {
    let dir = TempDir::new("empty-env");
    let file = dir.config(&cli_config("https://file.api.identitynow.com", "file-id", "file-secret"));
    let vars = env(&[("SAIL_BASE_URL", ""), ("SAIL_ACCESS_TOKEN", "  ")]);

    let client = Client::builder().with_env_from(vars, Some(file)).unwrap().build().unwrap();

    assert_eq!(client.base_url(), "https://file.api.identitynow.com/v2024");
}

#[test]
fn nothing_configured_names_every_place_looked_at() {
    let dir = TempDir::new("nothing");
    let missing = dir.missing();

    let builder = Client::builder().with_env_from(env(&[]), Some(missing.clone())).expect("a missing file is fine");
    let message = config_error(builder.build());

    assert_mentions(
        &message,
        &[
            "base URL",
            "ClientBuilder",
            "SAIL_BASE_URL",
            "SAIL_CLIENT_ID",
            "SAIL_CLIENT_SECRET",
            "SAIL_ACCESS_TOKEN",
            &missing.display().to_string(),
            "not found",
        ],
    );
}

#[test]
fn missing_credentials_name_where_they_were_looked_for() {
    let dir = TempDir::new("no-credentials");
    let file =
        dir.config("activeenvironment: acme\nenvironments:\n  acme:\n    baseurl: https://acme.api.identitynow.com\n");

    let message = config_error(Client::builder().with_env_from(env(&[]), Some(file.clone())).unwrap().build());
    assert_mentions(&message, &["credentials", "SAIL_CLIENT_ID", &file.display().to_string(), "\"acme\""]);

    // Environment variables set: the file is not read, and the message says so.
    let vars = env(&[("SAIL_BASE_URL", "https://acme.api.identitynow.com")]);
    let message = config_error(Client::builder().with_env_from(vars, Some(file.clone())).unwrap().build());
    assert_mentions(
        &message,
        &[
            "credentials",
            "SAIL_CLIENT_ID",
            "SAIL_CLIENT_SECRET",
            "SAIL_ACCESS_TOKEN",
            &format!("{} (not read", file.display()),
        ],
    );
}

#[test]
fn a_client_id_without_a_secret_is_an_error() {
    let message = config_error(Client::builder().with_env_from(env(&[("SAIL_CLIENT_ID", "env-id")]), None));
    assert_mentions(&message, &["client id", "client secret", "SAIL_CLIENT_SECRET"]);
    let message = config_error(Client::builder().with_env_from(env(&[("SAIL_CLIENT_SECRET", "env-secret")]), None));
    assert_mentions(&message, &["client secret", "client id"]);
    assert!(!message.contains("env-secret"), "{message}");

    let dir = TempDir::new("id-without-secret");
    let file = dir.config(
        "activeenvironment: acme\nenvironments:\n  acme:\n    baseurl: https://acme.api.identitynow.com\n    pat:\n      clientid: file-id\n",
    );
    let message = config_error(Client::builder().with_env_from(env(&[]), Some(file.clone())));
    assert_mentions(&message, &["client secret", &file.display().to_string()]);

    // Credentials set on the builder make the incomplete ones irrelevant.
    let builder = Client::builder().token(TOKEN).with_env_from(env(&[("SAIL_CLIENT_ID", "env-id")]), None);
    assert!(builder.is_ok());
}

#[test]
fn a_malformed_config_file_is_an_error_naming_it() {
    let dir = TempDir::new("malformed");
    for text in [
        "activeenvironment: acme\nenvironments: [not, a, map\n",
        "environments:\n  acme:\n    baseurl: [1, 2]\n",
        "- just\n- a list\n",
    ] {
        let file = dir.config(text);
        let message = config_error(Client::builder().with_env_from(env(&[]), Some(file.clone())));
        assert_mentions(&message, &[&file.display().to_string()]);
    }
}

#[test]
fn an_active_environment_that_does_not_exist_is_an_error() {
    let dir = TempDir::new("missing-environment");
    let file = dir.config(
        "activeenvironment: prod\nenvironments:\n  acme:\n    baseurl: https://acme.api.identitynow.com\n    pat:\n      clientid: a\n      clientsecret: b\n",
    );
    let message = config_error(Client::builder().with_env_from(env(&[]), Some(file.clone())));
    assert_mentions(&message, &["activeenvironment", "\"prod\"", &file.display().to_string()]);

    let file = dir.config("environments:\n  acme:\n    baseurl: https://acme.api.identitynow.com\n");
    let message = config_error(Client::builder().with_env_from(env(&[]), Some(file.clone())));
    assert_mentions(&message, &["activeenvironment", &file.display().to_string()]);
}

#[test]
fn a_missing_config_file_is_not_an_error() {
    let dir = TempDir::new("missing-file");
    let builder = Client::builder().with_env_from(env(&[]), Some(dir.missing())).expect("a missing file is fine");
    let client = builder.base_url("https://acme.api.identitynow.com").token(TOKEN).build().expect("builds");
    assert_eq!(client.base_url(), "https://acme.api.identitynow.com/v2024");

    let builder = Client::builder().with_env_from(env(&[]), None).expect("no file at all is fine too");
    assert!(builder.base_url("https://acme.api.identitynow.com").token(TOKEN).build().is_ok());
}

#[test]
fn debug_output_never_contains_secrets_from_the_environment_or_the_file() {
    let dir = TempDir::new("debug");
    let file = dir.config(&cli_config("https://acme.api.identitynow.com", "file-id", "file-secret-value"));
    let from_file = Client::builder().with_env_from(env(&[]), Some(file)).unwrap();
    let from_env = Client::builder()
        .with_env_from(
            env(&[
                ("SAIL_BASE_URL", "https://acme.api.identitynow.com"),
                ("SAIL_CLIENT_ID", "env-id"),
                ("SAIL_CLIENT_SECRET", "env-secret-value"),
            ]),
            None,
        )
        .unwrap();
    let token_from_env = Client::builder()
        .with_env_from(
            env(&[("SAIL_BASE_URL", "https://acme.api.identitynow.com"), ("SAIL_ACCESS_TOKEN", "env-token-value")]),
            None,
        )
        .unwrap();
    let secrets = ["file-secret-value", "env-secret-value", "env-token-value", "cached-token-of-the-cli"];

    for builder in [from_file, from_env, token_from_env] {
        let shown = format!("{builder:?} {builder:#?}");
        let client = builder.build().unwrap();
        let shown = format!("{shown} {client:?} {client:#?}");
        for secret in secrets {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert!(shown.contains("acme.api.identitynow.com"), "the rest stays visible: {shown}");
    }
}
