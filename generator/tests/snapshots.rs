//! One small spec per construct under `fixtures/`, one snapshot each.
//!
//! A fixture is a folder whose root file is `openapi.yaml`; other files in it
//! are reachable through relative `$ref`s. The snapshot is the generated
//! models and operations (with the manifest's features and examples), or,
//! for a spec with errors, the error report.
//! Review changes with `cargo insta review`.

use std::path::Path;

use generator::MemorySource;

mod common;

fn render(folder: &Path) -> String {
    let source = MemorySource::new(common::spec_files(folder));
    // The generator config beside a fixture, as `cargo xtask generate` reads it.
    let config = match std::fs::read_to_string(folder.join(generator::config::FILE_NAME)) {
        Ok(text) => generator::config::Config::parse(generator::config::FILE_NAME, &text).unwrap(),
        Err(_) => generator::config::Config::default(),
    };
    let options = generator::Options { config, ..generator::Options::default() };
    match generator::generate_with(&source, "openapi.yaml", &options) {
        Err(errors) => format!("ERROR\n{errors}"),
        Ok(generated) => {
            let mut out = String::new();
            for warning in &generated.warnings {
                out.push_str(&format!("warning: {warning}\n"));
            }
            for skipped in &generated.skipped {
                out.push_str(&format!("skipped: {skipped}\n"));
            }
            for file in &generated.files {
                let spec_dependent = ["src/models.rs", "src/access.rs"].contains(&file.path.as_str());
                if spec_dependent || file.path.starts_with("src/operations") {
                    out.push_str(&format!("===== {} =====\n{}", file.path, file.contents));
                }
                // The features of an API split by tag.
                if let Some(features) = file.contents.find("[features]").filter(|_| file.path == "Cargo.toml") {
                    let section = &file.contents[features..];
                    let end = section.find("\n\n").unwrap_or(section.len());
                    out.push_str(&format!("===== Cargo.toml =====\n{}\n", &section[..end]));
                }
                // Examples are emitted only for the specs they fit.
                if file.path.starts_with("examples/") {
                    out.push_str(&format!("===== {} =====\n", file.path));
                }
                if let Some(examples) = file.contents.find("[[example]]").filter(|_| file.path == "Cargo.toml") {
                    let section = &file.contents[examples..];
                    let end = section.find("\n\n[[bench]]").unwrap_or(section.len());
                    out.push_str(&format!("===== Cargo.toml =====\n{}\n", section[..end].trim_end()));
                }
            }
            out
        }
    }
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*/openapi.yaml", |root| {
        let folder = root.parent().unwrap();
        insta::assert_snapshot!(render(folder));
    });
}

#[test]
fn generation_is_deterministic() {
    insta::glob!("fixtures/*/openapi.yaml", |root| {
        let folder = root.parent().unwrap();
        assert_eq!(render(folder), render(folder), "{}", folder.display());
    });
}
