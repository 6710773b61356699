//! What a spec declares about where its API is and how it authenticates,
//! as data a generated crate hands to the runtime, and the rules that turn
//! it and a session's settings into URLs.

use std::collections::BTreeMap;

use url::Url;

use crate::auth::{Requirement, SchemeKind, SecurityScheme, TokenUrl};
use crate::config::EnvNames;
use crate::error::Error;

/// One API, as its spec declares it: a generated crate's `API` static.
#[derive(Debug)]
pub struct Api {
    /// The API's path on its host, from the spec's first server URL.
    pub base_path: &'static str,
    /// The spec's first server URL, with `{variables}`; empty when it has none.
    pub server_url: &'static str,
    /// The variables of `server_url`, in the order it names them.
    pub server_variables: &'static [ServerVariable],
    /// The security schemes the client can use, in spec order.
    pub security_schemes: &'static [SecurityScheme],
    /// The API's security requirements: alternatives, each the indexes in
    /// `security_schemes` of the schemes it needs together.
    pub security: &'static [Requirement],
    /// The environment variables and configuration files `with_env` reads.
    pub env: &'static EnvNames,
    /// The `User-Agent` of its requests, unless the session sets one.
    pub user_agent: &'static str,
}

impl Api {
    /// Whether every alternative of the API's requirements needs credentials.
    pub(crate) fn needs_credentials(&self) -> bool {
        !self.security.is_empty() && self.security.iter().all(|alternative| !alternative.is_empty())
    }

    /// The token URL of the first OAuth2 client credentials scheme.
    pub(crate) fn token_url(&self) -> Option<TokenUrl> {
        self.security_schemes.iter().find_map(|scheme| match scheme.kind {
            SchemeKind::ClientCredentials { token_url } => Some(token_url),
            _ => None,
        })
    }

    /// The spec's server URL with the variables set on the session, the
    /// others at their defaults. `None` when none of its variables is set
    /// (their defaults are examples, not a place to send credentials), or
    /// when the spec names no absolute server URL.
    pub(crate) fn server_url(&self, values: &BTreeMap<String, String>) -> Result<Option<String>, Error> {
        let any_set = self.server_variables.iter().any(|variable| values.contains_key(variable.name));
        if !self.server_url.contains("://") || (!any_set && !self.server_variables.is_empty()) {
            return Ok(None);
        }
        self.with_variables(self.server_url, values).map(Some)
    }

    /// `template` with each `{variable}` replaced by its value on the session
    /// or its default, after checking the value fits its place in the URL.
    pub(crate) fn with_variables(&self, template: &str, values: &BTreeMap<String, String>) -> Result<String, Error> {
        let mut filled = template.to_owned();
        for variable in self.server_variables {
            let token = format!("{{{}}}", variable.name);
            if !filled.contains(&token) {
                continue;
            }
            let value = values.get(variable.name).map_or(variable.default, String::as_str);
            variable.check(value)?;
            filled = filled.replace(&token, value);
        }
        Ok(filled)
    }
}

/// A server variable, as the spec declares it.
#[derive(Debug)]
pub struct ServerVariable {
    /// Its name in the URL template.
    pub name: &'static str,
    /// The value used when none is set.
    pub default: &'static str,
    /// The values the spec allows; any when empty.
    pub allowed: &'static [&'static str],
    /// Which part of the URL it is.
    pub place: VariablePlace,
}

impl ServerVariable {
    /// Checks that `value` is allowed and fits the variable's place in the URL.
    fn check(&self, value: &str) -> Result<(), Error> {
        if !self.allowed.is_empty() && !self.allowed.contains(&value) {
            let allowed = self.allowed.join(", ");
            return Err(Error::Config(format!("{} {value:?} is not one of {allowed}", self.name)));
        }
        let allowed_byte = |b: u8| match self.place {
            VariablePlace::HostLabel => b.is_ascii_alphanumeric() || b == b'-',
            VariablePlace::Host => b.is_ascii_alphanumeric() || b"-.:[]".contains(&b),
            VariablePlace::Path => b.is_ascii_alphanumeric() || b"-._~".contains(&b),
        };
        let valid = !value.is_empty()
            && value.bytes().all(allowed_byte)
            && (self.place != VariablePlace::HostLabel
                || (value.len() <= 63 && !value.starts_with('-') && !value.ends_with('-')));
        if valid {
            return Ok(());
        }
        let what = match self.place {
            VariablePlace::HostLabel => "a valid host name label",
            VariablePlace::Host => "a valid host name",
            VariablePlace::Path => "a valid path segment",
        };
        Err(Error::Config(format!("{} {value:?} is not {what}", self.name)))
    }
}

/// What part of the server URL a variable is, which says what it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariablePlace {
    /// A label of the host name (`{tenant}.api.identitynow.com`).
    HostLabel,
    /// The whole host, with an optional port (`https://{apiUrl}`).
    Host,
    /// Part of the path.
    Path,
}

/// The host root (`https://acme.api.identitynow.com`) and the API root
/// (`.../v2024`) for a base URL given with or without the API's path.
pub(crate) fn roots(base_url: &str, base_path: &str, allow_http: bool) -> Result<(String, String), Error> {
    let url = checked_url(base_url, allow_http)?;
    let given = url.as_str().trim_end_matches('/');
    let host_root = given.strip_suffix(base_path).unwrap_or(given).to_owned();
    let api_root = format!("{host_root}{base_path}");
    Ok((host_root, api_root))
}

/// `scheme://host[:port]` of a URL given as an API root.
pub(crate) fn origin(api_root: &str, allow_http: bool) -> Result<String, Error> {
    let url = checked_url(api_root, allow_http)?;
    Ok(url.origin().ascii_serialization())
}

/// A base URL that is https (or http when allowed), with no credentials,
/// query or fragment.
pub(crate) fn checked_url(base_url: &str, allow_http: bool) -> Result<Url, Error> {
    let shown = shown_url(base_url);
    let url = Url::parse(base_url).map_err(|error| Error::Config(format!("base URL {shown} is not a URL: {error}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => {
            return Err(Error::Config(format!(
                "base URL {shown} is not https; use `allow_http(true)` only for local testing"
            )))
        }
        other => return Err(Error::Config(format!("base URL {shown} has unsupported scheme {other:?}"))),
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(format!("base URL {shown} must not have credentials, a query or a fragment")));
    }
    Ok(url)
}

/// A base URL as error messages quote it: without the user name and
/// password it may carry, which are secrets.
fn shown_url(base_url: &str) -> String {
    match Url::parse(base_url) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            // Both succeed for the URLs that can have credentials.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            format!("{:?} (credentials removed)", url.as_str())
        }
        Ok(_) => format!("{base_url:?}"),
        // Where credentials start and end in a malformed URL is a guess: show none of it.
        Err(_) if base_url.contains('@') => "(not shown, as it may contain credentials)".to_owned(),
        Err(_) => format!("{base_url:?}"),
    }
}
