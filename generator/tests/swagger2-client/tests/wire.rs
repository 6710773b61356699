//! What the crate of the Swagger 2.0 fixture
//! (`generator/tests/fixtures/swagger_2_0/`) puts on the wire, against a
//! local mock server: `basePath` under the base URL, `collectionFormat`,
//! `in: body` as a JSON body, `in: formData` as a URL-encoded form or, with
//! a file, a multipart one, `x-nullable`, the `default` response's typed
//! error, the OAuth2 `application` flow as client credentials, and
//! `definitions` as models: one that contains itself, one no operation uses.

use swagger2_client::models::{Adoption, Pet, Problem, RenamePetRequest, Toy};
use swagger2_client::operations::CreatePetError;
use swagger2_client::{Client, Error, FilePart, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A client of the mock server with a token, without retries.
async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .token("t")
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
async fn base_path_and_collection_formats_shape_the_url() {
    let (server, client) = setup().await;
    let body = serde_json::json!([{"name": "Rex", "kind": "dog", "owner": null}, {"name": "Tom"}]);
    Mock::given(method("GET"))
        .and(path("/v2/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let pets = client.list_pets(3).tags(vec!["a".into(), "b c".into()]).send().await.unwrap().into_body();
    assert_eq!(pets, [Pet::new("Rex".into()).with_kind("dog"), Pet::new("Tom".into())], "`x-nullable` owner: null");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v2/pets", "`basePath` follows the base URL");
    assert_eq!(request.url.query(), Some("limit=3&tags=a%7Cb+c"), "`collectionFormat: pipes`");
}

#[tokio::test]
async fn definitions_are_models_recursive_and_unused_ones_too() {
    let (server, client) = setup().await;
    let body = serde_json::json!([{"name": "Rex", "toys": [{"name": "train", "parts": [{"name": "wheel"}]}]}]);
    Mock::given(method("GET"))
        .and(path("/v2/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let pets = client.list_pets(1).send().await.unwrap().into_body();
    let train = Toy::new("train".into()).with_parts(vec![Toy::new("wheel".into())]);
    assert_eq!(pets, [Pet::new("Rex".into()).with_toys(vec![train])]);
    // `Adoption` is used by no operation; it is a model all the same.
    let adoption = Adoption::new(Pet::new("Rex".into())).with_fee(25.0);
    assert_eq!(serde_json::to_value(&adoption).unwrap(), serde_json::json!({"pet": {"name": "Rex"}, "fee": 25.0}));
}

#[tokio::test]
async fn a_body_parameter_is_the_json_body_and_the_default_response_a_typed_error() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/v2/pets"))
        .respond_with(ResponseTemplate::new(409).set_body_json(serde_json::json!({"message": "taken"})))
        .mount(&server)
        .await;
    let error = client.create_pet(Pet::new("Rex".into()).with_owner("ada")).send().await.unwrap_err();
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.status(), 409);
    let Some(CreatePetError::Other(problem)) = api.details::<CreatePetError>() else { panic!("{api:?}") };
    assert_eq!(**problem, Problem::default().with_message("taken"));
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(sent, serde_json::json!({"name": "Rex", "owner": "ada"}));
}

#[tokio::test]
async fn form_data_without_a_file_is_a_url_encoded_form() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/v2/pets/7/rename"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"name": "Max & co"})))
        .mount(&server)
        .await;
    let form = RenamePetRequest::new("Max & co".into()).with_reason("typo");
    let pet = client.rename_pet("7", form).notify(vec!["ada".into(), "bob".into()]).send().await.unwrap().into_body();
    assert_eq!(pet.name, "Max & co");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("notify=ada&notify=bob"), "`collectionFormat: multi`");
    assert_eq!(header(&request, "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(std::str::from_utf8(&request.body).unwrap(), "name=Max+%26+co&reason=typo");
}

#[tokio::test]
async fn form_data_with_a_file_is_a_multipart_form() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/v2/pets/7/photo"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let photo = FilePart::from_bytes(&b"\x89PNG"[..]).file_name("rex.png");
    client.upload_photo("7", photo).caption("Rex at two").send().await.unwrap();
    let request = only_request(&server).await;
    let content_type = header(&request, "content-type").unwrap();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(content_type);
    let body = String::from_utf8_lossy(&request.body);
    let parts: Vec<&str> = body.split(&format!("--{boundary}")).filter(|part| part.contains("name=")).collect();
    assert_eq!(parts.len(), 2, "{body}");
    assert!(parts[0].contains("name=\"caption\"") && parts[0].contains("Rex at two"), "{body}");
    assert!(parts[1].contains("name=\"file\"; filename=\"rex.png\""), "{body}");
}

#[tokio::test]
async fn the_application_flow_is_client_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "tok", "token_type": "bearer", "expires_in": 600})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials("id", "secret")
        .token_url(format!("{}/oauth/token", server.uri()))
        .build()
        .unwrap();
    assert!(client.list_pets(1).send().await.unwrap().body().is_empty());
    let received = server.received_requests().await.unwrap();
    let token = received.iter().find(|request| request.url.path() == "/oauth/token").unwrap();
    assert!(String::from_utf8_lossy(&token.body).contains("grant_type=client_credentials"));
    let list = received.iter().find(|request| request.url.path() == "/v2/pets").unwrap();
    assert_eq!(header(list, "authorization"), Some("Bearer tok"));
}
