//! Stage 2: the bundled JSON document as typed `openapiv3` structures.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::{push_pointer, Diagnostic, SpecErrors};
use crate::load::LoadedSpec;

/// Deserialises the bundled document; a shape error names the file and
/// pointer of the node that did not fit the OpenAPI 3.0 schema.
pub fn parse(loaded: &LoadedSpec) -> Result<openapiv3::OpenAPI, SpecErrors> {
    let document = &loaded.document;
    let fail = |pointer: &str, message: String| {
        SpecErrors(vec![Diagnostic { location: loaded.source_map.locate(pointer), message }])
    };
    if document.get("openapi").and_then(Value::as_str).is_none_or(|v| !v.starts_with("3.0")) {
        return Err(fail("/openapi", "only OpenAPI 3.0 documents are supported (`openapi: 3.0.x`)".to_owned()));
    }
    match deserialize_at::<openapiv3::OpenAPI>(document, "") {
        Ok(spec) => Ok(spec),
        Err(whole) => {
            // `openapiv3` flattens maps (paths, responses, schema kinds), which
            // hides where inside them deserialisation failed: find the
            // deepest node that fails on its own.
            let (pointer, message) = narrow_document(document).unwrap_or(whole);
            Err(fail(&pointer, format!("not a valid OpenAPI 3.0 node: {message}")))
        }
    }
}

/// A failure: the pointer of the node, and what was wrong with it.
type Failure = (String, String);

fn deserialize_at<T: DeserializeOwned>(value: &Value, pointer: &str) -> Result<T, Failure> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let mut at = pointer.to_owned();
        for segment in error.path().iter() {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => at = push_pointer(&at, &index.to_string()),
                Segment::Map { key } => at = push_pointer(&at, key),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        (at, error.into_inner().to_string())
    })
}

/// Tries `T` at `value`; on failure, asks `deeper` for a more precise failure
/// inside it, falling back to the failure at this level.
fn narrow<T: DeserializeOwned>(
    value: &Value,
    pointer: &str,
    deeper: impl FnOnce(&Value, &str) -> Option<Failure>,
) -> Option<Failure> {
    let failure = deserialize_at::<T>(value, pointer).err()?;
    deeper(value, pointer).or(Some(failure))
}

fn each_entry(value: &Value, pointer: &str, check: impl Fn(&Value, &str) -> Option<Failure>) -> Option<Failure> {
    match value {
        Value::Object(map) => map.iter().find_map(|(key, child)| check(child, &push_pointer(pointer, key))),
        Value::Array(items) => {
            items.iter().enumerate().find_map(|(index, child)| check(child, &push_pointer(pointer, &index.to_string())))
        }
        _ => None,
    }
}

fn child<'a>(value: &'a Value, key: &str, pointer: &str) -> Option<(&'a Value, String)> {
    value.get(key).map(|child| (child, push_pointer(pointer, key)))
}

fn narrow_document(document: &Value) -> Option<Failure> {
    let paths = child(document, "paths", "")
        .and_then(|(paths, at)| each_entry(paths, &at, |item, at| narrow::<openapiv3::PathItem>(item, at, path_item)));
    let schemas = child(document, "components", "")
        .and_then(|(components, at)| child(components, "schemas", &at))
        .and_then(|(schemas, at)| {
            each_entry(schemas, &at, |schema, at| narrow::<openapiv3::Schema>(schema, at, schema_parts))
        });
    paths.or(schemas)
}

fn path_item(item: &Value, pointer: &str) -> Option<Failure> {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let operations = METHODS.iter().find_map(|method| {
        let (operation, at) = child(item, method, pointer)?;
        narrow::<openapiv3::Operation>(operation, &at, operation_parts)
    });
    operations.or_else(|| parameters(item, pointer))
}

fn parameters(owner: &Value, pointer: &str) -> Option<Failure> {
    let (list, at) = child(owner, "parameters", pointer)?;
    each_entry(list, &at, |parameter, at| {
        narrow::<openapiv3::ReferenceOr<openapiv3::Parameter>>(parameter, at, |parameter, at| {
            let (schema, at) = child(parameter, "schema", at)?;
            narrow::<openapiv3::Schema>(schema, &at, schema_parts)
        })
    })
}

fn operation_parts(operation: &Value, pointer: &str) -> Option<Failure> {
    let body = child(operation, "requestBody", pointer)
        .and_then(|(body, at)| narrow::<openapiv3::RequestBody>(body, &at, content));
    let responses = child(operation, "responses", pointer).and_then(|(responses, at)| {
        each_entry(responses, &at, |response, at| narrow::<openapiv3::Response>(response, at, content))
    });
    parameters(operation, pointer).or(body).or(responses)
}

fn content(owner: &Value, pointer: &str) -> Option<Failure> {
    let (media_types, at) = child(owner, "content", pointer)?;
    each_entry(media_types, &at, |media, at| {
        narrow::<openapiv3::MediaType>(media, at, |media, at| {
            let (schema, at) = child(media, "schema", at)?;
            narrow::<openapiv3::Schema>(schema, &at, schema_parts)
        })
    })
}

fn schema_parts(schema: &Value, pointer: &str) -> Option<Failure> {
    let nested = |key: &str| {
        let (value, at) = child(schema, key, pointer)?;
        match key {
            "properties" => each_entry(value, &at, |s, at| narrow::<openapiv3::Schema>(s, at, schema_parts)),
            "allOf" | "oneOf" | "anyOf" => {
                each_entry(value, &at, |s, at| narrow::<openapiv3::Schema>(s, at, schema_parts))
            }
            "additionalProperties" if value.is_boolean() => None,
            _ => narrow::<openapiv3::Schema>(value, &at, schema_parts),
        }
    };
    ["properties", "items", "additionalProperties", "allOf", "oneOf", "anyOf", "not"].into_iter().find_map(nested)
}
