//! Configuration from the environment and from the SailPoint CLI's config file.
//!
//! Precedence, highest first: values set on the [`ClientBuilder`](crate::ClientBuilder),
//! then environment variables, then the active environment of
//! `~/.sailpoint/config.yaml`. The file is read only when none of the
//! variables below is set, so settings for two tenants never mix.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The tenant's API host, e.g. `https://acme.api.identitynow.com`.
pub const ENV_BASE_URL: &str = "SAIL_BASE_URL";
/// OAuth2 client id (of a personal access token or API client).
pub const ENV_CLIENT_ID: &str = "SAIL_CLIENT_ID";
/// OAuth2 client secret.
pub const ENV_CLIENT_SECRET: &str = "SAIL_CLIENT_SECRET";
/// An access token obtained elsewhere, used as is instead of client credentials.
pub const ENV_ACCESS_TOKEN: &str = "SAIL_ACCESS_TOKEN";

/// What the environment or config file provides.
#[derive(Default, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    pub(crate) base_url: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) client_secret: Option<String>,
    pub(crate) access_token: Option<String>,
    /// Where the settings were read, for error messages.
    pub(crate) origin: String,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |value: &Option<String>| value.as_ref().map(|_| "<redacted>");
        f.debug_struct("Settings")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &redacted(&self.client_secret))
            .field("access_token", &redacted(&self.access_token))
            .field("origin", &self.origin)
            .finish()
    }
}

/// Settings from environment variables, read through `lookup`; `None` when
/// none of them is set. Empty values count as unset.
pub(crate) fn from_env(lookup: &dyn Fn(&str) -> Option<String>) -> Option<Settings> {
    let read = |name: &str| lookup(name).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());
    let settings = Settings {
        base_url: read(ENV_BASE_URL),
        client_id: read(ENV_CLIENT_ID),
        client_secret: read(ENV_CLIENT_SECRET),
        access_token: read(ENV_ACCESS_TOKEN),
        origin: format!(
            "the environment variables {ENV_BASE_URL}, {ENV_CLIENT_ID}, {ENV_CLIENT_SECRET}, {ENV_ACCESS_TOKEN}"
        ),
    };
    let any = settings.base_url.is_some()
        || settings.client_id.is_some()
        || settings.client_secret.is_some()
        || settings.access_token.is_some();
    any.then_some(settings)
}

/// The SailPoint CLI's config file: `~/.sailpoint/config.yaml`.
pub(crate) fn default_config_file(lookup: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let home = lookup("HOME").or_else(|| lookup("USERPROFILE")).filter(|home| !home.is_empty())?;
    Some(Path::new(&home).join(".sailpoint").join("config.yaml"))
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

/// Settings of the active environment of a CLI config file; `None` when the
/// file does not exist.
pub(crate) fn from_file(path: &Path) -> Result<Option<Settings>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(Error::Config(format!("cannot read {}: {error}", path.display()))),
    };
    let config: CliConfig = serde_yaml::from_str(&text).map_err(|error| {
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
    Ok(Some(Settings {
        base_url: environment.baseurl.clone(),
        client_id: pat.and_then(|pat| pat.clientid.clone()),
        client_secret: pat.and_then(|pat| pat.clientsecret.clone()),
        access_token: None,
        origin: format!("environment {active:?} of {}", path.display()),
    }))
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
