//! `atlas export-data [FILE...] --out OUT.geojson|.csv|.gpkg`: the incidents of the files
//! (or the bundled sample), filtered, with their border analytics, as GeoJSON, CSV or a
//! GeoPackage; `--layer FILE` adds researchers' layers (a GeoPackage takes any number as
//! extra tables; GeoJSON and CSV take one layer and no incidents).

use crate::load;
use anyhow::Context;
use atlas::export_data::{export_incidents, export_layer, DataFormat, Gpkg, Incidents};
use atlas::filter::Filter;
use atlas::import::ImportOptions;
use atlas::model::Layer;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// GeoJSON or CSV incident files; the bundled sample when none (and no --layer).
    pub files: Vec<PathBuf>,
    /// Output file; the format from its extension: .geojson/.json, .csv or .gpkg.
    #[arg(long, short)]
    pub out: PathBuf,
    #[command(flatten)]
    pub filter: crate::filterargs::FilterArgs,
    /// Only incidents within D km of the Afghanistan–Pakistan border (Durand Line).
    #[arg(long, value_name = "D")]
    pub within_km: Option<f64>,
    /// A layer file (GeoJSON or CSV) to export as well (repeat for several).
    #[arg(long = "layer", value_name = "FILE")]
    pub layers: Vec<PathBuf>,
    #[command(flatten)]
    pub csv: crate::csvargs::CsvArgs,
}

fn read_layer(path: &std::path::Path, csv: &crate::csvargs::CsvArgs) -> anyhow::Result<Layer> {
    let opts = ImportOptions::lenient();
    let (opened, report) = atlas::import::open_path(path, &opts, &csv.options())
        .with_context(|| format!("reading layer {}", path.display()))?;
    if report.problem_count > 0 {
        eprintln!(
            "{}: {} feature(s) skipped with problems (run `atlas validate {}` to list them)",
            path.display(),
            report.rejected,
            path.display()
        );
    }
    Ok(match opened {
        atlas::import::Opened::Layer(l) => l,
        atlas::import::Opened::Incidents(_) => {
            // Incident-like files named with --layer are taken as plain layers.
            let (mut l, _) = match atlas::import::FileFormat::of_path(path)? {
                atlas::import::FileFormat::GeoJson => {
                    atlas::import::geojson::read_layer(path, &opts)?
                }
                atlas::import::FileFormat::Csv => {
                    atlas::import::csv::read_layer_file(path, &opts, &csv.options())?
                }
            };
            if l.name.is_empty() {
                l.name = "layer".into();
            }
            l
        }
    })
}

pub fn run(a: &Args) -> anyhow::Result<()> {
    let fmt = DataFormat::of_path(&a.out).ok_or_else(|| {
        anyhow::anyhow!(
            "--out {}: use a .geojson, .json, .csv or .gpkg file name",
            a.out.display()
        )
    })?;
    if let Some(km) = a.within_km {
        anyhow::ensure!(
            km.is_finite() && km >= 0.0,
            "--within-km must be a distance ≥ 0"
        );
    }
    let layers: Vec<Layer> = a
        .layers
        .iter()
        .map(|p| read_layer(p, &a.csv))
        .collect::<anyhow::Result<_>>()?;
    let with_incidents = !a.files.is_empty() || layers.is_empty();
    if fmt != DataFormat::Gpkg {
        anyhow::ensure!(
            layers.len() + usize::from(with_incidents) == 1,
            "{} holds one collection: export incidents or one --layer (or write a .gpkg)",
            a.out.display()
        );
    }
    let mut summary = Vec::new();
    let dataset = if with_incidents {
        Some(load::dataset(&a.files, &a.csv)?)
    } else {
        None
    };
    let rows = match &dataset {
        Some(d) => d.select(&Filter {
            border_km_max: a.within_km,
            ..a.filter.filter()
        })?,
        None => Vec::new(),
    };
    let write = || -> anyhow::Result<()> {
        match (fmt, &dataset) {
            (DataFormat::Gpkg, _) => {
                let mut g = Gpkg::create(&a.out)?;
                if let Some(d) = &dataset {
                    g.add_incidents("incidents", &Incidents::of(d, &rows))?;
                }
                for l in &layers {
                    g.add_layer(l)?;
                }
                g.finish()?;
            }
            (_, Some(d)) => {
                export_incidents(&a.out, &Incidents::of(d, &rows))?;
            }
            (_, None) => {
                if let Some(l) = layers.first() {
                    export_layer(&a.out, l)?;
                }
            }
        }
        Ok(())
    };
    write().with_context(|| format!("writing {}", a.out.display()))?;
    if dataset.is_some() {
        summary.push(format!("{} incident(s)", rows.len()));
    }
    for l in &layers {
        summary.push(format!(
            "layer {:?} ({} feature(s))",
            l.name,
            l.features.len()
        ));
    }
    eprintln!("wrote {} to {}", summary.join(", "), a.out.display());
    Ok(())
}
