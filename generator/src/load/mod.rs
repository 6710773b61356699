//! Stage 1: read the root file and every file it reaches through relative
//! `$ref`s, and bundle them into one self-contained document.
//!
//! Bundling rules, chosen so later stages see one ordinary OpenAPI document:
//! - a `$ref` in schema position is hoisted: the target becomes a component
//!   under `#/components/schemas/<Name>` (named after the root's component
//!   entry, else the pointer's last token, else the file stem) and the
//!   reference is rewritten to point there. Recursive schemas stay finite.
//! - any other `$ref` (path items, parameters, responses, bodies, headers,
//!   examples) is inlined; sibling keys written next to it override the target.
//! - a schema `$ref` with sibling keys (`nullable`, `description`, ...) becomes
//!   `allOf: [{$ref}]` plus those keys, so the siblings are not lost.
//!
//! - a `discriminator.mapping` value that points at a schema is rewritten to
//!   the component it became.
//! - a reference that cannot be followed (a missing target, a path leaving
//!   the spec root, a URL, a cycle of non-schema references) is a warning,
//!   never an error: a schema becomes "any JSON value", anything else keeps
//!   its `$ref` and the operation using it is left out later. Only a file
//!   that cannot be read or parsed stops loading.
//!
//! Split by concern: [`files`] reads, parses and resolves paths,
//! [`names`] names the hoisted schemas, [`bundle`] walks the documents.
//!
//! The stage never touches the filesystem itself: files come from a
//! [`SpecSource`]. A [`SourceMap`] remembers where each bundled node came
//! from, so later stages can name the original file and pointer.

mod bundle;
mod files;
mod names;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Location, SpecErrors};

/// Deepest nesting accepted in a file and in the bundled document. Real
/// specs stay far below it (SailPoint's deepest file nests 16 levels).
pub const MAX_DEPTH: usize = 100;

/// Where spec files come from. Paths are relative to the folder of the root
/// file, `/`-separated and normalised (no `.` or `..` tokens).
pub trait SpecSource {
    /// Reads one file as text.
    fn read(&self, path: &str) -> Result<String, String>;

    /// How a path is shown in diagnostics (e.g. with the spec folder prefixed).
    fn display(&self, path: &str) -> String {
        path.to_owned()
    }
}

/// An in-memory spec, for tests and fuzzing.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    files: BTreeMap<String, String>,
}

impl MemorySource {
    /// Builds a source from `(path, contents)` pairs.
    pub fn new<P: Into<String>, C: Into<String>>(files: impl IntoIterator<Item = (P, C)>) -> Self {
        let files = files.into_iter().map(|(p, c)| (p.into(), c.into())).collect();
        Self { files }
    }
}

impl SpecSource for MemorySource {
    fn read(&self, path: &str) -> Result<String, String> {
        self.files.get(path).cloned().ok_or_else(|| "no such file".to_owned())
    }
}

/// The bundled document and where its parts came from.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// One self-contained OpenAPI document; every `$ref` left in it is local
    /// or could not be followed (and has a warning).
    pub document: Value,
    /// Maps pointers in `document` back to files and pointers of the input.
    pub source_map: SourceMap,
    /// References that could not be followed, each dropped where it was.
    pub warnings: Vec<Diagnostic>,
}

/// Maps a pointer in the bundled document to the file and pointer it came from.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// Bundled pointer of a subtree's root → where that subtree was read from.
    roots: BTreeMap<String, Location>,
}

impl SourceMap {
    /// The input location of a node of the bundled document.
    pub fn locate(&self, pointer: &str) -> Location {
        let mut prefix = pointer;
        loop {
            if let Some(origin) = self.roots.get(prefix) {
                let rest = &pointer[prefix.len()..];
                return Location { file: origin.file.clone(), pointer: format!("{}{rest}", origin.pointer) };
            }
            match prefix.rfind('/') {
                Some(cut) => prefix = &prefix[..cut],
                None => return Location { file: String::new(), pointer: pointer.to_owned() },
            }
        }
    }

    pub(crate) fn insert(&mut self, bundled: String, origin: Location) {
        self.roots.insert(bundled, origin);
    }
}

/// What `$ref`s may reach.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// How many folders above the root file's folder the spec root is:
    /// relative paths may reach any file under the spec root, never above
    /// it. 0 keeps references inside the root file's folder.
    pub spec_root_up: usize,
    /// Follow every relative path and absolute paths too: no spec root. URLs
    /// are never followed (the generator has no network).
    pub allow_outside_root: bool,
}

/// Reads `root` and everything it references into one document; `$ref`s
/// stay inside the root file's folder.
pub fn load(source: &dyn SpecSource, root: &str) -> Result<LoadedSpec, SpecErrors> {
    load_with(source, root, LoadOptions::default())
}

/// [`load`] with explicit [`LoadOptions`]. Fails only when a file cannot be
/// read or is not YAML or JSON.
pub fn load_with(source: &dyn SpecSource, root: &str, options: LoadOptions) -> Result<LoadedSpec, SpecErrors> {
    let mut files = files::Files::new(source);
    let root_location = Location { file: source.display(root), pointer: String::new() };
    let Some(document) = files.get(root, &root_location) else {
        return Err(SpecErrors(files.fatal));
    };
    let names = names::ComponentNamer::new(root, &document, options);
    let mut bundler = bundle::Bundler::new(files, options, root, names);
    bundler.source_map.insert(String::new(), root_location);
    let here = bundle::Cursor { file: root.to_owned(), pointer: String::new(), out: String::new(), depth: 0 };
    let mut bundled = bundler.walk(&document, bundle::Context::Document, &here);
    bundler.attach_hoisted(&mut bundled);
    if !bundler.files.fatal.is_empty() {
        return Err(SpecErrors(bundler.files.fatal));
    }
    let mut warnings = std::mem::take(&mut bundler.files.warnings);
    warnings.extend(bundler.warnings);
    Ok(LoadedSpec { document: bundled, source_map: bundler.source_map, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_map_finds_the_longest_prefix() {
        let mut map = SourceMap::default();
        map.insert(String::new(), Location { file: "root.yaml".into(), pointer: String::new() });
        map.insert("/paths/~1a".into(), Location { file: "paths/a.yaml".into(), pointer: String::new() });
        let found = map.locate("/paths/~1a/get/parameters/0");
        assert_eq!(found.to_string(), "paths/a.yaml#/get/parameters/0");
        assert_eq!(map.locate("/info").to_string(), "root.yaml#/info");
    }
}
