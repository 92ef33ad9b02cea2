//! Attribute and time filters over the incident store, as the UI and the CLI state them.

use crate::date::Day;
use serde::{Deserialize, Serialize};

/// What a researcher filters by. Empty lists and `None` mean "no restriction".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// Closed box `[west, south, east, north]` in degrees.
    pub bbox: Option<[f64; 4]>,
    /// Inclusive day window; an event dated to a range matches when the ranges overlap.
    pub from: Option<Day>,
    pub to: Option<Day>,
    /// Event types (exact, as in the data).
    pub event_types: Vec<String>,
    /// Case-insensitive substring of actor1, actor2 or the associated actors.
    pub actor: Option<String>,
    pub fatalities_min: Option<u32>,
    pub fatalities_max: Option<u32>,
    /// Allowed geo precisions (1–3).
    pub geo_precision: Vec<u8>,
    /// Case-insensitive substring of the source.
    pub source: Option<String>,
    /// Border corridor: only incidents within this many km of the border line.
    pub border_km_max: Option<f64>,
}
