//! Configuration from the environment and from configuration files.
//!
//! Precedence, highest first: values set on the [`ClientBuilder`](crate::ClientBuilder),
//! then environment variables, then the first configuration file found
//! (only SailPoint's APIs read any: `config.json` in the working directory,
//! then the SailPoint CLI's `~/.sailpoint/config.yaml`). A file is read only
//! when none of the variables is set, so settings for two tenants never mix.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The environment variables a crate reads, as its spec's security schemes
/// need them, and the SailPoint product whose files it reads.
pub(crate) struct EnvNames {
    pub(crate) base_url: &'static str,
    pub(crate) access_token: Option<&'static str>,
    pub(crate) client_id: Option<&'static str>,
    pub(crate) client_secret: Option<&'static str>,
    pub(crate) username: Option<&'static str>,
    pub(crate) password: Option<&'static str>,
    /// Per API key scheme: its name and its variable.
    pub(crate) api_keys: &'static [(&'static str, &'static str)],
    pub(crate) sailpoint: Option<Product>,
}

/// A SailPoint product: which base URL its configuration files hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code, reason = "each crate belongs to one product, or none")]
pub(crate) enum Product {
    /// Identity Security Cloud: `BaseURL` in `config.json`, `baseurl` in the CLI's file.
    IdentitySecurityCloud,
    /// Non-Employee Risk Management: `NermBaseUrl` in `config.json`.
    NonEmployeeRiskManagement,
}

/// What the environment or a config file provides.
#[derive(Default, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    pub(crate) base_url: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) client_secret: Option<String>,
    pub(crate) access_token: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<String>,
    /// API keys by scheme name.
    pub(crate) api_keys: Vec<(&'static str, String)>,
    /// Where the settings were read, for error messages.
    pub(crate) origin: String,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |value: &Option<String>| value.as_ref().map(|_| "<redacted>");
        let api_keys: Vec<&str> = self.api_keys.iter().map(|(scheme, _)| *scheme).collect();
        f.debug_struct("Settings")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &redacted(&self.client_secret))
            .field("access_token", &redacted(&self.access_token))
            .field("username", &self.username)
            .field("password", &redacted(&self.password))
            .field("api_keys (redacted)", &api_keys)
            .field("origin", &self.origin)
            .finish()
    }
}

/// Every variable the crate reads, in the order its guide lists them.
pub(crate) fn env_names() -> Vec<&'static str> {
    let names = &crate::ENV;
    let mut all = vec![names.base_url];
    all.extend(
        [names.client_id, names.client_secret, names.access_token, names.username, names.password]
            .into_iter()
            .flatten(),
    );
    all.extend(names.api_keys.iter().map(|(_, variable)| *variable));
    all
}

/// The credentials the crate can be given, for error messages.
pub(crate) fn credential_kinds() -> String {
    let names = &crate::ENV;
    let mut kinds = Vec::new();
    if names.access_token.is_some() {
        kinds.push(if names.client_id.is_some() {
            "an access token or a client id and secret"
        } else {
            "an access token"
        });
    }
    if names.username.is_some() {
        kinds.push("a user name and password");
    }
    if !names.api_keys.is_empty() {
        kinds.push("an API key");
    }
    kinds.join(", or ")
}

/// Settings from environment variables, read through `lookup`; `None` when
/// none of them is set. Empty values count as unset.
pub(crate) fn from_env(lookup: &dyn Fn(&str) -> Option<String>) -> Option<Settings> {
    let read =
        |name: Option<&str>| lookup(name?).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());
    let names = &crate::ENV;
    let settings = Settings {
        base_url: read(Some(names.base_url)),
        client_id: read(names.client_id),
        client_secret: read(names.client_secret),
        access_token: read(names.access_token),
        username: read(names.username),
        password: read(names.password),
        api_keys: names
            .api_keys
            .iter()
            .filter_map(|(scheme, variable)| Some((*scheme, read(Some(variable))?)))
            .collect(),
        origin: format!("the environment variables {}", env_names().join(", ")),
    };
    let any = settings.base_url.is_some()
        || settings.client_id.is_some()
        || settings.client_secret.is_some()
        || settings.access_token.is_some()
        || settings.username.is_some()
        || settings.password.is_some()
        || !settings.api_keys.is_empty();
    any.then_some(settings)
}

/// The configuration files [`with_env`](crate::ClientBuilder::with_env)
/// reads: for SailPoint's APIs, `config.json` in the working directory and
/// the SailPoint CLI's `~/.sailpoint/config.yaml`; none for other APIs.
pub(crate) fn default_files(lookup: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    if crate::ENV.sailpoint.is_none() {
        return Vec::new();
    }
    let mut files = vec![PathBuf::from("config.json")];
    if let Some(home) = lookup("HOME").or_else(|| lookup("USERPROFILE")).filter(|home| !home.is_empty()) {
        files.push(Path::new(&home).join(".sailpoint").join("config.yaml"));
    }
    files
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

/// Settings of a config file: SailPoint's SDK format for a `.json` file,
/// the SailPoint CLI's for any other. `None` when the file does not exist.
pub(crate) fn from_file(path: &Path) -> Result<Option<Settings>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(Error::Config(format!("cannot read {}: {error}", path.display()))),
    };
    if path.extension().is_some_and(|extension| extension == "json") {
        from_sdk_config(path, &text, crate::ENV.sailpoint).map(Some)
    } else {
        from_cli_config(path, &text).map(Some)
    }
}

fn from_sdk_config(path: &Path, text: &str, product: Option<Product>) -> Result<Settings, Error> {
    let config: SdkConfig = serde_json::from_str(text).map_err(|error| {
        let error = without_quoted_values(&error.to_string());
        Error::Config(format!("{} is not a valid SailPoint SDK config: {error}", path.display()))
    })?;
    let base_url = match product {
        Some(Product::NonEmployeeRiskManagement) => config.nerm_base_url,
        _ => config.base_url,
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
fn from_cli_config(path: &Path, text: &str) -> Result<Settings, Error> {
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
    let base_url =
        environment.baseurl.clone().filter(|_| crate::ENV.sailpoint != Some(Product::NonEmployeeRiskManagement));
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
        let isc = from_sdk_config(path, SDK_CONFIG, Some(Product::IdentitySecurityCloud)).unwrap();
        assert_eq!(isc.base_url.as_deref(), Some("https://acme.api.identitynow.com"));
        assert_eq!((isc.client_id.as_deref(), isc.client_secret.as_deref()), (Some("id"), Some("secret-never-shown")));
        assert_eq!(isc.origin, "config.json");
        let nerm = from_sdk_config(path, SDK_CONFIG, Some(Product::NonEmployeeRiskManagement)).unwrap();
        assert_eq!(nerm.base_url.as_deref(), Some("https://acme.nonemployee.com/api"));
        assert!(!format!("{nerm:?}").contains("secret-never-shown"));
    }

    #[test]
    fn a_malformed_sdk_config_is_an_error_naming_the_file_without_its_values() {
        let text = r#"{"ClientSecret": 42, "BaseURL": "x"}"#;
        let Err(Error::Config(message)) = from_sdk_config(Path::new("dir/config.json"), text, None) else {
            panic!("a number as a secret was accepted")
        };
        assert!(
            message.contains("dir/config.json") && message.contains("not a valid SailPoint SDK config"),
            "{message}"
        );
    }
}
