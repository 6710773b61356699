//! Names of the component schemas that bundling hoists out of other files.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::files::{lone_ref, resolve_ref, Target};
use super::LoadOptions;
use crate::diagnostics::push_pointer;

/// Decides the `components/schemas` key of every hoisted schema, once: the
/// root's own component entry for that file, else the pointer's last token,
/// else the file stem, with a number added on a clash.
#[derive(Default)]
pub(super) struct ComponentNamer {
    /// Files the root's `components/schemas` names, with those names.
    root_components: BTreeMap<Target, String>,
    /// Targets already named.
    named: BTreeMap<Target, String>,
    taken: BTreeSet<String>,
}

impl ComponentNamer {
    /// Reserves the root's component names; those that only point at another
    /// file name that file's schema.
    pub(super) fn new(root: &str, document: &Value, options: LoadOptions) -> Self {
        let mut namer = Self::default();
        let schemas = document.pointer("/components/schemas").and_then(Value::as_object);
        for (name, schema) in schemas.into_iter().flatten() {
            namer.taken.insert(name.clone());
            if let Some(reference) = lone_ref(schema) {
                if let Ok(target) = resolve_ref(root, reference, options) {
                    if target.0 != root {
                        namer.root_components.entry(target).or_insert_with(|| name.clone());
                    }
                }
            }
        }
        // Swagger 2.0's schema components, `definitions`, keep their own
        // names (a 3.0 document's own components win a clash).
        let definitions = document.get("definitions").and_then(Value::as_object);
        for name in definitions.into_iter().flatten().map(|(name, _)| name) {
            namer.name(&(root.to_owned(), push_pointer("/definitions", name)));
        }
        namer
    }

    /// The root's component name for this target, when the root gives one.
    pub(super) fn root_component(&self, target: &Target) -> Option<&str> {
        self.root_components.get(target).map(String::as_str)
    }

    /// The component name of a schema target, deciding it on first use.
    pub(super) fn name(&mut self, target: &Target) -> String {
        if let Some(name) = self.root_component(target).or_else(|| self.named.get(target).map(String::as_str)) {
            return name.to_owned();
        }
        let from_pointer = target.1.rsplit('/').next().filter(|token| !token.is_empty());
        let stem = target.0.rsplit('/').next().unwrap_or(&target.0);
        let stem = stem.split('.').next().unwrap_or(stem);
        let base = crate::diagnostics::unescape_token(from_pointer.unwrap_or(stem));
        let mut name = base.clone();
        let mut suffix = 2;
        while !self.taken.insert(name.clone()) {
            name = format!("{base}{suffix}");
            suffix += 1;
        }
        self.named.insert(target.clone(), name.clone());
        name
    }
}
