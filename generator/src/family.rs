//! A family of crates: one crate per spec (each generated as usual, a
//! member), and what ties them together: the umbrella crate, with a cargo
//! feature per member, whose `Client` reaches every member enabled from one
//! session, and the family's workspace manifest. As pure as the rest of the
//! library: `xtask` generates the members and writes the files.
//!
//! Names are decided once, in [`Family::new`]; the files only write them.

use proc_macro2::TokenStream;
use quote::quote;

use crate::codegen::ident;
use crate::format::{MARKDOWN_HEADER, TOML_HEADER};
use crate::lower::names::{value_name, Scope};
use crate::GeneratedFile;

/// Names the umbrella's `Client` has of its own, which no member's accessor may take.
const UMBRELLA_METHODS: &[&str] = &["with_session", "session", "clone", "fmt"];

/// A member as the caller describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSpec {
    /// The resource it serves, as its spec's folder names it (`access-profiles`).
    pub resource: String,
    /// The member's folder, relative to the family's folder.
    pub folder: String,
    /// Its version.
    pub version: semver::Version,
    /// Its API's title (`info.title`).
    pub title: String,
}

/// A member with the names the family gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// What the caller said of it.
    pub spec: MemberSpec,
    /// Its package name: the family's name, `-`, the resource in kebab case.
    pub crate_name: String,
    /// The umbrella's cargo feature that enables it (the resource in kebab case).
    pub feature: String,
    /// The umbrella's module alias of the crate and its `Client` accessor (snake case).
    pub accessor: String,
}

/// The family: its umbrella's name and version, where the runtime is, and its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// The umbrella crate's package name, also every member's prefix.
    pub name: String,
    /// The umbrella's version.
    pub version: semver::Version,
    /// The runtime crate's folder, relative to the family's folder.
    pub runtime_folder: String,
    /// The members, in the order given (sorted by resource, for a folder).
    pub members: Vec<Member>,
}

/// Why a family cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FamilyError {
    /// Two members would get the same package name or feature.
    #[error("resources `{0}` and `{1}` would both be the crate `{2}`: rename one of their folders")]
    SameCrate(String, String, String),
    /// A member's folder is the umbrella's or the runtime's.
    #[error("resource `{0}` would be written over the {1} in `{2}`: rename its folder")]
    FolderTaken(String, &'static str, String),
    /// A resource name with no letter or digit.
    #[error("resource `{0}` has no letter or digit to name a crate after")]
    Unnamed(String),
}

/// The package name `member_crate_name` gives a resource, and its feature.
fn kebab(resource: &str) -> String {
    heck::ToKebabCase::to_kebab_case(
        resource.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect::<String>().as_str(),
    )
}

/// The package name of the member serving `resource` in the family `name`.
pub fn member_crate_name(name: &str, resource: &str) -> String {
    format!("{name}-{}", kebab(resource))
}

impl Family {
    /// The family `name` with its members named: crates `name-<resource>`,
    /// features `<resource>`, accessors `<resource>` in snake case (a clash
    /// with the umbrella's own methods gets a suffix).
    pub fn new(
        name: &str,
        version: semver::Version,
        runtime_folder: &str,
        members: Vec<MemberSpec>,
    ) -> Result<Self, FamilyError> {
        let mut accessors = Scope::with_reserved(UMBRELLA_METHODS);
        let mut named: Vec<Member> = Vec::new();
        for spec in members {
            let feature = kebab(&spec.resource);
            if feature.is_empty() {
                return Err(FamilyError::Unnamed(spec.resource));
            }
            let crate_name = member_crate_name(name, &spec.resource);
            if let Some(other) = named.iter().find(|member| member.crate_name == crate_name) {
                return Err(FamilyError::SameCrate(other.spec.resource.clone(), spec.resource, crate_name));
            }
            for (taken, what) in [(name, "umbrella crate"), (runtime_folder, "runtime crate")] {
                if spec.folder == taken {
                    return Err(FamilyError::FolderTaken(spec.resource, what, taken.to_owned()));
                }
            }
            let accessor = accessors.claim(value_name(&spec.resource));
            named.push(Member { spec, crate_name, feature, accessor });
        }
        Ok(Self { name: name.to_owned(), version, runtime_folder: runtime_folder.to_owned(), members: named })
    }

    /// The umbrella's folder, relative to the family's folder.
    pub fn umbrella_folder(&self) -> &str {
        &self.name
    }

    /// The family's `Cargo.toml`: a workspace of the runtime, the umbrella and every member.
    pub fn workspace_manifest(&self) -> GeneratedFile {
        let mut members = vec![self.runtime_folder.as_str(), self.umbrella_folder()];
        members.extend(self.members.iter().map(|member| member.spec.folder.as_str()));
        let list: Vec<String> = members.iter().map(|member| format!("  {member:?},\n")).collect();
        let contents = format!("{TOML_HEADER}\n\n[workspace]\nresolver = \"2\"\nmembers = [\n{}]\n", list.concat());
        GeneratedFile { path: "Cargo.toml".to_owned(), contents }
    }

    /// The umbrella crate's files, by path relative to its folder.
    pub fn umbrella_files(&self) -> Vec<GeneratedFile> {
        vec![
            GeneratedFile { path: "Cargo.toml".to_owned(), contents: self.umbrella_manifest() },
            GeneratedFile { path: "README.md".to_owned(), contents: self.umbrella_readme() },
            GeneratedFile { path: "src/lib.rs".to_owned(), contents: crate::format::rust_file(self.umbrella_lib()) },
        ]
    }

    fn umbrella_manifest(&self) -> String {
        let mut out = format!(
            "{TOML_HEADER}\n\n[package]\nname = {name:?}\nversion = \"{version}\"\n\
             description = \"Async Rust clients for {count} APIs, each behind a cargo feature, on one session.\"\n\
             edition = \"2021\"\nlicense = \"MIT\"\npublish = false\n\n[dependencies]\n\
             {runtime} = {{ version = \"{runtime_version}\", path = \"../{runtime_folder}\" }}\n",
            name = self.name,
            version = self.version,
            count = self.members.len(),
            runtime = crate::templates::RUNTIME_CRATE,
            runtime_version = crate::templates::runtime_version(),
            runtime_folder = self.runtime_folder,
        );
        for member in &self.members {
            out.push_str(&format!(
                "{} = {{ version = \"{}\", path = \"../{}\", optional = true }}\n",
                member.crate_name, member.spec.version, member.spec.folder
            ));
        }
        // No API by default: a program enables those it uses, and compiles only them.
        let all: Vec<String> = self.members.iter().map(|member| format!("{:?}", member.feature)).collect();
        out.push_str(&format!("\n[features]\ndefault = []\nfull = [{}]\n", all.join(", ")));
        for member in &self.members {
            out.push_str(&format!("{} = [\"dep:{}\"]\n", member.feature, member.crate_name));
        }
        out
    }

    fn umbrella_readme(&self) -> String {
        let crate_ident = self.name.replace('-', "_");
        let mut out = format!(
            "{MARKDOWN_HEADER}\n\n# `{name}`\n\n\
             Async Rust clients for {count} APIs, one crate each, reached from one [`Client`] \
             on one [`Session`]: one connection pool, one token cache and one pause when the \
             server answers 429, whichever APIs a program uses.\n\n\
             Each API is behind a cargo feature of its own, none on by default (`full` enables \
             all): enable those the program uses, and only they are compiled.\n\n\
             ```toml\n[dependencies]\n{name} = {{ version = \"{version}\", features = [{features}] }}\n```\n\n",
            name = self.name,
            count = self.members.len(),
            version = self.version,
            features = self.members.iter().take(2).map(|m| format!("{:?}", m.feature)).collect::<Vec<_>>().join(", "),
        );
        out.push_str(
            "The session holds what every API shares (the base URL or server variables, the \
             credentials, the retry policy); `Client::with_session` makes every enabled API's \
             client on it, and each is then one method away:\n\n```rust\n",
        );
        out.push_str(&format!(
            "# fn main() -> Result<(), {crate_ident}::Error> {{\n\
             let session = {crate_ident}::Session::builder()\n    \
             .base_url(\"https://tenant.example.com\")\n    \
             .client_credentials(\"client-id\", \"client-secret\")\n    \
             .build()?;\n\
             let client = {crate_ident}::Client::with_session(&session)?;\n"
        ));
        if let Some(first) = self.members.first() {
            out.push_str(&format!(
                "#[cfg(feature = {feature:?})]\nlet _{accessor}: &{crate_ident}::{module}::Client = client.{accessor}();\n",
                feature = first.feature,
                accessor = first.accessor.trim_start_matches("r#"),
                module = first.accessor,
            ));
        }
        out.push_str("# let _ = client;\n# Ok(())\n# }\n```\n\n");
        out.push_str(
            "Each API's crate is also re-exported as a module of its own (its models, builders \
             and errors), and can be used without this one.\n\n\
             | feature | crate | version | API |\n|---|---|---|---|\n",
        );
        for member in &self.members {
            out.push_str(&format!(
                "| `{}` | `{}` | {} | {} |\n",
                member.feature,
                member.crate_name,
                member.spec.version,
                member.spec.title.replace('|', "\\|").replace('\n', " ")
            ));
        }
        out
    }

    fn umbrella_lib(&self) -> TokenStream {
        let runtime = ident(&crate::templates::RUNTIME_CRATE.replace('-', "_"));
        let modules = self.members.iter().map(|member| {
            let (feature, module) = (&member.feature, ident(&member.accessor));
            let krate = ident(&member.crate_name.replace('-', "_"));
            let doc = format!(" The {} (`{}`).", member.spec.title.trim_end_matches('.'), member.crate_name);
            quote! {
                #[doc = #doc]
                #[cfg(feature = #feature)]
                pub use ::#krate as #module;
            }
        });
        let fields = self.members.iter().map(|member| {
            let (feature, name) = (&member.feature, ident(&member.accessor));
            quote! {
                #[cfg(feature = #feature)]
                #name: #name::Client,
            }
        });
        let made = self.members.iter().map(|member| {
            let (feature, name) = (&member.feature, ident(&member.accessor));
            quote! {
                #[cfg(feature = #feature)]
                #name: #name::Client::with_session(session)?,
            }
        });
        let accessors = self.members.iter().map(|member| {
            let (feature, name) = (&member.feature, ident(&member.accessor));
            let doc =
                format!(" The client of the {}, on this client's session.", member.spec.title.trim_end_matches('.'));
            quote! {
                #[doc = #doc]
                #[cfg(feature = #feature)]
                pub fn #name(&self) -> &#name::Client {
                    &self.#name
                }
            }
        });
        quote! {
            #![doc = include_str!("../README.md")]
            #![deny(missing_docs)]

            pub use ::#runtime::{AccessToken, TokenFuture, TokenSource};
            pub use ::#runtime::{ApiError, AuthError, DecodeError, Error, ErrorDetails};
            pub use ::#runtime::{Items, Response, ResponseFuture, RetryPolicy, Session, SessionBuilder};
            pub use ::#runtime::{Stream, StreamExt, TryStreamExt};

            #(#modules)*

            /// Every API whose feature is enabled, on one [`Session`]: their
            /// clients share its connection pool, its token caches and its
            /// pause after a 429. Cheap to clone.
            #[derive(Clone, Debug)]
            pub struct Client {
                session: Session,
                #(#fields)*
            }

            impl Client {
                /// The client of every enabled API on `session`.
                ///
                /// # Errors
                ///
                /// [`Error::Config`] when an API needs what the session lacks:
                /// a base URL (or its server variables), or credentials.
                pub fn with_session(session: &Session) -> ::std::result::Result<Self, Error> {
                    ::std::result::Result::Ok(Self {
                        session: session.clone(),
                        #(#made)*
                    })
                }

                /// The session every API's client is on.
                pub fn session(&self) -> &Session {
                    &self.session
                }

                #(#accessors)*
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(resource: &str) -> MemberSpec {
        MemberSpec {
            resource: resource.to_owned(),
            folder: resource.to_owned(),
            version: semver::Version::new(0, 1, 0),
            title: format!("{resource} API"),
        }
    }

    #[test]
    fn members_are_named_after_their_resource_and_clashes_are_refused() {
        let family = Family::new(
            "acme",
            semver::Version::new(1, 0, 0),
            "rt",
            vec![spec("access-profiles"), spec("session"), spec("type")],
        )
        .unwrap();
        let names: Vec<_> =
            family.members.iter().map(|m| (m.crate_name.as_str(), m.feature.as_str(), m.accessor.as_str())).collect();
        assert_eq!(
            names,
            [
                ("acme-access-profiles", "access-profiles", "access_profiles"),
                ("acme-session", "session", "session2"),
                ("acme-type", "type", "r#type")
            ]
        );
        let clash = Family::new("acme", semver::Version::new(1, 0, 0), "rt", vec![spec("a_b"), spec("a-b")]);
        assert!(matches!(clash, Err(FamilyError::SameCrate(..))), "{clash:?}");
        let over = Family::new("acme", semver::Version::new(1, 0, 0), "rt", vec![spec("acme")]);
        assert!(matches!(over, Err(FamilyError::FolderTaken(..))), "{over:?}");
    }

    #[test]
    fn the_umbrella_has_a_feature_an_optional_dependency_and_an_accessor_per_member() {
        let family =
            Family::new("acme", semver::Version::new(0, 2, 0), "rt", vec![spec("widgets"), spec("type")]).unwrap();
        let files = family.umbrella_files();
        let manifest = &files[0].contents;
        assert!(manifest.contains("acme-widgets = { version = \"0.1.0\", path = \"../widgets\", optional = true }"));
        assert!(manifest.contains("widgets = [\"dep:acme-widgets\"]") && manifest.contains("default = []"));
        assert!(manifest.contains("full = [\"widgets\", \"type\"]"), "{manifest}");
        let lib = &files[2].contents;
        assert!(lib.contains("pub use ::acme_type as r#type;"), "{lib}");
        assert!(lib.contains("pub fn widgets(&self) -> &widgets::Client"), "{lib}");
        let workspace = family.workspace_manifest().contents;
        assert!(workspace.contains("\"rt\",\n  \"acme\",\n  \"widgets\",\n  \"type\",\n"), "{workspace}");
    }
}
