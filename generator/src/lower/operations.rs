//! Operations: parameters, bodies and responses, with the media types the
//! client must send and accept.

use openapiv3::{MediaType, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody as SpecBody, StatusCode};

use super::names::{type_name, value_name, Scope};
use super::schemas::{Naming, SchemaRef};
use super::Lowerer;
use crate::diagnostics::{push_pointer, Kind};
use crate::ir::{
    Bounds, Encoding, ErrorResponse, MultipartPart, Operation, Param, ParamLocation, PartKind, RequestBody,
    ResponseContent, Segment, StatusMatch, StatusVariant, Style, SuccessResponse, Type,
};

impl Lowerer<'_> {
    pub(crate) fn operations(&mut self) -> Vec<Operation> {
        let mut method_scope = Scope::with_reserved(CLIENT_METHODS);
        let mut builder_scope = Scope::with_reserved(PRELUDE_NAMES);
        let mut operations = Vec::new();
        for (path, item) in &self.spec.paths.paths {
            let item_pointer = push_pointer("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    let message = format!("path `{path}` left out: its `$ref: {reference}` could not be resolved");
                    let location = self.locate(&item_pointer);
                    self.skipped.push(crate::diagnostics::Diagnostic::new(Kind::LeftOut, location, message));
                    continue;
                }
            };
            for (method, operation) in item.iter() {
                let pointer = push_pointer(&item_pointer, method);
                let operation_id = match &operation.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    _ => {
                        let derived = derived_operation_id(method, path);
                        let message =
                            format!("operation has no `operationId`: named `{derived}` from its method and path");
                        self.warn(Kind::Named, &pointer, message);
                        derived
                    }
                };
                let wanted = value_name(&operation_id);
                let method_name = method_scope.claim(wanted.clone());
                if method_name != wanted {
                    let message = format!(
                        "operation `{operation_id}` would be the client method `{wanted}`, which is taken: it is `{method_name}`"
                    );
                    self.warn(Kind::Named, &pointer, message);
                }
                let builder_name = builder_scope.claim(type_name(method_name.trim_start_matches("r#")));
                let error_name = builder_scope.claim(format!("{builder_name}Error"));
                // Used only when its 2xx statuses have different bodies.
                let success_name = builder_scope.claim(format!("{builder_name}Success"));
                let context = OperationContext {
                    path,
                    pointer: &pointer,
                    item_pointer: &item_pointer,
                    operation_id: &operation_id,
                };
                let names = OperationNames { method_name, builder_name, error_name, success_name };
                let lowered = self.operation(&context, &item.parameters, operation, method, names);
                operations.extend(lowered);
            }
        }
        operations
    }

    fn operation(
        &mut self,
        context: &OperationContext<'_>,
        shared_parameters: &[ReferenceOr<Parameter>],
        operation: &openapiv3::Operation,
        method: &str,
        names: OperationNames,
    ) -> Option<Operation> {
        let errors_before = self.errors.len();
        // `extra_parts` and `part` belong to forms that declare no parts.
        let mut field_scope = Scope::with_reserved(BUILDER_NAMES);
        let declared = shared_parameters
            .iter()
            .enumerate()
            .map(|(index, p)| (p, push_pointer(&push_pointer(context.item_pointer, "parameters"), &index.to_string())))
            .chain(
                operation.parameters.iter().enumerate().map(|(index, p)| {
                    (p, push_pointer(&push_pointer(context.pointer, "parameters"), &index.to_string()))
                }),
            );
        // Operation-level parameters replace path-level ones of the same name and place.
        let mut chosen: Vec<(&Parameter, String)> = Vec::new();
        for (parameter, pointer) in declared {
            let parameter = match parameter {
                ReferenceOr::Item(parameter) => parameter,
                ReferenceOr::Reference { reference } => {
                    self.error(&pointer, format!("parameter `$ref: {reference}` could not be resolved"));
                    continue;
                }
            };
            let key = |p: &Parameter| (p.parameter_data_ref().name.clone(), std::mem::discriminant(p));
            chosen.retain(|(existing, _)| key(existing) != key(parameter));
            chosen.push((parameter, pointer));
        }
        // SailPoint's experimental operations declare a required header; the
        // client sends it itself once experimental operations are enabled.
        let experimental = chosen.iter().any(|(p, _)| is_experimental_header(p));
        chosen.retain(|(p, _)| !is_experimental_header(p));
        let mut params = Vec::new();
        for (parameter, pointer) in chosen {
            if let Some(param) = self.param(parameter, context, &pointer, &mut field_scope) {
                params.push(param);
            }
        }
        let mut segments = self.segments(context, &mut params, &mut field_scope);
        // Path parameters first, in path order: they are the method's arguments.
        let path_order = |index: usize| segments.iter().position(|s| *s == Segment::Param(index)).unwrap_or(usize::MAX);
        let mut order: Vec<usize> = (0..params.len()).collect();
        order.sort_by_key(|&index| (params[index].location != ParamLocation::Path, path_order(index)));
        for segment in &mut segments {
            if let Segment::Param(index) = segment {
                *index = order.iter().position(|old| old == index).expect("every parameter keeps a place");
            }
        }
        let mut unsorted: Vec<Option<Param>> = params.into_iter().map(Some).collect();
        let params: Vec<Param> =
            order.iter().map(|&index| unsorted[index].take().expect("each parameter is placed once")).collect();
        let body = match &operation.request_body {
            None => None,
            Some(ReferenceOr::Reference { reference }) => {
                let message = format!("request body `$ref: {reference}` could not be resolved");
                self.error(&push_pointer(context.pointer, "requestBody"), message);
                None
            }
            Some(ReferenceOr::Item(body)) => self.body(body, context, &mut field_scope),
        };
        let (success, errors) = self.responses(&operation.responses, context, &names.success_name);
        let OperationNames { method_name, builder_name, error_name, .. } = names;
        if self.errors.len() > errors_before {
            // One bad operation never sinks the others: it is left out, with its reasons.
            let reasons = self.errors.split_off(errors_before);
            for reason in reasons {
                let message = format!("operation `{}` left out: {}", context.operation_id, reason.message);
                self.skipped.push(crate::diagnostics::Diagnostic::new(
                    crate::diagnostics::Kind::LeftOut,
                    reason.location,
                    message,
                ));
            }
            return None;
        }
        let pagination = self.pagination(context.operation_id, context.pointer, &params, body.as_ref(), &success);
        let security_pointer = push_pointer(context.pointer, "security");
        let security = operation.security.as_ref().map(|list| self.requirements(list, &security_pointer));
        Some(Operation {
            operation_id: context.operation_id.to_owned(),
            method_name,
            builder_name,
            error_name,
            shared_errors: None,
            http_method: method.to_ascii_uppercase(),
            path: context.path.to_owned(),
            segments,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            params,
            body,
            success,
            errors,
            pagination,
            module: operation.tags.first().cloned(),
            experimental,
            security,
            origin: self.locate(context.pointer),
        })
    }

    fn param(
        &mut self,
        parameter: &Parameter,
        context: &OperationContext<'_>,
        pointer: &str,
        field_scope: &mut Scope,
    ) -> Option<Param> {
        let (data, location, query_style) = match parameter {
            Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path, None),
            Parameter::Query { parameter_data, style, .. } => {
                (parameter_data, ParamLocation::Query, Some(query_style(style, parameter_data.explode)))
            }
            Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header, None),
            Parameter::Cookie { parameter_data, .. } => (parameter_data, ParamLocation::Cookie, None),
        };
        let (ty, default, bounds) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let naming =
                    Naming::new(&data.name).or(format!("{}{}", type_name(context.operation_id), type_name(&data.name)));
                let ty = self.schema_type(schema.into(), &naming, &push_pointer(pointer, "schema"));
                match schema {
                    ReferenceOr::Item(schema) => {
                        let default = schema.schema_data.default.as_ref().map(|default| match (default, &ty) {
                            // Specs write boolean defaults as strings; read them as booleans.
                            (serde_json::Value::String(text), Type::Bool) => match text.as_str() {
                                "true" => serde_json::Value::Bool(true),
                                "false" => serde_json::Value::Bool(false),
                                _ => default.clone(),
                            },
                            (default, _) => default.clone(),
                        });
                        (ty, default, bounds(schema))
                    }
                    ReferenceOr::Reference { .. } => (ty, None, Bounds::default()),
                }
            }
            ParameterSchemaOrContent::Content(_) => {
                self.warn(Kind::Loosened, pointer, "parameter with `content` is sent as a plain string");
                (Type::String, None, Bounds::default())
            }
        };
        let required = data.required || location == ParamLocation::Path;
        // A parameter is absent rather than null: drop nullability, also of array items.
        let ty = match ty {
            Type::Nullable(inner) => *inner,
            ty => ty,
        };
        let ty = match ty {
            Type::Array(item) => match *item {
                Type::Nullable(inner) => Type::Array(inner),
                item => Type::Array(Box::new(item)),
            },
            ty => ty,
        };
        let in_query = location == ParamLocation::Query;
        let encoding = match (&ty, query_style) {
            (ty, _) if self.is_text(ty) => Encoding::Text,
            (Type::Array(item), _) if !in_query && self.is_text(item) => Encoding::Simple,
            (ty, _) if !in_query && self.is_object(ty) => Encoding::Simple,
            // Arrays of scalars and objects in the query string follow their style.
            (Type::Array(item), Some(Style::Form { explode: true }) | None) if self.is_text(item) => Encoding::TextEach,
            (Type::Array(item), Some(style)) if self.is_text(item) => Encoding::Styled(style),
            (ty, Some(style)) if self.is_object(ty) => Encoding::Styled(style),
            _ => Encoding::Json,
        };
        let (field_name, clear_setter) = field_scope.claim_input(value_name(&data.name), required);
        Some(Param {
            wire_name: data.name.clone(),
            field_name,
            clear_setter,
            location,
            required,
            ty,
            description: data.description.clone(),
            default,
            bounds,
            encoding,
        })
    }

    /// Whether a value of this type is a JSON object (a struct or a map).
    fn is_object(&self, ty: &Type) -> bool {
        match ty {
            Type::Map(_) => true,
            Type::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                Some(crate::ir::TypeKind::Struct { .. }) => true,
                Some(crate::ir::TypeKind::Alias { ty }) => self.is_object(ty),
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether a value of this type is written as its `Display` text.
    fn is_text(&self, ty: &Type) -> bool {
        match ty {
            Type::String | Type::I32 | Type::I64 | Type::F64 | Type::Bool => true,
            Type::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                Some(crate::ir::TypeKind::Enum { .. }) => true,
                Some(crate::ir::TypeKind::Alias { ty }) => self.is_text(ty),
                _ => false,
            },
            _ => false,
        }
    }

    /// Splits the path template into literals and parameters, repairing
    /// templates whose placeholders and declared path parameters disagree:
    /// unmatched ones pair up in order when their counts agree; a leftover
    /// placeholder becomes a string parameter, a leftover parameter is dropped.
    fn segments(
        &mut self,
        context: &OperationContext<'_>,
        params: &mut Vec<Param>,
        field_scope: &mut Scope,
    ) -> Vec<Segment> {
        enum Piece<'t> {
            Text(&'t str),
            Placeholder(&'t str),
        }
        let mut pieces = Vec::new();
        let mut rest = context.path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|at| open + at) else { break };
            if open > 0 {
                pieces.push(Piece::Text(&rest[..open]));
            }
            pieces.push(Piece::Placeholder(&rest[open + 1..close]));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest));
        }
        let is_declared = |params: &[Param], name: &str| {
            params.iter().any(|p| p.location == ParamLocation::Path && p.wire_name == name)
        };
        let unmatched_placeholders: Vec<&str> = pieces
            .iter()
            .filter_map(|piece| match piece {
                Piece::Placeholder(name) if !is_declared(params, name) => Some(*name),
                _ => None,
            })
            .collect();
        let placeholders: Vec<&str> = pieces
            .iter()
            .filter_map(|piece| if let Piece::Placeholder(name) = piece { Some(*name) } else { None })
            .collect();
        let unmatched_params: Vec<usize> = (0..params.len())
            .filter(|&i| {
                params[i].location == ParamLocation::Path && !placeholders.contains(&params[i].wire_name.as_str())
            })
            .collect();
        // Placeholder → index of the parameter that fills it.
        let mut filled_by: Vec<(String, usize)> = Vec::new();
        if !unmatched_placeholders.is_empty() && unmatched_placeholders.len() == unmatched_params.len() {
            for (placeholder, &index) in unmatched_placeholders.iter().zip(&unmatched_params) {
                let message = format!(
                    "path `{}` uses `{{{placeholder}}}` but declares the path parameter `{}`: it fills the placeholder",
                    context.path, params[index].wire_name
                );
                self.warn(Kind::Repaired, context.pointer, message);
                filled_by.push(((*placeholder).to_owned(), index));
            }
        } else {
            for placeholder in &unmatched_placeholders {
                let message = format!(
                    "path `{}` uses `{{{placeholder}}}` but declares no parameter for it: added as a string parameter",
                    context.path
                );
                self.warn(Kind::Repaired, context.pointer, message);
                params.push(Param {
                    wire_name: (*placeholder).to_owned(),
                    field_name: field_scope.claim(value_name(placeholder)),
                    clear_setter: None,
                    location: ParamLocation::Path,
                    required: true,
                    ty: Type::String,
                    description: None,
                    default: None,
                    bounds: Bounds::default(),
                    encoding: Encoding::Text,
                });
                filled_by.push(((*placeholder).to_owned(), params.len() - 1));
            }
            for &index in unmatched_params.iter().rev() {
                let message = format!(
                    "path parameter `{}` does not appear in the path `{}`: left out",
                    params[index].wire_name, context.path
                );
                self.warn(Kind::Repaired, context.pointer, message);
                params.remove(index);
                for (_, filler) in filled_by.iter_mut() {
                    if *filler > index {
                        *filler -= 1;
                    }
                }
            }
        }
        pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => Segment::Literal((*text).to_owned()),
                Piece::Placeholder(name) => {
                    let index = filled_by.iter().find(|(placeholder, _)| placeholder == name).map(|(_, i)| *i);
                    let index = index.or_else(|| {
                        params.iter().position(|p| p.location == ParamLocation::Path && p.wire_name == *name)
                    });
                    let index = index.expect("every placeholder is matched, paired or added above");
                    Segment::Param(index)
                }
            })
            .collect()
    }

    fn body(
        &mut self,
        body: &SpecBody,
        context: &OperationContext<'_>,
        field_scope: &mut Scope,
    ) -> Option<RequestBody> {
        let pointer = push_pointer(&push_pointer(context.pointer, "requestBody"), "content");
        let description = body.description.clone();
        let required = body.required;
        // Several media types: the first by MediaKind's order of preference.
        let Some((kind, media_type, media)) = body
            .content
            .iter()
            .map(|(media_type, media)| (MediaKind::of(media_type), media_type, media))
            .min_by_key(|(kind, _, _)| *kind)
        else {
            self.warn(Kind::Loosened, &pointer, "request body declares no media type: the client sends none");
            return None;
        };
        let media_pointer = push_pointer(&pointer, media_type);
        let content_type = media_type.clone();
        let naming = Naming::new(format!("{}Request", type_name(context.operation_id)));
        Some(match kind {
            MediaKind::Json => {
                let ty = self.media_type(media, &naming, &media_pointer);
                RequestBody::Json { content_type, ty, required, description }
            }
            MediaKind::Form => {
                let ty = self.media_type(media, &naming, &media_pointer);
                let styles = media
                    .encoding
                    .iter()
                    .filter_map(|(name, encoding)| {
                        // `repair` wrote out `explode` where the spec left it to its default.
                        let style = encoding.style.as_ref().map(|style| query_style(style, Some(encoding.explode)));
                        let json = encoding.content_type.as_deref().is_some_and(is_json);
                        let style = style.or(json.then_some(Style::Json))?;
                        Some((name.clone(), style))
                    })
                    .collect();
                RequestBody::Form { content_type, ty, required, styles, description }
            }
            MediaKind::Multipart => {
                let parts = self.multipart_parts(media, &media_pointer, field_scope);
                let free_form = parts.is_empty();
                RequestBody::Multipart { parts, description, free_form }
            }
            MediaKind::Text => RequestBody::Text { content_type, required, description },
            MediaKind::Binary => {
                // A wildcard cannot be a `Content-Type`; the caller may name the real one.
                let content_type =
                    if content_type.contains('*') { "application/octet-stream".to_owned() } else { content_type };
                RequestBody::Binary { content_type, required, description }
            }
        })
    }

    fn multipart_parts(&mut self, media: &MediaType, pointer: &str, field_scope: &mut Scope) -> Vec<MultipartPart> {
        let schema_pointer = push_pointer(pointer, "schema");
        let schema = match &media.schema {
            Some(ReferenceOr::Item(schema)) => Some(schema),
            Some(ReferenceOr::Reference { reference }) => self.resolve(reference).map(|(_, schema)| schema),
            None => None,
        };
        let object = schema.and_then(|schema| match &schema.schema_kind {
            openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) => Some(object),
            _ => None,
        });
        let Some(object) = object.filter(|object| !object.properties.is_empty()) else {
            self.warn(
                Kind::Loosened,
                &schema_pointer,
                "multipart body declares no parts: the caller adds named file parts with `part`",
            );
            return Vec::new();
        };
        object
            .properties
            .iter()
            .map(|(wire_name, schema)| {
                let (kind, description) = match schema {
                    ReferenceOr::Item(schema) => {
                        let is_file = matches!(&schema.schema_kind,
                            openapiv3::SchemaKind::Type(openapiv3::Type::String(s))
                                if matches!(s.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary | openapiv3::StringFormat::Byte)));
                        (if is_file { PartKind::File } else { PartKind::Text }, schema.schema_data.description.clone())
                    }
                    ReferenceOr::Reference { .. } => (PartKind::Text, None),
                };
                let required = object.required.contains(wire_name);
                let (field_name, clear_setter) = field_scope.claim_input(value_name(wire_name), required);
                MultipartPart {
                    wire_name: wire_name.clone(),
                    field_name,
                    clear_setter,
                    required,
                    kind,
                    description,
                }
            })
            .collect()
    }

    fn media_type(&mut self, media: &MediaType, naming: &Naming, pointer: &str) -> Type {
        match &media.schema {
            Some(schema) => self.schema_type(SchemaRef::from(schema), naming, &push_pointer(pointer, "schema")),
            None => Type::Any,
        }
    }

    fn responses(
        &mut self,
        responses: &openapiv3::Responses,
        context: &OperationContext<'_>,
        success_name: &str,
    ) -> (SuccessResponse, Vec<ErrorResponse>) {
        let responses_pointer = push_pointer(context.pointer, "responses");
        let mut successes: Vec<StatusVariant> = Vec::new();
        let mut errors = Vec::new();
        let declared = responses
            .responses
            .iter()
            .map(|(code, response)| {
                let (status, range, key) = match code {
                    StatusCode::Code(code) => (Some(*code), None, code.to_string()),
                    StatusCode::Range(range) => (None, Some(*range), format!("{range}XX")),
                };
                (status, range, key, response)
            })
            .chain(responses.default.iter().map(|response| (None, None, "default".to_owned(), response)));
        let mut variants = Scope::default();
        let mut success_variants = Scope::default();
        for (status, range, key, response) in declared {
            let pointer = push_pointer(&responses_pointer, &key);
            let response = match response {
                ReferenceOr::Item(response) => response,
                ReferenceOr::Reference { reference } => {
                    self.error(&pointer, format!("response `$ref: {reference}` could not be resolved"));
                    continue;
                }
            };
            let content_pointer = push_pointer(&pointer, "content");
            let is_success = status.is_some_and(|s| (200..300).contains(&s)) || range == Some(2);
            if is_success {
                let operation = type_name(context.operation_id);
                let naming = Naming::new(format!("{operation}Response")).or(format!("{operation}Response{key}"));
                let content = self.response_content(&response.content, &naming, &content_pointer);
                let variant = success_variants.claim(match status {
                    Some(status) => success_reason(status),
                    None => "Other".to_owned(),
                });
                let description = Some(response.description.clone());
                let boxed = matches!(&content, ResponseContent::Json { ty, .. } if ty.is_model());
                successes.push(StatusVariant { status, variant, content, boxed, description });
            } else {
                let reason = reason(status);
                let naming =
                    Naming::new(format!("{reason}Body")).or(format!("{}{reason}Body", type_name(context.operation_id)));
                let json = response.content.iter().find(|(media_type, _)| is_json(media_type));
                let ty = json.map(|(media_type, media)| {
                    self.media_type(media, &naming, &push_pointer(&content_pointer, media_type))
                });
                let status = match (status, range) {
                    (Some(code), _) => StatusMatch::Code(code),
                    (None, Some(range)) => StatusMatch::Range(range),
                    (None, None) => StatusMatch::Default,
                };
                let variant = variants.claim(match status {
                    StatusMatch::Code(_) => reason.clone(),
                    StatusMatch::Range(range) => format!("Status{range}xx"),
                    StatusMatch::Default => "Other".to_owned(),
                });
                let description = Some(response.description.clone());
                let boxed = ty.as_ref().is_some_and(Type::is_model);
                errors.push(ErrorResponse { status, variant, ty, boxed, description });
            }
        }
        let success = match successes.as_slice() {
            [] => SuccessResponse { status: 200, content: ResponseContent::Empty, description: None },
            // One body for every 2xx status: the first one's, as is.
            [first, rest @ ..] if rest.iter().all(|other| other.content == first.content) => SuccessResponse {
                status: first.status.unwrap_or(200),
                content: first.content.clone(),
                description: first.description.clone(),
            },
            [first, ..] => SuccessResponse {
                status: first.status.unwrap_or(200),
                content: ResponseContent::ByStatus { name: success_name.to_owned(), variants: successes.clone() },
                description: None,
            },
        };
        (success, errors)
    }

    fn response_content(
        &mut self,
        content: &indexmap::IndexMap<String, MediaType>,
        naming: &Naming,
        pointer: &str,
    ) -> ResponseContent {
        if let Some((media_type, media)) = content.iter().find(|(media_type, _)| is_json(media_type)) {
            let ty = self.media_type(media, naming, &push_pointer(pointer, media_type));
            return ResponseContent::Json { media_type: media_type.clone(), ty };
        }
        match content.keys().next() {
            None => ResponseContent::Empty,
            Some(media_type) if is_text(media_type) => ResponseContent::Text { media_type: media_type.clone() },
            Some(_) => ResponseContent::Binary { media_types: content.keys().cloned().collect() },
        }
    }
}

/// Names of Rust's prelude that operation files use unqualified (`Option`,
/// `Some`, `String`): no builder, error or success enum may take one.
pub const PRELUDE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Methods of the generated `Client` (and of the traits it implements) that
/// no operation may take; `generator/tests/access.rs` checks the list
/// against the generated `Client`.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_session",
    "from_env",
    "builder",
    "base_url",
    "session",
    "allows_experimental",
    "dispatch",
    "clone",
    "clone_from",
    "fmt",
    "to_owned",
    "borrow",
    "into",
    "try_into",
    "type_id",
];

/// Names in a request builder that belong to the runtime: its fields and
/// methods besides the generated setters.
pub const BUILDER_NAMES: &[&str] = &[
    "client",
    crate::ir::BODY_FIELD,
    crate::ir::BODY_CLEAR_SETTER,
    "extra_parts",
    "part",
    "send",
    "into_request",
    "items",
    "clone",
    "clone_from",
    "fmt",
];

/// The `operationId` of an operation that has none, from its method and
/// path: `GET /das/collectors/{id}` is `getDasCollectorsById`. Stable: it
/// depends on nothing else in the spec.
pub fn derived_operation_id(method: &str, path: &str) -> String {
    use heck::ToLowerCamelCase;
    let mut words = vec![method.to_ascii_lowercase()];
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        match segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
            Some(param) => words.push(format!("by {param}")),
            None => words.push(segment.to_owned()),
        }
    }
    let text: String = words.join(" ").chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    text.to_lower_camel_case()
}

/// The names an operation's code uses besides its inputs'.
pub(crate) struct OperationNames {
    method_name: String,
    builder_name: String,
    error_name: String,
    success_name: String,
}

/// What an operation is, for naming and messages.
pub(crate) struct OperationContext<'a> {
    path: &'a str,
    pointer: &'a str,
    item_pointer: &'a str,
    operation_id: &'a str,
}

/// How a request body of a media type is written, in order of preference
/// when an operation offers several: JSON (typed, and what most clients
/// send), then a URL-encoded form, a multipart form, text, and raw bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

impl MediaKind {
    fn of(media_type: &str) -> MediaKind {
        let essence = media_type.split(';').next().unwrap_or(media_type).trim().to_ascii_lowercase();
        if is_json(&essence) {
            MediaKind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if essence == "multipart/form-data" || essence == "multipart/mixed" {
            MediaKind::Multipart
        } else if is_text(&essence) {
            MediaKind::Text
        } else {
            MediaKind::Binary
        }
    }
}

/// OpenAPI's query `style` with its `explode` (which defaults to true for `form`).
fn query_style(style: &openapiv3::QueryStyle, explode: Option<bool>) -> Style {
    match style {
        openapiv3::QueryStyle::Form => Style::Form { explode: explode.unwrap_or(true) },
        openapiv3::QueryStyle::SpaceDelimited => Style::SpaceDelimited,
        openapiv3::QueryStyle::PipeDelimited => Style::PipeDelimited,
        openapiv3::QueryStyle::DeepObject => Style::DeepObject,
    }
}

/// Media types whose bodies are text, returned as `String`.
fn is_text(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or(media_type).trim();
    essence.starts_with("text/")
        || essence.ends_with("+xml")
        || ["application/xml", "application/csv", "application/yaml", "application/x-yaml", "application/javascript"]
            .contains(&essence)
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or(media_type).trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// The header that enables one of SailPoint's experimental operations.
pub(crate) const EXPERIMENTAL_HEADER: &str = "X-SailPoint-Experimental";

fn is_experimental_header(parameter: &Parameter) -> bool {
    matches!(parameter, Parameter::Header { parameter_data, .. } if parameter_data.name.eq_ignore_ascii_case(EXPERIMENTAL_HEADER))
}

/// The bounds an integer or number schema declares.
fn bounds(schema: &openapiv3::Schema) -> Bounds {
    let number = |value: f64| serde_json::Number::from_f64(value);
    match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Integer(integer)) => {
            Bounds { minimum: integer.minimum.map(Into::into), maximum: integer.maximum.map(Into::into) }
        }
        openapiv3::SchemaKind::Type(openapiv3::Type::Number(float)) => {
            Bounds { minimum: float.minimum.and_then(number), maximum: float.maximum.and_then(number) }
        }
        _ => Bounds::default(),
    }
}

/// A variant name for a 2xx status.
fn success_reason(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritative".into(),
        204 => "NoContent".into(),
        205 => "ResetContent".into(),
        206 => "PartialContent".into(),
        207 => "MultiStatus".into(),
        code => format!("Status{code}"),
    }
}

/// A name for an error status, used to name its inline body type.
fn reason(status: Option<u16>) -> String {
    match status {
        Some(400) => "BadRequest".into(),
        Some(401) => "Unauthorized".into(),
        Some(403) => "Forbidden".into(),
        Some(404) => "NotFound".into(),
        Some(405) => "MethodNotAllowed".into(),
        Some(409) => "Conflict".into(),
        Some(412) => "PreconditionFailed".into(),
        Some(415) => "UnsupportedMediaType".into(),
        Some(422) => "UnprocessableEntity".into(),
        Some(429) => "TooManyRequests".into(),
        Some(500) => "InternalServerError".into(),
        Some(503) => "ServiceUnavailable".into(),
        Some(code) => format!("Status{code}"),
        None => "Default".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_without_an_id_are_named_from_method_and_path() {
        assert_eq!(derived_operation_id("get", "/das/identity-collectors/{id}"), "getDasIdentityCollectorsById");
        assert_eq!(
            derived_operation_id("POST", "/connectors/v1/{scriptName}/source-config"),
            "postConnectorsV1ByScriptNameSourceConfig"
        );
        assert_eq!(derived_operation_id("delete", "/"), "delete");
    }
}
