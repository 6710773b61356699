//! The generated client against a hand-written `reqwest` + `serde_json` call
//! doing the same work, on a local server: a page of 250 connectors, and a
//! 5 MB XML download. Run with `cargo bench -p sailpoint-connectors`; the
//! ratio of the two times per case is the client's overhead.

use criterion::{criterion_group, criterion_main, Criterion};
use sailpoint_connectors::{Client, RetryPolicy, V3ConnectorDto};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "bench-token";

fn connectors(count: usize) -> serde_json::Value {
    let items: Vec<_> = (0..count)
        .map(|index| {
            json!({
                "name": format!("connector {index}"),
                "type": "custom connector type",
                "scriptName": format!("connector-{index}"),
                "className": "sailpoint.connector.OpenConnectorAdapter",
                "features": ["PROVISIONING", "SYNC_PROVISIONING", "SEARCH"],
                "directConnect": true,
                "connectorMetadata": {"supportedUI": "ANGULAR", "platform": "ccg", "shortDesc": "a connector"},
                "status": "RELEASED"
            })
        })
        .collect();
    serde_json::Value::Array(items)
}

fn xml_document(bytes: usize) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Form name=\"bench\">\n");
    let mut index = 0;
    while xml.len() < bytes {
        xml.push_str(&format!("  <Field name=\"field{index}\" type=\"string\" value=\"some value {index}\"/>\n"));
        index += 1;
    }
    xml.push_str("</Form>\n");
    xml
}

fn benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let server = runtime.block_on(async {
        let server = MockServer::builder().disable_request_recording().start().await;
        Mock::given(method("GET"))
            .and(path("/v2024/connectors"))
            .respond_with(ResponseTemplate::new(200).set_body_json(connectors(250)))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v2024/connectors/bench/source-config"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(xml_document(5 * 1024 * 1024), "application/xml"))
            .mount(&server)
            .await;
        server
    });
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .allow_http(true)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    // Configured as a production client would be, with the same timeouts as the generated one.
    let http = reqwest::Client::builder()
        .user_agent("hand-written/1.0")
        .timeout(sailpoint_connectors::DEFAULT_TIMEOUT)
        .connect_timeout(sailpoint_connectors::DEFAULT_CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    let list_url = format!("{}/v2024/connectors", server.uri());
    let xml_url = format!("{}/v2024/connectors/bench/source-config", server.uri());

    let mut list = c.benchmark_group("list 250 connectors");
    list.bench_function("generated client", |b| {
        b.to_async(&runtime).iter(|| async {
            let page = client.get_connector_list().limit(250).send().await.expect("list");
            assert_eq!(page.body().len(), 250);
        })
    });
    list.bench_function("hand-written reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = http
                .get(format!("{list_url}?limit=250"))
                .bearer_auth(TOKEN)
                .header("accept", "application/json")
                .send()
                .await
                .expect("send")
                .error_for_status()
                .expect("status");
            let bytes = response.bytes().await.expect("body");
            let page: Vec<V3ConnectorDto> = serde_json::from_slice(&bytes).expect("decode");
            assert_eq!(page.len(), 250);
        })
    });
    list.finish();

    let mut xml = c.benchmark_group("download 5 MB XML");
    xml.sample_size(30);
    xml.bench_function("generated client", |b| {
        b.to_async(&runtime).iter(|| async {
            let document = client.get_connector_source_config("bench").send().await.expect("download");
            assert!(document.body().len() >= 5 * 1024 * 1024);
        })
    });
    xml.bench_function("hand-written reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = http
                .get(&xml_url)
                .bearer_auth(TOKEN)
                .header("accept", "application/xml")
                .send()
                .await
                .expect("send")
                .error_for_status()
                .expect("status");
            let document = response.text().await.expect("body");
            assert!(document.len() >= 5 * 1024 * 1024);
        })
    });
    xml.finish();
}

criterion_group!(overhead, benches);
criterion_main!(overhead);
