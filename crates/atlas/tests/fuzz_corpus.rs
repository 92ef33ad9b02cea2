//! Replays every committed fuzz corpus file (`fuzz/corpus/<target>/`) through the same
//! drivers the libFuzzer targets run (`fuzz/drivers.rs`), on stable and without
//! libFuzzer, so CI covers what fuzzing found: no panic, every refusal located, strict
//! and lenient agreeing, projects that save reading back. Run the fuzzers with `make fuzz`.

#[path = "../../../fuzz/drivers.rs"]
mod drivers;

use std::path::PathBuf;

/// The seeds (`fuzz/seeds/<target>/`) and the minimised corpus (`fuzz/corpus/<target>/`).
fn corpus(target: &str) -> Vec<PathBuf> {
    let fuzz = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut files = Vec::new();
    for dir in [
        fuzz.join("seeds").join(target),
        fuzz.join("corpus").join(target),
    ] {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            // A target not fuzzed yet has only its seeds.
            Err(_) if dir.ends_with(format!("corpus/{target}")) => continue,
            Err(e) => panic!("{}: {e}", dir.display()),
        };
        files.extend(
            entries
                .map(|e| e.expect("corpus entry").path())
                .filter(|p| p.is_file()),
        );
    }
    files.sort();
    files
}

fn replay(target: &str, run: fn(&[u8])) {
    let files = corpus(target);
    assert!(
        files.len() >= 3,
        "{target}: only {} corpus files",
        files.len()
    );
    for f in files {
        let data = std::fs::read(&f).expect("corpus file");
        let name = f.display().to_string();
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            panic!("{target}: {name} panicked (reproduce: cargo fuzz run {target} {name})");
        }
    }
}

#[test]
fn geojson_corpus() {
    replay("geojson", drivers::geojson);
}

#[test]
fn csv_corpus() {
    replay("csv", drivers::csv);
}

#[test]
fn project_corpus() {
    replay("project", drivers::project);
}

/// The regression inputs kept apart from the corpus (`fuzz/regressions/<target>/`): the
/// crashes, timeouts and OOMs fuzzing found, each fixed in the engine.
#[test]
fn regressions() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    for (target, run) in [
        ("geojson", drivers::geojson as fn(&[u8])),
        ("csv", drivers::csv),
        ("project", drivers::project),
    ] {
        let Ok(dir) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for e in dir {
            let p = e.expect("regression entry").path();
            let data = std::fs::read(&p).expect("regression file");
            run(&data);
        }
    }
}
