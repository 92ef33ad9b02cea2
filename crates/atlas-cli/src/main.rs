//! `atlas`: the Border Atlas command line.

mod bench;
mod bench_filter;
mod bench_tiles;
mod csvargs;
mod export_data;
mod export_map;
mod filterargs;
mod info;
mod join;
mod load;
mod project;
mod query;
mod stats;
mod validate;

use clap::{Parser, Subcommand};

/// Border Atlas: incidents along the Afghanistan–Pakistan border (Durand Line).
#[derive(Parser)]
#[command(name = "atlas", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process
enum Command {
    /// Check GeoJSON/CSV files; one `FILE:LINE:COL: message` line per problem, exit 1 if any.
    Validate(validate::Args),
    /// What a file holds: count, geometry types, bbox, time range, property names.
    Info(info::Args),
    /// Incidents matching a box, time window, types, nearest or within D km; GeoJSON, CSV or ids.
    Query(query::Args),
    /// Counts and fatalities per border segment, crossing, month or event type.
    Stats(stats::Args),
    /// Run the benchmark workload (see /work/shared/bench/README.md) and print one JSON line.
    Bench(bench::BenchArgs),
    /// Time the map's incident tiles over the workload's viewports (p50/p95/p99 per tile).
    BenchTiles(bench_tiles::BenchTilesArgs),
    /// Time a filter change at scale: selection, the view the map needs, a fresh index.
    BenchFilter(bench_filter::BenchFilterArgs),
    /// Time the app's path from choosing a file to the first map tile (parse, merge, view, tile).
    BenchOpen(bench_tiles::BenchOpenArgs),
    /// Export a print-quality map page (PDF, SVG, PNG), a batch of views, or a time-lapse GIF.
    ExportMap(export_map::Args),
    /// Research project files (.atlas.json): `info` and `check` (layers ok/missing/changed).
    Project(project::Args),
    /// Export incidents (filtered, with border analytics) and layers as GeoJSON, CSV or GeoPackage.
    ExportData(export_data::Args),
    /// Incidents and fatalities per polygon of a layer (districts, provinces), as CSV or JSON.
    Join(join::Args),
}

fn main() {
    if let Err(e) = run(Cli::parse().command) {
        eprintln!("atlas: error: {e:#}");
        std::process::exit(2);
    }
}

fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Validate(a) => {
            if !validate::run(&a)? {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Info(a) => info::run(&a),
        Command::Query(a) => query::run(&a),
        Command::Stats(a) => stats::run(&a),
        Command::Bench(a) => bench::run(&a),
        Command::BenchTiles(a) => bench_tiles::run(&a),
        Command::BenchOpen(a) => bench_tiles::run_open(&a),
        Command::BenchFilter(a) => bench_filter::run(&a),
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
