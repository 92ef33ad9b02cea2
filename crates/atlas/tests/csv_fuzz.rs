//! Property tests: arbitrary bytes never panic the CSV importer, and in lenient mode every
//! data row is either loaded or rejected with a reported problem.

use atlas::import::csv::{read_incidents, read_layer, CsvOptions};
use atlas::import::{ImportError, ImportOptions, Progress};
use atlas::{IncidentStore, Mode};
use proptest::prelude::*;
use std::sync::atomic::Ordering;
use std::sync::Arc;

fn run_all(data: &[u8]) {
    for mode in [Mode::Strict, Mode::Lenient] {
        let opts = ImportOptions {
            mode,
            ..Default::default()
        };
        let mut store = IncidentStore::default();
        let _ = read_incidents(data, "f.csv", &mut store, &opts, &CsvOptions::default());
        let _ = read_layer(data, "f.csv", &opts, &CsvOptions::default());
    }
}

/// CSV-looking text: a header the importer accepts, then rows built from a small
/// alphabet rich in delimiters, quotes, line ends, digits and multi-byte characters.
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let header = prop_oneof![
        Just(&b"event_id_cnty,event_date,latitude,longitude,notes\n"[..]),
        Just(&b"id,date_start,date_end,type_of_violence,where_prec,latitude,longitude\n"[..]),
        Just(&b"\xEF\xBB\xBFlat,lon,date\r\n"[..]),
    ];
    let body = proptest::collection::vec(
        prop_oneof![
            Just(&b","[..]),
            Just(&b"\""[..]),
            Just(&b"\n"[..]),
            Just(&b"\r\n"[..]),
            Just(&b"3"[..]),
            Just(&b"-1.5"[..]),
            Just(&b"95"[..]),
            Just(&b"2025-10-12"[..]),
            Just(&b"PAK1"[..]),
            Just("ā".as_bytes()),
            Just(&b"\xE9"[..]),
            Just(&b"NaN"[..]),
            Just(&b" "[..]),
        ],
        0..80,
    );
    (header, body).prop_map(|(h, parts)| {
        let mut v = h.to_vec();
        for p in parts {
            v.extend_from_slice(p);
        }
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        run_all(&data);
    }

    #[test]
    fn csvish_rows_are_loaded_or_reported(data in csvish()) {
        run_all(&data);
        let progress = Arc::new(Progress::default());
        let opts = ImportOptions {
            mode: Mode::Lenient,
            max_problems: usize::MAX,
            progress: Some(progress.clone()),
            ..Default::default()
        };
        let mut store = IncidentStore::default();
        match read_incidents(&data[..], "f.csv", &mut store, &opts, &CsvOptions::default()) {
            Ok(out) => {
                let r = &out.report;
                prop_assert_eq!(r.loaded + r.rejected, progress.records.load(Ordering::Relaxed));
                prop_assert_eq!(r.problem_count, r.problems.len() as u64);
                prop_assert!(r.problem_count >= r.rejected);
                prop_assert_eq!(r.loaded as usize, store.live_len());
                for p in &r.problems {
                    prop_assert!(p.location.line.is_some());
                }
                for row in 0..store.len() as u32 {
                    if store.is_live(row) {
                        prop_assert!(store.lat[row as usize].abs() <= 90.0);
                        prop_assert!(store.lon[row as usize].abs() <= 180.0);
                    }
                }
            }
            Err(ImportError::Invalid(_)) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}
