//! Files: reading each once, parsing YAML or JSON, and resolving `$ref`
//! paths against the spec root.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::{LoadOptions, SpecSource, MAX_DEPTH};
use crate::diagnostics::{Diagnostic, Kind, Location};

/// A `$ref` target: a normalised file path and a pointer inside it.
pub(super) type Target = (String, String);

/// Every file the spec reaches, read and parsed once and shared.
pub(super) struct Files<'a> {
    pub(super) source: &'a dyn SpecSource,
    /// `None` when reading or parsing failed (reported once).
    parsed: BTreeMap<String, Option<Rc<Value>>>,
    /// Files that cannot be read or parsed: these stop generation.
    pub(super) fatal: Vec<Diagnostic>,
}

impl<'a> Files<'a> {
    pub(super) fn new(source: &'a dyn SpecSource) -> Self {
        Self { source, parsed: BTreeMap::new(), fatal: Vec::new() }
    }

    /// Reads and parses a file once; a failure is reported at `referrer`.
    /// Only the root file's absence stops generation: a file a `$ref` names
    /// that is not there is a reference that cannot be followed, which the
    /// caller reports where it is (`None` here, nothing fatal).
    pub(super) fn get(&mut self, path: &str, referrer: &Location) -> Option<Rc<Value>> {
        if let Some(parsed) = self.parsed.get(path) {
            return parsed.clone();
        }
        let root = self.parsed.is_empty();
        let parsed = match self.source.read(path) {
            Err(reason) if root => {
                let message = format!("cannot read `{}`: {reason}", self.source.display(path));
                self.fatal.push(Diagnostic::new(Kind::Fatal, referrer.clone(), message));
                None
            }
            Err(_) => None,
            Ok(text) => match parse_yaml(&text) {
                Ok(value) => Some(Rc::new(value)),
                Err(message) => {
                    let location = Location { file: self.source.display(path), pointer: String::new() };
                    self.fatal.push(Diagnostic::new(Kind::Fatal, location, message));
                    None
                }
            },
        };
        self.parsed.insert(path.to_owned(), parsed.clone());
        parsed
    }
}

/// The target of an object that is nothing but a `$ref`.
pub(super) fn lone_ref(value: &Value) -> Option<&str> {
    let map = value.as_object()?;
    if map.len() != 1 {
        return None;
    }
    map.get("$ref")?.as_str()
}

/// Resolves a `$ref` written in `from` to a normalised file path and pointer.
/// Only relative paths are followed, and only as far up as the spec root.
pub(super) fn resolve_ref(from: &str, reference: &str, options: LoadOptions) -> Result<Target, String> {
    let (file_part, fragment) = match reference.split_once('#') {
        Some((file, fragment)) => (file, fragment),
        None => (reference, ""),
    };
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return Err("the part after `#` must be a JSON pointer starting with `/`".to_owned());
    }
    // A `$ref` is a URI reference: both parts may be percent-encoded.
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy().into_owned();
    if file_part.is_empty() {
        return Ok((from.to_owned(), fragment));
    }
    if file_part.contains("://") || file_part.starts_with("//") {
        return Err("URLs are not followed; only relative file paths are".to_owned());
    }
    let absolute = file_part.starts_with('/') || file_part.starts_with('\\') || file_part.chars().nth(1) == Some(':');
    if absolute {
        if options.allow_outside_root {
            return Ok((file_part.to_owned(), fragment));
        }
        return Err("absolute paths are not followed unless allowed; only relative file paths are".to_owned());
    }
    let file_part = percent_encoding::percent_decode_str(file_part).decode_utf8_lossy();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for token in file_part.split('/') {
        match token {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                // Every `..` left in `parts` climbs one folder above the root file's.
                _ if options.allow_outside_root || parts.len() < options.spec_root_up => parts.push(".."),
                _ => return Err("the path leaves the spec root, which is not allowed unless asked for".to_owned()),
            },
            other => parts.push(other),
        }
    }
    Ok((parts.join("/"), fragment))
}

/// Parses YAML (or JSON, a subset of it) into a JSON value. Map keys that YAML
/// reads as numbers or booleans (`200:`) become strings, as OpenAPI means them.
///
/// Text that is a JSON document is read as JSON first: JSON allows what the
/// YAML parser refuses, such as C1 control characters in strings and
/// integers past 64 bits (read as the nearest float).
pub(super) fn parse_yaml(text: &str) -> Result<Value, String> {
    if text.trim_start_matches('\u{feff}').trim_start().starts_with(['{', '[']) {
        if let Ok(value) = serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')) {
            return Ok(value);
        }
    }
    // The YAML parser slows down quadratically on deeply nested flow
    // collections (`[[[[...`), so refuse them before parsing.
    if let Some(line) = flow_nesting_beyond(text, MAX_DEPTH) {
        return Err(format!("invalid YAML at line {line}: `[`/`{{` nested deeper than {MAX_DEPTH} levels"));
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| match error.location() {
        Some(at) => format!("invalid YAML at line {}, column {}: {error}", at.line(), at.column()),
        None => format!("invalid YAML: {error}"),
    })?;
    yaml_to_json(yaml, 0)
}

/// The line on which flow collections (`[`, `{`) outside quotes and
/// comments first nest deeper than `limit`, if they do.
fn flow_nesting_beyond(text: &str, limit: usize) -> Option<usize> {
    let (mut depth, mut line) = (0usize, 1usize);
    let mut chars = text.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '#' if previous.is_whitespace() => {
                while chars.peek().is_some_and(|&next| next != '\n') {
                    chars.next();
                }
            }
            '"' | '\'' if previous.is_whitespace() || "[{,:".contains(previous) => {
                while let Some(inner) = chars.next() {
                    match inner {
                        '\\' if c == '"' => {
                            chars.next();
                        }
                        '\n' => line += 1,
                        _ if inner == c => break,
                        _ => {}
                    }
                }
            }
            '[' | '{' => {
                depth += 1;
                if depth > limit {
                    return Some(line);
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
    }
    None
}

fn yaml_to_json(yaml: serde_yaml::Value, depth: usize) -> Result<Value, String> {
    use serde_yaml::Value as Yaml;
    if depth > MAX_DEPTH {
        return Err(format!("nesting deeper than {MAX_DEPTH} levels"));
    }
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => {
            Value::Array(items.into_iter().map(|item| yaml_to_json(item, depth + 1)).collect::<Result<_, _>>()?)
        }
        Yaml::Mapping(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Null => "null".to_owned(),
                    other => return Err(format!("unsupported map key `{other:?}`: keys must be strings")),
                };
                out.insert(key, yaml_to_json(value, depth + 1)?);
            }
            Value::Object(out)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value, depth + 1)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_read_as_json_with_what_yaml_refuses() {
        // A C1 control character in a string, and integers past 64 bits.
        let text = "{\"a\": \"x\u{0085}y\", \"max\": 18446744073709552000, \"min\": -9223372036854776000, \"n\": 7}";
        assert!(serde_yaml::from_str::<serde_yaml::Value>(text).is_err(), "the YAML parser refuses it");
        let value = parse_yaml(text).unwrap();
        assert_eq!(value["a"], "x\u{0085}y");
        assert_eq!(value["max"].as_f64(), Some(18_446_744_073_709_552_000.0));
        assert_eq!(value["min"].as_f64(), Some(-9_223_372_036_854_776_000.0));
        assert_eq!(value["n"], 7);
        // Text that starts like JSON but is YAML's flow style still reads as YAML.
        assert_eq!(parse_yaml("{a: 1}").unwrap()["a"], 1);
    }

    #[test]
    fn resolves_relative_paths_inside_the_spec_folder() {
        let inside = LoadOptions::default();
        assert_eq!(
            resolve_ref("paths/a.yaml", "../schemas/B.yaml", inside),
            Ok(("schemas/B.yaml".into(), String::new()))
        );
        assert_eq!(resolve_ref("root.yaml", "./x/y.yaml#/a~1b", inside), Ok(("x/y.yaml".into(), "/a~1b".into())));
        assert_eq!(resolve_ref("a/b.yaml", "#/c", inside), Ok(("a/b.yaml".into(), "/c".into())));
        assert_eq!(resolve_ref("a/b.yaml", "#/a%20b", inside), Ok(("a/b.yaml".into(), "/a b".into())));
        assert_eq!(resolve_ref("root.yaml", "my%20file.yaml", inside), Ok(("my file.yaml".into(), String::new())));
        assert!(resolve_ref("root.yaml", "../outside.yaml", inside).is_err());
        assert!(resolve_ref("a/b.yaml", "../../outside.yaml", inside).is_err());
        assert!(resolve_ref("root.yaml", "/etc/passwd", inside).is_err());
        assert!(resolve_ref("root.yaml", "https://example.com/x.yaml", inside).is_err());
    }

    #[test]
    fn the_spec_root_bounds_how_far_up_references_reach() {
        let one_up = LoadOptions { spec_root_up: 1, ..LoadOptions::default() };
        assert_eq!(
            resolve_ref("openapi.yaml", "../shared/x.yaml#/a", one_up),
            Ok(("../shared/x.yaml".into(), "/a".into()))
        );
        assert_eq!(
            resolve_ref("../shared/x.yaml", "../shared/y.yaml", one_up),
            Ok(("../shared/y.yaml".into(), String::new()))
        );
        assert_eq!(
            resolve_ref("paths/p.yaml", "../../shared/x.yaml", one_up),
            Ok(("../shared/x.yaml".into(), String::new()))
        );
        assert!(resolve_ref("openapi.yaml", "../../x.yaml", one_up).is_err());
        assert!(resolve_ref("../shared/x.yaml", "../../x.yaml", one_up).is_err());
        assert!(resolve_ref("openapi.yaml", "/abs/x.yaml", one_up).is_err());
    }

    #[test]
    fn outside_references_only_when_allowed() {
        let allowed = LoadOptions { allow_outside_root: true, ..LoadOptions::default() };
        assert_eq!(
            resolve_ref("root.yaml", "../shared/x.yaml", allowed),
            Ok(("../shared/x.yaml".into(), String::new()))
        );
        assert_eq!(resolve_ref("a/b.yaml", "../../../x.yaml", allowed), Ok(("../../x.yaml".into(), String::new())));
        assert_eq!(resolve_ref("root.yaml", "/abs/x.yaml", allowed), Ok(("/abs/x.yaml".into(), String::new())));
        assert!(resolve_ref("root.yaml", "https://example.com/x.yaml", allowed).is_err());
    }
}
