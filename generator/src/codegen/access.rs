//! `src/access.rs`: where the API is and how to authenticate. The server,
//! the security schemes and requirements as constants the runtime reads,
//! the environment variable names, and the `ClientBuilder` methods for the
//! credentials and server variables this spec declares (and no others).

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::ident;
use crate::ir::{Api, ApiKeyLocation, Requirement, SailPointProduct, SchemeKind, TokenUrl, VariablePlace};

/// The whole module.
pub(super) fn module(api: &Api) -> TokenStream {
    let server = server(api);
    let schemes = schemes(api);
    let env = env_names(api);
    let client_new = client_new(api);
    let token_methods = token_methods(api);
    let basic = basic_method(api);
    let api_keys = api_key_methods(api);
    let variables = variable_methods(api);
    quote! {
        //! Where the API is and how to authenticate, as its spec declares.

        #server
        #schemes
        #env

        #client_new

        impl crate::ClientBuilder {
            #token_methods
            #basic
            #api_keys
            #variables
        }
    }
}

fn server(api: &Api) -> TokenStream {
    let base_path = &api.base_path;
    let server_url = api.server_url.as_deref().unwrap_or("");
    let variables = api.server_variables.iter().map(|variable| {
        let name = &variable.name;
        let default = &variable.default;
        let allowed = &variable.allowed;
        let place = match variable.place {
            VariablePlace::HostLabel => quote!(HostLabel),
            VariablePlace::Host => quote!(Host),
            VariablePlace::Path => quote!(Path),
        };
        quote! {
            crate::client::ServerVariable {
                name: #name,
                default: #default,
                allowed: &[#(#allowed),*],
                place: crate::client::VariablePlace::#place,
            }
        }
    });
    quote! {
        /// The API's path on its host, from the spec's first server URL.
        pub(crate) const BASE_PATH: &str = #base_path;

        /// The spec's first server URL; the builder's variable methods fill it in.
        pub(crate) const SERVER_URL: &str = #server_url;

        /// The variables of [`SERVER_URL`], in the order it names them.
        pub(crate) const SERVER_VARIABLES: &[crate::client::ServerVariable] = &[#(#variables),*];
    }
}

fn schemes(api: &Api) -> TokenStream {
    let schemes = api.security_schemes.iter().map(|scheme| {
        let name = &scheme.name;
        let kind = match &scheme.kind {
            SchemeKind::ClientCredentials { token_url } => {
                let token_url = match token_url {
                    TokenUrl::OnApiHost(path) => quote!(crate::TokenUrl::OnApiHost(#path)),
                    TokenUrl::Fixed(url) => quote!(crate::TokenUrl::Fixed(#url)),
                };
                quote!(crate::SchemeKind::ClientCredentials { token_url: #token_url })
            }
            SchemeKind::Bearer => quote!(crate::SchemeKind::Bearer),
            SchemeKind::Basic => quote!(crate::SchemeKind::Basic),
            SchemeKind::ApiKey { location, param, .. } => {
                let location = match location {
                    ApiKeyLocation::Header => quote!(Header),
                    ApiKeyLocation::Query => quote!(Query),
                    ApiKeyLocation::Cookie => quote!(Cookie),
                };
                quote!(crate::SchemeKind::ApiKey { location: crate::ApiKeyLocation::#location, name: #param })
            }
        };
        quote!(crate::SecurityScheme { name: #name, kind: #kind })
    });
    let security = requirements(&api.security);
    quote! {
        /// The security schemes of the spec the client can use, in spec order.
        pub const SECURITY_SCHEMES: &[crate::SecurityScheme] = &[#(#schemes),*];

        /// The API's security requirements: alternatives, each the indexes in
        /// [`SECURITY_SCHEMES`] of the schemes it needs together.
        pub(crate) const SECURITY: &[crate::auth::Requirement] = #security;
    }
}

/// Requirements as a constant expression.
pub(super) fn requirements(requirements: &[Requirement]) -> TokenStream {
    let alternatives = requirements.iter().map(|indexes| {
        let indexes = indexes.iter().map(|&index| proc_macro2::Literal::usize_unsuffixed(index));
        quote!(&[#(#indexes),*])
    });
    quote!(&[#(#alternatives),*])
}

/// One public constant per variable the crate reads, and the table the
/// runtime reads them through.
fn env_names(api: &Api) -> TokenStream {
    let settings = &api.settings;
    let prefix = &settings.env_prefix;
    let kinds = api.credentials();
    let mut constants = Vec::new();
    let mut constant = |name: &str, what: &str| -> TokenStream {
        let variable = format!("{prefix}{name}");
        let constant = ident(&format!("ENV_{name}"));
        let docs = doc(what);
        constants.push(quote! { #docs pub const #constant: &str = #variable; });
        quote!(::std::option::Option::Some(#constant))
    };
    let none = quote!(::std::option::Option::None);
    let base_url_variable = format!("{prefix}{}", settings.base_url_var);
    let base_url_doc = doc("The API's base URL (the builder's `base_url`).");
    let access_token = if kinds.token {
        constant("ACCESS_TOKEN", "An access token obtained elsewhere, used as is.")
    } else {
        none.clone()
    };
    let (client_id, client_secret) = if kinds.client_credentials {
        (constant("CLIENT_ID", "OAuth2 client id."), constant("CLIENT_SECRET", "OAuth2 client secret."))
    } else {
        (none.clone(), none.clone())
    };
    let (username, password) = if kinds.basic {
        (
            constant("USERNAME", "User name for HTTP basic authentication."),
            constant("PASSWORD", "Password for HTTP basic authentication."),
        )
    } else {
        (none.clone(), none)
    };
    let api_keys: Vec<TokenStream> = api
        .security_schemes
        .iter()
        .filter_map(|scheme| match &scheme.kind {
            SchemeKind::ApiKey { method, .. } => {
                let name = method.trim_start_matches("r#").to_shouty_snake_case();
                constant(&name, &format!("The API key of the `{}` scheme.", scheme.name));
                let scheme_name = &scheme.name;
                let constant = ident(&format!("ENV_{name}"));
                Some(quote!((#scheme_name, #constant)))
            }
            _ => None,
        })
        .collect();
    let product = match settings.sailpoint {
        Some(SailPointProduct::IdentitySecurityCloud) => {
            quote!(::std::option::Option::Some(crate::config::Product::IdentitySecurityCloud))
        }
        Some(SailPointProduct::NonEmployeeRiskManagement) => {
            quote!(::std::option::Option::Some(crate::config::Product::NonEmployeeRiskManagement))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        #base_url_doc
        pub const ENV_BASE_URL: &str = #base_url_variable;
        #( #constants )*

        /// The variables [`ClientBuilder::with_env`](crate::ClientBuilder::with_env) reads.
        pub(crate) const ENV: crate::config::EnvNames = crate::config::EnvNames {
            base_url: ENV_BASE_URL,
            access_token: #access_token,
            client_id: #client_id,
            client_secret: #client_secret,
            username: #username,
            password: #password,
            api_keys: &[#(#api_keys),*],
            sailpoint: #product,
        };
    }
}

/// `Client::new` for the common case: a base URL and a bearer token, or a
/// base URL alone for an API without credentials.
fn client_new(api: &Api) -> TokenStream {
    if api.credentials().token {
        quote! {
            impl crate::Client {
                /// A client for the API at `base_url` that sends `token` as its bearer token.
                ///
                /// `base_url` is the API's host; the API's path is added unless
                /// the URL already ends with it.
                pub fn new(base_url: &str, token: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, crate::Error> {
                    Self::builder().base_url(base_url).token(token).build()
                }
            }
        }
    } else if api.security_schemes.is_empty() {
        quote! {
            impl crate::Client {
                /// A client for the API at `base_url`.
                ///
                /// `base_url` is the API's host; the API's path is added unless
                /// the URL already ends with it.
                pub fn new(base_url: &str) -> ::std::result::Result<Self, crate::Error> {
                    Self::builder().base_url(base_url).build()
                }
            }
        }
    } else {
        TokenStream::new()
    }
}

/// Bearer tokens: given, from a source, or (with a client credentials
/// scheme) fetched with a client id and secret.
fn token_methods(api: &Api) -> TokenStream {
    let kinds = api.credentials();
    if !kinds.token {
        return TokenStream::new();
    }
    let client_credentials = kinds.client_credentials.then(|| {
        let endpoint = api.security_schemes.iter().find_map(|scheme| match &scheme.kind {
            SchemeKind::ClientCredentials { token_url: TokenUrl::OnApiHost(path) } => Some(format!("`{{host}}{path}`")),
            SchemeKind::ClientCredentials { token_url: TokenUrl::Fixed(url) } => Some(format!("`{url}`")),
            _ => None,
        });
        let docs = doc(&format!(
            "OAuth2 client credentials, exchanged at {} for a token\n\
             that is cached and refreshed before it expires.",
            endpoint.unwrap_or_default()
        ));
        quote! {
            #docs
            pub fn client_credentials(
                mut self,
                client_id: impl ::std::convert::Into<::std::string::String>,
                client_secret: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.token = ::std::option::Option::Some(crate::client::Auth::ClientCredentials {
                    client_id: client_id.into(),
                    client_secret: client_secret.into(),
                });
                self
            }

            /// The OAuth2 token endpoint, instead of the one the spec names.
            pub fn token_url(mut self, token_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.token_url = ::std::option::Option::Some(token_url.into());
                self
            }
        }
    });
    quote! {
        /// A bearer token obtained elsewhere, used until the server rejects it.
        pub fn token(mut self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.token = ::std::option::Option::Some(crate::client::Auth::Token(crate::AccessToken::new(token, ::std::option::Option::None)));
            self
        }

        #client_credentials

        /// Tokens from the caller's own source.
        pub fn token_source(mut self, source: impl crate::TokenSource + 'static) -> Self {
            self.token = ::std::option::Option::Some(crate::client::Auth::Source(::std::sync::Arc::new(source)));
            self
        }

        /// How long before it expires a token is refreshed (default 60 s).
        pub fn token_refresh_margin(mut self, margin: ::std::time::Duration) -> Self {
            self.refresh_margin = ::std::option::Option::Some(margin);
            self
        }
    }
}

fn basic_method(api: &Api) -> TokenStream {
    if !api.credentials().basic {
        return TokenStream::new();
    }
    quote! {
        /// A user name and password for HTTP basic authentication.
        pub fn basic_auth(
            mut self,
            username: impl ::std::convert::Into<::std::string::String>,
            password: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.basic = ::std::option::Option::Some(crate::auth::Basic {
                username: username.into(),
                password: crate::auth::Secret::new(password),
            });
            self
        }
    }
}

fn api_key_methods(api: &Api) -> TokenStream {
    let methods = api.security_schemes.iter().filter_map(|scheme| {
        let SchemeKind::ApiKey { location, param, method } = &scheme.kind else {
            return None;
        };
        let place = match location {
            ApiKeyLocation::Header => format!("in the `{param}` header"),
            ApiKeyLocation::Query => format!("in the `{param}` query parameter, as the spec says"),
            ApiKeyLocation::Cookie => format!("in the `{param}` cookie"),
        };
        let docs = doc(&format!("The API key of the `{}` scheme, sent {place}.", scheme.name));
        let method = ident(method);
        let name = &scheme.name;
        Some(quote! {
            #docs
            pub fn #method(mut self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.api_keys.insert(#name, crate::auth::Secret::new(key));
                self
            }
        })
    });
    quote!(#(#methods)*)
}

fn variable_methods(api: &Api) -> TokenStream {
    let server_url = api.server_url.as_deref().unwrap_or("");
    let methods = api.server_variables.iter().map(|variable| {
        let mut text = variable.description.as_deref().map(str::trim).unwrap_or("").to_owned();
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!(
            "Sets `{{{}}}` in the server URL `{server_url}`,\nwhich then becomes the base URL \
             (a variable not set takes its default).\nAn explicit `base_url` takes precedence.",
            variable.name
        ));
        if !variable.default.is_empty() {
            text.push_str(&format!(" Default: `{}`.", variable.default));
        }
        if !variable.allowed.is_empty() {
            let allowed: Vec<String> = variable.allowed.iter().map(|value| format!("`{value}`")).collect();
            text.push_str(&format!(" One of {}.", allowed.join(", ")));
        }
        let docs = doc(&text);
        let method = ident(&variable.method);
        let name = &variable.name;
        quote! {
            #docs
            pub fn #method(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.server_variables.insert(#name, value.into());
                self
            }
        }
    });
    quote!(#(#methods)*)
}
