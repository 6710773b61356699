//! Stage 5: IR to tokens, with `quote!` only. Every function here is
//! `fn(&ir::X) -> TokenStream`: no lookups, no naming decisions.
//!
//! Generated code spells paths in full (`::std::string::String`,
//! `::serde::Serialize`) so no spec name can shadow them.

mod access;
mod docs;
mod models;
mod operations;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, PageStyle, Type, TypeKind};
use crate::GeneratedFile;

/// The spec-dependent files of the generated crate. Each file is a list of
/// pieces (module docs, a model, an operation) that are generated and
/// formatted in parallel, then joined in order: the output does not depend
/// on the number of threads.
pub fn crate_files(api: &Api, options: &crate::Options) -> Vec<GeneratedFile> {
    let methods = Methods::new(api);
    let examples = methods.examples();
    let mut files = vec![
        GeneratedFile { path: "Cargo.toml".into(), contents: manifest(api, options, &examples) },
        GeneratedFile {
            path: "README.md".into(),
            contents: docs::readme(api, &options.crate_name, &methods, &examples),
        },
    ];
    for (example, _) in &examples {
        let source = crate::templates::for_crate(example.source, &options.crate_name);
        files.push(crate::templates::generated(&format!("examples/{}.rs", example.name), &source));
    }
    let layout = rust_layout(api, options.standalone);
    let pieces: Vec<(usize, Piece<'_>)> = layout
        .iter()
        .enumerate()
        .flat_map(|(file, (_, pieces))| pieces.iter().map(move |piece| (file, *piece)))
        .collect();
    let rendered = crate::format::in_parallel(&pieces, |(_, piece)| crate::format::rust_chunk(piece.render(api)));
    let mut contents: Vec<Vec<String>> = vec![Vec::new(); layout.len()];
    for ((file, _), text) in pieces.iter().zip(rendered) {
        contents[*file].push(text);
    }
    for ((path, _), chunks) in layout.into_iter().zip(contents) {
        files.push(GeneratedFile { path, contents: crate::format::join_chunks(&chunks) });
    }
    files
}

/// The generated Rust modules as tokens, by path, before formatting.
pub fn rust_modules(api: &Api) -> Vec<(String, TokenStream)> {
    rust_layout(api, false)
        .into_iter()
        .map(|(path, pieces)| {
            let tokens = pieces.iter().map(|piece| piece.render(api));
            (path, quote!(#( #tokens )*))
        })
        .collect()
}

/// A unit of generated code.
#[derive(Debug, Clone, Copy)]
enum Piece<'a> {
    /// `lib.rs`; with the runtime in the crate (`Options::standalone`) or not.
    Lib {
        standalone: bool,
    },
    Access,
    ModelsDoc,
    Model(&'a crate::ir::TypeDef),
    OperationsDoc(Option<&'a crate::ir::Tag>),
    TagModules,
    Operation(&'a crate::ir::Operation),
    SharedErrorsDoc,
    SharedErrors(&'a crate::ir::SharedErrors),
}

impl Piece<'_> {
    fn render(&self, api: &Api) -> TokenStream {
        match self {
            Piece::Lib { standalone } => lib_rs(api, *standalone),
            Piece::Access => access::module(api),
            Piece::ModelsDoc => models::module_doc(),
            Piece::Model(def) => models::model(api, def),
            Piece::OperationsDoc(tag) => operations::module_doc(api, *tag),
            Piece::TagModules => operations::tag_modules(api),
            Piece::Operation(operation) => operations::operation(operation),
            Piece::SharedErrorsDoc => operations::shared_errors_doc(),
            Piece::SharedErrors(shared) => operations::shared_errors(shared, api.tags.is_empty()),
        }
    }
}

/// Which pieces make up which file.
fn rust_layout(api: &Api, standalone: bool) -> Vec<(String, Vec<Piece<'_>>)> {
    let mut models = vec![Piece::ModelsDoc];
    models.extend(api.types.values().map(Piece::Model));
    let mut layout = vec![
        ("src/lib.rs".to_owned(), vec![Piece::Lib { standalone }]),
        ("src/access.rs".to_owned(), vec![Piece::Access]),
        ("src/models.rs".to_owned(), models),
    ];
    if api.tags.is_empty() {
        let mut pieces = vec![Piece::OperationsDoc(None)];
        pieces.extend(api.operations.iter().map(Piece::Operation));
        pieces.extend(api.shared_errors.iter().map(Piece::SharedErrors));
        layout.push(("src/operations.rs".to_owned(), pieces));
    } else {
        layout.push(("src/operations/mod.rs".to_owned(), vec![Piece::TagModules]));
        for tag in &api.tags {
            let mut pieces = vec![Piece::OperationsDoc(Some(tag))];
            let in_tag = api.operations.iter().filter(|o| o.module.as_deref() == Some(tag.module.as_str()));
            pieces.extend(in_tag.map(Piece::Operation));
            layout.push((format!("src/operations/{}.rs", tag.module), pieces));
        }
        if !api.shared_errors.is_empty() {
            let mut pieces = vec![Piece::SharedErrorsDoc];
            pieces.extend(api.shared_errors.iter().map(Piece::SharedErrors));
            layout.push(("src/operations/shared_errors.rs".to_owned(), pieces));
        }
    }
    layout
}

/// `Cargo.toml`: a generated `[package]`, the template's dependencies, and
/// the hand-written benchmarks (which need `harness = false`).
fn manifest(api: &Api, options: &crate::Options, examples: &[ShippedExample<'_>]) -> String {
    let description = format!("Async Rust client for the {}.", api.title.trim_end_matches('.'));
    let mut out = format!(
        "{header}\n\n[package]\nname = {name:?}\nversion = \"{version}\"\n\
         description = {description:?}\nedition = \"2021\"\nlicense = \"MIT\"\npublish = false\n\n",
        header = crate::format::TOML_HEADER,
        name = options.crate_name,
        version = options.config.version(),
    );
    let dependencies = crate::templates::DEPENDENCIES;
    let tables = dependencies.find("\n[").map_or(dependencies, |at| &dependencies[at + 1..]);
    // The runtime goes first in `[dependencies]`: by path where it is written
    // beside the crate, with the version it is published under.
    let runtime = if options.standalone {
        // The runtime's own dependencies instead, but for those the table has.
        let have = tables.split("\n[").next().unwrap_or_default();
        let lines: Vec<String> = crate::templates::runtime_dependencies(api.sailpoint_conventions())
            .into_iter()
            .filter(|line| {
                let name = line.split(' ').next().unwrap_or_default();
                !have.lines().any(|line| line.starts_with(&format!("{name} =")))
            })
            .collect();
        format!("[dependencies]\n{}\n", lines.join("\n"))
    } else {
        let features = if api.sailpoint_conventions() { ", features = [\"sailpoint\"]" } else { "" };
        format!(
            "[dependencies]\n{name} = {{ version = \"{version}\", path = {path:?}{features} }}\n",
            name = crate::templates::RUNTIME_CRATE,
            version = crate::templates::runtime_version(),
            path = options.runtime_path,
        )
    };
    out.push_str(tables.trim_end().replacen("[dependencies]\n", &runtime, 1).as_str());
    out.push('\n');
    if !api.tags.is_empty() {
        // One feature per tag, all on by default: a crate that needs only a
        // few tags compiles only their operations and the models they use.
        let mut features: Vec<&str> = api.tags.iter().map(|tag| tag.feature.as_str()).collect();
        features.push(crate::ir::UNREFERENCED_FEATURE);
        let list: Vec<String> = features.iter().map(|feature| format!("{feature:?}")).collect();
        out.push_str(&format!("\n[features]\ndefault = [{}]\n", list.join(", ")));
        for feature in features {
            out.push_str(&format!("{feature} = []\n"));
        }
    }
    for (example, features) in examples {
        out.push_str(&format!("\n[[example]]\nname = {:?}\n", example.name));
        if !api.tags.is_empty() {
            let list: Vec<String> = features.iter().map(|feature| format!("{feature:?}")).collect();
            out.push_str(&format!("required-features = [{}]\n", list.join(", ")));
        }
    }
    for bench in &options.benches {
        out.push_str(&format!("\n[[bench]]\nname = {bench:?}\nharness = false\n"));
    }
    out
}

/// An example the crate ships, with the features its methods need.
pub(crate) type ShippedExample<'a> = (&'static crate::templates::Example, Vec<&'a str>);

/// The crate's `Client` methods by signature (`get_connector(script_name)`:
/// the name and the required arguments), computed once, to tell which
/// examples and guide blocks a spec can compile.
pub(crate) struct Methods<'a> {
    api: &'a Api,
    by_signature: std::collections::HashMap<String, &'a crate::ir::Operation>,
}

impl<'a> Methods<'a> {
    fn new(api: &'a Api) -> Self {
        let by_signature =
            api.operations.iter().map(|operation| (operations::signature(operation), operation)).collect();
        Self { api, by_signature }
    }

    /// Whether the crate has every method (by signature) and model in `needs`,
    /// so that code written against them compiles.
    pub(crate) fn has_all(&self, needs: &[&str]) -> bool {
        needs.iter().all(|name| match (name.strip_prefix("!#"), name.strip_prefix('#')) {
            (Some(fact), _) => !self.has_fact(fact),
            (None, Some(fact)) => self.has_fact(fact),
            (None, None) => self.api.types.contains_key(*name) || self.by_signature.contains_key(*name),
        })
    }

    /// A fact about the API the guide's `#fact` conditions name.
    fn has_fact(&self, fact: &str) -> bool {
        let api = self.api;
        let credentials = api.credentials();
        match fact {
            "client-credentials" => credentials.client_credentials,
            "token" => credentials.token,
            "basic" => credentials.basic,
            "api-key" => credentials.api_key,
            "credentials" => !api.security_schemes.is_empty(),
            "sailpoint" => api.settings.sailpoint.is_some(),
            "paging" => api.operations.iter().any(|operation| operation.pagination.is_some()),
            "search-after" => api.operations.iter().any(|operation| {
                matches!(&operation.pagination, Some(paging) if matches!(paging.style, PageStyle::SearchAfter { .. }))
            }),
            other => panic!("the guide template names an unknown fact `#{other}`"),
        }
    }

    /// The examples this spec can run (it has every method and model they use),
    /// each with the features of the tags of the methods.
    fn examples(&self) -> Vec<ShippedExample<'a>> {
        let feature_of = |name: &str| {
            let module = self.by_signature.get(name)?.module.as_deref()?;
            Some(self.api.tags.iter().find(|tag| tag.module == module)?.feature.as_str())
        };
        crate::templates::EXAMPLES
            .iter()
            .filter(|example| self.has_all(example.needs))
            .map(|example| {
                let features: std::collections::BTreeSet<&str> =
                    example.needs.iter().filter_map(|name| feature_of(name)).collect();
                (example, features.into_iter().collect())
            })
            .collect()
    }
}

fn lib_rs(api: &Api, standalone: bool) -> TokenStream {
    // Without operations (a spec with none, or no tag's feature on) the crate
    // is its models alone: the client has no caller, which is expected, not
    // a warning.
    let models_only = if api.operations.is_empty() {
        Some(quote!(#![allow(dead_code, reason = "a spec without operations leaves the client unused")]))
    } else if !api.tags.is_empty() {
        let features = api.tags.iter().map(|tag| &tag.feature);
        Some(quote!(#![cfg_attr(not(any(#(feature = #features),*)), allow(dead_code, unused_imports))]))
    } else {
        None
    };
    // The runtime's modules generated code names as `crate::request` and
    // so on, imported only where used: an unused import is a warning.
    let mut facade = Vec::new();
    // Structs and string enums are written through `de`'s macros, unions
    // decode and take their zero value through it, and typed error bodies
    // decode through it (aliases need none of it).
    let macros = api.types.values().any(|def| !matches!(def.kind, TypeKind::Alias { .. }));
    let typed_errors = api.operations.iter().flat_map(|operation| &operation.errors).any(|error| error.ty.is_some());
    if macros || typed_errors {
        facade.push(quote!(de));
    }
    if api.operations.iter().any(|operation| operation.pagination.is_some()) {
        facade.push(quote!(paginate));
    }
    if !api.operations.is_empty() {
        facade.push(quote!(request));
    }
    // Generated code names the runtime `crate::runtime`: the crate's own
    // module when it is standalone, else the runtime crate.
    let runtime = if standalone {
        // Not `#[rustfmt::skip]`: on a module, that makes its exported macros
        // count as macro-expanded, which may not be named by path.
        quote! { #[doc(hidden)] pub mod runtime; }
    } else {
        quote! { use ::openapi_client_runtime as runtime; }
    };
    let facade = (!facade.is_empty()).then(|| quote! { use runtime::__private::{#(#facade),*}; });
    // An empty glob import would be a warning.
    let models = (!api.types.is_empty()).then(|| quote! { pub use models::*; });
    quote! {
        #![doc = include_str!("../README.md")]
        #![deny(missing_docs)]
        #models_only

        #[rustfmt::skip]
        mod access;
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod operations;

        #runtime
        pub use access::*;
        #models
        #facade
        pub use runtime::{AccessToken, TokenFuture, TokenSource};
        pub use runtime::{ApiError, AuthError, DecodeError};
        pub use runtime::{ApiKeyLocation, SchemeKind, SecurityScheme, TokenUrl};
        pub use runtime::{EnvNames, Error, ErrorDetails};
        pub use runtime::{FilePart, Items, Response, ResponseFuture};
        pub use runtime::{RetryPolicy, Session, SessionBuilder, Upload};
        pub use runtime::{Stream, StreamExt, TryStreamExt};
        pub use runtime::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
        pub use runtime::{DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REFRESH_MARGIN};
    }
}

/// Names clippy's `disallowed_names` rejects as placeholders by default.
const PLACEHOLDER_NAMES: &[&str] = &["foo", "baz", "quux"];

/// The argument that sets a field or parameter named `name`: the name
/// itself, unless clippy takes it for a placeholder (a spec's `foo`), then
/// `foo_value`.
pub(crate) fn binding(name: &str) -> Ident {
    let plain = name.trim_start_matches("r#");
    if PLACEHOLDER_NAMES.contains(&plain) {
        quote::format_ident!("{plain}_value")
    } else {
        ident(name)
    }
}

/// An identifier; `r#type` becomes a raw identifier.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type for an IR type in an operations file: prelude names as
/// they are (`lower` keeps builder names off them) and models through the
/// file's `use crate::models;`.
pub(crate) fn short_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::Array(item) => {
            let item = short_type(item);
            quote!(Vec<#item>)
        }
        Type::Map(value) => {
            let value = short_type(value);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        Type::Named(name) => {
            let name = ident(name);
            quote!(models::#name)
        }
        Type::Nullable(inner) => {
            let inner = short_type(inner);
            quote!(Option<#inner>)
        }
        other => rust_type(other),
    }
}

/// The Rust type for an IR type, fully qualified.
pub(crate) fn rust_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(::std::string::String),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::F64 => quote!(f64),
        Type::Bool => quote!(bool),
        Type::Any => quote!(::serde_json::Value),
        Type::Array(item) => {
            let item = rust_type(item);
            quote!(::std::vec::Vec<#item>)
        }
        Type::Map(value) => {
            let value = rust_type(value);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        Type::Named(name) => {
            let name = ident(name);
            quote!(crate::models::#name)
        }
        Type::Nullable(inner) => {
            let inner = rust_type(inner);
            quote!(::std::option::Option<#inner>)
        }
    }
}
