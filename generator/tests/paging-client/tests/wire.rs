//! `items()` for each paging style of the paging fixture
//! (`generator/tests/fixtures/paging_styles/`), against a local mock server:
//! the exact page requests, filters kept on every page, no request past the
//! end, `max_items`, errors ending the stream, and search-after past a
//! server's 10,000-result window.

use std::cmp::Ordering;

use paging_client::{Client, Error, RetryPolicy, Search, SearchDocument, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client =
        Client::builder().base_url(server.uri()).allow_http(true).retry_policy(RetryPolicy::none()).build().unwrap();
    (server, client)
}

fn things(ids: std::ops::Range<i64>) -> Value {
    Value::Array(ids.map(|id| json!({"id": id})).collect())
}

/// Each request's query, as `name=value` pairs joined by `&` in the order sent.
async fn queries(server: &MockServer) -> Vec<String> {
    let received: Vec<Request> = server.received_requests().await.unwrap();
    received.iter().map(|request| request.url.query().unwrap_or("").to_owned()).collect()
}

fn ids(items: &[paging_client::Thing]) -> Vec<i64> {
    items.iter().map(|thing| thing.id).collect()
}

#[tokio::test]
async fn page_numbers_start_at_the_stated_first_page_and_stop_after_a_short_page() {
    let (server, client) = setup().await;
    for (page, range) in [("1", 0..50), ("2", 50..100), ("3", 100..120)] {
        Mock::given(method("GET"))
            .and(path("/numbered"))
            .and(query_param("page", page))
            .respond_with(ResponseTemplate::new(200).set_body_json(things(range)))
            .mount(&server)
            .await;
    }
    let items: Vec<_> = client.list_numbered().q("blue").items().try_collect().await.unwrap();
    assert_eq!(ids(&items), (0..120).collect::<Vec<_>>());
    assert_eq!(
        queries(&server).await,
        ["page=1&per_page=50&q=blue", "page=2&per_page=50&q=blue", "page=3&per_page=50&q=blue"],
        "the spec's largest page size, and the filter on every page"
    );
}

#[tokio::test]
async fn max_items_stops_page_numbers_without_asking_for_more() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(things(0..50)))
        .mount(&server)
        .await;
    let items: Vec<_> = client.list_numbered().items().max_items(60).try_collect().await.unwrap();
    assert_eq!(items.len(), 60);
    assert_eq!(queries(&server).await, ["page=1&per_page=50", "page=2&per_page=50"]);
}

#[tokio::test]
async fn items_inside_the_body_object_are_paged_by_limit_and_offset() {
    let (server, client) = setup().await;
    for (offset, range) in [("0", 0..2), ("2", 2..4), ("4", 4..5)] {
        Mock::given(method("GET"))
            .and(path("/wrapped"))
            .and(query_param("offset", offset))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"things": things(range), "_metadata": {"total": 5}})),
            )
            .mount(&server)
            .await;
    }
    let items: Vec<_> = client.list_wrapped().items().try_collect().await.unwrap();
    assert_eq!(ids(&items), [0, 1, 2, 3, 4]);
    assert_eq!(queries(&server).await, ["limit=2&offset=0", "limit=2&offset=2", "limit=2&offset=4"]);
}

#[tokio::test]
async fn the_token_in_the_next_page_url_is_followed_with_the_filters_kept() {
    let (server, client) = setup().await;
    let page = |range, next: Value| json!({"calls": things(range), "meta": {"next_page_url": next, "page_size": 2}});
    Mock::given(method("GET"))
        .and(path("/next-url"))
        .and(query_param("PageToken", "PT2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            2..4,
            json!("https://api.example.com/next-url?Status=busy&PageSize=2&Page=2&PageToken=PT3"),
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/next-url"))
        .and(query_param("PageToken", "PT3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(4..5, Value::Null)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/next-url"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(0..2, json!("/next-url?Status=busy&PageSize=2&Page=1&PageToken=PT2"))),
        )
        .with_priority(10)
        .mount(&server)
        .await;
    let items: Vec<_> = client.list_by_next_url().status("busy").page_size(2).items().try_collect().await.unwrap();
    assert_eq!(ids(&items), [0, 1, 2, 3, 4]);
    assert_eq!(
        queries(&server).await,
        ["PageSize=2&Status=busy", "PageSize=2&PageToken=PT2&Status=busy", "PageSize=2&PageToken=PT3&Status=busy"],
        "a null next URL ends the stream"
    );
}

#[tokio::test]
async fn a_cursor_in_the_body_is_sent_back_until_none_is_given() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(query_param("cursor", "c1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": things(1..2)})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": things(0..1), "next_cursor": "c1"})))
        .with_priority(10)
        .mount(&server)
        .await;
    let items: Vec<_> = client.list_by_next_token().items().try_collect().await.unwrap();
    assert_eq!(ids(&items), [0, 1]);
    assert_eq!(queries(&server).await, ["", "cursor=c1"]);
}

#[tokio::test]
async fn a_cursor_that_repeats_ends_the_stream_instead_of_looping() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": things(0..1), "next_cursor": "same"})))
        .mount(&server)
        .await;
    let items: Vec<_> = client.list_by_next_token().items().try_collect().await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(queries(&server).await, ["", "cursor=same"]);
}

#[tokio::test]
async fn the_link_headers_next_url_carries_the_token_declared_in_the_config() {
    let (server, client) = setup().await;
    let link =
        r#"<https://api.example.com/linked?page_token=abc>; rel="next", <https://api.example.com/linked>; rel="first""#;
    Mock::given(method("GET"))
        .and(query_param("page_token", "abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(things(1..2)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(things(0..1)).insert_header("link", link))
        .with_priority(10)
        .mount(&server)
        .await;
    let items: Vec<_> = client.list_linked().items().try_collect().await.unwrap();
    assert_eq!(ids(&items), [0, 1]);
    assert_eq!(queries(&server).await, ["", "page_token=abc"]);
}

/// Answers `/cursor-only` with page `cursor` (`""` for the first) of one
/// item each, and the `Link` header each page is given.
async fn cursor_pages(server: &MockServer, pages: &[(&str, i64, Option<&str>)]) {
    for &(cursor, id, next) in pages {
        let mut response = ResponseTemplate::new(200).set_body_json(things(id..id + 1));
        if let Some(next) = next {
            let link = format!(r#"<{}/cursor-only?cursor={next}&kind=a>; rel="next""#, server.uri());
            response = response.insert_header("link", link.as_str());
        }
        let mock = Mock::given(method("GET")).and(path("/cursor-only"));
        if cursor.is_empty() {
            mock.respond_with(response).with_priority(10).mount(server).await;
        } else {
            mock.and(query_param("cursor", cursor)).respond_with(response).mount(server).await;
        }
    }
}

#[tokio::test]
async fn a_cursor_parameter_pages_by_the_link_header_the_spec_never_mentions() {
    let (server, client) = setup().await;
    cursor_pages(&server, &[("", 0, Some("b")), ("b", 1, Some("c")), ("c", 2, None)]).await;
    let items: Vec<_> = client.list_by_cursor().kind("a").items().try_collect().await.unwrap();
    assert_eq!(ids(&items), [0, 1, 2]);
    assert_eq!(queries(&server).await, ["kind=a", "cursor=b&kind=a", "cursor=c&kind=a"]);
}

#[tokio::test]
async fn without_a_link_header_a_cursor_list_is_one_page() {
    let (server, client) = setup().await;
    cursor_pages(&server, &[("", 0, None)]).await;
    let items: Vec<_> = client.list_by_cursor().items().try_collect().await.unwrap();
    assert_eq!(ids(&items), [0]);
    assert_eq!(queries(&server).await, [""]);
}

#[tokio::test]
async fn a_link_header_that_names_the_same_page_again_ends_the_stream() {
    let (server, client) = setup().await;
    cursor_pages(&server, &[("", 0, Some("b")), ("b", 1, Some("b"))]).await;
    let items: Vec<_> = client.list_by_cursor().items().try_collect().await.unwrap();
    assert_eq!(ids(&items), [0, 1]);
    assert_eq!(queries(&server).await, ["", "cursor=b"]);
}

/// A SCIM server of `total` users, `itemsPerPage` at most 2, each page
/// from the `startIndex` asked for (1 when not).
async fn scim_users(server: &MockServer, total: i64) {
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users"))
        .respond_with(move |request: &Request| {
            let start: i64 = request
                .url
                .query_pairs()
                .find(|(name, _)| name == "startIndex")
                .map_or(1, |(_, value)| value.parse().unwrap());
            let count: i64 = request
                .url
                .query_pairs()
                .find(|(name, _)| name == "count")
                .map_or(2, |(_, value)| value.parse().unwrap());
            let end = (start - 1 + count.min(2)).min(total);
            let body = json!({"totalResults": total, "itemsPerPage": end - (start - 1), "startIndex": start,
                              "Resources": things(start - 1..end)});
            ResponseTemplate::new(200).set_body_json(body)
        })
        .mount(server)
        .await;
}

#[tokio::test]
async fn scim_lists_page_by_start_index_from_one_and_stop_at_total_results() {
    let (server, client) = setup().await;
    scim_users(&server, 5).await;
    let items: Vec<_> = client.list_scim_users().filter("active eq true").items().try_collect().await.unwrap();
    assert_eq!(ids(&items), [0, 1, 2, 3, 4]);
    assert_eq!(
        queries(&server).await,
        [
            "startIndex=1&count=2&filter=active+eq+true",
            "startIndex=3&count=2&filter=active+eq+true",
            "startIndex=5&count=2&filter=active+eq+true",
        ],
        "no request past totalResults"
    );
}

#[tokio::test]
async fn a_scim_start_index_set_by_the_caller_is_the_first_pages() {
    let (server, client) = setup().await;
    scim_users(&server, 4).await;
    let items: Vec<_> = client.list_scim_users().start_index(3).items().try_collect().await.unwrap();
    assert_eq!(ids(&items), [2, 3]);
    assert_eq!(queries(&server).await, ["startIndex=3&count=2"]);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_items_before_it() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(query_param("cursor", "c1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": things(0..2), "next_cursor": "c1"})))
        .with_priority(10)
        .mount(&server)
        .await;
    let mut items = client.list_by_next_token().items();
    assert_eq!(items.try_next().await.unwrap().map(|thing| thing.id), Some(0));
    assert_eq!(items.try_next().await.unwrap().map(|thing| thing.id), Some(1));
    assert!(matches!(items.try_next().await, Err(Error::Api(_))));
    assert!(items.try_next().await.unwrap().is_none(), "nothing after the error");
}

#[tokio::test]
async fn nothing_is_fetched_until_the_stream_is_polled() {
    let (server, client) = setup().await;
    let items = client.list_by_next_token().items();
    assert!(server.received_requests().await.unwrap().is_empty());
    drop(items);
}

/// A search server shaped like SailPoint's: it refuses `offset + limit` over
/// 10,000, and serves the documents in the order of the body's `sort`
/// (`-` before a key for descending), from the one after the body's
/// `searchAfter` values, `limit` at a time (250 when not given).
struct SearchServer {
    documents: Vec<Value>,
}

impl Respond for SearchServer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let number = |name: &str| {
            request.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.parse::<usize>().unwrap())
        };
        let (limit, offset) = (number("limit").unwrap_or(250), number("offset").unwrap_or(0));
        if offset + limit > 10_000 {
            return ResponseTemplate::new(400).set_body_json(json!({"message": "offset + limit may not exceed 10000"}));
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let strings =
            |field: &str| -> Option<Vec<String>> { serde_json::from_value(body.get(field)?.clone()).unwrap() };
        let sort = strings("sort").unwrap_or_default();
        let after = strings("searchAfter");
        let mut sorted: Vec<(Vec<String>, &Value)> =
            self.documents.iter().map(|document| (sort_values(document, &sort), document)).collect();
        sorted.sort_by(|(a, _), (b, _)| compare(&sort, a, b));
        let page: Vec<&Value> = sorted
            .iter()
            .filter(|(values, _)| after.as_ref().is_none_or(|after| compare(&sort, values, after) == Ordering::Greater))
            .skip(offset)
            .take(limit)
            .map(|(_, document)| *document)
            .collect();
        ResponseTemplate::new(200).set_body_json(page)
    }
}

/// A document's values for each sort key (every field sorted on is a string here).
fn sort_values(document: &Value, sort: &[String]) -> Vec<String> {
    sort.iter()
        .map(|key| {
            let field = key.trim_start_matches(['+', '-']);
            document[field].as_str().unwrap_or_else(|| panic!("{document} has no `{field}`")).to_owned()
        })
        .collect()
}

/// Two documents' sort values compared key by key, each in its direction.
fn compare(sort: &[String], a: &[String], b: &[String]) -> Ordering {
    sort.iter()
        .zip(a.iter().zip(b))
        .map(|(key, (a, b))| if key.starts_with('-') { b.cmp(a) } else { a.cmp(b) })
        .find(|order| order.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// `count` documents, identities and roles in turn, with unique ids and
/// names and creation dates that tie often, so a page's last name and date
/// run on into the next page and only the id tells the documents apart.
fn search_documents(count: usize) -> Vec<Value> {
    (0..count)
        .map(|index| {
            // 7919 is prime to the counts used, so the ids are a permutation.
            let id = format!("2c91808{:05}", (index * 7919) % count);
            let name = format!("name{:03}", (index * 31) % 997);
            let created = format!("2024-{:02}-01T00:00:00Z", index % 12 + 1);
            match index % 2 {
                0 => json!({"id": id, "name": name, "created": created, "email": format!("{name}@example.com")}),
                _ => json!({"id": id, "name": name, "created": created, "owner": "admin"}),
            }
        })
        .collect()
}

async fn search_server(documents: &[Value]) -> (MockServer, Client) {
    let (server, client) = setup().await;
    serve_search(&server, documents).await;
    (server, client)
}

/// Forgets the requests received and serves `documents` afresh.
async fn serve_search(server: &MockServer, documents: &[Value]) {
    server.reset().await;
    let documents = documents.to_vec();
    Mock::given(method("POST")).and(path("/search")).respond_with(SearchServer { documents }).mount(server).await;
}

fn search_body(sort: &[&str]) -> Search {
    Search::default().with_sort(sort.iter().map(|key| (*key).to_owned()).collect::<Vec<_>>())
}

/// Each search request: its query, and its body's `sort` and `searchAfter`.
async fn search_requests(server: &MockServer) -> Vec<(String, Value, Value)> {
    let received: Vec<Request> = server.received_requests().await.unwrap();
    received
        .iter()
        .map(|request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            (request.url.query().unwrap_or("").to_owned(), body["sort"].clone(), body["searchAfter"].clone())
        })
        .collect()
}

fn as_json(document: &SearchDocument) -> Value {
    serde_json::to_value(document).unwrap()
}

/// Checks that `items()` streamed every document in the order of `sort`,
/// each once, in pages of `page_size` whose requests each started after the
/// last values of the page before.
async fn assert_search_pages(
    server: &MockServer,
    streamed: &[SearchDocument],
    documents: &[Value],
    sort: &[String],
    page_size: usize,
    requests: usize,
) {
    let mut expected: Vec<&Value> = documents.iter().collect();
    expected.sort_by(|a, b| compare(sort, &sort_values(a, sort), &sort_values(b, sort)));
    let streamed: Vec<Value> = streamed.iter().map(as_json).collect();
    assert_eq!(streamed.len(), documents.len());
    assert!(streamed.iter().zip(&expected).all(|(got, want)| got["id"] == want["id"]), "every document once, in order");
    let sent = search_requests(server).await;
    assert_eq!(sent.len(), requests, "requests sent");
    for (index, (query, sent_sort, after)) in sent.iter().enumerate() {
        let count = if index == 0 { "&count=true" } else { "" };
        assert_eq!(*query, format!("limit={page_size}{count}"), "request {index}: no offset, ever");
        assert_eq!(*sent_sort, json!(sort), "request {index}");
        let want = match index {
            0 => Value::Null,
            _ => json!(sort_values(&streamed[index * page_size - 1], sort)),
        };
        assert_eq!(*after, want, "request {index} starts after the last values of the page before");
    }
}

#[tokio::test]
async fn search_after_streams_past_the_servers_10000_result_window() {
    let documents = search_documents(25_000);
    let (server, client) = search_server(&documents).await;
    // `limit` + `offset` alone would fail: the mock refuses any page past 10,000.
    let refused = client.search_documents(search_body(&["name"])).offset(10_000).limit(1).send().await;
    assert_eq!(refused.unwrap_err().status().map(|status| status.as_u16()), Some(400));
    serve_search(&server, &documents).await;

    // Two keys of the caller's, then `id` to break ties; pages of 10,000 (the
    // spec's largest): 10,000, 10,000 and a short page of 5,000 that ends it.
    let streamed: Vec<SearchDocument> =
        client.search_documents(search_body(&["name", "-created"])).items().try_collect().await.unwrap();
    let sort: Vec<String> = ["name", "-created", "id"].map(String::from).to_vec();
    assert_search_pages(&server, &streamed, &documents, &sort, 10_000, 3).await;

    // Pages of 1,000: 25 full pages, then an empty one, which ends the stream.
    serve_search(&server, &documents).await;
    let streamed: Vec<SearchDocument> =
        client.search_documents(search_body(&["name", "-created"])).limit(1000).items().try_collect().await.unwrap();
    assert_search_pages(&server, &streamed, &documents, &sort, 1000, 26).await;
}

#[tokio::test]
async fn a_sort_that_names_the_id_already_gets_no_second_one() {
    let documents = search_documents(12);
    let (server, client) = search_server(&documents).await;
    // An offset set on the builder is never sent: pages start after values instead.
    let streamed: Vec<SearchDocument> =
        client.search_documents(search_body(&["-id"])).limit(5).offset(9_999).items().try_collect().await.unwrap();
    let sort = vec!["-id".to_owned()];
    assert_search_pages(&server, &streamed, &documents, &sort, 5, 3).await;
}

#[tokio::test]
async fn a_last_item_without_a_sort_value_fails_after_its_page_and_asks_no_more() {
    let (server, client) = setup().await;
    let page = json!([
        {"id": "a", "name": "Ann", "created": "2024-01-01T00:00:00Z"},
        {"id": "b", "name": "Bo"},
    ]);
    Mock::given(method("POST"))
        .and(path("/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let mut items = client.search_documents(search_body(&["created"])).limit(2).items();
    assert_eq!(items.try_next().await.unwrap().map(|document| as_json(&document)["id"].clone()), Some(json!("a")));
    assert_eq!(items.try_next().await.unwrap().map(|document| as_json(&document)["id"].clone()), Some(json!("b")));
    let error = items.try_next().await.unwrap_err();
    assert!(matches!(error, Error::Paging { operation: "searchDocuments", .. }), "{error:?}");
    assert!(error.to_string().contains("sort key `created`"), "{error}");
    assert!(items.try_next().await.unwrap().is_none(), "nothing after the error");
    assert_eq!(search_requests(&server).await.len(), 1, "no request for a page that cannot be named");
}

#[tokio::test]
async fn a_server_that_repeats_the_same_last_values_ends_the_stream_instead_of_looping() {
    let (server, client) = setup().await;
    // Whatever `searchAfter` says, the same full page.
    let page = json!([{"id": "a", "name": "Ann"}, {"id": "b", "name": "Bo"}]);
    Mock::given(method("POST"))
        .and(path("/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let streamed: Vec<SearchDocument> =
        client.search_documents(search_body(&["name"])).limit(2).items().try_collect().await.unwrap();
    assert_eq!(streamed.len(), 4, "two pages, the second the same as the first");
    let sent = search_requests(&server).await;
    assert_eq!(sent.iter().map(|(_, _, after)| after.clone()).collect::<Vec<_>>(), [Value::Null, json!(["Bo", "b"])]);
}
