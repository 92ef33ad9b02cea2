//! Hostile project files (issue #8): deep nesting, devices named as layers or opened as
//! projects. Each is a typed error, never a hang, a stack overflow or unbounded reading.

use atlas::project::layers::{check_source, layer_bytes};
use atlas::project::{LayerSource, LayerState, Project, ProjectError};
use std::path::Path;

#[test]
fn nesting_100000_deep_is_a_located_parse_error() {
    let text = format!("{{\"format_version\":1,\"title\":{}", "[".repeat(100_000));
    match Project::from_json(text.as_bytes(), "deep.atlas.json") {
        Err(ProjectError::Parse {
            file,
            line,
            column,
            message,
        }) => {
            assert_eq!((file.as_str(), line), ("deep.atlas.json", 1));
            // serde_json stops at its recursion limit of 128 levels: the top-level
            // object and 127 arrays, the first at column 29.
            assert_eq!(column, 28 + 127);
            assert_eq!(message, "recursion limit exceeded");
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    // Inside an embedded GeoJSON layer, too.
    let text = format!(
        "{{\"format_version\":1,\"layers\":[{{\"id\":\"a\",\"name\":\"a\",\"kind\":\"layer\",\"source\":{{\"type\":\"geojson\",\"file_name\":\"a.geojson\",\"data\":{}}}}}]}}",
        "[".repeat(100_000)
    );
    let e = Project::from_json(text.as_bytes(), "deep.atlas.json").unwrap_err();
    assert!(e.to_string().ends_with(": recursion limit exceeded"), "{e}");
}

#[cfg(unix)]
#[test]
fn a_device_is_never_read_as_a_project_or_a_layer() {
    // Opened as a project: refused before reading (reading /dev/zero never ends).
    match Project::open(Path::new("/dev/zero")) {
        Err(e @ ProjectError::Refused { .. }) => {
            assert_eq!(e.to_string(), "/dev/zero: not a regular file")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Named by a layer: reported missing on open, and an error when its bytes are asked for.
    let source = LayerSource::File {
        path: "/dev/zero".into(),
        absolute: "/dev/zero".into(),
        size: 0,
        sha256: String::new(),
    };
    let dir = std::env::temp_dir();
    assert!(matches!(
        check_source(&source, &dir),
        LayerState::Missing { .. }
    ));
    let e = layer_bytes(&source, &dir, "z").unwrap_err();
    assert_eq!(
        e.to_string(),
        "/dev/zero: reading layer: no regular file there (missing, a directory or a device)"
    );
}
