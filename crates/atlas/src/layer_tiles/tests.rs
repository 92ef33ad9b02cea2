//! [`LayerTiles`] on a mixed layer.

use super::*;
use crate::tiles::{decode_tile, DecodedFeature, DecodedLayer, OwnedValue};
use geo::{GeometryCollection, LineString, MultiPoint, MultiPolygon, Point};
use serde_json::json;

const T: TileId = TileId {
    z: 10,
    x: 700,
    y: 410,
};

/// WGS84 position of tile coordinates of [`T`].
fn at(px: f64, py: f64) -> Coord<f64> {
    let n = T.count();
    let e = EXTENT as f64;
    let wx = (T.x as f64 + px / e) / n;
    let wy = (T.y as f64 + py / e) / n;
    Coord {
        x: wx * 360.0 - 180.0,
        y: (std::f64::consts::PI * (1.0 - 2.0 * wy))
            .sinh()
            .atan()
            .to_degrees(),
    }
}

fn ls(pts: &[(f64, f64)]) -> LineString<f64> {
    pts.iter().map(|&(x, y)| at(x, y)).collect()
}

fn square(x: f64, y: f64, d: f64) -> Polygon<f64> {
    Polygon::new(
        ls(&[(x, y), (x + d, y), (x + d, y + d), (x, y + d), (x, y)]),
        vec![],
    )
}

fn feature(g: Option<Geometry<f64>>, props: serde_json::Value) -> LayerFeature {
    LayerFeature {
        id: None,
        geometry: g,
        properties: props.as_object().cloned().unwrap_or_default(),
    }
}

const SCRIPT: &str = "<script>alert('x')</script> & \"quotes\"";

fn mixed() -> Layer {
    let pt = |x, y| Point::from(at(x, y));
    Layer {
        name: "mixed".into(),
        features: vec![
            feature(
                Some(pt(500.0, 500.0).into()),
                json!({"name": SCRIPT, "n": 3, "fid": "mine"}),
            ),
            feature(
                Some(ls(&[(-1000.0, 2000.0), (5000.0, 2000.0)]).into()),
                json!({"road": "N5", "lanes": 2, "nested": {"a": [1, 2]}, "big": 18446744073709551615u64}),
            ),
            feature(
                Some(square(2500.0, 2500.0, 500.0).into()),
                json!({"ok": true, "gone": null, "area": 1.5}),
            ),
            feature(
                Some(
                    MultiPolygon::new(vec![
                        square(3000.0, 100.0, 300.0),
                        square(3500.0, 100.0, 300.0),
                    ])
                    .into(),
                ),
                json!({}),
            ),
            feature(
                Some(Geometry::GeometryCollection(GeometryCollection::new_from(
                    vec![
                        pt(1500.0, 500.0).into(),
                        ls(&[(100.0, 3000.0), (900.0, 3800.0)]).into(),
                    ],
                ))),
                json!({"kind": "collection"}),
            ),
            feature(None, json!({"kind": "nowhere"})),
            feature(
                Some(MultiPoint::new(vec![pt(500.0, 1500.0), pt(1500.0, 1500.0)]).into()),
                json!({"kind": "pair"}),
            ),
        ],
    }
}

fn layer<'a>(layers: &'a [DecodedLayer], name: &str) -> Option<&'a DecodedLayer> {
    layers.iter().find(|l| l.name == name)
}

fn fids(l: &DecodedLayer) -> Vec<(u64, u32)> {
    l.features
        .iter()
        .map(|f| match f.prop("fid") {
            Some(OwnedValue::UInt(u)) => (*u, f.geom_type),
            other => panic!("fid {other:?}"),
        })
        .collect()
}

fn str_prop<'a>(f: &'a DecodedFeature, k: &str) -> Option<&'a str> {
    match f.prop(k) {
        Some(OwnedValue::Str(s)) => Some(s),
        _ => None,
    }
}

#[test]
fn mixed_layer_gives_each_kind_its_layer_with_fids_and_properties() {
    let l = mixed();
    let tiles = LayerTiles::new(&l).unwrap();
    assert_eq!(tiles.num_points(), 4);
    let counts = [10.0, 11.0, f64::NAN, 13.0, 14.0, 15.0, 16.0];
    let bytes = tiles.tile(&l, T, &[("incidents", &counts)]).unwrap();
    let layers = decode_tile(&bytes).unwrap();
    let names: Vec<&str> = layers.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, vec!["features", "points"]);

    let fl = &layers[0];
    assert_eq!(fids(fl), vec![(1, 2), (2, 3), (3, 3), (4, 2)]);
    for f in &fl.features {
        assert_eq!(
            Some(f.prop("fid")),
            Some(Some(&OwnedValue::UInt(f.id.unwrap_or(99))))
        );
    }
    let line = &fl.features[0];
    assert_eq!(line.parts, vec![vec![(-256, 2000), (4352, 2000)]]);
    assert_eq!(str_prop(line, "road"), Some("N5"));
    assert_eq!(line.prop("lanes"), Some(&OwnedValue::Int(2)));
    assert_eq!(line.prop("big"), Some(&OwnedValue::UInt(u64::MAX)));
    assert_eq!(str_prop(line, "nested"), Some(r#"{"a":[1,2]}"#));
    assert_eq!(line.prop("incidents"), Some(&OwnedValue::Double(11.0)));
    let poly = &fl.features[1];
    assert_eq!(poly.prop("ok"), Some(&OwnedValue::Bool(true)));
    assert_eq!(poly.prop("area"), Some(&OwnedValue::Double(1.5)));
    assert_eq!(poly.prop("gone"), None);
    assert_eq!(poly.prop("incidents"), None, "NaN is left out");
    assert_eq!(poly.ring_areas(), vec![2 * 500 * 500]);
    assert_eq!(
        fl.features[2].ring_areas(),
        vec![2 * 300 * 300, 2 * 300 * 300]
    );
    assert_eq!(str_prop(&fl.features[3], "kind"), Some("collection"));

    let pl = &layers[1];
    let mut pf = fids(pl);
    pf.sort_unstable();
    assert_eq!(pf, vec![(0, 1), (4, 1), (6, 1), (6, 1)]);
    let p0 = pl
        .features
        .iter()
        .find(|f| f.id == Some(0))
        .expect("point 0");
    assert_eq!(p0.points, vec![(500, 500)]);
    // Byte for byte, and the feature's own "fid" does not override the index.
    assert_eq!(str_prop(p0, "name"), Some(SCRIPT));
    assert_eq!(p0.prop("fid"), Some(&OwnedValue::UInt(0)));
    assert_eq!(p0.prop("n"), Some(&OwnedValue::Int(3)));
    assert_eq!(p0.prop("incidents"), Some(&OwnedValue::Double(10.0)));
    assert_eq!(
        bytes
            .windows(SCRIPT.len())
            .filter(|w| *w == SCRIPT.as_bytes())
            .count(),
        1
    );
}

#[test]
fn points_cluster_at_low_zoom() {
    let l = mixed();
    let tiles = LayerTiles::new(&l).unwrap();
    let z5 = TileId::new(5, T.x >> 5, T.y >> 5).unwrap();
    let layers = decode_tile(&tiles.tile(&l, z5, &[]).unwrap()).unwrap();
    assert!(layer(&layers, "points").is_none());
    let cl = layer(&layers, "point_clusters").expect("clusters");
    assert_eq!(cl.features.len(), 1);
    let c = &cl.features[0];
    assert_eq!(c.prop("cluster"), Some(&OwnedValue::Bool(true)));
    assert_eq!(c.prop("point_count"), Some(&OwnedValue::UInt(4)));
    assert_eq!(str_prop(c, "point_count_abbreviated"), Some("4"));
    assert_eq!(c.prop("cluster_id").cloned(), c.id.map(OwnedValue::UInt));
    // The shapes are still there, small.
    assert_eq!(fids(layer(&layers, "features").expect("features")).len(), 4);
}

#[test]
fn property_limits_and_errors() {
    let mut props = serde_json::Map::new();
    for i in 0..100 {
        props.insert(format!("p{i:03}"), json!(i));
    }
    let long_a = format!("{}a", "k".repeat(70));
    let long_b = format!("{}b", "k".repeat(70));
    props.insert(long_a, json!(1));
    props.insert(long_b, json!(2));
    props.insert("deep".into(), json!(["é".repeat(400)]));
    let mut few = serde_json::Map::new();
    few.insert("deep".into(), json!({"x": "é".repeat(400)}));
    few.insert("ü".repeat(40), json!("long key"));
    let l = Layer {
        name: "props".into(),
        features: vec![
            LayerFeature {
                id: None,
                geometry: Some(square(100.0, 100.0, 1000.0).into()),
                properties: props,
            },
            LayerFeature {
                id: None,
                geometry: Some(square(2000.0, 2000.0, 1000.0).into()),
                properties: few,
            },
        ],
    };
    let tiles = LayerTiles::new(&l).unwrap();
    let layers = decode_tile(&tiles.tile(&l, T, &[]).unwrap()).unwrap();
    let f = &layers[0].features;
    assert_eq!(f[0].props.len(), 1 + MAX_PROPERTIES);
    let g = &f[1];
    let deep = str_prop(g, "deep").expect("deep");
    assert!(deep.len() <= MAX_JSON_BYTES && deep.len() > MAX_JSON_BYTES - 2);
    assert!(deep.starts_with(r#"{"x":"éé"#));
    let (k, v) = g
        .props
        .iter()
        .find(|(k, _)| k.starts_with('ü'))
        .expect("key");
    assert_eq!(k.len(), MAX_KEY_BYTES);
    assert_eq!(v, &OwnedValue::Str("long key".into()));

    let mut other = l.clone();
    other.features.pop();
    assert_eq!(
        tiles.tile(&other, T, &[]),
        Err(TileError::LayerMismatch { built: 2, given: 1 })
    );
    // A tile far away is empty.
    assert!(tiles
        .tile(&l, TileId::new(10, 0, 0).unwrap(), &[])
        .unwrap()
        .is_empty());
}

#[test]
fn long_keys_cut_to_the_same_prefix_are_written_once() {
    let mut props = serde_json::Map::new();
    props.insert(format!("{}a", "k".repeat(70)), json!(1));
    props.insert(format!("{}b", "k".repeat(70)), json!(2));
    let l = Layer {
        name: "keys".into(),
        features: vec![LayerFeature {
            id: None,
            geometry: Some(square(100.0, 100.0, 1000.0).into()),
            properties: props,
        }],
    };
    let tiles = LayerTiles::new(&l).unwrap();
    let layers = decode_tile(&tiles.tile(&l, T, &[]).unwrap()).unwrap();
    let f = &layers[0].features[0];
    assert_eq!(f.props.len(), 2);
    assert_eq!(f.props[1], ("k".repeat(64), OwnedValue::Int(1)));
}
