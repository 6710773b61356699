//! `src/access.rs`: where the API is and how to authenticate, and the
//! crate's `Client` over the shared runtime. The server, the security
//! schemes and requirements and the environment variable names are the
//! `API` data the runtime reads; `Client` wraps the runtime's handle, and
//! `ClientBuilder` the runtime's `SessionBuilder`, with methods for just
//! the credentials and server variables this spec declares.

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
    let client = client(api);
    let builder = builder(api);
    let spec_methods = [token_methods(api), basic_method(api), api_key_methods(api), variable_methods(api)];
    // The builder methods the spec's schemes and server variables call for,
    // in an impl block of their own; an API with neither gets none.
    let spec_methods = (!spec_methods.iter().all(TokenStream::is_empty)).then(|| {
        quote! {
            impl ClientBuilder {
                #(#spec_methods)*
            }
        }
    });
    quote! {
        //! Where the API is and how to authenticate, as its spec declares, and the client.

        use crate::runtime::__private as facade;

        /// The API as its spec declares it, for the runtime.
        static API: facade::Api = facade::Api {
            base_path: BASE_PATH,
            server_url: SERVER_URL,
            server_variables: SERVER_VARIABLES,
            security_schemes: SECURITY_SCHEMES,
            security: SECURITY,
            env: &ENV,
            user_agent: USER_AGENT,
        };

        /// `User-Agent` sent with every request, unless the session sets one.
        pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        #server
        #schemes
        #env
        #client
        #builder
        #spec_methods
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
            crate::runtime::ServerVariable {
                name: #name,
                default: #default,
                allowed: &[#(#allowed),*],
                place: crate::runtime::VariablePlace::#place,
            }
        }
    });
    quote! {
        /// The API's path on its host, from the spec's first server URL.
        const BASE_PATH: &str = #base_path;

        /// The spec's first server URL; the builder's variable methods fill it in.
        const SERVER_URL: &str = #server_url;

        /// The variables of [`SERVER_URL`], in the order it names them.
        const SERVER_VARIABLES: &[crate::runtime::ServerVariable] = &[#(#variables),*];
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
        const SECURITY: &[facade::Requirement] = #security;
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
    let files = match settings.sailpoint {
        Some(SailPointProduct::IdentitySecurityCloud) => {
            quote!(::std::option::Option::Some(&facade::sailpoint::IDENTITY_SECURITY_CLOUD))
        }
        Some(SailPointProduct::NonEmployeeRiskManagement) => {
            quote!(::std::option::Option::Some(&facade::sailpoint::NON_EMPLOYEE_RISK_MANAGEMENT))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        #base_url_doc
        pub const ENV_BASE_URL: &str = #base_url_variable;
        #( #constants )*

        /// The variables and configuration files [`ClientBuilder::with_env`] reads;
        /// [`SessionBuilder::with_env`](crate::SessionBuilder::with_env) takes it too.
        pub const ENV: crate::EnvNames = crate::EnvNames {
            base_url: ENV_BASE_URL,
            access_token: #access_token,
            client_id: #client_id,
            client_secret: #client_secret,
            username: #username,
            password: #password,
            api_keys: &[#(#api_keys),*],
            files: #files,
        };
    }
}

/// The crate's `Client`: the runtime's handle of this API on a session.
fn client(api: &Api) -> TokenStream {
    let client_new = client_new(api);
    let experimental = api.sailpoint_conventions().then(|| {
        quote! {
            /// Whether experimental operations may be sent (see [`ClientBuilder::experimental`]).
            pub fn allows_experimental(&self) -> bool {
                self.handle.allows_experimental()
            }
        }
    });
    quote! {
        /// A client for the API. Cheap to clone: clones share one connection
        /// pool and one access token, and so do the clients of other crates
        /// made from the same [`Session`](crate::Session).
        ///
        /// Every operation is a method returning a request builder; finish it with
        /// `.send().await`. Authentication, token refresh and retries happen inside.
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: facade::Handle,
        }

        impl Client {
            /// A client of this API on `session`, sharing its connection pool,
            /// token cache and rate-limit pause with every other client made
            /// from it, of this crate or another.
            ///
            /// Fails with [`Error::Config`](crate::Error::Config) when the
            /// session gives no base URL for this API, or no credentials while
            /// every operation needs some.
            pub fn with_session(session: &crate::Session) -> ::std::result::Result<Self, crate::Error> {
                ::std::result::Result::Ok(Self { handle: facade::Handle::new(session, &API)? })
            }

            /// A client configured from the environment, then from configuration
            /// files; see [`ClientBuilder::with_env`].
            pub fn from_env() -> ::std::result::Result<Self, crate::Error> {
                Self::builder().with_env()?.build()
            }

            /// A builder for every setting.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The API root requests are sent to.
            pub fn base_url(&self) -> &str {
                self.handle.base_url()
            }

            /// The session the client was made from, to make clients of other crates on.
            pub fn session(&self) -> &crate::Session {
                self.handle.session()
            }

            #experimental

            /// Sends an operation's request through the runtime and decodes its response.
            #[inline]
            pub(crate) fn dispatch<T: ::std::marker::Send + 'static>(
                self,
                request: ::std::result::Result<facade::request::Request, crate::Error>,
                decode: fn(facade::response::RawResponse) -> ::std::result::Result<crate::Response<T>, crate::Error>,
            ) -> crate::ResponseFuture<T> {
                self.handle.dispatch(request, decode)
            }
        }

        #client_new
    }
}

/// The crate's `ClientBuilder`: a session builder with the spec's names
/// and files for `with_env`, which builds one client on its own session.
/// Every method here forwards to the runtime's `SessionBuilder`; the names
/// are reserved in `lower::CLIENT_BUILDER_METHODS`.
fn builder(api: &Api) -> TokenStream {
    let experimental = api.sailpoint_conventions().then(|| {
        quote! {
            /// Allows SailPoint's experimental operations; each then sends
            /// `X-SailPoint-Experimental: true` itself. Without it they fail with
            /// [`Error::Config`](crate::Error::Config) before sending anything.
            pub fn experimental(mut self, allow: bool) -> Self {
                self.session = self.session.experimental(allow);
                self
            }
        }
    });
    quote! {
        /// Settings for a [`Client`] of its own session.
        ///
        /// Precedence, highest first: what is set on the builder, then environment
        /// variables, then configuration files (see [`with_env`](Self::with_env)).
        /// The methods for credentials and server variables are those the API's
        /// spec declares. To share a session between the clients of several
        /// crates, build a [`Session`](crate::Session) and use [`Client::with_session`].
        #[derive(Debug, Default)]
        pub struct ClientBuilder {
            session: crate::SessionBuilder,
        }

        impl ClientBuilder {
            /// The API's host, e.g. `https://api.example.com` (a URL that already
            /// ends with the API's path is accepted as is). It takes precedence
            /// over the spec's server URL.
            pub fn base_url(mut self, base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.session = self.session.base_url(base_url);
                self
            }

            /// The URL the operations' paths are appended to, used as is: for a
            /// proxy or mock server that serves the API somewhere other than where
            /// its server URL says. Overrides [`base_url`](Self::base_url).
            pub fn api_root(mut self, api_root: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.session = self.session.api_root(api_root);
                self
            }

            #experimental

            /// When and how requests are retried (default: [`RetryPolicy::default`](crate::RetryPolicy::default)).
            pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
                self.session = self.session.retry_policy(policy);
                self
            }

            /// The largest response body the client reads (default 100 MiB); a
            /// larger one is [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge).
            pub fn max_response_bytes(mut self, limit: u64) -> Self {
                self.session = self.session.max_response_bytes(limit);
                self
            }

            /// Time allowed for a whole request and response (default 60 s).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.session = self.session.timeout(timeout);
                self
            }

            /// Time allowed to open a connection (default 10 s).
            pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.session = self.session.connect_timeout(timeout);
                self
            }

            /// The `User-Agent` header (default: [`USER_AGENT`]).
            pub fn user_agent(mut self, user_agent: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.session = self.session.user_agent(user_agent);
                self
            }

            /// Sends requests through this `reqwest` client; its own timeouts and
            /// user agent then apply instead of this builder's. Build it with
            /// `redirect(reqwest::redirect::Policy::none())`: a redirect from the
            /// token endpoint would otherwise carry the client secret elsewhere.
            pub fn http_client(mut self, http: crate::runtime::reqwest::Client) -> Self {
                self.session = self.session.http_client(http);
                self
            }

            /// Allows a plain `http://` base URL, for local testing. Without it only
            /// `https://` is accepted, so credentials never travel unencrypted.
            pub fn allow_http(mut self, allow: bool) -> Self {
                self.session = self.session.allow_http(allow);
                self
            }

            /// Decodes responses strictly (default: off). By default a required
            /// field missing from a response, or `null` where the spec does not
            /// allow it, takes its zero value (`""`, 0, `false`, empty, a model's
            /// own zero) with a `tracing` warning, so one item that breaks the
            /// spec does not sink a page; strict, it is an
            /// [`Error::Decode`](crate::Error::Decode).
            pub fn strict_decoding(mut self, strict: bool) -> Self {
                self.session = self.session.strict_decoding(strict);
                self
            }

            /// Fills what is not set yet from the environment variables [`ENV`]
            /// names or, when none of them is set, from the first of its
            /// configuration files that exists (SailPoint's APIs read
            /// `config.json` in the working directory, then the SailPoint CLI's
            /// `~/.sailpoint/config.yaml`; other APIs read none).
            ///
            /// An access token wins over client credentials. A malformed config file
            /// is an error; a missing one is not.
            pub fn with_env(mut self) -> ::std::result::Result<Self, crate::Error> {
                self.session = self.session.with_env(&ENV)?;
                ::std::result::Result::Ok(self)
            }

            /// [`with_env`](Self::with_env) with the variables read through `lookup`
            /// and the configuration files `files`, tried in order.
            pub fn with_env_from(
                mut self,
                lookup: impl Fn(&str) -> ::std::option::Option<::std::string::String>,
                files: impl ::std::iter::IntoIterator<Item = ::std::path::PathBuf>,
            ) -> ::std::result::Result<Self, crate::Error> {
                self.session = self.session.with_env_from(&ENV, lookup, files)?;
                ::std::result::Result::Ok(self)
            }

            /// Checks the settings and builds the session alone, to make the
            /// clients of this crate and of others on it.
            pub fn session(self) -> ::std::result::Result<crate::Session, crate::Error> {
                self.session.build()
            }

            /// Checks the settings and builds the client, on a session of its own.
            pub fn build(self) -> ::std::result::Result<Client, crate::Error> {
                Client::with_session(&self.session.build()?)
            }
        }
    }
}

/// `Client::new` for the common case: a base URL and a bearer token, or a
/// base URL alone for an API without credentials.
fn client_new(api: &Api) -> TokenStream {
    if api.credentials().token {
        quote! {
            impl Client {
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
            impl Client {
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
                self.session = self.session.client_credentials(client_id, client_secret);
                self
            }

            /// The OAuth2 token endpoint, instead of the one the spec names.
            pub fn token_url(mut self, token_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.session = self.session.token_url(token_url);
                self
            }
        }
    });
    quote! {
        /// A bearer token obtained elsewhere, used until the server rejects it.
        pub fn token(mut self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.session = self.session.token(token);
            self
        }

        #client_credentials

        /// Tokens from the caller's own source.
        pub fn token_source(mut self, source: impl crate::TokenSource + 'static) -> Self {
            self.session = self.session.token_source(source);
            self
        }

        /// How long before it expires a token is refreshed (default 60 s).
        pub fn token_refresh_margin(mut self, margin: ::std::time::Duration) -> Self {
            self.session = self.session.token_refresh_margin(margin);
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
            self.session = self.session.basic_auth(username, password);
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
                self.session = self.session.api_key(#name, key);
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
                self.session = self.session.server_variable(#name, value);
                self
            }
        }
    });
    quote!(#(#methods)*)
}
