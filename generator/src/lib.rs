//! Generates a Rust client crate from an OpenAPI 3.0 document.
//!
//! The pipeline, one module a stage:
//! [`load`] → [`parse`] → [`lower`] → [`check`] → [`codegen`] → [`format`].
//! Nothing here touches the filesystem: files come in through a
//! [`load::SpecSource`] and go out as [`GeneratedFile`]s; `xtask` does the I/O.

pub mod check;
pub mod codegen;
pub mod diagnostics;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod parse;
mod templates;

pub use diagnostics::{Diagnostic, Location, SpecErrors};
pub use load::{MemorySource, SpecSource};

/// One file of the generated crate, by path relative to the crate root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// `/`-separated path inside the crate (`src/models.rs`).
    pub path: String,
    /// Full contents, `\n` line endings, one trailing newline.
    pub contents: String,
}

/// A generated crate and the warnings met while generating it.
#[derive(Debug)]
pub struct Generated {
    /// Files in path order.
    pub files: Vec<GeneratedFile>,
    /// Constructs typed loosely (e.g. as any JSON value), and repairs made.
    pub warnings: Vec<Diagnostic>,
    /// Operations left out, each with the reason.
    pub skipped: Vec<Diagnostic>,
}

/// Stack for the stages after `load`: `openapiv3`'s deserialisation of
/// nested schemas is deep, and a caller's thread may have a small stack.
const STAGE_STACK_BYTES: usize = 256 << 20;

/// Runs the whole pipeline on the spec whose root file is `root`.
pub fn generate(source: &dyn SpecSource, root: &str) -> Result<Generated, SpecErrors> {
    generate_with(source, root, load::LoadOptions::default())
}

/// [`generate`] with explicit [`load::LoadOptions`].
pub fn generate_with(source: &dyn SpecSource, root: &str, options: load::LoadOptions) -> Result<Generated, SpecErrors> {
    let loaded = load::load_with(source, root, options)?;
    std::thread::scope(|scope| {
        let stages = std::thread::Builder::new()
            .name("generator".to_owned())
            .stack_size(STAGE_STACK_BYTES)
            .spawn_scoped(scope, || generate_loaded(&loaded))
            .expect("the OS can start a thread");
        match stages.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

fn generate_loaded(loaded: &load::LoadedSpec) -> Result<Generated, SpecErrors> {
    let spec = parse::parse(loaded)?;
    let lowered = lower::lower(&spec, &loaded.source_map)?;
    check::check(&lowered.api)?;
    let mut files = codegen::crate_files(&lowered.api);
    files.extend(templates::files());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Generated { files, warnings: lowered.warnings, skipped: lowered.skipped })
}
