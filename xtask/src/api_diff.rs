//! `cargo xtask api-diff`: what changed for users of the generated crate
//! between two specs, and the version bump it needs; and the bump itself,
//! for `cargo xtask generate --bump`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use generator::diff::{self, Report};

use crate::generate::{self, FolderSource, Options};

/// Where the old spec comes from.
pub enum Base {
    /// A spec root file on disk.
    Spec(PathBuf),
    /// The same spec, as committed at a git revision of the checkout holding it.
    Revision(String),
}

/// The report between the spec at `base` and the spec at `spec`, with
/// the version the new spec's generator config gives.
pub fn report(base: &Base, spec: &Path, options: &Options) -> Result<(Report, semver::Version)> {
    let new = lower(spec, options)?;
    let old_spec = match base {
        Base::Spec(path) => path.clone(),
        Base::Revision(revision) => checkout(spec, revision)?,
    };
    let old = lower(&old_spec, options)?;
    let version = generate::generator_config(&old_spec)?.version();
    Ok((diff::diff(&old, &new), version))
}

/// Prints the Markdown report.
pub fn run(base: &Base, spec: &Path, options: &Options) -> Result<()> {
    let (report, version) = report(base, spec, options)?;
    print!("{}", report.to_markdown(&version));
    Ok(())
}

/// Sets `version:` in the generator config beside `spec` to the base's
/// version bumped by the report, and returns it. Running it twice gives
/// the same version: the bump is always from the base.
pub fn bump(base: &Base, spec: &Path, options: &Options) -> Result<semver::Version> {
    let (report, version) = report(base, spec, options)?;
    let next = diff::bumped(&version, report.bump());
    let path = spec.parent().unwrap_or(Path::new(".")).join(generator::config::FILE_NAME);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(error).with_context(|| format!("reading {}", path.display())),
    };
    let line = format!("version: {next}");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    match lines.iter_mut().find(|existing| existing.starts_with("version:")) {
        Some(existing) => *existing = line,
        None => lines.insert(0, line),
    }
    fs::write(&path, lines.join("\n") + "\n").with_context(|| format!("writing {}", path.display()))?;
    eprintln!("{}: {version} → {next} ({:?} API change)", path.display(), report.bump());
    Ok(next)
}

/// The API of the spec whose root file is `spec`.
pub fn lower(spec: &Path, options: &Options) -> Result<generator::ir::Api> {
    let (source, root_name) = FolderSource::for_root(spec)?;
    let generator_options = generate::generator_options(spec, None, options)?;
    generator::lower_spec(&source, &root_name, &generator_options)
        .map_err(|errors| anyhow::anyhow!("{}: {errors}", spec.display()))
}

/// The spec at `revision` of the git checkout holding it, extracted under
/// `target/api-diff/`; returns where `spec` is in it.
fn checkout(spec: &Path, revision: &str) -> Result<PathBuf> {
    let spec = spec.canonicalize().with_context(|| format!("reading {}", spec.display()))?;
    let (top, relative) = tree_at(&spec, revision)?;
    let old = top.join(&relative);
    if !old.exists() {
        bail!("{} does not exist at {revision}", relative.display());
    }
    Ok(old)
}

/// The tree of the git checkout holding `path` (a file or folder, which must
/// exist) at `revision`, extracted once under `target/api-diff/<commit>`;
/// returns the extracted tree and where `path` is in it.
pub fn tree_at(path: &Path, revision: &str) -> Result<(PathBuf, PathBuf)> {
    let path = path.canonicalize().with_context(|| format!("reading {}", path.display()))?;
    let folder = if path.is_dir() { path.as_path() } else { path.parent().context("a file has a folder")? };
    let top = git(folder, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(top.trim());
    let relative =
        path.strip_prefix(&top).with_context(|| format!("{} is outside {}", path.display(), top.display()))?;
    let commit = git(&top, &["rev-parse", "--verify", &format!("{revision}^{{commit}}")])?;
    let out = generate::workspace_root().join("target/api-diff").join(commit.trim());
    // Written last: a tree without it was cut short and is extracted again.
    let complete = out.join(".extracted");
    if !complete.exists() {
        let _ = fs::remove_dir_all(&out);
        fs::create_dir_all(&out)?;
        let archive =
            Command::new("git").arg("-C").arg(&top).args(["archive", "--format=tar", commit.trim()]).output()?;
        if !archive.status.success() {
            bail!("git archive {revision}: {}", String::from_utf8_lossy(&archive.stderr));
        }
        let mut tar = Command::new("tar").arg("-x").arg("-C").arg(&out).stdin(std::process::Stdio::piped()).spawn()?;
        std::io::Write::write_all(tar.stdin.as_mut().context("tar's stdin")?, &archive.stdout)?;
        drop(tar.stdin.take());
        if !tar.wait()?.success() {
            bail!("extracting {revision} with tar failed");
        }
        fs::write(&complete, "")?;
    }
    Ok((out, relative.to_path_buf()))
}

fn git(folder: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git").arg("-C").arg(folder).args(args).output().context("running git")?;
    if !output.status.success() {
        bail!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8(output.stdout)?)
}
