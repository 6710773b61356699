//! Error responses of every operation: status helpers, the declared error
//! bodies, raw bodies the spec does not describe, and the error's `Display`.

mod common;

use common::*;
use sailpoint_connectors::{
    Error, ErrorResponseDto, FilePart, JsonPatchOperation, JsonPatchOperationOp, Locale, TooManyRequestsBody,
    UnauthorizedBody, V3CreateConnectorDto,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Answers `verb route` once with `status` and SailPoint's error document.
async fn mount_error_document(
    server: &MockServer,
    verb: &str,
    route: &str,
    status: u16,
    detail_code: &str,
    text: &str,
) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(error_document(detail_code, text)))
        .expect(1)
        .mount(server)
        .await;
}

fn xml_file() -> FilePart {
    FilePart::from_bytes("<Form/>").file_name("file.xml").content_type("application/xml")
}

#[tokio::test]
async fn get_connector_list_400_carries_the_error_document() {
    let (server, client) = setup().await;
    let text = "The request was syntactically correct but its content is semantically invalid.";
    mount_error_document(&server, "GET", "/v2024/connectors", 400, "400.1 Bad Request Content", text).await;

    let error = client.get_connector_list().filters("bogus").send().await.expect_err("400 is an error");

    assert_error_document(&error, "getConnectorList", 400, "400.1 Bad Request Content", text);
    assert_eq!(
        error.to_string(),
        format!("getConnectorList: the server answered 400 Bad Request: {text} (tracking id {TRACKING_ID})")
    );
    assert_eq!(query_pairs(&only_request(&server).await), pairs(&[("filters", "bogus")]));
}

#[tokio::test]
async fn create_custom_connector_401_carries_the_unauthorized_body() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/v2024/connectors"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({ "error": "JWT validation failed: JWT is expired" })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let body = V3CreateConnectorDto::new("x".into(), "y".into());
    let error = client.create_custom_connector(body).send().await.expect_err("401 is an error");

    let api = api_error(&error);
    assert_eq!(api.operation(), "createCustomConnector");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
    assert!(!error.is_not_found());
    assert!(!error.is_rate_limited());
    assert_eq!(error.tracking_id(), None, "this body has no tracking id");
    let details = api.details::<UnauthorizedBody>().expect("the body decodes as UnauthorizedBody");
    assert_eq!(details.error, Some(json!("JWT validation failed: JWT is expired")));
    assert!(api.details::<ErrorResponseDto>().is_none(), "401 is declared with its own body");
    assert_eq!(
        error.to_string(),
        "createCustomConnector: the server answered 401 Unauthorized: JWT validation failed: JWT is expired"
    );
}

#[tokio::test]
async fn get_connector_404_is_not_found() {
    let (server, client) = setup().await;
    let text = "The server did not find a current representation for the target resource.";
    mount_error_document(&server, "GET", "/v2024/connectors/missing", 404, "404 Not found", text).await;

    let error = client.get_connector("missing").locale(Locale::En).send().await.expect_err("404 is an error");

    assert!(error.is_not_found());
    assert_error_document(&error, "getConnector", 404, "404 Not found", text);
    assert_eq!(
        error.to_string(),
        format!("getConnector: the server answered 404 Not Found: {text} (tracking id {TRACKING_ID})")
    );
}

#[tokio::test]
async fn delete_custom_connector_403_carries_the_error_document() {
    let (server, client) = setup().await;
    let text = "The server understood the request but refuses to authorize it.";
    mount_error_document(&server, "DELETE", "/v2024/connectors/servicenow", 403, "403 Forbidden", text).await;

    let error = client.delete_custom_connector("servicenow").send().await.expect_err("403 is an error");

    assert_error_document(&error, "deleteCustomConnector", 403, "403 Forbidden", text);
    assert!(error.to_string().contains("403 Forbidden"));
}

#[tokio::test]
async fn update_connector_429_is_rate_limited_with_retry_after() {
    let (server, client) = setup().await;
    Mock::given(method("PATCH"))
        .and(path("/v2024/connectors/custom-app"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "30")
                .set_body_json(json!({ "message": " Rate Limit Exceeded " })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let patch = vec![JsonPatchOperation::new(JsonPatchOperationOp::Remove, "/sourceConfigXml".into())];
    let error = client.update_connector("custom-app", patch).send().await.expect_err("429 is an error");

    assert!(error.is_rate_limited());
    assert!(!error.is_not_found());
    assert_eq!(error.status().map(|status| status.as_u16()), Some(429));
    let api = api_error(&error);
    assert_eq!(api.operation(), "updateConnector");
    assert_eq!(api.headers().get("retry-after").and_then(|value| value.to_str().ok()), Some("30"));
    let details = api.details::<TooManyRequestsBody>().expect("the body decodes as TooManyRequestsBody");
    assert_eq!(details.message, Some(json!(" Rate Limit Exceeded ")));
    assert!(api.details::<ErrorResponseDto>().is_none());
    assert_eq!(error.tracking_id(), None);
    assert_eq!(error.to_string(), "updateConnector: the server answered 429 Too Many Requests: Rate Limit Exceeded");
}

#[tokio::test]
async fn get_connector_source_config_500_carries_the_error_document() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/source-config";
    mount_error_document(&server, "GET", route, 500, "500.0 Internal Fault", "An internal fault occurred.").await;

    let error = client.get_connector_source_config("custom-app").send().await.expect_err("500 is an error");

    assert_error_document(
        &error,
        "getConnectorSourceConfig",
        500,
        "500.0 Internal Fault",
        "An internal fault occurred.",
    );
    // The XML operation asked for XML but still decodes the JSON error document.
    assert_eq!(single_header(&only_request(&server).await, "accept"), "application/xml, application/json;q=0.9");
}

#[tokio::test]
async fn put_connector_source_config_400_carries_the_error_document() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/source-config";
    let text = "unsupported xsd version";
    mount_error_document(&server, "PUT", route, 400, "400.1 Bad Request Content", text).await;

    let error = client.put_connector_source_config("custom-app", xml_file()).send().await.expect_err("400");

    assert_error_document(&error, "putConnectorSourceConfig", 400, "400.1 Bad Request Content", text);
}

#[tokio::test]
async fn get_connector_source_template_401_carries_the_unauthorized_body() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/custom-app/source-template"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "error": { "reason": "missing token" } })))
        .expect(1)
        .mount(&server)
        .await;

    let error = client.get_connector_source_template("custom-app").send().await.expect_err("401");

    let api = api_error(&error);
    assert_eq!(api.operation(), "getConnectorSourceTemplate");
    assert_eq!(api.status().as_u16(), 401);
    let details = api.details::<UnauthorizedBody>().expect("UnauthorizedBody");
    assert_eq!(details.error, Some(json!({ "reason": "missing token" })), "the error field may be any JSON");
    let shown = error.to_string();
    assert!(shown.starts_with("getConnectorSourceTemplate: the server answered 401 Unauthorized"), "{shown}");
    assert!(shown.contains("missing token"), "{shown}");
}

#[tokio::test]
async fn put_connector_source_template_404_is_not_found() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/gone/source-template";
    mount_error_document(&server, "PUT", route, 404, "404 Not found", "No connector named gone.").await;

    let error = client.put_connector_source_template("gone", xml_file()).send().await.expect_err("404");

    assert!(error.is_not_found());
    assert_error_document(&error, "putConnectorSourceTemplate", 404, "404 Not found", "No connector named gone.");
}

#[tokio::test]
async fn get_connector_correlation_config_429_is_rate_limited() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/custom-app/correlation-config"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({ "message": "slow down" })))
        .expect(1)
        .mount(&server)
        .await;

    let error = client.get_connector_correlation_config("custom-app").send().await.expect_err("429");

    assert!(error.is_rate_limited());
    let api = api_error(&error);
    assert_eq!(api.operation(), "getConnectorCorrelationConfig");
    assert_eq!(api.details::<TooManyRequestsBody>().and_then(|body| body.message.clone()), Some(json!("slow down")));
    assert!(api.headers().get("retry-after").is_none());
    assert!(error.to_string().contains("slow down"));
}

#[tokio::test]
async fn put_connector_correlation_config_500_carries_the_error_document() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/correlation-config";
    mount_error_document(&server, "PUT", route, 500, "500.0 Internal Fault", "An internal fault occurred.").await;

    let error = client.put_connector_correlation_config("custom-app", xml_file()).send().await.expect_err("500");

    assert_error_document(
        &error,
        "putConnectorCorrelationConfig",
        500,
        "500.0 Internal Fault",
        "An internal fault occurred.",
    );
}

#[tokio::test]
async fn get_connector_translations_403_carries_the_error_document() {
    let (server, client) = setup().await;
    let route = "/v2024/connectors/custom-app/translations/ja";
    mount_error_document(&server, "GET", route, 403, "403 Forbidden", "Not allowed.").await;

    let error = client.get_connector_translations("custom-app", Locale::Ja).send().await.expect_err("403");

    assert_error_document(&error, "getConnectorTranslations", 403, "403 Forbidden", "Not allowed.");
}

#[tokio::test]
async fn put_connector_translations_html_502_keeps_the_raw_body() {
    let (server, client) = setup().await;
    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body>\r\n</html>\r\n";
    Mock::given(method("PUT"))
        .and(path("/v2024/connectors/custom-app/translations/de"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .expect(1)
        .mount(&server)
        .await;

    let file = FilePart::from_bytes("k=v").file_name("de.properties").content_type("text/plain");
    let error = client.put_connector_translations("custom-app", Locale::De, file).send().await.expect_err("502");

    let api = api_error(&error);
    assert_eq!(api.operation(), "putConnectorTranslations");
    assert_eq!(api.status().as_u16(), 502);
    assert_eq!(api.body(), html, "the raw body is kept as sent");
    assert!(api.details_debug().is_none(), "an undeclared status has no typed details");
    assert!(api.details::<ErrorResponseDto>().is_none());
    assert_eq!(error.tracking_id(), None);
    assert!(!error.is_not_found());
    assert!(!error.is_rate_limited());
    let shown = error.to_string();
    assert!(shown.starts_with("putConnectorTranslations: the server answered 502 Bad Gateway: <html>"), "{shown}");
    assert!(shown.contains("<h1>502 Bad Gateway</h1>"), "{shown}");
}

#[tokio::test]
async fn a_declared_status_with_a_non_json_body_has_no_details_but_keeps_the_body() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/custom-app"))
        .respond_with(ResponseTemplate::new(500).set_body_raw("upstream exploded", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;

    let error = client.get_connector("custom-app").send().await.expect_err("500");

    let api = api_error(&error);
    assert_eq!(api.body(), "upstream exploded");
    assert!(api.details::<ErrorResponseDto>().is_none());
    assert_eq!(error.tracking_id(), None);
    assert_eq!(error.to_string(), "getConnector: the server answered 500 Internal Server Error: upstream exploded");
}

#[tokio::test]
async fn an_error_with_an_empty_body_still_names_the_operation_and_status() {
    let (server, client) = setup().await;
    Mock::given(method("DELETE"))
        .and(path("/v2024/connectors/custom-app"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;

    let error = client.delete_custom_connector("custom-app").send().await.expect_err("404");

    assert!(error.is_not_found());
    assert_eq!(api_error(&error).body(), "");
    assert!(api_error(&error).details::<ErrorResponseDto>().is_none());
    assert_eq!(error.to_string(), "deleteCustomConnector: the server answered 404 Not Found");
}

#[tokio::test]
async fn a_long_error_body_is_shortened_in_display_but_kept_whole() {
    let (server, client) = setup().await;
    let body = "x".repeat(5000);
    Mock::given(method("GET"))
        .and(path("/v2024/connectors"))
        .respond_with(ResponseTemplate::new(503).set_body_string(body.clone()))
        .expect(1)
        .mount(&server)
        .await;

    let error = client.get_connector_list().send().await.expect_err("503");

    assert_eq!(api_error(&error).body(), body);
    let shown = error.to_string();
    assert!(shown.starts_with("getConnectorList: the server answered 503 Service Unavailable: xxx"), "{shown}");
    assert!(shown.len() < 400, "display must stay short, got {} characters", shown.len());
    assert!(shown.ends_with("..."));
}

#[tokio::test]
async fn error_messages_of_several_texts_are_joined_in_display() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "detailCode": "400.1.0 Required data missing or empty",
            "trackingId": "abc123",
            "messages": [
                { "locale": "en-US", "localeOrigin": "DEFAULT", "text": "First problem." },
                { "locale": "de", "localeOrigin": "REQUEST", "text": "Zweites Problem." }
            ],
            "causes": [{ "locale": null, "localeOrigin": null, "text": "limit out of range" }]
        })))
        .mount(&server)
        .await;

    let error = client.get_connector_list().limit(999).send().await.expect_err("400");

    assert_eq!(error.tracking_id(), Some("abc123"));
    let details = api_error(&error).details::<ErrorResponseDto>().expect("details");
    let causes = details.causes.as_ref().expect("causes");
    assert_eq!(causes[0].locale, None, "a null locale decodes as None");
    assert_eq!(causes[0].locale_origin, None, "a null locale origin decodes as None");
    assert_eq!(details.messages.as_ref().unwrap()[1].locale_origin, Some(sailpoint_connectors::LocaleOrigin::Request));
    assert_eq!(
        error.to_string(),
        "getConnectorList: the server answered 400 Bad Request: First problem.; Zweites Problem. (tracking id abc123)"
    );
}

#[tokio::test]
async fn an_error_document_without_messages_falls_back_to_the_detail_code() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/custom-app/translations/de"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({ "detailCode": "404 Not found", "trackingId": "t-1" })),
        )
        .mount(&server)
        .await;

    let error = client.get_connector_translations("custom-app", Locale::De).send().await.expect_err("404");

    assert_eq!(
        error.to_string(),
        "getConnectorTranslations: the server answered 404 Not Found: 404 Not found (tracking id t-1)"
    );
    assert_eq!(api_error(&error).details::<ErrorResponseDto>().and_then(|d| d.messages.clone()), None);
}

#[tokio::test]
async fn errors_are_std_errors_and_debug_shows_the_essentials() {
    let (server, client) = setup().await;
    mount_error_document(&server, "GET", "/v2024/connectors/x", 404, "404 Not found", "nope").await;

    let error = client.get_connector("x").send().await.expect_err("404");

    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
    assert!(boxed.to_string().contains("nope"));
    let debug = format!("{boxed:?}");
    assert!(debug.contains("getConnector") && debug.contains("404") && debug.contains(TRACKING_ID), "{debug}");
    assert!(!debug.contains(TOKEN), "the token must never appear in an error");
}

#[tokio::test]
async fn a_connection_failure_is_a_transport_error_naming_the_operation() {
    // A port that was just free: nothing listens there any more.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = sailpoint_connectors::Client::builder()
        .base_url(format!("http://{address}"))
        .token(TOKEN)
        .allow_http(true)
        .retry_policy(sailpoint_connectors::RetryPolicy::none())
        .build()
        .unwrap();

    let error = client.get_connector_list().send().await.expect_err("nothing listens");

    match &error {
        Error::Transport { operation, .. } => assert_eq!(*operation, "getConnectorList"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(error.status(), None);
    assert!(error.api_error().is_none());
    assert!(error.to_string().starts_with("getConnectorList: the request failed"), "{error}");
    assert!(!format!("{error:?}").contains(TOKEN));
}

#[tokio::test]
async fn each_operation_has_an_error_enum_with_a_variant_per_status() {
    use sailpoint_connectors::operations::{GetConnectorError, PutConnectorTranslationsError, UpdateConnectorError};
    use sailpoint_connectors::{FilePart, JsonPatchOperation, JsonPatchOperationOp, Locale};

    let (server, client) = setup().await;
    let document = json!({"detailCode": "404 Not found", "trackingId": TRACKING_ID, "messages": [{"text": "gone"}]});
    Mock::given(method("GET"))
        .and(path("/v2024/connectors/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(&document))
        .mount(&server)
        .await;
    let error = client.get_connector("missing").send().await.unwrap_err();
    let api = error.api_error().unwrap();
    match api.details::<GetConnectorError>() {
        Some(GetConnectorError::NotFound(body)) => assert_eq!(body.tracking_id.as_deref(), Some(TRACKING_ID)),
        other => panic!("expected NotFound, got {other:?}"),
    }
    // The model inside is reachable directly too.
    assert_eq!(api.details::<ErrorResponseDto>().unwrap().detail_code.as_deref(), Some("404 Not found"));
    // Operations that declare the same error bodies share one enum, which
    // each names by its own alias.
    assert_eq!(std::any::TypeId::of::<UpdateConnectorError>(), std::any::TypeId::of::<GetConnectorError>());
    assert!(api.details::<UpdateConnectorError>().is_some());

    Mock::given(method("PATCH"))
        .and(path("/v2024/connectors/limited"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({"message": " Rate Limit Exceeded "})))
        .mount(&server)
        .await;
    let patch = vec![JsonPatchOperation::new(JsonPatchOperationOp::Remove, "/applicationXml".into())];
    let error = client.update_connector("limited", patch).send().await.unwrap_err();
    match error.api_error().unwrap().details::<UpdateConnectorError>() {
        Some(UpdateConnectorError::TooManyRequests(body)) => {
            assert_eq!(body.message, Some(json!(" Rate Limit Exceeded ")))
        }
        other => panic!("expected TooManyRequests, got {other:?}"),
    }

    Mock::given(method("PUT"))
        .and(path("/v2024/connectors/locked/translations/de"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"error": "JWT validation failed: JWT is expired"})),
        )
        .mount(&server)
        .await;
    let file = FilePart::from_bytes(&b"a=b\n"[..]).file_name("de.properties");
    let error = client.put_connector_translations("locked", Locale::De, file).send().await.unwrap_err();
    assert!(matches!(
        error.api_error().unwrap().details::<PutConnectorTranslationsError>(),
        Some(PutConnectorTranslationsError::Unauthorized(_))
    ));
}
