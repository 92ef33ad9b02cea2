//! Cancel (issue #8): setting `Progress::cancel` while an import runs makes it return
//! `ImportError::Cancelled` and leaves nothing half-loaded: the target store is as it
//! was. The flag is set by the reader itself part-way through, as a UI thread would.

use atlas::import::csv::{self, CsvOptions};
use atlas::import::{geojson, ImportError, ImportOptions, Progress};
use atlas::IncidentStore;
use std::io::Read;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Reads `data`, setting the cancel flag once `after` bytes have been handed out.
struct CancelAfter<'a> {
    data: &'a [u8],
    pos: usize,
    after: usize,
    progress: Arc<Progress>,
}

impl Read for CancelAfter<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.data.len() - self.pos).min(64 << 10);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        if self.pos >= self.after {
            self.progress.cancel.store(true, Ordering::Relaxed);
        }
        Ok(n)
    }
}

fn setup(data: &[u8], after: usize) -> (CancelAfter<'_>, ImportOptions) {
    let progress = Arc::new(Progress::default());
    let opts = ImportOptions {
        progress: Some(progress.clone()),
        ..ImportOptions::lenient()
    };
    let rdr = CancelAfter {
        data,
        pos: 0,
        after,
        progress,
    };
    (rdr, opts)
}

fn geojson_incidents(n: usize, prefix: &str) -> String {
    let feats: Vec<String> = (0..n)
        .map(|i| format!("{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[71.1,34.2]}},\"properties\":{{\"event_id_cnty\":\"{prefix}{i}\",\"event_date\":\"2025-10-12\",\"event_type\":\"Battles\",\"notes\":\"{}\"}}}}", "n".repeat(200)))
        .collect();
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
        feats.join(",\n")
    )
}

#[test]
fn geojson_cancel_mid_file_leaves_the_store_unchanged() {
    // Over one 16 MiB chunk, so the flag is seen before the second.
    let text = geojson_incidents(70_000, "NEW");
    assert!(text.len() > 17 << 20);
    let seed = geojson_incidents(3, "OLD");
    let (mut store, _) =
        geojson::incidents_from_bytes(seed.as_bytes(), "seed", &ImportOptions::default()).unwrap();
    let (rdr, opts) = setup(text.as_bytes(), 1 << 20);
    let err = geojson::import_incidents_from_reader_into(&mut store, rdr, "t.geojson", &opts)
        .unwrap_err();
    assert!(matches!(err, ImportError::Cancelled), "{err:?}");
    assert_eq!(err.to_string(), "import cancelled");
    assert_eq!(store.len(), 3);
    assert!(store.row_of("NEW0").is_none());
    // A fresh import returns no store at all.
    let (rdr, opts) = setup(text.as_bytes(), 1 << 20);
    assert!(matches!(
        geojson::layer_from_reader(rdr, "t.geojson", &opts),
        Err(ImportError::Cancelled)
    ));
    // Not cancelled: the same file loads in full.
    let (rdr, opts) = setup(text.as_bytes(), usize::MAX);
    geojson::import_incidents_from_reader_into(&mut store, rdr, "t.geojson", &opts).unwrap();
    assert_eq!(store.len(), 70_003);
}

#[test]
fn csv_cancel_mid_file_leaves_the_store_unchanged() {
    let mut text = String::from("event_id_cnty,event_date,event_type,latitude,longitude\n");
    for i in 0..5000 {
        text.push_str(&format!("NEW{i},2025-10-12,Battles,34.1,71.1\n"));
    }
    let seed =
        "event_id_cnty,event_date,event_type,latitude,longitude\nOLD1,2025-10-11,Riots,34,71\n";
    let mut store = IncidentStore::default();
    let plain = ImportOptions::default();
    csv::read_incidents(
        seed.as_bytes(),
        "s.csv",
        &mut store,
        &plain,
        &CsvOptions::default(),
    )
    .unwrap();
    let (rdr, opts) = setup(text.as_bytes(), 1);
    let err =
        csv::read_incidents(rdr, "t.csv", &mut store, &opts, &CsvOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::Cancelled), "{err:?}");
    assert_eq!(store.len(), 1);
    assert_eq!(store.event_id(0), "OLD1");
    let (rdr, opts) = setup(text.as_bytes(), 1);
    assert!(matches!(
        csv::read_layer(rdr, "t.csv", &opts, &CsvOptions::default()),
        Err(ImportError::Cancelled)
    ));
}
