//! User layers and annotations on exported pages: colours and legend in the SVG, text
//! in the PDF (poppler's pdftotext), escaping of user text, simplification of big
//! layers, drawing order and legend capping.

mod export_common;

use atlas::export::overlays::{Overlays, UserLayer};
use atlas::export::*;
use atlas::model::{Layer, LayerFeature};
use atlas::project::annotations::{Annotation, Geometry as Shape};
use atlas::project::{LayerStyle, StyleBy};
use std::path::PathBuf;
use std::process::Command;

const SCRIPT_TITLE: &str = "<script>alert(1)</script> & co";

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("atlas-overlay-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn feature(g: geo::Geometry<f64>, props: serde_json::Value) -> LayerFeature {
    LayerFeature {
        id: None,
        geometry: Some(g),
        properties: props.as_object().cloned().unwrap_or_default(),
    }
}

fn square(lon: f64, lat: f64, d: f64) -> geo::Geometry<f64> {
    geo::Geometry::Polygon(geo::Polygon::new(
        geo::LineString::from(vec![
            (lon, lat),
            (lon + d, lat),
            (lon + d, lat + d),
            (lon, lat + d),
            (lon, lat),
        ]),
        vec![],
    ))
}

/// Three synthetic zones near Torkham: kinds A, B and one not in the style (other).
fn zones() -> Layer {
    Layer {
        name: "zones".into(),
        features: vec![
            feature(
                square(70.6, 33.9, 0.2),
                serde_json::json!({"kind": "A", "pop": 50}),
            ),
            feature(
                square(70.9, 34.0, 0.2),
                serde_json::json!({"kind": "B", "pop": 150}),
            ),
            feature(
                square(71.2, 34.1, 0.2),
                serde_json::json!({"kind": "Z", "pop": "250"}),
            ),
        ],
    }
}

fn categorical() -> LayerStyle {
    LayerStyle {
        color: "#333333".into(),
        opacity: 0.6,
        order: 1,
        by_attribute: Some(StyleBy::Categorical {
            property: "kind".into(),
            colors: [
                ("A".to_string(), "#1b9e77".to_string()),
                ("B".to_string(), "#d95f02".to_string()),
                ("Q".to_string(), "#7570b3".to_string()),
            ]
            .into_iter()
            .collect(),
            other: "#e7298a".into(),
        }),
        ..LayerStyle::default()
    }
}

fn annotation(id: u64, geometry: Shape, title: &str) -> Annotation {
    Annotation {
        id,
        geometry,
        title: title.into(),
        note: String::new(),
        created: String::new(),
        modified: String::new(),
    }
}

fn spec(overlays: Overlays) -> MapSpec {
    let mut spec = MapSpec::new(PageSpec::paper("a4-landscape", 96).unwrap());
    spec.bbox = Some([70.3, 33.7, 71.7, 34.6]);
    spec.title = "Overlay test page".into();
    spec.generated = "2025-11-01".into();
    spec.overlays = overlays;
    spec
}

fn svg_of(spec: &MapSpec) -> String {
    let layers = export_common::layers();
    let mut inc = MapIncidents::default();
    inc.push(71.09, 34.12, "Battles", 1, 20_300, 20_300);
    build_svg(spec, &layers, &Style::bundled().unwrap(), &inc).unwrap()
}

fn pdftotext(pdf: &[u8], name: &str) -> Option<String> {
    let path = tmp(name);
    std::fs::write(&path, pdf).unwrap();
    match Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
    {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => {
            eprintln!(
                "SKIPPED: pdftotext not available ({e}); install poppler-utils to check PDF text"
            );
            None
        }
    }
}

#[test]
fn categorical_polygons_colour_the_map_and_fill_the_legend() {
    let hidden = UserLayer::new(
        "Hidden layer (synthetic)",
        zones(),
        LayerStyle {
            visible: false,
            color: "#00ff00".into(),
            ..LayerStyle::default()
        },
    );
    let svg = svg_of(&spec(Overlays {
        layers: vec![
            UserLayer::new("Zones (synthetic)", zones(), categorical()),
            hidden,
        ],
        annotations: vec![],
    }));
    for c in ["#1b9e77", "#d95f02", "#e7298a"] {
        assert!(svg.contains(&format!(r#"fill="{c}""#)), "no fill {c}");
    }
    for label in ["Zones (synthetic)", "kind: A", "kind: B", "kind: other"] {
        assert!(
            svg.contains(&format!(">{label}</text>")),
            "legend lacks {label:?}"
        );
    }
    // Only drawn categories are listed; hidden layers are neither drawn nor listed.
    assert!(!svg.contains("kind: Q") && !svg.contains("#7570b3"));
    assert!(!svg.contains("Hidden layer") && !svg.contains("#00ff00"));
    // Above the base map, below the incidents, inside the map clip.
    let zone = svg.find(r##"fill="#1b9e77""##).unwrap();
    let border_label = svg.find(BORDER_LABEL).unwrap();
    let clip = svg.find(r#"clip-path="url(#map-clip)""#).unwrap();
    let incident = svg.find("fill-opacity=\"0.9").unwrap_or(usize::MAX);
    assert!(clip < zone && zone < border_label, "order");
    assert!(zone < incident || incident == usize::MAX);
    raster::parse(&svg).unwrap();
}

#[test]
fn graduated_legend_lists_every_class_and_orders_layers() {
    let grad = LayerStyle {
        order: 5,
        opacity: 0.7,
        by_attribute: Some(StyleBy::Graduated {
            property: "pop".into(),
            breaks: vec![100.0, 200.0],
            colors: vec!["#fee8c8".into(), "#fdbb84".into(), "#e34a33".into()],
        }),
        ..LayerStyle::default()
    };
    let line = Layer {
        name: "route".into(),
        features: vec![feature(
            geo::Geometry::LineString(geo::LineString::from(vec![(70.5, 34.4), (71.5, 33.8)])),
            serde_json::json!({}),
        )],
    };
    let route_style = LayerStyle {
        color: "#6a3d9a".into(),
        size: 3.0,
        order: 9,
        ..LayerStyle::default()
    };
    let svg = svg_of(&spec(Overlays {
        layers: vec![
            UserLayer::new("Route (synthetic)", line, route_style),
            UserLayer::new("Population (synthetic)", zones(), grad),
        ],
        annotations: vec![],
    }));
    // 50 → first class, 150 → second, "250" (text) → third.
    for c in ["#fee8c8", "#fdbb84", "#e34a33"] {
        assert!(svg.contains(&format!(r#"fill="{c}""#)), "no fill {c}");
    }
    for label in ["pop &lt; 100", "pop 100 – &lt; 200", "pop 200 or more"] {
        assert!(svg.contains(label), "legend lacks {label:?}");
    }
    // Order 5 drawn before order 9 on the map; the legend lists the top layer first.
    let poly = svg.find(r##"fill="#fee8c8""##).unwrap();
    let route = svg.find(r##"stroke="#6a3d9a""##).unwrap();
    assert!(poly < route);
    let legend_route = svg.find(">Route (synthetic)</text>").unwrap();
    let legend_pop = svg.find(">Population (synthetic)</text>").unwrap();
    assert!(legend_route < legend_pop);
}

#[test]
fn pdf_text_has_layer_name_legend_labels_and_annotation_titles() {
    let overlays = Overlays {
        layers: vec![UserLayer::new("Zones (synthetic)", zones(), categorical())],
        annotations: vec![
            annotation(1, Shape::Point([71.0, 34.3]), "Checkpoint seen in footage"),
            annotation(
                2,
                Shape::Polygon(vec![vec![
                    [70.4, 33.75],
                    [70.8, 33.75],
                    [70.8, 33.95],
                    [70.4, 33.95],
                    [70.4, 33.75],
                ]]),
                "Survey area",
            ),
            annotation(3, Shape::Point([71.4, 34.4]), SCRIPT_TITLE),
        ],
    };
    let spec = spec(overlays);
    let svg = svg_of(&spec);
    // Escaped in the SVG, never markup.
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(!svg.contains("<script"));
    assert!(svg.contains(">Annotations (3)</text>"));
    let pdf = raster::svg_to_pdf(&svg).unwrap();
    let Some(text) = pdftotext(&pdf, "overlays.pdf") else {
        return;
    };
    for needle in [
        "Zones (synthetic)",
        "kind: A",
        "kind: other",
        "Annotations (3)",
        "Checkpoint seen in footage",
        "Survey area",
        SCRIPT_TITLE,
    ] {
        assert!(text.contains(needle), "PDF text lacks {needle:?}:\n{text}");
    }
}

#[test]
fn a_100k_vertex_layer_stays_a_small_page() {
    // A wiggly ring of 100,000 vertices around Torkham.
    let n = 100_000;
    let ring: Vec<(f64, f64)> = (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64 * std::f64::consts::TAU;
            let r = 0.3 + 0.01 * (t * 400.0).sin();
            (71.0 + r * t.cos(), 34.1 + r * 0.8 * t.sin())
        })
        .collect();
    let layer = Layer {
        name: "big".into(),
        features: vec![feature(
            geo::Geometry::Polygon(geo::Polygon::new(geo::LineString::from(ring), vec![])),
            serde_json::json!({}),
        )],
    };
    let style = LayerStyle {
        fill: Some("#a6cee3".into()),
        ..LayerStyle::default()
    };
    let spec = spec(Overlays {
        layers: vec![UserLayer::new("Big layer (synthetic)", layer, style)],
        annotations: vec![],
    });
    let base = svg_of(&MapSpec {
        overlays: Overlays::default(),
        ..spec.clone()
    });
    let svg = svg_of(&spec);
    let added = svg.len() - base.len();
    assert!(added < 120_000, "the layer added {added} bytes of SVG");
    assert!(svg.contains(r##"fill="#a6cee3""##));
    let pdf = raster::svg_to_pdf(&svg).unwrap();
    assert!(pdf.len() < 1_500_000, "PDF {} bytes", pdf.len());
}

#[test]
fn a_long_legend_is_capped_and_the_data_note_stays() {
    let features: Vec<LayerFeature> = (0..40)
        .map(|i| {
            feature(
                square(
                    70.4 + (i % 8) as f64 * 0.15,
                    33.8 + (i / 8) as f64 * 0.15,
                    0.1,
                ),
                serde_json::json!({ "cat": format!("category {i:02}") }),
            )
        })
        .collect();
    let colors = (0..40)
        .map(|i| {
            (
                format!("category {i:02}"),
                format!("#{:02x}{:02x}80", i * 6, 255 - i * 6),
            )
        })
        .collect();
    let style = LayerStyle {
        by_attribute: Some(StyleBy::Categorical {
            property: "cat".into(),
            colors,
            other: "#999999".into(),
        }),
        ..LayerStyle::default()
    };
    for paper in ["a4-landscape", "a4-portrait"] {
        let mut sp = spec(Overlays {
            layers: vec![UserLayer::new(
                "Many categories (synthetic)",
                Layer {
                    name: "many".into(),
                    features: features.clone(),
                },
                style.clone(),
            )],
            annotations: vec![annotation(1, Shape::Point([71.0, 34.3]), "Note")],
        });
        sp.page = PageSpec::paper(paper, 96).unwrap();
        let svg = svg_of(&sp);
        assert!(svg.contains("cat: category 00"), "{paper}");
        assert!(!svg.contains("cat: category 39"), "{paper}: not capped");
        assert!(svg.contains(" more</text>"), "{paper}: no '… N more'");
        assert!(svg.contains(">Annotations (1)</text>"), "{paper}");
        assert!(
            svg.contains("About the data"),
            "{paper}: data note squeezed out"
        );
        assert!(svg.contains("Incidents by event type"), "{paper}");
    }
}

#[test]
fn example_page_renders_to_png() {
    let spec = spec(Overlays {
        layers: vec![UserLayer::new("Zones (synthetic)", zones(), categorical())],
        annotations: vec![annotation(1, Shape::Point([71.0, 34.3]), "Checkpoint")],
    });
    let png = export_map(
        &spec,
        &export_common::layers(),
        &Style::bundled().unwrap(),
        &MapIncidents::default(),
        Format::Png,
    )
    .unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    if let Ok(dir) = std::env::var("ATLAS_OVERLAY_PNG") {
        std::fs::write(PathBuf::from(dir), &png).unwrap();
    }
}
