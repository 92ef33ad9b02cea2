//! Saving without ever leaving a torn file: write a temporary file in the same
//! directory, `fsync` it, keep the previous version as `NAME.bak`, rename the new file
//! over the old one, `fsync` the directory. Autosaves go to a recovery file by the
//! same protocol.

use super::error::ProjectError;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// `study.atlas.json` → `study.atlas.json.bak`: the version before the last save.
pub fn backup_path(project: &Path) -> PathBuf {
    let mut name = project.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    project.with_file_name(name)
}

/// The autosave file of a project: `study.atlas.json` → `study.recovery.json` next to
/// it, or in `app_data_dir` (named with a hash of the project's absolute path, so two
/// projects with the same name do not share one).
///
/// ```
/// use atlas::project::save::recovery_path;
/// use std::path::Path;
/// assert_eq!(recovery_path(Path::new("/r/study.atlas.json"), None), Path::new("/r/study.recovery.json"));
/// let in_app = recovery_path(Path::new("/r/study.atlas.json"), Some(Path::new("/data")));
/// assert!(in_app.starts_with("/data") && in_app.to_string_lossy().ends_with(".recovery.json"));
/// ```
pub fn recovery_path(project: &Path, app_data_dir: Option<&Path>) -> PathBuf {
    let name = project.file_name().unwrap_or_default().to_string_lossy();
    let stem = name
        .strip_suffix(".atlas.json")
        .or_else(|| name.strip_suffix(".json"))
        .unwrap_or(&name);
    match app_data_dir {
        None => project.with_file_name(format!("{stem}.recovery.json")),
        Some(dir) => {
            let abs = std::path::absolute(project).unwrap_or_else(|_| project.to_path_buf());
            let h = super::checksum::bytes_digest(abs.as_os_str().as_encoded_bytes());
            dir.join(format!(
                "{stem}-{}.recovery.json",
                h.get(..12).unwrap_or(&h)
            ))
        }
    }
}

/// Replace `path` with `bytes` atomically. With `keep_backup`, the old file (if any)
/// stays as [`backup_path`]. A crash at any moment leaves either the old or the new
/// file at `path`, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), ProjectError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    // Unique per process and call, so concurrent saves never share a temporary file.
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}-{seq}.tmp", std::process::id()));
    let io = |action| move |e| ProjectError::io(path, action, e);
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(io("creating temporary file"))?;
        f.write_all(bytes).map_err(io("writing temporary file"))?;
        f.sync_all().map_err(io("syncing temporary file"))?;
        drop(f);
        if keep_backup && path.exists() {
            keep_previous(path).map_err(io("keeping the previous version as .bak"))?;
        }
        fs::rename(&tmp, path).map_err(io("renaming temporary file over the project"))?;
        sync_dir(&dir).map_err(io("syncing the directory"))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Make `NAME.bak` the current file: a hard link (no copy, atomic via a temporary
/// name), or a synced copy where links are not supported.
fn keep_previous(path: &Path) -> std::io::Result<()> {
    let bak = backup_path(path);
    let mut tmp_name = bak.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = bak.with_file_name(tmp_name);
    let _ = fs::remove_file(&tmp);
    if fs::hard_link(path, &tmp).is_err() {
        fs::copy(path, &tmp)?;
        File::open(&tmp)?.sync_all()?;
    }
    fs::rename(&tmp, &bak)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}
