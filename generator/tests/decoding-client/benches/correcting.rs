//! The correcting pass alone, no network: pages of accounts whose every
//! item misses its required `enabled` and sends the optional `note` as
//! `null`, decoded as a response that failed the strict pass is; and the
//! same pages with nothing to correct, decoded strictly. Its cost per item
//! should not grow with the page. Run with
//! `cargo bench -p decoding-client --bench correcting`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use decoding_client::models::Account;
use openapi_client_runtime::__private::de::correcting;
use serde_json::json;

/// `count` accounts; without their required `enabled` when `broken`.
fn page(count: usize, broken: bool) -> Vec<u8> {
    let items: Vec<_> = (0..count)
        .map(|index| {
            let mut account = json!({
                "id": format!("a{index}"), "name": "Ada", "count": index, "ratio": 0.5, "enabled": true,
                "tags": ["x"], "attributes": {"k": "v"}, "owner": {"name": "Ada"}, "status": "ACTIVE",
                "holder": {"members": ["Bo"]}, "payload": {"any": 1}, "note": null
            });
            if broken {
                account.as_object_mut().expect("an object").remove("enabled");
            }
            account
        })
        .collect();
    serde_json::to_vec(&items).expect("encode")
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    for count in [1000, 10_000] {
        group.throughput(Throughput::Elements(count as u64));
        let broken = page(count, true);
        group.bench_function(format!("{count} accounts, each corrected"), |b| {
            b.iter(|| {
                let (decoded, corrections) = correcting(|| serde_json::from_slice::<Vec<Account>>(&broken));
                assert_eq!((decoded.expect("decode").len(), corrections.len()), (count, 1));
            })
        });
        let sound = page(count, false);
        group.bench_function(format!("{count} accounts, strict"), |b| {
            b.iter(|| serde_json::from_slice::<Vec<Account>>(&sound).expect("decode"))
        });
    }
    group.finish();
}

criterion_group!(decoding, benches);
criterion_main!(decoding);
