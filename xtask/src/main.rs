//! Maintainer commands, run as `cargo xtask <command>`.

mod api_diff;
mod bench;
mod conformance;
mod family;
mod generate;
mod semver_check;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer commands for the SailPoint client generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// (Re)write the generated client crate from the OpenAPI spec; or, given
    /// several specs or a folder of them, a family: a crate per spec, an
    /// umbrella crate with a feature per crate, the runtime and a workspace.
    Generate {
        /// Write nothing; fail naming every file that differs from a fresh generation.
        #[arg(long)]
        check: bool,
        /// Root file of the spec [default: spec/openapi.yaml]. Given more than
        /// once, or naming a folder of spec folders (`idn/apis/`), a family.
        #[arg(long, value_name = "PATH")]
        spec: Vec<PathBuf>,
        /// Folder of the generated crate [default: generated-client], or of the family.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The folder `$ref`s may not leave [default: the top of the git checkout
        /// holding the spec, else the parent of the spec's folder].
        #[arg(long, value_name = "DIR")]
        spec_root: Option<PathBuf>,
        /// Follow `$ref`s to any file, absolute paths included (no spec root).
        #[arg(long)]
        allow_refs_outside_spec: bool,
        /// Generate even when some operations must be left out (each is reported).
        #[arg(long)]
        keep_going: bool,
        /// Package name of the generated crate [default: sailpoint-connectors];
        /// of a family's umbrella, which prefixes its members' [default: the
        /// family folder's name].
        #[arg(long)]
        crate_name: Option<String>,
        /// Prefix of the environment variables the client reads [default:
        /// `SAIL_` for SailPoint's APIs, else the crate name in capitals and `_`].
        #[arg(long, value_name = "PREFIX")]
        env_prefix: Option<String>,
        /// Copy the runtime into the crate (`src/runtime/`) instead of depending
        /// on the `openapi-client-runtime` crate: one crate that stands alone.
        #[arg(long)]
        standalone: bool,
        /// First set the crate's version in the generator config beside the spec
        /// to the version at `--base` bumped as `api-diff` says; for a family,
        /// each crate's version in its `family.yaml`, from the last release's.
        #[arg(long)]
        bump: bool,
        /// The git revision `--bump` compares with [default: HEAD; for a family,
        /// the revision its `family.yaml` records for the last release, else HEAD].
        #[arg(long, value_name = "REV", requires = "bump")]
        base: Option<String>,
        /// For a family: the folder of the last release's specs, laid out as
        /// the specs given, instead of a git revision.
        #[arg(long, value_name = "DIR", requires = "bump", conflicts_with = "base")]
        base_specs: Option<PathBuf>,
        /// For a family: also write `--bump`'s report (Markdown) to this file.
        #[arg(long, value_name = "FILE", requires = "bump")]
        report: Option<PathBuf>,
    },
    /// Report the API changes between two specs and the version bump they need (Markdown).
    ApiDiff {
        /// The old spec's root file (or use `--base`).
        #[arg(required_unless_present = "base", conflicts_with = "base")]
        old: Option<PathBuf>,
        /// The new spec's root file [default: spec/openapi.yaml].
        #[arg(long, value_name = "PATH")]
        spec: Option<PathBuf>,
        /// Compare with the new spec as committed at this git revision.
        #[arg(long, value_name = "REV")]
        base: Option<String>,
        /// Follow `$ref`s to any file (no spec root).
        #[arg(long)]
        allow_refs_outside_spec: bool,
    },
    /// Check api-diff's verdict on every kind of change against cargo-semver-checks'
    /// (xtask/semver/: a base spec and one change of each kind).
    SemverCheck {
        /// Only the changes whose kind contains this text.
        #[arg(long)]
        only: Option<String>,
    },
    /// Time each generator stage and measure peak memory, on `spec/` and the whole upstream spec.
    Bench {
        /// Specs to measure [default: spec/openapi.yaml and ../shared/specs/sailpoint/idn/sailpoint-api.v2024.yaml].
        specs: Vec<PathBuf>,
        /// Runs per spec; the median is reported.
        #[arg(long, default_value_t = 10)]
        iterations: usize,
    },
    /// One spec of `bench`, in its own process.
    #[command(hide = true)]
    BenchOne {
        spec: PathBuf,
        #[arg(long)]
        iterations: usize,
    },
    /// Generate a crate for each spec into one workspace, lint each (`--full`: also build and doctest), and summarise.
    Conformance {
        /// Root files of the specs.
        #[arg(required = true, value_name = "SPEC")]
        specs: Vec<PathBuf>,
        /// Package name of the generated crate, for a single spec [default: derived from the spec's path].
        #[arg(long)]
        crate_name: Option<String>,
        /// Folder of the generated workspace, one crate folder per spec [default: target/conformance/specs].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Also build each crate, compile its doctests, and lint it with one feature at a time.
        #[arg(long)]
        full: bool,
        /// Also time building the crate alone, with all features and with only this one (a single spec).
        #[arg(long, value_name = "FEATURE")]
        build_times: Option<String>,
        /// Pass specs that lose operations (by default a left-out operation fails its spec).
        #[arg(long)]
        allow_left_out: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate {
            check,
            spec,
            out,
            spec_root,
            allow_refs_outside_spec,
            keep_going,
            crate_name,
            env_prefix,
            standalone,
            bump,
            base,
            base_specs,
            report,
        } => {
            let root = generate::workspace_root();
            let mode = if check { generate::Mode::Check } else { generate::Mode::Write };
            let family = spec.len() > 1 || spec.first().is_some_and(|spec| spec.is_dir());
            let options = generate::Options {
                allow_outside_root: allow_refs_outside_spec,
                spec_root,
                keep_going,
                crate_name: crate_name.clone().unwrap_or_else(|| generate::CRATE_NAME.to_owned()),
                env_prefix,
                runtime_path: None,
                standalone,
                version: None,
            };
            if family {
                let result = match out {
                    None => Err(anyhow::anyhow!("a family needs --out: the folder to write it to")),
                    Some(_) if standalone => Err(anyhow::anyhow!("a family shares one runtime: no --standalone")),
                    Some(_) if base_specs.is_some() && base.is_some() => unreachable!("clap refuses both"),
                    Some(out) => family::run(family::Args {
                        specs: spec,
                        out,
                        name: crate_name,
                        mode,
                        options,
                        bump: bump.then_some(family::Bump { base_specs, base, report }),
                    }),
                };
                return exit(result);
            }
            if base_specs.is_some() || report.is_some() {
                return exit(Err(anyhow::anyhow!("--base-specs and --report are for a family (several specs)")));
            }
            let spec = spec.into_iter().next();
            if bump {
                let spec = spec.clone().unwrap_or_else(|| root.join(generate::CHECKED_IN[0].spec));
                let base = api_diff::Base::Revision(base.unwrap_or_else(|| "HEAD".to_owned()));
                if let Err(error) = api_diff::bump(&base, &spec, &options) {
                    eprintln!("error: {error:#}");
                    return ExitCode::FAILURE;
                }
            }
            match (spec, out) {
                // The checked-in crates: the client, and the kitchen sink its tests execute.
                (None, None) => generate::run_checked_in(mode, &options),
                (spec, out) => {
                    let spec = spec.unwrap_or_else(|| root.join(generate::CHECKED_IN[0].spec));
                    let out = out.unwrap_or_else(|| root.join(generate::CHECKED_IN[0].out));
                    generate::run(&spec, &out, mode, options)
                }
            }
        }
        Command::Conformance { specs, crate_name, out, full, build_times, allow_left_out } => {
            conformance::run(conformance::Args { specs, crate_name, out, full, build_times, allow_left_out })
        }
        Command::Bench { mut specs, iterations } => {
            if specs.is_empty() {
                let root = generate::workspace_root();
                specs.push(root.join("spec/openapi.yaml"));
                specs.push(root.join("../shared/specs/sailpoint/idn/sailpoint-api.v2024.yaml"));
            }
            bench::run(&specs, iterations)
        }
        Command::SemverCheck { only } => semver_check::run(only.as_deref()),
        Command::BenchOne { spec, iterations } => bench::run_one(&spec, iterations),
        Command::ApiDiff { old, spec, base, allow_refs_outside_spec } => {
            let spec = spec.unwrap_or_else(|| generate::workspace_root().join(generate::CHECKED_IN[0].spec));
            let base = match (old, base) {
                (Some(old), _) => api_diff::Base::Spec(old),
                (None, Some(revision)) => api_diff::Base::Revision(revision),
                (None, None) => unreachable!("clap requires one"),
            };
            let options = generate::Options { allow_outside_root: allow_refs_outside_spec, ..Default::default() };
            api_diff::run(&base, &spec, &options)
        }
    };
    exit(result)
}

fn exit(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
