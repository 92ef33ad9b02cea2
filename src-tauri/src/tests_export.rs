//! The export dialog's commands: preview size, export to a granted path, refusals.

use crate::commands::export::{export_impl, preview_impl, ExportRequest};
use crate::grants::Grants;
use crate::tests::state;
use atlas::filter::Filter;

fn request(format: &str) -> ExportRequest {
    ExportRequest {
        paper: "a4-landscape".into(),
        width_px: None,
        height_px: None,
        dpi: 150,
        format: format.into(),
        title: "Torkham & <Khyber>".into(),
        subtitle: "October 2025".into(),
        notes: String::new(),
        bbox: [69.0, 33.0, 72.5, 35.5],
        filter: Filter::default(),
        step_days: None,
        window_days: None,
    }
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("ba-export-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn preview_is_a_small_png_of_the_page() {
    let s = state();
    let png = preview_impl(&s, &request("pdf"), 600, &[]).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert!((590..=610).contains(&w), "{w}");
    assert!(h < w, "landscape: {w} × {h}");
}

#[test]
fn exports_go_only_to_granted_paths_with_the_right_extension() {
    let s = state();
    let dir = tmp("granted");
    let g = Grants::with_dir(&dir);
    let out = dir.join("map.pdf");
    let r = export_impl(&s, &g, &request("pdf"), &out, &[]).unwrap();
    assert_eq!(r.bytes as u64, std::fs::metadata(&out).unwrap().len());
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    // No temporary file left behind.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    let e = export_impl(&s, &g, &request("png"), &out, &[]).unwrap_err();
    assert!(e.to_string().contains("does not end in .png"), "{e}");
    let other = tmp("other").join("map.pdf");
    let e = export_impl(&s, &g, &request("pdf"), &other, &[]).unwrap_err();
    assert!(e.to_string().contains("save dialog"), "{e}");
    assert!(!other.exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_requests_are_refused_with_reasons() {
    let s = state();
    let mut r = request("pdf");
    r.dpi = 5000;
    assert!(preview_impl(&s, &r, 600, &[])
        .unwrap_err()
        .to_string()
        .contains("dpi"));
    let mut r = request("pdf");
    r.paper = "a0-sideways".into();
    assert!(preview_impl(&s, &r, 600, &[]).is_err());
    let mut r = request("pdf");
    r.bbox = [72.0, 33.0, 70.0, 35.0];
    assert!(preview_impl(&s, &r, 600, &[]).is_err());
    let mut r = request("pdf");
    r.paper = "custom".into();
    r.width_px = Some(50_000);
    r.height_px = Some(100);
    assert!(preview_impl(&s, &r, 600, &[])
        .unwrap_err()
        .to_string()
        .contains("custom size"));
    let mut r = request("docx");
    r.title = "x".into();
    let dir = tmp("fmt");
    let g = Grants::with_dir(&dir);
    assert!(export_impl(&s, &g, &r, &dir.join("a.docx"), &[]).is_err());
    let mut r = request("pdf");
    r.title = "t".repeat(301);
    assert!(preview_impl(&s, &r, 600, &[]).is_err());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn exports_draw_the_layers_and_annotations_of_the_view() {
    use atlas::project::annotations::{Annotation, Geometry};
    let s = state();
    let g = Grants::default();
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/layers/zones-synthetic.geojson");
    g.grant(&p);
    crate::commands::files::start_imports(&s, &g, &[p], |job| crate::jobs::run(&s, &job)).unwrap();
    let notes = [Annotation {
        id: 1,
        geometry: Geometry::Point([71.09, 34.12]),
        title: "Reported clash <site> & co".into(),
        note: String::new(),
        created: String::new(),
        modified: String::new(),
    }];
    let dir = tmp("overlays");
    let g = Grants::with_dir(&dir);
    let out = dir.join("map.svg");
    export_impl(&s, &g, &request("svg"), &out, &notes).unwrap();
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(
        svg.contains("zones-synthetic"),
        "the layer is in the legend"
    );
    assert!(
        svg.contains("Reported clash &lt;site&gt; &amp; co"),
        "the annotation, escaped"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_choropleth_exports_with_its_counts() {
    let s = state();
    let g = Grants::default();
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/layers/zones-synthetic.geojson");
    g.grant(&p);
    crate::commands::files::start_imports(&s, &g, &[p], |job| crate::jobs::run(&s, &job)).unwrap();
    let id = s.layers.read().unwrap()[0].id;
    crate::commands::data::join_layer_impl(&s, id, &Filter::default()).unwrap();
    let l = s.layer(id).unwrap();
    let exported = super::commands::export::prepare(&s, &request("svg"), &[])
        .unwrap()
        .0;
    let layer = &exported.overlays.layers[0].layer;
    let polygons = layer
        .features
        .iter()
        .filter(|f| f.properties.contains_key("incidents"))
        .count();
    assert_eq!(polygons, 6, "each zone carries its count");
    assert!(
        !l.layer.features[0].properties.contains_key("incidents"),
        "the layer itself is untouched"
    );
}

#[test]
fn the_dialogs_notes_go_to_the_pages_notes_block() {
    let s = state();
    let mut r = request("svg");
    r.notes = "  Line one of the notes.\nLine two.  ".into();
    let (spec, _) = crate::commands::export::prepare(&s, &r, &[]).unwrap();
    assert_eq!(spec.notes, "Line one of the notes.\nLine two.");
    assert!(spec.filters.iter().all(|f| !f.contains("Line one")));
    let dir = tmp("notes");
    let out = dir.join("map.svg");
    export_impl(&s, &Grants::with_dir(&dir), &r, &out, &[]).unwrap();
    let svg = std::fs::read_to_string(&out).unwrap();
    let block = &svg[svg.find(r#"<g id="notes">"#).expect("notes block")..];
    assert!(
        block.contains(">Line one of the notes.</text>") && block.contains(">Line two.</text>")
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_dialog_exports_an_mp4_time_lapse() {
    let s = state();
    let mut r = request("mp4");
    r.dpi = 72;
    r.step_days = Some(4);
    r.window_days = Some(4);
    let dir = tmp("mp4");
    let out = dir.join("lapse.mp4");
    let g = Grants::with_dir(&dir);
    let res = export_impl(&s, &g, &r, &out, &[]).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(res.bytes, bytes.len());
    assert_eq!(&bytes[4..8], b"ftyp");
    let e = export_impl(&s, &g, &r, &dir.join("lapse.gif"), &[]).unwrap_err();
    assert!(e.to_string().contains("does not end in .mp4"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}
