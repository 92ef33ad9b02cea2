//! `atlas export-map --timelapse --out FILE.mp4`: an H.264 MP4 (checked with ffprobe
//! when it is installed), one frame per window; an .mp4 needs --timelapse.

use assert_cmd::Command;

fn atlas() -> Command {
    Command::cargo_bin("atlas").unwrap()
}

#[test]
fn timelapse_to_mp4_by_extension() {
    let d = std::env::temp_dir().join(format!("atlas-cli-mp4-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let out = d.join("lapse.mp4");
    atlas()
        .args([
            "export-map",
            "--timelapse",
            "--from",
            "2025-10-11",
            "--to",
            "2025-10-19",
            "--step",
            "3d",
            "--window",
            "3d",
            "--dpi",
            "72",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[4..8], b"ftyp");
    match std::process::Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-select_streams", "v:0"])
        .args([
            "-show_entries",
            "stream=codec_name,width,height,nb_read_frames",
        ])
        .args(["-of", "default=nw=1"])
        .arg(&out)
        .output()
    {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            // 2025-10-11..19 in 3-day windows: 11–13, 14–16, 17–19.
            for want in [
                "codec_name=h264",
                "width=842",
                "height=596",
                "nb_read_frames=3",
            ] {
                assert!(text.contains(want), "ffprobe: {text}");
            }
        }
        _ => eprintln!("SKIPPED: ffprobe not available (Debian package ffmpeg) to read the MP4"),
    }
    atlas()
        .args(["export-map", "--out"])
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicates::str::contains("needs --timelapse"));
    std::fs::remove_dir_all(&d).ok();
}
