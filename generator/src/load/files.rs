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
    /// What reading changed: integers past 64 bits, read as floats.
    pub(super) warnings: Vec<Diagnostic>,
}

impl<'a> Files<'a> {
    pub(super) fn new(source: &'a dyn SpecSource) -> Self {
        Self { source, parsed: BTreeMap::new(), fatal: Vec::new(), warnings: Vec::new() }
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
                Ok(value) => {
                    let file = self.source.display(path);
                    for (pointer, number) in widened_integers(&value) {
                        let message = format!(
                            "an integer past 64 bits: read as the nearest float, {number:e}, as a JSON number may be"
                        );
                        let location = Location { file: file.clone(), pointer };
                        self.warnings.push(Diagnostic::new(Kind::Loosened, location, message));
                    }
                    Some(Rc::new(value))
                }
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

/// Where the value holds a whole number no 64-bit integer holds: an
/// integer of the text read as a float (JSON and YAML numbers have no size
/// limit; Rust's integers do). Pointers in document order.
fn widened_integers(value: &Value) -> Vec<(String, f64)> {
    fn walk(value: &Value, pointer: &mut String, found: &mut Vec<(String, f64)>) {
        match value {
            Value::Number(number) if number.is_f64() => {
                let float = number.as_f64().unwrap_or_default();
                if float.fract() == 0.0 && (float >= u64::MAX as f64 || float <= i64::MIN as f64) {
                    found.push((pointer.clone(), float));
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let length = pointer.len();
                    pointer.push_str(&format!("/{index}"));
                    walk(item, pointer, found);
                    pointer.truncate(length);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let length = pointer.len();
                    *pointer = crate::diagnostics::push_pointer(pointer, key);
                    walk(item, pointer, found);
                    pointer.truncate(length);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(value, &mut String::new(), &mut found);
    found
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
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde::de::DeserializeSeed::deserialize(JsonFromYaml { depth: 0 }, deserializer).map_err(|error| {
        match error.location() {
            Some(at) => format!("invalid YAML at line {}, column {}: {error}", at.line(), at.column()),
            None => format!("invalid YAML: {error}"),
        }
    })
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

/// A JSON value read from YAML by serde, as OpenAPI means it: integers of
/// any size (past 64 bits, the nearest float), map keys that YAML reads as
/// numbers, booleans or null as their text, tags dropped for their value.
struct JsonFromYaml {
    depth: usize,
}

impl JsonFromYaml {
    fn nested(&self) -> Self {
        Self { depth: self.depth + 1 }
    }

    fn check_depth<E: serde::de::Error>(&self) -> Result<(), E> {
        if self.depth > MAX_DEPTH {
            return Err(E::custom(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for JsonFromYaml {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for JsonFromYaml {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_i128<E>(self, value: i128) -> Result<Value, E> {
        Ok(i64::try_from(value).map_or_else(|_| float(value as f64), Value::from))
    }

    fn visit_u128<E>(self, value: u128) -> Result<Value, E> {
        Ok(u64::try_from(value).map_or_else(|_| float(value as f64), Value::from))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(float(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, deserializer)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.check_depth()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.nested())? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.check_depth()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(self.nested())? {
            let key = match key {
                Value::String(text) => text,
                Value::Number(number) => number.to_string(),
                Value::Bool(flag) => flag.to_string(),
                Value::Null => "null".to_owned(),
                other => {
                    let message = format!("unsupported map key `{other}`: keys must be strings");
                    return Err(serde::de::Error::custom(message));
                }
            };
            out.insert(key, map.next_value_seed(self.nested())?);
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!Tag value`): the tag is the variant.
        let (_tag, value): (serde::de::IgnoredAny, _) = data.variant()?;
        serde::de::VariantAccess::newtype_variant_seed(value, self.nested())
    }
}

/// A float as a JSON number; NaN and the infinities, which JSON lacks, as null.
fn float(value: f64) -> Value {
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
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
        let widened: Vec<String> = widened_integers(&value).into_iter().map(|(pointer, _)| pointer).collect();
        assert_eq!(widened, ["/max", "/min"]);
        assert_eq!(value["n"], 7);
        // YAML too has integers of any size.
        let value = parse_yaml(
            "max: 18446744073709551616\nhuge: 1000000000000000000000000000000000000000000\n200: ok\nt: !x 3",
        )
        .unwrap();
        assert_eq!(value["max"].as_f64(), Some(18_446_744_073_709_551_616.0));
        assert_eq!(value["huge"].as_f64(), Some(1e42));
        assert_eq!((value["200"].as_str(), value["t"].as_i64()), (Some("ok"), Some(3)));
        let widened: Vec<String> = widened_integers(&value).into_iter().map(|(pointer, _)| pointer).collect();
        assert_eq!(widened, ["/max", "/huge"]);
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
