//! Repairs made before deserialising: what real specs get wrong in known
//! ways, fixed where the intent is clear, and the parts codegen never reads
//! dropped so that nothing they contain can fail generation.

use serde_json::{Map, Value};

use super::METHODS;
use crate::diagnostics::{push_pointer, Kind};

/// Reports a repair: its kind, the bundled pointer, the message.
type Report<'a> = &'a mut dyn FnMut(Kind, &str, String);

/// Keys codegen never reads that `openapiv3` would still check: examples,
/// links, callbacks, external docs (extensions are kept as plain values).
const INERT_KEYS: [&str; 4] = ["examples", "links", "callbacks", "externalDocs"];

/// Component kinds `load` has already inlined wherever they are used.
const INLINED_COMPONENTS: [&str; 7] =
    ["parameters", "responses", "requestBodies", "headers", "examples", "links", "callbacks"];

/// Repairs the bundled document in place.
pub(super) fn repair(document: &mut Value, report: Report<'_>) {
    let Value::Object(root) = document else { return };
    up_from_2_0(root, report);
    down_to_3_0(root, report);
    info(root, report);
    root.remove("externalDocs");
    if let Some(Value::Array(tags)) = root.get_mut("tags") {
        tags.iter_mut().filter_map(Value::as_object_mut).for_each(texts);
    }
    if !root.get("paths").is_some_and(Value::is_object) {
        report(Kind::Repaired, "/paths", "`paths` is missing or not a map: read as no paths".to_owned());
        root.insert("paths".to_owned(), Value::Object(Map::new()));
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        INLINED_COMPONENTS.iter().for_each(|kind| drop(components.remove(*kind)));
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for (name, schema) in schemas.iter_mut() {
                self::schema(schema, &push_pointer("/components/schemas", name), report);
            }
        }
    }
    let Some(Value::Object(paths)) = root.get_mut("paths") else { return };
    for (path, item) in paths.iter_mut() {
        let pointer = push_pointer("/paths", path);
        let Value::Object(item) = item else { continue };
        if let Some(parameters) = item.get_mut("parameters") {
            self::parameters(parameters, &push_pointer(&pointer, "parameters"), report);
        }
        for method in METHODS {
            if let Some(Value::Object(operation)) = item.get_mut(method) {
                self::operation(operation, &push_pointer(&pointer, method), report);
            }
        }
    }
}

/// Swagger 2.0 read as OpenAPI 3.0, at the document level: the server from
/// `host`, `basePath` and `schemes`; `securityDefinitions` as security
/// schemes (OAuth2's flows renamed); each operation's body, form and
/// response media types from `consumes`/`produces`. (`load` has already
/// hoisted `#/definitions/…` schemas into components and inlined shared
/// parameters and responses; parameters and bodies are repaired below as
/// for any version, since 3.0 documents carry Swagger 2 habits too.)
fn up_from_2_0(root: &mut Map<String, Value>, report: Report<'_>) {
    if root.get("swagger").and_then(Value::as_str) != Some("2.0") {
        return;
    }
    root.remove("swagger");
    root.insert("openapi".to_owned(), Value::String("3.0.3".to_owned()));
    let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
    if let Some(host) = text(root.get("host")) {
        let scheme = match root.get("schemes") {
            Some(Value::Array(schemes)) if !schemes.iter().any(|s| s == "https") => {
                text(schemes.first()).unwrap_or("https".to_owned())
            }
            _ => "https".to_owned(),
        };
        let base = text(root.get("basePath")).unwrap_or_default();
        let url = format!("{scheme}://{host}{}", base.trim_end_matches('/'));
        root.insert("servers".to_owned(), serde_json::json!([{ "url": url }]));
    } else if let Some(base) = text(root.get("basePath")) {
        root.insert("servers".to_owned(), serde_json::json!([{ "url": base }]));
    }
    let consumes = root.remove("consumes");
    let produces = root.remove("produces");
    for key in ["host", "basePath", "schemes", "definitions", "parameters", "responses"] {
        root.remove(key);
    }
    if let Some(Value::Object(definitions)) = root.remove("securityDefinitions") {
        let mut schemes = Map::new();
        for (name, definition) in definitions {
            let pointer = push_pointer("/securityDefinitions", &name);
            match security_scheme(&definition) {
                Some(scheme) => drop(schemes.insert(name, scheme)),
                None => report(Kind::Dropped, &pointer, "not a Swagger 2.0 security scheme: dropped".to_owned()),
            }
        }
        let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(components) = components {
            components.insert("securitySchemes".to_owned(), Value::Object(schemes));
        }
    }
    report(Kind::Repaired, "", "Swagger 2.0: read as OpenAPI 3.0".to_owned());
    let Some(Value::Object(paths)) = root.get_mut("paths") else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for method in METHODS {
            let Some(Value::Object(operation)) = item.get_mut(method) else { continue };
            let consumes = operation.remove("consumes").or_else(|| consumes.clone());
            let produces = operation.remove("produces").or_else(|| produces.clone());
            operation.remove("schemes");
            let body_media = preferred_media(consumes.as_ref());
            if let Some(Value::Array(parameters)) = operation.get_mut("parameters") {
                for parameter in parameters.iter_mut().filter_map(Value::as_object_mut) {
                    if parameter.get("in").and_then(Value::as_str) == Some("body") {
                        parameter.insert("x-media-type".to_owned(), Value::String(body_media.clone()));
                    }
                }
            }
            let response_media = preferred_media(produces.as_ref());
            let Some(Value::Object(responses)) = operation.get_mut("responses") else { continue };
            for response in responses.values_mut().filter_map(Value::as_object_mut) {
                if let Some(schema) = response.remove("schema") {
                    let media = Value::Object(Map::from_iter([("schema".to_owned(), schema)]));
                    let content = Map::from_iter([(response_media.clone(), media)]);
                    response.insert("content".to_owned(), Value::Object(content));
                }
            }
        }
    }
}

/// The media type a Swagger 2.0 `consumes`/`produces` list means for the
/// client: JSON when listed (or nothing is), else the first listed.
fn preferred_media(list: Option<&Value>) -> String {
    let types: Vec<&str> = match list {
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let json = types.iter().find(|media| media.split(';').next().is_some_and(|m| m.trim().ends_with("json")));
    json.or(types.first()).map_or("application/json", |media| media).to_owned()
}

/// A Swagger 2.0 security definition as an OpenAPI 3.0 security scheme.
fn security_scheme(definition: &Value) -> Option<Value> {
    let kind = definition.get("type")?.as_str()?;
    let description = definition.get("description").cloned();
    let mut scheme = match kind {
        "basic" => serde_json::json!({"type": "http", "scheme": "basic"}),
        "apiKey" => serde_json::json!({"type": "apiKey", "name": definition.get("name")?, "in": definition.get("in")?}),
        "oauth2" => {
            let flow = match definition.get("flow")?.as_str()? {
                "application" => "clientCredentials",
                "accessCode" => "authorizationCode",
                other => other,
            };
            let mut details = Map::new();
            for key in ["authorizationUrl", "tokenUrl"] {
                if let Some(url) = definition.get(key) {
                    details.insert(key.to_owned(), url.clone());
                }
            }
            details.insert("scopes".to_owned(), definition.get("scopes").cloned().unwrap_or(serde_json::json!({})));
            serde_json::json!({"type": "oauth2", "flows": {flow: details}})
        }
        _ => return None,
    };
    if let (Some(description), Value::Object(scheme)) = (description, &mut scheme) {
        scheme.insert("description".to_owned(), description);
    }
    Some(scheme)
}

/// OpenAPI 3.1 and 3.2 read as the 3.0 the rest of the pipeline knows: the
/// document-level parts 3.0 lacks, each dropped with a warning. (Schemas'
/// JSON Schema forms are repaired in [`schema`] whatever the version line
/// says, since real documents mix them.)
fn down_to_3_0(root: &mut Map<String, Value>, report: Report<'_>) {
    let Some(version) = root.get("openapi").and_then(Value::as_str).map(str::to_owned) else { return };
    if version.starts_with("3.0.") {
        return;
    }
    root.insert("openapi".to_owned(), Value::String("3.0.3".to_owned()));
    if let Some(Value::Object(webhooks)) = root.remove("webhooks") {
        let names: Vec<&String> = webhooks.keys().collect();
        let message = format!("webhooks (requests the API sends, not receives) are not generated: {names:?}");
        report(Kind::Dropped, "/webhooks", message);
    }
    for key in ["jsonSchemaDialect", "$self"] {
        root.remove(key);
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        // `load` has inlined every reference to them where it is used.
        for kind in ["pathItems", "mediaTypes"] {
            components.remove(kind);
        }
    }
    let Some(Value::Object(paths)) = root.get_mut("paths") else { return };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        // 3.2's `query` method and `additionalOperations`: methods the client has no request for.
        for key in ["query", "additionalOperations"] {
            if item.remove(key).is_some() {
                let pointer = push_pointer(&push_pointer("/paths", path), key);
                report(Kind::LeftOut, &pointer, format!("`{key}` operations (OpenAPI 3.2) are not generated"));
            }
        }
    }
}

/// `info` with a string `title` and `version`, as every generated crate needs.
fn info(root: &mut Map<String, Value>, report: Report<'_>) {
    let info = root.entry("info").or_insert_with(|| Value::Object(Map::new()));
    if !info.is_object() {
        *info = Value::Object(Map::new());
    }
    let Value::Object(info) = info else { return };
    texts(info);
    for (key, fallback) in [("title", "API"), ("version", "")] {
        let text = match info.get(key) {
            Some(Value::String(_)) => continue,
            Some(Value::Number(number)) => number.to_string(),
            Some(Value::Bool(flag)) => flag.to_string(),
            _ => fallback.to_owned(),
        };
        let message = format!("`info.{key}` is missing or not a string: read as {text:?}");
        report(Kind::Repaired, &push_pointer("/info", key), message);
        info.insert(key.to_owned(), Value::String(text));
    }
    for key in ["contact", "license"] {
        if info.get(key).is_some_and(|value| !value.is_object()) {
            info.remove(key);
        }
    }
}

/// `description`, `summary` and `title` written as numbers or booleans are
/// read as text; anything else there is dropped. INERT_KEYS go too.
fn texts(object: &mut Map<String, Value>) {
    for key in ["description", "summary", "title"] {
        match object.get(key) {
            // Blank text documents nothing: it is as if absent.
            Some(Value::String(text)) if text.trim().is_empty() => drop(object.remove(key)),
            None | Some(Value::String(_)) => {}
            Some(Value::Number(_) | Value::Bool(_)) => {
                let text = object[key].to_string();
                object.insert(key.to_owned(), Value::String(text));
            }
            Some(_) => drop(object.remove(key)),
        }
    }
    INERT_KEYS.iter().for_each(|key| drop(object.remove(*key)));
}

fn operation(operation: &mut Map<String, Value>, pointer: &str, report: Report<'_>) {
    texts(operation);
    if let Some(parameters) = operation.get_mut("parameters") {
        let body = self::parameters(parameters, &push_pointer(pointer, "parameters"), report);
        if let Some(body) = body.filter(|_| !operation.contains_key("requestBody")) {
            operation.insert("requestBody".to_owned(), body);
        }
    }
    if let Some(Value::Object(body)) = operation.get_mut("requestBody") {
        texts(body);
        content(body, &push_pointer(pointer, "requestBody"), report);
    }
    if !operation.get("responses").is_some_and(Value::is_object) {
        report(Kind::Repaired, pointer, "operation declares no `responses`: read as none".to_owned());
        operation.insert("responses".to_owned(), Value::Object(Map::new()));
    }
    let Some(Value::Object(responses)) = operation.get_mut("responses") else { return };
    for (status, response) in responses.iter_mut() {
        let Value::Object(response) = response else { continue };
        let pointer = push_pointer(&push_pointer(pointer, "responses"), status);
        texts(response);
        // Required by OpenAPI, read by nobody: an absent one is no reason to fail.
        response.entry("description").or_insert_with(|| Value::String(String::new()));
        // Response headers are not part of the generated API (yet).
        response.remove("headers");
        content(response, &pointer, report);
    }
}

/// The schema of every media type of a body or response.
fn content(owner: &mut Map<String, Value>, pointer: &str, report: Report<'_>) {
    let Some(Value::Object(content)) = owner.get_mut("content") else { return };
    for (media_type, media) in content.iter_mut() {
        let Value::Object(media) = media else { continue };
        let pointer = push_pointer(&push_pointer(pointer, "content"), media_type);
        INERT_KEYS.iter().for_each(|key| drop(media.remove(*key)));
        if media.remove("itemSchema").is_some() {
            // OpenAPI 3.2: the schema of each item of a stream (JSON Lines, server-sent events).
            let message = "`itemSchema` (OpenAPI 3.2, a stream of items): the body is read whole, its items untyped";
            // Reported at the media type: a `$ref` there would point the report at its target.
            report(Kind::Loosened, &pointer, message.to_owned());
        }
        if let Some(Value::Object(encodings)) = media.get_mut("encoding") {
            // `explode` defaults to true for `style: form` (and no style means
            // form), but `openapiv3` reads a missing one as false: write it out.
            for encoding in encodings.values_mut().filter_map(Value::as_object_mut) {
                let form = encoding.get("style").is_none_or(|style| style.as_str() == Some("form"));
                if form && !encoding.contains_key("explode") {
                    encoding.insert("explode".to_owned(), Value::Bool(true));
                }
            }
        }
        if let Some(schema) = media.get_mut("schema") {
            self::schema(schema, &push_pointer(&pointer, "schema"), report);
        }
    }
}

/// Repairs a parameter list; Swagger 2's `in: body` and `in: formData`
/// parameters are taken out and returned as the request body they meant.
fn parameters(parameters: &mut Value, pointer: &str, report: Report<'_>) -> Option<Value> {
    let Value::Array(list) = parameters else { return None };
    let mut body: Option<Value> = None;
    let mut form = Map::new();
    let mut form_required = Vec::new();
    let mut has_file = false;
    let mut index = 0;
    let mut position = 0;
    while index < list.len() {
        let at = push_pointer(pointer, &position.to_string());
        position += 1;
        let Value::Object(parameter) = &mut list[index] else {
            index += 1;
            continue;
        };
        texts(parameter);
        match parameter.get("in").and_then(Value::as_str) {
            Some("path" | "query" | "header" | "cookie") => {
                swagger2_parameter_schema(parameter, &at, report);
                if let Some(schema) = parameter.get_mut("schema") {
                    self::schema(schema, &push_pointer(&at, "schema"), report);
                }
                index += 1;
            }
            Some("body") => {
                let schema = parameter.get("schema").cloned().unwrap_or_else(|| Value::Object(Map::new()));
                let required = parameter.get("required").cloned().unwrap_or(Value::Bool(false));
                report(Kind::Repaired, &at, "Swagger 2 `in: body` parameter: read as the request body".into());
                // Swagger 2.0's `consumes` picked it (see `up_from_2_0`); JSON otherwise.
                let media_type = match parameter.get("x-media-type").and_then(Value::as_str) {
                    Some(media_type) => media_type.to_owned(),
                    None => "application/json".to_owned(),
                };
                let media = Value::Object(Map::from_iter([("schema".to_owned(), schema)]));
                let content = Map::from_iter([(media_type, media)]);
                body = Some(Value::Object(Map::from_iter([
                    ("content".to_owned(), Value::Object(content)),
                    ("required".to_owned(), required),
                ])));
                list.remove(index);
            }
            Some("formData") => {
                let name = parameter.get("name").and_then(Value::as_str).unwrap_or("value").to_owned();
                swagger2_parameter_schema(parameter, &at, report);
                let schema = parameter.get("schema").cloned().unwrap_or_else(|| Value::Object(Map::new()));
                has_file |= schema.get("format").and_then(Value::as_str) == Some("binary");
                if parameter.get("required") == Some(&Value::Bool(true)) {
                    form_required.push(Value::String(name.clone()));
                }
                let message = format!("Swagger 2 `in: formData` parameter `{name}`: read as a form field");
                report(Kind::Repaired, &at, message);
                form.insert(name, schema);
                list.remove(index);
            }
            Some("querystring") => {
                // OpenAPI 3.2: one parameter for the whole query string. A form
                // of named properties is those properties as query parameters.
                let fields = querystring_fields(parameter);
                list.remove(index);
                match fields {
                    Some(fields) => {
                        let names: Vec<&str> = fields.iter().filter_map(|f| f["name"].as_str()).collect();
                        let message =
                            format!("`in: querystring` form (OpenAPI 3.2): read as the query parameters {names:?}");
                        report(Kind::Repaired, &at, message);
                        for field in fields.into_iter().rev() {
                            list.insert(index, field);
                        }
                    }
                    None => {
                        let message = "`in: querystring` (OpenAPI 3.2) that is not a form of named properties: dropped";
                        report(Kind::Dropped, &at, message.to_owned());
                    }
                }
            }
            other => {
                let message = format!(
                    "parameter with `in: {}` is not an OpenAPI 3.0 parameter: dropped",
                    other.unwrap_or("(none)")
                );
                report(Kind::Dropped, &at, message);
                list.remove(index);
            }
        }
    }
    if !form.is_empty() {
        let media_type = if has_file { "multipart/form-data" } else { "application/x-www-form-urlencoded" };
        let mut schema = Map::from_iter([
            ("type".to_owned(), Value::String("object".to_owned())),
            ("properties".to_owned(), Value::Object(form)),
        ]);
        // The form is required when one of its fields is.
        let required = !form_required.is_empty();
        if required {
            schema.insert("required".to_owned(), Value::Array(form_required));
        }
        let media = Value::Object(Map::from_iter([("schema".to_owned(), Value::Object(schema))]));
        body = Some(Value::Object(Map::from_iter([
            ("content".to_owned(), Value::Object(Map::from_iter([(media_type.to_owned(), media)]))),
            ("required".to_owned(), Value::Bool(required)),
        ])));
    }
    body
}

/// The query parameters an OpenAPI 3.2 `in: querystring` parameter stands
/// for, when its content is a form whose schema names its properties.
fn querystring_fields(parameter: &Map<String, Value>) -> Option<Vec<Value>> {
    let schema = parameter.get("content")?.get("application/x-www-form-urlencoded")?.get("schema")?;
    let properties = schema.get("properties")?.as_object()?;
    let required = schema.get("required").and_then(Value::as_array);
    let fields = properties
        .iter()
        .map(|(name, property)| {
            let is_required = required.is_some_and(|list| list.iter().any(|entry| entry == name));
            serde_json::json!({
                "name": name,
                "in": "query",
                "required": is_required,
                "style": "form",
                "explode": true,
                "schema": property,
            })
        })
        .collect();
    Some(fields)
}

/// Schema keywords Swagger 2 wrote on the parameter itself.
const SWAGGER2_SCHEMA_KEYS: [&str; 12] = [
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
];

/// A Swagger 2 parameter (`type` beside `name`, no `schema`) gets its
/// `schema`, and `collectionFormat` becomes `style` and `explode`.
fn swagger2_parameter_schema(parameter: &mut Map<String, Value>, pointer: &str, report: Report<'_>) {
    if parameter.contains_key("schema") || parameter.contains_key("content") || !parameter.contains_key("type") {
        return;
    }
    let mut schema = Map::new();
    for key in SWAGGER2_SCHEMA_KEYS {
        if let Some(value) = parameter.remove(key) {
            schema.insert(key.to_owned(), value);
        }
    }
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".to_owned(), Value::String("string".to_owned()));
        schema.insert("format".to_owned(), Value::String("binary".to_owned()));
    }
    let style = match parameter.remove("collectionFormat").as_ref().and_then(Value::as_str) {
        Some("csv") => Some(("form", false)),
        Some("ssv") => Some(("spaceDelimited", false)),
        Some("pipes") => Some(("pipeDelimited", false)),
        Some("multi") => Some(("form", true)),
        _ => None,
    };
    if let Some((style, explode)) = style {
        parameter.insert("style".to_owned(), Value::String(style.to_owned()));
        parameter.insert("explode".to_owned(), Value::Bool(explode));
    }
    report(
        Kind::Repaired,
        pointer,
        "Swagger 2 parameter with `type` and no `schema`: its keywords form the schema".into(),
    );
    parameter.insert("schema".to_owned(), Value::Object(schema));
}

/// Repairs a schema and every schema inside it.
fn schema(node: &mut Value, pointer: &str, report: Report<'_>) {
    if let Value::Bool(_) = node {
        // JSON Schema's `true`/`false` schemas: OpenAPI 3.0 has only objects.
        report(Kind::Loosened, pointer, "boolean schema: typed as any JSON value".to_owned());
        *node = Value::Object(Map::new());
        return;
    }
    let Value::Object(schema) = node else { return };
    if schema.contains_key("$ref") {
        return;
    }
    for key in ["description", "title"] {
        if schema.get(key).is_some_and(|value| value.as_str().is_none_or(|text| text.trim().is_empty())) {
            schema.remove(key);
        }
    }
    schema.remove("externalDocs");
    if let Some(Value::Bool(nullable)) = schema.remove("x-nullable") {
        // Swagger 2.0's extension for what 3.0 calls `nullable`.
        schema.insert("nullable".to_owned(), Value::Bool(nullable));
    }
    if let Some(Value::String(property)) = schema.get("discriminator").cloned() {
        // Swagger 2.0 names the property; 3.0 wants an object.
        schema.insert("discriminator".to_owned(), serde_json::json!({ "propertyName": property }));
    }
    schema_type(schema, pointer, report);
    if let Some(value) = schema.remove("const") {
        // JSON Schema's `const` (OpenAPI 3.1) is a one-value `enum` in 3.0.
        if !schema.contains_key("enum") {
            schema.insert("enum".to_owned(), Value::Array(vec![value]));
        }
    }
    null_branches(schema, pointer, report);
    prefix_items(schema, pointer, report);
    content_keywords(schema, pointer, report);
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(value) = schema.get(exclusive).filter(|value| value.is_number()).cloned() {
            let message = format!(
                "`{exclusive}` written as a number (JSON Schema 2019): read as `{bound}` with `{exclusive}: true`"
            );
            report(Kind::Repaired, &push_pointer(pointer, exclusive), message);
            schema.insert(bound.to_owned(), value);
            schema.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
    if schema.get("type").and_then(Value::as_str) == Some("string") {
        if let Some(Value::Array(values)) = schema.get_mut("enum") {
            if values.iter().any(|value| value.is_number() || value.is_boolean()) {
                for value in values.iter_mut().filter(|value| value.is_number() || value.is_boolean()) {
                    *value = Value::String(value.to_string());
                }
                let message = "string `enum` lists numbers or booleans: read as their text".to_owned();
                report(Kind::Repaired, &push_pointer(pointer, "enum"), message);
            }
        }
    }
    if schema.get("required").is_some_and(|required| !required.is_array()) {
        // A property's own `required: true` is moved to its parent below.
        schema.remove("required");
    }
    required_properties(schema, pointer, report);
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            self::schema(property, &push_pointer(&push_pointer(pointer, "properties"), name), report);
        }
    }
    for key in ["items", "not"] {
        if let Some(inner) = schema.get_mut(key) {
            self::schema(inner, &push_pointer(pointer, key), report);
        }
    }
    if let Some(inner) = schema.get_mut("additionalProperties").filter(|inner| inner.is_object()) {
        self::schema(inner, &push_pointer(pointer, "additionalProperties"), report);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = schema.get_mut(key) {
            for (index, part) in parts.iter_mut().enumerate() {
                self::schema(part, &push_pointer(&push_pointer(pointer, key), &index.to_string()), report);
            }
        }
    }
}

/// JSON Schema 2020-12's tuple, `prefixItems` (OpenAPI 3.1): a Rust `Vec`
/// has one item type, so the tuple is a list of its one schema when every
/// position has the same, else a list of any JSON values.
fn prefix_items(schema: &mut Map<String, Value>, pointer: &str, report: Report<'_>) {
    let Some(Value::Array(mut positions)) = schema.remove("prefixItems") else { return };
    // `items` after a tuple types the positions past it; `false` allows none.
    positions.extend(schema.remove("items").filter(Value::is_object));
    let at = push_pointer(pointer, "prefixItems");
    let items = match positions.split_first() {
        Some((first, rest)) if rest.iter().all(|other| other == first) => {
            report(Kind::Repaired, &at, "`prefixItems` whose positions share one schema: read as a list of it".into());
            first.clone()
        }
        _ => {
            report(
                Kind::Loosened,
                &at,
                "`prefixItems` (a tuple of different schemas): its items typed as any JSON value".into(),
            );
            Value::Object(Map::new())
        }
    };
    schema.insert("items".to_owned(), items);
}

/// JSON Schema's `contentEncoding` and `contentMediaType` (OpenAPI 3.1's
/// way to say what a string carries) as OpenAPI 3.0's formats: base64 text
/// is `format: byte`, raw content of a media type is `format: binary`.
fn content_keywords(schema: &mut Map<String, Value>, pointer: &str, report: Report<'_>) {
    let encoding = schema.remove("contentEncoding");
    let media_type = schema.remove("contentMediaType");
    if schema.get("type").and_then(Value::as_str) != Some("string") || schema.contains_key("format") {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), &media_type) {
        (Some("base64" | "base64url"), _) => "byte",
        (None, Some(_)) => "binary",
        _ => return,
    };
    let message = format!("`contentEncoding`/`contentMediaType` on a string: read as `format: {format}`");
    report(Kind::Repaired, pointer, message);
    schema.insert("format".to_owned(), Value::String(format.to_owned()));
}

/// `oneOf`/`anyOf` with a `{type: "null"}` branch (OpenAPI 3.1's way to
/// say nullable): the branch removed and the schema made `nullable`; a
/// single branch left is the schema itself.
fn null_branches(schema: &mut Map<String, Value>, pointer: &str, report: Report<'_>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = schema.get_mut(key) else { continue };
        let is_null = |branch: &Value| branch.get("type").and_then(Value::as_str) == Some("null");
        let before = branches.len();
        branches.retain(|branch| !is_null(branch));
        if branches.len() == before {
            continue;
        }
        report(Kind::Repaired, &push_pointer(pointer, key), format!("a `null` branch of `{key}`: read as `nullable`"));
        schema.insert("nullable".to_owned(), Value::Bool(true));
        if let Some(Value::Array(branches)) = schema.get(key) {
            match branches.as_slice() {
                [] => drop(schema.remove(key)),
                [only] => {
                    let only = only.clone();
                    schema.remove(key);
                    schema.insert("allOf".to_owned(), Value::Array(vec![only]));
                }
                _ => {}
            }
        }
    }
}

/// `type: file` (Swagger 2), `type: [x, "null"]` and `type: "null"`
/// (JSON Schema) in the form OpenAPI 3.0 has.
fn schema_type(schema: &mut Map<String, Value>, pointer: &str, report: Report<'_>) {
    let at = push_pointer(pointer, "type");
    match schema.get("type").cloned() {
        Some(Value::String(kind)) if kind == "file" => {
            report(Kind::Repaired, &at, "Swagger 2 `type: file`: read as `type: string, format: binary`".into());
            schema.insert("type".to_owned(), Value::String("string".to_owned()));
            schema.insert("format".to_owned(), Value::String("binary".to_owned()));
        }
        Some(Value::String(kind)) if kind == "null" => {
            report(Kind::Repaired, &at, "`type: null`: read as a nullable value".into());
            schema.remove("type");
            schema.insert("nullable".to_owned(), Value::Bool(true));
        }
        Some(Value::Array(kinds)) => {
            let named: Vec<&str> = kinds.iter().filter_map(Value::as_str).filter(|kind| *kind != "null").collect();
            let nullable = kinds.iter().any(|kind| kind.as_str() == Some("null"));
            match named.as_slice() {
                [only] => {
                    report(Kind::Repaired, &at, format!("`type` written as a list: read as `type: {only}`"));
                    schema.insert("type".to_owned(), Value::String((*only).to_owned()));
                }
                _ => {
                    report(Kind::Loosened, &at, "`type` lists several types: typed as any JSON value".into());
                    schema.remove("type");
                }
            }
            if nullable {
                schema.insert("nullable".to_owned(), Value::Bool(true));
            }
        }
        Some(Value::String(_)) | None => {}
        Some(_) => {
            report(Kind::Loosened, &at, "`type` is not a string: typed as any JSON value".into());
            schema.remove("type");
        }
    }
}

/// Swagger 2's `required: true` on a property schema makes it required in
/// its parent, as OpenAPI 3.0's `required` list says.
fn required_properties(schema: &mut Map<String, Value>, pointer: &str, report: Report<'_>) {
    let Some(Value::Object(properties)) = schema.get_mut("properties") else { return };
    let mut newly_required = Vec::new();
    for (name, property) in properties.iter_mut() {
        let Value::Object(property) = property else { continue };
        match property.get("required") {
            Some(Value::Bool(flag)) => {
                let flag = *flag;
                property.remove("required");
                let at = push_pointer(&push_pointer(&push_pointer(pointer, "properties"), name), "required");
                let message = format!(
                    "`required: {flag}` on a property schema (a Swagger 2 habit): {}",
                    if flag { "the property is required in its parent" } else { "dropped" }
                );
                report(Kind::Repaired, &at, message);
                if flag {
                    newly_required.push(name.clone());
                }
            }
            Some(Value::Array(_)) | None => {}
            Some(_) => drop(property.remove("required")),
        }
    }
    if newly_required.is_empty() {
        return;
    }
    let required = schema.entry("required").or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = required {
        for name in newly_required {
            if !list.iter().any(|existing| existing.as_str() == Some(name.as_str())) {
                list.push(Value::String(name));
            }
        }
    }
}
