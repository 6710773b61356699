//! Stage 1: read the root file and every file it reaches through relative
//! `$ref`s, and bundle them into one self-contained document.
//!
//! Bundling rules, chosen so later stages see one ordinary OpenAPI document:
//! - a `$ref` in schema position is hoisted: the target becomes a component
//!   under `#/components/schemas/<Name>` (named after the root's component
//!   entry, else the pointer's last token, else the file stem) and the
//!   reference is rewritten to point there. Recursive schemas stay finite.
//! - any other `$ref` (path items, parameters, responses, bodies, headers,
//!   examples) is inlined; sibling keys written next to it override the target.
//! - a schema `$ref` with sibling keys (`nullable`, `description`, ...) becomes
//!   `allOf: [{$ref}]` plus those keys, so the siblings are not lost.
//!
//! The stage never touches the filesystem itself: files come from a
//! [`SpecSource`]. A [`SourceMap`] remembers where each bundled node came
//! from, so later stages can name the original file and pointer.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::diagnostics::{push_pointer, Diagnostic, Location, SpecErrors};

/// Deepest nesting accepted in a file and in the bundled document. Real
/// specs stay far below it (SailPoint's deepest file nests 16 levels).
pub const MAX_DEPTH: usize = 100;

/// Where spec files come from. Paths are relative to the folder of the root
/// file, `/`-separated and normalised (no `.` or `..` tokens).
pub trait SpecSource {
    /// Reads one file as text.
    fn read(&self, path: &str) -> Result<String, String>;

    /// How a path is shown in diagnostics (e.g. with the spec folder prefixed).
    fn display(&self, path: &str) -> String {
        path.to_owned()
    }
}

/// An in-memory spec, for tests and fuzzing.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    files: BTreeMap<String, String>,
}

impl MemorySource {
    /// Builds a source from `(path, contents)` pairs.
    pub fn new<P: Into<String>, C: Into<String>>(files: impl IntoIterator<Item = (P, C)>) -> Self {
        let files = files.into_iter().map(|(p, c)| (p.into(), c.into())).collect();
        Self { files }
    }
}

impl SpecSource for MemorySource {
    fn read(&self, path: &str) -> Result<String, String> {
        self.files.get(path).cloned().ok_or_else(|| "no such file".to_owned())
    }
}

/// The bundled document and where its parts came from.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// One self-contained OpenAPI document; every `$ref` left in it is local.
    pub document: Value,
    /// Maps pointers in `document` back to files and pointers of the input.
    pub source_map: SourceMap,
}

/// Maps a pointer in the bundled document to the file and pointer it came from.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// Bundled pointer of a subtree's root → where that subtree was read from.
    roots: BTreeMap<String, Location>,
}

impl SourceMap {
    /// The input location of a node of the bundled document.
    pub fn locate(&self, pointer: &str) -> Location {
        let mut prefix = pointer;
        loop {
            if let Some(origin) = self.roots.get(prefix) {
                let rest = &pointer[prefix.len()..];
                return Location { file: origin.file.clone(), pointer: format!("{}{rest}", origin.pointer) };
            }
            match prefix.rfind('/') {
                Some(cut) => prefix = &prefix[..cut],
                None => return Location { file: String::new(), pointer: pointer.to_owned() },
            }
        }
    }

    fn insert(&mut self, bundled: String, origin: Location) {
        self.roots.insert(bundled, origin);
    }
}

/// What `$ref`s may reach.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Follow relative paths that leave the root file's folder, and absolute
    /// paths. Off by default: a spec cannot make the generator read
    /// arbitrary files. URLs are never followed (the generator has no network).
    pub allow_outside_root: bool,
}

/// Reads `root` and everything it references into one document; `$ref`s
/// stay inside the root file's folder.
pub fn load(source: &dyn SpecSource, root: &str) -> Result<LoadedSpec, SpecErrors> {
    load_with(source, root, LoadOptions::default())
}

/// [`load`] with explicit [`LoadOptions`].
pub fn load_with(source: &dyn SpecSource, root: &str, options: LoadOptions) -> Result<LoadedSpec, SpecErrors> {
    let mut bundler = Bundler {
        source,
        options,
        root: root.to_owned(),
        files: BTreeMap::new(),
        root_components: BTreeMap::new(),
        schema_names: BTreeMap::new(),
        taken_names: BTreeSet::new(),
        hoisted: BTreeMap::new(),
        inlining: Vec::new(),
        source_map: SourceMap::default(),
        errors: Vec::new(),
    };
    let here = Cursor { file: root.to_owned(), pointer: String::new(), out: String::new(), depth: 0 };
    let Some(document) = bundler.file(root, &here) else {
        return Err(SpecErrors(bundler.errors));
    };
    bundler.source_map.insert(String::new(), Location { file: source.display(root), pointer: String::new() });
    bundler.reserve_component_names(&document);
    let mut bundled = bundler.walk(&document, Context::Document, &here);
    bundler.attach_hoisted(&mut bundled);
    if bundler.errors.is_empty() {
        Ok(LoadedSpec { document: bundled, source_map: bundler.source_map })
    } else {
        Err(SpecErrors(bundler.errors))
    }
}

/// What kind of node is being walked; decides what a `$ref` in it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Any OpenAPI object that is not a schema: `$ref`s are inlined.
    Document,
    /// A schema: `$ref`s are hoisted into components.
    Schema,
    /// A map whose values are schemas (`properties`, `components/schemas`).
    SchemaMap,
    /// A list whose items are schemas (`allOf`, `oneOf`, `anyOf`).
    SchemaList,
    /// Data (examples, defaults, enums, extensions): copied as is.
    Literal,
}

impl Context {
    fn child(self, parent_pointer: &str, key: &str) -> Context {
        match self {
            Context::Literal => Context::Literal,
            Context::SchemaMap | Context::SchemaList => Context::Schema,
            Context::Schema => match key {
                "properties" => Context::SchemaMap,
                "items" | "additionalProperties" | "not" => Context::Schema,
                "allOf" | "oneOf" | "anyOf" => Context::SchemaList,
                _ => Context::Literal,
            },
            Context::Document => match key {
                "schema" => Context::Schema,
                "schemas" if parent_pointer == "/components" => Context::SchemaMap,
                "example" | "default" | "value" => Context::Literal,
                _ if key.starts_with("x-") => Context::Literal,
                _ => Context::Document,
            },
        }
    }
}

/// Where the walk is: which file, where in it, and where in the output.
#[derive(Debug, Clone)]
struct Cursor {
    file: String,
    pointer: String,
    out: String,
    depth: usize,
}

impl Cursor {
    fn child(&self, key: &str) -> Cursor {
        Cursor {
            file: self.file.clone(),
            pointer: push_pointer(&self.pointer, key),
            out: push_pointer(&self.out, key),
            depth: self.depth + 1,
        }
    }
}

/// A `$ref` target: a normalised file path and a pointer inside it.
type Target = (String, String);

struct Bundler<'a> {
    source: &'a dyn SpecSource,
    options: LoadOptions,
    root: String,
    /// Parsed files, shared rather than copied per reference; `None` when
    /// reading or parsing failed (reported once).
    files: BTreeMap<String, Option<Rc<Value>>>,
    /// Files the root's `components/schemas` names, with those names.
    root_components: BTreeMap<Target, String>,
    /// Schema targets already given a component name.
    schema_names: BTreeMap<Target, String>,
    taken_names: BTreeSet<String>,
    /// Component schemas created by hoisting, by name.
    hoisted: BTreeMap<String, Value>,
    /// Targets being inlined right now, to catch circular references.
    inlining: Vec<Target>,
    source_map: SourceMap,
    errors: Vec<Diagnostic>,
}

impl Bundler<'_> {
    fn error(&mut self, at: &Cursor, message: impl Into<String>) {
        let location = Location { file: self.source.display(&at.file), pointer: at.pointer.clone() };
        self.errors.push(Diagnostic { location, message: message.into() });
    }

    /// Reads and parses a file once; reports failure at the referencing node.
    fn file(&mut self, path: &str, at: &Cursor) -> Option<Rc<Value>> {
        if let Some(parsed) = self.files.get(path) {
            return parsed.clone();
        }
        let parsed = match self.source.read(path) {
            Err(reason) => {
                self.error(at, format!("cannot read `{}`: {reason}", self.source.display(path)));
                None
            }
            Ok(text) => match parse_yaml(&text) {
                Ok(value) => Some(Rc::new(value)),
                Err(message) => {
                    let location = Location { file: self.source.display(path), pointer: String::new() };
                    self.errors.push(Diagnostic { location, message });
                    None
                }
            },
        };
        self.files.insert(path.to_owned(), parsed.clone());
        parsed
    }

    /// Component names the root declares for external files win over stems.
    fn reserve_component_names(&mut self, root: &Value) {
        let Some(schemas) = root.pointer("/components/schemas").and_then(Value::as_object) else {
            return;
        };
        for (name, schema) in schemas {
            self.taken_names.insert(name.clone());
            if let Some(reference) = lone_ref(schema) {
                if let Ok(target) = resolve_ref(&self.root, reference, self.options) {
                    if target.0 != self.root {
                        self.root_components.entry(target).or_insert_with(|| name.clone());
                    }
                }
            }
        }
    }

    fn walk(&mut self, node: &Value, context: Context, at: &Cursor) -> Value {
        if at.depth > MAX_DEPTH {
            self.error(at, format!("nesting deeper than {MAX_DEPTH} levels"));
            return Value::Null;
        }
        match node {
            Value::Object(map) if context != Context::Literal => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    return self.reference(reference, map, context, at);
                }
                let mut out = Map::new();
                for (key, value) in map {
                    let child_context = context.child(&at.pointer, key);
                    let walked = if at.out == "/components/schemas" && at.file == self.root {
                        self.root_component(key, value, &at.child(key))
                    } else {
                        self.walk(value, child_context, &at.child(key))
                    };
                    out.insert(key.clone(), walked);
                }
                Value::Object(out)
            }
            Value::Array(items) if context != Context::Literal => {
                let child_context = context.child(&at.pointer, "");
                let walked = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| self.walk(item, child_context, &at.child(&index.to_string())))
                    .collect();
                Value::Array(walked)
            }
            other => other.clone(),
        }
    }

    /// A root `components/schemas` entry that only points at a file takes the
    /// file's content in place, under the root's name.
    fn root_component(&mut self, name: &str, value: &Value, at: &Cursor) -> Value {
        if let Some(reference) = lone_ref(value) {
            if let Ok(target) = resolve_ref(&at.file, reference, self.options) {
                if target.0 != self.root && self.root_components.get(&target).map(String::as_str) == Some(name) {
                    if let Some(node) = self.target_node(&target, at) {
                        let inner = Cursor {
                            file: target.0.clone(),
                            pointer: target.1.clone(),
                            out: at.out.clone(),
                            depth: at.depth + 1,
                        };
                        self.map_origin(&inner);
                        return self.walk(&node, Context::Schema, &inner);
                    }
                    return Value::Null;
                }
            }
        }
        self.walk(value, Context::Schema, at)
    }

    fn reference(&mut self, reference: &str, map: &Map<String, Value>, context: Context, at: &Cursor) -> Value {
        let siblings: Map<String, Value> =
            map.iter().filter(|(k, _)| *k != "$ref").map(|(k, v)| (k.clone(), v.clone())).collect();
        let target = match resolve_ref(&at.file, reference, self.options) {
            Ok(target) => target,
            Err(reason) => {
                self.error(&at.child("$ref"), format!("cannot follow `$ref: {reference}`: {reason}"));
                return Value::Null;
            }
        };
        match context {
            Context::Schema => {
                let local = if target.0 == self.root && target.1.starts_with("/components/schemas/") {
                    // Already a component of the bundled document.
                    self.target_node(&target, at).map(|_| format!("#{}", target.1))
                } else {
                    self.hoist(&target, at).map(|name| format!("#{}", push_pointer("/components/schemas", &name)))
                };
                let Some(local) = local else { return Value::Null };
                let reference = Value::Object(Map::from_iter([("$ref".to_owned(), Value::String(local))]));
                if siblings.is_empty() {
                    return reference;
                }
                let mut wrapped = Map::new();
                wrapped.insert("allOf".to_owned(), Value::Array(vec![reference]));
                for (key, value) in &siblings {
                    let walked = self.walk(value, Context::Schema.child(&at.pointer, key), &at.child(key));
                    wrapped.insert(key.clone(), walked);
                }
                Value::Object(wrapped)
            }
            _ => self.inline(&target, &siblings, context, at),
        }
    }

    fn target_node(&mut self, target: &Target, at: &Cursor) -> Option<Value> {
        let document = self.file(&target.0, at)?;
        let node = document.pointer(&target.1).cloned();
        if node.is_none() {
            let shown = self.source.display(&target.0);
            self.error(&at.child("$ref"), format!("`$ref` target `{shown}#{}` does not exist", target.1));
        }
        node
    }

    /// Gives a schema target a component name and bundles it once.
    fn hoist(&mut self, target: &Target, at: &Cursor) -> Option<String> {
        if let Some(name) = self.root_components.get(target) {
            // The root's own `components/schemas` entry bundles it in place.
            return Some(name.clone());
        }
        let name = match self.schema_names.get(target) {
            Some(name) => name.clone(),
            None => {
                let name = self.fresh_name(target);
                self.schema_names.insert(target.clone(), name.clone());
                name
            }
        };
        if self.hoisted.contains_key(&name) {
            return Some(name);
        }
        let node = self.target_node(target, at)?;
        // Insert a placeholder first so recursive references stop here.
        self.hoisted.insert(name.clone(), Value::Null);
        let inner = Cursor {
            file: target.0.clone(),
            pointer: target.1.clone(),
            out: push_pointer("/components/schemas", &name),
            depth: at.depth + 1,
        };
        self.map_origin(&inner);
        let walked = self.walk(&node, Context::Schema, &inner);
        self.hoisted.insert(name.clone(), walked);
        Some(name)
    }

    fn fresh_name(&mut self, target: &Target) -> String {
        let from_pointer = target.1.rsplit('/').next().filter(|token| !token.is_empty());
        let stem = target.0.rsplit('/').next().unwrap_or(&target.0);
        let stem = stem.split('.').next().unwrap_or(stem);
        let base = from_pointer.unwrap_or(stem).replace("~1", "/").replace("~0", "~");
        let mut name = base.clone();
        let mut suffix = 2;
        while !self.taken_names.insert(name.clone()) {
            name = format!("{base}{suffix}");
            suffix += 1;
        }
        name
    }

    fn inline(&mut self, target: &Target, siblings: &Map<String, Value>, context: Context, at: &Cursor) -> Value {
        if self.inlining.contains(target) {
            let shown = self.source.display(&target.0);
            self.error(&at.child("$ref"), format!("circular `$ref` to `{shown}#{}`", target.1));
            return Value::Null;
        }
        let Some(node) = self.target_node(target, at) else { return Value::Null };
        self.inlining.push(target.clone());
        let inner =
            Cursor { file: target.0.clone(), pointer: target.1.clone(), out: at.out.clone(), depth: at.depth + 1 };
        self.map_origin(&inner);
        let mut walked = self.walk(&node, context, &inner);
        self.inlining.pop();
        if let Value::Object(out) = &mut walked {
            for (key, value) in siblings {
                let walked_sibling = self.walk(value, context.child(&at.pointer, key), &at.child(key));
                out.insert(key.clone(), walked_sibling);
            }
        }
        walked
    }

    fn map_origin(&mut self, at: &Cursor) {
        let origin = Location { file: self.source.display(&at.file), pointer: at.pointer.clone() };
        self.source_map.insert(at.out.clone(), origin);
    }

    fn attach_hoisted(&mut self, document: &mut Value) {
        if self.hoisted.is_empty() {
            return;
        }
        let Value::Object(root) = document else { return };
        let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(components) = components else { return };
        let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(schemas) = schemas else { return };
        for (name, schema) in std::mem::take(&mut self.hoisted) {
            schemas.entry(name).or_insert(schema);
        }
    }
}

/// The target of an object that is nothing but a `$ref`.
fn lone_ref(value: &Value) -> Option<&str> {
    let map = value.as_object()?;
    if map.len() != 1 {
        return None;
    }
    map.get("$ref")?.as_str()
}

/// Resolves a `$ref` written in `from` to a normalised file path and pointer.
/// Only relative references inside the spec folder are followed.
fn resolve_ref(from: &str, reference: &str, options: LoadOptions) -> Result<Target, String> {
    let (file_part, fragment) = match reference.split_once('#') {
        Some((file, fragment)) => (file, fragment),
        None => (reference, ""),
    };
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return Err("the part after `#` must be a JSON pointer starting with `/`".to_owned());
    }
    let fragment = percent_decode(fragment);
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
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for token in file_part.split('/') {
        match token {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if options.allow_outside_root => parts.push(".."),
                _ => return Err("the path leaves the spec folder, which is not allowed unless asked for".to_owned()),
            },
            other => parts.push(other),
        }
    }
    Ok((parts.join("/"), fragment))
}

/// `$ref` fragments are URI fragments: `%25` and friends must be decoded.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[index + 1]), hex(bytes[index + 2])) {
                out.push((high * 16 + low) as u8);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses YAML (or JSON, a subset of it) into a JSON value. Map keys that YAML
/// reads as numbers or booleans (`200:`) become strings, as OpenAPI means them.
fn parse_yaml(text: &str) -> Result<Value, String> {
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
    fn resolves_relative_paths_inside_the_spec_folder() {
        let inside = LoadOptions::default();
        assert_eq!(
            resolve_ref("paths/a.yaml", "../schemas/B.yaml", inside),
            Ok(("schemas/B.yaml".into(), String::new()))
        );
        assert_eq!(resolve_ref("root.yaml", "./x/y.yaml#/a~1b", inside), Ok(("x/y.yaml".into(), "/a~1b".into())));
        assert_eq!(resolve_ref("a/b.yaml", "#/c", inside), Ok(("a/b.yaml".into(), "/c".into())));
        assert_eq!(resolve_ref("a/b.yaml", "#/a%20b", inside), Ok(("a/b.yaml".into(), "/a b".into())));
        assert!(resolve_ref("root.yaml", "../outside.yaml", inside).is_err());
        assert!(resolve_ref("a/b.yaml", "../../outside.yaml", inside).is_err());
        assert!(resolve_ref("root.yaml", "/etc/passwd", inside).is_err());
        assert!(resolve_ref("root.yaml", "https://example.com/x.yaml", inside).is_err());
    }

    #[test]
    fn outside_references_only_when_allowed() {
        let allowed = LoadOptions { allow_outside_root: true };
        assert_eq!(
            resolve_ref("root.yaml", "../shared/x.yaml", allowed),
            Ok(("../shared/x.yaml".into(), String::new()))
        );
        assert_eq!(resolve_ref("a/b.yaml", "../../../x.yaml", allowed), Ok(("../../x.yaml".into(), String::new())));
        assert_eq!(resolve_ref("root.yaml", "/abs/x.yaml", allowed), Ok(("/abs/x.yaml".into(), String::new())));
        assert!(resolve_ref("root.yaml", "https://example.com/x.yaml", allowed).is_err());
    }

    #[test]
    fn source_map_finds_the_longest_prefix() {
        let mut map = SourceMap::default();
        map.insert(String::new(), Location { file: "root.yaml".into(), pointer: String::new() });
        map.insert("/paths/~1a".into(), Location { file: "paths/a.yaml".into(), pointer: String::new() });
        let found = map.locate("/paths/~1a/get/parameters/0");
        assert_eq!(found.to_string(), "paths/a.yaml#/get/parameters/0");
        assert_eq!(map.locate("/info").to_string(), "root.yaml#/info");
    }
}
