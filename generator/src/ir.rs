//! The intermediate representation between the spec and the generated code.
//!
//! Everything here is owned, resolved and named: codegen never sees
//! `openapiv3` types, never invents a name, and never needs to look anything
//! up. Collections are `Vec`s in spec order or `BTreeMap`s by name, so output
//! order is deterministic by construction.

use std::collections::BTreeMap;

use crate::diagnostics::Location;

/// A whole API, ready for codegen.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// Path of the API on its host, from the first server URL (e.g. `/v2024`).
    pub base_path: String,
    /// The first server URL template, as written (e.g. `https://{tenant}.api.identitynow.com/v2024`).
    pub server_url: Option<String>,
    /// The first server's variables, in the order the URL names them.
    pub server_variables: Vec<ServerVariable>,
    /// The security schemes operations use, in `components.securitySchemes` order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The global `security`: alternatives, each a set of schemes.
    pub security: Vec<Requirement>,
    /// Where the crate reads its settings from.
    pub settings: Settings,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
    /// Named types by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// One feature-gated module per tag, by module name; empty when the spec
    /// has fewer than two tags (then nothing is feature-gated).
    pub tags: Vec<Tag>,
    /// Error enums that several operations declare alike, in the order of
    /// their first operation.
    pub shared_errors: Vec<SharedErrors>,
}

impl Api {
    /// Whether the crate follows SailPoint's conventions (the runtime's
    /// `sailpoint` feature): an API of SailPoint's, or one with operations
    /// marked experimental in SailPoint's way.
    pub fn sailpoint_conventions(&self) -> bool {
        self.settings.sailpoint.is_some() || self.operations.iter().any(|operation| operation.experimental)
    }

    /// Which kinds of credentials the API's schemes take: they decide the
    /// builder's methods, the environment variables and the guide's sections.
    pub fn credentials(&self) -> Credentials {
        let has = |wanted: fn(&SchemeKind) -> bool| self.security_schemes.iter().any(|scheme| wanted(&scheme.kind));
        Credentials {
            token: has(|kind| matches!(kind, SchemeKind::ClientCredentials { .. } | SchemeKind::Bearer)),
            client_credentials: has(|kind| matches!(kind, SchemeKind::ClientCredentials { .. })),
            basic: has(|kind| matches!(kind, SchemeKind::Basic)),
            api_key: has(|kind| matches!(kind, SchemeKind::ApiKey { .. })),
        }
    }
}

/// The kinds of credentials an API takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credentials {
    /// A bearer token: OAuth2 (any flow), OpenID Connect or `http bearer`.
    pub token: bool,
    /// OAuth2 client credentials, fetched by the client.
    pub client_credentials: bool,
    /// `http basic`.
    pub basic: bool,
    /// An API key in a header, the query or a cookie.
    pub api_key: bool,
}

/// The cargo feature of the models no operation uses (and the models they use).
pub const UNREFERENCED_FEATURE: &str = "unreferenced-models";

/// A tag of operations: a module of the client and a cargo feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag as the spec names it.
    pub name: String,
    /// Module name (snake_case).
    pub module: String,
    /// Cargo feature name (kebab-case).
    pub feature: String,
    /// The tag's description.
    pub description: Option<String>,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId` as written in the spec.
    pub operation_id: String,
    /// Client method name (snake_case, keyword-escaped).
    pub method_name: String,
    /// Request builder type name (PascalCase).
    pub builder_name: String,
    /// Name of the enum of the operation's error bodies (PascalCase): its
    /// own enum, or its own name for a shared one.
    pub error_name: String,
    /// The [`SharedErrors`] enum `error_name` names, when other operations
    /// declare the same error bodies.
    pub shared_errors: Option<String>,
    /// HTTP method, upper case.
    pub http_method: String,
    /// Path template as written (`/connectors/{scriptName}`).
    pub path: String,
    /// The path split into literal and parameter segments.
    pub segments: Vec<Segment>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Parameters: path parameters first in path order, then the rest in spec order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// The success response the client decodes.
    pub success: SuccessResponse,
    /// Declared error responses, by status.
    pub errors: Vec<ErrorResponse>,
    /// How `items()` pages through the results, for list operations.
    pub pagination: Option<Pagination>,
    /// Module of the operation's (first) tag, when the API is split by tag.
    pub module: Option<String>,
    /// Needs the `X-SailPoint-Experimental` header, sent once the client opts in.
    pub experimental: bool,
    /// The operation's own `security`, overriding [`Api::security`]; `Some(vec![])` sends no credentials.
    pub security: Option<Vec<Requirement>>,
    /// Where the operation is defined.
    pub origin: Location,
}

impl Operation {
    /// Named types the operation uses directly.
    pub fn named_types(&self) -> std::collections::BTreeSet<String> {
        self.types_named(true)
    }

    /// Named types the operation's own items use: all of them, but for the
    /// error bodies of a shared error enum, which live with that enum.
    pub fn own_named_types(&self) -> std::collections::BTreeSet<String> {
        self.types_named(self.shared_errors.is_none())
    }

    fn types_named(&self, with_errors: bool) -> std::collections::BTreeSet<String> {
        let mut types: Vec<&Type> = self.params.iter().map(|param| &param.ty).collect();
        types.extend(self.body.as_ref().and_then(RequestBody::model));
        types.extend(self.success.content.types());
        if with_errors {
            types.extend(self.errors.iter().filter_map(|error| error.ty.as_ref()));
        }
        types.into_iter().filter_map(Type::name).map(str::to_owned).collect()
    }

    /// The error responses with a body: the variants of its error enum.
    pub fn typed_errors(&self) -> Vec<&ErrorResponse> {
        self.errors.iter().filter(|error| error.ty.is_some()).collect()
    }
}

/// An error enum several operations declare alike: one type, which each of
/// them also names by its own error enum's name.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedErrors {
    /// The enum's name: its first operation's [`Operation::error_name`].
    pub name: String,
    /// The error responses with a body, as each operation declares them.
    pub errors: Vec<ErrorResponse>,
    /// The `operationId`s of its operations, in spec order.
    pub operations: Vec<String>,
    /// The features of their tags (empty when the API is not split by tag).
    pub features: std::collections::BTreeSet<String>,
}

/// A variable of the server URL (`{tenant}`): a client builder method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVariable {
    /// Its name in the URL.
    pub name: String,
    /// The `ClientBuilder` method that sets it (snake_case).
    pub method: String,
    /// Its `default`.
    pub default: String,
    /// Its `enum`, when the spec limits it.
    pub allowed: Vec<String>,
    /// `description`.
    pub description: Option<String>,
    /// What part of the URL it is, which limits what it may hold.
    pub place: VariablePlace,
}

/// What part of a server URL a variable is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariablePlace {
    /// Part of the host name, next to literal labels (`{tenant}.api.identitynow.com`).
    HostLabel,
    /// The whole host, with an optional port (`https://{apiUrl}`).
    Host,
    /// In the path.
    Path,
}

/// A security scheme of `components.securitySchemes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes`.
    pub name: String,
    /// How the client authenticates with it.
    pub kind: SchemeKind,
    /// `description`.
    pub description: Option<String>,
}

/// How a request carries credentials for a scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// OAuth2 with a client credentials flow: the client fetches its token
    /// at `token_url`, or uses one the caller gives.
    ClientCredentials {
        /// Where the token endpoint is.
        token_url: TokenUrl,
    },
    /// A bearer token the caller gives: `http` `bearer`, OAuth2 flows the
    /// client cannot run itself, OpenID Connect.
    Bearer,
    /// `http` `basic`: a user name and password.
    Basic,
    /// An API key.
    ApiKey {
        /// Where it is sent.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        param: String,
        /// The `ClientBuilder` method that sets it (snake_case).
        method: String,
    },
}

/// Where an OAuth2 token endpoint is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenUrl {
    /// This path on the host the client talks to: the spec's `tokenUrl`
    /// has no host, or names the server's host with example values for its
    /// variables (`https://example-tenant.api.identitynow.com/oauth/token`
    /// for the server `https://{tenant}.api.identitynow.com`).
    OnApiHost(String),
    /// The spec's `tokenUrl` as written: another host.
    Fixed(String),
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// One alternative of a `security` list: every scheme in it, by index in
/// [`Api::security_schemes`], applies at once. An empty one allows no credentials.
pub type Requirement = Vec<usize>;

/// Where a generated client reads its settings besides its builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Prefix of the environment variables (`SAIL_`, `TWILIO_API_`).
    pub env_prefix: String,
    /// The environment variable holding the base URL, without the prefix (`BASE_URL`, `NERM_BASE_URL`).
    pub base_url_var: String,
    /// SailPoint's own configuration files, for crates of SailPoint's APIs.
    pub sailpoint: Option<SailPointProduct>,
}

/// Which SailPoint product an API belongs to: it picks the keys read from
/// SailPoint's `config.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SailPointProduct {
    /// Identity Security Cloud (`*.api.identitynow.com`): `BaseURL`.
    IdentitySecurityCloud,
    /// Non-Employee Risk Management (`*.nonemployee.com`): `NermBaseUrl`.
    NonEmployeeRiskManagement,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Literal text, sent as is.
    Literal(String),
    /// A path parameter, by its index in [`Operation::params`]; encoded as one segment.
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie, in the `Cookie` header.
    Cookie,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust field and setter name.
    pub field_name: String,
    /// The setter that sets or clears it, for an optional parameter (`set_x`).
    pub clear_setter: Option<String>,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether the caller must give it (a constructor argument) or may (a setter).
    pub required: bool,
    /// Its type.
    pub ty: Type,
    /// `description`.
    pub description: Option<String>,
    /// The server's default (a boolean written as a string is a boolean).
    pub default: Option<serde_json::Value>,
    /// Inclusive bounds of a number.
    pub bounds: Bounds,
    /// How the value is written into the URL or header.
    pub encoding: Encoding,
}

/// Inclusive bounds of a number, as the spec writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bounds {
    /// `minimum`.
    pub minimum: Option<serde_json::Number>,
    /// `maximum`.
    pub maximum: Option<serde_json::Number>,
}

/// How a parameter's value becomes text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Its `Display` text (strings, numbers, booleans, enums).
    Text,
    /// An array: the parameter repeated, one item's text each (`form`, exploded).
    TextEach,
    /// An array or object written by another OpenAPI style.
    Styled(Style),
    /// An array or object in a path, header or cookie: OpenAPI's `simple`
    /// style, items (or keys and values) joined by commas.
    Simple,
    /// A structured value: its JSON text.
    Json,
}

/// OpenAPI's `style` and `explode` for an array or object value in a query
/// string or a form body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form`: exploded, a pair per item or property; else comma-separated.
    Form {
        /// `explode`.
        explode: bool,
    },
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`: `name[property]=value`.
    DeepObject,
    /// The value's JSON text.
    Json,
}

/// How a list operation pages, decided from its parameters and response
/// (or declared in the generator config): `items()` streams every item.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Which parameters move through the pages.
    pub style: PageStyle,
    /// Where a page's items are in the response body.
    pub items: ItemsAt,
    /// Type of one item.
    pub item: Type,
    /// Where a response says how many items the whole list has.
    pub total: TotalAt,
}

/// Where a page's response reports the list's total, which lets the stream
/// stop without asking for a page past the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TotalAt {
    /// Nowhere.
    Nowhere,
    /// The `X-Total-Count` header (SailPoint's convention, so for SailPoint's APIs only).
    CountHeader,
    /// An integer field of the body (SCIM's `totalResults`).
    Field(Vec<FieldStep>),
}

/// The paging styles `items()` runs.
#[derive(Debug, Clone, PartialEq)]
pub enum PageStyle {
    /// `limit` and `offset`: the offset grows by the items received.
    LimitOffset {
        /// The page size parameter (`I32` or `I64`).
        limit: PageParam,
        /// The offset parameter (`I32` or `I64`).
        offset: PageParam,
        /// A boolean `count` parameter that asks for `X-Total-Count`.
        count: Option<PageParam>,
        /// Page size when the caller sets no limit: the largest the spec allows.
        page_size: u64,
        /// The index of the first item: 0 for an offset, 1 for SCIM's `startIndex`.
        first_index: u64,
    },
    /// A page number and a page size.
    PageNumber {
        /// The page number parameter.
        page: PageParam,
        /// The page size parameter.
        size: PageParam,
        /// The number of the first page (0 or 1, as the spec says).
        first: u64,
        /// Page size when the caller sets none.
        page_size: u64,
    },
    /// A token (cursor) parameter, set from each response for the next page.
    Cursor {
        /// The token parameter.
        token: PageParam,
        /// Where the next page's token is.
        next: NextAt,
    },
    /// Search-after (Elasticsearch's `search_after`): fields of the JSON
    /// request body sort the results, by the caller's keys and then one
    /// unique to each item, and each page starts after the sort values of
    /// the one before's last item. It reaches past a server's window on
    /// offsets (SailPoint's search refuses `offset + limit` over 10,000).
    SearchAfter {
        /// The body's array of sort keys (`name`, `-created`).
        sort: FieldStep,
        /// The body's array of the values a page starts after.
        after: FieldStep,
        /// Whether the builder holds the body itself rather than an
        /// `Option`; an optional body's model has every field optional, so
        /// its `Default` stands in when the caller gives none.
        body_required: bool,
        /// The wire name of the item field unique to each item (`id`), the
        /// sort's last key unless the caller's sort names it.
        tiebreak: String,
        /// The page size parameter, when the operation takes one; without
        /// it the stream ends on an empty page.
        limit: Option<PageSize>,
        /// An offset parameter, never sent: pages start after values instead.
        offset: Option<PageParam>,
        /// A boolean `count` parameter that asks for `X-Total-Count`.
        count: Option<PageParam>,
    },
}

/// A page size parameter and the size sent when the caller sets none.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSize {
    /// The parameter (`I32` or `I64`).
    pub param: PageParam,
    /// The largest page the spec allows, else its default, else 100.
    pub default: u64,
}

/// Where a response says how to get the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextAt {
    /// A body field holding the next token itself.
    Token(Vec<FieldStep>),
    /// A body field holding the next page's URL, whose query carries the token.
    Url(Vec<FieldStep>),
    /// The `Link` header's `rel="next"` URL, whose query carries the token.
    LinkHeader,
}

/// Where a page's items are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemsAt {
    /// The body is the array of items.
    Body,
    /// A field of the body object is; `None` in the body means no items.
    Field(FieldStep),
}

/// One field on the way into a response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    /// The Rust field name.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// A parameter the page stream sets on every page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageParam {
    /// Its builder field.
    pub field: String,
    /// Its name on the wire.
    pub wire_name: String,
    /// Its type.
    pub ty: Type,
    /// Whether the field holds the value itself rather than an `Option`.
    pub required: bool,
}

/// The builder field and setter of a request body given as one value.
pub const BODY_FIELD: &str = "body";

/// The setter that sets or clears an optional body.
pub const BODY_CLEAR_SETTER: &str = "set_body";

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestBody {
    /// A JSON document (`application/json` or a `+json` type).
    Json {
        /// The exact media type to send as `Content-Type`.
        content_type: String,
        /// The body's type.
        ty: Type,
        /// Whether the body must be given.
        required: bool,
        /// `description`.
        description: Option<String>,
    },
    /// An `application/x-www-form-urlencoded` form: an object whose
    /// properties become name/value pairs.
    Form {
        /// The exact media type to send as `Content-Type`.
        content_type: String,
        /// The body's type (an object).
        ty: Type,
        /// Whether the body must be given.
        required: bool,
        /// Properties the spec's `encoding` gives a style, by wire name.
        styles: Vec<(String, Style)>,
        /// `description`.
        description: Option<String>,
    },
    /// Text (`text/plain`, `text/csv`...), given as a `String`.
    Text {
        /// The exact media type to send as `Content-Type`.
        content_type: String,
        /// Whether the body must be given.
        required: bool,
        /// `description`.
        description: Option<String>,
    },
    /// Raw bytes (`application/octet-stream`, images, `*/*`...), given as
    /// bytes or a file streamed from disk.
    Binary {
        /// The media type to send when the caller names none; a concrete
        /// type, `application/octet-stream` for wildcards.
        content_type: String,
        /// Whether the body must be given.
        required: bool,
        /// `description`.
        description: Option<String>,
    },
    /// A `multipart/form-data` form.
    Multipart {
        /// The form's parts.
        parts: Vec<MultipartPart>,
        /// The spec declares no parts: the caller adds named file parts.
        free_form: bool,
        /// `description`.
        description: Option<String>,
    },
}

impl RequestBody {
    /// Whether the caller must give the body, when it is one value
    /// (multipart forms are given part by part).
    pub fn is_required_value(&self) -> bool {
        match self {
            RequestBody::Json { required, .. }
            | RequestBody::Form { required, .. }
            | RequestBody::Text { required, .. }
            | RequestBody::Binary { required, .. } => *required,
            RequestBody::Multipart { .. } => false,
        }
    }

    /// The model the body holds, for JSON and form bodies.
    pub fn model(&self) -> Option<&Type> {
        match self {
            RequestBody::Json { ty, .. } | RequestBody::Form { ty, .. } => Some(ty),
            _ => None,
        }
    }
}

/// One part of a multipart form.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartPart {
    /// Part name on the wire.
    pub wire_name: String,
    /// Rust setter name.
    pub field_name: String,
    /// The setter that sets or clears it, for an optional part (`set_x`).
    pub clear_setter: Option<String>,
    /// Whether the form must have it.
    pub required: bool,
    /// A file upload, or a text value.
    pub kind: PartKind,
    /// `description`.
    pub description: Option<String>,
}

/// What a multipart part carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// Binary content with a file name and content type.
    File,
    /// A text value.
    Text,
}

/// The response the client decodes on success.
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessResponse {
    /// The documented status (200, 201, 204, ...).
    pub status: u16,
    /// What its body holds.
    pub content: ResponseContent,
    /// `description`.
    pub description: Option<String>,
}

/// The body of a response.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseContent {
    /// No body.
    Empty,
    /// A JSON document of this type, with the media type to accept.
    Json { media_type: String, ty: Type },
    /// Text (XML, plain text, CSV...) returned as a `String`.
    Text { media_type: String },
    /// Binary content (zip, PDF, images...) returned as bytes; the media
    /// types are all those declared, to accept any of them.
    Binary { media_types: Vec<String> },
    /// Several 2xx statuses with different bodies: an enum in the
    /// operations module, a variant per status.
    ByStatus {
        /// The enum's name.
        name: String,
        /// In spec order; the first also decodes a 2xx status the spec does not declare.
        variants: Vec<StatusVariant>,
    },
}

/// One 2xx status of a [`ResponseContent::ByStatus`] enum.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// The status; `None` for `2XX`.
    pub status: Option<u16>,
    /// The variant's name (`Created`).
    pub variant: String,
    /// Its body; never `ByStatus` itself.
    pub content: ResponseContent,
    /// The body is boxed in its variant (a model, as for errors).
    pub boxed: bool,
    /// `description`.
    pub description: Option<String>,
}

impl ResponseContent {
    /// The named types the body holds.
    pub fn types(&self) -> Vec<&Type> {
        match self {
            ResponseContent::Json { ty, .. } => vec![ty],
            ResponseContent::ByStatus { variants, .. } => {
                variants.iter().flat_map(|variant| variant.content.types()).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Which statuses a declared response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status (`404`).
    Code(u16),
    /// A range, by its first digit (`4` for `4XX`).
    Range(u16),
    /// `default`: any status no other response covers.
    Default,
}

impl StatusMatch {
    /// As the spec writes it: `404`, `4XX`, `default`.
    pub fn key(self) -> String {
        match self {
            StatusMatch::Code(code) => code.to_string(),
            StatusMatch::Range(range) => format!("{range}XX"),
            StatusMatch::Default => "default".to_owned(),
        }
    }
}

/// A declared error response.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// Its variant in the operation's error enum (`NotFound`, `Status4xx`, `Other`).
    pub variant: String,
    /// The JSON body's type, when one is declared.
    pub ty: Option<Type>,
    /// The body is boxed in its enum variant (a model: variants' sizes must
    /// not differ widely whatever the spec's models hold).
    pub boxed: bool,
    /// `description`.
    pub description: Option<String>,
}

/// A reference to a type, as used by a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Type {
    /// `String`.
    String,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// Any JSON value.
    Any,
    /// `Vec<T>`.
    Array(Box<Type>),
    /// A map from string keys to `T`.
    Map(Box<Type>),
    /// A named type in [`Api::types`].
    Named(String),
    /// `Option<T>`: the value may be `null`.
    Nullable(Box<Type>),
}

impl Type {
    /// Whether the value is a model held in place (not behind a `Vec` or map),
    /// whose size depends on what the spec puts in it.
    pub fn is_model(&self) -> bool {
        match self {
            Type::Named(_) => true,
            Type::Nullable(inner) => inner.is_model(),
            _ => false,
        }
    }

    /// The named type inside, however deep (`Vec<Option<X>>` names `X`).
    pub fn name(&self) -> Option<&str> {
        match self {
            Type::Named(name) => Some(name),
            Type::Array(inner) | Type::Map(inner) | Type::Nullable(inner) => inner.name(),
            _ => None,
        }
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name (PascalCase, unique).
    pub name: String,
    /// Documentation (title, description).
    pub doc: Option<String>,
    /// The shape.
    pub kind: TypeKind,
    /// Where it is defined.
    pub origin: Location,
    /// Features (tags) whose operations use the type; empty when none does
    /// or the API is not split by tag.
    pub features: std::collections::BTreeSet<String>,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct {
        /// Fields in spec order.
        fields: Vec<Field>,
    },
    /// A string enum; decoding keeps unknown values.
    Enum {
        /// Variants in spec order.
        variants: Vec<EnumVariant>,
    },
    /// A value that is one of several types (`oneOf`/`anyOf`): chosen by the
    /// discriminator property when there is one, else the first that fits.
    Union {
        /// Variants; without a discriminator, in a sound decoding order.
        variants: Vec<UnionVariant>,
        /// The property whose value names the variant.
        discriminator: Option<Discriminator>,
    },
    /// Another name for a type.
    Alias {
        /// The aliased type.
        ty: Type,
    },
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Property name on the wire.
    pub wire_name: String,
    /// Rust field name (snake_case, keyword-escaped, unique in the struct).
    pub rust_name: String,
    /// Type, `Nullable` when the value may be null.
    pub ty: Type,
    /// Whether the property must be present.
    pub required: bool,
    /// Boxed to break a cycle of types.
    pub boxed: bool,
    /// `description`.
    pub doc: Option<String>,
}

impl Field {
    /// Whether the Rust field is an `Option`: the property may be absent or
    /// `null`. A struct whose fields all are derives `Default`.
    pub fn is_optional(&self) -> bool {
        !self.required || matches!(self.ty, Type::Nullable(_))
    }

    /// The model's chainable setter of this field: `with_` and the field's
    /// name, unique because field names are, and never `new`.
    pub fn setter(&self) -> String {
        format!("with_{}", self.rust_name.trim_start_matches("r#"))
    }
}

/// A string enum variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// The value on the wire.
    pub wire_value: String,
    /// Rust variant name.
    pub rust_name: String,
}

impl TypeKind {
    /// The types a definition holds: field, variant or aliased types.
    pub fn held_types(&self) -> Vec<&Type> {
        match self {
            TypeKind::Struct { fields } => fields.iter().map(|field| &field.ty).collect(),
            TypeKind::Union { variants, .. } => variants.iter().map(|variant| &variant.ty).collect(),
            TypeKind::Alias { ty } => vec![ty],
            TypeKind::Enum { .. } => Vec::new(),
        }
    }
}

/// How a tagged union tells its variants apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discriminator {
    /// The property holding the tag.
    pub property: String,
    /// Tag value → Rust variant name, in spec order.
    pub mapping: Vec<(String, String)>,
}

/// A union variant.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub rust_name: String,
    /// The variant's type.
    pub ty: Type,
    /// Boxed: a struct, which would make every value of the union as large as it.
    pub boxed: bool,
}
