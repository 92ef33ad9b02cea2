//! The row loop shared by the incident and layer readers: header, field counts, UTF-8,
//! open quotes, problem location, strict/lenient handling, progress and cancel.

use super::cells::{Cells, FieldProblem};
use super::header::{Columns, CsvMapping};
use super::raw::{RawError, RawReader};
use crate::import::{ImportError, ImportOptions, ImportReport, Progress};
use crate::problem::{Location, Mode, Problem, Record};
use std::io::Read;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Rows between progress updates and cancel checks (a power of two).
const PROGRESS_EVERY: u64 = 1024;

pub(crate) struct Driver<R> {
    pub raw: RawReader<R>,
    pub file: String,
    pub cols: Columns,
    pub report: ImportReport,
    pub mode: Mode,
    pub cap: usize,
    progress: Option<Arc<Progress>>,
    /// 1-based data row of the current record.
    pub row: u64,
    /// At most this many data rows ([`Limits::max_records`](crate::import::Limits)).
    max_rows: u64,
}

/// A read error of data row `row` (0: the header) as an import error.
fn raw_error(file: &str, row: u64, e: RawError) -> ImportError {
    match e {
        RawError::Io(source) => ImportError::Io {
            file: file.to_string(),
            source,
        },
        RawError::Limit {
            line,
            column,
            message,
        } => ImportError::Limit(Problem::new(
            Location {
                file: file.to_string(),
                line: Some(line),
                column: Some(column),
                record: (row > 0).then_some(Record::CsvRow(row)),
            },
            message,
        )),
    }
}

/// `unterminated quoted field starting at line 7`, saying how far the open field ran.
fn unterminated_message<R: Read>(raw: &RawReader<R>, line: u64) -> String {
    let bytes = raw.raw();
    let content = bytes
        .iter()
        .rposition(|&b| b != b'\n' && b != b'\r')
        .map_or(0, |p| p + 1);
    let last = raw.position(content).0;
    if last > line {
        format!(
            "unterminated quoted field starting at line {line} (it runs to the end of the file, line {last})"
        )
    } else {
        format!("unterminated quoted field starting at line {line}")
    }
}

impl<R: Read> Driver<R> {
    /// Read and resolve the header.
    pub fn open(
        input: R,
        file: &str,
        opts: &ImportOptions,
        mapping: &CsvMapping,
    ) -> Result<Self, ImportError> {
        let mut raw = RawReader::new(input, mapping.delimiter.unwrap_or(b','));
        raw.set_limits(&opts.limits);
        // Whole-file problems are located too (line 1, column 1 when nothing better).
        let whole = |line: Option<u64>, column: Option<u64>, msg: String| {
            ImportError::Invalid(Problem::new(
                Location {
                    file: file.to_string(),
                    line,
                    column,
                    record: None,
                },
                msg,
            ))
        };
        if !raw.next_record().map_err(|e| raw_error(file, 0, e))? {
            return Err(whole(Some(1), Some(1), "file is empty".into()));
        }
        if raw.is_utf16() {
            return Err(whole(
                Some(1),
                Some(1),
                "file is UTF-16 encoded; save it as UTF-8 CSV".into(),
            ));
        }
        if raw.at_eof() {
            if let Some(q) = raw.scan().unterminated {
                let (line, col) = raw.position(q);
                return Err(whole(
                    Some(line),
                    Some(col),
                    unterminated_message(&raw, line),
                ));
            }
        }
        // No delimiter given and a one-column header: try tab, semicolon or pipe, whichever
        // the header has most of (spreadsheets in many locales write `;`).
        if mapping.delimiter.is_none() && raw.len() == 1 {
            let head = raw.field(0).unwrap_or_default();
            let best = [b'\t', b';', b'|']
                .into_iter()
                .map(|d| (head.iter().filter(|&&b| b == d).count(), d))
                .max_by_key(|&(n, _)| n);
            if let Some((n, d)) = best {
                if n > 0
                    && raw.restart_with_delimiter(d)
                    && !raw.next_record().map_err(|e| raw_error(file, 0, e))?
                {
                    return Err(whole(Some(1), Some(1), "file is empty".into()));
                }
            }
        }
        let mut names = Vec::with_capacity(raw.len());
        for i in 0..raw.len() {
            let bytes = raw.field(i).unwrap_or_default();
            match std::str::from_utf8(bytes) {
                Ok(s) => names.push(s.to_string()),
                Err(_) => {
                    let scan = raw.scan();
                    let (line, col) = raw.position(scan.starts.get(i).copied().unwrap_or(0));
                    return Err(whole(
                        Some(line),
                        Some(col),
                        format!("invalid UTF-8 in header field {}", i + 1),
                    ));
                }
            }
        }
        let cols =
            Columns::resolve(&names, mapping).map_err(|m| whole(Some(raw.line()), None, m))?;
        Ok(Driver {
            raw,
            file: file.to_string(),
            cols,
            report: ImportReport {
                file: file.to_string(),
                ..Default::default()
            },
            mode: opts.mode,
            cap: opts.problem_cap(),
            progress: opts.progress.clone(),
            row: 0,
            max_rows: opts.limits.effective().max_records,
        })
    }

    /// A problem about the whole file, at the header line.
    pub fn header_problem(&self, message: String) -> ImportError {
        ImportError::Invalid(Problem::new(
            Location {
                file: self.file.clone(),
                line: Some(1),
                column: None,
                record: None,
            },
            message,
        ))
    }

    fn update_progress(&self) -> Result<(), ImportError> {
        if let Some(p) = &self.progress {
            p.bytes_read.store(self.raw.consumed(), Ordering::Relaxed);
            p.records.store(self.row, Ordering::Relaxed);
            if p.cancelled() {
                return Err(ImportError::Cancelled);
            }
        }
        Ok(())
    }

    /// Move to the next row whose shape is sound (closed quotes, as many fields as
    /// the header). Rows that are not are reported (lenient) or fail the import (strict).
    /// `Ok(false)` at the end of the file.
    pub fn advance(&mut self) -> Result<bool, ImportError> {
        loop {
            if !self
                .raw
                .next_record()
                .map_err(|e| raw_error(&self.file, self.row + 1, e))?
            {
                self.update_progress()?;
                return Ok(false);
            }
            self.row += 1;
            if self.row > self.max_rows {
                let max = self.max_rows;
                return Err(ImportError::Limit(self.problem_at(
                    self.raw.line(),
                    Some(1),
                    format!("more than {max} rows exceed the limit of {max} rows"),
                )));
            }
            if self.row & (PROGRESS_EVERY - 1) == 0 {
                self.update_progress()?;
            }
            let header_len = self.cols.names.len();
            let n = self.raw.len();
            let unterminated = if self.raw.at_eof() {
                self.raw.scan().unterminated
            } else {
                None
            };
            if let Some(q) = unterminated {
                let (line, col) = self.raw.position(q);
                let p = self.problem_at(line, Some(col), unterminated_message(&self.raw, line));
                self.reject(p)?;
                continue;
            }
            if n != header_len {
                let scan = self.raw.scan();
                let at = if n > header_len {
                    scan.starts.get(header_len).copied().unwrap_or(scan.end)
                } else {
                    scan.end
                };
                let (line, col) = self.raw.position(at);
                let p = self.problem_at(
                    line,
                    Some(col),
                    format!(
                        "row has {n} field{}, header has {header_len}",
                        if n == 1 { "" } else { "s" }
                    ),
                );
                self.reject(p)?;
                continue;
            }
            return Ok(true);
        }
    }

    /// The current row's cells, or the field with invalid UTF-8.
    pub fn cells(&self) -> Result<Cells<'_>, FieldProblem> {
        let (bytes, ends) = self.raw.parts();
        Cells::new(bytes, ends).map_err(|i| {
            FieldProblem::at(
                i,
                format!("invalid UTF-8 in field \"{}\"", self.cols.name(i)),
            )
        })
    }

    fn problem_at(&self, line: u64, column: Option<u64>, message: String) -> Problem {
        Problem::new(
            Location {
                file: self.file.clone(),
                line: Some(line),
                column,
                record: Some(Record::CsvRow(self.row)),
            },
            message,
        )
    }

    /// Locate a field problem of the current row.
    pub fn locate(&self, fp: FieldProblem) -> Problem {
        let start = fp
            .field
            .and_then(|i| self.raw.scan().starts.get(i).copied());
        match start {
            Some(at) => {
                let (line, col) = self.raw.position(at);
                self.problem_at(line, Some(col), fp.message)
            }
            None => self.problem_at(self.raw.line(), None, fp.message),
        }
    }

    /// Strict: fail with `p`. Lenient: record it and count the row as rejected.
    pub fn reject(&mut self, p: Problem) -> Result<(), ImportError> {
        self.note(p)?;
        self.report.rejected += 1;
        Ok(())
    }

    /// Strict: fail with `p`. Lenient: record it.
    pub fn note(&mut self, p: Problem) -> Result<(), ImportError> {
        match self.mode {
            Mode::Strict => Err(ImportError::Invalid(p)),
            Mode::Lenient => {
                self.report.add_problem(p, self.cap);
                Ok(())
            }
        }
    }
}
