//! Web Mercator in the unit square and supercluster's fixed-point encoding of it.
//!
//! Supercluster 9 keeps every coordinate as an `Int32`: `(c - 0.5) * 2^30`, truncated
//! towards zero when stored in its `Int32Array` (ECMAScript `ToInt32`). The functions
//! here do the same arithmetic in the same order so that the integer grid — and hence
//! which points fall within a cluster radius — is the same as in JavaScript.
//!
//! ```
//! use atlas::cluster::mercator::{lng_x, lat_y, x_lng, y_lat, encode, decode};
//! assert_eq!(lng_x(0.0), 0.5);
//! assert!((y_lat(lat_y(34.12)) - 34.12).abs() < 1e-12);
//! assert!((x_lng(lng_x(71.09)) - 71.09).abs() < 1e-12);
//! assert_eq!(encode(0.5), 0);
//! assert!((decode(encode(0.75)) - 0.75).abs() < 1e-9);
//! ```

/// 2^30: the fixed-point scale of encoded coordinates.
pub const SCALE: f64 = 1_073_741_824.0;
const INV_SCALE: f64 = 1.0 / SCALE;

/// Longitude in degrees to mercator x in `[0, 1]`.
#[inline]
pub fn lng_x(lng: f64) -> f64 {
    lng / 360.0 + 0.5
}

/// Latitude in degrees to mercator y in `[0, 1]` (north is 0), clamped like supercluster.
#[inline]
pub fn lat_y(lat: f64) -> f64 {
    let sin = (lat * std::f64::consts::PI / 180.0).sin();
    let y = 0.5 - 0.25 * ((1.0 + sin) / (1.0 - sin)).ln() / std::f64::consts::PI;
    y.clamp(0.0, 1.0)
}

/// Mercator x back to longitude.
#[inline]
pub fn x_lng(x: f64) -> f64 {
    (x - 0.5) * 360.0
}

/// Mercator y back to latitude.
#[inline]
pub fn y_lat(y: f64) -> f64 {
    let y2 = (180.0 - y * 360.0) * std::f64::consts::PI / 180.0;
    360.0 * y2.exp().atan() / std::f64::consts::PI - 90.0
}

/// The unrounded encoded value `(c - 0.5) * 2^30` (supercluster passes these to range queries).
#[inline]
pub fn encode_f(c: f64) -> f64 {
    (c - 0.5) * SCALE
}

/// Encoded value as stored: truncated towards zero like an `Int32Array` store
/// (`NaN` becomes 0, as with ECMAScript `ToInt32`).
#[inline]
pub fn encode(c: f64) -> i32 {
    to_int32(encode_f(c))
}

/// Encoded value back to the unit square.
#[inline]
pub fn decode(v: i32) -> f64 {
    v as f64 * INV_SCALE + 0.5
}

/// ECMAScript `ToInt32` for values in `i32` range (truncation; `NaN` → 0). Values
/// outside the range saturate, which supercluster's inputs never reach.
#[inline]
pub fn to_int32(v: f64) -> i32 {
    v as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_truncates_towards_zero() {
        // 0.5 + 1.5/2^30 encodes to 1.5 → 1; 0.5 - 1.5/2^30 → -1.5 → -1.
        assert_eq!(encode(0.5 + 1.5 * INV_SCALE), 1);
        assert_eq!(encode(0.5 - 1.5 * INV_SCALE), -1);
        assert_eq!(encode(f64::NAN), 0);
    }

    #[test]
    fn lat_y_clamps_and_orients() {
        assert_eq!(lat_y(90.0), 0.0);
        assert_eq!(lat_y(-90.0), 1.0);
        assert!(lat_y(30.0) < 0.5);
        assert_eq!(lat_y(0.0), 0.5);
    }
}
