//! End-to-end checks of exported pages with independent readers: poppler's pdfinfo,
//! pdftotext, pdffonts and pdfimages for the PDF, the png crate for PNG, usvg for SVG.

mod export_common;

use atlas::export::*;
use std::path::PathBuf;
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("atlas-export-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e} (install poppler-utils)"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn page(paper: &str, dpi: u32) -> MapSpec {
    let mut spec = MapSpec::new(PageSpec::paper(paper, dpi).unwrap());
    spec.title = "Border incidents report test".into();
    spec.subtitle = "Synthetic incidents for testing".into();
    spec.generated = "2025-11-01".into();
    spec
}

#[test]
fn pdf_page_size_text_fonts_and_no_rasters() {
    let layers = export_common::layers();
    let inc = export_common::synthetic(&layers, 2_000);
    let style = Style::bundled().unwrap();
    for (paper, size) in [
        ("a4-landscape", (841.89, 595.28)),
        ("a3-portrait", (841.89, 1190.55)),
        ("letter-portrait", (612.0, 792.0)),
    ] {
        let pdf = export_map(&page(paper, 96), &layers, &style, &inc, Format::Pdf).unwrap();
        let path = tmp(&format!("{paper}.pdf"));
        std::fs::write(&path, pdf).unwrap();
        let p = path.to_str().unwrap();
        let info = tool("pdfinfo", &[p]);
        let field = |name: &str| {
            info.lines()
                .find_map(|l| l.strip_prefix(name))
                .map(str::trim)
                .unwrap_or_else(|| panic!("no {name} in {info}"))
                .to_string()
        };
        assert_eq!(field("Pages:"), "1");
        let dims: Vec<f64> = field("Page size:")
            .split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect();
        assert!(
            dims.len() == 2 && (dims[0] - size.0).abs() < 0.05 && (dims[1] - size.1).abs() < 0.05,
            "{paper}: page size {dims:?}, expected {size:?}"
        );
        let text = tool("pdftotext", &["-layout", p, "-"]);
        for needle in [
            "Border incidents report test",
            "Synthetic incidents for testing",
            "Legend",
            "Battles",
            "Explosions/Remote violence",
            "Exact location",
            BORDER_LABEL,
            "OpenStreetMap contributors",
            "Natural Earth",
            "GeoNames",
            "Generated 2025-11-01",
            "km",
        ] {
            assert!(
                text.contains(needle),
                "{paper}: {needle:?} not in PDF text:\n{text}"
            );
        }
        let fonts = tool("pdffonts", &[p]);
        assert!(fonts.contains("NotoSans"), "{fonts}");
        for line in fonts.lines().skip(2) {
            assert!(line.contains(" yes "), "font not embedded: {line}");
        }
        // A renderer reads the whole file without complaint (streams and xref intact).
        let render = Command::new("pdftoppm")
            .args(["-r", "10", "-png", p, &format!("{p}-view")])
            .output()
            .unwrap();
        assert!(
            render.status.success() && render.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&render.stderr)
        );
        let images = tool("pdfimages", &["-list", p]);
        assert_eq!(
            images.lines().count(),
            2,
            "raster images in the PDF:\n{images}"
        );
    }
}

#[test]
fn png_a4_300_dpi_has_exact_pixel_size_and_dpi_tag() {
    let layers = export_common::layers();
    let inc = export_common::synthetic(&layers, 500);
    let style = Style::bundled().unwrap();
    let png = export_map(
        &page("a4-landscape", 300),
        &layers,
        &style,
        &inc,
        Format::Png,
    )
    .unwrap();
    let dec = png::Decoder::new(std::io::Cursor::new(png));
    let reader = dec.read_info().unwrap();
    let info = reader.info();
    assert_eq!((info.width, info.height), (3508, 2480));
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let dims = info.pixel_dims.unwrap();
    assert_eq!(dims.unit, png::Unit::Meter);
    assert_eq!(dims.xppu, 11811); // 300 dpi
}

fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).unwrap();
    buf.truncate(frame.buffer_size());
    (frame.width, frame.height, buf)
}

#[test]
fn svg_output_renders_to_the_same_pixels_as_the_png() {
    let layers = export_common::layers();
    let inc = export_common::synthetic(&layers, 1_000);
    let style = Style::bundled().unwrap();
    let mut spec = page("a4-portrait", 96);
    spec.bbox = Some([69.0, 32.0, 72.5, 35.5]);
    let svg = export_map(&spec, &layers, &style, &inc, Format::Svg).unwrap();
    let png = export_map(&spec, &layers, &style, &inc, Format::Png).unwrap();
    let svg = String::from_utf8(svg).unwrap();
    assert!(svg.contains(r#"width="210mm" height="297mm" viewBox="0 0 210 297""#));
    let tree = raster::parse(&svg).unwrap();
    let pixmap = raster::render(&tree, &spec.page).unwrap();
    let (w, h, pixels) = decode(&png);
    assert_eq!((w, h), (pixmap.width(), pixmap.height()));
    assert_eq!((w, h), (794, 1123));
    assert!(pixels == raster::rgb(&pixmap), "SVG and PNG paths differ");
    // Not a blank page: the background, land and incident colours are all there.
    let distinct: std::collections::HashSet<&[u8]> = pixels.chunks(3).collect();
    assert!(distinct.len() > 50, "{} colours", distinct.len());
}

#[test]
fn custom_pixel_page() {
    let layers = export_common::layers();
    let inc = export_common::synthetic(&layers, 100);
    let style = Style::bundled().unwrap();
    let mut spec = page("a4-landscape", 96);
    spec.page = PageSpec::pixels(1200, 800, 144).unwrap();
    let (w, h, _) = decode(&export_map(&spec, &layers, &style, &inc, Format::Png).unwrap());
    assert_eq!((w, h), (1200, 800));
}

#[test]
fn bad_arguments_give_typed_errors() {
    assert!(matches!(
        PageSpec::paper("a4-landscape", 10),
        Err(ExportError::Dpi(10))
    ));
    assert!(matches!(
        PageSpec::paper("a4-landscape", 601),
        Err(ExportError::Dpi(601))
    ));
    assert!(
        matches!(PageSpec::paper("tabloid-landscape", 300), Err(ExportError::UnknownPaper(p)) if p == "tabloid-landscape")
    );
    assert!(matches!(
        PageSpec::pixels(30_000, 100, 96),
        Err(ExportError::PixelSize { .. })
    ));
    assert!(matches!(
        Format::from_path("map.jpg".as_ref()),
        Err(ExportError::Format(_))
    ));
    let mut spec = page("a4-landscape", 96);
    spec.bbox = Some([72.0, 30.0, 70.0, 35.0]);
    let err = build_svg(
        &spec,
        &BaseLayers::default(),
        &Style::bundled().unwrap(),
        &MapIncidents::default(),
    );
    assert!(matches!(err, Err(ExportError::BBox(_))));
    assert!(ExportError::Dpi(10).to_string().contains("72 to 600"));
}

#[test]
fn legend_lists_only_what_the_frame_shows() {
    let layers = export_common::layers();
    let style = Style::bundled().unwrap();
    let mut inc = MapIncidents::default();
    inc.push(71.09, 34.12, "Battles", 1, 20_000, 20_000);
    inc.push(66.44, 30.95, "Protests", 2, 20_001, 20_001);
    // A frame around Torkham: the Chaman protest is outside it.
    let mut spec = page("a4-landscape", 96);
    spec.bbox = Some([70.5, 33.7, 71.7, 34.5]);
    let svg = build_svg(&spec, &layers, &style, &inc).unwrap();
    assert!(svg.contains("Battles (1)"));
    assert!(!svg.contains("Protests ("));
    assert!(svg.contains("Incidents shown: 1 of 2 selected"));
    assert!(
        !svg.contains("Near a place"),
        "no precision-2 incident is visible"
    );
    if !layers.crossings.is_empty() {
        assert!(svg.contains("Border crossing") && svg.contains("Torkham"));
    }
    // A frame over the sea south of Karachi: no border, no incidents, no crossings.
    spec.bbox = Some([62.0, 20.0, 64.0, 21.5]);
    let svg = build_svg(&spec, &layers, &style, &inc).unwrap();
    assert!(!svg.contains("Border crossing"));
    assert!(!svg.contains("Incidents by event type"));
    assert!(!svg.contains(&format!("{BORDER_LABEL}</text>")) || layers.border.is_empty());
}

#[test]
fn bundled_attribution_is_read_when_present() {
    let dir = export_common::data_dir();
    let credits = attribution::load_attribution(&dir);
    if dir.join("attribution.json").exists() {
        assert!(
            credits.iter().any(|c| c.contains("OpenStreetMap")),
            "{credits:?}"
        );
        assert!(
            credits.iter().any(|c| c.contains("GeoNames")),
            "{credits:?}"
        );
    } else {
        assert_eq!(credits, attribution::default_attribution());
    }
}

#[test]
fn timelapse_gif_has_one_frame_per_window() {
    let layers = export_common::layers();
    let inc = export_common::synthetic(&layers, 300);
    let style = Style::bundled().unwrap();
    let mut spec = page("a4-landscape", 72);
    spec.page = PageSpec::pixels(480, 320, 72).unwrap();
    spec.from = Some(20_100);
    spec.to = Some(20_130);
    let t = Timelapse {
        step_days: 14,
        window_days: 14,
        ..Default::default()
    };
    let gif_bytes = render_gif(&spec, &layers, &style, &inc, &t).unwrap();
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    let mut dec = opts.read_info(std::io::Cursor::new(gif_bytes)).unwrap();
    assert_eq!((dec.width(), dec.height()), (480, 320));
    let mut frames = 0;
    while let Some(f) = dec.read_next_frame().unwrap() {
        assert_eq!(f.delay, t.delay_cs);
        frames += 1;
    }
    assert_eq!(
        frames,
        timelapse::windows(20_100, 20_130, &t).unwrap().len()
    );
    assert_eq!(frames, 3);
    // Too many frames is refused, not rendered.
    let t = Timelapse {
        step_days: 1,
        window_days: 1,
        max_frames: 5,
        ..Default::default()
    };
    assert!(matches!(
        render_gif(&spec, &layers, &style, &inc, &t),
        Err(ExportError::Timelapse(_))
    ));
}

#[test]
fn arabic_script_is_shaped_with_the_bundled_font() {
    let style = Style::bundled().unwrap();
    let mut spec = page("a4-landscape", 96);
    spec.title = "Torkham / تورخم".into();
    let pdf = export_map(
        &spec,
        &BaseLayers::default(),
        &style,
        &MapIncidents::default(),
        Format::Pdf,
    )
    .unwrap();
    let path = tmp("arabic.pdf");
    std::fs::write(&path, pdf).unwrap();
    let fonts = tool("pdffonts", &[path.to_str().unwrap()]);
    assert!(fonts.contains("NotoSansArabic"), "{fonts}");
    let png = export_map(
        &spec,
        &BaseLayers::default(),
        &style,
        &MapIncidents::default(),
        Format::Png,
    )
    .unwrap();
    assert!(png.starts_with(b"\x89PNG"));
}
