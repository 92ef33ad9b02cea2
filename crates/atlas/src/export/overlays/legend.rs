//! The legend sections of user layers and annotations.

use super::annotations::{annotation_stroke, pin};
use super::{OverlayShown, LINES, POLYGONS};
use crate::export::fonts::text_width;
use crate::export::page::fit_text;
use crate::export::projection::Rect;
use crate::export::style::PX_MM;
use crate::export::svg::{esc, n};
use crate::project::format::StyleBy;
use std::fmt::Write;

/// One legend entry.
enum Row {
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

/// One legend section: an optional heading and items set in `columns` columns.
struct Section {
    heading: Option<String>,
    items: Vec<Row>,
    columns: usize,
}

/// A section after capping: its heading and the items left, "… N more" included.
struct Block {
    heading: Option<String>,
    items: Vec<Row>,
    columns: usize,
}

impl Section {
    /// Rows taken when at most `cap` items are kept (a "… N more" item takes a slot).
    fn rows(&self, cap: usize) -> usize {
        let slots = self.items.len().min(cap) + usize::from(self.items.len() > cap);
        usize::from(self.heading.is_some()) + slots.div_ceil(self.columns)
    }
}

/// The legend sections of the overlays, drawn from `y` down to at most `limit`;
/// returns the y where they end.
///
/// Rules: one section per user layer drawn in the frame, the top layer first. A
/// single-colour layer is one row (its swatch and name). A layer styled by attribute
/// has its name as a heading and one entry per class: the categories drawn in the
/// frame (and `property: other` when drawn), every graduated class (and
/// `property: no value` when drawn); entries go in two columns when every label of
/// the section fits half the width. "Annotations (N)" follows when any is drawn. When
/// the rows do not fit, each section keeps its first entries (as many as lets all
/// sections fit) and ends with "… N more"; when even that does not fit, the last
/// layers give way to "… N more layers".
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
    let gap = 3.0 * s;
    let half_text = (r.w - gap) / 2.0 - sw - 2.0 * s;
    let mut sections: Vec<Section> = Vec::new();
    for l in &shown.layers {
        let all = l.kinds.iter().fold(0, |a, k| a | k);
        let swatch = |color: &str, kind: u8| -> Swatch {
            let st = l.style.clone().unwrap_or_default();
            // A class not drawn (a graduated class outside the frame) looks like the layer.
            let kind = if kind == 0 { all } else { kind };
            if kind & POLYGONS != 0 {
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
            } else if kind & LINES != 0 {
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
            sections.push(Section {
                heading: None,
                items: vec![Row::Item {
                    swatch: swatch(color, all),
                    label: l.name.clone(),
                }],
                columns: 1,
            });
            continue;
        }
        let graduated = matches!(
            l.style.as_ref().and_then(|st| st.by_attribute.as_ref()),
            Some(StyleBy::Graduated { .. })
        );
        let last = l.classes.len().saturating_sub(1);
        let items: Vec<Row> = l
            .classes
            .iter()
            .enumerate()
            .map(|(i, row)| (l.kinds.get(i).copied().unwrap_or(0), i, row))
            .filter(|(kind, i, _)| *kind != 0 || (graduated && *i < last))
            .map(|(kind, _, (label, color))| Row::Item {
                swatch: swatch(color, kind),
                label: label.clone(),
            })
            .collect();
        let narrow = items.iter().all(|it| match it {
            Row::Item { label, .. } => text_width(label, size, false) <= half_text,
            Row::More(..) => true,
        });
        sections.push(Section {
            heading: Some(l.name.clone()),
            columns: if narrow && items.len() > 2 { 2 } else { 1 },
            items,
        });
    }
    if shown.annotations > 0 {
        sections.push(Section {
            heading: None,
            items: vec![Row::Item {
                swatch: if shown.annotation_points {
                    Swatch::Pin
                } else {
                    Swatch::Dashed
                },
                label: format!("Annotations ({})", shown.annotations),
            }],
            columns: 1,
        });
    }
    let budget = ((limit - y) / row_h).floor().max(0.0) as usize;
    for b in cap_rows(sections, budget) {
        if let Some(t) = &b.heading {
            let _ = write!(
                o,
                r##"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="#333333">{}</text>"##,
                n(r.x),
                n(y + row_h / 2.0 + size * 0.36 + 0.3 * s),
                n(2.4 * s),
                esc(&fit_text(t, r.w, 2.4 * s, true))
            );
            y += row_h;
        }
        let rows = b.items.len().div_ceil(b.columns);
        let col_w = if b.columns > 1 {
            (r.w - gap) / 2.0
        } else {
            r.w
        };
        for (j, item) in b.items.into_iter().enumerate() {
            // Column by column, so classes read top to bottom.
            let (col, row) = (j / rows.max(1), j % rows.max(1));
            let x = r.x + col as f64 * (col_w + gap);
            let cy = y + row as f64 * row_h + row_h / 2.0;
            let text_x = x + sw + 2.0 * s;
            let text_w = col_w - sw - 2.0 * s;
            match item {
                Row::More(k, what) => {
                    let _ = write!(
                        o,
                        r##"<text x="{}" y="{}" font-size="{}" font-style="italic" fill="#4a4a4a">… {k} more{what}</text>"##,
                        n(text_x),
                        n(cy + size * 0.36),
                        n(size)
                    );
                }
                Row::Item { swatch, label } => {
                    swatch_svg(o, &swatch, x, cy, sw, s);
                    let _ = write!(
                        o,
                        r##"<text x="{}" y="{}" font-size="{}" fill="#1a1a1a">{}</text>"##,
                        n(text_x),
                        n(cy + size * 0.36),
                        n(size),
                        esc(&fit_text(&label, text_w, size, false))
                    );
                }
            }
        }
        y += rows as f64 * row_h;
    }
    y
}

fn px(v: f64, s: f64) -> f64 {
    v * PX_MM * s
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
                r##"<circle cx="{}" cy="{}" r="{}" fill="{fill}" stroke="#666666" stroke-width="{}"/>"##,
                n(cx),
                n(cy),
                n(*r),
                n(0.12 * s)
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
fn cap_rows(sections: Vec<Section>, budget: usize) -> Vec<Block> {
    let cost = |cap: usize| -> usize { sections.iter().map(|sec| sec.rows(cap)).sum() };
    let max_items = sections
        .iter()
        .map(|sec| sec.items.len())
        .max()
        .unwrap_or(0);
    let cap = (1..=max_items).rev().find(|c| cost(*c) <= budget);
    let keep = |sec: Section, cap: usize| -> Block {
        let more = sec.items.len().saturating_sub(cap);
        let mut items: Vec<Row> = sec.items.into_iter().take(cap).collect();
        if more > 0 {
            items.push(Row::More(more, ""));
        }
        Block {
            heading: sec.heading,
            items,
            columns: sec.columns,
        }
    };
    let mut out = Vec::new();
    match cap {
        Some(cap) => out.extend(sections.into_iter().map(|sec| keep(sec, cap))),
        None => {
            // Whole sections (one entry each) while one row is left for the rest.
            let total = sections.len();
            let mut used = 0;
            for (i, sec) in sections.into_iter().enumerate() {
                let need = sec.rows(1);
                let left = total - i - 1;
                if used + need + usize::from(left > 0) > budget {
                    if budget > used {
                        out.push(Block {
                            heading: None,
                            items: vec![Row::More(total - i, " layers")],
                            columns: 1,
                        });
                    }
                    break;
                }
                used += need;
                out.push(keep(sec, 1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(heading: &str, n: usize, columns: usize) -> Section {
        Section {
            heading: Some(heading.into()),
            items: (0..n)
                .map(|i| Row::Item {
                    swatch: Swatch::Dashed,
                    label: format!("c{i}"),
                })
                .collect(),
            columns,
        }
    }

    fn rows(blocks: &[Block]) -> usize {
        blocks
            .iter()
            .map(|b| usize::from(b.heading.is_some()) + b.items.len().div_ceil(b.columns))
            .sum()
    }

    #[test]
    fn legend_caps_rows_with_more() {
        let blocks = cap_rows(vec![section("a", 10, 1), section("b", 3, 1)], 9);
        assert!(rows(&blocks) <= 9);
        assert!(matches!(blocks[0].items.last(), Some(Row::More(7, ""))));
        // Two columns hold twice the entries.
        let blocks = cap_rows(vec![section("a", 10, 2)], 6);
        assert_eq!(rows(&blocks), 6);
        assert!(!blocks[0].items.iter().any(|r| matches!(r, Row::More(..))));
        let many: Vec<Section> = (0..10).map(|i| section(&format!("l{i}"), 3, 1)).collect();
        let blocks = cap_rows(many, 7);
        assert!(rows(&blocks) <= 7);
        let last = blocks.last().and_then(|b| b.items.last());
        assert!(matches!(last, Some(Row::More(_, " layers"))));
    }
}
