//! Round trips through [`TileBuilder`] and [`decode_tile`].

use super::*;
use geo::{polygon, Coord, LineString, Polygon};

#[test]
fn round_trip_with_dedup_and_all_value_kinds() {
    let t = TileId::new(8, 178, 102).unwrap();
    let [w, s, e, n] = t.bounds();
    // The centre in Mercator is the north-west corner of the south-east child.
    let [cx, _, _, cy] = TileId::new(9, 357, 205).unwrap().bounds();
    assert!(cx > w && cx < e && cy > s && cy < n);
    let mut b = TileBuilder::new(t);
    let inc = b.layer("incidents");
    let cl = b.layer("clusters");
    assert_eq!(b.layer("incidents"), inc);
    for i in 0..3u64 {
        assert!(b.add_point(
            inc,
            Some(i),
            cx,
            cy,
            &[
                ("event_type", Value::Str("Battles")),
                ("n", Value::UInt(i)),
                ("neg", Value::Int(-5)),
                ("f", Value::Double(1.5)),
                ("hollow", Value::Bool(i == 1)),
            ],
        ));
    }
    assert!(!b.add_point(inc, None, cx + 90.0, cy, &[]), "far outside");
    assert!(!b.add_point(inc, None, f64::NAN, cy, &[]));
    assert!(b.add_point(cl, None, w, n, &[("point_count", Value::UInt(12))]));
    assert_eq!(b.len(inc), 3);
    let bytes = b.encode();
    let layers = decode_tile(&bytes).unwrap();
    assert_eq!(layers.len(), 2);
    let l = &layers[0];
    assert_eq!((l.name.as_str(), l.extent), ("incidents", EXTENT));
    assert_eq!(l.features.len(), 3);
    let f = &l.features[1];
    assert_eq!(f.id, Some(1));
    assert_eq!(f.geom_type, 1);
    assert_eq!(f.points, vec![(2048, 2048)]);
    assert_eq!(
        f.prop("event_type"),
        Some(&OwnedValue::Str("Battles".into()))
    );
    assert_eq!(f.prop("neg"), Some(&OwnedValue::Int(-5)));
    assert_eq!(f.prop("f"), Some(&OwnedValue::Double(1.5)));
    assert_eq!(f.prop("hollow"), Some(&OwnedValue::Bool(true)));
    assert_eq!(f.prop("n"), Some(&OwnedValue::UInt(1)));
    assert_eq!(layers[1].features[0].points, vec![(0, 0)]);
    // "Battles" and -5 and 1.5 stored once: 3 features share them.
    let count = bytes.windows(7).filter(|w| w == b"Battles").count();
    assert_eq!(count, 1);
}

#[test]
fn empty_tile_is_empty_and_garbage_is_an_error() {
    let b = TileBuilder::new(TileId::new(3, 1, 1).unwrap());
    assert!(b.is_empty());
    assert!(b.encode().is_empty());
    assert!(decode_tile(&[0x1a, 0x05, 0x01]).is_err());
    assert!(decode_tile(&[0xff; 12]).is_err());
}

/// WGS84 position of tile coordinates `(px, py)` of `t` (inverse of [`TileId::project`]).
fn at(t: TileId, px: f64, py: f64) -> Coord<f64> {
    let n = t.count();
    let e = EXTENT as f64;
    let wx = (t.x as f64 + px / e) / n;
    let wy = (t.y as f64 + py / e) / n;
    Coord {
        x: wx * 360.0 - 180.0,
        y: (std::f64::consts::PI * (1.0 - 2.0 * wy))
            .sinh()
            .atan()
            .to_degrees(),
    }
}

fn ring(t: TileId, pts: &[(f64, f64)]) -> LineString<f64> {
    pts.iter().map(|&(x, y)| at(t, x, y)).collect()
}

fn sorted(mut v: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    v.sort_unstable();
    v
}

const T: TileId = TileId {
    z: 10,
    x: 700,
    y: 410,
};

#[test]
fn line_and_polygon_with_hole_round_trip_with_mvt_winding() {
    let mut b = TileBuilder::new(T);
    let l = b.layer("shapes");
    let line = ring(
        T,
        &[
            (100.0, 100.0),
            (200.0, 100.0),
            (200.0, 100.2),
            (200.0, 300.0),
        ],
    );
    assert!(b.add_line(l, Some(1), &[line], &[("kind", Value::Str("road"))]));
    // Exterior counter-clockwise on screen and hole clockwise: both must be turned round.
    let ext = ring(
        T,
        &[
            (1000.0, 1000.0),
            (1000.0, 3000.0),
            (3000.0, 3000.0),
            (3000.0, 1000.0),
            (1000.0, 1000.0),
        ],
    );
    let hole = ring(
        T,
        &[
            (1500.0, 1500.0),
            (2500.0, 1500.0),
            (2500.0, 2500.0),
            (1500.0, 2500.0),
            (1500.0, 1500.0),
        ],
    );
    assert!(b.add_polygon(l, Some(2), &[Polygon::new(ext, vec![hole])], &[]));
    let layers = decode_tile(&b.encode()).unwrap();
    let fs = &layers[0].features;
    assert_eq!(fs.len(), 2);
    assert_eq!((fs[0].id, fs[0].geom_type), (Some(1), 2));
    // The repeated (after quantisation) point is gone.
    assert_eq!(fs[0].parts, vec![vec![(100, 100), (200, 100), (200, 300)]]);
    assert_eq!(fs[0].prop("kind"), Some(&OwnedValue::Str("road".into())));
    let p = &fs[1];
    assert_eq!((p.id, p.geom_type), (Some(2), 3));
    assert_eq!(p.parts.len(), 2);
    assert_eq!(p.ring_areas(), vec![2 * 2000 * 2000, -2 * 1000 * 1000]);
    assert_eq!(
        sorted(p.parts[0].clone()),
        vec![(1000, 1000), (1000, 3000), (3000, 1000), (3000, 3000)]
    );
    assert_eq!(
        sorted(p.parts[1].clone()),
        vec![(1500, 1500), (1500, 2500), (2500, 1500), (2500, 2500)]
    );
}

#[test]
fn polygon_larger_than_the_tile_is_the_buffered_tile() {
    let mut b = TileBuilder::new(T);
    let l = b.layer("areas");
    let big = polygon![
        (x: 60.0, y: 25.0), (x: 80.0, y: 25.0), (x: 80.0, y: 45.0), (x: 60.0, y: 45.0)
    ];
    let [w, s, e, n] = T.bounds();
    assert!(w > 60.0 && e < 80.0 && s > 25.0 && n < 45.0);
    assert!(b.add_polygon(l, None, &[big], &[]));
    let layers = decode_tile(&b.encode()).unwrap();
    let f = &layers[0].features[0];
    let (lo, hi) = (-(BUFFER as i64), (EXTENT as i32 + BUFFER) as i64);
    assert_eq!(
        sorted(f.parts[0].clone()),
        vec![(lo, lo), (lo, hi), (hi, lo), (hi, hi)]
    );
    assert!(f.ring_areas()[0] > 0);
    // Entirely outside: nothing.
    let mut b = TileBuilder::new(T);
    let l = b.layer("areas");
    let far = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)];
    assert!(!b.add_polygon(l, None, &[far], &[]));
    assert!(b.encode().is_empty());
}

#[test]
fn line_leaving_and_reentering_the_tile_is_split() {
    let mut b = TileBuilder::new(T);
    let l = b.layer("lines");
    let line = ring(
        T,
        &[
            (-1000.0, 1000.0),
            (5000.0, 1000.0),
            (5000.0, 6000.0),
            (2000.0, 6000.0),
            (2000.0, 2000.0),
        ],
    );
    assert!(b.add_line(l, Some(9), &[line], &[]));
    let layers = decode_tile(&b.encode()).unwrap();
    assert_eq!(
        layers[0].features[0].parts,
        vec![
            vec![(-256, 1000), (4352, 1000)],
            vec![(2000, 4352), (2000, 2000)]
        ]
    );
}

#[test]
fn tiny_rings_and_points_are_dropped() {
    let mut b = TileBuilder::new(T);
    let l = b.layer("x");
    // Quantises to at most two distinct points.
    let speck = ring(T, &[(10.0, 10.0), (10.2, 10.1), (10.1, 10.3), (10.0, 10.0)]);
    assert!(!b.add_polygon(l, None, &[Polygon::new(speck, vec![])], &[]));
    // Collinear: no area.
    let flat = ring(T, &[(10.0, 10.0), (20.0, 10.0), (30.0, 10.0), (10.0, 10.0)]);
    assert!(!b.add_polygon(l, None, &[Polygon::new(flat, vec![])], &[]));
    let dot = ring(T, &[(10.0, 10.0), (10.1, 10.1)]);
    assert!(!b.add_line(l, None, &[dot], &[]));
    assert!(b.is_empty());
}

#[test]
fn a_100k_vertex_ring_is_small_at_zoom_4() {
    let (wx, wy) = world_xy(69.0, 33.0);
    let t = TileId::new(4, (wx * 16.0) as u32, (wy * 16.0) as u32).unwrap();
    let n = 100_000;
    let ext: LineString<f64> = (0..=n)
        .map(|i| {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            // Wiggles at several scales, the finest (0.002°) below a unit at zoom 4.
            let r =
                3.0 + 0.05 * (7.0 * a).sin() + 0.01 * (97.0 * a).sin() + 0.002 * (1999.0 * a).sin();
            Coord {
                x: 69.0 + r * a.cos(),
                y: 33.0 + r * a.sin(),
            }
        })
        .collect();
    let mut b = TileBuilder::new(t);
    let l = b.layer("province");
    assert!(b.add_polygon(l, Some(0), &[Polygon::new(ext.clone(), vec![])], &[]));
    let bytes = b.encode();
    let layers = decode_tile(&bytes).unwrap();
    let pts = layers[0].features[0].points.len();
    assert!((8..1000).contains(&pts), "{pts} points");
    assert!(bytes.len() < 4000, "{} bytes", bytes.len());
    // Closer in, the finer wiggles come back.
    let (sx, sy) = world_xy(69.0, 30.0);
    let t9 = TileId::new(9, (sx * 512.0) as u32, (sy * 512.0) as u32).unwrap();
    let mut b = TileBuilder::new(t9);
    let l = b.layer("province");
    assert!(b.add_polygon(l, Some(0), &[Polygon::new(ext, vec![])], &[]));
    let layers = decode_tile(&b.encode()).unwrap();
    let pts9 = layers[0].features[0].points.len();
    assert!(pts9 > pts, "{pts9} at z9 vs {pts} at z4");
}
