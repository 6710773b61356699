//! Decoding of success bodies: tolerance for what servers add later (unknown
//! enum values and fields, nulls) and `Error::Decode` for bodies that do not
//! match the schema.

mod common;

use common::*;
use sailpoint_connectors::{
    ConnectorDetailStatus, DecodeError, Error, FilePart, JsonPatchOperation, JsonPatchOperationOp, Locale,
    UpdateDetailStatus, V3ConnectorDtoStatus,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn mount_json(server: &MockServer, verb: &str, route: &str, body: serde_json::Value) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

async fn mount_raw(server: &MockServer, verb: &str, route: &str, body: &[u8], content_type: &str) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_vec(), content_type))
        .expect(1)
        .mount(server)
        .await;
}

fn decode_error(error: &Error) -> &DecodeError {
    match error {
        Error::Decode(decode) => decode,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_enum_values_decode_as_unknown() {
    let (server, client) = setup().await;
    mount_json(
        &server,
        "GET",
        "/v2024/connectors",
        json!([{ "scriptName": "a", "status": "BRAND_NEW" }, { "scriptName": "b", "status": "RELEASED" }]),
    )
    .await;
    mount_json(&server, "GET", "/v2024/connectors/a", json!({ "status": "BRAND_NEW" })).await;
    mount_json(&server, "PUT", "/v2024/connectors/a/source-config", json!({ "status": "PARTIALLY_UPDATED" })).await;

    let list = client.get_connector_list().send().await.expect("an unknown status decodes");
    let detail = client.get_connector("a").send().await.expect("an unknown status decodes");
    let update = client.put_connector_source_config("a", FilePart::from_bytes("x")).send().await.expect("decodes");

    assert_eq!(list.body()[0].status, Some(V3ConnectorDtoStatus::Unknown("BRAND_NEW".into())));
    assert_eq!(list.body()[1].status, Some(V3ConnectorDtoStatus::Released));
    assert_eq!(detail.body().status, Some(ConnectorDetailStatus::Unknown("BRAND_NEW".into())));
    assert_eq!(update.body().status, Some(UpdateDetailStatus::Unknown("PARTIALLY_UPDATED".into())));
    // Unknown values keep their text, both ways.
    assert_eq!(V3ConnectorDtoStatus::Unknown("BRAND_NEW".into()).as_str(), "BRAND_NEW");
    assert_eq!(serde_json::to_value(&detail.body().status).unwrap(), json!("BRAND_NEW"));
    assert_eq!("RELEASED".parse::<V3ConnectorDtoStatus>().unwrap(), V3ConnectorDtoStatus::Released);
    assert_eq!(Locale::from("tlh"), Locale::Unknown("tlh".into()));
    assert_eq!(Locale::ZhTw.to_string(), "zh-TW");
}

#[test]
fn enum_values_compare_order_and_hash_by_wire_text() {
    use std::collections::{BTreeSet, HashSet};

    // A known value spelled out as `Unknown` is the same value.
    assert_eq!(Locale::Unknown("de".into()), Locale::De);
    assert_ne!(Locale::Unknown("tlh".into()), Locale::De);
    let hashed: HashSet<Locale> = [Locale::De, Locale::Unknown("de".into()), Locale::En].into_iter().collect();
    assert_eq!(hashed.len(), 2);
    // Ordered by wire text: "de" < "en" < "tlh" < "zh-CN".
    let sorted: Vec<String> = [Locale::ZhCn, Locale::Unknown("tlh".into()), Locale::En, Locale::De]
        .into_iter()
        .collect::<BTreeSet<_>>()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(sorted, ["de", "en", "tlh", "zh-CN"]);
}

#[test]
fn models_decode_from_json_objects() {
    let decode = |text: &str| serde_json::from_str::<JsonPatchOperation>(text);
    // Property names with escapes match once unescaped.
    let escaped = decode(r#"{"op":"replace","p\u0061th":"/name"}"#).unwrap();
    assert_eq!((escaped.op, escaped.path.as_str()), (JsonPatchOperationOp::Replace, "/name"));
    // Keys owned by the input, as a `Value` holds them, work the same.
    let from_value: JsonPatchOperation = serde_json::from_value(json!({ "op": "remove", "path": "/x" })).unwrap();
    assert_eq!(from_value, JsonPatchOperation::new(JsonPatchOperationOp::Remove, "/x".into()));
    // A missing required property is named; a missing optional one is `None`.
    let missing = decode(r#"{"op":"replace"}"#).unwrap_err();
    assert!(missing.to_string().starts_with("missing field `path`"), "{missing}");
    assert_eq!(decode(r#"{"op":"remove","path":"/x"}"#).unwrap().value, None);
    // A repeated property keeps its last value, as `serde_json::Value` does.
    assert_eq!(decode(r#"{"op":"add","path":"/a","path":"/b"}"#).unwrap().path, "/b");
    // Only an object is a model: not an array of its values, not a string.
    for text in [r#"["replace","/name"]"#, r#""replace""#] {
        let error = decode(text).unwrap_err();
        assert!(error.to_string().contains("expected a `JsonPatchOperation` object"), "{error}");
    }
}

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let (server, client) = setup().await;
    mount_json(
        &server,
        "GET",
        "/v2024/connectors/a",
        json!({
            "scriptName": "a",
            "brandNewField": { "deeply": ["nested", 1, null] },
            "anotherOne": 12.5,
            "status": "RELEASED"
        }),
    )
    .await;
    mount_json(
        &server,
        "GET",
        "/v2024/connectors",
        json!([{ "scriptName": "a", "category": "cloud", "labels": ["x"], "features": ["SEARCH"] }]),
    )
    .await;

    let detail = client.get_connector("a").send().await.expect("unknown fields are ignored");
    let list = client.get_connector_list().send().await.expect("unknown fields are ignored");

    assert_eq!(detail.body().script_name.as_deref(), Some("a"));
    assert_eq!(detail.body().status, Some(ConnectorDetailStatus::Released));
    assert_eq!(list.body()[0].features, Some(vec!["SEARCH".to_owned()]));
}

#[tokio::test]
async fn nullable_fields_accept_null() {
    let (server, client) = setup().await;
    mount_json(
        &server,
        "GET",
        "/v2024/connectors/a",
        json!({
            "scriptName": "a",
            "sourceConfig": null,
            "sourceConfigFrom": null,
            "uploadedFiles": null,
            "status": null
        }),
    )
    .await;
    mount_json(
        &server,
        "GET",
        "/v2024/connectors",
        json!([{ "scriptName": "a", "className": null, "features": null }]),
    )
    .await;

    let detail = client.get_connector("a").send().await.expect("null decodes as None");
    let list = client.get_connector_list().send().await.expect("null decodes as None");

    let detail = detail.body();
    assert_eq!(detail.script_name.as_deref(), Some("a"));
    assert_eq!(detail.source_config, None);
    assert_eq!(detail.source_config_from, None);
    assert_eq!(detail.uploaded_files, None);
    assert_eq!(detail.status, None);
    assert_eq!(list.body()[0].class_name, None);
    assert_eq!(list.body()[0].features, None);
}

#[tokio::test]
async fn a_mismatched_list_item_is_a_decode_error_naming_the_json_path() {
    let (server, client) = setup().await;
    let body = r#"[{"scriptName":"a","directConnect":"yes"},{"scriptName":"b"}]"#;
    mount_raw(&server, "GET", "/v2024/connectors", body.as_bytes(), "application/json").await;

    let error = client.get_connector_list().send().await.expect_err("a string is not a boolean");

    let decode = decode_error(&error);
    assert_eq!(decode.operation, "getConnectorList");
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(decode.path, "[0].directConnect");
    assert!(decode.message.contains("invalid type"), "{}", decode.message);
    assert_eq!(decode.excerpt, body);
    assert_eq!(error.status().map(|status| status.as_u16()), Some(200));
    assert!(error.api_error().is_none());
    let shown = error.to_string();
    assert!(shown.starts_with("getConnectorList: cannot decode the response at `[0].directConnect`: "), "{shown}");
}

#[tokio::test]
async fn a_mismatched_nested_field_names_its_path() {
    let (server, client) = setup().await;
    mount_json(&server, "PUT", "/v2024/connectors/a/correlation-config", json!({ "updatedFiles": ["ok", 7] })).await;
    mount_json(&server, "GET", "/v2024/connectors/a", json!({ "connectorMetadata": ["not", "an", "object"] })).await;
    mount_json(&server, "POST", "/v2024/connectors", json!({ "features": "SEARCH" })).await;

    let update = client.put_connector_correlation_config("a", FilePart::from_bytes("x")).send().await;
    let detail = client.get_connector("a").send().await;
    let created = client
        .create_custom_connector(sailpoint_connectors::V3CreateConnectorDto::new("a".into(), "b".into()))
        .send()
        .await;

    let update = update.expect_err("7 is not a string");
    assert_eq!(decode_error(&update).operation, "putConnectorCorrelationConfig");
    assert_eq!(decode_error(&update).path, "updatedFiles[1]");
    let detail = detail.expect_err("a list is not an object");
    assert_eq!(decode_error(&detail).operation, "getConnector");
    assert_eq!(decode_error(&detail).path, "connectorMetadata");
    let created = created.expect_err("a string is not a list");
    assert_eq!(decode_error(&created).operation, "createCustomConnector");
    assert_eq!(decode_error(&created).path, "features");
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_or_not_json_is_a_decode_error() {
    let (server, client) = setup().await;
    mount_json(&server, "GET", "/v2024/connectors", json!({ "items": [] })).await;
    mount_raw(&server, "GET", "/v2024/connectors/a", b"<html>not json</html>", "text/html").await;
    mount_raw(&server, "PATCH", "/v2024/connectors/a", b"", "application/json").await;

    let list = client.get_connector_list().send().await.expect_err("an object is not a list");
    let detail = client.get_connector("a").send().await.expect_err("html is not json");
    let patched = client.update_connector("a", vec![]).send().await.expect_err("an empty body is not json");

    for (error, operation) in [(&list, "getConnectorList"), (&detail, "getConnector"), (&patched, "updateConnector")] {
        let decode = decode_error(error);
        assert_eq!(decode.operation, operation);
        assert_eq!(decode.path, "", "a failure at the top of the document has an empty path");
        let shown = error.to_string();
        assert!(shown.starts_with(&format!("{operation}: cannot decode the response: ")), "{shown}");
    }
    assert_eq!(decode_error(&detail).excerpt, "<html>not json</html>");
    assert_eq!(decode_error(&patched).excerpt, "");
}

#[tokio::test]
async fn a_text_body_that_is_not_utf8_is_a_decode_error() {
    let (server, client) = setup().await;
    mount_raw(&server, "GET", "/v2024/connectors/a/translations/de", b"label=Gr\xf6\xdfe\n", "text/plain").await;

    let error = client.get_connector_translations("a", Locale::De).send().await.expect_err("not UTF-8");

    let decode = decode_error(&error);
    assert_eq!(decode.operation, "getConnectorTranslations");
    assert_eq!(decode.path, "");
    assert!(decode.message.contains("UTF-8"), "{}", decode.message);
    assert!(error.to_string().starts_with("getConnectorTranslations: cannot decode the response: "), "{error}");
}

#[tokio::test]
async fn an_empty_xml_body_is_an_empty_string() {
    let (server, client) = setup().await;
    mount_raw(&server, "GET", "/v2024/connectors/a/source-template", b"", "application/xml").await;

    let response = client.get_connector_source_template("a").send().await.expect("an empty body is empty text");

    assert_eq!(response.body(), "");
}
