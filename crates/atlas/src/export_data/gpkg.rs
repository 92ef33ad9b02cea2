//! GeoPackage 1.3 files (SQLite, written with the bundled SQLite of `rusqlite`): the
//! required `gpkg_spatial_ref_sys`, `gpkg_contents` and `gpkg_geometry_columns` tables and
//! one feature table per layer, geometries as GeoPackageBinary in EPSG:4326.
//!
//! Properties are flat columns: TEXT, INTEGER, REAL, DATE (and BOOLEAN for layer
//! properties that are all booleans). Nested values (arrays, objects) are written as JSON
//! text; a layer property whose values mix types is TEXT. Column names that clash with
//! `fid`/`geom` or with each other (SQLite compares names case-insensitively) get a
//! numeric suffix.

use super::csv::{property_names, property_text};
use super::fields::{Cell, Col, Incidents, COLUMNS};
use super::wkb::gpkg_geometry;
use super::ExportDataError;
use crate::layer_index::envelope;
use crate::model::Layer;
use geo::{Geometry, MultiLineString, MultiPoint, MultiPolygon};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::Connection;
use std::path::Path;

const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

const SCHEMA: &str = "
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10300;
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
";

/// A GeoPackage being written. Tables are added one by one; [`Gpkg::finish`] commits.
/// An existing file at the path is replaced.
///
/// ```
/// use atlas::dataset::Dataset;
/// use atlas::export_data::{Gpkg, Incidents};
/// use atlas::filter::Filter;
/// let d = Dataset::bundled().unwrap();
/// let rows = d.select(&Filter::default()).unwrap();
/// let path = std::env::temp_dir().join(format!("atlas-doc-{}.gpkg", std::process::id()));
/// let mut g = Gpkg::create(&path).unwrap();
/// g.add_incidents("incidents", &Incidents::of(&d, &rows)).unwrap();
/// g.finish().unwrap();
/// assert_eq!(&std::fs::read(&path).unwrap()[..16], b"SQLite format 3\0");
/// std::fs::remove_file(&path).unwrap();
/// ```
pub struct Gpkg {
    conn: Connection,
    tables: Vec<String>,
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Unique column names (case-insensitive), none of them `fid` or `geom`.
fn unique_names(names: &[String]) -> Vec<String> {
    let mut taken: Vec<String> = vec!["fid".into(), "geom".into()];
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        let base = if n.trim().is_empty() {
            "field"
        } else {
            n.as_str()
        };
        let mut cand = base.to_string();
        let mut k = 2;
        while taken.iter().any(|t| t.eq_ignore_ascii_case(&cand)) {
            cand = format!("{base}_{k}");
            k += 1;
        }
        taken.push(cand.clone());
        out.push(cand);
    }
    out
}

fn sql_value<'a>(c: &'a Cell<'a>) -> ToSqlOutput<'a> {
    match c {
        Cell::Null => ToSqlOutput::Owned(Value::Null),
        Cell::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        Cell::Int(v) => ToSqlOutput::Owned(Value::Integer(*v)),
        Cell::Real(v) => ToSqlOutput::Owned(Value::Real(*v)),
    }
}

/// The geometry type a layer declares, and whether single geometries are promoted to
/// their Multi form (a layer mixing Polygon and MultiPolygon is MULTIPOLYGON).
fn layer_geometry_type(layer: &Layer) -> (&'static str, bool) {
    let mut names: Vec<&'static str> = layer
        .features
        .iter()
        .filter_map(|f| f.geometry.as_ref())
        .map(|g| match g {
            Geometry::Point(_) => "POINT",
            Geometry::Line(_) | Geometry::LineString(_) => "LINESTRING",
            Geometry::Polygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => "POLYGON",
            Geometry::MultiPoint(_) => "MULTIPOINT",
            Geometry::MultiLineString(_) => "MULTILINESTRING",
            Geometry::MultiPolygon(_) => "MULTIPOLYGON",
            Geometry::GeometryCollection(_) => "GEOMETRYCOLLECTION",
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        [] => ("GEOMETRY", false),
        [one] => (one, false),
        ["MULTIPOINT", "POINT"] => ("MULTIPOINT", true),
        ["LINESTRING", "MULTILINESTRING"] => ("MULTILINESTRING", true),
        ["MULTIPOLYGON", "POLYGON"] => ("MULTIPOLYGON", true),
        _ => ("GEOMETRY", false),
    }
}

fn promote(g: &Geometry<f64>) -> Geometry<f64> {
    match g {
        Geometry::Point(p) => MultiPoint(vec![*p]).into(),
        Geometry::Line(l) => MultiLineString(vec![geo::LineString(vec![l.start, l.end])]).into(),
        Geometry::LineString(l) => MultiLineString(vec![l.clone()]).into(),
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]).into(),
        Geometry::Rect(r) => MultiPolygon(vec![r.to_polygon()]).into(),
        Geometry::Triangle(t) => MultiPolygon(vec![t.to_polygon()]).into(),
        g => g.clone(),
    }
}

/// Column type of a layer property from its values: INTEGER, REAL, BOOLEAN or TEXT.
fn property_kind<'a>(values: impl Iterator<Item = &'a serde_json::Value>) -> &'static str {
    let (mut int, mut real, mut boolean, mut other) = (false, false, false, false);
    for v in values {
        match v {
            serde_json::Value::Null => {}
            serde_json::Value::Bool(_) => boolean = true,
            serde_json::Value::Number(n) if n.is_i64() => int = true,
            serde_json::Value::Number(_) => real = true,
            _ => other = true,
        }
    }
    match (int, real, boolean, other) {
        (_, _, _, true) | (true, _, true, _) | (_, true, true, _) => "TEXT",
        (false, false, true, false) => "BOOLEAN",
        (_, true, false, false) => "REAL",
        (true, false, false, false) => "INTEGER",
        (false, false, false, false) => "TEXT",
    }
}

fn extend(ext: &mut Option<[f64; 4]>, b: [f64; 4]) {
    *ext = Some(match *ext {
        None => b,
        Some(e) => [
            e[0].min(b[0]),
            e[1].min(b[1]),
            e[2].max(b[2]),
            e[3].max(b[3]),
        ],
    });
}

impl Gpkg {
    /// Create (or replace) a GeoPackage at `path` with the required tables and EPSG:4326.
    pub fn create(path: &Path) -> Result<Gpkg, ExportDataError> {
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(ExportDataError::io(path, e)),
        }
        let conn = Connection::open(path)?;
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
        conn.execute_batch("BEGIN")?;
        conn.execute_batch(SCHEMA)?;
        conn.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
            [WGS84_WKT],
        )?;
        Ok(Gpkg {
            conn,
            tables: Vec::new(),
        })
    }

    /// A table name not used yet and not reserved (`gpkg_*`, `rtree_*`, `sqlite_*`).
    fn table_name(&mut self, want: &str) -> String {
        let mut base: String = want.trim().to_string();
        if base.is_empty() {
            base = "layer".into();
        }
        let lower = base.to_ascii_lowercase();
        if ["gpkg_", "rtree_", "sqlite_"]
            .iter()
            .any(|p| lower.starts_with(p))
        {
            base = format!("layer_{base}");
        }
        let mut name = base.clone();
        let mut k = 2;
        while self.tables.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
            name = format!("{base}_{k}");
            k += 1;
        }
        self.tables.push(name.clone());
        name
    }

    fn register(
        &self,
        table: &str,
        geometry_type: &str,
        ext: Option<[f64; 4]>,
    ) -> Result<(), ExportDataError> {
        let e = ext.map(|e| e.map(Some)).unwrap_or([None; 4]);
        self.conn.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, 4326)",
            rusqlite::params![table, e[0], e[1], e[2], e[3]],
        )?;
        self.conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
            rusqlite::params![table, geometry_type],
        )?;
        Ok(())
    }

    fn create_table(
        &self,
        table: &str,
        geometry_type: &str,
        columns: &[(String, &str)],
    ) -> Result<String, ExportDataError> {
        let mut sql = format!(
            "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometry_type}",
            quote(table)
        );
        for (name, ty) in columns {
            sql.push_str(&format!(", {} {ty}", quote(name)));
        }
        sql.push(')');
        self.conn.execute_batch(&sql)?;
        let names: Vec<String> = std::iter::once("geom".to_string())
            .chain(columns.iter().map(|(n, _)| quote(n)))
            .collect();
        let marks: Vec<String> = (1..=names.len()).map(|k| format!("?{k}")).collect();
        Ok(format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(table),
            names.join(", "),
            marks.join(", ")
        ))
    }

    /// Add incidents as a POINT table (`geom` NULL for incidents without a location) with
    /// the columns of [`COLUMNS`] except latitude/longitude; `sources` and `claims` as JSON
    /// text. Returns the table name used (`table`, made unique).
    pub fn add_incidents(
        &mut self,
        table: &str,
        inc: &Incidents<'_>,
    ) -> Result<String, ExportDataError> {
        let table = self.table_name(table);
        let cols: Vec<Col> = COLUMNS
            .iter()
            .copied()
            .filter(|c| !c.is_coordinate())
            .collect();
        let defs: Vec<(String, &str)> = cols
            .iter()
            .map(|c| (c.name().to_string(), c.kind().sql()))
            .collect();
        let insert = self.create_table(&table, "POINT", &defs)?;
        let s = inc.store;
        let mut ext = None;
        {
            let mut stmt = self.conn.prepare(&insert)?;
            for row in inc.live_rows() {
                let i = row as usize;
                let (lon, lat) = (s.lon[i], s.lat[i]);
                let geom = (lon.is_finite() && lat.is_finite()).then(|| {
                    extend(&mut ext, [lon, lat, lon, lat]);
                    gpkg_geometry(&Geometry::Point(geo::Point::new(lon, lat)), 4326)
                });
                stmt.raw_bind_parameter(1, geom)?;
                let prov = s.provenance.get(&row);
                for (k, c) in cols.iter().enumerate() {
                    match c {
                        Col::Sources | Col::Claims => {
                            let json = match (c, prov) {
                                (Col::Sources, Some(p)) if !p.sources.is_empty() => {
                                    Some(serde_json::to_string(&p.sources)?)
                                }
                                (Col::Claims, Some(p)) if !p.claims.is_empty() => {
                                    Some(serde_json::to_string(&p.claims)?)
                                }
                                _ => None,
                            };
                            stmt.raw_bind_parameter(k + 2, json)?;
                        }
                        _ => {
                            let cell = c.cell(inc, row);
                            stmt.raw_bind_parameter(k + 2, sql_value(&cell))?;
                        }
                    }
                }
                stmt.raw_execute()?;
            }
        }
        self.register(&table, "POINT", ext)?;
        Ok(table)
    }

    /// Add a layer as a table named after it (made unique): one column per property
    /// (see the [module docs](self)), geometry type from its features.
    pub fn add_layer(&mut self, layer: &Layer) -> Result<String, ExportDataError> {
        let table = self.table_name(&layer.name);
        let props = property_names(layer);
        let cols = unique_names(&props);
        let kinds: Vec<&str> = props
            .iter()
            .map(|p| property_kind(layer.features.iter().filter_map(|f| f.properties.get(p))))
            .collect();
        let defs: Vec<(String, &str)> = cols.iter().cloned().zip(kinds.iter().copied()).collect();
        let (gtype, multi) = layer_geometry_type(layer);
        let insert = self.create_table(&table, gtype, &defs)?;
        let mut ext = None;
        {
            let mut stmt = self.conn.prepare(&insert)?;
            for f in &layer.features {
                let geom = f.geometry.as_ref().map(|g| {
                    if let Some(b) = envelope(g) {
                        extend(&mut ext, b);
                    }
                    if multi {
                        gpkg_geometry(&promote(g), 4326)
                    } else {
                        gpkg_geometry(g, 4326)
                    }
                });
                stmt.raw_bind_parameter(1, geom)?;
                for (k, (p, kind)) in props.iter().zip(&kinds).enumerate() {
                    let v = f.properties.get(p).unwrap_or(&serde_json::Value::Null);
                    let val = match (v, *kind) {
                        (serde_json::Value::Null, _) => Value::Null,
                        (serde_json::Value::Bool(b), "BOOLEAN") => Value::Integer(i64::from(*b)),
                        (serde_json::Value::Number(n), "INTEGER") => {
                            n.as_i64().map_or(Value::Null, Value::Integer)
                        }
                        (serde_json::Value::Number(n), "REAL") => {
                            n.as_f64().map_or(Value::Null, Value::Real)
                        }
                        (v, _) => Value::Text(property_text(v)),
                    };
                    stmt.raw_bind_parameter(k + 2, val)?;
                }
                stmt.raw_execute()?;
            }
        }
        self.register(&table, gtype, ext)?;
        Ok(table)
    }

    /// Commit and close the file.
    pub fn finish(self) -> Result<(), ExportDataError> {
        self.conn.execute_batch("COMMIT")?;
        self.conn
            .close()
            .map_err(|(_, e)| ExportDataError::Sqlite(e))?;
        Ok(())
    }
}
