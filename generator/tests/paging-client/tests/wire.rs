//! `items()` for each paging style of the paging fixture
//! (`generator/tests/fixtures/paging_styles/`), against a local mock server:
//! the exact page requests, filters kept on every page, no request past the
//! end, `max_items`, and errors ending the stream.

use paging_client::{Client, Error, RetryPolicy, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

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
