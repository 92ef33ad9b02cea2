//! SVG page → PNG (resvg) and PDF (svg2pdf), through one usvg tree and the bundled fonts.

use super::fonts;
use super::paper::PageSpec;
use super::ExportError;
use resvg::tiny_skia;
use resvg::usvg;

/// Parse a page SVG with the bundled fonts only (no system fonts).
pub fn parse(svg: &str) -> Result<usvg::Tree, ExportError> {
    let opts = usvg::Options {
        font_family: fonts::FAMILY.to_string(),
        fontdb: fonts::database(),
        ..Default::default()
    };
    usvg::Tree::from_str(svg, &opts).map_err(|e| ExportError::Svg(e.to_string()))
}

/// Render a parsed page to an RGBA pixmap of exactly the page's pixel size, on white.
pub fn render(tree: &usvg::Tree, page: &PageSpec) -> Result<tiny_skia::Pixmap, ExportError> {
    let (w, h) = page.pixel_size();
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| ExportError::Png(format!("cannot allocate a {w} × {h} image")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let size = tree.size();
    let t = tiny_skia::Transform::from_scale(w as f32 / size.width(), h as f32 / size.height());
    resvg::render(tree, t, &mut pixmap.as_mut());
    Ok(pixmap)
}

/// RGB bytes of an opaque pixmap (the page background is white, so alpha is 255).
pub fn rgb(pixmap: &tiny_skia::Pixmap) -> Vec<u8> {
    let mut out = Vec::with_capacity(pixmap.width() as usize * pixmap.height() as usize * 3);
    for px in pixmap.pixels() {
        let c = px.demultiply();
        out.extend_from_slice(&[c.red(), c.green(), c.blue()]);
    }
    out
}

/// Encode RGB pixels as PNG with the resolution recorded (pHYs).
pub fn encode_png(rgb: &[u8], width: u32, height: u32, dpi: u32) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let ppm = (dpi as f64 / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut w = enc
            .write_header()
            .map_err(|e| ExportError::Png(e.to_string()))?;
        w.write_image_data(rgb)
            .map_err(|e| ExportError::Png(e.to_string()))?;
        w.finish().map_err(|e| ExportError::Png(e.to_string()))?;
    }
    Ok(out)
}

/// The page as PNG bytes.
pub fn svg_to_png(svg: &str, page: &PageSpec) -> Result<Vec<u8>, ExportError> {
    let tree = parse(svg)?;
    let pixmap = render(&tree, page)?;
    encode_png(&rgb(&pixmap), pixmap.width(), pixmap.height(), page.dpi)
}

/// The page as a one-page vector PDF (text kept as text, fonts embedded and subset).
pub fn svg_to_pdf(svg: &str) -> Result<Vec<u8>, ExportError> {
    let tree = parse(svg)?;
    tree_to_pdf(&tree)
}

/// A parsed page as PDF.
pub fn tree_to_pdf(tree: &usvg::Tree) -> Result<Vec<u8>, ExportError> {
    let conv = svg2pdf::ConversionOptions {
        embed_text: true,
        compress: false,
        ..Default::default()
    };
    let raw = svg2pdf::to_pdf(tree, conv, svg2pdf::PageOptions { dpi: 96.0 })
        .map_err(|e| ExportError::Pdf(e.to_string()))?;
    // Deflated here at a fast level (see `pdfz`); the raw file is valid if that fails.
    Ok(super::pdfz::deflate_streams(&raw, 2).unwrap_or(raw))
}
