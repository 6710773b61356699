//! Documentation: doc attributes from spec text, and the crate README.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, ApiKeyLocation, PageStyle, ResponseContent, SchemeKind, TokenUrl};

/// `#[doc]` attributes for a block of Markdown, one per line. List items'
/// continuation lines are indented so rustdoc and clippy read them as such.
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = markdown_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc]` attributes (module docs) for a block of Markdown.
pub(crate) fn inner_doc(text: &str) -> TokenStream {
    let lines = markdown_lines(text);
    quote! { #( #![doc = #lines] )* }
}

/// Joins several optional paragraphs into one doc block.
pub(crate) fn doc_paragraphs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let text: Vec<&str> = paragraphs.into_iter().flatten().map(str::trim).filter(|p| !p.is_empty()).collect();
    doc(&text.join("\n\n"))
}

/// Normalises spec Markdown for rustdoc and clippy: lines are trimmed; the
/// lazy continuation lines of a list item or quote are joined onto it (same
/// rendering, no indentation rules to get wrong); fenced code without a
/// language is marked `text`, so rustdoc does not compile it as Rust.
fn markdown_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut in_block = false;
    let mut in_fence = false;
    let mut previous_blank = true;
    // Tabs anywhere, as clippy's `tabs_in_doc_comments` asks: four spaces
    // each; a carriage return alone (which rustc refuses in a doc comment)
    // ends a line, as one before a line feed already does.
    let text = text.replace('\t', "    ").replace("\r\n", "\n").replace('\r', "\n");
    for raw in text.trim().lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = if !in_fence && trimmed.trim_start_matches(['`', '~']).trim().is_empty() {
                format!(" {trimmed}text")
            } else {
                format!(" {trimmed}")
            };
            lines.push(fence);
            in_fence = !in_fence;
            in_block = false;
            previous_blank = false;
            continue;
        }
        if in_fence {
            lines.push(format!(" {}", raw.trim_end()));
            continue;
        }
        if trimmed.is_empty() {
            if !previous_blank {
                lines.push(String::new());
            }
            in_block = false;
            previous_blank = true;
            continue;
        }
        let starts_block = trimmed.starts_with("- ")
            || trimmed.starts_with("* ")
            || trimmed.starts_with("+ ")
            || trimmed.starts_with('>')
            || starts_numbered(trimmed);
        match lines.last_mut() {
            Some(last) if in_block && !starts_block => {
                last.push(' ');
                last.push_str(trimmed);
            }
            _ => lines.push(format!(" {trimmed}")),
        }
        in_block = starts_block || in_block;
        previous_blank = false;
    }
    if in_fence {
        lines.push(" ```".to_owned());
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// `1. ` or `1) `: CommonMark's ordered list markers (up to nine digits).
fn starts_numbered(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (1..=9).contains(&digits) && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// The crate README: the hand-written guide, then a generated table of operations.
pub(crate) fn readme(
    api: &Api,
    crate_name: &str,
    methods: &super::Methods<'_>,
    examples: &[super::ShippedExample<'_>],
) -> String {
    let mut out = format!("{}\n\n", crate::format::MARKDOWN_HEADER);
    let sections = |name: &str| guide_section(api, name);
    let skeleton =
        guide(crate::templates::README_SKELETON, crate_name, &api.title, |needs| methods.has_all(needs), &sections);
    let skeleton = with_variable_names(&skeleton, api);
    out.push_str(skeleton.trim_end());
    if !examples.is_empty() {
        out.push_str(
            "\n\n## Examples\n\nPrograms in `examples/`, configured like `Client::from_env()`; \
             `--help` lists their options.\n\n",
        );
        for (example, _) in examples {
            out.push_str(&format!(
                "- `cargo run -p {crate_name} --example {}`: {}\n",
                example.name,
                example.summary().trim_end_matches('.')
            ));
        }
        out.truncate(out.trim_end().len());
    }
    out.push_str("\n\n## Operations\n\n");
    out.push_str("| Method | HTTP request | Returns | Summary |\n|---|---|---|---|\n");
    for operation in &api.operations {
        let returns = match &operation.success.content {
            ResponseContent::Empty => "nothing".to_owned(),
            ResponseContent::Json { .. } => "JSON".to_owned(),
            ResponseContent::Text { media_type } => format!("`{media_type}` text"),
            ResponseContent::Binary { media_types } => format!("`{}` bytes", media_types.join("`, `")),
            ResponseContent::ByStatus { name, .. } => format!("`{name}`, by status"),
        };
        // A table cell is one line: a summary's line breaks would end the table.
        let summary = operation.summary.as_deref().unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
        let summary = summary.replace('|', "\\|");
        out.push_str(&format!(
            "| `{}` | `{} {}` | {returns} | {summary} |\n",
            operation.method_name.trim_start_matches("r#"),
            operation.http_method,
            operation.path
        ));
    }
    out
}

/// The guide's `SAIL_*` variable names as this crate's.
fn with_variable_names(text: &str, api: &Api) -> String {
    let prefix = &api.settings.env_prefix;
    let mut text = text.replace("SAIL_BASE_URL", &format!("{prefix}{}", api.settings.base_url_var));
    for name in ["CLIENT_ID", "CLIENT_SECRET", "ACCESS_TOKEN"] {
        text = text.replace(&format!("SAIL_{name}"), &format!("{prefix}{name}"));
    }
    text
}

/// A `<!-- generated: NAME -->` section of the guide, written from the spec.
fn guide_section(api: &Api, name: &str) -> String {
    let prefix = &api.settings.env_prefix;
    let credentials = api.credentials();
    match name {
        "environment" => {
            let mut lines = vec![format!("   - `{prefix}{}`: the base URL;", api.settings.base_url_var)];
            if credentials.client_credentials {
                lines.push(format!("   - `{prefix}CLIENT_ID` and `{prefix}CLIENT_SECRET`: OAuth2 client credentials;"));
            }
            if credentials.token {
                lines.push(format!("   - `{prefix}ACCESS_TOKEN`: a bearer token obtained elsewhere;"));
            }
            if credentials.basic {
                lines.push(format!("   - `{prefix}USERNAME` and `{prefix}PASSWORD`: HTTP basic credentials;"));
            }
            for scheme in &api.security_schemes {
                if let SchemeKind::ApiKey { method, .. } = &scheme.kind {
                    let variable = heck::ToShoutySnakeCase::to_shouty_snake_case(method.trim_start_matches("r#"));
                    lines.push(format!("   - `{prefix}{variable}`: the `{}` API key;", scheme.name));
                }
            }
            if let Some(last) = lines.last_mut() {
                last.pop();
                last.push('.');
            }
            lines.join("\n")
        }
        "server" => {
            let Some(url) = api.server_url.as_deref().filter(|url| url.contains("://")) else {
                return "The spec names no server: set the base URL.".to_owned();
            };
            let path = if api.base_path.is_empty() {
                String::new()
            } else {
                format!("\nThe API's path (`{}`) is added to a base URL unless it already ends with it.", api.base_path)
            };
            if api.server_variables.is_empty() {
                return format!("Without a base URL, the client uses the spec's server,\n`{url}`.{path}");
            }
            let setters: Vec<String> = api
                .server_variables
                .iter()
                .map(|variable| {
                    format!("`{}(..)` (default `{}`)", variable.method.trim_start_matches("r#"), variable.default)
                })
                .collect();
            format!(
                "Without a base URL, the client uses the spec's server,\n`{url}`,\n\
                 once one of its variables is set: {}.\nA variable not set takes its default.{path}",
                setters.join(", ")
            )
        }
        "token-url" => {
            let url = api.security_schemes.iter().find_map(|scheme| match &scheme.kind {
                SchemeKind::ClientCredentials { token_url: TokenUrl::OnApiHost(path) } => {
                    Some(format!("`{{host}}{path}`, on the API's own host"))
                }
                SchemeKind::ClientCredentials { token_url: TokenUrl::Fixed(url) } => Some(format!("`{url}`")),
                _ => None,
            });
            format!("  The token endpoint is {};\n  `token_url(..)` sets another.", url.unwrap_or_default())
        }
        "api-keys" => {
            let lines: Vec<String> = api
                .security_schemes
                .iter()
                .filter_map(|scheme| match &scheme.kind {
                    SchemeKind::ApiKey { location, param, method } => {
                        let place = match location {
                            ApiKeyLocation::Header => format!("the `{param}` header"),
                            ApiKeyLocation::Query => {
                                format!("the `{param}` query parameter (the spec puts it in the URL)")
                            }
                            ApiKeyLocation::Cookie => format!("the `{param}` cookie"),
                        };
                        Some(format!("  - `{}(..)`: sent in {place};", method.trim_start_matches("r#")))
                    }
                    _ => None,
                })
                .collect();
            lines.join("\n")
        }
        "paging" => {
            let mut counts = [0usize; 4];
            for pagination in api.operations.iter().filter_map(|operation| operation.pagination.as_ref()) {
                counts[match pagination.style {
                    PageStyle::LimitOffset { .. } => 0,
                    PageStyle::PageNumber { .. } => 1,
                    PageStyle::Cursor { .. } => 2,
                    PageStyle::SearchAfter { .. } => 3,
                }] += 1;
            }
            let styles: Vec<String> = [
                "by `limit` and `offset`",
                "by page number and size",
                "by a page token each response names",
                "by search-after, from the sort values each page ends on",
            ]
            .iter()
            .zip(counts)
            .filter(|(_, count)| *count > 0)
            .map(|(style, count)| format!("{style} ({count})"))
            .collect();
            let total: usize = counts.iter().sum();
            let operations =
                if total == 1 { "1 list operation has".to_owned() } else { format!("{total} list operations have") };
            format!("{operations} `items()`, paging {}.", styles.join(", "))
        }
        other => panic!("the guide template names an unknown section `{other}`"),
    }
}

/// The hand-written guide for one crate: its leading comment (about the
/// template itself) dropped, the Connectors crate's name and API title
/// replaced by this crate's, and each `<!-- when: NEEDS -->` block kept only
/// if `has` says the spec has all of NEEDS, its `<!-- otherwise -->` part
/// kept instead if not; a `<!-- generated: NAME -->` line is replaced by
/// `section(NAME)`. Blocks do not nest; each ends with `<!-- end -->`.
pub(crate) fn guide(
    template: &str,
    crate_name: &str,
    title: &str,
    has: impl Fn(&[&str]) -> bool,
    section: &dyn Fn(&str) -> String,
) -> String {
    let template = match template.trim_start().strip_prefix("<!--") {
        Some(rest) => rest.split_once("-->").map_or(rest, |(_, after)| after),
        None => template,
    };
    let text = crate::templates::for_crate(template, crate_name)
        .replace(crate::templates::SKELETON_TITLE, title.trim_end_matches('.'));
    let mut out = String::new();
    // Inside a block: whether its condition held, and whether we are past `otherwise`.
    let mut block: Option<(bool, bool)> = None;
    for line in text.lines() {
        let marker = line.trim().strip_prefix("<!--").and_then(|rest| rest.strip_suffix("-->")).map(str::trim);
        // The template is compiled in: a malformed block is a generator bug.
        match (marker, block) {
            (Some(marker), None) if marker.starts_with("when:") => {
                block = Some((has(&split_needs(&marker["when:".len()..])), false));
            }
            (Some("otherwise"), Some((chosen, false))) => block = Some((chosen, true)),
            (Some("end"), Some(_)) => block = None,
            (Some(marker), _) if marker.starts_with("when:") || marker == "otherwise" || marker == "end" => {
                panic!("the guide template has a misplaced `<!-- {marker} -->`")
            }
            (_, Some((chosen, otherwise))) if chosen == otherwise => {}
            (Some(marker), _) if marker.starts_with("generated:") => {
                let text = section(marker["generated:".len()..].trim());
                if !text.is_empty() {
                    out.push_str(&text);
                    out.push('\n');
                }
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    assert!(block.is_none(), "the guide template has a `when:` block without `<!-- end -->`");
    out.trim_start().to_owned()
}

/// `a() b(x, y) C` as `["a()", "b(x, y)", "C"]`: split at blanks outside parentheses.
fn split_needs(list: &str) -> Vec<&str> {
    let mut needs = Vec::new();
    let (mut depth, mut start) = (0usize, None);
    for (at, c) in list.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() && depth == 0 => {
                if let Some(from) = start.take() {
                    needs.push(&list[from..at]);
                }
                continue;
            }
            _ => {}
        }
        start.get_or_insert(at);
    }
    needs.extend(start.map(|from| &list[from..]));
    needs
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "<!-- about the template -->\n# sailpoint-connectors\n\n\
        A client for the SailPoint Identity Security Cloud v2024 Connectors API.\n\
        <!-- when: get_connector(script_name) Locale -->\nuse sailpoint_connectors::Locale;\n\
        <!-- otherwise -->\ngeneric\n<!-- end -->\nafter\n<!-- generated: list -->\n";

    #[test]
    fn guide_keeps_the_blocks_the_spec_can_compile() {
        let with = guide(
            TEMPLATE,
            "acme-client",
            "Acme API.",
            |needs| {
                assert_eq!(needs, ["get_connector(script_name)", "Locale"]);
                true
            },
            &|name| format!("[{name}]"),
        );
        assert_eq!(with, "# acme-client\n\nA client for the Acme API.\nuse acme_client::Locale;\nafter\n[list]\n");
        let without = guide(TEMPLATE, "acme-client", "Acme API", |_| false, &|name| format!("[{name}]"));
        assert_eq!(without, "# acme-client\n\nA client for the Acme API.\ngeneric\nafter\n[list]\n");
    }

    #[test]
    #[should_panic(expected = "without `<!-- end -->`")]
    fn an_unclosed_block_is_a_generator_bug() {
        guide("intro\n<!-- when: a() -->\nlost\n", "c", "t", |_| false, &|_| String::new());
    }

    #[test]
    #[should_panic(expected = "misplaced `<!-- otherwise -->`")]
    fn an_otherwise_outside_a_block_is_a_generator_bug() {
        guide("text\n<!-- otherwise -->\n", "c", "t", |_| true, &|_| String::new());
    }

    #[test]
    fn list_items_of_either_marker_keep_their_lazy_lines() {
        let text = "Steps:\n1) open the form\nand pick a file\n2. send it\n- done\nreally\n\nAfter.";
        let lines = markdown_lines(text);
        let expected = [" Steps:", " 1) open the form and pick a file", " 2. send it", " - done really", "", " After."];
        assert_eq!(lines, expected);
    }

    #[test]
    fn needs_split_outside_parentheses() {
        assert_eq!(split_needs(" a() b(x, y)  C "), ["a()", "b(x, y)", "C"]);
        assert!(split_needs("  ").is_empty());
    }
}
