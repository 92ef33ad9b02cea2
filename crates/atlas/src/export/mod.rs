//! Print-quality map export: a report page (title, map, legend, scale bar, north
//! arrow, locator, data note, credits) built as SVG in millimetres and converted to
//! PNG (resvg) or vector PDF (svg2pdf) with bundled fonts; plus time-lapse GIFs and
//! MP4 videos.
//!
//! The page builder takes its inputs explicitly: the reference layers
//! ([`BaseLayers`]), the style shared with the app ([`Style`]), the incidents to draw
//! ([`MapIncidents`], from the store rows the caller selected) and what the page says
//! ([`MapSpec`]).
//!
//! ```
//! use atlas::export::{export_map, BaseLayers, Format, MapIncidents, MapSpec, PageSpec, Style};
//! let mut spec = MapSpec::new(PageSpec::paper("a4-landscape", 72).unwrap());
//! spec.bbox = Some([69.5, 33.0, 72.5, 35.5]);
//! spec.title = "Torkham area".into();
//! let mut incidents = MapIncidents::default();
//! incidents.push(71.09, 34.12, "Battles", 1, 20_300, 20_300);
//! let style = Style::bundled().unwrap();
//! let layers = BaseLayers::default();
//! let pdf = export_map(&spec, &layers, &style, &incidents, Format::Pdf).unwrap();
//! assert!(pdf.starts_with(b"%PDF"));
//! let png = export_map(&spec, &layers, &style, &incidents, Format::Png).unwrap();
//! assert!(png.starts_with(b"\x89PNG"));
//! ```

pub mod attribution;
mod error;
pub mod fonts;
pub mod incidents;
pub mod labels;
pub mod layers;
pub mod notes;
pub mod overlays;
pub mod page;
pub mod palette;
pub mod paper;
pub mod pdfz;
pub mod projection;
pub mod raster;
pub mod style;
pub mod svg;
pub mod timelapse;
pub mod video;

pub use error::ExportError;
pub use incidents::MapIncidents;
pub use layers::BaseLayers;
pub use overlays::{Overlays, UserLayer};
pub use page::{build_svg, MapSpec, BORDER_LABEL};
pub use paper::{PageSpec, PAPER_NAMES};
pub use style::Style;
pub use timelapse::{render_gif, Timelapse};
pub use video::render_mp4;

use std::path::Path;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
    Pdf,
    /// Time-lapse animation (see [`render_gif`]).
    Gif,
    /// Time-lapse video, H.264 in MP4 (see [`render_mp4`]).
    Mp4,
}

impl Format {
    /// The format named by a file's extension.
    ///
    /// ```
    /// use atlas::export::Format;
    /// assert_eq!(Format::from_path("map.PDF".as_ref()).unwrap(), Format::Pdf);
    /// assert!(Format::from_path("map.jpg".as_ref()).is_err());
    /// ```
    pub fn from_path(path: &Path) -> Result<Format, ExportError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Ok(Format::Svg),
            "png" => Ok(Format::Png),
            "pdf" => Ok(Format::Pdf),
            "gif" => Ok(Format::Gif),
            "mp4" => Ok(Format::Mp4),
            _ => Err(ExportError::Format(path.display().to_string())),
        }
    }

    /// File extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Pdf => "pdf",
            Format::Gif => "gif",
            Format::Mp4 => "mp4",
        }
    }

    /// A time-lapse (GIF or MP4) rather than a page.
    pub fn is_timelapse(self) -> bool {
        matches!(self, Format::Gif | Format::Mp4)
    }
}

/// Build the page and encode it. [`Format::Gif`] and [`Format::Mp4`] render a
/// time-lapse with the default [`Timelapse`] settings.
pub fn export_map(
    spec: &MapSpec,
    layers: &BaseLayers,
    style: &Style,
    incidents: &MapIncidents,
    format: Format,
) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Gif => return render_gif(spec, layers, style, incidents, &Timelapse::default()),
        Format::Mp4 => return render_mp4(spec, layers, style, incidents, &Timelapse::default()),
        _ => {}
    }
    let svg = build_svg(spec, layers, style, incidents)?;
    match format {
        Format::Svg => Ok(svg.into_bytes()),
        Format::Png => raster::svg_to_png(&svg, &spec.page),
        _ => raster::svg_to_pdf(&svg),
    }
}
