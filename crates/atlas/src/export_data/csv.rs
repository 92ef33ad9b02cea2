//! CSV: incidents in ACLED column order (plus `date_end`, the analytics and the provenance
//! flattened to text), and layers with one column per property and the geometry as
//! `longitude`/`latitude` (point layers) or WKT.

use super::fields::{Cell, Incidents, COLUMNS};
use super::ExportDataError;
use crate::model::Layer;
use geo::{Coord, Geometry, Polygon};
use std::fmt::Write as _;
use std::io::Write;

/// Text of a cell as CSV writes it (empty for null; numbers in shortest round-trip form).
fn cell_text<'a>(c: &'a Cell<'a>, buf: &'a mut String) -> &'a str {
    buf.clear();
    match c {
        Cell::Null => "",
        Cell::Text(s) => s,
        Cell::Int(v) => {
            let _ = write!(buf, "{v}");
            buf
        }
        Cell::Real(v) => {
            let _ = write!(buf, "{v}");
            buf
        }
    }
}

/// Write incidents as CSV with a header row of [`COLUMNS`] names (rows formatted in blocks
/// on the rayon pool, written in order).
pub fn write_incidents<W: Write>(out: W, inc: &Incidents<'_>) -> Result<(), ExportDataError> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(COLUMNS.iter().map(|c| c.name()))?;
        w.flush()?;
    }
    let rows: Vec<u32> = inc.live_rows().collect();
    super::in_blocks(
        &rows,
        |block, buf| {
            let mut w = csv::WriterBuilder::new().from_writer(buf);
            let mut text = String::new();
            for &row in block {
                for c in COLUMNS.iter() {
                    let cell = c.cell(inc, row);
                    w.write_field(cell_text(&cell, &mut text))?;
                }
                w.write_record(None::<&[u8]>)?;
            }
            w.flush()?;
            Ok::<(), ExportDataError>(())
        },
        |buf| out.write_all(buf).map_err(ExportDataError::from),
    )?;
    out.flush()?;
    Ok(())
}

/// Text of a property value: strings as they are, numbers and booleans as JSON writes
/// them, null as empty, arrays and objects as JSON text.
pub fn property_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// Property names of a layer: the union over its features, in order of first appearance.
pub fn property_names(layer: &Layer) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut names = Vec::new();
    for f in &layer.features {
        for k in f.properties.keys() {
            if seen.insert(k.as_str()) {
                names.push(k.clone());
            }
        }
    }
    names
}

/// A name not among `taken`: `base`, else `geom_base`, `geom_base_2`, ...
fn free_name(base: &str, taken: &[String]) -> String {
    let clash = |n: &str| taken.iter().any(|t| t.eq_ignore_ascii_case(n));
    if !clash(base) {
        return base.to_string();
    }
    let mut n = format!("geom_{base}");
    let mut k = 2;
    while clash(&n) {
        n = format!("geom_{base}_{k}");
        k += 1;
    }
    n
}

/// Write a layer as CSV: one column per property, then `longitude,latitude` when every
/// geometry is a point (or none), else a `wkt` column (empty for no geometry).
pub fn write_layer<W: Write>(out: W, layer: &Layer) -> Result<(), ExportDataError> {
    let names = property_names(layer);
    let points = layer
        .features
        .iter()
        .all(|f| matches!(f.geometry, None | Some(Geometry::Point(_))));
    let mut header = names.clone();
    if points {
        let lon = free_name("longitude", &header);
        header.push(lon);
        let lat = free_name("latitude", &header);
        header.push(lat);
    } else {
        let wkt = free_name("wkt", &header);
        header.push(wkt);
    }
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(out);
    w.write_record(&header)?;
    let mut buf = String::new();
    for f in &layer.features {
        for n in &names {
            w.write_field(f.properties.get(n).map(property_text).unwrap_or_default())?;
        }
        match (&f.geometry, points) {
            (Some(Geometry::Point(p)), true) => {
                w.write_field(p.x().to_string())?;
                w.write_field(p.y().to_string())?;
            }
            (None, true) => {
                w.write_field("")?;
                w.write_field("")?;
            }
            (Some(g), false) => {
                buf.clear();
                wkt(&mut buf, g);
                w.write_field(&buf)?;
            }
            (_, _) => w.write_field("")?,
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    Ok(())
}

fn coords(out: &mut String, cs: &[Coord<f64>]) {
    out.push('(');
    for (k, c) in cs.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{} {}", c.x, c.y);
    }
    out.push(')');
}

fn rings(out: &mut String, p: &Polygon<f64>) {
    out.push('(');
    for (k, r) in std::iter::once(p.exterior())
        .chain(p.interiors())
        .enumerate()
    {
        if k > 0 {
            out.push_str(", ");
        }
        coords(out, &r.0);
    }
    out.push(')');
}

/// Append the WKT of a geometry (Line as LINESTRING, Rect and Triangle as POLYGON).
///
/// ```
/// use atlas::export_data::wkt;
/// use geo::{line_string, Geometry};
/// let mut s = String::new();
/// wkt(&mut s, &Geometry::LineString(line_string![(x: 70.0, y: 33.5), (x: 71.25, y: 34.0)]));
/// assert_eq!(s, "LINESTRING (70 33.5, 71.25 34)");
/// ```
pub fn wkt(out: &mut String, g: &Geometry<f64>) {
    match g {
        Geometry::Point(p) => {
            out.push_str("POINT ");
            coords(out, &[p.0]);
        }
        Geometry::Line(l) => {
            out.push_str("LINESTRING ");
            coords(out, &[l.start, l.end]);
        }
        Geometry::LineString(ls) if ls.0.is_empty() => out.push_str("LINESTRING EMPTY"),
        Geometry::LineString(ls) => {
            out.push_str("LINESTRING ");
            coords(out, &ls.0);
        }
        Geometry::Polygon(p) if p.exterior().0.is_empty() => out.push_str("POLYGON EMPTY"),
        Geometry::Polygon(p) => {
            out.push_str("POLYGON ");
            rings(out, p);
        }
        Geometry::MultiPoint(m) if m.0.is_empty() => out.push_str("MULTIPOINT EMPTY"),
        Geometry::MultiPoint(m) => {
            out.push_str("MULTIPOINT ");
            let cs: Vec<Coord<f64>> = m.iter().map(|p| p.0).collect();
            coords(out, &cs);
        }
        Geometry::MultiLineString(m) if m.0.is_empty() => out.push_str("MULTILINESTRING EMPTY"),
        Geometry::MultiLineString(m) => {
            out.push_str("MULTILINESTRING (");
            for (k, l) in m.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                coords(out, &l.0);
            }
            out.push(')');
        }
        Geometry::MultiPolygon(m) if m.0.is_empty() => out.push_str("MULTIPOLYGON EMPTY"),
        Geometry::MultiPolygon(m) => {
            out.push_str("MULTIPOLYGON (");
            for (k, p) in m.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                rings(out, p);
            }
            out.push(')');
        }
        Geometry::Rect(r) => wkt(out, &Geometry::Polygon(r.to_polygon())),
        Geometry::Triangle(t) => wkt(out, &Geometry::Polygon(t.to_polygon())),
        Geometry::GeometryCollection(c) if c.0.is_empty() => {
            out.push_str("GEOMETRYCOLLECTION EMPTY")
        }
        Geometry::GeometryCollection(c) => {
            out.push_str("GEOMETRYCOLLECTION (");
            for (k, g) in c.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                wkt(out, g);
            }
            out.push(')');
        }
    }
}
