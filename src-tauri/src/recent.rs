//! Recent projects: the last ten opened or saved, newest first, kept as JSON in the
//! app's config folder (`recent-projects.json`). A project no longer where it was is
//! listed as missing, not removed (a drive may be unplugged).

use crate::project::engine;
use crate::state::AppResult;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How many projects the list keeps.
pub const MAX_RECENT: usize = 10;
const FILE: &str = "recent-projects.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecentEntry {
    pub path: PathBuf,
    #[serde(default)]
    pub name: String,
    /// RFC 3339 time it was last opened or saved.
    #[serde(default)]
    pub when: String,
}

/// An entry as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct RecentItem {
    pub path: String,
    pub name: String,
    pub when: String,
    pub missing: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    #[serde(default)]
    projects: Vec<RecentEntry>,
}

/// The list (empty when there is none yet or it cannot be read: it is only a convenience).
pub fn load(config_dir: &Path) -> Vec<RecentEntry> {
    std::fs::read(config_dir.join(FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<Stored>(&b).ok())
        .map(|s| s.projects)
        .unwrap_or_default()
        .into_iter()
        .take(MAX_RECENT)
        .collect()
}

/// Put `path` first (once), keep ten, and write the list atomically.
pub fn push(config_dir: &Path, path: &Path, name: &str) -> AppResult<Vec<RecentEntry>> {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut list = load(config_dir);
    list.retain(|e| e.path != abs);
    list.insert(
        0,
        RecentEntry {
            path: abs,
            name: name.to_string(),
            when: atlas::project::clock::now_rfc3339(),
        },
    );
    list.truncate(MAX_RECENT);
    std::fs::create_dir_all(config_dir)
        .map_err(|e| engine(format!("{}: {e}", config_dir.display())))?;
    let bytes = serde_json::to_vec_pretty(&Stored {
        projects: list.clone(),
    })
    .map_err(engine)?;
    atlas::project::save::write_atomic(&config_dir.join(FILE), &bytes, false).map_err(engine)?;
    Ok(list)
}

/// The list for the page, with missing files marked.
pub fn items(config_dir: &Path) -> Vec<RecentItem> {
    load(config_dir)
        .into_iter()
        .map(|e| RecentItem {
            missing: !e.path.is_file(),
            path: e.path.display().to_string(),
            name: e.name,
            when: e.when,
        })
        .collect()
}
