//! Small helpers for writing SVG text quickly and safely.

use std::fmt::Write;

/// Append `v` with at most two decimals (0.01 mm is finer than 600 dpi), no trailing zeros.
///
/// ```
/// let mut s = String::new();
/// atlas::export::svg::num(&mut s, 12.3456);
/// s.push(' ');
/// atlas::export::svg::num(&mut s, -0.004);
/// s.push(' ');
/// atlas::export::svg::num(&mut s, 5.0);
/// assert_eq!(s, "12.35 0 5");
/// ```
#[inline]
pub fn num(out: &mut String, v: f64) {
    let c = (v * 100.0).round();
    let c = if c.is_finite() { c as i64 } else { 0 };
    if c < 0 {
        out.push('-');
    }
    let a = c.unsigned_abs();
    let _ = write!(out, "{}", a / 100);
    let frac = a % 100;
    if frac != 0 {
        if frac % 10 == 0 {
            let _ = write!(out, ".{}", frac / 10);
        } else {
            let _ = write!(out, ".{frac:02}");
        }
    }
}

/// `v` formatted as by [`num`].
pub fn n(v: f64) -> String {
    let mut s = String::new();
    num(&mut s, v);
    s
}

/// Escape text for XML content and attribute values.
///
/// ```
/// assert_eq!(atlas::export::svg::esc("A & B <\"c\">"), "A &amp; B &lt;&quot;c&quot;&gt;");
/// ```
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

/// Append path data for a polyline (`closed` adds `Z`), dropping vertices closer than
/// `min_step` mm to the previous one kept.
pub fn polyline(
    out: &mut String,
    pts: impl IntoIterator<Item = (f64, f64)>,
    closed: bool,
    min_step: f64,
) {
    let mut last: Option<(f64, f64)> = None;
    let mut pending: Option<(f64, f64)> = None;
    for (x, y) in pts {
        match last {
            None => {
                out.push('M');
                num(out, x);
                out.push(' ');
                num(out, y);
                last = Some((x, y));
            }
            Some((lx, ly)) => {
                if (x - lx).abs() + (y - ly).abs() < min_step {
                    pending = Some((x, y));
                    continue;
                }
                out.push('L');
                num(out, x);
                out.push(' ');
                num(out, y);
                last = Some((x, y));
                pending = None;
            }
        }
    }
    if let Some((x, y)) = pending {
        out.push('L');
        num(out, x);
        out.push(' ');
        num(out, y);
    }
    if closed && last.is_some() {
        out.push('Z');
    }
}

/// Append a circle as two arcs (one subpath), so many circles share one `<path>`.
#[inline]
pub fn circle(out: &mut String, x: f64, y: f64, r: f64, rs: &str, ds: &str) {
    out.push('M');
    num(out, x - r);
    out.push(' ');
    num(out, y);
    out.push('a');
    out.push_str(rs);
    out.push(' ');
    out.push_str(rs);
    out.push_str(" 0 1 0 ");
    out.push_str(ds);
    out.push_str(" 0a");
    out.push_str(rs);
    out.push(' ');
    out.push_str(rs);
    out.push_str(" 0 1 0 -");
    out.push_str(ds);
    out.push_str(" 0");
}
