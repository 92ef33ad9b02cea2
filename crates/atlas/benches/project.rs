//! Project files: serialize/parse a project with 10,000 annotations, the atomic save
//! (with its fsyncs), open with a 20 MB referenced layer (SHA-256 check), undo/redo.

use atlas::project::annotations::{Edit, Geometry};
use atlas::project::checksum::file_digest;
use atlas::project::Project;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn project(n: u32) -> Project {
    let mut p = Project::default();
    for i in 0..n {
        let lon = 60.0 + f64::from(i % 1500) * 0.01;
        p.annotations
            .apply(Edit::Add {
                geometry: Geometry::Polygon(vec![vec![
                    [lon, 30.0],
                    [lon + 0.01, 30.0],
                    [lon + 0.01, 30.01],
                    [lon, 30.01],
                    [lon, 30.0],
                ]]),
                title: format!("annotation {i}"),
                note: "Observed in satellite imagery; position approximate.".into(),
            })
            .expect("valid");
    }
    p
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("atlas-bench-project-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let layer = dir.join("layer.bin");
    let bytes: Vec<u8> = (0..20u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(&layer, bytes).expect("layer");
    let path = dir.join("bench.atlas.json");
    let mut p = project(10_000);
    p.add_file_layer("layer", &layer, &path).expect("layer ref");
    let json = p.to_json().expect("json");
    eprintln!("project file: {} bytes", json.len());

    let mut g = c.benchmark_group("project");
    g.sample_size(20);
    g.bench_function("to_json_10k_annotations", |b| {
        b.iter(|| black_box(p.to_json().expect("json")))
    });
    g.bench_function("from_json_10k_annotations", |b| {
        b.iter(|| black_box(Project::from_json(&json, "bench").expect("parse")))
    });
    g.bench_function("save_atomic_10k_annotations", |b| {
        b.iter(|| p.save(&path).expect("save"))
    });
    g.bench_function("sha256_20mb_layer", |b| {
        b.iter(|| black_box(file_digest(&layer).expect("digest")))
    });
    g.bench_function("open_10k_annotations_20mb_layer", |b| {
        b.iter(|| black_box(Project::open(&path).expect("open")))
    });
    g.bench_function("apply_undo_redo", |b| {
        let mut a = p.annotations.clone();
        b.iter(|| {
            a.apply(Edit::Add {
                geometry: Geometry::Point([70.0, 33.0]),
                title: "x".into(),
                note: String::new(),
            })
            .expect("add");
            a.undo();
            a.redo();
            a.undo();
        })
    });
    g.finish();
    std::fs::remove_dir_all(&dir).ok();
}

criterion_group!(benches, bench);
criterion_main!(benches);
