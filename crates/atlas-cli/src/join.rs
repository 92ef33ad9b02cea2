//! `atlas join --polygons DISTRICTS.geojson [INCIDENTS...]`: incidents and fatalities per
//! polygon (exact point-in-polygon, holes respected, a point on a shared edge counted once:
//! see `atlas::join`), as CSV or JSON.

use crate::load;
use anyhow::Context;
use atlas::import::ImportOptions;
use atlas::join::join_counts;
use atlas::layer_index::LayerIndex;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// GeoJSON file of Polygon/MultiPolygon features (districts, provinces, study areas).
    #[arg(long, value_name = "FILE")]
    pub polygons: PathBuf,
    /// GeoJSON or CSV incident files; the bundled sample when none.
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub filter: crate::filterargs::FilterArgs,
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub csv: crate::csvargs::CsvArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum Format {
    Csv,
    Json,
}

pub fn run(a: &Args) -> anyhow::Result<()> {
    let (layer, report) =
        atlas::import::geojson::read_layer(&a.polygons, &ImportOptions::lenient())
            .with_context(|| format!("reading --polygons {}", a.polygons.display()))?;
    if report.problem_count > 0 {
        eprintln!(
            "{}: {} feature(s) skipped with problems (run `atlas validate {}` to list them)",
            a.polygons.display(),
            report.rejected,
            a.polygons.display()
        );
    }
    let d = load::dataset(&a.files, &a.csv)?;
    let rows = d.select(&a.filter.filter())?;
    let table = join_counts(&layer, &LayerIndex::build(&layer), d.store(), &rows);
    anyhow::ensure!(
        !table.rows.is_empty(),
        "{}: no Polygon or MultiPolygon features",
        a.polygons.display()
    );
    let out: Box<dyn Write> = match &a.out {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::new(out);
    match a.format {
        Format::Csv => table.to_csv(&mut out)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &table)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    eprintln!(
        "{} incident(s): {} outside every polygon, {} without a location",
        rows.len(),
        table.outside,
        table.unmapped
    );
    Ok(())
}
