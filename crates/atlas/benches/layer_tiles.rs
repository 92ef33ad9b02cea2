//! Tiles of a researcher's layer: a synthetic district layer of 400 polygons (a 20 × 20
//! grid over Afghanistan–Pakistan, each cell's outline with 1,000 wiggly vertices, one with
//! a hole) and 2,000 points, encoded by `LayerTiles::tile` with a choropleth column, at
//! zoom 6 (the tile over Torkham), zoom 4 (the whole region) and zoom 10.
//! `cargo bench -p atlas --bench layer_tiles`

mod common;
use atlas::layer_tiles::LayerTiles;
use atlas::model::{Layer, LayerFeature};
use atlas::tiles::{world_xy, TileId};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use geo::{Coord, Geometry, LineString, Point, Polygon};

const VERTS: usize = 1000;

/// Cell outline from (x0, y0) to (x1, y1) with `VERTS` vertices, edges wiggling.
fn outline(x0: f64, y0: f64, x1: f64, y1: f64, seed: f64) -> LineString<f64> {
    let per = VERTS / 4;
    let mut pts = Vec::with_capacity(VERTS + 1);
    let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)];
    for (k, w) in corners.windows(2).enumerate() {
        let ((ax, ay), (bx, by)) = (w[0], w[1]);
        for i in 0..per {
            let t = i as f64 / per as f64;
            let wig = 0.02 * (t * 37.0 + seed + k as f64).sin() + 0.003 * (t * 411.0).sin();
            // Perpendicular wiggle, zero at the corners.
            let env = (t * std::f64::consts::PI).sin();
            let (nx, ny) = (-(by - ay), bx - ax);
            let len = nx.hypot(ny);
            pts.push(Coord {
                x: ax + (bx - ax) * t + nx / len * wig * env,
                y: ay + (by - ay) * t + ny / len * wig * env,
            });
        }
    }
    pts.push(Coord { x: x0, y: y0 });
    LineString::new(pts)
}

fn districts() -> Layer {
    let (w, s, e, n) = (60.5, 29.0, 75.0, 38.5);
    let (dx, dy) = ((e - w) / 20.0, (n - s) / 20.0);
    let mut features = Vec::new();
    for j in 0..20 {
        for i in 0..20 {
            let (x0, y0) = (w + i as f64 * dx, s + j as f64 * dy);
            let ext = outline(x0, y0, x0 + dx, y0 + dy, (i * 20 + j) as f64);
            let holes = if (i + j) % 7 == 0 {
                let (cx, cy) = (x0 + dx / 2.0, y0 + dy / 2.0);
                vec![outline(
                    cx - dx / 8.0,
                    cy - dy / 8.0,
                    cx + dx / 8.0,
                    cy + dy / 8.0,
                    1.0,
                )]
            } else {
                vec![]
            };
            let mut properties = serde_json::Map::new();
            properties.insert("name".into(), format!("District {i}-{j}").into());
            properties.insert("province".into(), format!("P{}", j / 4).into());
            properties.insert(
                "population".into(),
                ((i * 7919 + j * 104729) % 500_000).into(),
            );
            features.push(LayerFeature {
                id: None,
                geometry: Some(Geometry::Polygon(Polygon::new(ext, holes))),
                properties,
            });
        }
    }
    let mut rnd = common::rng(7);
    for k in 0..2000 {
        let mut properties = serde_json::Map::new();
        properties.insert("site".into(), format!("S{k}").into());
        features.push(LayerFeature {
            id: None,
            geometry: Some(Point::new(w + rnd() * (e - w), s + rnd() * (n - s)).into()),
            properties,
        });
    }
    Layer {
        name: "districts".into(),
        features,
    }
}

fn tile_at(z: u32, lon: f64, lat: f64) -> TileId {
    let (x, y) = world_xy(lon, lat);
    let n = (1u64 << z) as f64;
    TileId::new(z, (x * n) as u32, (y * n) as u32).expect("tile")
}

fn bench(c: &mut Criterion) {
    let layer = districts();
    let counts: Vec<f64> = (0..layer.features.len()).map(|i| (i % 97) as f64).collect();
    let extra: [(&str, &[f64]); 1] = [("incidents", &counts)];
    c.bench_function("layer_tiles/build_400_polygons_2000_points", |b| {
        b.iter(|| black_box(LayerTiles::new(&layer).expect("build")))
    });
    let tiles = LayerTiles::new(&layer).expect("build");
    for (name, t) in [
        ("layer_tiles/tile_z6_torkham", tile_at(6, 71.1, 34.1)),
        ("layer_tiles/tile_z4_region", tile_at(4, 68.0, 33.0)),
        ("layer_tiles/tile_z10_torkham", tile_at(10, 71.1, 34.1)),
    ] {
        let bytes = tiles.tile(&layer, t, &extra).expect("tile");
        eprintln!("{name}: {}/{}/{}: {} bytes", t.z, t.x, t.y, bytes.len());
        c.bench_function(name, |b| {
            b.iter(|| black_box(tiles.tile(&layer, black_box(t), &extra).expect("tile")))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
