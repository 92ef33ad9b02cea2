//! The researcher's generic layers (districts, routes, checkpoints…): each kept as the
//! engine's [`Layer`] with its R-tree ([`LayerIndex`]) for hit tests, tiles and joins, and
//! its style (the project's [`LayerStyle`], also what exports draw).

use crate::state::{AppError, AppResult, AppState};
use atlas::layer_index::envelope;
use atlas::layer_tiles::LayerTiles;
use atlas::model::Layer;
use atlas::project::format::LayerStyle;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// Colours given to new layers in turn (ColorBrewer Dark2, readable on the basemap).
const PALETTE: &[&str] = &[
    "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#d95f02", "#666666",
];

/// One loaded layer.
#[derive(Debug)]
pub struct AppLayer {
    /// Set when added to the state.
    pub id: u64,
    pub layer: Layer,
    /// Vector tiles of the layer: its R-tree (`tiles.index()`, also for joins and hit
    /// tests), shapes pre-projected, points clustered.
    pub tiles: LayerTiles,
    /// The file it came from (None: embedded in a project).
    pub path: Option<PathBuf>,
    pub meta: RwLock<LayerMeta>,
    /// Geometry kinds with counts, e.g. `[("Polygon", 34), ("MultiPolygon", 2)]`.
    pub geometry_types: Vec<(String, usize)>,
    pub bbox: Option<[f64; 4]>,
    /// The last spatial join (incidents per polygon), drawn as tile properties.
    pub join: RwLock<Option<JoinColumns>>,
}

/// Counts per feature from the last join, indexed by feature (NaN: not a polygon).
#[derive(Debug, Clone)]
pub struct JoinColumns {
    pub table: atlas::join::JoinTable,
    pub incidents: Vec<f64>,
    pub fatalities: Vec<f64>,
}

/// What the user can change about a layer.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct LayerMeta {
    pub name: String,
    pub style: LayerStyle,
    /// Bumped on every change, so tile URLs change and MapLibre refetches.
    #[serde(default)]
    pub revision: u64,
}

/// The GeoJSON type name of a geometry.
pub fn geometry_name(g: &geo::Geometry<f64>) -> &'static str {
    match g {
        geo::Geometry::Point(_) => "Point",
        geo::Geometry::Line(_) | geo::Geometry::LineString(_) => "LineString",
        geo::Geometry::Polygon(_) | geo::Geometry::Rect(_) | geo::Geometry::Triangle(_) => {
            "Polygon"
        }
        geo::Geometry::MultiPoint(_) => "MultiPoint",
        geo::Geometry::MultiLineString(_) => "MultiLineString",
        geo::Geometry::MultiPolygon(_) => "MultiPolygon",
        geo::Geometry::GeometryCollection(_) => "GeometryCollection",
    }
}

impl AppLayer {
    /// Index a layer (call off the UI thread for big layers).
    pub fn new(layer: Layer, path: Option<PathBuf>) -> AppResult<AppLayer> {
        let tiles = LayerTiles::new(&layer).map_err(|e| AppError::Engine(e.to_string()))?;
        let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut bbox: Option<[f64; 4]> = None;
        for f in &layer.features {
            let name = f.geometry.as_ref().map_or("null", geometry_name);
            *kinds.entry(name).or_default() += 1;
            if let Some(b) = f.geometry.as_ref().and_then(envelope) {
                bbox = Some(bbox.map_or(b, |a| {
                    [
                        a[0].min(b[0]),
                        a[1].min(b[1]),
                        a[2].max(b[2]),
                        a[3].max(b[3]),
                    ]
                }));
            }
        }
        let mut geometry_types: Vec<(String, usize)> =
            kinds.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        geometry_types.sort_by_key(|g| std::cmp::Reverse(g.1));
        let meta = LayerMeta {
            name: layer.name.clone(),
            style: LayerStyle::default(),
            revision: 0,
        };
        Ok(AppLayer {
            id: 0,
            layer,
            tiles,
            path,
            meta: RwLock::new(meta),
            geometry_types,
            bbox,
            join: RwLock::new(None),
        })
    }

    /// The dominant drawing kind: "point", "line" or "polygon".
    pub fn kind(&self) -> &'static str {
        let main = self.geometry_types.first().map(|g| g.0.as_str());
        match main {
            Some("Point" | "MultiPoint") => "point",
            Some("LineString" | "MultiLineString") => "line",
            _ => "polygon",
        }
    }

    pub fn meta(&self) -> AppResult<LayerMeta> {
        self.meta
            .read()
            .map(|m| m.clone())
            .map_err(|_| AppError::Engine("layer lock poisoned".into()))
    }
}

impl AppState {
    /// Add a layer on top; returns its id. New layers get the next palette colour.
    pub fn add_layer(&self, mut l: AppLayer) -> AppResult<u64> {
        let mut g = self
            .layers
            .write()
            .map_err(|_| AppError::Engine("layer lock poisoned".into()))?;
        let id = g.iter().map(|l| l.id).max().unwrap_or(0) + 1;
        l.id = id;
        if let Ok(mut m) = l.meta.write() {
            m.style.color = PALETTE[(id as usize - 1) % PALETTE.len()].to_string();
            m.style.order = g.len() as i32;
            if l.kind() == "polygon" {
                m.style.fill = Some(m.style.color.clone());
                m.style.opacity = 0.35;
                m.style.size = 1.5;
            } else if l.kind() == "line" {
                m.style.size = 2.0;
            }
        }
        g.push(Arc::new(l));
        Ok(id)
    }
}
