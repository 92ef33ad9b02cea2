//! Mapbox Vector Tiles (MVT 2.1) for the map: tile addressing in Web Mercator, a small
//! protobuf encoder for points, lines and polygons, and a decoder used by tests and tools.
//!
//! The encoder is hand-rolled (no protobuf dependency): each layer deduplicates its keys
//! and values; features carry an id, tags and a geometry ([`TileBuilder`]). Lines and
//! polygons are clipped to the tile plus its [`BUFFER`] ([`clip`]: Sutherland–Hodgman for
//! rings, Liang–Barsky for lines), simplified at the tile's resolution ([`simplify`]:
//! a radial pre-pass and Douglas–Peucker at [`TOLERANCE`] tile units), quantised with
//! repeated points removed, and written with MVT 2.1 winding (exterior rings clockwise on
//! screen, holes counter-clockwise). Researchers' layers are tiled by
//! [`crate::layer_tiles::LayerTiles`].
//!
//! Module map: [`encode`] (the builder and protobuf writing), [`geometry`] (world
//! coordinates to geometry commands), [`clip`], [`simplify`], [`decode`].
//!
//! ```
//! use atlas::tiles::{decode_tile, TileBuilder, TileId, Value};
//! let tile = TileId::new(6, 44, 25).unwrap();
//! let mut b = TileBuilder::new(tile);
//! let layer = b.layer("incidents");
//! assert!(b.add_point(layer, Some(7), 71.1, 34.1, &[("event_type", Value::Str("Battles"))]));
//! let bytes = b.encode();
//! let layers = decode_tile(&bytes).unwrap();
//! assert_eq!(layers[0].name, "incidents");
//! assert_eq!(layers[0].features[0].id, Some(7));
//! ```

pub mod clip;
pub mod decode;
pub mod encode;
pub mod geometry;
pub mod simplify;
#[cfg(test)]
mod tests;

pub use decode::{decode_tile, DecodedFeature, DecodedLayer};
pub use encode::{LayerIx, TileBuilder};
pub use geometry::TOLERANCE;

use std::f64::consts::PI;

/// Coordinate extent of a tile (MVT default).
pub const EXTENT: u32 = 4096;
/// Highest zoom served.
pub const MAX_ZOOM: u8 = 22;
/// Points this far outside a tile (in tile units) are still encoded, so symbols
/// that straddle tile edges are drawn on both sides.
pub const BUFFER: i32 = 256;

/// What went wrong with a tile address or a tile's bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TileError {
    #[error("zoom {0} out of range 0..={MAX_ZOOM}")]
    Zoom(u32),
    #[error("tile {x}/{y} does not exist at zoom {z}")]
    OutOfRange { z: u8, x: u32, y: u32 },
    #[error("not a tile path (want z/x/y.pbf): {0:?}")]
    Path(String),
    #[error("malformed vector tile: {0}")]
    Decode(&'static str),
    #[error("the layer has {given} features but its tiles were prepared for {built}")]
    LayerMismatch { built: usize, given: usize },
    #[error("clustering the layer's points: {0}")]
    Cluster(#[from] crate::cluster::ClusterError),
}

/// A tile address `z/x/y` (XYZ scheme, y grows southwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileId {
    /// A checked tile address.
    pub fn new(z: u32, x: u32, y: u32) -> Result<TileId, TileError> {
        if z > MAX_ZOOM as u32 {
            return Err(TileError::Zoom(z));
        }
        let z = z as u8;
        let n = 1u64 << z;
        if x as u64 >= n || y as u64 >= n {
            return Err(TileError::OutOfRange { z, x, y });
        }
        Ok(TileId { z, x, y })
    }

    /// Parse `z/x/y.pbf` (also `z/x/y.mvt` or `z/x/y`); a leading `/` is ignored.
    ///
    /// ```
    /// use atlas::tiles::TileId;
    /// assert_eq!(TileId::parse_path("/5/21/13.pbf").unwrap(), TileId::new(5, 21, 13).unwrap());
    /// assert!(TileId::parse_path("5/99/13.pbf").is_err());
    /// ```
    pub fn parse_path(path: &str) -> Result<TileId, TileError> {
        let bad = || TileError::Path(path.chars().take(80).collect());
        let p = path.trim_start_matches('/');
        let p = p
            .strip_suffix(".pbf")
            .or_else(|| p.strip_suffix(".mvt"))
            .unwrap_or(p);
        let mut it = p.split('/');
        let mut num = || -> Result<u32, TileError> {
            let s = it.next().ok_or_else(bad)?;
            if s.is_empty() || s.len() > 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse().map_err(|_| bad())
        };
        let (z, x, y) = (num()?, num()?, num()?);
        if it.next().is_some() {
            return Err(bad());
        }
        TileId::new(z, x, y)
    }

    /// Number of tiles along one axis at this zoom.
    pub fn count(&self) -> f64 {
        (1u64 << self.z) as f64
    }

    /// `[west, south, east, north]` in degrees.
    pub fn bounds(&self) -> [f64; 4] {
        let n = self.count();
        let lon = |x: f64| x / n * 360.0 - 180.0;
        let lat = |y: f64| (PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees();
        [
            lon(self.x as f64),
            lat(self.y as f64 + 1.0),
            lon(self.x as f64 + 1.0),
            lat(self.y as f64),
        ]
    }

    /// Bounds grown by `frac` of the tile size on every side (for the edge buffer),
    /// clamped to the Mercator range.
    pub fn bounds_buffered(&self, frac: f64) -> [f64; 4] {
        let n = self.count();
        let lon = |x: f64| (x / n * 360.0 - 180.0).clamp(-180.0, 180.0);
        let lat = |y: f64| {
            let y = y.clamp(0.0, n);
            (PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees()
        };
        let (x, y) = (self.x as f64, self.y as f64);
        [
            lon(x - frac),
            lat(y + 1.0 + frac),
            lon(x + 1.0 + frac),
            lat(y - frac),
        ]
    }

    /// Position of a WGS84 point in this tile's coordinates (0..[`EXTENT`] inside the tile).
    pub fn project(&self, lon: f64, lat: f64) -> (i32, i32) {
        let (wx, wy) = world_xy(lon, lat);
        let n = self.count();
        let e = EXTENT as f64;
        let x = ((wx * n - self.x as f64) * e).round();
        let y = ((wy * n - self.y as f64) * e).round();
        (
            x.clamp(i32::MIN as f64, i32::MAX as f64) as i32,
            y.clamp(i32::MIN as f64, i32::MAX as f64) as i32,
        )
    }
}

/// Web Mercator position of a WGS84 point, both axes in 0..1 (y southwards).
pub fn world_xy(lon: f64, lat: f64) -> (f64, f64) {
    let x = lon / 360.0 + 0.5;
    let s = lat.clamp(-85.051_128_78, 85.051_128_78).to_radians().sin();
    let y = 0.5 - 0.25 * ((1.0 + s) / (1.0 - s)).ln() / PI;
    (x, y.clamp(0.0, 1.0))
}

/// A property value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Str(&'a str),
    Int(i64),
    UInt(u64),
    Double(f64),
    Bool(bool),
}

/// A decoded property value.
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedValue {
    Str(String),
    Int(i64),
    UInt(u64),
    Double(f64),
    Float(f32),
    Bool(bool),
}
#[cfg(test)]
mod address_tests {
    use super::*;

    #[test]
    fn parse_paths() {
        assert_eq!(
            TileId::parse_path("0/0/0.pbf").unwrap(),
            TileId { z: 0, x: 0, y: 0 }
        );
        assert_eq!(
            TileId::parse_path("7/89/52").unwrap(),
            TileId { z: 7, x: 89, y: 52 }
        );
        for bad in [
            "",
            "1/2",
            "1/2/3/4.pbf",
            "a/b/c.pbf",
            "-1/0/0.pbf",
            "23/0/0.pbf",
            "1/2/0.pbf",
            "99999999999/0/0",
            "1/+1/0",
        ] {
            assert!(TileId::parse_path(bad).is_err(), "{bad}");
        }
        assert_eq!(TileId::new(23, 0, 0), Err(TileError::Zoom(23)));
    }

    #[test]
    fn bounds_and_projection_agree() {
        let t = TileId::new(6, 44, 25).unwrap();
        let [w, s, e, n] = t.bounds();
        assert!(w < e && s < n);
        assert_eq!(t.project(w, n), (0, 0));
        assert_eq!(t.project(e, s), (EXTENT as i32, EXTENT as i32));
        let world = TileId::new(0, 0, 0).unwrap().bounds();
        assert!((world[0] + 180.0).abs() < 1e-9 && (world[3] - 85.0511).abs() < 1e-3);
        let b = t.bounds_buffered(0.1);
        assert!(b[0] < w && b[1] < s && b[2] > e && b[3] > n);
    }
}
