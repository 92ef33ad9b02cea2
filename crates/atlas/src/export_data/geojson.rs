//! GeoJSON (RFC 7946) FeatureCollections, written feature by feature (no document tree):
//! incidents with every column of [`super::fields`] plus `sources`/`claims` as arrays, and
//! layers with their properties as they came.

use super::fields::{Cell, Col, Incidents, COLUMNS};
use crate::model::Layer;
use geo::{Coord, Geometry, LineString, Polygon};
use std::io::{self, Write};

fn json_str<W: Write>(w: &mut W, s: &str) -> io::Result<()> {
    serde_json::to_writer(&mut *w, s).map_err(io::Error::from)
}

fn num<W: Write>(w: &mut W, v: f64) -> io::Result<()> {
    if v.is_finite() {
        write!(w, "{v}")
    } else {
        w.write_all(b"null")
    }
}

fn cell<W: Write>(w: &mut W, c: &Cell<'_>) -> io::Result<()> {
    match c {
        Cell::Null => w.write_all(b"null"),
        Cell::Text(s) => json_str(w, s),
        Cell::Int(v) => write!(w, "{v}"),
        Cell::Real(v) => num(w, *v),
    }
}

/// A feature `id` kept as written: a JSON number when the text is one, else a string.
fn feature_id<W: Write>(w: &mut W, id: &str) -> io::Result<()> {
    let is_number = !id.is_empty()
        && serde_json::from_str::<serde_json::Number>(id).is_ok_and(|n| n.to_string() == id);
    if is_number {
        w.write_all(id.as_bytes())
    } else {
        json_str(w, id)
    }
}

/// One incident as a Feature object (no separator).
fn incident_feature<W: Write>(w: &mut W, inc: &Incidents<'_>, row: u32) -> io::Result<()> {
    let s = inc.store;
    let i = row as usize;
    w.write_all(b"{\"type\":\"Feature\",")?;
    let fid = s.feature_id(row);
    if !fid.is_empty() {
        w.write_all(b"\"id\":")?;
        feature_id(w, fid)?;
        w.write_all(b",")?;
    }
    let (lon, lat) = (s.lon[i], s.lat[i]);
    if lon.is_finite() && lat.is_finite() {
        w.write_all(b"\"geometry\":{\"type\":\"Point\",\"coordinates\":[")?;
        num(w, lon)?;
        w.write_all(b",")?;
        num(w, lat)?;
        w.write_all(b"]},")?;
    } else {
        w.write_all(b"\"geometry\":null,")?;
    }
    w.write_all(b"\"properties\":{")?;
    let prov = s.provenance.get(&row);
    let mut first = true;
    for col in COLUMNS.iter().copied().filter(|c| !c.is_coordinate()) {
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        json_str(w, col.name())?;
        w.write_all(b":")?;
        match col {
            Col::Sources => match prov {
                Some(p) => serde_json::to_writer(&mut *w, &p.sources)?,
                None => w.write_all(b"[]")?,
            },
            Col::Claims => match prov {
                Some(p) => serde_json::to_writer(&mut *w, &p.claims)?,
                None => w.write_all(b"[]")?,
            },
            _ => cell(w, &col.cell(inc, row))?,
        }
    }
    w.write_all(b"}}")
}

/// Write incidents as a FeatureCollection. Each feature has a Point geometry (null when the
/// incident has no location), the Feature `id` when the source had one, and the properties
/// of [`COLUMNS`] except latitude/longitude; `sources` and `claims` are arrays of objects,
/// as the importer reads them back. Features are formatted in blocks on the rayon pool and
/// written in order, one per line.
pub fn write_incidents<W: Write>(out: W, inc: &Incidents<'_>) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
    let rows: Vec<u32> = inc.live_rows().collect();
    let mut first = true;
    super::in_blocks(
        &rows,
        |block, buf| {
            for &row in block {
                buf.extend_from_slice(b",\n");
                incident_feature(buf, inc, row)?;
            }
            Ok::<(), io::Error>(())
        },
        |buf| {
            // The first feature of the collection has no comma before it.
            let bytes = if first {
                buf.get(1..).unwrap_or(&[])
            } else {
                buf
            };
            first &= buf.is_empty();
            w.write_all(bytes)
        },
    )?;
    w.write_all(b"\n]}\n")?;
    w.flush()
}

fn position<W: Write>(w: &mut W, c: Coord<f64>) -> io::Result<()> {
    w.write_all(b"[")?;
    num(w, c.x)?;
    w.write_all(b",")?;
    num(w, c.y)?;
    w.write_all(b"]")
}

fn positions<W: Write>(w: &mut W, cs: &[Coord<f64>]) -> io::Result<()> {
    w.write_all(b"[")?;
    for (k, c) in cs.iter().enumerate() {
        if k > 0 {
            w.write_all(b",")?;
        }
        position(w, *c)?;
    }
    w.write_all(b"]")
}

fn rings<W: Write>(w: &mut W, p: &Polygon<f64>) -> io::Result<()> {
    w.write_all(b"[")?;
    let all = std::iter::once(p.exterior()).chain(p.interiors());
    for (k, r) in all.enumerate() {
        if k > 0 {
            w.write_all(b",")?;
        }
        positions(w, &r.0)?;
    }
    w.write_all(b"]")
}

fn list<W: Write, T>(
    w: &mut W,
    items: &[T],
    mut f: impl FnMut(&mut W, &T) -> io::Result<()>,
) -> io::Result<()> {
    w.write_all(b"[")?;
    for (k, it) in items.iter().enumerate() {
        if k > 0 {
            w.write_all(b",")?;
        }
        f(w, it)?;
    }
    w.write_all(b"]")
}

/// Write a geometry as a GeoJSON geometry object (Line as a LineString, Rect and Triangle
/// as Polygons).
pub fn write_geometry<W: Write>(w: &mut W, g: &Geometry<f64>) -> io::Result<()> {
    let head = |w: &mut W, t: &str| write!(w, "{{\"type\":\"{t}\",\"coordinates\":");
    match g {
        Geometry::Point(p) => {
            head(w, "Point")?;
            position(w, p.0)?;
        }
        Geometry::Line(l) => {
            head(w, "LineString")?;
            positions(w, &[l.start, l.end])?;
        }
        Geometry::LineString(ls) => {
            head(w, "LineString")?;
            positions(w, &ls.0)?;
        }
        Geometry::Polygon(p) => {
            head(w, "Polygon")?;
            rings(w, p)?;
        }
        Geometry::MultiPoint(m) => {
            head(w, "MultiPoint")?;
            list(w, &m.0, |w, p| position(w, p.0))?;
        }
        Geometry::MultiLineString(m) => {
            head(w, "MultiLineString")?;
            list(w, &m.0, |w, l: &LineString<f64>| positions(w, &l.0))?;
        }
        Geometry::MultiPolygon(m) => {
            head(w, "MultiPolygon")?;
            list(w, &m.0, |w, p| rings(w, p))?;
        }
        Geometry::Rect(r) => {
            head(w, "Polygon")?;
            rings(w, &r.to_polygon())?;
        }
        Geometry::Triangle(t) => {
            head(w, "Polygon")?;
            rings(w, &t.to_polygon())?;
        }
        Geometry::GeometryCollection(c) => {
            w.write_all(b"{\"type\":\"GeometryCollection\",\"geometries\":")?;
            list(w, &c.0, |w, g| write_geometry(w, g))?;
        }
    }
    w.write_all(b"}")
}

/// Write a layer as a FeatureCollection: each feature's `id`, geometry (null when none) and
/// properties as they came.
pub fn write_layer<W: Write>(out: W, layer: &Layer) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
    for (k, f) in layer.features.iter().enumerate() {
        w.write_all(if k == 0 { b"\n" } else { b",\n" })?;
        w.write_all(b"{\"type\":\"Feature\",")?;
        if let Some(id) = f.id.as_ref().filter(|v| v.is_string() || v.is_number()) {
            w.write_all(b"\"id\":")?;
            serde_json::to_writer(&mut w, id)?;
            w.write_all(b",")?;
        }
        w.write_all(b"\"geometry\":")?;
        match &f.geometry {
            Some(g) => write_geometry(&mut w, g)?,
            None => w.write_all(b"null")?,
        }
        w.write_all(b",\"properties\":")?;
        serde_json::to_writer(&mut w, &f.properties)?;
        w.write_all(b"}")?;
    }
    w.write_all(b"\n]}\n")?;
    w.flush()
}
