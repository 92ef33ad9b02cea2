//! `atlas validate FILE...`: check files the way the importers read them.
//!
//! One line per problem, `FILE:LINE:COL: message` (`FILE:LINE: message` when no column
//! applies), a summary line last; exit 0 when every file is valid, 1 when any is not.

use atlas::import::{csv::CsvOptions, open_path, ImportError, ImportOptions};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// GeoJSON or CSV files (ACLED, UCDP GED, generic latitude/longitude).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Print at most this many problems per file (all are counted).
    #[arg(long, default_value_t = 1000)]
    pub max_problems: usize,
    #[command(flatten)]
    pub csv: crate::csvargs::CsvArgs,
}

/// Validate; returns whether every file was valid.
pub fn run(a: &Args) -> anyhow::Result<bool> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let csv: CsvOptions = a.csv.options();
    let (mut bad_files, mut problems) = (0u64, 0u64);
    for path in &a.files {
        let opts = ImportOptions {
            max_problems: a.max_problems.max(1),
            ..ImportOptions::lenient()
        };
        let n = match open_path(path, &opts, &csv) {
            Ok((_, report)) => {
                for p in &report.problems {
                    writeln!(out, "{p}")?;
                }
                let hidden = report.problem_count - report.problems.len() as u64;
                if hidden > 0 {
                    writeln!(out, "{}: … and {hidden} more problems", path.display())?;
                }
                report.problem_count
            }
            Err(ImportError::Invalid(p)) | Err(ImportError::Limit(p)) => {
                writeln!(out, "{p}")?;
                1
            }
            Err(ImportError::Io { file, source }) => {
                writeln!(out, "{file}: cannot read the file: {source}")?;
                1
            }
            Err(ImportError::Cancelled) => anyhow::bail!("validation cancelled"),
        };
        if n > 0 {
            bad_files += 1;
            problems += n;
        }
    }
    let total = a.files.len();
    if bad_files == 0 {
        writeln!(out, "{total} file(s) checked: all valid")?;
    } else {
        writeln!(
            out,
            "{total} file(s) checked: {bad_files} invalid, {problems} problem(s)"
        )?;
    }
    Ok(bad_files == 0)
}
