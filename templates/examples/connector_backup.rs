//! Backs up a connector's configuration to a folder, restores it, and compares the two.
//!
//! ```text
//! cargo run -p sailpoint-connectors --example connector_backup -- export SCRIPT_NAME DIR [--locale LOCALE]...
//! cargo run -p sailpoint-connectors --example connector_backup -- import SCRIPT_NAME DIR [--force]
//! cargo run -p sailpoint-connectors --example connector_backup -- diff SCRIPT_NAME DIR [--locale LOCALE]...
//! ```
//!
//! The tenant and credentials come from `SAIL_BASE_URL` with `SAIL_CLIENT_ID`
//! and `SAIL_CLIENT_SECRET` (or `SAIL_ACCESS_TOKEN`), or from the SailPoint
//! CLI's `~/.sailpoint/config.yaml`.
//!
//! A backup folder holds:
//!
//! | File | Contents | Restored by `import` |
//! |---|---|---|
//! | `connector.json` | the connector's detail, as JSON | no: kept for the record and for `diff` |
//! | `source-config.xml` | the source configuration, byte for byte as served | yes |
//! | `source-template.xml` | the source template, byte for byte as served | yes |
//! | `correlation-config.xml` | the correlation configuration, byte for byte as served | yes |
//! | `translations/LOCALE.properties` | the translations of one locale | yes |
//!
//! `connector.json` is the detail as this client reads it: properties the API
//! description does not declare are not kept. The other files must be UTF-8,
//! as the API serves them.
//!
//! `export` saves the translations of every locale the connector's detail
//! lists, plus those named with `--locale`. It downloads everything before it
//! writes anything, so a failed download leaves the folder as it was; each
//! file is then written to a temporary file and renamed, so no file is ever
//! half written. Files of the tenant's that are gone (a configuration, a
//! locale) are removed from the folder, so that `import` cannot restore them.
//!
//! `import` refuses a folder whose `connector.json` names another connector
//! (unless `--force`), reads every file before the first upload, then uploads
//! them one at a time and prints the status the tenant reports for each. It
//! stops at the first failure and says which files went through before it
//! and which were not attempted.
//!
//! `diff` compares the folder with the tenant and changes nothing.
//!
//! Progress lines are best effort: a closed output (`| head`) never stops an
//! export or an import part way.
//!
//! Exit status: 0 on success (for `diff`: nothing differs), 1 when `diff`
//! finds differences, 2 on any failure, which is printed to standard error.

use std::collections::BTreeSet;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sailpoint_connectors::{Client, Error, FilePart, UpdateDetail, UpdateDetailStatus};

/// Backs up, restores and compares a connector's configuration.
#[derive(Debug, Parser)]
#[command(about = "Backs up, restores and compares a SailPoint connector's configuration.")]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The three things the tool does.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Writes the connector's detail, configuration and translations into DIR.
    Export {
        /// The connector's script name.
        script_name: String,
        /// The backup folder; created when missing.
        dir: PathBuf,
        /// Also save this locale's translations (repeatable).
        #[arg(long = "locale", value_parser = parse_locale)]
        locales: Vec<String>,
    },
    /// Uploads the configuration and translations found in DIR to the connector.
    Import {
        /// The connector's script name.
        script_name: String,
        /// The backup folder.
        dir: PathBuf,
        /// Import even when DIR's connector.json names another connector.
        #[arg(long)]
        force: bool,
    },
    /// Shows what differs between DIR and the tenant, changing nothing.
    Diff {
        /// The connector's script name.
        script_name: String,
        /// The backup folder.
        dir: PathBuf,
        /// Also compare this locale's translations (repeatable).
        #[arg(long = "locale", value_parser = parse_locale)]
        locales: Vec<String>,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = tokio::runtime::Runtime::new().expect("a Tokio runtime starts");
    let result = runtime.block_on(async {
        let client = Client::from_env().map_err(|source| Failure::Api { file: "configuration".into(), source })?;
        run(&client, &args.command, &mut std::io::stdout().lock()).await
    });
    if let Err(failure) = &result {
        eprintln!("connector_backup: {failure}");
    }
    exit_code(&result)
}

/// The exit status for how a run ended: 0 done, 1 `diff` found differences, 2 failed.
pub fn exit_code(result: &Result<Outcome, Failure>) -> ExitCode {
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Differences(_)) => ExitCode::from(1),
        Err(_) => ExitCode::from(2),
    }
}

/// How a run that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was done; for `diff`, nothing differs.
    Done,
    /// `diff` found this many files that differ.
    Differences(usize),
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The tenant or the client failed on one file.
    #[error("{file}: {source}")]
    Api {
        /// The file being read or written on the tenant.
        file: String,
        /// What went wrong.
        source: Error,
    },
    /// The tenant answered an upload with status `ERROR`.
    #[error("{file}: the tenant did not apply it: {message}")]
    Rejected {
        /// The file uploaded.
        file: String,
        /// The tenant's explanation.
        message: String,
    },
    /// A local file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The progress or the report could not be written.
    #[error("cannot write the report: {0}")]
    Output(#[from] std::io::Error),
    /// The folder is the backup of another connector.
    #[error("{} holds a backup of `{owner}`, not of `{script_name}`; pass --force to import it anyway", dir.display())]
    OtherConnector {
        /// The backup folder.
        dir: PathBuf,
        /// The connector its `connector.json` names.
        owner: String,
        /// The connector the import was for.
        script_name: String,
    },
    /// The folder holds nothing `import` can upload.
    #[error("{} holds no connector files to upload", .0.display())]
    NothingToImport(PathBuf),
    /// An import stopped part way.
    #[error(
        "import stopped at {failed}: {reason}\n  uploaded before it: {}\n  not attempted: {}",
        list(uploaded),
        list(not_attempted)
    )]
    Import {
        /// The file that failed.
        failed: String,
        /// Why it failed.
        reason: Box<Failure>,
        /// The files that went through before it, in order.
        uploaded: Vec<String>,
        /// The files after it, which were not sent.
        not_attempted: Vec<String>,
    },
}

fn list(files: &[String]) -> String {
    if files.is_empty() {
        "none".to_owned()
    } else {
        files.join(", ")
    }
}

/// One file of a backup.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Artifact {
    /// `connector.json`.
    Detail,
    /// `source-config.xml`.
    SourceConfig,
    /// `source-template.xml`.
    SourceTemplate,
    /// `correlation-config.xml`.
    CorrelationConfig,
    /// `translations/LOCALE.properties`.
    Translations(String),
}

impl fmt::Display for Artifact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Detail => f.write_str("connector.json"),
            Self::SourceConfig => f.write_str("source-config.xml"),
            Self::SourceTemplate => f.write_str("source-template.xml"),
            Self::CorrelationConfig => f.write_str("correlation-config.xml"),
            Self::Translations(locale) => write!(f, "translations/{locale}.properties"),
        }
    }
}

impl Artifact {
    /// The three XML documents, in the order they are restored.
    const XML: [Artifact; 3] = [Artifact::SourceConfig, Artifact::SourceTemplate, Artifact::CorrelationConfig];

    /// Where the file sits in the backup folder.
    pub fn path_in(&self, dir: &Path) -> PathBuf {
        match self {
            Self::Translations(locale) => dir.join("translations").join(format!("{locale}.properties")),
            other => dir.join(other.to_string()),
        }
    }

    /// The file as the tenant serves it, or `None` when the tenant has none.
    async fn download(&self, client: &Client, script_name: &str) -> Result<Option<Vec<u8>>, Failure> {
        let result = match self {
            Self::Detail => return detail(client, script_name).await.map(|(json, _)| Some(json)),
            Self::SourceConfig => client.get_connector_source_config(script_name).send().await.map(text_bytes),
            Self::SourceTemplate => client.get_connector_source_template(script_name).send().await.map(text_bytes),
            Self::CorrelationConfig => {
                client.get_connector_correlation_config(script_name).send().await.map(text_bytes)
            }
            Self::Translations(locale) => {
                client.get_connector_translations(script_name, locale.as_str().into()).send().await.map(text_bytes)
            }
        };
        match result {
            Ok(bytes) => Ok(Some(bytes)),
            // The connector itself must exist; any one of its files may not.
            Err(error) if error.is_not_found() && *self != Self::Detail => Ok(None),
            Err(source) => Err(Failure::Api { file: self.to_string(), source }),
        }
    }

    /// Uploads `bytes` as this file. The API has no upload for the detail.
    async fn upload(&self, client: &Client, script_name: &str, bytes: Vec<u8>) -> Result<UpdateDetail, Failure> {
        let file_name = self.path_in(Path::new("")).file_name().map(|name| name.to_string_lossy().into_owned());
        let part = FilePart::from_bytes(bytes).file_name(file_name.unwrap_or_default());
        let xml = part.clone().content_type("application/xml");
        let result = match self {
            Self::Detail => {
                let message = "the API has no upload for a connector's detail".to_owned();
                return Err(Failure::Rejected { file: self.to_string(), message });
            }
            Self::SourceConfig => client.put_connector_source_config(script_name, xml).send().await,
            Self::SourceTemplate => client.put_connector_source_template(script_name, xml).send().await,
            Self::CorrelationConfig => client.put_connector_correlation_config(script_name, xml).send().await,
            Self::Translations(locale) => {
                let part = part.content_type("text/plain; charset=utf-8");
                client.put_connector_translations(script_name, locale.as_str().into(), part).send().await
            }
        };
        match result {
            Ok(response) => Ok(response.into_body()),
            Err(source) => Err(Failure::Api { file: self.to_string(), source }),
        }
    }
}

fn text_bytes(response: sailpoint_connectors::Response<String>) -> Vec<u8> {
    response.into_body().into_bytes()
}

/// Runs one command, writing progress and results to `out`.
pub async fn run(client: &Client, command: &Command, out: &mut impl Write) -> Result<Outcome, Failure> {
    match command {
        Command::Export { script_name, dir, locales } => export(client, script_name, dir, locales, out).await,
        Command::Import { script_name, dir, force } => import(client, script_name, dir, *force, out).await,
        Command::Diff { script_name, dir, locales } => diff(client, script_name, dir, locales, out).await,
    }
}

/// The connector's detail as pretty JSON, and the locales it has translations for.
async fn detail(client: &Client, script_name: &str) -> Result<(Vec<u8>, Vec<String>), Failure> {
    let response = client
        .get_connector(script_name)
        .send()
        .await
        .map_err(|source| Failure::Api { file: Artifact::Detail.to_string(), source })?;
    let locales = response.body().translation_properties.iter().flat_map(|map| map.keys().cloned()).collect();
    let mut json = serde_json::to_vec_pretty(response.body()).expect("a connector's detail serializes as JSON");
    json.push(b'\n');
    Ok((json, locales))
}

/// Whether `name` can be a locale, such as `de` or `zh-TW`. Locales become
/// file names: this keeps one from the tenant out of other folders.
fn is_locale(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 16
        && name.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

fn parse_locale(name: &str) -> Result<String, String> {
    if is_locale(name) {
        Ok(name.to_owned())
    } else {
        Err(format!("{name:?} is not a locale, such as `de` or `zh-TW`"))
    }
}

/// Every file of the connector on the tenant: its detail, and the set of the
/// XML documents and the translations of the locales the detail lists and of
/// `locales`. A locale the tenant lists that could not be a file name is reported
/// and skipped.
async fn tenant_artifacts(
    client: &Client,
    script_name: &str,
    locales: impl IntoIterator<Item = String>,
    out: &mut impl Write,
) -> Result<(Vec<u8>, BTreeSet<Artifact>), Failure> {
    let (detail, listed) = detail(client, script_name).await?;
    let mut artifacts: BTreeSet<Artifact> = Artifact::XML.into_iter().collect();
    for locale in listed.into_iter().chain(locales) {
        if is_locale(&locale) {
            artifacts.insert(Artifact::Translations(locale));
        } else {
            progress(out, format_args!("skipping translations for {locale:?}: not a locale name"));
        }
    }
    Ok((detail, artifacts))
}

async fn export(
    client: &Client,
    script_name: &str,
    dir: &Path,
    locales: &[String],
    out: &mut impl Write,
) -> Result<Outcome, Failure> {
    // Everything is downloaded before anything is written: a failed download
    // leaves the folder as it was.
    let (detail, artifacts) = tenant_artifacts(client, script_name, locales.iter().cloned(), out).await?;
    let total = artifacts.len() + 1;
    progress(out, format_args!("[1/{total}] {}: {} bytes", Artifact::Detail, detail.len()));
    let mut files = vec![(Artifact::Detail, detail)];
    let mut absent = Vec::new();
    for (index, artifact) in artifacts.into_iter().enumerate() {
        match artifact.download(client, script_name).await? {
            Some(bytes) => {
                progress(out, format_args!("[{}/{total}] {artifact}: {} bytes", index + 2, bytes.len()));
                files.push((artifact, bytes));
            }
            None => {
                progress(out, format_args!("[{}/{total}] {artifact}: none on the tenant", index + 2));
                absent.push(artifact);
            }
        }
    }
    for (artifact, bytes) in &files {
        write_atomically(&artifact.path_in(dir), bytes)?;
    }
    // The folder mirrors the tenant: a file the tenant no longer has would
    // otherwise be put back by the next `import`.
    let exported: BTreeSet<&Artifact> = files.iter().map(|(artifact, _)| artifact).collect();
    let translations = local_locales(dir, out)?.into_iter().map(Artifact::Translations);
    let stale = absent.into_iter().chain(translations.filter(|artifact| !exported.contains(artifact)));
    for artifact in stale {
        let path = artifact.path_in(dir);
        match std::fs::remove_file(&path) {
            Ok(()) => progress(out, format_args!("removed {artifact}: no longer on the tenant")),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(Failure::Io { path, source }),
        }
    }
    progress(out, format_args!("exported {} files to {}", files.len(), dir.display()));
    Ok(Outcome::Done)
}

/// Writes a progress line. Progress is best effort: a closed output (`| head`)
/// must not stop an export or leave a tenant half restored.
fn progress(out: &mut impl Write, line: fmt::Arguments<'_>) {
    let _ = writeln!(out, "{line}");
}

/// Writes a file through a temporary file in the same folder, renamed into
/// place once complete: readers see the old file or the new one, never a part.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let failed = |source| Failure::Io { path: path.to_owned(), source };
    std::fs::create_dir_all(folder).map_err(|source| Failure::Io { path: folder.to_owned(), source })?;
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(failed)?;
    file.write_all(bytes).map_err(failed)?;
    file.as_file().sync_all().map_err(failed)?;
    file.persist(path).map_err(|error| failed(error.error))?;
    Ok(())
}

/// The locales of the `translations/*.properties` files in `dir`, sorted; a
/// file whose name is not a locale is reported and left alone.
fn local_locales(dir: &Path, out: &mut impl Write) -> Result<BTreeSet<String>, Failure> {
    let folder = dir.join("translations");
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeSet::new()),
        Err(source) => return Err(Failure::Io { path: folder, source }),
    };
    let mut locales = BTreeSet::new();
    for entry in entries {
        let path = entry.map_err(|source| Failure::Io { path: folder.clone(), source })?.path();
        if path.extension().is_none_or(|extension| extension != "properties") {
            continue;
        }
        match path.file_stem().and_then(|stem| stem.to_str()).filter(|stem| is_locale(stem)) {
            Some(locale) => {
                locales.insert(locale.to_owned());
            }
            None => progress(out, format_args!("ignoring {}: not named after a locale", path.display())),
        }
    }
    Ok(locales)
}

/// Refuses a folder whose `connector.json` names another connector, unless forced.
fn check_owner(dir: &Path, script_name: &str, force: bool) -> Result<(), Failure> {
    let Ok(text) = std::fs::read(Artifact::Detail.path_in(dir)) else { return Ok(()) };
    let detail: Option<serde_json::Value> = serde_json::from_slice(&text).ok();
    let owner = detail.as_ref().and_then(|detail| detail.get("scriptName")?.as_str());
    match owner {
        Some(owner) if owner != script_name && !force => Err(Failure::OtherConnector {
            dir: dir.to_owned(),
            owner: owner.to_owned(),
            script_name: script_name.to_owned(),
        }),
        _ => Ok(()),
    }
}

async fn import(
    client: &Client,
    script_name: &str,
    dir: &Path,
    force: bool,
    out: &mut impl Write,
) -> Result<Outcome, Failure> {
    check_owner(dir, script_name, force)?;
    let mut artifacts: Vec<Artifact> =
        Artifact::XML.into_iter().filter(|artifact| artifact.path_in(dir).is_file()).collect();
    artifacts.extend(local_locales(dir, out)?.into_iter().map(Artifact::Translations));
    if artifacts.is_empty() {
        return Err(Failure::NothingToImport(dir.to_owned()));
    }
    // Every file is read before the first upload: one that cannot be read
    // stops the import before it changes anything.
    let mut files = Vec::new();
    for artifact in artifacts {
        let path = artifact.path_in(dir);
        let bytes = std::fs::read(&path).map_err(|source| Failure::Io { path, source })?;
        files.push((artifact, bytes));
    }
    let names: Vec<String> = files.iter().map(|(artifact, _)| artifact.to_string()).collect();
    for (index, (artifact, bytes)) in files.into_iter().enumerate() {
        match upload_checked(client, script_name, &artifact, bytes).await {
            Ok(status) => progress(out, format_args!("[{}/{}] {artifact}: {status}", index + 1, names.len())),
            Err(reason) => {
                return Err(Failure::Import {
                    failed: names[index].clone(),
                    reason: Box::new(reason),
                    uploaded: names[..index].to_vec(),
                    not_attempted: names[index + 1..].to_vec(),
                })
            }
        }
    }
    Ok(Outcome::Done)
}

/// Uploads one file; the tenant's `ERROR` status is a failure like any other.
async fn upload_checked(
    client: &Client,
    script_name: &str,
    artifact: &Artifact,
    bytes: Vec<u8>,
) -> Result<String, Failure> {
    let detail = artifact.upload(client, script_name, bytes).await?;
    let message = detail.message.unwrap_or_default();
    match detail.status {
        Some(UpdateDetailStatus::Error) => Err(Failure::Rejected { file: artifact.to_string(), message }),
        status => {
            let status = status.as_ref().map_or("no status", UpdateDetailStatus::as_str).to_owned();
            Ok(if message.is_empty() { status } else { format!("{status} ({message})") })
        }
    }
}

async fn diff(
    client: &Client,
    script_name: &str,
    dir: &Path,
    locales: &[String],
    out: &mut impl Write,
) -> Result<Outcome, Failure> {
    let local = local_locales(dir, out)?;
    let (detail, mut artifacts) =
        tenant_artifacts(client, script_name, local.into_iter().chain(locales.to_vec()), out).await?;
    artifacts.insert(Artifact::Detail);
    let mut differences = 0;
    for artifact in artifacts {
        let tenant = match artifact {
            Artifact::Detail => Some(detail.clone()),
            _ => artifact.download(client, script_name).await?,
        };
        let path = artifact.path_in(dir);
        let local = match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(Failure::Io { path, source }),
        };
        let verdict = match (&local, &tenant) {
            (None, None) => continue,
            (Some(local), Some(tenant)) if same(&artifact, local, tenant) => "same",
            (Some(_), Some(_)) => "differs",
            (Some(_), None) => "only in the folder",
            (None, Some(_)) => "only on the tenant",
        };
        writeln!(out, "{artifact}: {verdict}")?;
        if verdict == "same" {
            continue;
        }
        differences += 1;
        if let (Some(local), Some(tenant)) = (&local, &tenant) {
            let (local, tenant) = (String::from_utf8_lossy(local), String::from_utf8_lossy(tenant));
            let diff = similar::TextDiff::from_lines(local.as_ref(), tenant.as_ref());
            let folder_name = path.display().to_string();
            let tenant_name = format!("tenant: {artifact}");
            write!(out, "{}", diff.unified_diff().header(&folder_name, &tenant_name))?;
        }
    }
    Ok(if differences == 0 { Outcome::Done } else { Outcome::Differences(differences) })
}

/// Whether the folder's copy matches the tenant's: the detail as JSON (so
/// reformatting it is no difference), everything else byte for byte.
fn same(artifact: &Artifact, local: &[u8], tenant: &[u8]) -> bool {
    if *artifact != Artifact::Detail {
        return local == tenant;
    }
    let parse = |bytes| serde_json::from_slice::<serde_json::Value>(bytes).ok();
    matches!((parse(local), parse(tenant)), (Some(local), Some(tenant)) if local == tenant)
}
