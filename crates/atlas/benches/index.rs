//! Spatial index benches on a workload-like synthetic set: 70 % of points in Gaussian
//! clusters along a line through the region, 30 % uniform over lon 60.5–75, lat 29–38.5;
//! viewports at zoom 5–12 sized as in the shared bench (768×480 px).
//! `cargo bench -p atlas --bench index`; `INDEX_N` sets the number of points (default 100k).

use atlas::index::{BoxIndex, Metric, SpatialIndex, TimeBoxIndex};
use atlas::model::{IncidentRecord, IncidentStore};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

struct Rng(u64);
impl Rng {
    fn f(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn gauss(&mut self) -> f64 {
        let (u, v) = (self.f().max(1e-12), self.f());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

fn store(n: usize, r: &mut Rng) -> IncidentStore {
    let mut s = IncidentStore::default();
    s.reserve(n);
    for i in 0..n {
        let (lon, lat) = if r.f() < 0.7 {
            let t = r.f();
            (
                66.0 + 6.0 * t + 0.15 * r.gauss(),
                30.0 + 6.0 * t + 0.15 * r.gauss(),
            )
        } else {
            (60.5 + r.f() * 14.5, 29.0 + r.f() * 9.5)
        };
        let day = 18_854 + (r.f() * 1600.0) as i32;
        s.push(&IncidentRecord::new(&i.to_string(), lon, lat, day));
    }
    s
}

fn viewport(s: &IncidentStore, r: &mut Rng) -> [f64; 4] {
    let z = 5 + (r.f() * 8.0) as i32;
    let i = (r.f() * s.len() as f64) as usize;
    let (cx, cy) = (s.lon[i], s.lat[i]);
    let w = 360.0 / 2f64.powi(z) * 3.0;
    let h = w * 0.625 * cy.to_radians().cos();
    [cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0]
}

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("INDEX_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let mut r = Rng(42);
    let s = store(n, &mut r);
    let idx = SpatialIndex::build(&s);
    let boxes: Vec<[f64; 4]> = (0..100).map(|_| viewport(&s, &mut r)).collect();
    let points: Vec<[f64; 2]> = (0..100)
        .map(|_| {
            let i = (r.f() * n as f64) as usize;
            [s.lon[i] + 0.02 * r.gauss(), s.lat[i] + 0.02 * r.gauss()]
        })
        .collect();
    let windows: Vec<(i32, i32)> = (0..100)
        .map(|_| {
            let from = 18_854 + (r.f() * 1500.0) as i32;
            (from, from + 7 + (r.f() * 358.0) as i32)
        })
        .collect();

    let mut g = c.benchmark_group("index");
    g.sample_size(10);
    g.bench_function(format!("build_all_{n}"), |b| {
        b.iter(|| SpatialIndex::build(black_box(&s)))
    });
    g.bench_function(format!("bulk_load_box_{n}"), |b| {
        b.iter(|| BoxIndex::build(black_box(&s)))
    });
    g.bench_function(format!("bulk_load_time_{n}"), |b| {
        b.iter(|| TimeBoxIndex::build(black_box(&s)))
    });
    let mut out = Vec::with_capacity(n);
    g.bench_function(format!("bbox_100_viewports_{n}"), |b| {
        b.iter(|| {
            let mut hits = 0;
            for q in &boxes {
                out.clear();
                idx.boxes.query(*q, &mut out);
                hits += out.len();
            }
            hits
        })
    });
    g.bench_function(format!("timebbox_100_{n}"), |b| {
        b.iter(|| {
            let mut hits = 0;
            for (q, (from, to)) in boxes.iter().zip(&windows) {
                out.clear();
                idx.time.query(Some(*q), Some(*from), Some(*to), &mut out);
                hits += out.len();
            }
            hits
        })
    });
    for metric in [Metric::Wgs84, Metric::PlanarDeg] {
        g.bench_function(format!("knn10_100_{metric:?}_{n}"), |b| {
            b.iter(|| {
                points
                    .iter()
                    .map(|p| idx.nearest(p[0], p[1], 10, metric).len())
                    .sum::<usize>()
            })
        });
    }
    g.bench_function(format!("radius_25km_100_wgs84_{n}"), |b| {
        b.iter(|| {
            let mut hits = 0;
            for p in &points {
                out.clear();
                idx.sphere.within_km(p[0], p[1], 25.0, &mut out);
                hits += out.len();
            }
            hits
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
