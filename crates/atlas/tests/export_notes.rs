//! The page's notes block: the text is on the page, wrapped to the frame's width, cut
//! with a marker when long, and overlaps neither the map frame nor any other text of
//! the page (legend, data note, locator caption, credits) on every paper.

mod export_common;

use atlas::export::fonts::text_width;
use atlas::export::notes::MAX_NOTE_LINES;
use atlas::export::*;

const NOTES: &str = "Sample notes for a layout test. Each circle is one reported incident at the location the source gives; rings mark incidents located only to a district or a province. Dates are those of the incidents, not of the reports; an incident reported over several days is drawn on each day of its window. Places are those of the bundled reference layers.\nCounts are claims by the cited outlets and have not been verified independently.";

/// A text element of the page: its box (x, top, width, height) and content.
#[derive(Debug)]
struct Text {
    x: f64,
    top: f64,
    w: f64,
    h: f64,
    body: String,
    notes: bool,
}

fn attr(tag: &str, name: &str) -> Option<f64> {
    let i = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[i..].split('"').next()?.parse().ok()
}

/// Every `<text>` of the page with its box from the bundled font metrics.
fn texts(svg: &str) -> Vec<Text> {
    let notes_at = svg.find(r#"<g id="notes">"#);
    let notes_end = notes_at.and_then(|a| svg[a..].find("</g>").map(|e| a + e));
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(i) = svg[rest..].find("<text ") {
        let start = rest + i;
        let close = start + svg[start..].find('>').unwrap();
        let end = close + svg[close..].find("</text>").unwrap();
        let tag = &svg[start..close];
        let body = svg[close + 1..end].to_string();
        let size = attr(tag, "font-size").unwrap();
        let bold = tag.contains(r#"font-weight="bold""#);
        let w = text_width(&body, size, bold);
        let mut x = attr(tag, "x").unwrap_or(0.0);
        if tag.contains(r#"text-anchor="end""#) {
            x -= w;
        } else if tag.contains(r#"text-anchor="middle""#) {
            x -= w / 2.0;
        }
        let y = attr(tag, "y").unwrap_or(0.0);
        let in_notes = notes_at.is_some_and(|a| start > a) && notes_end.is_some_and(|e| start < e);
        out.push(Text {
            x,
            top: y - 0.8 * size,
            w,
            h: size,
            body,
            notes: in_notes,
        });
        rest = end;
    }
    out
}

/// The map frame: the clip rectangle.
fn frame(svg: &str) -> [f64; 4] {
    let i = svg.find(r#"<clipPath id="map-clip"><rect "#).unwrap();
    let tag = &svg[i..i + svg[i..].find("/>").unwrap()];
    ["x", "y", "width", "height"].map(|k| attr(tag, k).unwrap())
}

fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

fn page_svg(paper: &str, notes: &str) -> String {
    let layers = export_common::layers();
    let inc = export_common::synthetic(&layers, 300);
    let mut spec = MapSpec::new(PageSpec::paper(paper, 96).unwrap());
    spec.subtitle = "Synthetic incidents".into();
    spec.generated = "2025-11-01".into();
    spec.notes = notes.into();
    build_svg(&spec, &layers, &Style::bundled().unwrap(), &inc).unwrap()
}

#[test]
fn notes_are_wrapped_under_the_frame_without_overlapping_anything() {
    for paper in PAPER_NAMES {
        let svg = page_svg(paper, NOTES);
        let all = texts(&svg);
        let [fx, fy, fw, fh] = frame(&svg);
        let notes: Vec<&Text> = all.iter().filter(|t| t.notes).collect();
        assert_eq!(notes[0].body, "Notes", "{paper}");
        let lines = &notes[1..];
        assert!(
            lines.len() >= 3,
            "{paper}: the notes should wrap: {lines:?}"
        );
        assert!(lines[0].body.starts_with("Sample notes for a layout test."));
        assert!(lines
            .iter()
            .any(|t| t.body.starts_with("Counts are claims")));
        let joined: Vec<&str> = lines.iter().map(|t| t.body.as_str()).collect();
        assert_eq!(
            joined.join(" ").replace("\n", " "),
            NOTES.replace('\n', " "),
            "{paper}: every word, in order"
        );
        for t in &notes {
            let b = (t.x, t.top, t.w, t.h);
            assert!(
                t.x >= fx - 0.01 && t.x + t.w <= fx + fw + 0.01,
                "{paper}: {t:?} wider than the frame"
            );
            assert!(
                t.top >= fy + fh,
                "{paper}: {t:?} in the map frame (bottom {})",
                fy + fh
            );
            for o in all.iter().filter(|o| !o.notes) {
                let inside_frame = o.top >= fy && o.top + o.h <= fy + fh + 0.5;
                if inside_frame {
                    continue;
                }
                assert!(
                    !overlap(b, (o.x, o.top, o.w, o.h)),
                    "{paper}: {t:?} overlaps {o:?}"
                );
            }
        }
    }
}

#[test]
fn long_notes_are_cut_with_an_ellipsis_and_a_marker() {
    let long = format!(
        "{NOTES}\n{}",
        "More notes than the page can hold. ".repeat(60)
    );
    for paper in ["a4-landscape", "a4-portrait"] {
        let svg = page_svg(paper, &long);
        let notes: Vec<Text> = texts(&svg).into_iter().filter(|t| t.notes).collect();
        let marker = notes
            .iter()
            .find(|t| t.body.starts_with("[shortened to fit the page:"))
            .expect("a marker");
        assert!(
            marker.body.contains("more lines not shown]"),
            "{}",
            marker.body
        );
        let lines: Vec<&Text> = notes.iter().filter(|t| t.top > marker.top + 1.0).collect();
        assert_eq!(lines.len(), MAX_NOTE_LINES, "{paper}");
        assert!(lines[MAX_NOTE_LINES - 1].body.ends_with(" …"));
    }
}

#[test]
fn no_notes_no_block_and_the_frame_keeps_its_size() {
    let plain = page_svg("a4-landscape", "");
    let blank = page_svg("a4-landscape", " \n ");
    assert!(!plain.contains(r#"id="notes""#));
    assert_eq!(plain, blank);
    let with = page_svg("a4-landscape", "One line.");
    assert!(frame(&with)[3] < frame(&plain)[3]);
    assert_eq!(frame(&with)[2], frame(&plain)[2]);
}

#[test]
fn notes_are_text_in_the_pdf() {
    let layers = export_common::layers();
    let inc = export_common::synthetic(&layers, 50);
    let mut spec = MapSpec::new(PageSpec::paper("a4-portrait", 96).unwrap());
    spec.notes = "Notes <b>stay</b> text & are escaped".into();
    let svg = build_svg(&spec, &layers, &Style::bundled().unwrap(), &inc).unwrap();
    assert!(svg.contains("Notes &lt;b&gt;stay&lt;/b&gt; text &amp; are escaped"));
    let pdf = export_map(
        &spec,
        &layers,
        &Style::bundled().unwrap(),
        &inc,
        Format::Pdf,
    )
    .unwrap();
    let path = std::env::temp_dir().join(format!("atlas-notes-{}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    match std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(
                text.contains("Notes <b>stay</b> text & are escaped"),
                "{text}"
            );
        }
        _ => eprintln!("SKIPPED: pdftotext not available; install poppler-utils"),
    }
    std::fs::remove_file(&path).ok();
}
