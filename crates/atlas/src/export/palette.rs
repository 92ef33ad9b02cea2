//! The time-lapse GIF's one palette (so colours do not flicker between frames): exact
//! entries reserved for every colour the page uses — the style's (incidents by event
//! type, border, crossings, places, areas, lines), the researcher's layers' and
//! annotations', the page's text and rule colours (every `#rrggbb` the page SVG writes)
//! and each incident colour at its opacity over the page's grounds (legend swatches and
//! filled circles) — then the rest of the entries quantised (median cut) from the
//! colours of a rendered frame that are not reserved (anti-aliased edges, blends).

use super::style::Style;
use std::collections::{HashMap, HashSet};

/// Entries of a GIF palette.
pub const PALETTE_SIZE: usize = 256;
/// Reserved entries at most; the rest are left to the quantiser.
pub const MAX_RESERVED: usize = 192;

pub type Rgb = [u8; 3];

/// `#rgb` or `#rrggbb`.
pub fn parse_hex(c: &str) -> Option<Rgb> {
    let h = c.strip_prefix('#')?;
    let v = |s: &str| u8::from_str_radix(s, 16).ok();
    match h.len() {
        6 => Some([v(h.get(0..2)?)?, v(h.get(2..4)?)?, v(h.get(4..6)?)?]),
        3 => {
            let d = |i: usize| v(h.get(i..i + 1)?).map(|x| x * 17);
            Some([d(0)?, d(1)?, d(2)?])
        }
        _ => None,
    }
}

pub fn mix(a: Rgb, b: Rgb, t: f64) -> Rgb {
    let m = |x: u8, y: u8| (x as f64 * (1.0 - t) + y as f64 * t).round() as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

/// The style's colours, most important first: incidents by event type, border,
/// crossings, places, then areas and lines.
pub fn style_colors(style: &Style) -> Vec<Rgb> {
    let l = &style.layers;
    // By event type name (a BTreeMap): the same order every time.
    let mut names: Vec<&str> = l
        .incidents
        .by_event_type
        .values()
        .map(|c| c.color.as_str())
        .collect();
    names.extend([l.incidents.default.color.as_str(), &l.incidents.stroke]);
    names.extend([l.border.stroke.as_str(), &l.border_ne.stroke]);
    names.extend(l.border.halo.as_deref());
    for p in [&l.crossings, &l.places] {
        names.extend([p.color.as_str(), &p.text, &p.halo]);
        names.extend(p.stroke.as_deref());
    }
    for a in [&l.countries, &l.neighbours, &l.provinces] {
        names.extend([a.fill.as_str(), &a.stroke]);
    }
    names.extend([
        l.province_lines.stroke.as_str(),
        &l.rivers.stroke,
        &style.background,
    ]);
    names.iter().filter_map(|c| parse_hex(c)).collect()
}

/// Every `#rgb` / `#rrggbb` attribute value in `svg`, in order of first use.
pub fn svg_colors(svg: &str) -> Vec<Rgb> {
    let mut out = Vec::new();
    for part in svg.split("=\"#").skip(1) {
        if let Some(c) = part
            .split('"')
            .next()
            .and_then(|h| parse_hex(&format!("#{h}")))
        {
            out.push(c);
        }
    }
    out
}

/// The palette of a time-lapse.
#[derive(Debug, Clone)]
pub struct Palette {
    pub colors: Vec<Rgb>,
    /// The first `reserved` entries are exact colours of the page.
    pub reserved: usize,
}

impl Palette {
    /// Reserve `exact` (deduplicated, at most [`MAX_RESERVED`]) plus each incident
    /// colour at the style's opacity over the grounds, then quantise `sample` (RGB
    /// pixels of a rendered frame) into the remaining entries.
    pub fn build(style: &Style, exact: &[Rgb], sample: &[u8]) -> Palette {
        let l = &style.layers;
        let mut seen = HashSet::new();
        let mut colors: Vec<Rgb> = Vec::new();
        let mut add = |c: Rgb, colors: &mut Vec<Rgb>| {
            if colors.len() < MAX_RESERVED && seen.insert(c) {
                colors.push(c);
            }
        };
        for c in exact {
            add(*c, &mut colors);
        }
        let grounds: Vec<Rgb> = ["#ffffff", &l.countries.fill, &l.neighbours.fill]
            .iter()
            .filter_map(|c| parse_hex(c))
            .collect();
        let op = l.incidents.opacity.clamp(0.0, 1.0);
        for ink in l
            .incidents
            .by_event_type
            .values()
            .chain([&l.incidents.default])
        {
            if let Some(ink) = parse_hex(&ink.color) {
                for g in &grounds {
                    add(mix(ink, *g, 1.0 - op), &mut colors);
                }
            }
        }
        let reserved = colors.len();
        let mut hist: HashMap<Rgb, u32> = HashMap::new();
        for p in sample.chunks_exact(3) {
            let c = [p[0], p[1], p[2]];
            if !seen.contains(&c) {
                *hist.entry(c).or_insert(0) += 1;
            }
        }
        colors.extend(median_cut(hist, PALETTE_SIZE - reserved));
        Palette { colors, reserved }
    }

    pub fn bytes(&self) -> Vec<u8> {
        self.colors.iter().flatten().copied().collect()
    }

    /// Index of the entry nearest to `c` (weighted RGB distance).
    pub fn nearest(&self, c: Rgb) -> u8 {
        let d = |p: &Rgb| {
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

/// Up to `n` colours standing for the histogram: boxes split at the weighted median
/// of their widest channel, each box its weighted mean.
fn median_cut(hist: HashMap<Rgb, u32>, n: usize) -> Vec<Rgb> {
    if n == 0 || hist.is_empty() {
        return Vec::new();
    }
    // Sorted, so equal histograms give equal palettes (a HashMap's order varies).
    let mut all: Vec<(Rgb, u32)> = hist.into_iter().collect();
    all.sort_unstable();
    let mut boxes: Vec<Vec<(Rgb, u32)>> = vec![all];
    while boxes.len() < n {
        // The box with the widest channel range (weighted by its pixels) splits next.
        let pick = boxes
            .iter()
            .enumerate()
            .filter(|(_, b)| b.len() > 1)
            .max_by_key(|(_, b)| {
                let pixels: u64 = b.iter().map(|e| e.1 as u64).sum();
                widest(b).1 as u64 * (1 + pixels.max(1).ilog2() as u64)
            })
            .map(|(i, _)| i);
        let Some(i) = pick else { break };
        let mut b = boxes.swap_remove(i);
        let (ch, _) = widest(&b);
        b.sort_by_key(|e| e.0[ch]);
        let total: u64 = b.iter().map(|e| e.1 as u64).sum();
        let mut acc = 0u64;
        let mut cut = 1;
        for (k, e) in b.iter().enumerate() {
            acc += e.1 as u64;
            if acc * 2 >= total {
                cut = (k + 1).clamp(1, b.len() - 1);
                break;
            }
        }
        let rest = b.split_off(cut);
        boxes.push(b);
        boxes.push(rest);
    }
    boxes
        .iter()
        .map(|b| {
            let total: u64 = b.iter().map(|e| e.1 as u64).sum::<u64>().max(1);
            let m = |k: usize| {
                (b.iter().map(|e| e.0[k] as u64 * e.1 as u64).sum::<u64>() as f64 / total as f64)
                    .round() as u8
            };
            [m(0), m(1), m(2)]
        })
        .collect()
}

/// The channel with the widest range in a box, and that range.
fn widest(b: &[(Rgb, u32)]) -> (usize, u8) {
    (0..3)
        .map(|k| {
            let lo = b.iter().map(|e| e.0[k]).min().unwrap_or(0);
            let hi = b.iter().map(|e| e.0[k]).max().unwrap_or(0);
            (k, hi - lo)
        })
        .max_by_key(|&(_, r)| r)
        .unwrap_or((0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserves_exact_colours_and_quantises_the_rest() {
        let style = Style::bundled().unwrap();
        let exact = style_colors(&style);
        // A sample of many colours that are not reserved.
        let sample: Vec<u8> = (0..20_000u32)
            .flat_map(|i| [(i % 251) as u8, (i / 80 % 256) as u8, (i * 7 % 253) as u8])
            .collect();
        let p = Palette::build(&style, &exact, &sample);
        assert_eq!(p.colors.len(), PALETTE_SIZE);
        // Reproducible: the same frame gives the same palette.
        assert_eq!(Palette::build(&style, &exact, &sample).colors, p.colors);
        for c in &exact {
            assert!(p.colors[..p.reserved].contains(c), "{c:?} not reserved");
            assert_eq!(p.colors[p.nearest(*c) as usize], *c);
        }
        for c in style.layers.incidents.by_event_type.values() {
            let rgb = parse_hex(&c.color).unwrap();
            assert!(exact.contains(&rgb));
        }
        assert_eq!(parse_hex("#fff"), Some([255, 255, 255]));
        assert_eq!(parse_hex("none"), None);
        assert_eq!(parse_hex("#ééé"), None);
    }

    #[test]
    fn svg_colours_are_found_in_order() {
        let svg =
            r##"<rect fill="#ffffff"/><path stroke="#1a1a1a" fill="none"/><text fill="#abc">"##;
        assert_eq!(
            svg_colors(svg),
            vec![[255, 255, 255], [26, 26, 26], [170, 187, 204]]
        );
    }

    #[test]
    fn median_cut_keeps_distinct_clusters() {
        let mut h = HashMap::new();
        h.insert([0, 0, 0], 10);
        h.insert([2, 0, 0], 10);
        h.insert([250, 250, 250], 5);
        let c = median_cut(h, 2);
        assert_eq!(c.len(), 2);
        assert!(c.contains(&[1, 0, 0]) && c.contains(&[250, 250, 250]));
    }
}
