//! Operations: a `Client` method and a request builder for each.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{doc, doc_paragraphs};
use super::{binding, ident, rust_type, short_type};
use crate::ir::{
    Api, Encoding, ErrorResponse, FieldStep, ItemsAt, MultipartPart, NextAt, Operation, PageParam, PageStyle,
    Pagination, Param, ParamLocation, PartKind, RequestBody, ResponseContent, Segment, SharedErrors, StatusMatch,
    StatusVariant, Style, Tag, TotalAt, Type,
};

/// `operations/mod.rs` of an API split by tag: one gated module per tag,
/// its builders re-exported here.
pub(super) fn tag_modules(api: &Api) -> TokenStream {
    let modules = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let feature = &tag.feature;
        let docs = doc(&format!("Operations tagged `{}` (cargo feature `{feature}`).", tag.name));
        quote! {
            #docs
            #[cfg(feature = #feature)]
            pub mod #module;
            #[cfg(feature = #feature)]
            pub use #module::*;
        }
    });
    // Private: its enums are re-exported here, next to the operations' aliases.
    let shared = (!api.shared_errors.is_empty()).then(|| {
        quote! {
            mod shared_errors;
            pub use shared_errors::*;
        }
    });
    quote! {
        //! Request builders, one per operation, in a module per tag. Start one
        //! from its [`Client`](crate::Client) method, set what you need, then
        //! `.send().await`.
        #( #modules )*
        #shared
    }
}

/// The module docs of `operations/shared_errors.rs`.
pub(super) fn shared_errors_doc() -> TokenStream {
    quote! {
        //! Error enums that several operations declare alike, each behind the
        //! features of those operations. Every operation also names its enum by
        //! an alias of its own, named after the operation, in its module.
    }
}

/// The module docs of an operations file, for one tag or the whole API.
pub(super) fn module_doc(api: &Api, tag: Option<&Tag>) -> TokenStream {
    let text = match tag {
        None => "Request builders, one per operation. Start one from its [`Client`](crate::Client)\nmethod, set what you need, then `.send().await`.".to_owned(),
        Some(tag) => match &tag.description {
            Some(description) => format!("Operations tagged `{}`.\n\n{}", tag.name, description.trim()),
            None => format!("Operations tagged `{}`.", tag.name),
        },
    };
    let docs = super::docs::inner_doc(&text);
    // Models are named `models::X`; a file whose operations use none imports nothing.
    let module = tag.map(|tag| tag.module.as_str());
    let uses_models =
        api.operations.iter().filter(|operation| module.is_none() || operation.module.as_deref() == module).any(
            |operation| {
                // The one operations file holds the shared error enums too.
                let types = if tag.is_some() { operation.own_named_types() } else { operation.named_types() };
                !types.is_empty()
            },
        );
    let import = uses_models.then(|| {
        quote!(
            use crate::models;
        )
    });
    quote! {
        #docs
        #import
    }
}

/// One operation: its `Client` method, next to its request builder.
pub(super) fn operation(operation: &Operation) -> TokenStream {
    let inputs = inputs(operation);
    debug_assert_eq!(signature(operation), {
        let required: Vec<String> = inputs.iter().filter(|i| i.required).map(|i| i.field.to_string()).collect();
        format!("{}({})", operation.method_name, required.join(", "))
    });
    let method = client_method(operation, &inputs);
    let builder = builder(operation, &inputs);
    quote! {
        impl crate::Client {
            #method
        }

        #builder
    }
}

/// A value the caller passes: a path parameter, a required parameter or body.
struct Input {
    field: proc_macro2::Ident,
    /// The argument that sets it (the field's name unless clippy takes it for a placeholder).
    binding: proc_macro2::Ident,
    /// The stored type.
    ty: TokenStream,
    /// The argument type of the method and setter (`impl Into<String>` for strings).
    arg: TokenStream,
    /// Turns the argument into the stored value.
    convert: TokenStream,
    required: bool,
    /// The setter that sets or clears an optional input.
    clear_setter: Option<proc_macro2::Ident>,
    docs: TokenStream,
}

fn inputs(operation: &Operation) -> Vec<Input> {
    let mut inputs: Vec<Input> = operation.params.iter().map(param_input).collect();
    let body_input = |ty: TokenStream,
                      arg: TokenStream,
                      convert: TokenStream,
                      required: bool,
                      description: &Option<String>,
                      note: &str| {
        let text = description.as_deref().unwrap_or("The request body.");
        let docs = doc_paragraphs([Some(text), Some(note)]);
        let clear_setter = (!required).then(|| ident(crate::ir::BODY_CLEAR_SETTER));
        let field = ident(crate::ir::BODY_FIELD);
        Input { binding: field.clone(), field, ty, arg, convert, required, clear_setter, docs }
    };
    match &operation.body {
        Some(RequestBody::Json { ty, required, description, content_type }) => {
            let note = format!("Sent as `{content_type}`.");
            inputs.push(body_input(short_type(ty), short_type(ty), quote!(body), *required, description, &note));
        }
        Some(RequestBody::Form { ty, required, description, content_type, .. }) => {
            let note = format!("Sent as `{content_type}`: each property a name/value pair.");
            inputs.push(body_input(short_type(ty), short_type(ty), quote!(body), *required, description, &note));
        }
        Some(RequestBody::Text { required, description, content_type }) => {
            let note = format!("Sent as `{content_type}`.");
            let string = quote!(String);
            let arg = quote!(impl Into<String>);
            inputs.push(body_input(string, arg, quote!(body.into()), *required, description, &note));
        }
        Some(RequestBody::Binary { required, description, content_type }) => {
            let note = format!(
                "Sent as raw bytes, `{content_type}` unless the [`Upload`](crate::Upload) names another content type; \
                 a file is streamed from disk."
            );
            let arg = quote!(impl Into<crate::Upload>);
            inputs.push(body_input(quote!(crate::Upload), arg, quote!(body.into()), *required, description, &note));
        }
        Some(RequestBody::Multipart { parts, .. }) => inputs.extend(parts.iter().map(part_input)),
        None => {}
    }
    inputs
}

/// How the operation's `Client` method is called: `get_connector(script_name)`,
/// its name and required arguments. Read from the IR, not from [`inputs`],
/// so that matching an example's needs against every operation stays cheap;
/// `operation` checks in debug builds that the two agree.
pub(crate) fn signature(operation: &Operation) -> String {
    let mut required: Vec<&str> =
        operation.params.iter().filter(|p| p.required).map(|p| p.field_name.as_str()).collect();
    match &operation.body {
        Some(RequestBody::Multipart { parts, .. }) => {
            required.extend(parts.iter().filter(|part| part.required).map(|part| part.field_name.as_str()));
        }
        Some(body) if body.is_required_value() => required.push("body"),
        _ => {}
    }
    format!("{}({})", operation.method_name, required.join(", "))
}

fn param_input(param: &Param) -> Input {
    let (field, binding) = (ident(&param.field_name), binding(&param.field_name));
    let (arg, convert) = match &param.ty {
        Type::String => (quote!(impl Into<String>), quote!(#binding.into())),
        ty => (short_type(ty), quote!(#binding)),
    };
    let place = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let mut notes = vec![format!("Sent as the `{}` {place} parameter.", param.wire_name)];
    if let Some(default) = &param.default {
        notes.push(format!("The server's default is `{default}`."));
    }
    let allowed = match (&param.bounds.minimum, &param.bounds.maximum) {
        (Some(min), Some(max)) => Some(format!("{min} to {max}")),
        (Some(min), None) => Some(format!("at least {min}")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (None, None) => None,
    };
    if let Some(allowed) = allowed {
        notes.push(format!("Allowed values: {allowed}."));
    }
    let notes = notes.join(" ");
    let docs = doc_paragraphs([param.description.as_deref(), Some(notes.as_str())]);
    let clear_setter = param.clear_setter.as_deref().map(ident);
    Input { field, binding, ty: short_type(&param.ty), arg, convert, required: param.required, clear_setter, docs }
}

fn part_input(part: &MultipartPart) -> Input {
    let (field, binding) = (ident(&part.field_name), binding(&part.field_name));
    let (ty, arg, convert) = match part.kind {
        PartKind::File => (quote!(crate::FilePart), quote!(crate::FilePart), quote!(#binding)),
        PartKind::Text => (quote!(String), quote!(impl Into<String>), quote!(#binding.into())),
    };
    let note = format!("Sent as the `{}` part of the multipart form.", part.wire_name);
    let docs = doc_paragraphs([part.description.as_deref(), Some(note.as_str())]);
    let clear_setter = part.clear_setter.as_deref().map(ident);
    Input { field, binding, ty, arg, convert, required: part.required, clear_setter, docs }
}

/// Arguments (`self` included) past which clippy's `too_many_arguments` fires by default.
const MANY_ARGUMENTS: usize = 7;

fn client_method(operation: &Operation, inputs: &[Input]) -> TokenStream {
    let method = ident(&operation.method_name);
    let builder = ident(&operation.builder_name);
    let required: Vec<&Input> = inputs.iter().filter(|input| input.required).collect();
    let args = required.iter().map(|input| {
        let (binding, arg) = (&input.binding, &input.arg);
        quote!(#binding: #arg)
    });
    let inits = inputs.iter().map(|input| {
        let field = &input.field;
        if input.required && *field == input.convert.to_string() {
            quote!(#field)
        } else if input.required {
            let convert = &input.convert;
            quote!(#field: #convert)
        } else {
            quote!(#field: None)
        }
    });
    let sends = format!(
        "Sends `{} {}`; see [`{}`](crate::operations::{}).",
        operation.http_method, operation.path, operation.builder_name, operation.builder_name
    );
    let experimental = operation.experimental.then_some(
        "Experimental: it fails with `Error::Config` unless the client was built with \
         `ClientBuilder::experimental(true)`, and then sends `X-SailPoint-Experimental: true` itself.",
    );
    let docs = doc_paragraphs([
        operation.summary.as_deref(),
        operation.description.as_deref(),
        Some(sends.as_str()),
        experimental,
    ]);
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
    let extra_parts = free_form(operation).then(|| quote!(extra_parts: Vec::new(),));
    // The spec fixes how many inputs are required; each is an argument, so
    // that a missing one is a compile error rather than a failed request.
    let many = (required.len() + 1 > MANY_ARGUMENTS).then(
        || quote!(#[allow(clippy::too_many_arguments, reason = "one argument a required parameter of the spec")]),
    );
    let std_name = std_trait_name_allow(&operation.method_name);
    quote! {
        #docs
        #deprecated
        #many
        #std_name
        pub fn #method(&self, #( #args ),*) -> crate::operations::#builder {
            crate::operations::#builder {
                client: self.clone(),
                #( #inits, )*
                #extra_parts
            }
        }
    }
}

fn builder(operation: &Operation, inputs: &[Input]) -> TokenStream {
    let builder = ident(&operation.builder_name);
    let fields = inputs.iter().map(|input| {
        let (field, ty) = (&input.field, &input.ty);
        if input.required {
            quote!(#field: #ty)
        } else {
            quote!(#field: Option<#ty>)
        }
    });
    let setters = inputs.iter().map(setters);
    let (extra_field, extra_setter) = if free_form(operation) {
        let field = quote!(extra_parts: Vec<(String, crate::FilePart)>,);
        let setter = quote! {
            /// Adds a file part named `name` to the form (the spec names no parts for it).
            pub fn part(mut self, name: impl Into<String>, file: crate::FilePart) -> Self {
                self.extra_parts.push((name.into(), file));
                self
            }
        };
        (Some(field), Some(setter))
    } else {
        (None, None)
    };
    let send = send(operation);
    let items = operation.pagination.as_ref().map(items);
    let error_items = error_items(operation);
    let success_enum = success_enum(operation);
    let method = operation.method_name.trim_start_matches("r#");
    let operation_id = &operation.operation_id;
    let docs = doc(&format!(
        "Request builder for `{} {}` ([`Client::{method}`](crate::Client::{method})).",
        operation.http_method, operation.path
    ));
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #builder {
            client: crate::Client,
            #( #fields, )*
            #extra_field
        }

        impl #builder {
            /// The operation's `operationId`.
            pub const OPERATION_ID: &'static str = #operation_id;

            #( #setters )*

            #extra_setter

            #send

            #items
        }

        #error_items

        #success_enum
    }
}

/// Whether the operation's multipart form declares no parts of its own.
fn free_form(operation: &Operation) -> bool {
    matches!(operation.body, Some(RequestBody::Multipart { free_form: true, .. }))
}

/// Methods of std's operator and conversion traits that clippy's
/// `should_implement_trait` expects a method of that name and shape to be.
const STD_TRAIT_METHODS: &[&str] = &[
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// The spec names an input or operation `sub` (a token's subject, say):
/// the method keeps the spec's name rather than a mangled one.
fn std_trait_name_allow(name: &str) -> Option<TokenStream> {
    STD_TRAIT_METHODS.contains(&name.trim_start_matches("r#")).then(
        || quote!(#[allow(clippy::should_implement_trait, reason = "the spec's own name, not the std trait's method")]),
    )
}

fn setters(input: &Input) -> TokenStream {
    let Input { field, binding, ty, arg, convert, docs, .. } = input;
    let allow = std_trait_name_allow(&field.to_string());
    if input.required {
        return quote! {
            #docs
            #allow
            pub fn #field(mut self, #binding: #arg) -> Self {
                self.#field = #convert;
                self
            }
        };
    }
    let set = input.clear_setter.as_ref().expect("lower names the setter of every optional input");
    let set_docs = doc(&format!("Sets or clears [`{0}`](Self::{0}).", field.to_string().trim_start_matches("r#")));
    quote! {
        #docs
        #allow
        pub fn #field(mut self, #binding: #arg) -> Self {
            self.#field = Some(#convert);
            self
        }

        #set_docs
        pub fn #set(mut self, #binding: Option<#ty>) -> Self {
            self.#field = #binding;
            self
        }
    }
}

fn send(operation: &Operation) -> TokenStream {
    let path = path(operation);
    let http_method = quote::format_ident!("{}", operation.http_method);
    let content = &operation.success.content;
    let mut accept = accept(content);
    // Error bodies are JSON: accept them too, ranked below the success's type
    // so content negotiation still picks that one for the success.
    if accept != "application/json" && operation.errors.iter().any(|error| error.ty.is_some()) {
        accept.push_str(", application/json;q=0.9");
    }
    let returns = success_type(content);
    let errors = if operation.typed_errors().is_empty() {
        quote!(|_, _| None)
    } else {
        let name = ident(&operation.error_name);
        match (&operation.shared_errors, &operation.module) {
            // The first operation of a shared enum has no alias in its tag module.
            (Some(shared), Some(_)) if *shared == operation.error_name => quote!(super::#name::decode),
            _ => quote!(#name::decode),
        }
    };
    let decode = match content {
        ResponseContent::Empty => quote!(response.empty(#errors)),
        ResponseContent::Json { .. } => quote!(response.json(#errors)),
        ResponseContent::Text { .. } => quote!(response.text(#errors)),
        ResponseContent::Binary { .. } => quote!(response.bytes(#errors)),
        ResponseContent::ByStatus { name, variants } => {
            let name = ident(name);
            let arm = |variant: &StatusVariant| {
                let variant_name = ident(&variant.variant);
                match &variant.content {
                    ResponseContent::Empty => quote!(#name::#variant_name),
                    ResponseContent::Json { .. } => quote!(#name::#variant_name(body.json()?)),
                    ResponseContent::Text { .. } => quote!(#name::#variant_name(body.text()?)),
                    _ => quote!(#name::#variant_name(body.bytes())),
                }
            };
            let exact = variants.iter().filter_map(|variant| {
                let status = proc_macro2::Literal::u16_unsuffixed(variant.status?);
                let value = arm(variant);
                Some(quote!(#status => #value,))
            });
            // `2XX`, else the first declared status, decodes the statuses the spec does not name.
            let fallback = variants.iter().find(|variant| variant.status.is_none()).unwrap_or(&variants[0]);
            let fallback = arm(fallback);
            quote! {
                response.by_status(#errors, |body| {
                    Ok(match body.status() {
                        #( #exact )*
                        _ => #fallback,
                    })
                })
            }
        }
    };
    let params = operation.params.iter().filter(|p| p.location != ParamLocation::Path).map(add_param);
    let experimental = operation.experimental.then(|| {
        quote! {
            if !self.client.allows_experimental() {
                return Err(crate::Error::Config(format!(
                    "{} is an experimental operation; enable experimental operations with `ClientBuilder::experimental(true)`",
                    Self::OPERATION_ID
                )));
            }
            let request = request.header("x-sailpoint-experimental", "true")?;
        }
    });
    let body = match &operation.body {
        None => quote!(),
        Some(RequestBody::Json { content_type, required: true, .. }) => {
            quote!(let request = request.json(#content_type, &self.body)?;)
        }
        Some(RequestBody::Json { content_type, required: false, .. }) => quote! {
            let request = match &self.body {
                Some(body) => request.json(#content_type, body)?,
                None => request,
            };
        },
        Some(RequestBody::Form { content_type, required, styles, .. }) => {
            let styles = styles.iter().map(|(name, style)| {
                let style = style_tokens(*style);
                quote!((#name, #style))
            });
            let styles = quote!(&[#( #styles ),*]);
            optional_body(*required, quote!(request.form(#content_type, body, #styles)?), quote!(&self.body))
        }
        Some(RequestBody::Text { content_type, required, .. }) => {
            optional_body(*required, quote!(request.text(#content_type, body)), quote!(self.body))
        }
        Some(RequestBody::Binary { content_type, required, .. }) => {
            optional_body(*required, quote!(request.upload(#content_type, body)), quote!(self.body))
        }
        Some(RequestBody::Multipart { parts, free_form, .. }) => multipart(parts, *free_form),
    };
    let returns_doc = match &operation.success.content {
        ResponseContent::Empty => "Sends the request; success has no body.".to_owned(),
        ResponseContent::Json { .. } => "Sends the request and decodes the JSON body.".to_owned(),
        ResponseContent::Text { media_type } => {
            format!("Sends the request and returns the `{media_type}` body as text.")
        }
        ResponseContent::Binary { media_types } => {
            format!("Sends the request and returns the body (`{}`) as bytes.", media_types.join("`, `"))
        }
        ResponseContent::ByStatus { name, .. } => {
            format!("Sends the request and decodes the body its status declares, as a [`{name}`].")
        }
    };
    // Only an operation that overrides the API's requirements says so.
    let security = operation.security.as_deref().map(|requirements| {
        let requirements = super::access::requirements(requirements);
        quote!(.security(#requirements))
    });
    let docs = doc(&format!(
        "{returns_doc}\n\nA status outside 2xx is an [`Error::Api`](crate::Error::Api) carrying the status, headers and the declared error body."
    ));
    // `send` is not `async`: the runtime's one generic future sends every
    // operation's request, which costs the compiler far less than a future
    // of its own per operation. `#[inline]` leaves the code of both (the
    // future, and the encoding and decoding of the bodies) to the crates that
    // send the request, as an `async fn` would.
    quote! {
        #docs
        #[inline]
        pub fn send(self) -> crate::ResponseFuture<#returns> {
            let client = self.client.clone();
            client.dispatch(self.into_request(), |response| #decode)
        }

        /// The request [`send`](Self::send) sends.
        #[inline]
        fn into_request(self) -> Result<crate::request::Request, crate::Error> {
            #path
            let request = crate::request::Request::new(Self::OPERATION_ID, crate::request::Method::#http_method, path)
                .accept(#accept)#security;
            #experimental
            #( #params )*
            #body
            Ok(request)
        }
    }
}

/// The `Accept` header for a success body.
fn accept(content: &ResponseContent) -> String {
    fn media_types(content: &ResponseContent) -> Vec<&str> {
        match content {
            ResponseContent::Json { media_type, .. } | ResponseContent::Text { media_type } => vec![media_type],
            ResponseContent::Binary { media_types } => media_types.iter().map(String::as_str).collect(),
            ResponseContent::ByStatus { variants, .. } => {
                variants.iter().flat_map(|variant| media_types(&variant.content)).collect()
            }
            ResponseContent::Empty => Vec::new(),
        }
    }
    let mut unique: Vec<&str> = Vec::new();
    for media_type in media_types(content) {
        if !unique.contains(&media_type) {
            unique.push(media_type);
        }
    }
    if unique.is_empty() {
        "application/json".to_owned()
    } else {
        unique.join(", ")
    }
}

/// The Rust type of a success body.
fn success_type(content: &ResponseContent) -> TokenStream {
    match content {
        ResponseContent::Empty => quote!(()),
        ResponseContent::Json { ty, .. } => short_type(ty),
        ResponseContent::Text { .. } => quote!(String),
        ResponseContent::Binary { .. } => quote!(::bytes::Bytes),
        ResponseContent::ByStatus { name, .. } => {
            let name = ident(name);
            quote!(crate::operations::#name)
        }
    }
}

/// The enum of an operation's success bodies, when its 2xx statuses differ.
fn success_enum(operation: &Operation) -> Option<TokenStream> {
    let ResponseContent::ByStatus { name, variants } = &operation.success.content else { return None };
    let name = ident(name);
    let variants = variants.iter().map(|variant| {
        let variant_name = ident(&variant.variant);
        let status = variant.status.map_or("`2XX`".to_owned(), |status| format!("`{status}`"));
        let text = match variant.description.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
            Some(description) => format!("{status}: {description}"),
            None => status,
        };
        let docs = doc(&text);
        match &variant.content {
            ResponseContent::Empty => quote!(#docs #variant_name,),
            content => {
                let ty = success_type(content);
                let ty = if variant.boxed { quote!(Box<#ty>) } else { ty };
                quote!(#docs #variant_name(#ty),)
            }
        }
    });
    let docs = doc(&format!(
        "The bodies `{}` answers with, one variant per success status. A 2xx status the spec \
         does not declare decodes as its `2XX` body, else as the first declared.",
        operation.operation_id
    ));
    // `non_exhaustive`: a success status the spec adds later must not break a `match`.
    Some(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
        }
    })
}

/// `let request = ...` with a body bound as `body`, when there is one.
fn optional_body(required: bool, set: TokenStream, field: TokenStream) -> TokenStream {
    if required {
        quote!(let request = { let body = #field; #set };)
    } else {
        quote! {
            let request = match #field {
                Some(body) => #set,
                None => request,
            };
        }
    }
}

/// The runtime's `Style` value for an IR style.
fn style_tokens(style: Style) -> TokenStream {
    match style {
        Style::Form { explode } => quote!(crate::request::Style::Form { explode: #explode }),
        Style::SpaceDelimited => quote!(crate::request::Style::SpaceDelimited),
        Style::PipeDelimited => quote!(crate::request::Style::PipeDelimited),
        Style::DeepObject => quote!(crate::request::Style::DeepObject),
        Style::Json => quote!(crate::request::Style::Json),
    }
}

/// `items()`: a lazy stream over every page of a list operation.
fn items(pagination: &Pagination) -> TokenStream {
    let item = short_type(&pagination.item);
    let decode = page_decoding(pagination);
    let (first, set_page, docs) = match &pagination.style {
        PageStyle::LimitOffset { limit, offset, count, page_size, first_index } => {
            let page_size = proc_macro2::Literal::u64_unsuffixed(*page_size);
            // Pages count items from 0; a 1-based index parameter is one more.
            let (first_offset, sent_offset) = match first_index {
                0 => (read(offset, quote!(0)), quote!(offset)),
                base => {
                    let base = proc_macro2::Literal::u64_unsuffixed(*base);
                    let start = read(offset, quote!(#base));
                    (quote!(#start.saturating_sub(#base)), quote!(offset.saturating_add(#base)))
                }
            };
            let first_limit = read(limit, quote!(#page_size));
            let (ask_count, set_count) = match count {
                Some(param) => {
                    let set = write(param, quote!(true));
                    (quote!(true), quote!(if count { #set }))
                }
                None => (quote!(false), quote!(let _ = count;)),
            };
            let (set_offset, set_limit) = (write_number(offset, sent_offset), write_number(limit, quote!(limit)));
            let first = quote!(crate::paginate::Page::Offset { offset: #first_offset, limit: #first_limit.max(1), count: #ask_count });
            let set = quote! {
                if let crate::paginate::Page::Offset { offset, limit, count } = page {
                    #set_offset
                    #set_limit
                    #set_count
                }
            };
            let docs = format!(
                "Pages hold `{}` items ({page_size} unless set), starting at `{}` ({first_index} unless set).",
                limit.field, offset.field
            );
            (first, set, docs)
        }
        PageStyle::PageNumber { page, size, first, page_size } => {
            let page_size = proc_macro2::Literal::u64_unsuffixed(*page_size);
            let first_number = proc_macro2::Literal::u64_unsuffixed(*first);
            let number = read(page, quote!(#first_number));
            let first_size = read(size, quote!(#page_size));
            let (set_number, set_size) = (write_number(page, quote!(number)), write_number(size, quote!(size)));
            let start = quote!(crate::paginate::Page::Number { number: #number, size: #first_size.max(1) });
            let set = quote! {
                if let crate::paginate::Page::Number { number, size } = page {
                    #set_number
                    #set_size
                }
            };
            let docs = format!(
                "Pages hold `{}` items ({page_size} unless set), numbered by `{}` from {first} (or the number set).",
                size.field, page.field
            );
            (start, set, docs)
        }
        PageStyle::Cursor { token, .. } => {
            let field = ident(&token.field);
            let start = if token.required {
                quote!(crate::paginate::Page::Token(Some(self.#field.clone())))
            } else {
                quote!(crate::paginate::Page::Token(self.#field.clone()))
            };
            let set_token = write(token, quote!(token));
            let set = quote! {
                if let crate::paginate::Page::Token(Some(token)) = page {
                    #set_token
                }
            };
            let docs = format!("Each page's response names the next; `{}` carries it.", token.field);
            (start, set, docs)
        }
        PageStyle::SearchAfter { .. } => return search_after_items(pagination, &item, &decode),
    };
    let docs = doc(&format!(
        "Streams every item of every page, fetching the next page while the caller uses this one.\n\n\
         {docs} Every other parameter applies to each page. See [`Items`](crate::Items)."
    ));
    // `#[inline]`, like the generic and `async` code it calls, leaves its
    // code (the page future, the decoding of every page) to the crates that
    // call it: a crate of hundreds of operations then compiles none of them.
    quote! {
        #docs
        #[inline]
        pub fn items(self) -> crate::Items<#item> {
            let first = #first;
            let fetch = move |page: crate::paginate::Page| -> crate::paginate::PageFuture<#item> {
                let mut request = self.clone();
                #set_page
                crate::paginate::page(request.send(), #decode)
            };
            crate::paginate::items(fetch, first)
        }
    }
}

/// `items()` for search-after paging: the sort sent is worked out once
/// from the caller's, and each page's request sets it, the values the page
/// starts after, the page size, and no offset.
fn search_after_items(pagination: &Pagination, item: &TokenStream, decode: &TokenStream) -> TokenStream {
    let PageStyle::SearchAfter { sort, after, body_required, tiebreak, limit, offset, count } = &pagination.style
    else {
        unreachable!("called for search-after paging only")
    };
    let body_field = ident(crate::ir::BODY_FIELD);
    let (sort_field, after_field) = (ident(&sort.field), ident(&after.field));
    // The caller's body, or the model's `Default` (lower detects an optional
    // body only when its model has one): the caller's sort and start.
    let caller_body = if *body_required {
        quote!(let body = &self.#body_field;)
    } else {
        quote!(let body = self.#body_field.clone().unwrap_or_default();)
    };
    let caller_sort =
        if sort.optional { quote!(body.#sort_field.as_deref().unwrap_or_default()) } else { quote!(&body.#sort_field) };
    let caller_start = if after.optional {
        quote!(body.#after_field.clone().filter(|values| !values.is_empty()))
    } else {
        quote!((!body.#after_field.is_empty()).then(|| body.#after_field.clone()))
    };
    let page_body = if *body_required {
        quote!(let body = &mut request.#body_field;)
    } else {
        quote!(let body = request.#body_field.get_or_insert_with(Default::default);)
    };
    let set_sort = if sort.optional {
        quote!(body.#sort_field = Some(sort.clone());)
    } else {
        quote!(body.#sort_field = sort.clone();)
    };
    let set_after =
        if after.optional { quote!(body.#after_field = Some(values);) } else { quote!(body.#after_field = values;) };
    let (first_limit, limit_binding, set_limit, size_doc) = match limit {
        Some(size) => {
            let page_size = proc_macro2::Literal::u64_unsuffixed(size.default);
            let first = read(&size.param, quote!(#page_size));
            let set = write_number(&size.param, quote!(limit));
            let size_doc = format!(" Pages hold `{}` items ({} unless set).", size.param.field, size.default);
            (quote!(Some(#first.max(1))), quote!(limit), quote!(if let Some(limit) = limit { #set }), size_doc)
        }
        None => (quote!(None), quote!(limit: _), quote!(), String::new()),
    };
    let (ask_count, count_binding, set_count) = match count {
        Some(param) => {
            let set = write(param, quote!(true));
            (quote!(true), quote!(count), quote!(if count { #set }))
        }
        None => (quote!(false), quote!(count: _), quote!()),
    };
    let clear_offset = offset.as_ref().map(|param| {
        let name = ident(&param.field);
        if param.required {
            quote!(request.#name = 0;)
        } else {
            quote!(request.#name = None;)
        }
    });
    let offset_doc = offset.as_ref().map_or(String::new(), |param| format!(" (`{}` is never sent)", param.field));
    let docs = doc(&format!(
        "Streams every item of every page, fetching the next page while the caller uses this one.\n\n\
         Pages are sorted by the body's `{sort}` and then `{tiebreak}`, unique to each item (unless `{sort}` \
         names it already), and each page starts after the last item of the one before: `{after}` is set to \
         its sort values, which reaches past the server's limit on offsets{offset_doc}. A `{after}` given is \
         where the first page starts, with a value for each key of that sort.{size_doc} Every other parameter \
         applies to each page. See [`Items`](crate::Items).",
        sort = sort.field,
        after = after.field,
    ));
    quote! {
        #docs
        #[inline]
        pub fn items(self) -> crate::Items<#item> {
            #caller_body
            let sort = crate::paginate::sort_sent(#caller_sort, #tiebreak);
            let first = crate::paginate::Page::After { values: #caller_start, limit: #first_limit, count: #ask_count };
            let fetch = move |page: crate::paginate::Page| -> crate::paginate::PageFuture<#item> {
                let mut request = self.clone();
                if let crate::paginate::Page::After { values, #limit_binding, #count_binding } = page {
                    #page_body
                    #set_sort
                    if let Some(values) = values {
                        #set_after
                    }
                    #set_limit
                    #set_count
                    #clear_offset
                }
                crate::paginate::sorted_page(Self::OPERATION_ID, request.send(), #decode, sort.clone())
            };
            crate::paginate::items(fetch, first)
        }
    }
}

/// A page parameter's value on the builder as a `u64`, or `fallback`.
fn read(param: &PageParam, fallback: TokenStream) -> TokenStream {
    let name = ident(&param.field);
    if param.required {
        quote!(u64::try_from(self.#name).unwrap_or(#fallback))
    } else {
        quote!(self.#name.map_or(#fallback, |value| u64::try_from(value).unwrap_or(#fallback)))
    }
}

/// Sets a page parameter on the request being built.
fn write(param: &PageParam, value: TokenStream) -> TokenStream {
    let name = ident(&param.field);
    if param.required {
        quote!(request.#name = #value;)
    } else {
        quote!(request.#name = Some(#value);)
    }
}

/// Sets an integer page parameter from a `u64`, saturating.
fn write_number(param: &PageParam, value: TokenStream) -> TokenStream {
    let ty = short_type(&param.ty);
    write(param, quote!(#ty::try_from(#value).unwrap_or(#ty::MAX)))
}

/// The function that makes a page's `response` its items, the total and the next token.
fn page_decoding(pagination: &Pagination) -> TokenStream {
    if let (
        ItemsAt::Body,
        PageStyle::LimitOffset { .. } | PageStyle::PageNumber { .. } | PageStyle::SearchAfter { .. },
    ) = (&pagination.items, &pagination.style)
    {
        return if pagination.total == TotalAt::CountHeader {
            quote!(crate::paginate::Fetched::from_counted_list)
        } else {
            quote!(crate::paginate::Fetched::from_list)
        };
    }
    let next_token = match &pagination.style {
        PageStyle::Cursor { token, next } => {
            let wire = &token.wire_name;
            match next {
                NextAt::Token(path) => field_path(path),
                NextAt::Url(path) => {
                    let url = field_path(path);
                    quote!(#url.and_then(|url| crate::paginate::token_in_url(&url, #wire)))
                }
                NextAt::LinkHeader => {
                    quote!(crate::paginate::next_link(response.headers()).and_then(|url| crate::paginate::token_in_url(&url, #wire)))
                }
            }
        }
        _ => quote!(None),
    };
    let items = match &pagination.items {
        ItemsAt::Body => quote!(body),
        ItemsAt::Field(step) => {
            let field = ident(&step.field);
            if step.optional {
                quote!(body.#field.unwrap_or_default())
            } else {
                quote!(body.#field)
            }
        }
    };
    let total = match &pagination.total {
        TotalAt::Nowhere => quote!(None),
        TotalAt::CountHeader => quote!(response.total_count()),
        TotalAt::Field(path) => {
            let value = field_path(path);
            quote!(#value.and_then(|total| u64::try_from(total).ok()))
        }
    };
    quote! {
        |response| {
            let total = #total;
            let next_token = #next_token;
            let body = response.into_body();
            crate::paginate::Fetched { items: #items, total, next_token, next_after: None }
        }
    }
}

/// An owned `Option<String>` read from the body along `path`.
fn field_path(path: &[FieldStep]) -> TokenStream {
    let mut expr = quote!(response.body());
    let mut optional = false;
    for step in path {
        let field = ident(&step.field);
        expr = match (optional, step.optional) {
            (false, false) => quote!((#expr).#field),
            (false, true) => quote!((#expr).#field.as_ref()),
            (true, true) => quote!(#expr.and_then(|value| value.#field.as_ref())),
            (true, false) => quote!(#expr.map(|value| &value.#field)),
        };
        optional = optional || step.optional;
    }
    if optional {
        quote!(#expr.cloned())
    } else {
        quote!(Some((#expr).clone()))
    }
}

/// `let path = format!(...)` with every path parameter encoded as one segment.
fn path(operation: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut locals = Vec::new();
    // A placeholder may appear twice in a path; its segment is encoded once.
    let mut encoded = std::collections::BTreeSet::new();
    for segment in &operation.segments {
        match segment {
            Segment::Literal(text) => template.push_str(&text.replace('{', "{{").replace('}', "}}")),
            Segment::Param(index) => {
                let param = &operation.params[*index];
                let field_name = &param.field_name;
                let local = format_ident!("{}_segment", field_name.trim_start_matches("r#"));
                template.push_str(&format!("{{{local}}}"));
                if !encoded.insert(*index) {
                    continue;
                }
                let field = ident(field_name);
                let wire = &param.wire_name;
                let text = match (&param.ty, param.encoding) {
                    (Type::String, _) => quote!(&self.#field),
                    (_, Encoding::Json) => quote!(&crate::request::json_text(Self::OPERATION_ID, &self.#field)?),
                    (_, Encoding::Simple) => {
                        quote!(&crate::request::simple_text(Self::OPERATION_ID, &self.#field)?)
                    }
                    _ => quote!(&self.#field.to_string()),
                };
                locals.push(quote! {
                    let #local = crate::request::path_segment(Self::OPERATION_ID, #wire, #text)?;
                });
            }
        }
    }
    if locals.is_empty() {
        return quote!(let path = String::from(#template););
    }
    quote! {
        #( #locals )*
        let path = format!(#template);
    }
}

/// One statement adding a parameter to `request`, through the runtime's
/// helpers (`query`, `query_opt`, `query_each`, `header_opt`, ...).
fn add_param(param: &Param) -> TokenStream {
    let field = ident(&param.field_name);
    let wire = match param.location {
        ParamLocation::Header => param.wire_name.to_ascii_lowercase(),
        _ => param.wire_name.clone(),
    };
    if let Encoding::Styled(style) = param.encoding {
        let style = style_tokens(style);
        return if param.required {
            quote!(let request = request.query_styled(#wire, &self.#field, #style)?;)
        } else {
            quote!(let request = request.query_styled_opt(#wire, self.#field.as_ref(), #style)?;)
        };
    }
    if param.encoding == Encoding::TextEach {
        // Exploded `form` arrays are query parameters; every item one pair.
        let items = if param.required { quote!(&self.#field) } else { quote!(self.#field.iter().flatten()) };
        return quote!(let request = request.query_each(#wire, #items););
    }
    let value = match (param.encoding, param.required) {
        // The runtime takes a reference, whatever the type: a `Copy` one
        // (even behind an alias) is no needless borrow then.
        (Encoding::Json, true) => quote!(&crate::request::json_text(Self::OPERATION_ID, &self.#field)?),
        (Encoding::Simple, true) => quote!(&crate::request::simple_text(Self::OPERATION_ID, &self.#field)?),
        (_, true) => quote!(&self.#field),
        (Encoding::Json, false) => quote! {
            self.#field.as_ref().map(|value| crate::request::json_text(Self::OPERATION_ID, value)).transpose()?
        },
        (Encoding::Simple, false) => quote! {
            self.#field.as_ref().map(|value| crate::request::simple_text(Self::OPERATION_ID, value)).transpose()?
        },
        (_, false) => quote!(self.#field.as_ref()),
    };
    let call = match (param.location, param.required) {
        (ParamLocation::Header, true) => quote!(header(#wire, #value)?),
        (ParamLocation::Header, false) => quote!(header_opt(#wire, #value)?),
        (ParamLocation::Cookie, true) => quote!(cookie(#wire, #value)?),
        (ParamLocation::Cookie, false) => quote!(cookie_opt(#wire, #value)?),
        (_, true) => quote!(query(#wire, #value)),
        (_, false) => quote!(query_opt(#wire, #value)),
    };
    quote!(let request = request.#call;)
}

fn multipart(parts: &[MultipartPart], free_form: bool) -> TokenStream {
    let extra = free_form.then(|| {
        quote! {
            let form = self.extra_parts.into_iter().fold(form, |form, (name, file)| form.named_file(name, file));
        }
    });
    let adds = parts.iter().map(|part| {
        let field = ident(&part.field_name);
        let wire = &part.wire_name;
        let add = match part.kind {
            PartKind::File => quote!(form.file(#wire, value)),
            PartKind::Text => quote!(form.text(#wire, value)),
        };
        if part.required {
            quote! { let form = { let value = self.#field; #add }; }
        } else {
            quote! {
                let form = match self.#field {
                    Some(value) => #add,
                    None => form,
                };
            }
        }
    });
    quote! {
        let form = crate::request::Form::default();
        #( #adds )*
        #extra
        let request = request.multipart(form);
    }
}

/// The operation's error enum, when it has one of its own, or its alias for
/// the shared enum that holds its error bodies.
fn error_items(operation: &Operation) -> Option<TokenStream> {
    let typed = operation.typed_errors();
    if typed.is_empty() {
        return None;
    }
    let name = ident(&operation.error_name);
    match &operation.shared_errors {
        None => {
            let docs = doc(&format!(
                "The error bodies `{}` declares, one variant per status. An [`ApiError`](crate::ApiError) \
                 of this operation holds one: `error.details::<{}>()`; `details` of the model inside works too.",
                operation.operation_id, operation.error_name
            ));
            Some(error_enum(&name, &typed, docs, short_type, None))
        }
        Some(shared) if *shared == operation.error_name => None,
        Some(shared) => {
            let shared_ident = ident(shared);
            // The shared enums sit in the operations file, or beside the tag modules.
            let (link, path) = match operation.module {
                None => (format!("[`{shared}`]"), quote!(#shared_ident)),
                Some(_) => (format!("[`{shared}`](super::{shared})"), quote!(super::#shared_ident)),
            };
            let docs = doc(&format!(
                "The error bodies `{}` declares, the same as other operations': {link}, which they \
                 share. An [`ApiError`](crate::ApiError) of this operation holds one: `error.details::<{}>()`.",
                operation.operation_id, operation.error_name
            ));
            Some(quote! {
                #docs
                pub type #name = #path;
            })
        }
    }
}

/// An enum that several operations declare alike, behind their features.
/// In the one operations file of an API not split by tag, models are named
/// through its `use crate::models;`; elsewhere in full.
pub(super) fn shared_errors(shared: &SharedErrors, in_operations_file: bool) -> TokenStream {
    let name = ident(&shared.name);
    let (first, others) = shared.operations.split_first().expect("an enum is shared by two operations or more");
    let others = match others.len() {
        1 => "one other operation declares the same and names this type".to_owned(),
        count => format!("{count} other operations declare the same, each naming this type"),
    };
    let docs = doc(&format!(
        "The error bodies `{first}` declares, one variant per status; {others} by an alias of its own. An [`ApiError`](crate::ApiError) of these operations holds one: \
         `error.details::<{}>()`; `details` of the model inside works too.",
        shared.name
    ));
    let errors: Vec<&ErrorResponse> = shared.errors.iter().collect();
    let gate = (!shared.features.is_empty()).then(|| {
        let cfg = super::models::feature_cfg(&shared.features);
        quote!(#[cfg(#cfg)])
    });
    let type_tokens = if in_operations_file { short_type } else { rust_type };
    error_enum(&name, &errors, docs, type_tokens, gate)
}

/// An error enum: one variant per declared error status with a JSON body,
/// holding that status's model, with the decoder `send` hands its response.
fn error_enum(
    name: &Ident,
    typed: &[&ErrorResponse],
    docs: TokenStream,
    type_tokens: fn(&Type) -> TokenStream,
    gate: Option<TokenStream>,
) -> TokenStream {
    let variants = typed.iter().map(|error| {
        let variant = ident(&error.variant);
        let ty = type_tokens(strip_nullable(error.ty.as_ref().expect("typed errors have a type")));
        let status = match error.status {
            StatusMatch::Default => "Any other status".to_owned(),
            status => format!("`{}`", status.key()),
        };
        let text = match &error.description {
            Some(description) => format!("{status}: {}", description.trim()),
            None => status,
        };
        let docs = doc(&text);
        let ty = if error.boxed { quote!(Box<#ty>) } else { ty };
        quote!(#docs #variant(#ty),)
    });
    let bodies = typed.iter().map(|error| {
        let variant = ident(&error.variant);
        if error.boxed {
            quote!(Self::#variant(body) => &**body,)
        } else {
            quote!(Self::#variant(body) => body,)
        }
    });
    let decode = decode(typed);
    quote! {
        #gate
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
        }

        #gate
        impl #name {
            #decode
        }

        #gate
        impl crate::ErrorDetails for #name {
            fn as_any(&self) -> &dyn ::std::any::Any {
                self
            }

            fn body(&self) -> &dyn ::std::any::Any {
                match self {
                    #( #bodies )*
                }
            }
        }
    }
}

fn strip_nullable(ty: &Type) -> &Type {
    match ty {
        Type::Nullable(inner) => inner,
        ty => ty,
    }
}

/// Decodes an error body into its error enum: exact statuses, then ranges,
/// then `default`. A body that does not match is kept raw.
fn decode(typed: &[&ErrorResponse]) -> TokenStream {
    let signature = quote!(Option<Box<dyn crate::ErrorDetails>>);
    let docs =
        doc("The error body of a response with this status, if it is one the spec declares (`send` decodes with it).");
    if let [only] = typed {
        if only.status == StatusMatch::Default {
            // Every status has the one body: no match (clippy would flag one of a single `_` arm).
            let variant = ident(&only.variant);
            return quote! {
                #docs
                #[inline]
                pub(crate) fn decode(_status: u16, body: &[u8]) -> #signature {
                    let details = crate::de::json(body).map(Self::#variant)?;
                    Some(Box::new(details))
                }
            };
        }
    }
    let arm = |error: &ErrorResponse, pattern: TokenStream| {
        let variant = ident(&error.variant);
        quote!(#pattern => crate::de::json(body).map(Self::#variant),)
    };
    // Exact statuses first, then ranges, then `default`.
    let mut typed = typed.to_vec();
    typed.sort_by_key(|error| match error.status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    let arms = typed.iter().map(|error| match error.status {
        StatusMatch::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            arm(error, quote!(#code))
        }
        StatusMatch::Range(range) => {
            let low = proc_macro2::Literal::u16_unsuffixed(range * 100);
            let high = proc_macro2::Literal::u16_unsuffixed(range * 100 + 99);
            arm(error, quote!(#low..=#high))
        }
        StatusMatch::Default => arm(error, quote!(_)),
    });
    let fallback = typed.iter().all(|error| error.status != StatusMatch::Default).then(|| quote!(_ => None,));
    // Only `send` uses it, and `send`'s future is compiled in the crates that
    // await it: `#[inline]` leaves this to them too, with the error models'
    // decoding, instead of compiling it here. One `?` for all arms: each is
    // code the compiler checks.
    quote! {
        #docs
        #[inline]
        pub(crate) fn decode(status: u16, body: &[u8]) -> #signature {
            let details = match status {
                #( #arms )*
                #fallback
            }?;
            Some(Box::new(details))
        }
    }
}
