//! Annotations on the map: a dark neutral style (dashed outlines over a white casing,
//! a pin for points) above the incidents, and their titles as text labels.

use super::draw::{clip_ring, Pen, P};
use super::{OverlayShown, ANNOTATION_COLOR};
use crate::export::fonts::text_width;
use crate::export::labels::Placer;
use crate::export::page::{text_label, Placed};
use crate::export::projection::{Mercator, Rect};
use crate::export::svg::n;
use crate::project::annotations::{Annotation, Geometry as Shape};
use std::fmt::Write;

/// Where an annotation's title goes: a page point and the radius of its symbol (0
/// for an area, whose title is centred on the point when there is room).
pub(crate) struct Anchor {
    title: String,
    x: f64,
    y: f64,
    r: f64,
}

/// Annotation outline: dark dashes over a white casing.
pub(super) fn annotation_stroke(o: &mut String, d: &str, fill: bool, s: f64) {
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
pub(super) fn pin(o: &mut String, x: f64, y: f64, s: f64) -> P {
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
        let (asc, desc) = (size * 0.74, size * 0.24);
        let w = text_width(&a.title, size, true);
        let centred = (a.r == 0.0)
            .then(|| Rect::new(a.x - w / 2.0, a.y - (asc + desc) / 2.0, w, asc + desc))
            .filter(|r| placer.try_place(*r))
            .map(|_| Placed {
                x: a.x,
                y: a.y + (asc - desc) / 2.0,
                anchor: "middle",
            });
        let placed = centred
            .or_else(|| placer.point_label(&a.title, a.x, a.y, a.r, size, true))
            .unwrap_or_else(|| {
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
