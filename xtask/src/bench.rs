//! `cargo xtask bench`: how long each generator stage takes on `spec/` and
//! on SailPoint's whole v2024 spec, and the peak memory of each run.
//!
//! Each spec runs in a child process of its own, so its peak resident
//! memory (`VmHWM`) is its own. Build with `--release` for real numbers:
//! `cargo run --release -p xtask -- bench`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::generate::FolderSource;

/// Benchmarks every spec in a child process of its own.
pub fn run(specs: &[PathBuf], iterations: usize) -> Result<()> {
    if cfg!(debug_assertions) {
        println!("note: a debug build; `cargo run --release -p xtask -- bench` gives representative numbers");
    }
    println!("codegen and format: one thread, for the breakdown; emit: both on all cores, as `generate` runs them");
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8}",
        "spec (median of runs)", "load", "parse", "lower", "codegen", "format", "emit", "total", "peak MB"
    );
    for spec in specs {
        let status = Command::new(std::env::current_exe()?)
            .args(["bench-one", &spec.to_string_lossy(), "--iterations", &iterations.to_string()])
            .status()
            .context("starting the benchmark process")?;
        if !status.success() {
            bail!("benchmarking {} failed", spec.display());
        }
    }
    Ok(())
}

/// Runs the stages `iterations` times on one spec and prints the medians.
pub fn run_one(spec: &Path, iterations: usize) -> Result<()> {
    let (source, root) = FolderSource::for_root(spec)?;
    let load = generator::load::LoadOptions {
        spec_root_up: crate::generate::spec_root_up(spec, None)?,
        ..generator::load::LoadOptions::default()
    };
    let mut times: [Vec<Duration>; 6] = Default::default();
    for _ in 0..iterations.max(1) {
        let start = Instant::now();
        let loaded = generator::load::load_with(&source, &root, load).map_err(|errors| anyhow::anyhow!("{errors}"))?;
        let loaded_at = Instant::now();
        let parsed = generator::parse::parse(&loaded).map_err(|errors| anyhow::anyhow!("{errors}"))?;
        let parsed_at = Instant::now();
        let lowered = generator::lower::lower(&parsed.spec, &loaded.source_map, &Default::default())
            .map_err(|errors| anyhow::anyhow!("{errors}"))?;
        generator::check::check(&lowered.api).map_err(|errors| anyhow::anyhow!("{errors}"))?;
        let lowered_at = Instant::now();
        let modules = generator::codegen::rust_modules(&lowered.api);
        let generated_at = Instant::now();
        let formatted: usize = modules.into_iter().map(|(_, tokens)| generator::format::rust_file(tokens).len()).sum();
        let formatted_at = Instant::now();
        assert!(formatted > 0);
        let files = generator::codegen::crate_files(&lowered.api, &generator::Options::default());
        let emitted_at = Instant::now();
        assert!(!files.is_empty());
        for (slot, duration) in times.iter_mut().zip([
            loaded_at - start,
            parsed_at - loaded_at,
            lowered_at - parsed_at,
            generated_at - lowered_at,
            formatted_at - generated_at,
            emitted_at - formatted_at,
        ]) {
            slot.push(duration);
        }
    }
    let medians: Vec<Duration> = times.iter_mut().map(|runs| median(runs)).collect();
    let total: Duration = medians[..3].iter().sum::<Duration>() + medians[5];
    let name: String =
        spec.display().to_string().chars().rev().take(44).collect::<Vec<_>>().into_iter().rev().collect();
    let ms = |d: &Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "{name:<44} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8}",
        ms(&medians[0]),
        ms(&medians[1]),
        ms(&medians[2]),
        ms(&medians[3]),
        ms(&medians[4]),
        ms(&medians[5]),
        ms(&total),
        peak_resident_mb().map_or_else(|| "n/a".to_owned(), |mb| format!("{mb:.0}")),
    );
    Ok(())
}

fn median(runs: &mut [Duration]) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Peak resident memory of this process in MB, from `/proc/self/status` (Linux).
fn peak_resident_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024.0)
}
