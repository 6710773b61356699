//! The hand-written parts of the generated crate, from `templates/`.
//!
//! They are compiled into the generator with `include_str!`, so generating
//! needs no filesystem access, and copied verbatim below a "generated" line.

use crate::format::{RUST_HEADER, TOML_HEADER};
use crate::GeneratedFile;

/// The manifest's dependency tables; codegen writes `[package]` above them.
pub(crate) const DEPENDENCIES: &str = include_str!("../../templates/dependencies.toml");

/// The crate the README's hand-written part and the examples are written for.
pub(crate) const SKELETON_CRATE: &str = "sailpoint-connectors";

/// The API title the README's hand-written part is written for.
pub(crate) const SKELETON_TITLE: &str = "SailPoint Identity Security Cloud v2024 Connectors API";

/// The README's hand-written part; codegen appends the operation table.
pub(crate) const README_SKELETON: &str = include_str!("../../templates/README.md");

/// Files copied into every generated crate, by path in it.
const FILES: &[(&str, &str)] = &[("rustfmt.toml", include_str!("../../templates/rustfmt.toml"))];

/// The package name of the runtime crate every generated crate depends on.
pub const RUNTIME_CRATE: &str = "openapi-client-runtime";

/// The runtime crate (`templates/runtime/`), by path in its folder: the one
/// list of its files, which `runtime_files` writes wherever generated crates
/// need a copy beside them.
const RUNTIME_FILES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../../templates/runtime/Cargo.toml")),
    ("src/lib.rs", include_str!("../../templates/runtime/src/lib.rs")),
    ("src/api.rs", include_str!("../../templates/runtime/src/api.rs")),
    ("src/auth.rs", include_str!("../../templates/runtime/src/auth.rs")),
    ("src/client.rs", include_str!("../../templates/runtime/src/client.rs")),
    ("src/config.rs", include_str!("../../templates/runtime/src/config.rs")),
    ("src/de.rs", include_str!("../../templates/runtime/src/de.rs")),
    ("src/error.rs", include_str!("../../templates/runtime/src/error.rs")),
    ("src/paginate.rs", include_str!("../../templates/runtime/src/paginate.rs")),
    ("src/request.rs", include_str!("../../templates/runtime/src/request.rs")),
    ("src/response.rs", include_str!("../../templates/runtime/src/response.rs")),
    ("src/retry.rs", include_str!("../../templates/runtime/src/retry.rs")),
    ("src/sailpoint.rs", include_str!("../../templates/runtime/src/sailpoint.rs")),
    ("src/session.rs", include_str!("../../templates/runtime/src/session.rs")),
];

/// The runtime's version, from its manifest: generated crates depend on it.
pub fn runtime_version() -> &'static str {
    let manifest = RUNTIME_FILES[0].1;
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \"")?.strip_suffix('"'))
        .expect("templates/runtime/Cargo.toml has a version")
}

/// The runtime as modules of a standalone crate (`src/runtime/`): its
/// paths below `crate::runtime`, and the `sailpoint` feature decided by the
/// spec (`cfg(feature = "sailpoint")` becomes `cfg(true)` or `cfg(false)`),
/// so the crate needs no feature of its own.
pub(crate) fn embedded_runtime(sailpoint: bool) -> Vec<GeneratedFile> {
    let feature = if sailpoint { "true" } else { "false" };
    RUNTIME_FILES[1..]
        .iter()
        .map(|(path, contents)| {
            let path = match *path {
                "src/lib.rs" => "src/runtime/mod.rs".to_owned(),
                other => other.replacen("src/", "src/runtime/", 1),
            };
            // The exported macros stay at the crate root, where `$crate` is.
            let text = contents
                .replace("crate::", "crate::runtime::")
                .replace(
                    "pub use crate::runtime::{serde_object, string_enum};",
                    "pub use crate::{serde_object, string_enum};",
                )
                .replace("crate::runtime::serde_object!", "crate::serde_object!")
                .replace("crate::runtime::string_enum!", "crate::string_enum!")
                .replace("feature = \"sailpoint\"", feature);
            generated(&path, &text)
        })
        .collect()
}

/// The runtime's own dependencies, as lines of a `[dependencies]` table, for
/// a standalone crate: the optional ones (SailPoint's) only for `sailpoint`.
pub(crate) fn runtime_dependencies(sailpoint: bool) -> Vec<String> {
    let manifest = RUNTIME_FILES[0].1;
    let table = manifest.split("\n[dependencies]\n").nth(1).unwrap_or("");
    let table = table.split("\n[").next().unwrap_or("");
    table
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter(|line| sailpoint || !line.contains("optional = true"))
        .map(|line| line.replace(", optional = true", ""))
        .collect()
}

/// The runtime crate's files, for a copy of it beside generated crates
/// (outside this repository, where `templates/runtime` cannot be reached).
pub fn runtime_files() -> Vec<GeneratedFile> {
    RUNTIME_FILES.iter().map(|(path, contents)| generated(path, contents)).collect()
}

/// A program in the crate's `examples/`, written for the Connectors operations.
pub(crate) struct Example {
    /// Its name, as in `cargo run --example NAME`.
    pub(crate) name: &'static str,
    pub(crate) source: &'static str,
    /// The `Client` methods it calls, with their required arguments
    /// (`get_connector(script_name)`), and the models it names: it is emitted
    /// only for a spec that has every one of them. That does not see the
    /// setters and fields it uses; conformance compiles the examples of every
    /// spec CI generates, which does.
    pub(crate) needs: &'static [&'static str],
}

impl Example {
    /// The first line of its documentation.
    pub(crate) fn summary(&self) -> &'static str {
        self.source.lines().next().and_then(|line| line.strip_prefix("//!")).unwrap_or("").trim()
    }
}

pub(crate) const EXAMPLES: &[Example] = &[
    Example {
        name: "list_connectors",
        source: include_str!("../../templates/examples/list_connectors.rs"),
        needs: &["get_connector_list()", "V3ConnectorDto"],
    },
    Example {
        name: "connector_backup",
        source: include_str!("../../templates/examples/connector_backup.rs"),
        needs: &[
            "get_connector(script_name)",
            "get_connector_source_config(script_name)",
            "put_connector_source_config(script_name, file)",
            "get_connector_source_template(script_name)",
            "put_connector_source_template(script_name, file)",
            "get_connector_correlation_config(script_name)",
            "put_connector_correlation_config(script_name, file)",
            "get_connector_translations(script_name, locale)",
            "put_connector_translations(script_name, locale, file)",
            "UpdateDetail",
            "UpdateDetailStatus",
        ],
    },
];

/// Text written for the Connectors crate, with its name replaced by `crate_name`
/// (in both spellings: `sailpoint-connectors` and `sailpoint_connectors`).
pub(crate) fn for_crate(text: &str, crate_name: &str) -> String {
    text.replace(SKELETON_CRATE, crate_name).replace(&SKELETON_CRATE.replace('-', "_"), &crate_name.replace('-', "_"))
}

/// The template files, each with the "generated" line in its own comment syntax.
pub(crate) fn files() -> Vec<GeneratedFile> {
    FILES.iter().map(|(path, contents)| generated(path, contents)).collect()
}

/// A file copied from `templates/`, below a "generated" line in its own comment syntax.
pub(crate) fn generated(path: &str, contents: &str) -> GeneratedFile {
    let header = if path.ends_with(".rs") { RUST_HEADER } else { TOML_HEADER };
    GeneratedFile { path: path.to_owned(), contents: format!("{header}\n{}", contents.trim_start()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_runtime_names_itself_below_crate_runtime_and_decides_the_sailpoint_feature() {
        for sailpoint in [true, false] {
            let files = embedded_runtime(sailpoint);
            let paths: Vec<&str> = files.iter().map(|file| file.path.as_str()).collect();
            assert!(paths.contains(&"src/runtime/mod.rs") && paths.contains(&"src/runtime/session.rs"), "{paths:?}");
            assert_eq!(files.len(), RUNTIME_FILES.len() - 1, "every source file, not the manifest");
            let all: String = files.iter().map(|file| file.contents.as_str()).collect();
            assert!(!all.contains("feature = \"sailpoint\""));
            assert!(all.contains(if sailpoint { "#[cfg(true)]" } else { "#[cfg(false)]" }));
            assert!(all.contains("$crate::runtime::__private::de::fill") && all.contains("$crate::serde_object!"));
            assert!(all.contains("pub use crate::{serde_object, string_enum};"));
            assert!(!all.contains("crate::runtime::runtime::"));
        }
        let lines = runtime_dependencies(false);
        assert!(lines.iter().any(|line| line.starts_with("reqwest =")), "{lines:?}");
        assert!(!lines.iter().any(|line| line.starts_with("serde_yaml")), "SailPoint's files only with `sailpoint`");
        assert!(runtime_dependencies(true).contains(&"serde_yaml = { version = \"0.9\" }".to_owned()));
    }
}
