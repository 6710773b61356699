//! Stage 2: the bundled JSON document as typed `openapiv3` structures.
//!
//! Only a document that is not Swagger 2.0 or OpenAPI 3.0, 3.1 or 3.2 stops
//! here (the others are read as 3.0, their differences repaired). Everything else is
//! kept as far as it can be: [`repair`] first fixes what real specs get
//! wrong in known ways (Swagger 2 habits, JSON Schema forms OpenAPI 3.0 does
//! not have) and drops the parts codegen never reads, then every node that
//! still does not deserialise is given up alone, the smallest unit that
//! holds it: a schema becomes "any JSON value", an operation is left out,
//! a component or list entry is dropped. Each with a warning.

mod narrow;
mod repair;

use serde_json::{Map, Value};

use crate::diagnostics::{pointer_tokens, Diagnostic, Kind, SpecErrors};
use crate::load::LoadedSpec;
use narrow::{deserialize_at, narrow_document, Failure};

/// The parsed spec, with what parsing repaired or gave up.
#[derive(Debug)]
pub struct Parsed {
    /// The spec as `openapiv3` sees it.
    pub spec: openapiv3::OpenAPI,
    /// Repairs made and parts dropped.
    pub warnings: Vec<Diagnostic>,
    /// Operations left out, each with the reason.
    pub skipped: Vec<Diagnostic>,
}

/// HTTP methods an OpenAPI path item can hold.
pub(crate) const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Deserialises the bundled document; fails only when it is not Swagger 2.0 or OpenAPI 3.0, 3.1 or 3.2.
pub fn parse(loaded: &LoadedSpec) -> Result<Parsed, SpecErrors> {
    let mut parsing = Parsing { loaded, warnings: Vec::new(), skipped: Vec::new() };
    let version = loaded.document.get("openapi").and_then(Value::as_str);
    let readable = |version: &str| ["3.0.", "3.1.", "3.2."].iter().any(|line| version.starts_with(line));
    let swagger = loaded.document.get("swagger").and_then(Value::as_str) == Some("2.0");
    if !loaded.document.is_object() || !(swagger || version.is_some_and(readable)) {
        let message = "only Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2 documents are supported \
                       (`swagger: \"2.0\"` or `openapi: 3.x.y`)";
        return Err(SpecErrors(vec![parsing.diagnostic(Kind::Fatal, "/openapi", message.to_owned())]));
    }
    let mut document = loaded.document.clone();
    repair::repair(&mut document, &mut |kind, pointer, message| {
        let diagnostic = parsing.diagnostic(kind, pointer, message);
        parsing.warnings.push(diagnostic);
    });
    loop {
        let failure = match deserialize_at::<openapiv3::OpenAPI>(&document, "") {
            Ok(spec) => return Ok(Parsed { spec, warnings: parsing.warnings, skipped: parsing.skipped }),
            Err(whole) => narrow_document(&document).unwrap_or(whole),
        };
        if !parsing.give_up(&mut document, &failure) {
            let message = format!("not a valid OpenAPI 3.0 document: {}", failure.message);
            return Err(SpecErrors(vec![parsing.diagnostic(Kind::Fatal, &failure.pointer, message)]));
        }
    }
}

struct Parsing<'a> {
    loaded: &'a LoadedSpec,
    warnings: Vec<Diagnostic>,
    skipped: Vec<Diagnostic>,
}

impl Parsing<'_> {
    fn diagnostic(&self, kind: Kind, pointer: &str, message: String) -> Diagnostic {
        Diagnostic::new(kind, self.loaded.source_map.locate(pointer), message)
    }

    /// Removes or replaces the smallest unit holding the failing node;
    /// `false` when there is none (the document itself is broken).
    fn give_up(&mut self, document: &mut Value, failure: &Failure) -> bool {
        let tokens = pointer_tokens(&failure.pointer);
        let reason = format!("not a valid OpenAPI 3.0 node: {}", failure.message);
        if failure.is_schema {
            let Some(node) = document.pointer_mut(&failure.pointer) else { return false };
            *node = Value::Object(Map::new());
            let message = format!("schema {reason}: typed as any JSON value");
            self.warnings.push(self.diagnostic(Kind::Loosened, &failure.pointer, message));
            return true;
        }
        match tokens.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["paths", path, method, ..] if METHODS.contains(method) => {
                let pointer = unit_pointer(&tokens[..3]);
                let message = format!("operation `{} {path}` left out: {reason}", method.to_ascii_uppercase());
                self.skipped.push(self.diagnostic(Kind::LeftOut, &failure.pointer, message));
                remove(document, &pointer)
            }
            ["paths", path, ..] => {
                let pointer = unit_pointer(&tokens[..2]);
                let methods: Vec<String> = METHODS
                    .iter()
                    .filter(|method| document.pointer(&pointer).and_then(|item| item.get(**method)).is_some())
                    .map(|method| method.to_ascii_uppercase())
                    .collect();
                let message = format!("path `{path}` left out with its operations {methods:?}: {reason}");
                self.skipped.push(self.diagnostic(Kind::LeftOut, &failure.pointer, message));
                remove(document, &pointer)
            }
            // A component, a tag, a server, a part of `info` (repair made
            // its title and version valid), or a top-level key of their own.
            ["components", _, _, ..] | ["tags" | "servers" | "info", _, ..] => {
                let pointer = unit_pointer(&tokens[..if tokens[0] == "components" { 3 } else { 2 }]);
                self.warnings.push(self.diagnostic(Kind::Dropped, &failure.pointer, format!("dropped: {reason}")));
                remove(document, &pointer)
            }
            [key, ..] if !["openapi", "info", "paths"].contains(key) => {
                let pointer = unit_pointer(&tokens[..1]);
                self.warnings.push(self.diagnostic(Kind::Dropped, &failure.pointer, format!("dropped: {reason}")));
                remove(document, &pointer)
            }
            _ => false,
        }
    }
}

fn unit_pointer(tokens: &[String]) -> String {
    tokens.iter().fold(String::new(), |pointer, token| crate::diagnostics::push_pointer(&pointer, token))
}

/// Removes the node at `pointer` from its parent; `false` if there is none.
fn remove(document: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else { return false };
    let last = crate::diagnostics::unescape_token(last);
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => map.shift_remove(&last).is_some(),
        Some(Value::Array(items)) => match last.parse::<usize>() {
            Ok(index) if index < items.len() => {
                items.remove(index);
                true
            }
            _ => false,
        },
        _ => false,
    }
}
