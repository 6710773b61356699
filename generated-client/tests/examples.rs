//! The shipped examples, run end to end against an in-process fake tenant:
//! `list_connectors` streaming and printing, `connector_backup` exporting,
//! importing (round trip and a failure part way) and comparing.

mod common;

#[path = "../examples/list_connectors.rs"]
#[allow(dead_code, reason = "its `main` runs only as the example program")]
mod list_connectors;

#[path = "../examples/connector_backup.rs"]
#[allow(dead_code, reason = "its `main` runs only as the example program")]
mod connector_backup;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use clap::Parser;
use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use connector_backup::{Command, Failure, Outcome};

const SCRIPT: &str = "acme-ldap";

/// A tenant holding one connector's files, answering the Connectors
/// operations the examples use and recording every upload.
#[derive(Clone, Default)]
struct FakeTenant {
    state: Arc<Mutex<TenantState>>,
}

#[derive(Default)]
struct TenantState {
    /// Files by their path under `/v2024/connectors/{script}/`.
    files: BTreeMap<String, Vec<u8>>,
    /// The locales the connector's detail lists.
    locales: Vec<String>,
    /// Uploads received, in order: path and the `file` part's bytes.
    uploads: Vec<(String, Vec<u8>)>,
    /// Paths whose download and upload fail with this status.
    failing: BTreeMap<String, u16>,
    /// Paths whose upload the tenant answers with status `ERROR`.
    rejecting: Vec<String>,
}

impl FakeTenant {
    /// A tenant with XML documents full of what a lossy copy would change:
    /// CRLF line ends, non-ASCII text, a byte-order mark, trailing blanks.
    fn with_files() -> Self {
        let tenant = Self::default();
        {
            let mut state = tenant.state.lock().unwrap();
            let files = [
                (
                    "source-config",
                    "\u{feff}<?xml version=\"1.0\"?>\r\n<Config name=\"Zürich\">\r\n  <a/>  \r\n</Config>\r\n",
                ),
                ("source-template", "<Template>\n\t<Field name=\"région\" />\n</Template>"),
                ("correlation-config", "<Correlation>\n  <Attribute name=\"uid\"/>\n</Correlation>\n"),
                ("translations/de", "menuLabel=Verbindungseinstellungen\nhint=Größe ändern\n"),
                ("translations/fr", "menuLabel=Paramètres de connexion\n"),
            ];
            for (path, text) in files {
                state.files.insert(path.to_owned(), text.as_bytes().to_vec());
            }
            state.locales = vec!["de".to_owned(), "fr".to_owned()];
        }
        tenant
    }

    async fn mount(&self, server: &MockServer) {
        Mock::given(wiremock::matchers::any()).respond_with(self.clone()).mount(server).await;
    }

    fn uploads(&self) -> Vec<(String, Vec<u8>)> {
        self.state.lock().unwrap().uploads.clone()
    }

    fn file(&self, path: &str) -> Vec<u8> {
        self.state.lock().unwrap().files[path].clone()
    }

    fn detail(state: &TenantState) -> Value {
        let translations: serde_json::Map<String, Value> =
            state.locales.iter().map(|locale| (locale.clone(), json!("…"))).collect();
        json!({
            "name": "ACME LDAP",
            "type": "custom",
            "className": "com.acme.Ldap",
            "scriptName": SCRIPT,
            "directConnect": true,
            "translationProperties": translations,
            "connectorMetadata": { "supportsRemoval": false },
            "status": "RELEASED",
        })
    }
}

impl wiremock::Respond for FakeTenant {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let prefix = format!("/v2024/connectors/{SCRIPT}");
        let Some(path) = request.url.path().strip_prefix(&prefix) else {
            return ResponseTemplate::new(404).set_body_json(common::error_document("404.0", "no such connector"));
        };
        let path = path.trim_start_matches('/').to_owned();
        let mut state = self.state.lock().unwrap();
        if let Some(status) = state.failing.get(&path) {
            return ResponseTemplate::new(*status).set_body_json(common::error_document("500.0", "it failed"));
        }
        match (request.method.as_str(), path.as_str()) {
            ("GET", "") => ResponseTemplate::new(200).set_body_json(Self::detail(&state)),
            ("GET", path) => match state.files.get(path) {
                Some(bytes) => {
                    let media_type = if path.starts_with("translations/") { "text/plain" } else { "application/xml" };
                    ResponseTemplate::new(200).set_body_raw(bytes.clone(), media_type)
                }
                None => ResponseTemplate::new(404).set_body_json(common::error_document("404.0", "no such file")),
            },
            ("PUT", path) => {
                let part = common::only_file_part(request);
                state.uploads.push((path.to_owned(), part.body.clone()));
                let rejected = state.rejecting.iter().any(|rejecting| rejecting == path);
                state.files.insert(path.to_owned(), part.body);
                let status = if rejected { "ERROR" } else { "UPDATED" };
                ResponseTemplate::new(200).set_body_json(json!({
                    "message": if rejected { "the template is invalid" } else { "" },
                    "scriptName": SCRIPT,
                    "updatedFiles": [path],
                    "status": status,
                }))
            }
            _ => ResponseTemplate::new(405),
        }
    }
}

async fn tenant(fake: &FakeTenant) -> (MockServer, sailpoint_connectors::Client) {
    let server = MockServer::start().await;
    fake.mount(&server).await;
    let client = common::client_for(&server);
    (server, client)
}

fn parse(args: &[&str]) -> Command {
    connector_backup::Args::try_parse_from(std::iter::once("connector_backup").chain(args.iter().copied()))
        .expect("the arguments parse")
        .command
}

async fn backup(client: &sailpoint_connectors::Client, args: &[&str]) -> (Result<Outcome, Failure>, String) {
    let mut out = Vec::new();
    let result = connector_backup::run(client, &parse(args), &mut out).await;
    (result, String::from_utf8(out).expect("the output is text"))
}

/// Every file under `dir`, by path relative to it.
fn folder(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[tokio::test]
async fn export_writes_every_file_as_served() {
    let fake = FakeTenant::with_files();
    let (_server, client) = tenant(&fake).await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("backup");

    let (result, out) = backup(&client, &["export", SCRIPT, target.to_str().unwrap(), "--locale", "ja"]).await;
    assert_eq!(result.unwrap(), Outcome::Done, "{out}");

    let files = folder(&target);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "connector.json",
            "correlation-config.xml",
            "source-config.xml",
            "source-template.xml",
            "translations/de.properties",
            "translations/fr.properties"
        ]
    );
    for (file, served) in [
        ("source-config.xml", "source-config"),
        ("source-template.xml", "source-template"),
        ("correlation-config.xml", "correlation-config"),
        ("translations/de.properties", "translations/de"),
        ("translations/fr.properties", "translations/fr"),
    ] {
        assert_eq!(files[file], fake.file(served), "{file} differs from what the tenant served");
    }
    let detail: Value = serde_json::from_slice(&files["connector.json"]).unwrap();
    assert_eq!(detail, FakeTenant::detail(&fake.state.lock().unwrap()));

    // One progress line per file, `ja` reported as absent rather than failing.
    let progress: Vec<&str> = out.lines().collect();
    assert_eq!(progress.len(), 8, "{out}");
    assert!(progress[0].starts_with("[1/7] connector.json: "), "{out}");
    assert!(out.contains("] translations/ja.properties: none on the tenant\n"), "{out}");
    assert!(out.ends_with(&format!("exported 6 files to {}\n", target.display())), "{out}");
}

#[tokio::test]
async fn export_round_trips_through_import_byte_for_byte() {
    let source = FakeTenant::with_files();
    let (_source_server, source_client) = tenant(&source).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let (result, out) = backup(&source_client, &["export", SCRIPT, path]).await;
    assert_eq!(result.unwrap(), Outcome::Done, "{out}");
    let exported = folder(dir.path());

    let restored = FakeTenant::default();
    let (_restored_server, restored_client) = tenant(&restored).await;
    let (result, out) = backup(&restored_client, &["import", SCRIPT, path]).await;
    assert_eq!(result.unwrap(), Outcome::Done, "{out}");

    let uploads = restored.uploads();
    let paths: Vec<&str> = uploads.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        paths,
        ["source-config", "source-template", "correlation-config", "translations/de", "translations/fr"],
        "uploads in restore order; the detail has no upload"
    );
    for (path, received) in &uploads {
        let file = match path.strip_prefix("translations/") {
            Some(locale) => format!("translations/{locale}.properties"),
            None => format!("{path}.xml"),
        };
        assert_eq!(received, &exported[&file], "{path}: the upload differs from the exported file");
        assert_eq!(received, &source.file(path), "{path}: the upload differs from what the source served");
    }
    assert_eq!(
        out,
        "[1/5] source-config.xml: UPDATED\n[2/5] source-template.xml: UPDATED\n[3/5] correlation-config.xml: UPDATED\n\
         [4/5] translations/de.properties: UPDATED\n[5/5] translations/fr.properties: UPDATED\n"
    );
}

#[tokio::test]
async fn import_failure_part_way_names_what_went_through() {
    let source = FakeTenant::with_files();
    let (_source_server, source_client) = tenant(&source).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    assert_eq!(backup(&source_client, &["export", SCRIPT, path]).await.0.unwrap(), Outcome::Done);

    let target = FakeTenant::default();
    target.state.lock().unwrap().failing.insert("correlation-config".to_owned(), 500);
    let (_server, client) = tenant(&target).await;
    let (result, out) = backup(&client, &["import", SCRIPT, path]).await;

    let failure = result.expect_err("the import fails");
    let Failure::Import { failed, reason, uploaded, not_attempted } = &failure else {
        panic!("expected an import failure, got {failure:?}");
    };
    assert_eq!(failed, "correlation-config.xml");
    assert_eq!(uploaded, &["source-config.xml", "source-template.xml"]);
    assert_eq!(not_attempted, &["translations/de.properties", "translations/fr.properties"]);
    let Failure::Api { source, .. } = reason.as_ref() else { panic!("expected an API failure, got {reason:?}") };
    assert_eq!(source.status().map(|status| status.as_u16()), Some(500));
    assert_eq!(
        failure.to_string().lines().skip(1).collect::<Vec<_>>(),
        [
            "  uploaded before it: source-config.xml, source-template.xml",
            "  not attempted: translations/de.properties, translations/fr.properties"
        ]
    );
    assert!(failure.to_string().starts_with("import stopped at correlation-config.xml: correlation-config.xml: "));
    // What went through is also in the progress output, and nothing after the failure was sent.
    assert_eq!(out, "[1/5] source-config.xml: UPDATED\n[2/5] source-template.xml: UPDATED\n");
    let sent: Vec<String> = target.uploads().into_iter().map(|(path, _)| path).collect();
    assert_eq!(sent, ["source-config", "source-template"]);
}

#[tokio::test]
async fn export_again_removes_what_the_tenant_no_longer_has() {
    let fake = FakeTenant::with_files();
    let (_server, client) = tenant(&fake).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    assert_eq!(backup(&client, &["export", SCRIPT, path]).await.0.unwrap(), Outcome::Done);
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    {
        let mut state = fake.state.lock().unwrap();
        state.files.remove("correlation-config");
        state.files.remove("translations/fr");
        state.locales.retain(|locale| locale != "fr");
    }

    let (result, out) = backup(&client, &["export", SCRIPT, path]).await;
    assert_eq!(result.unwrap(), Outcome::Done, "{out}");
    assert!(out.contains("removed correlation-config.xml: no longer on the tenant\n"), "{out}");
    assert!(out.contains("removed translations/fr.properties: no longer on the tenant\n"), "{out}");
    let names: Vec<String> = folder(dir.path()).into_keys().collect();
    assert_eq!(
        names,
        ["connector.json", "notes.txt", "source-config.xml", "source-template.xml", "translations/de.properties"],
        "only the backup's own files are removed"
    );
    // So an import restores exactly what the tenant had.
    let restored = FakeTenant::default();
    let (_restored_server, restored_client) = tenant(&restored).await;
    assert_eq!(backup(&restored_client, &["import", SCRIPT, path]).await.0.unwrap(), Outcome::Done);
    let sent: Vec<String> = restored.uploads().into_iter().map(|(path, _)| path).collect();
    assert_eq!(sent, ["source-config", "source-template", "translations/de"]);
}

/// Output that fails on every write, like a pipe whose reader went away.
struct ClosedOutput;

impl std::io::Write for ClosedOutput {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
}

#[tokio::test]
async fn a_closed_output_never_stops_an_import_part_way() {
    let source = FakeTenant::with_files();
    let (_source_server, source_client) = tenant(&source).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let export = parse(&["export", SCRIPT, path]);
    assert_eq!(connector_backup::run(&source_client, &export, &mut ClosedOutput).await.unwrap(), Outcome::Done);

    let target = FakeTenant::default();
    let (_server, client) = tenant(&target).await;
    let import = parse(&["import", SCRIPT, path]);
    assert_eq!(connector_backup::run(&client, &import, &mut ClosedOutput).await.unwrap(), Outcome::Done);
    assert_eq!(target.uploads().len(), 5, "every file went through");
}

#[tokio::test]
async fn import_refuses_another_connectors_backup_unless_forced() {
    let source = FakeTenant::with_files();
    let (_source_server, source_client) = tenant(&source).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    assert_eq!(backup(&source_client, &["export", SCRIPT, path]).await.0.unwrap(), Outcome::Done);
    let (server, client) = tenant(&FakeTenant::default()).await;

    let (result, _) = backup(&client, &["import", "other-connector", path]).await;
    let failure = result.unwrap_err();
    assert!(matches!(&failure, Failure::OtherConnector { owner, .. } if owner == SCRIPT), "{failure:?}");
    assert!(failure
        .to_string()
        .ends_with("holds a backup of `acme-ldap`, not of `other-connector`; pass --force to import it anyway"));
    assert!(common::received(&server).await.is_empty(), "nothing was sent");

    // Forced, it goes ahead (and this tenant has no such connector).
    let (result, _) = backup(&client, &["import", "other-connector", path, "--force"]).await;
    assert!(matches!(result, Err(Failure::Import { .. })), "{result:?}");
}

#[tokio::test]
async fn import_ignores_translation_files_not_named_after_a_locale() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("translations")).unwrap();
    std::fs::write(dir.path().join("translations/de.properties"), "a=b\n").unwrap();
    std::fs::write(dir.path().join("translations/de copy.properties"), "a=c\n").unwrap();
    let target = FakeTenant::default();
    let (_server, client) = tenant(&target).await;

    let (result, out) = backup(&client, &["import", SCRIPT, dir.path().to_str().unwrap()]).await;
    assert_eq!(result.unwrap(), Outcome::Done, "{out}");
    assert!(out.contains("de copy.properties: not named after a locale\n"), "{out}");
    assert_eq!(target.uploads(), [("translations/de".to_owned(), b"a=b\n".to_vec())]);
}

#[tokio::test]
async fn import_treats_a_rejected_update_as_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("source-template.xml"), "<Template/>").unwrap();
    let target = FakeTenant::default();
    target.state.lock().unwrap().rejecting.push("source-template".to_owned());
    let (_server, client) = tenant(&target).await;

    let (result, _) = backup(&client, &["import", SCRIPT, dir.path().to_str().unwrap()]).await;
    let Err(Failure::Import { failed, reason, uploaded, not_attempted }) = result else {
        panic!("expected an import failure, got {result:?}");
    };
    assert_eq!((failed.as_str(), uploaded.len(), not_attempted.len()), ("source-template.xml", 0, 0));
    assert_eq!(reason.to_string(), "source-template.xml: the tenant did not apply it: the template is invalid");
}

#[tokio::test]
async fn import_of_a_folder_without_connector_files_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, client) = tenant(&FakeTenant::default()).await;
    let (result, _) = backup(&client, &["import", SCRIPT, dir.path().to_str().unwrap()]).await;
    assert!(matches!(result, Err(Failure::NothingToImport(_))), "{result:?}");
}

#[tokio::test]
async fn failed_export_leaves_the_folder_as_it_was() {
    let fake = FakeTenant::with_files();
    // The last download fails: the files before it must not have been written.
    fake.state.lock().unwrap().failing.insert("translations/fr".to_owned(), 500);
    let (_server, client) = tenant(&fake).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("source-config.xml"), "old").unwrap();

    let (result, _) = backup(&client, &["export", SCRIPT, dir.path().to_str().unwrap()]).await;
    let Err(Failure::Api { file, source }) = result else { panic!("expected an API failure, got {result:?}") };
    assert_eq!(file, "translations/fr.properties");
    assert_eq!(source.status().map(|status| status.as_u16()), Some(500));
    assert_eq!(folder(dir.path()), BTreeMap::from([("source-config.xml".to_owned(), b"old".to_vec())]));
}

#[tokio::test]
async fn diff_reports_each_difference_and_changes_nothing() {
    let fake = FakeTenant::with_files();
    let (server, client) = tenant(&fake).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    assert_eq!(backup(&client, &["export", SCRIPT, path]).await.0.unwrap(), Outcome::Done);

    let (result, out) = backup(&client, &["diff", SCRIPT, path]).await;
    assert_eq!(result.unwrap(), Outcome::Done, "{out}");
    assert!(out.lines().all(|line| line.ends_with(": same")), "{out}");
    assert_eq!(out.lines().count(), 6, "{out}");

    // Edit one file, delete another, add a locale the tenant lacks.
    let template = dir.path().join("source-template.xml");
    std::fs::write(&template, "<Template>\n\t<Field name=\"country\" />\n</Template>").unwrap();
    std::fs::remove_file(dir.path().join("translations/fr.properties")).unwrap();
    std::fs::write(dir.path().join("translations/it.properties"), "menuLabel=Impostazioni\n").unwrap();
    // Reformatting the detail is no difference.
    let detail: Value = serde_json::from_slice(&std::fs::read(dir.path().join("connector.json")).unwrap()).unwrap();
    std::fs::write(dir.path().join("connector.json"), serde_json::to_vec(&detail).unwrap()).unwrap();
    let before = folder(dir.path());
    let requests_before = common::received(&server).await.len();

    let (result, out) = backup(&client, &["diff", SCRIPT, path]).await;
    assert_eq!(result.unwrap(), Outcome::Differences(3), "{out}");
    assert!(out.contains("connector.json: same\n"), "{out}");
    assert!(out.contains("source-template.xml: differs\n"), "{out}");
    assert!(out.contains("-\t<Field name=\"country\" />\n+\t<Field name=\"région\" />\n"), "{out}");
    assert!(out.contains("translations/fr.properties: only on the tenant\n"), "{out}");
    assert!(out.contains("translations/it.properties: only in the folder\n"), "{out}");
    assert_eq!(folder(dir.path()), before, "diff changed the folder");
    let methods: Vec<String> =
        common::received(&server).await[requests_before..].iter().map(|request| request.method.to_string()).collect();
    assert!(methods.iter().all(|method| method == "GET"), "diff sent {methods:?}");
}

#[tokio::test]
async fn export_never_writes_outside_the_folder() {
    let fake = FakeTenant::with_files();
    fake.state.lock().unwrap().locales.push("../../escaped".to_owned());
    let (_server, client) = tenant(&fake).await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("a/b");

    let (result, out) = backup(&client, &["export", SCRIPT, dir.to_str().unwrap()]).await;
    assert_eq!(result.unwrap(), Outcome::Done, "{out}");
    assert!(out.starts_with("skipping translations for \"../../escaped\": not a locale name\n"), "{out}");
    let written: Vec<String> = folder(root.path()).into_keys().collect();
    assert!(written.iter().all(|path| path.starts_with("a/b/")), "{written:?}");
    assert!(
        connector_backup::Args::try_parse_from(["connector_backup", "diff", "x", "y", "--locale", "../de"]).is_err()
    );
}

#[tokio::test]
async fn backup_of_a_missing_connector_fails_with_the_api_error() {
    let (_server, client) = tenant(&FakeTenant::with_files()).await;
    let dir = tempfile::tempdir().unwrap();
    let (result, _) = backup(&client, &["export", "no-such-connector", dir.path().to_str().unwrap()]).await;
    let Err(Failure::Api { file, source }) = result else { panic!("expected an API failure, got {result:?}") };
    assert_eq!(file, "connector.json");
    assert!(source.is_not_found());
    assert!(folder(dir.path()).is_empty());
}

/// A tenant with `count` connectors, served in pages as `limit` and `offset` ask.
struct ConnectorPages {
    connectors: Vec<Value>,
}

impl wiremock::Respond for ConnectorPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: BTreeMap<String, String> = request.url.query_pairs().into_owned().collect();
        let number = |name: &str, default: usize| query.get(name).map_or(default, |value| value.parse().unwrap());
        let (offset, limit) = (number("offset", 0), number("limit", 250));
        let page: Vec<Value> = self.connectors.iter().skip(offset).take(limit).cloned().collect();
        ResponseTemplate::new(200)
            .set_body_json(page)
            .insert_header("X-Total-Count", self.connectors.len().to_string().as_str())
    }
}

fn connector(n: usize) -> Value {
    json!({
        "name": format!("Connector {n}"),
        "type": if n.is_multiple_of(2) { "custom" } else { "standard" },
        "scriptName": format!("connector-{n}"),
        "className": "com.acme.Connector",
        "features": ["AUTHENTICATE"],
        "directConnect": n.is_multiple_of(3),
        "status": "RELEASED",
    })
}

async fn list(connectors: Vec<Value>, args: &[&str]) -> (MockServer, Result<(), list_connectors::Failure>, String) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path("/v2024/connectors"))
        .respond_with(ConnectorPages { connectors })
        .mount(&server)
        .await;
    let client = common::client_for(&server);
    let args = list_connectors::Args::try_parse_from(std::iter::once("list_connectors").chain(args.iter().copied()))
        .expect("the arguments parse");
    let mut out = Vec::new();
    let result = list_connectors::run(&client, &args, &mut out).await;
    (server, result, String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn list_streams_every_page_as_json_lines() {
    let connectors: Vec<Value> = (0..260).map(connector).collect();
    let (server, result, out) =
        list(connectors.clone(), &["--json", "--filter", "type eq \"custom\"", "--locale", "de"]).await;
    result.unwrap();

    let printed: Vec<Value> = out.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(printed, connectors, "every connector, in order, as served");
    let requests = common::received(&server).await;
    assert_eq!(requests.len(), 2, "two pages of 250");
    for request in &requests {
        let query: BTreeMap<String, String> = request.url.query_pairs().into_owned().collect();
        assert_eq!(query["filters"], "type eq \"custom\"");
        assert_eq!(query["locale"], "de");
    }
}

#[tokio::test]
async fn list_prints_a_table_with_blanks_for_missing_values() {
    let (_server, result, out) = list(vec![connector(3), json!({ "scriptName": "bare" })], &[]).await;
    result.unwrap();
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    assert_eq!(lines.len(), 3, "{out}");
    let columns = |line: &str| line.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(columns(lines[0]), ["NAME", "SCRIPT", "NAME", "TYPE", "DIRECT", "STATUS"]);
    assert_eq!(columns(lines[1]), ["Connector", "3", "connector-3", "standard", "yes", "RELEASED"]);
    assert_eq!(columns(lines[2]), ["-", "bare", "-", "-", "-"]);
}

#[tokio::test]
async fn list_to_a_closed_output_ends_quietly() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(ConnectorPages { connectors: (0..3).map(connector).collect() })
        .mount(&server)
        .await;
    let client = common::client_for(&server);
    for args in [&["list_connectors"][..], &["list_connectors", "--json"]] {
        let args = list_connectors::Args::try_parse_from(args).unwrap();
        let result = list_connectors::run(&client, &args, &mut ClosedOutput).await;
        let Err(list_connectors::Failure::Output(error)) = &result else { panic!("expected an output failure") };
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{args:?}");
        assert_eq!(list_connectors::exit_code(&result), std::process::ExitCode::SUCCESS);
    }
}

#[tokio::test]
async fn list_failure_is_the_api_error() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "error": "JWT validation failed" })))
        .mount(&server)
        .await;
    let args = list_connectors::Args::try_parse_from(["list_connectors"]).unwrap();
    let mut out = Vec::new();
    let result = list_connectors::run(&common::client_for(&server), &args, &mut out).await;
    let Err(list_connectors::Failure::Api(error)) = result else { panic!("expected an API failure, got {result:?}") };
    assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
}

#[test]
fn exit_statuses_are_as_documented() {
    use std::process::ExitCode;

    assert_eq!(connector_backup::exit_code(&Ok(Outcome::Done)), ExitCode::SUCCESS);
    assert_eq!(connector_backup::exit_code(&Ok(Outcome::Differences(3))), ExitCode::from(1));
    let failure = Failure::NothingToImport("backup".into());
    assert_eq!(connector_backup::exit_code(&Err(failure)), ExitCode::from(2));

    let closed = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
    assert_eq!(list_connectors::exit_code(&Err(list_connectors::Failure::Output(closed))), ExitCode::SUCCESS);
    let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
    assert_eq!(list_connectors::exit_code(&Err(list_connectors::Failure::Output(full))), ExitCode::from(2));
    assert_eq!(list_connectors::exit_code(&Ok(())), ExitCode::SUCCESS);
}

#[test]
fn backup_arguments_parse_as_documented() {
    let Command::Export { script_name, dir, locales } =
        parse(&["export", "x", "out", "--locale", "de", "--locale", "ja"])
    else {
        panic!("not an export");
    };
    assert_eq!((script_name.as_str(), dir.as_path(), locales), ("x", Path::new("out"), vec!["de".into(), "ja".into()]));
    assert!(connector_backup::Args::try_parse_from(["connector_backup", "import", "x"]).is_err(), "DIR is required");
    assert!(connector_backup::Args::try_parse_from(["connector_backup", "restore", "x", "y"]).is_err());
}
