//! Shared state behind the commands and the tile protocol: the loaded dataset (the
//! engine's [`atlas::dataset::Dataset`]), the researcher's layers, running imports, and the
//! recent filtered views, addressed by generation number (the tile URL carries it).

use crate::layers::AppLayer;
use crate::views::ViewStore;
use atlas::dataset::{Dataset, Selection, View};
use atlas::incident_tiles::map_cluster_options;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// How long a tile request waits for its generation's view to be built.
const TILE_WAIT: Duration = Duration::from_secs(60);

/// Errors the page can see (serialised as their message).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("the data is still loading")]
    Loading,
    #[error("the data could not be loaded: {0}")]
    LoadFailed(String),
    #[error("no incident with id {0:?}")]
    NoSuchIncident(String),
    #[error("unknown filter generation {0}")]
    NoSuchView(u64),
    #[error("no layer with id {0}")]
    NoSuchLayer(u64),
    #[error("invalid argument: {0}")]
    BadArgument(String),
    #[error("{0}")]
    Engine(String),
}

impl serde::Serialize for AppError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// Result type of every command.
pub type AppResult<T> = Result<T, AppError>;

fn poisoned<T>(_: T) -> AppError {
    AppError::Engine("state lock poisoned".into())
}

#[derive(Default)]
enum Loaded {
    #[default]
    Loading,
    Ready(Arc<Dataset>),
    Failed(String),
}

/// The app's state (managed by Tauri; also built directly in tests).
#[derive(Default)]
pub struct AppState {
    data: RwLock<Loaded>,
    /// Filtered views by generation, and their builds.
    pub views: Arc<ViewStore>,
    /// The researcher's generic layers, bottom to top.
    pub layers: RwLock<Vec<Arc<AppLayer>>>,
    /// Imports running in the background.
    pub jobs: crate::jobs::Jobs,
}

impl AppState {
    /// A state with data already loaded (tests, and after loading).
    pub fn with_dataset(d: Dataset) -> AppState {
        let s = AppState::default();
        s.set_dataset(d);
        s
    }

    /// Replace the dataset (after a load or an import); cached views are dropped. The
    /// cluster index of every mapped incident is built first (on the caller's thread, which
    /// is a background one for loads and imports), so clearing the filters is immediate.
    pub fn set_dataset(&self, d: Dataset) {
        if let Err(e) = d.warm_clusters(&map_cluster_options()) {
            eprintln!("border-atlas: clustering the incidents: {e}");
        }
        if let Ok(mut g) = self.data.write() {
            *g = Loaded::Ready(Arc::new(d));
        }
        self.views.clear();
    }

    pub fn set_failed(&self, msg: String) {
        if let Ok(mut g) = self.data.write() {
            *g = Loaded::Failed(msg);
        }
    }

    /// The dataset, or why there is none.
    pub fn dataset(&self) -> AppResult<Arc<Dataset>> {
        let g = self.data.read().map_err(poisoned)?;
        match &*g {
            Loaded::Ready(d) => Ok(Arc::clone(d)),
            Loaded::Loading => Err(AppError::Loading),
            Loaded::Failed(m) => Err(AppError::LoadFailed(m.clone())),
        }
    }

    /// Register a selection as a new view; returns its generation and whether its view is
    /// ready. When it is not, the view is built on a thread of its own (cancelled if a newer
    /// filter comes first); [`AppState::wait_view`] waits for it. A selection with the same
    /// rows as the newest view gets that view's generation back (its tiles stay valid).
    pub fn add_view(&self, d: Arc<Dataset>, sel: Selection) -> AppResult<(u64, bool)> {
        let gen = self.views.next_generation();
        let opts = map_cluster_options();
        if let Some(v) = d.cached_view(&sel, &opts) {
            if let Some(shown) = self.views.newest_same(&v) {
                return Ok((shown, true));
            }
            self.views.insert(gen, v)?;
            return Ok((gen, true));
        }
        self.views.start(gen)?;
        let store = Arc::clone(&self.views);
        let spawned = std::thread::Builder::new()
            .name(format!("view-{gen}"))
            .spawn(move || {
                let cancel = || store.superseded(gen);
                let view = match d.view_of(sel, &opts, &cancel) {
                    Ok(v) => Some(v),
                    Err(atlas::dataset::DatasetError::Cluster(
                        atlas::cluster::ClusterError::Cancelled,
                    )) => None,
                    Err(e) => {
                        eprintln!("border-atlas: view {gen}: {e}");
                        None
                    }
                };
                store.finish(gen, view);
            });
        if let Err(e) = spawned {
            self.views.finish(gen, None);
            return Err(AppError::Engine(format!("starting the view build: {e}")));
        }
        Ok((gen, false))
    }

    /// A view by generation, if it is ready.
    pub fn view(&self, gen: u64) -> AppResult<Arc<View>> {
        self.views.get(gen)
    }

    /// A view by generation, waiting while it is built (tile requests, `view_ready`).
    pub fn wait_view(&self, gen: u64) -> AppResult<Arc<View>> {
        self.views.wait(gen, TILE_WAIT)
    }

    /// A layer by id.
    pub fn layer(&self, id: u64) -> AppResult<Arc<AppLayer>> {
        let g = self.layers.read().map_err(poisoned)?;
        g.iter()
            .find(|l| l.id == id)
            .cloned()
            .ok_or(AppError::NoSuchLayer(id))
    }
}

/// Date text of a row: one day, or `start – end` for an event dated to a range.
pub fn date_text(d: &Dataset, row: u32) -> String {
    atlas::incident_tiles::date_text(d.store(), row)
}
