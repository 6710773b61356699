//! Models: one Rust type per named IR type.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc;
use super::{binding, ident, rust_type};
use crate::ir::{Api, Discriminator, EnumVariant, Field, Type, TypeDef, TypeKind, UnionVariant};

/// Required fields past which `new` takes more arguments than clippy allows by default.
const MANY_ARGS: usize = 7;

/// The module docs of `models.rs`.
pub(super) fn module_doc() -> TokenStream {
    quote! {
        //! The API's data types: one per schema of the spec.
    }
}

/// Every item of one model, gated on its features when the API is split by tag.
pub(super) fn model(api: &Api, def: &TypeDef) -> TokenStream {
    let gate = if api.tags.is_empty() {
        TokenStream::new()
    } else {
        let cfg = feature_cfg(&def.features);
        quote!(#[cfg(#cfg)])
    };
    definition(api, def, &gate)
}

/// The cfg under which a type exists: any feature whose operations use it,
/// or `unreferenced-models` for types no operation uses.
pub(super) fn feature_cfg(features: &std::collections::BTreeSet<String>) -> TokenStream {
    if features.is_empty() {
        let unreferenced = crate::ir::UNREFERENCED_FEATURE;
        return quote!(feature = #unreferenced);
    }
    if let [only] = features.iter().collect::<Vec<_>>().as_slice() {
        return quote!(feature = #only);
    }
    let features = features.iter();
    quote!(any( #( feature = #features ),* ))
}

/// Every item of a type, each behind `gate` (a `#[cfg]`, or nothing).
fn definition(api: &Api, def: &TypeDef, gate: &TokenStream) -> TokenStream {
    let docs = doc(def.doc.as_deref().unwrap_or(&format!("The `{}` schema.", def.name)));
    match &def.kind {
        TypeKind::Struct { fields } => structure(def, gate, docs, fields),
        TypeKind::Enum { variants } => string_enum(def, gate, docs, variants),
        TypeKind::Union { variants, discriminator: None } => union(api, def, gate, docs, variants),
        TypeKind::Union { variants, discriminator: Some(discriminator) } => {
            tagged_union(def, gate, docs, variants, discriminator)
        }
        TypeKind::Alias { ty } => {
            let name = ident(&def.name);
            let ty = rust_type(ty);
            quote! { #gate #docs pub type #name = #ty; }
        }
    }
}

fn field_type(field: &Field) -> TokenStream {
    let (inner, nullable) = match &field.ty {
        Type::Nullable(inner) => (inner.as_ref(), true),
        other => (other, false),
    };
    let mut ty = rust_type(inner);
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    if nullable || !field.required {
        ty = quote!(::std::option::Option<#ty>);
    }
    ty
}

fn structure(def: &TypeDef, gate: &TokenStream, docs: TokenStream, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let all_optional = fields.iter().all(Field::is_optional);
    let default = all_optional.then(|| quote!(, Default));
    let members = fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let wire = &field.wire_name;
        let ty = field_type(field);
        let field_docs = doc(field.doc.as_deref().unwrap_or(&format!("The `{wire}` property.")));
        quote! {
            #field_docs
            pub #field_name: #ty,
        }
    });
    let constructor = constructor(def, gate, fields);
    let decoded = fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let wire = &field.wire_name;
        let kind = match (field.required, field.is_optional()) {
            (false, _) => quote!(optional),
            (true, true) => quote!(nullable),
            (true, false) => quote!(required),
        };
        quote!(#kind #field_name: #wire)
    });
    // `Serialize` and `Deserialize` come from the runtime's lean macro rather
    // than derives: see `templates/runtime/src/de.rs`. `non_exhaustive`: a
    // field the spec adds later must not break a struct literal, so values
    // are made with `new` (or `default`) and the `with_` setters.
    quote! {
        #gate
        #docs
        #[derive(Debug, Clone, PartialEq #default)]
        #[non_exhaustive]
        pub struct #name {
            #( #members )*
        }

        #gate
        crate::de::serde_object!(#name { #( #decoded ),* });
        #constructor
    }
}

/// `new(required fields...)` for structs with required fields (the
/// optional ones start as `None`; a struct without any derives `Default`),
/// and a chainable `with_` setter for each optional field.
fn constructor(def: &TypeDef, gate: &TokenStream, fields: &[Field]) -> Option<TokenStream> {
    if fields.is_empty() {
        return None;
    }
    let name = ident(&def.name);
    let required: Vec<&Field> = fields.iter().filter(|f| !f.is_optional()).collect();
    let new = (!required.is_empty()).then(|| {
        let args = required.iter().map(|field| {
            let arg = binding(&field.rust_name);
            let ty = field_type(field);
            quote!(#arg: #ty)
        });
        let inits = fields.iter().map(|field| {
            let (field_name, arg) = (ident(&field.rust_name), binding(&field.rust_name));
            if field.is_optional() {
                quote!(#field_name: ::std::option::Option::None)
            } else if field_name == arg {
                quote!(#field_name)
            } else {
                quote!(#field_name: #arg)
            }
        });
        let docs = doc(&format!("A `{}` with the required fields set and the others empty.", def.name));
        let allow = (required.len() > MANY_ARGS)
            .then(|| quote!(#[allow(clippy::too_many_arguments, reason = "one argument a required field")]));
        quote! {
            #docs
            #allow
            pub fn new(#( #args ),*) -> Self {
                Self { #( #inits ),* }
            }
        }
    });
    // For the optional fields (`new` takes the others), and generic, so a
    // setter is compiled only in the crates that call it.
    let setters = fields.iter().filter(|field| field.is_optional()).map(|field| {
        let (field_name, setter, arg) = (ident(&field.rust_name), ident(&field.setter()), binding(&field.rust_name));
        let inner = match &field.ty {
            Type::Nullable(inner) => inner.as_ref(),
            other => other,
        };
        let ty = rust_type(inner);
        let mut value = quote!(#arg.into());
        if field.boxed {
            value = quote!(::std::boxed::Box::new(#value));
        }
        let value = quote!(::std::option::Option::Some(#value));
        let docs = doc(&format!("Sets `{}`.", field.rust_name.trim_start_matches("r#")));
        quote! {
            #docs
            pub fn #setter(mut self, #arg: impl ::std::convert::Into<#ty>) -> Self {
                self.#field_name = #value;
                self
            }
        }
    });
    Some(quote! {
        #gate
        impl #name {
            #new
            #( #setters )*
        }
    })
}

/// A string enum, through the runtime's `string_enum!`: one line a variant.
fn string_enum(def: &TypeDef, gate: &TokenStream, docs: TokenStream, variants: &[EnumVariant]) -> TokenStream {
    let name = ident(&def.name);
    let variant_names = variants.iter().map(|v| ident(&v.rust_name));
    let wire_values = variants.iter().map(|v| v.wire_value.as_str());
    let variant_docs = variants.iter().map(|v| doc(&format!("`{}`", v.wire_value)));
    quote! {
        crate::de::string_enum! {
            #gate
            #docs
            pub enum #name {
                #( #variant_docs #variant_names = #wire_values, )*
            }
        }
    }
}

/// A union chosen by its discriminator property. Decoding reads the tag,
/// then decodes the whole object (tag included) as that variant; a tag this
/// client does not know is kept as `Unknown`.
fn tagged_union(
    def: &TypeDef,
    gate: &TokenStream,
    docs: TokenStream,
    variants: &[UnionVariant],
    discriminator: &Discriminator,
) -> TokenStream {
    let name = ident(&def.name);
    let property = &discriminator.property;
    let members = variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let mut ty = rust_type(&variant.ty);
        if variant.boxed {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        let tags: Vec<String> = discriminator
            .mapping
            .iter()
            .filter(|(_, target)| *target == variant.rust_name)
            .map(|(value, _)| format!("`{value}`"))
            .collect();
        let variant_docs = doc(&format!("`{property}` is {}.", tags.join(" or ")));
        quote!(#variant_docs #variant_name(#ty),)
    });
    // A tag value listed twice decodes as the first variant it names: an
    // arm repeating it would be unreachable.
    let mut seen = std::collections::BTreeSet::new();
    let arms = variants.iter().filter_map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let values: Vec<&str> = discriminator
            .mapping
            .iter()
            .filter(|(value, target)| *target == variant.rust_name && seen.insert(value.as_str()))
            .map(|(value, _)| value.as_str())
            .collect();
        if values.is_empty() {
            return None;
        }
        Some(quote! {
            ::std::option::Option::Some(#( #values )|*) => {
                ::serde_json::from_value(value).map(Self::#variant_name).map_err(::serde::de::Error::custom)
            }
        })
    });
    let arms: Vec<TokenStream> = arms.collect();
    let tag_doc = doc(&format!("The `{property}` property says which variant a value is."));
    let zero = zero_impl(&name, gate, quote!(::std::option::Option::Some(Self::Unknown(::serde_json::Value::Null))));
    quote! {
        #gate
        #docs
        ///
        #tag_doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #( #members )*
            /// A value whose discriminator this client does not know, kept as sent.
            Unknown(::serde_json::Value),
        }

        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #( #arms )*
                    _ => ::std::result::Result::Ok(Self::Unknown(value)),
                }
            }
        }

        #zero
    }
}

/// The test of a JSON value's kind a variant of type `ty` can only be read
/// from: a value of another kind is passed over without trying to decode it.
fn json_kind(api: &Api, ty: &Type) -> TokenStream {
    let kind = match ty {
        Type::String => "is_string",
        Type::I32 | Type::I64 | Type::F64 => "is_number",
        Type::Bool => "is_boolean",
        Type::Array(_) => "is_array",
        Type::Map(_) => "is_object",
        Type::Named(name) => match api.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Struct { .. }) => "is_object",
            Some(TypeKind::Enum { .. }) => "is_string",
            _ => return quote!(crate::de::any_kind),
        },
        Type::Any | Type::Nullable(_) => return quote!(crate::de::any_kind),
    };
    let kind = quote::format_ident!("{kind}");
    quote!(::serde_json::Value::#kind)
}

/// `impl Zero`: the value a required field of this type takes when a
/// response leaves it out (see the runtime's `de`).
fn zero_impl(name: &Ident, gate: &TokenStream, zero: TokenStream) -> TokenStream {
    quote! {
        #gate
        impl crate::de::Zero for #name {
            fn zero() -> ::std::option::Option<Self> {
                #zero
            }
        }
    }
}

fn union(api: &Api, def: &TypeDef, gate: &TokenStream, docs: TokenStream, variants: &[UnionVariant]) -> TokenStream {
    let name = ident(&def.name);
    let members = variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let mut ty = rust_type(&variant.ty);
        if variant.boxed {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        let variant_docs = doc(&format!("The value as `{}`.", variant.rust_name));
        quote!(#variant_docs #variant_name(#ty),)
    });
    // Each variant's constructor reads and zeroes it (`Box<T>` for a boxed one).
    let constructors: Vec<TokenStream> = variants
        .iter()
        .map(|variant| {
            let variant_name = ident(&variant.rust_name);
            quote!(Self::#variant_name)
        })
        .collect();
    let fits = variants.iter().zip(&constructors).map(|(variant, constructor)| {
        let kind = json_kind(api, &variant.ty);
        quote!(|value| crate::de::fit(value, #kind, #constructor))
    });
    let zero = match constructors.split_first() {
        Some((first, rest)) => quote! {
            crate::de::zero_of(#first) #( .or_else(|| crate::de::zero_of(#rest)) )*
        },
        None => quote!(::std::option::Option::None),
    };
    let zero = zero_impl(&name, gate, zero);
    let union_name = def.name.as_str();
    quote! {
        #gate
        #docs
        ///
        /// Decoding tries the variants in order and takes the first that fits.
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #( #members )*
        }

        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                crate::de::first_fit(&value, #union_name, &[ #( #fits ),* ])
            }
        }

        #zero
    }
}
