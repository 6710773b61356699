//! Where a problem is, and what it is.
//!
//! Every stage reports bad input as a [`Diagnostic`] that names the spec file
//! and the RFC 6901 JSON pointer of the offending node. Stages collect all the
//! diagnostics they can before giving up, so one run shows every problem.

use std::fmt;

/// A position in the input: a spec file and a JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file as the spec source displays it (e.g. `spec/paths/connector.yaml`).
    pub file: String,
    /// RFC 6901 pointer into that file; empty for the whole document.
    pub pointer: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.file, self.pointer)
    }
}

/// What a diagnostic means for the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Generation cannot go on: a file that cannot be read, text that is not
    /// YAML or JSON, a document that is not OpenAPI 3.0.
    Fatal,
    /// The spec breaks a rule whose intent is clear, and was repaired.
    Repaired,
    /// A construct is typed or sent more loosely than the spec says (as any
    /// JSON value, as a plain string).
    Loosened,
    /// A name the spec does not give, or gives twice, was made up or told apart.
    Named,
    /// A part of the spec that cannot be used was dropped (a broken
    /// reference, an invalid node); the rest of the spec is kept.
    Dropped,
    /// An operation left out of the client.
    LeftOut,
}

impl Kind {
    /// A short label for listings (`repaired`, `left out`).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Fatal => "error",
            Kind::Repaired => "repaired",
            Kind::Loosened => "loosened",
            Kind::Named => "named",
            Kind::Dropped => "dropped",
            Kind::LeftOut => "left out",
        }
    }
}

/// One problem found in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What it means for the output.
    pub kind: Kind,
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic of `kind` at `location`.
    pub fn new(kind: Kind, location: Location, message: impl Into<String>) -> Self {
        Self { kind, location, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every problem a stage found; the stage did not produce output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SpecErrors(pub Vec<Diagnostic>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        writeln!(f, "the spec has {count} error{}:", if count == 1 { "" } else { "s" })?;
        for diagnostic in &self.0 {
            writeln!(f, "  {diagnostic}")?;
        }
        Ok(())
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub fn push_pointer(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

/// Splits a JSON pointer into its unescaped reference tokens.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer.trim_start_matches('/').split('/').map(unescape_token).collect()
}

/// One reference token of a JSON pointer, unescaped (RFC 6901: `~1` is
/// `/`, then `~0` is `~`).
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
