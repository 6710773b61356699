//! The walk that bundles: every `$ref` is followed, schemas are hoisted
//! into `components/schemas`, everything else is inlined.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::files::{lone_ref, resolve_ref, Files, Target};
use super::names::ComponentNamer;
use super::{LoadOptions, SourceMap, MAX_DEPTH};
use crate::diagnostics::{push_pointer, Diagnostic, Kind, Location};

/// What kind of node is being walked; decides what a `$ref` in it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
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
                // `default` is a response here (`responses/default`), or a
                // server variable's string: walked, unlike a schema's `default`.
                "example" | "value" => Context::Literal,
                _ if key.starts_with("x-") => Context::Literal,
                _ => Context::Document,
            },
        }
    }
}

/// Where the walk is: which file, where in it, and where in the output.
#[derive(Debug, Clone)]
pub(super) struct Cursor {
    pub(super) file: String,
    pub(super) pointer: String,
    pub(super) out: String,
    pub(super) depth: usize,
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

    /// The walk continues in `target`, writing at the same output pointer.
    fn in_target(&self, target: &Target, out: String) -> Cursor {
        Cursor { file: target.0.clone(), pointer: target.1.clone(), out, depth: self.depth + 1 }
    }
}

pub(super) struct Bundler<'a> {
    pub(super) files: Files<'a>,
    pub(super) options: LoadOptions,
    pub(super) root: String,
    pub(super) names: ComponentNamer,
    /// Component schemas created by hoisting, by name.
    hoisted: BTreeMap<String, Value>,
    /// Targets being inlined right now, to catch circular references.
    inlining: Vec<Target>,
    pub(super) source_map: SourceMap,
    /// References that could not be followed, each dropped where it was.
    pub(super) warnings: Vec<Diagnostic>,
}

impl<'a> Bundler<'a> {
    pub(super) fn new(files: Files<'a>, options: LoadOptions, root: &str, names: ComponentNamer) -> Self {
        Self {
            files,
            options,
            root: root.to_owned(),
            names,
            hoisted: BTreeMap::new(),
            inlining: Vec::new(),
            source_map: SourceMap::default(),
            warnings: Vec::new(),
        }
    }

    fn location(&self, at: &Cursor) -> Location {
        Location { file: self.files.source.display(&at.file), pointer: at.pointer.clone() }
    }

    fn drop_here(&mut self, at: &Cursor, message: String) {
        let location = self.location(at);
        self.warnings.push(Diagnostic::new(Kind::Dropped, location, message));
    }

    /// What a reference that cannot be followed becomes: a schema accepts
    /// any JSON value; anything else keeps its `$ref`, which later stages
    /// report as unresolved and leave out the operation that uses it.
    fn unresolved(&mut self, at: &Cursor, context: Context, reference: &str, reason: String) -> Value {
        if context == Context::Schema {
            self.drop_here(&at.child("$ref"), format!("`$ref: {reference}` {reason}: typed as any JSON value"));
            Value::Object(Map::new())
        } else {
            self.drop_here(&at.child("$ref"), format!("`$ref: {reference}` {reason}"));
            Value::Object(Map::from_iter([("$ref".to_owned(), Value::String(reference.to_owned()))]))
        }
    }

    pub(super) fn walk(&mut self, node: &Value, context: Context, at: &Cursor) -> Value {
        if at.depth > MAX_DEPTH {
            self.drop_here(at, format!("nesting deeper than {MAX_DEPTH} levels: the node is dropped"));
            return if context == Context::Schema { Value::Object(Map::new()) } else { Value::Null };
        }
        match node {
            Value::Object(map) if context != Context::Literal => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    return self.reference(reference, map, context, at);
                }
                let mut out = Map::new();
                for (key, value) in map {
                    if key == "definitions" && at.out.is_empty() && context == Context::Document {
                        self.definitions(value, &at.child(key));
                        continue;
                    }
                    let walked = if at.out == "/components/schemas" && at.file == self.root {
                        self.root_component(key, value, &at.child(key))
                    } else if context == Context::Schema && key == "discriminator" {
                        self.discriminator(value, &at.child(key))
                    } else {
                        self.walk(value, context.child(&at.pointer, key), &at.child(key))
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

    /// Swagger 2.0's `definitions` are the document's schema components:
    /// each is hoisted into `components/schemas` under its own name (the
    /// namer reserved it), used or not, as a 3.0 document's are all kept.
    fn definitions(&mut self, value: &Value, at: &Cursor) {
        let Value::Object(definitions) = value else {
            self.drop_here(at, "`definitions` is not a map: dropped".to_owned());
            return;
        };
        for name in definitions.keys() {
            let target = (at.file.clone(), push_pointer(&at.pointer, name));
            if let Err(reason) = self.hoist(&target, at) {
                self.drop_here(&at.child(name), format!("the definition {reason}: dropped"));
            }
        }
    }

    /// A root `components/schemas` entry that only points at a file takes the
    /// file's content in place, under the root's name.
    fn root_component(&mut self, name: &str, value: &Value, at: &Cursor) -> Value {
        if let Some(reference) = lone_ref(value) {
            if let Ok(target) = resolve_ref(&at.file, reference, self.options) {
                if target.0 != self.root && self.names.root_component(&target) == Some(name) {
                    return match self.target_node(&target, at) {
                        Ok(node) => {
                            let inner = at.in_target(&target, at.out.clone());
                            self.map_origin(&inner);
                            self.walk(&node, Context::Schema, &inner)
                        }
                        Err(reason) => self.unresolved(at, Context::Schema, reference, reason),
                    };
                }
            }
        }
        self.walk(value, Context::Schema, at)
    }

    /// `discriminator.mapping` values are references too: each is rewritten
    /// to the component it names, so later stages match variants by name.
    fn discriminator(&mut self, value: &Value, at: &Cursor) -> Value {
        let mut out = value.clone();
        let Some(mapping) = out.get_mut("mapping").and_then(Value::as_object_mut) else { return out };
        for (tag, target) in mapping.iter_mut() {
            let Some(reference) = target.as_str() else { continue };
            // A bare name (`Cat`) already names a component.
            if !reference.contains('#') && !reference.contains('/') && !reference.contains('.') {
                continue;
            }
            let here = at.child("mapping").child(tag);
            let hoisted = match resolve_ref(&at.file, reference, self.options) {
                Ok(target) => self.schema_reference(&target, &here),
                Err(reason) => Err(reason),
            };
            match hoisted {
                Ok(local) => *target = Value::String(local),
                Err(reason) => {
                    self.drop_here(&here, format!("mapping to `{reference}` {reason}: the value is not mapped"));
                }
            }
        }
        out
    }

    fn reference(&mut self, reference: &str, map: &Map<String, Value>, context: Context, at: &Cursor) -> Value {
        let siblings: Map<String, Value> =
            map.iter().filter(|(k, _)| *k != "$ref").map(|(k, v)| (k.clone(), v.clone())).collect();
        let target = match resolve_ref(&at.file, reference, self.options) {
            Ok(target) => target,
            Err(reason) => return self.unresolved(at, context, reference, format!("cannot be followed: {reason}")),
        };
        if context != Context::Schema {
            return self.inline(&target, reference, &siblings, context, at);
        }
        let local = match self.schema_reference(&target, at) {
            Ok(local) => local,
            Err(reason) => return self.unresolved(at, context, reference, reason),
        };
        let reference = Value::Object(Map::from_iter([("$ref".to_owned(), Value::String(local))]));
        if siblings.is_empty() {
            return reference;
        }
        // Keys beside a schema `$ref` (`nullable`, `description`) annotate it.
        let mut wrapped = Map::new();
        wrapped.insert("allOf".to_owned(), Value::Array(vec![reference]));
        for (key, value) in &siblings {
            if key == "type" {
                // `type` beside a `$ref` (OpenAPI 3.1) restates the target's,
                // which it would override; only a `null` in it says more.
                let null = |kind: &Value| kind.as_str() == Some("null");
                if null(value) || value.as_array().is_some_and(|kinds| kinds.iter().any(null)) {
                    wrapped.insert("nullable".to_owned(), Value::Bool(true));
                }
                continue;
            }
            let walked = self.walk(value, Context::Schema.child(&at.pointer, key), &at.child(key));
            wrapped.insert(key.clone(), walked);
        }
        Value::Object(wrapped)
    }

    /// The local `#/components/schemas/...` reference of a schema target.
    fn schema_reference(&mut self, target: &Target, at: &Cursor) -> Result<String, String> {
        let component = target.1.strip_prefix("/components/schemas/").is_some_and(|name| !name.contains('/'));
        if target.0 == self.root && component {
            // Already a component of the bundled document. (A schema inside
            // one, `…/Thing/$defs/Shape`, is hoisted like any other.)
            self.target_node(target, at)?;
            return Ok(format!("#{}", target.1));
        }
        let name = self.hoist(target, at)?;
        Ok(format!("#{}", push_pointer("/components/schemas", &name)))
    }

    /// The node a target points at, or why there is none.
    fn target_node(&mut self, target: &Target, at: &Cursor) -> Result<Value, String> {
        let referrer = self.location(&at.child("$ref"));
        let Some(document) = self.files.get(&target.0, &referrer) else {
            let shown = self.files.source.display(&target.0);
            return Err(format!("points into `{shown}`, which cannot be read or parsed"));
        };
        document.pointer(&target.1).cloned().ok_or_else(|| {
            let shown = self.files.source.display(&target.0);
            format!("points at `{shown}#{}`, which does not exist", target.1)
        })
    }

    /// Gives a schema target a component name and bundles it once.
    fn hoist(&mut self, target: &Target, at: &Cursor) -> Result<String, String> {
        let name = self.names.name(target);
        if self.names.root_component(target).is_some() || self.hoisted.contains_key(&name) {
            // The root's own entry bundles it in place; or it is bundled already.
            return Ok(name);
        }
        let node = self.target_node(target, at)?;
        // A placeholder first, so recursive references stop here.
        self.hoisted.insert(name.clone(), Value::Null);
        let inner = at.in_target(target, push_pointer("/components/schemas", &name));
        self.map_origin(&inner);
        let walked = self.walk(&node, Context::Schema, &inner);
        self.hoisted.insert(name.clone(), walked);
        Ok(name)
    }

    fn inline(
        &mut self,
        target: &Target,
        reference: &str,
        siblings: &Map<String, Value>,
        context: Context,
        at: &Cursor,
    ) -> Value {
        if self.inlining.contains(target) {
            return self.unresolved(at, context, reference, "is circular: it leads back to itself".to_owned());
        }
        let node = match self.target_node(target, at) {
            Ok(node) => node,
            Err(reason) => return self.unresolved(at, context, reference, reason),
        };
        self.inlining.push(target.clone());
        let inner = at.in_target(target, at.out.clone());
        self.map_origin(&inner);
        let mut walked = self.walk(&node, context, &inner);
        self.inlining.pop();
        if let Value::Object(out) = &mut walked {
            // Keys written beside the `$ref` override the target's.
            for (key, value) in siblings {
                let walked_sibling = self.walk(value, context.child(&at.pointer, key), &at.child(key));
                out.insert(key.clone(), walked_sibling);
            }
        }
        walked
    }

    pub(super) fn map_origin(&mut self, at: &Cursor) {
        let origin = self.location(at);
        self.source_map.insert(at.out.clone(), origin);
    }

    /// Adds the hoisted schemas to the document's `components/schemas`.
    pub(super) fn attach_hoisted(&mut self, document: &mut Value) {
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
