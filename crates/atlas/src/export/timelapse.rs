//! Time-lapse of a date window stepping through the data: every frame is the same
//! report page (legend, scale, credits in place), stamped with its window; written as an
//! animated GIF here or as an MP4 video by [`super::video`].

use super::incidents::MapIncidents;
use super::layers::BaseLayers;
use super::page::{build_svg, MapSpec};
use super::palette::{style_colors, svg_colors, Palette};
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

/// A frame size as the 16-bit width and height GIF and MP4 headers hold.
pub(super) fn frame_size_u16(w: u32, h: u32) -> Result<(u16, u16), String> {
    Ok((
        u16::try_from(w).map_err(|_| "frame wider than 65535 px".to_string())?,
        u16::try_from(h).map_err(|_| "frame taller than 65535 px".to_string())?,
    ))
}

/// Render each frame of the time-lapse: the page at the frame's window, stamped, the
/// legend listing every event type of the animation. `each` gets the frame's SVG and
/// its RGB pixels (`spec.page.pixel_size()`). The range is `spec.from..=spec.to`, else
/// the incidents' own range.
pub fn render_frames(
    spec: &MapSpec,
    layers: &BaseLayers,
    style: &Style,
    incidents: &MapIncidents,
    t: &Timelapse,
    mut each: impl FnMut(&str, &[u8]) -> Result<(), ExportError>,
) -> Result<usize, ExportError> {
    let range = incidents.date_range();
    let from = spec.from.or(range.map(|r| r.0));
    let to = spec.to.or(range.map(|r| r.1));
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ExportError::Timelapse(
            "no dates: give --from and --to or incidents with dates".into(),
        ));
    };
    let wins = windows(from, to, t)?;
    for &(a, b) in &wins {
        let mut fs = spec.clone();
        fs.from = Some(a);
        fs.to = Some(b);
        fs.animation = true;
        fs.stamp = Some(format!("{} – {}", format_day(a), format_day(b)));
        let svg = build_svg(&fs, layers, style, &incidents.window(a, b))?;
        let tree = raster::parse(&svg)?;
        let pixmap = raster::render(&tree, &fs.page)?;
        each(&svg, &raster::rgb(&pixmap))?;
    }
    Ok(wins.len())
}

/// Render the time-lapse GIF; `spec.page.dpi` sets the frame size (72–96 dpi keeps
/// files small). One palette for all frames (see [`super::palette`]), built from the
/// first frame: the page's colours exactly, the rest quantised.
pub fn render_gif(
    spec: &MapSpec,
    layers: &BaseLayers,
    style: &Style,
    incidents: &MapIncidents,
    t: &Timelapse,
) -> Result<Vec<u8>, ExportError> {
    let (w, h) = spec.page.pixel_size();
    let (gw, gh) = frame_size_u16(w, h).map_err(ExportError::Timelapse)?;
    let gif_err = |e: gif::EncodingError| ExportError::Gif(e.to_string());
    let mut out = Vec::new();
    {
        let mut enc: Option<(gif::Encoder<&mut Vec<u8>>, Palette)> = None;
        let mut cache: HashMap<[u8; 3], u8> = HashMap::new();
        let mut sink = Some(&mut out);
        render_frames(spec, layers, style, incidents, t, |svg, rgb| {
            if enc.is_none() {
                let mut exact = style_colors(style);
                exact.extend(svg_colors(svg));
                let palette = Palette::build(style, &exact, rgb);
                let Some(dst) = sink.take() else {
                    return Err(ExportError::Gif("encoder already started".into()));
                };
                let mut e = gif::Encoder::new(dst, gw, gh, &palette.bytes()).map_err(gif_err)?;
                e.set_repeat(gif::Repeat::Infinite).map_err(gif_err)?;
                enc = Some((e, palette));
            }
            let Some((e, palette)) = enc.as_mut() else {
                return Err(ExportError::Gif("no encoder".into()));
            };
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
            e.write_frame(&frame).map_err(gif_err)
        })?;
    }
    Ok(out)
}
