//! Stage 4: rules that need the whole IR. Lowering already makes every
//! generated name unique; what is left to check is that every named type a
//! reference uses exists, which would be a generator bug if it failed.

use crate::diagnostics::{Diagnostic, Kind, SpecErrors};
use crate::ir::Api;

/// Checks the IR; a failure names the type and where it was defined.
pub fn check(api: &Api) -> Result<(), SpecErrors> {
    let mut errors = Vec::new();
    for def in api.types.values() {
        for name in def.kind.held_types().into_iter().filter_map(|ty| ty.name()) {
            if !api.types.contains_key(name) {
                let message = format!("refers to type `{name}`, which is not defined");
                errors.push(Diagnostic::new(Kind::Fatal, def.origin.clone(), message));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(SpecErrors(errors))
    }
}
