//! Greedy label placement: each label takes the first candidate position that stays
//! inside the frame and overlaps nothing placed before it.

use super::fonts::text_width;
use super::page::Placed;
use super::projection::Rect;

/// Clear space kept around every label (mm).
pub const LABEL_PAD: f64 = 0.6;

/// The occupied areas of the map and the bounds labels must stay in.
///
/// ```
/// use atlas::export::labels::Placer;
/// use atlas::export::projection::Rect;
/// let mut p = Placer::new(Rect::new(0.0, 0.0, 100.0, 100.0));
/// assert!(p.try_place(Rect::new(10.0, 10.0, 20.0, 5.0)));
/// assert!(!p.try_place(Rect::new(15.0, 12.0, 20.0, 5.0)));
/// assert!(!p.try_place(Rect::new(95.0, 50.0, 20.0, 5.0)));
/// ```
#[derive(Debug, Clone)]
pub struct Placer {
    bounds: Rect,
    taken: Vec<Rect>,
}

impl Placer {
    pub fn new(bounds: Rect) -> Placer {
        Placer {
            bounds,
            taken: Vec::new(),
        }
    }

    /// Mark an area as occupied (a symbol, the scale bar).
    pub fn block(&mut self, r: Rect) {
        self.taken.push(r);
    }

    /// Whether `r` is free and inside the bounds.
    pub fn fits(&self, r: &Rect) -> bool {
        self.bounds.contains(r) && !self.taken.iter().any(|t| t.intersects(r))
    }

    /// Take `r` (grown by [`LABEL_PAD`]) if it is free.
    pub fn try_place(&mut self, r: Rect) -> bool {
        let padded = r.inflate(LABEL_PAD);
        if self.fits(&padded) {
            self.taken.push(padded);
            true
        } else {
            false
        }
    }

    /// Place a point's label right, left, above or below its symbol (radius `r`);
    /// on success the symbol's area is taken too.
    pub(crate) fn point_label(
        &mut self,
        text: &str,
        x: f64,
        y: f64,
        r: f64,
        size: f64,
        bold: bool,
    ) -> Option<Placed> {
        let w = text_width(text, size, bold);
        let asc = size * 0.74;
        let desc = size * 0.24;
        let gap = r + size * 0.25;
        let dot = Rect::new(x - r, y - r, 2.0 * r, 2.0 * r);
        if !self.fits(&dot) {
            return None;
        }
        let cands = [
            (x + gap, y + (asc - desc) / 2.0, "start", x + gap),
            (x - gap, y + (asc - desc) / 2.0, "end", x - gap - w),
            (x, y - gap - desc, "middle", x - w / 2.0),
            (x, y + gap + asc, "middle", x - w / 2.0),
        ];
        for (tx, ty, anchor, left) in cands {
            let rect = Rect::new(left, ty - asc, w, asc + desc);
            if self.try_place(rect) {
                self.taken.push(dot);
                return Some(Placed {
                    x: tx,
                    y: ty,
                    anchor,
                });
            }
        }
        None
    }
}
