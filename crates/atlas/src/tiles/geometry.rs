//! From Web Mercator world coordinates (the unit square of [`world_xy`](super::world_xy))
//! to MVT geometry commands: tile units, a radial pre-pass, clipping to the tile plus its
//! [`BUFFER`], Douglas–Peucker at [`TOLERANCE`], quantisation to integers, removal of
//! repeated points and, for polygons, the MVT 2.1 winding (exterior rings positive area,
//! clockwise with y down; interior rings negative).

use super::clip::{clip_line, clip_ring, Pt};
use super::simplify::{douglas_peucker, radial};
use super::{TileId, BUFFER, EXTENT};

/// Simplification tolerance in tile units (of [`EXTENT`]).
pub const TOLERANCE: f64 = 1.0;

const MOVE_TO: u32 = 1;
const LINE_TO: u32 = 2;
const CLOSE_PATH: u32 = 7;

/// World → tile units for one tile.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    scale: f64,
    ox: f64,
    oy: f64,
}

impl Frame {
    pub(crate) fn new(tile: TileId) -> Self {
        let e = EXTENT as f64;
        Frame {
            scale: tile.count() * e,
            ox: tile.x as f64 * e,
            oy: tile.y as f64 * e,
        }
    }

    fn px(&self, w: Pt) -> Pt {
        // Clamped so that absurd input stays finite through clipping.
        const FAR: f64 = 1e9;
        (
            (w.0 * self.scale - self.ox).clamp(-FAR, FAR),
            (w.1 * self.scale - self.oy).clamp(-FAR, FAR),
        )
    }
}

/// Twice the signed area of a ring by the surveyor's formula, in tile coordinates (positive:
/// clockwise on screen, i.e. an MVT exterior ring).
pub fn ring_area2(ring: &[(i64, i64)]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

fn command(id: u32, count: usize) -> u32 {
    (id & 7) | ((count as u32) << 3)
}

fn zigzag(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

/// Geometry commands of one feature under construction, with reusable buffers.
#[derive(Debug, Default)]
pub(crate) struct GeomWriter {
    pub(crate) cmds: Vec<u32>,
    cursor: (i32, i32),
    buf: Vec<Pt>,
    parts: Vec<Vec<Pt>>,
    q: Vec<(i32, i32)>,
    qi: Vec<(i64, i64)>,
}

const LO: f64 = -(BUFFER as f64);
const HI: f64 = EXTENT as f64 + BUFFER as f64;

impl GeomWriter {
    pub(crate) fn clear(&mut self) {
        self.cmds.clear();
        self.cursor = (0, 0);
    }

    fn quantise(&mut self, pts: &[Pt]) {
        self.q.clear();
        for p in pts {
            let v = (p.0.round() as i32, p.1.round() as i32);
            if self.q.last() != Some(&v) {
                self.q.push(v);
            }
        }
    }

    fn delta(&mut self, p: (i32, i32)) {
        self.cmds.push(zigzag(p.0 - self.cursor.0));
        self.cmds.push(zigzag(p.1 - self.cursor.1));
        self.cursor = p;
    }

    /// Emit `self.q` as MoveTo + LineTo (+ ClosePath for a ring).
    fn emit(&mut self, close: bool) {
        let q = std::mem::take(&mut self.q);
        if let Some((&first, rest)) = q.split_first() {
            self.cmds.push(command(MOVE_TO, 1));
            self.delta(first);
            self.cmds.push(command(LINE_TO, rest.len()));
            for &p in rest {
                self.delta(p);
            }
            if close {
                self.cmds.push(command(CLOSE_PATH, 1));
            }
        }
        self.q = q;
    }

    /// Add a line in world coordinates (non-finite points skipped): one LineString part per
    /// stretch inside the buffered tile. Returns whether anything was added.
    pub(crate) fn line(&mut self, frame: &Frame, world: impl Iterator<Item = Pt>) -> bool {
        self.buf.clear();
        radial(
            world
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .map(|w| frame.px(w)),
            TOLERANCE / 2.0,
            &mut self.buf,
        );
        let mut parts = std::mem::take(&mut self.parts);
        parts.clear();
        clip_line(&self.buf, LO, HI, &mut parts);
        let mut added = false;
        for part in &parts {
            let s = douglas_peucker(part, TOLERANCE);
            self.quantise(&s);
            if self.q.len() >= 2 {
                self.emit(false);
                added = true;
            }
        }
        self.parts = parts;
        added
    }

    /// One ring, clipped, simplified and quantised into `self.q` with the sign of its area
    /// (0 when dropped: fewer than 3 distinct points, or no area).
    fn ring(&mut self, frame: &Frame, world: impl Iterator<Item = Pt>) -> i64 {
        self.buf.clear();
        radial(
            world
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .map(|w| frame.px(w)),
            TOLERANCE / 2.0,
            &mut self.buf,
        );
        let mut r = clip_ring(&self.buf, LO, HI);
        let Some(&first) = r.first() else {
            return 0;
        };
        r.push(first);
        let s = douglas_peucker(&r, TOLERANCE);
        self.quantise(&s);
        while self.q.len() > 1 && self.q.first() == self.q.last() {
            self.q.pop();
        }
        if self.q.len() < 3 {
            return 0;
        }
        self.qi.clear();
        self.qi
            .extend(self.q.iter().map(|&(x, y)| (x as i64, y as i64)));
        ring_area2(&self.qi).signum()
    }

    /// Add a polygon in world coordinates (first ring exterior, then holes). A polygon whose
    /// exterior vanishes in this tile is left out with its holes. Returns whether anything
    /// was added.
    pub(crate) fn polygon<'a, R>(&mut self, frame: &Frame, rings: R) -> bool
    where
        R: IntoIterator,
        R::Item: IntoIterator<Item = &'a Pt>,
    {
        let mut added = false;
        for (i, ring) in rings.into_iter().enumerate() {
            let sign = self.ring(frame, ring.into_iter().copied());
            if sign == 0 {
                if i == 0 {
                    return false;
                }
                continue;
            }
            // Exterior: positive area; holes: negative.
            if (i == 0) != (sign > 0) {
                self.q.reverse();
            }
            self.emit(true);
            added = true;
        }
        added
    }
}
