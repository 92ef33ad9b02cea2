//! Crash safety of project saves: a child process saves a large project over and over
//! and is killed (SIGKILL on Unix) at random moments, 100 times; after every kill the
//! project file must parse and be one complete version (its revision, title, last
//! annotation and embedded layer checksum agree), never a torn file.

use atlas::project::annotations::{Edit, Geometry};
use atlas::project::layers::check_source;
use atlas::project::{LayerState, Project};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_ENV: &str = "ATLAS_PROJECT_CRASH_CHILD";
const KILLS: usize = 100;

/// Title the project carries at revision `rev`.
fn title(rev: u64) -> String {
    format!("crash test revision {rev}")
}

/// Add the annotation that marks revision `rev`.
fn mark(p: &mut Project, rev: u64) {
    let lon = 60.0 + (rev % 1000) as f64 * 0.01;
    p.annotations
        .apply(Edit::Add {
            geometry: Geometry::Point([lon, 32.0]),
            title: format!("mark {rev}"),
            note: format!("saved at revision {rev}"),
        })
        .expect("valid point");
    p.title = title(rev);
}

/// A project of ~0.4 MB: 1,000 annotations and a 64 KiB embedded layer.
fn large_project(dir: &Path) -> Project {
    let mut p = Project::default();
    for i in 0..1000u32 {
        let lon = 60.0 + f64::from(i % 1000) * 0.01;
        p.annotations
            .apply(Edit::Add {
                geometry: Geometry::LineString(vec![
                    [lon, 30.0],
                    [lon + 0.01, 30.5],
                    [lon + 0.02, 31.0],
                ]),
                title: format!("base annotation {i}"),
                note: "x".repeat(200),
            })
            .expect("valid line");
    }
    let blob = dir.join("blob.bin");
    let bytes: Vec<u8> = (0..64 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(&blob, bytes).expect("write blob");
    p.add_embedded_layer("blob", &blob, false).expect("embed");
    p
}

/// Check the file at `path` is one whole version; returns its revision.
fn check_whole(path: &Path, base_annotations: usize) -> u64 {
    let text = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let p = Project::from_json(&text, &path.display().to_string())
        .unwrap_or_else(|e| panic!("torn file: {e}"));
    let rev = p.revision;
    assert_eq!(p.title, title(rev), "title of revision {rev}");
    assert_eq!(
        p.annotations.len(),
        base_annotations + rev as usize - 1,
        "annotations of revision {rev}"
    );
    if rev > 1 {
        let last = p.annotations.items().last().expect("annotations");
        assert_eq!(last.note, format!("saved at revision {rev}"));
    }
    let layer = p.layers.first().expect("embedded layer");
    assert!(matches!(
        check_source(&layer.source, Path::new(".")),
        LayerState::Ok { .. }
    ));
    rev
}

/// The child: save the project at `path` forever, one revision per save.
#[test]
#[ignore = "run by crash_during_save_never_tears_the_project as a child process"]
fn crash_child_saves_forever() {
    let Some(path) = std::env::var_os(CHILD_ENV).map(PathBuf::from) else {
        return;
    };
    let mut p = Project::open(&path).expect("child opens project").project;
    println!("ready");
    loop {
        let next = p.revision + 1;
        mark(&mut p, next);
        p.save(&path).expect("save");
    }
}

#[test]
fn crash_during_save_never_tears_the_project() {
    let dir = std::env::temp_dir().join(format!("atlas-project-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("study.atlas.json");
    let mut p = large_project(&dir);
    let base = p.annotations.len();
    p.title = title(1);
    let t = Instant::now();
    p.save(&path).expect("first save");
    let save_ms = (t.elapsed().as_millis() as u64).max(1);
    assert_eq!(p.revision, 1);
    let size = std::fs::metadata(&path).expect("saved").len();
    assert!(size > 300_000, "large project: {size} bytes");

    let exe = std::env::current_exe().expect("test binary");
    let started = Instant::now();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15 ^ u64::from(std::process::id());
    let (mut last_rev, mut torn_temps) = (1u64, 0usize);
    for kill in 0..KILLS {
        let mut child = Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "crash_child_saves_forever",
                "--nocapture",
            ])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        // Wait until the child has opened the project, then kill it within its first
        // few saves (xorshift), so kills land at any point of a save.
        let out = child.stdout.take().expect("child stdout");
        let ready = BufReader::new(out)
            .lines()
            .map_while(Result::ok)
            .any(|l| l == "ready");
        assert!(ready, "child did not start");
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(seed % (2 * save_ms)));
        child.kill().expect("SIGKILL child");
        child.wait().expect("reap child");

        let rev = check_whole(&path, base);
        assert!(
            rev >= last_rev,
            "kill {kill}: revision went back from {last_rev} to {rev}"
        );
        last_rev = rev;
        if rev > 1 {
            let bak = check_whole(&atlas::project::save::backup_path(&path), base);
            // Equal when the kill fell between keeping the backup and the rename.
            assert!(bak <= rev, "kill {kill}: backup {bak} is newer than {rev}");
        }
        for e in std::fs::read_dir(&dir).expect("list dir").flatten() {
            if e.file_name().to_string_lossy().ends_with(".tmp") {
                torn_temps += 1;
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    eprintln!(
        "{KILLS} kills in {:.1} s (a save takes ~{save_ms} ms); {last_rev} revisions saved; \
         {torn_temps} kills left a half-written temporary file",
        started.elapsed().as_secs_f64()
    );
    assert!(
        last_rev > 10,
        "children saved only {last_rev} revisions: kills did not exercise saving"
    );
    std::fs::remove_dir_all(&dir).ok();
}
