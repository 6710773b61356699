//! SailPoint's SDK `config.json`, read by `with_env` before the CLI's file:
//! the first file found wins whole, and a missing one is named in errors.

use std::path::PathBuf;

use sailpoint_connectors::{Client, Error};

/// A fresh directory with the given files, removed when dropped.
struct Files(PathBuf);

impl Files {
    fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let dir = std::env::temp_dir().join(format!("sailpoint-connectors-sdk-config-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (file, text) in files {
            std::fs::write(dir.join(file), text).unwrap();
        }
        Self(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const CLI: &str =
    "activeenvironment: cli\nenvironments:\n  cli:\n    baseurl: https://from-cli.api.identitynow.com\n    \
                   pat:\n      clientid: cli-id\n      clientsecret: cli-secret\n";

fn no_variables(_: &str) -> Option<String> {
    None
}

#[test]
fn config_json_wins_over_the_cli_file_and_is_used_whole() {
    let json =
        r#"{"BaseURL": "https://from-json.api.identitynow.com", "ClientId": "json-id", "ClientSecret": "json-secret"}"#;
    let files = Files::new("both", &[("config.json", json), ("config.yaml", CLI)]);
    let builder =
        Client::builder().with_env_from(no_variables, [files.path("config.json"), files.path("config.yaml")]).unwrap();
    let shown = format!("{builder:?}");
    assert!(shown.contains("json-id") && !shown.contains("cli-id"), "{shown}");
    assert!(!shown.contains("json-secret"), "secrets stay out of Debug: {shown}");
    assert_eq!(builder.build().unwrap().base_url(), "https://from-json.api.identitynow.com/v2024");
}

#[test]
fn without_config_json_the_cli_file_is_read_and_the_missing_file_is_named() {
    let files = Files::new("cli-only", &[("config.yaml", CLI)]);
    let builder =
        Client::builder().with_env_from(no_variables, [files.path("config.json"), files.path("config.yaml")]).unwrap();
    assert!(format!("{builder:?}").contains("cli-id"));
    assert_eq!(builder.build().unwrap().base_url(), "https://from-cli.api.identitynow.com/v2024");

    let empty = Files::new("none", &[]);
    let error = Client::builder()
        .with_env_from(no_variables, [empty.path("config.json"), empty.path("config.yaml")])
        .unwrap()
        .build()
        .unwrap_err();
    let Error::Config(message) = error else { panic!("{error:?}") };
    assert!(message.contains("config.json (not found)") && message.contains("config.yaml (not found)"), "{message}");
}

#[test]
fn a_malformed_config_json_is_an_error_naming_it() {
    let files = Files::new("malformed", &[("config.json", "{ not json")]);
    let error = Client::builder().with_env_from(no_variables, [files.path("config.json")]).unwrap_err();
    let Error::Config(message) = error else { panic!("{error:?}") };
    assert!(message.contains("config.json") && message.contains("SailPoint SDK config"), "{message}");
}
