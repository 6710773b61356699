//! The exact wire format of every construct in the kitchen-sink spec
//! (`generator/tests/fixtures/kitchen_sink/openapi.yaml`), against a local
//! mock server: form bodies with styles, streamed binary uploads, text
//! bodies and responses, cookies, every query style, and names that clash.

use kitchen_sink_client::models::{Point, PostFormsRequest, PostFormsRequestFilter, PostFormsRequestMeta, Range};
use kitchen_sink_client::{Client, Error, RetryPolicy, Upload};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .token("t")
        .allow_http(true)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    (server, client)
}

async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "{received:?}");
    received.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|value| value.to_str().unwrap())
}

#[tokio::test]
async fn a_form_body_is_url_encoded_by_each_propertys_style() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/forms"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"sid": "S1"})))
        .mount(&server)
        .await;
    let body = PostFormsRequest::new("+1 555&x=y".to_owned())
        .with_tags(vec!["a b".to_owned(), "c".to_owned()])
        .with_codes(vec![1, 2, 3])
        .with_filter(PostFormsRequestFilter::default().with_kind("k").with_max(5))
        .with_meta(PostFormsRequestMeta::default().with_a("1"))
        .with_sizes(vec![1, 2])
        .with_colors(vec!["red".to_owned(), "blue".to_owned()]);
    let response = client.post_forms(body).send().await.unwrap();
    assert_eq!(response.body().sid.as_deref(), Some("S1"));

    let request = only_request(&server).await;
    // The form is preferred over the XML body the operation also accepts.
    assert_eq!(header(&request, "content-type"), Some("application/x-www-form-urlencoded"));
    let text = String::from_utf8(request.body.clone()).unwrap();
    // Property order follows serde_json's map (name order, or spec order
    // where a build enables `preserve_order`); within one, pairs keep order.
    let mut encoded: Vec<&str> = text.split('&').collect();
    encoded.sort();
    assert_eq!(
        encoded,
        [
            "Codes=1%7C2%7C3",
            "Colors=red%2Cblue",
            "Filter%5Bkind%5D=k",
            "Filter%5Bmax%5D=5",
            "Meta=%7B%22a%22%3A%221%22%7D",
            "Sizes=1",
            "Sizes=2",
            "Tags=a+b",
            "Tags=c",
            "To=%2B1+555%26x%3Dy",
        ]
    );
    assert!(text.contains("Tags=a+b&Tags=c"), "{text}");
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&text).unwrap();
    assert!(pairs.contains(&("Meta".to_owned(), r#"{"a":"1"}"#.to_owned())), "objects without a style are JSON");
}

#[tokio::test]
async fn a_binary_body_streams_a_file_and_cookies_travel_in_one_header() {
    let (server, client) = setup().await;
    Mock::given(method("PUT")).and(path("/api/files/42")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let file = tempfile::NamedTempFile::new().unwrap();
    let content: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    std::fs::write(file.path(), &content).unwrap();
    client
        .upload_file(42, "s1", Upload::from_path(file.path()))
        .theme("dark")
        .x_trace("abc")
        .x_tags(vec!["a".to_owned(), "b c".to_owned()])
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.body, content, "the file arrives byte for byte");
    assert_eq!(header(&request, "content-type"), Some("application/octet-stream"));
    assert_eq!(header(&request, "content-length"), Some("300000"));
    assert_eq!(header(&request, "cookie"), Some("session=s1; theme=dark"));
    assert_eq!(header(&request, "x-trace"), Some("abc"));
    // Header arrays are one header, items joined by commas (`simple`).
    assert_eq!(request.headers.get_all("x-tags").iter().count(), 1);
    assert_eq!(header(&request, "x-tags"), Some("a,b c"));
}

#[tokio::test]
async fn bytes_in_memory_upload_with_the_callers_content_type() {
    let (server, client) = setup().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let upload = Upload::from_bytes(vec![0u8, 1, 2]).content_type("image/png");
    client.upload_file(7, "s", upload).send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.body, vec![0u8, 1, 2]);
    assert_eq!(header(&request, "content-type"), Some("image/png"));
}

#[tokio::test]
async fn a_missing_file_is_an_invalid_request_not_a_panic() {
    let (_server, client) = setup().await;
    let error = client.upload_file(1, "s", Upload::from_path("/no/such/file")).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error}");
}

#[tokio::test]
async fn cookie_values_that_could_end_the_cookie_are_refused() {
    let (server, client) = setup().await;
    for value in ["a;b", "a b", "a\r\nb", "a,b"] {
        let error = client.upload_file(1, value, Upload::from_bytes(vec![1u8])).send().await.unwrap_err();
        assert!(matches!(error, Error::InvalidRequest { .. }), "{value:?}: {error}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn binary_and_text_responses_and_a_text_body() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/files/3"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0x25u8, 0x50, 0xff], "application/pdf"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("saved: é", "text/plain"))
        .mount(&server)
        .await;
    let pdf = client.download_file(3).send().await.unwrap();
    assert_eq!(pdf.body().as_ref(), &[0x25u8, 0x50, 0xff]);
    let note = client.post_note().body("héllo\nworld").send().await.unwrap();
    assert_eq!(note.body(), "saved: é");
    let received = server.received_requests().await.unwrap();
    let sent = received.iter().find(|r| r.url.path() == "/api/notes").unwrap();
    assert_eq!(sent.body, "héllo\nworld".as_bytes());
    assert_eq!(header(sent, "content-type"), Some("text/plain"));
    // Without a body, none is sent.
    client.post_note().send().await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert!(received.last().unwrap().body.is_empty());
}

#[tokio::test]
async fn every_query_style_and_clashing_names() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(["x"])))
        .mount(&server)
        .await;
    let range = Range::default().with_from(1).with_to(9);
    let point = Point::default().with_x(3).with_y(4);
    client
        .search()
        .ids(vec![1, 2])
        .words(vec!["a".to_owned(), "b c".to_owned()])
        .flags(vec!["p".to_owned(), "q".to_owned()])
        .tag(vec!["t1".to_owned(), "t2".to_owned()])
        .range(range)
        .point(point)
        .set_limit("L")
        .limit2(10)
        .send2(true)
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    let query: Vec<(String, String)> =
        request.url.query_pairs().map(|(name, value)| (name.into_owned(), value.into_owned())).collect();
    let expected = [
        ("ids", "1,2"),
        ("words", "a b c"),
        ("flags", "p|q"),
        ("tag", "t1"),
        ("tag", "t2"),
        ("range[from]", "1"),
        ("range[to]", "9"),
        ("x", "3"),
        ("y", "4"),
        ("set_limit", "L"),
        ("limit", "10"),
        ("send", "true"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
    assert_eq!(query, expected);
}

#[tokio::test]
async fn an_operation_named_like_a_runtime_method_gets_another_name() {
    let (server, client) = setup().await;
    Mock::given(method("POST")).and(path("/api/execute")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    client.execute().send().await.unwrap();
    assert_eq!(only_request(&server).await.url.path(), "/api/execute");
}

#[tokio::test]
async fn each_success_status_decodes_its_own_body() {
    use kitchen_sink_client::operations::StartJobSuccess;
    let (server, client) = setup().await;
    let answers = [
        (200, Some(serde_json::json!({"result": "r"}))),
        (202, Some(serde_json::json!({"id": "j1"}))),
        (204, None),
        // Not declared: decoded as the first declared status, 200.
        (203, Some(serde_json::json!({"result": "cached"}))),
    ];
    for (status, body) in answers {
        server.reset().await;
        let mut response = ResponseTemplate::new(status);
        if let Some(body) = &body {
            response = response.set_body_json(body);
        }
        Mock::given(method("POST")).and(path("/api/jobs")).respond_with(response).mount(&server).await;
        let received = client.start_job().send().await.unwrap();
        assert_eq!(received.status().as_u16(), status);
        match (status, received.into_body()) {
            (200, StartJobSuccess::Ok(done)) => assert_eq!(done.result.as_deref(), Some("r")),
            (202, StartJobSuccess::Accepted(job)) => assert_eq!(job.id.as_deref(), Some("j1")),
            (204, StartJobSuccess::NoContent) => {}
            (203, StartJobSuccess::Ok(done)) => assert_eq!(done.result.as_deref(), Some("cached")),
            (status, other) => panic!("{status} decoded as {other:?}"),
        }
    }
    let accept = header(&server.received_requests().await.unwrap()[0], "accept").map(str::to_owned);
    assert_eq!(accept.as_deref(), Some("application/json"));
}

#[tokio::test]
async fn a_body_that_does_not_fit_its_status_is_a_decode_error() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({"id": 5})))
        .mount(&server)
        .await;
    let error = client.start_job().send().await.unwrap_err();
    let Error::Decode(decode) = error else { panic!("{error}") };
    assert_eq!(decode.path, "id");
}

#[tokio::test]
async fn an_array_path_parameter_is_one_segment_of_comma_joined_items() {
    let (server, client) = setup().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    client.delete_batch(vec![3, 14, 15]).send().await.unwrap();
    // `,` is outside RFC 3986's unreserved set: encoded, so the segment stays one.
    assert_eq!(only_request(&server).await.url.path(), "/api/batches/3%2C14%2C15");
}
