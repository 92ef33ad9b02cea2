//! The map style shared with the app: `ui/src/style/atlas-style.json`, compiled in so
//! the on-screen map and the exported page cannot drift apart.
//!
//! Widths and radii are CSS pixels as MapLibre uses them; the page builder converts
//! them to millimetres at 96 px per inch ([`PX_MM`]).

use super::ExportError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Millimetres per CSS pixel (96 px per inch).
pub const PX_MM: f64 = 25.4 / 96.0;

/// The style JSON shared with the UI.
pub const STYLE_JSON: &str = include_str!("../../../../ui/src/style/atlas-style.json");

/// Fill and outline of an area layer.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct AreaStyle {
    pub fill: String,
    pub stroke: String,
    pub width: f64,
    #[serde(default = "one")]
    pub opacity: f64,
}

/// A line layer, optionally dashed and with a light halo under it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct LineStyle {
    pub stroke: String,
    pub width: f64,
    #[serde(default)]
    pub dash: Vec<f64>,
    #[serde(default = "one")]
    pub opacity: f64,
    #[serde(default)]
    pub halo: Option<String>,
    #[serde(default)]
    pub halo_width: f64,
}

/// A labelled point layer (places, crossings).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct PointStyle {
    pub color: String,
    pub radius: f64,
    #[serde(default)]
    pub stroke: Option<String>,
    #[serde(default)]
    pub width: f64,
    pub text: String,
    pub halo: String,
    pub text_size: f64,
}

/// The colour of one event type.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct EventColor {
    pub color: String,
}

/// Incident circles: one colour per event type, a default for the others.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct IncidentStyle {
    pub radius: f64,
    pub stroke: String,
    pub width: f64,
    #[serde(default = "one")]
    pub opacity: f64,
    /// Outline width of the hollow circles drawn for approximate locations.
    pub ring_width: f64,
    pub by_event_type: BTreeMap<String, EventColor>,
    pub default: EventColor,
}

impl IncidentStyle {
    /// The colour of an event type (the default colour when it has none of its own).
    pub fn color_of(&self, event_type: &str) -> &str {
        self.by_event_type
            .get(event_type)
            .unwrap_or(&self.default)
            .color
            .as_str()
    }
}

/// Styles of every layer.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct LayerStyles {
    pub countries: AreaStyle,
    pub neighbours: AreaStyle,
    pub provinces: AreaStyle,
    pub province_lines: LineStyle,
    pub rivers: LineStyle,
    pub border: LineStyle,
    pub border_ne: LineStyle,
    pub places: PointStyle,
    pub crossings: PointStyle,
    pub incidents: IncidentStyle,
}

/// The whole style.
///
/// ```
/// let style = atlas::export::Style::bundled().unwrap();
/// assert!(style.layers.incidents.color_of("Battles").starts_with('#'));
/// assert_eq!(style.layers.incidents.color_of("no such type"), style.layers.incidents.default.color);
/// ```
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Style {
    /// Colour outside all land polygons (water, or areas with no data).
    pub background: String,
    pub layers: LayerStyles,
}

fn one() -> f64 {
    1.0
}

impl Style {
    /// The style compiled from `ui/src/style/atlas-style.json`.
    pub fn bundled() -> Result<Style, ExportError> {
        Style::from_json(STYLE_JSON)
    }

    /// Parse and validate a style (colours must be `#rgb`/`#rrggbb`/`none`, sizes finite and ≥ 0).
    pub fn from_json(json: &str) -> Result<Style, ExportError> {
        let style: Style =
            serde_json::from_str(json).map_err(|e| ExportError::Style(e.to_string()))?;
        style.validate()?;
        Ok(style)
    }

    fn validate(&self) -> Result<(), ExportError> {
        let l = &self.layers;
        let mut colors: Vec<&str> = vec![&self.background];
        for a in [&l.countries, &l.neighbours, &l.provinces] {
            colors.extend([a.fill.as_str(), a.stroke.as_str()]);
        }
        for s in [&l.province_lines, &l.rivers, &l.border, &l.border_ne] {
            colors.push(&s.stroke);
            colors.extend(s.halo.as_deref());
        }
        for p in [&l.places, &l.crossings] {
            colors.extend([p.color.as_str(), p.text.as_str(), p.halo.as_str()]);
            colors.extend(p.stroke.as_deref());
        }
        colors.push(&l.incidents.stroke);
        colors.push(&l.incidents.default.color);
        colors.extend(l.incidents.by_event_type.values().map(|c| c.color.as_str()));
        if let Some(bad) = colors.into_iter().find(|c| !valid_color(c)) {
            return Err(ExportError::Style(format!(
                "invalid colour {bad:?}: use #rgb, #rrggbb or none"
            )));
        }
        let mut sizes = vec![
            l.places.radius,
            l.places.text_size,
            l.crossings.radius,
            l.crossings.text_size,
            l.incidents.radius,
            l.incidents.width,
            l.incidents.ring_width,
        ];
        for s in [&l.province_lines, &l.rivers, &l.border, &l.border_ne] {
            sizes.extend([s.width, s.halo_width, s.opacity]);
            sizes.extend(&s.dash);
        }
        if sizes.iter().any(|v| !v.is_finite() || *v < 0.0) {
            return Err(ExportError::Style(
                "sizes must be finite and not negative".into(),
            ));
        }
        Ok(())
    }
}

pub(crate) fn valid_color(c: &str) -> bool {
    if c == "none" {
        return true;
    }
    match c.strip_prefix('#') {
        Some(hex) => {
            (hex.len() == 3 || hex.len() == 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_style_is_valid() {
        let s = Style::bundled().unwrap();
        assert!(s.layers.border.width > s.layers.rivers.width);
    }

    #[test]
    fn rejects_injected_colour() {
        let bad = STYLE_JSON.replacen("#c62828", "red\\\" onload=\\\"x", 1);
        assert!(matches!(Style::from_json(&bad), Err(ExportError::Style(_))));
    }
}
