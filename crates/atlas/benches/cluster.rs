//! Cluster index build and `clusters` queries on workload-like points (70 % in clumps along a
//! few centres of the Afghanistan–Pakistan border region, 30 % uniform over it).
//! `cargo bench -p atlas --bench cluster`; `CLUSTER_N` sets the number of points (default 100,000).
//! For supercluster's own time on the shared workload, see `tests/cluster_workload.rs`.

mod common;
use atlas::cluster::{ClusterIndex, ClusterOptions};
use criterion::{criterion_group, criterion_main, Criterion};

fn points(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rnd = common::rng(42);
    let centres = [
        [71.09, 34.12],
        [66.45, 30.91],
        [70.05, 33.02],
        [69.44, 32.38],
        [70.2, 33.55],
    ];
    let (mut lon, mut lat) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        if rnd() < 0.7 {
            let c = centres[(rnd() * centres.len() as f64) as usize % centres.len()];
            // sum of uniforms: a cheap bell around the centre, ~0.15° wide
            let g = |r: &mut dyn FnMut() -> f64| (r() + r() + r() - 1.5) * 0.2;
            lon.push(c[0] + g(&mut rnd));
            lat.push(c[1] + g(&mut rnd));
        } else {
            lon.push(60.5 + rnd() * 14.5);
            lat.push(29.0 + rnd() * 9.5);
        }
    }
    (lon, lat)
}

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("CLUSTER_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let (lon, lat) = points(n);
    let rows: Vec<u32> = (0..n as u32).collect();
    let opts = ClusterOptions::default();
    let mut g = c.benchmark_group("cluster");
    g.sample_size(10);
    g.bench_function(format!("build_{n}"), |b| {
        b.iter(|| ClusterIndex::build(&lon, &lat, &rows, &opts).map(|i| i.num_points()))
    });
    let index = ClusterIndex::build(&lon, &lat, &rows, &opts).expect("index");
    let views: Vec<([f64; 4], f64)> = (3..=14)
        .map(|z| {
            let w = 360.0 / f64::powi(2.0, z) * 3.0;
            (
                [
                    71.09 - w / 2.0,
                    34.12 - w * 0.3,
                    71.09 + w / 2.0,
                    34.12 + w * 0.3,
                ],
                z as f64,
            )
        })
        .collect();
    g.bench_function(format!("clusters_z3_to_z14_{n}"), |b| {
        b.iter(|| {
            views
                .iter()
                .map(|(bb, z)| index.clusters(*bb, *z).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
