//! Imports in the background: each file the user opens becomes a job with live progress
//! (bytes read of total, records so far, elapsed) and a cancel flag. The page polls
//! [`Jobs::statuses`]; nothing it shows depends on the file being held by the page.
//!
//! A file is parsed leniently first, so every problem can be listed. A file with problems
//! is not loaded: the job waits for the user to accept its valid records
//! ([`accept`]) or dismiss it. Until then, and after a failure or a cancel, what was
//! loaded before stays exactly as it was.

use crate::layers::AppLayer;
use crate::state::{AppError, AppResult, AppState};
use atlas::import::{self, csv::CsvOptions, ImportError, ImportOptions, ImportReport, Opened};
use atlas::problem::{Mode, Problem};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Problems listed per file (all are counted).
pub const MAX_LISTED_PROBLEMS: usize = 100;

/// What a job came to.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Outcome {
    Running,
    /// Loaded: into the incidents, or as a new layer.
    Loaded {
        kind: &'static str,
        layer_id: Option<u64>,
        report: ImportReport,
    },
    /// Parsed, with problems: waiting for the user to load the valid records or not.
    NeedsDecision {
        valid: u64,
        problems: Vec<Problem>,
        problem_count: u64,
    },
    /// The file cannot be loaded at all.
    Failed {
        message: String,
        problems: Vec<Problem>,
    },
    Cancelled,
    /// The user declined to load a file with problems.
    Dismissed,
}

/// Parsed data waiting for the user's decision.
#[derive(Debug)]
enum Pending {
    Incidents(Box<atlas::model::IncidentStore>, ImportReport),
    Layer(atlas::model::Layer, ImportReport),
}

/// One import.
#[derive(Debug)]
pub struct Job {
    pub id: u64,
    pub path: PathBuf,
    pub name: String,
    pub progress: Arc<import::Progress>,
    started: Instant,
    finished: Mutex<Option<u128>>,
    outcome: Mutex<Outcome>,
    pending: Mutex<Option<Pending>>,
}

/// A job as the page sees it.
#[derive(Debug, Clone, Serialize)]
pub struct JobStatus {
    pub id: u64,
    pub name: String,
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub records: u64,
    pub elapsed_ms: u128,
    pub outcome: Outcome,
}

/// All jobs of this session (finished ones are kept until the page acknowledges them).
#[derive(Debug, Default)]
pub struct Jobs {
    list: Mutex<Vec<Arc<Job>>>,
    next: Mutex<u64>,
    /// Serialises the final merge of incident files.
    merge: Mutex<()>,
}

fn poisoned<T>(_: T) -> AppError {
    AppError::Engine("job lock poisoned".into())
}

impl Jobs {
    /// Register a job for `path`.
    pub fn create(&self, path: &Path) -> AppResult<Arc<Job>> {
        let id = {
            let mut n = self.next.lock().map_err(poisoned)?;
            *n += 1;
            *n
        };
        let job = Arc::new(Job {
            id,
            path: path.to_path_buf(),
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string()),
            progress: Arc::default(),
            started: Instant::now(),
            finished: Mutex::new(None),
            outcome: Mutex::new(Outcome::Running),
            pending: Mutex::new(None),
        });
        self.list.lock().map_err(poisoned)?.push(Arc::clone(&job));
        Ok(job)
    }

    pub fn get(&self, id: u64) -> AppResult<Arc<Job>> {
        self.list
            .lock()
            .map_err(poisoned)?
            .iter()
            .find(|j| j.id == id)
            .cloned()
            .ok_or_else(|| AppError::BadArgument(format!("no import job {id}")))
    }

    /// Every job not yet acknowledged.
    pub fn statuses(&self) -> AppResult<Vec<JobStatus>> {
        let l = self.list.lock().map_err(poisoned)?;
        l.iter().map(|j| j.status()).collect()
    }

    /// Forget a finished job (the page has shown its result).
    pub fn forget(&self, id: u64) -> AppResult<()> {
        let mut l = self.list.lock().map_err(poisoned)?;
        l.retain(|j| j.id != id || j.is_running());
        Ok(())
    }
}

impl Job {
    pub fn status(&self) -> AppResult<JobStatus> {
        let p = &self.progress;
        let elapsed_ms = self
            .finished
            .lock()
            .map_err(poisoned)?
            .unwrap_or_else(|| self.started.elapsed().as_millis());
        Ok(JobStatus {
            id: self.id,
            name: self.name.clone(),
            bytes_read: p.bytes_read.load(Ordering::Relaxed),
            bytes_total: p.bytes_total.load(Ordering::Relaxed),
            records: p.records.load(Ordering::Relaxed),
            elapsed_ms,
            outcome: self.outcome.lock().map_err(poisoned)?.clone(),
        })
    }

    pub fn is_running(&self) -> bool {
        self.outcome
            .lock()
            .is_ok_and(|o| matches!(*o, Outcome::Running))
    }

    fn finish(&self, o: Outcome) {
        if let Ok(mut f) = self.finished.lock() {
            *f = Some(self.started.elapsed().as_millis());
        }
        if let Ok(mut g) = self.outcome.lock() {
            *g = o;
        }
    }

    /// Ask the import to stop.
    pub fn cancel(&self) {
        self.progress.cancel.store(true, Ordering::Relaxed);
        if let Ok(mut p) = self.pending.lock() {
            if p.take().is_some() {
                drop(p);
                self.finish(Outcome::Cancelled);
            }
        }
    }
}

/// Parse the job's file and load it, or park it for a decision. Runs on a worker thread.
pub fn run(state: &AppState, job: &Job) {
    let opts = ImportOptions {
        mode: Mode::Lenient,
        max_problems: MAX_LISTED_PROBLEMS,
        progress: Some(Arc::clone(&job.progress)),
        ..ImportOptions::default()
    };
    let result = import::open_path(&job.path, &opts, &CsvOptions::default());
    if job.progress.cancelled() {
        job.finish(Outcome::Cancelled);
        return;
    }
    let pending = match result {
        Ok((Opened::Incidents(store), report)) => Pending::Incidents(store, report),
        Ok((Opened::Layer(layer), report)) => Pending::Layer(layer, report),
        Err(ImportError::Cancelled) => return job.finish(Outcome::Cancelled),
        Err(ImportError::Invalid(p)) => {
            return job.finish(Outcome::Failed {
                message: p.to_string(),
                problems: vec![p],
            })
        }
        Err(e) => {
            return job.finish(Outcome::Failed {
                message: e.to_string(),
                problems: e.problem().cloned().into_iter().collect(),
            })
        }
    };
    let report = match &pending {
        Pending::Incidents(_, r) | Pending::Layer(_, r) => r,
    };
    let valid = report.loaded + report.updated;
    if report.problem_count > 0 && valid == 0 {
        let first = report
            .problems
            .first()
            .map(|p| p.to_string())
            .unwrap_or_default();
        return job.finish(Outcome::Failed {
            message: format!(
                "nothing could be loaded ({} problems); first: {first}",
                report.problem_count
            ),
            problems: report.problems.clone(),
        });
    }
    if report.problem_count > 0 {
        let o = Outcome::NeedsDecision {
            valid,
            problems: report.problems.clone(),
            problem_count: report.problem_count,
        };
        if let Ok(mut p) = job.pending.lock() {
            *p = Some(pending);
        }
        job.finish(o);
        return;
    }
    let o = commit(state, job, pending);
    job.finish(o);
}

/// Load the valid records of a job that waits for a decision.
pub fn accept(state: &AppState, job: &Job) -> AppResult<JobStatus> {
    let pending = job
        .pending
        .lock()
        .map_err(poisoned)?
        .take()
        .ok_or_else(|| AppError::BadArgument(format!("import {} is not waiting", job.id)))?;
    let o = commit(state, job, pending);
    job.finish(o);
    job.status()
}

/// Drop a job's parsed data without loading it.
pub fn dismiss(job: &Job) -> AppResult<JobStatus> {
    if job.pending.lock().map_err(poisoned)?.take().is_some() {
        job.finish(Outcome::Dismissed);
    }
    job.status()
}

fn commit(state: &AppState, job: &Job, pending: Pending) -> Outcome {
    match pending {
        Pending::Incidents(store, report) => {
            let merged = (|| -> AppResult<()> {
                let _g = state.jobs.merge.lock().map_err(poisoned)?;
                let d = state.dataset()?;
                let name = job.path.display().to_string();
                let next = d
                    .merged(*store, &name, report.clone())
                    .map_err(|e| AppError::Engine(e.to_string()))?;
                if job.progress.cancelled() {
                    return Err(AppError::Engine("cancelled".into()));
                }
                state.set_dataset(next);
                Ok(())
            })();
            match merged {
                Ok(()) => Outcome::Loaded {
                    kind: "incidents",
                    layer_id: None,
                    report,
                },
                Err(_) if job.progress.cancelled() => Outcome::Cancelled,
                Err(e) => Outcome::Failed {
                    message: e.to_string(),
                    problems: Vec::new(),
                },
            }
        }
        Pending::Layer(mut layer, report) => {
            if layer.name.is_empty() {
                layer.name = job.name.clone();
            }
            match AppLayer::new(layer, Some(job.path.clone())).and_then(|l| state.add_layer(l)) {
                Ok(id) => Outcome::Loaded {
                    kind: "layer",
                    layer_id: Some(id),
                    report,
                },
                Err(e) => Outcome::Failed {
                    message: e.to_string(),
                    problems: Vec::new(),
                },
            }
        }
    }
}
