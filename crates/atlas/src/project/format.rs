//! The project file's content (format version 1): what a researcher's workspace holds.
//! Field by field in `docs/project-format.md`. Unknown fields are ignored when reading
//! (forward-compatible); missing optional fields take their defaults.

use super::annotations::Annotations;
use crate::date::Day;
use crate::filter::Filter;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The format version this program writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// A saved research workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Project {
    /// Always [`FORMAT_VERSION`] when written by this program.
    pub format_version: u32,
    /// Version of the Border Atlas that last saved the file.
    pub app_version: String,
    /// RFC 3339 UTC.
    pub created: String,
    pub modified: String,
    /// Incremented by every save; tells two versions of a file apart.
    pub revision: u64,
    pub title: String,
    /// Data layers, drawn bottom to top by `style.order`.
    pub layers: Vec<ProjectLayer>,
    pub filter: Filter,
    pub time_window: TimeWindow,
    pub view: MapView,
    pub export_presets: Vec<ExportPreset>,
    pub annotations: Annotations,
}

impl Default for Project {
    fn default() -> Self {
        let now = super::clock::now_rfc3339();
        Project {
            format_version: FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            created: now.clone(),
            modified: now,
            revision: 0,
            title: String::new(),
            layers: Vec::new(),
            filter: Filter::default(),
            time_window: TimeWindow::default(),
            view: MapView::default(),
            export_presets: Vec::new(),
            annotations: Annotations::default(),
        }
    }
}

/// What a layer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    /// Incident records (ACLED, UCDP, GeoJSON incidents).
    #[default]
    Incidents,
    /// Any other GeoJSON/CSV features (districts, camps, routes…).
    Reference,
}

/// One data layer of the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectLayer {
    /// Unique within the project.
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: LayerKind,
    pub source: LayerSource,
    #[serde(default)]
    pub style: LayerStyle,
}

/// Where a layer's bytes are: a referenced file, or a copy inside the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LayerSource {
    /// A file next to or elsewhere from the project. `path` is relative to the
    /// project file's directory when the file was under it (with `/` separators),
    /// absolute otherwise; `absolute` is where it was when last saved.
    File {
        path: String,
        absolute: PathBuf,
        size: u64,
        sha256: String,
    },
    /// An embedded copy: the file's bytes in standard base64.
    Base64 {
        file_name: String,
        data: String,
        sha256: String,
    },
    /// An embedded GeoJSON copy, inline as JSON.
    Geojson {
        file_name: String,
        data: serde_json::Value,
    },
}

/// How a layer is drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LayerStyle {
    /// CSS colour (`#rrggbb`).
    pub color: String,
    /// Point radius or line width in screen pixels.
    pub size: f64,
    /// 0–1.
    pub opacity: f64,
    /// Polygon fill colour; `None`: no fill.
    pub fill: Option<String>,
    pub visible: bool,
    /// Drawing order, lowest first.
    pub order: i32,
    /// Colour by a property instead of `color`.
    pub by_attribute: Option<StyleBy>,
}

impl Default for LayerStyle {
    fn default() -> Self {
        LayerStyle {
            color: "#d7301f".into(),
            size: 4.0,
            opacity: 0.85,
            fill: None,
            visible: true,
            order: 0,
            by_attribute: None,
        }
    }
}

/// Style by attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum StyleBy {
    /// One colour per value of a property; others get `other`.
    Categorical {
        property: String,
        colors: BTreeMap<String, String>,
        other: String,
    },
    /// Numeric classes: `colors[i]` for values below `breaks[i]`, the last colour for
    /// values at or above the last break (`colors.len() == breaks.len() + 1`).
    Graduated {
        property: String,
        breaks: Vec<f64>,
        colors: Vec<String>,
    },
}

/// The time slider's window (inclusive days, as `YYYY-MM-DD` in the file).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimeWindow {
    #[serde(with = "opt_date")]
    pub from: Option<Day>,
    #[serde(with = "opt_date")]
    pub to: Option<Day>,
}

/// The map camera.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapView {
    /// `[longitude, latitude]`.
    pub center: [f64; 2],
    /// Web-map zoom level.
    pub zoom: f64,
    /// Degrees clockwise from north.
    pub bearing: f64,
    /// Degrees from vertical.
    pub pitch: f64,
    /// The visible box `[W, S, E, N]` when saved, if the app knew it; exports use it.
    pub bounds: Option<[f64; 4]>,
}

impl Default for MapView {
    fn default() -> Self {
        // The Afghanistan–Pakistan border (Durand Line) region.
        MapView {
            center: [68.5, 32.0],
            zoom: 5.0,
            bearing: 0.0,
            pitch: 0.0,
            bounds: None,
        }
    }
}

impl MapView {
    /// The box to export: `bounds`, else the box a 1024×768 px web map would show at
    /// `center`/`zoom` (Web Mercator, 512 px tiles as MapLibre uses).
    ///
    /// ```
    /// use atlas::project::MapView;
    /// let v = MapView { center: [70.0, 33.0], zoom: 6.0, ..MapView::default() };
    /// let [w, s, e, n] = v.export_bbox();
    /// assert!(w < 70.0 && e > 70.0 && s < 33.0 && n > 33.0);
    /// assert!(((e - w) - 1024.0 / 512.0 * 360.0 / 64.0).abs() < 1e-9);
    /// ```
    pub fn export_bbox(&self) -> [f64; 4] {
        if let Some(b) = self.bounds {
            return b;
        }
        let world = 512.0 * 2f64.powf(self.zoom.clamp(0.0, 22.0));
        let [lon, lat] = self.center;
        let lat = lat.clamp(-85.0, 85.0);
        let x = (lon + 180.0) / 360.0 * world;
        let y = (1.0
            - (lat.to_radians().tan() + 1.0 / lat.to_radians().cos()).ln() / std::f64::consts::PI)
            / 2.0
            * world;
        let to_lon = |x: f64| x / world * 360.0 - 180.0;
        let to_lat = |y: f64| {
            let n = std::f64::consts::PI * (1.0 - 2.0 * y / world);
            n.sinh().atan().to_degrees()
        };
        [
            to_lon(x - 512.0).max(-180.0),
            to_lat(y + 384.0),
            to_lon(x + 512.0).min(180.0),
            to_lat(y - 384.0),
        ]
    }
}

/// A saved export setting (`atlas export-map --project`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportPreset {
    pub name: String,
    /// One of [`crate::export::PAPER_NAMES`].
    pub paper: String,
    pub dpi: u32,
    /// `pdf`, `svg` or `png`.
    pub format: String,
    pub title: String,
    pub subtitle: String,
    pub notes: String,
}

impl Default for ExportPreset {
    fn default() -> Self {
        ExportPreset {
            name: "default".into(),
            paper: "a4-landscape".into(),
            dpi: 300,
            format: "pdf".into(),
            title: String::new(),
            subtitle: String::new(),
            notes: String::new(),
        }
    }
}

/// `Option<Day>` as an optional `"YYYY-MM-DD"` string.
mod opt_date {
    use crate::date::{format_day, parse_date, Day};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Day>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&format_day(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Day>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => parse_date(&s).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format!("{s:?} is not a date (YYYY-MM-DD)"))
            }),
        }
    }
}
