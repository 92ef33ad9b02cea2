//! Which files the app may touch: only paths the user chose (system dialog, drop on the
//! window, command-line arguments, a project they opened). The page never names a path
//! the user did not give; a command that reads or writes a file checks it here first.
//!
//! For the end-to-end tests, `BORDER_ATLAS_E2E_GRANT=DIR` grants one directory (the test
//! harness's fixtures and output folder) so the tests can drive the same load, export and
//! project paths without a native dialog. It is read once at start-up, never from the page.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

/// The granted paths.
#[derive(Debug, Default)]
pub struct Grants {
    files: RwLock<HashSet<PathBuf>>,
    dir: Option<PathBuf>,
}

impl Grants {
    /// Grants with the directory of `BORDER_ATLAS_E2E_GRANT`, if set and existing.
    pub fn from_env() -> Self {
        let dir = std::env::var_os("BORDER_ATLAS_E2E_GRANT")
            .map(PathBuf::from)
            .and_then(|d| d.canonicalize().ok());
        Grants {
            files: RwLock::default(),
            dir,
        }
    }

    /// Grants rooted at a directory (tests).
    pub fn with_dir(dir: &Path) -> Self {
        Grants {
            files: RwLock::default(),
            dir: dir.canonicalize().ok(),
        }
    }

    /// Record that the user chose `p`.
    pub fn grant(&self, p: &Path) {
        if let Ok(mut g) = self.files.write() {
            g.insert(normalise(p));
        }
    }

    /// Whether `p` was granted (exactly, or under the test directory).
    pub fn allows(&self, p: &Path) -> bool {
        let n = normalise(p);
        if let Some(d) = &self.dir {
            if n.starts_with(d) {
                return true;
            }
        }
        self.files.read().is_ok_and(|g| g.contains(&n))
    }
}

/// Absolute, with `..` resolved: the canonical path when the file exists, else the
/// canonical parent joined with the file name (a file about to be written).
fn normalise(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            parent
                .canonicalize()
                .map(|c| c.join(name))
                .unwrap_or_else(|_| p.to_path_buf())
        }
        _ => p.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_granted_paths_pass() {
        let dir = std::env::temp_dir().join(format!("ba-grants-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let f = dir.join("a.geojson");
        std::fs::write(&f, "{}").unwrap();
        let g = Grants::default();
        assert!(!g.allows(&f));
        g.grant(&f);
        assert!(g.allows(&f));
        assert!(g.allows(&dir.join("sub/../a.geojson")));
        assert!(!g.allows(&dir.join("b.geojson")));
        assert!(!g.allows(Path::new("/etc/passwd")));
        let t = Grants::with_dir(&dir);
        assert!(t.allows(&dir.join("new-export.pdf")));
        assert!(!t.allows(&dir.join("../outside.pdf")));
        std::fs::remove_dir_all(&dir).ok();
    }
}
