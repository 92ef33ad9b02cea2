//! Load a GeoJSON file of incidents REPS times and print the time of each load:
//! `cargo run --release -p atlas --example load_geojson -- FILE [REPS]` (for profiling).

use atlas::import::{geojson, ImportOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: load_geojson FILE [REPS]")?;
    let reps: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1);
    for _ in 0..reps {
        let t = std::time::Instant::now();
        let (store, report) = geojson::read_incidents(path.as_ref(), &ImportOptions::default())?;
        eprintln!(
            "{} features in {:.1} ms (loaded {}, rejected {})",
            store.len(),
            t.elapsed().as_secs_f64() * 1e3,
            report.loaded,
            report.rejected
        );
    }
    Ok(())
}
