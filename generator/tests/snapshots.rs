//! One small spec per construct under `fixtures/`, one snapshot each.
//!
//! A fixture is a folder whose root file is `openapi.yaml`; other files in it
//! are reachable through relative `$ref`s. The snapshot is the generated
//! models and operations, or, for a spec with errors, the error report.
//! Review changes with `cargo insta review`.

use std::fs;
use std::path::Path;

use generator::MemorySource;

/// Every file of a fixture folder, by `/`-separated relative path.
fn read_fixture(folder: &Path) -> MemorySource {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(folder).unwrap().to_string_lossy().replace('\\', "/");
                files.push((relative, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    MemorySource::new(files)
}

fn render(folder: &Path) -> String {
    let source = read_fixture(folder);
    match generator::generate(&source, "openapi.yaml") {
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
                if file.path == "src/models.rs" || file.path.starts_with("src/operations") {
                    out.push_str(&format!("===== {} =====\n{}", file.path, file.contents));
                }
                // The features of an API split by tag.
                if let Some(features) = file.contents.find("[features]").filter(|_| file.path == "Cargo.toml") {
                    let section = &file.contents[features..];
                    let end = section.find("\n\n").unwrap_or(section.len());
                    out.push_str(&format!("===== Cargo.toml =====\n{}\n", &section[..end]));
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
