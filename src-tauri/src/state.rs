//! Shared state behind the commands and the tile protocol: the loaded dataset (the
//! engine's [`atlas::dataset::Dataset`]), the researcher's layers, running imports, and the
//! recent filtered views, addressed by generation number (the tile URL carries it).

use crate::layers::AppLayer;
use atlas::dataset::{Dataset, View};
use atlas::filter::Filter;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, RwLock};

/// How many filtered views stay cached (tiles of an older view may still be in flight).
const KEEP_VIEWS: usize = 8;

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
    views: Mutex<VecDeque<(u64, Arc<View>)>>,
    next_gen: Mutex<u64>,
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

    /// Replace the dataset (after a load or an import); cached views are dropped.
    pub fn set_dataset(&self, d: Dataset) {
        if let Ok(mut g) = self.data.write() {
            *g = Loaded::Ready(Arc::new(d));
        }
        if let Ok(mut v) = self.views.lock() {
            v.clear();
        }
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

    /// Register a filter as a new view; returns its generation.
    pub fn add_view(&self, filter: Filter) -> AppResult<(u64, Arc<View>)> {
        let d = self.dataset()?;
        let view = Arc::new(
            d.view(filter, &atlas::incident_tiles::map_cluster_options())
                .map_err(|e| AppError::Engine(e.to_string()))?,
        );
        let gen = {
            let mut g = self.next_gen.lock().map_err(poisoned)?;
            *g += 1;
            *g
        };
        let mut v = self.views.lock().map_err(poisoned)?;
        v.push_back((gen, Arc::clone(&view)));
        while v.len() > KEEP_VIEWS {
            v.pop_front();
        }
        Ok((gen, view))
    }

    /// A view by generation.
    pub fn view(&self, gen: u64) -> AppResult<Arc<View>> {
        let v = self.views.lock().map_err(poisoned)?;
        v.iter()
            .rev()
            .find(|(g, _)| *g == gen)
            .map(|(_, view)| Arc::clone(view))
            .ok_or(AppError::NoSuchView(gen))
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
