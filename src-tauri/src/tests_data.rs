//! Spatial join and data export from the app, against brute force and read back.

use crate::commands::{data, files, layers as lc};
use crate::grants::Grants;
use crate::jobs;
use crate::state::AppState;
use crate::tests::state;
use atlas::filter::Filter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn with_layer_and_incidents() -> (AppState, Grants, u64) {
    let s = state();
    let g = Grants::default();
    let paths = [
        fixture("layers/zones-synthetic.geojson"),
        fixture("csv/acled_synthetic_v1.csv"),
    ];
    for p in &paths {
        g.grant(p);
    }
    files::start_imports(&s, &g, &paths, |job: Arc<jobs::Job>| jobs::run(&s, &job)).unwrap();
    let id = lc::list_layers_impl(&s).unwrap().layers[0].id;
    (s, g, id)
}

#[test]
fn join_counts_match_brute_force_and_reach_the_tiles() {
    let (s, _g, id) = with_layer_and_incidents();
    let (table, rev) = data::join_layer_impl(&s, id, &Filter::default()).unwrap();
    assert_eq!(rev, 1);
    assert_eq!(table.rows.len(), 6, "six polygons");
    // Brute force: the zones are axis-aligned boxes; count live mapped incidents inside
    // (west and south edges included, east and north excluded, as the join's rule says).
    let d = s.dataset().unwrap();
    let st = d.store();
    let l = s.layer(id).unwrap();
    for row in &table.rows {
        let g = l.layer.features[row.feature].geometry.as_ref().unwrap();
        let r = geo::BoundingRect::bounding_rect(g).unwrap();
        let n = (0..st.len() as u32)
            .filter(|&i| st.is_live(i) && st.is_mapped(i))
            .filter(|&i| {
                let (x, y) = (st.lon[i as usize], st.lat[i as usize]);
                x >= r.min().x && x < r.max().x && y >= r.min().y && y < r.max().y
            })
            .count() as u64;
        assert_eq!(row.count, n, "feature {}", row.feature);
    }
    let total: u64 = table.rows.iter().map(|r| r.count).sum();
    assert!(total > 0, "the synthetic ACLED rows fall in the zones");
    // The counts travel in the layer's tiles as `incidents`.
    let bytes = crate::protocol::tile_bytes(&s, &format!("/layer/{id}/{rev}/6/44/25.pbf")).unwrap();
    let layers = atlas::tiles::decode_tile(&bytes).unwrap();
    let f = layers.iter().find(|l| l.name == "features").unwrap();
    assert!(f.features.iter().any(|x| x.prop("incidents").is_some()));
    // Not a polygon layer / unknown layer.
    assert!(data::join_layer_impl(&s, 999, &Filter::default()).is_err());
}

#[test]
fn data_exports_write_only_granted_paths() {
    let (s, _g, id) = with_layer_and_incidents();
    let dir = std::env::temp_dir().join(format!("ba-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let g = Grants::with_dir(&dir);
    let f = Filter::default();
    let n = data::export_data_impl(
        &s,
        &g,
        "incidents",
        None,
        &f,
        "geojson",
        &dir.join("i.geojson"),
    )
    .unwrap();
    assert_eq!(n, s.dataset().unwrap().store().live_len());
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("i.geojson")).unwrap()).unwrap();
    assert_eq!(v["features"].as_array().unwrap().len(), n);
    data::export_data_impl(&s, &g, "incidents", None, &f, "csv", &dir.join("i.csv")).unwrap();
    assert!(std::fs::read_to_string(dir.join("i.csv"))
        .unwrap()
        .starts_with("event_id_cnty"));
    let n =
        data::export_data_impl(&s, &g, "layer", Some(id), &f, "gpkg", &dir.join("l.gpkg")).unwrap();
    assert_eq!(n, 9);
    if let Ok(out) = std::process::Command::new("ogrinfo")
        .args(["-ro", "-so", "-al"])
        .arg(dir.join("l.gpkg"))
        .output()
    {
        let t = String::from_utf8_lossy(&out.stdout);
        assert!(t.contains("Feature Count: 9"), "{t}");
    } else {
        eprintln!("ogrinfo (gdal-bin) not installed: GeoPackage not read back");
    }
    assert!(
        data::export_data_impl(&s, &g, "join", Some(id), &f, "csv", &dir.join("j.csv")).is_err()
    );
    data::join_layer_impl(&s, id, &f).unwrap();
    assert_eq!(
        data::export_data_impl(&s, &g, "join", Some(id), &f, "csv", &dir.join("j.csv")).unwrap(),
        6
    );
    // Refusals: ungranted path, wrong extension, unknown format.
    let e = data::export_data_impl(
        &s,
        &g,
        "incidents",
        None,
        &f,
        "csv",
        Path::new("/tmp/x.csv"),
    );
    assert!(e.unwrap_err().to_string().contains("save dialog"));
    assert!(
        data::export_data_impl(&s, &g, "incidents", None, &f, "csv", &dir.join("i.gpkg")).is_err()
    );
    assert!(
        data::export_data_impl(&s, &g, "incidents", None, &f, "xlsx", &dir.join("i.xlsx")).is_err()
    );
    assert!(
        data::export_data_impl(&s, &g, "everything", None, &f, "csv", &dir.join("e.csv")).is_err()
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_point_layer_becomes_incidents_through_an_edited_mapping() {
    let s = state();
    let g = Grants::default();
    let p = fixture("layers/broken-synthetic.geojson");
    g.grant(&p);
    // Load the valid features of the broken file as a layer (three points named "ok N").
    let ids =
        files::start_imports(&s, &g, &[p], |job: Arc<jobs::Job>| jobs::run(&s, &job)).unwrap();
    files::import_action_impl(&s, ids[0], "accept").unwrap();
    let id = lc::list_layers_impl(&s).unwrap().layers[0].id;
    let prop = lc::layer_mapping_impl(&s, id).unwrap();
    assert_eq!(prop.properties, ["name"]);
    assert_eq!(prop.mapping.location.as_deref(), Some("name"));
    assert!(prop.mapping.date.is_none(), "no date property to guess");
    // Without a date nothing can be mapped; the researcher's mapping is checked.
    assert!(lc::layer_as_incidents_impl(&s, id, &prop.mapping).is_err());
    let mut m = prop.mapping.clone();
    m.date = Some("name".into());
    let e = lc::layer_as_incidents_impl(&s, id, &m)
        .unwrap_err()
        .to_string();
    assert!(e.contains("is not a date"), "{e}");
    let n0 = s.dataset().unwrap().store().live_len();
    assert_eq!(
        s.dataset().unwrap().store().live_len(),
        n0,
        "nothing merged on error"
    );
    // A layer with dates: the guess maps it, and the incidents join the analysis.
    let p = fixture("layers/reports-synthetic.geojson");
    g.grant(&p);
    files::start_imports(&s, &g, &[p], |job: Arc<jobs::Job>| jobs::run(&s, &job)).unwrap();
    let id = lc::list_layers_impl(&s).unwrap().layers.last().unwrap().id;
    let m = lc::layer_mapping_impl(&s, id).unwrap().mapping;
    assert_eq!(m.date.as_deref(), Some("Date"));
    assert_eq!(m.event_type.as_deref(), Some("Category"));
    assert_eq!(m.fatalities.as_deref(), Some("Deaths"));
    assert_eq!(m.event_id.as_deref(), Some("Ref"));
    let r = lc::layer_as_incidents_impl(&s, id, &m).unwrap();
    assert_eq!((r.loaded, r.rejected), (5, 0));
    let d = s.dataset().unwrap();
    assert_eq!(d.store().live_len(), n0 + 5);
    let row = d.store().row_of("SYN-R3").unwrap();
    assert_eq!(d.store().event_type(row), "Raid");
    assert_eq!(d.store().fatalities(row), Some(3));
    assert!(
        d.analytics().row(row).border_km.is_some(),
        "border analytics cover them"
    );
    assert!(
        !s.layer(id).unwrap().meta().unwrap().style.visible,
        "the layer is hidden"
    );
}
