//! Distances on the WGS84 ellipsoid, and cheap conservative bounds for them.
//!
//! Exact distances use Karney's algorithm ([`geographiclib_rs`], accurate to a few
//! nanometres). Indexes avoid calling it: they work with unit vectors on a sphere
//! (geodetic latitude used as spherical latitude) and the central angle `θ` between
//! two such vectors. The ellipsoidal geodesic distance `s` is then bounded by
//!
//! `a(1−e²)·θ ≤ s ≤ a/√(1−e²)·θ`
//!
//! because the map from that sphere to the ellipsoid stretches every direction by a
//! factor between the two principal radii of curvature `M(φ)` and `N(φ)`, both of
//! which lie in `[a(1−e²), a/√(1−e²)]` (`M` = a(1−e²) at the equator, both equal
//! a/√(1−e²) at the poles). The bounds here are widened by a relative 1e-12 for
//! rounding; the claim itself is checked numerically in the tests.
//!
//! ```
//! use atlas::geodesic::{distance_km, SphereBounds, unit_vector, chord_to_angle, chord};
//! let s = distance_km(71.096, 34.110, 66.452, 30.918);
//! assert!(s > 500.0 && s < 600.0, "{s}");
//! let a = unit_vector(71.096, 34.110);
//! let b = unit_vector(66.452, 30.918);
//! let theta = chord_to_angle(chord(&a, &b));
//! assert!(SphereBounds::lower_km(theta) <= s && s <= SphereBounds::upper_km(theta));
//! ```

use geographiclib_rs::{Geodesic, InverseGeodesic};
use std::sync::LazyLock;

/// WGS84 semi-major axis in metres.
pub const WGS84_A: f64 = 6_378_137.0;
/// WGS84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// WGS84 first eccentricity squared, `f(2−f)`.
pub const WGS84_E2: f64 = WGS84_F * (2.0 - WGS84_F);

/// Relative widening applied to the sphere bounds to absorb rounding.
const SLACK: f64 = 1e-12;
/// Absolute widening in km (1 µm): unit vectors at the poles carry ~1e-16 of rounding,
/// so two "pole" points of different longitude are not at exactly zero angle.
const SLACK_KM: f64 = 1e-9;

static WGS84: LazyLock<Geodesic> = LazyLock::new(Geodesic::wgs84);

/// The shared WGS84 [`Geodesic`] (built once; constructing one costs a few microseconds).
pub fn wgs84() -> &'static Geodesic {
    &WGS84
}

/// Geodesic distance on WGS84 in kilometres between `(lon1, lat1)` and `(lon2, lat2)` (degrees).
///
/// ```
/// let d = atlas::geodesic::distance_km(0.0, 0.0, 1.0, 0.0);
/// assert!((d - 111.319_490_793).abs() < 1e-6);
/// ```
pub fn distance_km(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    distance_m(lon1, lat1, lon2, lat2) / 1000.0
}

/// Geodesic distance on WGS84 in metres.
pub fn distance_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let s: f64 = WGS84.inverse(lat1, lon1, lat2, lon2);
    s
}

/// Geodesic distance on WGS84 in kilometres by Vincenty's inverse formula: agrees with
/// Karney's algorithm to well under a millimetre away from nearly antipodal points and
/// costs about a fifth. When the iteration does not settle (nearly antipodal points) the
/// answer comes from [`distance_km`].
///
/// ```
/// let (v, k) = (
///     atlas::geodesic::vincenty_km(71.096, 34.110, 66.452, 30.918),
///     atlas::geodesic::distance_km(71.096, 34.110, 66.452, 30.918),
/// );
/// assert!((v - k).abs() < 1e-6, "{v} vs {k}");
/// ```
pub fn vincenty_km(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    vincenty_m(lon1, lat1, lon2, lat2).unwrap_or_else(|| distance_m(lon1, lat1, lon2, lat2))
        / 1000.0
}

/// Reduced-latitude sine and cosine, `tan β = (1−f)·tan φ`.
#[inline]
fn reduced(lat: f64) -> (f64, f64) {
    let (s, c) = lat.to_radians().sin_cos();
    let (s, c) = ((1.0 - WGS84_F) * s, c);
    let h = s.hypot(c);
    (s / h, c / h)
}

/// Vincenty's inverse on WGS84 in metres; `None` when it does not converge.
fn vincenty_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> Option<f64> {
    const B: f64 = WGS84_A * (1.0 - WGS84_F);
    let f = WGS84_F;
    let l = (lon2 - lon1).to_radians();
    let (su1, cu1) = reduced(lat1);
    let (su2, cu2) = reduced(lat2);
    let mut lambda = l;
    for _ in 0..60 {
        let (sl, cl) = lambda.sin_cos();
        let (x, y) = (cu2 * sl, cu1 * su2 - su1 * cu2 * cl);
        let ss = (x * x + y * y).sqrt();
        if ss == 0.0 {
            return Some(0.0);
        }
        let cs = su1 * su2 + cu1 * cu2 * cl;
        let sigma = ss.atan2(cs);
        let sa = cu1 * cu2 * sl / ss;
        let c2a = 1.0 - sa * sa;
        let c2sm = if c2a != 0.0 {
            cs - 2.0 * su1 * su2 / c2a
        } else {
            0.0
        };
        let c = f / 16.0 * c2a * (4.0 + f * (4.0 - 3.0 * c2a));
        let prev = lambda;
        lambda = l
            + (1.0 - c) * f * sa * (sigma + c * ss * (c2sm + c * cs * (-1.0 + 2.0 * c2sm * c2sm)));
        if (lambda - prev).abs() < 1e-12 {
            let u2 = c2a * (WGS84_A * WGS84_A - B * B) / (B * B);
            let aa = 1.0 + u2 / 16384.0 * (4096.0 + u2 * (-768.0 + u2 * (320.0 - 175.0 * u2)));
            let bb = u2 / 1024.0 * (256.0 + u2 * (-128.0 + u2 * (74.0 - 47.0 * u2)));
            let ds = bb
                * ss
                * (c2sm
                    + bb / 4.0
                        * (cs * (-1.0 + 2.0 * c2sm * c2sm)
                            - bb / 6.0
                                * c2sm
                                * (-3.0 + 4.0 * ss * ss)
                                * (-3.0 + 4.0 * c2sm * c2sm)));
            return Some(B * aa * (sigma - ds));
        }
    }
    None
}

/// Unit vector (Earth-centred, Earth-fixed axes) of a position on the unit sphere,
/// taking the geodetic latitude as the spherical latitude.
///
/// ```
/// let v = atlas::geodesic::unit_vector(90.0, 0.0);
/// assert!(v[0].abs() < 1e-15 && (v[1] - 1.0).abs() < 1e-15 && v[2].abs() < 1e-15);
/// ```
pub fn unit_vector(lon: f64, lat: f64) -> [f64; 3] {
    let (sl, cl) = lon.to_radians().sin_cos();
    let (sp, cp) = lat.to_radians().sin_cos();
    [cp * cl, cp * sl, sp]
}

/// Euclidean (chord) distance between two vectors.
pub fn chord(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    chord2(a, b).sqrt()
}

/// Squared chord distance.
#[inline]
pub fn chord2(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    let dz = a[2] - b[2];
    dx * dx + dy * dy + dz * dz
}

/// Central angle (radians) of a chord of the unit sphere; chords above 2 give π.
pub fn chord_to_angle(c: f64) -> f64 {
    2.0 * (c * 0.5).clamp(0.0, 1.0).asin()
}

/// Chord of a central angle (radians); angles at or above π give 2.
pub fn angle_to_chord(theta: f64) -> f64 {
    if theta >= std::f64::consts::PI {
        2.0
    } else {
        2.0 * (theta.max(0.0) * 0.5).sin()
    }
}

/// Conservative bounds between the unit-sphere central angle and the WGS84 distance.
#[derive(Debug, Clone, Copy)]
pub struct SphereBounds;

impl SphereBounds {
    /// Smallest stretch, `a(1−e²)`, in km per radian (the meridional radius at the equator).
    pub const K_MIN_KM: f64 = WGS84_A * (1.0 - WGS84_E2) / 1000.0;
    /// Largest stretch, `a/√(1−e²)`, in km per radian (the radius of curvature at the poles).
    pub fn k_max_km() -> f64 {
        WGS84_A / (1.0 - WGS84_E2).sqrt() / 1000.0
    }
    /// A lower bound in km of the WGS84 distance between points `theta` radians apart on the sphere.
    pub fn lower_km(theta: f64) -> f64 {
        (Self::K_MIN_KM * theta * (1.0 - SLACK) - SLACK_KM).max(0.0)
    }
    /// An upper bound in km of the WGS84 distance.
    pub fn upper_km(theta: f64) -> f64 {
        Self::k_max_km() * theta * (1.0 + SLACK) + SLACK_KM
    }
    /// Squared chord below which every point is within `km` on WGS84 (may be 0).
    pub fn chord2_surely_within(km: f64) -> f64 {
        let theta = (km - SLACK_KM).max(0.0) / Self::k_max_km() * (1.0 - 4.0 * SLACK);
        let c = angle_to_chord(theta) * (1.0 - 4.0 * SLACK);
        c * c
    }
    /// Squared chord above which every point is farther than `km` on WGS84
    /// (`f64::INFINITY` when no point on Earth can be excluded).
    pub fn chord2_surely_beyond(km: f64) -> f64 {
        let theta = (km + SLACK_KM) / Self::K_MIN_KM * (1.0 + 4.0 * SLACK);
        if theta >= std::f64::consts::PI {
            return f64::INFINITY;
        }
        let c = angle_to_chord(theta) * (1.0 + 4.0 * SLACK);
        c * c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vincenty's inverse formula on WGS84 (the crate's, an independent second algorithm
    /// to check Karney's against); NaN where it does not converge.
    fn vincenty_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
        super::vincenty_m(lon1, lat1, lon2, lat2).unwrap_or(f64::NAN)
    }

    /// A small deterministic generator (no dependency on test-order).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn published_values() {
        // One degree of longitude on the equator = a·π/180.
        let s = distance_m(0.0, 0.0, 1.0, 0.0);
        assert!(
            (s - WGS84_A * std::f64::consts::PI / 180.0).abs() < 1e-6,
            "{s}"
        );
        // Pole to pole along a meridian = 2 × the meridian quadrant 10,001,965.729 m.
        let s = distance_m(0.0, -90.0, 0.0, 90.0);
        assert!((s - 20_003_931.458_6).abs() < 1e-3, "{s}");
    }

    #[test]
    fn karney_agrees_with_vincenty_away_from_antipodes() {
        let mut r = Lcg(7);
        for _ in 0..20_000 {
            let (lon1, lat1) = (r.next() * 360.0 - 180.0, r.next() * 178.0 - 89.0);
            let (lon2, lat2) = (r.next() * 360.0 - 180.0, r.next() * 178.0 - 89.0);
            // Stay away from nearly antipodal pairs, where Vincenty fails to converge.
            let a = unit_vector(lon1, lat1);
            let b = unit_vector(lon2, lat2);
            if chord_to_angle(chord(&a, &b)) > 2.9 {
                continue;
            }
            let k = distance_m(lon1, lat1, lon2, lat2);
            let v = vincenty_m(lon1, lat1, lon2, lat2);
            assert!(
                (k - v).abs() < 1e-3,
                "{lon1},{lat1} {lon2},{lat2}: {k} vs {v}"
            );
        }
        // And on the border region, at short range.
        for _ in 0..20_000 {
            let (lon1, lat1) = (60.5 + r.next() * 14.5, 29.0 + r.next() * 9.5);
            let (lon2, lat2) = (lon1 + r.next() - 0.5, lat1 + r.next() - 0.5);
            let k = distance_m(lon1, lat1, lon2, lat2);
            let v = vincenty_m(lon1, lat1, lon2, lat2);
            assert!((k - v).abs() < 1e-3, "{k} vs {v}");
        }
    }

    #[test]
    fn fast_vincenty_agrees_with_karney() {
        let mut r = Lcg(17);
        for _ in 0..50_000 {
            let (lon1, lat1) = (58.0 + r.next() * 20.0, 22.0 + r.next() * 20.0);
            let (lon2, lat2) = (58.0 + r.next() * 20.0, 22.0 + r.next() * 20.0);
            let (v, k) = (
                vincenty_km(lon1, lat1, lon2, lat2),
                distance_km(lon1, lat1, lon2, lat2),
            );
            assert!(
                (v - k).abs() < 1e-7,
                "{lon1},{lat1} {lon2},{lat2}: {v} vs {k}"
            );
        }
        for _ in 0..20_000 {
            let (lon1, lat1) = (r.next() * 360.0 - 180.0, r.next() * 180.0 - 90.0);
            let (lon2, lat2) = (r.next() * 360.0 - 180.0, r.next() * 180.0 - 90.0);
            let (v, k) = (
                vincenty_km(lon1, lat1, lon2, lat2),
                distance_km(lon1, lat1, lon2, lat2),
            );
            assert!(
                (v - k).abs() < 1e-6,
                "{lon1},{lat1} {lon2},{lat2}: {v} vs {k}"
            );
        }
        // Nearly antipodal: falls back to Karney.
        let (v, k) = (
            vincenty_km(0.0, 0.0, 179.7, 0.1),
            distance_km(0.0, 0.0, 179.7, 0.1),
        );
        assert!((v - k).abs() < 1e-6, "{v} vs {k}");
        assert_eq!(vincenty_km(10.0, 20.0, 10.0, 20.0), 0.0);
    }

    #[test]
    fn sphere_bounds_hold() {
        let mut r = Lcg(11);
        let mut worst_lo: f64 = f64::INFINITY;
        let mut worst_hi: f64 = 0.0;
        let mut check = |lon1: f64, lat1: f64, lon2: f64, lat2: f64| {
            let s = distance_km(lon1, lat1, lon2, lat2);
            let theta = chord_to_angle(chord(&unit_vector(lon1, lat1), &unit_vector(lon2, lat2)));
            assert!(
                SphereBounds::lower_km(theta) <= s && s <= SphereBounds::upper_km(theta),
                "{lon1},{lat1} {lon2},{lat2}: {s} not in bounds of θ={theta}"
            );
            if theta > 1e-3 {
                worst_lo = worst_lo.min(s / (SphereBounds::K_MIN_KM * theta));
                worst_hi = worst_hi.max(s / (SphereBounds::k_max_km() * theta));
            }
        };
        for _ in 0..50_000 {
            check(
                r.next() * 360.0 - 180.0,
                r.next() * 180.0 - 90.0,
                r.next() * 360.0 - 180.0,
                r.next() * 180.0 - 90.0,
            );
        }
        // Short distances in every latitude band, along meridians and parallels (the extreme directions).
        for i in 0..=180 {
            let lat = i as f64 - 90.0;
            for d in [1e-4, 1e-2, 0.3, 2.0] {
                check(10.0, lat, 10.0 + d, lat);
                check(10.0, lat, 10.0, (lat + d).min(90.0));
                check(179.9, lat, -179.9 + d, lat);
            }
        }
        // The bounds are nearly tight: ratios approach 1 at the extremes.
        assert!((1.0..1.0 + 1e-4).contains(&worst_lo), "{worst_lo}");
        assert!(worst_hi <= 1.0 && worst_hi > 1.0 - 1e-3, "{worst_hi}");
    }

    #[test]
    fn chord_thresholds_are_conservative() {
        let mut r = Lcg(3);
        for _ in 0..20_000 {
            let (lon1, lat1) = (60.5 + r.next() * 14.5, 29.0 + r.next() * 9.5);
            let (lon2, lat2) = (lon1 + r.next() - 0.5, lat1 + r.next() - 0.5);
            let km = r.next() * 60.0;
            let c2 = chord2(&unit_vector(lon1, lat1), &unit_vector(lon2, lat2));
            let s = distance_km(lon1, lat1, lon2, lat2);
            if c2 <= SphereBounds::chord2_surely_within(km) {
                assert!(s <= km);
            }
            if c2 > SphereBounds::chord2_surely_beyond(km) {
                assert!(s > km);
            }
        }
        assert_eq!(SphereBounds::chord2_surely_beyond(30_000.0), f64::INFINITY);
        assert_eq!(SphereBounds::chord2_surely_within(0.0), 0.0);
        assert!((angle_to_chord(chord_to_angle(1.3)) - 1.3).abs() < 1e-14);
    }
}
