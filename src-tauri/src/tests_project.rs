//! Projects and annotations, called directly as the commands do: save → open round trip,
//! missing and changed layers, relink, copies inside the project, autosave and recovery,
//! annotations with undo/redo and export, and refusal of paths nobody chose.

use crate::commands::annotations::{self as ann, EditArg};
use crate::commands::project as pc;
use crate::commands::{files, layers as lc};
use crate::grants::Grants;
use crate::jobs;
use crate::project::{Projects, Snapshot};
use crate::project_load;
use crate::state::AppState;
use crate::tests::state;
use atlas::filter::Filter;
use atlas::project::{Geometry, MapView, Project};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A scratch folder with a copy of the zones fixture.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("ba-project-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).unwrap();
        let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        std::fs::copy(
            fx.join("layers/zones-synthetic.geojson"),
            dir.join("data/zones.geojson"),
        )
        .unwrap();
        std::fs::copy(
            fx.join("csv/acled_synthetic_v1.csv"),
            dir.join("data/acled.csv"),
        )
        .unwrap();
        Scratch { dir }
    }
    fn p(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
    fn projects(&self) -> Projects {
        Projects::new(self.p("config"), self.p("appdata"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn snapshot(zoom: f64) -> Snapshot {
    Snapshot {
        filter: Filter {
            event_types: vec!["Battles".into()],
            from: Some(20_000),
            to: Some(20_100),
            ..Filter::default()
        },
        view: MapView {
            center: [71.1, 34.0],
            zoom,
            bearing: 0.0,
            pitch: 0.0,
            bounds: Some([70.0, 33.0, 72.0, 35.0]),
        },
        export_presets: None,
    }
}

/// Open files as the dialog does, running each job here.
fn open_files(s: &AppState, g: &Grants, paths: &[PathBuf]) {
    files::start_imports(s, g, paths, |job: Arc<jobs::Job>| jobs::run(s, &job)).unwrap();
}

/// Open a project and load its layers here (no decision wait).
fn open_project(s: &AppState, pr: &Projects, g: &Grants, path: &Path) -> project_load::Opened {
    let (opened, mut plan) = pc::open_impl(s, pr, g, path).unwrap();
    plan.decision_wait = std::time::Duration::ZERO;
    project_load::load(s, pr, plan);
    opened
}

fn add_point(pr: &Projects, title: &str) -> u64 {
    ann::edit_impl(
        pr,
        EditArg::Add {
            geometry: Geometry::Point([71.09, 34.12]),
            title: title.into(),
            note: "seen in footage; position approximate".into(),
        },
    )
    .unwrap()
    .id
}

#[test]
fn save_then_open_keeps_layers_styles_filter_view_and_annotations() {
    let x = Scratch::new("roundtrip");
    let (s, g, pr) = (state(), Grants::with_dir(&x.dir), x.projects());
    open_files(&s, &g, &[x.p("data/zones.geojson"), x.p("data/acled.csv")]);
    let list = lc::list_layers_impl(&s).unwrap();
    assert_eq!((list.layers.len(), list.incident_files.len()), (1, 2));
    let mut meta = list.layers[0].meta.clone();
    meta.name = "Zones (synthetic)".into();
    meta.style.color = "#123456".into();
    meta.style.opacity = 0.5;
    lc::set_layer_impl(&s, list.layers[0].id, meta).unwrap();
    add_point(&pr, "Checkpoint");
    // A fresh session is clean until something changes; this one changed.
    let st = pc::sync_impl(&s, &pr, &snapshot(7.0)).unwrap();
    assert!(!st.dirty);
    assert_eq!(st.name, "Untitled");
    add_point(&pr, "Second");
    assert!(pc::sync_impl(&s, &pr, &snapshot(7.0)).unwrap().dirty);

    let file = x.p("study.atlas.json");
    let saved = pc::save_impl(&s, &pr, &g, &snapshot(7.0), &file).unwrap();
    assert_eq!(
        (saved.name.as_str(), saved.revision, saved.layers),
        ("study", 1, 2)
    );
    let st = pc::sync_impl(&s, &pr, &snapshot(7.0)).unwrap();
    assert!(!st.dirty, "clean after saving");
    assert!(
        pc::sync_impl(&s, &pr, &snapshot(8.0)).unwrap().dirty,
        "moving the map is a change"
    );
    let p = Project::open(&file).unwrap().project;
    assert_eq!(p.layers[0].kind, atlas::project::LayerKind::Incidents);
    assert!(
        matches!(&p.layers[1].source, atlas::project::LayerSource::File { path, .. } if path == "data/zones.geojson")
    );
    assert_eq!(p.time_window.from, Some(20_000));
    assert_eq!(crate::recent::items(&pr.config_dir)[0].name, "study");

    // Remove everything (autosaved), reopen discarding that: all back, no recovery offered.
    lc::remove_layer_impl(&s, list.layers[0].id).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(pc::sync_impl(&s, &pr, &snapshot(7.0)).unwrap().dirty);
    assert!(pr.recovery_file(Some(&file)).is_file());
    let opened = open_project(&s, &pr, &g, &file);
    assert!(!opened.recovery_available);
    assert!(!pr.recovery_file(Some(&file)).exists());
    assert!(opened.problems.is_empty(), "{:?}", opened.problems);
    assert_eq!(opened.filter.event_types, ["Battles"]);
    assert_eq!(
        (opened.filter.from, opened.filter.to),
        (Some(20_000), Some(20_100))
    );
    assert_eq!(opened.view.center, [71.1, 34.0]);
    assert_eq!(opened.view.zoom, 7.0);
    assert_eq!(opened.annotations, 2);
    let list = lc::list_layers_impl(&s).unwrap();
    assert_eq!(list.layers.len(), 1);
    assert_eq!(list.incident_files.len(), 2);
    let l = &list.layers[0];
    assert_eq!(l.meta.name, "Zones (synthetic)");
    assert_eq!(
        (l.meta.style.color.as_str(), l.meta.style.opacity),
        ("#123456", 0.5)
    );
    let a = ann::list_impl(&pr).unwrap();
    assert_eq!(a.items[0].title, "Checkpoint");
    assert!(!a.can_undo, "history starts empty after an open");
    // Saved again unchanged: same layers, same ids.
    let st = pc::sync_impl(&s, &pr, &snapshot(7.0)).unwrap();
    assert!(!st.dirty && st.loading == 0 && st.unloaded.is_empty());
    pc::save_impl(&s, &pr, &g, &snapshot(7.0), &file).unwrap();
    let again = Project::open(&file).unwrap().project;
    let ids = |p: &Project| p.layers.iter().map(|l| l.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&again), ids(&p));
    assert_eq!(again.revision, 2);
    assert!(x.p("study.atlas.json.bak").is_file());
}

#[test]
fn a_missing_layer_is_reported_kept_and_relinked() {
    let x = Scratch::new("missing");
    let (s, g, pr) = (state(), Grants::with_dir(&x.dir), x.projects());
    open_files(&s, &g, &[x.p("data/zones.geojson")]);
    let file = x.p("study.atlas.json");
    pc::save_impl(&s, &pr, &g, &snapshot(6.0), &file).unwrap();
    std::fs::create_dir_all(x.p("moved")).unwrap();
    std::fs::rename(x.p("data/zones.geojson"), x.p("moved/zones.geojson")).unwrap();

    let opened = open_project(&s, &pr, &g, &file);
    assert_eq!(opened.layers[0].status, "missing");
    assert_eq!(opened.problems.len(), 1);
    let st = pc::status_impl(&s, &pr).unwrap();
    assert_eq!(st.unloaded.len(), 1);
    assert_eq!(st.unloaded[0].status, "missing");
    assert!(lc::list_layers_impl(&s).unwrap().layers.is_empty());
    // Saving now keeps the missing layer as it was.
    pc::sync_impl(&s, &pr, &snapshot(6.0)).unwrap();
    pc::save_impl(&s, &pr, &g, &snapshot(6.0), &file).unwrap();
    assert_eq!(Project::open(&file).unwrap().project.layers.len(), 1);

    // Relink: refused for a path nobody chose and an unknown id; then loaded.
    let id = st.unloaded[0].id.clone();
    let nobody = Grants::default();
    assert!(pc::relink_impl(&pr, &nobody, &id, &x.p("moved/zones.geojson")).is_err());
    assert!(pc::relink_impl(&pr, &g, "nope", &x.p("moved/zones.geojson")).is_err());
    let mut plan = pc::relink_impl(&pr, &g, &id, &x.p("moved/zones.geojson")).unwrap();
    plan.decision_wait = std::time::Duration::ZERO;
    project_load::load(&s, &pr, plan);
    let st = pc::status_impl(&s, &pr).unwrap();
    assert!(st.unloaded.is_empty());
    assert_eq!(st.loading, 0);
    assert_eq!(lc::list_layers_impl(&s).unwrap().layers[0].features, 9);
    pc::sync_impl(&s, &pr, &snapshot(6.0)).unwrap();
    pc::save_impl(&s, &pr, &g, &snapshot(6.0), &file).unwrap();
    let p = Project::open(&file).unwrap();
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert!(
        matches!(&p.project.layers[0].source, atlas::project::LayerSource::File { path, .. } if path == "moved/zones.geojson")
    );
    assert_eq!(p.project.layers[0].id, id, "relinking keeps the layer's id");
}

#[test]
fn a_changed_file_is_loaded_and_flagged() {
    let x = Scratch::new("changed");
    let (s, g, pr) = (state(), Grants::with_dir(&x.dir), x.projects());
    open_files(&s, &g, &[x.p("data/zones.geojson")]);
    let file = x.p("study.atlas.json");
    pc::save_impl(&s, &pr, &g, &snapshot(6.0), &file).unwrap();
    let text = std::fs::read_to_string(x.p("data/zones.geojson")).unwrap();
    std::fs::write(
        x.p("data/zones.geojson"),
        text.replace("Synthetic zone A", "Synthetic zone AA"),
    )
    .unwrap();
    let opened = open_project(&s, &pr, &g, &file);
    assert_eq!(opened.layers[0].status, "changed");
    let st = pc::status_impl(&s, &pr).unwrap();
    assert_eq!(st.items.len(), 1);
    assert!(st.items[0].changed && st.items[0].kind == "layer");
    assert_eq!(lc::list_layers_impl(&s).unwrap().layers.len(), 1);
}

#[test]
fn a_layer_saved_as_a_copy_opens_without_its_file() {
    let x = Scratch::new("embed");
    let (s, g, pr) = (state(), Grants::with_dir(&x.dir), x.projects());
    open_files(&s, &g, &[x.p("data/zones.geojson"), x.p("data/acled.csv")]);
    let id = lc::list_layers_impl(&s).unwrap().layers[0].id;
    pc::layer_storage_impl(&s, &pr, "layer", id, true).unwrap();
    pc::layer_storage_impl(&s, &pr, "incidents", 1, true).unwrap();
    assert!(
        pc::layer_storage_impl(&s, &pr, "incidents", 0, true).is_err(),
        "the bundled sample is not the project's"
    );
    assert!(pc::layer_storage_impl(&s, &pr, "layer", 99, true).is_err());
    assert!(pc::layer_storage_impl(&s, &pr, "table", id, true).is_err());
    let file = x.p("study.atlas.json");
    pc::save_impl(&s, &pr, &g, &snapshot(6.0), &file).unwrap();
    std::fs::remove_dir_all(x.p("data")).unwrap();
    let opened = open_project(&s, &pr, &g, &file);
    assert!(opened.problems.is_empty(), "{:?}", opened.problems);
    assert!(opened.layers.iter().all(|l| l.embedded));
    let list = lc::list_layers_impl(&s).unwrap();
    assert_eq!(list.layers[0].features, 9);
    assert_eq!(list.incident_files.len(), 2);
    assert!(list.incident_files[1].live > 0);
    let st = pc::status_impl(&s, &pr).unwrap();
    assert!(st.items.iter().all(|i| i.embed && i.copy_only));
    // A copy cannot become a reference: there is no file.
    assert!(pc::layer_storage_impl(&s, &pr, "layer", list.layers[0].id, false).is_err());
    // Saved again, the copies stay copies.
    pc::sync_impl(&s, &pr, &snapshot(6.0)).unwrap();
    pc::save_impl(&s, &pr, &g, &snapshot(6.0), &file).unwrap();
    let p = Project::open(&file).unwrap();
    assert!(p.problems.is_empty());
    assert_eq!(p.project.layers.len(), 2);
}

#[test]
fn autosave_then_recover_at_start() {
    let x = Scratch::new("recover");
    let (s, g, pr) = (state(), Grants::with_dir(&x.dir), x.projects());
    open_files(&s, &g, &[x.p("data/zones.geojson")]);
    let file = x.p("study.atlas.json");
    pc::save_impl(&s, &pr, &g, &snapshot(6.0), &file).unwrap();
    let rec = pr.recovery_file(Some(&file));
    assert!(rec.starts_with(x.p("appdata")));
    pc::sync_impl(&s, &pr, &snapshot(6.0)).unwrap();
    assert!(!rec.exists(), "nothing to autosave while clean");
    std::thread::sleep(std::time::Duration::from_millis(20));
    add_point(&pr, "Unsaved work");
    let st = pc::sync_impl(&s, &pr, &snapshot(6.0)).unwrap();
    assert!(st.dirty);
    assert!(rec.is_file(), "autosaved");
    assert_eq!(Project::open_recovery(&rec).unwrap().annotations.len(), 1);

    // The app "crashes"; a new one starts and is offered the autosave.
    let (s2, g2, pr2) = (state(), Grants::default(), x.projects());
    let start = pc::startup_impl(&pr2, &g2).unwrap();
    let offer = start.recovery.expect("recovery offered");
    assert_eq!(offer.project.as_deref(), Some(file.as_path()));
    let (opened, mut plan) = pc::recover_impl(&s2, &pr2, &g2, true).unwrap().unwrap();
    plan.decision_wait = std::time::Duration::ZERO;
    project_load::load(&s2, &pr2, plan);
    assert!(opened.recovered);
    assert_eq!(ann::list_impl(&pr2).unwrap().items[0].title, "Unsaved work");
    assert_eq!(lc::list_layers_impl(&s2).unwrap().layers.len(), 1);
    let st = pc::sync_impl(&s2, &pr2, &snapshot(6.0)).unwrap();
    assert!(st.dirty, "recovered work is unsaved until saved");
    assert_eq!(st.name, "study");
    // Saving it (the project path was granted by the offer) removes the autosave.
    pc::save_impl(&s2, &pr2, &g2, &snapshot(6.0), &file).unwrap();
    assert!(!rec.exists());
    assert_eq!(Project::open(&file).unwrap().project.annotations.len(), 1);
    assert!(
        pc::recover_impl(&s2, &pr2, &g2, true).is_err(),
        "nothing left to recover"
    );
}

#[test]
fn an_unsaved_session_is_autosaved_and_can_be_declined() {
    let x = Scratch::new("unsaved");
    let (s, g, pr) = (state(), Grants::with_dir(&x.dir), x.projects());
    pc::sync_impl(&s, &pr, &snapshot(6.0)).unwrap();
    open_files(&s, &g, &[x.p("data/zones.geojson")]);
    let st = pc::sync_impl(&s, &pr, &snapshot(6.0)).unwrap();
    assert!(st.dirty && st.path.is_none());
    let rec = pr.recovery_file(None);
    assert!(rec.is_file());
    let pr2 = x.projects();
    let start = pc::startup_impl(&pr2, &Grants::default()).unwrap();
    assert!(start.recovery.as_ref().is_some_and(|r| r.project.is_none()));
    assert!(pc::recover_impl(&state(), &pr2, &Grants::default(), false)
        .unwrap()
        .is_none());
    assert!(!rec.exists(), "set aside");
    assert!(pc::startup_impl(&x.projects(), &Grants::default())
        .unwrap()
        .recovery
        .is_none());
}

#[test]
fn annotations_undo_redo_validate_and_export() {
    let x = Scratch::new("annotations");
    let (g, pr) = (Grants::with_dir(&x.dir), x.projects());
    let a = add_point(&pr, "A");
    let line = ann::edit_impl(
        &pr,
        EditArg::Add {
            geometry: Geometry::LineString(vec![[70.0, 33.0], [71.0, 34.0]]),
            title: "Route".into(),
            note: String::new(),
        },
    )
    .unwrap();
    assert_eq!(line.list.items.len(), 2);
    ann::edit_impl(
        &pr,
        EditArg::Update {
            id: a,
            geometry: None,
            title: Some("A2".into()),
            note: None,
        },
    )
    .unwrap();
    ann::edit_impl(&pr, EditArg::Delete { id: line.id }).unwrap();
    assert_eq!(ann::list_impl(&pr).unwrap().items.len(), 1);
    let l = ann::undo_impl(&pr).unwrap();
    assert_eq!(l.items.len(), 2);
    let l = ann::undo_impl(&pr).unwrap();
    assert_eq!(l.items[0].title, "A");
    assert!(l.can_redo);
    let l = ann::redo_impl(&pr).unwrap();
    assert_eq!(l.items[0].title, "A2");
    // Refused, nothing changed.
    let n = ann::list_impl(&pr).unwrap().items.len();
    for bad in [
        EditArg::Add {
            geometry: Geometry::Point([200.0, 0.0]),
            title: String::new(),
            note: String::new(),
        },
        EditArg::Add {
            geometry: Geometry::LineString(vec![[70.0, 33.0]]),
            title: String::new(),
            note: String::new(),
        },
        EditArg::Add {
            geometry: Geometry::Point([70.0, 33.0]),
            title: "x".repeat(201),
            note: String::new(),
        },
        EditArg::Add {
            geometry: Geometry::Point([70.0, 33.0]),
            title: String::new(),
            note: "x".repeat(10_001),
        },
        EditArg::Update {
            id: 999,
            geometry: None,
            title: None,
            note: None,
        },
        EditArg::Delete { id: 999 },
    ] {
        assert!(ann::edit_impl(&pr, bad).is_err());
    }
    assert_eq!(ann::list_impl(&pr).unwrap().items.len(), n);
    // A polygon from three clicks is closed by the engine.
    let poly = ann::edit_impl(
        &pr,
        EditArg::Add {
            geometry: Geometry::Polygon(vec![vec![[70.0, 33.0], [71.0, 33.0], [71.0, 34.0]]]),
            title: "Area".into(),
            note: "<b>text only</b>".into(),
        },
    )
    .unwrap();
    let p = poly.list.items.iter().find(|i| i.id == poly.id).unwrap();
    assert!(matches!(&p.geometry, Geometry::Polygon(r) if r[0].len() == 4 && r[0][0] == r[0][3]));
    // Export: granted .geojson only.
    let out = x.p("notes.geojson");
    let e = ann::export_impl(&pr, &g, &out).unwrap();
    assert_eq!(e.features, 3);
    let fc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(fc["features"].as_array().unwrap().len(), 3);
    assert_eq!(fc["features"][2]["properties"]["note"], "<b>text only</b>");
    assert!(ann::export_impl(&pr, &g, &x.p("notes.exe")).is_err());
    assert!(ann::export_impl(&pr, &Grants::default(), &out).is_err());
}

#[test]
fn paths_nobody_chose_are_refused() {
    let x = Scratch::new("grants");
    let (s, pr) = (state(), x.projects());
    let g = Grants::with_dir(&x.dir);
    pc::save_impl(&s, &pr, &g, &snapshot(6.0), &x.p("ok.atlas.json")).unwrap();
    let nobody = Grants::default();
    let e = pc::open_impl(&s, &pr, &nobody, &x.p("ok.atlas.json")).unwrap_err();
    assert!(e.to_string().contains("not chosen"), "{e}");
    assert!(pc::save_impl(&s, &pr, &nobody, &snapshot(6.0), &x.p("other.atlas.json")).is_err());
    assert!(
        pc::save_impl(&s, &pr, &g, &snapshot(6.0), &x.p("wrong.json")).is_err(),
        "not a project name"
    );
    assert!(pc::save_impl(
        &s,
        &pr,
        &nobody,
        &snapshot(6.0),
        Path::new("/etc/x.atlas.json")
    )
    .is_err());
    assert!(pc::open_impl(&s, &pr, &g, &x.p("nope.atlas.json")).is_err());
    // Bad snapshots.
    let mut bad = snapshot(6.0);
    bad.view.zoom = f64::NAN;
    assert!(pc::sync_impl(&s, &pr, &bad).is_err());
    let mut bad = snapshot(6.0);
    bad.view.center = [500.0, 0.0];
    assert!(pc::save_impl(&s, &pr, &g, &bad, &x.p("ok.atlas.json")).is_err());
    let mut bad = snapshot(6.0);
    bad.filter.from = Some(20_200);
    assert!(
        pc::sync_impl(&s, &pr, &bad).is_err(),
        "reversed time window"
    );
    // Not a project file.
    std::fs::write(x.p("junk.atlas.json"), b"{\"hello\": 1}").unwrap();
    assert!(pc::open_impl(&s, &pr, &g, &x.p("junk.atlas.json")).is_err());
}

#[test]
fn incidents_made_from_a_layer_are_saved_as_a_copy() {
    let x = Scratch::new("made");
    let (s, g, pr) = (state(), Grants::with_dir(&x.dir), x.projects());
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layers");
    std::fs::copy(
        fx.join("reports-synthetic.geojson"),
        x.p("data/reports.geojson"),
    )
    .unwrap();
    open_files(&s, &g, &[x.p("data/reports.geojson")]);
    let id = lc::list_layers_impl(&s).unwrap().layers[0].id;
    let m = lc::layer_mapping_impl(&s, id).unwrap().mapping;
    lc::layer_as_incidents_impl(&s, id, &m).unwrap();
    let file = x.p("study.atlas.json");
    pc::save_impl(&s, &pr, &g, &snapshot(6.0), &file).unwrap();
    let (t, pr2) = (state(), x.projects());
    let opened = open_project(&t, &pr2, &g, &file);
    assert!(opened.problems.is_empty(), "{:?}", opened.problems);
    let d = t.dataset().unwrap();
    assert!(
        d.store().row_of("SYN-R3").is_some(),
        "the mapped incidents came back"
    );
}

#[test]
fn export_presets_from_the_page_keep_their_notes() {
    let x = Scratch::new("presets");
    let (s, g, pr) = (state(), Grants::with_dir(&x.dir), x.projects());
    let preset = atlas::project::ExportPreset {
        name: "report".into(),
        format: "mp4".into(),
        notes: "Line one of the notes.\nLine two.".into(),
        ..Default::default()
    };
    // The first sync of a fresh session is its clean state; a preset after it is a change.
    assert!(!pc::sync_impl(&s, &pr, &snapshot(7.0)).unwrap().dirty);
    let mut snap = snapshot(7.0);
    snap.export_presets = Some(vec![preset.clone()]);
    assert!(
        pc::sync_impl(&s, &pr, &snap).unwrap().dirty,
        "a new preset is a change"
    );
    let file = x.p("presets.atlas.json");
    pc::save_impl(&s, &pr, &g, &snap, &file).unwrap();
    let opened = open_project(&s, &pr, &g, &file);
    assert_eq!(opened.export_presets, vec![preset]);
    // A snapshot without presets keeps the project's.
    pc::save_impl(&s, &pr, &g, &snapshot(7.0), &file).unwrap();
    let p = Project::open(&file).unwrap().project;
    assert_eq!(
        p.export_presets[0].notes,
        "Line one of the notes.\nLine two."
    );
}
