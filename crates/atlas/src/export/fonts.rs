//! The bundled fonts (Noto Sans regular and bold, Noto Sans Arabic; SIL OFL 1.1, see
//! `assets/fonts/OFL.txt`), the font database the SVG renderers use, and text width
//! measurement for layout.

use resvg::usvg::fontdb;
use std::sync::{Arc, OnceLock};

/// Noto Sans Regular.
pub const NOTO_SANS_REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
/// Noto Sans Bold.
pub const NOTO_SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
/// Noto Sans Arabic Regular (Pashto, Dari and Urdu place names).
pub const NOTO_SANS_ARABIC: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");

/// The family the page uses; Arabic script falls back to Noto Sans Arabic.
pub const FAMILY: &str = "Noto Sans";

/// A font database holding only the bundled fonts (built once).
pub fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        for data in [NOTO_SANS_REGULAR, NOTO_SANS_BOLD, NOTO_SANS_ARABIC] {
            db.load_font_data(data.to_vec());
        }
        db.set_sans_serif_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

struct Faces {
    regular: Option<ttf_parser::Face<'static>>,
    bold: Option<ttf_parser::Face<'static>>,
    arabic: Option<ttf_parser::Face<'static>>,
}

fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| Faces {
        regular: ttf_parser::Face::parse(NOTO_SANS_REGULAR, 0).ok(),
        bold: ttf_parser::Face::parse(NOTO_SANS_BOLD, 0).ok(),
        arabic: ttf_parser::Face::parse(NOTO_SANS_ARABIC, 0).ok(),
    })
}

/// Advance width of `text` set in the page font at `size` (same unit as the result),
/// without kerning (a slight over-estimate, which is the safe side for label collision).
///
/// ```
/// use atlas::export::fonts::text_width;
/// let w = text_width("Torkham", 3.0, false);
/// assert!(w > 10.0 && w < 20.0, "{w}");
/// assert!(text_width("Torkham", 3.0, true) > w);
/// ```
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let f = faces();
    let main = if bold { &f.bold } else { &f.regular };
    let mut units = 0.0;
    for ch in text.chars() {
        let adv = [main, &f.arabic].into_iter().flatten().find_map(|face| {
            let g = face.glyph_index(ch)?;
            let a = face.glyph_hor_advance(g)? as f64;
            Some(a / face.units_per_em() as f64)
        });
        units += adv.unwrap_or(0.6);
    }
    units * size
}
