//! Reading spec folders for the tests: the library itself never touches files.

use std::fs;
use std::path::{Path, PathBuf};

/// `spec/` of the project.
#[allow(dead_code, reason = "each test file compiles this module; not all use every helper")]
pub fn project_spec_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

/// Every YAML or JSON file under `folder`, as `(/-separated relative path,
/// contents)`, in path order.
pub fn spec_files(folder: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json") {
                let relative = path.strip_prefix(folder).unwrap().to_string_lossy().replace('\\', "/");
                files.push((relative, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}
