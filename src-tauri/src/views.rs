//! The filtered views tiles are cut from, by generation number (the tile URL carries it).
//!
//! A filter change gets its generation at once. When the engine has the selection's cluster
//! index at hand (no filter, or rows seen recently) the view is ready at once too; otherwise
//! it is built on a thread of its own while the page keeps drawing the previous generation's
//! tiles. A newer generation cancels builds still running (they check between zoom passes),
//! so only the latest filter costs time. [`ViewStore::wait`] blocks until a generation is
//! ready, or answers that it never will be (superseded, or dropped with the dataset).

use crate::state::{AppError, AppResult};
use atlas::dataset::View;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How many filtered views stay cached (tiles of an older view may still be in flight).
pub const KEEP_VIEWS: usize = 8;

#[derive(Default)]
struct Inner {
    views: VecDeque<(u64, Arc<View>)>,
    /// Generations whose build is running.
    building: Vec<u64>,
    /// Generations at or below this belong to a replaced dataset.
    floor: u64,
}

/// Views by generation, with the builds in flight.
#[derive(Default)]
pub struct ViewStore {
    inner: Mutex<Inner>,
    changed: Condvar,
    /// The last generation handed out (the one the page wants).
    latest: AtomicU64,
}

fn poisoned<T>(_: T) -> AppError {
    AppError::Engine("view lock poisoned".into())
}

impl ViewStore {
    /// A new generation; builds of older ones will stop at their next check.
    pub fn next_generation(&self) -> u64 {
        self.latest.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Has a newer generation been handed out since `gen`?
    pub fn superseded(&self, gen: u64) -> bool {
        self.latest.load(Ordering::SeqCst) != gen
    }

    /// Record that `gen`'s view is being built.
    pub fn start(&self, gen: u64) -> AppResult<()> {
        self.inner.lock().map_err(poisoned)?.building.push(gen);
        Ok(())
    }

    /// `gen`'s build is over; `view` is its result (None: cancelled or failed).
    pub fn finish(&self, gen: u64, view: Option<View>) {
        if let Ok(mut g) = self.inner.lock() {
            g.building.retain(|&b| b != gen);
            if let Some(v) = view {
                if gen > g.floor {
                    push(&mut g, gen, Arc::new(v));
                }
            }
        }
        self.changed.notify_all();
    }

    /// Add a view that is ready.
    pub fn insert(&self, gen: u64, view: View) -> AppResult<Arc<View>> {
        let v = Arc::new(view);
        let mut g = self.inner.lock().map_err(poisoned)?;
        if gen > g.floor {
            push(&mut g, gen, Arc::clone(&v));
        }
        drop(g);
        self.changed.notify_all();
        Ok(v)
    }

    /// Drop every view (the dataset changed); running builds are cancelled and discarded.
    pub fn clear(&self) {
        let gen = self.next_generation();
        if let Ok(mut g) = self.inner.lock() {
            g.views.clear();
            g.floor = gen;
        }
        self.changed.notify_all();
    }

    /// The newest ready generation if its tiles are `view`'s (the same rows and the same
    /// cluster index): the page then keeps the tiles it has.
    pub fn newest_same(&self, view: &View) -> Option<u64> {
        let g = self.inner.lock().ok()?;
        let (gen, newest) = g.views.back()?;
        (Arc::ptr_eq(&newest.clusters, &view.clusters) && newest.rows == view.rows).then_some(*gen)
    }

    /// A view by generation, if it is ready.
    pub fn get(&self, gen: u64) -> AppResult<Arc<View>> {
        let g = self.inner.lock().map_err(poisoned)?;
        find(&g, gen).ok_or(AppError::NoSuchView(gen))
    }

    /// A view by generation, waiting up to `timeout` while it is being built.
    pub fn wait(&self, gen: u64, timeout: Duration) -> AppResult<Arc<View>> {
        let end = Instant::now() + timeout;
        let mut g = self.inner.lock().map_err(poisoned)?;
        loop {
            if let Some(v) = find(&g, gen) {
                return Ok(v);
            }
            let now = Instant::now();
            if !g.building.contains(&gen) || now >= end {
                return Err(AppError::NoSuchView(gen));
            }
            g = self.changed.wait_timeout(g, end - now).map_err(poisoned)?.0;
        }
    }
}

fn find(g: &Inner, gen: u64) -> Option<Arc<View>> {
    g.views
        .iter()
        .rev()
        .find(|(x, _)| *x == gen)
        .map(|(_, v)| Arc::clone(v))
}

fn push(g: &mut Inner, gen: u64, v: Arc<View>) {
    g.views.push_back((gen, v));
    while g.views.len() > KEEP_VIEWS {
        g.views.pop_front();
    }
}
