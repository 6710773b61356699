//! Contract tests of the crate generated from SailPoint's NERM spec
//! (`../shared/specs/sailpoint/nerm/openapi.yaml`) against Prism serving
//! that spec with `--errors`: Prism answers 422 to a request that breaks the
//! spec and 401 to one without the bearer token the spec requires, so every
//! call that succeeds was sent as the spec says and its answer decoded.
//!
//! `.ci/run` generates the crate, copies this file into its `tests/`, starts
//! Prism and runs it with `PRISM_URL` set; `#[ignore]`d otherwise.

use sailpoint_nerm::{Client, CreateFormRequest, Forms, RetryPolicy, TryStreamExt};

fn client() -> Client {
    let url = std::env::var("PRISM_URL").expect("PRISM_URL: the URL of Prism serving the NERM spec");
    Client::builder()
        .api_root(url)
        .token("contract-test-token")
        .allow_http(true)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
#[ignore = "needs Prism; run by .ci/run"]
async fn reads_lists_and_items_and_creates_one() {
    let client = client();
    let page = client.get_user_roles().limit(5).offset(1).send().await.unwrap();
    assert!(page.status().is_success());
    assert!(page.body().user_roles.is_some(), "{:?}", page.body());

    let form = client.get_form_by_id("2e06b876-f456-473d-bd65-b6435e0b6b2d").send().await.unwrap();
    assert!(form.status().is_success());
    let profile_type = client.get_profile_type_by_id("2e06b876-f456-473d-bd65-b6435e0b6b2d").send().await.unwrap();
    assert!(profile_type.status().is_success());

    let new_form = Forms::default().with_name("Badge request");
    let created = client.create_form(CreateFormRequest::default().with_forms(vec![new_form])).send().await.unwrap();
    assert!(created.status().is_success());
}

#[tokio::test]
#[ignore = "needs Prism; run by .ci/run"]
async fn items_pages_through_a_list_whose_items_are_a_field_of_the_body() {
    let roles: Vec<_> = client().get_user_roles().limit(2).offset(1).items().max_items(5).try_collect().await.unwrap();
    assert!(!roles.is_empty());
}
