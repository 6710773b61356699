//! Stage 3: the parsed spec as the owned, named IR ([`crate::ir`]).
//!
//! Names are decided here, once: `heck` case conversion, keyword escaping,
//! and deterministic suffixes for clashes. Every IR node keeps the file and
//! pointer it came from, so later checks can still point at the input.

mod access;
pub(crate) mod names;
mod operations;
mod paging;
mod schemas;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr};

use crate::diagnostics::{push_pointer, Diagnostic, Kind, Location, SpecErrors};
use crate::ir::{Api, Operation, SharedErrors, Type, TypeKind};
use crate::load::SourceMap;
pub use access::CLIENT_BUILDER_METHODS;
pub use names::{type_name, value_name};
pub use operations::CLIENT_METHODS;

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

/// Choices for lowering that are not in the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LowerOptions {
    /// The crate's package name, from which other crates' variable prefix is derived.
    pub crate_name: String,
    /// The environment variables' prefix, instead of the derived one.
    pub env_prefix: Option<String>,
    /// Paging declared or vetoed per `operationId` (the generator config's).
    pub paging: BTreeMap<String, crate::config::PagingRule>,
}

/// The types `access.rs` defines, which no model may be named.
pub const ACCESS_TYPES: &[&str] = &["Client", "ClientBuilder"];

/// Lowers a parsed spec; every error found is reported, not just the first.
pub fn lower(spec: &OpenAPI, source_map: &SourceMap, options: &LowerOptions) -> Result<Lowered, SpecErrors> {
    let mut lowerer = Lowerer {
        spec,
        source_map,
        security_schemes: Vec::new(),
        inline_enums: BTreeMap::new(),
        unusable_schemes: BTreeSet::new(),
        sailpoint: None,
        paging_rules: options.paging.clone(),
        types: BTreeMap::new(),
        component_names: BTreeMap::new(),
        // The crate root re-exports `access::*` and `models::*`: a model
        // named like a type of `access` would make both globs ambiguous.
        type_scope: names::Scope::with_reserved(ACCESS_TYPES),
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
                // Another name for a component: an alias.
                let name = lowerer.component_names[key].clone();
                let ty = match lowerer.reference_type(reference, &pointer) {
                    // A component that names itself is no type at all.
                    Type::Named(target) if target == name => Type::Any,
                    ty => ty,
                };
                let origin = lowerer.locate(&pointer);
                let def = crate::ir::TypeDef {
                    name: name.clone(),
                    doc: None,
                    kind: TypeKind::Alias { ty },
                    origin,
                    features: Default::default(),
                };
                lowerer.types.insert(name, def);
            }
        }
    }
    let access = lowerer.access(options);
    let mut operations = lowerer.operations();
    for operation_id in std::mem::take(&mut lowerer.paging_rules).into_keys() {
        let message = format!("the generator config declares paging for `{operation_id}`, which no operation is");
        lowerer.warn(Kind::Dropped, "/paths", message);
    }
    // An operation that repeats the API's requirements needs no override.
    for operation in &mut operations {
        if operation.security.as_ref() == Some(&access.security) {
            operation.security = None;
        }
    }
    box_recursive_fields(&mut lowerer.types);
    let tags = split_by_tag(spec, &mut operations, &mut lowerer.types);
    let shared_errors = share_error_enums(&mut operations, &tags);
    let api = Api {
        title: spec.info.title.clone(),
        description: spec.info.description.clone(),
        version: spec.info.version.clone(),
        base_path: access.base_path,
        server_url: access.server_url,
        server_variables: access.server_variables,
        security_schemes: std::mem::take(&mut lowerer.security_schemes),
        security: access.security,
        settings: access.settings,
        operations,
        types: lowerer.types,
        tags,
        shared_errors,
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
    /// The schemes requirements refer to by index.
    security_schemes: Vec<crate::ir::SecurityScheme>,
    /// The first name of each inline string enum, by its variants.
    inline_enums: BTreeMap<Vec<(String, String)>, String>,
    /// Declared schemes the client cannot send (HTTP digest, say).
    unusable_schemes: BTreeSet<String>,
    /// The SailPoint product of the API, which tells what an undeclared scheme is.
    sailpoint: Option<crate::ir::SailPointProduct>,
    /// The config's paging rules not yet applied, by `operationId`.
    paging_rules: BTreeMap<String, crate::config::PagingRule>,
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
        self.errors.push(Diagnostic::new(Kind::LeftOut, location, message));
    }

    fn warn(&mut self, kind: Kind, pointer: &str, message: impl Into<String>) {
        let location = self.locate(pointer);
        self.warnings.push(Diagnostic::new(kind, location, message));
    }
}

/// With two or more tags, gives each operation its tag's module and each
/// type the features of the operations that use it, directly or through
/// other types. With fewer, clears the modules: nothing is split.
fn split_by_tag(
    spec: &OpenAPI,
    operations: &mut [crate::ir::Operation],
    types: &mut BTreeMap<String, crate::ir::TypeDef>,
) -> Vec<crate::ir::Tag> {
    let mut names: Vec<String> = Vec::new();
    for operation in operations.iter() {
        let name = operation.module.clone().unwrap_or_else(|| "Untagged".to_owned());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.len() < 2 {
        operations.iter_mut().for_each(|operation| operation.module = None);
        return Vec::new();
    }
    names.sort();
    // `operations` inside `operations` is clippy's `module_inception`.
    let mut scope = names::Scope::with_reserved(&["mod", "shared_errors", "unreferenced_models", "operations"]);
    let tags: Vec<crate::ir::Tag> = names
        .into_iter()
        .map(|name| {
            let claimed = scope.claim(value_name(&name));
            // A module is also a file name, so a keyword gets a trailing `_`
            // (`async_`) rather than `r#`; its feature keeps the word.
            let module = match claimed.strip_prefix("r#") {
                Some(keyword) => format!("{keyword}_"),
                None => claimed,
            };
            let feature = module.trim_end_matches('_').replace('_', "-");
            let description = spec.tags.iter().find(|tag| tag.name == name).and_then(|tag| tag.description.clone());
            crate::ir::Tag { feature, module, name, description }
        })
        .collect();
    for operation in operations.iter_mut() {
        let name = operation.module.clone().unwrap_or_else(|| "Untagged".to_owned());
        let tag = tags.iter().find(|tag| tag.name == name).expect("every operation's tag is listed");
        operation.module = Some(tag.module.clone());
        let mut pending: Vec<String> = operation.named_types().into_iter().collect();
        while let Some(name) = pending.pop() {
            let Some(def) = types.get_mut(&name) else { continue };
            if def.features.insert(tag.feature.clone()) {
                pending.extend(type_references(&def.kind));
            }
        }
    }
    // Models no operation uses sit behind their own feature, and so do the
    // models they use, so that feature alone compiles too.
    let mut pending: Vec<String> =
        types.iter().filter(|(_, def)| def.features.is_empty()).map(|(name, _)| name.clone()).collect();
    while let Some(name) = pending.pop() {
        let Some(def) = types.get_mut(&name) else { continue };
        if def.features.insert(crate::ir::UNREFERENCED_FEATURE.to_owned()) {
            pending.extend(type_references(&def.kind));
        }
    }
    tags
}

/// Operations that declare the same error bodies share one enum, named after
/// the first of them; each of the others names it by an alias of its own.
/// Most of SailPoint's hundreds of operations declare the same five bodies,
/// and each enum is code every build of the crate compiles.
fn share_error_enums(operations: &mut [Operation], tags: &[crate::ir::Tag]) -> Vec<SharedErrors> {
    let mut groups: Vec<(SharedErrors, Vec<usize>)> = Vec::new();
    for (index, operation) in operations.iter().enumerate() {
        let errors: Vec<crate::ir::ErrorResponse> = operation.typed_errors().into_iter().cloned().collect();
        if errors.is_empty() {
            continue;
        }
        let feature =
            tags.iter().find(|tag| operation.module.as_ref() == Some(&tag.module)).map(|tag| tag.feature.clone());
        let group = match groups.iter().position(|(group, _)| group.errors == errors) {
            Some(position) => &mut groups[position],
            None => {
                let group = SharedErrors {
                    name: operation.error_name.clone(),
                    errors,
                    operations: Vec::new(),
                    features: BTreeSet::new(),
                };
                groups.push((group, Vec::new()));
                groups.last_mut().expect("just pushed")
            }
        };
        group.0.operations.push(operation.operation_id.clone());
        group.0.features.extend(feature);
        group.1.push(index);
    }
    groups.retain(|(_, members)| members.len() > 1);
    for (group, members) in &groups {
        for &index in members {
            operations[index].shared_errors = Some(group.name.clone());
        }
    }
    groups.into_iter().map(|(group, _)| group).collect()
}

/// Named types a type's definition refers to.
fn type_references(kind: &TypeKind) -> BTreeSet<String> {
    kind.held_types().into_iter().filter_map(Type::name).map(str::to_owned).collect()
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
            let targets = def.kind.held_types().into_iter().filter_map(held_by_value).map(str::to_owned).collect();
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
    // Structs, and aliases of structs (however many deep): their size is
    // the spec's to choose, so a union holding one boxes it.
    let is_struct = |name: &str| {
        let mut name = name;
        for _ in 0..types.len() {
            match types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Struct { .. }) => return true,
                Some(TypeKind::Alias { ty }) => match held_by_value(ty) {
                    Some(target) => name = target,
                    None => return false,
                },
                _ => return false,
            }
        }
        false
    };
    let structs: BTreeSet<String> = types.keys().filter(|name| is_struct(name)).cloned().collect();
    for def in types.values_mut() {
        if let TypeKind::Union { variants, .. } = &mut def.kind {
            for variant in variants {
                variant.boxed = held_by_value(&variant.ty).is_some_and(|target| structs.contains(target));
            }
        }
    }
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
