//! GeoJSON import throughput on a generated in-memory workload shaped like the
//! benchmark's `incidents-N.geojson` (one ACLED-style Point feature per line).
//!
//! `cargo bench -p atlas --bench parse`; set `PARSE_FILE=/path/incidents-1000000.geojson`
//! to also time `read_incidents` on a real file.

use atlas::import::{geojson, ImportOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::fmt::Write;

/// `n` features with deterministic pseudo-random values (an LCG; no data invented beyond
/// placeholder words, like the benchmark generator's).
fn workload(n: usize) -> Vec<u8> {
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let mut x: u64 = 42;
    let mut next = move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) as u32
    };
    let types = [
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
        "Riots",
        "Strategic developments",
    ];
    let words = [
        "clash", "village", "border", "crossing", "district", "convoy", "area", "tribal", "lorem",
        "ipsum",
    ];
    for i in 0..n {
        let lon = 60.5 + (next() % 14_500_000) as f64 / 1e6;
        let lat = 29.0 + (next() % 9_500_000) as f64 / 1e6;
        let mut notes = String::new();
        for _ in 0..(8 + next() % 20) {
            notes.push_str(words[(next() % 10) as usize]);
            notes.push(' ');
        }
        let _ = write!(
            s,
            "{}{{\"type\":\"Feature\",\"id\":{i},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon:.6},{lat:.6}]}},\"properties\":{{\"event_id_cnty\":\"{}{:06}\",\"event_date\":\"202{}-{:02}-{:02}\",\"event_type\":\"{}\",\"sub_event_type\":\"Armed clash\",\"actor1\":\"Actor {}\",\"actor2\":\"\",\"country\":\"Pakistan\",\"geo_precision\":{},\"source\":\"Dawn\",\"notes\":\"{}\",\"fatalities\":{}}}}}",
            if i == 0 { "" } else { ",\n" },
            if i % 2 == 0 { "PAK" } else { "AFG" },
            i,
            2 + next() % 4,
            1 + next() % 12,
            1 + next() % 28,
            types[(next() % 6) as usize],
            next() % 40,
            1 + next() % 3,
            notes.trim_end(),
            next() % 5,
        );
    }
    s.push_str("\n]}\n");
    s.into_bytes()
}

fn bench(c: &mut Criterion) {
    let data = workload(100_000);
    let mut g = c.benchmark_group("geojson");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(10);
    g.bench_function("incidents_100k", |b| {
        b.iter(|| {
            let (store, _) =
                geojson::incidents_from_bytes(&data, "w", &ImportOptions::default()).unwrap();
            assert_eq!(store.len(), 100_000);
        })
    });
    g.bench_function("layer_100k", |b| {
        b.iter(|| {
            let (layer, _) =
                geojson::layer_from_reader(&data[..], "w", &ImportOptions::default()).unwrap();
            assert_eq!(layer.features.len(), 100_000);
        })
    });
    g.finish();
    if let Ok(path) = std::env::var("PARSE_FILE") {
        let mut g = c.benchmark_group("file");
        g.sample_size(10);
        g.bench_function("read_incidents", |b| {
            b.iter(|| geojson::read_incidents(path.as_ref(), &ImportOptions::default()).unwrap())
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
