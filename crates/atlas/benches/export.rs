//! Map export speed: an A4 landscape page with 100,000 synthetic incidents along the
//! border (plus the bundled layers), built as SVG, rendered to a 300-dpi PNG
//! (3508 × 2480) and converted to a vector PDF.
//!
//! `cargo bench -p atlas --bench export`

use atlas::export::{build_svg, raster, BaseLayers, MapSpec, PageSpec, Style};
use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Duration;

#[path = "../tests/export_common/mod.rs"]
mod export_common;

fn setup(n: usize) -> (MapSpec, BaseLayers, Style, atlas::export::MapIncidents) {
    let layers = export_common::layers();
    let inc = export_common::synthetic(&layers, n);
    let mut spec = MapSpec::new(PageSpec::paper("a4-landscape", 300).unwrap());
    spec.generated = "2025-11-01".into();
    (spec, layers, Style::bundled().unwrap(), inc)
}

fn export(c: &mut Criterion) {
    for n in [10_000usize, 100_000] {
        let (spec, layers, style, inc) = setup(n);
        let svg = build_svg(&spec, &layers, &style, &inc).unwrap();
        let mut g = c.benchmark_group(format!("export_{n}"));
        g.sample_size(10).measurement_time(Duration::from_secs(25));
        g.bench_function("svg_build", |b| {
            b.iter(|| build_svg(&spec, &layers, &style, &inc).unwrap())
        });
        g.bench_function("png_a4_300dpi_from_data", |b| {
            b.iter(|| {
                let svg = build_svg(&spec, &layers, &style, &inc).unwrap();
                raster::svg_to_png(&svg, &spec.page).unwrap()
            })
        });
        g.bench_function("pdf_from_data", |b| {
            b.iter(|| {
                let svg = build_svg(&spec, &layers, &style, &inc).unwrap();
                raster::svg_to_pdf(&svg).unwrap()
            })
        });
        g.bench_function("svg_parse", |b| b.iter(|| raster::parse(&svg).unwrap()));
        g.finish();
    }
}

criterion_group!(benches, export);
criterion_main!(benches);
