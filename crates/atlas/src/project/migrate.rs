//! Upgrading older project files to the current format, one version at a time.
//!
//! Policy: every format version that ships gets a fixture under
//! `tests/fixtures/project/vN/` and a test that opens it with the current program; a
//! format change adds a step `vN → vN+1` to [`STEPS`] and bumps
//! [`FORMAT_VERSION`](super::FORMAT_VERSION). Files from newer programs are refused.

use super::error::ProjectError;
use super::format::{Project, FORMAT_VERSION};
use serde_json::Value;

/// A step from format `N` to `N + 1`, on the JSON tree.
pub type Step = fn(Value) -> Result<Value, String>;

/// `STEPS[i]` upgrades format `i + 1` to `i + 2`. Empty while only format 1 exists.
pub const STEPS: &[Step] = &[];

/// The `format_version` of a project tree.
pub fn version_of(value: &Value, file: &str) -> Result<u64, ProjectError> {
    value
        .get("format_version")
        .and_then(Value::as_u64)
        .filter(|&v| v >= 1)
        .ok_or_else(|| ProjectError::NoVersion { file: file.into() })
}

/// Upgrade a project tree of any supported version and read it.
///
/// ```
/// use atlas::project::migrate::migrate;
/// let p = migrate(serde_json::json!({"format_version": 1, "title": "Kurram"})).unwrap();
/// assert_eq!(p.title, "Kurram");
/// let e = migrate(serde_json::json!({"format_version": 3})).unwrap_err();
/// assert_eq!(e.to_string(), "project written by a newer Border Atlas (format 3); this version reads up to 1");
/// ```
pub fn migrate(value: Value) -> Result<Project, ProjectError> {
    migrate_named(value, "project")
}

/// [`migrate`], naming `file` in errors.
pub fn migrate_named(mut value: Value, file: &str) -> Result<Project, ProjectError> {
    let mut v = version_of(&value, file)?;
    if v > FORMAT_VERSION as u64 {
        return Err(ProjectError::TooNew {
            found: v,
            supported: FORMAT_VERSION,
        });
    }
    while v < FORMAT_VERSION as u64 {
        let step = STEPS
            .get((v - 1) as usize)
            .ok_or_else(|| ProjectError::Migration {
                file: file.into(),
                from: v,
                message: "no upgrade step".into(),
            })?;
        value = step(value).map_err(|message| ProjectError::Migration {
            file: file.into(),
            from: v,
            message,
        })?;
        v += 1;
        if let Some(obj) = value.as_object_mut() {
            obj.insert("format_version".into(), Value::from(v));
        }
    }
    serde_json::from_value(value).map_err(|e| ProjectError::json(file, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_missing_and_newer_versions() {
        assert!(matches!(
            migrate(serde_json::json!({"title": "x"})),
            Err(ProjectError::NoVersion { .. })
        ));
        assert!(matches!(
            migrate(serde_json::json!({"format_version": "1"})),
            Err(ProjectError::NoVersion { .. })
        ));
        assert!(matches!(
            migrate(serde_json::json!({"format_version": 2})),
            Err(ProjectError::TooNew {
                found: 2,
                supported: 1
            })
        ));
    }

    #[test]
    fn current_version_reads_and_ignores_unknown_fields() {
        let p = migrate(serde_json::json!({
            "format_version": 1,
            "future_field": {"x": 1},
            "view": {"center": [70.0, 34.0], "zoom": 7, "later": true}
        }))
        .unwrap();
        assert_eq!(p.view.center, [70.0, 34.0]);
        assert_eq!(p.view.zoom, 7.0);
    }
}
