//! Streams direct-connect connectors and patches one; the example in the
//! workspace README. Configure it as the client reads its settings, e.g.
//! `SAIL_BASE_URL=https://acme.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=... cargo run --example connectors`.

use sailpoint_connectors::{Client, JsonPatchOperation, JsonPatchOperationOp, JsonPatchOperationValue, TryStreamExt};

#[tokio::main]
async fn main() -> Result<(), sailpoint_connectors::Error> {
    let client = Client::from_env()?;

    let mut connectors = client.get_connector_list().filters("directConnect eq \"true\"").items();
    while let Some(connector) = connectors.try_next().await? {
        println!("{:?} ({:?})", connector.name, connector.status);
    }

    let patch = vec![JsonPatchOperation {
        op: JsonPatchOperationOp::Replace,
        path: "/connectorMetadata".into(),
        value: Some(JsonPatchOperationValue::Object(Default::default())),
    }];
    match client.update_connector("my-connector", patch).send().await {
        Ok(updated) => println!("updated: {:?}", updated.body().name),
        Err(error) if error.is_not_found() => println!("no such connector ({:?})", error.tracking_id()),
        Err(error) => return Err(error),
    }
    Ok(())
}
