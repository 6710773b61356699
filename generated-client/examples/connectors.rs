//! Lists direct-connect connectors and patches one; the example in the
//! workspace README. Run with a tenant and a token:
//! `SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_TOKEN=... cargo run --example connectors`.

use sailpoint_connectors::{Client, JsonPatchOperation, JsonPatchOperationOp, JsonPatchOperationValue};

#[tokio::main]
async fn main() -> Result<(), sailpoint_connectors::Error> {
    let base_url = std::env::var("SAIL_BASE_URL").unwrap_or_else(|_| "https://acme.api.identitynow.com".into());
    let client = Client::new(&base_url, std::env::var("SAIL_TOKEN").unwrap_or_default())?;

    let connectors = client.get_connector_list().filters("directConnect eq \"true\"").limit(100).send().await?;
    for connector in connectors.body() {
        println!("{:?} ({:?})", connector.name, connector.status);
    }

    let patch = vec![JsonPatchOperation {
        op: JsonPatchOperationOp::Replace,
        path: "/connectorMetadata".into(),
        value: Some(JsonPatchOperationValue::Object(Default::default())),
    }];
    let updated = client.update_connector("my-connector", patch).send().await?;
    println!("{}", updated.status());
    Ok(())
}
