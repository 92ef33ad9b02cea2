//! Border analytics pass: distance to the full-resolution border, side, chainage and
//! nearest crossing for a workload-like set of points (70 % near the line, 30 % uniform).
//! `cargo bench -p atlas --bench analytics`; `ANALYTICS_N` sets the number of points.

use atlas::analytics::{Analytics, BorderContext};
use atlas::model::{IncidentRecord, IncidentStore};
use criterion::{criterion_group, criterion_main, Criterion};

fn points(n: usize) -> IncidentStore {
    let ctx = BorderContext::bundled().expect("bundled border");
    let len = ctx.border.length_km();
    let mut seed = 42u64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut s = IncidentStore::default();
    s.reserve(n);
    for i in 0..n {
        let (lon, lat) = if rnd() < 0.7 {
            let p = ctx.border.point_at(rnd() * len);
            (p[0] + (rnd() - 0.5) * 0.6, p[1] + (rnd() - 0.5) * 0.6)
        } else {
            (60.5 + rnd() * 14.5, 29.0 + rnd() * 9.5)
        };
        s.push(&IncidentRecord::new(&i.to_string(), lon, lat, 19_000));
    }
    s
}

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("ANALYTICS_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let store = points(n);
    let ctx = BorderContext::bundled().expect("bundled border");
    let mut g = c.benchmark_group("analytics");
    g.sample_size(10);
    g.bench_function(format!("compute_{n}"), |b| {
        b.iter(|| Analytics::compute_with(ctx, &store))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
