//! Generates a Rust client crate from a Swagger 2.0 or OpenAPI 3.0, 3.1 or 3.2 document.
//!
//! The pipeline, one module a stage:
//! [`load`] → [`parse`] → [`lower`] → [`check`] → [`codegen`] → [`format`].
//! Nothing here touches the filesystem: files come in through a
//! [`load::SpecSource`] and go out as [`GeneratedFile`]s; `xtask` does the I/O.

pub mod check;
pub mod codegen;
pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod family;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod parse;
mod templates;

pub use diagnostics::{Diagnostic, Location, SpecErrors};
pub use load::{MemorySource, SpecSource};
pub use templates::{runtime_files, runtime_version, RUNTIME_CRATE};

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
    /// What was generated.
    pub stats: Stats,
    /// The API's title (`info.title`).
    pub title: String,
}

/// Stack for the stages after `load`: `openapiv3`'s deserialisation of
/// nested schemas is deep, and a caller's thread may have a small stack.
const STAGE_STACK_BYTES: usize = 256 << 20;

/// What to generate besides what the spec says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// What `$ref`s may reach.
    pub load: load::LoadOptions,
    /// The crate's package name.
    pub crate_name: String,
    /// Hand-written benchmarks in the crate's `benches/` (file stems), declared in its manifest.
    pub benches: Vec<String>,
    /// Prefix of the environment variables the crate reads, instead of the
    /// one derived from the spec (`SAIL_` for SailPoint's APIs) or the crate name.
    /// It wins over the config's.
    pub env_prefix: Option<String>,
    /// The generator config checked in beside the spec.
    pub config: config::Config,
    /// Where the runtime crate is, relative to the generated crate's folder.
    pub runtime_path: String,
    /// Copy the runtime into the crate (`src/runtime/`), for one crate that
    /// stands alone, instead of depending on the runtime crate.
    pub standalone: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            load: load::LoadOptions::default(),
            crate_name: "openapi-client".to_owned(),
            benches: Vec::new(),
            env_prefix: None,
            config: config::Config::default(),
            runtime_path: format!("../{}", templates::RUNTIME_CRATE),
            standalone: false,
        }
    }
}

/// Counts of what was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Operations with a client method.
    pub operations: usize,
    /// Named types (models).
    pub types: usize,
}

/// Runs the whole pipeline on the spec whose root file is `root`.
pub fn generate(source: &dyn SpecSource, root: &str) -> Result<Generated, SpecErrors> {
    generate_with(source, root, &Options::default())
}

/// [`generate`] with explicit [`Options`].
pub fn generate_with(source: &dyn SpecSource, root: &str, options: &Options) -> Result<Generated, SpecErrors> {
    let loaded = load::load_with(source, root, options.load)?;
    on_stage_thread(|| generate_loaded(&loaded, options))
}

/// The spec's API as the IR, as [`generate_with`] lowers it: for comparing
/// two versions of a spec ([`diff`]).
pub fn lower_spec(source: &dyn SpecSource, root: &str, options: &Options) -> Result<ir::Api, SpecErrors> {
    let loaded = load::load_with(source, root, options.load)?;
    on_stage_thread(|| {
        let parsed = parse::parse(&loaded)?;
        let lowered = lower::lower(&parsed.spec, &loaded.source_map, &lower_options(options))?;
        check::check(&lowered.api)?;
        Ok(lowered.api)
    })
}

/// Runs the stages after `load` on a thread with a stack of
/// [`STAGE_STACK_BYTES`], passing on its result or its panic.
fn on_stage_thread<T: Send>(stages: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name("generator".to_owned())
            .stack_size(STAGE_STACK_BYTES)
            .spawn_scoped(scope, stages)
            .expect("the OS can start a thread");
        match thread.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

fn lower_options(options: &Options) -> lower::LowerOptions {
    lower::LowerOptions {
        crate_name: options.crate_name.clone(),
        env_prefix: options.env_prefix.clone().or_else(|| options.config.env_prefix.clone()),
        paging: options.config.paging.clone(),
    }
}

fn generate_loaded(loaded: &load::LoadedSpec, options: &Options) -> Result<Generated, SpecErrors> {
    let parsed = parse::parse(loaded)?;
    let lowered = lower::lower(&parsed.spec, &loaded.source_map, &lower_options(options))?;
    check::check(&lowered.api)?;
    let stats = Stats { operations: lowered.api.operations.len(), types: lowered.api.types.len() };
    let mut files = codegen::crate_files(&lowered.api, options);
    files.extend(templates::files());
    if options.standalone {
        files.extend(templates::embedded_runtime(lowered.api.sailpoint_conventions()));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let warnings = [&loaded.warnings[..], &parsed.warnings, &lowered.warnings].concat();
    let skipped = [parsed.skipped, lowered.skipped].concat();
    Ok(Generated { files, warnings, skipped, stats, title: lowered.api.title.clone() })
}
