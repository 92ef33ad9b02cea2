//! Time the border analytics pass on a GeoJSON file (e.g. the bench workload):
//! `cargo run --release -p atlas --example analytics_pass -- FILE [REPEAT]`.

use atlas::analytics::Analytics;
use atlas::import::ImportOptions;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: analytics_pass FILE [REPEAT]")?;
    let repeat: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let t = Instant::now();
    let (store, _) =
        atlas::import::geojson::read_incidents(path.as_ref(), &ImportOptions::default())?;
    eprintln!(
        "loaded {} in {:.0} ms",
        store.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    for _ in 0..repeat {
        let t = Instant::now();
        let a = Analytics::compute(&store)?;
        let near = a.border_km().iter().filter(|d| **d <= 40.0).count();
        let sum: f64 = a.border_km().iter().filter(|d| d.is_finite()).sum();
        eprintln!(
            "analytics {:.0} ms; {near} within 40 km; Σkm {sum:.3}",
            t.elapsed().as_secs_f64() * 1e3,
        );
    }
    Ok(())
}
