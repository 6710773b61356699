//! Schemas to types: primitives map to Rust types; objects, enums and unions
//! become named types, inline ones named from where they appear.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type as SchemaType};

use super::names::{type_name, value_name, Scope};
use super::Lowerer;
use crate::diagnostics::{push_pointer, Kind};
use crate::ir::{Discriminator, EnumVariant, Field, Type, TypeDef, TypeKind, UnionVariant};

/// A schema or a reference to a component, whichever way `openapiv3` boxes it.
#[derive(Clone, Copy)]
pub(crate) enum SchemaRef<'a> {
    Reference(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(schema: &'a ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Reference(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(schema: &'a ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Reference(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

/// How to name an inline type: the name it wants, and the more specific
/// name it takes when another, different type already has the first one.
#[derive(Debug, Clone)]
pub(crate) struct Naming {
    pub candidate: String,
    pub fallback: Option<String>,
}

impl Naming {
    pub fn new(candidate: impl AsRef<str>) -> Self {
        Self { candidate: type_name(candidate.as_ref()), fallback: None }
    }

    pub fn or(mut self, fallback: impl AsRef<str>) -> Self {
        self.fallback = Some(type_name(fallback.as_ref()));
        self
    }

    fn child(&self, suffix: &str) -> Naming {
        Naming::new(format!("{}{}", self.candidate, type_name(suffix)))
    }
}

/// What a schema lowers to before it is given a name.
enum Shape {
    /// A type that needs no definition of its own.
    Plain(Type),
    /// A type that needs a named definition.
    Defined { kind: TypeKind, doc: Option<String> },
}

impl<'a> Lowerer<'a> {
    /// The type of a schema used somewhere; inline objects, enums and unions
    /// are defined under `naming`. `Nullable` when the value may be null.
    pub(crate) fn schema_type(&mut self, schema: SchemaRef<'_>, naming: &Naming, pointer: &str) -> Type {
        match schema {
            SchemaRef::Reference(reference) => self.reference_type(reference, pointer),
            SchemaRef::Inline(schema) => {
                let ty = match self.shape(schema, naming, pointer) {
                    Shape::Plain(ty) if nesting_score(&ty, 1) > MAX_ANONYMOUS_SCORE => {
                        Type::Named(self.define(naming, describe(schema), TypeKind::Alias { ty }, pointer))
                    }
                    Shape::Plain(ty) => ty,
                    Shape::Defined { kind, doc } => Type::Named(self.define(naming, doc, kind, pointer)),
                };
                if schema.schema_data.nullable || enum_allows_null(schema) {
                    nullable(ty)
                } else {
                    ty
                }
            }
        }
    }

    /// Defines the named type of a component schema.
    pub(crate) fn component(&mut self, name: &str, schema: &Schema, pointer: &str) {
        let naming = Naming::new(name);
        let (kind, doc) = match self.shape(schema, &naming, pointer) {
            Shape::Defined { kind, doc } => (kind, doc),
            Shape::Plain(ty) => (TypeKind::Alias { ty }, describe(schema)),
        };
        let origin = self.locate(pointer);
        self.types.insert(
            name.to_owned(),
            TypeDef { name: name.to_owned(), doc, kind, origin, features: Default::default() },
        );
    }

    pub(crate) fn reference_type(&mut self, reference: &str, pointer: &str) -> Type {
        let Some((key, schema)) = self.resolve(reference) else {
            let message =
                format!("`$ref: {reference}` does not name a schema in `components/schemas`: typed as any JSON value");
            self.warn(Kind::Dropped, pointer, message);
            return Type::Any;
        };
        let ty = Type::Named(self.component_names[key].clone());
        if schema.schema_data.nullable || enum_allows_null(schema) {
            nullable(ty)
        } else {
            ty
        }
    }

    /// Gives an inline type a name: the candidate, unless a different type
    /// holds it; then the fallback; then the candidate with a number.
    fn define(&mut self, naming: &Naming, doc: Option<String>, kind: TypeKind, pointer: &str) -> String {
        // A string enum identical to one defined inline before is that type
        // under another name: an alias, so the enum is compiled once.
        let TypeKind::Enum { variants } = &kind else { return self.define_named(naming, doc, kind, pointer) };
        let key: Vec<(String, String)> = variants.iter().map(|v| (v.wire_value.clone(), v.rust_name.clone())).collect();
        match self.inline_enums.get(&key).cloned() {
            // The same enum met again from the same place.
            Some(first) if first == naming.candidate => first,
            Some(first) => self.define_named(naming, doc, TypeKind::Alias { ty: Type::Named(first) }, pointer),
            None => {
                let name = self.define_named(naming, doc, kind, pointer);
                self.inline_enums.insert(key, name.clone());
                name
            }
        }
    }

    /// [`define`](Self::define) without looking for an identical enum.
    fn define_named(&mut self, naming: &Naming, doc: Option<String>, kind: TypeKind, pointer: &str) -> String {
        let names = std::iter::once(&naming.candidate).chain(naming.fallback.as_ref());
        for name in names {
            match self.types.get(name) {
                Some(existing) if existing.kind == kind => return name.clone(),
                Some(_) => continue,
                None if self.type_scope.contains(name) => continue,
                None => {
                    let name = self.type_scope.claim(name.clone());
                    let origin = self.locate(pointer);
                    self.types.insert(
                        name.clone(),
                        TypeDef { name: name.clone(), doc, kind, origin, features: Default::default() },
                    );
                    return name;
                }
            }
        }
        let name = self.type_scope.claim(naming.candidate.clone());
        let origin = self.locate(pointer);
        self.types
            .insert(name.clone(), TypeDef { name: name.clone(), doc, kind, origin, features: Default::default() });
        name
    }

    fn shape(&mut self, schema: &Schema, naming: &Naming, pointer: &str) -> Shape {
        let doc = describe(schema);
        match &schema.schema_kind {
            SchemaKind::Type(SchemaType::String(string)) => {
                let values: Vec<&str> = string.enumeration.iter().flatten().map(String::as_str).collect();
                let distinct: std::collections::BTreeSet<&str> = values.iter().copied().collect();
                if distinct.len() < values.len() {
                    self.warn(Kind::Repaired, pointer, "`enum` lists a value twice: each value is kept once");
                }
                if string.enumeration.iter().any(Option::is_none) && !schema.schema_data.nullable {
                    self.warn(
                        Kind::Repaired,
                        pointer,
                        "`enum` lists `null` but the schema is not `nullable`: treated as nullable",
                    );
                }
                if values.is_empty() {
                    Shape::Plain(Type::String)
                } else {
                    Shape::Defined { kind: TypeKind::Enum { variants: enum_variants(&values) }, doc }
                }
            }
            SchemaKind::Type(SchemaType::Integer(integer)) => {
                let is_i32 =
                    matches!(integer.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32));
                Shape::Plain(if is_i32 { Type::I32 } else { Type::I64 })
            }
            SchemaKind::Type(SchemaType::Number(_)) => Shape::Plain(Type::F64),
            SchemaKind::Type(SchemaType::Boolean(_)) => {
                if let Some(serde_json::Value::String(text)) = &schema.schema_data.default {
                    self.warn(
                        Kind::Repaired,
                        pointer,
                        format!("boolean `default` written as the string {text:?}: read as a boolean"),
                    );
                }
                Shape::Plain(Type::Bool)
            }
            SchemaKind::Type(SchemaType::Array(array)) => {
                let items = match &array.items {
                    Some(items) => {
                        let items_pointer = push_pointer(pointer, "items");
                        self.schema_type(items.into(), &naming.child("Item"), &items_pointer)
                    }
                    None => {
                        self.warn(
                            Kind::Loosened,
                            pointer,
                            "array without `items`: its items are typed as any JSON value",
                        );
                        Type::Any
                    }
                };
                Shape::Plain(Type::Array(Box::new(items)))
            }
            SchemaKind::Type(SchemaType::Object(object)) => {
                if object.properties.is_empty() {
                    Shape::Plain(self.map_type(object.additional_properties.as_ref(), naming, pointer))
                } else {
                    let fields = self.fields(&object.properties, &object.required, naming, pointer);
                    Shape::Defined { kind: TypeKind::Struct { fields }, doc }
                }
            }
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                let discriminator = schema.schema_data.discriminator.as_ref();
                self.union(variants, discriminator, naming, &push_pointer(pointer, keyword), doc)
            }
            SchemaKind::AllOf { all_of } => {
                // `allOf: [$ref, {nullable: true}]` and the like: one real part,
                // the others only annotate it.
                let has_reference = all_of.iter().any(|part| matches!(part, ReferenceOr::Reference { .. }));
                let is_annotation = |part: &ReferenceOr<Schema>| match part {
                    ReferenceOr::Item(schema) => has_reference && annotates(schema),
                    ReferenceOr::Reference { .. } => false,
                };
                let mains: Vec<(usize, &ReferenceOr<Schema>)> =
                    all_of.iter().enumerate().filter(|(_, part)| !is_annotation(part)).collect();
                // One real part, or scalars of one JSON type (`[{type: string},
                // {type: string, minLength: 1}]`): the type of the part that
                // says most.
                let telling = match mains.as_slice() {
                    [(index, _)] => Some(*index),
                    _ => self.telling_scalar_part(&mains),
                };
                if let Some(index) = telling {
                    let part_pointer = push_pointer(&push_pointer(pointer, "allOf"), &index.to_string());
                    let ty = self.schema_type((&all_of[index]).into(), naming, &part_pointer);
                    let annotated_nullable = all_of
                        .iter()
                        .any(|part| matches!(part, ReferenceOr::Item(schema) if schema.schema_data.nullable));
                    return Shape::Plain(if annotated_nullable { nullable(ty) } else { ty });
                }
                match self.merge_all_of(all_of, naming, pointer) {
                    Some(fields) => Shape::Defined { kind: TypeKind::Struct { fields }, doc },
                    None => {
                        self.warn(
                            Kind::Loosened,
                            pointer,
                            "`allOf` of parts that are not all objects: typed as any JSON value",
                        );
                        Shape::Plain(Type::Any)
                    }
                }
            }
            SchemaKind::Not { .. } => {
                self.warn(Kind::Loosened, pointer, "`not` cannot be expressed in Rust types: typed as any JSON value");
                Shape::Plain(Type::Any)
            }
            SchemaKind::Any(any) => {
                if !any.properties.is_empty() {
                    let fields = self.fields(&any.properties, &any.required, naming, pointer);
                    return Shape::Defined { kind: TypeKind::Struct { fields }, doc };
                }
                let strings: Vec<&str> = any.enumeration.iter().filter_map(|v| v.as_str()).collect();
                if !strings.is_empty() && strings.len() == any.enumeration.iter().filter(|v| !v.is_null()).count() {
                    return Shape::Defined { kind: TypeKind::Enum { variants: enum_variants(&strings) }, doc };
                }
                if let Some(items) = &any.items {
                    let items = self.schema_type(items.into(), &naming.child("Item"), &push_pointer(pointer, "items"));
                    return Shape::Plain(Type::Array(Box::new(items)));
                }
                if let Some(format) = any.typ.as_deref().filter(|t| FORMATS_USED_AS_TYPES.contains(t)) {
                    let message = format!(
                        "`type: {format}` is a format, not a JSON type: read as `type: string, format: {format}`"
                    );
                    self.warn(Kind::Repaired, pointer, message);
                    return Shape::Plain(Type::String);
                }
                Shape::Plain(match any.typ.as_deref() {
                    Some("string") => Type::String,
                    Some("integer") => Type::I64,
                    Some("number") => Type::F64,
                    Some("boolean") => Type::Bool,
                    Some("object") => self.map_type(any.additional_properties.as_ref(), naming, pointer),
                    _ => Type::Any,
                })
            }
        }
    }

    /// A free-form object: a map of JSON values, or of the declared value type.
    fn map_type(&mut self, additional: Option<&AdditionalProperties>, naming: &Naming, pointer: &str) -> Type {
        match additional {
            Some(AdditionalProperties::Schema(values)) => {
                let values_pointer = push_pointer(pointer, "additionalProperties");
                let value = self.schema_type(values.as_ref().into(), &naming.child("Value"), &values_pointer);
                Type::Map(Box::new(value))
            }
            _ => Type::Map(Box::new(Type::Any)),
        }
    }

    fn fields(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        naming: &Naming,
        pointer: &str,
    ) -> Vec<Field> {
        let mut scope = Scope::default();
        let properties_pointer = push_pointer(pointer, "properties");
        properties
            .iter()
            .map(|(wire_name, schema)| {
                let field_pointer = push_pointer(&properties_pointer, wire_name);
                let schema: SchemaRef<'_> = schema.into();
                let ty = self.schema_type(schema, &naming.child(wire_name), &field_pointer);
                let (mut doc, one_way) = match schema {
                    SchemaRef::Inline(schema) => {
                        let data = &schema.schema_data;
                        let note = match (data.read_only, data.write_only) {
                            (true, _) => Some("Read-only: the server sets it and ignores it in requests."),
                            (_, true) => Some("Write-only: sent in requests, never returned."),
                            _ => None,
                        };
                        let description = match (&data.description, data.deprecated) {
                            (Some(text), true) => Some(format!("{}\n\nDeprecated.", text.trim_end())),
                            (None, true) => Some("Deprecated.".to_owned()),
                            (text, false) => text.clone(),
                        };
                        (description, note)
                    }
                    SchemaRef::Reference(_) => (None, None),
                };
                if let Some(note) = one_way {
                    doc = Some(match doc {
                        Some(text) => format!("{}\n\n{note}", text.trim_end()),
                        None => note.to_owned(),
                    });
                }
                Field {
                    wire_name: wire_name.clone(),
                    rust_name: scope.claim(value_name(wire_name)),
                    ty,
                    // A read-only or write-only property is absent in one direction,
                    // so it is never required of a Rust value.
                    required: required.contains(wire_name) && one_way.is_none(),
                    boxed: false,
                    doc,
                }
            })
            .collect()
    }

    fn union(
        &mut self,
        variants: &[ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        naming: &Naming,
        pointer: &str,
        doc: Option<String>,
    ) -> Shape {
        let mut scope = Scope::default();
        let mut lowered = Vec::new();
        let mut nullable_variant = false;
        for (index, variant) in variants.iter().enumerate() {
            let variant_pointer = push_pointer(pointer, &index.to_string());
            let label = match variant {
                ReferenceOr::Item(schema) => schema.schema_data.title.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            let child = naming.child(label.as_deref().unwrap_or(&format!("Variant{index}")));
            let ty = match self.schema_type(variant.into(), &child, &variant_pointer) {
                Type::Nullable(inner) => {
                    nullable_variant = true;
                    *inner
                }
                ty => ty,
            };
            let name = label.map(|label| type_name(&label)).unwrap_or_else(|| variant_label(&ty));
            if !lowered.iter().any(|existing: &UnionVariant| existing.ty == ty) {
                lowered.push(UnionVariant { rust_name: scope.claim(name), ty, boxed: false });
            }
        }
        if let [only] = lowered.as_slice() {
            let ty = only.ty.clone();
            return Shape::Plain(if nullable_variant { nullable(ty) } else { ty });
        }
        let discriminator = discriminator.and_then(|discriminator| {
            let tagged = self.discriminator(discriminator, variants, &lowered);
            if tagged.is_none() {
                self.warn(
                    Kind::Loosened,
                    pointer,
                    "`discriminator` ignored: its variants are not all `$ref`s to schemas",
                );
            }
            tagged
        });
        if discriminator.is_none() {
            // Untagged decoding takes the first variant that fits: try the
            // narrowest types first and the ones that accept anything last.
            lowered.sort_by_key(|variant| decode_rank(&variant.ty, &self.types));
        }
        let shape = Shape::Defined { kind: TypeKind::Union { variants: lowered, discriminator }, doc };
        if nullable_variant {
            if let Shape::Defined { kind, doc } = shape {
                let name = self.define(naming, doc, kind, pointer);
                return Shape::Plain(nullable(Type::Named(name)));
            }
        }
        shape
    }

    /// The tag values of each variant: the `mapping` entries that point at
    /// it, else its schema's name. `None` unless every variant is a `$ref`.
    fn discriminator(
        &self,
        discriminator: &openapiv3::Discriminator,
        variants: &[ReferenceOr<Schema>],
        lowered: &[UnionVariant],
    ) -> Option<Discriminator> {
        let mut mapping = Vec::new();
        for variant in variants {
            let ReferenceOr::Reference { reference } = variant else { return None };
            let (key, _) = self.resolve(reference)?;
            let rust_name = &self.component_names[key];
            let variant_name = lowered.iter().find(|v| v.ty == Type::Named(rust_name.clone()))?.rust_name.clone();
            let mut values: Vec<String> = discriminator
                .mapping
                .iter()
                // `load` rewrote every mapping that points at a schema to
                // its component; the others are bare component names.
                .filter(|(_, target)| {
                    let target = target.strip_prefix("#/components/schemas/").unwrap_or(target);
                    crate::diagnostics::unescape_token(target) == *key
                })
                .map(|(value, _)| value.clone())
                .collect();
            if values.is_empty() {
                values.push(key.to_owned());
            }
            mapping.extend(values.into_iter().map(|value| (value, variant_name.clone())));
        }
        Some(Discriminator { property: discriminator.property_name.clone(), mapping })
    }

    /// Merges the properties of every `allOf` part into one field list.
    fn merge_all_of(&mut self, parts: &[ReferenceOr<Schema>], naming: &Naming, pointer: &str) -> Option<Vec<Field>> {
        let mut fields: Vec<Field> = Vec::new();
        for (index, part) in parts.iter().enumerate() {
            let part_pointer = push_pointer(&push_pointer(pointer, "allOf"), &index.to_string());
            let (schema, schema_pointer) = match part {
                ReferenceOr::Reference { reference } => {
                    let (key, schema) = self.resolve(reference)?;
                    (schema, push_pointer("/components/schemas", key))
                }
                ReferenceOr::Item(schema) => (schema, part_pointer),
            };
            let part_fields = match &schema.schema_kind {
                SchemaKind::Type(SchemaType::Object(object)) => {
                    self.fields(&object.properties, &object.required, naming, &schema_pointer)
                }
                SchemaKind::Any(any) if any.typ.is_none() || any.typ.as_deref() == Some("object") => {
                    self.fields(&any.properties, &any.required, naming, &schema_pointer)
                }
                SchemaKind::AllOf { all_of } => self.merge_all_of(all_of, naming, &schema_pointer)?,
                _ => return None,
            };
            for field in part_fields {
                match fields.iter_mut().find(|existing| existing.wire_name == field.wire_name) {
                    Some(existing) => {
                        existing.required |= field.required;
                        existing.ty = field.ty;
                    }
                    None => fields.push(field),
                }
            }
        }
        let mut scope = Scope::default();
        for field in &mut fields {
            field.rust_name = scope.claim(value_name(&field.wire_name));
        }
        Some(fields)
    }

    /// When every part of an `allOf` is a scalar of one JSON type, or only
    /// annotates (a description, a bound), the part whose type says most:
    /// the first reference (a named type), else the first enum, else the
    /// first scalar. `None` when the parts are of several types, or not
    /// scalars, or none says its type.
    fn telling_scalar_part(&self, parts: &[(usize, &ReferenceOr<Schema>)]) -> Option<usize> {
        let mut json_type = None;
        let mut telling: Option<(u8, usize)> = None;
        for &(index, part) in parts {
            let (schema, rank) = match part {
                ReferenceOr::Reference { reference } => (self.resolve(reference)?.1, 0),
                ReferenceOr::Item(schema) => (schema, if is_string_enum(schema) { 1 } else { 2 }),
            };
            let Some(part_type) = scalar_type(schema) else {
                if matches!(part, ReferenceOr::Item(_)) && only_annotates(schema) {
                    continue;
                }
                return None;
            };
            if json_type.replace(part_type).is_some_and(|seen| seen != part_type) {
                return None;
            }
            if telling.is_none_or(|(best, _)| rank < best) {
                telling = Some((rank, index));
            }
        }
        telling.map(|(_, index)| index)
    }

    /// The component a `#/components/schemas/...` reference names.
    pub(crate) fn resolve(&self, reference: &str) -> Option<(&'a str, &'a Schema)> {
        let key = reference.strip_prefix("#/components/schemas/")?;
        let key = crate::diagnostics::unescape_token(key);
        let spec: &'a openapiv3::OpenAPI = self.spec;
        let components = spec.components.as_ref()?;
        let (key, mut schema) = components.schemas.get_key_value(&key)?;
        // A component that is only a `$ref` is an alias: the key is its own,
        // the schema the one it names (a cycle of such names has none).
        for _ in 0..components.schemas.len() {
            match schema {
                ReferenceOr::Item(item) => return Some((key.as_str(), item)),
                ReferenceOr::Reference { reference } => {
                    let next = reference.strip_prefix("#/components/schemas/")?;
                    schema = components.schemas.get(&crate::diagnostics::unescape_token(next))?;
                }
            }
        }
        None
    }
}

/// String formats that specs sometimes write as `type`.
const FORMATS_USED_AS_TYPES: &[&str] =
    &["date-time", "date", "time", "uuid", "uri", "email", "binary", "byte", "password"];

/// A schema that only annotates another one in an `allOf`: no structure of
/// its own, at most a primitive `type` and annotations.
fn annotates(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.properties.is_empty()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.one_of.is_empty()
                && any.all_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none()
                && any.additional_properties.is_none()
        }
        SchemaKind::Type(SchemaType::String(string)) => string.enumeration.is_empty(),
        SchemaKind::Type(SchemaType::Integer(_) | SchemaType::Number(_) | SchemaType::Boolean(_)) => true,
        _ => false,
    }
}

/// The JSON type of a scalar schema: `string`, `integer`, `number` or
/// `boolean`, with or without bounds and enums; `None` for anything else.
fn scalar_type(schema: &Schema) -> Option<&str> {
    match &schema.schema_kind {
        SchemaKind::Type(SchemaType::String(_)) => Some("string"),
        SchemaKind::Type(SchemaType::Integer(_)) => Some("integer"),
        SchemaKind::Type(SchemaType::Number(_)) => Some("number"),
        SchemaKind::Type(SchemaType::Boolean(_)) => Some("boolean"),
        SchemaKind::Any(any) if annotates(schema) => {
            any.typ.as_deref().filter(|typ| ["string", "integer", "number", "boolean"].contains(typ))
        }
        _ => None,
    }
}

/// A schema with no type and no structure: a description, an example, a bound.
fn only_annotates(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(any) if any.typ.is_none()) && annotates(schema)
}

fn is_string_enum(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(SchemaType::String(string)) if !string.enumeration.is_empty())
}

/// A type's documentation: its description, else its title; a deprecated
/// schema says so (an attribute would warn inside the generated crate itself).
fn describe(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    let text = match (&data.title, &data.description) {
        (_, Some(description)) => Some(description.clone()),
        (Some(title), None) => Some(title.clone()),
        (None, None) => None,
    };
    if !data.deprecated {
        return text;
    }
    Some(match text {
        Some(text) => format!("{}\n\nDeprecated.", text.trim_end()),
        None => "Deprecated.".to_owned(),
    })
}

/// The most nesting an anonymous container type may have, by clippy's
/// `type_complexity` score at the top level (10 a type, times its depth).
/// Written two levels down (a field's `Option`, then a `Box` or a
/// `ResponseFuture`), a type within it stays under clippy's limit of 250;
/// one past it is named by an alias, which clippy does not score.
const MAX_ANONYMOUS_SCORE: usize = 120;

/// Clippy's `type_complexity` score of `ty` written at depth `nest`.
fn nesting_score(ty: &Type, nest: usize) -> usize {
    let own = 10 * nest;
    match ty {
        Type::Array(inner) | Type::Nullable(inner) => own + nesting_score(inner, nest + 1),
        // The key type, `String`, counts too.
        Type::Map(inner) => own + 10 * (nest + 1) + nesting_score(inner, nest + 1),
        _ => own,
    }
}

fn nullable(ty: Type) -> Type {
    match ty {
        Type::Nullable(_) | Type::Any => ty,
        other => Type::Nullable(Box::new(other)),
    }
}

fn enum_allows_null(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(SchemaType::String(string)) => string.enumeration.iter().any(Option::is_none),
        _ => false,
    }
}

fn enum_variants(values: &[&str]) -> Vec<EnumVariant> {
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut seen = std::collections::BTreeSet::new();
    values
        .iter()
        .filter(|value| seen.insert(**value))
        .map(|value| EnumVariant { wire_value: (*value).to_owned(), rust_name: scope.claim(type_name(value)) })
        .collect()
}

fn variant_label(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::I32 | Type::I64 => "Integer".into(),
        Type::F64 => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::Any | Type::Map(_) => "Object".into(),
        Type::Array(_) => "Array".into(),
        Type::Named(name) => name.clone(),
        Type::Nullable(inner) => variant_label(inner),
    }
}

fn decode_rank(ty: &Type, types: &std::collections::BTreeMap<String, TypeDef>) -> u8 {
    match ty {
        Type::Bool => 0,
        Type::I32 | Type::I64 => 1,
        Type::F64 => 2,
        Type::String => 4,
        Type::Named(name) => match types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Enum { .. }) => 3,
            _ => 6,
        },
        Type::Array(_) => 5,
        Type::Nullable(inner) => decode_rank(inner, types),
        Type::Map(_) => 7,
        Type::Any => 8,
    }
}
