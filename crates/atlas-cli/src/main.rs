//! `atlas`: the Border Atlas command line.

mod bench;
mod export_data;
mod export_map;
mod join;
mod project;

use clap::{Parser, Subcommand};

/// Border Atlas: incidents along the Afghanistan–Pakistan border (Durand Line).
#[derive(Parser)]
#[command(name = "atlas", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the benchmark workload (see /work/shared/bench/README.md) and print one JSON line.
    Bench(bench::BenchArgs),
    /// Export a print-quality map page (PDF, SVG, PNG), a batch of views, or a time-lapse GIF.
    ExportMap(export_map::Args),
    /// Research project files (.atlas.json): `info` and `check` (layers ok/missing/changed).
    Project(project::Args),
    /// Export incidents (filtered, with border analytics) and layers as GeoJSON, CSV or GeoPackage.
    ExportData(export_data::Args),
    /// Incidents and fatalities per polygon of a layer (districts, provinces), as CSV or JSON.
    Join(join::Args),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Bench(a) => bench::run(&a),
        Command::ExportMap(a) => export_map::run(&a),
        Command::Project(a) => {
            if !project::run(&a)? {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::ExportData(a) => export_data::run(&a),
        Command::Join(a) => join::run(&a),
    }
}
