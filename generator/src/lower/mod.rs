//! Stage 3: the parsed spec as the owned, named IR ([`crate::ir`]).
//!
//! Names are decided here, once: `heck` case conversion, keyword escaping,
//! and deterministic suffixes for clashes. Every IR node keeps the file and
//! pointer it came from, so later checks can still point at the input.

mod names;
mod operations;
mod schemas;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr};

use crate::diagnostics::{push_pointer, Diagnostic, Location, SpecErrors};
use crate::ir::{Api, Type, TypeKind};
use crate::load::SourceMap;
pub use names::{type_name, value_name};

/// The IR, with the warnings met on the way (constructs typed loosely).
#[derive(Debug)]
pub struct Lowered {
    /// The API.
    pub api: Api,
    /// Constructs that could not be represented exactly, and repairs made.
    pub warnings: Vec<Diagnostic>,
    /// Operations left out, each with the reason.
    pub skipped: Vec<Diagnostic>,
}

/// Lowers a parsed spec; every error found is reported, not just the first.
pub fn lower(spec: &OpenAPI, source_map: &SourceMap) -> Result<Lowered, SpecErrors> {
    let mut lowerer = Lowerer {
        spec,
        source_map,
        types: BTreeMap::new(),
        component_names: BTreeMap::new(),
        type_scope: names::Scope::default(),
        errors: Vec::new(),
        warnings: Vec::new(),
        skipped: Vec::new(),
    };
    let components = spec.components.as_ref().map(|c| &c.schemas);
    for key in components.into_iter().flat_map(|schemas| schemas.keys()) {
        let name = lowerer.type_scope.claim(type_name(key));
        lowerer.component_names.insert(key.clone(), name);
    }
    for (key, schema) in components.into_iter().flatten() {
        let pointer = push_pointer("/components/schemas", key);
        match schema {
            ReferenceOr::Item(schema) => {
                let name = lowerer.component_names[key].clone();
                lowerer.component(&name, schema, &pointer);
            }
            ReferenceOr::Reference { reference } => {
                lowerer.error(&pointer, format!("component schema is only a `$ref` to `{reference}`"));
            }
        }
    }
    let operations = lowerer.operations();
    box_recursive_fields(&mut lowerer.types);
    let (server_url, base_path) = server(spec);
    let api = Api {
        title: spec.info.title.clone(),
        description: spec.info.description.clone(),
        version: spec.info.version.clone(),
        base_path,
        server_url,
        operations,
        types: lowerer.types,
    };
    if lowerer.errors.is_empty() {
        Ok(Lowered { api, warnings: lowerer.warnings, skipped: lowerer.skipped })
    } else {
        Err(SpecErrors(lowerer.errors))
    }
}

pub(crate) struct Lowerer<'a> {
    spec: &'a OpenAPI,
    source_map: &'a SourceMap,
    types: BTreeMap<String, crate::ir::TypeDef>,
    /// Component key → Rust type name.
    component_names: BTreeMap<String, String>,
    type_scope: names::Scope,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    skipped: Vec<Diagnostic>,
}

impl Lowerer<'_> {
    fn locate(&self, pointer: &str) -> Location {
        self.source_map.locate(pointer)
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let location = self.locate(pointer);
        self.errors.push(Diagnostic { location, message: message.into() });
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let location = self.locate(pointer);
        self.warnings.push(Diagnostic { location, message: message.into() });
    }
}

/// The first server's URL template and the path part of it (`/v2024`).
fn server(spec: &OpenAPI) -> (Option<String>, String) {
    let Some(server) = spec.servers.first() else {
        return (None, String::new());
    };
    let url = &server.url;
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |at| &after_scheme[at..]);
    (Some(url.clone()), path.trim_end_matches('/').to_owned())
}

/// Marks the struct fields that close a cycle of types held by value, so
/// codegen boxes them and the types have a finite size.
fn box_recursive_fields(types: &mut BTreeMap<String, crate::ir::TypeDef>) {
    fn held_by_value(ty: &Type) -> Option<&str> {
        match ty {
            Type::Named(name) => Some(name),
            Type::Nullable(inner) => held_by_value(inner),
            _ => None,
        }
    }
    let edges: BTreeMap<String, BTreeSet<String>> = types
        .iter()
        .map(|(name, def)| {
            let targets = match &def.kind {
                TypeKind::Struct { fields } => {
                    fields.iter().filter_map(|f| held_by_value(&f.ty)).map(str::to_owned).collect()
                }
                TypeKind::Union { variants } => {
                    variants.iter().filter_map(|v| held_by_value(&v.ty)).map(str::to_owned).collect()
                }
                TypeKind::Alias { ty } => held_by_value(ty).into_iter().map(str::to_owned).collect(),
                TypeKind::Enum { .. } => BTreeSet::new(),
            };
            (name.clone(), targets)
        })
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut stack = vec![from.to_owned()];
        let mut seen = BTreeSet::new();
        while let Some(next) = stack.pop() {
            if next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                stack.extend(edges.get(&next).into_iter().flatten().cloned());
            }
        }
        false
    };
    for (name, def) in types.iter_mut() {
        if let TypeKind::Struct { fields } = &mut def.kind {
            for field in fields {
                if let Some(target) = held_by_value(&field.ty) {
                    field.boxed = reaches(target, name);
                }
            }
        }
    }
}
