//! Opening a project into the app: the workspace is reset (no layers, the bundled
//! incidents only), the session takes the project, and its layers load one by one on a
//! worker thread — files through the same import jobs as the Open dialog (progress,
//! cancel, the problems dialog), embedded copies parsed by the engine from memory — and
//! each gets its saved name and style. Missing, unreadable and failed layers are kept in
//! the session (and in the next save) and reported, never dropped.

use crate::grants::Grants;
use crate::jobs::{self, Outcome};
use crate::layers::{AppLayer, LayerMeta};
use crate::project::{bad, engine, Link, Projects, Session, Target, Unloaded};
use crate::state::{AppError, AppResult, AppState};
use atlas::dataset::Dataset;
use atlas::filter::Filter;
use atlas::import::{csv, geojson, FileFormat, ImportOptions, ImportReport};
use atlas::project::layers::{check_source, layer_bytes};
use atlas::project::{
    ExportPreset, LayerKind, LayerSource, LayerState, MapView, OpenProblem, Project, ProjectLayer,
    TimeWindow,
};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// One layer to load.
#[derive(Debug, Clone)]
pub struct LoadItem {
    pub layer: ProjectLayer,
    /// The file found for a reference (`None`: embedded).
    pub file: Option<PathBuf>,
}

/// What the worker loads, for the project of `generation`.
#[derive(Debug, Clone)]
pub struct LoadPlan {
    pub generation: u64,
    /// The folder relative references are relative to.
    pub dir: PathBuf,
    pub items: Vec<LoadItem>,
    /// How long a file with problems may wait for the user's decision (the import tray
    /// shows the problems dialog); zero in tests.
    pub decision_wait: Duration,
}

/// A project layer as the page lists it after an open.
#[derive(Debug, Clone, Serialize)]
pub struct LayerReport {
    pub id: String,
    pub name: String,
    pub kind: LayerKind,
    /// `ok`, `changed`, `missing` or `unreadable`.
    pub status: &'static str,
    pub message: Option<String>,
    pub embedded: bool,
}

/// What the page applies after an open: filter and time window, view, presets; and what
/// to tell the user.
#[derive(Debug, Clone, Serialize)]
pub struct Opened {
    pub path: Option<String>,
    pub name: String,
    pub title: String,
    pub filter: Filter,
    pub time_window: TimeWindow,
    pub view: MapView,
    pub export_presets: Vec<ExportPreset>,
    pub layers: Vec<LayerReport>,
    pub problems: Vec<OpenProblem>,
    /// A newer autosave of this project exists: offer to recover it.
    pub recovery_available: bool,
    pub annotations: usize,
    /// Opened from a recovery file (unsaved until saved).
    pub recovered: bool,
}

/// Empty the workspace: no layers, the bundled incidents only (if they were loaded).
pub fn reset_workspace(state: &AppState) -> AppResult<()> {
    state
        .layers
        .write()
        .map_err(|_| AppError::Engine("layer lock poisoned".into()))?
        .clear();
    if let Ok(d) = state.dataset() {
        let names: Vec<&str> = d.files().iter().map(|f| f.name.as_str()).collect();
        if names != [atlas::bundled::INCIDENTS_SAMPLE_NAME] {
            let next = if names.contains(&atlas::bundled::INCIDENTS_SAMPLE_NAME) {
                Dataset::bundled()
            } else {
                Dataset::empty()
            }
            .map_err(engine)?;
            state.set_dataset(next);
        }
    }
    Ok(())
}

/// Check every layer of a project (for a recovery file; `Project::open` does it for a
/// project file).
pub fn check_layers(p: &Project, dir: &Path) -> (Vec<LayerState>, Vec<OpenProblem>) {
    let states: Vec<LayerState> = p
        .layers
        .iter()
        .map(|l| check_source(&l.source, dir))
        .collect();
    let problems = p
        .layers
        .iter()
        .zip(&states)
        .filter(|(_, s)| !matches!(s, LayerState::Ok { .. }))
        .map(|(l, s)| OpenProblem {
            layer_id: Some(l.id.clone()),
            message: format!("layer is {}", s.label()),
        })
        .collect();
    (states, problems)
}

/// Make `project` the session's (saved at `path`, references relative to `dir`), reset
/// the workspace, and plan the loading of its layers. `recovered`: from a recovery file,
/// so it stays unsaved until saved.
#[allow(clippy::too_many_arguments)]
pub fn begin(
    state: &AppState,
    projects: &Projects,
    grants: &Grants,
    mut project: Project,
    path: Option<PathBuf>,
    dir: &Path,
    states: Vec<LayerState>,
    problems: Vec<OpenProblem>,
    recovered: bool,
) -> AppResult<(Opened, LoadPlan)> {
    if states.len() != project.layers.len() {
        return Err(engine("layer states do not match the project"));
    }
    let generation = projects.generation.fetch_add(1, Ordering::SeqCst) + 1;
    reset_workspace(state)?;
    project.annotations.clear_history();
    let mut reports = Vec::new();
    let mut items = Vec::new();
    let mut unloaded = Vec::new();
    let mut changed = Vec::new();
    for (l, st) in project.layers.iter().zip(&states) {
        let embedded = !matches!(l.source, LayerSource::File { .. });
        let message = match st {
            LayerState::Ok { .. } => None,
            LayerState::Missing { tried } => Some(format!(
                "file missing (looked at {})",
                tried
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            LayerState::Changed {
                path,
                size,
                recorded_size,
                ..
            } => Some(format!(
                "{} changed since the project was saved ({recorded_size} → {size} bytes); loaded as it is now",
                path.display()
            )),
            LayerState::Unreadable { message } => Some(message.clone()),
        };
        reports.push(LayerReport {
            id: l.id.clone(),
            name: l.name.clone(),
            kind: l.kind,
            status: st.label(),
            message: message.clone(),
            embedded,
        });
        match st {
            LayerState::Ok { path } => items.push(LoadItem {
                layer: l.clone(),
                file: path.clone(),
            }),
            LayerState::Changed { path, .. } => {
                changed.push(l.id.clone());
                items.push(LoadItem {
                    layer: l.clone(),
                    file: Some(path.clone()),
                });
            }
            LayerState::Missing { .. } | LayerState::Unreadable { .. } => unloaded.push(Unloaded {
                layer: l.clone(),
                status: st.label().to_string(),
                message: message.unwrap_or_default(),
            }),
        }
    }
    // Incident files first, then layers bottom to top.
    items.sort_by_key(|i| (i.layer.kind != LayerKind::Incidents, i.layer.style.order));
    for i in &items {
        if let Some(f) = &i.file {
            // Named by a project the user opened.
            grants.grant(f);
        }
    }
    let mut filter = project.filter.clone();
    if project.time_window.from.is_some() || project.time_window.to.is_some() {
        filter.from = project.time_window.from;
        filter.to = project.time_window.to;
    }
    let mut base = project.clone();
    base.layers.clear();
    let session = Session {
        path: path.clone(),
        annotations: project.annotations.clone(),
        base,
        unloaded,
        changed,
        force_dirty: recovered,
        ..Session::default()
    };
    let name = session.name();
    *projects.session()? = session;
    projects.loading.store(items.len(), Ordering::SeqCst);
    let opened = Opened {
        path: path.map(|p| p.display().to_string()),
        name,
        title: project.title.clone(),
        filter,
        time_window: project.time_window,
        view: project.view.clone(),
        export_presets: project.export_presets.clone(),
        layers: reports,
        problems,
        recovery_available: false,
        annotations: project.annotations.len(),
        recovered,
    };
    Ok((
        opened,
        LoadPlan {
            generation,
            dir: dir.to_path_buf(),
            items,
            decision_wait: Duration::from_secs(3600),
        },
    ))
}

/// Load the planned layers in order (on a worker thread). Stops if another project was
/// opened meanwhile.
pub fn load(state: &AppState, projects: &Projects, plan: LoadPlan) {
    for item in plan.items {
        if projects.generation.load(Ordering::SeqCst) != plan.generation {
            // A newer open reset the counter; nothing of this plan counts any more.
            return;
        }
        let result = load_one(
            state,
            projects,
            &plan.dir,
            &item,
            plan.decision_wait,
            plan.generation,
        );
        let stale = projects.generation.load(Ordering::SeqCst) != plan.generation;
        if !stale {
            if let Ok(mut s) = projects.session() {
                match result {
                    Ok(link) => s.links.push(link),
                    Err(e) => s.unloaded.push(Unloaded {
                        layer: item.layer.clone(),
                        status: "failed".into(),
                        message: e.to_string(),
                    }),
                }
            }
            let _ = projects
                .loading
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                    Some(n.saturating_sub(1))
                });
        }
    }
}

fn load_one(
    state: &AppState,
    projects: &Projects,
    dir: &Path,
    item: &LoadItem,
    decision_wait: Duration,
    generation: u64,
) -> AppResult<Link> {
    let l = &item.layer;
    let (target, embedded) = match &item.file {
        Some(f) => (
            load_file(state, projects, f, decision_wait, generation)?,
            None,
        ),
        None => (load_embedded(state, dir, l)?, Some(l.source.clone())),
    };
    if let Target::Layer(id) = target {
        apply_style(state, id, l)?;
    }
    Ok(Link {
        target,
        layer_id: l.id.clone(),
        embed: embedded.is_some(),
        embedded,
        style: l.style.clone(),
    })
}

/// Import a referenced file as a job (the page's import tray shows it).
fn load_file(
    state: &AppState,
    projects: &Projects,
    file: &Path,
    decision_wait: Duration,
    generation: u64,
) -> AppResult<Target> {
    let job = state.jobs.create(file)?;
    jobs::run(state, &job);
    let started = Instant::now();
    loop {
        match job.status()?.outcome {
            Outcome::Loaded { kind, layer_id, .. } => {
                return match (kind, layer_id) {
                    ("layer", Some(id)) => Ok(Target::Layer(id)),
                    _ => Ok(Target::Incidents(job.path.display().to_string())),
                }
            }
            Outcome::Failed { message, .. } => return Err(engine(message)),
            Outcome::Cancelled => return Err(engine("loading was cancelled")),
            Outcome::Dismissed => return Err(engine("not loaded: the file has problems")),
            Outcome::NeedsDecision { .. } | Outcome::Running => {
                let gone = projects.generation.load(Ordering::SeqCst) != generation;
                if gone || started.elapsed() >= decision_wait {
                    job.cancel();
                    return Err(engine("the file has problems; not loaded"));
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }
}

enum Parsed {
    Layer(atlas::model::Layer),
    Incidents(Box<atlas::model::IncidentStore>, ImportReport),
}

/// Parse an embedded copy and add it (a layer, or incidents merged into the dataset).
fn load_embedded(state: &AppState, dir: &Path, l: &ProjectLayer) -> AppResult<Target> {
    let file_name = match &l.source {
        LayerSource::Base64 { file_name, .. } | LayerSource::Geojson { file_name, .. } => {
            file_name.clone()
        }
        LayerSource::File { .. } => return Err(bad(format!("layer {:?} has no file", l.id))),
    };
    let bytes = layer_bytes(&l.source, dir, &l.id).map_err(engine)?;
    let opts = ImportOptions::lenient();
    let head = &bytes[..bytes.len().min(64)];
    let parsed = match FileFormat::of_name_and_head(&file_name, head) {
        FileFormat::GeoJson => {
            if geojson::sniff_bytes(&bytes[..bytes.len().min(16 << 20)]) == geojson::Kind::Incidents
            {
                let (s, r) =
                    geojson::incidents_from_bytes(&bytes, &file_name, &opts).map_err(engine)?;
                Parsed::Incidents(Box::new(s), r)
            } else {
                let (ly, _) =
                    geojson::layer_from_reader(&bytes[..], &file_name, &opts).map_err(engine)?;
                Parsed::Layer(ly)
            }
        }
        FileFormat::Csv => {
            let mapping = csv::CsvMapping::default();
            match csv::sniff(&bytes[..], &file_name, &mapping).map_err(engine)? {
                csv::CsvFormat::PointLayer => {
                    let (ly, _) =
                        csv::read_layer(&bytes[..], &file_name, &opts, &csv::CsvOptions::default())
                            .map_err(engine)?;
                    Parsed::Layer(ly)
                }
                _ => {
                    let mut store = atlas::model::IncidentStore::default();
                    let imp = csv::read_incidents(
                        &bytes[..],
                        &file_name,
                        &mut store,
                        &opts,
                        &csv::CsvOptions::default(),
                    )
                    .map_err(engine)?;
                    Parsed::Incidents(Box::new(store), imp.report)
                }
            }
        }
    };
    match parsed {
        Parsed::Layer(mut layer) => {
            layer.name = if l.name.is_empty() {
                file_name
            } else {
                l.name.clone()
            };
            let id = state.add_layer(AppLayer::new(layer, None)?)?;
            Ok(Target::Layer(id))
        }
        Parsed::Incidents(store, report) => {
            let name = format!("{file_name} (copy in the project, layer {})", l.id);
            let d = state.dataset()?;
            let next = d.merged(*store, &name, report).map_err(engine)?;
            state.set_dataset(next);
            Ok(Target::Incidents(name))
        }
    }
}

/// Give a loaded layer its saved name and style (validated as the Layers panel's are;
/// an invalid saved style leaves the default one).
fn apply_style(state: &AppState, id: u64, l: &ProjectLayer) -> AppResult<()> {
    let layer = state.layer(id)?;
    let current = layer.meta()?;
    let mut style = l.style.clone();
    style.order = current.style.order;
    let name = if l.name.trim().is_empty() {
        current.name.clone()
    } else {
        l.name.clone()
    };
    let meta = LayerMeta {
        name: name.clone(),
        style,
        revision: 0,
    };
    if crate::commands::layers::set_layer_impl(state, id, meta).is_err() {
        let mut m = current;
        m.name = name.chars().take(200).collect();
        let _ = crate::commands::layers::set_layer_impl(state, id, m);
    }
    Ok(())
}
