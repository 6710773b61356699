//! The generator config: a small YAML file a maintainer checks in beside
//! the spec (`generator.yaml` next to its root file) for what the spec
//! cannot say. Every key is optional:
//!
//! ```yaml
//! # The generated crate's version; `cargo xtask generate --bump` advances it.
//! version: 0.1.0
//! # The environment variables' prefix, instead of the derived one.
//! env-prefix: ACME_
//! # Paging per operationId: declared where detection cannot see it, or vetoed.
//! paging:
//!   listWidgets:
//!     style: cursor          # limit-offset | page-number | cursor | search-after | none
//!     token: pageToken       # cursor: the query parameter carrying the token
//!     next-url: links.next   # or next-token: <field path>, or next-link: true (Link header)
//!     items: widgets         # the array field, when the body is an object
//!   listGadgets:
//!     style: page-number
//!     page: p
//!     size: n
//!     first: 1
//!   findDocuments:
//!     style: search-after    # each page starts after the last item's sort values
//!     sort: sort             # the body's array of sort keys
//!     after: searchAfter     # the body's array of values a page starts after
//!     tiebreak: id           # the item field unique to each item, the sort's last key
//!     limit: limit           # optional: the page size query parameter
//!   searchThings:
//!     style: none            # detected, but not really paged: no items()
//! ```

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Kind, Location, SpecErrors};

/// The file's name, beside the spec's root file.
pub const FILE_NAME: &str = "generator.yaml";

/// What the generator config says.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// The generated crate's version (0.1.0 when not set).
    pub version: Option<semver::Version>,
    /// Prefix of the environment variables the crate reads.
    pub env_prefix: Option<String>,
    /// Paging rules by `operationId`.
    #[serde(default)]
    pub paging: BTreeMap<String, PagingRule>,
}

/// How one operation pages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(tag = "style", rename_all = "kebab-case", deny_unknown_fields)]
pub enum PagingRule {
    /// No `items()`, whatever detection finds.
    None,
    /// `limit` and `offset` query parameters, by wire name.
    #[serde(rename_all = "kebab-case")]
    LimitOffset {
        /// The page size parameter.
        limit: String,
        /// The offset parameter.
        offset: String,
        /// The array field of the body object holding the items.
        items: Option<String>,
    },
    /// A page number and size.
    #[serde(rename_all = "kebab-case")]
    PageNumber {
        /// The page number parameter.
        page: String,
        /// The page size parameter.
        size: String,
        /// The first page's number.
        first: u64,
        /// The array field of the body object holding the items.
        items: Option<String>,
    },
    /// A token parameter set from each response.
    #[serde(rename_all = "kebab-case")]
    Cursor {
        /// The token parameter.
        token: String,
        /// Dotted path of the body field holding the next token.
        next_token: Option<String>,
        /// Dotted path of the body field holding the next page's URL.
        next_url: Option<String>,
        /// The next page's URL is the `Link` header's `rel="next"`.
        #[serde(default)]
        next_link: bool,
        /// The array field of the body object holding the items.
        items: Option<String>,
    },
    /// Fields of the JSON request body, by wire name: each page is sorted
    /// by `sort` (the caller's keys, then `tiebreak`) and starts after the
    /// sort values of the one before's last item, sent in `after`.
    #[serde(rename_all = "kebab-case")]
    SearchAfter {
        /// The body's array of sort keys.
        sort: String,
        /// The body's array of the values a page starts after.
        after: String,
        /// The item field unique to each item, which ends the sort.
        tiebreak: String,
        /// The page size query parameter, if the operation takes one.
        limit: Option<String>,
        /// The array field of the body object holding the items.
        items: Option<String>,
    },
}

impl Config {
    /// The crate's version.
    pub fn version(&self) -> semver::Version {
        self.version.clone().unwrap_or(semver::Version::new(0, 1, 0))
    }

    /// Parses the config file's text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self, SpecErrors> {
        serde_yaml::from_str(text).map_err(|error| {
            let location = Location { file: file.to_owned(), pointer: String::new() };
            SpecErrors(vec![Diagnostic::new(Kind::Fatal, location, format!("not a valid generator config: {error}"))])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_parses_and_mistakes_are_errors() {
        let text = "version: 0.3.1\nenv-prefix: ACME_\npaging:\n  a: {style: none}\n  b: {style: cursor, token: t, next-url: meta.next}\n  \
                    c: {style: page-number, page: p, size: n, first: 1}\n  d: {style: limit-offset, limit: l, offset: o, items: rows}\n  \
                    e: {style: search-after, sort: sort, after: searchAfter, tiebreak: id, limit: limit}\n  \
                    f: {style: search-after, sort: order, after: after, tiebreak: key}\n";
        let config = Config::parse("generator.yaml", text).unwrap();
        assert_eq!(config.env_prefix.as_deref(), Some("ACME_"));
        assert_eq!(config.version, Some(semver::Version::new(0, 3, 1)));
        assert_eq!(config.paging["a"], PagingRule::None);
        assert!(matches!(&config.paging["b"], PagingRule::Cursor { next_url: Some(url), .. } if url == "meta.next"));
        assert!(matches!(config.paging["c"], PagingRule::PageNumber { first: 1, .. }));
        assert_eq!(
            config.paging["e"],
            PagingRule::SearchAfter {
                sort: "sort".to_owned(),
                after: "searchAfter".to_owned(),
                tiebreak: "id".to_owned(),
                limit: Some("limit".to_owned()),
                items: None,
            }
        );
        assert!(
            matches!(&config.paging["f"], PagingRule::SearchAfter { limit: None, tiebreak, .. } if tiebreak == "key")
        );
        for wrong in [
            "paging:\n  a: {style: pages}\n",
            "pagin: {}\n",
            "paging:\n  a: {style: cursor, token: t, nxt: x}\n",
            "paging:\n  a: {style: search-after, sort: sort, after: searchAfter}\n",
            "paging:\n  a: {style: search-after, sort: s, after: a, tiebreak: id, offset: o}\n",
        ] {
            let error = Config::parse("generator.yaml", wrong).unwrap_err().to_string();
            assert!(error.contains("generator.yaml") && error.contains("not a valid generator config"), "{error}");
        }
    }
}
