//! Rust names for spec names: case conversion with `heck`, keyword escaping,
//! and deterministic de-duplication.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves (strict, reserved and edition-2024 keywords).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Only ASCII letters, digits and `_` survive; other characters split words.
fn ascii_words(raw: &str) -> String {
    raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// A type or variant name: `UpperCamelCase`, never empty, never starting with a digit.
pub fn type_name(raw: &str) -> String {
    let name = ascii_words(raw).to_upper_camel_case();
    let name = match name.chars().next() {
        None => "Unnamed".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("Value{name}"),
        Some(_) => name,
    };
    escape(name)
}

/// A field, method or module name: `snake_case`, keyword-escaped as `r#type`.
pub fn value_name(raw: &str) -> String {
    let name = ascii_words(raw).to_snake_case();
    let name = match name.chars().next() {
        None => "value".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("value_{name}"),
        Some(_) => name,
    };
    escape(name)
}

/// Hands out names unique within one scope; a clash gets the next free
/// numeric suffix, in the order names are asked for.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self { taken: reserved.iter().map(|name| (*name).to_owned()).collect() }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Takes `name`, or `name2`, `name3`... if it is taken.
    pub fn claim(&mut self, name: String) -> String {
        self.claim_where(name, |_| true)
    }

    /// Takes a field name and its clearing setter `set_{name}` together, so
    /// neither can clash with another input's name or setter.
    pub fn claim_with_setter(&mut self, name: String) -> (String, String) {
        let setter = |candidate: &str| format!("set_{}", candidate.trim_start_matches("r#"));
        let taken = self.taken.clone();
        let name = self.claim_where(name, |candidate| !taken.contains(&setter(candidate)));
        let setter = setter(&name);
        self.taken.insert(setter.clone());
        (name, setter)
    }

    /// The field name of a builder input, and its clearing setter when the
    /// input is optional.
    pub fn claim_input(&mut self, name: String, required: bool) -> (String, Option<String>) {
        if required {
            (self.claim(name), None)
        } else {
            let (name, setter) = self.claim_with_setter(name);
            (name, Some(setter))
        }
    }

    /// Takes the first of `name`, `name2`, ... that is free and `fits`.
    fn claim_where(&mut self, name: String, fits: impl Fn(&str) -> bool) -> String {
        if fits(&name) && self.taken.insert(name.clone()) {
            return name;
        }
        // `r#type` continues as `type2`, `self_` as `self2`: both are plain names.
        let stem = name.strip_prefix("r#").unwrap_or_else(|| name.trim_end_matches('_'));
        (2..)
            .map(|n| format!("{stem}{n}"))
            .find(|candidate| fits(candidate) && self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_and_escapes() {
        assert_eq!(value_name("getConnectorList"), "get_connector_list");
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("_type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("move"), "r#move");
        assert_eq!(value_name("3rdParty"), "value_3rd_party");
        assert_eq!(type_name("zh-TW"), "ZhTw");
        assert_eq!(type_name("V3ConnectorDto"), "V3ConnectorDto");
        assert_eq!(type_name("400"), "Value400");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name(""), "Unnamed");
    }

    #[test]
    fn clashes_get_stable_suffixes() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim(value_name("type")), "r#type");
        assert_eq!(scope.claim(value_name("_type")), "type2");
        assert_eq!(scope.claim("status".into()), "status");
        assert_eq!(scope.claim("status".into()), "status2");
    }

    #[test]
    fn a_field_and_its_setter_are_claimed_together() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("set_x".into()), "set_x");
        assert_eq!(scope.claim_with_setter("x".into()), ("x2".to_owned(), "set_x2".to_owned()));
        assert!(scope.contains("set_x2"));
        assert_eq!(scope.claim("set_y".into()), "set_y");
        assert_eq!(scope.claim_input("r#type".into(), false), ("r#type".to_owned(), Some("set_type".to_owned())));
        assert_eq!(scope.claim_input("y".into(), true), ("y".to_owned(), None));
        assert_eq!(scope.claim("set_type".into()), "set_type2");
    }
}
