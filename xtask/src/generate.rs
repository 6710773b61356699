//! `cargo xtask generate [--check]`: the generator's only door to the filesystem.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use generator::format::RUST_HEADER;
use generator::SpecSource;

/// Whether to write the generated crate or only compare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Rewrite files that differ.
    Write,
    /// Write nothing; fail on any difference.
    Check,
}

/// The workspace root, found from this crate's manifest.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives inside the workspace").to_path_buf()
}

/// Spec files read from a folder on disk.
pub struct FolderSource {
    /// The root file's folder.
    pub folder: PathBuf,
}

impl FolderSource {
    /// The source of the spec whose root file is `spec`, and that file's name.
    pub fn for_root(spec: &Path) -> Result<(Self, String)> {
        let root = spec.file_name().context("the spec path must name its root file")?.to_string_lossy().into_owned();
        let folder = spec.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(Path::new("."));
        Ok((Self { folder: folder.to_path_buf() }, root))
    }
}

impl SpecSource for FolderSource {
    fn read(&self, path: &str) -> std::result::Result<String, String> {
        fs::read_to_string(self.folder.join(path)).map_err(|error| error.to_string())
    }

    /// The path as the user would type it: `a/b/../c.yaml` shown as `a/c.yaml`.
    fn display(&self, path: &str) -> String {
        let mut shown = PathBuf::new();
        for component in self.folder.join(path).components() {
            match component {
                std::path::Component::ParentDir
                    if matches!(shown.components().next_back(), Some(std::path::Component::Normal(_))) =>
                {
                    shown.pop();
                }
                other => shown.push(other),
            }
        }
        shown.display().to_string()
    }
}

/// The folder `$ref`s may not leave, as a count of folders above the root
/// file's folder. By default it is the top of the version-control checkout
/// holding the spec (the nearest folder above it with a `.git`); outside one,
/// the root file's folder's parent, which is what layouts such as SailPoint's
/// `idn/apis/<resource>/openapi.yaml` with a sibling `shared/` folder need.
pub fn spec_root_up(spec: &Path, spec_root: Option<&Path>) -> Result<usize> {
    let folder = spec
        .canonicalize()
        .with_context(|| format!("reading {}", spec.display()))?
        .parent()
        .context("the spec path must name its root file")?
        .to_path_buf();
    let root = match spec_root {
        Some(root) => root.canonicalize().with_context(|| format!("reading the spec root {}", root.display()))?,
        None => match folder.ancestors().find(|ancestor| ancestor.join(".git").exists()) {
            Some(checkout) => checkout.to_path_buf(),
            None => folder.parent().unwrap_or(&folder).to_path_buf(),
        },
    };
    let below = folder
        .strip_prefix(&root)
        .map_err(|_| anyhow::anyhow!("the spec root {} does not hold the spec {}", root.display(), spec.display()))?;
    Ok(below.components().count())
}

/// The package name of the checked-in client.
pub const CRATE_NAME: &str = "sailpoint-connectors";

/// A generated crate checked in to this repository.
pub struct CheckedIn {
    /// Its spec's root file, from the workspace root.
    pub spec: &'static str,
    /// Its folder, from the workspace root.
    pub out: &'static str,
    /// Its package name.
    pub crate_name: &'static str,
}

/// What `cargo xtask generate` writes: the client, and crates generated
/// from fixtures whose hand-written tests check the wire format against a
/// mock: the kitchen sink (every construct the generator supports) and every
/// kind of security scheme with a server URL's variables, every paging style,
/// what Swagger 2.0 and OpenAPI 3.1 documents put on the wire, and decoding
/// with and without error correction.
pub const CHECKED_IN: &[CheckedIn] = &[
    CheckedIn { spec: "spec/openapi.yaml", out: "generated-client", crate_name: CRATE_NAME },
    CheckedIn {
        spec: "generator/tests/fixtures/kitchen_sink/openapi.yaml",
        out: "generator/tests/kitchen-sink-client",
        crate_name: "kitchen-sink-client",
    },
    CheckedIn {
        spec: "generator/tests/fixtures/security/openapi.yaml",
        out: "generator/tests/security-client",
        crate_name: "security-client",
    },
    CheckedIn {
        spec: "generator/tests/fixtures/paging_styles/openapi.yaml",
        out: "generator/tests/paging-client",
        crate_name: "paging-client",
    },
    CheckedIn {
        spec: "generator/tests/fixtures/swagger_2_0/openapi.yaml",
        out: "generator/tests/swagger2-client",
        crate_name: "swagger2-client",
    },
    CheckedIn {
        spec: "generator/tests/fixtures/openapi_3_1/openapi.yaml",
        out: "generator/tests/openapi31-client",
        crate_name: "openapi31-client",
    },
    CheckedIn {
        spec: "generator/tests/fixtures/decoding/openapi.yaml",
        out: "generator/tests/decoding-client",
        crate_name: "decoding-client",
    },
];

/// Generates (or checks) every checked-in crate.
pub fn run_checked_in(mode: Mode, options: &Options) -> Result<()> {
    let root = workspace_root();
    for crate_ in CHECKED_IN {
        let options = Options { crate_name: crate_.crate_name.to_owned(), ..options.clone() };
        run(&root.join(crate_.spec), &root.join(crate_.out), mode, options)?;
    }
    Ok(())
}

/// How to generate, besides where from and to.
#[derive(Debug, Clone)]
pub struct Options {
    /// Follow `$ref`s anywhere, not only under the spec root.
    pub allow_outside_root: bool,
    /// The folder `$ref`s may not leave; see [`spec_root_up`] for the default.
    pub spec_root: Option<PathBuf>,
    /// Write the crate even when operations had to be left out.
    pub keep_going: bool,
    /// The crate's package name.
    pub crate_name: String,
    /// Prefix of the environment variables the client reads, instead of the derived one.
    pub env_prefix: Option<String>,
    /// Where the runtime crate is, relative to the crate folder, when the
    /// caller writes it (conformance's workspace); see [`runtime_for`] otherwise.
    pub runtime_path: Option<String>,
    /// Copy the runtime into the crate instead of depending on it.
    pub standalone: bool,
    /// The crate's version, instead of the generator config's (a family's
    /// versions are kept in its own folder).
    pub version: Option<semver::Version>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            allow_outside_root: false,
            spec_root: None,
            keep_going: false,
            crate_name: CRATE_NAME.to_owned(),
            env_prefix: None,
            runtime_path: None,
            standalone: false,
            version: None,
        }
    }
}

/// Runs the generator on the spec at `spec` for the crate folder `out`.
pub fn generate_spec(spec: &Path, out: &Path, options: &Options) -> Result<generator::Generated> {
    let (source, root_name) = FolderSource::for_root(spec)?;
    let generator_options = generator_options(spec, Some(out), options)?;
    generator::generate_with(&source, &root_name, &generator_options).map_err(|errors| anyhow::anyhow!("{errors}"))
}

/// The generator's options for the spec at `spec` (and the crate at `out`, whose benchmarks it declares).
pub fn generator_options(spec: &Path, out: Option<&Path>, options: &Options) -> Result<generator::Options> {
    let load = generator::load::LoadOptions {
        spec_root_up: spec_root_up(spec, options.spec_root.as_deref())?,
        allow_outside_root: options.allow_outside_root,
    };
    Ok(generator::Options {
        load,
        crate_name: options.crate_name.clone(),
        benches: out.map(hand_written_benches).transpose()?.unwrap_or_default(),
        env_prefix: options.env_prefix.clone(),
        config: {
            let mut config = generator_config(spec)?;
            if let Some(version) = &options.version {
                config.version = Some(version.clone());
            }
            config
        },
        runtime_path: match (&options.runtime_path, out) {
            (Some(path), _) => path.clone(),
            (None, Some(out)) => runtime_for(out)?.path,
            (None, None) => format!("../{}", generator::RUNTIME_CRATE),
        },
        standalone: options.standalone,
    })
}

/// The generator config beside the spec's root file, if there is one.
pub fn generator_config(spec: &Path) -> Result<generator::config::Config> {
    let path = spec.parent().unwrap_or(Path::new(".")).join(generator::config::FILE_NAME);
    match fs::read_to_string(&path) {
        Ok(text) => generator::config::Config::parse(&path.display().to_string(), &text)
            .map_err(|errors| anyhow::anyhow!("{errors}")),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Default::default()),
        Err(error) => Err(anyhow::anyhow!("cannot read {}: {error}", path.display())),
    }
}

/// Stems of the hand-written benchmarks in `out/benches/`, sorted.
fn hand_written_benches(out: &Path) -> Result<Vec<String>> {
    let Ok(entries) = fs::read_dir(out.join("benches")) else { return Ok(Vec::new()) };
    let mut benches = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|extension| extension == "rs") {
            if let Some(stem) = path.file_stem() {
                benches.push(stem.to_string_lossy().into_owned());
            }
        }
    }
    benches.sort();
    Ok(benches)
}

/// Where a crate written to a folder finds the runtime crate.
pub struct RuntimeAt {
    /// The path its manifest names, relative to the crate's folder.
    pub path: String,
    /// Where a copy of the runtime must be written, outside this repository.
    pub copy: Option<PathBuf>,
}

/// The runtime of a crate written to `out`: this repository's own
/// (`templates/runtime`) for a folder inside it, else a copy beside the
/// crate (`../openapi-client-runtime`), which every crate generated into
/// the same parent folder shares.
pub fn runtime_for(out: &Path) -> Result<RuntimeAt> {
    let root = workspace_root();
    let out = absolute(out)?;
    if out.starts_with(&root) {
        let runtime = root.join("templates/runtime");
        let path = pathdiff::diff_paths(&runtime, &out).context("the runtime's path relative to the crate")?;
        return Ok(RuntimeAt { path: path.to_string_lossy().replace('\\', "/"), copy: None });
    }
    let parent = out.parent().context("the crate folder has a parent")?;
    Ok(RuntimeAt {
        path: format!("../{}", generator::RUNTIME_CRATE),
        copy: Some(parent.join(generator::RUNTIME_CRATE)),
    })
}

/// `path` made absolute and free of `.` and `..`, without requiring it to exist.
fn absolute(path: &Path) -> Result<PathBuf> {
    let path = std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))?;
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    Ok(clean)
}

/// Writes (or checks) the runtime crate's copy in `folder`.
pub fn write_runtime(folder: &Path, mode: Mode) -> Result<()> {
    let files = generator::runtime_files();
    let drift = Drift::of(&files, folder)?;
    match mode {
        Mode::Check if !drift.is_empty() => {
            bail!("the runtime in {} is out of date; run `cargo xtask generate` to update it", folder.display())
        }
        Mode::Check => Ok(()),
        Mode::Write => drift.mend(&files, folder),
    }
}

/// How a folder differs from the files generated for it.
pub struct Drift {
    /// Generated files whose copy in the folder is missing or different.
    pub stale: BTreeSet<String>,
    /// Files in the folder marked generated that are no longer generated.
    pub leftovers: BTreeSet<String>,
}

impl Drift {
    /// The drift of `out` from `files`.
    pub fn of(files: &[generator::GeneratedFile], out: &Path) -> Result<Self> {
        Ok(Self { stale: stale_files(files, out)?, leftovers: leftover_files(files, out)? })
    }

    fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.leftovers.is_empty()
    }

    /// Writes the stale files and removes the leftovers; unchanged files are
    /// left untouched, so cargo finds its results fresh.
    pub fn mend(&self, files: &[generator::GeneratedFile], out: &Path) -> Result<()> {
        let changed: Vec<_> = files.iter().filter(|file| self.stale.contains(&file.path)).cloned().collect();
        write_files(out, &changed)?;
        for path in &self.leftovers {
            let target = out.join(path);
            fs::remove_file(&target).with_context(|| format!("removing {}", target.display()))?;
        }
        Ok(())
    }
}

/// Generates the crate for the spec at `spec` into `out`.
pub fn run(spec: &Path, out: &Path, mode: Mode, options: Options) -> Result<()> {
    let started = Instant::now();
    let generated = generate_spec(spec, out, &options)?;
    for warning in &generated.warnings {
        eprintln!("warning ({}): {warning}", warning.kind.label());
    }
    for skipped in &generated.skipped {
        eprintln!("skipped: {skipped}");
    }
    if !generated.skipped.is_empty() && !options.keep_going {
        bail!(
            "{} operations had to be left out (listed above); fix the spec, or pass --keep-going to generate without them",
            generated.skipped.len()
        );
    }
    let drift = Drift::of(&generated.files, out)?;
    match mode {
        Mode::Check => {
            if drift.is_empty() {
                return Ok(());
            }
            let mut message = format!("{} is out of date with {}:\n", out.display(), spec.display());
            for path in &drift.stale {
                message.push_str(&format!("  stale: {}\n", out.join(path).display()));
            }
            for path in &drift.leftovers {
                message.push_str(&format!("  no longer generated: {}\n", out.join(path).display()));
            }
            message.push_str("run `cargo xtask generate` to update it");
            bail!(message)
        }
        Mode::Write => {
            drift.mend(&generated.files, out)?;
            if let Some(copy) = runtime_for(out)?.copy.filter(|_| !options.standalone) {
                write_runtime(&copy, mode)?;
            }
            println!(
                "generated {} files into {} ({} changed, {} removed): {} operations, {} left out, {} warnings, in {:.0?}",
                generated.files.len(),
                out.display(),
                drift.stale.len(),
                drift.leftovers.len(),
                generated.stats.operations,
                generated.skipped.len(),
                generated.warnings.len(),
                started.elapsed()
            );
            Ok(())
        }
    }
}

/// Writes files under `out`, creating folders as needed.
pub fn write_files(out: &Path, files: &[generator::GeneratedFile]) -> Result<()> {
    for file in files {
        let target = out.join(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&target, &file.contents).with_context(|| format!("writing {}", target.display()))?;
    }
    Ok(())
}

/// Generated files whose checked-in copy is missing or different.
fn stale_files(files: &[generator::GeneratedFile], out: &Path) -> Result<BTreeSet<String>> {
    let mut stale = BTreeSet::new();
    for file in files {
        let current = fs::read(out.join(&file.path)).ok();
        if current.as_deref() != Some(file.contents.as_bytes()) {
            stale.insert(file.path.clone());
        }
    }
    Ok(stale)
}

/// Files under `src/` and `examples/` marked generated that the spec no
/// longer produces (an example a changed spec no longer supports would still
/// be compiled). Hand-written files (such as `tests/`) are never touched.
fn leftover_files(files: &[generator::GeneratedFile], out: &Path) -> Result<BTreeSet<String>> {
    let expected: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    let mut leftovers = BTreeSet::new();
    let mut pending = vec![out.join("src"), out.join("examples")];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else { continue };
        for entry in entries {
            let path = entry.with_context(|| format!("listing {}", folder.display()))?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path.strip_prefix(out).expect("walked from inside out").to_string_lossy().replace('\\', "/");
            let marked = fs::read_to_string(&path).is_ok_and(|text| text.starts_with(RUST_HEADER));
            if marked && !expected.contains(relative.as_str()) {
                leftovers.insert(relative);
            }
        }
    }
    Ok(leftovers)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` alone catches a checked-in crate that drifted from its spec.
    #[test]
    fn checked_in_client_is_up_to_date() {
        if let Err(error) = run_checked_in(Mode::Check, &Options::default()) {
            panic!("{error}");
        }
    }

    #[test]
    fn check_mode_names_stale_files_and_the_fix() {
        let folder = std::env::temp_dir().join(format!("xtask-stale-{}", std::process::id()));
        let out = folder.join("crate");
        let _ = fs::remove_dir_all(&folder);
        let root = workspace_root();
        let error = run(&root.join("spec/openapi.yaml"), &out, Mode::Check, Options::default())
            .expect_err("an empty folder is stale");
        let message = error.to_string();
        assert!(message.contains("stale:") && message.contains("src/models.rs"), "{message}");
        assert!(message.contains("run `cargo xtask generate`"), "{message}");
        run(&root.join("spec/openapi.yaml"), &out, Mode::Write, Options::default()).expect("writes the crate");
        run(&root.join("spec/openapi.yaml"), &out, Mode::Check, Options::default()).expect("fresh output is not stale");
        fs::write(out.join("src/models.rs"), "// edited by hand\n").unwrap();
        let message =
            run(&root.join("spec/openapi.yaml"), &out, Mode::Check, Options::default()).unwrap_err().to_string();
        assert!(message.contains("src/models.rs"), "{message}");
        fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_crate_outside_the_repository_gets_the_runtime_beside_it_and_loses_stale_examples() {
        let folder = std::env::temp_dir().join(format!("xtask-beside-{}", std::process::id()));
        let out = folder.join("crate");
        let _ = fs::remove_dir_all(&folder);
        let spec = workspace_root().join("spec/openapi.yaml");
        // An example an earlier spec had, and a hand-written one.
        fs::create_dir_all(out.join("examples")).unwrap();
        fs::write(out.join("examples/gone.rs"), format!("{RUST_HEADER}\nfn main() {{}}\n")).unwrap();
        fs::write(out.join("examples/mine.rs"), "fn main() {}\n").unwrap();
        run(&spec, &out, Mode::Write, Options::default()).expect("writes the crate");
        assert!(!out.join("examples/gone.rs").exists(), "a generated example the spec no longer has is removed");
        assert!(out.join("examples/mine.rs").exists(), "a hand-written example is kept");
        let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("path = \"../openapi-client-runtime\""), "{manifest}");
        let runtime = folder.join(generator::RUNTIME_CRATE);
        for file in generator::runtime_files() {
            assert_eq!(fs::read_to_string(runtime.join(&file.path)).unwrap(), file.contents, "{}", file.path);
        }
        write_runtime(&runtime, Mode::Check).expect("the copy is current");
        fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_crate_inside_the_repository_uses_its_runtime() {
        let at = runtime_for(&workspace_root().join("target/some/crate")).unwrap();
        assert_eq!(at.path, "../../../templates/runtime");
        assert!(at.copy.is_none());
        assert_eq!(runtime_for(&workspace_root().join("generated-client")).unwrap().path, "../templates/runtime");
    }
}
