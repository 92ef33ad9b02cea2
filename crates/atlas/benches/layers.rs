//! Custom layers: the polygon join of workload-like incidents (70 % near the border, 30 %
//! uniform) against the bundled provinces, the layer R-tree hit test, and the data export
//! of the same incidents to GeoJSON, CSV (in memory) and a GeoPackage (temp file).
//! `cargo bench -p atlas --bench layers`; `LAYERS_N` sets the number of incidents.

mod common;
use atlas::analytics::{Analytics, BorderContext};
use atlas::export_data::{write_incidents_csv, write_incidents_geojson, Gpkg, Incidents};
use atlas::import::{geojson, ImportOptions};
use atlas::join::join_counts;
use atlas::layer_index::LayerIndex;
use atlas::model::{IncidentRecord, IncidentStore};
use criterion::{criterion_group, criterion_main, Criterion};

fn points(n: usize) -> IncidentStore {
    let ctx = BorderContext::bundled().expect("bundled border");
    let len = ctx.border.length_km();
    let mut rnd = common::rng(42);
    let types = [
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Riots",
    ];
    let mut s = IncidentStore::default();
    s.reserve(n);
    for i in 0..n {
        let (lon, lat) = if rnd() < 0.7 {
            let p = ctx.border.point_at(rnd() * len);
            (p[0] + (rnd() - 0.5) * 0.6, p[1] + (rnd() - 0.5) * 0.6)
        } else {
            (60.5 + rnd() * 14.5, 29.0 + rnd() * 9.5)
        };
        let mut r = IncidentRecord::new(&format!("SYN{i}"), lon, lat, 19_000 + (i % 1500) as i32);
        r.event_type = types[i % types.len()].into();
        r.fatalities = (i % 5 != 0).then_some((i % 7) as u32);
        r.notes = "Synthetic benchmark incident, no real event.".into();
        s.push(&r);
    }
    s
}

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("LAYERS_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let store = points(n);
    let analytics = Analytics::compute(&store).expect("analytics");
    let rows: Vec<u32> = (0..n as u32).collect();
    let (provinces, _) = geojson::layer_from_reader(
        atlas::bundled::PROVINCES,
        "provinces",
        &ImportOptions::default(),
    )
    .expect("bundled provinces");
    let index = LayerIndex::build(&provinces);
    let mut g = c.benchmark_group("layers");
    g.sample_size(10);
    g.bench_function("layer_index_build_provinces", |b| {
        b.iter(|| LayerIndex::build(&provinces))
    });
    g.bench_function(format!("join_provinces_{n}"), |b| {
        b.iter(|| join_counts(&provinces, &index, &store, &rows))
    });
    g.bench_function("hit_10k_points_provinces", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for k in 0..10_000u32 {
                let i = (k as usize * 7919) % n;
                hits += index
                    .hit(&provinces, store.lon[i], store.lat[i], 0.01)
                    .len();
            }
            hits
        })
    });
    let inc = Incidents {
        store: &store,
        analytics: Some(&analytics),
        rows: &rows,
    };
    g.bench_function(format!("export_geojson_{n}"), |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(n * 700);
            write_incidents_geojson(&mut out, &inc).expect("geojson");
            out.len()
        })
    });
    g.bench_function(format!("export_csv_{n}"), |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(n * 400);
            write_incidents_csv(&mut out, &inc).expect("csv");
            out.len()
        })
    });
    let path = std::env::temp_dir().join(format!("atlas-bench-layers-{}.gpkg", std::process::id()));
    g.bench_function(format!("export_gpkg_{n}"), |b| {
        b.iter(|| {
            let mut gp = Gpkg::create(&path).expect("create");
            gp.add_incidents("incidents", &inc).expect("incidents");
            gp.finish().expect("finish");
        })
    });
    let _ = std::fs::remove_file(&path);
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
