//! Incident rows read on two threads: one parses CSV into records (batches of
//! [`IncidentRecord`]s, recycled), the other pushes them into a fresh store and catches
//! repeated event ids. Problems come out in file order either way, so strict mode still
//! fails on the first problem of the file.

use super::cells::show;
use super::driver::Driver;
use super::header::Col;
use super::record;
use crate::import::{ImportError, ImportReport};
use crate::model::{IncidentRecord, IncidentStore};
use crate::problem::{Location, Mode, Problem, Record};
use std::io::Read;
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender};

/// Rows per batch handed between the threads.
const BATCH: usize = 512;

/// One parsed row and where it and its id cell are.
#[derive(Default)]
struct Parsed {
    rec: IncidentRecord,
    row: u64,
    line: u64,
    /// Line and column of the id cell (for a duplicate-id problem).
    id_at: Option<(u64, u64)>,
}

enum Msg {
    /// A batch and how many of its slots are filled.
    Batch(Vec<Parsed>, usize),
    /// The parser's end: its report, or the import's error.
    Done(Result<ImportReport, ImportError>),
}

fn new_batch() -> Vec<Parsed> {
    (0..BATCH).map(|_| Parsed::default()).collect()
}

/// Fill `slot` with the next good row; rows with problems are handled by the driver.
fn next_parsed<R: Read>(
    drv: &mut Driver<R>,
    name: &str,
    slot: &mut Parsed,
) -> Result<bool, ImportError> {
    while drv.advance()? {
        let row = drv.row;
        let filled = drv.cells().and_then(|cells| {
            record::fill(&drv.cols, &cells, || format!("{name}:{row}"), &mut slot.rec)
        });
        match filled {
            Ok(()) => {
                slot.row = row;
                slot.line = drv.raw.line();
                slot.id_at = drv
                    .cols
                    .get(Col::Id)
                    .and_then(|i| drv.raw.field_position(i));
                return Ok(true);
            }
            Err(fp) => {
                let p = drv.locate(fp);
                drv.reject(p)?;
            }
        }
    }
    Ok(false)
}

/// The parsing thread. Stops early when the consumer hangs up.
fn produce<R: Read>(
    mut drv: Driver<R>,
    name: &str,
    tx: SyncSender<Msg>,
    free: Receiver<Vec<Parsed>>,
) {
    let mut batch = new_batch();
    let mut n = 0;
    let end = loop {
        match next_parsed(&mut drv, name, &mut batch[n]) {
            Ok(true) => {
                n += 1;
                if n == BATCH {
                    let full = std::mem::replace(
                        &mut batch,
                        free.try_recv().unwrap_or_else(|_| new_batch()),
                    );
                    if tx.send(Msg::Batch(full, n)).is_err() {
                        return;
                    }
                    n = 0;
                }
            }
            Ok(false) => break Ok(std::mem::take(&mut drv.report)),
            Err(e) => break Err(e),
        }
    };
    if n > 0 && tx.send(Msg::Batch(batch, n)).is_err() {
        return;
    }
    let _ = tx.send(Msg::Done(end));
}

fn row_key(p: &Problem) -> u64 {
    match p.location.record {
        Some(Record::CsvRow(r)) => r,
        _ => 0,
    }
}

/// Read all rows of `drv` into a new store. `name` is the file name used in position ids.
pub(crate) fn load<R: Read + Send>(
    drv: Driver<R>,
    name: &str,
) -> Result<(IncidentStore, ImportReport), ImportError> {
    let file = drv.file.clone();
    let (mode, cap) = (drv.mode, drv.cap);
    let (tx, rx) = sync_channel::<Msg>(4);
    let (free_tx, free_rx) = channel::<Vec<Parsed>>();
    std::thread::scope(|s| {
        s.spawn(move || produce(drv, name, tx, free_rx));
        // Owned here so that returning early hangs up on the parser before the scope joins it.
        let rx = rx;
        let free_tx = free_tx;
        let mut fresh = IncidentStore::default();
        // Line of each row of `fresh`, to point a duplicate at the first occurrence.
        let mut lines: Vec<u64> = Vec::new();
        let mut dups = ImportReport::default();
        for msg in rx.iter() {
            let (batch, n) = match msg {
                Msg::Batch(b, n) => (b, n),
                Msg::Done(result) => {
                    let mut report = result?;
                    report.problem_count += dups.problem_count;
                    report.rejected += dups.rejected;
                    if !dups.problems.is_empty() {
                        report.problems.append(&mut dups.problems);
                        report.problems.sort_by_key(row_key);
                        report.problems.truncate(cap);
                    }
                    return Ok((fresh, report));
                }
            };
            for p in batch.iter().take(n) {
                match fresh.row_of(&p.rec.event_id) {
                    None => {
                        fresh.push(&p.rec);
                    }
                    Some(prev) => {
                        let first = lines.get(prev as usize).copied().unwrap_or(0);
                        let problem = Problem::new(
                            Location {
                                file: file.clone(),
                                line: Some(p.id_at.map_or(p.line, |a| a.0)),
                                column: p.id_at.map(|a| a.1),
                                record: Some(Record::CsvRow(p.row)),
                            },
                            format!(
                                "duplicate event id {} (first on line {first}); the later row is kept",
                                show(&p.rec.event_id)
                            ),
                        );
                        if mode == Mode::Strict {
                            return Err(ImportError::Invalid(problem));
                        }
                        dups.add_problem(problem, cap);
                        dups.rejected += 1;
                        fresh.upsert(&p.rec);
                    }
                }
                lines.push(p.line);
            }
            let _ = free_tx.send(batch);
        }
        // The parser always ends with `Done` unless it panicked, which the scope re-raises.
        Err(ImportError::Cancelled)
    })
}
