//! GeoJSON inputs that crashed the importer under fuzzing (fuzz/regressions/), fixed.

use atlas::import::{geojson, ImportError, ImportOptions};

/// A rejected feature (lenient mode) whose string ends in a backslash at the very end of
/// the buffer: skipping over it to find the feature's end indexed past the buffer and
/// panicked. The same happens at a 16 MiB chunk boundary in a real file. Found by the
/// `project` target through an embedded base64 layer. The problem was also placed at
/// the end of the file instead of at its token (offsets not shifted after a refill).
#[test]
fn lenient_skip_of_a_string_ending_in_a_backslash_at_the_end_of_input() {
    let text =
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":5,"p":"ab\"#;
    let (layer, report) =
        geojson::layer_from_reader(&text[..], "t.geojson", &ImportOptions::lenient()).unwrap();
    assert!(layer.features.is_empty());
    assert_eq!(report.problems.len(), 1);
    assert_eq!(
        report.problems[0].to_string(),
        "t.geojson:1:70: feature 0: geometry must be an object, found a number; \
         the rest of the file cannot be read, so loading stopped here"
    );
    match geojson::layer_from_reader(&text[..], "t.geojson", &ImportOptions::default()) {
        Err(ImportError::Invalid(p)) => assert_eq!(p.location.column, Some(70)),
        other => panic!("expected a problem, got {other:?}"),
    }
}
