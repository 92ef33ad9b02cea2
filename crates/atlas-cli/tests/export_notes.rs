//! `atlas export-map --notes TEXT` and a project preset's notes: printed in the page's
//! notes block, as text in the PDF (pdftotext).

use assert_cmd::Command;
use atlas::project::{ExportPreset, Project};
use std::path::{Path, PathBuf};

fn atlas() -> Command {
    Command::cargo_bin("atlas").unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("atlas-cli-notes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The PDF's text, or `None` when poppler's pdftotext is not installed.
fn pdf_text(pdf: &Path) -> Option<String> {
    match std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
    {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ => {
            eprintln!("SKIPPED: pdftotext not available; install poppler-utils to check PDF text");
            None
        }
    }
}

#[test]
fn notes_flag_prints_a_wrapped_notes_block_in_the_pdf() {
    let d = temp_dir("flag");
    let pdf = d.join("page.pdf");
    let notes = "Fieldwork notes (test): the first paragraph is long enough to wrap onto a second line of the notes block on an A4 portrait page, which is narrower than a landscape one; this sentence only makes it long enough to need a second line on any paper.\nSecond paragraph: sample data only.";
    atlas()
        .args([
            "export-map",
            "--paper",
            "a4-portrait",
            "--dpi",
            "96",
            "--generated",
            "2025-11-01",
            "--notes",
            notes,
            "--out",
        ])
        .arg(&pdf)
        .assert()
        .success();
    if let Some(text) = pdf_text(&pdf) {
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let flat = words(&text);
        assert!(
            flat.contains("Notes Fieldwork notes (test): the first paragraph"),
            "{text}"
        );
        assert!(
            flat.contains("Second paragraph: sample data only."),
            "{text}"
        );
        // Wrapped: the first paragraph's words are on more than one line.
        let line = text
            .lines()
            .find(|l| l.contains("Fieldwork notes (test)"))
            .expect("first line of the notes");
        assert!(!line.contains("on any paper."), "not wrapped: {line}");
        // Not in the data note as before.
        assert!(!flat.contains("Note: Fieldwork"));
    }
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn a_project_preset_keeps_its_notes_and_the_flag_overrides_them() {
    let d = temp_dir("preset");
    let mut p = Project {
        title: "Notes fixture".into(),
        ..Project::default()
    };
    p.view.bounds = Some([70.3, 33.7, 71.7, 34.6]);
    p.export_presets.push(ExportPreset {
        name: "report".into(),
        notes: "Preset notes: kept with the project.".into(),
        ..ExportPreset::default()
    });
    let f = d.join("study.atlas.json");
    std::fs::write(&f, serde_json::to_string_pretty(&p).unwrap()).unwrap();
    let svg = d.join("page.svg");
    for (extra, want, not) in [
        (
            None,
            "Preset notes: kept with the project.",
            "From the flag.",
        ),
        (
            Some("From the flag."),
            "From the flag.",
            "Preset notes: kept with the project.",
        ),
    ] {
        let mut cmd = atlas();
        cmd.args(["export-map", "--generated", "2025-11-01", "--project"])
            .arg(&f)
            .arg("--out")
            .arg(&svg);
        if let Some(n) = extra {
            cmd.args(["--notes", n]);
        }
        cmd.assert().success();
        let page = std::fs::read_to_string(&svg).unwrap();
        let block = &page[page.find(r#"<g id="notes">"#).expect("notes block")..];
        assert!(block.contains(want), "{want:?} missing");
        assert!(!page.contains(not), "{not:?} present");
    }
    std::fs::remove_dir_all(&d).ok();
}
