//! The hand-written parts of the generated crate, from `templates/`.
//!
//! They are compiled into the generator with `include_str!`, so generating
//! needs no filesystem access, and copied verbatim below a "generated" line.

use crate::format::RUST_HEADER;
use crate::GeneratedFile;

/// The manifest's dependency tables; codegen writes `[package]` above them.
pub(crate) const DEPENDENCIES: &str = include_str!("../../templates/dependencies.toml");

/// The crate the README's hand-written part is written for.
pub(crate) const SKELETON_CRATE: &str = "sailpoint-connectors";

/// The README's hand-written part; codegen appends the operation table.
pub(crate) const README_SKELETON: &str = include_str!("../../templates/README.md");

/// Runtime modules and formatting settings, by path in the generated crate.
const FILES: &[(&str, &str)] = &[
    ("rustfmt.toml", include_str!("../../templates/rustfmt.toml")),
    ("src/auth.rs", include_str!("../../templates/src/auth.rs")),
    ("src/client.rs", include_str!("../../templates/src/client.rs")),
    ("src/config.rs", include_str!("../../templates/src/config.rs")),
    ("src/error.rs", include_str!("../../templates/src/error.rs")),
    ("src/paginate.rs", include_str!("../../templates/src/paginate.rs")),
    ("src/request.rs", include_str!("../../templates/src/request.rs")),
    ("src/response.rs", include_str!("../../templates/src/response.rs")),
    ("src/retry.rs", include_str!("../../templates/src/retry.rs")),
];

/// The template files, each with the "generated" line in its own comment syntax.
pub(crate) fn files() -> Vec<GeneratedFile> {
    FILES
        .iter()
        .map(|(path, contents)| {
            let header = if path.ends_with(".rs") {
                RUST_HEADER.to_owned()
            } else {
                format!("# {}", RUST_HEADER.trim_start_matches("// "))
            };
            GeneratedFile { path: (*path).to_owned(), contents: format!("{header}\n{}", contents.trim_start()) }
        })
        .collect()
}
