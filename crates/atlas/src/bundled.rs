//! The data bundled with Border Atlas (data/ at the repository root), compiled into the
//! engine so the CLI and the app work offline from any directory, and the attribution
//! every map and export must show.
//!
//! ```
//! let a = atlas::bundled::attribution().unwrap();
//! assert!(a.iter().any(|x| x.text.contains("OpenStreetMap")));
//! assert!(atlas::bundled::BORDER.len() > 1000);
//! ```

use serde::{Deserialize, Serialize};

/// The Afghanistan–Pakistan border (Durand Line), OSM-derived, south to north. ODbL 1.0.
pub const BORDER: &[u8] = include_bytes!("../../../data/border.geojson");
/// The same border from Natural Earth 10m (public domain), a second layer.
pub const BORDER_NE: &[u8] = include_bytes!("../../../data/border-ne.geojson");
/// Afghanistan and Pakistan polygons (the side of an incident is decided with them).
pub const COUNTRIES: &[u8] = include_bytes!("../../../data/countries.geojson");
/// Neighbouring countries' outlines, for context.
pub const NEIGHBOURS: &[u8] = include_bytes!("../../../data/neighbours.geojson");
/// Crossing points with their sources, confidence and status.
pub const CROSSINGS: &[u8] = include_bytes!("../../../data/crossings.geojson");
/// Province polygons (Natural Earth admin-1, names corrected).
pub const PROVINCES: &[u8] = include_bytes!("../../../data/provinces.geojson");
/// Province boundary lines.
pub const PROVINCE_LINES: &[u8] = include_bytes!("../../../data/province-lines.geojson");
/// Places (GeoNames, CC-BY 4.0) with population and label rank.
pub const PLACES: &[u8] = include_bytes!("../../../data/places.geojson");
/// Rivers.
pub const RIVERS: &[u8] = include_bytes!("../../../data/rivers.geojson");
/// The cited incident sample (a demonstration, not a dataset).
pub const INCIDENTS_SAMPLE: &[u8] = include_bytes!("../../../data/incidents-sample.geojson");
/// Attribution of every bundled layer.
pub const ATTRIBUTION_JSON: &str = include_str!("../../../data/attribution.json");

/// File name of the bundled incident sample, used in problem reports.
pub const INCIDENTS_SAMPLE_NAME: &str = "data/incidents-sample.geojson";

/// Every bundled layer by its name (the file name without `.geojson`), for the map and exports.
pub const LAYERS: &[(&str, &[u8])] = &[
    ("border", BORDER),
    ("border-ne", BORDER_NE),
    ("countries", COUNTRIES),
    ("neighbours", NEIGHBOURS),
    ("crossings", CROSSINGS),
    ("provinces", PROVINCES),
    ("province-lines", PROVINCE_LINES),
    ("places", PLACES),
    ("rivers", RIVERS),
    ("incidents-sample", INCIDENTS_SAMPLE),
];

/// A bundled layer's bytes by name.
pub fn layer(name: &str) -> Option<&'static [u8]> {
    LAYERS.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

/// Attribution of one bundled layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    pub layer: String,
    pub file: String,
    pub text: String,
    pub licence: String,
    /// The licence's address, when it has one.
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Deserialize)]
struct AttributionFile {
    layers: Vec<Attribution>,
}

/// The attribution of every bundled layer, as data/attribution.json states it.
pub fn attribution() -> Result<Vec<Attribution>, serde_json::Error> {
    serde_json::from_str::<AttributionFile>(ATTRIBUTION_JSON).map(|f| f.layers)
}

/// The short credit line shown on the map and on every export page.
pub const CREDIT_LINE: &str =
    "© OpenStreetMap contributors (ODbL) · Natural Earth · GeoNames (CC-BY 4.0)";
