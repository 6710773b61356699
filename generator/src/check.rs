//! Stage 4: rules that need the whole IR: every operation id and client
//! method name is unique, and every named type a reference uses exists.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, SpecErrors};
use crate::ir::{Api, Type, TypeKind};

/// Checks the IR; a failure here is a spec problem, reported with locations.
pub fn check(api: &Api) -> Result<(), SpecErrors> {
    let mut errors = Vec::new();
    let mut seen: BTreeMap<&str, &crate::ir::Operation> = BTreeMap::new();
    for operation in &api.operations {
        if let Some(first) = seen.insert(&operation.operation_id, operation) {
            errors.push(Diagnostic {
                location: operation.origin.clone(),
                message: format!("operationId `{}` is also used at {}", operation.operation_id, first.origin),
            });
        }
    }
    let mut missing = Vec::new();
    for def in api.types.values() {
        let mut visit = |ty: &Type| collect_missing(ty, api, &mut missing, &def.origin);
        match &def.kind {
            TypeKind::Struct { fields } => fields.iter().for_each(|f| visit(&f.ty)),
            TypeKind::Union { variants, .. } => variants.iter().for_each(|v| visit(&v.ty)),
            TypeKind::Alias { ty } => visit(ty),
            TypeKind::Enum { .. } => {}
        }
    }
    errors.extend(missing);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(SpecErrors(errors))
    }
}

fn collect_missing(ty: &Type, api: &Api, out: &mut Vec<Diagnostic>, at: &crate::diagnostics::Location) {
    match ty {
        Type::Named(name) if !api.types.contains_key(name) => out.push(Diagnostic {
            location: at.clone(),
            message: format!("refers to type `{name}`, which is not defined"),
        }),
        Type::Array(inner) | Type::Map(inner) | Type::Nullable(inner) => collect_missing(inner, api, out, at),
        _ => {}
    }
}
