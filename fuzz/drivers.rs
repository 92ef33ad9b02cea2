//! What each fuzz target does with one input, through the same public entry points the
//! app and the CLI use. Shared by the libFuzzer targets in `fuzz_targets/` and by
//! `crates/atlas/tests/fuzz_corpus.rs`, which replays the committed corpus on stable.
//!
//! Each driver asserts, beyond "no panic, no abort, no hang, no runaway memory":
//! - every refusal is a located problem (file and line), never a bare error;
//! - a file strict mode accepts, lenient mode accepts the same way, with no problem;
//! - a project that serialises reads back to the same project.

#![allow(dead_code)]

use atlas::import::csv::{self, CsvMapping, CsvOptions};
use atlas::import::{geojson, FileFormat, ImportError, ImportOptions, ImportReport, Limits};
use atlas::project::layers::layer_bytes;
use atlas::project::{LayerSource, Project};
use atlas::{IncidentStore, Mode};
use std::path::Path;

/// An existing store to import into (re-import: updates by id, absent events).
const SEED_GEOJSON: &[u8] = br#"{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[71.09,34.12]},"properties":{"event_id_cnty":"PAK1","event_date":"2025-10-12","event_type":"Battles","fatalities":3}},
{"type":"Feature","geometry":null,"properties":{"event_id_cnty":"PAK2","event_date":"2025-10-13","event_type":"Riots"}}]}"#;

const SEED_CSV: &[u8] = b"event_id_cnty,event_date,event_type,latitude,longitude,fatalities\n\
PAK1,2025-10-12,Battles,34.12,71.09,3\nPAK2,2025-10-13,Riots,34.10,71.10,0\n";

/// Strict, lenient, and lenient with tiny limits (so every limit's refusal path is reached
/// by small inputs).
fn option_sets() -> [ImportOptions; 3] {
    let tiny = Limits {
        max_depth: 6,
        max_string_bytes: 24,
        max_record_bytes: 256,
        max_vertices: 6,
        max_records: 3,
        max_file_bytes: 1 << 20,
        max_columns: 8,
    };
    [
        ImportOptions::default(),
        ImportOptions::lenient(),
        ImportOptions {
            mode: Mode::Lenient,
            limits: tiny,
            max_problems: 4,
            ..Default::default()
        },
    ]
}

/// A refusal must say where: file and line.
fn located(e: &ImportError) {
    match e {
        ImportError::Invalid(p) => {
            assert!(!p.location.file.is_empty(), "problem without a file: {p}");
            assert!(p.location.line.is_some(), "problem without a line: {p}");
            assert!(!p.message.is_empty(), "problem without a message: {p:?}");
        }
        ImportError::Limit(p) => {
            assert!(p.location.line.is_some(), "limit without a line: {p}");
        }
        ImportError::Io { .. } | ImportError::Cancelled => {}
    }
    let _ = e.to_string();
}

fn report_located(r: &ImportReport) {
    assert!(r.problems.len() as u64 <= r.problem_count);
    for p in &r.problems {
        assert!(p.location.line.is_some(), "problem without a line: {p}");
    }
}

/// Arbitrary bytes as a GeoJSON file: incidents, a layer, a re-import, a sniff.
pub fn geojson(data: &[u8]) {
    let _ = FileFormat::of_name_and_head("f", data);
    let _ = geojson::sniff_bytes(data);
    let [strict, lenient, tiny] = option_sets();
    let s = geojson::incidents_from_bytes(data, "f.geojson", &strict);
    let l = geojson::incidents_from_bytes(data, "f.geojson", &lenient);
    match (&s, &l) {
        (Ok((ss, sr)), Ok((ls, lr))) => {
            report_located(sr);
            report_located(lr);
            assert_eq!(sr.problem_count, 0, "strict accepted a file with problems");
            assert_eq!(
                lr.problem_count, 0,
                "lenient found problems strict accepted"
            );
            assert_eq!(ss.len(), ls.len());
        }
        (Ok(_), Err(e)) => panic!("strict accepted what lenient refused: {e}"),
        (Err(e), Ok((_, r))) => {
            located(e);
            report_located(r);
        }
        (Err(a), Err(b)) => {
            located(a);
            located(b);
        }
    }
    for opts in [&strict, &lenient, &tiny] {
        match geojson::layer_from_reader(data, "f.geojson", opts) {
            Ok((_, r)) => report_located(&r),
            Err(e) => located(&e),
        }
    }
    if let Err(e) = geojson::incidents_from_bytes(data, "f.geojson", &tiny) {
        located(&e);
    }
    let Ok((mut store, _)) = geojson::incidents_from_bytes(SEED_GEOJSON, "seed", &strict) else {
        panic!("the seed store must load");
    };
    let before = store.len();
    match geojson::import_incidents_from_reader_into(&mut store, data, "f.geojson", &lenient) {
        Ok(r) => report_located(&r),
        Err(e) => {
            located(&e);
            assert_eq!(store.len(), before, "a failed import changed the store");
        }
    }
}

/// Arbitrary bytes as a CSV file: incidents (new store and re-import), a point layer,
/// a sniff, with the default and a `;` mapping.
pub fn csv(data: &[u8]) {
    let _ = FileFormat::of_name_and_head("f", data);
    let semi = CsvOptions {
        mapping: CsvMapping {
            delimiter: Some(b';'),
            ..Default::default()
        },
        ..Default::default()
    };
    for csv_opts in [CsvOptions::default(), semi] {
        let _ = csv::sniff(data, "f.csv", &csv_opts.mapping);
        for opts in option_sets() {
            let mut store = IncidentStore::default();
            match csv::read_incidents(data, "f.csv", &mut store, &opts, &csv_opts) {
                Ok(out) => {
                    report_located(&out.report);
                    if opts.mode == Mode::Strict {
                        assert_eq!(out.report.problem_count, 0);
                    }
                }
                Err(e) => {
                    located(&e);
                    assert_eq!(store.len(), 0, "a failed import left rows behind");
                }
            }
            match csv::read_layer(data, "f.csv", &opts, &csv_opts) {
                Ok((_, r)) => report_located(&r),
                Err(e) => located(&e),
            }
        }
    }
    let opts = ImportOptions::lenient();
    let mut store = IncidentStore::default();
    if csv::read_incidents(
        SEED_CSV,
        "seed.csv",
        &mut store,
        &opts,
        &CsvOptions::default(),
    )
    .is_err()
    {
        panic!("the seed store must load");
    }
    let before = store.len();
    let again = CsvOptions {
        delete_absent: true,
        ..Default::default()
    };
    match csv::read_incidents(data, "f.csv", &mut store, &opts, &again) {
        Ok(out) => report_located(&out.report),
        Err(e) => {
            located(&e);
            assert_eq!(store.len(), before, "a failed re-import changed the store");
        }
    }
}

/// Arbitrary bytes as a project file: parse (and migrate), check annotations, decode
/// embedded layers through the importers, and save-then-read back.
pub fn project(data: &[u8]) {
    let p = match Project::from_json(data, "f.atlas.json") {
        Ok(p) => p,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let _ = p.annotations.check();
    let _ = p.annotations.to_geojson();
    let nowhere = Path::new("/nonexistent-atlas-fuzz");
    for l in &p.layers {
        // Files on disk are not the fuzzer's business; embedded data is.
        if matches!(l.source, LayerSource::File { .. }) {
            continue;
        }
        let _ = atlas::project::layers::check_source(&l.source, nowhere);
        if let Ok(bytes) = layer_bytes(&l.source, nowhere, &l.id) {
            let opts = ImportOptions::lenient();
            // Named as the app names it; a layer id may be empty.
            let name = format!("layer {:?}", l.id);
            if let Err(e) = geojson::layer_from_reader(&bytes[..], &name, &opts) {
                located(&e);
            }
        }
    }
    if let Ok(bytes) = p.to_json() {
        match Project::from_json(&bytes, "saved.atlas.json") {
            Ok(back) => assert_eq!(back, p, "a saved project reads back different"),
            Err(e) => panic!("a saved project does not read back: {e}"),
        }
    }
}
