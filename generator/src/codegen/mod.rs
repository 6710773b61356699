//! Stage 5: IR to tokens, with `quote!` only. Every function here is
//! `fn(&ir::X) -> TokenStream`: no lookups, no naming decisions.
//!
//! Generated code spells paths in full (`::std::string::String`,
//! `::serde::Serialize`) so no spec name can shadow them.

mod docs;
mod models;
mod operations;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::format::rust_file;
use crate::ir::{Api, Type};
use crate::GeneratedFile;

/// The spec-dependent files of the generated crate.
pub fn crate_files(api: &Api) -> Vec<GeneratedFile> {
    vec![
        GeneratedFile { path: "src/lib.rs".into(), contents: rust_file(lib_rs(api)) },
        GeneratedFile { path: "src/models.rs".into(), contents: rust_file(models::models(api)) },
        GeneratedFile { path: "src/operations.rs".into(), contents: rust_file(operations::operations(api)) },
        GeneratedFile { path: "README.md".into(), contents: docs::readme(api) },
    ]
}

fn lib_rs(api: &Api) -> TokenStream {
    let base_path = &api.base_path;
    quote! {
        #![doc = include_str!("../README.md")]
        #![deny(missing_docs)]

        mod auth;
        mod client;
        mod config;
        mod error;
        mod paginate;
        mod request;
        mod response;
        mod retry;

        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod operations;

        pub use auth::{AccessToken, TokenFuture, TokenSource};
        pub use client::{Client, ClientBuilder};
        pub use client::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
        pub use client::{DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REFRESH_MARGIN, USER_AGENT};
        pub use config::{ENV_ACCESS_TOKEN, ENV_BASE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET};
        pub use error::{ApiError, AuthError, DecodeError, Error, ErrorDetails};
        pub use futures_util::{Stream, StreamExt, TryStreamExt};
        pub use models::*;
        pub use paginate::Items;
        pub use request::FilePart;
        pub use response::Response;
        pub use retry::RetryPolicy;

        /// The API's path on a tenant's host, from the spec's first server URL.
        pub(crate) const BASE_PATH: &str = #base_path;
    }
}

/// An identifier; `r#type` becomes a raw identifier.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
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
