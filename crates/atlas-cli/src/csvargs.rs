//! The CSV column-mapping flags shared by the subcommands that read files.

use atlas::import::csv::{CsvMapping, CsvOptions};

#[derive(clap::Args, Debug, Default, Clone)]
pub struct CsvArgs {
    /// CSV: the latitude column (when the header name is not a common one).
    #[arg(long, value_name = "COLUMN")]
    pub lat: Option<String>,
    /// CSV: the longitude column.
    #[arg(long, value_name = "COLUMN")]
    pub lon: Option<String>,
    /// CSV: the date column.
    #[arg(long, value_name = "COLUMN")]
    pub date: Option<String>,
    /// CSV: the event id column.
    #[arg(long, value_name = "COLUMN")]
    pub id_column: Option<String>,
    /// CSV: the event type column.
    #[arg(long, value_name = "COLUMN")]
    pub type_column: Option<String>,
}

impl CsvArgs {
    pub fn options(&self) -> CsvOptions {
        let mapping = CsvMapping {
            lat: self.lat.clone(),
            lon: self.lon.clone(),
            date: self.date.clone(),
            id: self.id_column.clone(),
            event_type: self.type_column.clone(),
            ..CsvMapping::default()
        };
        CsvOptions {
            mapping,
            ..CsvOptions::default()
        }
    }
}
