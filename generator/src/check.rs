//! Stage 4: rules that need the whole IR: every operation id and client
//! method name is unique, and every named type a reference uses exists.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, SpecErrors};
use crate::ir::Api;

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
    for def in api.types.values() {
        for name in def.kind.held_types().into_iter().filter_map(|ty| ty.name()) {
            if !api.types.contains_key(name) {
                let message = format!("refers to type `{name}`, which is not defined");
                errors.push(Diagnostic { location: def.origin.clone(), message });
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(SpecErrors(errors))
    }
}
