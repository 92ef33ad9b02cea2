//! Paper sizes, orientation and output resolution.

use super::ExportError;

/// Paper names accepted by [`PageSpec::paper`].
pub const PAPER_NAMES: [&str; 8] = [
    "a4-landscape",
    "a4-portrait",
    "a3-landscape",
    "a3-portrait",
    "letter-landscape",
    "letter-portrait",
    "legal-landscape",
    "legal-portrait",
];

/// Lowest accepted resolution.
pub const MIN_DPI: u32 = 72;
/// Highest accepted resolution.
pub const MAX_DPI: u32 = 600;

/// The page: its size in millimetres and the resolution of raster output.
///
/// ```
/// use atlas::export::PageSpec;
/// let a4 = PageSpec::paper("a4-landscape", 300).unwrap();
/// assert_eq!(a4.pixel_size(), (3508, 2480));
/// assert!(PageSpec::paper("a4-landscape", 10).is_err());
/// assert!(PageSpec::paper("a5", 300).is_err());
/// let custom = PageSpec::pixels(1200, 800, 96).unwrap();
/// assert_eq!(custom.pixel_size(), (1200, 800));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSpec {
    /// Page width in millimetres.
    pub width_mm: f64,
    /// Page height in millimetres.
    pub height_mm: f64,
    /// Resolution of raster output (PNG, GIF), dots per inch.
    pub dpi: u32,
}

impl PageSpec {
    /// A named paper size (see [`PAPER_NAMES`]) at `dpi`.
    pub fn paper(name: &str, dpi: u32) -> Result<Self, ExportError> {
        check_dpi(dpi)?;
        let (short, long) = match name.split('-').next().unwrap_or("") {
            "a4" => (210.0, 297.0),
            "a3" => (297.0, 420.0),
            "letter" => (215.9, 279.4),
            "legal" => (215.9, 355.6),
            _ => return Err(ExportError::UnknownPaper(name.to_string())),
        };
        let (width_mm, height_mm) = match name.rsplit('-').next().unwrap_or("") {
            "landscape" if name.matches('-').count() == 1 => (long, short),
            "portrait" if name.matches('-').count() == 1 => (short, long),
            _ => return Err(ExportError::UnknownPaper(name.to_string())),
        };
        Ok(PageSpec {
            width_mm,
            height_mm,
            dpi,
        })
    }

    /// A page of exactly `width` × `height` pixels at `dpi` (its size in millimetres follows).
    pub fn pixels(width: u32, height: u32, dpi: u32) -> Result<Self, ExportError> {
        check_dpi(dpi)?;
        if !(64..=20_000).contains(&width) || !(64..=20_000).contains(&height) {
            return Err(ExportError::PixelSize { width, height });
        }
        let mm = |px: u32| px as f64 * 25.4 / dpi as f64;
        Ok(PageSpec {
            width_mm: mm(width),
            height_mm: mm(height),
            dpi,
        })
    }

    /// The same page at another resolution.
    pub fn with_dpi(self, dpi: u32) -> Result<Self, ExportError> {
        check_dpi(dpi)?;
        Ok(PageSpec { dpi, ..self })
    }

    /// Raster size in pixels: paper size × resolution, rounded.
    pub fn pixel_size(&self) -> (u32, u32) {
        let px = |mm: f64| (mm / 25.4 * self.dpi as f64).round().max(1.0) as u32;
        (px(self.width_mm), px(self.height_mm))
    }

    /// Whether the page is wider than tall.
    pub fn is_landscape(&self) -> bool {
        self.width_mm >= self.height_mm
    }
}

fn check_dpi(dpi: u32) -> Result<(), ExportError> {
    if (MIN_DPI..=MAX_DPI).contains(&dpi) {
        Ok(())
    } else {
        Err(ExportError::Dpi(dpi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_named_papers_parse_with_orientation() {
        for name in PAPER_NAMES {
            let p = PageSpec::paper(name, 150).unwrap();
            assert_eq!(p.is_landscape(), name.ends_with("landscape"), "{name}");
        }
        let letter = PageSpec::paper("letter-portrait", 300).unwrap();
        assert_eq!(letter.pixel_size(), (2550, 3300));
    }

    #[test]
    fn rejects_bad_names_and_dpi() {
        for bad in [
            "a4",
            "a4-",
            "a4-sideways",
            "a4-landscape-x",
            "b5-portrait",
            "",
        ] {
            assert!(
                matches!(PageSpec::paper(bad, 300), Err(ExportError::UnknownPaper(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            PageSpec::paper("a4-landscape", 601),
            Err(ExportError::Dpi(601))
        ));
        assert!(matches!(
            PageSpec::pixels(10, 800, 96),
            Err(ExportError::PixelSize { .. })
        ));
    }
}
