//! What the crate of the OpenAPI 3.1 fixture
//! (`generator/tests/fixtures/openapi_3_1/`) reads and sends, against a
//! local mock server: `null` in a type list (beside a `$ref` too) and in a
//! `oneOf` branch, a `const` as a one-value enum (another value kept, not
//! an error), `prefixItems` of one schema as a list, a `$ref` into a
//! component's `$defs` as that enum, and a body with its `const` set.

use openapi31_client::models::{Owner, Pet, PetKind, Size};
use openapi31_client::{Client, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client =
        Client::builder().base_url(server.uri()).allow_http(true).retry_policy(RetryPolicy::none()).build().unwrap();
    (server, client)
}

async fn get_pet(body: serde_json::Value) -> Pet {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/pets/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    client.get_pet("1").send().await.unwrap().into_body()
}

#[tokio::test]
async fn nulls_from_type_lists_and_one_of_branches_decode_as_none() {
    let pet = get_pet(json!({"kind": "pet", "name": "Rex", "nickname": null, "owner": null, "vet": null})).await;
    assert_eq!(pet, Pet::new(PetKind::Pet, "Rex".into()));
    let pet = get_pet(json!({
        "kind": "pet", "name": "Rex", "nickname": "Rexy", "owner": {"name": "Ada"}, "vet": {"name": "Bo"},
        "tags": ["good", "dog"], "photo": "UmV4", "chip": 12, "size": "large"
    }))
    .await;
    let expected = Pet::new(PetKind::Pet, "Rex".into())
        .with_nickname("Rexy")
        .with_owner(Owner::default().with_name("Ada"))
        .with_vet(Owner::default().with_name("Bo"))
        .with_tags(vec!["good".to_owned(), "dog".to_owned()])
        .with_photo("UmV4")
        .with_chip(12)
        .with_size(Size::Large);
    assert_eq!(pet, expected);
}

#[tokio::test]
async fn a_const_is_a_one_value_enum_that_keeps_other_values() {
    let pet = get_pet(json!({"kind": "cat", "name": "Tom"})).await;
    assert_eq!(pet.kind.as_str(), "cat");
    assert_ne!(pet.kind, PetKind::Pet);
}

#[tokio::test]
async fn a_body_sends_its_const_and_leaves_out_what_is_not_set() {
    let (server, client) = setup().await;
    Mock::given(method("PUT")).and(path("/api/pets/1")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let pet = Pet::new(PetKind::Pet, "Rex".into()).with_nickname("Rexy");
    client.put_pet("1", pet).send().await.unwrap();
    let received = server.received_requests().await.unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(sent, json!({"kind": "pet", "name": "Rex", "nickname": "Rexy"}));
}
