//! Animated GIF of a date window stepping through the data: every frame is the same
//! report page (legend, scale, credits in place) at low resolution, stamped with its window.

use super::incidents::MapIncidents;
use super::layers::BaseLayers;
use super::page::{build_svg, MapSpec};
use super::raster;
use super::style::Style;
use super::ExportError;
use crate::date::{format_day, Day};
use std::collections::HashMap;

/// How the window moves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timelapse {
    /// Days between frames.
    pub step_days: i32,
    /// Days each frame shows.
    pub window_days: i32,
    /// Display time of each frame, hundredths of a second.
    pub delay_cs: u16,
    /// Refuse to render more frames than this.
    pub max_frames: usize,
}

impl Default for Timelapse {
    fn default() -> Self {
        Timelapse {
            step_days: 7,
            window_days: 30,
            delay_cs: 60,
            max_frames: 400,
        }
    }
}

/// Parse a duration like `7d`, `30d`, `2w` or a bare number of days.
///
/// ```
/// use atlas::export::timelapse::parse_days;
/// assert_eq!(parse_days("7d").unwrap(), 7);
/// assert_eq!(parse_days("2w").unwrap(), 14);
/// assert!(parse_days("0d").is_err() && parse_days("soon").is_err());
/// ```
pub fn parse_days(s: &str) -> Result<i32, ExportError> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, 'd')) => (&t[..i], 1),
        Some((i, 'w')) => (&t[..i], 7),
        _ => (t, 1),
    };
    match num.parse::<i32>() {
        Ok(v) if v > 0 && v <= 36_500 / mult => Ok(v * mult),
        _ => Err(ExportError::Timelapse(format!(
            "invalid duration {s:?}: use a positive number of days like 7d or weeks like 2w"
        ))),
    }
}

/// The `(from, to)` windows of the frames over `from..=to`.
///
/// ```
/// use atlas::export::timelapse::{windows, Timelapse};
/// let t = Timelapse { step_days: 7, window_days: 30, ..Default::default() };
/// let w = windows(0, 40, &t).unwrap();
/// assert_eq!(w.first(), Some(&(0, 29)));
/// assert_eq!(w.last(), Some(&(14, 43)));
/// ```
pub fn windows(from: Day, to: Day, t: &Timelapse) -> Result<Vec<(Day, Day)>, ExportError> {
    if t.step_days <= 0 || t.window_days <= 0 {
        return Err(ExportError::Timelapse(
            "step and window must be positive".into(),
        ));
    }
    if to < from {
        return Err(ExportError::Timelapse("the date range is empty".into()));
    }
    let mut out = Vec::new();
    let mut start = from;
    loop {
        let end = start + t.window_days - 1;
        out.push((start, end));
        if end >= to {
            break;
        }
        if out.len() >= t.max_frames {
            return Err(ExportError::Timelapse(format!(
                "more than {} frames: use a longer --step or a shorter range",
                t.max_frames
            )));
        }
        start += t.step_days;
    }
    Ok(out)
}

/// Render the time-lapse GIF. The range is `spec.from..=spec.to`, else the incidents'
/// own range; `spec.page.dpi` sets the frame size (72–96 dpi keeps files small).
pub fn render_gif(
    spec: &MapSpec,
    layers: &BaseLayers,
    style: &Style,
    incidents: &MapIncidents,
    t: &Timelapse,
) -> Result<Vec<u8>, ExportError> {
    let range = incidents.date_range();
    let from = spec.from.or(range.map(|r| r.0));
    let to = spec.to.or(range.map(|r| r.1));
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ExportError::Timelapse(
            "no dates: give --from and --to or incidents with dates".into(),
        ));
    };
    let wins = windows(from, to, t)?;
    let (w, h) = spec.page.pixel_size();
    let (gw, gh) = (
        u16::try_from(w).map_err(|_| ExportError::Timelapse("frame wider than 65535 px".into()))?,
        u16::try_from(h)
            .map_err(|_| ExportError::Timelapse("frame taller than 65535 px".into()))?,
    );
    let gif_err = |e: gif::EncodingError| ExportError::Gif(e.to_string());
    let mut out = Vec::new();
    {
        let palette = Palette::for_style(style);
        let mut enc = gif::Encoder::new(&mut out, gw, gh, &palette.bytes()).map_err(gif_err)?;
        enc.set_repeat(gif::Repeat::Infinite).map_err(gif_err)?;
        let mut cache: HashMap<[u8; 3], u8> = HashMap::new();
        for (a, b) in wins {
            let mut fs = spec.clone();
            fs.from = Some(a);
            fs.to = Some(b);
            fs.animation = true;
            fs.stamp = Some(format!("{} – {}", format_day(a), format_day(b)));
            let svg = build_svg(&fs, layers, style, &incidents.window(a, b))?;
            let tree = raster::parse(&svg)?;
            let pixmap = raster::render(&tree, &fs.page)?;
            let rgb = raster::rgb(&pixmap);
            let indices: Vec<u8> = rgb
                .chunks_exact(3)
                .map(|p| {
                    let c = [p[0], p[1], p[2]];
                    *cache.entry(c).or_insert_with(|| palette.nearest(c))
                })
                .collect();
            let frame = gif::Frame {
                width: gw,
                height: gh,
                buffer: indices.into(),
                delay: t.delay_cs,
                ..Default::default()
            };
            enc.write_frame(&frame).map_err(gif_err)?;
        }
    }
    Ok(out)
}

/// One fixed palette for every frame (so colours do not flicker between frames): the
/// style's colours, the page's greys, and blends of each incident colour with the
/// land, background and white, for anti-aliased edges.
struct Palette {
    colors: Vec<[u8; 3]>,
}

fn parse_hex(c: &str) -> Option<[u8; 3]> {
    let h = c.strip_prefix('#')?;
    let v = |s: &str| u8::from_str_radix(s, 16).ok();
    match h.len() {
        6 => Some([v(&h[0..2])?, v(&h[2..4])?, v(&h[4..6])?]),
        3 => {
            let d = |i: usize| v(&h[i..i + 1]).map(|x| x * 17);
            Some([d(0)?, d(1)?, d(2)?])
        }
        _ => None,
    }
}

fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> [u8; 3] {
    let m = |x: u8, y: u8| (x as f64 * (1.0 - t) + y as f64 * t).round() as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

impl Palette {
    fn for_style(style: &Style) -> Palette {
        let l = &style.layers;
        let mut base: Vec<&str> = vec![&style.background];
        for a in [&l.countries, &l.neighbours, &l.provinces] {
            base.extend([a.fill.as_str(), a.stroke.as_str()]);
        }
        for s in [&l.province_lines, &l.rivers, &l.border, &l.border_ne] {
            base.push(&s.stroke);
        }
        for p in [&l.places, &l.crossings] {
            base.extend([p.color.as_str(), p.text.as_str()]);
        }
        let mut colors: Vec<[u8; 3]> = base.iter().filter_map(|c| parse_hex(c)).collect();
        let grounds: Vec<[u8; 3]> = [
            &style.background,
            &l.countries.fill,
            &l.neighbours.fill,
            "#ffffff",
        ]
        .iter()
        .filter_map(|c| parse_hex(c))
        .collect();
        let mut inks: Vec<[u8; 3]> = l
            .incidents
            .by_event_type
            .values()
            .chain([&l.incidents.default])
            .filter_map(|c| parse_hex(&c.color))
            .collect();
        inks.extend(parse_hex(&l.border.stroke));
        inks.extend(parse_hex(&l.crossings.color));
        for ink in &inks {
            colors.push(*ink);
            for g in &grounds {
                for t in [0.2, 0.4, 0.6, 0.8] {
                    colors.push(mix(*ink, *g, t));
                }
            }
        }
        for g in &grounds {
            for t in [0.25, 0.5, 0.75] {
                colors.push(mix([26, 26, 26], *g, t));
            }
        }
        for v in (0..=255u32).step_by(8) {
            colors.push([v as u8; 3]);
        }
        colors.push([255, 255, 255]);
        let mut seen = std::collections::HashSet::new();
        colors.retain(|c| seen.insert(*c));
        colors.truncate(256);
        Palette { colors }
    }

    fn bytes(&self) -> Vec<u8> {
        self.colors.iter().flatten().copied().collect()
    }

    fn nearest(&self, c: [u8; 3]) -> u8 {
        let d = |p: &[u8; 3]| {
            let dr = p[0] as i32 - c[0] as i32;
            let dg = p[1] as i32 - c[1] as i32;
            let db = p[2] as i32 - c[2] as i32;
            2 * dr * dr + 4 * dg * dg + 3 * db * db
        };
        self.colors
            .iter()
            .enumerate()
            .min_by_key(|(_, p)| d(p))
            .map(|(i, _)| i as u8)
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_holds_the_style_colours_exactly() {
        let style = Style::bundled().unwrap();
        let p = Palette::for_style(&style);
        assert!(p.colors.len() <= 256);
        for c in style.layers.incidents.by_event_type.values() {
            let rgb = parse_hex(&c.color).unwrap();
            assert_eq!(p.colors[p.nearest(rgb) as usize], rgb);
        }
        assert_eq!(parse_hex("#fff"), Some([255, 255, 255]));
        assert_eq!(parse_hex("none"), None);
    }
}
