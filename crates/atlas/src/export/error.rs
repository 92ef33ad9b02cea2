//! The error type of map export.

/// Why a map could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Resolution outside 72–600 dpi.
    #[error("dpi {0} is out of range: use 72 to 600")]
    Dpi(u32),
    /// A paper name that is not one of [`PAPER_NAMES`](crate::export::paper::PAPER_NAMES).
    #[error("unknown paper size {0:?}: use one of a4-landscape, a4-portrait, a3-landscape, a3-portrait, letter-landscape, letter-portrait, legal-landscape, legal-portrait")]
    UnknownPaper(String),
    /// A custom page size in pixels outside 64–20000 px per side.
    #[error("page size {width} × {height} px is out of range: each side must be 64 to 20000 px")]
    PixelSize { width: u32, height: u32 },
    /// A bounding box that is not `west < east`, `south < north` within ±180° / ±85°.
    #[error("invalid bounding box {0:?}: need west < east and south < north, longitudes within ±180 and latitudes within ±85")]
    BBox([f64; 4]),
    /// A layer file that could not be read as GeoJSON.
    #[error("{file}: {message}")]
    Layer { file: String, message: String },
    /// The style JSON is invalid.
    #[error("style: {0}")]
    Style(String),
    /// The page SVG could not be parsed (a bug in the page builder or a bad font).
    #[error("SVG: {0}")]
    Svg(String),
    /// svg2pdf failed.
    #[error("PDF conversion: {0}")]
    Pdf(String),
    /// The PNG encoder failed.
    #[error("PNG encoding: {0}")]
    Png(String),
    /// A time-lapse parameter is invalid.
    #[error("time-lapse: {0}")]
    Timelapse(String),
    /// The GIF encoder failed.
    #[error("GIF encoding: {0}")]
    Gif(String),
    /// The video encoder or MP4 muxer failed.
    #[error("video encoding: {0}")]
    Video(String),
    /// An output file name whose extension is not .pdf, .svg, .png, .gif or .mp4.
    #[error("unknown output format {0:?}: use .pdf, .svg, .png, .gif or .mp4")]
    Format(String),
    /// Reading or writing a file.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}
