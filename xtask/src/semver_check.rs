//! `cargo xtask semver-check`: api-diff's verdicts checked against
//! cargo-semver-checks', on the generated crates themselves.
//!
//! `xtask/semver/base.yaml` is a small spec with one of each thing api-diff
//! compares; `xtask/semver/changes.yaml` lists one change of each kind
//! api-diff tells apart, as a JSON Patch on it, with the verdict api-diff
//! must give. For each change this generates the crate before and after
//! (both `widgets` 1.0.0, each in a workspace of its own), builds their
//! rustdoc JSON in one shared target folder, and runs `cargo semver-checks`
//! on the pair. It fails when api-diff's verdict is not the one listed, or
//! is below cargo-semver-checks' (a patch where it finds a minor or major
//! change); api-diff may be stricter (see `generator::diff`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use generator::diff::{self, Level};

use crate::api_diff;
use crate::generate::{self, Mode, Options};

/// The probe crate's package name, before and after every change.
const CRATE: &str = "widgets";

/// One change of `changes.yaml`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What kind of change it is.
    kind: String,
    /// The verdict api-diff must give.
    #[serde(rename = "api-diff")]
    expected: Verdict,
    /// The change, on `base.yaml`.
    patch: json_patch::Patch,
}

/// A verdict, in both tools' terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Verdict {
    /// Nothing a user's code can see: a patch release.
    Wire,
    /// New API: a minor release.
    Additive,
    /// A major release.
    Breaking,
}

impl Verdict {
    fn of(level: Level) -> Self {
        match level {
            Level::Patch => Self::Wire,
            Level::Additive => Self::Additive,
            Level::Breaking => Self::Breaking,
        }
    }

    /// The release it calls for.
    fn release(self) -> &'static str {
        match self {
            Self::Wire => "patch",
            Self::Additive => "minor",
            Self::Breaking => "major",
        }
    }
}

/// Runs every case (or those whose kind contains `only`), prints the table,
/// and fails naming every case where the tools disagree as above.
pub fn run(only: Option<&str>) -> Result<()> {
    let started = Instant::now();
    let root = generate::workspace_root();
    let folder = root.join("xtask/semver");
    let base: serde_json::Value = read_yaml(&folder.join("base.yaml"))?;
    let cases: Vec<Case> = read_yaml(&folder.join("changes.yaml"))?;
    let work = root.join("target/semver-check");
    let _ = fs::remove_dir_all(&work);
    let tool = semver_checks()?;

    let (base_api, base_json) = probe(&work.join("base"), &base)?;
    let mut table = String::from("| change | api-diff | cargo-semver-checks | agree |\n|---|---|---|---|\n");
    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate().filter(|(_, case)| only.is_none_or(|only| case.kind.contains(only))) {
        let mut changed = base.clone();
        json_patch::patch(&mut changed, &case.patch).with_context(|| format!("applying the change `{}`", case.kind))?;
        let (api, json) = probe(&work.join(format!("case-{index:02}")), &changed)?;
        let report = diff::diff(&base_api, &api);
        let ours = Verdict::of(report.level());
        let theirs = run_semver_checks(&tool, &base_json, &json)?;
        let agree = ours >= theirs.verdict && ours == case.expected;
        println!("{}: api-diff {}, cargo-semver-checks {}", case.kind, ours.release(), theirs.verdict.release());
        table.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            case.kind,
            ours.release(),
            theirs.verdict.release(),
            if agree { "yes" } else { "**no**" }
        ));
        if ours != case.expected {
            failures.push(format!(
                "{}: api-diff says {}, where {} is listed:\n{}",
                case.kind,
                ours.release(),
                case.expected.release(),
                report.to_markdown(&semver::Version::new(1, 0, 0))
            ));
        }
        if ours < theirs.verdict {
            failures.push(format!(
                "{}: api-diff says {}, cargo-semver-checks {}:\n{}",
                case.kind,
                ours.release(),
                theirs.verdict.release(),
                theirs.output
            ));
        }
    }
    println!("\n{table}\nin {:.0?}", started.elapsed());
    fs::write(work.join("summary.md"), &table)?;
    if !failures.is_empty() {
        bail!("{} disagreements:\n\n{}", failures.len(), failures.join("\n\n"));
    }
    Ok(())
}

fn read_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_yaml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))
}

/// The `cargo-semver-checks` to run: `CARGO_SEMVER_CHECKS` if set, else the one on the path.
fn semver_checks() -> Result<PathBuf> {
    let tool = std::env::var_os("CARGO_SEMVER_CHECKS").map_or(PathBuf::from("cargo-semver-checks"), PathBuf::from);
    let version = Command::new(&tool).args(["semver-checks", "--version"]).output();
    match version {
        Ok(output) if output.status.success() => Ok(tool),
        _ => bail!(
            "cargo-semver-checks is not installed: `cargo install cargo-semver-checks --locked` \
             (CI installs the version it pins), or point CARGO_SEMVER_CHECKS at it"
        ),
    }
}

/// Generates the probe crate of `spec` into a workspace of its own in
/// `folder` and builds its rustdoc JSON; returns its API and the JSON's path.
fn probe(folder: &Path, spec: &serde_json::Value) -> Result<(generator::ir::Api, PathBuf)> {
    let root = generate::workspace_root();
    let (spec_path, api, options) = spec_api(folder, spec)?;
    generate::run(&spec_path, &folder.join(CRATE), Mode::Write, options)?;
    fs::write(folder.join("Cargo.toml"), format!("[workspace]\nresolver = \"2\"\nmembers = [{CRATE:?}]\n"))?;
    fs::copy(root.join("Cargo.lock"), folder.join("Cargo.lock"))?;

    // One target folder for every probe, so the dependencies' docs build once.
    let target = root.join("target/semver-check-target");
    let status = Command::new(env!("CARGO"))
        .args(["rustdoc", "--quiet", "--lib", "--manifest-path"])
        .arg(folder.join(CRATE).join("Cargo.toml"))
        .args(["--", "-Zunstable-options", "--output-format", "json"])
        .env("CARGO_TARGET_DIR", &target)
        // rustdoc's JSON output is unstable; cargo-semver-checks asks for it the same way.
        .env("RUSTC_BOOTSTRAP", "1")
        .status()
        .context("running cargo rustdoc")?;
    if !status.success() {
        bail!("cargo rustdoc failed on {}", folder.display());
    }
    let json = folder.join("rustdoc.json");
    fs::copy(target.join("doc").join(format!("{CRATE}.json")), &json)?;
    Ok((api, json))
}

/// Writes `spec` to `folder/spec/openapi.json`; returns its path, its API
/// and the options the probe crate is generated with.
fn spec_api(folder: &Path, spec: &serde_json::Value) -> Result<(PathBuf, generator::ir::Api, Options)> {
    fs::create_dir_all(folder.join("spec"))?;
    let spec_path = folder.join("spec/openapi.json");
    fs::write(&spec_path, serde_json::to_string_pretty(spec)?)?;
    let options = Options {
        crate_name: CRATE.to_owned(),
        version: Some(semver::Version::new(1, 0, 0)),
        spec_root: Some(folder.to_path_buf()),
        ..Options::default()
    };
    let api = api_diff::lower(&spec_path, &options)?;
    Ok((spec_path, api, options))
}

/// What cargo-semver-checks said of a pair.
struct TheirVerdict {
    verdict: Verdict,
    output: String,
}

fn run_semver_checks(tool: &Path, baseline: &Path, current: &Path) -> Result<TheirVerdict> {
    let output = Command::new(tool)
        .args(["semver-checks", "check-release", "--release-type", "patch", "--color", "never", "--baseline-rustdoc"])
        .arg(baseline)
        .arg("--current-rustdoc")
        .arg(current)
        .output()
        .context("running cargo-semver-checks")?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let verdict = if output.status.success() {
        Verdict::Wire
    } else if text.contains("requires new major version") {
        Verdict::Breaking
    } else if text.contains("requires new minor version") {
        Verdict::Additive
    } else {
        bail!("cargo-semver-checks failed:\n{text}");
    };
    Ok(TheirVerdict { verdict, output: text })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without cargo-semver-checks (which `.ci/run` adds): every change
    /// applies to the base spec, and api-diff gives the verdict listed.
    #[test]
    fn every_change_applies_and_api_diff_gives_its_listed_verdict() {
        let folder = generate::workspace_root().join("xtask/semver");
        let base: serde_json::Value = read_yaml(&folder.join("base.yaml")).unwrap();
        let cases: Vec<Case> = read_yaml(&folder.join("changes.yaml")).unwrap();
        let work = std::env::temp_dir().join(format!("xtask-semver-{}", std::process::id()));
        let (_, base_api, _) = spec_api(&work.join("base"), &base).unwrap();
        assert!(cases.len() >= 25, "one case a kind of change");
        for (index, case) in cases.iter().enumerate() {
            let mut changed = base.clone();
            json_patch::patch(&mut changed, &case.patch).unwrap_or_else(|error| panic!("{}: {error}", case.kind));
            let (_, api, _) = spec_api(&work.join(index.to_string()), &changed).unwrap();
            let report = diff::diff(&base_api, &api);
            assert!(!report.changes.is_empty(), "{}: no change seen", case.kind);
            assert_eq!(Verdict::of(report.level()), case.expected, "{}", case.kind);
        }
        fs::remove_dir_all(&work).unwrap();
    }
}
