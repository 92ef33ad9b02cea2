//! What the app opens at start: the bundled data (compiled into the engine), plus the
//! files named on the command line — incident or layer files, each imported as a job like
//! a dropped file (a project file `*.atlas.json` is opened as the project).

use std::path::{Path, PathBuf};

/// Split command-line paths into a project (the first `*.atlas.json`) and data files.
pub fn split_args(args: &[PathBuf]) -> (Option<PathBuf>, Vec<PathBuf>) {
    let is_project = |p: &Path| {
        p.file_name().is_some_and(|n| {
            n.to_string_lossy()
                .to_ascii_lowercase()
                .ends_with(".atlas.json")
        })
    };
    let project = args.iter().find(|p| is_project(p)).cloned();
    let files = args.iter().filter(|p| !is_project(p)).cloned().collect();
    (project, files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_and_data_files_are_told_apart() {
        let args: Vec<PathBuf> = ["a.geojson", "study.ATLAS.json", "b.csv"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let (p, f) = split_args(&args);
        assert_eq!(p, Some(PathBuf::from("study.ATLAS.json")));
        assert_eq!(f, vec![PathBuf::from("a.geojson"), PathBuf::from("b.csv")]);
    }
}
