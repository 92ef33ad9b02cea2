//! One CSV row into an [`IncidentRecord`]: the ACLED/generic mapping and the UCDP GED mapping.
//!
//! Choices (also stated in the module docs of [`crate::import::csv`]):
//! - ACLED gives one `event_date` even at `time_precision` 2 (within a week) or 3 (within a
//!   month or longer). That date is kept as both `date_start` and `date_end`, with the
//!   precision, because ACLED does not say where in the week or month the event fell; a
//!   range is never synthesised. Empty precisions default to 1.
//! - UCDP `date_start`..`date_end` is kept as the range; `date_prec` 1 → time precision 1,
//!   2–3 → 2, 4–5 → 3 (without `date_prec`: 1 for one day, 2 up to 7 days, else 3).
//! - UCDP `where_prec` → geo precision: 1 → 1 (exact place); 2 (within ~25 km) and 3
//!   (second-order division, a district) → 2; 4 (province), 5 (linear feature or between
//!   places), 6 (country) and 7 (waters/airspace) → 3.
//! - UCDP `best` → fatalities; `low`/`high` are kept in `tags` as `deaths_low=N;deaths_high=N`.
//! - UCDP `source_article` entries (split on `;`) → [`Source`]s: `Outlet,YYYY-MM-DD,...` gives
//!   the outlet and date, anything else is kept whole as the outlet; `source_headline` entries
//!   are paired with them when the counts agree, otherwise kept in `notes` as `Headlines: ...`.

use super::cells::{code, coordinate, count, date, opt_date, reversed_range, Cells, FieldProblem};
use super::header::{Col, Columns, CsvFormat};
use crate::date::parse_date;
use crate::model::{IncidentRecord, Source};

/// UCDP `type_of_violence` code → event type.
pub fn ucdp_violence_type(code: u8) -> Option<&'static str> {
    match code {
        1 => Some("State-based conflict"),
        2 => Some("Non-state conflict"),
        3 => Some("One-sided violence"),
        _ => None,
    }
}

/// UCDP `where_prec` (1–7) → geo precision (1–3); see the module docs.
pub fn ucdp_geo_precision(where_prec: u8) -> u8 {
    match where_prec {
        1 => 1,
        2 | 3 => 2,
        _ => 3,
    }
}

/// UCDP `date_prec` (1–5) → time precision (1–3).
pub fn ucdp_time_precision(date_prec: u8) -> u8 {
    match date_prec {
        1 => 1,
        2 | 3 => 2,
        _ => 3,
    }
}

fn set(dst: &mut String, s: &str) {
    dst.clear();
    dst.push_str(s);
}

/// Reads the row's cells by column, turning errors into located field problems.
struct Row<'c, 'a> {
    cols: &'c Columns,
    cells: &'c Cells<'a>,
}

impl<'a> Row<'_, 'a> {
    fn text(&self, c: Col) -> Result<&'a str, FieldProblem> {
        match self.cols.get(c) {
            None => Ok(""),
            Some(i) => self.cells.get(i).map_err(|i| {
                FieldProblem::at(
                    i,
                    format!("invalid UTF-8 in field \"{}\"", self.cols.name(i)),
                )
            }),
        }
    }
    /// Parse column `c` with `f(text, header name)`, locating an error at its field.
    fn parse<T>(
        &self,
        c: Col,
        f: impl FnOnce(&str, &str) -> Result<T, String>,
    ) -> Result<T, FieldProblem> {
        let s = self.text(c)?;
        let i = self.cols.get(c).unwrap_or(0);
        f(s, self.cols.name(i)).map_err(|m| FieldProblem::at(i, m))
    }
    fn name(&self, c: Col) -> &str {
        self.cols.get(c).map_or("", |i| self.cols.name(i))
    }
}

/// Fill `rec` from one row. `position_id` is used as the event id when the file has none.
pub(crate) fn fill(
    cols: &Columns,
    cells: &Cells<'_>,
    position_id: impl FnOnce() -> String,
    rec: &mut IncidentRecord,
) -> Result<(), FieldProblem> {
    let row = Row { cols, cells };
    let id = row.text(Col::Id)?;
    match (cols.format, id.is_empty(), cols.get(Col::Id)) {
        (CsvFormat::Acled | CsvFormat::Ucdp, true, Some(i)) => {
            return Err(FieldProblem::at(i, format!("{} is empty", cols.name(i))));
        }
        (_, false, _) => set(&mut rec.event_id, id),
        _ => rec.event_id = position_id(),
    }
    rec.lat = row.parse(Col::Lat, |s, _| coordinate(s, "latitude", 90.0))?;
    rec.lon = row.parse(Col::Lon, |s, _| coordinate(s, "longitude", 180.0))?;
    rec.date_start = row.parse(Col::Date, date)?;
    let end = row.parse(Col::DateEnd, opt_date)?;
    rec.date_end = end.unwrap_or(rec.date_start);
    if rec.date_end < rec.date_start {
        let i = cols.get(Col::DateEnd).unwrap_or(0);
        return Err(FieldProblem::at(
            i,
            reversed_range(
                row.name(Col::DateEnd),
                rec.date_end,
                row.name(Col::Date),
                rec.date_start,
            ),
        ));
    }
    rec.fatalities = row.parse(Col::Fatalities, count)?;
    set(&mut rec.actor1, row.text(Col::Actor1)?);
    set(&mut rec.actor2, row.text(Col::Actor2)?);
    set(&mut rec.country, row.text(Col::Country)?);
    set(&mut rec.admin1, row.text(Col::Admin1)?);
    set(&mut rec.admin2, row.text(Col::Admin2)?);
    set(&mut rec.location, row.text(Col::Location)?);
    rec.sources.clear();
    rec.claims.clear();
    if cols.format == CsvFormat::Ucdp {
        fill_ucdp(&row, rec)
    } else {
        fill_acled(&row, rec)
    }
}

fn default_time_precision(rec: &IncidentRecord) -> u8 {
    match rec.date_end - rec.date_start {
        0 => 1,
        1..=6 => 2,
        _ => 3,
    }
}

fn fill_acled(row: &Row<'_, '_>, rec: &mut IncidentRecord) -> Result<(), FieldProblem> {
    rec.time_precision = row
        .parse(Col::TimePrecision, |s, n| code(s, n, 1, 3))?
        .unwrap_or_else(|| default_time_precision(rec));
    rec.geo_precision = row
        .parse(Col::GeoPrecision, |s, n| code(s, n, 1, 3))?
        .unwrap_or(1);
    set(&mut rec.disorder_type, row.text(Col::DisorderType)?);
    set(&mut rec.event_type, row.text(Col::EventType)?);
    set(&mut rec.sub_event_type, row.text(Col::SubEventType)?);
    set(&mut rec.assoc_actor_1, row.text(Col::AssocActor1)?);
    set(&mut rec.assoc_actor_2, row.text(Col::AssocActor2)?);
    set(&mut rec.iso, row.text(Col::Iso)?);
    set(&mut rec.admin3, row.text(Col::Admin3)?);
    set(&mut rec.source, row.text(Col::Source)?);
    set(&mut rec.source_scale, row.text(Col::SourceScale)?);
    set(&mut rec.notes, row.text(Col::Notes)?);
    set(&mut rec.tags, row.text(Col::Tags)?);
    Ok(())
}

fn fill_ucdp(row: &Row<'_, '_>, rec: &mut IncidentRecord) -> Result<(), FieldProblem> {
    rec.time_precision = row
        .parse(Col::DatePrec, |s, n| code(s, n, 1, 5))?
        .map(ucdp_time_precision)
        .unwrap_or_else(|| default_time_precision(rec));
    rec.geo_precision = row
        .parse(Col::WherePrec, |s, n| code(s, n, 1, 7))?
        .map_or(1, ucdp_geo_precision);
    let violence = row.parse(Col::TypeOfViolence, |s, n| code(s, n, 1, 3))?;
    // UCDP has no event type column: one given in the mapping wins over type_of_violence.
    if row.cols.get(Col::EventType).is_some() {
        set(&mut rec.event_type, row.text(Col::EventType)?);
    } else {
        set(
            &mut rec.event_type,
            violence.and_then(ucdp_violence_type).unwrap_or(""),
        );
    }
    let low = row.parse(Col::Low, count)?;
    let high = row.parse(Col::High, count)?;
    rec.tags.clear();
    if let Some(l) = low {
        rec.tags.push_str(&format!("deaths_low={l}"));
    }
    if let Some(h) = high {
        if !rec.tags.is_empty() {
            rec.tags.push(';');
        }
        rec.tags.push_str(&format!("deaths_high={h}"));
    }
    for s in [
        &mut rec.disorder_type,
        &mut rec.sub_event_type,
        &mut rec.assoc_actor_1,
        &mut rec.assoc_actor_2,
        &mut rec.iso,
        &mut rec.admin3,
        &mut rec.source_scale,
        &mut rec.notes,
        &mut rec.source,
    ] {
        s.clear();
    }
    let articles = row.text(Col::SourceArticle)?;
    let headlines = row.text(Col::SourceHeadline)?;
    ucdp_sources(articles, headlines, rec);
    // Columns given in the mapping that UCDP itself does not have.
    if row.cols.get(Col::SubEventType).is_some() {
        set(&mut rec.sub_event_type, row.text(Col::SubEventType)?);
    }
    if row.cols.get(Col::Notes).is_some() {
        set(&mut rec.notes, row.text(Col::Notes)?);
    }
    Ok(())
}

/// Split UCDP `source_article`/`source_headline` into sources (see the module docs).
fn ucdp_sources(articles: &str, headlines: &str, rec: &mut IncidentRecord) {
    let arts: Vec<&str> = articles
        .split(';')
        .map(|s| s.trim().trim_matches('"').trim())
        .filter(|s| !s.is_empty())
        .collect();
    let heads: Vec<&str> = headlines
        .split(';')
        .map(|s| s.trim().trim_matches('"').trim())
        .filter(|s| !s.is_empty())
        .collect();
    let paired = arts.len() == heads.len();
    for (k, a) in arts.iter().enumerate() {
        let (outlet, day) = match a.split_once(',') {
            Some((o, rest)) if !o.trim().is_empty() => {
                let rest = rest.trim_start();
                match rest.get(..10).filter(|d| parse_date(d).is_some()) {
                    Some(d) => (o.trim(), Some(d.to_string())),
                    None => (*a, None),
                }
            }
            _ => (*a, None),
        };
        rec.sources.push(Source {
            outlet: outlet.to_string(),
            date: day,
            headline: if paired {
                heads.get(k).map(|h| h.to_string())
            } else {
                None
            },
            url: None,
        });
    }
    let outlets: Vec<&str> = rec.sources.iter().map(|s| s.outlet.as_str()).collect();
    rec.source = outlets.join("; ");
    if !paired && !heads.is_empty() {
        rec.notes = format!("Headlines: {}", heads.join("; "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ucdp_codes() {
        assert_eq!(ucdp_violence_type(1), Some("State-based conflict"));
        assert_eq!(ucdp_violence_type(3), Some("One-sided violence"));
        assert_eq!(ucdp_violence_type(4), None);
        let geo: Vec<u8> = (1..=7).map(ucdp_geo_precision).collect();
        assert_eq!(geo, vec![1, 2, 2, 3, 3, 3, 3]);
        let time: Vec<u8> = (1..=5).map(ucdp_time_precision).collect();
        assert_eq!(time, vec![1, 2, 2, 3, 3]);
    }

    #[test]
    fn ucdp_sources_pair_or_keep_headlines() {
        let mut r = IncidentRecord::default();
        ucdp_sources(
            "Outlet A,2019-05-02,report one;Outlet B wire",
            "Headline one;Headline two",
            &mut r,
        );
        assert_eq!(r.sources.len(), 2);
        assert_eq!(r.sources[0].outlet, "Outlet A");
        assert_eq!(r.sources[0].date.as_deref(), Some("2019-05-02"));
        assert_eq!(r.sources[0].headline.as_deref(), Some("Headline one"));
        assert_eq!(r.sources[1].outlet, "Outlet B wire");
        assert_eq!(r.sources[1].date, None);
        assert_eq!(r.source, "Outlet A; Outlet B wire");
        let mut r = IncidentRecord::default();
        ucdp_sources("Outlet A", "H1;H2", &mut r);
        assert_eq!(r.sources[0].headline, None);
        assert_eq!(r.notes, "Headlines: H1; H2");
    }
}
