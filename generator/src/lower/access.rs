//! Where the API is and how callers authenticate: the first server with its
//! variables, the security schemes and requirements, and the names of the
//! settings a client reads from its environment.

use heck::ToShoutySnakeCase;
use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement, SecurityScheme as SpecScheme};

use super::names::{value_name, Scope};
use super::Lowerer;
use crate::diagnostics::{push_pointer, Kind};
use crate::ir::{
    self, Requirement, SailPointProduct, SchemeKind, SecurityScheme, ServerVariable, Settings, TokenUrl, VariablePlace,
};

/// The methods of the generated `ClientBuilder` besides those of server
/// variables and API keys (`codegen/access.rs` writes them): a server
/// variable or API key method never takes one of these.
/// `generator/tests/access.rs` checks the list against the generated code.
pub const CLIENT_BUILDER_METHODS: &[&str] = &[
    "allow_http",
    "api_root",
    "base_url",
    "basic_auth",
    "build",
    "client_credentials",
    "connect_timeout",
    "experimental",
    "http_client",
    "max_response_bytes",
    "retry_policy",
    "session",
    "strict_decoding",
    "timeout",
    "token",
    "token_refresh_margin",
    "token_source",
    "token_url",
    "user_agent",
    "with_env",
    "with_env_from",
];

/// What [`Lowerer::access`] decides.
pub(crate) struct Access {
    pub(crate) server_url: Option<String>,
    pub(crate) base_path: String,
    pub(crate) server_variables: Vec<ServerVariable>,
    pub(crate) security: Vec<Requirement>,
    pub(crate) settings: Settings,
}

impl Lowerer<'_> {
    /// The server, the schemes and the global requirements. Operations'
    /// own requirements are lowered later with [`Lowerer::requirements`],
    /// which may add schemes they name but the spec does not declare.
    pub(crate) fn access(&mut self, options: &super::LowerOptions) -> Access {
        let mut methods = Scope::with_reserved(CLIENT_BUILDER_METHODS);
        let (server_url, base_path, server_variables) = self.server(&mut methods);
        let settings = settings(server_url.as_deref(), options);
        self.sailpoint = settings.sailpoint;
        self.security_schemes = self.schemes(&mut methods, server_url.as_deref());
        let security = match &self.spec.security {
            Some(list) => self.requirements(list, "/security"),
            None => Vec::new(),
        };
        Access { server_url, base_path, server_variables, security, settings }
    }

    /// The first server's URL, its path (`/v2024`) and its variables.
    fn server(&mut self, methods: &mut Scope) -> (Option<String>, String, Vec<ServerVariable>) {
        let Some(server) = self.spec.servers.first() else {
            return (None, String::new(), Vec::new());
        };
        let url = &server.url;
        let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("", |at| &after_scheme[at..]);
        let host = after_scheme.split('/').next().unwrap_or("");
        let declared = server.variables.as_ref();
        let mut variables = Vec::new();
        for name in url_variables(url) {
            if variables.iter().any(|variable: &ServerVariable| variable.name == name) {
                continue;
            }
            let spec_variable = declared.and_then(|declared| declared.get(name));
            if spec_variable.is_none() {
                let message = format!("server variable `{name}` is not declared: it has no default");
                self.warn(Kind::Loosened, "/servers/0/url", message);
            }
            let wanted = value_name(name);
            let wanted =
                if methods.contains(&wanted) { format!("server_{}", wanted.trim_start_matches("r#")) } else { wanted };
            let token = format!("{{{name}}}");
            let place = if !host.contains(&token) {
                VariablePlace::Path
            } else if host == token || host.strip_prefix(&token).is_some_and(|rest| rest.starts_with(':')) {
                VariablePlace::Host
            } else {
                VariablePlace::HostLabel
            };
            variables.push(ServerVariable {
                place,
                name: name.to_owned(),
                method: methods.claim(wanted),
                default: spec_variable.map(|variable| variable.default.clone()).unwrap_or_default(),
                allowed: spec_variable.map(|variable| variable.enumeration.clone()).unwrap_or_default(),
                description: spec_variable.and_then(|variable| variable.description.clone()),
            });
        }
        (Some(url.clone()), path.trim_end_matches('/').to_owned(), variables)
    }

    /// Every security scheme the client can use, in spec order. A scheme it
    /// cannot use is left out with a warning; requirements naming it can
    /// then never be met.
    fn schemes(&mut self, methods: &mut Scope, server_url: Option<&str>) -> Vec<SecurityScheme> {
        let Some(components) = &self.spec.components else {
            return Vec::new();
        };
        let api_keys = components
            .security_schemes
            .values()
            .filter(|scheme| matches!(scheme, ReferenceOr::Item(SpecScheme::APIKey { .. })))
            .count();
        let mut schemes = Vec::new();
        for (name, scheme) in &components.security_schemes {
            let pointer = push_pointer("/components/securitySchemes", name);
            let ReferenceOr::Item(scheme) = scheme else {
                self.warn(
                    Kind::Dropped,
                    &pointer,
                    format!("security scheme `{name}` is a `$ref` that could not be resolved"),
                );
                continue;
            };
            let (kind, description) = match scheme {
                SpecScheme::OAuth2 { flows, description, .. } => {
                    let kind = match &flows.client_credentials {
                        Some(flow) => {
                            SchemeKind::ClientCredentials { token_url: token_url(&flow.token_url, server_url) }
                        }
                        None => SchemeKind::Bearer,
                    };
                    (kind, description)
                }
                SpecScheme::OpenIDConnect { description, .. } => (SchemeKind::Bearer, description),
                SpecScheme::HTTP { scheme: http, description, .. } => match http.to_ascii_lowercase().as_str() {
                    "bearer" => (SchemeKind::Bearer, description),
                    "basic" => (SchemeKind::Basic, description),
                    other => {
                        let message = format!(
                            "security scheme `{name}` uses HTTP `{other}` authentication, which the client cannot send: \
                             operations that need it get no credentials from it"
                        );
                        self.warn(Kind::Dropped, &pointer, message);
                        self.unusable_schemes.insert(name.clone());
                        continue;
                    }
                },
                SpecScheme::APIKey { location, name: param, description, .. } => {
                    let location = match location {
                        APIKeyLocation::Header => ir::ApiKeyLocation::Header,
                        APIKeyLocation::Query => ir::ApiKeyLocation::Query,
                        APIKeyLocation::Cookie => ir::ApiKeyLocation::Cookie,
                    };
                    let wanted = if api_keys == 1 { "api_key".to_owned() } else { value_name(name) };
                    let wanted = if wanted.ends_with("key") {
                        wanted
                    } else {
                        format!("{}_key", wanted.trim_start_matches("r#"))
                    };
                    let method = methods.claim(wanted);
                    (SchemeKind::ApiKey { location, param: param.clone(), method }, description)
                }
            };
            schemes.push(SecurityScheme { name: name.clone(), kind, description: description.clone() });
        }
        schemes
    }

    /// A `security` list as alternatives of scheme indexes. An alternative
    /// naming a scheme the client cannot use is left out with a warning.
    pub(crate) fn requirements(&mut self, list: &[SecurityRequirement], pointer: &str) -> Vec<Requirement> {
        let mut alternatives = Vec::new();
        for (at, requirement) in list.iter().enumerate() {
            let mut indexes = Vec::new();
            for name in requirement.keys() {
                let declared = self.security_schemes.iter().position(|scheme| &scheme.name == name);
                let usable = declared.or_else(|| self.undeclared_scheme(name, &push_pointer(pointer, &at.to_string())));
                match usable {
                    Some(index) => indexes.push(index),
                    None => {
                        let message = format!(
                            "security requirement names `{name}`, which is not a security scheme the client can use: \
                             this alternative is left out"
                        );
                        self.warn(Kind::Dropped, &push_pointer(pointer, &at.to_string()), message);
                        indexes.clear();
                        break;
                    }
                }
            }
            if indexes.is_empty() && !requirement.is_empty() {
                continue;
            }
            if !alternatives.contains(&indexes) {
                alternatives.push(indexes);
            }
        }
        alternatives
    }
}

/// Where a `tokenUrl` points: on the API's own host when it has no host or
/// names the server's host with its variables filled in (by example values),
/// label by label; elsewhere otherwise.
fn token_url(written: &str, server_url: Option<&str>) -> TokenUrl {
    let split = |url: &str| -> Option<(String, String)> {
        let (_, rest) = url.split_once("://")?;
        let at = rest.find('/').unwrap_or(rest.len());
        Some((rest[..at].to_ascii_lowercase(), rest[at..].to_owned()))
    };
    let Some((host, path)) = split(written) else {
        let path = if written.starts_with('/') { written.to_owned() } else { format!("/{written}") };
        return TokenUrl::OnApiHost(path);
    };
    let server_host = server_url.and_then(split).map(|(host, _)| host).unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    let server_labels: Vec<&str> = server_host.split('.').collect();
    let same_host = labels.len() == server_labels.len()
        && labels.iter().zip(&server_labels).all(|(label, server)| label == server || server.contains('{'));
    if same_host {
        TokenUrl::OnApiHost(if path.is_empty() { "/".to_owned() } else { path })
    } else {
        TokenUrl::Fixed(written.to_owned())
    }
}

impl Lowerer<'_> {
    /// A scheme a requirement names but `components.securitySchemes` does
    /// not declare (SailPoint's per-resource specs name `userAuth` and
    /// declare nothing): repaired as what requests to the API carry anyway,
    /// a bearer token, which for Identity Security Cloud comes from OAuth2
    /// client credentials at the tenant's `/oauth/token`. A scheme declared
    /// but unusable stays unusable.
    fn undeclared_scheme(&mut self, name: &str, pointer: &str) -> Option<usize> {
        if self.unusable_schemes.contains(name) {
            return None;
        }
        let (kind, what) = match self.sailpoint {
            Some(SailPointProduct::IdentitySecurityCloud) => (
                SchemeKind::ClientCredentials { token_url: TokenUrl::OnApiHost("/oauth/token".to_owned()) },
                "OAuth2 client credentials at the tenant's `/oauth/token`, as for every Identity Security Cloud API",
            ),
            _ => (SchemeKind::Bearer, "a bearer token"),
        };
        let message = format!("security scheme `{name}` is required but not declared: taken as {what}");
        self.warn(Kind::Repaired, pointer, message);
        self.security_schemes.push(SecurityScheme { name: name.to_owned(), kind, description: None });
        Some(self.security_schemes.len() - 1)
    }
}

/// The `{name}`s of a server URL template, in order.
fn url_variables(url: &str) -> impl Iterator<Item = &str> {
    url.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).filter(|name| !name.is_empty())
}

/// The environment variables a crate reads: SailPoint's own names for
/// SailPoint's APIs (told by the server host), a prefix from the crate name
/// for any other, or the prefix the maintainer chose.
fn settings(server_url: Option<&str>, options: &super::LowerOptions) -> Settings {
    let host = server_url
        .and_then(|url| url.split_once("://").map(|(_, rest)| rest))
        .map(|rest| rest.split(['/', ':']).next().unwrap_or(""))
        .unwrap_or("")
        .to_ascii_lowercase();
    let sailpoint = if host.ends_with(".identitynow.com") || host.ends_with(".sailpoint.com") {
        Some(SailPointProduct::IdentitySecurityCloud)
    } else if host.ends_with(".nonemployee.com") {
        Some(SailPointProduct::NonEmployeeRiskManagement)
    } else {
        None
    };
    let derived = match sailpoint {
        Some(_) => "SAIL_".to_owned(),
        None => format!("{}_", options.crate_name.to_shouty_snake_case()),
    };
    let env_prefix = options.env_prefix.clone().unwrap_or(derived);
    let base_url_var = match sailpoint {
        Some(SailPointProduct::NonEmployeeRiskManagement) => "NERM_BASE_URL",
        _ => "BASE_URL",
    };
    Settings { env_prefix, base_url_var: base_url_var.to_owned(), sailpoint }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(crate_name: &str) -> super::super::LowerOptions {
        super::super::LowerOptions { crate_name: crate_name.to_owned(), ..Default::default() }
    }

    #[test]
    fn sailpoint_hosts_read_sailpoint_names_and_others_a_prefix_of_their_crate() {
        let isc = settings(Some("https://{tenant}.api.identitynow.com/v2024"), &options("x"));
        assert_eq!((isc.env_prefix.as_str(), isc.base_url_var.as_str()), ("SAIL_", "BASE_URL"));
        assert_eq!(isc.sailpoint, Some(SailPointProduct::IdentitySecurityCloud));
        let nerm = settings(Some("https://{tenantName}.nonemployee.com/api"), &options("x"));
        assert_eq!((nerm.env_prefix.as_str(), nerm.base_url_var.as_str()), ("SAIL_", "NERM_BASE_URL"));
        assert_eq!(nerm.sailpoint, Some(SailPointProduct::NonEmployeeRiskManagement));
        let twilio = settings(Some("https://api.twilio.com"), &options("twilio-api-v2010"));
        assert_eq!((twilio.env_prefix.as_str(), twilio.sailpoint), ("TWILIO_API_V2010_", None));
        let none = settings(None, &options("my-api"));
        assert_eq!(none.env_prefix, "MY_API_");
        let chosen = super::super::LowerOptions { env_prefix: Some("ACME_".to_owned()), ..options("x") };
        assert_eq!(settings(Some("https://{t}.api.identitynow.com"), &chosen).env_prefix, "ACME_");
    }

    #[test]
    fn a_token_url_on_the_servers_host_follows_the_client_to_its_host() {
        let isc = Some("https://{tenant}.api.identitynow.com/v2024");
        let on_host = |path: &str| TokenUrl::OnApiHost(path.to_owned());
        assert_eq!(token_url("https://example-tenant.api.identitynow.com/oauth/token", isc), on_host("/oauth/token"));
        assert_eq!(token_url("/oauth/token", isc), on_host("/oauth/token"));
        assert_eq!(token_url("oauth/token", None), on_host("/oauth/token"));
        let nerm = Some("https://{tenantName}.nonemployee.com/api");
        let elsewhere = "https://example-tenant.api.identitynow.com/oauth/token";
        assert_eq!(token_url(elsewhere, nerm), TokenUrl::Fixed(elsewhere.to_owned()));
        assert_eq!(
            token_url("https://auth.example.com/token", Some("https://api.example.com")),
            TokenUrl::Fixed("https://auth.example.com/token".to_owned())
        );
    }

    #[test]
    fn url_variables_are_found_in_order() {
        let found: Vec<&str> = url_variables("https://{tenant}.api.{domain}/{version}/x{}").collect();
        assert_eq!(found, ["tenant", "domain", "version"]);
    }
}
