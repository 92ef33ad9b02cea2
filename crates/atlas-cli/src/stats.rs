//! `atlas stats [FILE...] --by segment|crossing|month|type`: counts and fatalities of
//! incidents per border segment of K km, per nearest crossing, per month or per event type.

use crate::load;
use atlas::analytics::{aggregate, BorderContext};
use atlas::filter::Filter;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// GeoJSON or CSV incident files; the bundled sample when none.
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = By::Type)]
    pub by: By,
    /// Segment length along the border, km (for `--by segment`).
    #[arg(long, default_value_t = 50.0)]
    pub segment_km: f64,
    /// Only incidents within this many km of the border (`--by segment` defaults to 100 km,
    /// so that events far from the line do not pile up on its nearest segment).
    #[arg(long)]
    pub within_km: Option<f64>,
    /// `--by crossing`: incidents farther than this from every crossing are grouped as "none within N km".
    #[arg(long, default_value_t = 50.0)]
    pub crossing_km: f64,
    #[command(flatten)]
    pub filter: crate::filterargs::FilterArgs,
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    #[command(flatten)]
    pub csv: crate::csvargs::CsvArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum By {
    Segment,
    Crossing,
    Month,
    Type,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    Csv,
    Json,
}

pub fn run(a: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(
        a.segment_km.is_finite() && a.segment_km > 0.0,
        "--segment-km must be a positive number of km"
    );
    let d = load::dataset(&a.files, &a.csv)?;
    let f = Filter {
        border_km_max: a.within_km,
        ..a.filter.filter()
    };
    let rows = d.select(&f)?;
    let s = d.store();
    let groups = match a.by {
        By::Segment => {
            let ctx = BorderContext::bundled()?;
            let segs = aggregate::by_segment(
                ctx,
                s,
                d.analytics(),
                &rows,
                a.segment_km,
                Some(a.within_km.unwrap_or(100.0)),
            );
            return match a.format {
                Format::Json => {
                    println!("{}", serde_json::to_string_pretty(&segs)?);
                    Ok(())
                }
                Format::Csv => {
                    println!(
                        "segment,from_km,to_km,mid_lon,mid_lat,count,fatalities,unknown_fatalities"
                    );
                    for g in segs {
                        println!(
                            "{},{:.1},{:.1},{:.5},{:.5},{},{},{}",
                            g.segment,
                            g.from_km,
                            g.to_km,
                            g.mid_lon,
                            g.mid_lat,
                            g.count,
                            g.fatalities,
                            g.unknown_fatalities
                        );
                    }
                    Ok(())
                }
            };
        }
        By::Crossing => aggregate::by_crossing(s, d.analytics(), &rows, Some(a.crossing_km)),
        By::Month => aggregate::by_month(s, &rows),
        By::Type => aggregate::by_type(s, &rows),
    };
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&groups)?),
        Format::Csv => {
            let key = match a.by {
                By::Crossing => "nearest_crossing",
                By::Month => "month",
                _ => "event_type",
            };
            println!("{key},count,fatalities,unknown_fatalities");
            for g in groups {
                let k = if g.key.contains([',', '"']) {
                    format!("\"{}\"", g.key.replace('"', "\"\""))
                } else {
                    g.key
                };
                println!("{k},{},{},{}", g.count, g.fatalities, g.unknown_fatalities);
            }
        }
    }
    Ok(())
}
