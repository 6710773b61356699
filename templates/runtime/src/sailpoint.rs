//! SailPoint's conventions, for the crates of SailPoint's APIs only (the
//! `sailpoint` feature): its SDKs' `config.json` and the SailPoint CLI's
//! `~/.sailpoint/config.yaml`, the tracking id of its error documents, the
//! experimental header and `X-Total-Count`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{ConfigFiles, Lookup, Settings};
use crate::error::Error;

/// The configuration files of Identity Security Cloud's APIs: `BaseURL` in
/// `config.json`, `baseurl` in the CLI's file.
pub const IDENTITY_SECURITY_CLOUD: ConfigFiles =
    ConfigFiles { paths: default_files, read: |path, text| read(path, text, Product::IdentitySecurityCloud) };

/// The configuration files of Non-Employee Risk Management's API:
/// `NermBaseUrl` in `config.json`; the CLI's file gives no base URL.
pub const NON_EMPLOYEE_RISK_MANAGEMENT: ConfigFiles =
    ConfigFiles { paths: default_files, read: |path, text| read(path, text, Product::NonEmployeeRiskManagement) };

/// A SailPoint product: which base URL its configuration files hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Product {
    IdentitySecurityCloud,
    NonEmployeeRiskManagement,
}

/// `config.json` in the working directory (as SailPoint's SDKs read it),
/// then the SailPoint CLI's `~/.sailpoint/config.yaml`.
fn default_files(lookup: Lookup<'_>) -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("config.json")];
    if let Some(home) = lookup("HOME").or_else(|| lookup("USERPROFILE")).filter(|home| !home.is_empty()) {
        files.push(Path::new(&home).join(".sailpoint").join("config.yaml"));
    }
    files
}

/// Settings of a config file: SailPoint's SDK format for a `.json` file,
/// the SailPoint CLI's for any other.
fn read(path: &Path, text: &str, product: Product) -> Result<Settings, Error> {
    if path.extension().is_some_and(|extension| extension == "json") {
        from_sdk_config(path, text, product)
    } else {
        from_cli_config(path, text, product)
    }
}

/// SailPoint's tracking id of an error document (`trackingId`).
pub(crate) fn tracking_id(json: &serde_json::Value) -> Option<String> {
    json.get("trackingId")?.as_str().map(str::to_owned)
}

/// `X-Total-Count`, which SailPoint's list operations send when asked with `count=true`.
pub(crate) fn total_count(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    headers.get("x-total-count")?.to_str().ok()?.trim().parse().ok()
}

/// `config.json` as SailPoint's SDKs read it.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SdkConfig {
    #[serde(rename = "BaseURL")]
    base_url: Option<String>,
    nerm_base_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

fn from_sdk_config(path: &Path, text: &str, product: Product) -> Result<Settings, Error> {
    let config: SdkConfig = serde_json::from_str(text).map_err(|error| {
        let error = without_quoted_values(&error.to_string());
        Error::Config(format!("{} is not a valid SailPoint SDK config: {error}", path.display()))
    })?;
    let base_url = match product {
        Product::NonEmployeeRiskManagement => config.nerm_base_url,
        Product::IdentitySecurityCloud => config.base_url,
    };
    Ok(Settings {
        base_url,
        client_id: config.client_id,
        client_secret: config.client_secret,
        origin: path.display().to_string(),
        ..Settings::default()
    })
}

#[derive(serde::Deserialize)]
struct CliConfig {
    activeenvironment: Option<String>,
    #[serde(default)]
    environments: BTreeMap<String, CliEnvironment>,
}

#[derive(serde::Deserialize)]
struct CliEnvironment {
    baseurl: Option<String>,
    pat: Option<CliPat>,
}

#[derive(serde::Deserialize)]
struct CliPat {
    clientid: Option<String>,
    clientsecret: Option<String>,
}

/// Settings of the active environment of a SailPoint CLI config file.
fn from_cli_config(path: &Path, text: &str, product: Product) -> Result<Settings, Error> {
    let config: CliConfig = serde_yaml::from_str(text).map_err(|error| {
        let error = without_quoted_values(&error.to_string());
        Error::Config(format!("{} is not a valid SailPoint CLI config: {error}", path.display()))
    })?;
    let Some(active) = config.activeenvironment.filter(|name| !name.is_empty()) else {
        return Err(Error::Config(format!("{} has no `activeenvironment`", path.display())));
    };
    let Some(environment) = config.environments.get(&active) else {
        return Err(Error::Config(format!(
            "{}: `activeenvironment` is {active:?}, but `environments` has no entry of that name",
            path.display()
        )));
    };
    let pat = environment.pat.as_ref();
    // The CLI's base URL is Identity Security Cloud's, never another product's.
    let base_url = environment.baseurl.clone().filter(|_| product != Product::NonEmployeeRiskManagement);
    Ok(Settings {
        base_url,
        client_id: pat.and_then(|pat| pat.clientid.clone()),
        client_secret: pat.and_then(|pat| pat.clientsecret.clone()),
        origin: format!("environment {active:?} of {}", path.display()),
        ..Settings::default()
    })
}

/// A parse error message with the values it quotes (`invalid type: string
/// "..."`) replaced by `"..."`: a misplaced value can be a client secret.
fn without_quoted_values(message: &str) -> String {
    let mut shown = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        shown.push(c);
        if c == '"' {
            // Skip to the closing quote; the value is written with `Debug`, so inner quotes are escaped.
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    _ => {}
                }
            }
            shown.push_str("...\"");
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDK_CONFIG: &str = r#"{"BaseURL": "https://acme.api.identitynow.com", "NermBaseUrl": "https://acme.nonemployee.com/api",
        "ClientId": "id", "ClientSecret": "secret-never-shown", "TokenURL": "ignored"}"#;

    #[test]
    fn sdk_config_gives_each_product_its_base_url() {
        let path = Path::new("config.json");
        let isc = from_sdk_config(path, SDK_CONFIG, Product::IdentitySecurityCloud).unwrap();
        assert_eq!(isc.base_url.as_deref(), Some("https://acme.api.identitynow.com"));
        assert_eq!((isc.client_id.as_deref(), isc.client_secret.as_deref()), (Some("id"), Some("secret-never-shown")));
        assert_eq!(isc.origin, "config.json");
        let nerm = from_sdk_config(path, SDK_CONFIG, Product::NonEmployeeRiskManagement).unwrap();
        assert_eq!(nerm.base_url.as_deref(), Some("https://acme.nonemployee.com/api"));
        assert!(!format!("{nerm:?}").contains("secret-never-shown"));
    }

    #[test]
    fn a_malformed_sdk_config_is_an_error_naming_the_file_without_its_values() {
        let text = r#"{"ClientSecret": 42, "BaseURL": "x"}"#;
        let Err(Error::Config(message)) =
            from_sdk_config(Path::new("dir/config.json"), text, Product::IdentitySecurityCloud)
        else {
            panic!("a number as a secret was accepted")
        };
        assert!(
            message.contains("dir/config.json") && message.contains("not a valid SailPoint SDK config"),
            "{message}"
        );
    }
}
