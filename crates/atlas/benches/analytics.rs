//! Border analytics pass: distance to the full-resolution border, side, chainage and
//! nearest crossing for a workload-like set of points (70 % near the line, 30 % uniform).
//! `cargo bench -p atlas --bench analytics`; `ANALYTICS_N` sets the number of points.
//! Also the hot path alone: `BorderGeometry::nearest_with` for 10,000 points near the
//! line (≤ ~30 km) and 10,000 far from it, and the side test.

mod common;
use atlas::analytics::{Analytics, BorderContext, NearestScratch};
use atlas::model::{IncidentRecord, IncidentStore};
use criterion::{criterion_group, criterion_main, Criterion};

fn points(n: usize) -> IncidentStore {
    let ctx = BorderContext::bundled().expect("bundled border");
    let len = ctx.border.length_km();
    let mut rnd = common::rng(42);
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
    let near: Vec<[f64; 2]> = (0..n.min(10_000))
        .map(|i| [store.lon[i], store.lat[i]])
        .filter(|p| ctx.border.nearest(p[0], p[1]).is_some_and(|n| n.km < 25.0))
        .collect();
    let far: Vec<[f64; 2]> = (0..n.min(100_000))
        .map(|i| [store.lon[i], store.lat[i]])
        .filter(|p| ctx.border.nearest(p[0], p[1]).is_some_and(|n| n.km > 60.0))
        .take(10_000)
        .collect();
    for (name, pts) in [("nearest_near", &near), ("nearest_far", &far)] {
        g.bench_function(format!("{name}_{}", pts.len()), |b| {
            let mut scratch = NearestScratch::default();
            b.iter(|| {
                pts.iter()
                    .filter_map(|p| ctx.border.nearest_with(p[0], p[1], &mut scratch))
                    .map(|n| n.km)
                    .sum::<f64>()
            })
        });
    }
    g.bench_function("side_10000_or_n", |b| {
        b.iter(|| {
            (0..n.min(10_000))
                .map(|i| ctx.countries.side(store.lon[i], store.lat[i]) as u32)
                .sum::<u32>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
