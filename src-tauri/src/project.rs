//! The research project of this window: which `.atlas.json` it is (if saved), what it
//! held that is not loaded (missing layers are kept, never dropped), which loaded layer
//! is which project layer, the researcher's annotations, and whether anything changed
//! since the last save.
//!
//! The page sends a [`Snapshot`] (filter, time window, map view) every few seconds and on
//! every change; [`Projects::collect`] turns the app's state plus that snapshot into an
//! engine [`Project`], the same for a save, an autosave and the dirty check (a fingerprint
//! of the collected project without its timestamps).
//!
//! Loading a project's layers is in [`crate::project_load`]; the recent list in
//! [`crate::recent`].

use crate::state::{AppError, AppResult, AppState};
use atlas::filter::Filter;
use atlas::project::layers::{embedded_source, project_dir, relative_path};
use atlas::project::{
    Annotations, ExportPreset, LayerKind, LayerSource, LayerStyle, MapView, Project, ProjectLayer,
    TimeWindow,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::SystemTime;

/// Most export presets a snapshot may carry.
pub const MAX_PRESETS: usize = 50;
/// Largest project file opened (embedded layers make big ones).
pub const MAX_PROJECT_BYTES: u64 = 2 << 30;

/// What the page knows and the app does not: sent with saves and syncs.
#[derive(Debug, Clone, Deserialize)]
pub struct Snapshot {
    /// The engine filter of the page (its `from`/`to` are the time window).
    #[serde(default)]
    pub filter: Filter,
    pub view: MapView,
    /// `None`: keep the project's presets.
    #[serde(default)]
    pub export_presets: Option<Vec<ExportPreset>>,
}

impl Snapshot {
    /// Refuse what no page would send.
    pub fn validate(&self) -> AppResult<()> {
        crate::commands::view::validate(&self.filter)?;
        let v = &self.view;
        let [lon, lat] = v.center;
        let ok = lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat)
            && v.zoom.is_finite()
            && (0.0..=24.0).contains(&v.zoom)
            && v.bearing.is_finite()
            && (-360.0..=360.0).contains(&v.bearing)
            && v.pitch.is_finite()
            && (0.0..=85.0).contains(&v.pitch);
        if !ok {
            return Err(bad(format!("map view {v:?}")));
        }
        if let Some(b) = v.bounds {
            if b.iter().any(|x| !x.is_finite()) || b[0] > b[2] || b[1] > b[3] {
                return Err(bad(format!("map view bounds {b:?}")));
            }
        }
        if let Some(p) = &self.export_presets {
            if p.len() > MAX_PRESETS {
                return Err(bad(format!(
                    "{} export presets (at most {MAX_PRESETS})",
                    p.len()
                )));
            }
            for e in p {
                let long = [&e.name, &e.paper, &e.format, &e.title, &e.subtitle]
                    .iter()
                    .any(|s| s.chars().count() > 500)
                    || e.notes.chars().count() > 2000;
                if long || e.dpi > 2400 {
                    return Err(bad("export preset too long or dpi above 2400"));
                }
            }
        }
        Ok(())
    }
}

pub(crate) fn bad(msg: impl Into<String>) -> AppError {
    AppError::BadArgument(msg.into())
}

pub(crate) fn engine(e: impl std::fmt::Display) -> AppError {
    AppError::Engine(e.to_string())
}

/// What a loaded project layer became in the app.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// An [`crate::layers::AppLayer`] by id.
    Layer(u64),
    /// An incident file of the dataset, by its `LoadedFile::name`.
    Incidents(String),
}

/// A loaded layer's tie to the project.
#[derive(Debug, Clone)]
pub struct Link {
    pub target: Target,
    /// The project layer id.
    pub layer_id: String,
    /// The source it was loaded from, when embedded (there is no file to reference).
    pub embedded: Option<LayerSource>,
    /// Save a copy inside the project instead of a reference.
    pub embed: bool,
    /// Kept for incident layers (the app does not style them).
    pub style: LayerStyle,
}

/// A project layer that is not loaded (missing, unreadable, or failed to load): kept as
/// it is, so saving never drops it.
#[derive(Debug, Clone, Serialize)]
pub struct Unloaded {
    pub layer: ProjectLayer,
    /// `missing`, `unreadable` or `failed`.
    pub status: String,
    pub message: String,
}

/// The live rows a file added, as an embedded GeoJSON copy named after it.
fn rows_copy(
    d: &atlas::dataset::Dataset,
    f: &atlas::dataset::LoadedFile,
) -> AppResult<LayerSource> {
    let rows: Vec<u32> = f.rows.clone().filter(|&r| d.store().is_live(r)).collect();
    let mut bytes = Vec::new();
    atlas::export_data::write_incidents_geojson(
        &mut bytes,
        &atlas::export_data::Incidents::of(d, &rows),
    )
    .map_err(engine)?;
    Ok(embedded_source(
        &format!("{}.geojson", f.name),
        &bytes,
        true,
    ))
}

/// The open project.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// Where it is saved; `None`: not saved yet.
    pub path: Option<PathBuf>,
    /// The project as opened (title, created, revision, presets…).
    pub base: Project,
    pub links: Vec<Link>,
    pub unloaded: Vec<Unloaded>,
    /// Project layer ids whose file changed since the project was saved.
    pub changed: Vec<String>,
    pub annotations: Annotations,
    /// Fingerprint at the last save/open; `None` until the first sync after loading.
    pub saved: Option<String>,
    /// Fingerprint of the last autosave.
    pub autosaved: Option<String>,
    /// Dirty whatever the fingerprint says (a recovered project).
    pub force_dirty: bool,
    /// The last fingerprint seen.
    pub current: Option<String>,
}

impl Session {
    /// `study` for `…/study.atlas.json`, `Untitled` before the first save.
    pub fn name(&self) -> String {
        match &self.path {
            None => "Untitled".into(),
            Some(p) => {
                let n = p.file_name().unwrap_or_default().to_string_lossy();
                let lower = n.to_ascii_lowercase();
                let cut = if lower.ends_with(".atlas.json") {
                    n.len() - ".atlas.json".len()
                } else if lower.ends_with(".json") {
                    n.len() - ".json".len()
                } else {
                    n.len()
                };
                n.get(..cut).unwrap_or(&n[..]).to_string()
            }
        }
    }

    pub fn dirty(&self) -> bool {
        self.force_dirty
            || match (&self.saved, &self.current) {
                (Some(s), Some(c)) => s != c,
                _ => false,
            }
    }

    pub fn link_of(&self, t: &Target) -> Option<&Link> {
        self.links.iter().find(|l| &l.target == t)
    }
}

/// A recovery file to offer at start or on open.
#[derive(Debug, Clone, Serialize)]
pub struct RecoveryOffer {
    /// The project it belongs to; `None`: an unsaved session.
    pub project: Option<PathBuf>,
    pub recovery: PathBuf,
    /// RFC 3339 time of the autosave.
    pub modified: String,
}

/// The project state of the app (managed by Tauri; built directly in tests).
#[derive(Debug)]
pub struct Projects {
    pub session: Mutex<Session>,
    /// Where the recent list lives.
    pub config_dir: PathBuf,
    /// Where recovery files live.
    pub data_dir: PathBuf,
    /// A project named on the command line, opened by the page once it is ready.
    pub startup_project: Mutex<Option<PathBuf>>,
    pub pending_recovery: Mutex<Option<RecoveryOffer>>,
    /// Layers still loading.
    pub loading: AtomicUsize,
    /// Bumped by every open/new: a load of an older project stops.
    pub generation: AtomicU64,
    digests: Mutex<DigestCache>,
    copies: Mutex<CopyCache>,
}

/// Size and SHA-256 of a file by path, with the size and time they were computed at.
type DigestCache = HashMap<PathBuf, (u64, Option<SystemTime>, String)>;
/// Embedded copies of files by path, with the size and time they were read at.
type CopyCache = HashMap<PathBuf, ((u64, Option<SystemTime>), LayerSource)>;

pub(crate) fn poisoned<T>(_: T) -> AppError {
    AppError::Engine("project lock poisoned".into())
}

/// The pseudo project path of an unsaved session (its autosave is in the data dir).
pub fn unsaved_key(data_dir: &Path) -> PathBuf {
    data_dir.join("unsaved.atlas.json")
}

impl Projects {
    pub fn new(config_dir: PathBuf, data_dir: PathBuf) -> Projects {
        Projects {
            session: Mutex::new(Session::default()),
            config_dir,
            data_dir,
            startup_project: Mutex::new(None),
            pending_recovery: Mutex::new(None),
            loading: AtomicUsize::new(0),
            generation: AtomicU64::new(0),
            digests: Mutex::new(HashMap::new()),
            copies: Mutex::new(HashMap::new()),
        }
    }

    pub fn session(&self) -> AppResult<std::sync::MutexGuard<'_, Session>> {
        self.session.lock().map_err(poisoned)
    }

    pub fn is_loading(&self) -> bool {
        self.loading.load(Ordering::SeqCst) > 0
    }

    /// Size and SHA-256 of a file, cached by size and modification time (big layers are
    /// hashed once, not on every autosave).
    pub fn digest(&self, path: &Path) -> AppResult<(u64, String)> {
        let meta =
            std::fs::metadata(path).map_err(|e| engine(format!("{}: {e}", path.display())))?;
        let mtime = meta.modified().ok();
        if let Ok(c) = self.digests.lock() {
            if let Some((size, t, sha)) = c.get(path) {
                if *size == meta.len() && *t == mtime && mtime.is_some() {
                    return Ok((*size, sha.clone()));
                }
            }
        }
        let (size, sha) = atlas::project::checksum::file_digest(path)
            .map_err(|e| engine(format!("{}: {e}", path.display())))?;
        if let Ok(mut c) = self.digests.lock() {
            c.insert(path.to_path_buf(), (size, mtime, sha.clone()));
        }
        Ok((size, sha))
    }

    /// A reference to `file`, relative to the project's folder when under it.
    pub fn file_source_for(&self, file: &Path, project: Option<&Path>) -> AppResult<LayerSource> {
        let absolute = std::path::absolute(file).map_err(engine)?;
        let (size, sha256) = self.digest(&absolute)?;
        let path = project
            .map(project_dir)
            .and_then(|d| std::path::absolute(d).ok())
            .and_then(|d| relative_path(&absolute, &d))
            .unwrap_or_else(|| absolute.to_string_lossy().into_owned());
        Ok(LayerSource::File {
            path,
            absolute,
            size,
            sha256,
        })
    }

    /// An embedded copy of `file`, cached by size and modification time (the dirty
    /// check collects the project every few seconds).
    fn copy_of(&self, file: &Path) -> AppResult<LayerSource> {
        let meta =
            std::fs::metadata(file).map_err(|e| engine(format!("{}: {e}", file.display())))?;
        let key = (meta.len(), meta.modified().ok());
        if let Ok(c) = self.copies.lock() {
            if let Some((k, src)) = c.get(file) {
                if *k == key && key.1.is_some() {
                    return Ok(src.clone());
                }
            }
        }
        let bytes = std::fs::read(file).map_err(|e| engine(format!("{}: {e}", file.display())))?;
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let json = atlas::import::FileFormat::of_name_and_head(&name, &bytes)
            == atlas::import::FileFormat::GeoJson;
        let src = embedded_source(&name, &bytes, json);
        if let Ok(mut c) = self.copies.lock() {
            c.insert(file.to_path_buf(), (key, src.clone()));
        }
        Ok(src)
    }

    /// How to store one layer: an embedded copy (kept from the project, or read now),
    /// or a reference to its file.
    fn source_for(
        &self,
        link: Option<&Link>,
        file: Option<&Path>,
        project: Option<&Path>,
    ) -> AppResult<LayerSource> {
        let embed = link.is_some_and(|l| l.embed);
        let kept = link.and_then(|l| l.embedded.clone());
        match (file, kept) {
            (Some(_), Some(k)) if embed => Ok(k),
            (Some(f), _) => {
                let made = if embed {
                    self.copy_of(f)
                } else {
                    self.file_source_for(f, project)
                };
                // A file gone since it was loaded is still referenced (reported on open).
                made.or_else(|_| {
                    let absolute = std::path::absolute(f).unwrap_or_else(|_| f.to_path_buf());
                    Ok(LayerSource::File {
                        path: absolute.to_string_lossy().into_owned(),
                        absolute,
                        size: 0,
                        sha256: String::new(),
                    })
                })
            }
            (None, Some(k)) => Ok(k),
            (None, None) => Err(engine("a loaded layer has neither a file nor a copy")),
        }
    }

    /// The app's workspace as a project: loaded layers (references or copies, with
    /// their styles), incident files, layers that could not be loaded (kept as they
    /// were), the page's filter, time window and view, presets and annotations.
    pub fn collect(&self, state: &AppState, snap: &Snapshot) -> AppResult<Project> {
        let s = self.session()?.clone();
        self.collect_from(&s, state, snap, s.path.as_deref())
    }

    /// [`Projects::collect`] for a given session and save path.
    pub fn collect_from(
        &self,
        s: &Session,
        state: &AppState,
        snap: &Snapshot,
        path: Option<&Path>,
    ) -> AppResult<Project> {
        let mut p = s.base.clone();
        p.layers.clear();
        // Ids in use: layers not loaded and loaded ones already tied to the project.
        let mut used: Vec<String> = s.unloaded.iter().map(|u| u.layer.id.clone()).collect();
        used.extend(
            s.links
                .iter()
                .filter(|l| !l.layer_id.is_empty())
                .map(|l| l.layer_id.clone()),
        );
        // Incident files (the bundled sample is always there and not part of a project).
        if let Ok(d) = state.dataset() {
            for f in d.files() {
                if f.name == atlas::bundled::INCIDENTS_SAMPLE_NAME {
                    continue;
                }
                let t = Target::Incidents(f.name.clone());
                let link = s.link_of(&t);
                let file = link
                    .is_none_or(|l| l.embedded.is_none())
                    .then(|| Path::new(&f.name));
                // Incidents made in the app (a layer used as incidents) have no file of
                // their own: their rows are saved as an embedded GeoJSON copy.
                let made_here = file.is_some_and(|p| !p.is_absolute() && !p.exists());
                let source = if made_here {
                    rows_copy(&d, f)?
                } else {
                    self.source_for(link, file, path)?
                };
                let stem = match &source {
                    LayerSource::File { absolute, .. } => absolute
                        .file_stem()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned(),
                    LayerSource::Base64 { file_name, .. }
                    | LayerSource::Geojson { file_name, .. } => file_name.clone(),
                };
                let id = match link {
                    Some(l) if !l.layer_id.is_empty() => l.layer_id.clone(),
                    _ => unique_id(&mut used, &stem),
                };
                p.layers.push(ProjectLayer {
                    id,
                    name: stem,
                    kind: LayerKind::Incidents,
                    source,
                    style: link.map(|l| l.style.clone()).unwrap_or_default(),
                });
            }
        }
        // The researcher's layers, bottom to top.
        let layers: Vec<_> = state.layers.read().map_err(poisoned)?.clone();
        for (i, l) in layers.iter().enumerate() {
            let meta = l.meta()?;
            let t = Target::Layer(l.id);
            let link = s.link_of(&t);
            let source = self.source_for(link, l.path.as_deref(), path)?;
            let id = match link {
                Some(k) if !k.layer_id.is_empty() => k.layer_id.clone(),
                _ => unique_id(&mut used, &meta.name),
            };
            let mut style = meta.style.clone();
            style.order = i as i32;
            p.layers.push(ProjectLayer {
                id,
                name: meta.name.clone(),
                kind: LayerKind::Reference,
                source,
                style,
            });
        }
        p.layers.extend(s.unloaded.iter().map(|u| u.layer.clone()));
        let mut filter = snap.filter.clone();
        filter.bbox = None;
        p.time_window = TimeWindow {
            from: filter.from,
            to: filter.to,
        };
        p.filter = filter;
        p.view = snap.view.clone();
        if let Some(e) = &snap.export_presets {
            p.export_presets = e.clone();
        }
        p.annotations = s.annotations.clone();
        Ok(p)
    }

    /// Mark the current state as saved (after a save or once an open has loaded).
    pub fn mark_saved(&self, fingerprint: String) -> AppResult<()> {
        let mut s = self.session()?;
        s.saved = Some(fingerprint.clone());
        s.autosaved = Some(fingerprint.clone());
        s.current = Some(fingerprint);
        s.force_dirty = false;
        Ok(())
    }

    /// Where this session autosaves.
    pub fn recovery_file(&self, path: Option<&Path>) -> PathBuf {
        let key = path
            .map(Path::to_path_buf)
            .unwrap_or_else(|| unsaved_key(&self.data_dir));
        atlas::project::save::recovery_path(&key, Some(&self.data_dir))
    }
}

/// A project layer id from a name (`Kurram districts` → `kurram-districts`), not in
/// `used`; it is added there.
pub fn unique_id(used: &mut Vec<String>, want: &str) -> String {
    let base: String = want
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(60)
        .collect();
    let base = if base.trim_matches('-').is_empty() {
        "layer".to_string()
    } else {
        base
    };
    let mut id = base.clone();
    let mut n = 2;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.push(id.clone());
    id
}

/// The project without what changes on every save (timestamps, revision, the view's
/// box, float noise in the camera): equal fingerprints mean nothing to save.
pub fn fingerprint(p: &Project) -> String {
    let mut c = p.clone();
    c.created = String::new();
    c.modified = String::new();
    c.revision = 0;
    c.app_version = String::new();
    c.view.bounds = None;
    let r = |x: f64| (x * 1e5).round() / 1e5;
    c.view.center = [r(c.view.center[0]), r(c.view.center[1])];
    c.view.zoom = r(c.view.zoom);
    c.view.bearing = r(c.view.bearing);
    c.view.pitch = r(c.view.pitch);
    serde_json::to_string(&c).unwrap_or_default()
}
