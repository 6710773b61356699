//! `items()` over 20 pages of 250 connectors from a local server that
//! answers each page after 50 ms, read by a caller that spends 20 ms on each
//! page: fetched sequentially, one page ahead (the default), and four pages
//! at once. Run with `cargo bench -p sailpoint-connectors --bench paging`.

use std::collections::HashMap;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use sailpoint_connectors::{Client, Items, RetryPolicy, TryStreamExt, V3ConnectorDto};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const PAGES: u64 = 20;
const PAGE_SIZE: u64 = 250;
const SERVER_TIME: Duration = Duration::from_millis(50);
const CALLER_TIME: Duration = Duration::from_millis(20);

/// `PAGES` full pages, with `X-Total-Count` when asked, each after `SERVER_TIME`.
struct Pages;

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: HashMap<String, String> = request.url.query_pairs().into_owned().collect();
        let offset: u64 = query.get("offset").map_or(0, |value| value.parse().expect("offset"));
        let end = (offset + PAGE_SIZE).min(PAGES * PAGE_SIZE);
        let items: Vec<_> = (offset..end)
            .map(|index| {
                json!({
                    "name": format!("connector {index}"),
                    "type": "custom connector type",
                    "scriptName": format!("connector-{index}"),
                    "className": "sailpoint.connector.OpenConnectorAdapter",
                    "features": ["PROVISIONING", "SEARCH"],
                    "directConnect": true,
                    "status": "RELEASED"
                })
            })
            .collect();
        let mut response = ResponseTemplate::new(200).set_body_json(items).set_delay(SERVER_TIME);
        if query.get("count").map(String::as_str) == Some("true") {
            response = response.insert_header("X-Total-Count", (PAGES * PAGE_SIZE).to_string().as_str());
        }
        response
    }
}

/// Reads every item, spending `CALLER_TIME` at the end of each page.
async fn consume(items: Items<V3ConnectorDto>) {
    let mut items = std::pin::pin!(items);
    let mut count = 0;
    while let Some(item) = items.try_next().await.expect("every page succeeds") {
        assert!(item.script_name.is_some());
        count += 1;
        if count % PAGE_SIZE == 0 {
            tokio::time::sleep(CALLER_TIME).await;
        }
    }
    assert_eq!(count, PAGES * PAGE_SIZE);
}

fn benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let server = runtime.block_on(async {
        let server = MockServer::builder().disable_request_recording().start().await;
        Mock::given(method("GET")).and(path("/v2024/connectors")).respond_with(Pages).mount(&server).await;
        server
    });
    let client = Client::builder()
        .base_url(server.uri())
        .token("bench-token")
        .allow_http(true)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");

    let mut group = c.benchmark_group("items of 20 pages (server 50 ms, caller 20 ms per page)");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("sequential", |b| {
        b.to_async(&runtime).iter(|| consume(client.get_connector_list().items().sequential()))
    });
    group.bench_function("one page ahead", |b| {
        b.to_async(&runtime).iter(|| consume(client.get_connector_list().items()))
    });
    group.bench_function("concurrency(4)", |b| {
        b.to_async(&runtime).iter(|| consume(client.get_connector_list().items().concurrency(4)))
    });
    group.finish();
}

criterion_group!(paging, benches);
criterion_main!(paging);
