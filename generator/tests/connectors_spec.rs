//! The project's own spec (`spec/`), checked at the IR level: what each of
//! the 13 Connectors operations sends and expects back.

use generator::ir::{Api, ParamLocation, PartKind, RequestBody, ResponseContent, StatusMatch, Type, TypeKind};
use generator::MemorySource;

mod common;

fn connectors_api() -> Api {
    let files = common::spec_files(&common::project_spec_folder());
    let source = MemorySource::new(files);
    let loaded = generator::load::load(&source, "openapi.yaml").unwrap();
    let parsed = generator::parse::parse(&loaded).unwrap();
    let lowered = generator::lower::lower(&parsed.spec, &loaded.source_map, &Default::default()).unwrap();
    assert!(lowered.warnings.is_empty(), "{:?}", lowered.warnings);
    generator::check::check(&lowered.api).unwrap();
    lowered.api
}

fn operation<'a>(api: &'a Api, method_name: &str) -> &'a generator::ir::Operation {
    api.operations.iter().find(|o| o.method_name == method_name).unwrap_or_else(|| panic!("no {method_name}"))
}

#[test]
fn all_thirteen_operations_with_their_methods_and_paths() {
    let api = connectors_api();
    let found: Vec<(&str, &str, &str)> =
        api.operations.iter().map(|o| (o.method_name.as_str(), o.http_method.as_str(), o.path.as_str())).collect();
    let mut expected = vec![
        ("get_connector_list", "GET", "/connectors"),
        ("create_custom_connector", "POST", "/connectors"),
        ("get_connector", "GET", "/connectors/{scriptName}"),
        ("delete_custom_connector", "DELETE", "/connectors/{scriptName}"),
        ("update_connector", "PATCH", "/connectors/{scriptName}"),
        ("get_connector_source_config", "GET", "/connectors/{scriptName}/source-config"),
        ("put_connector_source_config", "PUT", "/connectors/{scriptName}/source-config"),
        ("get_connector_source_template", "GET", "/connectors/{scriptName}/source-template"),
        ("put_connector_source_template", "PUT", "/connectors/{scriptName}/source-template"),
        ("get_connector_correlation_config", "GET", "/connectors/{scriptName}/correlation-config"),
        ("put_connector_correlation_config", "PUT", "/connectors/{scriptName}/correlation-config"),
        ("get_connector_translations", "GET", "/connectors/{scriptName}/translations/{locale}"),
        ("put_connector_translations", "PUT", "/connectors/{scriptName}/translations/{locale}"),
    ];
    let mut found_sorted = found.clone();
    found_sorted.sort();
    expected.sort();
    assert_eq!(found_sorted, expected);
    assert_eq!(api.base_path, "/v2024");
}

#[test]
fn bodies_have_the_declared_media_types() {
    let api = connectors_api();
    match &operation(&api, "update_connector").body {
        Some(RequestBody::Json { content_type, ty, required: true, .. }) => {
            assert_eq!(content_type, "application/json-patch+json");
            assert_eq!(ty, &Type::Array(Box::new(Type::Named("JsonPatchOperation".into()))));
        }
        other => panic!("{other:?}"),
    }
    match &operation(&api, "create_custom_connector").body {
        Some(RequestBody::Json { content_type, ty, .. }) => {
            assert_eq!(content_type, "application/json");
            assert_eq!(ty, &Type::Named("V3CreateConnectorDto".into()));
        }
        other => panic!("{other:?}"),
    }
    for upload in [
        "put_connector_source_config",
        "put_connector_source_template",
        "put_connector_correlation_config",
        "put_connector_translations",
    ] {
        match &operation(&api, upload).body {
            Some(RequestBody::Multipart { parts, .. }) => {
                assert_eq!(parts.len(), 1, "{upload}");
                assert_eq!(
                    (parts[0].wire_name.as_str(), parts[0].required, &parts[0].kind),
                    ("file", true, &PartKind::File)
                );
            }
            other => panic!("{upload}: {other:?}"),
        }
    }
}

#[test]
fn responses_have_the_declared_media_types_and_statuses() {
    let api = connectors_api();
    for xml in ["get_connector_source_config", "get_connector_source_template", "get_connector_correlation_config"] {
        assert_eq!(
            operation(&api, xml).success.content,
            ResponseContent::Text { media_type: "application/xml".into() },
            "{xml}"
        );
    }
    let translations = &operation(&api, "get_connector_translations").success.content;
    assert_eq!(translations, &ResponseContent::Text { media_type: "text/plain".into() });
    let delete = &operation(&api, "delete_custom_connector").success;
    assert_eq!((delete.status, &delete.content), (204, &ResponseContent::Empty));
    for operation in &api.operations {
        let statuses: Vec<StatusMatch> = operation.errors.iter().map(|e| e.status).collect();
        let expected = [400, 401, 403, 404, 429, 500].map(StatusMatch::Code);
        assert_eq!(statuses, expected, "{}", operation.operation_id);
        let error_response = Some(Type::Named("ErrorResponseDto".into()));
        assert_eq!(operation.errors[0].ty, error_response);
        assert_eq!(operation.errors[1].ty, Some(Type::Named("UnauthorizedBody".into())));
        assert_eq!(operation.errors[4].ty, Some(Type::Named("TooManyRequestsBody".into())));
        assert_eq!(operation.errors[5].ty, error_response);
    }
}

#[test]
fn list_parameters_keep_types_defaults_and_bounds() {
    let api = connectors_api();
    let list = operation(&api, "get_connector_list");
    let params: Vec<(&str, ParamLocation, bool, &Type)> =
        list.params.iter().map(|p| (p.wire_name.as_str(), p.location, p.required, &p.ty)).collect();
    let locale = Type::Named("Locale".into());
    assert_eq!(
        params,
        vec![
            ("filters", ParamLocation::Query, false, &Type::String),
            ("limit", ParamLocation::Query, false, &Type::I32),
            ("offset", ParamLocation::Query, false, &Type::I32),
            ("count", ParamLocation::Query, false, &Type::Bool),
            ("locale", ParamLocation::Query, false, &locale),
        ]
    );
    let limit = &list.params[1];
    assert_eq!(limit.default, Some(serde_json::json!(250)));
    let bounds = (
        limit.bounds.minimum.as_ref().and_then(|n| n.as_u64()),
        limit.bounds.maximum.as_ref().and_then(|n| n.as_u64()),
    );
    assert_eq!(bounds, (Some(0), Some(250)));
    let translations = operation(&api, "put_connector_translations");
    let path_params: Vec<&str> = translations.params.iter().map(|p| p.field_name.as_str()).collect();
    assert_eq!(path_params, ["script_name", "locale"]);
}

#[test]
fn models_for_every_schema() {
    let api = connectors_api();
    let names: Vec<&str> = api.types.keys().map(String::as_str).collect();
    for expected in [
        "ConnectorDetail",
        "ErrorMessageDto",
        "ErrorResponseDto",
        "JsonPatchOperation",
        "JsonPatchOperationValue",
        "Locale",
        "LocaleOrigin",
        "UpdateDetail",
        "V3ConnectorDto",
        "V3CreateConnectorDto",
    ] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    // The four identical inline locale enums are one type.
    assert_eq!(names.iter().filter(|n| n.contains("Locale")).count(), 2, "{names:?}");
    let TypeKind::Enum { variants } = &api.types["LocaleOrigin"].kind else { panic!() };
    let values: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
    assert_eq!(values, ["DEFAULT", "REQUEST"]);
    let TypeKind::Struct { fields } = &api.types["ErrorMessageDto"].kind else { panic!() };
    let origin = fields.iter().find(|f| f.wire_name == "localeOrigin").unwrap();
    assert_eq!(origin.ty, Type::Nullable(Box::new(Type::Named("LocaleOrigin".into()))));
}
