//! Path parameters: any value reaches the server as exactly one path segment,
//! and values no encoding keeps as one segment are refused before sending.

mod common;

use common::*;
use sailpoint_connectors::{Client, Error, FilePart, JsonPatchOperation, JsonPatchOperationOp, Locale};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every operation with a `scriptName` path parameter: its operation id and
/// the rest of its path after the script name.
const OPERATIONS: &[(&str, &str)] = &[
    ("getConnector", ""),
    ("deleteCustomConnector", ""),
    ("updateConnector", ""),
    ("getConnectorSourceConfig", "/source-config"),
    ("putConnectorSourceConfig", "/source-config"),
    ("getConnectorSourceTemplate", "/source-template"),
    ("putConnectorSourceTemplate", "/source-template"),
    ("getConnectorCorrelationConfig", "/correlation-config"),
    ("putConnectorCorrelationConfig", "/correlation-config"),
    ("getConnectorTranslations", "/translations/de"),
    ("putConnectorTranslations", "/translations/de"),
];

fn file() -> FilePart {
    FilePart::from_bytes("<x/>").file_name("x.xml").content_type("application/xml")
}

/// Sends operation `operation` for `script_name`, keeping only success or the error.
async fn call(client: &Client, operation: &str, script_name: &str) -> Result<(), Error> {
    let patch = || vec![JsonPatchOperation::new(JsonPatchOperationOp::Remove, "/sourceConfigXml".into())];
    match operation {
        "getConnector" => client.get_connector(script_name).send().await.map(drop),
        "deleteCustomConnector" => client.delete_custom_connector(script_name).send().await.map(drop),
        "updateConnector" => client.update_connector(script_name, patch()).send().await.map(drop),
        "getConnectorSourceConfig" => client.get_connector_source_config(script_name).send().await.map(drop),
        "putConnectorSourceConfig" => client.put_connector_source_config(script_name, file()).send().await.map(drop),
        "getConnectorSourceTemplate" => client.get_connector_source_template(script_name).send().await.map(drop),
        "putConnectorSourceTemplate" => {
            client.put_connector_source_template(script_name, file()).send().await.map(drop)
        }
        "getConnectorCorrelationConfig" => client.get_connector_correlation_config(script_name).send().await.map(drop),
        "putConnectorCorrelationConfig" => {
            client.put_connector_correlation_config(script_name, file()).send().await.map(drop)
        }
        "getConnectorTranslations" => client.get_connector_translations(script_name, Locale::De).send().await.map(drop),
        "putConnectorTranslations" => {
            client.put_connector_translations(script_name, Locale::De, file()).send().await.map(drop)
        }
        other => panic!("unknown operation {other}"),
    }
}

/// A server answering every request with `{}`, which every operation accepts
/// (as an empty object, or as text for the text operations).
async fn permissive_server() -> (MockServer, Client) {
    let (server, client) = setup().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    (server, client)
}

/// Sends `script_name` with every operation and checks the raw path of each request.
async fn assert_encoded_everywhere(script_name: &str, encoded: &str) {
    let (server, client) = permissive_server().await;
    for (operation, _) in OPERATIONS {
        call(&client, operation, script_name).await.unwrap_or_else(|error| panic!("{operation}: {error}"));
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), OPERATIONS.len());
    for (request, (operation, rest)) in requests.iter().zip(OPERATIONS) {
        let expected = format!("/v2024/connectors/{encoded}{rest}");
        assert_eq!(request.url.path(), expected, "{operation} with script name {script_name:?}");
        assert_eq!(request.url.query(), None, "{operation} with script name {script_name:?} added a query");
        let segments: Vec<_> = request.url.path_segments().unwrap().collect();
        assert_eq!(segments[..3], ["v2024", "connectors", encoded], "{operation}: one segment for the script name");
    }
}

#[tokio::test]
async fn a_slash_stays_inside_the_segment() {
    assert_encoded_everywhere("a/b", "a%2Fb").await;
}

#[tokio::test]
async fn a_dot_dot_prefix_cannot_climb_out_of_the_connector() {
    assert_encoded_everywhere("../sources", "..%2Fsources").await;
}

#[tokio::test]
async fn query_and_fragment_characters_are_encoded() {
    assert_encoded_everywhere("x?y#z", "x%3Fy%23z").await;
}

#[tokio::test]
async fn a_percent_sign_is_encoded_not_passed_through() {
    assert_encoded_everywhere("%2F", "%252F").await;
}

#[tokio::test]
async fn spaces_and_unicode_are_percent_encoded() {
    assert_encoded_everywhere("a b", "a%20b").await;
    assert_encoded_everywhere("café", "caf%C3%A9").await;
}

#[tokio::test]
async fn other_reserved_characters_are_encoded() {
    assert_encoded_everywhere(r"a\b;c=d&e+f:g@h", "a%5Cb%3Bc%3Dd%26e%2Bf%3Ag%40h").await;
}

#[tokio::test]
async fn unreserved_characters_and_dots_inside_a_name_are_kept() {
    assert_encoded_everywhere("Custom-App_1.2~beta", "Custom-App_1.2~beta").await;
    assert_encoded_everywhere("...", "...").await;
    assert_encoded_everywhere(".hidden", ".hidden").await;
}

#[tokio::test]
async fn the_locale_path_parameter_is_encoded_too() {
    let (server, client) = permissive_server().await;
    let locale = Locale::Unknown("de/../../x?y".into());

    client.get_connector_translations("a", locale.clone()).send().await.expect("ok");
    client.put_connector_translations("a", locale, file()).send().await.expect("ok");

    let paths: Vec<String> = received(&server).await.iter().map(|request| request.url.path().to_owned()).collect();
    let expected = "/v2024/connectors/a/translations/de%2F..%2F..%2Fx%3Fy";
    assert_eq!(paths, [expected, expected]);
}

#[tokio::test]
async fn dot_segments_and_empty_names_are_refused_before_sending() {
    let (server, client) = permissive_server().await;
    for script_name in [".", "..", ""] {
        for (operation, _) in OPERATIONS {
            let error = call(&client, operation, script_name).await.expect_err("refused");
            match &error {
                Error::InvalidRequest { operation: reported, message } => {
                    assert_eq!(reported, operation);
                    assert!(message.contains("scriptName"), "{message:?} should name the parameter");
                }
                other => panic!("{operation} with {script_name:?}: expected InvalidRequest, got {other:?}"),
            }
            assert_eq!(error.status(), None);
            assert!(error.to_string().starts_with(&format!("{operation}: invalid request: ")), "{error}");
        }
    }
    assert!(received(&server).await.is_empty(), "nothing may reach the server");
}

#[tokio::test]
async fn a_dot_segment_locale_is_refused_before_sending() {
    let (server, client) = permissive_server().await;
    for locale in [".", "..", ""] {
        let locale = Locale::Unknown(locale.into());
        let get = client.get_connector_translations("a", locale.clone()).send().await.expect_err("refused");
        let put = client.put_connector_translations("a", locale, file()).send().await.expect_err("refused");
        for (error, operation) in [(get, "getConnectorTranslations"), (put, "putConnectorTranslations")] {
            match error {
                Error::InvalidRequest { operation: reported, message } => {
                    assert_eq!(reported, operation);
                    assert!(message.contains("locale"), "{message:?}");
                }
                other => panic!("expected InvalidRequest, got {other:?}"),
            }
        }
    }
    assert!(received(&server).await.is_empty(), "nothing may reach the server");
}

#[tokio::test]
async fn a_script_name_changed_on_the_builder_is_checked_and_encoded() {
    let (server, client) = permissive_server().await;

    let refused = client.get_connector("fine").script_name("..").send().await.expect_err("refused");
    assert!(matches!(refused, Error::InvalidRequest { operation: "getConnector", .. }), "{refused:?}");
    client.get_connector("..").script_name("a/b").send().await.expect("the builder's value is used");

    let paths: Vec<String> = received(&server).await.iter().map(|request| request.url.path().to_owned()).collect();
    assert_eq!(paths, ["/v2024/connectors/a%2Fb"]);
}
