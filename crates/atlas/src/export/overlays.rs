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

use super::fonts::text_width;
use super::labels::Placer;
use super::page::{fit_text, text_label, Placed};
use super::projection::{Mercator, Rect};
use super::style::{valid_color, PX_MM};
use super::svg::{circle, esc, n, polyline};
use crate::model::Layer;
use crate::project::annotations::{Annotation, Geometry as Shape};
use crate::project::format::{LayerStyle, StyleBy};
use geo::{BoundingRect, Simplify};
use serde_json::{Map, Value};
use std::fmt::Write;
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
    /// `property a – < b`, …, `property ≥ z` per graduated class then
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
                            (Some(l), None) => format!("≥ {}", fmt_break(*l)),
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

/// What was drawn of one user layer (for its legend section).
#[derive(Debug, Clone, Default)]
pub(crate) struct LayerShown {
    name: String,
    single: bool,
    /// Single-colour polygons: their fill (`None`: outlines only).
    fill: Option<String>,
    classes: Vec<(String, String)>,
    used: Vec<bool>,
    polygons: bool,
    lines: bool,
    points: bool,
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

type P = (f64, f64);

/// Projects, clips and simplifies geometry into path data.
struct Pen<'a> {
    merc: &'a Mercator,
    cull: Rect,
}

impl Pen<'_> {
    fn project(&self, c: &geo::Coord<f64>) -> P {
        self.merc.project(c.x, c.y)
    }

    /// Whether a lon/lat box can touch the cull rectangle.
    fn may_show(&self, b: Option<geo::Rect<f64>>) -> bool {
        let Some(b) = b else { return false };
        let (x0, y1) = self.merc.project(b.min().x, b.min().y);
        let (x1, y0) = self.merc.project(b.max().x, b.max().y);
        x0 <= self.cull.right()
            && self.cull.x <= x1
            && y0 <= self.cull.bottom()
            && self.cull.y <= y1
    }

    /// A ring clipped to the cull box, simplified, wound clockwise on the page for an
    /// outline and anticlockwise for a hole (so one nonzero path holds many polygons).
    fn ring(&self, out: &mut String, ring: &[geo::Coord<f64>], hole: bool) -> bool {
        let pts: Vec<P> = ring.iter().map(|c| self.project(c)).collect();
        let clipped = clip_ring(&pts, &self.cull);
        let mut simp = simplify(&clipped, true);
        if simp.len() < 4 {
            return false;
        }
        let area: f64 = simp
            .windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum();
        if area == 0.0 {
            return false;
        }
        // Page y points down: positive shoelace area is clockwise on the page.
        if (area > 0.0) == hole {
            simp.reverse();
        }
        polyline(out, simp, true, 0.0);
        true
    }

    fn polygon(&self, out: &mut String, p: &geo::Polygon<f64>) -> bool {
        if !self.may_show(p.bounding_rect()) {
            return false;
        }
        let mut any = self.ring(out, &p.exterior().0, false);
        if any {
            for h in p.interiors() {
                self.ring(out, &h.0, true);
            }
        }
        any &= !out.is_empty();
        any
    }

    /// A line split into the runs of segments that touch the cull box, simplified.
    fn line(&self, out: &mut String, l: &geo::LineString<f64>) -> bool {
        if !self.may_show(l.bounding_rect()) {
            return false;
        }
        let pts: Vec<P> = l.0.iter().map(|c| self.project(c)).collect();
        let mut any = false;
        let mut run: Vec<P> = Vec::new();
        let c = self.cull;
        let mut flush = |run: &mut Vec<P>, out: &mut String| {
            if run.len() >= 2 {
                polyline(out, simplify(run, false), false, 0.0);
                any = true;
            }
            run.clear();
        };
        for seg in pts.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            let touches = a.0.min(b.0) <= c.right()
                && c.x <= a.0.max(b.0)
                && a.1.min(b.1) <= c.bottom()
                && c.y <= a.1.max(b.1);
            if touches {
                if run.is_empty() {
                    run.push(a);
                }
                run.push(b);
            } else {
                flush(&mut run, out);
            }
        }
        flush(&mut run, out);
        any
    }
}

/// Sutherland–Hodgman clipping of a ring to a rectangle (the result is open).
fn clip_ring(pts: &[P], r: &Rect) -> Vec<P> {
    let mut poly: Vec<P> = pts.to_vec();
    if poly.len() > 1 && poly.first() == poly.last() {
        poly.pop();
    }
    let inside_all = poly
        .iter()
        .all(|p| p.0 >= r.x && p.0 <= r.right() && p.1 >= r.y && p.1 <= r.bottom());
    if inside_all {
        return poly;
    }
    for edge in 0..4 {
        let Some(&last) = poly.last() else { break };
        let input = std::mem::take(&mut poly);
        let inside = |p: P| match edge {
            0 => p.0 >= r.x,
            1 => p.0 <= r.right(),
            2 => p.1 >= r.y,
            _ => p.1 <= r.bottom(),
        };
        let cut = |a: P, b: P| -> P {
            if edge < 2 {
                let x = if edge == 0 { r.x } else { r.right() };
                let t = (x - a.0) / (b.0 - a.0);
                (x, a.1 + t * (b.1 - a.1))
            } else {
                let y = if edge == 2 { r.y } else { r.bottom() };
                let t = (y - a.1) / (b.1 - a.1);
                (a.0 + t * (b.0 - a.0), y)
            }
        };
        let mut prev = last;
        for &cur in &input {
            match (inside(prev), inside(cur)) {
                (true, true) => poly.push(cur),
                (true, false) => poly.push(cut(prev, cur)),
                (false, true) => {
                    poly.push(cut(prev, cur));
                    poly.push(cur);
                }
                (false, false) => {}
            }
            prev = cur;
        }
    }
    poly
}

/// Thin to half the tolerance, then Ramer–Douglas–Peucker at [`SIMPLIFY_MM`]; a closed
/// result repeats its first point.
fn simplify(pts: &[P], closed: bool) -> Vec<P> {
    let mut thin: Vec<geo::Coord<f64>> = Vec::with_capacity(pts.len().min(4096) + 1);
    for &(x, y) in pts {
        if thin
            .last()
            .is_none_or(|l| (l.x - x).abs() + (l.y - y).abs() >= SIMPLIFY_MM / 2.0)
        {
            thin.push(geo::coord! { x: x, y: y });
        }
    }
    if let (Some(&first), Some(&(x, y))) = (thin.first(), pts.last()) {
        let end = geo::coord! { x: x, y: y };
        if closed && thin.last() != Some(&first) {
            thin.push(first);
        } else if !closed && thin.last() != Some(&end) {
            thin.push(end);
        }
    }
    geo::LineString::new(thin)
        .simplify(&SIMPLIFY_MM)
        .0
        .into_iter()
        .map(|c| (c.x, c.y))
        .collect()
}

fn px(v: f64, s: f64) -> f64 {
    v * PX_MM * s
}

/// Path data per legend row, by kind.
struct Strokes {
    polys: Vec<String>,
    lines: Vec<String>,
    points: Vec<String>,
}

/// Draw the visible user layers (bottom to top by `style.order`) clipped to the frame.
pub(crate) fn draw_layers(
    o: &mut String,
    layers: &[UserLayer],
    merc: &Mercator,
    s: f64,
) -> OverlayShown {
    let mut shown = OverlayShown::default();
    let mut order: Vec<&UserLayer> = layers.iter().filter(|l| l.style.visible).collect();
    order.sort_by_key(|l| l.style.order);
    for ul in order {
        let st = &ul.style;
        let classes = Classes::of(st, &ul.name);
        let k = classes.rows.len();
        let radius = px(st.size.clamp(0.5, 12.0), s);
        let line_w = px(st.size.clamp(0.5, 12.0), s);
        let pen = Pen {
            merc,
            cull: merc.frame.inflate(radius + line_w + 1.0),
        };
        let mut p = Strokes {
            polys: vec![String::new(); k],
            lines: vec![String::new(); k],
            points: vec![String::new(); k],
        };
        let mut ls = LayerShown {
            name: ul.name.clone(),
            single: st.by_attribute.is_none(),
            fill: st.fill.as_deref().map(|f| paint(f).to_string()),
            used: vec![false; k],
            style: Some(st.clone()),
            ..Default::default()
        };
        let (rs, ds) = (n(radius), n(2.0 * radius));
        for f in &ul.layer.features {
            let Some(g) = &f.geometry else { continue };
            let c = classes.class_of(st, &f.properties).min(k.saturating_sub(1));
            if k == 0 {
                break;
            }
            let drew = draw_geometry(&pen, g, c, &mut p, &mut ls, radius, &rs, &ds);
            if drew {
                ls.used[c] = true;
            }
        }
        if !ls.used.iter().any(|u| *u) {
            continue;
        }
        let filled = st.by_attribute.is_some() || st.fill.is_some();
        let opacity = st.opacity.clamp(0.0, 1.0);
        let line_opacity = (opacity + 0.3).min(1.0);
        let outline = px((st.size * 0.25).clamp(0.5, 1.5), s);
        for (i, (_, color)) in classes.rows.iter().enumerate() {
            if !p.polys[i].is_empty() {
                let fill = match (&st.by_attribute, &ls.fill) {
                    (Some(_), _) => color.as_str(),
                    (None, Some(f)) => f.as_str(),
                    (None, None) => "none",
                };
                let _ = write!(
                    o,
                    r#"<path d="{}" fill="{fill}" fill-opacity="{}" stroke="{color}" stroke-width="{}" stroke-opacity="{}" stroke-linejoin="round"/>"#,
                    p.polys[i],
                    n(if filled { opacity } else { 0.0 }),
                    n(outline),
                    n(line_opacity)
                );
            }
        }
        for (i, (_, color)) in classes.rows.iter().enumerate() {
            if !p.lines[i].is_empty() {
                let _ = write!(
                    o,
                    r#"<path d="{}" fill="none" stroke="{color}" stroke-width="{}" stroke-opacity="{}" stroke-linejoin="round" stroke-linecap="round"/>"#,
                    p.lines[i],
                    n(line_w),
                    n(line_opacity)
                );
            }
        }
        for (i, (_, color)) in classes.rows.iter().enumerate() {
            if !p.points[i].is_empty() {
                let _ = write!(
                    o,
                    r##"<path d="{}" fill="{color}" fill-opacity="{}" stroke="#ffffff" stroke-width="{}"/>"##,
                    p.points[i],
                    n(opacity),
                    n(px(1.0, s))
                );
            }
        }
        ls.classes = classes.rows;
        shown.layers.push(ls);
    }
    // The legend lists the top layer first, as the app does.
    shown.layers.reverse();
    shown
}

#[allow(clippy::too_many_arguments)]
fn draw_geometry(
    pen: &Pen,
    g: &geo::Geometry<f64>,
    c: usize,
    p: &mut Strokes,
    ls: &mut LayerShown,
    radius: f64,
    rs: &str,
    ds: &str,
) -> bool {
    use geo::Geometry as G;
    match g {
        G::Point(pt) => {
            let (x, y) = pen.project(&pt.0);
            let cull = pen.cull;
            if x < cull.x || x > cull.right() || y < cull.y || y > cull.bottom() {
                return false;
            }
            circle(&mut p.points[c], x, y, radius, rs, ds);
            ls.points = true;
            true
        }
        G::MultiPoint(mp) => mp.0.iter().fold(false, |acc, pt| {
            draw_geometry(pen, &G::Point(*pt), c, p, ls, radius, rs, ds) | acc
        }),
        G::Line(l) => {
            let ok = pen.line(
                &mut p.lines[c],
                &geo::LineString::from(vec![l.start, l.end]),
            );
            ls.lines |= ok;
            ok
        }
        G::LineString(l) => {
            let ok = pen.line(&mut p.lines[c], l);
            ls.lines |= ok;
            ok
        }
        G::MultiLineString(ml) => {
            let mut ok = false;
            for l in &ml.0 {
                ok |= pen.line(&mut p.lines[c], l);
            }
            ls.lines |= ok;
            ok
        }
        G::Polygon(poly) => {
            let ok = pen.polygon(&mut p.polys[c], poly);
            ls.polygons |= ok;
            ok
        }
        G::MultiPolygon(mp) => {
            let mut ok = false;
            for poly in &mp.0 {
                ok |= pen.polygon(&mut p.polys[c], poly);
            }
            ls.polygons |= ok;
            ok
        }
        G::Rect(r) => draw_geometry(pen, &G::Polygon(r.to_polygon()), c, p, ls, radius, rs, ds),
        G::Triangle(t) => draw_geometry(pen, &G::Polygon(t.to_polygon()), c, p, ls, radius, rs, ds),
        G::GeometryCollection(gc) => gc.0.iter().fold(false, |acc, g| {
            draw_geometry(pen, g, c, p, ls, radius, rs, ds) | acc
        }),
    }
}

/// Where an annotation's title goes: a page point and the radius of its symbol.
pub(crate) struct Anchor {
    title: String,
    x: f64,
    y: f64,
    r: f64,
}

/// Annotation outline: dark dashes over a white casing.
fn annotation_stroke(o: &mut String, d: &str, fill: bool, s: f64) {
    let _ = write!(
        o,
        r##"<path d="{d}" fill="none" stroke="#ffffff" stroke-width="{}" stroke-opacity="0.85" stroke-linejoin="round" stroke-linecap="round"/><path d="{d}" fill="{}" fill-opacity="0.06" fill-rule="evenodd" stroke="{ANNOTATION_COLOR}" stroke-width="{}" stroke-dasharray="{} {}" stroke-linejoin="round" stroke-linecap="round"/>"##,
        n(1.0 * s),
        if fill { ANNOTATION_COLOR } else { "none" },
        n(0.4 * s),
        n(1.6 * s),
        n(0.8 * s)
    );
}

/// A pin for a point annotation, its tip at `(x, y)`; returns the head's centre.
fn pin(o: &mut String, x: f64, y: f64, s: f64) -> P {
    let (hr, hy) = (1.25 * s, y - 2.7 * s);
    let _ = write!(
        o,
        r##"<path d="M{} {}L{} {}A{} {} 0 1 1 {} {}Z" fill="{ANNOTATION_COLOR}" stroke="#ffffff" stroke-width="{}" stroke-linejoin="round"/><circle cx="{}" cy="{}" r="{}" fill="#ffffff"/>"##,
        n(x),
        n(y),
        n(x - 1.05 * s),
        n(hy + 0.7 * s),
        n(hr),
        n(hr),
        n(x + 1.05 * s),
        n(hy + 0.7 * s),
        n(0.25 * s),
        n(x),
        n(hy),
        n(0.45 * s)
    );
    (x, hy)
}

/// Draw the annotations that reach the frame; returns where their titles go.
pub(crate) fn draw_annotations(
    o: &mut String,
    anns: &[Annotation],
    merc: &Mercator,
    s: f64,
    shown: &mut OverlayShown,
) -> Vec<Anchor> {
    let f = merc.frame;
    let pen = Pen {
        merc,
        cull: f.inflate(2.0),
    };
    let inner = f.inflate(-2.0 * s);
    let in_frame = |p: P| inner.contains(&Rect::new(p.0, p.1, 0.0, 0.0));
    let coords = |v: &[[f64; 2]]| -> Vec<geo::Coord<f64>> {
        v.iter().map(|p| geo::coord! { x: p[0], y: p[1] }).collect()
    };
    let mut anchors = Vec::new();
    for a in anns {
        let mut d = String::new();
        let anchor = match &a.geometry {
            Shape::Point([lon, lat]) => {
                let (x, y) = merc.project(*lon, *lat);
                if !in_frame((x, y)) {
                    continue;
                }
                let (hx, hy) = pin(o, x, y, s);
                shown.annotation_points = true;
                Some((hx, hy, 1.5 * s))
            }
            Shape::LineString(pts) => {
                let ls = geo::LineString::new(coords(pts));
                if !pen.line(&mut d, &ls) {
                    continue;
                }
                annotation_stroke(o, &d, false, s);
                // The vertex nearest the middle that lies in the frame.
                let proj: Vec<P> = pts.iter().map(|p| merc.project(p[0], p[1])).collect();
                let mid = proj.len() / 2;
                let mut best: Option<(usize, P)> = None;
                for (i, q) in proj.iter().enumerate() {
                    if in_frame(*q) && best.is_none_or(|(j, _)| i.abs_diff(mid) < j.abs_diff(mid)) {
                        best = Some((i, *q));
                    }
                }
                best.map(|(_, (x, y))| (x, y, 0.6 * s))
            }
            Shape::Polygon(rings) => {
                let Some((outer, holes)) = rings.split_first() else {
                    continue;
                };
                let poly = geo::Polygon::new(
                    geo::LineString::new(coords(outer)),
                    holes
                        .iter()
                        .map(|h| geo::LineString::new(coords(h)))
                        .collect(),
                );
                if !pen.polygon(&mut d, &poly) {
                    continue;
                }
                annotation_stroke(o, &d, true, s);
                polygon_anchor(&poly, merc, &inner).map(|(x, y)| (x, y, 0.0))
            }
        };
        shown.annotations += 1;
        if let Some((x, y, r)) = anchor {
            if !a.title.trim().is_empty() {
                anchors.push(Anchor {
                    title: a.title.trim().to_string(),
                    x,
                    y,
                    r,
                });
            }
        }
    }
    anchors
}

/// A point of the polygon inside `inner` to hang its title on.
fn polygon_anchor(poly: &geo::Polygon<f64>, merc: &Mercator, inner: &Rect) -> Option<P> {
    use geo::InteriorPoint;
    let inside = |p: P| inner.contains(&Rect::new(p.0, p.1, 0.0, 0.0));
    if let Some(ip) = poly.interior_point() {
        let q = merc.project(ip.x(), ip.y());
        if inside(q) {
            return Some(q);
        }
    }
    // Partly outside the frame: the middle of its visible part.
    let pts: Vec<P> = poly
        .exterior()
        .0
        .iter()
        .map(|c| merc.project(c.x, c.y))
        .collect();
    let vis = clip_ring(&pts, inner);
    if vis.is_empty() {
        return None;
    }
    let k = vis.len() as f64;
    let c = (
        vis.iter().map(|p| p.0).sum::<f64>() / k,
        vis.iter().map(|p| p.1).sum::<f64>() / k,
    );
    inside(c).then_some(c)
}

/// Label the annotations (before any other label, so theirs take the best places);
/// a title that finds no free place is set to the right of its symbol all the same.
pub(crate) fn label_annotations(o: &mut String, anchors: &[Anchor], placer: &mut Placer, s: f64) {
    let size = 2.5 * s;
    for a in anchors {
        let placed = placer
            .point_label(&a.title, a.x, a.y, a.r, size, true)
            .unwrap_or_else(|| {
                let w = text_width(&a.title, size, true);
                placer.block(Rect::new(a.x + a.r, a.y - size, w + size, 1.5 * size));
                Placed {
                    x: a.x + a.r + size * 0.25,
                    y: a.y + size * 0.25,
                    anchor: "start",
                }
            });
        text_label(
            o,
            &placed,
            &a.title,
            size,
            true,
            ANNOTATION_COLOR,
            "#ffffff",
            s,
        );
    }
}

/// One legend line.
enum Row {
    Heading(String),
    Item { swatch: Swatch, label: String },
    More(usize, &'static str),
}

enum Swatch {
    Area {
        fill: String,
        stroke: String,
        opacity: f64,
    },
    Line {
        stroke: String,
        width: f64,
    },
    Dot {
        fill: String,
        r: f64,
    },
    Pin,
    Dashed,
}

/// The legend sections of the overlays, drawn from `y` down to at most `limit`;
/// returns the y where they end.
///
/// Rules: one section per user layer drawn in the frame, the top layer first. A
/// single-colour layer is one row (its swatch and name). A layer styled by attribute
/// has its name as a heading and one row per class: the categories drawn in the frame
/// (and `property: other` when drawn), every graduated class (and `property: no value`
/// when drawn). "Annotations (N)" follows when any is drawn. When the rows do not fit,
/// each section keeps its first rows (as many as lets all sections fit) and ends with
/// "… N more"; when even that does not fit, the last layers give way to
/// "… N more layers".
pub(crate) fn legend(
    o: &mut String,
    shown: &OverlayShown,
    r: Rect,
    mut y: f64,
    limit: f64,
    s: f64,
) -> f64 {
    let row_h = 3.9 * s;
    let sw = 7.0 * s;
    let size = 2.35 * s;
    // Sections: (heading?, items).
    let mut sections: Vec<(Option<String>, Vec<Row>)> = Vec::new();
    for l in &shown.layers {
        let swatch = |color: &str| -> Swatch {
            let st = l.style.clone().unwrap_or_default();
            if l.polygons {
                let fill = match (&l.fill, l.single) {
                    (_, false) => color.to_string(),
                    (Some(f), true) => f.clone(),
                    (None, true) => "none".to_string(),
                };
                Swatch::Area {
                    fill,
                    stroke: color.to_string(),
                    opacity: st.opacity.clamp(0.0, 1.0),
                }
            } else if l.lines {
                Swatch::Line {
                    stroke: color.to_string(),
                    width: px(st.size.clamp(0.5, 4.0), s),
                }
            } else {
                Swatch::Dot {
                    fill: color.to_string(),
                    r: px(st.size.clamp(1.5, 6.0), s),
                }
            }
        };
        if l.single {
            let color = l.classes.first().map(|c| c.1.as_str()).unwrap_or("#000");
            sections.push((
                None,
                vec![Row::Item {
                    swatch: swatch(color),
                    label: l.name.clone(),
                }],
            ));
            continue;
        }
        let graduated = matches!(
            l.style.as_ref().and_then(|st| st.by_attribute.as_ref()),
            Some(StyleBy::Graduated { .. })
        );
        let last = l.classes.len().saturating_sub(1);
        let items = l
            .classes
            .iter()
            .enumerate()
            .filter(|(i, _)| l.used.get(*i).copied().unwrap_or(false) || (graduated && *i < last))
            .map(|(_, (label, color))| Row::Item {
                swatch: swatch(color),
                label: label.clone(),
            })
            .collect();
        sections.push((Some(l.name.clone()), items));
    }
    if shown.annotations > 0 {
        sections.push((
            None,
            vec![Row::Item {
                swatch: if shown.annotation_points {
                    Swatch::Pin
                } else {
                    Swatch::Dashed
                },
                label: format!("Annotations ({})", shown.annotations),
            }],
        ));
    }
    let budget = ((limit - y) / row_h).floor().max(0.0) as usize;
    let rows = cap_rows(sections, budget);
    let text_x = r.x + sw + 2.0 * s;
    let text_w = r.w - sw - 2.0 * s;
    for row in rows {
        let cy = y + row_h / 2.0;
        let base = cy + size * 0.36;
        match row {
            Row::Heading(t) => {
                let _ = write!(
                    o,
                    r##"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="#333333">{}</text>"##,
                    n(r.x),
                    n(base + 0.3 * s),
                    n(2.4 * s),
                    esc(&fit_text(&t, r.w, 2.4 * s, true))
                );
            }
            Row::More(k, what) => {
                let _ = write!(
                    o,
                    r##"<text x="{}" y="{}" font-size="{}" font-style="italic" fill="#4a4a4a">… {k} more{what}</text>"##,
                    n(text_x),
                    n(base),
                    n(size)
                );
            }
            Row::Item { swatch, label } => {
                swatch_svg(o, &swatch, r.x, cy, sw, s);
                let _ = write!(
                    o,
                    r##"<text x="{}" y="{}" font-size="{}" fill="#1a1a1a">{}</text>"##,
                    n(text_x),
                    n(base),
                    n(size),
                    esc(&fit_text(&label, text_w, size, false))
                );
            }
        }
        y += row_h;
    }
    y
}

fn swatch_svg(o: &mut String, sw: &Swatch, x: f64, cy: f64, w: f64, s: f64) {
    let cx = x + w / 2.0;
    match sw {
        Swatch::Area {
            fill,
            stroke,
            opacity,
        } => {
            let _ = write!(
                o,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" fill-opacity="{}" stroke="{stroke}" stroke-width="{}"/>"#,
                n(x + 0.5 * s),
                n(cy - 1.4 * s),
                n(w - 1.0 * s),
                n(2.8 * s),
                n(*opacity),
                n(0.25 * s)
            );
        }
        Swatch::Line { stroke, width } => {
            let _ = write!(
                o,
                r#"<path d="M{} {}H{}" stroke="{stroke}" stroke-width="{}" stroke-linecap="round"/>"#,
                n(x + 0.5 * s),
                n(cy),
                n(x + w - 0.5 * s),
                n(*width)
            );
        }
        Swatch::Dot { fill, r } => {
            let _ = write!(
                o,
                r##"<circle cx="{}" cy="{}" r="{}" fill="{fill}" stroke="#ffffff" stroke-width="{}"/>"##,
                n(cx),
                n(cy),
                n(*r),
                n(0.2 * s)
            );
        }
        Swatch::Pin => {
            pin(o, cx, cy + 1.6 * s, s * 0.9);
        }
        Swatch::Dashed => {
            annotation_stroke(
                o,
                &format!(
                    "M{} {}H{}V{}H{}Z",
                    n(x + 0.5 * s),
                    n(cy - 1.4 * s),
                    n(x + w - 0.5 * s),
                    n(cy + 1.4 * s),
                    n(x + 0.5 * s)
                ),
                true,
                s,
            );
        }
    }
}

/// Fit sections into `budget` rows (see [`legend`]).
fn cap_rows(sections: Vec<(Option<String>, Vec<Row>)>, budget: usize) -> Vec<Row> {
    let cost = |cap: usize| -> usize {
        sections
            .iter()
            .map(|(h, items)| {
                usize::from(h.is_some()) + items.len().min(cap) + usize::from(items.len() > cap)
            })
            .sum()
    };
    let max_items = sections.iter().map(|(_, i)| i.len()).max().unwrap_or(0);
    let cap = (1..=max_items).rev().find(|c| cost(*c) <= budget);
    let mut out = Vec::new();
    match cap {
        Some(cap) => {
            for (h, items) in sections {
                out.extend(h.map(Row::Heading));
                let more = items.len().saturating_sub(cap);
                out.extend(items.into_iter().take(cap));
                if more > 0 {
                    out.push(Row::More(more, ""));
                }
            }
        }
        None => {
            // Whole sections (capped at one row each) while one row is left for the rest.
            let total = sections.len();
            let mut used = 0;
            for (i, (h, items)) in sections.into_iter().enumerate() {
                let need =
                    usize::from(h.is_some()) + items.len().min(1) + usize::from(items.len() > 1);
                let left = total - i - 1;
                if used + need + usize::from(left > 0) > budget {
                    if budget > used {
                        out.push(Row::More(total - i, " layers"));
                    }
                    break;
                }
                used += need;
                let more = items.len().saturating_sub(1);
                out.extend(h.map(Row::Heading));
                out.extend(items.into_iter().take(1));
                if more > 0 {
                    out.push(Row::More(more, ""));
                }
            }
        }
    }
    out
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
        assert_eq!(rows[1].0, "v ≥ 100");
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
                "v ≥ 500",
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

    #[test]
    fn clipping_keeps_the_part_inside() {
        let r = Rect::new(0.0, 0.0, 10.0, 10.0);
        let sq = [
            (-5.0, -5.0),
            (5.0, -5.0),
            (5.0, 5.0),
            (-5.0, 5.0),
            (-5.0, -5.0),
        ];
        let c = clip_ring(&sq, &r);
        let area: f64 = c
            .iter()
            .zip(c.iter().cycle().skip(1))
            .map(|(a, b)| a.0 * b.1 - b.0 * a.1)
            .sum::<f64>()
            / 2.0;
        assert!((area.abs() - 25.0).abs() < 1e-9, "{area}");
        assert!(clip_ring(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], &r).is_empty());
    }

    #[test]
    fn legend_caps_rows_with_more() {
        let item = |i: usize| Row::Item {
            swatch: Swatch::Dashed,
            label: format!("c{i}"),
        };
        let sections = vec![
            (Some("a".to_string()), (0..10).map(item).collect::<Vec<_>>()),
            (Some("b".to_string()), (0..3).map(item).collect()),
        ];
        let rows = cap_rows(sections, 9);
        assert!(rows.len() <= 9);
        assert!(rows.iter().any(|r| matches!(r, Row::More(7, ""))));
        let many: Vec<_> = (0..10)
            .map(|i| (Some(format!("l{i}")), (0..3).map(item).collect::<Vec<_>>()))
            .collect();
        let rows = cap_rows(many, 7);
        assert!(rows.len() <= 7);
        assert!(matches!(rows.last(), Some(Row::More(_, " layers"))));
    }
}
