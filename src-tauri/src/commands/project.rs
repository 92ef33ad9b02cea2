//! Project commands: new, open (dialog, a recent project, or a granted path), save and
//! save as (dialog or a granted path), status and sync (dirty flag, autosave to the
//! recovery file), recent projects, recovery at start, relinking a missing layer, and
//! whether a layer is saved as a reference or a copy.

use crate::dialogs::{path_arg, pick_file, pick_save};
use crate::grants::Grants;
use crate::project::{bad, engine, fingerprint, Link, Projects, RecoveryOffer, Snapshot, Target};
use crate::project_load::{self, LoadItem, LoadPlan, Opened};
use crate::recent::{self, RecentItem};
use crate::state::{AppResult, AppState};
use atlas::project::layers::project_dir;
use atlas::project::{LayerKind, Project};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

/// A loaded layer or incident file as the project sees it.
#[derive(Debug, Clone, Serialize)]
pub struct StatusItem {
    /// `layer` (id: the app layer's id) or `incidents` (id: the incident file's index).
    pub kind: &'static str,
    pub id: u64,
    pub name: String,
    /// Saved as a copy inside the project.
    pub embed: bool,
    /// A copy from the project with no file behind it (cannot become a reference).
    pub copy_only: bool,
    /// Its file changed since the project was saved.
    pub changed: bool,
}

/// A project layer that is not loaded.
#[derive(Debug, Clone, Serialize)]
pub struct UnloadedItem {
    pub id: String,
    pub name: String,
    pub kind: LayerKind,
    /// `missing`, `unreadable` or `failed`.
    pub status: String,
    pub message: String,
}

/// The project as the page shows it (title bar, Project tab, Layers flags).
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub path: Option<String>,
    pub name: String,
    pub dirty: bool,
    /// Layers still loading.
    pub loading: usize,
    pub items: Vec<StatusItem>,
    pub unloaded: Vec<UnloadedItem>,
    pub annotations: usize,
    pub can_undo: bool,
    pub can_redo: bool,
}

/// What a save wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub path: String,
    pub name: String,
    pub revision: u64,
    pub layers: usize,
}

/// What the page does at start: open a project named on the command line, or offer
/// to recover an autosave.
#[derive(Debug, Clone, Serialize)]
pub struct Startup {
    pub open: Option<String>,
    pub recovery: Option<RecoveryOffer>,
}

fn check_granted(grants: &Grants, p: &Path) -> AppResult<()> {
    if grants.allows(p) {
        Ok(())
    } else {
        Err(bad(format!(
            "{} was not chosen in a dialog or dropped on the window",
            p.display()
        )))
    }
}

fn is_project_name(p: &Path) -> bool {
    p.file_name().is_some_and(|n| {
        n.to_string_lossy()
            .to_ascii_lowercase()
            .ends_with(".atlas.json")
    })
}

pub fn status_impl(state: &AppState, projects: &Projects) -> AppResult<Status> {
    let s = projects.session()?.clone();
    let mut items = Vec::new();
    if let Ok(d) = state.dataset() {
        for (i, f) in d.files().iter().enumerate() {
            if f.name == atlas::bundled::INCIDENTS_SAMPLE_NAME {
                continue;
            }
            let link = s.link_of(&Target::Incidents(f.name.clone()));
            items.push(StatusItem {
                kind: "incidents",
                id: i as u64,
                name: f.name.clone(),
                embed: link.is_some_and(|l| l.embed),
                copy_only: link.is_some_and(|l| l.embedded.is_some()),
                changed: link.is_some_and(|l| s.changed.contains(&l.layer_id)),
            });
        }
    }
    let layers: Vec<_> = state
        .layers
        .read()
        .map_err(crate::project::poisoned)?
        .clone();
    for l in layers {
        let link = s.link_of(&Target::Layer(l.id));
        items.push(StatusItem {
            kind: "layer",
            id: l.id,
            name: l.meta()?.name,
            embed: link.is_some_and(|k| k.embed),
            copy_only: l.path.is_none(),
            changed: link.is_some_and(|k| s.changed.contains(&k.layer_id)),
        });
    }
    Ok(Status {
        path: s.path.as_ref().map(|p| p.display().to_string()),
        name: s.name(),
        dirty: s.dirty(),
        loading: projects.loading.load(Ordering::SeqCst),
        items,
        unloaded: s
            .unloaded
            .iter()
            .map(|u| UnloadedItem {
                id: u.layer.id.clone(),
                name: u.layer.name.clone(),
                kind: u.layer.kind,
                status: u.status.clone(),
                message: u.message.clone(),
            })
            .collect(),
        annotations: s.annotations.len(),
        can_undo: s.annotations.can_undo(),
        can_redo: s.annotations.can_redo(),
    })
}

/// Take the page's snapshot: recompute the dirty flag and, when the project changed
/// since the last autosave, write the recovery file. Nothing is compared while layers
/// are loading; the first sync after an open is the "as saved" state.
pub fn sync_impl(state: &AppState, projects: &Projects, snap: &Snapshot) -> AppResult<Status> {
    snap.validate()?;
    if !projects.is_loading() {
        let p = projects.collect(state, snap)?;
        let fp = fingerprint(&p);
        let autosave_to = {
            let mut s = projects.session()?;
            if s.saved.is_none() {
                s.saved = Some(fp.clone());
                s.autosaved = Some(fp.clone());
            }
            s.current = Some(fp.clone());
            let offer_pending = projects
                .pending_recovery
                .lock()
                .map_err(crate::project::poisoned)?
                .is_some();
            (s.dirty() && s.autosaved.as_deref() != Some(&fp) && !offer_pending)
                .then(|| s.path.clone())
        };
        if let Some(path) = autosave_to {
            let key = path.unwrap_or_else(|| crate::project::unsaved_key(&projects.data_dir));
            p.autosave(&key, Some(&projects.data_dir)).map_err(engine)?;
            projects.session()?.autosaved = Some(fp);
        }
    }
    status_impl(state, projects)
}

/// Remove the autosave of the current session (the user discarded its changes).
fn discard_autosave(projects: &Projects) -> AppResult<()> {
    let path = projects.session()?.path.clone();
    let _ = std::fs::remove_file(projects.recovery_file(path.as_deref()));
    Ok(())
}

/// A new, empty, unsaved project (the page asked the user about unsaved changes).
pub fn new_impl(state: &AppState, projects: &Projects, grants: &Grants) -> AppResult<Opened> {
    discard_autosave(projects)?;
    let p = Project::default();
    let dir = projects.data_dir.clone();
    let (opened, _plan) = project_load::begin(
        state,
        projects,
        grants,
        p,
        None,
        &dir,
        Vec::new(),
        Vec::new(),
        false,
    )?;
    Ok(opened)
}

/// Open the project at a granted path: the workspace is replaced by it and its layers
/// are planned for loading (run the plan with [`project_load::load`]).
pub fn open_impl(
    state: &AppState,
    projects: &Projects,
    grants: &Grants,
    path: &Path,
) -> AppResult<(Opened, LoadPlan)> {
    check_granted(grants, path)?;
    let meta = std::fs::metadata(path).map_err(|e| bad(format!("{}: {e}", path.display())))?;
    if !meta.is_file() || meta.len() > crate::project::MAX_PROJECT_BYTES {
        return Err(bad(format!(
            "{} is not a project file (or is over 2 GB)",
            path.display()
        )));
    }
    let o = Project::open_with(path, Some(&projects.data_dir)).map_err(engine)?;
    // The page asked the user to discard the current session's changes: its autosave
    // goes, and is not offered back when the same project is reopened.
    let discarded = projects.recovery_file(projects.session()?.path.as_deref());
    discard_autosave(projects)?;
    let rec = o.recovery_available.clone().filter(|r| *r != discarded);
    let (mut opened, plan) = project_load::begin(
        state,
        projects,
        grants,
        o.project,
        Some(path.to_path_buf()),
        &project_dir(path),
        o.layers,
        o.problems,
        false,
    )?;
    if let Some(r) = rec {
        opened.recovery_available = true;
        *projects
            .pending_recovery
            .lock()
            .map_err(crate::project::poisoned)? = Some(RecoveryOffer {
            project: Some(path.to_path_buf()),
            modified: mtime_text(&r),
            recovery: r,
        });
    }
    let _ = recent::push(&projects.config_dir, path, &opened.name);
    Ok((opened, plan))
}

fn mtime_text(p: &Path) -> String {
    std::fs::metadata(p)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| atlas::project::clock::rfc3339(d.as_secs() as i64))
        .unwrap_or_default()
}

/// Save to a granted `*.atlas.json` path (atomically, the previous version kept as
/// `.bak`; the autosave is removed). Layers still loading would be missing, so a save
/// then is refused.
pub fn save_impl(
    state: &AppState,
    projects: &Projects,
    grants: &Grants,
    snap: &Snapshot,
    path: &Path,
) -> AppResult<Saved> {
    check_granted(grants, path)?;
    if !is_project_name(path) {
        return Err(bad(format!(
            "{} does not end in .atlas.json",
            path.display()
        )));
    }
    snap.validate()?;
    if projects.is_loading() {
        return Err(bad(
            "the project's layers are still loading; save when they are in",
        ));
    }
    let s = projects.session()?.clone();
    let mut p = projects.collect_from(&s, state, snap, Some(path))?;
    p.save_with(path, Some(&projects.data_dir))
        .map_err(engine)?;
    if s.path.as_deref() != Some(path) {
        // The work now lives in the new file: the old autosave is no longer needed.
        let _ = std::fs::remove_file(projects.recovery_file(s.path.as_deref()));
    }
    let fp = fingerprint(&p);
    let name = {
        let mut cur = projects.session()?;
        cur.path = Some(path.to_path_buf());
        let mut base = p.clone();
        base.layers.clear();
        cur.base = base;
        // Layers that got an id on this save keep it.
        assign_ids(&mut cur.links, &p, state);
        cur.name()
    };
    projects.mark_saved(fp)?;
    let _ = recent::push(&projects.config_dir, path, &name);
    Ok(Saved {
        path: path.display().to_string(),
        name,
        revision: p.revision,
        layers: p.layers.len(),
    })
}

/// Record the project layer ids a save gave to layers that had none, so the next save
/// keeps them (matching by position: incident files first, then layers, as collected).
fn assign_ids(links: &mut Vec<Link>, p: &Project, state: &AppState) {
    let mut targets: Vec<Target> = Vec::new();
    if let Ok(d) = state.dataset() {
        targets.extend(
            d.files()
                .iter()
                .filter(|f| f.name != atlas::bundled::INCIDENTS_SAMPLE_NAME)
                .map(|f| Target::Incidents(f.name.clone())),
        );
    }
    if let Ok(g) = state.layers.read() {
        targets.extend(g.iter().map(|l| Target::Layer(l.id)));
    }
    for (t, l) in targets.into_iter().zip(&p.layers) {
        match links.iter_mut().find(|k| k.target == t) {
            Some(k) => k.layer_id = l.id.clone(),
            None => links.push(Link {
                target: t,
                layer_id: l.id.clone(),
                embedded: None,
                embed: false,
                style: l.style.clone(),
            }),
        }
    }
}

/// What to offer at start: the command-line project, or a recovery file of the last
/// project (newer than it) or of an unsaved session.
pub fn startup_impl(projects: &Projects, grants: &Grants) -> AppResult<Startup> {
    let open = projects
        .startup_project
        .lock()
        .map_err(crate::project::poisoned)?
        .take();
    let mut recovery = None;
    if open.is_none() {
        let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        if let Some(last) = recent::load(&projects.config_dir).into_iter().next() {
            let rec = projects.recovery_file(Some(&last.path));
            if let Some(t) = mtime(&rec) {
                if mtime(&last.path).is_none_or(|pt| t > pt) {
                    grants.grant(&last.path);
                    recovery = Some(RecoveryOffer {
                        project: Some(last.path.clone()),
                        modified: mtime_text(&rec),
                        recovery: rec,
                    });
                }
            }
        }
        if recovery.is_none() {
            let rec = projects.recovery_file(None);
            if rec.is_file() {
                recovery = Some(RecoveryOffer {
                    project: None,
                    modified: mtime_text(&rec),
                    recovery: rec,
                });
            }
        }
    }
    *projects
        .pending_recovery
        .lock()
        .map_err(crate::project::poisoned)? = recovery.clone();
    Ok(Startup {
        open: open.map(|p| p.display().to_string()),
        recovery,
    })
}

/// Answer the recovery offer: restore the autosave (as unsaved changes of its project),
/// or set it aside (`NAME.recovery.json.declined`, replaced by the next one declined).
pub fn recover_impl(
    state: &AppState,
    projects: &Projects,
    grants: &Grants,
    accept: bool,
) -> AppResult<Option<(Opened, LoadPlan)>> {
    let offer = projects
        .pending_recovery
        .lock()
        .map_err(crate::project::poisoned)?
        .take()
        .ok_or_else(|| bad("there is no recovery file to answer for"))?;
    if !accept {
        let mut aside = offer.recovery.clone().into_os_string();
        aside.push(".declined");
        std::fs::rename(&offer.recovery, PathBuf::from(aside)).map_err(engine)?;
        return Ok(None);
    }
    let p = Project::open_recovery(&offer.recovery).map_err(engine)?;
    let dir = offer
        .project
        .as_deref()
        .map(project_dir)
        .unwrap_or_else(|| projects.data_dir.clone());
    if let Some(pp) = &offer.project {
        grants.grant(pp);
    }
    let (states, problems) = project_load::check_layers(&p, &dir);
    let (opened, plan) = project_load::begin(
        state,
        projects,
        grants,
        p,
        offer.project.clone(),
        &dir,
        states,
        problems,
        true,
    )?;
    Ok(Some((opened, plan)))
}

/// Point a missing (or failed) layer at a granted file and plan its loading.
pub fn relink_impl(
    projects: &Projects,
    grants: &Grants,
    layer_id: &str,
    file: &Path,
) -> AppResult<LoadPlan> {
    if layer_id.is_empty() || layer_id.len() > 200 {
        return Err(bad("layer id has 1 to 200 characters"));
    }
    check_granted(grants, file)?;
    if !file.is_file() {
        return Err(bad(format!("{} is not a readable file", file.display())));
    }
    let mut s = projects.session()?;
    let i = s
        .unloaded
        .iter()
        .position(|u| u.layer.id == layer_id)
        .ok_or_else(|| bad(format!("no missing layer {layer_id:?} in the project")))?;
    let source = projects.file_source_for(file, s.path.as_deref())?;
    let mut layer = s.unloaded.remove(i).layer;
    layer.source = source;
    s.changed.retain(|c| c != layer_id);
    let dir = s
        .path
        .as_deref()
        .map(project_dir)
        .unwrap_or_else(|| projects.data_dir.clone());
    projects.loading.fetch_add(1, Ordering::SeqCst);
    Ok(LoadPlan {
        generation: projects.generation.load(Ordering::SeqCst),
        dir,
        items: vec![LoadItem {
            layer,
            file: Some(file.to_path_buf()),
        }],
        decision_wait: std::time::Duration::from_secs(3600),
    })
}

/// Save layer `id` (`kind` `layer`) or incident file `id` (`kind` `incidents`, by index)
/// as a copy inside the project (`embed`) or as a reference to its file.
pub fn layer_storage_impl(
    state: &AppState,
    projects: &Projects,
    kind: &str,
    id: u64,
    embed: bool,
) -> AppResult<()> {
    let (target, has_file) = match kind {
        "layer" => {
            let l = state.layer(id)?;
            (Target::Layer(id), l.path.is_some())
        }
        "incidents" => {
            let d = state.dataset()?;
            let f = usize::try_from(id)
                .ok()
                .and_then(|i| d.files().get(i))
                .filter(|f| f.name != atlas::bundled::INCIDENTS_SAMPLE_NAME)
                .ok_or_else(|| bad(format!("no incident file {id}")))?;
            (
                Target::Incidents(f.name.clone()),
                Path::new(&f.name).is_file(),
            )
        }
        other => return Err(bad(format!("layer kind {other:?} (layer or incidents)"))),
    };
    let mut s = projects.session()?;
    match s.links.iter_mut().find(|l| l.target == target) {
        Some(l) => {
            if !embed && l.embedded.is_some() && !has_file {
                return Err(bad(
                    "this layer is a copy inside the project; there is no file to reference",
                ));
            }
            l.embed = embed;
            if !embed {
                l.embedded = None;
            }
        }
        None => s.links.push(Link {
            target,
            layer_id: String::new(),
            embedded: None,
            embed,
            style: Default::default(),
        }),
    }
    Ok(())
}

// --- Tauri commands -----------------------------------------------------------------

type St<'a, T> = tauri::State<'a, T>;

/// Run a load plan on a worker thread.
fn spawn_load(app: &tauri::AppHandle, plan: LoadPlan) {
    use tauri::Manager;
    let app = app.clone();
    std::thread::spawn(move || {
        let state = app.state::<AppState>();
        let projects = app.state::<Projects>();
        project_load::load(&state, &projects, plan);
    });
}

#[tauri::command]
pub fn project_status(state: St<'_, AppState>, projects: St<'_, Projects>) -> AppResult<Status> {
    status_impl(&state, &projects)
}

#[tauri::command]
pub async fn project_sync(
    state: St<'_, AppState>,
    projects: St<'_, Projects>,
    snapshot: Snapshot,
) -> AppResult<Status> {
    sync_impl(&state, &projects, &snapshot)
}

#[tauri::command]
pub async fn project_new(
    state: St<'_, AppState>,
    projects: St<'_, Projects>,
    grants: St<'_, Grants>,
) -> AppResult<Opened> {
    new_impl(&state, &projects, &grants)
}

/// Open a project: `path` (granted), `recent` (index in the recent list), or the dialog.
/// `None` when the dialog was cancelled.
#[tauri::command]
pub async fn project_open(
    app: tauri::AppHandle,
    state: St<'_, AppState>,
    projects: St<'_, Projects>,
    grants: St<'_, Grants>,
    path: Option<String>,
    recent: Option<usize>,
) -> AppResult<Option<Opened>> {
    let path = match (path, recent) {
        (Some(p), None) => path_arg(&p)?,
        (None, Some(i)) => {
            let e = recent::load(&projects.config_dir)
                .into_iter()
                .nth(i)
                .ok_or_else(|| bad(format!("no recent project {i}")))?;
            grants.grant(&e.path);
            e.path
        }
        (None, None) => match pick_file(&app, "Open project", "Border Atlas project", &["json"]) {
            Some(p) => {
                grants.grant(&p);
                p
            }
            None => return Ok(None),
        },
        (Some(_), Some(_)) => return Err(bad("give a path or a recent index, not both")),
    };
    let (opened, plan) = open_impl(&state, &projects, &grants, &path)?;
    spawn_load(&app, plan);
    Ok(Some(opened))
}

/// Save where the project is; asks where (dialog) if it never was saved.
#[tauri::command]
pub async fn project_save(
    app: tauri::AppHandle,
    state: St<'_, AppState>,
    projects: St<'_, Projects>,
    grants: St<'_, Grants>,
    snapshot: Snapshot,
) -> AppResult<Option<Saved>> {
    let current = projects.session()?.path.clone();
    match current {
        Some(p) => save_impl(&state, &projects, &grants, &snapshot, &p).map(Some),
        None => save_as(&app, &state, &projects, &grants, &snapshot, None),
    }
}

fn save_as(
    app: &tauri::AppHandle,
    state: &AppState,
    projects: &Projects,
    grants: &Grants,
    snapshot: &Snapshot,
    path: Option<String>,
) -> AppResult<Option<Saved>> {
    let path = match path {
        Some(p) => path_arg(&p)?,
        None => {
            let name = format!("{}.atlas.json", projects.session()?.name());
            match pick_save(app, "Save project as", &name, "json") {
                Some(mut p) => {
                    if !is_project_name(&p) {
                        let mut n = p.file_name().unwrap_or_default().to_os_string();
                        let lower = n.to_string_lossy().to_ascii_lowercase();
                        let stem_len = lower.strip_suffix(".json").map(str::len);
                        if let Some(k) = stem_len {
                            n = n.to_string_lossy().get(..k).unwrap_or_default().into();
                        }
                        n.push(".atlas.json");
                        p.set_file_name(n);
                    }
                    grants.grant(&p);
                    p
                }
                None => return Ok(None),
            }
        }
    };
    save_impl(state, projects, grants, snapshot, &path).map(Some)
}

/// Save under a new name: `path` (granted) or the dialog. `None`: cancelled.
#[tauri::command]
pub async fn project_save_as(
    app: tauri::AppHandle,
    state: St<'_, AppState>,
    projects: St<'_, Projects>,
    grants: St<'_, Grants>,
    snapshot: Snapshot,
    path: Option<String>,
) -> AppResult<Option<Saved>> {
    save_as(&app, &state, &projects, &grants, &snapshot, path)
}

#[tauri::command]
pub fn project_recent(projects: St<'_, Projects>) -> Vec<RecentItem> {
    recent::items(&projects.config_dir)
}

#[tauri::command]
pub fn project_startup(projects: St<'_, Projects>, grants: St<'_, Grants>) -> AppResult<Startup> {
    startup_impl(&projects, &grants)
}

#[tauri::command]
pub async fn project_recover(
    app: tauri::AppHandle,
    state: St<'_, AppState>,
    projects: St<'_, Projects>,
    grants: St<'_, Grants>,
    accept: bool,
) -> AppResult<Option<Opened>> {
    match recover_impl(&state, &projects, &grants, accept)? {
        Some((opened, plan)) => {
            spawn_load(&app, plan);
            Ok(Some(opened))
        }
        None => Ok(None),
    }
}

/// Relink a missing layer to `path` (granted) or a file chosen in the dialog.
#[tauri::command]
pub async fn project_relink(
    app: tauri::AppHandle,
    projects: St<'_, Projects>,
    grants: St<'_, Grants>,
    layer_id: String,
    path: Option<String>,
) -> AppResult<bool> {
    let file = match path {
        Some(p) => path_arg(&p)?,
        None => {
            use tauri_plugin_dialog::DialogExt;
            let chosen = app
                .dialog()
                .file()
                .set_title("Relink layer")
                .add_filter("GeoJSON and CSV", &["geojson", "json", "csv", "tsv", "txt"])
                .add_filter("All files", &["*"])
                .blocking_pick_file()
                .and_then(|f| f.into_path().ok());
            match chosen {
                Some(p) => {
                    grants.grant(&p);
                    p
                }
                None => return Ok(false),
            }
        }
    };
    let plan = relink_impl(&projects, &grants, &layer_id, &file)?;
    spawn_load(&app, plan);
    Ok(true)
}

#[tauri::command]
pub fn project_layer_storage(
    state: St<'_, AppState>,
    projects: St<'_, Projects>,
    kind: String,
    id: u64,
    embed: bool,
) -> AppResult<()> {
    layer_storage_impl(&state, &projects, &kind, id, embed)
}

/// Where the autosaves go (shown in the Project tab).
#[tauri::command]
pub fn project_recovery_dir(projects: St<'_, Projects>) -> String {
    projects.data_dir.display().to_string()
}
