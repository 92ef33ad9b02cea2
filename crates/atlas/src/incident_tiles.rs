//! Vector tiles of a filtered incident view, as the map draws them: layer `clusters`
//! (supercluster semantics: `cluster_id`, `point_count`, `point_count_abbreviated`,
//! `expansion_zoom`, summed `fatalities`) and layer `incidents` (`row`, `event_id`,
//! `event_type`, `geo_precision`, `fatalities` (−1 unknown), `date`).
//!
//! ```
//! use atlas::dataset::Dataset;
//! use atlas::filter::Filter;
//! use atlas::incident_tiles::incident_tile;
//! use atlas::tiles::{decode_tile, TileId};
//! let d = Dataset::bundled().unwrap();
//! let v = d.view(Filter::default(), &Default::default()).unwrap();
//! let bytes = incident_tile(d.store(), &v, TileId::new(0, 0, 0).unwrap());
//! assert!(!decode_tile(&bytes).unwrap().is_empty());
//! ```

use crate::cluster::ClusterOrPoint;
use crate::dataset::View;
use crate::model::IncidentStore;
use crate::tiles::{LayerIx, TileBuilder, TileId, Value};

/// Cluster settings of the map: a little coarser than supercluster's default radius so
/// labels fit; from zoom 15 single incidents.
pub fn map_cluster_options() -> crate::cluster::ClusterOptions {
    crate::cluster::ClusterOptions {
        radius: 50.0,
        max_zoom: 14,
        ..crate::cluster::ClusterOptions::default()
    }
}

/// Fraction of a tile added on each side when selecting features (symbols at edges).
pub const SELECT_BUFFER: f64 = 0.0625;

/// `1234` → `1.2k`, `56789` → `56k` (supercluster's abbreviation).
pub fn abbreviate(n: u32) -> String {
    if n >= 10_000 {
        format!("{}k", n / 1000)
    } else if n >= 1000 {
        format!("{:.1}k", n as f64 / 1000.0)
    } else {
        n.to_string()
    }
}

/// Date text of a row: one day, or `start – end` for an event dated to a range.
pub fn date_text(store: &IncidentStore, row: u32) -> String {
    let i = row as usize;
    match (store.day_start.get(i), store.day_end.get(i)) {
        (Some(&a), Some(&b)) if a != b => format!(
            "{} – {}",
            crate::date::format_day(a),
            crate::date::format_day(b)
        ),
        (Some(&a), _) => crate::date::format_day(a),
        _ => String::new(),
    }
}

/// A cluster as the map draws it.
pub struct ClusterFeature {
    pub id: u32,
    pub count: u32,
    pub lon: f64,
    pub lat: f64,
    pub expansion_zoom: u8,
    /// Summed fatalities, when the points carry them.
    pub fatalities: Option<u32>,
}

/// Write a cluster with supercluster's properties (`cluster`, `cluster_id`, `point_count`,
/// `point_count_abbreviated`, `expansion_zoom`, and `fatalities` when known); the feature id
/// is the cluster id. Shared by incident and layer tiles.
pub fn add_cluster(b: &mut TileBuilder, layer: LayerIx, c: ClusterFeature) {
    let abbr = abbreviate(c.count);
    let mut props = vec![
        ("cluster", Value::Bool(true)),
        ("cluster_id", Value::UInt(c.id as u64)),
        ("point_count", Value::UInt(c.count as u64)),
        ("point_count_abbreviated", Value::Str(&abbr)),
        ("expansion_zoom", Value::UInt(c.expansion_zoom as u64)),
    ];
    if let Some(f) = c.fatalities {
        props.push(("fatalities", Value::UInt(f as u64)));
    }
    b.add_point(layer, Some(c.id as u64), c.lon, c.lat, &props);
}

/// The tile's bytes (uncompressed MVT; empty when nothing is in it).
pub fn incident_tile(store: &IncidentStore, view: &View, tile: TileId) -> Vec<u8> {
    let items = view
        .clusters
        .clusters(tile.bounds_buffered(SELECT_BUFFER), tile.z as f64);
    let mut b = TileBuilder::new(tile);
    let cl = b.layer("clusters");
    let inc = b.layer("incidents");
    for it in items {
        match it {
            ClusterOrPoint::Cluster {
                id,
                count,
                lon,
                lat,
                fatalities,
                expansion_zoom,
            } => add_cluster(
                &mut b,
                cl,
                ClusterFeature {
                    id,
                    count,
                    lon,
                    lat,
                    expansion_zoom,
                    fatalities: Some(fatalities),
                },
            ),
            ClusterOrPoint::Point { row, lon, lat, .. } => {
                if (row as usize) >= store.len() {
                    continue;
                }
                let date = date_text(store, row);
                let fat = store.fatalities(row).map_or(-1, i64::from);
                b.add_point(
                    inc,
                    Some(row as u64),
                    lon,
                    lat,
                    &[
                        ("row", Value::UInt(row as u64)),
                        ("event_id", Value::Str(store.event_id(row))),
                        ("event_type", Value::Str(store.event_type(row))),
                        (
                            "geo_precision",
                            Value::UInt(store.geo_precision[row as usize] as u64),
                        ),
                        ("fatalities", Value::Int(fat)),
                        ("date", Value::Str(&date)),
                    ],
                );
            }
        }
    }
    b.encode()
}
