//! `cargo xtask conformance <root>`: generate a crate for any spec into a
//! temporary folder, build and lint it, and summarise what happened.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::generate::{self, Options};

/// Generates, builds and lints the crate for `spec`; fails if it does not
/// build or lint cleanly.
pub fn run(spec: &Path, crate_name: &str, keep: Option<PathBuf>, build_times: Option<String>) -> Result<()> {
    let out = keep.unwrap_or_else(|| std::env::temp_dir().join(format!("xtask-conformance-{crate_name}")));
    let _ = std::fs::remove_dir_all(&out);
    let options = Options { keep_going: true, crate_name: crate_name.to_owned(), ..Options::default() };
    let started = Instant::now();
    let generated = generate::generate_spec(spec, &out, &options)?;
    let generation = started.elapsed();
    generate::write_files(&out, &generated.files)?;
    // A crate of its own, outside this workspace.
    let manifest = out.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest)?;
    text.push_str("\n[workspace]\n");
    std::fs::write(&manifest, text)?;

    println!("spec:        {}", spec.display());
    println!("generated:   {} in {generation:.2?}", out.display());
    println!("operations:  {} generated, {} left out", generated.stats.operations, generated.skipped.len());
    println!("schemas:     {} types", generated.stats.types);
    println!("diagnostics: {} warnings, {} operations left out", generated.warnings.len(), generated.skipped.len());
    for (kind, count) in by_kind(generated.warnings.iter().chain(&generated.skipped)) {
        println!("  {count:>5}  {kind}");
    }
    for skipped in &generated.skipped {
        println!("  left out: {skipped}");
    }

    let target = generate::workspace_root().join("target/conformance");
    let steps = [
        ("build", vec!["build", "--quiet"]),
        // The examples too: they are emitted for any spec with the operations they use.
        ("clippy", vec!["clippy", "--quiet", "--lib", "--examples", "--", "-D", "warnings"]),
        // The crate's guide (its README, which is also its docs) compiles for it too.
        ("doctests", vec!["test", "--quiet", "--doc"]),
    ];
    for (step, args) in steps {
        let started = Instant::now();
        cargo(&out, &target, &args)
            .with_context(|| format!("the crate generated from {} does not pass `cargo {step}`", spec.display()))?;
        println!("{step:<12} ok in {:.1?}", started.elapsed());
    }
    // A crate split by tag must also build with one feature alone.
    let manifest = std::fs::read_to_string(out.join("Cargo.toml"))?;
    for feature in ["connectors", generator::ir::UNREFERENCED_FEATURE] {
        if !manifest.contains(&format!("\n{feature} = [")) {
            continue;
        }
        let started = Instant::now();
        let args = ["clippy", "--quiet", "--no-default-features", "--features", feature, "--lib", "--examples"];
        cargo(&out, &target, &[&args[..], &["--", "-D", "warnings"]].concat())?;
        println!("only `{feature}` clippy ok in {:.1?}", started.elapsed());
    }
    if let Some(feature) = build_times {
        // The crate alone (dependencies already built), with every feature and with one.
        for features in [None, Some(feature.as_str())] {
            cargo(&out, &target, &["clean", "--quiet", "-p", crate_name])?;
            let mut args = vec!["build", "--quiet"];
            if let Some(feature) = features {
                args.extend(["--no-default-features", "--features", feature]);
            }
            let started = Instant::now();
            cargo(&out, &target, &args)?;
            let what = features.map_or("all features".to_owned(), |feature| format!("only `{feature}`"));
            println!("crate build  {what}: {:.1?}", started.elapsed());
        }
    }
    Ok(())
}

fn cargo(folder: &Path, target: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(folder)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("cargo {} failed in {}", args.join(" "), folder.display());
    }
    Ok(())
}

/// Diagnostics grouped by what they say, with the names in backticks left out.
fn by_kind<'a>(diagnostics: impl Iterator<Item = &'a generator::Diagnostic>) -> BTreeMap<String, usize> {
    let mut kinds = BTreeMap::new();
    for diagnostic in diagnostics {
        let mut kind = String::new();
        for (index, part) in diagnostic.message.split('`').enumerate() {
            kind.push_str(if index % 2 == 1 { "…" } else { part });
        }
        *kinds.entry(kind).or_insert(0) += 1;
    }
    kinds
}
