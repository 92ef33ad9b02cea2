//! The polygon join against brute force and against independent oracles:
//! - counts from the R-tree join equal a scan of every (point, polygon) pair;
//! - off the boundary, the point-in-polygon rule agrees with geo's `CoordinatePosition`;
//! - in a tiling, every point on a shared edge or vertex is counted exactly once.

use atlas::join::{join_counts, polygon_contains, polygons_of, PreparedPolygons};
use atlas::layer_index::LayerIndex;
use atlas::model::{IncidentRecord, IncidentStore, Layer, LayerFeature};
use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::{Coord, Geometry, LineString, MultiPolygon, Polygon};
use proptest::prelude::*;

/// A star-shaped polygon around `(cx, cy)` with integer vertices, and optionally a square
/// hole around its centre (well inside: the polygon's inscribed radius is > 0.35 r).
fn star(cx: i32, cy: i32, r: i32, jitter: &[(i32, i32)], hole: bool) -> Polygon<f64> {
    let n = jitter.len();
    let mut ring = Vec::with_capacity(n + 1);
    for (i, &(dr, da)) in jitter.iter().enumerate() {
        let a = std::f64::consts::TAU * (i as f64 + da as f64 / 10.0) / n as f64;
        let rr = r as f64 * (0.5 + 0.5 * dr as f64 / 10.0);
        ring.push(Coord {
            x: (cx as f64 + rr * a.cos()).round(),
            y: (cy as f64 + rr * a.sin()).round(),
        });
    }
    ring.push(ring[0]);
    let interiors = if hole {
        let h = (r / 6).max(1) as f64;
        let (x, y) = (cx as f64, cy as f64);
        vec![LineString::from(vec![
            (x - h, y - h),
            (x - h, y + h),
            (x + h, y + h),
            (x + h, y - h),
            (x - h, y - h),
        ])]
    } else {
        vec![]
    };
    Polygon::new(LineString(ring), interiors)
}

fn star_strategy() -> impl Strategy<Value = Polygon<f64>> {
    (
        -100i32..100,
        -100i32..100,
        12i32..60,
        prop::collection::vec((0i32..=10, -2i32..=2), 5..10),
        any::<bool>(),
    )
        .prop_map(|(cx, cy, r, jit, hole)| star(cx, cy, r, &jit, hole))
}

fn feature(g: Geometry<f64>, i: usize) -> LayerFeature {
    let mut properties = serde_json::Map::new();
    properties.insert("shapeName".into(), format!("area {i}").into());
    LayerFeature {
        id: Some(i.into()),
        geometry: Some(g),
        properties,
    }
}

/// Points: random, every vertex, every edge midpoint (exactly on the edge).
fn points_for(polys: &[Polygon<f64>], extra: &[(i32, i32)]) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = extra.iter().map(|&(x, y)| (x as f64, y as f64)).collect();
    for p in polys {
        for r in std::iter::once(p.exterior()).chain(p.interiors()) {
            for w in r.0.windows(2) {
                pts.push((w[0].x, w[0].y));
                pts.push(((w[0].x + w[1].x) / 2.0, (w[0].y + w[1].y) / 2.0));
            }
        }
    }
    pts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn join_equals_brute_force(
        parts in prop::collection::vec((star_strategy(), prop::option::of(star_strategy())), 1..8),
        extra in prop::collection::vec((-170i32..170, -170i32..170), 0..200),
        fat in prop::collection::vec(prop::option::of(0u32..50), 1..7),
    ) {
        let mut all = Vec::new();
        let features: Vec<LayerFeature> = parts
            .iter()
            .enumerate()
            .map(|(i, (a, b))| {
                all.push(a.clone());
                let g = match b {
                    Some(b) => {
                        all.push(b.clone());
                        Geometry::MultiPolygon(MultiPolygon(vec![a.clone(), b.clone()]))
                    }
                    None => Geometry::Polygon(a.clone()),
                };
                feature(g, i)
            })
            .collect();
        let mut layer = Layer { name: "props".into(), features };
        // A line feature is not a polygon: no row for it.
        layer.features.push(LayerFeature {
            id: None,
            geometry: Some(LineString::from(vec![(0.0, 0.0), (1.0, 1.0)]).into()),
            properties: Default::default(),
        });
        let pts = points_for(&all, &extra);
        let mut store = IncidentStore::default();
        for (k, &(x, y)) in pts.iter().enumerate() {
            let mut r = IncidentRecord::new(&format!("e{k}"), x, y, 20_000);
            r.fatalities = fat[k % fat.len()];
            store.push(&r);
        }
        store.push(&IncidentRecord::new("unmapped", f64::NAN, f64::NAN, 20_000));
        let rows: Vec<u32> = (0..store.len() as u32).collect();
        let table = join_counts(&layer, &LayerIndex::build(&layer), &store, &rows);
        prop_assert_eq!(table.rows.len(), parts.len());
        prop_assert_eq!(table.unmapped, 1);
        let mut outside = 0;
        for (k, &(x, y)) in pts.iter().enumerate() {
            if !layer.features.iter().any(|f| polygons_of(f.geometry.as_ref().unwrap()).is_some_and(|p| polygon_contains(&p, x, y))) {
                outside += 1;
            }
            let _ = k;
        }
        prop_assert_eq!(table.outside, outside);
        for row in &table.rows {
            let polys = polygons_of(layer.features[row.feature].geometry.as_ref().unwrap()).unwrap();
            let (mut n, mut f, mut u) = (0u64, 0u64, 0u64);
            for (k, &(x, y)) in pts.iter().enumerate() {
                if polygon_contains(&polys, x, y) {
                    n += 1;
                    match fat[k % fat.len()] {
                        Some(v) => f += u64::from(v),
                        None => u += 1,
                    }
                }
            }
            prop_assert_eq!((row.count, row.fatalities, row.unknown_fatalities), (n, f, u));
            prop_assert_eq!(row.name.clone(), Some(format!("area {}", row.feature)));
            prop_assert_eq!(row.id.clone(), Some(row.feature.to_string()));
        }
    }

    #[test]
    fn off_the_boundary_the_rule_agrees_with_geo(
        poly in star_strategy(),
        extra in prop::collection::vec((-170i32..170, -170i32..170), 0..300),
        frac in prop::collection::vec((0.0f64..1.0, 0.0f64..1.0), 0..100),
    ) {
        let mut pts: Vec<(f64, f64)> = extra.iter().map(|&(x, y)| (x as f64, y as f64)).collect();
        pts.extend(frac.iter().map(|&(a, b)| (-170.0 + 340.0 * a, -170.0 + 340.0 * b)));
        for (x, y) in pts {
            let pos = poly.coordinate_position(&Coord { x, y });
            let ours = polygon_contains(std::slice::from_ref(&poly), x, y);
            match pos {
                CoordPos::Inside => prop_assert!(ours, "{x},{y} inside"),
                CoordPos::Outside => prop_assert!(!ours, "{x},{y} outside"),
                CoordPos::OnBoundary => {}
            }
        }
    }

    #[test]
    fn a_tiling_counts_every_point_once(
        jit in prop::collection::vec((-3i32..=3, -3i32..=3), 36),
        extra in prop::collection::vec((0i32..=50, 0i32..=50), 0..200),
    ) {
        // A 5×5 grid of quadrilaterals over distorted vertices; the outer vertices stay put.
        let v = |i: usize, j: usize| {
            let (dx, dy) = if i == 0 || j == 0 || i == 5 || j == 5 { (0, 0) } else { jit[i * 6 + j] };
            Coord { x: (i as i32 * 10 + dx) as f64, y: (j as i32 * 10 + dy) as f64 }
        };
        let mut cells = Vec::new();
        for i in 0..5 {
            for j in 0..5 {
                cells.push(Polygon::new(
                    LineString(vec![v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1), v(i, j)]),
                    vec![],
                ));
            }
        }
        let mut pts = points_for(&cells, &extra);
        // Only points off the outer boundary must be counted exactly once.
        pts.retain(|&(x, y)| x > 0.0 && x < 50.0 && y > 0.0 && y < 50.0);
        let layer = Layer {
            name: "grid".into(),
            features: cells.iter().enumerate().map(|(i, c)| feature(c.clone().into(), i)).collect(),
        };
        let mut store = IncidentStore::default();
        for (k, &(x, y)) in pts.iter().enumerate() {
            store.push(&IncidentRecord::new(&k.to_string(), x, y, 0));
        }
        for &(x, y) in &pts {
            let n = cells.iter().filter(|c| polygon_contains(std::slice::from_ref(*c), x, y)).count();
            prop_assert_eq!(n, 1, "{},{}", x, y);
        }
        let rows: Vec<u32> = (0..store.len() as u32).collect();
        let table = join_counts(&layer, &LayerIndex::build(&layer), &store, &rows);
        prop_assert_eq!(table.rows.iter().map(|r| r.count).sum::<u64>(), pts.len() as u64);
        prop_assert_eq!(table.outside, 0);
    }
}

/// Whether an edge of any ring passes within `tol` of `(x, y)`, by a scan of every edge.
fn near_boundary(polys: &[Polygon<f64>], x: f64, y: f64, tol: f64) -> bool {
    polys.iter().any(|p| {
        std::iter::once(p.exterior()).chain(p.interiors()).any(|r| {
            r.0.windows(2).any(|w| {
                let (a, b) = (w[0], w[1]);
                let (dx, dy) = (b.x - a.x, b.y - a.y);
                let len2 = dx * dx + dy * dy;
                let t = if len2 > 0.0 {
                    (((x - a.x) * dx + (y - a.y) * dy) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                (x - (a.x + t * dx)).hypot(y - (a.y + t * dy)) <= tol
            })
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Many-vertex polygons (many latitude bands), points on every vertex and edge.
    #[test]
    fn prepared_polygons_equal_the_plain_rule(
        cx in -100i32..100,
        cy in -100i32..100,
        r in 20i32..400,
        jit in prop::collection::vec((0i32..=10, -2i32..=2), 5..400),
        hole in any::<bool>(),
        second in prop::option::of(star_strategy()),
        extra in prop::collection::vec((-500i32..500, -500i32..500), 0..300),
    ) {
        let mut polys = vec![star(cx, cy, r, &jit, hole)];
        polys.extend(second);
        let prepared = PreparedPolygons::new(&polys);
        for (x, y) in points_for(&polys, &extra) {
            prop_assert_eq!(prepared.contains(x, y), polygon_contains(&polys, x, y), "{},{}", x, y);
            // (tol 0 is left out: whether a point is at distance 0.0 of an edge depends on
            // rounding, and the prepared edges run low-to-high.)
            for tol in [0.7, 3.0, 40.0] {
                let y2 = y + 0.3;
                prop_assert_eq!(prepared.boundary_within(x, y2, tol), near_boundary(&polys, x, y2, tol), "{},{} tol {}", x, y2, tol);
            }
        }
    }
}

#[test]
fn holes_are_not_part_of_the_polygon_and_their_rim_follows_the_rule() {
    let p = Polygon::new(
        LineString::from(vec![
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]),
        vec![LineString::from(vec![
            (4.0, 4.0),
            (6.0, 4.0),
            (6.0, 6.0),
            (4.0, 6.0),
            (4.0, 4.0),
        ])],
    );
    let ps = std::slice::from_ref(&p);
    assert!(!polygon_contains(ps, 5.0, 5.0));
    assert!(polygon_contains(ps, 2.0, 5.0));
    // Rim of the hole: the polygon is east of the hole's east edge, north of its north edge.
    assert!(polygon_contains(ps, 6.0, 5.0));
    assert!(!polygon_contains(ps, 4.0, 5.0));
    assert!(polygon_contains(ps, 5.0, 6.0));
    assert!(!polygon_contains(ps, 5.0, 4.0));
}
