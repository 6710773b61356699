//! The API change between two specs, as users of the generated crate see it:
//! the lowered IR compared, so reformatting, reordering or moving a schema
//! to another file is no change. Each change says whether it breaks code
//! that uses the crate, and the report gives the version bump it needs.
//!
//! The rules follow from the shape of the generated crate, each with the
//! entry of the Cargo book's SemVer reference
//! (<https://doc.rust-lang.org/cargo/reference/semver.html>) it rests on:
//!
//! - **Breaking** (major): removing an operation, a parameter, a model, a
//!   field, an enum value, a union variant or an error status
//!   (`item-remove`); retyping any of them (code written for the old type
//!   no longer compiles); adding a required parameter or field, or making
//!   one required (the method or `new` gains an argument: `fn-change-arity`).
//! - **Additive** (minor, `item-new`): an operation, an optional parameter
//!   (a new setter on its builder), a model; and, because every model,
//!   string enum, union and error enum is `#[non_exhaustive]`, an optional
//!   field (`struct-add-public-field-when-no-private` is major only for a
//!   struct users can write as a literal; they build models with `new` or
//!   `default` and the `with_` setters), an enum value, a union variant or
//!   an error status (`enum-variant-new` is major only without
//!   `non_exhaustive`: every `match` already has a wildcard arm).
//! - **Patch**: what changes only on the wire or in the docs (a path, a
//!   media type, security requirements, how a parameter is encoded).
//!
//! `cargo xtask semver-check` holds these rules against cargo-semver-checks
//! on a crate generated before and after one change of each kind. api-diff
//! is the stricter of the two in two ways: a new item is additive here (a
//! minor release) where cargo-semver-checks, which looks only for what
//! breaks, asks no bump; and a retyped return, parameter or field is
//! breaking here where cargo-semver-checks has no lint for a changed type.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::ir::{Api, Field, Operation, Param, RequestBody, ResponseContent, Type, TypeDef, TypeKind};

/// How much a change matters to code that uses the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// No effect on the crate's API: only what is sent or documented.
    Patch,
    /// New API; existing code keeps compiling.
    Additive,
    /// Existing code may stop compiling or mean something else.
    Breaking,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// How much it matters.
    pub level: Level,
    /// What it is about: `operation get_connector`, `model ConnectorDetail`.
    pub subject: String,
    /// What changed.
    pub message: String,
}

/// Every change from one API to another, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Changes, operations first, each group by name.
    pub changes: Vec<Change>,
}

impl Level {
    /// The semver bump a change of this level needs: breaking is major, additive minor, the rest patch.
    pub fn bump(self) -> Bump {
        match self {
            Level::Breaking => Bump::Major,
            Level::Additive => Bump::Minor,
            Level::Patch => Bump::Patch,
        }
    }
}

/// The version bump a report calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// `x.y.Z`.
    Patch,
    /// `x.Y.0`.
    Minor,
    /// `X.0.0`.
    Major,
}

impl Report {
    /// The highest level of any change; `Patch` when nothing changed.
    pub fn level(&self) -> Level {
        self.changes.iter().map(|change| change.level).max().unwrap_or(Level::Patch)
    }

    /// The semver bump: breaking is major, additive minor, the rest patch.
    pub fn bump(&self) -> Bump {
        self.level().bump()
    }

    /// The Markdown report, with the version `current` bumped as needed.
    pub fn to_markdown(&self, current: &semver::Version) -> String {
        let next = bumped(current, self.bump());
        let mut out = String::from("# API changes\n\n");
        let verdict = match self.bump() {
            Bump::Major => "breaking",
            Bump::Minor => "additive",
            Bump::Patch if self.changes.is_empty() => "no API change",
            Bump::Patch => "wire or documentation only",
        };
        let _ = writeln!(out, "**Verdict: {verdict}**: version {current} → {next}.");
        if current.major == 0 {
            out.push_str("\nBefore 1.0, cargo treats the minor number as major: a breaking change bumps it, anything else bumps the patch number.\n");
        }
        let count = |level| self.changes.iter().filter(|change| change.level == level).count();
        let _ = writeln!(
            out,
            "\n{} breaking, {} additive, {} wire-only changes.",
            count(Level::Breaking),
            count(Level::Additive),
            count(Level::Patch)
        );
        for (level, title) in
            [(Level::Breaking, "Breaking"), (Level::Additive, "Additive"), (Level::Patch, "On the wire only")]
        {
            let changes: Vec<&Change> = self.changes.iter().filter(|change| change.level == level).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n## {title}\n");
            for change in changes {
                let _ = writeln!(out, "- {}: {}", change.subject, change.message);
            }
        }
        out
    }
}

/// `current` advanced by `bump`; before 1.0 a major bump moves the minor
/// number and any other the patch number, as cargo reads versions.
pub fn bumped(current: &semver::Version, bump: Bump) -> semver::Version {
    let mut next = semver::Version::new(current.major, current.minor, current.patch);
    match (current.major, bump) {
        (0, Bump::Major) | (1.., Bump::Minor) => {
            next.minor += 1;
            next.patch = 0;
        }
        (0, _) | (1.., Bump::Patch) => next.patch += 1,
        (1.., Bump::Major) => {
            next = semver::Version::new(current.major + 1, 0, 0);
        }
    }
    next
}

/// Compares two APIs.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut report = Report::default();
    let by_method = |api: &Api| -> BTreeMap<String, Operation> {
        api.operations.iter().map(|operation| (operation.method_name.clone(), operation.clone())).collect()
    };
    let (old_operations, new_operations) = (by_method(old), by_method(new));
    for (name, operation) in &old_operations {
        let subject = format!("operation `{}`", name.trim_start_matches("r#"));
        match new_operations.get(name) {
            None => report.push(
                Level::Breaking,
                &subject,
                format!("removed (`{} {}`)", operation.http_method, operation.path),
            ),
            Some(new) => operation_changes(&mut report, &subject, operation, new),
        }
    }
    for (name, operation) in &new_operations {
        if !old_operations.contains_key(name) {
            let subject = format!("operation `{}`", name.trim_start_matches("r#"));
            report.push(Level::Additive, &subject, format!("added (`{} {}`)", operation.http_method, operation.path));
        }
    }
    for (name, def) in &old.types {
        let subject = format!("model `{name}`");
        match new.types.get(name) {
            None => report.push(Level::Breaking, &subject, "removed".to_owned()),
            Some(new) => type_changes(&mut report, &subject, def, new),
        }
    }
    for name in new.types.keys().filter(|name| !old.types.contains_key(*name)) {
        report.push(Level::Additive, &format!("model `{name}`"), "added".to_owned());
    }
    report
}

impl Report {
    fn push(&mut self, level: Level, subject: &str, message: String) {
        self.changes.push(Change { level, subject: subject.to_owned(), message });
    }
}

fn operation_changes(report: &mut Report, subject: &str, old: &Operation, new: &Operation) {
    if (&old.http_method, &old.path) != (&new.http_method, &new.path) {
        let message = format!("now `{} {}` (was `{} {}`)", new.http_method, new.path, old.http_method, old.path);
        report.push(Level::Patch, subject, message);
    }
    let params = |operation: &Operation| -> BTreeMap<String, Param> {
        operation.params.iter().map(|param| (param.field_name.clone(), param.clone())).collect()
    };
    let (old_params, new_params) = (params(old), params(new));
    for (name, param) in &old_params {
        let what = format!("parameter `{}`", param.wire_name);
        match new_params.get(name) {
            None => report.push(Level::Breaking, subject, format!("{what} removed")),
            Some(new) => {
                if param.required != new.required {
                    let now = if new.required { "required (a method argument)" } else { "optional (a setter)" };
                    report.push(Level::Breaking, subject, format!("{what} is now {now}"));
                }
                if param.ty != new.ty {
                    report.push(
                        Level::Breaking,
                        subject,
                        format!("{what} is now {} (was {})", ty(&new.ty), ty(&param.ty)),
                    );
                }
                if (param.location, &param.wire_name, param.encoding) != (new.location, &new.wire_name, new.encoding) {
                    report.push(Level::Patch, subject, format!("{what} is sent differently"));
                }
            }
        }
    }
    for (_, param) in new_params.iter().filter(|(name, _)| !old_params.contains_key(*name)) {
        let (level, kind) = if param.required { (Level::Breaking, "required") } else { (Level::Additive, "optional") };
        report.push(level, subject, format!("{kind} parameter `{}` added", param.wire_name));
    }
    match (&old.body, &new.body) {
        (None, None) => {}
        (None, Some(body)) => {
            let (level, kind) =
                if body_required(body) { (Level::Breaking, "required") } else { (Level::Additive, "optional") };
            report.push(level, subject, format!("{kind} request body added"));
        }
        (Some(_), None) => report.push(Level::Breaking, subject, "request body removed".to_owned()),
        (Some(old_body), Some(new_body)) => {
            if body_shape(old_body) != body_shape(new_body) {
                report.push(
                    Level::Breaking,
                    subject,
                    format!("request body is now {} (was {})", body_shape(new_body), body_shape(old_body)),
                );
            } else if body_required(old_body) != body_required(new_body) {
                report.push(Level::Breaking, subject, "request body's requiredness changed".to_owned());
            } else if undocumented(old_body) != undocumented(new_body) {
                report.push(Level::Patch, subject, "request body is sent differently".to_owned());
            }
        }
    }
    let (old_returns, new_returns) = (returns(&old.success.content), returns(&new.success.content));
    if old_returns != new_returns {
        report.push(Level::Breaking, subject, format!("returns {new_returns} (was {old_returns})"));
    }
    let errors = |operation: &Operation| -> BTreeMap<String, String> {
        operation.errors.iter().map(|error| (error.variant.clone(), format!("{:?}", error.ty))).collect()
    };
    let (old_errors, new_errors) = (errors(old), errors(new));
    for (variant, body) in &old_errors {
        match new_errors.get(variant) {
            None => report.push(Level::Breaking, subject, format!("error `{variant}` removed")),
            Some(new) if new != body => {
                report.push(Level::Breaking, subject, format!("error `{variant}` has another body"))
            }
            Some(_) => {}
        }
    }
    for variant in new_errors.keys().filter(|variant| !old_errors.contains_key(*variant)) {
        report.push(Level::Additive, subject, format!("error `{variant}` added"));
    }
    match (&old.pagination, &new.pagination) {
        (None, Some(_)) => report.push(Level::Additive, subject, "`items()` added".to_owned()),
        (Some(_), None) => report.push(Level::Breaking, subject, "`items()` removed".to_owned()),
        (Some(old), Some(new)) if old.item != new.item => {
            report.push(
                Level::Breaking,
                subject,
                format!("`items()` yields {} (was {})", ty(&new.item), ty(&old.item)),
            );
        }
        (Some(old), Some(new)) if old != new => report.push(Level::Patch, subject, "pages differently".to_owned()),
        _ => {}
    }
    if old.deprecated != new.deprecated {
        let now = if new.deprecated { "deprecated" } else { "no longer deprecated" };
        report.push(Level::Patch, subject, now.to_owned());
    }
    if old.security != new.security {
        report.push(Level::Patch, subject, "security requirements changed".to_owned());
    }
}

fn type_changes(report: &mut Report, subject: &str, old: &TypeDef, new: &TypeDef) {
    match (&old.kind, &new.kind) {
        (TypeKind::Struct { fields: old_fields }, TypeKind::Struct { fields: new_fields }) => {
            let by_name = |fields: &[Field]| -> BTreeMap<String, Field> {
                fields.iter().map(|field| (field.rust_name.clone(), field.clone())).collect()
            };
            let (old_fields, new_fields) = (by_name(old_fields), by_name(new_fields));
            for (name, field) in &old_fields {
                let what = format!("field `{}`", name.trim_start_matches("r#"));
                match new_fields.get(name) {
                    None => report.push(Level::Breaking, subject, format!("{what} removed")),
                    Some(new) if new.required != field.required => {
                        let now = if new.required { "required" } else { "optional" };
                        report.push(Level::Breaking, subject, format!("{what} is now {now}"));
                    }
                    Some(new) if new.ty != field.ty => {
                        report.push(
                            Level::Breaking,
                            subject,
                            format!("{what} is now {} (was {})", ty(&new.ty), ty(&field.ty)),
                        );
                    }
                    Some(_) => {}
                }
            }
            for (name, field) in new_fields.iter().filter(|(name, _)| !old_fields.contains_key(*name)) {
                let (level, kind) =
                    if field.required { (Level::Breaking, "required") } else { (Level::Additive, "optional") };
                report.push(level, subject, format!("{kind} field `{}` added", name.trim_start_matches("r#")));
            }
        }
        (TypeKind::Enum { variants: old_variants }, TypeKind::Enum { variants: new_variants }) => {
            let values = |variants: &[crate::ir::EnumVariant]| -> Vec<String> {
                variants.iter().map(|variant| variant.wire_value.clone()).collect()
            };
            let (old_values, new_values) = (values(old_variants), values(new_variants));
            for value in old_values.iter().filter(|value| !new_values.contains(value)) {
                report.push(Level::Breaking, subject, format!("value `{value}` removed"));
            }
            for value in new_values.iter().filter(|value| !old_values.contains(value)) {
                report.push(Level::Additive, subject, format!("value `{value}` added"));
            }
        }
        (TypeKind::Union { variants: old_variants, .. }, TypeKind::Union { variants: new_variants, .. }) => {
            let by_name = |variants: &[crate::ir::UnionVariant]| -> BTreeMap<String, Type> {
                variants.iter().map(|variant| (variant.rust_name.clone(), variant.ty.clone())).collect()
            };
            let (old_variants, new_variants) = (by_name(old_variants), by_name(new_variants));
            for (name, old_ty) in &old_variants {
                match new_variants.get(name) {
                    None => report.push(Level::Breaking, subject, format!("variant `{name}` removed")),
                    Some(new_ty) if new_ty != old_ty => {
                        report.push(Level::Breaking, subject, format!("variant `{name}` now holds {}", ty(new_ty)));
                    }
                    Some(_) => {}
                }
            }
            for name in new_variants.keys().filter(|name| !old_variants.contains_key(*name)) {
                report.push(Level::Additive, subject, format!("variant `{name}` added"));
            }
        }
        (TypeKind::Alias { ty: old_ty }, TypeKind::Alias { ty: new_ty }) => {
            if old_ty != new_ty {
                report.push(Level::Breaking, subject, format!("now {} (was {})", ty(new_ty), ty(old_ty)));
            }
        }
        (old_kind, new_kind) => {
            report.push(Level::Breaking, subject, format!("now {} (was {})", kind(new_kind), kind(old_kind)));
        }
    }
}

fn kind(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "a struct",
        TypeKind::Enum { .. } => "a string enum",
        TypeKind::Union { .. } => "a union",
        TypeKind::Alias { .. } => "an alias",
    }
}

/// A type as Rust code names it, for messages.
fn ty(of: &Type) -> String {
    match of {
        Type::String => "`String`".to_owned(),
        Type::I32 => "`i32`".to_owned(),
        Type::I64 => "`i64`".to_owned(),
        Type::F64 => "`f64`".to_owned(),
        Type::Bool => "`bool`".to_owned(),
        Type::Any => "`serde_json::Value`".to_owned(),
        Type::Array(item) => format!("a list of {}", ty(item)),
        Type::Map(value) => format!("a map of {}", ty(value)),
        Type::Named(name) => format!("`{name}`"),
        Type::Nullable(inner) => format!("{} or null", ty(inner)),
    }
}

/// A body without its description, to compare what is sent.
fn undocumented(body: &RequestBody) -> RequestBody {
    let mut body = body.clone();
    match &mut body {
        RequestBody::Json { description, .. }
        | RequestBody::Form { description, .. }
        | RequestBody::Text { description, .. }
        | RequestBody::Binary { description, .. }
        | RequestBody::Multipart { description, .. } => *description = None,
    }
    body
}

fn body_required(body: &RequestBody) -> bool {
    match body {
        RequestBody::Json { required, .. }
        | RequestBody::Form { required, .. }
        | RequestBody::Text { required, .. }
        | RequestBody::Binary { required, .. } => *required,
        RequestBody::Multipart { parts, .. } => parts.iter().any(|part| part.required),
    }
}

/// What a caller passes as the body, for comparison and messages.
fn body_shape(body: &RequestBody) -> String {
    match body {
        RequestBody::Json { ty: body, .. } => format!("JSON {}", ty(body)),
        RequestBody::Form { ty: body, .. } => format!("a form {}", ty(body)),
        RequestBody::Text { .. } => "text".to_owned(),
        RequestBody::Binary { .. } => "bytes".to_owned(),
        RequestBody::Multipart { parts, .. } => {
            let names: Vec<String> = parts.iter().map(|part| format!("{}: {:?}", part.field_name, part.kind)).collect();
            format!("a multipart form ({})", names.join(", "))
        }
    }
}

/// What `send` returns, for comparison and messages.
fn returns(content: &ResponseContent) -> String {
    match content {
        ResponseContent::Empty => "nothing".to_owned(),
        ResponseContent::Json { ty: body, .. } => ty(body),
        ResponseContent::Text { .. } => "text".to_owned(),
        ResponseContent::Binary { .. } => "bytes".to_owned(),
        ResponseContent::ByStatus { name, .. } => format!("`{name}`"),
    }
}
