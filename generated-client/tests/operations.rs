//! Every operation against a mock server: what reaches the server (method,
//! path, query, headers, body) and how the success response is decoded.

mod common;

use std::collections::BTreeMap;

use common::*;
use sailpoint_connectors::{
    ConnectorDetailStatus, FilePart, JsonPatchOperation, JsonPatchOperationOp, JsonPatchOperationValue,
    JsonPatchOperationValueArrayItem, Locale, UpdateDetailStatus, V3ConnectorDtoStatus, V3CreateConnectorDto,
    V3CreateConnectorDtoStatus,
};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn connector_list_body() -> Value {
    json!([
        {
            "name": "ServiceNow",
            "type": "ServiceNow",
            "scriptName": "servicenow",
            "className": "sailpoint.connector.OpenConnectorAdapter",
            "features": ["PROVISIONING", "SYNC_PROVISIONING", "SEARCH"],
            "directConnect": true,
            "connectorMetadata": { "supportedUI": "ANGULAR", "platform": "ccg" },
            "status": "RELEASED"
        },
        {
            "name": "Delimited File",
            "scriptName": "delimited-file",
            "directConnect": false,
            "status": "DEPRECATED"
        }
    ])
}

fn connector_detail_body() -> Value {
    json!({
        "name": "custom app",
        "type": "custom app",
        "className": "sailpoint.connector.OpenConnectorAdapter",
        "scriptName": "custom-app",
        "applicationXml": "<?xml version='1.0' encoding='UTF-8'?>\n<Application name=\"custom app\"/>\n",
        "correlationConfigXml": "<CorrelationConfig name=\"custom app Account Correlation Config\"/>",
        "sourceConfigXml": "<Form connectorName=\"custom app\" type=\"SourceConfig\"/>",
        "sourceConfig": "<Form/>",
        "sourceConfigFrom": "sp-connect",
        "s3Location": "custom-connector/custom-app",
        "uploadedFiles": ["pod/org/connectorFiles/custom-app/test1.jar"],
        "fileUpload": false,
        "directConnect": true,
        "translationProperties": { "de": "menuLabel_ConnectionSettings=Verbindungseinstellungen" },
        "connectorMetadata": { "supportedUI": "EXTJS", "platform": "ccg", "version": 3 },
        "status": "DEVELOPMENT"
    })
}

fn update_detail_body(script_name: &str, file: &str) -> Value {
    json!({
        "message": "file replaced",
        "scriptName": script_name,
        "updatedFiles": [file],
        "status": "UPDATED"
    })
}

fn metadata(value: Value) -> BTreeMap<String, Value> {
    serde_json::from_value(value).unwrap()
}

// ---------------------------------------------------------------- getConnectorList

#[tokio::test]
async fn get_connector_list_sends_every_query_parameter_and_reads_the_total_count() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors"))
        .and(query_param("filters", r#"directConnect eq "true""#))
        .and(query_param("count", "true"))
        .and(header("accept", "application/json"))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("X-Total-Count", "42").set_body_json(connector_list_body()),
        )
        .expect(1)
        .mount(&server)
        .await;

    let response = client
        .get_connector_list()
        .filters(r#"directConnect eq "true""#)
        .limit(50)
        .offset(100)
        .count(true)
        .locale(Locale::ZhTw)
        .send()
        .await
        .expect("the list decodes");

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", "/v2024/connectors", "application/json");
    assert_no_body(&request);
    assert_eq!(
        query_pairs(&request),
        pairs(&[
            ("filters", r#"directConnect eq "true""#),
            ("limit", "50"),
            ("offset", "100"),
            ("count", "true"),
            ("locale", "zh-TW"),
        ])
    );

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.total_count(), Some(42));
    assert_eq!(response.header("x-total-count"), Some("42"));
    let connectors = response.into_body();
    assert_eq!(connectors.len(), 2);
    let first = &connectors[0];
    assert_eq!(first.name.as_deref(), Some("ServiceNow"));
    assert_eq!(first.r#type.as_deref(), Some("ServiceNow"));
    assert_eq!(first.script_name.as_deref(), Some("servicenow"));
    assert_eq!(first.class_name.as_deref(), Some("sailpoint.connector.OpenConnectorAdapter"));
    assert_eq!(
        first.features.as_deref(),
        Some(&["PROVISIONING".to_owned(), "SYNC_PROVISIONING".to_owned(), "SEARCH".to_owned()][..])
    );
    assert_eq!(first.direct_connect, Some(true));
    assert_eq!(first.connector_metadata, Some(metadata(json!({ "supportedUI": "ANGULAR", "platform": "ccg" }))));
    assert_eq!(first.status, Some(V3ConnectorDtoStatus::Released));
    let second = &connectors[1];
    assert_eq!(second.script_name.as_deref(), Some("delimited-file"));
    assert_eq!(second.r#type, None);
    assert_eq!(second.class_name, None);
    assert_eq!(second.features, None);
    assert_eq!(second.direct_connect, Some(false));
    assert_eq!(second.status, Some(V3ConnectorDtoStatus::Deprecated));
}

#[tokio::test]
async fn get_connector_list_without_setters_sends_no_query() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors"))
        .and(query_param_is_missing("count"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;

    let response = client.get_connector_list().send().await.expect("an empty list decodes");

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", "/v2024/connectors", "application/json");
    assert_eq!(request.url.query(), None, "nothing may be added to the URL");
    assert_no_body(&request);
    assert!(response.body().is_empty());
    assert_eq!(response.total_count(), None, "no X-Total-Count header was sent");
}

#[tokio::test]
async fn total_count_is_none_unless_the_header_holds_a_number() {
    let (server, client) = setup().await;
    for value in [" 7 ", "many", "-1"] {
        Mock::given(method("GET"))
            .and(path("/v2024/connectors"))
            .and(query_param("filters", value))
            .respond_with(ResponseTemplate::new(200).insert_header("X-Total-Count", value).set_body_json(json!([])))
            .expect(1)
            .mount(&server)
            .await;
    }

    let count = |value: &'static str| {
        let client = client.clone();
        async move { client.get_connector_list().filters(value).count(true).send().await.unwrap().total_count() }
    };
    assert_eq!(count(" 7 ").await, Some(7));
    assert_eq!(count("many").await, None);
    assert_eq!(count("-1").await, None);
}

#[tokio::test]
async fn get_connector_list_set_methods_clear_and_set_parameters() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;

    client
        .get_connector_list()
        .filters("name sw \"a&b=c+d\"")
        .limit(0)
        .count(false)
        .set_filters(Some("type eq \"a&b=c+d%\"".to_owned()))
        .set_limit(None)
        .set_offset(Some(0))
        .set_locale(Some(Locale::Unknown("x-pirate".to_owned())))
        .send()
        .await
        .expect("ok");

    let request = only_request(&server).await;
    // `&`, `=`, `+` and `%` in a value stay inside that value.
    assert_eq!(
        query_pairs(&request),
        pairs(&[("filters", "type eq \"a&b=c+d%\""), ("offset", "0"), ("count", "false"), ("locale", "x-pirate")])
    );
}

// ---------------------------------------------------------------- createCustomConnector

#[tokio::test]
async fn create_custom_connector_posts_the_json_body() {
    let (server, client) = setup().await;
    let expected_body = json!({
        "name": "custom connector",
        "type": "custom connector type",
        "className": "sailpoint.connector.OpenConnectorAdapter",
        "directConnect": true,
        "status": "RELEASED"
    });
    Mock::given(method("POST"))
        .and(path("/v2024/connectors"))
        .and(body_json(&expected_body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "name": "custom connector",
            "type": "custom connector type",
            "scriptName": "custom-connector",
            "className": "sailpoint.connector.OpenConnectorAdapter",
            "features": [],
            "directConnect": true,
            "connectorMetadata": {},
            "status": "RELEASED"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let mut body =
        V3CreateConnectorDto::new("custom connector".into(), "sailpoint.connector.OpenConnectorAdapter".into());
    body.r#type = Some("custom connector type".into());
    body.direct_connect = Some(true);
    body.status = Some(V3CreateConnectorDtoStatus::Released);
    let response = client.create_custom_connector(body).send().await.expect("the created connector decodes");

    let request = only_request(&server).await;
    assert_request_line(&request, "POST", "/v2024/connectors", "application/json");
    assert_eq!(request.url.query(), None);
    assert_eq!(single_header(&request, "content-type"), "application/json");
    assert_eq!(request.body_json::<Value>().unwrap(), expected_body);

    assert_eq!(response.status().as_u16(), 200);
    let created = response.body();
    assert_eq!(created.script_name.as_deref(), Some("custom-connector"));
    assert_eq!(created.features.as_deref(), Some(&[][..]));
    assert_eq!(created.connector_metadata, Some(BTreeMap::new()));
    assert_eq!(created.status, Some(V3ConnectorDtoStatus::Released));
}

#[tokio::test]
async fn create_custom_connector_sends_only_the_fields_that_are_set() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/v2024/connectors"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "scriptName": "minimal" })))
        .expect(1)
        .mount(&server)
        .await;

    let body = V3CreateConnectorDto::new("minimal".into(), "sailpoint.connector.OpenConnectorAdapter".into());
    let response = client.create_custom_connector(body).send().await.expect("ok");

    let request = only_request(&server).await;
    assert_eq!(
        request.body_json::<Value>().unwrap(),
        json!({ "name": "minimal", "className": "sailpoint.connector.OpenConnectorAdapter" }),
        "unset optional fields must be left out, not sent as null"
    );
    assert_eq!(response.body().script_name.as_deref(), Some("minimal"));
    assert_eq!(response.body().name, None);
}

// ---------------------------------------------------------------- getConnector

#[tokio::test]
async fn get_connector_sends_the_locale_and_decodes_the_detail() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/custom-app"))
        .and(query_param("locale", "de"))
        .respond_with(ResponseTemplate::new(200).set_body_json(connector_detail_body()))
        .expect(1)
        .mount(&server)
        .await;

    let response = client.get_connector("custom-app").locale(Locale::De).send().await.expect("the detail decodes");

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", "/v2024/connectors/custom-app", "application/json");
    assert_eq!(query_pairs(&request), pairs(&[("locale", "de")]));
    assert_no_body(&request);

    let detail = response.into_body();
    assert_eq!(detail.name.as_deref(), Some("custom app"));
    assert_eq!(detail.r#type.as_deref(), Some("custom app"));
    assert_eq!(detail.class_name.as_deref(), Some("sailpoint.connector.OpenConnectorAdapter"));
    assert_eq!(detail.script_name.as_deref(), Some("custom-app"));
    assert_eq!(
        detail.application_xml.as_deref(),
        Some("<?xml version='1.0' encoding='UTF-8'?>\n<Application name=\"custom app\"/>\n")
    );
    assert_eq!(
        detail.correlation_config_xml.as_deref(),
        Some("<CorrelationConfig name=\"custom app Account Correlation Config\"/>")
    );
    assert_eq!(detail.source_config_xml.as_deref(), Some("<Form connectorName=\"custom app\" type=\"SourceConfig\"/>"));
    assert_eq!(detail.source_config.as_deref(), Some("<Form/>"));
    assert_eq!(detail.source_config_from.as_deref(), Some("sp-connect"));
    assert_eq!(detail.s3_location.as_deref(), Some("custom-connector/custom-app"));
    assert_eq!(detail.uploaded_files, Some(vec!["pod/org/connectorFiles/custom-app/test1.jar".to_owned()]));
    assert_eq!(detail.file_upload, Some(false));
    assert_eq!(detail.direct_connect, Some(true));
    assert_eq!(
        detail.translation_properties,
        Some(metadata(json!({ "de": "menuLabel_ConnectionSettings=Verbindungseinstellungen" })))
    );
    assert_eq!(
        detail.connector_metadata,
        Some(metadata(json!({ "supportedUI": "EXTJS", "platform": "ccg", "version": 3 })))
    );
    assert_eq!(detail.status, Some(ConnectorDetailStatus::Development));
}

#[tokio::test]
async fn get_connector_without_locale_sends_no_query() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/custom-app"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "scriptName": "custom-app" })))
        .expect(1)
        .mount(&server)
        .await;

    let response = client.get_connector("custom-app").send().await.expect("ok");

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", "/v2024/connectors/custom-app", "application/json");
    assert_eq!(request.url.query(), None);
    assert_eq!(response.body().script_name.as_deref(), Some("custom-app"));
    assert_eq!(response.body().status, None);
}

// ---------------------------------------------------------------- deleteCustomConnector

#[tokio::test]
async fn delete_custom_connector_succeeds_with_204() {
    let (server, client) = setup().await;
    Mock::given(method("DELETE"))
        .and(path("/v2024/connectors/custom-app"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let response = client.delete_custom_connector("custom-app").send().await.expect("204 is a success");

    let request = only_request(&server).await;
    assert_request_line(&request, "DELETE", "/v2024/connectors/custom-app", "application/json");
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
    assert_eq!(response.status().as_u16(), 204);
    let (status, _headers, ()) = response.into_parts();
    assert_eq!(status.as_u16(), 204);
}

// ---------------------------------------------------------------- updateConnector

#[tokio::test]
async fn update_connector_sends_a_json_patch_document() {
    let (server, client) = setup().await;
    let expected_patch = json!([
        { "op": "replace", "path": "/sourceConfigXml", "value": "<Form name=\"new\"/>" },
        { "op": "add", "path": "/connectorMetadata", "value": { "supportedUI": "EXTJS", "nested": { "a": [1, 2] } } },
        { "op": "replace", "path": "/connectorMetadata/enabled", "value": true },
        { "op": "replace", "path": "/connectorMetadata/retries", "value": 300 },
        { "op": "add", "path": "/connectorMetadata/ids", "value": ["001", 2, { "id": "003" }] },
        { "op": "remove", "path": "/correlationConfigXml" }
    ]);
    let mut detail = connector_detail_body();
    detail["sourceConfigXml"] = json!("<Form name=\"new\"/>");
    Mock::given(method("PATCH"))
        .and(path("/v2024/connectors/custom-app"))
        .and(header("content-type", "application/json-patch+json"))
        .and(body_json(&expected_patch))
        .respond_with(ResponseTemplate::new(200).set_body_json(detail))
        .expect(1)
        .mount(&server)
        .await;

    let operation = |op, path: &str, value| {
        let mut operation = JsonPatchOperation::new(op, path.to_owned());
        operation.value = value;
        operation
    };
    let patch = vec![
        operation(
            JsonPatchOperationOp::Replace,
            "/sourceConfigXml",
            Some(JsonPatchOperationValue::String("<Form name=\"new\"/>".into())),
        ),
        operation(
            JsonPatchOperationOp::Add,
            "/connectorMetadata",
            Some(JsonPatchOperationValue::Object(metadata(
                json!({ "supportedUI": "EXTJS", "nested": { "a": [1, 2] } }),
            ))),
        ),
        operation(
            JsonPatchOperationOp::Replace,
            "/connectorMetadata/enabled",
            Some(JsonPatchOperationValue::Boolean(true)),
        ),
        operation(
            JsonPatchOperationOp::Replace,
            "/connectorMetadata/retries",
            Some(JsonPatchOperationValue::Integer(300)),
        ),
        operation(
            JsonPatchOperationOp::Add,
            "/connectorMetadata/ids",
            Some(JsonPatchOperationValue::Array(vec![
                JsonPatchOperationValueArrayItem::String("001".into()),
                JsonPatchOperationValueArrayItem::Integer(2),
                JsonPatchOperationValueArrayItem::Object(metadata(json!({ "id": "003" }))),
            ])),
        ),
        JsonPatchOperation::new(JsonPatchOperationOp::Remove, "/correlationConfigXml".into()),
    ];
    let response = client.update_connector("custom-app", patch).send().await.expect("the detail decodes");

    let request = only_request(&server).await;
    assert_request_line(&request, "PATCH", "/v2024/connectors/custom-app", "application/json");
    assert_eq!(request.url.query(), None);
    assert_eq!(single_header(&request, "content-type"), "application/json-patch+json");
    assert_eq!(request.body_json::<Value>().unwrap(), expected_patch);

    assert_eq!(response.body().source_config_xml.as_deref(), Some("<Form name=\"new\"/>"));
    assert_eq!(response.body().status, Some(ConnectorDetailStatus::Development));
}

#[test]
fn json_patch_values_decode_as_the_matching_one_of_variant() {
    let operations: Vec<JsonPatchOperation> = serde_json::from_value(json!([
        { "op": "replace", "path": "/a", "value": "text" },
        { "op": "replace", "path": "/b", "value": false },
        { "op": "replace", "path": "/c", "value": -7 },
        { "op": "replace", "path": "/d", "value": { "k": "v" } },
        { "op": "replace", "path": "/e", "value": ["x", 1] },
        { "op": "frobnicate", "path": "/f" }
    ]))
    .unwrap();
    let values: Vec<_> = operations.iter().map(|operation| operation.value.clone()).collect();
    assert_eq!(
        values,
        vec![
            Some(JsonPatchOperationValue::String("text".into())),
            Some(JsonPatchOperationValue::Boolean(false)),
            Some(JsonPatchOperationValue::Integer(-7)),
            Some(JsonPatchOperationValue::Object(metadata(json!({ "k": "v" })))),
            Some(JsonPatchOperationValue::Array(vec![
                JsonPatchOperationValueArrayItem::String("x".into()),
                JsonPatchOperationValueArrayItem::Integer(1),
            ])),
            None,
        ]
    );
    assert_eq!(operations[5].op, JsonPatchOperationOp::Unknown("frobnicate".into()));
    // And back: an unknown op is sent exactly as it was received.
    assert_eq!(serde_json::to_value(&operations[5]).unwrap(), json!({ "op": "frobnicate", "path": "/f" }));
}

// ---------------------------------------------------------------- XML and text GETs

async fn mount_text(server: &MockServer, route: &str, content_type: &str, body: &[u8]) {
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_vec(), content_type))
        .expect(1)
        .mount(server)
        .await;
}

const SOURCE_CONFIG_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n\
    <Form connectorName=\"custom app\" name=\"Custom app – Zürich\" type=\"SourceConfig\">\n  \
    <Section label=\"&lt;Connection&gt;\"/>\n</Form>\n\n";

#[tokio::test]
async fn get_connector_source_config_returns_the_xml_exactly() {
    let (server, client) = setup().await;
    mount_text(&server, "/v2024/connectors/custom-app/source-config", "application/xml", SOURCE_CONFIG_XML.as_bytes())
        .await;

    let response = client.get_connector_source_config("custom-app").send().await.expect("xml is returned as text");

    let request = only_request(&server).await;
    assert_request_line(
        &request,
        "GET",
        "/v2024/connectors/custom-app/source-config",
        "application/xml, application/json;q=0.9",
    );
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.header("content-type"), Some("application/xml"));
    assert_eq!(response.body(), SOURCE_CONFIG_XML);
}

#[tokio::test]
async fn get_connector_source_template_returns_the_xml_exactly() {
    let (server, client) = setup().await;
    let xml = "  <?xml version='1.0' encoding='UTF-8'?>\n<Template name=\"custom app\">\t<Field/></Template>";
    mount_text(
        &server,
        "/v2024/connectors/custom-app/source-template",
        "application/xml;charset=UTF-8",
        xml.as_bytes(),
    )
    .await;

    let response = client.get_connector_source_template("custom-app").send().await.expect("xml is returned as text");

    let request = only_request(&server).await;
    assert_request_line(
        &request,
        "GET",
        "/v2024/connectors/custom-app/source-template",
        "application/xml, application/json;q=0.9",
    );
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
    assert_eq!(response.into_body(), xml, "leading whitespace and tabs are kept");
}

#[tokio::test]
async fn get_connector_correlation_config_returns_the_xml_exactly() {
    let (server, client) = setup().await;
    let xml =
        "<?xml version='1.0' encoding='UTF-8'?>\n<CorrelationConfig name=\"custom app Account Correlation Config\"/>\n";
    mount_text(&server, "/v2024/connectors/custom-app/correlation-config", "application/xml", xml.as_bytes()).await;

    let response = client.get_connector_correlation_config("custom-app").send().await.expect("xml is returned");

    let request = only_request(&server).await;
    assert_request_line(
        &request,
        "GET",
        "/v2024/connectors/custom-app/correlation-config",
        "application/xml, application/json;q=0.9",
    );
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
    assert_eq!(response.body(), xml);
}

#[tokio::test]
async fn get_connector_translations_returns_the_text_exactly() {
    let (server, client) = setup().await;
    let properties = "# Deutsch\nmenuLabel_ConnectionSettings=Verbindungseinstellungen\nlabel_Größe=Größe\n";
    mount_text(&server, "/v2024/connectors/custom-app/translations/de", "text/plain", properties.as_bytes()).await;

    let response =
        client.get_connector_translations("custom-app", Locale::De).send().await.expect("text is returned as is");

    let request = only_request(&server).await;
    assert_request_line(
        &request,
        "GET",
        "/v2024/connectors/custom-app/translations/de",
        "text/plain, application/json;q=0.9",
    );
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
    assert_eq!(response.body(), properties);
}

#[tokio::test]
async fn get_connector_translations_puts_every_locale_in_the_path() {
    let (server, client) = setup().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("k=v")).mount(&server).await;

    let locales = [(Locale::ZhCn, "zh-CN"), (Locale::ZhTw, "zh-TW"), (Locale::No, "no"), (Locale::En, "en")];
    for (locale, _) in &locales {
        let response = client.get_connector_translations("custom-app", locale.clone()).send().await.expect("ok");
        assert_eq!(response.body(), "k=v");
    }
    // The builder's setters replace what the client method was given.
    client
        .get_connector_translations("other", Locale::Fr)
        .script_name("custom-app")
        .locale(Locale::Nl)
        .send()
        .await
        .expect("ok");

    let paths: Vec<String> = received(&server).await.iter().map(|request| request.url.path().to_owned()).collect();
    let mut expected: Vec<String> =
        locales.iter().map(|(_, tag)| format!("/v2024/connectors/custom-app/translations/{tag}")).collect();
    expected.push("/v2024/connectors/custom-app/translations/nl".to_owned());
    assert_eq!(paths, expected);
}

// ---------------------------------------------------------------- multipart uploads

/// Checks a multipart request's single `file` part.
fn assert_file_part(request: &wiremock::Request, file_name: &str, content_type: &str, content: &[u8]) {
    let part = only_file_part(request);
    assert_eq!(
        part.header("content-disposition"),
        Some(format!(r#"form-data; name="file"; filename="{file_name}""#).as_str())
    );
    assert_eq!(part.header("content-type"), Some(content_type));
    assert_eq!(part.body, content, "the part carries the exact file bytes");
}

/// Checks a multipart request's headers and returns nothing else.
fn assert_multipart_request(request: &wiremock::Request, path: &str) {
    assert_request_line(request, "PUT", path, "application/json");
    assert_eq!(request.url.query(), None);
    let content_type = single_header(request, "content-type");
    assert!(content_type.starts_with("multipart/form-data; boundary="), "content type {content_type:?}");
}

async fn mount_upload(server: &MockServer, route: &str, response: Value) {
    Mock::given(method("PUT"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(response))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn put_connector_source_config_uploads_the_file() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/source-config";
    mount_upload(&server, route, update_detail_body("custom-app", "source-config.xml")).await;
    let content = b"<?xml version=\"1.0\"?>\r\n<Form name=\"x\">\r\n\r\n--not-a-boundary\r\n</Form>\n".to_vec();

    let file = FilePart::from_bytes(content.clone()).file_name("source-config.xml").content_type("application/xml");
    let response = client.put_connector_source_config("custom-app", file).send().await.expect("the update decodes");

    let request = only_request(&server).await;
    assert_multipart_request(&request, route);
    assert_file_part(&request, "source-config.xml", "application/xml", &content);

    let detail = response.into_body();
    assert_eq!(detail.message.as_deref(), Some("file replaced"));
    assert_eq!(detail.script_name.as_deref(), Some("custom-app"));
    assert_eq!(detail.updated_files, Some(vec!["source-config.xml".to_owned()]));
    assert_eq!(detail.status, Some(UpdateDetailStatus::Updated));
}

#[tokio::test]
async fn put_connector_source_template_uploads_the_file() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/source-template";
    mount_upload(
        &server,
        route,
        json!({ "message": "nothing to do", "scriptName": "custom-app", "updatedFiles": null, "status": "UNCHANGED" }),
    )
    .await;
    let content = "<Template name=\"Zürich\"/>".as_bytes();

    let file = FilePart::from_bytes(content).file_name("template.xml").content_type("text/xml; charset=utf-8");
    let response = client.put_connector_source_template("custom-app", file).send().await.expect("the update decodes");

    let request = only_request(&server).await;
    assert_multipart_request(&request, route);
    assert_file_part(&request, "template.xml", "text/xml; charset=utf-8", content);
    assert_eq!(response.body().status, Some(UpdateDetailStatus::Unchanged));
    assert_eq!(response.body().updated_files, None, "a null list decodes as None");
}

#[tokio::test]
async fn put_connector_correlation_config_uploads_the_file() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/correlation-config";
    mount_upload(
        &server,
        route,
        json!({
            "message": "unsupported xsd version",
            "scriptName": "custom-app",
            "updatedFiles": [],
            "status": "ERROR"
        }),
    )
    .await;
    let content = b"<CorrelationConfig name=\"c\"/>";

    let file = FilePart::from_bytes(&content[..]).file_name("correlation.xml").content_type("application/xml");
    let response = client.put_connector_correlation_config("custom-app", file).send().await.expect("decodes");

    let request = only_request(&server).await;
    assert_multipart_request(&request, route);
    assert_file_part(&request, "correlation.xml", "application/xml", content);
    assert_eq!(response.body().status, Some(UpdateDetailStatus::Error));
    assert_eq!(response.body().message.as_deref(), Some("unsupported xsd version"));
    assert_eq!(response.body().updated_files, Some(vec![]));
}

#[tokio::test]
async fn put_connector_translations_uploads_the_exact_bytes() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/translations/zh-CN";
    mount_upload(&server, route, update_detail_body("custom-app", "translations_zh_CN.properties")).await;
    // ISO-8859-1 text, a NUL and a CRLF: bytes that are not UTF-8 travel unchanged.
    let content: Vec<u8> = b"label_Gr\xf6\xdfe=Gr\xf6\xdfe\r\nbinary=\x00\xff\xfe\r\n".to_vec();

    let file =
        FilePart::from_bytes(content.clone()).file_name("translations_zh_CN.properties").content_type("text/plain");
    let response =
        client.put_connector_translations("custom-app", Locale::ZhCn, file).send().await.expect("the update decodes");

    let request = only_request(&server).await;
    assert_multipart_request(&request, route);
    assert_file_part(&request, "translations_zh_CN.properties", "text/plain", &content);
    assert_eq!(response.body().status, Some(UpdateDetailStatus::Updated));
    assert_eq!(response.body().updated_files, Some(vec!["translations_zh_CN.properties".to_owned()]));
}

#[tokio::test]
async fn a_file_part_from_bytes_defaults_to_octet_stream_without_a_file_name() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/source-config";
    mount_upload(&server, route, json!({ "status": "SKIPPED" })).await;

    let file = FilePart::from_bytes(vec![1u8, 2, 3]);
    assert_eq!(file.bytes().as_ref(), &[1u8, 2, 3]);
    let response = client.put_connector_source_config("custom-app", file).send().await.expect("decodes");

    let request = only_request(&server).await;
    let part = only_file_part(&request);
    assert_eq!(part.header("content-disposition"), Some(r#"form-data; name="file""#));
    assert_eq!(part.header("content-type"), Some("application/octet-stream"));
    assert_eq!(part.body, vec![1u8, 2, 3]);
    assert_eq!(response.body().status, Some(UpdateDetailStatus::Skipped));
}

/// A file under the system's temporary folder, removed when dropped.
struct TempFile {
    dir: std::path::PathBuf,
    path: std::path::PathBuf,
}

impl TempFile {
    fn new(file_name: &str, content: &[u8]) -> Self {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let unique = format!(
            "sailpoint-connectors-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let dir = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(file_name);
        std::fs::write(&path, content).unwrap();
        Self { dir, path }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test]
async fn a_file_part_from_a_path_sends_the_file_name_and_xml_content_type() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/source-config";
    mount_upload(&server, route, update_detail_body("custom-app", "source-config.xml")).await;
    let content = b"<?xml version=\"1.0\"?>\n<Form name=\"from disk\"/>\n";
    let temp = TempFile::new("source-config.xml", content);

    let file = FilePart::from_path(&temp.path).await.expect("the file is read");
    assert_eq!(file.bytes().as_ref(), content);
    let response = client.put_connector_source_config("custom-app", file).send().await.expect("decodes");

    let request = only_request(&server).await;
    assert_multipart_request(&request, route);
    assert_file_part(&request, "source-config.xml", "application/xml", content);
    assert_eq!(response.body().status, Some(UpdateDetailStatus::Updated));
}

#[tokio::test]
async fn a_file_part_from_a_path_can_be_renamed_and_retyped() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/translations/de";
    mount_upload(&server, route, update_detail_body("custom-app", "translations_de.properties")).await;
    let temp = TempFile::new("local-name.unknownext", b"k=v\n");

    let file = FilePart::from_path(&temp.path).await.expect("the file is read");
    let file = file.file_name("translations_de.properties").content_type("text/plain; charset=iso-8859-1");
    client.put_connector_translations("custom-app", Locale::De, file).send().await.expect("decodes");

    let request = only_request(&server).await;
    assert_file_part(&request, "translations_de.properties", "text/plain; charset=iso-8859-1", b"k=v\n");
}

#[tokio::test]
async fn a_file_name_or_content_type_that_would_break_the_part_headers_is_refused() {
    let (server, client) = setup().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;

    let injected = "a.xml\"\r\nContent-Type: text/html\r\n\r\n<script/>";
    let bad_name = FilePart::from_bytes("<Form/>").file_name(injected).content_type("application/xml");
    let bad_type = FilePart::from_bytes("<Form/>").file_name("a.xml").content_type("application/xml\r\nX-Evil: 1");
    let empty_type = FilePart::from_bytes("<Form/>").file_name("a.xml").content_type("");

    for (file, what) in [(bad_name, "file name"), (bad_type, "content type"), (empty_type, "empty content type")] {
        let error = client.put_connector_source_config("custom-app", file).send().await.expect_err(what);
        match error {
            sailpoint_connectors::Error::InvalidRequest { operation, message } => {
                assert_eq!(operation, "putConnectorSourceConfig");
                assert!(message.contains("`file`"), "{what}: {message}");
            }
            other => panic!("{what}: expected InvalidRequest, got {other:?}"),
        }
    }
    assert!(received(&server).await.is_empty(), "nothing may reach the server");
}

#[tokio::test]
async fn quotes_and_unicode_in_a_file_name_stay_inside_the_file_name() {
    let (server, client) = setup().await;
    mount_upload(&server, "/v2024/connectors/custom-app/source-config", json!({})).await;

    let file = FilePart::from_bytes("<Form/>").file_name(r#"Zürich "v2".xml"#).content_type("application/xml");
    client.put_connector_source_config("custom-app", file).send().await.expect("decodes");

    let request = only_request(&server).await;
    assert_file_part(&request, r#"Zürich \"v2\".xml"#, "application/xml", b"<Form/>");
}

#[tokio::test]
async fn a_file_part_from_a_path_with_an_unknown_extension_is_octet_stream() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/source-template";
    mount_upload(&server, route, json!({})).await;
    let temp = TempFile::new("template.unknownext", b"\x00\x01");

    let file = FilePart::from_path(&temp.path).await.expect("the file is read");
    client.put_connector_source_template("custom-app", file).send().await.expect("decodes");

    let request = only_request(&server).await;
    assert_file_part(&request, "template.unknownext", "application/octet-stream", b"\x00\x01");
}

#[tokio::test]
async fn a_missing_file_is_an_invalid_request() {
    let temp = TempFile::new("present.xml", b"");
    let missing = temp.dir.join("missing.xml");

    let error = FilePart::from_path(&missing).await.expect_err("the file does not exist");

    match &error {
        sailpoint_connectors::Error::InvalidRequest { operation, message } => {
            assert_eq!(*operation, "FilePart::from_path");
            assert!(message.contains("missing.xml"), "{message:?}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(error.status().is_none());
}

#[tokio::test]
async fn a_request_builder_can_be_cloned_and_sent_twice() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/source-config";
    Mock::given(method("PUT"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "status": "UPDATED" })))
        .expect(2)
        .mount(&server)
        .await;

    let file = FilePart::from_bytes("<Form/>").file_name("a.xml").content_type("application/xml");
    let request = client.put_connector_source_config("custom-app", file);
    request.clone().send().await.expect("first");
    request.send().await.expect("second");

    for request in received(&server).await {
        assert_file_part(&request, "a.xml", "application/xml", b"<Form/>");
    }
}
