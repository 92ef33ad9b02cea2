//! `atlas info FILE`: what a file holds — feature count, geometry types, bounding box,
//! time range, property names — as text or JSON.

use atlas::date::format_day;
use atlas::import::{geojson, open_path, FileFormat, ImportOptions, Opened};
use atlas::model::{IncidentStore, Layer};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub csv: crate::csvargs::CsvArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    Text,
    Json,
}

#[derive(Serialize, Default)]
pub struct Info {
    pub file: String,
    pub format: Option<FileFormat>,
    /// "incidents" or "layer".
    pub kind: &'static str,
    pub count: u64,
    /// Features without a geometry (kept, unmapped).
    pub unmapped: u64,
    pub geometry_types: BTreeMap<String, u64>,
    /// `[west, south, east, north]`.
    pub bbox: Option<[f64; 4]>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub property_names: Vec<String>,
    /// Incidents per event type.
    pub event_types: BTreeMap<String, u64>,
    pub problems: u64,
}

fn grow(b: &mut Option<[f64; 4]>, x: f64, y: f64) {
    if !(x.is_finite() && y.is_finite()) {
        return;
    }
    let v = b.get_or_insert([x, y, x, y]);
    v[0] = v[0].min(x);
    v[1] = v[1].min(y);
    v[2] = v[2].max(x);
    v[3] = v[3].max(y);
}

fn layer_info(info: &mut Info, layer: &Layer) {
    use geo::CoordsIter;
    let mut names: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for f in &layer.features {
        info.count += 1;
        match &f.geometry {
            None => info.unmapped += 1,
            Some(g) => {
                let t = match g {
                    geo::Geometry::Point(_) => "Point",
                    geo::Geometry::MultiPoint(_) => "MultiPoint",
                    geo::Geometry::LineString(_) | geo::Geometry::Line(_) => "LineString",
                    geo::Geometry::MultiLineString(_) => "MultiLineString",
                    geo::Geometry::Polygon(_)
                    | geo::Geometry::Rect(_)
                    | geo::Geometry::Triangle(_) => "Polygon",
                    geo::Geometry::MultiPolygon(_) => "MultiPolygon",
                    geo::Geometry::GeometryCollection(_) => "GeometryCollection",
                };
                *info.geometry_types.entry(t.into()).or_default() += 1;
                for c in g.coords_iter() {
                    grow(&mut info.bbox, c.x, c.y);
                }
            }
        }
        for k in f.properties.keys() {
            if seen.insert(k.clone()) {
                names.push(k.clone());
            }
        }
    }
    info.property_names = names;
}

fn incident_info(info: &mut Info, s: &IncidentStore) {
    let (mut lo, mut hi) = (i32::MAX, i32::MIN);
    for r in 0..s.len() as u32 {
        if !s.is_live(r) {
            continue;
        }
        let i = r as usize;
        info.count += 1;
        if s.is_mapped(r) {
            *info.geometry_types.entry("Point".into()).or_default() += 1;
            grow(&mut info.bbox, s.lon[i], s.lat[i]);
        } else {
            info.unmapped += 1;
        }
        lo = lo.min(s.day_start[i]);
        hi = hi.max(s.day_end[i]);
        *info
            .event_types
            .entry(s.event_type(r).to_string())
            .or_default() += 1;
    }
    if lo <= hi {
        info.date_from = Some(format_day(lo));
        info.date_to = Some(format_day(hi));
    }
}

pub fn run(a: &Args) -> anyhow::Result<()> {
    let opts = ImportOptions::lenient();
    let csv = a.csv.options();
    let format = FileFormat::of_path(&a.file)?;
    let (opened, report) = open_path(&a.file, &opts, &csv)?;
    let mut info = Info {
        file: a.file.display().to_string(),
        format: Some(format),
        problems: report.problem_count,
        ..Info::default()
    };
    match &opened {
        Opened::Layer(l) => {
            info.kind = "layer";
            layer_info(&mut info, l);
        }
        Opened::Incidents(s) => {
            info.kind = "incidents";
            incident_info(&mut info, s);
            // Property names as the file has them.
            info.property_names = match format {
                FileFormat::GeoJson => {
                    let (l, _) = geojson::read_layer(&a.file, &opts)?;
                    let mut tmp = Info::default();
                    layer_info(&mut tmp, &l);
                    tmp.property_names
                }
                FileFormat::Csv => csv_header(&a.file)?,
            };
        }
    }
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&info)?),
        Format::Text => print_text(&info),
    }
    Ok(())
}

fn csv_header(path: &std::path::Path) -> anyhow::Result<Vec<String>> {
    use std::io::BufRead;
    let f = std::fs::File::open(path)?;
    let mut line = String::new();
    std::io::BufReader::new(f).read_line(&mut line)?;
    let line = line.trim_start_matches('\u{feff}').trim_end();
    Ok(line
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .collect())
}

fn print_text(i: &Info) {
    println!("file:            {}", i.file);
    println!("holds:           {}", i.kind);
    println!(
        "features:        {} ({} without a location)",
        i.count, i.unmapped
    );
    let types: Vec<String> = i
        .geometry_types
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    println!(
        "geometry types:  {}",
        if types.is_empty() {
            "none".into()
        } else {
            types.join(", ")
        }
    );
    match i.bbox {
        Some(b) => println!(
            "bbox (W,S,E,N):  {:.6},{:.6},{:.6},{:.6}",
            b[0], b[1], b[2], b[3]
        ),
        None => println!("bbox (W,S,E,N):  none"),
    }
    if let (Some(a), Some(b)) = (&i.date_from, &i.date_to) {
        println!("time range:      {a} … {b}");
    }
    if !i.event_types.is_empty() {
        let t: Vec<String> = i
            .event_types
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        println!("event types:     {}", t.join("; "));
    }
    println!("properties:      {}", i.property_names.join(", "));
    if i.problems > 0 {
        println!(
            "problems:        {} (run `atlas validate` to list them)",
            i.problems
        );
    }
}
