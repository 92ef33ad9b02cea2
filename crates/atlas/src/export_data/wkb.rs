//! Well-Known Binary (OGC simple features, 2-D, little-endian) and the GeoPackageBinary
//! header in front of it (GeoPackage 1.3, §2.1.3).
//!
//! ```
//! use atlas::export_data::{gpkg_geometry, wkb};
//! use geo::{Geometry, Point};
//! let g = Geometry::Point(Point::new(71.09, 34.12));
//! let mut w = Vec::new();
//! wkb(&mut w, &g);
//! assert_eq!(w.len(), 21);
//! assert_eq!(&w[..5], &[1, 1, 0, 0, 0]); // little-endian, type 1 = Point
//! let gp = gpkg_geometry(&g, 4326);
//! assert_eq!(&gp[..4], b"GP\x00\x01"); // magic, version 0, flags: no envelope, little-endian
//! assert_eq!(&gp[8..], &w[..]);
//! ```

use geo::{BoundingRect, Coord, Geometry, LineString, Polygon};

const POINT: u32 = 1;
const LINESTRING: u32 = 2;
const POLYGON: u32 = 3;
const MULTIPOINT: u32 = 4;
const MULTILINESTRING: u32 = 5;
const MULTIPOLYGON: u32 = 6;
const COLLECTION: u32 = 7;

fn head(out: &mut Vec<u8>, t: u32) {
    out.push(1);
    out.extend_from_slice(&t.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn xy(out: &mut Vec<u8>, c: Coord<f64>) {
    out.extend_from_slice(&c.x.to_le_bytes());
    out.extend_from_slice(&c.y.to_le_bytes());
}

fn points(out: &mut Vec<u8>, cs: &[Coord<f64>]) {
    u32le(out, cs.len());
    for c in cs {
        xy(out, *c);
    }
}

fn line(out: &mut Vec<u8>, l: &LineString<f64>) {
    head(out, LINESTRING);
    points(out, &l.0);
}

fn polygon(out: &mut Vec<u8>, p: &Polygon<f64>) {
    head(out, POLYGON);
    if p.exterior().0.is_empty() {
        u32le(out, 0);
        return;
    }
    u32le(out, 1 + p.interiors().len());
    for r in std::iter::once(p.exterior()).chain(p.interiors()) {
        points(out, &r.0);
    }
}

/// Append the WKB of a geometry (Line as LineString, Rect and Triangle as Polygon).
pub fn wkb(out: &mut Vec<u8>, g: &Geometry<f64>) {
    match g {
        Geometry::Point(p) => {
            head(out, POINT);
            xy(out, p.0);
        }
        Geometry::Line(l) => {
            head(out, LINESTRING);
            points(out, &[l.start, l.end]);
        }
        Geometry::LineString(l) => line(out, l),
        Geometry::Polygon(p) => polygon(out, p),
        Geometry::MultiPoint(m) => {
            head(out, MULTIPOINT);
            u32le(out, m.0.len());
            for p in m {
                head(out, POINT);
                xy(out, p.0);
            }
        }
        Geometry::MultiLineString(m) => {
            head(out, MULTILINESTRING);
            u32le(out, m.0.len());
            for l in m {
                line(out, l);
            }
        }
        Geometry::MultiPolygon(m) => {
            head(out, MULTIPOLYGON);
            u32le(out, m.0.len());
            for p in m {
                polygon(out, p);
            }
        }
        Geometry::Rect(r) => polygon(out, &r.to_polygon()),
        Geometry::Triangle(t) => polygon(out, &t.to_polygon()),
        Geometry::GeometryCollection(c) => {
            head(out, COLLECTION);
            u32le(out, c.0.len());
            for g in c {
                wkb(out, g);
            }
        }
    }
}

/// The geometry as a GeoPackageBinary blob: header (magic `GP`, version 0, flags, SRS id,
/// envelope `[minx, maxx, miny, maxy]` for everything but points) and the WKB. A geometry
/// without coordinates gets the empty flag and no envelope.
pub fn gpkg_geometry(g: &Geometry<f64>, srs_id: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(b"GP\x00");
    let rect = g.bounding_rect();
    let (flags, env) = match (g, rect) {
        (_, None) => (0b0001_0001u8, None),
        (Geometry::Point(_), Some(_)) => (0b0000_0001, None),
        (_, Some(r)) => (0b0000_0011, Some(r)),
    };
    out.push(flags);
    out.extend_from_slice(&srs_id.to_le_bytes());
    if let Some(r) = env {
        for v in [r.min().x, r.max().x, r.min().y, r.max().y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    wkb(&mut out, g);
    out
}
