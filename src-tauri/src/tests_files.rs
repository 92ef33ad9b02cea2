//! Opening files: grants, background jobs, the problems list, accept/dismiss, cancel, and
//! the layers panel commands — called directly, as the dialog, drops and the page do.

use crate::commands::{files, layers as lc, view};
use crate::grants::Grants;
use crate::jobs::{self, Outcome};
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

/// Run jobs on the calling thread (deterministic tests).
fn open(s: &AppState, g: &Grants, paths: &[PathBuf]) -> Vec<u64> {
    files::start_imports(s, g, paths, |job: Arc<jobs::Job>| jobs::run(s, &job)).unwrap()
}

fn outcome(s: &AppState, id: u64) -> Outcome {
    s.jobs.get(id).unwrap().status().unwrap().outcome
}

#[test]
fn ungranted_paths_are_refused() {
    let s = state();
    let g = Grants::default();
    let e = files::start_imports(&s, &g, &[PathBuf::from("/etc/passwd")], |_| {}).unwrap_err();
    assert!(e.to_string().contains("was not chosen"), "{e}");
    assert!(s.jobs.statuses().unwrap().is_empty());
}

#[test]
fn a_layer_file_becomes_a_layer_with_its_geometry_types() {
    let s = state();
    let g = Grants::default();
    let p = fixture("layers/zones-synthetic.geojson");
    g.grant(&p);
    let ids = open(&s, &g, &[p]);
    let Outcome::Loaded {
        kind,
        layer_id,
        report,
    } = outcome(&s, ids[0])
    else {
        panic!("{:?}", outcome(&s, ids[0]));
    };
    assert_eq!(kind, "layer");
    assert_eq!(report.loaded, 9);
    let list = lc::list_layers_impl(&s).unwrap();
    assert_eq!(list.layers.len(), 1);
    let l = &list.layers[0];
    assert_eq!(Some(l.id), layer_id);
    assert_eq!(l.features, 9);
    assert_eq!(l.kind, "polygon");
    assert_eq!(l.geometry_types[0], ("Polygon".to_string(), 6));
    assert!(l
        .properties
        .iter()
        .any(|p| p.name == "population" && p.kind == "number"));
    let f = lc::layer_feature_impl(&s, l.id, 0).unwrap();
    assert_eq!(f.id.as_deref(), Some("Z0"));
    assert!(f
        .properties
        .contains(&("name".to_string(), "Synthetic zone A".to_string())));
    // Rename and restyle, validated.
    let mut m = l.meta.clone();
    m.name = "Zones".into();
    m.style.color = "#123456".into();
    assert_eq!(lc::set_layer_impl(&s, l.id, m.clone()).unwrap(), 1);
    m.style.color = "red; background:url(x)".into();
    assert!(lc::set_layer_impl(&s, l.id, m.clone()).is_err());
    m.style.color = "#123456".into();
    m.style.opacity = 2.0;
    assert!(lc::set_layer_impl(&s, l.id, m).is_err());
    assert_eq!(
        lc::list_layers_impl(&s).unwrap().layers[0].meta.name,
        "Zones"
    );
    // Reorder must name each layer once; remove.
    assert!(lc::reorder_layers_impl(&s, &[l.id, l.id]).is_err());
    lc::reorder_layers_impl(&s, &[l.id]).unwrap();
    lc::remove_layer_impl(&s, l.id).unwrap();
    assert!(lc::remove_layer_impl(&s, l.id).is_err());
}

#[test]
fn a_file_with_problems_waits_and_lists_them_with_lines() {
    let s = state();
    let g = Grants::default();
    let p = fixture("layers/broken-synthetic.geojson");
    g.grant(&p);
    let before = lc::list_layers_impl(&s).unwrap().layers.len();
    let ids = open(&s, &g, std::slice::from_ref(&p));
    let Outcome::NeedsDecision {
        valid,
        problems,
        problem_count,
    } = outcome(&s, ids[0])
    else {
        panic!("{:?}", outcome(&s, ids[0]));
    };
    assert_eq!((valid, problem_count), (3, 2));
    assert_eq!(problems[0].location.line, Some(3));
    assert!(
        problems[0].message.contains("95.2"),
        "{}",
        problems[0].message
    );
    assert_eq!(problems[1].location.line, Some(5));
    // Nothing loaded until the user decides.
    assert_eq!(lc::list_layers_impl(&s).unwrap().layers.len(), before);
    let st = files::import_action_impl(&s, ids[0], "accept").unwrap();
    assert!(
        matches!(st.outcome, Outcome::Loaded { .. }),
        "{:?}",
        st.outcome
    );
    let list = lc::list_layers_impl(&s).unwrap();
    assert_eq!(list.layers.last().unwrap().features, 3);
    // Accepting twice is an error, not a second copy.
    assert!(files::import_action_impl(&s, ids[0], "accept").is_err());
    // Dismissing another load of the same file loads nothing.
    let ids = open(&s, &g, &[p]);
    files::import_action_impl(&s, ids[0], "dismiss").unwrap();
    assert!(matches!(outcome(&s, ids[0]), Outcome::Dismissed));
    assert_eq!(lc::list_layers_impl(&s).unwrap().layers.len(), before + 1);
    files::import_action_impl(&s, ids[0], "forget").unwrap();
    assert!(s.jobs.get(ids[0]).is_err());
    assert!(files::import_action_impl(&s, 999, "cancel").is_err());
    assert!(files::import_action_impl(&s, 1, "explode").is_err());
}

#[test]
fn an_unreadable_file_fails_and_leaves_everything_loaded() {
    let s = state();
    let g = Grants::default();
    let p = fixture("layers/not-json.geojson");
    g.grant(&p);
    let n = s.dataset().unwrap().store().live_len();
    let ids = open(&s, &g, &[p]);
    let Outcome::Failed { message, problems } = outcome(&s, ids[0]) else {
        panic!("{:?}", outcome(&s, ids[0]));
    };
    assert!(message.contains("not-json.geojson:2:19"), "{message}");
    assert_eq!(problems[0].location.line, Some(2));
    assert_eq!(s.dataset().unwrap().store().live_len(), n);
}

#[test]
fn incident_csv_joins_the_analysis_and_can_be_removed() {
    let s = state();
    let g = Grants::default();
    let p = fixture("csv/acled_synthetic_v1.csv");
    g.grant(&p);
    let n0 = s.dataset().unwrap().store().live_len();
    let ids = open(&s, &g, &[p]);
    let Outcome::Loaded { kind, report, .. } = outcome(&s, ids[0]) else {
        panic!("{:?}", outcome(&s, ids[0]));
    };
    assert_eq!(kind, "incidents");
    let n1 = s.dataset().unwrap().store().live_len();
    assert_eq!(n1 as u64, n0 as u64 + report.loaded);
    let list = lc::list_layers_impl(&s).unwrap();
    assert_eq!(list.incident_files.len(), 2);
    assert_eq!(list.incident_files[1].live as u64, report.loaded);
    // The filters, list and tiles see them.
    let gen = view::set_filter_impl(&s, Filter::default()).unwrap();
    assert!(gen.mapped > 10);
    lc::remove_incident_file_impl(&s, 1).unwrap();
    assert_eq!(s.dataset().unwrap().store().live_len(), n0);
    assert!(lc::remove_incident_file_impl(&s, 5).is_err());
}

#[test]
fn a_cancelled_import_loads_nothing() {
    let s = state();
    let g = Grants::default();
    let p = fixture("csv/acled_synthetic_v1.csv");
    g.grant(&p);
    let n0 = s.dataset().unwrap().store().live_len();
    let ids = files::start_imports(&s, &g, &[p], |job: Arc<jobs::Job>| {
        job.cancel();
        jobs::run(&s, &job);
    })
    .unwrap();
    assert!(matches!(outcome(&s, ids[0]), Outcome::Cancelled));
    assert_eq!(s.dataset().unwrap().store().live_len(), n0);
}

#[test]
fn layer_tiles_are_served_by_the_protocol() {
    use atlas::tiles::decode_tile;
    let s = state();
    let g = Grants::default();
    let p = fixture("layers/zones-synthetic.geojson");
    g.grant(&p);
    open(&s, &g, &[p]);
    let id = lc::list_layers_impl(&s).unwrap().layers[0].id;
    // The zoom-6 tile over Torkham holds the six zones, the route and the points.
    let (x, y) = (44, 25);
    let bytes = crate::protocol::tile_bytes(&s, &format!("/layer/{id}/0/6/{x}/{y}.pbf")).unwrap();
    let layers = decode_tile(&bytes).unwrap();
    let features = layers
        .iter()
        .find(|l| l.name == "features")
        .expect("features layer");
    assert_eq!(features.features.len(), 7, "6 zones and the route");
    assert!(layers
        .iter()
        .any(|l| l.name == "points" || l.name == "point_clusters"));
    // Bad ids and paths are refused with 4xx, never a panic.
    assert_eq!(
        crate::protocol::tile_response(&s, "/layer/99/0/7/91/51.pbf").status(),
        404
    );
    assert_eq!(
        crate::protocol::tile_response(&s, "/layer/x/0/7/91/51.pbf").status(),
        400
    );
    assert_eq!(
        crate::protocol::tile_response(&s, "/layer/1/0/7/999/51.pbf").status(),
        400
    );
    assert_eq!(crate::protocol::tile_response(&s, "/layer/").status(), 400);
}
