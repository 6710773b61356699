//! Stage 2: the bundled JSON document as typed `openapiv3` structures.

use crate::diagnostics::{push_pointer, Diagnostic, SpecErrors};
use crate::load::LoadedSpec;

/// Deserialises the bundled document; a shape error names the file and
/// pointer of the node that did not fit the OpenAPI 3.0 schema.
pub fn parse(loaded: &LoadedSpec) -> Result<openapiv3::OpenAPI, SpecErrors> {
    if loaded.document.get("openapi").and_then(|v| v.as_str()).is_none_or(|v| !v.starts_with("3.0")) {
        let location = loaded.source_map.locate("/openapi");
        let message = "only OpenAPI 3.0 documents are supported (`openapi: 3.0.x`)".to_owned();
        return Err(SpecErrors(vec![Diagnostic { location, message }]));
    }
    serde_path_to_error::deserialize(&loaded.document).map_err(|error| {
        let mut pointer = String::new();
        for segment in error.path().iter() {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => pointer = push_pointer(&pointer, &index.to_string()),
                Segment::Map { key } => pointer = push_pointer(&pointer, key),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        let location = loaded.source_map.locate(&pointer);
        let message = format!("not a valid OpenAPI 3.0 node: {}", error.inner());
        SpecErrors(vec![Diagnostic { location, message }])
    })
}
