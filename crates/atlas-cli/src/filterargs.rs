//! The incident filter flags shared by the subcommands that select incidents
//! (`query`, `stats`, `join`, `export-data`).

use crate::query::{parse_bbox, parse_day};
use atlas::filter::Filter;

#[derive(clap::Args, Debug, Default, Clone)]
pub struct FilterArgs {
    /// Closed box W,S,E,N in degrees.
    #[arg(long, value_parser = parse_bbox, allow_hyphen_values = true)]
    pub bbox: Option<[f64; 4]>,
    /// First day (inclusive), YYYY-MM-DD.
    #[arg(long, value_parser = parse_day)]
    pub from: Option<i32>,
    /// Last day (inclusive).
    #[arg(long, value_parser = parse_day)]
    pub to: Option<i32>,
    /// Event type (repeat for several).
    #[arg(long = "type", value_name = "T")]
    pub types: Vec<String>,
}

impl FilterArgs {
    /// The engine filter these flags describe.
    pub fn filter(&self) -> Filter {
        Filter {
            bbox: self.bbox,
            from: self.from,
            to: self.to,
            event_types: self.types.clone(),
            ..Filter::default()
        }
    }
}
