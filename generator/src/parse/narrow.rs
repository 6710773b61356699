//! Finding the node that makes a document fail to deserialise.
//!
//! `openapiv3` flattens maps (paths, responses, schema kinds), which hides
//! where inside them deserialisation failed: these functions find the
//! deepest node that fails on its own.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::push_pointer;

/// A node that does not fit the OpenAPI 3.0 schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Failure {
    /// Its pointer in the bundled document.
    pub(super) pointer: String,
    /// What was wrong with it.
    pub(super) message: String,
    /// Whether the node is a schema (which can stand for any value instead).
    pub(super) is_schema: bool,
}

/// Deserialises `value` as `T`; a failure names the node it happened at.
pub(super) fn deserialize_at<T: DeserializeOwned>(value: &Value, pointer: &str) -> Result<T, Failure> {
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
        Failure { pointer: at, message: error.into_inner().to_string(), is_schema: false }
    })
}

/// The deepest failing node under `paths` or `components/schemas`, if the
/// failure is there.
pub(super) fn narrow_document(document: &Value) -> Option<Failure> {
    let paths = child(document, "paths", "")
        .and_then(|(paths, at)| each_entry(paths, &at, |item, at| narrow::<openapiv3::PathItem>(item, at, path_item)));
    let schemas = child(document, "components", "")
        .and_then(|(components, at)| child(components, "schemas", &at))
        .and_then(|(schemas, at)| each_entry(schemas, &at, schema));
    paths.or(schemas)
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
            let (value, at) = child(parameter, "schema", at)?;
            schema(value, &at)
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
            let (value, at) = child(media, "schema", at)?;
            schema(value, &at)
        })
    })
}

/// A failing schema, or the deepest failing schema inside it.
fn schema(value: &Value, pointer: &str) -> Option<Failure> {
    let failure = deserialize_at::<openapiv3::ReferenceOr<openapiv3::Schema>>(value, pointer).err()?;
    let nested = |key: &str| {
        let (value, at) = child(value, key, pointer)?;
        match key {
            "properties" | "allOf" | "oneOf" | "anyOf" => each_entry(value, &at, schema),
            "additionalProperties" if value.is_boolean() => None,
            _ => schema(value, &at),
        }
    };
    let deeper =
        ["properties", "items", "additionalProperties", "allOf", "oneOf", "anyOf", "not"].into_iter().find_map(nested);
    // The schema itself stands in for the failure unless a part of it fails alone.
    Some(deeper.unwrap_or(Failure { pointer: pointer.to_owned(), message: failure.message, is_schema: true }))
}
