//! Web Mercator fitted to a frame on the page, in millimetres.

use super::ExportError;

/// Latitude limit of Web Mercator.
pub const MAX_LAT: f64 = 85.051_128_78;

/// A rectangle on the page, millimetres from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    /// Whether two rectangles overlap.
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }
    /// Whether `o` lies entirely inside.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.right() <= self.right() && o.bottom() <= self.bottom()
    }
    /// Grown by `d` on every side.
    pub fn inflate(&self, d: f64) -> Rect {
        Rect::new(self.x - d, self.y - d, self.w + 2.0 * d, self.h + 2.0 * d)
    }
}

/// Check a `[west, south, east, north]` box.
pub fn check_bbox(b: [f64; 4]) -> Result<(), ExportError> {
    let [w, s, e, n] = b;
    let ok = b.iter().all(|v| v.is_finite())
        && (-180.0..=180.0).contains(&w)
        && (-180.0..=180.0).contains(&e)
        && (-MAX_LAT..=MAX_LAT).contains(&s)
        && (-MAX_LAT..=MAX_LAT).contains(&n)
        && w < e
        && s < n;
    if ok {
        Ok(())
    } else {
        Err(ExportError::BBox(b))
    }
}

fn merc_y(lat: f64) -> f64 {
    let phi = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln()
}

fn merc_lat(y: f64) -> f64 {
    (2.0 * y.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees()
}

/// Web Mercator scaled and centred so that a lon/lat box fits a page frame; the
/// frame shows at least the box (more along one axis when the aspect ratios differ).
///
/// ```
/// use atlas::export::projection::{Mercator, Rect};
/// let frame = Rect::new(10.0, 20.0, 200.0, 150.0);
/// let m = Mercator::fit([60.0, 29.0, 75.0, 38.0], frame).unwrap();
/// let (x, y) = m.project(67.5, m.center_lat());
/// assert!((x - 110.0).abs() < 1e-9 && (y - 95.0).abs() < 1e-9);
/// let [w, s, e, n] = m.visible_bbox();
/// assert!(w <= 60.0 && e >= 75.0 && s <= 29.0 + 1e-9 && n >= 38.0 - 1e-9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mercator {
    /// Millimetres per radian of longitude.
    pub scale: f64,
    cx: f64,
    cy: f64,
    /// The frame the map fills.
    pub frame: Rect,
}

impl Mercator {
    /// Fit `bbox` (`[west, south, east, north]`) into `frame`.
    pub fn fit(bbox: [f64; 4], frame: Rect) -> Result<Mercator, ExportError> {
        check_bbox(bbox)?;
        let [w, s, e, n] = bbox;
        let (x0, x1) = (w.to_radians(), e.to_radians());
        let (y0, y1) = (merc_y(s), merc_y(n));
        let scale = (frame.w / (x1 - x0)).min(frame.h / (y1 - y0));
        Ok(Mercator {
            scale,
            cx: (x0 + x1) / 2.0,
            cy: (y0 + y1) / 2.0,
            frame,
        })
    }

    /// Page position (mm) of a lon/lat.
    #[inline]
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        let x = self.frame.x + self.frame.w / 2.0 + (lon.to_radians() - self.cx) * self.scale;
        let y = self.frame.y + self.frame.h / 2.0 - (merc_y(lat) - self.cy) * self.scale;
        (x, y)
    }

    /// Lon/lat of a page position.
    pub fn unproject(&self, x: f64, y: f64) -> (f64, f64) {
        let lon = ((x - self.frame.x - self.frame.w / 2.0) / self.scale + self.cx).to_degrees();
        let lat = merc_lat(self.cy - (y - self.frame.y - self.frame.h / 2.0) / self.scale);
        (lon, lat)
    }

    /// Latitude at the frame's centre.
    pub fn center_lat(&self) -> f64 {
        merc_lat(self.cy)
    }

    /// `[west, south, east, north]` shown by the whole frame.
    pub fn visible_bbox(&self) -> [f64; 4] {
        let f = self.frame;
        let (w, n) = self.unproject(f.x, f.y);
        let (e, s) = self.unproject(f.right(), f.bottom());
        [w, s, e, n]
    }

    /// Millimetres on the page for `km` on the ground along the parallel at `lat`
    /// (WGS84 ellipsoid radius of the parallel).
    pub fn mm_per_km(&self, lat: f64) -> f64 {
        const A: f64 = 6378.137;
        const E2: f64 = 0.006_694_379_990_14;
        let phi = lat.to_radians();
        let parallel_radius = A * phi.cos() / (1.0 - E2 * phi.sin().powi(2)).sqrt();
        self.scale / parallel_radius
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_scale() {
        let m = Mercator::fit([60.0, 29.0, 75.5, 38.5], Rect::new(0.0, 0.0, 200.0, 180.0)).unwrap();
        let (x, y) = m.project(71.09, 34.12);
        let (lon, lat) = m.unproject(x, y);
        assert!((lon - 71.09).abs() < 1e-9 && (lat - 34.12).abs() < 1e-9);
        // One degree of longitude at 34° N is 92.4 km on WGS84.
        let (x1, _) = m.project(71.0, 34.0);
        let (x2, _) = m.project(72.0, 34.0);
        let km = (x2 - x1) / m.mm_per_km(34.0);
        assert!((km - 92.39).abs() < 0.05, "{km}");
    }

    #[test]
    fn scale_matches_geographiclib_along_the_parallel() {
        use geographiclib_rs::{Geodesic, InverseGeodesic};
        let m = Mercator::fit([69.0, 32.0, 73.0, 36.0], Rect::new(0.0, 0.0, 200.0, 200.0)).unwrap();
        let lat = m.center_lat();
        // 50 km on the page at the centre latitude, measured back on the ellipsoid in
        // short steps along the parallel (the bar follows the parallel, not a geodesic).
        let len = 50.0 * m.mm_per_km(lat);
        let (x0, y) = m.project(70.0, lat);
        let g = Geodesic::wgs84();
        let steps = 100;
        let mut total = 0.0;
        for i in 0..steps {
            let (a, _) = m.unproject(x0 + len * i as f64 / steps as f64, y);
            let (b, _) = m.unproject(x0 + len * (i + 1) as f64 / steps as f64, y);
            let d: f64 = g.inverse(lat, a, lat, b);
            total += d;
        }
        assert!(
            (total / 1000.0 - 50.0).abs() < 0.01,
            "{} km",
            total / 1000.0
        );
    }

    #[test]
    fn bad_boxes() {
        for b in [
            [75.0, 29.0, 60.0, 38.0],
            [60.0, 38.0, 75.0, 29.0],
            [60.0, 29.0, 190.0, 38.0],
            [f64::NAN, 0.0, 1.0, 1.0],
        ] {
            assert!(matches!(
                Mercator::fit(b, Rect::new(0.0, 0.0, 1.0, 1.0)),
                Err(ExportError::BBox(_))
            ));
        }
    }
}
