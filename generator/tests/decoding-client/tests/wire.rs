//! Decoding with error correction (the default) and strictly, for the
//! decoding fixture (`generator/tests/fixtures/decoding/`): a required field
//! of every kind missing or `null` takes its zero value with one warning per
//! field, path and response; strict clients fail as before; a page whose
//! items need correction streams every item; a value of the wrong type, or a
//! required field whose type contains itself, is still an error.

use std::io::Write;
use std::sync::{Arc, Mutex};

use decoding_client::models::{Account, AccountStatus, Holder, Owner, Team};
use decoding_client::{Client, Error, RetryPolicy, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The required properties of `Account`, one of each kind.
const REQUIRED: [&str; 11] =
    ["id", "name", "count", "ratio", "enabled", "tags", "attributes", "owner", "status", "holder", "payload"];

fn account(index: usize) -> Value {
    json!({
        "id": format!("a{index}"),
        "name": format!("account {index}"),
        "count": index,
        "ratio": 0.5,
        "enabled": true,
        "tags": ["x"],
        "attributes": {"k": "v"},
        "owner": {"name": "Ada"},
        "status": "ACTIVE",
        "holder": {"members": ["Bo"]},
        "payload": {"any": 1},
        "note": "kept"
    })
}

async fn client(server: &MockServer, strict: bool) -> Client {
    Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .retry_policy(RetryPolicy::none())
        .strict_decoding(strict)
        .build()
        .unwrap()
}

async fn serve_account(body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/accounts/a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// Log output kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `future` with its warnings written to the returned lines.
async fn logged<F: std::future::Future>(future: F) -> (F::Output, Vec<String>) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .finish();
    // The test runtime is single-threaded, so a thread-local default sees every poll.
    let guard = tracing::subscriber::set_default(subscriber);
    let output = future.await;
    drop(guard);
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    (output, text.lines().map(str::to_owned).collect())
}

/// Every required field at its zero value: what an empty object corrects to.
fn assert_zero(account: &Account) {
    assert_eq!((account.id.as_str(), account.name.as_str()), ("", ""));
    assert_eq!((account.count, account.ratio, account.enabled), (0, 0.0, false));
    assert!(account.tags.is_empty() && account.attributes.is_empty());
    assert_eq!(account.owner, Owner::new(String::new()));
    assert_eq!(account.status.as_str(), "", "an enum's unknown value, empty");
    assert_ne!(account.status, AccountStatus::Active);
    assert_eq!(account.holder, Holder::Owner(Box::new(Owner::new(String::new()))), "the first variant's zero");
    assert_eq!(account.payload, Value::Null);
    assert_eq!(account.note.as_deref(), Some("kept"), "fields that were sent are kept");
}

#[tokio::test]
async fn every_kind_of_required_field_missing_takes_its_zero_value() {
    let server = serve_account(json!({"note": "kept"})).await;
    let client = client(&server, false).await;
    let (account, warnings) = logged(client.get_account("a").send()).await;
    assert_zero(account.unwrap().body());
    assert_eq!(warnings.len(), REQUIRED.len(), "one warning a field: {warnings:#?}");
    for (field, line) in REQUIRED.iter().zip(&warnings) {
        let expected = format!(
            "getAccount: required field `{field}` of `Account` missing at `{field}` in 1 object: decoded as its zero value"
        );
        assert!(line.contains(" WARN ") && line.contains(&expected), "{line}");
        assert!(line.contains("operation=\"getAccount\"") && line.contains(&format!("path=\"{field}\"")), "{line}");
    }
}

#[tokio::test]
async fn every_kind_of_required_field_null_takes_its_zero_value() {
    let mut body: serde_json::Map<String, Value> =
        REQUIRED.iter().map(|field| (field.to_string(), Value::Null)).collect();
    body.insert("note".into(), json!("kept"));
    let server = serve_account(Value::Object(body)).await;
    let client = client(&server, false).await;
    let (account, warnings) = logged(client.get_account("a").send()).await;
    assert_zero(account.unwrap().body());
    // `payload` is any JSON value, of which `null` is one: nothing to correct.
    assert_eq!(warnings.len(), REQUIRED.len() - 1, "{warnings:#?}");
    for (field, line) in REQUIRED.iter().zip(&warnings) {
        assert!(line.contains(&format!("required field `{field}` of `Account` null at `{field}`")), "{line}");
    }
}

#[tokio::test]
async fn strict_clients_fail_on_each_missing_or_null_field_as_before() {
    for field in REQUIRED {
        let mut missing = account(1);
        missing.as_object_mut().unwrap().remove(field);
        let server = serve_account(missing).await;
        let error = client(&server, true).await.get_account("a").send().await.unwrap_err();
        let Error::Decode(decode) = &error else { panic!("{field}: {error:?}") };
        assert_eq!(decode.path, "", "{field}");
        assert!(decode.message.starts_with(&format!("missing field `{field}` at line 1")), "{}", decode.message);

        let mut null = account(1);
        null[field] = Value::Null;
        let server = serve_account(null).await;
        let result = client(&server, true).await.get_account("a").send().await;
        if field == "payload" {
            assert_eq!(result.unwrap().body().payload, Value::Null, "any JSON value holds null");
            continue;
        }
        let error = result.unwrap_err();
        let Error::Decode(decode) = &error else { panic!("{field}: {error:?}") };
        assert_eq!(decode.path, field, "{field}: {}", decode.message);
    }
}

#[tokio::test]
async fn nested_corrections_name_their_path_and_unions_pick_what_fits_first() {
    let mut body = account(1);
    body["owner"] = json!({"name": null});
    // Fits `Team` as sent: not an `Owner` with an empty name.
    body["holder"] = json!({"members": ["Bo"]});
    let server = serve_account(body).await;
    let (account, warnings) = logged(client(&server, false).await.get_account("a").send()).await;
    let account = account.unwrap().into_body();
    assert_eq!(account.owner, Owner::new(String::new()));
    assert_eq!(account.holder, Holder::Team(Box::new(Team::new(vec!["Bo".into()]))));
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("required field `name` of `Owner` null at `owner.name` in 1 object"), "{warnings:?}");

    // Fits no variant as sent: the first that fits once corrected.
    let mut body = account_json_with_holder(json!({"email": "ada@example.com"}));
    body["id"] = json!("b");
    let server = serve_account(body).await;
    let (account, warnings) = logged(client(&server, false).await.get_account("a").send()).await;
    let expected = Owner::new(String::new()).with_email("ada@example.com");
    assert_eq!(account.unwrap().body().holder, Holder::Owner(Box::new(expected)));
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("`name` of `Owner` missing at `holder.name`"), "{warnings:?}");
}

fn account_json_with_holder(holder: Value) -> Value {
    let mut body = account(1);
    body["holder"] = holder;
    body
}

#[tokio::test]
async fn a_page_whose_items_need_correction_streams_every_item() {
    let server = MockServer::start().await;
    for (offset, range) in [("0", 0..10), ("10", 10..20), ("20", 20..25)] {
        let items: Vec<Value> = range
            .map(|index| {
                let mut item = account(index);
                // One account in seven lacks `enabled`; one in five has no owner's name.
                if index % 7 == 0 {
                    item.as_object_mut().unwrap().remove("enabled");
                }
                if index % 5 == 0 {
                    item["owner"]["name"] = Value::Null;
                }
                item
            })
            .collect();
        Mock::given(method("GET"))
            .and(path("/api/accounts"))
            .and(query_param("offset", offset))
            .respond_with(ResponseTemplate::new(200).set_body_json(items))
            .mount(&server)
            .await;
    }
    let lenient = client(&server, false).await;
    let (accounts, warnings) = logged(lenient.list_accounts().items().try_collect::<Vec<_>>()).await;
    let accounts = accounts.unwrap();
    let ids: Vec<String> = (0..25).map(|index| format!("a{index}")).collect();
    assert_eq!(accounts.iter().map(|account| account.id.clone()).collect::<Vec<_>>(), ids);
    assert!(accounts.iter().enumerate().all(|(index, account)| account.enabled == (index % 7 != 0)));
    // One warning per field per response, with how many items it covers.
    // In the order first met: a nested object ends before the item holding it.
    let expected = [
        "null at `owner.name` in 2 objects", // page 1: 0, 5
        "missing at `enabled` in 2 objects", // page 1: 0, 7
        "null at `owner.name` in 2 objects", // page 2: 10, 15
        "missing at `enabled` in 1 object:", // page 2: 14
        "null at `owner.name` in 1 object:", // page 3: 20
        "missing at `enabled` in 1 object:", // page 3: 21
    ];
    assert_eq!(warnings.len(), expected.len(), "{warnings:#?}");
    for (line, expected) in warnings.iter().zip(expected) {
        assert!(line.contains("listAccounts: required field") && line.contains(expected), "{line} / {expected}");
    }

    let strict = client(&server, true).await;
    let error = strict.list_accounts().items().try_collect::<Vec<_>>().await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert_eq!(decode.path, "[0].owner.name", "the first item's first flaw");
    assert!(decode.message.starts_with("invalid type: null, expected a string"), "{}", decode.message);
}

#[tokio::test]
async fn a_value_of_the_wrong_type_is_still_an_error_located_as_strictly() {
    let mut body = account(1);
    body["count"] = json!("seven");
    body.as_object_mut().unwrap().remove("name");
    let server = serve_account(body).await;
    for strict in [false, true] {
        let error = client(&server, strict).await.get_account("a").send().await.unwrap_err();
        let Error::Decode(decode) = &error else { panic!("{error:?}") };
        assert_eq!(decode.path, "count", "strict: {strict}");
        assert!(decode.message.starts_with("invalid type: string \"seven\", expected i64"), "{}", decode.message);
    }
}

#[tokio::test]
async fn a_required_field_whose_type_contains_itself_has_no_zero() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/nodes/leaf"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "leaf"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/nodes/child"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "child", "parent": {"name": "root"}})))
        .mount(&server)
        .await;
    let client = client(&server, false).await;
    let error = client.get_node("leaf").send().await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert!(decode.message.starts_with("missing field `parent`"), "{}", decode.message);
    let error = client.get_node("child").send().await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert_eq!(decode.path, "parent");
    assert!(decode.message.starts_with("missing field `parent`"), "{}", decode.message);
}

#[test]
fn decoding_outside_a_response_stays_strict() {
    let error = serde_json::from_value::<Account>(json!({"id": "a"})).unwrap_err();
    assert!(error.to_string().starts_with("missing field `name`"), "{error}");
}
