//! Reading one row's cells: UTF-8 checking and the value parsers with their messages.

use crate::date::{format_day, parse_date, Day};

/// A problem with one row: which field (if one) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldProblem {
    /// 0-based field index, when the problem is in one field.
    pub field: Option<usize>,
    pub message: String,
}

impl FieldProblem {
    pub fn at(field: usize, message: impl Into<String>) -> Self {
        FieldProblem {
            field: Some(field),
            message: message.into(),
        }
    }
}

/// The text of one row, validated as UTF-8 once for all fields.
pub(crate) struct Cells<'a> {
    text: &'a str,
    ends: &'a [usize],
}

impl<'a> Cells<'a> {
    /// Validate the fields (`bytes` back to back, `ends` where each ends). On invalid
    /// UTF-8 returns the index of the first bad field.
    pub fn new(bytes: &'a [u8], ends: &'a [usize]) -> Result<Self, usize> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Cells { text, ends }),
            Err(e) => {
                let bad = e.valid_up_to();
                Err(ends.iter().position(|&end| end > bad).unwrap_or(0))
            }
        }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Field `i`, trimmed; `Err(i)` if a multi-byte character is split across fields
    /// (each field must be valid UTF-8 on its own).
    pub fn get(&self, i: usize) -> Result<&'a str, usize> {
        let end = *self.ends.get(i).ok_or(i)?;
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0)
        };
        self.text.get(start..end).map(str::trim).ok_or(i)
    }
}

/// A cell shown in a message: quoted, cut to 40 characters.
pub(crate) fn show(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    format!("\"{out}\"")
}

/// `34,5` as written with a decimal comma (one comma, no point).
fn decimal_comma(s: &str) -> Option<f64> {
    if s.bytes().filter(|&b| b == b',').count() == 1 && !s.contains('.') {
        s.replace(',', ".").parse().ok()
    } else {
        None
    }
}

/// A latitude (`limit` 90) or longitude (`limit` 180) in degrees. A decimal comma is
/// accepted (`34,5`: spreadsheets in many locales write it; no coordinate is ambiguous).
pub(crate) fn coordinate(s: &str, what: &str, limit: f64) -> Result<f64, String> {
    if s.is_empty() {
        return Err(format!("{what} is empty"));
    }
    let v: f64 = s
        .parse()
        .ok()
        .or_else(|| decimal_comma(s))
        .ok_or_else(|| format!("{what} {} is not a number", show(s)))?;
    if !v.is_finite() {
        return Err(format!("{what} {} is not a finite number", show(s)));
    }
    if v.abs() > limit {
        return Err(format!("{what} {s} out of range [-{limit}, {limit}]"));
    }
    Ok(v)
}

/// A required date.
pub(crate) fn date(s: &str, name: &str) -> Result<Day, String> {
    if s.is_empty() {
        return Err(format!("{name} is empty"));
    }
    parse_date(s).ok_or_else(|| format!("unparseable {name} {}", show(s)))
}

/// An optional date (empty → `None`).
pub(crate) fn opt_date(s: &str, name: &str) -> Result<Option<Day>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    date(s, name).map(Some)
}

/// A small code in `lo..=hi` (precisions, UCDP type of violence); empty → `None`.
pub(crate) fn code(s: &str, name: &str, lo: u8, hi: u8) -> Result<Option<u8>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<u8>() {
        Ok(v) if (lo..=hi).contains(&v) => Ok(Some(v)),
        _ => Err(format!(
            "{name} {} is not a whole number {lo}–{hi}",
            show(s)
        )),
    }
}

/// A count (fatalities); empty → `None`. `12.0` is accepted, `12.5` and negatives are not.
pub(crate) fn count(s: &str, name: &str) -> Result<Option<u32>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(v) = s.parse::<u32>() {
        return Ok(Some(v));
    }
    match s.parse::<f64>() {
        Ok(v) if v >= 0.0 && v.fract() == 0.0 && v < u32::MAX as f64 => Ok(Some(v as u32)),
        _ => Err(format!("{name} {} is not a whole number ≥ 0", show(s))),
    }
}

/// Message for a range whose end precedes its start.
pub(crate) fn reversed_range(end_name: &str, end: Day, start_name: &str, start: Day) -> String {
    format!(
        "{end_name} {} is before {start_name} {}",
        format_day(end),
        format_day(start)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinate_messages() {
        assert_eq!(coordinate("34.5", "latitude", 90.0), Ok(34.5));
        assert_eq!(coordinate("34,5", "latitude", 90.0), Ok(34.5));
        assert!(coordinate("34,500.1", "latitude", 90.0).is_err());
        assert!(coordinate("1,2,3", "latitude", 90.0).is_err());
        assert_eq!(
            coordinate("95.2", "latitude", 90.0).unwrap_err(),
            "latitude 95.2 out of range [-90, 90]"
        );
        assert_eq!(
            coordinate("abc", "longitude", 180.0).unwrap_err(),
            "longitude \"abc\" is not a number"
        );
        assert_eq!(
            coordinate("", "latitude", 90.0).unwrap_err(),
            "latitude is empty"
        );
        for s in ["NaN", "inf", "-infinity"] {
            assert!(coordinate(s, "latitude", 90.0)
                .unwrap_err()
                .ends_with("is not a finite number"));
        }
    }

    #[test]
    fn counts_codes_dates() {
        assert_eq!(count("12", "fatalities"), Ok(Some(12)));
        assert_eq!(count("12.0", "fatalities"), Ok(Some(12)));
        assert_eq!(count("", "fatalities"), Ok(None));
        assert!(count("-1", "fatalities").is_err());
        assert!(count("1.5", "fatalities").is_err());
        assert_eq!(code("3", "geo_precision", 1, 3), Ok(Some(3)));
        assert_eq!(
            code("7", "geo_precision", 1, 3).unwrap_err(),
            "geo_precision \"7\" is not a whole number 1–3"
        );
        assert_eq!(
            date("31/02/2025", "event_date").unwrap_err(),
            "unparseable event_date \"31/02/2025\""
        );
    }

    #[test]
    fn cells_find_the_bad_field() {
        let bytes = b"ab\xFFcd";
        assert_eq!(Cells::new(bytes, &[2, 5]).err(), Some(1));
        // A character split across two fields is invalid in each.
        let bytes = "xé".as_bytes();
        let c = Cells::new(bytes, &[2, 3]).unwrap();
        assert_eq!(c.get(0), Err(0));
        assert_eq!(show(&"a".repeat(50)).chars().count(), 43);
    }
}
