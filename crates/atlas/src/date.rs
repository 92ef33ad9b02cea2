//! Civil dates as day numbers (days since 1970-01-01, proleptic Gregorian).
//!
//! Incidents keep dates as `i32` day numbers so that time windows are integer
//! comparisons and a 3-D index can use the day as a coordinate.
//!
//! ```
//! use atlas::date::{parse_date, format_day};
//! let d = parse_date("2025-10-12").unwrap();
//! assert_eq!(format_day(d), "2025-10-12");
//! assert_eq!(parse_date("12 October 2025"), Some(d));
//! assert_eq!(parse_date("2025-02-30"), None);
//! ```

/// A day number: days since 1970-01-01.
pub type Day = i32;

/// Days from civil date (Howard Hinnant's algorithm). `month` 1–12, `day` 1–31; not validated.
pub fn days_from_civil(year: i32, month: u32, day: u32) -> Day {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as i64;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era as i64 * 146097 + doe - 719468) as Day
}

/// Civil date (year, month, day) of a day number.
pub fn civil_from_days(z: Day) -> (i32, u32, u32) {
    let z = z as i64 + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

/// Days in a month of a year.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Day number of a validated date, or `None` if the date does not exist.
pub fn ymd(year: i32, month: u32, day: u32) -> Option<Day> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// `YYYY-MM-DD` of a day number.
pub fn format_day(d: Day) -> String {
    let (y, m, dd) = civil_from_days(d);
    format!("{y:04}-{m:02}-{dd:02}")
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_from_name(s: &str) -> Option<u32> {
    let s = s.to_ascii_lowercase();
    if s.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&s) || *m == s)
        .map(|i| i as u32 + 1)
}

/// Parse the date forms found in conflict-event exports:
/// `2025-10-12`, `2025-10-12T…` / `2025-10-12 00:00:00.000` (time ignored),
/// `2025/10/12`, `12 October 2025`, `12-Oct-2025`, `12 Oct 2025`.
/// Returns `None` for anything else or for a date that does not exist.
pub fn parse_date(s: &str) -> Option<Day> {
    let s = s.trim();
    let b = s.as_bytes();
    // ISO-like: YYYY-MM-DD or YYYY/MM/DD, optionally followed by a time.
    if b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && (b[4] == b'-' || b[4] == b'/')
        && b[7] == b[4]
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || matches!(b[10], b'T' | b' '))
    {
        let y: i32 = s[..4].parse().ok()?;
        let m: u32 = s[5..7].parse().ok()?;
        let d: u32 = s[8..10].parse().ok()?;
        return ymd(y, m, d);
    }
    // D Month YYYY, D-Mon-YYYY
    let parts: Vec<&str> = s.split([' ', '-']).filter(|p| !p.is_empty()).collect();
    if parts.len() == 3 {
        let d: u32 = parts[0].parse().ok()?;
        let m = month_from_name(parts[1])?;
        let y: i32 = parts[2].parse().ok()?;
        if parts[2].len() != 4 {
            return None;
        }
        return ymd(y, m, d);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_over_centuries() {
        for d in (-800_000..800_000).step_by(97) {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(ymd(y, m, dd), Some(d), "{y}-{m}-{dd}");
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11017);
    }

    #[test]
    fn forms() {
        let d = ymd(2025, 10, 12).unwrap();
        for s in [
            "2025-10-12",
            "2025/10/12",
            "2025-10-12T10:00:00Z",
            "2025-10-12 00:00:00.000",
            "12 October 2025",
            "12-Oct-2025",
            " 12 oct 2025 ",
        ] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        for s in [
            "",
            "2025-13-01",
            "2024-02-30",
            "12/10/2025",
            "yesterday",
            "2025-10-1x",
            "1 Foo 2025",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
        assert_eq!(parse_date("2024-02-29"), ymd(2024, 2, 29));
    }
}
