//! Contract tests of the crate generated from SailPoint's per-resource
//! Connectors spec (`../shared/specs/sailpoint/idn/apis/connectors/openapi.yaml`:
//! the version in each path, no base path, references into `apis/shared/`)
//! against Prism serving that spec with `--errors`: Prism answers 422 to a
//! request that breaks the spec and 401 to one without the bearer token the
//! spec requires, so every call that succeeds was sent as the spec says.
//!
//! `.ci/run` generates the crate, copies this file into its `tests/`, starts
//! Prism and runs it with `PRISM_URL` set; `#[ignore]`d otherwise.

use sailpoint_connectors_v1::{Client, RetryPolicy, TryStreamExt};

fn client() -> Client {
    let url = std::env::var("PRISM_URL").expect("PRISM_URL: the URL of Prism serving the Connectors v1 spec");
    Client::builder()
        .api_root(url)
        .token("contract-test-token")
        .allow_http(true)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[test]
fn the_tenant_gives_the_servers_url_without_a_base_path() {
    let client = Client::builder().tenant("acme").token("t").build().unwrap();
    assert_eq!(client.base_url(), "https://acme.api.identitynow.com");
}

#[tokio::test]
#[ignore = "needs Prism; run by .ci/run"]
async fn lists_reads_and_pages_connectors() {
    let client = client();
    let list = client.get_connector_list_v1().limit(10).send().await.unwrap();
    assert!(list.status().is_success());
    let connector = client.get_connector_v1("aScriptName").send().await.unwrap();
    assert!(connector.status().is_success());
    let template = client.get_connector_source_template_v1("aScriptName").send().await.unwrap();
    assert!(!template.body().is_empty());
    let connectors: Vec<_> = client.get_connector_list_v1().items().max_items(3).try_collect().await.unwrap();
    assert!(!connectors.is_empty());
}
