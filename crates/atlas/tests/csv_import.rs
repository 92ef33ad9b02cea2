//! End-to-end tests of the CSV importer on synthetic fixtures (tests/fixtures/csv/) and
//! small inline files; every bad-input case asserts the exact line and column.

use atlas::date::parse_date;
use atlas::import::csv::{
    detect, read_incidents, read_incidents_file, read_layer, read_layer_file, sniff, CsvFormat,
    CsvImport, CsvMapping, CsvOptions,
};
use atlas::import::{ImportError, ImportOptions, Progress};
use atlas::{IncidentStore, Mode};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/csv")
        .join(name)
}

fn day(s: &str) -> i32 {
    parse_date(s).unwrap()
}

fn import(data: &[u8], mode: Mode) -> Result<(IncidentStore, CsvImport), ImportError> {
    let mut store = IncidentStore::default();
    let opts = ImportOptions {
        mode,
        ..Default::default()
    };
    let out = read_incidents(data, "x.csv", &mut store, &opts, &CsvOptions::default())?;
    Ok((store, out))
}

/// The problem a file with one bad row produces, checked in both modes: strict fails
/// with exactly that problem, lenient loads the other rows and reports exactly it.
fn only_problem(data: &[u8]) -> String {
    let strict = match import(data, Mode::Strict) {
        Err(ImportError::Invalid(p)) => p.to_string(),
        other => panic!("strict import should fail, got {other:?}"),
    };
    let (store, out) = import(data, Mode::Lenient).unwrap();
    assert_eq!(out.report.problems.len(), 1, "{:?}", out.report.problems);
    assert_eq!(out.report.problems[0].to_string(), strict);
    assert_eq!(out.report.rejected, 1);
    assert_eq!(out.report.loaded, store.live_len() as u64);
    strict
}

const HEAD: &str =
    "event_id_cnty,event_date,latitude,longitude,notes\nPAK0,2025-10-12,34.0,71.0,ok\n";

fn with_bad_row(row: &[u8]) -> Vec<u8> {
    let mut v = HEAD.as_bytes().to_vec();
    v.extend_from_slice(row);
    v.push(b'\n');
    v
}

#[test]
fn every_bad_value_is_located() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"PAK1,2025-10-12,95.2,71.0,x",
            "x.csv:3:17: row 2: latitude 95.2 out of range [-90, 90]",
        ),
        (
            b"PAK1,2025-10-12,34.0,-180.5,x",
            "x.csv:3:22: row 2: longitude -180.5 out of range [-180, 180]",
        ),
        (
            b"PAK1,2025-10-12,34.0,abc,x",
            "x.csv:3:22: row 2: longitude \"abc\" is not a number",
        ),
        (
            b"PAK1,2025-10-12,,71.0,x",
            "x.csv:3:17: row 2: latitude is empty",
        ),
        (
            b"PAK1,2025-10-12,NaN,71.0,x",
            "x.csv:3:17: row 2: latitude \"NaN\" is not a finite number",
        ),
        (
            b"PAK1,2025-10-12,34.0,inf,x",
            "x.csv:3:22: row 2: longitude \"inf\" is not a finite number",
        ),
        (
            b"PAK1,31/02/2025,34.0,71.0,x",
            "x.csv:3:6: row 2: unparseable event_date \"31/02/2025\"",
        ),
        (
            b"PAK1,,34.0,71.0,x",
            "x.csv:3:6: row 2: event_date is empty",
        ),
        (
            b",2025-10-12,34.0,71.0,x",
            "x.csv:3:1: row 2: event_id_cnty is empty",
        ),
        (
            b"PAK1,2025-10-12,34.0,71.0,x,extra,more",
            "x.csv:3:29: row 2: row has 7 fields, header has 5",
        ),
        (
            b"PAK1,2025-10-12,34.0",
            "x.csv:3:21: row 2: row has 3 fields, header has 5",
        ),
        (
            b"PAK1,2025-10-12,34.0,71.0,caf\xE9",
            "x.csv:3:27: row 2: invalid UTF-8 in field \"notes\"",
        ),
        (
            b"PAK1,2025-10-12,34.0,71.0,\"never closed\nmore",
            "x.csv:3:27: row 2: unterminated quoted field starting at line 3 (it runs to the end of the file, line 4)",
        ),
    ];
    for (row, want) in cases {
        assert_eq!(
            only_problem(&with_bad_row(row)),
            *want,
            "{}",
            String::from_utf8_lossy(row)
        );
    }
}

#[test]
fn columns_count_characters_and_lines_follow_quoted_newlines() {
    // The bad latitude is on the second physical line of its record; columns count characters.
    let data = "notes,event_id_cnty,event_date,latitude,longitude\n\
                \"Kābul, first\nsecond ā\",PAK1,2025-10-12,34,71\n\
                \"ā\nb\nc\",PAK2,2025-10-12,95,71\n";
    assert_eq!(
        only_problem(data.as_bytes()),
        "x.csv:6:20: row 2: latitude 95 out of range [-90, 90]"
    );
}

#[test]
fn crlf_line_numbers() {
    let data = b"lat,lon,date\r\n1,2,2025-01-01\r\n\r\n95,2,2025-01-01\r\n3,4,2025-01-02";
    assert_eq!(
        only_problem(data),
        "x.csv:4:1: row 2: latitude 95 out of range [-90, 90]"
    );
}

#[test]
fn precision_and_fatalities_values_are_checked() {
    let data =
        "event_id_cnty,event_date,time_precision,geo_precision,latitude,longitude,fatalities\n\
                PAK1,2025-10-12,1,1,34,71,2\n\
                PAK2,2025-10-12,1,7,34,71,2\n";
    assert_eq!(
        only_problem(data.as_bytes()),
        "x.csv:3:19: row 2: geo_precision \"7\" is not a whole number 1–3"
    );
    let data = "event_id_cnty,event_date,latitude,longitude,fatalities\nPAK1,2025-10-12,34,71,-3\n";
    assert_eq!(
        only_problem(data.as_bytes()),
        "x.csv:2:23: row 1: fatalities \"-3\" is not a whole number ≥ 0"
    );
}

#[test]
fn whole_file_problems() {
    for data in [&b""[..], b"\xEF\xBB\xBF", b"\n\r\n"] {
        match import(data, Mode::Lenient) {
            Err(ImportError::Invalid(p)) => assert_eq!(p.to_string(), "x.csv:1:1: file is empty"),
            other => panic!("{other:?}"),
        }
    }
    match import(b"name,when\nA,2025-01-01\n", Mode::Lenient) {
        Err(ImportError::Invalid(p)) => assert_eq!(
            p.to_string(),
            "x.csv:1: no latitude/longitude columns: header has [name, when]; map them with --lat/--lon"
        ),
        other => panic!("{other:?}"),
    }
    // A one-column header with tabs or semicolons is read with that delimiter.
    let (store, out) = import(b"lat;lon;date\n1;2;2025-01-01\n", Mode::Strict).unwrap();
    assert_eq!(
        (out.report.loaded, store.lat[0], store.lon[0]),
        (1, 1.0, 2.0)
    );
    let (_, out) = import(
        b"\xEF\xBB\xBFlat\tlon\tdate\n1\t2\t2025-01-01\n95\t2\t2025-01-01\n",
        Mode::Lenient,
    )
    .unwrap();
    assert_eq!(
        out.report.problems[0].to_string(),
        "x.csv:3:1: row 2: latitude 95 out of range [-90, 90]"
    );
    let forced = CsvOptions {
        mapping: CsvMapping {
            delimiter: Some(b','),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut store = IncidentStore::default();
    match read_incidents(&b"lat;lon;date\n1;2;2025-01-01\n"[..], "x.csv", &mut store, &ImportOptions::default(), &forced) {
        Err(ImportError::Invalid(p)) => assert_eq!(
            p.to_string(),
            "x.csv:1: no latitude/longitude columns: header has [lat;lon;date]; map them with --lat/--lon \
             (the header looks semicolon-separated: set the delimiter)"
        ),
        other => panic!("{other:?}"),
    }
    match import(b"\xFF\xFEl\x00a\x00t\x00", Mode::Lenient) {
        Err(ImportError::Invalid(p)) => assert_eq!(
            p.to_string(),
            "x.csv:1:1: file is UTF-16 encoded; save it as UTF-8 CSV"
        ),
        other => panic!("{other:?}"),
    }
    match import(b"name,lat,lon\nA,1,2\n", Mode::Lenient) {
        Err(ImportError::Invalid(p)) => {
            assert!(p.to_string().starts_with("x.csv:1: no date column"))
        }
        other => panic!("{other:?}"),
    }
    match import(b"lat,lon,\"date\n1,2,3\n", Mode::Lenient) {
        Err(ImportError::Invalid(p)) => assert_eq!(
            p.to_string(),
            "x.csv:1:9: unterminated quoted field starting at line 1 (it runs to the end of the file, line 2)"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn duplicate_ids_later_row_wins_in_lenient_mode() {
    let data = "event_id_cnty,event_date,latitude,longitude,fatalities\n\
                PAK1,2025-10-12,34,71,1\n\
                PAK2,2025-10-12,34,71,1\n\
                PAK1,2025-10-13,35,72,9\n";
    let msg =
        "x.csv:4:1: row 3: duplicate event id \"PAK1\" (first on line 2); the later row is kept";
    match import(data.as_bytes(), Mode::Strict) {
        Err(ImportError::Invalid(p)) => assert_eq!(p.to_string(), msg),
        other => panic!("{other:?}"),
    }
    let (store, out) = import(data.as_bytes(), Mode::Lenient).unwrap();
    assert_eq!(out.report.problems[0].to_string(), msg);
    assert_eq!((out.report.loaded, out.report.rejected), (2, 1));
    assert_eq!(store.live_len(), 2);
    let r = store.record(store.row_of("PAK1").unwrap());
    assert_eq!(
        (r.fatalities, r.date_start, r.lat),
        (Some(9), day("2025-10-13"), 35.0)
    );
}

#[test]
fn strict_loads_nothing_and_lenient_loads_the_good_rows() {
    let data = with_bad_row(b"PAK1,2025-10-12,95,71,x");
    let mut store = IncidentStore::default();
    let mut first = atlas::IncidentRecord::new("AFG7", 70.0, 33.0, day("2025-01-01"));
    first.country = "Afghanistan".into();
    store.push(&first);
    let strict = read_incidents(
        &data[..],
        "x.csv",
        &mut store,
        &ImportOptions::default(),
        &CsvOptions::default(),
    );
    assert!(matches!(strict, Err(ImportError::Invalid(_))));
    assert_eq!(store.len(), 1);
    let out = read_incidents(
        &data[..],
        "x.csv",
        &mut store,
        &ImportOptions::lenient(),
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (out.report.loaded, out.report.updated, out.report.rejected),
        (1, 0, 1)
    );
    assert_eq!(store.live_len(), 2);
    assert!(store.row_of("PAK0").is_some());
}

#[test]
fn acled_export_with_quotes_and_precisions() {
    let mut store = IncidentStore::default();
    let out = read_incidents_file(
        &fixture("acled_synthetic_v1.csv"),
        &mut store,
        &ImportOptions::default(),
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(out.format, CsvFormat::Acled);
    assert_eq!((out.report.loaded, out.report.rejected), (4, 0));
    let r = store.record(store.row_of("PAK900001").unwrap());
    assert_eq!(
        r.notes,
        "SYNTHETIC TEST ROW. Notes with a comma, and a\nsecond line."
    );
    assert_eq!((r.lon, r.lat), (71.0932, 34.1226));
    assert_eq!(
        (r.date_start, r.date_end, r.time_precision),
        (day("2025-10-12"), day("2025-10-12"), 1)
    );
    assert_eq!(
        (r.event_type.as_str(), r.sub_event_type.as_str()),
        ("Battles", "Armed clash")
    );
    assert_eq!(
        (r.actor1.as_str(), r.actor2.as_str()),
        ("Synthetic Actor A", "Synthetic Actor B")
    );
    assert_eq!(
        (r.iso.as_str(), r.country.as_str(), r.admin3.as_str()),
        ("586", "Pakistan", "Landi Kotal")
    );
    assert_eq!(
        (r.fatalities, r.geo_precision, r.source_scale.as_str()),
        (Some(3), 1, "National")
    );
    let r = store.record(store.row_of("AFG900002").unwrap());
    assert_eq!(
        (r.date_start, r.time_precision, r.geo_precision),
        (day("2025-10-14"), 2, 2)
    );
    // Month precision keeps the single date and the precision.
    let r = store.record(store.row_of("PAK900003").unwrap());
    assert_eq!(
        (r.date_start, r.date_end, r.time_precision),
        (day("2025-10-16"), day("2025-10-16"), 3)
    );
    assert_eq!(
        r.notes,
        "SYNTHETIC TEST ROW. A \"quoted\" word; month precision."
    );
    assert_eq!(r.tags, "crowd size=no report");
    assert_eq!(
        store.record(store.row_of("AFG900004").unwrap()).fatalities,
        None
    );
}

#[test]
fn acled_reimport_updates_adds_and_reports_absent_events() {
    let mut store = IncidentStore::default();
    let opts = ImportOptions::default();
    read_incidents_file(
        &fixture("acled_synthetic_v1.csv"),
        &mut store,
        &opts,
        &CsvOptions::default(),
    )
    .unwrap();
    let out = read_incidents_file(
        &fixture("acled_synthetic_v2.csv"),
        &mut store,
        &opts,
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!((out.report.loaded, out.report.updated), (1, 3));
    assert_eq!(store.live_len(), 5);
    let edited = store.record(store.row_of("PAK900001").unwrap());
    assert_eq!(edited.fatalities, Some(5));
    assert!(store.row_of("PAK900005").is_some());
    let gone = store.row_of("PAK900003").unwrap();
    assert_eq!(out.absent, vec![gone]);
    assert_eq!(out.removed, 0);

    let mut store = IncidentStore::default();
    read_incidents_file(
        &fixture("acled_synthetic_v1.csv"),
        &mut store,
        &opts,
        &CsvOptions::default(),
    )
    .unwrap();
    let del = CsvOptions {
        delete_absent: true,
        ..Default::default()
    };
    let out =
        read_incidents_file(&fixture("acled_synthetic_v2.csv"), &mut store, &opts, &del).unwrap();
    assert_eq!((out.absent.len(), out.removed), (1, 1));
    assert_eq!(store.live_len(), 4);
    assert_eq!(store.row_of("PAK900003"), None);
}

#[test]
fn reimport_ignores_events_outside_the_export_coverage() {
    let mut store = IncidentStore::default();
    let opts = ImportOptions::default();
    // An earlier event, another country, and a user's own event are all out of scope.
    let old = "event_id_cnty,event_date,country,latitude,longitude\n\
               PAK1,2020-01-01,Pakistan,34,71\nIRN1,2025-10-14,Iran,30,61\nPAK2,2025-10-14,Pakistan,34,71\n";
    read_incidents(
        old.as_bytes(),
        "old.csv",
        &mut store,
        &opts,
        &CsvOptions::default(),
    )
    .unwrap();
    let mine = "id,date,country,lat,lon\nmy-1,2025-10-14,Pakistan,34,71\n";
    read_incidents(
        mine.as_bytes(),
        "mine.csv",
        &mut store,
        &opts,
        &CsvOptions::default(),
    )
    .unwrap();
    let new = "event_id_cnty,event_date,country,latitude,longitude\nPAK3,2025-10-12,Pakistan,34,71\nPAK4,2025-10-20,Pakistan,34,71\n";
    let out = read_incidents(
        new.as_bytes(),
        "new.csv",
        &mut store,
        &opts,
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(out.absent, vec![store.row_of("PAK2").unwrap()]);
}

#[test]
fn ucdp_ged_rows() {
    let mut store = IncidentStore::default();
    let out = read_incidents_file(
        &fixture("ucdp_ged_synthetic.csv"),
        &mut store,
        &ImportOptions::default(),
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(out.format, CsvFormat::Ucdp);
    assert_eq!(out.report.loaded, 3);
    let r = store.record(store.row_of("990001").unwrap());
    assert_eq!(r.event_type, "State-based conflict");
    assert_eq!(
        (r.actor1.as_str(), r.actor2.as_str()),
        ("Synthetic side A", "Synthetic side B")
    );
    assert_eq!(
        (r.fatalities, r.tags.as_str()),
        (Some(3), "deaths_low=3;deaths_high=5")
    );
    assert_eq!((r.geo_precision, r.time_precision), (1, 1));
    assert_eq!(
        (r.admin1.as_str(), r.location.as_str()),
        (
            "Khyber Pakhtunkhwa province",
            "Torkham (synthetic test row)"
        )
    );
    assert_eq!(r.sources.len(), 2);
    assert_eq!(r.sources[1].outlet, "Synthetic Daily");
    assert_eq!(r.sources[1].date.as_deref(), Some("2024-03-03"));
    assert_eq!(
        r.sources[1].headline.as_deref(),
        Some("Synthetic headline two")
    );
    assert_eq!(r.sources[0].url, None);
    assert_eq!(r.source, "Synthetic Wire; Synthetic Daily");
    let r = store.record(store.row_of("990002").unwrap());
    assert_eq!(r.event_type, "Non-state conflict");
    assert_eq!(
        (r.date_start, r.date_end),
        (day("2024-03-01"), day("2024-03-05"))
    );
    assert_eq!((r.time_precision, r.geo_precision), (2, 3));
    assert_eq!(
        r.notes,
        "Headlines: Synthetic headline A; Synthetic headline B"
    );
    let r = store.record(store.row_of("990003").unwrap());
    assert_eq!(r.event_type, "One-sided violence");
    assert_eq!(
        (r.date_end - r.date_start, r.time_precision, r.geo_precision),
        (365, 3, 3)
    );
    assert!(r.sources.is_empty());
}

#[test]
fn ucdp_bad_range_and_codes() {
    let head = "id,date_start,date_end,type_of_violence,where_prec,latitude,longitude\n";
    let data = format!("{head}1,2024-03-05,2024-03-01,1,1,34,71\n");
    assert_eq!(
        only_problem(data.as_bytes()),
        "x.csv:2:14: row 1: date_end 2024-03-01 is before date_start 2024-03-05"
    );
    let data = format!("{head}1,2024-03-05,2024-03-05,4,1,34,71\n");
    assert_eq!(
        only_problem(data.as_bytes()),
        "x.csv:2:25: row 1: type_of_violence \"4\" is not a whole number 1–3"
    );
    let data = format!("{head}1,2024-03-05,,1,8,34,71\n");
    assert_eq!(
        only_problem(data.as_bytes()),
        "x.csv:2:17: row 1: where_prec \"8\" is not a whole number 1–7"
    );
}

#[test]
fn bench_workload_header() {
    let mut store = IncidentStore::default();
    let out = read_incidents_file(
        &fixture("bench_workload_synthetic.csv"),
        &mut store,
        &ImportOptions::default(),
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(out.format, CsvFormat::Acled);
    assert_eq!(out.report.loaded, 2);
    let r = store.record(store.row_of("PAK2").unwrap());
    assert_eq!((r.lon, r.lat), (66.430003, 30.950001));
    assert_eq!(
        (r.fatalities, r.geo_precision, r.iso.as_str()),
        (Some(12), 1, "PAK")
    );
    assert_eq!(
        (r.event_type.as_str(), r.actor2.as_str()),
        ("Riots", "Synthetic actor 3")
    );
    assert_eq!(
        store.record(store.row_of("AFG1").unwrap()).notes,
        "Synthetic benchmark-style note, with a comma."
    );
}

#[test]
fn generic_events_with_bom_and_crlf() {
    let path = fixture("generic_events_bom_crlf.csv");
    let f = std::fs::File::open(&path).unwrap();
    assert_eq!(
        sniff(f, "g.csv", &CsvMapping::default()).unwrap(),
        CsvFormat::GenericIncidents
    );
    let mut store = IncidentStore::default();
    let out = read_incidents_file(
        &path,
        &mut store,
        &ImportOptions::default(),
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(out.format, CsvFormat::GenericIncidents);
    assert_eq!(out.report.loaded, 2);
    let r = store.record(store.row_of("generic_events_bom_crlf.csv:1").unwrap());
    assert_eq!(
        (r.lat, r.lon, r.event_type.as_str()),
        (34.12, 71.09, "Synthetic type")
    );
    assert_eq!(r.notes, "Synthetic, quoted\r\nmultiline");
    assert!(store.row_of("generic_events_bom_crlf.csv:2").is_some());
}

#[test]
fn generic_points_become_a_layer() {
    let path = fixture("generic_points.csv");
    let (layer, report) =
        read_layer_file(&path, &ImportOptions::default(), &CsvOptions::default()).unwrap();
    assert_eq!(layer.name, "generic_points");
    assert_eq!(report.loaded, 2);
    let f = &layer.features[1];
    assert_eq!(
        f.geometry,
        Some(geo::Geometry::Point(geo::Point::new(66.4374, 30.9559)))
    );
    assert_eq!(f.properties["name"], "Synthetic post B");
    assert_eq!(f.properties["y"], "30.9559");
    assert_eq!(f.properties.len(), 4);
    let mut store = IncidentStore::default();
    let err = read_incidents_file(
        &path,
        &mut store,
        &ImportOptions::default(),
        &CsvOptions::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("import the file as a layer"),
        "{err}"
    );
    // Bad coordinates in a layer are located too.
    let (_, report) = read_layer(
        &b"name,lat,lon\nA,1,2\nB,1,200\n"[..],
        "l.csv",
        &ImportOptions::lenient(),
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(
        report.problems[0].to_string(),
        "l.csv:3:5: row 2: longitude 200 out of range [-180, 180]"
    );
    assert_eq!((report.loaded, report.rejected), (1, 1));
}

#[test]
fn explicit_mapping_and_delimiter() {
    let path = fixture("mapped_columns.csv");
    let mapping = CsvMapping {
        lat: Some("Northing".into()),
        lon: Some("easting".into()),
        date: Some("when".into()),
        event_type: Some("what".into()),
        delimiter: Some(b';'),
        ..Default::default()
    };
    let header = ["northing", "easting", "when", "what"];
    assert_eq!(
        detect(&header, &CsvMapping::default()),
        CsvFormat::NoCoordinates
    );
    assert_eq!(detect(&header, &mapping), CsvFormat::GenericIncidents);
    let mut store = IncidentStore::default();
    let opts = CsvOptions {
        mapping,
        ..Default::default()
    };
    let out = read_incidents_file(&path, &mut store, &ImportOptions::default(), &opts).unwrap();
    assert_eq!(out.report.loaded, 1);
    let r = store.record(0);
    assert_eq!(
        (r.lat, r.lon, r.event_type.as_str()),
        (34.1226, 71.0932, "synthetic")
    );
    // A mapped column that is not there is an error naming the flag.
    let bad = CsvOptions {
        mapping: CsvMapping {
            lat: Some("nope".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let err = read_incidents_file(&path, &mut store, &ImportOptions::default(), &bad).unwrap_err();
    assert!(
        err.to_string()
            .contains("column \"nope\" given with --lat is not in the header"),
        "{err}"
    );
}

#[test]
fn progress_and_cancel() {
    let mut data = String::from("event_id_cnty,event_date,latitude,longitude\n");
    for i in 0..5000 {
        data.push_str(&format!("PAK{i},2025-10-12,34.{i},71.0\n"));
    }
    let progress = Arc::new(Progress::default());
    let opts = ImportOptions {
        progress: Some(progress.clone()),
        ..Default::default()
    };
    let mut store = IncidentStore::default();
    let out = read_incidents(
        data.as_bytes(),
        "p.csv",
        &mut store,
        &opts,
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(out.report.loaded, 5000);
    assert_eq!(progress.records.load(Ordering::Relaxed), 5000);
    assert_eq!(
        progress.bytes_read.load(Ordering::Relaxed),
        data.len() as u64
    );

    progress.cancel.store(true, Ordering::Relaxed);
    let mut store = IncidentStore::default();
    let r = read_incidents(
        data.as_bytes(),
        "p.csv",
        &mut store,
        &opts,
        &CsvOptions::default(),
    );
    assert!(matches!(r, Err(ImportError::Cancelled)));
    assert!(store.is_empty());
}

#[test]
fn problem_cap_keeps_counting() {
    let mut data = String::from("lat,lon,date\n");
    for _ in 0..30 {
        data.push_str("95,1,2025-01-01\n");
    }
    let opts = ImportOptions {
        mode: Mode::Lenient,
        max_problems: 5,
        ..Default::default()
    };
    let mut store = IncidentStore::default();
    let out = read_incidents(
        data.as_bytes(),
        "c.csv",
        &mut store,
        &opts,
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (
            out.report.problems.len(),
            out.report.problem_count,
            out.report.rejected
        ),
        (5, 30, 30)
    );
    assert_eq!(out.report.problems[4].location.line, Some(6));
}

/// Problems found by the parser (bad values) and by the loader (repeated ids) come out in
/// file order across many batches, and strict mode fails on the first of them.
#[test]
fn problems_stay_in_file_order_across_batches() {
    let file = |dup_row: usize, bad_row: usize| {
        let mut s = String::from("event_id_cnty,event_date,latitude,longitude\n");
        for row in 1..=3000 {
            let id = if row == dup_row { 10 } else { row };
            let lat = if row == bad_row { "95" } else { "34" };
            s.push_str(&format!("PAK{id},2025-10-12,{lat},71\n"));
        }
        s
    };
    let dup = "x.csv:701:1: row 700: duplicate event id \"PAK10\" (first on line 11); the later row is kept";
    let bad = "x.csv:1501:20: row 1500: latitude 95 out of range [-90, 90]";
    let data = file(700, 1500);
    assert_eq!(
        format!("{}", import(data.as_bytes(), Mode::Strict).unwrap_err()),
        dup
    );
    let (_, out) = import(data.as_bytes(), Mode::Lenient).unwrap();
    let got: Vec<String> = out.report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(got, vec![dup.to_string(), bad.to_string()]);
    assert_eq!((out.report.loaded, out.report.rejected), (2998, 2));

    let data = file(2500, 1500);
    assert_eq!(
        format!("{}", import(data.as_bytes(), Mode::Strict).unwrap_err()),
        bad
    );
    let (_, out) = import(data.as_bytes(), Mode::Lenient).unwrap();
    assert_eq!(out.report.problems[0].to_string(), bad);
    assert_eq!(out.report.problems[1].location.line, Some(2501));
}

#[test]
fn ucdp_with_mapped_extra_columns() {
    let data = "id,date_start,type_of_violence,latitude,longitude,conflict_name,my_note\n\
                990001,2024-03-01,1,34.1,71.1,Synthetic conflict,synthetic note\n";
    let csv = CsvOptions {
        mapping: CsvMapping {
            sub_event_type: Some("conflict_name".into()),
            notes: Some("my_note".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut store = IncidentStore::default();
    let out = read_incidents(
        data.as_bytes(),
        "u.csv",
        &mut store,
        &ImportOptions::default(),
        &csv,
    )
    .unwrap();
    assert_eq!(out.format, CsvFormat::Ucdp);
    let r = store.record(0);
    assert_eq!(
        (
            r.event_type.as_str(),
            r.sub_event_type.as_str(),
            r.notes.as_str()
        ),
        (
            "State-based conflict",
            "Synthetic conflict",
            "synthetic note"
        )
    );
}

#[test]
fn spreadsheet_exports_with_semicolons_and_decimal_commas() {
    let data = "Lat;Lon;Date;Note\r\n34,12;71,09;2025-10-12;a\r\n   \r\n33,5;70;2025-10-13;b\r\n";
    let (store, out) = import(data.as_bytes(), Mode::Lenient).unwrap();
    assert_eq!(
        (store.lat[0], store.lon[0], store.lat[1]),
        (34.12, 71.09, 33.5)
    );
    assert_eq!(
        out.report.problems[0].to_string(),
        "x.csv:3:4: row 2: row has 1 field, header has 4"
    );
}
