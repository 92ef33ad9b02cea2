//! The report page as SVG (units: millimetres): title, map frame with the reference
//! layers and the incidents, legend, scale bar, north arrow, locator inset, data note,
//! attribution and generation date.

use super::fonts::{text_width, FAMILY};
use super::incidents::MapIncidents;
use super::labels::Placer;
use super::layers::{BaseLayers, NamedPoint, Pos, Shapes};
use super::notes::NotesBlock;
use super::overlays::{self, OverlayShown, Overlays};
use super::paper::PageSpec;
use super::projection::{Mercator, Rect};
use super::style::{AreaStyle, LineStyle, Style, PX_MM};
use super::svg::{circle, esc, n, polyline};
use super::ExportError;
use crate::date::{format_day, Day};
use std::fmt::Write;

/// The neutral name of the line, printed along it and in the legend.
pub const BORDER_LABEL: &str = "Afghanistan–Pakistan border (Durand Line)";

/// Above this many incidents in the frame, circles are drawn without outlines and
/// rings without tint (rendering speed; see docs/export.md).
pub const DENSE_INCIDENTS: usize = 20_000;

/// Up to this many incidents in the frame are drawn over the border and the crossings;
/// with more, the border and crossings go on top so dense incidents cannot hide them.
pub const FEW_INCIDENTS: usize = 2_000;

/// Frame used when neither a bounding box nor a border line is available.
pub const REGION_BBOX: [f64; 4] = [60.0, 29.0, 75.5, 38.5];

/// What a page shows besides the data: paper, frame, titles and notes.
#[derive(Debug, Clone, PartialEq)]
pub struct MapSpec {
    pub page: PageSpec,
    /// `[west, south, east, north]`; `None` frames the whole border.
    pub bbox: Option<[f64; 4]>,
    pub title: String,
    pub subtitle: String,
    /// Printed as "Generated …"; inject a fixed value for reproducible pages.
    pub generated: String,
    /// The date window the incidents were selected by (shown in the data note);
    /// `None` on both shows the incidents' own range.
    pub from: Option<Day>,
    pub to: Option<Day>,
    /// The researcher's notes, set in a block under the map frame (see
    /// [`super::notes`]); line breaks start new lines. Empty: no block.
    pub notes: String,
    /// Other filters applied, in words ("event type: Battles").
    pub filters: Vec<String>,
    /// Data credits (see [`super::attribution`]).
    pub attribution: Vec<String>,
    /// A large date stamp over the map (time-lapse frames).
    pub stamp: Option<String>,
    /// A time-lapse frame: the legend lists every event type of the whole animation
    /// (so it stays in place), and the sources are those of the whole animation.
    pub animation: bool,
    /// The researcher's layers and annotations (see [`super::overlays`]); empty by default.
    pub overlays: Overlays,
}

impl MapSpec {
    /// A page with the default title, today's date and the default credits.
    ///
    /// ```
    /// use atlas::export::{MapSpec, PageSpec};
    /// let spec = MapSpec::new(PageSpec::paper("a4-landscape", 300).unwrap());
    /// assert_eq!(spec.generated.len(), 10);
    /// ```
    pub fn new(page: PageSpec) -> MapSpec {
        MapSpec {
            page,
            bbox: None,
            title: "Incidents along the Afghanistan–Pakistan border (Durand Line)".into(),
            subtitle: String::new(),
            generated: today(),
            from: None,
            to: None,
            notes: String::new(),
            filters: Vec::new(),
            attribution: super::attribution::default_attribution(),
            stamp: None,
            animation: false,
            overlays: Overlays::default(),
        }
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format_day((secs / 86_400) as Day)
}

/// Where things go on the page (mm).
struct Layout {
    /// Size factor relative to A4 (1.0 on A4).
    s: f64,
    w: f64,
    h: f64,
    m: f64,
    title_y: f64,
    subtitle_y: f64,
    rule_y: f64,
    frame: Rect,
    panel: Rect,
    footer_y: f64,
    landscape: bool,
    /// The notes block and where it goes (under the frame).
    notes: Option<(NotesBlock, Rect)>,
}

impl Layout {
    fn new(page: &PageSpec, has_subtitle: bool, notes: &str) -> Layout {
        let (w, h) = (page.width_mm, page.height_mm);
        let s = (w.min(h) / 210.0).sqrt().clamp(0.45, 2.5);
        let m = 10.0 * s;
        let title_y = m + 5.6 * s;
        let subtitle_y = title_y + 5.2 * s;
        let rule_y = if has_subtitle {
            subtitle_y + 2.8 * s
        } else {
            title_y + 3.2 * s
        };
        let footer_y = h - m + 1.0 * s;
        let top = rule_y + 4.0 * s;
        let bottom = footer_y - 5.5 * s;
        let gap = 5.0 * s;
        let landscape = w >= h * 1.05;
        let (mut frame, panel) = if landscape {
            let pw = (w * 0.24).clamp(52.0 * s, 95.0 * s);
            let fw = w - 2.0 * m - pw - gap;
            (
                Rect::new(m, top, fw, bottom - top),
                Rect::new(m + fw + gap, top, pw, bottom - top),
            )
        } else {
            let ph = ((bottom - top) * 0.24).max(70.0 * s);
            let fh = bottom - top - ph - gap;
            (
                Rect::new(m, top, w - 2.0 * m, fh),
                Rect::new(m, top + fh + gap, w - 2.0 * m, ph),
            )
        };
        // The notes go under the frame, across its width, and take at most a third of
        // its height; the legend, data note and locator keep their places.
        let notes = NotesBlock::plan(notes, frame.w, frame.h / 3.0, s).map(|b| {
            let bh = b.height();
            frame.h -= bh;
            let r = Rect::new(frame.x, frame.bottom(), frame.w, bh);
            (b, r)
        });
        Layout {
            s,
            w,
            h,
            m,
            title_y,
            subtitle_y,
            rule_y,
            frame,
            panel,
            footer_y,
            landscape,
            notes,
        }
    }
}

/// Build the page SVG.
///
/// ```
/// use atlas::export::{build_svg, BaseLayers, MapIncidents, MapSpec, PageSpec, Style};
/// let mut spec = MapSpec::new(PageSpec::paper("a4-landscape", 96).unwrap());
/// spec.bbox = Some([69.0, 32.0, 72.0, 35.0]);
/// let mut incidents = MapIncidents::default();
/// incidents.push(71.09, 34.12, "Battles", 1, 20_000, 20_000);
/// let svg = build_svg(&spec, &BaseLayers::default(), &Style::bundled().unwrap(), &incidents).unwrap();
/// assert!(svg.starts_with("<svg") && svg.contains(r#"width="297mm""#) && svg.contains("Battles"));
/// ```
pub fn build_svg(
    spec: &MapSpec,
    layers: &BaseLayers,
    style: &Style,
    incidents: &MapIncidents,
) -> Result<String, ExportError> {
    let lay = Layout::new(&spec.page, !spec.subtitle.is_empty(), &spec.notes);
    let bbox = spec
        .bbox
        .or_else(|| layers.border_frame())
        .unwrap_or(REGION_BBOX);
    let merc = Mercator::fit(bbox, lay.frame)?;
    let mut o = String::with_capacity(64 * 1024 + incidents.len() * 40);
    let (w, h) = (lay.w, lay.h);
    let _ = write!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}mm" height="{}mm" viewBox="0 0 {} {}" font-family="{FAMILY}">"#,
        n(w),
        n(h),
        n(w),
        n(h)
    );
    let _ = write!(o, "<title>{}</title>", esc(&spec.title));
    let f = lay.frame;
    let _ = write!(
        o,
        r#"<defs><clipPath id="map-clip"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
        n(f.x),
        n(f.y),
        n(f.w),
        n(f.h)
    );
    let _ = write!(
        o,
        r##"<rect width="{}" height="{}" fill="#ffffff"/>"##,
        n(w),
        n(h)
    );

    header(&mut o, spec, &lay);
    let shown = map_body(&mut o, spec, layers, style, incidents, &merc, &lay);
    panel(&mut o, spec, layers, style, incidents, &merc, &lay, &shown);
    if let Some((block, r)) = &lay.notes {
        block.draw(&mut o, *r);
    }
    footer(&mut o, spec, &lay);
    o.push_str("</svg>");
    Ok(o)
}

fn header(o: &mut String, spec: &MapSpec, lay: &Layout) {
    let s = lay.s;
    let _ = write!(
        o,
        r##"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="#1a1a1a">{}</text>"##,
        n(lay.m),
        n(lay.title_y),
        n(6.0 * s),
        esc(&fit_text(&spec.title, lay.w - 2.0 * lay.m, 6.0 * s, true))
    );
    if !spec.subtitle.is_empty() {
        let _ = write!(
            o,
            r##"<text x="{}" y="{}" font-size="{}" fill="#4a4a4a">{}</text>"##,
            n(lay.m),
            n(lay.subtitle_y),
            n(3.6 * s),
            esc(&fit_text(
                &spec.subtitle,
                lay.w - 2.0 * lay.m,
                3.6 * s,
                false
            ))
        );
    }
    let _ = write!(
        o,
        r##"<path d="M{} {}H{}" stroke="#1a1a1a" stroke-width="{}"/>"##,
        n(lay.m),
        n(lay.rule_y),
        n(lay.w - lay.m),
        n(0.35 * s)
    );
}

fn footer(o: &mut String, spec: &MapSpec, lay: &Layout) {
    let s = lay.s;
    let size = 2.3 * s;
    let right = format!(
        "Generated {} with Border Atlas · Web Mercator",
        spec.generated
    );
    let rw = text_width(&right, size, false);
    let credits = format!("Data: {}", spec.attribution.join(" · "));
    let avail = lay.w - 2.0 * lay.m - rw - 6.0 * s;
    let _ = write!(
        o,
        r##"<text x="{}" y="{}" font-size="{}" fill="#4a4a4a">{}</text>"##,
        n(lay.m),
        n(lay.footer_y),
        n(size),
        esc(&fit_text(&credits, avail, size, false))
    );
    let _ = write!(
        o,
        r##"<text x="{}" y="{}" font-size="{}" fill="#4a4a4a" text-anchor="end">{}</text>"##,
        n(lay.w - lay.m),
        n(lay.footer_y),
        n(size),
        esc(&right)
    );
}

/// Truncate `text` with an ellipsis to fit `width`.
pub(crate) fn fit_text(text: &str, width: f64, size: f64, bold: bool) -> String {
    if text_width(text, size, bold) <= width {
        return text.to_string();
    }
    let mut t: String = text.to_string();
    while !t.is_empty() && text_width(&format!("{t}…"), size, bold) > width {
        t.pop();
    }
    format!("{}…", t.trim_end())
}

/// Break `text` into lines no wider than `width`.
fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let cand = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if text_width(&cand, size, false) > width && !cur.is_empty() {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
        .into_iter()
        .map(|l| fit_text(&l, width, size, false))
        .collect()
}

/// What ended up visible in the frame (for the legend and the data note).
#[derive(Default)]
struct Shown {
    /// Incidents drawn per event type index.
    per_type: Vec<usize>,
    /// Incidents drawn per geo precision class (exact, near, region).
    per_precision: [usize; 3],
    total: usize,
    crossings: bool,
    places: bool,
    rivers: bool,
    provinces: bool,
    border: bool,
    border_ne: bool,
    countries: bool,
    neighbours: bool,
    /// Incidents drawn without outlines (see [`DENSE_INCIDENTS`]).
    dense: bool,
    /// User layers and annotations drawn.
    overlays: OverlayShown,
}

fn px(v: f64, s: f64) -> f64 {
    v * PX_MM * s
}

fn project_rings(m: &Mercator, rings: &[Vec<Pos>], min_step: f64) -> String {
    let mut d = String::new();
    for r in rings {
        polyline(
            &mut d,
            r.iter().map(|p| m.project(p[0], p[1])),
            true,
            min_step,
        );
    }
    d
}

/// Lines projected; segments entirely outside `cull` are dropped (splitting the line).
fn project_lines(m: &Mercator, lines: &[Vec<Pos>], cull: &Rect, min_step: f64) -> String {
    let mut d = String::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    for l in lines {
        let pts: Vec<(f64, f64)> = l.iter().map(|p| m.project(p[0], p[1])).collect();
        run.clear();
        for seg in pts.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            let sb = Rect::new(
                a.0.min(b.0),
                a.1.min(b.1),
                (a.0 - b.0).abs(),
                (a.1 - b.1).abs(),
            );
            let inside = sb.x <= cull.right()
                && cull.x <= sb.right()
                && sb.y <= cull.bottom()
                && cull.y <= sb.bottom();
            if inside {
                if run.is_empty() {
                    run.push(a);
                }
                run.push(b);
            } else if !run.is_empty() {
                polyline(&mut d, run.drain(..), false, min_step);
            }
        }
        if !run.is_empty() {
            polyline(&mut d, run.drain(..), false, min_step);
        }
    }
    d
}

fn area(o: &mut String, d: &str, st: &AreaStyle, s: f64) {
    if d.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<path d="{d}" fill="{}" fill-rule="evenodd" stroke="{}" stroke-width="{}" stroke-linejoin="round" opacity="{}"/>"#,
        st.fill,
        st.stroke,
        n(px(st.width, s)),
        n(st.opacity)
    );
}

fn line(o: &mut String, d: &str, st: &LineStyle, s: f64, with_halo: bool) {
    if d.is_empty() {
        return;
    }
    if let (true, Some(halo)) = (with_halo, &st.halo) {
        let _ = write!(
            o,
            r#"<path d="{d}" fill="none" stroke="{halo}" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round" opacity="{}"/>"#,
            n(px(st.width + 2.0 * st.halo_width, s)),
            n(st.opacity)
        );
    }
    let dash = if st.dash.is_empty() {
        String::new()
    } else {
        let parts: Vec<String> = st.dash.iter().map(|v| n(px(v * st.width, s))).collect();
        format!(r#" stroke-dasharray="{}""#, parts.join(" "))
    };
    let _ = write!(
        o,
        r#"<path d="{d}" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round" opacity="{}"{dash}/>"#,
        st.stroke,
        n(px(st.width, s)),
        n(st.opacity)
    );
}

fn map_body(
    o: &mut String,
    spec: &MapSpec,
    layers: &BaseLayers,
    style: &Style,
    inc: &MapIncidents,
    merc: &Mercator,
    lay: &Layout,
) -> Shown {
    let s = lay.s;
    let f = lay.frame;
    let st = &style.layers;
    let cull = f.inflate(5.0);
    let step = 0.12;
    let mut shown = Shown {
        per_type: vec![0; inc.types.len()],
        ..Default::default()
    };
    let vis = |sh: &Shapes| {
        sh.bbox().is_some_and(|[w, so, e, no]| {
            let (x0, y1) = merc.project(w, so);
            let (x1, y0) = merc.project(e, no);
            Rect::new(x0, y0, x1 - x0, y1 - y0).intersects(&f)
        })
    };
    let _ = write!(o, r#"<g clip-path="url(#map-clip)">"#);
    let _ = write!(
        o,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
        n(f.x),
        n(f.y),
        n(f.w),
        n(f.h),
        style.background
    );
    shown.neighbours = vis(&layers.neighbours);
    shown.countries = vis(&layers.countries);
    area(
        o,
        &project_rings(merc, &layers.neighbours.rings, step),
        &st.neighbours,
        s,
    );
    area(
        o,
        &project_rings(merc, &layers.countries.rings, step),
        &st.countries,
        s,
    );
    shown.provinces = vis(&layers.provinces) || vis(&layers.province_lines);
    if layers.province_lines.is_empty() {
        area(
            o,
            &project_rings(merc, &layers.provinces.rings, step),
            &st.provinces,
            s,
        );
    } else {
        line(
            o,
            &project_lines(merc, &layers.province_lines.lines, &cull, step),
            &st.province_lines,
            s,
            false,
        );
    }
    let mut rivers = project_lines(merc, &layers.rivers.lines, &cull, step);
    rivers.push_str(&project_rings(merc, &layers.rivers.rings, step));
    shown.rivers = !rivers.is_empty() && vis(&layers.rivers);
    line(o, &rivers, &st.rivers, s, false);
    let grid_labels = graticule(o, merc, s);
    let ne = project_lines(merc, &layers.border_ne.lines, &cull, step);
    shown.border_ne = !ne.is_empty();
    line(o, &ne, &st.border_ne, s, false);
    shown.overlays = overlays::draw_layers(o, &spec.overlays.layers, merc, s);
    let border_d = project_lines(merc, &layers.border.lines, &cull, step);
    shown.border = !border_d.is_empty();

    let mut inc_svg = String::new();
    incidents(&mut inc_svg, style, inc, merc, &f, s, &mut shown);
    let cs = &st.crossings;
    let mut cross_svg = String::new();
    for c in &layers.crossings {
        let (x, y) = merc.project(c.lon, c.lat);
        let r = px(cs.radius, s);
        if !f.contains(&Rect::new(x - r, y - r, 2.0 * r, 2.0 * r)) {
            continue;
        }
        shown.crossings = true;
        let _ = write!(
            cross_svg,
            r#"<path d="M{} {}L{} {}L{} {}L{} {}Z" fill="{}" stroke="{}" stroke-width="{}"/>"#,
            n(x),
            n(y - r),
            n(x + r),
            n(y),
            n(x),
            n(y + r),
            n(x - r),
            n(y),
            cs.color,
            cs.stroke.as_deref().unwrap_or("none"),
            n(px(cs.width, s))
        );
    }
    if shown.total > FEW_INCIDENTS {
        // Many incidents would hide the border and the crossings: draw them on top.
        o.push_str(&inc_svg);
        line(o, &border_d, &st.border, s, true);
        o.push_str(&cross_svg);
    } else {
        // A few incidents go on top, so none hides under a crossing symbol.
        line(o, &border_d, &st.border, s, true);
        o.push_str(&cross_svg);
        o.push_str(&inc_svg);
    }
    let notes =
        overlays::draw_annotations(o, &spec.overlays.annotations, merc, s, &mut shown.overlays);

    // Symbols and labels, most important first.
    let mut placer = Placer::new(f.inflate(-s));
    let na = north_arrow_rect(&f, s);
    let sb = scale_bar(&mut String::new(), merc, &f, s);
    placer.block(na);
    placer.block(sb);
    for r in grid_labels {
        placer.block(r);
    }
    if let Some(stamp) = &spec.stamp {
        placer.block(stamp_rect(&f, stamp, s));
    }
    let mut labels = String::new();
    let mut symbols = String::new();
    overlays::label_annotations(&mut labels, &notes, &mut placer, s);
    let r = px(cs.radius, s);
    for c in &layers.crossings {
        let (x, y) = merc.project(c.lon, c.lat);
        if !f.contains(&Rect::new(x, y, 0.0, 0.0)) {
            continue;
        }
        let size = px(cs.text_size, s) * 0.85;
        if let Some(t) = placer.point_label(&c.name, x, y, r, size, true) {
            text_label(&mut labels, &t, &c.name, size, true, &cs.text, &cs.halo, s);
        }
    }
    for c in &layers.crossings {
        let (x, y) = merc.project(c.lon, c.lat);
        placer.block(Rect::new(x - r, y - r, 2.0 * r, 2.0 * r));
    }
    if shown.border {
        border_label(&mut labels, layers, merc, style, s, &mut placer);
    }
    country_labels(&mut labels, layers, merc, s, &mut placer);
    let ps = &st.places;
    let mut places: Vec<&NamedPoint> = layers
        .places
        .iter()
        .filter(|p| {
            let (x, y) = merc.project(p.lon, p.lat);
            f.contains(&Rect::new(x, y, 0.0, 0.0))
        })
        .collect();
    places.sort_by(|a, b| {
        b.priority
            .total_cmp(&a.priority)
            .then_with(|| a.name.cmp(&b.name))
    });
    let max_labels = ((f.w * f.h) / (800.0 * s * s)).max(6.0) as usize;
    let mut placed = 0;
    for (rank, p) in places.iter().enumerate() {
        if placed >= max_labels {
            break;
        }
        let (x, y) = merc.project(p.lon, p.lat);
        let major = rank < 6;
        let size = px(ps.text_size, s) * if major { 0.95 } else { 0.8 };
        let r = px(ps.radius, s) * if major { 1.25 } else { 1.0 };
        if let Some(t) = placer.point_label(&p.name, x, y, r, size, major) {
            shown.places = true;
            placed += 1;
            let _ = write!(
                symbols,
                r#"<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="{}" stroke-width="{}"/>"#,
                n(x),
                n(y),
                n(r),
                ps.color,
                ps.halo,
                n(0.25 * s)
            );
            text_label(&mut labels, &t, &p.name, size, major, &ps.text, &ps.halo, s);
        }
    }
    o.push_str(&symbols);
    o.push_str(&labels);
    o.push_str("</g>");
    // Frame furniture (outside the clip so nothing cuts it).
    let _ = write!(
        o,
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#333333" stroke-width="{}"/>"##,
        n(f.x),
        n(f.y),
        n(f.w),
        n(f.h),
        n(0.3 * s)
    );
    north_arrow(o, na, s);
    scale_bar(o, merc, &f, s);
    if let Some(stamp) = &spec.stamp {
        let r = stamp_rect(&f, stamp, s);
        let _ = write!(
            o,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.88" stroke="#333333" stroke-width="{}"/><text x="{}" y="{}" font-size="{}" font-weight="bold" fill="#1a1a1a">{}</text>"##,
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            n(0.2 * s),
            n(r.x + 2.0 * s),
            n(r.y + r.h - 2.2 * s),
            n(4.2 * s),
            esc(stamp)
        );
    }
    shown
}

fn stamp_rect(f: &Rect, stamp: &str, s: f64) -> Rect {
    let w = text_width(stamp, 4.2 * s, true) + 4.0 * s;
    Rect::new(f.x + 3.0 * s, f.y + 3.0 * s, w, 7.5 * s)
}

/// A label position found by the [`Placer`].
pub(crate) struct Placed {
    pub x: f64,
    pub y: f64,
    pub anchor: &'static str,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn text_label(
    o: &mut String,
    t: &Placed,
    text: &str,
    size: f64,
    bold: bool,
    fill: &str,
    halo: &str,
    s: f64,
) {
    let _ = write!(
        o,
        r#"<text x="{}" y="{}" font-size="{}"{} text-anchor="{}" fill="{fill}" stroke="{halo}" stroke-width="{}" stroke-linejoin="round" paint-order="stroke">{}</text>"#,
        n(t.x),
        n(t.y),
        n(size),
        if bold { r#" font-weight="bold""# } else { "" },
        t.anchor,
        n(0.7 * s),
        esc(text)
    );
}

fn incidents(
    o: &mut String,
    style: &Style,
    inc: &MapIncidents,
    merc: &Mercator,
    f: &Rect,
    s: f64,
    shown: &mut Shown,
) {
    let is = &style.layers.incidents;
    let r1 = px(is.radius, s);
    // Precision classes: 0 exact (filled), 1 near/district (ring), 2 province/region (larger ring).
    let radii = [r1, r1 * 1.15, r1 * 1.7];
    let nt = inc.types.len();
    // Circles are grouped into one path per style, in a few rounds of consecutive
    // incidents so the stacking order roughly follows the data order across styles.
    let rounds = (inc.len() / 4000).clamp(1, 4);
    let per_round = inc.len().div_ceil(rounds).max(1);
    let mut paths: Vec<String> = vec![String::new(); rounds * nt * 3];
    let rs: Vec<String> = radii.iter().map(|r| n(*r)).collect();
    let ds: Vec<String> = radii.iter().map(|r| n(2.0 * r)).collect();
    let cull = f.inflate(radii[2]);
    for i in 0..inc.len() {
        let (x, y) = merc.project(inc.lon[i], inc.lat[i]);
        if x < cull.x || x > cull.right() || y < cull.y || y > cull.bottom() {
            continue;
        }
        let k = inc.kind[i] as usize;
        let c = match inc.precision[i] {
            0 | 1 => 0,
            2 => 1,
            _ => 2,
        };
        if let Some(p) = paths.get_mut(((i / per_round) * nt + k) * 3 + c) {
            circle(p, x, y, radii[c], &rs[c], &ds[c]);
            if let Some(t) = shown.per_type.get_mut(k) {
                *t += 1;
            }
            shown.per_precision[c] += 1;
            shown.total += 1;
        }
    }
    // Above DENSE_INCIDENTS, outlines and ring tints are left out: they cost more to
    // render than the circles and add nothing where circles overlap anyway.
    let dense = shown.total > DENSE_INCIDENTS;
    shown.dense = dense;
    for round in 0..rounds {
        // Regional rings under district rings under exact points.
        for c in [2usize, 1, 0] {
            for (k, t) in inc.types.iter().enumerate() {
                let Some(d) = paths
                    .get((round * nt + k) * 3 + c)
                    .filter(|d| !d.is_empty())
                else {
                    continue;
                };
                let color = is.color_of(t);
                if c == 0 {
                    let _ = write!(
                        o,
                        r#"<path d="{d}" fill="{color}" fill-opacity="{}""#,
                        n(is.opacity)
                    );
                    if !dense {
                        let _ = write!(
                            o,
                            r#" stroke="{}" stroke-width="{}""#,
                            is.stroke,
                            n(px(is.width, s))
                        );
                    }
                    o.push_str("/>");
                } else {
                    let fill = if dense {
                        "none".to_string()
                    } else {
                        format!(r#"{color}" fill-opacity="0.12"#)
                    };
                    let _ = write!(
                        o,
                        r#"<path d="{d}" fill="{fill}" stroke="{color}" stroke-width="{}" stroke-opacity="{}"/>"#,
                        n(px(is.ring_width, s) * if c == 2 { 0.8 } else { 1.0 }),
                        n(is.opacity)
                    );
                }
            }
        }
    }
}

/// Grid step in degrees: about 4–8 lines across the frame.
fn graticule_step(span: f64) -> f64 {
    [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|st| span / st <= 8.0)
        .unwrap_or(20.0)
}

fn deg_label(v: f64, pos: char, neg: char) -> String {
    let h = if v < 0.0 { neg } else { pos };
    let a = v.abs();
    if (a - a.round()).abs() < 1e-9 {
        format!("{}°{h}", a.round())
    } else {
        let t = format!("{a:.2}");
        format!("{}°{h}", t.trim_end_matches('0'))
    }
}

/// Draw the graticule; returns the areas of its labels (for label collision).
fn graticule(o: &mut String, merc: &Mercator, s: f64) -> Vec<Rect> {
    let f = merc.frame;
    let mut boxes = Vec::new();
    let [w, so, e, no] = merc.visible_bbox();
    let step = graticule_step((e - w).max(no - so));
    let mut d = String::new();
    let mut labels = String::new();
    let size = 2.0 * s;
    let mut lon = (w / step).ceil() * step;
    while lon <= e {
        let (x, _) = merc.project(lon, 0.0);
        let _ = write!(d, "M{} {}V{}", n(x), n(f.y), n(f.bottom()));
        lon += step;
        if x < f.x + 8.0 * s || x > f.right() - 14.0 * s {
            continue;
        }
        let label = deg_label(lon - step, 'E', 'W');
        let lw = text_width(&label, size, false);
        boxes.push(Rect::new(
            x - lw / 2.0,
            f.y + 2.6 * s - 0.75 * size,
            lw,
            size,
        ));
        let _ = write!(
            labels,
            r##"<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="#555555" stroke="#ffffff" stroke-width="{}" paint-order="stroke">{}</text>"##,
            n(x),
            n(f.y + 2.6 * s),
            n(size),
            n(0.5 * s),
            label
        );
    }
    let mut lat = (so / step).ceil() * step;
    while lat <= no {
        let (_, y) = merc.project(0.0, lat);
        let _ = write!(d, "M{} {}H{}", n(f.x), n(y), n(f.right()));
        lat += step;
        if y < f.y + 6.0 * s || y > f.bottom() - 16.0 * s {
            continue;
        }
        let label = deg_label(lat - step, 'N', 'S');
        let lw = text_width(&label, size, false);
        boxes.push(Rect::new(
            f.x + 1.0 * s,
            y - 0.6 * s - 0.75 * size,
            lw,
            size,
        ));
        let _ = write!(
            labels,
            r##"<text x="{}" y="{}" font-size="{}" fill="#555555" stroke="#ffffff" stroke-width="{}" paint-order="stroke">{}</text>"##,
            n(f.x + 1.0 * s),
            n(y - 0.6 * s),
            n(size),
            n(0.5 * s),
            label
        );
    }
    let _ = write!(
        o,
        r##"<path d="{d}" fill="none" stroke="#6b7b8c" stroke-width="{}" stroke-opacity="0.35"/>"##,
        n(0.12 * s)
    );
    o.push_str(&labels);
    boxes
}

fn north_arrow_rect(f: &Rect, s: f64) -> Rect {
    Rect::new(f.right() - 11.0 * s, f.y + 4.0 * s, 7.0 * s, 12.0 * s)
}

fn north_arrow(o: &mut String, r: Rect, s: f64) {
    let cx = r.x + r.w / 2.0;
    let top = r.y + 4.0 * s;
    let bot = r.bottom();
    let hw = 2.4 * s;
    let _ = write!(
        o,
        r##"<g><rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="#ffffff" fill-opacity="0.8"/><path d="M{cx} {top}L{} {bot}L{cx} {}Z" fill="#1a1a1a"/><path d="M{cx} {top}L{} {bot}L{cx} {}Z" fill="#ffffff" stroke="#1a1a1a" stroke-width="{}" stroke-linejoin="round"/><text x="{cx}" y="{}" font-size="{}" font-weight="bold" text-anchor="middle" fill="#1a1a1a" stroke="#ffffff" stroke-width="{}" paint-order="stroke">N</text></g>"##,
        n(r.x - 0.5 * s),
        n(r.y - 0.8 * s),
        n(r.w + 1.0 * s),
        n(r.h + 1.8 * s),
        n(1.0 * s),
        n(cx + hw),
        n(bot - 2.2 * s),
        n(cx - hw),
        n(bot - 2.2 * s),
        n(0.2 * s),
        n(r.y + 3.0 * s),
        n(3.4 * s),
        n(0.6 * s),
        cx = n(cx),
        top = n(top),
        bot = n(bot),
    );
}

/// A round length in km for a bar at most `max_km` long.
fn nice_km(max_km: f64) -> f64 {
    let p = 10f64.powf(max_km.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|v| *v <= max_km)
        .unwrap_or(p)
}

/// Draw the scale bar (bottom left in the frame); returns the area it covers.
fn scale_bar(o: &mut String, merc: &Mercator, f: &Rect, s: f64) -> Rect {
    let lat = merc.center_lat();
    let mm_km = merc.mm_per_km(lat);
    let km = nice_km(f.w * 0.25 / mm_km);
    let len = km * mm_km;
    let (x0, y0) = (f.x + 4.0 * s, f.bottom() - 9.5 * s);
    let bh = 1.2 * s;
    let size = 2.2 * s;
    let caption = format!(
        "Scale true at {:.1}° {}",
        lat.abs(),
        if lat < 0.0 { 'S' } else { 'N' }
    );
    let unit_w = text_width(" km", size, false);
    let cw = text_width(&caption, 1.9 * s, false);
    let back = Rect::new(
        f.x + 1.5 * s,
        f.bottom() - 14.0 * s,
        (len + unit_w + 5.5 * s).max(cw + 5.0 * s),
        12.5 * s,
    );
    let _ = write!(
        o,
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.85"/>"##,
        n(back.x),
        n(back.y),
        n(back.w),
        n(back.h)
    );
    for i in 0..4 {
        let fill = if i % 2 == 0 { "#1a1a1a" } else { "#ffffff" };
        let _ = write!(
            o,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="#1a1a1a" stroke-width="{}"/>"##,
            n(x0 + len * i as f64 / 4.0),
            n(y0),
            n(len / 4.0),
            n(bh),
            n(0.15 * s)
        );
    }
    let fmt = |v: f64| {
        if (v - v.round()).abs() < 1e-9 {
            format!("{}", v.round())
        } else {
            format!("{v}")
        }
    };
    for (v, x, anchor) in [
        (0.0, x0, "middle"),
        (km / 2.0, x0 + len / 2.0, "middle"),
        (km, x0 + len, "middle"),
    ] {
        let t = if v == km {
            format!("{} km", fmt(v))
        } else {
            fmt(v)
        };
        let x = if v == km { x + unit_w / 2.0 } else { x };
        let _ = write!(
            o,
            r##"<text x="{}" y="{}" font-size="{}" text-anchor="{anchor}" fill="#1a1a1a">{}</text>"##,
            n(x),
            n(y0 - 0.9 * s),
            n(size),
            t
        );
    }
    let _ = write!(
        o,
        r##"<text x="{}" y="{}" font-size="{}" fill="#4a4a4a">{}</text>"##,
        n(x0),
        n(y0 + bh + 2.6 * s),
        n(1.9 * s),
        caption
    );
    back
}

/// A stretch of the border: deviation, side for the label, ends.
type Chord = (f64, f64, (f64, f64), (f64, f64));

/// Place the border's name along straight-ish stretches of the line.
fn border_label(
    o: &mut String,
    layers: &BaseLayers,
    merc: &Mercator,
    style: &Style,
    s: f64,
    placer: &mut Placer,
) {
    let bs = &style.layers.border;
    let size = 2.7 * s;
    let tw = text_width(BORDER_LABEL, size, false);
    let need = tw + 4.0 * s;
    let inner = merc.frame.inflate(-6.0 * s);
    let mut candidates: Vec<Chord> = Vec::new();
    for part in &layers.border.lines {
        // Runs of the projected line inside the frame, thinned to ~0.5 mm steps.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for p in part {
            let q = merc.project(p[0], p[1]);
            if inner.contains(&Rect::new(q.0, q.1, 0.0, 0.0)) {
                let Some(run) = runs.last_mut() else { continue };
                if run
                    .last()
                    .is_none_or(|l| (l.0 - q.0).hypot(l.1 - q.1) >= 0.5)
                {
                    run.push(q);
                }
            } else if runs.last().is_some_and(|r| !r.is_empty()) {
                runs.push(Vec::new());
            }
        }
        for run in &runs {
            let mut j = 0;
            for i in 0..run.len() {
                j = j.max(i + 1);
                while j < run.len() && dist(run[i], run[j]) < need {
                    j += 1;
                }
                if j >= run.len() {
                    break;
                }
                let (mut a, mut b) = (run[i], run[j]);
                if b.0 < a.0 {
                    std::mem::swap(&mut a, &mut b);
                }
                // Signed distances from the chord: the label goes on the side the line
                // bulges least towards, just clear of it.
                let (mut above, mut below) = (0.0f64, 0.0f64);
                for p in &run[i..=j] {
                    let d = signed_dist(*p, a, b);
                    above = above.max(-d);
                    below = below.max(d);
                }
                let (dev, side) = if above <= below {
                    (above, -1.0)
                } else {
                    (below, 1.0)
                };
                candidates.push((dev, side, a, b));
            }
        }
    }
    candidates.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut placed: Vec<(f64, f64)> = Vec::new();
    let min_sep = (merc.frame.w.max(merc.frame.h)) * 0.35;
    for (dev, side, a, b) in candidates {
        if placed.len() >= 2 || dev > 12.0 * s {
            break;
        }
        let ang = (b.1 - a.1).atan2(b.0 - a.0);
        let (mx, my) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        if placed.iter().any(|p| dist(*p, (mx, my)) < min_sep) {
            continue;
        }
        // Page-up normal of the chord is (sin, -cos); `side` -1 puts the label above.
        let off = dev + px(bs.width + 2.0 * bs.halo_width, s) / 2.0 + size * 0.55;
        let (nx, ny) = (-side * ang.sin(), side * ang.cos());
        let (cx, cy) = (mx + nx * off, my + ny * off);
        let (c, sn) = (ang.cos().abs(), ang.sin().abs());
        let (hw, hh) = (tw / 2.0, size * 0.5);
        let bx = Rect::new(
            cx - hw * c - hh * sn,
            cy - hw * sn - hh * c,
            2.0 * (hw * c + hh * sn),
            2.0 * (hw * sn + hh * c),
        );
        if !placer.try_place(bx) {
            continue;
        }
        placed.push((mx, my));
        let _ = write!(
            o,
            r#"<text transform="translate({} {}) rotate({})" y="{}" font-size="{}" text-anchor="middle" letter-spacing="{}" fill="{}" stroke="{}" stroke-width="{}" stroke-linejoin="round" paint-order="stroke">{}</text>"#,
            n(cx),
            n(cy),
            n(ang.to_degrees()),
            n(size * 0.35),
            n(size),
            n(0.05 * s),
            bs.stroke,
            bs.halo.as_deref().unwrap_or("#ffffff"),
            n(0.7 * s),
            esc(BORDER_LABEL)
        );
    }
}

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

/// Distance of `p` from the line through `a` and `b`, positive on the page-down side.
fn signed_dist(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let l = dx.hypot(dy);
    if l == 0.0 {
        return 0.0;
    }
    (dx * (p.1 - a.1) - dy * (p.0 - a.0)) / l
}

fn seg_dist(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let l2 = dx * dx + dy * dy;
    if l2 == 0.0 {
        return dist(p, a);
    }
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2).clamp(0.0, 1.0);
    dist(p, (a.0 + t * dx, a.1 + t * dy))
}

/// Whether a page point is inside the rings (even-odd).
fn inside(p: (f64, f64), rings: &[Vec<(f64, f64)>]) -> bool {
    let mut c = false;
    for r in rings {
        let mut j = r.len().saturating_sub(1);
        for i in 0..r.len() {
            let (a, b) = (r[i], r[j]);
            if (a.1 > p.1) != (b.1 > p.1) && p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0 {
                c = !c;
            }
            j = i;
        }
    }
    c
}

/// Country names in capitals, at the sample point deepest inside the visible part.
fn country_labels(
    o: &mut String,
    layers: &BaseLayers,
    merc: &Mercator,
    s: f64,
    placer: &mut Placer,
) {
    let f = merc.frame;
    for (shapes, size, fill) in [
        (&layers.countries, 4.0 * s, "#6d6d6d"),
        (&layers.neighbours, 3.2 * s, "#8a8a8a"),
    ] {
        for (name, range) in &shapes.names {
            let Some(rings) = shapes.rings.get(range.clone()) else {
                continue;
            };
            // Thinned to ~1 mm steps: placement needs no finer outline.
            let proj: Vec<Vec<(f64, f64)>> = rings
                .iter()
                .map(|r| {
                    let mut v: Vec<(f64, f64)> = Vec::new();
                    for p in r {
                        let q = merc.project(p[0], p[1]);
                        if v.last().is_none_or(|l: &(f64, f64)| {
                            (l.0 - q.0).abs() + (l.1 - q.1).abs() >= 1.0
                        }) {
                            v.push(q);
                        }
                    }
                    if let (Some(first), Some(last)) = (v.first().copied(), v.last()) {
                        if first != *last {
                            v.push(first);
                        }
                    }
                    v
                })
                .filter(|v| v.len() >= 4)
                .collect();
            let text = name.to_uppercase();
            let spacing = 0.6 * s;
            let tw = text_width(&text, size, false) + spacing * text.chars().count() as f64;
            let mut samples: Vec<(f64, (f64, f64))> = Vec::new();
            let (nx, ny) = (16, 12);
            for iy in 0..ny {
                for ix in 0..nx {
                    let p = (
                        f.x + f.w * (ix as f64 + 0.5) / nx as f64,
                        f.y + f.h * (iy as f64 + 0.5) / ny as f64,
                    );
                    if !inside(p, &proj) {
                        continue;
                    }
                    let depth = proj
                        .iter()
                        .flat_map(|r| r.windows(2).map(move |w| seg_dist(p, w[0], w[1])))
                        .fold(f64::INFINITY, f64::min);
                    samples.push((depth, p));
                }
            }
            samples.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (depth, (x, y)) in samples.into_iter().take(12) {
                if depth < tw * 0.35 {
                    break;
                }
                let bx = Rect::new(x - tw / 2.0, y - size * 0.75, tw, size);
                if placer.try_place(bx) {
                    let _ = write!(
                        o,
                        r#"<text x="{}" y="{}" font-size="{}" text-anchor="middle" letter-spacing="{}" fill="{fill}" fill-opacity="0.85">{}</text>"#,
                        n(x),
                        n(y),
                        n(size),
                        n(spacing),
                        esc(&text)
                    );
                    break;
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn panel(
    o: &mut String,
    spec: &MapSpec,
    layers: &BaseLayers,
    style: &Style,
    inc: &MapIncidents,
    merc: &Mercator,
    lay: &Layout,
    shown: &Shown,
) {
    let s = lay.s;
    let p = lay.panel;
    let (inset_rect, mut legend_col, note_col) = if lay.landscape {
        let ih = (p.w * 0.62).min(p.h * 0.26);
        (
            Rect::new(p.x, p.y, p.w, ih),
            Rect::new(p.x, p.y + ih + 5.0 * s, p.w, p.h - ih - 5.0 * s),
            None,
        )
    } else {
        let cw = (p.w - 6.0 * s) / 3.0;
        (
            Rect::new(p.x + 2.0 * (cw + 3.0 * s), p.y, cw, (cw * 0.75).min(p.h)),
            Rect::new(p.x, p.y, cw, p.h),
            Some(Rect::new(p.x + cw + 3.0 * s, p.y, cw, p.h)),
        )
    };
    inset(o, layers, style, merc, inset_rect, s);
    // In landscape the data note follows the legend in its column: keep room for it.
    let reserve = if lay.landscape && !shown.overlays.is_empty() {
        let probe = Rect::new(legend_col.x, 0.0, legend_col.w, 1e6);
        data_note(&mut String::new(), spec, inc, shown, probe, s) + 3.0 * s
    } else {
        0.0
    };
    let end = legend(o, style, inc, shown, legend_col, s, spec.animation, reserve);
    let note_rect = match note_col {
        Some(r) => r,
        None => {
            legend_col.y = end + 3.0 * s;
            legend_col.h = p.bottom() - legend_col.y;
            legend_col
        }
    };
    data_note(o, spec, inc, shown, note_rect, s);
}

fn heading(o: &mut String, x: f64, y: f64, text: &str, s: f64) {
    let _ = write!(
        o,
        r##"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="#1a1a1a">{}</text>"##,
        n(x),
        n(y),
        n(3.0 * s),
        esc(text)
    );
}

/// Draw the legend; returns the y where it ends, at most `reserve` (mm) above the
/// bottom of `r`. User layers and annotations come after the incidents, before the
/// base layers (which are left out, from the bottom of the list, when room runs out).
#[allow(clippy::too_many_arguments)]
fn legend(
    o: &mut String,
    style: &Style,
    inc: &MapIncidents,
    shown: &Shown,
    r: Rect,
    s: f64,
    animation: bool,
    reserve: f64,
) -> f64 {
    let st = &style.layers;
    let size = 2.35 * s;
    let row = 3.9 * s;
    let sw = 7.0 * s;
    let mut y = r.y + 3.0 * s;
    heading(o, r.x, y, "Legend", s);
    y += 2.0 * s;
    let text_x = r.x + sw + 2.0 * s;
    let text_w = r.w - sw - 2.0 * s;
    let bottom = r.bottom() - reserve;
    let entry = |o: &mut String, y: &mut f64, symbol: String, label: &str| {
        if *y + row > bottom {
            return;
        }
        let cy = *y + row / 2.0;
        o.push_str(&symbol.replace("CY", &n(cy)));
        let _ = write!(
            o,
            r##"<text x="{}" y="{}" font-size="{}" fill="#1a1a1a">{}</text>"##,
            n(text_x),
            n(cy + size * 0.36),
            n(size),
            esc(&fit_text(label, text_w, size, false))
        );
        *y += row;
    };
    let cx = r.x + sw / 2.0;
    let ir = px(st.incidents.radius, s).max(0.9 * s);
    if shown.total > 0 || (animation && !inc.types.is_empty()) {
        y += 1.0 * s;
        let _ = write!(
            o,
            r##"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="#333333">Incidents by event type</text>"##,
            n(r.x),
            n(y + 2.6 * s),
            n(2.4 * s)
        );
        y += 3.4 * s;
        let outline = if shown.dense {
            String::new()
        } else {
            format!(
                r#" stroke="{}" stroke-width="{}""#,
                st.incidents.stroke,
                n(px(st.incidents.width, s))
            )
        };
        let mut order: Vec<usize> = (0..inc.types.len())
            .filter(|k| animation || shown.per_type.get(*k).copied().unwrap_or(0) > 0)
            .collect();
        if animation {
            // Fixed order across frames: the legend stays in place.
            order.sort_by(|a, b| inc.types[*a].cmp(&inc.types[*b]));
        } else {
            order.sort_by(|a, b| {
                shown.per_type[*b]
                    .cmp(&shown.per_type[*a])
                    .then_with(|| inc.types[*a].cmp(&inc.types[*b]))
            });
        }
        for k in order {
            let t = &inc.types[k];
            let name = if t.is_empty() {
                "Unspecified"
            } else {
                t.as_str()
            };
            entry(
                o,
                &mut y,
                format!(
                    r#"<circle cx="{}" cy="CY" r="{}" fill="{}" fill-opacity="{}"{outline}/>"#,
                    n(cx),
                    n(ir),
                    st.incidents.color_of(t),
                    n(st.incidents.opacity),
                ),
                &format!("{name} ({})", group(shown.per_type[k])),
            );
        }
        let grey = "#555555";
        let tint = if shown.dense {
            r#"fill="none""#.to_string()
        } else {
            format!(r#"fill="{grey}" fill-opacity="0.12""#)
        };
        let kinds = [
            (
                0,
                "Exact location (geo precision 1)",
                format!(
                    r#"<circle cx="{}" cy="CY" r="{}" fill="{grey}"/>"#,
                    n(cx),
                    n(ir)
                ),
            ),
            (
                1,
                "Near a place / district (precision 2)",
                format!(
                    r#"<circle cx="{}" cy="CY" r="{}" {tint} stroke="{grey}" stroke-width="{}"/>"#,
                    n(cx),
                    n(ir * 1.15),
                    n(px(st.incidents.ring_width, s))
                ),
            ),
            (
                2,
                "Province or region only (precision 3)",
                format!(
                    r#"<circle cx="{}" cy="CY" r="{}" {tint} stroke="{grey}" stroke-width="{}"/>"#,
                    n(cx),
                    n(ir * 1.7),
                    n(px(st.incidents.ring_width, s) * 0.8)
                ),
            ),
        ];
        if animation || shown.per_precision[1] + shown.per_precision[2] > 0 {
            for (c, label, sym) in kinds {
                if animation || shown.per_precision[c] > 0 {
                    entry(o, &mut y, sym, label);
                }
            }
        }
        y += 1.0 * s;
    }
    if !shown.overlays.is_empty() {
        // Room is kept for the border and crossing entries; towns, boundaries, rivers
        // and country fills (named on the map) give way to the user's layers.
        let kept = [shown.border, shown.border_ne, shown.crossings];
        let kept_h = kept.iter().filter(|b| **b).count() as f64 * row;
        let limit = (bottom - kept_h).max(y + 3.0 * row);
        y = overlays::legend(o, &shown.overlays, r, y, limit, s) + 1.0 * s;
    }
    let line_sym = |ls: &LineStyle, halo: bool| {
        let mut sym = String::new();
        let d = format!("M{} CYH{}", n(r.x), n(r.x + sw));
        line(&mut sym, &d, ls, s, halo);
        sym
    };
    if shown.border {
        entry(o, &mut y, line_sym(&st.border, true), BORDER_LABEL);
    }
    if shown.border_ne {
        entry(
            o,
            &mut y,
            line_sym(&st.border_ne, false),
            "Border, Natural Earth version",
        );
    }
    if shown.crossings {
        let cs = &st.crossings;
        let rr = px(cs.radius, s);
        entry(
            o,
            &mut y,
            format!(
                r#"<path d="M{cx} CYm0 -{rr}l{rr} {rr}l-{rr} {rr}l-{rr} -{rr}Z" fill="{}" stroke="{}" stroke-width="{}"/>"#,
                cs.color,
                cs.stroke.as_deref().unwrap_or("none"),
                n(px(cs.width, s)),
                cx = n(cx),
                rr = n(rr)
            ),
            "Border crossing",
        );
    }
    if shown.places {
        let ps = &st.places;
        entry(
            o,
            &mut y,
            format!(
                r#"<circle cx="{}" cy="CY" r="{}" fill="{}"/>"#,
                n(cx),
                n(px(ps.radius, s)),
                ps.color
            ),
            "Town or city",
        );
    }
    if shown.provinces {
        entry(
            o,
            &mut y,
            line_sym(&st.province_lines, false),
            "Province boundary",
        );
    }
    if shown.rivers {
        entry(o, &mut y, line_sym(&st.rivers, false), "River");
    }
    let swatch = |a: &AreaStyle| {
        format!(
            r#"<rect x="{}" y="CY" width="{}" height="{}" transform="translate(0 -{})" fill="{}" stroke="{}" stroke-width="{}"/>"#,
            n(r.x + 0.5 * s),
            n(sw - 1.0 * s),
            n(2.8 * s),
            n(1.4 * s),
            a.fill,
            a.stroke,
            n(px(a.width, s))
        )
    };
    if shown.countries {
        entry(o, &mut y, swatch(&st.countries), "Afghanistan and Pakistan");
    }
    if shown.neighbours {
        entry(o, &mut y, swatch(&st.neighbours), "Neighbouring countries");
    }
    y
}

/// Thousands separated by commas.
fn group(v: usize) -> String {
    let d = v.to_string();
    let mut out = String::new();
    let lead = d.len() % 3;
    for (i, ch) in d.chars().enumerate() {
        if i > 0 && i % 3 == lead % 3 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Draw the data note; returns the y where it ends.
fn data_note(
    o: &mut String,
    spec: &MapSpec,
    inc: &MapIncidents,
    shown: &Shown,
    r: Rect,
    s: f64,
) -> f64 {
    let size = 2.2 * s;
    let lh = 3.0 * s;
    let mut y = r.y + 3.0 * s;
    if y + lh > r.bottom() {
        return y;
    }
    heading(o, r.x, y, "About the data", s);
    y += 1.6 * s;
    let range = match (spec.from, spec.to) {
        (None, None) => inc.date_range(),
        (a, b) => {
            let (da, db) = inc.date_range().unwrap_or((Day::MIN, Day::MAX));
            Some((a.unwrap_or(da), b.unwrap_or(db)))
        }
    };
    let mut shown_line = format!("Incidents shown: {}", group(shown.total));
    if inc.len() > shown.total {
        let _ = write!(
            shown_line,
            " of {} selected with a location (the rest lie outside the frame)",
            group(inc.len())
        );
    }
    if inc.unmapped > 0 {
        let _ = write!(
            shown_line,
            "; {} selected without a location are not drawn",
            group(inc.unmapped)
        );
    }
    let mut paras = vec![shown_line];
    paras.push(match range {
        Some((a, b)) if a > Day::MIN && b < Day::MAX => {
            format!("Dates: {} to {}", format_day(a), format_day(b))
        }
        _ => "Dates: no incidents".into(),
    });
    paras.push(if spec.filters.is_empty() {
        "Filters: none besides dates".into()
    } else {
        format!("Filters: {}", spec.filters.join("; "))
    });
    if !inc.sources.is_empty() {
        let top: Vec<String> = inc
            .sources
            .iter()
            .take(6)
            .map(|(n, c)| format!("{n} ({})", group(*c)))
            .collect();
        let more = inc.sources.len().saturating_sub(6);
        paras.push(format!(
            "Sources of the incidents{}: {}{}",
            if spec.animation {
                " (whole animation)"
            } else {
                ""
            },
            top.join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        ));
    }
    paras.push(
        "Figures and locations are as reported by the sources; casualty figures are claims.".into(),
    );
    paras.push(
        "The Durand Line is not recognised by Afghanistan; the line is shown as a de facto border."
            .into(),
    );
    for para in paras {
        for l in wrap(&para, r.w, size) {
            if y + lh > r.bottom() {
                return y;
            }
            y += lh;
            let _ = write!(
                o,
                r##"<text x="{}" y="{}" font-size="{}" fill="#333333">{}</text>"##,
                n(r.x),
                n(y),
                n(size),
                esc(&l)
            );
        }
        y += 0.8 * s;
    }
    y
}

/// The locator: the region with the map frame outlined.
fn inset(o: &mut String, layers: &BaseLayers, style: &Style, merc: &Mercator, r: Rect, s: f64) {
    let st = &style.layers;
    let vb = merc.visible_bbox();
    let region = layers
        .countries
        .bbox()
        .or_else(|| layers.border.bbox())
        .unwrap_or(REGION_BBOX);
    // At least 2.5 times the frame, so a whole-border frame still sits in context.
    let (cx, cy) = ((vb[0] + vb[2]) / 2.0, (vb[1] + vb[3]) / 2.0);
    let (hw, hh) = ((vb[2] - vb[0]) * 1.25, (vb[3] - vb[1]) * 1.25);
    let bbox = [
        region[0].min(cx - hw).max(-180.0),
        region[1].min(cy - hh).max(-85.0),
        region[2].max(cx + hw).min(180.0),
        region[3].max(cy + hh).min(85.0),
    ];
    let Ok(m) = Mercator::fit(bbox, r.inflate(-0.5 * s)) else {
        return;
    };
    let _ = write!(
        o,
        r#"<clipPath id="inset-clip"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath><g clip-path="url(#inset-clip)"><rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
        n(r.x),
        n(r.y),
        n(r.w),
        n(r.h),
        n(r.x),
        n(r.y),
        n(r.w),
        n(r.h),
        style.background
    );
    let small = 0.5;
    let thin = |a: &AreaStyle| AreaStyle {
        width: a.width * 0.6,
        ..a.clone()
    };
    area(
        o,
        &project_rings(&m, &layers.neighbours.rings, small),
        &thin(&st.neighbours),
        s,
    );
    area(
        o,
        &project_rings(&m, &layers.countries.rings, small),
        &thin(&st.countries),
        s,
    );
    let b = LineStyle {
        width: st.border.width * 0.6,
        halo: None,
        ..st.border.clone()
    };
    line(
        o,
        &project_lines(&m, &layers.border.lines, &r, small),
        &b,
        s,
        false,
    );
    let (x0, y1) = m.project(vb[0], vb[1]);
    let (x1, y0) = m.project(vb[2], vb[3]);
    let _ = write!(
        o,
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#1a1a1a" fill-opacity="0.1" stroke="#1a1a1a" stroke-width="{}"/></g>"##,
        n(x0),
        n(y0),
        n((x1 - x0).max(0.6 * s)),
        n((y1 - y0).max(0.6 * s)),
        n(0.4 * s)
    );
    let _ = write!(
        o,
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#333333" stroke-width="{}"/><text x="{}" y="{}" font-size="{}" fill="#4a4a4a">Locator: map frame outlined</text>"##,
        n(r.x),
        n(r.y),
        n(r.w),
        n(r.h),
        n(0.25 * s),
        n(r.x),
        n(r.bottom() + 2.6 * s),
        n(1.9 * s)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_km(73.0), 50.0);
        assert_eq!(nice_km(190.0), 100.0);
        assert_eq!(nice_km(210.0), 200.0);
        assert_eq!(group(1234567), "1,234,567");
        assert_eq!(deg_label(71.5, 'E', 'W'), "71.5°E");
        assert_eq!(deg_label(-3.0, 'N', 'S'), "3°S");
    }

    #[test]
    fn wrapping_respects_width() {
        let lines = wrap(
            "Sources of the incidents: Dawn (12), Express Tribune (8), ISPR (3)",
            40.0,
            2.2,
        );
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 2.2, false) <= 40.0));
    }
}
