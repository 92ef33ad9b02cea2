//! MVT encoding speed: one z8 tile with 2,000 incident points carrying the app's six
//! properties (as `src-tauri/src/protocol.rs` writes them), and tile-path parsing.

use atlas::tiles::{TileBuilder, TileId, Value};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

const TYPES: [&str; 6] = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
];

fn encode_2000(c: &mut Criterion) {
    let tile = TileId::new(8, 178, 103).unwrap();
    let [w, s, e, n] = tile.bounds();
    // Deterministic points spread over the tile (a simple LCG, no data invented: synthetic positions).
    let mut x = 12345u64;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    let pts: Vec<(f64, f64, usize, String)> = (0..2000)
        .map(|i| {
            (
                w + next() * (e - w),
                s + next() * (n - s),
                i % 6,
                format!("SYN{i}"),
            )
        })
        .collect();
    c.bench_function("tiles/encode_2000_points", |b| {
        b.iter(|| {
            let mut t = TileBuilder::new(tile);
            let l = t.layer("incidents");
            for (i, (lon, lat, ty, id)) in pts.iter().enumerate() {
                t.add_point(
                    l,
                    Some(i as u64),
                    *lon,
                    *lat,
                    &[
                        ("row", Value::UInt(i as u64)),
                        ("event_id", Value::Str(id)),
                        ("event_type", Value::Str(TYPES[*ty])),
                        ("geo_precision", Value::UInt((i % 3 + 1) as u64)),
                        ("fatalities", Value::Int((i % 7) as i64 - 1)),
                        ("date", Value::Str("2025-10-12")),
                    ],
                );
            }
            black_box(t.encode())
        })
    });
    c.bench_function("tiles/parse_path", |b| {
        b.iter(|| black_box(TileId::parse_path(black_box("/12/2860/1651.pbf"))))
    });
}

criterion_group!(benches, encode_2000);
criterion_main!(benches);
