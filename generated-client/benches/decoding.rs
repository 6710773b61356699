//! Decoding alone, no network: a page of 250 connectors (every field
//! optional) and 1,000 JSON Patch operations (two required fields and a
//! union each, then without the union), bodies that need no correction. Run with
//! `cargo bench -p sailpoint-connectors --bench decoding`; compare runs of two
//! commits side by side to see what a change to the models' decoding costs.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sailpoint_connectors::{JsonPatchOperation, V3ConnectorDto};
use serde_json::json;

fn connectors(count: usize) -> Vec<u8> {
    let items: Vec<_> = (0..count)
        .map(|index| {
            json!({
                "name": format!("connector {index}"),
                "type": "custom connector type",
                "scriptName": format!("connector-{index}"),
                "className": "sailpoint.connector.OpenConnectorAdapter",
                "features": ["PROVISIONING", "SYNC_PROVISIONING", "SEARCH"],
                "directConnect": true,
                "connectorMetadata": {"supportedUI": "ANGULAR", "platform": "ccg", "shortDesc": "a connector"},
                "status": "RELEASED"
            })
        })
        .collect();
    serde_json::to_vec(&items).expect("encode")
}

fn patch_operations(count: usize) -> Vec<u8> {
    let items: Vec<_> =
        (0..count).map(|index| json!({"op": "replace", "path": format!("/items/{index}"), "value": index})).collect();
    serde_json::to_vec(&items).expect("encode")
}

fn patch_operations_without_values(count: usize) -> Vec<u8> {
    let items: Vec<_> = (0..count).map(|index| json!({"op": "remove", "path": format!("/items/{index}")})).collect();
    serde_json::to_vec(&items).expect("encode")
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    let page = connectors(250);
    group.throughput(Throughput::Bytes(page.len() as u64));
    group.bench_function("250 connectors", |b| {
        b.iter(|| serde_json::from_slice::<Vec<V3ConnectorDto>>(&page).expect("decode"))
    });
    let patch = patch_operations(1000);
    group.throughput(Throughput::Bytes(patch.len() as u64));
    group.bench_function("1000 patch operations", |b| {
        b.iter(|| serde_json::from_slice::<Vec<JsonPatchOperation>>(&patch).expect("decode"))
    });
    // Their required fields alone, without the `value` union.
    let bare = patch_operations_without_values(1000);
    group.throughput(Throughput::Bytes(bare.len() as u64));
    group.bench_function("1000 patch operations without a value", |b| {
        b.iter(|| serde_json::from_slice::<Vec<JsonPatchOperation>>(&bare).expect("decode"))
    });
    group.finish();
}

criterion_group!(decoding, benches);
criterion_main!(decoding);
