//! `get_connector_list().items()`: a lazy stream over every page, against a
//! server that pages like SailPoint's (`limit` at most 250, `X-Total-Count`
//! when `count=true`, 400 for an offset past the end); one page ahead by
//! default, several at once with `concurrency`, none ahead with `sequential`.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use futures_util::stream::FusedStream;
use sailpoint_connectors::{Client, Error, Locale, StreamExt, TryStreamExt, V3ConnectorDto};
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
    /// Added to the total reported: a server whose count is off.
    overstates_total_by: u64,
}

impl Connectors {
    fn like_sailpoint(n: u64) -> Self {
        Self { n, reports_total: true, refuses_offsets_past_the_end: true, fails_at: None, overstates_total_by: 0 }
    }

    fn without_total(n: u64) -> Self {
        Self { n, reports_total: false, refuses_offsets_past_the_end: false, fails_at: None, overstates_total_by: 0 }
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
            let total = self.n + self.overstates_total_by;
            response = response.insert_header("X-Total-Count", total.to_string().as_str());
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
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(received(&server).await.is_empty(), "nothing is fetched before the stream is polled");
    drop(items);

    // Sequential: three items need one page, and only that.
    let first: Vec<_> = client.get_connector_list().items().sequential().take(3).try_collect().await.expect("ok");
    assert_eq!(script_names(&first), expected_names(0..3));
    assert_eq!(page_requests(&server).await, [(0, 250)], "one page for three items");

    // Items 250 and 251 need the second page, and only that.
    server.reset().await;
    Connectors::like_sailpoint(1000).mount(&server).await;
    let some: Vec<_> =
        client.get_connector_list().items().sequential().skip(249).take(3).try_collect().await.expect("ok");
    assert_eq!(script_names(&some), expected_names(249..252));
    assert_eq!(page_requests(&server).await, [(0, 250), (250, 250)]);
}

/// Waits (at most 5 s) until the server has received `count` requests.
async fn wait_for_requests(server: &MockServer, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while received(server).await.len() < count {
        assert!(Instant::now() < deadline, "{count} requests expected, got {:?}", page_requests(server).await);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn the_next_page_is_fetched_while_the_caller_uses_this_one() {
    let (server, client) = setup().await;
    Connectors::like_sailpoint(1000).mount(&server).await;

    let mut items = client.get_connector_list().items();
    let first = items.next().await.expect("an item").expect("page 1");
    // The caller holds the stream without polling it: page 2 is fetched anyway, and no page after it.
    wait_for_requests(&server, 2).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(page_requests(&server).await, [(0, 250), (250, 250)], "one page ahead, no more");

    let rest: Vec<_> = items.try_collect().await.expect("every page succeeds");
    let names: Vec<_> = std::iter::once(first).chain(rest).map(|item| item.script_name.unwrap()).collect();
    assert_eq!(names, expected_names(0..1000));
    assert_eq!(page_requests(&server).await, [(0, 250), (250, 250), (500, 250), (750, 250)]);
}

#[tokio::test]
async fn dropping_the_stream_stops_the_page_being_fetched_ahead() {
    let (server, client) = setup().await;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let slow = Slow { pages: Connectors::like_sailpoint(1000), delay: Duration::from_millis(300), arrivals };
    Mock::given(method("GET")).and(path(LIST)).respond_with(slow).mount(&server).await;

    let mut items = client.get_connector_list().items();
    items.next().await.expect("an item").expect("page 1");
    wait_for_requests(&server, 2).await;
    drop(items);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(page_requests(&server).await, [(0, 250), (250, 250)], "nothing is fetched after the drop");
}

/// Answers like [`Connectors`] after `delay`, noting when each page was asked for.
struct Slow {
    pages: Connectors,
    delay: Duration,
    arrivals: Arc<Mutex<Vec<(u64, Instant)>>>,
}

impl Respond for Slow {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let offset =
            request.url.query_pairs().find(|(name, _)| name == "offset").map_or(0, |(_, value)| value.parse().unwrap());
        self.arrivals.lock().unwrap().push((offset, Instant::now()));
        self.pages.respond(request).set_delay(self.delay)
    }
}

#[tokio::test]
async fn concurrency_fetches_several_pages_at_once_and_yields_in_order() {
    let (server, client) = setup().await;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let delay = Duration::from_millis(300);
    let slow = Slow { pages: Connectors::like_sailpoint(2000), delay, arrivals: Arc::clone(&arrivals) };
    Mock::given(method("GET")).and(path(LIST)).respond_with(slow).mount(&server).await;

    let items: Vec<_> = client.get_connector_list().items().concurrency(4).try_collect().await.expect("ok");

    assert_eq!(script_names(&items), expected_names(0..2000), "in order");
    let arrivals = arrivals.lock().unwrap().clone();
    let mut offsets: Vec<_> = arrivals.iter().map(|(offset, _)| *offset).collect();
    offsets.sort_unstable();
    assert_eq!(offsets, (0..8).map(|page| page * 250).collect::<Vec<_>>(), "each page once, none past the end");
    let at = |offset: u64| arrivals.iter().find(|(at, _)| *at == offset).unwrap().1;
    // Once page 1 reported the total, pages 2 to 5 are asked for together...
    let together = [250, 500, 750, 1000].map(at);
    let spread = together.iter().max().unwrap().duration_since(*together.iter().min().unwrap());
    assert!(spread < delay / 2, "pages 2 to 5 asked for {spread:?} apart");
    // ...and page 6 only once page 2 is in: never more than four at once.
    assert!(at(1250).duration_since(at(250)) >= delay * 4 / 5, "page 6 asked for too early");
}

#[tokio::test]
async fn concurrency_without_a_total_fetches_one_page_at_a_time() {
    let (server, client) = setup().await;
    Connectors::without_total(600).mount(&server).await;

    let items: Vec<_> = client.get_connector_list().items().concurrency(4).try_collect().await.expect("ok");

    assert_eq!(script_names(&items), expected_names(0..600));
    assert_eq!(page_requests(&server).await, [(0, 250), (250, 250), (500, 250)]);
}

#[tokio::test]
async fn with_concurrency_a_short_page_ends_the_stream_whatever_the_total_said() {
    let (server, client) = setup().await;
    let overstated = Connectors {
        overstates_total_by: 1000,
        refuses_offsets_past_the_end: false,
        ..Connectors::like_sailpoint(600)
    };
    overstated.mount(&server).await;

    let items: Vec<_> = client.get_connector_list().items().concurrency(4).try_collect().await.expect("ok");

    assert_eq!(script_names(&items), expected_names(0..600), "the pages after the short one are dropped");
}

#[tokio::test]
async fn with_concurrency_an_error_comes_after_every_item_before_it() {
    let (server, client) = setup().await;
    Connectors { fails_at: Some(500), ..Connectors::like_sailpoint(2000) }.mount(&server).await;

    let outcomes: Vec<Result<V3ConnectorDto, Error>> =
        client.get_connector_list().items().concurrency(4).collect().await;

    assert_eq!(outcomes.len(), 501, "two pages, then the error, then nothing");
    assert_eq!(
        script_names(&outcomes[..500].iter().map(|item| item.as_ref().unwrap().clone()).collect::<Vec<_>>()),
        expected_names(0..500)
    );
    assert_eq!(outcomes[500].as_ref().expect_err("page 3 fails").status().map(|status| status.as_u16()), Some(500));
}

/// Pages of `n` connectors, where the first request for page 2 is refused
/// with 429 and `Retry-After: 2`, and the first for page 3, a little later,
/// with 429 and `Retry-After: 0`.
struct Throttled {
    pages: Connectors,
    arrivals: Arc<Mutex<Vec<(u64, Instant)>>>,
}

impl Respond for Throttled {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let offset =
            request.url.query_pairs().find(|(name, _)| name == "offset").map_or(0, |(_, value)| value.parse().unwrap());
        let mut arrivals = self.arrivals.lock().unwrap();
        let first_time = !arrivals.iter().any(|(seen, _)| *seen == offset);
        arrivals.push((offset, Instant::now()));
        match (offset, first_time) {
            (250, true) => ResponseTemplate::new(429).insert_header("Retry-After", "2"),
            (500, true) => {
                ResponseTemplate::new(429).insert_header("Retry-After", "0").set_delay(Duration::from_millis(300))
            }
            _ => self.pages.respond(request),
        }
    }
}

#[tokio::test]
async fn a_429_on_one_page_pauses_the_requests_of_the_others() {
    let server = exclusive_server().await;
    let client = Client::builder().base_url(server.uri()).token(TOKEN).allow_http(true).build().unwrap();
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let throttled = Throttled { pages: Connectors::like_sailpoint(1000), arrivals: Arc::clone(&arrivals) };
    Mock::given(method("GET")).and(path(LIST)).respond_with(throttled).mount(&server).await;

    let items: Vec<_> = client.get_connector_list().items().concurrency(4).try_collect().await.expect("retried");

    assert_eq!(script_names(&items), expected_names(0..1000));
    let arrivals = arrivals.lock().unwrap().clone();
    let times =
        |offset: u64| arrivals.iter().filter(|(at, _)| *at == offset).map(|(_, time)| *time).collect::<Vec<_>>();
    let (page_2, page_3) = (times(250), times(500));
    assert_eq!((page_2.len(), page_3.len()), (2, 2), "each throttled page is sent twice: {arrivals:?}");
    // Page 3 was told it could retry at once, but page 2's wait applies to it too.
    let waited = page_3[1].duration_since(page_2[0]);
    assert!(waited >= Duration::from_millis(1800), "page 3 retried {waited:?} after page 2's 429");
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
