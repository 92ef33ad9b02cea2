//! Loads a real workload file when `GEOJSON_FILE` is set (prints counts and the time
//! taken; asserts only on content). `GEOJSON_FILE=/path/incidents-100000.geojson
//! cargo test -p atlas --release --test geojson_load -- --ignored --nocapture`

use atlas::import::{geojson, ImportOptions};

#[test]
#[ignore]
fn load_file_from_env() {
    let Ok(path) = std::env::var("GEOJSON_FILE") else {
        return;
    };
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    for _ in 0..reps {
        let t = std::time::Instant::now();
        let (store, report) =
            geojson::read_incidents(path.as_ref(), &ImportOptions::default()).unwrap();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        eprintln!(
            "{path}: {} features in {ms:.1} ms ({report:?})",
            store.len(),
            report = (report.loaded, report.updated, report.rejected)
        );
        assert_eq!(store.live_len(), store.len());
        // Feature id = fid = row, and the first feature of every workload is well formed.
        assert!(store.lon[0].is_finite() && store.lat[0].is_finite());
        assert!(!store.event_id(0).is_empty());
    }
}
