//! Contract tests against Stoplight Prism, an independent mock server that
//! serves `spec/` and checks every request against it: a request that breaks
//! the spec gets 422 and each violation listed in the `sl-violations` header.
//!
//! They need Node, so they are `#[ignore]`d in a plain `cargo test`;
//! `.ci/run` installs Prism (`xtask/contract/`), starts it and runs them:
//!
//! ```sh
//! npm ci --prefix xtask/contract
//! xtask/contract/node_modules/.bin/prism mock --errors -p 4010 spec/openapi.yaml &
//! xtask/contract/node_modules/.bin/prism mock -d --seed 7 -p 4011 spec/openapi.yaml &
//! PRISM_URL=http://127.0.0.1:4010 PRISM_DYNAMIC_URL=http://127.0.0.1:4011 \
//!     cargo test -p sailpoint-connectors --test contract -- --ignored
//! ```

use reqwest::header::{HeaderMap, HeaderValue};
use sailpoint_connectors::{
    Client, Error, ErrorResponseDto, FilePart, JsonPatchOperation, JsonPatchOperationOp, JsonPatchOperationValue,
    Locale, RetryPolicy, TooManyRequestsBody, TryStreamExt, UnauthorizedBody, V3CreateConnectorDto,
    V3CreateConnectorDtoStatus,
};

/// The error statuses every Connectors operation declares.
const DECLARED_ERRORS: [u16; 6] = [400, 401, 403, 404, 429, 500];

fn prism(variable: &str) -> String {
    std::env::var(variable)
        .unwrap_or_else(|_| panic!("set {variable} to the URL of a running Prism (see this file's docs)"))
}

/// A client for Prism; with `prefer`, Prism answers with that declared status.
fn client(api_root: &str, prefer: Option<u16>) -> Client {
    let mut headers = HeaderMap::new();
    if let Some(code) = prefer {
        headers.insert("prefer", HeaderValue::from_str(&format!("code={code}")).unwrap());
    }
    let http = reqwest::Client::builder().default_headers(headers).build().unwrap();
    Client::builder()
        .api_root(api_root)
        .token("contract-test-token")
        .allow_http(true)
        .retry_policy(RetryPolicy::none())
        .http_client(http)
        .build()
        .unwrap()
}

/// What one call ended in: the success's headers, or the error.
type Outcome = Result<HeaderMap, Error>;

fn headers_of<T>(result: Result<sailpoint_connectors::Response<T>, Error>) -> Outcome {
    result.map(|response| response.headers().clone())
}

fn xml(name: &str) -> FilePart {
    let text = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{name} name=\"contract\"/>\n");
    FilePart::from_bytes(text.into_bytes()).file_name(format!("{name}.xml")).content_type("application/xml")
}

/// Every operation once, with realistic arguments, in spec order.
async fn call_every_operation(client: &Client) -> Vec<(&'static str, Outcome)> {
    let script = "custom-connector";
    let create =
        V3CreateConnectorDto::new("custom connector".into(), "sailpoint.connector.OpenConnectorAdapter".into())
            .with_status(V3CreateConnectorDtoStatus::Development)
            .with_direct_connect(true)
            .with_type("custom connector type");
    let patch = vec![
        JsonPatchOperation::new(JsonPatchOperationOp::Replace, "/connectorMetadata".into())
            .with_value(JsonPatchOperationValue::Object([("platform".to_owned(), "ccg".into())].into())),
        JsonPatchOperation::new(JsonPatchOperationOp::Replace, "/applicationXml".into())
            .with_value(JsonPatchOperationValue::String("<Application/>".into())),
        JsonPatchOperation::new(JsonPatchOperationOp::Remove, "/sourceConfigXml".into()),
    ];
    let translations = FilePart::from_bytes(&b"menuLabel_ConnectionSettings=Verbindungseinstellungen\n"[..])
        .file_name("translations_de.properties")
        .content_type("text/plain");
    vec![
        (
            "getConnectorList",
            headers_of(
                client
                    .get_connector_list()
                    .filters("directConnect eq \"true\"")
                    .limit(50)
                    .offset(100)
                    .count(true)
                    .locale(Locale::De)
                    .send()
                    .await,
            ),
        ),
        ("createCustomConnector", headers_of(client.create_custom_connector(create).send().await)),
        ("getConnector", headers_of(client.get_connector(script).locale(Locale::ZhTw).send().await)),
        ("deleteCustomConnector", headers_of(client.delete_custom_connector(script).send().await)),
        ("updateConnector", headers_of(client.update_connector(script, patch).send().await)),
        ("getConnectorSourceConfig", headers_of(client.get_connector_source_config(script).send().await)),
        ("putConnectorSourceConfig", headers_of(client.put_connector_source_config(script, xml("Form")).send().await)),
        ("getConnectorSourceTemplate", headers_of(client.get_connector_source_template(script).send().await)),
        (
            "putConnectorSourceTemplate",
            headers_of(client.put_connector_source_template(script, xml("Template")).send().await),
        ),
        ("getConnectorCorrelationConfig", headers_of(client.get_connector_correlation_config(script).send().await)),
        (
            "putConnectorCorrelationConfig",
            headers_of(client.put_connector_correlation_config(script, xml("CorrelationConfig")).send().await),
        ),
        ("getConnectorTranslations", headers_of(client.get_connector_translations(script, Locale::De).send().await)),
        (
            "putConnectorTranslations",
            headers_of(client.put_connector_translations(script, Locale::De, translations).send().await),
        ),
    ]
}

fn assert_no_violations(operation: &str, headers: &HeaderMap) {
    if let Some(violations) = headers.get("sl-violations") {
        panic!("{operation}: Prism found the request breaks the spec: {violations:?}");
    }
}

#[tokio::test]
#[ignore = "needs Prism; run by .ci/run"]
async fn every_operation_sends_what_the_spec_declares() {
    let client = client(&prism("PRISM_URL"), None);
    let outcomes = call_every_operation(&client).await;
    assert_eq!(outcomes.len(), 13);
    for (operation, outcome) in outcomes {
        match outcome {
            Ok(headers) => assert_no_violations(operation, &headers),
            Err(error) => {
                if let Some(api) = error.api_error() {
                    assert_no_violations(operation, api.headers());
                }
                panic!("{operation}: {error}");
            }
        }
    }
}

#[tokio::test]
#[ignore = "needs Prism; run by .ci/run"]
async fn every_declared_error_status_becomes_its_typed_error() {
    let url = prism("PRISM_URL");
    let mut checked = 0;
    for status in DECLARED_ERRORS {
        let client = client(&url, Some(status));
        for (operation, outcome) in call_every_operation(&client).await {
            let error = match outcome {
                Ok(_) => panic!("{operation}: asked Prism for {status} but got a success"),
                Err(error) => error,
            };
            let Some(api) = error.api_error() else { panic!("{operation} {status}: not an API error: {error}") };
            assert_no_violations(operation, api.headers());
            assert_eq!(api.status().as_u16(), status, "{operation}: {error}");
            assert_eq!(api.operation(), operation);
            let typed = match status {
                401 => api.details::<UnauthorizedBody>().is_some(),
                429 => api.details::<TooManyRequestsBody>().is_some(),
                _ => api.details::<ErrorResponseDto>().is_some(),
            };
            assert!(typed, "{operation} {status}: body not decoded as its declared model: {:?}", api.body());
            assert_eq!(error.is_not_found(), status == 404);
            assert_eq!(error.is_rate_limited(), status == 429);
            assert!(error.to_string().contains(operation), "{error}");
            checked += 1;
        }
    }
    assert_eq!(checked, 13 * DECLARED_ERRORS.len());
}

#[tokio::test]
#[ignore = "needs Prism; run by .ci/run"]
async fn a_request_breaking_the_spec_is_caught_by_prism() {
    // The contract check itself must work: a limit above the spec's maximum is a violation.
    let client = client(&prism("PRISM_URL"), None);
    let error = client.get_connector_list().limit(251).send().await.expect_err("Prism refuses limit=251");
    let api = error.api_error().expect("an API error");
    assert!(matches!(api.status().as_u16(), 400 | 422), "{error}");
    assert!(api.headers().contains_key("sl-violations"), "{:?}", api.headers());
}

#[tokio::test]
#[ignore = "needs Prism; run by .ci/run"]
async fn the_item_stream_pages_through_prism() {
    let client = client(&prism("PRISM_URL"), None);
    let items: Vec<_> =
        client.get_connector_list().filters("type eq \"custom\"").items().max_items(500).try_collect().await.unwrap();
    assert!(!items.is_empty());
}

#[tokio::test]
#[ignore = "needs Prism in dynamic mode; run by .ci/run"]
async fn every_operation_decodes_generated_responses() {
    let client = client(&prism("PRISM_DYNAMIC_URL"), None);
    // Each round gets new random (schema-valid) data: nulls, extra properties, odd values.
    for round in 0..20 {
        for (operation, outcome) in call_every_operation(&client).await {
            match outcome {
                Ok(headers) => assert_no_violations(operation, &headers),
                Err(error) => panic!("round {round}, {operation}: {error}"),
            }
        }
    }
}
