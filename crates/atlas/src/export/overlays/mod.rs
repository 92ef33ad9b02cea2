//! The researcher's own content on the page: user layers (features with properties,
//! styled like the app's Layers tab) and annotations (points, lines and areas with a
//! title).
//!
//! Set [`MapSpec::overlays`](super::MapSpec::overlays); the page builder draws
//!
//! - visible user layers in `style.order` (lowest first) above the base areas, rivers
//!   and graticule, below the border, the crossings and the incidents; clipped to the
//!   map frame and simplified to [`SIMPLIFY_MM`] on paper;
//! - annotations above the incidents in a neutral dark style (dashed outline for lines
//!   and areas, a pin for points) with their titles as text labels;
//! - a legend section per user layer drawn in the frame, and an "Annotations" entry
//!   (see [`legend`] for the rules).
//!
//! ```
//! use atlas::export::{build_svg, BaseLayers, MapIncidents, MapSpec, PageSpec, Style};
//! use atlas::export::overlays::UserLayer;
//! use atlas::model::{Layer, LayerFeature};
//! use atlas::project::LayerStyle;
//! let mut layer = Layer::default();
//! layer.features.push(LayerFeature {
//!     id: None,
//!     geometry: Some(geo::Geometry::Point(geo::Point::new(71.0, 34.0))),
//!     properties: Default::default(),
//! });
//! let mut spec = MapSpec::new(PageSpec::paper("a4-landscape", 96).unwrap());
//! spec.bbox = Some([70.0, 33.0, 72.0, 35.0]);
//! spec.overlays.layers.push(UserLayer::new("Posts (synthetic)", layer, LayerStyle::default()));
//! let svg = build_svg(&spec, &BaseLayers::default(), &Style::bundled().unwrap(), &MapIncidents::default()).unwrap();
//! assert!(svg.contains("Posts (synthetic)") && svg.contains("#d7301f"));
//! ```
mod annotations;
mod draw;
mod legend;

pub(crate) use annotations::{draw_annotations, label_annotations};
pub(crate) use draw::draw_layers;
pub(crate) use legend::legend;

use super::style::valid_color;
use crate::model::Layer;
use crate::project::annotations::Annotation;
use crate::project::format::{LayerStyle, StyleBy};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Geometry is simplified to this tolerance on paper (mm) before it is written.
pub const SIMPLIFY_MM: f64 = 0.1;

/// Colour of features whose value cannot be classed (graduated styles), and of any
/// colour in a style that is not `#rgb` / `#rrggbb`.
pub const NO_VALUE_COLOR: &str = "#9e9e9e";

/// Colour of annotations.
pub const ANNOTATION_COLOR: &str = "#1a1a1a";

/// A researcher's layer as the view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserLayer {
    /// Shown in the legend.
    pub name: String,
    /// Shared with the app (which holds its layers in `Arc`s).
    pub layer: Arc<Layer>,
    pub style: LayerStyle,
}

impl UserLayer {
    /// A layer with its legend name and style.
    pub fn new(name: impl Into<String>, layer: impl Into<Arc<Layer>>, style: LayerStyle) -> Self {
        UserLayer {
            name: name.into(),
            layer: layer.into(),
            style,
        }
    }
}

/// Everything the researcher adds to a page; empty by default.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overlays {
    /// User layers in any order (drawn by `style.order`; hidden ones are skipped).
    pub layers: Vec<UserLayer>,
    pub annotations: Vec<Annotation>,
}

impl Overlays {
    pub fn is_empty(&self) -> bool {
        self.layers.is_empty() && self.annotations.is_empty()
    }
}

/// A property value as the app's categorical style matches it (MapLibre `to-string`):
/// strings as they are, whole numbers without a decimal point, `true`/`false`; null
/// and missing values are `None`.
///
/// ```
/// use atlas::export::overlays::value_key;
/// use serde_json::json;
/// assert_eq!(value_key(Some(&json!("camp"))).as_deref(), Some("camp"));
/// assert_eq!(value_key(Some(&json!(3.0))).as_deref(), Some("3"));
/// assert_eq!(value_key(Some(&json!(2.5))).as_deref(), Some("2.5"));
/// assert_eq!(value_key(None), None);
/// ```
pub fn value_key(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(num) => match (num.as_i64(), num.as_f64()) {
            (Some(i), _) => Some(i.to_string()),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{}", f as i64)),
            (None, Some(f)) => Some(f.to_string()),
            (None, None) => Some(num.to_string()),
        },
        other => Some(other.to_string()),
    }
}

/// A property value as a number: JSON numbers, and text that parses as one (CSV
/// layers hold every cell as text). `None` for anything else.
pub fn value_number(v: Option<&Value>) -> Option<f64> {
    let f = match v? {
        Value::Number(num) => num.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    f.is_finite().then_some(f)
}

/// The graduated class of `value`: the first `i` with `value < breaks[i]`, else
/// `breaks.len()`, capped at `n_colors - 1` (the last colour takes the rest).
///
/// ```
/// use atlas::export::overlays::graduated_class;
/// let breaks = [100.0, 200.0];
/// assert_eq!(graduated_class(50.0, &breaks, 3), 0);
/// assert_eq!(graduated_class(100.0, &breaks, 3), 1);
/// assert_eq!(graduated_class(250.0, &breaks, 3), 2);
/// assert_eq!(graduated_class(250.0, &breaks, 2), 1);
/// ```
pub fn graduated_class(value: f64, breaks: &[f64], n_colors: usize) -> usize {
    let i = breaks
        .iter()
        .position(|b| value < *b)
        .unwrap_or(breaks.len());
    i.min(n_colors.saturating_sub(1))
}

/// The legend rows of a style: one per colour it can draw, in legend order.
#[derive(Debug, Clone, PartialEq)]
pub struct Classes {
    /// `(label, colour)`; colours are checked (`#rgb` / `#rrggbb`, else [`NO_VALUE_COLOR`]).
    pub rows: Vec<(String, String)>,
}

impl Classes {
    /// The rows of `style` for a layer called `name`: the name for a single colour;
    /// `property: value` per category then `property: other`; `property < a`,
    /// `property a – < b`, …, `property z or more` per graduated class then
    /// `property: no value`.
    pub fn of(style: &LayerStyle, name: &str) -> Classes {
        let rows = match &style.by_attribute {
            None => vec![(name.to_string(), paint(&style.color).to_string())],
            Some(StyleBy::Categorical {
                property,
                colors,
                other,
            }) => colors
                .iter()
                .map(|(v, c)| (format!("{property}: {v}"), paint(c).to_string()))
                .chain([(format!("{property}: other"), paint(other).to_string())])
                .collect(),
            Some(StyleBy::Graduated {
                property,
                breaks,
                colors,
            }) => {
                let k = colors.len().min(breaks.len() + 1);
                let mut rows: Vec<(String, String)> = (0..k)
                    .map(|i| {
                        let lo = i.checked_sub(1).and_then(|j| breaks.get(j));
                        let hi = if i + 1 < k { breaks.get(i) } else { None };
                        let range = match (lo, hi) {
                            (None, Some(h)) => format!("< {}", fmt_break(*h)),
                            (Some(l), Some(h)) => {
                                format!("{} – < {}", fmt_break(*l), fmt_break(*h))
                            }
                            // The bundled fonts have no "≥" (the app shows "≥ z").
                            (Some(l), None) => format!("{} or more", fmt_break(*l)),
                            (None, None) => "(all values)".to_string(),
                        };
                        (format!("{property} {range}"), paint(&colors[i]).to_string())
                    })
                    .collect();
                if rows.is_empty() {
                    rows.push((property.clone(), paint(&style.color).to_string()));
                }
                rows.push((format!("{property}: no value"), NO_VALUE_COLOR.to_string()));
                rows
            }
        };
        Classes { rows }
    }

    /// The row a feature with these properties falls in.
    pub fn class_of(&self, style: &LayerStyle, props: &Map<String, Value>) -> usize {
        let last = self.rows.len().saturating_sub(1);
        match &style.by_attribute {
            None => 0,
            Some(StyleBy::Categorical {
                property, colors, ..
            }) => value_key(props.get(property))
                .and_then(|k| colors.keys().position(|c| *c == k))
                .unwrap_or(last),
            Some(StyleBy::Graduated {
                property,
                breaks,
                colors,
            }) => match value_number(props.get(property)) {
                Some(v) if !colors.is_empty() => {
                    graduated_class(v, breaks, colors.len().min(breaks.len() + 1))
                }
                Some(_) => 0,
                None => last,
            },
        }
    }
}

/// The colour a feature is drawn in: Categorical → `colors[value]`, else `other`;
/// Graduated → the colour of its class (see [`graduated_class`]), [`NO_VALUE_COLOR`]
/// for values that are not numbers; otherwise the style's colour. Colours that are not
/// `#rgb` / `#rrggbb` come out as [`NO_VALUE_COLOR`].
///
/// ```
/// use atlas::export::overlays::feature_color;
/// use atlas::project::{LayerStyle, StyleBy};
/// let style = LayerStyle {
///     by_attribute: Some(StyleBy::Graduated {
///         property: "population".into(),
///         breaks: vec![100.0, 200.0],
///         colors: vec!["#eeeeee".into(), "#888888".into(), "#111111".into()],
///     }),
///     ..LayerStyle::default()
/// };
/// let props = |v: serde_json::Value| serde_json::json!({ "population": v }).as_object().unwrap().clone();
/// assert_eq!(feature_color(&style, &props(150.into())), "#888888");
/// assert_eq!(feature_color(&style, &props("250".into())), "#111111");
/// assert_eq!(feature_color(&style, &props("n/a".into())), "#9e9e9e");
/// ```
pub fn feature_color(style: &LayerStyle, props: &Map<String, Value>) -> String {
    let classes = Classes::of(style, "");
    let i = classes.class_of(style, props);
    classes
        .rows
        .get(i)
        .map(|r| r.1.clone())
        .unwrap_or_else(|| NO_VALUE_COLOR.to_string())
}

/// A user colour if it is safe and valid SVG paint, else [`NO_VALUE_COLOR`].
fn paint(c: &str) -> &str {
    if valid_color(c) && c != "none" {
        c
    } else {
        NO_VALUE_COLOR
    }
}

/// A class break as the app prints it: at most four significant digits, thousands
/// separated by commas ("1,235,000", "2.5").
///
/// ```
/// use atlas::export::overlays::fmt_break;
/// assert_eq!(fmt_break(1_234_567.0), "1,235,000");
/// assert_eq!(fmt_break(2.5), "2.5");
/// assert_eq!(fmt_break(-0.012346), "-0.01235");
/// assert_eq!(fmt_break(100.0), "100");
/// ```
pub fn fmt_break(v: f64) -> String {
    if !v.is_finite() || v == 0.0 {
        return if v == 0.0 { "0".into() } else { v.to_string() };
    }
    let digits = v.abs().log10().floor() as i32 + 1;
    let decimals = (4 - digits).max(0) as usize;
    let r = if digits > 4 {
        let p = 10f64.powi(digits - 4);
        (v / p).round() * p
    } else {
        let m = 10f64.powi(decimals as i32);
        (v * m).round() / m
    };
    let t = format!("{:.*}", decimals, r.abs());
    let t = if t.contains('.') {
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        t
    };
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    let mut out = String::new();
    if r < 0.0 {
        out.push('-');
    }
    let lead = int.len() % 3;
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && i % 3 == lead % 3 {
            out.push(',');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

const POLYGONS: u8 = 1;
const LINES: u8 = 2;
const POINTS: u8 = 4;

/// What was drawn of one user layer (for its legend section).
#[derive(Debug, Clone, Default)]
pub(crate) struct LayerShown {
    name: String,
    single: bool,
    /// Single-colour polygons: their fill (`None`: outlines only).
    fill: Option<String>,
    classes: Vec<(String, String)>,
    /// Per legend row, the kinds of geometry drawn in it ([`POLYGONS`] | [`LINES`] | [`POINTS`]).
    kinds: Vec<u8>,
    style: Option<LayerStyle>,
}

/// What the frame showed of the overlays.
#[derive(Debug, Clone, Default)]
pub(crate) struct OverlayShown {
    /// Drawn layers, top first (legend order).
    layers: Vec<LayerShown>,
    annotations: usize,
    annotation_points: bool,
}

impl OverlayShown {
    pub(crate) fn is_empty(&self) -> bool {
        self.layers.is_empty() && self.annotations == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: Value) -> Map<String, Value> {
        json!({ "v": v }).as_object().cloned().unwrap_or_default()
    }

    fn graduated(breaks: Vec<f64>, colors: &[&str]) -> LayerStyle {
        LayerStyle {
            by_attribute: Some(StyleBy::Graduated {
                property: "v".into(),
                breaks,
                colors: colors.iter().map(|c| c.to_string()).collect(),
            }),
            ..LayerStyle::default()
        }
    }

    #[test]
    fn graduated_values_take_the_first_class_whose_break_exceeds_them() {
        let st = graduated(
            vec![100.0, 200.0, 500.0],
            &["#000001", "#000002", "#000003", "#000004"],
        );
        for (v, want) in [
            (json!(-5), "#000001"),
            (json!(99.99), "#000001"),
            (json!(100), "#000002"),
            (json!(199), "#000002"),
            (json!(200), "#000003"),
            (json!("499.5"), "#000003"),
            (json!(500), "#000004"),
            (json!(1e9), "#000004"),
            (json!(null), NO_VALUE_COLOR),
            (json!("n/a"), NO_VALUE_COLOR),
            (json!(true), NO_VALUE_COLOR),
        ] {
            assert_eq!(feature_color(&st, &props(v.clone())), want, "{v}");
        }
        assert_eq!(feature_color(&st, &Map::new()), NO_VALUE_COLOR);
        // Fewer colours than classes: the last colour takes the rest.
        let short = graduated(vec![100.0, 200.0, 500.0], &["#000001", "#000002"]);
        assert_eq!(feature_color(&short, &props(json!(1000))), "#000002");
        let rows = Classes::of(&short, "x").rows;
        assert_eq!(rows[1].0, "v 100 or more");
        let labels: Vec<String> = Classes::of(&st, "x")
            .rows
            .into_iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(
            labels,
            [
                "v < 100",
                "v 100 – < 200",
                "v 200 – < 500",
                "v 500 or more",
                "v: no value"
            ]
        );
    }

    #[test]
    fn categorical_values_match_as_strings_and_bad_colours_are_replaced() {
        let st = LayerStyle {
            by_attribute: Some(StyleBy::Categorical {
                property: "v".into(),
                colors: [
                    ("camp".to_string(), "#112233".to_string()),
                    ("3".to_string(), "#445566".to_string()),
                    ("evil".to_string(), "red\" onload=\"x".to_string()),
                ]
                .into_iter()
                .collect(),
                other: "#778899".into(),
            }),
            ..LayerStyle::default()
        };
        assert_eq!(feature_color(&st, &props(json!("camp"))), "#112233");
        assert_eq!(feature_color(&st, &props(json!(3))), "#445566");
        assert_eq!(feature_color(&st, &props(json!(3.0))), "#445566");
        assert_eq!(feature_color(&st, &props(json!("Camp"))), "#778899");
        assert_eq!(feature_color(&st, &Map::new()), "#778899");
        assert_eq!(feature_color(&st, &props(json!("evil"))), NO_VALUE_COLOR);
    }
}
