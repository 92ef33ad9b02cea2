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

impl Filter {
    /// The attribute filters in words, for a page's data note ("event type: Battles",
    /// "within 10 km of the border"); the box and the time window are described elsewhere.
    ///
    /// ```
    /// use atlas::filter::Filter;
    /// let f = Filter { event_types: vec!["Battles".into()], border_km_max: Some(10.0), ..Filter::default() };
    /// assert_eq!(f.words(), ["event type: Battles", "within 10 km of the border"]);
    /// ```
    pub fn words(&self) -> Vec<String> {
        let f = self;
        let mut out = Vec::new();
        if !f.event_types.is_empty() {
            out.push(format!("event type: {}", f.event_types.join(", ")));
        }
        if let Some(a) = &f.actor {
            out.push(format!("actor contains {a:?}"));
        }
        match (f.fatalities_min, f.fatalities_max) {
            (Some(a), Some(b)) => out.push(format!("fatalities {a}–{b}")),
            (Some(a), None) => out.push(format!("fatalities ≥ {a}")),
            (None, Some(b)) => out.push(format!("fatalities ≤ {b}")),
            (None, None) => {}
        }
        if !f.geo_precision.is_empty() {
            let p: Vec<String> = f.geo_precision.iter().map(u8::to_string).collect();
            out.push(format!("geo precision: {}", p.join(", ")));
        }
        if let Some(s) = &f.source {
            out.push(format!("source contains {s:?}"));
        }
        if let Some(k) = f.border_km_max {
            out.push(format!("within {k} km of the border"));
        }
        out
    }
}
