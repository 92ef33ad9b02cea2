//! User layers on the map: projected, clipped to the frame, simplified to
//! [`SIMPLIFY_MM`], one path per legend class and kind of geometry.

use super::paint;
use super::{Classes, LayerShown, OverlayShown, UserLayer, LINES, POINTS, POLYGONS, SIMPLIFY_MM};
use crate::export::projection::{Mercator, Rect};
use crate::export::style::PX_MM;
use crate::export::svg::{circle, n, polyline};
use geo::{BoundingRect, Simplify};
use std::fmt::Write;

pub(super) type P = (f64, f64);

/// Projects, clips and simplifies geometry into path data.
pub(super) struct Pen<'a> {
    pub(super) merc: &'a Mercator,
    pub(super) cull: Rect,
}

impl Pen<'_> {
    pub(super) fn project(&self, c: &geo::Coord<f64>) -> P {
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

    pub(super) fn polygon(&self, out: &mut String, p: &geo::Polygon<f64>) -> bool {
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
    pub(super) fn line(&self, out: &mut String, l: &geo::LineString<f64>) -> bool {
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
pub(super) fn clip_ring(pts: &[P], r: &Rect) -> Vec<P> {
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
            kinds: vec![0; k],
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
            ls.kinds[c] |= draw_geometry(&pen, g, c, &mut p, radius, &rs, &ds);
        }
        if ls.kinds.iter().all(|k| *k == 0) {
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

/// Add one feature's geometry to the paths of its class; returns the kinds drawn.
fn draw_geometry(
    pen: &Pen,
    g: &geo::Geometry<f64>,
    c: usize,
    p: &mut Strokes,
    radius: f64,
    rs: &str,
    ds: &str,
) -> u8 {
    use geo::Geometry as G;
    let kind = |ok: bool, k: u8| if ok { k } else { 0 };
    match g {
        G::Point(pt) => {
            let (x, y) = pen.project(&pt.0);
            let cull = pen.cull;
            if x < cull.x || x > cull.right() || y < cull.y || y > cull.bottom() {
                return 0;
            }
            circle(&mut p.points[c], x, y, radius, rs, ds);
            POINTS
        }
        G::MultiPoint(mp) => mp.0.iter().fold(0, |acc, pt| {
            acc | draw_geometry(pen, &G::Point(*pt), c, p, radius, rs, ds)
        }),
        G::Line(l) => {
            let ls = geo::LineString::from(vec![l.start, l.end]);
            kind(pen.line(&mut p.lines[c], &ls), LINES)
        }
        G::LineString(l) => kind(pen.line(&mut p.lines[c], l), LINES),
        G::MultiLineString(ml) => {
            ml.0.iter()
                .fold(0, |acc, l| acc | kind(pen.line(&mut p.lines[c], l), LINES))
        }
        G::Polygon(poly) => kind(pen.polygon(&mut p.polys[c], poly), POLYGONS),
        G::MultiPolygon(mp) => mp.0.iter().fold(0, |acc, poly| {
            acc | kind(pen.polygon(&mut p.polys[c], poly), POLYGONS)
        }),
        G::Rect(r) => draw_geometry(pen, &G::Polygon(r.to_polygon()), c, p, radius, rs, ds),
        G::Triangle(t) => draw_geometry(pen, &G::Polygon(t.to_polygon()), c, p, radius, rs, ds),
        G::GeometryCollection(gc) => gc.0.iter().fold(0, |acc, g| {
            acc | draw_geometry(pen, g, c, p, radius, rs, ds)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
