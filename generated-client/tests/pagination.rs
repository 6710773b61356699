//! `get_connector_list().items()`: a lazy stream over every page, against a
//! server that pages like SailPoint's (`limit` at most 250, `X-Total-Count`
//! when `count=true`, 400 for an offset past the end).

mod common;

use std::collections::HashMap;

use common::*;
use futures_util::stream::FusedStream;
use sailpoint_connectors::{Error, Locale, StreamExt, TryStreamExt, V3ConnectorDto};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const LIST: &str = "/v2024/connectors";

/// Serves `n` generated connectors, honouring `limit` and `offset`.
struct Connectors {
    n: u64,
    /// Whether `count=true` is answered with `X-Total-Count`.
    reports_total: bool,
    /// Whether an offset at or past the end is refused with 400, as
    /// SailPoint does; otherwise it gets an empty page.
    refuses_offsets_past_the_end: bool,
    /// The offset whose page fails with 500, if any.
    fails_at: Option<u64>,
}

impl Connectors {
    fn like_sailpoint(n: u64) -> Self {
        Self { n, reports_total: true, refuses_offsets_past_the_end: true, fails_at: None }
    }

    fn without_total(n: u64) -> Self {
        Self { n, reports_total: false, refuses_offsets_past_the_end: false, fails_at: None }
    }

    async fn mount(self, server: &MockServer) {
        Mock::given(method("GET")).and(path(LIST)).respond_with(self).mount(server).await;
    }
}

fn bad_request(text: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({ "messages": [{ "text": text }] }))
}

fn connector(i: u64) -> serde_json::Value {
    json!({ "name": format!("Connector {i}"), "scriptName": format!("connector-{i}"), "status": "RELEASED" })
}

impl Respond for Connectors {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: HashMap<String, String> = request.url.query_pairs().into_owned().collect();
        let number = |name: &str, default: u64| query.get(name).map_or(Some(default), |value| value.parse().ok());
        let (Some(limit), Some(offset)) = (number("limit", 250), number("offset", 0)) else {
            return bad_request("limit or offset is not a number");
        };
        if limit == 0 || limit > 250 {
            return bad_request("limit is invalid");
        }
        if self.refuses_offsets_past_the_end && self.n > 0 && offset >= self.n {
            return bad_request("offset is invalid");
        }
        if self.fails_at == Some(offset) {
            return ResponseTemplate::new(500).set_body_json(json!({ "messages": [{ "text": "page failed" }] }));
        }
        let items: Vec<_> = (offset..(offset + limit).min(self.n)).map(connector).collect();
        let mut response = ResponseTemplate::new(200).set_body_json(items);
        if self.reports_total && query.get("count").map(String::as_str) == Some("true") {
            response = response.insert_header("X-Total-Count", self.n.to_string().as_str());
        }
        response
    }
}

/// `(offset, limit)` of every page request, in order.
async fn page_requests(server: &MockServer) -> Vec<(u64, u64)> {
    received(server)
        .await
        .iter()
        .map(|request| {
            let query: HashMap<String, String> = request.url.query_pairs().into_owned().collect();
            let offset = query.get("offset").expect("offset is always sent").parse().unwrap();
            let limit = query.get("limit").expect("limit is always sent").parse().unwrap();
            (offset, limit)
        })
        .collect()
}

/// The `count` parameter of every page request, in order.
async fn count_parameters(server: &MockServer) -> Vec<Option<String>> {
    received(server)
        .await
        .iter()
        .map(|request| request.url.query_pairs().find(|(name, _)| name == "count").map(|(_, value)| value.into_owned()))
        .collect()
}

fn script_names(items: &[V3ConnectorDto]) -> Vec<String> {
    items.iter().map(|item| item.script_name.clone().expect("every item has a script name")).collect()
}

fn expected_names(range: std::ops::Range<u64>) -> Vec<String> {
    range.map(|i| format!("connector-{i}")).collect()
}

#[tokio::test]
async fn every_item_is_streamed_in_order_without_asking_past_the_end() {
    let cases: [(u64, &[(u64, u64)]); 5] = [
        (0, &[(0, 250)]),
        (1, &[(0, 250)]),
        (250, &[(0, 250)]),
        (251, &[(0, 250), (250, 250)]),
        (1000, &[(0, 250), (250, 250), (500, 250), (750, 250)]),
    ];
    for (n, expected_requests) in cases {
        let (server, client) = setup().await;
        Connectors::like_sailpoint(n).mount(&server).await;

        let items: Vec<V3ConnectorDto> = client
            .get_connector_list()
            .items()
            .try_collect()
            .await
            .unwrap_or_else(|error| panic!("{n} items: {error}"));

        assert_eq!(script_names(&items), expected_names(0..n), "{n} items");
        assert_eq!(page_requests(&server).await, expected_requests, "page requests for {n} items");
        let mut counts = vec![None; expected_requests.len()];
        counts[0] = Some("true".to_owned());
        assert_eq!(count_parameters(&server).await, counts, "only the first page asks for the count ({n} items)");
    }
}

#[tokio::test]
async fn without_a_total_a_full_last_page_is_followed_by_one_empty_page() {
    for (n, expected_requests) in [
        (0, vec![(0, 250)]),
        (249, vec![(0, 250)]),
        (250, vec![(0, 250), (250, 250)]),
        (600, vec![(0, 250), (250, 250), (500, 250)]),
    ] {
        let (server, client) = setup().await;
        Connectors::without_total(n).mount(&server).await;

        let mut items = client.get_connector_list().items();
        assert!(!items.is_terminated());
        let mut names = Vec::new();
        while let Some(item) = items.next().await {
            names.push(item.expect("every page succeeds").script_name.unwrap());
        }

        assert_eq!(names, expected_names(0..n), "{n} items");
        assert_eq!(page_requests(&server).await, expected_requests, "{n} items");
        assert!(items.is_terminated());
        assert!(items.next().await.is_none(), "the stream stays ended");
        assert_eq!(received(&server).await.len(), expected_requests.len(), "nothing is fetched after the end");
    }
}

#[tokio::test]
async fn filters_and_locale_apply_to_every_page_and_limit_and_offset_set_the_pages() {
    let (server, client) = setup().await;
    Connectors::like_sailpoint(600).mount(&server).await;
    let filters = r#"directConnect eq "true""#;

    let items: Vec<_> = client
        .get_connector_list()
        .filters(filters)
        .locale(Locale::De)
        .limit(100)
        .offset(350)
        .items()
        .try_collect()
        .await
        .expect("every page succeeds");

    assert_eq!(script_names(&items), expected_names(350..600));
    assert_eq!(page_requests(&server).await, [(350, 100), (450, 100), (550, 100)]);
    for request in received(&server).await {
        let query: HashMap<String, String> = request.url.query_pairs().into_owned().collect();
        assert_eq!(query.get("filters").map(String::as_str), Some(filters), "{}", request.url);
        assert_eq!(query.get("locale").map(String::as_str), Some("de"), "{}", request.url);
        assert_eq!(single_header(&request, "authorization"), format!("Bearer {TOKEN}"));
    }
}

#[tokio::test]
async fn the_stream_is_lazy() {
    let (server, client) = setup().await;
    Connectors::like_sailpoint(1000).mount(&server).await;

    let items = client.get_connector_list().items();
    assert!(received(&server).await.is_empty(), "nothing is fetched before the stream is polled");
    let first: Vec<_> = items.take(3).try_collect().await.expect("ok");

    assert_eq!(script_names(&first), expected_names(0..3));
    assert_eq!(page_requests(&server).await, [(0, 250)], "one page for three items");

    // Items 250 and 251 need the second page, and only that.
    server.reset().await;
    Connectors::like_sailpoint(1000).mount(&server).await;
    let some: Vec<_> = client.get_connector_list().items().skip(249).take(3).try_collect().await.expect("ok");
    assert_eq!(script_names(&some), expected_names(249..252));
    assert_eq!(page_requests(&server).await, [(0, 250), (250, 250)]);
}

#[tokio::test]
async fn max_items_caps_the_total_and_shrinks_the_last_page() {
    for (cap, expected_requests) in [
        (300, vec![(0, 250), (250, 50)]),
        (250, vec![(0, 250)]),
        (10, vec![(0, 10)]),
        (0, vec![]),
        (5000, vec![(0, 250), (250, 250), (500, 250), (750, 250)]),
    ] {
        let (server, client) = setup().await;
        Connectors::like_sailpoint(1000).mount(&server).await;

        let items: Vec<_> = client.get_connector_list().items().max_items(cap).try_collect().await.expect("ok");

        assert_eq!(script_names(&items), expected_names(0..cap.min(1000)), "max_items({cap})");
        assert_eq!(page_requests(&server).await, expected_requests, "max_items({cap})");
    }
}

#[tokio::test]
async fn an_error_on_a_later_page_is_yielded_and_ends_the_stream() {
    let (server, client) = setup().await;
    let failing = Connectors { fails_at: Some(250), ..Connectors::like_sailpoint(1000) };
    failing.mount(&server).await;

    let outcomes: Vec<Result<V3ConnectorDto, Error>> = client.get_connector_list().items().collect().await;

    assert_eq!(outcomes.len(), 251, "the first page, then the error, then nothing");
    assert!(outcomes[..250].iter().all(Result::is_ok));
    let error = outcomes[250].as_ref().expect_err("the second page fails");
    let api = api_error(error);
    assert_eq!(api.status().as_u16(), 500);
    assert_eq!(api.operation(), "getConnectorList");
    assert!(error.to_string().contains("page failed"), "{error}");
    assert_eq!(page_requests(&server).await, [(0, 250), (250, 250)], "no page is fetched after the error");
}

#[tokio::test]
async fn an_error_on_the_first_page_is_the_only_item() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(403).set_body_json(error_document("403", "forbidden")))
        .mount(&server)
        .await;

    let mut items = client.get_connector_list().items();
    let error = items.next().await.expect("one item").expect_err("the error");
    assert_error_document(&error, "getConnectorList", 403, "403", "forbidden");
    assert!(items.next().await.is_none());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn try_collect_stops_at_the_first_error() {
    let (server, client) = setup().await;
    Connectors { fails_at: Some(500), ..Connectors::like_sailpoint(1000) }.mount(&server).await;

    let outcome: Result<Vec<V3ConnectorDto>, Error> = client.get_connector_list().items().try_collect().await;

    assert_eq!(outcome.expect_err("page 3 fails").status().map(|status| status.as_u16()), Some(500));
    assert_eq!(page_requests(&server).await, [(0, 250), (250, 250), (500, 250)]);
}

#[test]
fn items_show_their_state_in_debug() {
    let client = sailpoint_connectors::Client::new("https://acme.api.identitynow.com", TOKEN).unwrap();
    let items = client.get_connector_list().offset(7).items().max_items(3);
    let shown = format!("{items:?}");
    assert!(shown.contains("offset 7") && shown.contains("Some(3)"), "{shown}");
    assert!(!shown.contains(TOKEN));
}
