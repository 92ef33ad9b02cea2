//! `atlas`: the Border Atlas command line.

mod bench;
mod export_map;

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
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Bench(a) => bench::run(&a),
        Command::ExportMap(a) => export_map::run(&a),
    }
}
