//! Configuration from the environment and from configuration files.
//!
//! Precedence, highest first: values set on the builder, then environment
//! variables, then the first configuration file found (only SailPoint's
//! APIs read any). A file is read only when none of the variables is set,
//! so settings for two tenants never mix.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The environment variables a crate reads, as its spec's security schemes
/// need them, and the configuration files it reads: a generated crate's
/// `ENV`, which `with_env` takes.
#[derive(Debug)]
pub struct EnvNames {
    /// The API's base URL.
    pub base_url: &'static str,
    /// An access token obtained elsewhere.
    pub access_token: Option<&'static str>,
    /// An OAuth2 client id.
    pub client_id: Option<&'static str>,
    /// An OAuth2 client secret.
    pub client_secret: Option<&'static str>,
    /// A user name for HTTP basic authentication.
    pub username: Option<&'static str>,
    /// A password for HTTP basic authentication.
    pub password: Option<&'static str>,
    /// Per API key scheme: its name and its variable.
    pub api_keys: &'static [(&'static str, &'static str)],
    /// The configuration files read when none of the variables is set.
    pub files: Option<&'static ConfigFiles>,
}

/// Reads an environment variable.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A family of configuration files: where they are and how to read one.
#[derive(Debug)]
pub struct ConfigFiles {
    /// The files to try, in order, given a way to read environment variables (`HOME`).
    pub paths: fn(Lookup<'_>) -> Vec<PathBuf>,
    /// The settings in a file's text.
    pub read: fn(&Path, &str) -> Result<Settings, Error>,
}

impl EnvNames {
    /// Every variable, in the order a crate's guide lists them.
    pub(crate) fn all(&self) -> Vec<&'static str> {
        let mut all = vec![self.base_url];
        all.extend(
            [self.client_id, self.client_secret, self.access_token, self.username, self.password].into_iter().flatten(),
        );
        all.extend(self.api_keys.iter().map(|(_, variable)| *variable));
        all
    }

    /// The credentials the crate can be given, for error messages.
    pub(crate) fn credential_kinds(&self) -> String {
        let mut kinds = Vec::new();
        if self.access_token.is_some() {
            kinds.push(if self.client_id.is_some() {
                "an access token or a client id and secret"
            } else {
                "an access token"
            });
        }
        if self.username.is_some() {
            kinds.push("a user name and password");
        }
        if !self.api_keys.is_empty() {
            kinds.push("an API key");
        }
        kinds.join(", or ")
    }
}

/// What the environment or a config file provides.
#[derive(Default, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The API's base URL.
    pub base_url: Option<String>,
    /// An OAuth2 client id.
    pub client_id: Option<String>,
    /// An OAuth2 client secret.
    pub client_secret: Option<String>,
    /// An access token.
    pub access_token: Option<String>,
    /// A user name for HTTP basic authentication.
    pub username: Option<String>,
    /// A password for HTTP basic authentication.
    pub password: Option<String>,
    /// API keys by scheme name.
    pub api_keys: Vec<(&'static str, String)>,
    /// Where the settings were read, for error messages.
    pub origin: String,
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

/// Settings from environment variables, read through `lookup`; `None` when
/// none of them is set. Empty values count as unset.
pub(crate) fn from_env(names: &EnvNames, lookup: &dyn Fn(&str) -> Option<String>) -> Option<Settings> {
    let read =
        |name: Option<&str>| lookup(name?).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());
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
        origin: format!("the environment variables {}", names.all().join(", ")),
    };
    (settings != Settings { origin: settings.origin.clone(), ..Settings::default() }).then_some(settings)
}

/// Settings of a config file, read as the crate's family of files reads
/// it. `None` when the file does not exist.
pub(crate) fn from_file(names: &EnvNames, path: &Path) -> Result<Option<Settings>, Error> {
    let Some(files) = names.files else { return Ok(None) };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(Error::Config(format!("cannot read {}: {error}", path.display()))),
    };
    (files.read)(path, &text).map(Some)
}
