//! Loading the incidents a subcommand works on: the files named, or the bundled sample.

use anyhow::Context;
use atlas::dataset::Dataset;
use atlas::import::{ImportError, ImportOptions};
use std::path::PathBuf;

/// Load `files` (lenient: problems are summarised on stderr) or, with none, the bundled sample.
pub fn dataset(files: &[PathBuf], csv: &crate::csvargs::CsvArgs) -> anyhow::Result<Dataset> {
    if files.is_empty() {
        return Dataset::bundled().context("loading the bundled incident sample");
    }
    let mut d = Dataset::empty()?;
    let opts = ImportOptions::lenient();
    let csv = csv.options();
    for f in files {
        match d.import(f, &opts, &csv) {
            Ok(r) => {
                if r.problem_count > 0 {
                    eprintln!(
                        "{}: {} record(s) skipped with problems (run `atlas validate {}` to list them)",
                        f.display(),
                        r.rejected,
                        f.display()
                    );
                }
            }
            Err(atlas::dataset::DatasetError::Import(
                ImportError::Invalid(p) | ImportError::Limit(p),
            )) => {
                anyhow::bail!("{p}")
            }
            Err(e) => return Err(e).with_context(|| format!("loading {}", f.display())),
        }
    }
    Ok(d)
}
