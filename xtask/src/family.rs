//! `cargo xtask generate` on several specs, or a folder of them (such as
//! SailPoint's `idn/apis/`): a family. Into one folder it writes a crate per
//! spec (a member, named after its resource), the runtime once, an umbrella
//! crate with a cargo feature per member, and the workspace manifest.
//!
//! The versions are the maintainer's, kept in the family's folder
//! (`family.yaml`, never in the spec checkout, which is not theirs to
//! write). `--bump` sets each member's version from the last release's by
//! its own `api-diff` against the specs of that release, and the umbrella's
//! by the largest of its members' bumps: a change to one resource's spec
//! bumps that crate and the umbrella, and nothing else.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use generator::diff::{self, Level, Report};
use generator::family::{Family, MemberSpec};
use semver::Version;

use crate::api_diff;
use crate::generate::{self, Drift, FolderSource, Mode, Options};

/// The versions file, in the family's folder.
pub const VERSIONS_FILE: &str = "family.yaml";

/// The runtime's folder in the family's.
const RUNTIME_FOLDER: &str = generator::RUNTIME_CRATE;

/// The names a spec's root file may have in a folder of specs.
const ROOT_FILES: &[&str] = &["openapi.yaml", "openapi.yml", "openapi.json"];

/// What `generate` was asked to do with several specs.
pub struct Args {
    /// Spec root files, or folders holding one spec folder per resource.
    pub specs: Vec<PathBuf>,
    /// The family's folder.
    pub out: PathBuf,
    /// The umbrella's package name and the members' prefix [default: the folder's name].
    pub name: Option<String>,
    /// Write or check.
    pub mode: Mode,
    /// As for one crate; the crate name and version are the family's.
    pub options: Options,
    /// Bump the versions first.
    pub bump: Option<Bump>,
}

/// Where `--bump` finds the specs of the last release, and where it writes its report.
pub struct Bump {
    /// The folder holding them, laid out as the specs given are.
    pub base_specs: Option<PathBuf>,
    /// Else this git revision of the checkout holding the specs [default: the
    /// revision `family.yaml` records for the last release, else `HEAD`].
    pub base: Option<String>,
    /// Also write the report (Markdown) here.
    pub report: Option<PathBuf>,
}

/// One spec of the family.
#[derive(Debug, Clone)]
struct Input {
    /// The resource it serves: its folder's name, or its file's stem when not `openapi.*`.
    resource: String,
    /// Its root file.
    spec: PathBuf,
    /// Its root file's path below the folder the specs were given in, for
    /// finding the same spec among the base specs.
    relative: PathBuf,
}

/// `family.yaml`: the version of every crate of the family, by package
/// name, and those of the last release.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Versions {
    /// The last release: what `--bump` compares with.
    #[serde(default)]
    released: Release,
    /// The versions the crates are generated with.
    #[serde(default)]
    versions: BTreeMap<String, Version>,
}

/// The last release of a family.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Release {
    /// The git revision of the spec checkout it was generated from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    specs: Option<String>,
    /// Its crates' versions.
    #[serde(default)]
    versions: BTreeMap<String, Version>,
}

const VERSIONS_HEADER: &str = "\
# The versions of this family's crates, by package name; the maintainer's.
# `cargo xtask generate` adds a new crate at 0.1.0. `--bump` sets every
# version from `released` (the last release: its versions, and the spec
# checkout's git revision it was made from, `--bump`'s default base) by
# api-diff against the specs of that release. After a release, copy
# `versions` to `released.versions` and set `released.specs`.
";

impl Versions {
    fn read(out: &Path) -> Result<Self> {
        let path = out.join(VERSIONS_FILE);
        match fs::read_to_string(&path) {
            Ok(text) => {
                serde_yaml::from_str(&text).with_context(|| format!("{} is not a valid versions file", path.display()))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
        }
    }

    fn text(&self) -> Result<String> {
        Ok(format!("{VERSIONS_HEADER}{}", serde_yaml::to_string(self)?))
    }

    /// A crate's version now: as recorded, else its last release's, else 0.1.0 (a new crate).
    fn of(&self, crate_name: &str) -> Version {
        self.versions
            .get(crate_name)
            .or_else(|| self.released.versions.get(crate_name))
            .cloned()
            .unwrap_or(Version::new(0, 1, 0))
    }
}

/// Generates (or checks) the family.
pub fn run(args: Args) -> Result<()> {
    let started = Instant::now();
    let inputs = inputs(&args.specs)?;
    let name = match &args.name {
        Some(name) => name.clone(),
        None => args.out.file_name().context("--out must name the family's folder")?.to_string_lossy().into_owned(),
    };
    let mut versions = Versions::read(&args.out)?;
    if let Some(bump) = &args.bump {
        let report = bump_versions(&name, &inputs, &mut versions, bump, &args.options)?;
        if let Some(path) = &bump.report {
            fs::write(path, &report).with_context(|| format!("writing {}", path.display()))?;
        }
        print!("{report}");
    }
    // A new member starts at 0.1.0, and a member gone loses its entry.
    let member_names: Vec<String> =
        inputs.iter().map(|input| generator::family::member_crate_name(&name, &input.resource)).collect();
    versions.versions.retain(|crate_name, _| *crate_name == name || member_names.contains(crate_name));
    for crate_name in member_names.iter().chain([&name]) {
        let version = versions.of(crate_name);
        versions.versions.insert(crate_name.clone(), version);
    }

    let mut members = Vec::new();
    let mut stale = Vec::new();
    let mut left_out = Vec::new();
    let mut operations = 0;
    for (input, crate_name) in inputs.iter().zip(&member_names) {
        let out = args.out.join(&input.resource);
        let options = Options {
            crate_name: crate_name.clone(),
            runtime_path: Some(format!("../{RUNTIME_FOLDER}")),
            version: Some(versions.of(crate_name)),
            ..args.options.clone()
        };
        let generated = generate::generate_spec(&input.spec, &out, &options)?;
        for skipped in &generated.skipped {
            left_out.push(format!("{}: {skipped}", input.resource));
        }
        operations += generated.stats.operations;
        stale.extend(reconcile(&generated.files, &out, args.mode)?);
        members.push(MemberSpec {
            resource: input.resource.clone(),
            folder: input.resource.clone(),
            version: versions.of(crate_name),
            title: generated.title,
        });
    }
    if !left_out.is_empty() && !args.options.keep_going {
        bail!(
            "{} operations had to be left out:\n  {}\nfix the specs, or pass --keep-going to generate without them",
            left_out.len(),
            left_out.join("\n  ")
        );
    }
    let family = Family::new(&name, versions.of(&name), RUNTIME_FOLDER, members)?;
    stale.extend(reconcile(&family.umbrella_files(), &args.out.join(family.umbrella_folder()), args.mode)?);
    stale.extend(reconcile(&[family.workspace_manifest()], &args.out, args.mode)?);
    let versions_text = versions.text()?;
    stale.extend(reconcile(
        &[generator::GeneratedFile { path: VERSIONS_FILE.to_owned(), contents: versions_text }],
        &args.out,
        args.mode,
    )?);
    let gone = former_members(&args.out, &name, &member_names)?;
    match args.mode {
        Mode::Check => {
            generate::write_runtime(&args.out.join(RUNTIME_FOLDER), Mode::Check)?;
            stale.extend(gone.iter().map(|folder| format!("no longer a member: {}", folder.display())));
            if !stale.is_empty() {
                bail!(
                    "the family in {} is out of date:\n  {}\nrun `cargo xtask generate` on its specs to update it",
                    args.out.display(),
                    stale.join("\n  ")
                );
            }
        }
        Mode::Write => {
            generate::write_runtime(&args.out.join(RUNTIME_FOLDER), Mode::Write)?;
            for folder in &gone {
                fs::remove_dir_all(folder).with_context(|| format!("removing {}", folder.display()))?;
            }
            println!(
                "generated the family {name} into {}: {} crates and the umbrella, {operations} operations, \
                 {} left out, {} files changed, {} former members removed, in {:.1?}",
                args.out.display(),
                family.members.len(),
                left_out.len(),
                stale.len(),
                gone.len(),
                started.elapsed()
            );
        }
    }
    Ok(())
}

/// Writes the files that differ under `out` (removing generated leftovers),
/// or in check mode only lists them.
fn reconcile(files: &[generator::GeneratedFile], out: &Path, mode: Mode) -> Result<Vec<String>> {
    let drift = Drift::of(files, out)?;
    let listed = drift.stale.iter().chain(&drift.leftovers).map(|path| out.join(path).display().to_string()).collect();
    if mode == Mode::Write {
        drift.mend(files, out)?;
    }
    Ok(listed)
}

/// Folders of the family's folder holding a crate this generator wrote for
/// the family, whose resource is no longer among the specs.
fn former_members(out: &Path, name: &str, members: &[String]) -> Result<Vec<PathBuf>> {
    let Ok(entries) = fs::read_dir(out) else { return Ok(Vec::new()) };
    let mut gone = Vec::new();
    for entry in entries {
        let folder = entry?.path();
        let Ok(manifest) = fs::read_to_string(folder.join("Cargo.toml")) else { continue };
        let package = manifest.lines().find_map(|line| line.strip_prefix("name = ")).map(|n| n.trim_matches('"'));
        let ours = manifest.starts_with(generator::format::TOML_HEADER)
            && package.is_some_and(|package| {
                package.starts_with(&format!("{name}-")) && !members.iter().any(|member| member == package)
            });
        if ours {
            gone.push(folder);
        }
    }
    gone.sort();
    Ok(gone)
}

/// The family's specs: each file as given, and for each folder the spec
/// root file (`openapi.yaml`, `.yml` or `.json`) of each of its folders, in
/// name order (folders without one, such as a `shared/` one, are not specs).
fn inputs(specs: &[PathBuf]) -> Result<Vec<Input>> {
    let mut inputs: Vec<Input> = Vec::new();
    for path in specs {
        if path.is_dir() {
            let mut found = Vec::new();
            for entry in fs::read_dir(path).with_context(|| format!("listing {}", path.display()))? {
                let folder = entry?.path();
                let Some(root) = ROOT_FILES.iter().map(|file| folder.join(file)).find(|root| root.is_file()) else {
                    continue;
                };
                let resource = folder.file_name().expect("a listed entry has a name").to_string_lossy().into_owned();
                let relative = root.strip_prefix(path).expect("listed inside the folder").to_path_buf();
                found.push(Input { resource, spec: root, relative });
            }
            if found.is_empty() {
                bail!("{} holds no folder with a spec ({})", path.display(), ROOT_FILES.join(", "));
            }
            found.sort_by(|a, b| a.resource.cmp(&b.resource));
            inputs.extend(found);
        } else {
            let stem = path.file_stem().context("a spec path names its root file")?.to_string_lossy().into_owned();
            let folder = path.parent().and_then(Path::file_name).map(|name| name.to_string_lossy().into_owned());
            let (resource, relative) = match folder {
                Some(folder) if stem == "openapi" => {
                    (folder.clone(), Path::new(&folder).join(path.file_name().expect("has a stem")))
                }
                _ => (stem, PathBuf::from(path.file_name().expect("has a stem"))),
            };
            inputs.push(Input { resource, spec: path.clone(), relative });
        }
    }
    for (index, input) in inputs.iter().enumerate() {
        if let Some(other) = inputs[..index].iter().find(|other| other.resource == input.resource) {
            bail!(
                "{} and {} both serve the resource `{}`: a family has one spec per resource",
                other.spec.display(),
                input.spec.display(),
                input.resource
            );
        }
    }
    Ok(inputs)
}

/// What one member's spec did since the last release.
struct MemberChange {
    crate_name: String,
    /// `None`: the spec is new.
    report: Option<Report>,
    /// `false`: the spec is the same document as before.
    changed: bool,
    released: Option<Version>,
    next: Version,
}

/// Sets `versions.versions` from the last release's by each member's change,
/// and returns the report.
fn bump_versions(
    name: &str,
    inputs: &[Input],
    versions: &mut Versions,
    bump: &Bump,
    options: &Options,
) -> Result<String> {
    let base = match &bump.base_specs {
        Some(folder) => BaseAt::Folder(folder.clone()),
        None => {
            BaseAt::Revision(bump.base.clone().or_else(|| versions.released.specs.clone()).unwrap_or("HEAD".to_owned()))
        }
    };
    let mut changes = Vec::new();
    for input in inputs {
        let crate_name = generator::family::member_crate_name(name, &input.resource);
        let old = base.spec_of(input)?;
        let options = Options { crate_name: crate_name.clone(), ..options.clone() };
        let (report, changed) = if old.exists() {
            let report = spec_change(&old, &input.spec, &options)?;
            let changed = report.is_some();
            (Some(report.unwrap_or_default()), changed)
        } else {
            (None, true)
        };
        let released = versions.released.versions.get(&crate_name).cloned();
        let next = match (&report, &released) {
            (Some(report), Some(released)) if changed => diff::bumped(released, report.bump()),
            (Some(_), Some(released)) => released.clone(),
            // New to the family, or never released: as recorded, else 0.1.0.
            _ => versions.of(&crate_name),
        };
        changes.push(MemberChange { crate_name, report, changed, released, next });
    }
    // Members of the last release that are gone: removing an API breaks its users.
    let gone: Vec<&String> = versions
        .released
        .versions
        .keys()
        .filter(|crate_name| *crate_name != name && !changes.iter().any(|change| change.crate_name == **crate_name))
        .collect();
    let umbrella_level = changes
        .iter()
        .filter(|change| change.changed)
        .map(|change| change.report.as_ref().map_or(Level::Additive, Report::level))
        .chain(gone.iter().map(|_| Level::Breaking))
        .max();
    let umbrella_released = versions.released.versions.get(name).cloned();
    let umbrella_next = match (&umbrella_released, umbrella_level) {
        (Some(released), Some(level)) => diff::bumped(released, level.bump()),
        (Some(released), None) => released.clone(),
        (None, _) => versions.of(name),
    };

    let mut out =
        format!("# `{name}`: API changes since the last release\n\nCompared with the specs at {}.\n\n", base.label());
    out.push_str("| crate | API change | version |\n|---|---|---|\n");
    let verdict = |level: Option<Level>, report: Option<&Report>| match (level, report) {
        (None, _) => "none".to_owned(),
        (Some(_), None) => "new crate".to_owned(),
        (Some(_), Some(report)) if report.changes.is_empty() => "documentation only".to_owned(),
        (Some(level), Some(_)) => label(level).to_owned(),
    };
    let moved = |released: &Option<Version>, next: &Version| match released {
        Some(released) if released != next => format!("{released} → {next}"),
        Some(released) => released.to_string(),
        None => format!("{next} (first release)"),
    };
    let umbrella_verdict = match umbrella_level {
        None => "none".to_owned(),
        Some(level) => format!("{} (its largest member's)", label(level)),
    };
    let _ =
        writeln!(out, "| `{name}` (umbrella) | {umbrella_verdict} | {} |", moved(&umbrella_released, &umbrella_next));
    for change in &changes {
        let level = change.changed.then(|| change.report.as_ref().map_or(Level::Additive, Report::level));
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            change.crate_name,
            verdict(level, change.report.as_ref()),
            moved(&change.released, &change.next)
        );
    }
    for crate_name in &gone {
        let _ = writeln!(out, "| `{crate_name}` | removed (its spec is gone) | — |");
    }
    for change in changes.iter().filter(|change| change.changed) {
        if let Some(report) = change.report.as_ref().filter(|report| !report.changes.is_empty()) {
            let released = change.released.clone().unwrap_or(Version::new(0, 1, 0));
            let detail = report.to_markdown(&released).replacen("# API changes", "", 1);
            let _ = write!(
                out,
                "\n<details><summary><code>{}</code>: {} changes</summary>\n{detail}\n</details>\n",
                change.crate_name,
                report.changes.len()
            );
        }
    }

    for change in changes {
        versions.versions.insert(change.crate_name, change.next);
    }
    versions.versions.insert(name.to_owned(), umbrella_next);
    Ok(out)
}

fn label(level: Level) -> &'static str {
    match level {
        Level::Breaking => "breaking",
        Level::Additive => "additive",
        Level::Patch => "wire only",
    }
}

/// Where the specs of the last release are.
enum BaseAt {
    /// In a folder laid out as the specs given.
    Folder(PathBuf),
    /// In the git checkout holding the specs, at a revision.
    Revision(String),
}

impl BaseAt {
    /// Where `input`'s spec was (a path that may not exist: a spec new since then).
    fn spec_of(&self, input: &Input) -> Result<PathBuf> {
        match self {
            Self::Folder(folder) => Ok(folder.join(&input.relative)),
            Self::Revision(revision) => {
                let (top, relative) = api_diff::tree_at(&input.spec, revision)?;
                Ok(top.join(relative))
            }
        }
    }

    fn label(&self) -> String {
        match self {
            Self::Folder(folder) => format!("`{}`", folder.display()),
            Self::Revision(revision) => format!("revision `{revision}`"),
        }
    }
}

/// `None` when the two specs are the same document (after bundling, so a
/// change in a shared file counts only where it is used); else the API
/// change from `old` to `new`, which is empty when only documentation changed.
fn spec_change(old: &Path, new: &Path, options: &Options) -> Result<Option<Report>> {
    let document = |spec: &Path| -> Result<serde_json::Value> {
        let (source, root) = FolderSource::for_root(spec)?;
        let load = generate::generator_options(spec, None, options)?.load;
        let loaded = generator::load::load_with(&source, &root, load).map_err(|errors| anyhow::anyhow!("{errors}"))?;
        Ok(loaded.document)
    };
    if document(old)? == document(new)? {
        return Ok(None);
    }
    Ok(Some(diff::diff(&api_diff::lower(old, options)?, &api_diff::lower(new, options)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small spec for the resource `name`, with `extra` added to its model's properties.
    fn spec(name: &str, extra: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: {name} API, version: '1'}}\nservers: [{{url: 'https://api.example.com'}}]\n\
             paths:\n  /{name}:\n    get:\n      operationId: list{name}\n      responses:\n        '200':\n          \
             description: ok\n          content:\n            application/json:\n              schema:\n                \
             type: array\n                items: {{$ref: '#/components/schemas/Thing'}}\n\
             components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        id: {{type: string}}\n{extra}"
        )
    }

    fn write_specs(folder: &Path, specs: &[(&str, String)]) {
        for (name, text) in specs {
            fs::create_dir_all(folder.join(name)).unwrap();
            fs::write(folder.join(name).join("openapi.yaml"), text).unwrap();
        }
    }

    fn version(out: &Path, crate_folder: &str) -> String {
        let manifest = fs::read_to_string(out.join(crate_folder).join("Cargo.toml")).unwrap();
        manifest.lines().find_map(|line| line.strip_prefix("version = ")).unwrap().trim_matches('"').to_owned()
    }

    #[test]
    fn a_changed_spec_bumps_its_crate_and_the_umbrella_and_nothing_else() {
        let folder = std::env::temp_dir().join(format!("xtask-family-{}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        let (old, new, out) = (folder.join("old"), folder.join("new"), folder.join("acme"));
        let field = "        name: {type: string}\n";
        write_specs(&old, &[("alpha", spec("alpha", "")), ("beta", spec("beta", "")), ("gamma", spec("gamma", field))]);
        // The last release: beta's model gains an optional field, gamma's loses one.
        write_specs(&new, &[("alpha", spec("alpha", "")), ("beta", spec("beta", field)), ("gamma", spec("gamma", ""))]);
        fs::create_dir_all(&out).unwrap();
        let released = "released:\n  specs: v1\n  versions:\n    acme: 1.2.0\n    acme-alpha: 1.0.0\n    acme-beta: 1.0.0\n    acme-gamma: 0.3.0\n";
        fs::write(out.join(VERSIONS_FILE), released).unwrap();
        let report = folder.join("report.md");
        let args = |bump: bool| Args {
            specs: vec![new.clone()],
            out: out.clone(),
            name: None,
            mode: Mode::Write,
            options: Options::default(),
            bump: bump.then(|| Bump { base_specs: Some(old.clone()), base: None, report: Some(report.clone()) }),
        };
        run(args(true)).expect("generates the family");
        assert_eq!(version(&out, "alpha"), "1.0.0", "an unchanged spec keeps its version");
        assert_eq!(version(&out, "beta"), "1.1.0", "an additive change is a minor bump after 1.0");
        assert_eq!(version(&out, "gamma"), "0.4.0", "a breaking change before 1.0 moves the minor number");
        assert_eq!(version(&out, "acme"), "2.0.0", "the umbrella follows its largest member's bump");
        let text = fs::read_to_string(&report).unwrap();
        assert!(text.contains("| `acme-alpha` | none | 1.0.0 |"), "{text}");
        assert!(text.contains("| `acme-gamma` | breaking | 0.3.0 → 0.4.0 |"), "{text}");
        // Bumping again gives the same versions: always from the last release.
        run(args(true)).unwrap();
        assert_eq!((version(&out, "beta"), version(&out, "acme")), ("1.1.0".to_owned(), "2.0.0".to_owned()));
        // Without --bump the recorded versions stay, and the family is current.
        run(args(false)).unwrap();
        assert_eq!(version(&out, "gamma"), "0.4.0");
        run(Args { mode: Mode::Check, ..args(false) }).expect("fresh output is not stale");
        // The umbrella names every member with its version, and the workspace holds them all.
        let umbrella = fs::read_to_string(out.join("acme/Cargo.toml")).unwrap();
        assert!(
            umbrella.contains("acme-beta = { version = \"1.1.0\", path = \"../beta\", optional = true }"),
            "{umbrella}"
        );
        let workspace = fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(workspace.contains("\"openapi-client-runtime\""), "{workspace}");
        assert!(out.join("openapi-client-runtime/Cargo.toml").exists());
        fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_spec_gone_from_the_family_is_a_breaking_change_and_its_folder_is_removed() {
        let folder = std::env::temp_dir().join(format!("xtask-family-gone-{}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        let (old, new, out) = (folder.join("old"), folder.join("new"), folder.join("acme"));
        write_specs(&old, &[("alpha", spec("alpha", "")), ("beta", spec("beta", ""))]);
        write_specs(&new, &[("alpha", spec("alpha", "")), ("delta", spec("delta", ""))]);
        let args = |specs: &Path, bump: bool| Args {
            specs: vec![specs.to_path_buf()],
            out: out.clone(),
            name: None,
            mode: Mode::Write,
            options: Options::default(),
            bump: bump.then(|| Bump { base_specs: Some(old.clone()), base: None, report: None }),
        };
        run(args(&old, false)).unwrap();
        assert!(out.join("beta/Cargo.toml").exists());
        let mut versions = Versions::read(&out).unwrap();
        versions.released.versions = versions.versions.clone();
        fs::write(out.join(VERSIONS_FILE), versions.text().unwrap()).unwrap();
        run(args(&new, true)).unwrap();
        assert!(!out.join("beta").exists(), "a former member's folder is removed");
        assert_eq!(version(&out, "delta"), "0.1.0", "a new member starts at 0.1.0");
        assert_eq!(version(&out, "acme"), "0.2.0", "losing an API breaks the umbrella");
        let versions = Versions::read(&out).unwrap();
        assert!(!versions.versions.contains_key("acme-beta"), "{versions:?}");
        fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn the_base_is_the_git_revision_family_yaml_records_for_the_last_release() {
        let folder = std::env::temp_dir().join(format!("xtask-family-git-{}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        let (checkout, out) = (folder.join("api-specs"), folder.join("acme"));
        let apis = checkout.join("idn/apis");
        write_specs(&apis, &[("alpha", spec("alpha", "")), ("beta", spec("beta", ""))]);
        let git = |args: &[&str]| {
            let status = std::process::Command::new("git")
                .args(["-c", "user.name=test", "-c", "user.email=test@example.com", "-C"])
                .arg(&checkout)
                .args(args)
                .output()
                .unwrap();
            assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
            String::from_utf8(status.stdout).unwrap()
        };
        git(&["init", "--quiet"]);
        git(&["add", "-A"]);
        git(&["commit", "--quiet", "-m", "release"]);
        let release = git(&["rev-parse", "HEAD"]).trim().to_owned();
        // Since the release: alpha's list gains an operation (additive), in a new commit.
        let grown = spec("alpha", "").replace(
            "components:",
            "  /alpha/{id}:\n    delete:\n      operationId: deletealpha\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: gone}}\ncomponents:",
        );
        fs::write(apis.join("alpha/openapi.yaml"), grown).unwrap();
        git(&["commit", "--quiet", "-am", "alpha grows"]);
        fs::create_dir_all(&out).unwrap();
        let released = format!(
            "released:\n  specs: {release}\n  versions:\n    acme: 1.0.0\n    acme-alpha: 1.0.0\n    acme-beta: 1.0.0\n"
        );
        fs::write(out.join(VERSIONS_FILE), released).unwrap();
        let args = Args {
            specs: vec![apis.clone()],
            out: out.clone(),
            name: None,
            mode: Mode::Write,
            options: Options::default(),
            bump: Some(Bump { base_specs: None, base: None, report: None }),
        };
        run(args).expect("bumps against the recorded revision");
        assert_eq!(version(&out, "alpha"), "1.1.0");
        assert_eq!(version(&out, "beta"), "1.0.0");
        assert_eq!(version(&out, "acme"), "1.1.0");
        fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn specs_are_found_in_folders_and_one_resource_has_one_spec() {
        let folder = std::env::temp_dir().join(format!("xtask-family-inputs-{}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        write_specs(&folder, &[("b", spec("b", "")), ("a", spec("a", ""))]);
        fs::create_dir_all(folder.join("shared")).unwrap();
        let found = inputs(std::slice::from_ref(&folder)).unwrap();
        let resources: Vec<_> = found.iter().map(|input| input.resource.as_str()).collect();
        assert_eq!(resources, ["a", "b"], "folders in name order, a folder without a spec skipped");
        assert_eq!(found[0].relative, Path::new("a/openapi.yaml"));
        let error = inputs(&[folder.clone(), folder.join("a/openapi.yaml")]).unwrap_err().to_string();
        assert!(error.contains("both serve the resource `a`"), "{error}");
        fs::remove_dir_all(&folder).unwrap();
    }
}
