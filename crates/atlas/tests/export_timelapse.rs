//! Time-lapse outputs read back by independent readers: the MP4 by the `mp4` crate's
//! demuxer and OpenH264's decoder (frame count, size, pixels against the rendered
//! page); the GIF's palette by the gif crate's decoder (the style's colours exactly).

mod export_common;

use atlas::export::palette::{parse_hex, style_colors};
use atlas::export::timelapse::{render_frames, windows};
use atlas::export::*;
use atlas::model::{Layer, LayerFeature};
use atlas::project::LayerStyle;
use openh264::decoder::Decoder;
use openh264::formats::YUVSource;

fn spec(w: u32, h: u32) -> MapSpec {
    let mut spec = MapSpec::new(PageSpec::pixels(w, h, 72).unwrap());
    spec.generated = "2025-11-01".into();
    spec.from = Some(20_100);
    spec.to = Some(20_130);
    spec
}

fn lapse() -> Timelapse {
    Timelapse {
        step_days: 14,
        window_days: 14,
        ..Default::default()
    }
}

#[test]
fn mp4_has_one_decodable_frame_per_window_matching_the_page() {
    let layers = export_common::layers();
    let inc = export_common::synthetic(&layers, 300);
    let style = Style::bundled().unwrap();
    // An odd width: the video is padded to an even one.
    let spec = spec(481, 320);
    let t = lapse();
    let mp4_bytes = render_mp4(&spec, &layers, &style, &inc, &t).unwrap();
    let n = windows(20_100, 20_130, &t).unwrap().len();
    assert_eq!(n, 3);

    let size = mp4_bytes.len() as u64;
    let mut reader = mp4::Mp4Reader::read_header(std::io::Cursor::new(mp4_bytes), size).unwrap();
    assert_eq!(reader.tracks().len(), 1);
    let track = reader.tracks().get(&1).expect("track 1");
    assert_eq!((track.width(), track.height()), (482, 320));
    assert_eq!(track.sample_count() as usize, n);
    assert_eq!(
        track.duration().as_millis(),
        n as u128 * t.delay_cs as u128 * 10
    );
    let sps = track.sequence_parameter_set().unwrap().to_vec();
    let pps = track.picture_parameter_set().unwrap().to_vec();

    // The pages the video should show.
    let mut pages = Vec::new();
    render_frames(&spec, &layers, &style, &inc, &t, |_, rgb| {
        pages.push(rgb.to_vec());
        Ok(())
    })
    .unwrap();

    let mut dec = Decoder::new().unwrap();
    let start = [0u8, 0, 0, 1];
    let mut annex_b = [&start[..], &sps, &start, &pps].concat();
    for i in 1..=n as u32 {
        let sample = reader.read_sample(1, i).unwrap().expect("sample");
        assert_eq!(sample.is_sync, i == 1, "sample {i}");
        let mut b = &sample.bytes[..];
        while b.len() >= 4 {
            let len = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
            annex_b.extend_from_slice(&start);
            annex_b.extend_from_slice(&b[4..4 + len]);
            b = &b[4 + len..];
        }
        let yuv = dec.decode(&annex_b).unwrap().expect("a picture per sample");
        annex_b.clear();
        assert_eq!(yuv.dimensions(), (482, 320));
        let mut rgb = vec![0u8; 482 * 320 * 3];
        yuv.write_rgb8(&mut rgb);
        // Compare with the page (481 px wide; the video's last column is padding).
        let page = &pages[i as usize - 1];
        let mut diff = 0u64;
        for y in 0..320 {
            for x in 0..481 {
                for c in 0..3 {
                    let a = rgb[(y * 482 + x) * 3 + c] as i64;
                    let b = page[(y * 481 + x) * 3 + c] as i64;
                    diff += (a - b).unsigned_abs();
                }
            }
        }
        let mean = diff as f64 / (481.0 * 320.0 * 3.0);
        eprintln!(
            "frame {i}: mean difference {mean:.2} per channel, {} bytes",
            sample.bytes.len()
        );
        assert!(
            mean < 6.0,
            "frame {i}: mean difference {mean:.2} per channel"
        );
    }
    // And an MP4 from the extension.
    assert_eq!(
        Format::from_path("lapse.MP4".as_ref()).unwrap(),
        Format::Mp4
    );
}

#[test]
fn gif_palette_holds_every_style_and_layer_colour_exactly() {
    let layers = export_common::layers();
    let inc = export_common::synthetic(&layers, 300);
    let style = Style::bundled().unwrap();
    let mut spec = spec(640, 420);
    // A researcher's layer in a colour the style does not have.
    let ring = geo::LineString::from(vec![
        (66.0, 30.0),
        (67.0, 30.0),
        (67.0, 31.0),
        (66.0, 31.0),
        (66.0, 30.0),
    ]);
    let zone = Layer {
        name: "zone".into(),
        features: vec![LayerFeature {
            id: None,
            geometry: Some(geo::Geometry::Polygon(geo::Polygon::new(ring, vec![]))),
            properties: Default::default(),
        }],
    };
    let layer_colour = "#7b3294";
    spec.overlays.layers.push(UserLayer::new(
        "Zone",
        zone,
        LayerStyle {
            color: layer_colour.into(),
            ..Default::default()
        },
    ));
    let gif_bytes = render_gif(&spec, &layers, &style, &inc, &lapse()).unwrap();
    // Reproducible, palette included.
    assert!(render_gif(&spec, &layers, &style, &inc, &lapse()).unwrap() == gif_bytes);
    let mut dec = gif::DecodeOptions::new()
        .read_info(std::io::Cursor::new(gif_bytes))
        .unwrap();
    let palette: Vec<[u8; 3]> = dec
        .global_palette()
        .expect("a global palette")
        .chunks_exact(3)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    assert_eq!(palette.len(), 256);
    let mut want = style_colors(&style);
    for c in ["#1a1a1a", "#333333", "#4a4a4a", "#ffffff"] {
        want.push(parse_hex(c).unwrap());
    }
    want.push(parse_hex(layer_colour).unwrap());
    for c in &want {
        assert!(palette.contains(c), "palette lacks {c:?}");
    }
    // The border is drawn in its exact colour.
    let border = parse_hex(&style.layers.border.stroke).unwrap();
    let idx = palette.iter().position(|c| *c == border).unwrap() as u8;
    let frame = dec.read_next_frame().unwrap().expect("a frame");
    let border_px = frame.buffer.iter().filter(|&&i| i == idx).count();
    assert!(border_px > 50, "{border_px} border pixels");
}
