//! `atlas query [FILE...]`: the incidents matching a box, a time window, event types,
//! the k nearest to a point, or those within D km of a point, the border or a crossing.
//! Output as GeoJSON (with the border analytics as properties), CSV or ids.

use crate::load;
use atlas::dataset::Dataset;
use atlas::date::{format_day, parse_date};
use atlas::index::Metric;
use serde_json::{json, Map, Value};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// GeoJSON or CSV incident files; the bundled sample when none.
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub filter: crate::filterargs::FilterArgs,
    /// The k nearest incidents to LON,LAT (exact WGS84 geodesic distance).
    #[arg(long, value_parser = parse_point, allow_hyphen_values = true, requires = "k")]
    pub near: Option<[f64; 2]>,
    #[arg(long)]
    pub k: Option<usize>,
    /// Within D km of `--of`.
    #[arg(long, requires = "of")]
    pub within_km: Option<f64>,
    /// LON,LAT, `border`, or a crossing's name (e.g. Torkham).
    #[arg(long, allow_hyphen_values = true)]
    pub of: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Geojson)]
    pub format: Format,
    #[command(flatten)]
    pub csv: crate::csvargs::CsvArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum Format {
    Geojson,
    Csv,
    Ids,
}

pub fn parse_bbox(s: &str) -> Result<[f64; 4], String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|p| {
            p.trim()
                .parse::<f64>()
                .map_err(|_| format!("{p:?} is not a number"))
        })
        .collect::<Result<_, _>>()?;
    match v[..] {
        [w, so, e, n] if v.iter().all(|x| x.is_finite()) && w <= e && so <= n => Ok([w, so, e, n]),
        [_, _, _, _] => Err("the box must be W,S,E,N with W ≤ E and S ≤ N".into()),
        _ => Err(format!("expected 4 numbers W,S,E,N, found {}", v.len())),
    }
}

pub fn parse_point(s: &str) -> Result<[f64; 2], String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|p| {
            p.trim()
                .parse::<f64>()
                .map_err(|_| format!("{p:?} is not a number"))
        })
        .collect::<Result<_, _>>()?;
    match v[..] {
        [lon, lat] if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) => {
            Ok([lon, lat])
        }
        [_, _] => Err("longitude must be in [-180, 180] and latitude in [-90, 90]".into()),
        _ => Err(format!("expected LON,LAT, found {} numbers", v.len())),
    }
}

pub fn parse_day(s: &str) -> Result<i32, String> {
    parse_date(s).ok_or_else(|| format!("unparseable date {s:?}: use YYYY-MM-DD"))
}

/// Where `--within-km` measures from.
enum Of {
    Point([f64; 2]),
    Border,
}

fn resolve_of(of: &str) -> anyhow::Result<Of> {
    if of.eq_ignore_ascii_case("border") {
        return Ok(Of::Border);
    }
    if let Ok(p) = parse_point(of) {
        return Ok(Of::Point(p));
    }
    let ctx = atlas::analytics::BorderContext::bundled()?;
    match ctx.crossing_named(of) {
        Some(i) => Ok(Of::Point([ctx.crossings[i].lon, ctx.crossings[i].lat])),
        None => {
            let names: Vec<&str> = ctx.crossings.iter().map(|c| c.name.as_str()).collect();
            anyhow::bail!(
                "--of {of:?}: not LON,LAT, `border` or a crossing ({})",
                names.join(", ")
            )
        }
    }
}

/// The matching rows, in output order.
pub fn rows(d: &Dataset, a: &Args) -> anyhow::Result<Vec<u32>> {
    let mut f = a.filter.filter();
    let mut around: Option<([f64; 2], f64)> = None;
    if let (Some(km), Some(of)) = (a.within_km, &a.of) {
        anyhow::ensure!(
            km.is_finite() && km >= 0.0,
            "--within-km must be a distance ≥ 0"
        );
        match resolve_of(of)? {
            Of::Border => f.border_km_max = Some(km),
            Of::Point(p) => around = Some((p, km)),
        }
    }
    let selected = d.select(&f)?;
    let mut rows = selected.clone();
    if let Some((p, km)) = around {
        let mut within = Vec::new();
        d.index().sphere.within_km(p[0], p[1], km, &mut within);
        within.sort_unstable();
        rows.retain(|r| within.binary_search(r).is_ok());
    }
    if let (Some(p), Some(k)) = (a.near, a.k) {
        // The k nearest among the matching rows: widen the search until k match.
        let keep: std::collections::HashSet<u32> = rows.iter().copied().collect();
        let mut want = k.max(1);
        loop {
            let nn = d.index().nearest(p[0], p[1], want, Metric::Wgs84);
            let hits: Vec<u32> = nn
                .iter()
                .map(|n| n.row)
                .filter(|r| keep.contains(r))
                .take(k)
                .collect();
            if hits.len() == k || nn.len() < want {
                return Ok(hits);
            }
            want = want.saturating_mul(4);
        }
    }
    Ok(rows)
}

fn analytics_props(d: &Dataset, row: u32, m: &mut Map<String, Value>) {
    let r = d.analytics().row(row);
    let round = |v: Option<f64>| {
        v.map(|x| json!((x * 1000.0).round() / 1000.0))
            .unwrap_or(Value::Null)
    };
    m.insert("border_km".into(), round(r.border_km));
    m.insert("side".into(), json!(r.side.as_str()));
    m.insert("chainage_km".into(), round(r.chainage_km));
    m.insert(
        "nearest_crossing".into(),
        r.nearest_crossing.map(Value::from).unwrap_or(Value::Null),
    );
    m.insert("crossing_km".into(), round(r.crossing_km));
}

/// The identifier `--format ids` prints: the Feature `id`, else `event_id_cnty`, else the position.
pub fn id_of(d: &Dataset, row: u32) -> String {
    let s = d.store();
    let fid = s.feature_id(row);
    if !fid.is_empty() {
        fid.to_string()
    } else if !s.event_id(row).is_empty() {
        s.event_id(row).to_string()
    } else {
        row.to_string()
    }
}

fn feature(d: &Dataset, row: u32) -> Value {
    let s = d.store();
    let r = s.record(row);
    let mut p = Map::new();
    p.insert("event_id_cnty".into(), json!(r.event_id));
    p.insert("event_date".into(), json!(format_day(r.date_start)));
    p.insert("date_end".into(), json!(format_day(r.date_end)));
    p.insert("time_precision".into(), json!(r.time_precision));
    for (k, v) in [
        ("disorder_type", &r.disorder_type),
        ("event_type", &r.event_type),
        ("sub_event_type", &r.sub_event_type),
        ("actor1", &r.actor1),
        ("assoc_actor_1", &r.assoc_actor_1),
        ("actor2", &r.actor2),
        ("assoc_actor_2", &r.assoc_actor_2),
        ("iso", &r.iso),
        ("country", &r.country),
        ("admin1", &r.admin1),
        ("admin2", &r.admin2),
        ("admin3", &r.admin3),
        ("location", &r.location),
        ("source", &r.source),
        ("source_scale", &r.source_scale),
        ("notes", &r.notes),
        ("tags", &r.tags),
    ] {
        p.insert(k.into(), json!(v));
    }
    p.insert("geo_precision".into(), json!(r.geo_precision));
    p.insert(
        "fatalities".into(),
        r.fatalities.map(Value::from).unwrap_or(Value::Null),
    );
    if !r.sources.is_empty() {
        p.insert("sources".into(), json!(r.sources));
    }
    if !r.claims.is_empty() {
        p.insert("claims".into(), json!(r.claims));
    }
    analytics_props(d, row, &mut p);
    let geometry = if r.is_mapped() {
        json!({"type": "Point", "coordinates": [r.lon, r.lat]})
    } else {
        Value::Null
    };
    let mut f =
        json!({"type": "Feature", "id": id_of(d, row), "geometry": geometry, "properties": p});
    if let Ok(n) = id_of(d, row).parse::<u64>() {
        f["id"] = json!(n);
    }
    f
}

const CSV_COLUMNS: [&str; 16] = [
    "id",
    "event_id_cnty",
    "event_date",
    "date_end",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "border_km",
    "side",
    "nearest_crossing",
    "crossing_km",
];

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn run(a: &Args) -> anyhow::Result<()> {
    let d = load::dataset(&a.files, &a.csv)?;
    let rows = rows(&d, a)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match a.format {
        Format::Ids => {
            for &r in &rows {
                writeln!(out, "{}", id_of(&d, r))?;
            }
        }
        Format::Geojson => {
            writeln!(out, "{{\"type\":\"FeatureCollection\",\"features\":[")?;
            for (i, &r) in rows.iter().enumerate() {
                let sep = if i + 1 < rows.len() { "," } else { "" };
                writeln!(out, "{}{sep}", serde_json::to_string(&feature(&d, r))?)?;
            }
            writeln!(out, "]}}")?;
        }
        Format::Csv => {
            writeln!(out, "{}", CSV_COLUMNS.join(","))?;
            let s = d.store();
            for &r in &rows {
                let an = d.analytics().row(r);
                let f = |v: Option<f64>| v.map(|x| format!("{x:.3}")).unwrap_or_default();
                let i = r as usize;
                let (lat, lon) = if s.is_mapped(r) {
                    (s.lat[i].to_string(), s.lon[i].to_string())
                } else {
                    (String::new(), String::new())
                };
                let cells = [
                    id_of(&d, r),
                    s.event_id(r).to_string(),
                    format_day(s.day_start[i]),
                    format_day(s.day_end[i]),
                    s.event_type(r).to_string(),
                    s.sub_event_type(r).to_string(),
                    s.actor1(r).to_string(),
                    s.actor2(r).to_string(),
                    lat,
                    lon,
                    s.geo_precision[i].to_string(),
                    s.fatalities(r).map(|v| v.to_string()).unwrap_or_default(),
                    f(an.border_km),
                    an.side.as_str().to_string(),
                    an.nearest_crossing.unwrap_or_default(),
                    f(an.crossing_km),
                ];
                let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
