//! Servers, security and settings as `lower` decides them and codegen
//! writes them, for small inline specs: a crate gets the builder methods and
//! environment variables of the schemes its spec declares, and no others.

use generator::ir::{Api, SailPointProduct, SchemeKind, TokenUrl, VariablePlace};
use generator::{Diagnostic, MemorySource};

/// A spec of one operation with `servers`, `security` and `components` as given.
fn spec(servers: &str, security: &str, schemes: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\nservers: {servers}\nsecurity: {security}\n\
         paths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        '204': {{description: ok}}\n\
         components:\n  securitySchemes: {schemes}\n"
    )
}

fn lowered(text: &str, options: &generator::lower::LowerOptions) -> (Api, Vec<Diagnostic>) {
    let source = MemorySource::new(vec![("openapi.yaml".to_owned(), text.to_owned())]);
    let loaded = generator::load::load(&source, "openapi.yaml").unwrap();
    let parsed = generator::parse::parse(&loaded).unwrap();
    let lowered = generator::lower::lower(&parsed.spec, &loaded.source_map, options).unwrap();
    (lowered.api, lowered.warnings)
}

/// The generated `src/access.rs`.
fn access_rs(text: &str, options: generator::Options) -> String {
    let source = MemorySource::new(vec![("openapi.yaml".to_owned(), text.to_owned())]);
    let generated = generator::generate_with(&source, "openapi.yaml", &options).unwrap();
    generated.files.into_iter().find(|file| file.path == "src/access.rs").unwrap().contents
}

#[test]
fn an_undeclared_scheme_of_a_sailpoint_api_is_its_oauth2_client_credentials() {
    // SailPoint's per-resource specs require `userAuth` and declare no scheme.
    let text = spec(
        "[{url: 'https://{tenant}.api.identitynow.com', variables: {tenant: {default: sailpoint}}}]",
        "[{userAuth: []}]",
        "{}",
    );
    let (api, warnings) = lowered(&text, &Default::default());
    assert_eq!(api.security_schemes.len(), 1);
    assert_eq!(api.security_schemes[0].name, "userAuth");
    assert_eq!(
        api.security_schemes[0].kind,
        SchemeKind::ClientCredentials { token_url: TokenUrl::OnApiHost("/oauth/token".to_owned()) }
    );
    assert_eq!(api.security, [vec![0]]);
    assert_eq!(api.settings.sailpoint, Some(SailPointProduct::IdentitySecurityCloud));
    assert_eq!(api.server_variables[0].place, VariablePlace::HostLabel);
    assert!(warnings.iter().any(|w| w.message.contains("`userAuth` is required but not declared")), "{warnings:?}");

    // Anywhere else, a bearer token.
    let text = spec("[{url: 'https://api.example.com'}]", "[{auth: []}]", "{}");
    let (api, _) = lowered(&text, &Default::default());
    assert_eq!(api.security_schemes[0].kind, SchemeKind::Bearer);
}

#[test]
fn a_crate_has_the_methods_and_variables_of_its_schemes_only() {
    let basic_only =
        spec("[{url: 'https://api.example.com'}]", "[{basic: []}]", "{basic: {type: http, scheme: basic}}");
    let options = generator::Options { crate_name: "acme-api".to_owned(), ..Default::default() };
    let code = access_rs(&basic_only, options);
    assert!(code.contains("pub fn basic_auth("), "{code}");
    for absent in
        ["pub fn token(", "pub fn client_credentials(", "pub fn token_source(", "pub fn api_key(", "ENV_ACCESS_TOKEN"]
    {
        assert!(!code.contains(absent), "{absent} in {code}");
    }
    assert!(code.contains(r#"ENV_USERNAME: &str = "ACME_API_USERNAME""#), "{code}");
    assert!(code.contains(r#"ENV_BASE_URL: &str = "ACME_API_BASE_URL""#), "{code}");

    let keyed = spec(
        "[{url: 'https://{region}.example.com/{version}', variables: {region: {default: eu}, version: {default: v1, enum: [v1, v2]}}}]",
        "[{key: []}]",
        "{key: {type: apiKey, in: query, name: apikey}}",
    );
    let code = access_rs(&keyed, generator::Options::default());
    assert!(
        code.contains("pub fn api_key(") && code.contains("pub fn region(") && code.contains("pub fn version("),
        "{code}"
    );
    assert!(!code.contains("pub fn basic_auth(") && !code.contains("pub fn token("), "{code}");
}

#[test]
fn the_env_prefix_comes_from_the_config_and_the_flag_wins_over_it() {
    let text = spec("[{url: 'https://api.example.com'}]", "[{bearer: []}]", "{bearer: {type: http, scheme: bearer}}");
    let config = generator::config::Config::parse("generator.yaml", "env-prefix: FROM_CONFIG_\n").unwrap();
    let from_config = generator::Options { config: config.clone(), ..Default::default() };
    assert!(access_rs(&text, from_config).contains(r#""FROM_CONFIG_ACCESS_TOKEN""#));
    let from_flag = generator::Options { config, env_prefix: Some("FLAG_".to_owned()), ..Default::default() };
    assert!(access_rs(&text, from_flag).contains(r#""FLAG_ACCESS_TOKEN""#));
}

#[test]
fn operation_security_overrides_only_where_it_differs() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nsecurity: [{a: []}]\npaths:\n  /same:\n    get:\n      \
                operationId: same\n      security: [{a: []}]\n      responses: {'204': {description: ok}}\n  /open:\n    get:\n      \
                operationId: open\n      security: []\n      responses: {'204': {description: ok}}\n  /either:\n    get:\n      \
                operationId: either\n      security: [{}, {a: []}]\n      responses: {'204': {description: ok}}\n\
                components:\n  securitySchemes: {a: {type: http, scheme: bearer}}\n";
    let (api, _) = lowered(text, &Default::default());
    let security: Vec<_> = api.operations.iter().map(|o| o.security.clone()).collect();
    assert_eq!(security, [None, Some(vec![]), Some(vec![vec![], vec![0]])]);
}

/// The names of the methods of every `impl` of `type_name` in generated source.
fn methods_of(source: &str, type_name: &str) -> Vec<String> {
    let file = syn::parse_file(source).unwrap();
    let mut names = Vec::new();
    for item in file.items {
        let syn::Item::Impl(block) = item else { continue };
        let syn::Type::Path(path) = &*block.self_ty else { continue };
        if path.path.segments.last().is_some_and(|segment| segment.ident == type_name) {
            for item in block.items {
                if let syn::ImplItem::Fn(function) = item {
                    names.push(function.sig.ident.to_string());
                }
            }
        }
    }
    names
}

#[test]
fn every_name_the_client_and_its_builder_take_is_reserved() {
    // A SailPoint host, an experimental operation and every kind of credentials:
    // each method codegen can write on `Client` and `ClientBuilder` is there.
    let text = spec(
        "[{url: 'https://{tenant}.api.identitynow.com/{version}', variables: {tenant: {default: acme}, version: {default: v1}}}]",
        "[{oauth: []}, {basic: []}, {key: []}]",
        "{oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: /oauth/token, scopes: {}}}}, \
         basic: {type: http, scheme: basic}, key: {type: apiKey, in: header, name: X-Key}}",
    )
    .replace("operationId: listThings", "operationId: listThings\n      x-sailpoint-experimental: true");
    let access = access_rs(&text, Default::default());
    let (api, _) = lowered(&text, &Default::default());
    let per_spec: Vec<&str> = api
        .server_variables
        .iter()
        .map(|variable| variable.method.as_str())
        .chain(api.security_schemes.iter().filter_map(|scheme| match &scheme.kind {
            SchemeKind::ApiKey { method, .. } => Some(method.as_str()),
            _ => None,
        }))
        .collect();
    let builder = methods_of(&access, "ClientBuilder");
    for name in ["experimental", "client_credentials", "token_url", "basic_auth", "session", "build"] {
        assert!(builder.contains(&name.to_owned()), "`ClientBuilder::{name}` is not generated: {builder:?}");
    }
    for name in &builder {
        assert!(
            generator::lower::CLIENT_BUILDER_METHODS.contains(&name.as_str()) || per_spec.contains(&name.as_str()),
            "`ClientBuilder::{name}` is not in CLIENT_BUILDER_METHODS"
        );
    }
    let client = methods_of(&access, "Client");
    assert!(client.contains(&"with_session".to_owned()) && client.contains(&"allows_experimental".to_owned()));
    for name in client {
        assert!(generator::lower::CLIENT_METHODS.contains(&name.as_str()), "`Client::{name}` is not in CLIENT_METHODS");
    }
}

#[test]
fn a_server_variable_named_like_a_builder_method_gets_another_name() {
    let text = spec(
        "[{url: 'https://{tokenUrl}.example.com/{session}', variables: {tokenUrl: {default: a}, session: {default: b}}}]",
        "[]",
        "{}",
    );
    let (api, _) = lowered(&text, &Default::default());
    for variable in &api.server_variables {
        assert!(!generator::lower::CLIENT_BUILDER_METHODS.contains(&variable.method.as_str()), "{variable:?}");
    }
}
