//! `atlas export-map`: print-quality map pages (PDF, SVG, PNG), batches of views and
//! time-lapses (GIF or MP4 video), through the engine's `atlas::export`.

use anyhow::{bail, Context, Result};
use atlas::date::{format_day, parse_date, Day};
use atlas::export::attribution::{bundled_attribution, load_attribution};
use atlas::export::timelapse::parse_days;
use atlas::export::{
    build_svg, raster, render_gif, render_mp4, BaseLayers, Format, MapIncidents, MapSpec, Overlays,
    PageSpec, Style, Timelapse, UserLayer,
};
use atlas::import::{csv as csv_import, geojson, ImportOptions};
use atlas::IncidentStore;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Export a report map page (PDF, SVG or PNG), a batch of views, or a time-lapse (GIF
/// or MP4).
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// Output file; its extension (.pdf, .svg, .png; .gif or .mp4 with --timelapse)
    /// picks the format.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Map frame as W,S,E,N in degrees (default: the whole border).
    #[arg(long, allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// First day of incidents to draw (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day of incidents to draw (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Incident files (GeoJSON or CSV: ACLED, UCDP GED, lat/lon); default: the bundled sample.
    #[arg(long, num_args = 1..)]
    pub layers: Vec<PathBuf>,
    /// Reference layers to draw over the base map (GeoJSON, or CSV with latitude and
    /// longitude), each in a default colour; added to a project's layers.
    #[arg(long, num_args = 1..)]
    pub overlay: Vec<PathBuf>,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub subtitle: Option<String>,
    /// Notes printed in a block under the map (line breaks start new lines; at most
    /// six lines are printed, longer text is cut and marked).
    #[arg(long)]
    pub notes: Option<String>,
    /// a4-landscape, a4-portrait, a3-landscape, a3-portrait, letter-landscape,
    /// letter-portrait, legal-landscape or legal-portrait.
    #[arg(long, default_value = "a4-landscape")]
    pub paper: String,
    /// Raster resolution, 72–600 (default 300; 72 for GIF, 150 for MP4).
    #[arg(long)]
    pub dpi: Option<u32>,
    /// Custom page width in pixels (with --height-px; overrides --paper).
    #[arg(long, requires = "height_px")]
    pub width_px: Option<u32>,
    #[arg(long, requires = "width_px")]
    pub height_px: Option<u32>,
    /// A views file (.json array of views, or .txt lines `NAME W,S,E,N [FROM TO]`).
    #[arg(long, requires = "out_dir", conflicts_with = "out")]
    pub batch: Option<PathBuf>,
    /// Directory for the batch's files.
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
    /// Format of batch files: pdf, svg or png.
    #[arg(long, default_value = "pdf")]
    pub format: String,
    /// Render a time-lapse of a date window stepping through the data: an animated GIF
    /// (--out FILE.gif) or an H.264 MP4 video (--out FILE.mp4).
    #[arg(long)]
    pub timelapse: bool,
    /// Time-lapse step between frames (e.g. 7d, 2w).
    #[arg(long, default_value = "7d")]
    pub step: String,
    /// Time-lapse window shown by each frame (e.g. 30d).
    #[arg(long, default_value = "30d")]
    pub window: String,
    /// Directory of reference layers to use instead of the data compiled in (default:
    /// $ATLAS_DATA_DIR if set, else the bundled data).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Date printed as "Generated …" (default: today), for reproducible pages.
    #[arg(long)]
    pub generated: Option<String>,
    /// Render from a research project (.atlas.json): its view, time window, filters,
    /// visible incident layers and export preset; other options given here override it.
    #[arg(long, conflicts_with = "layers")]
    pub project: Option<PathBuf>,
    /// The project's export preset to use (default: its first).
    #[arg(long, requires = "project")]
    pub preset: Option<String>,
    /// Attribute filters (set from --project).
    #[arg(skip)]
    pub filter: Option<atlas::filter::Filter>,
    /// User layers and annotations drawn on the page (from --project and --overlay).
    #[arg(skip)]
    pub overlays: Overlays,
}

/// Colours given to `--overlay` layers in turn (ColorBrewer Paired/Dark2, distinct from
/// the incident palette).
pub const OVERLAY_COLORS: [&str; 6] = [
    "#1f78b4", "#6a3d9a", "#33a02c", "#b15928", "#e7298a", "#666666",
];

/// One view of a batch.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct View {
    pub name: String,
    #[serde(default)]
    pub bbox: Option<[f64; 4]>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub paper: Option<String>,
    #[serde(default)]
    pub dpi: Option<u32>,
    #[serde(default)]
    pub format: Option<String>,
}

/// Run the subcommand.
pub fn run(args: &Args) -> Result<()> {
    let mut args = args.clone();
    let project_store = match args.project.clone() {
        Some(p) => {
            let fx = crate::project::for_export(&p, &mut args)?;
            args.filter = Some(fx.filter);
            args.overlays = fx.overlays;
            Some(fx.store)
        }
        None => None,
    };
    let top = args.overlays.layers.iter().map(|l| l.style.order).max();
    for (i, f) in args.overlay.iter().enumerate() {
        let name = f.display().to_string();
        let bytes = std::fs::read(f).with_context(|| format!("reading {name}"))?;
        let layer = crate::project::read_reference(&bytes, &name)?;
        let style = atlas::project::LayerStyle {
            color: OVERLAY_COLORS[i % OVERLAY_COLORS.len()].to_string(),
            size: 2.5,
            order: top.map_or(i as i32, |t| t.saturating_add(1 + i as i32)),
            ..Default::default()
        };
        let title = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(name);
        args.overlays
            .layers
            .push(UserLayer::new(title, layer, style));
    }
    let args = &args;
    let data_dir = find_data_dir(args.data_dir.as_deref());
    let (layers, attribution) = match &data_dir {
        Some(dir) => {
            let layers = BaseLayers::load_dir(dir)?;
            if layers.border.is_empty() {
                eprintln!(
                    "warning: no border.geojson in {}: pages will lack the border",
                    dir.display()
                );
            }
            (layers, load_attribution(dir))
        }
        None => (BaseLayers::bundled()?, bundled_attribution()),
    };
    let style = Style::bundled()?;
    let store = match project_store {
        Some(s) => s,
        None => load_incidents(&args.layers, data_dir.as_deref())?,
    };

    if let Some(batch) = &args.batch {
        let out_dir = args.out_dir.as_deref().context("--batch needs --out-dir")?;
        let views = read_views(batch)?;
        std::fs::create_dir_all(out_dir)
            .with_context(|| format!("creating {}", out_dir.display()))?;
        for v in &views {
            let ext = v.format.as_deref().unwrap_or(&args.format);
            let format = Format::from_path(Path::new(&format!("x.{ext}")))?;
            if format.is_timelapse() {
                bail!(
                    "view {:?}: batch views are pages (pdf, svg, png), not time-lapses",
                    v.name
                );
            }
            if v.name.is_empty() || v.name.contains(['/', '\\']) || v.name.starts_with('.') {
                bail!("view name {:?} is not a plain file name", v.name);
            }
            let out = out_dir.join(format!("{}.{}", v.name, format.extension()));
            let mut a = args.clone();
            a.bbox = v
                .bbox
                .map(|b| format!("{},{},{},{}", b[0], b[1], b[2], b[3]));
            a.from = v.from.clone().or(a.from);
            a.to = v.to.clone().or(a.to);
            a.title = v.title.clone().or(a.title);
            a.subtitle = v.subtitle.clone().or(a.subtitle);
            a.notes = v.notes.clone().or(a.notes);
            a.paper = v.paper.clone().unwrap_or(a.paper);
            a.dpi = v.dpi.or(a.dpi);
            export_one(&a, &out, format, &layers, &style, &attribution, &store)
                .with_context(|| format!("view {:?}", v.name))?;
            println!("{}", out.display());
        }
        return Ok(());
    }
    let out = args
        .out
        .as_deref()
        .context("give --out FILE (.pdf, .svg, .png, .gif, .mp4) or --batch")?;
    let format = Format::from_path(out)?;
    if args.timelapse != format.is_timelapse() {
        bail!("--timelapse writes a .gif or an .mp4, and a .gif or .mp4 needs --timelapse");
    }
    export_one(args, out, format, &layers, &style, &attribution, &store)?;
    println!("{}", out.display());
    Ok(())
}

fn export_one(
    args: &Args,
    out: &Path,
    format: Format,
    layers: &BaseLayers,
    style: &Style,
    attribution: &[String],
    store: &IncidentStore,
) -> Result<()> {
    let dpi = args.dpi.unwrap_or(match format {
        Format::Gif => 72,
        Format::Mp4 => 150,
        _ => 300,
    });
    let page = match (args.width_px, args.height_px) {
        (Some(w), Some(h)) => PageSpec::pixels(w, h, dpi)?,
        _ => PageSpec::paper(&args.paper, dpi)?,
    };
    let mut spec = MapSpec::new(page);
    spec.bbox = args.bbox.as_deref().map(parse_bbox).transpose()?;
    spec.from = args.from.as_deref().map(|d| day(d, "--from")).transpose()?;
    spec.to = args.to.as_deref().map(|d| day(d, "--to")).transpose()?;
    if let (Some(a), Some(b)) = (spec.from, spec.to) {
        if b < a {
            bail!("--to {} is before --from {}", format_day(b), format_day(a));
        }
    }
    if let Some(t) = &args.title {
        spec.title = t.clone();
    }
    spec.subtitle = args.subtitle.clone().unwrap_or_default();
    spec.notes = args.notes.clone().unwrap_or_default();
    if let Some(g) = &args.generated {
        spec.generated = g.clone();
    }
    spec.attribution = attribution.to_vec();
    spec.overlays = args.overlays.clone();
    let rows = match &args.filter {
        Some(f) => {
            spec.filters = crate::project::filter_words(f);
            filtered_rows(store, f, spec.from, spec.to)?
        }
        None => select_rows(store, spec.from, spec.to),
    };
    let incidents = MapIncidents::from_store(store, &rows);
    let lapse = || -> Result<Timelapse> {
        Ok(Timelapse {
            step_days: parse_days(&args.step)?,
            window_days: parse_days(&args.window)?,
            ..Default::default()
        })
    };
    let bytes = match format {
        Format::Gif => render_gif(&spec, layers, style, &incidents, &lapse()?)?,
        Format::Mp4 => render_mp4(&spec, layers, style, &incidents, &lapse()?)?,
        Format::Svg => build_svg(&spec, layers, style, &incidents)?.into_bytes(),
        Format::Png => raster::svg_to_png(&build_svg(&spec, layers, style, &incidents)?, &page)?,
        Format::Pdf => raster::svg_to_pdf(&build_svg(&spec, layers, style, &incidents)?)?,
    };
    std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))?;
    Ok(())
}

/// Live rows whose days overlap `from..=to`.
fn select_rows(store: &IncidentStore, from: Option<Day>, to: Option<Day>) -> Vec<u32> {
    (0..store.len() as u32)
        .filter(|&r| {
            let i = r as usize;
            store.is_live(r)
                && from.is_none_or(|f| store.day_end[i] >= f)
                && to.is_none_or(|t| store.day_start[i] <= t)
        })
        .collect()
}

/// Live rows matching a project's filter within `from..=to` (the frame clips the rest).
fn filtered_rows(
    store: &IncidentStore,
    f: &atlas::filter::Filter,
    from: Option<Day>,
    to: Option<Day>,
) -> Result<Vec<u32>> {
    let f = atlas::filter::Filter {
        from,
        to,
        bbox: None,
        ..f.clone()
    };
    let analytics = match f.border_km_max {
        Some(_) => Some(atlas::analytics::Analytics::compute(store)?),
        None => None,
    };
    Ok(atlas::index::select(
        store,
        None,
        &f,
        analytics.as_ref().map(|a| a.border_km()),
    )?)
}

fn day(s: &str, what: &str) -> Result<Day> {
    parse_date(s).with_context(|| format!("{what} {s:?} is not a date (use YYYY-MM-DD)"))
}

/// `W,S,E,N` in degrees.
pub fn parse_bbox(s: &str) -> Result<[f64; 4]> {
    let parts: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .with_context(|| format!("--bbox {s:?}: expected four numbers W,S,E,N"))?;
    let b: [f64; 4] = parts
        .try_into()
        .map_err(|_| anyhow::anyhow!("--bbox {s:?}: expected four numbers W,S,E,N"))?;
    atlas::export::projection::check_bbox(b)?;
    Ok(b)
}

/// Views from a .json array or a .txt file of `NAME W,S,E,N [FROM TO]` lines.
pub fn read_views(path: &Path) -> Result<Vec<View>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        return serde_json::from_str(&text)
            .with_context(|| format!("{}: expected a JSON array of views", path.display()));
    }
    let mut views = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        let at = || format!("{}:{}", path.display(), i + 1);
        if f.len() != 2 && f.len() != 4 {
            bail!("{}: expected `NAME W,S,E,N [FROM TO]`", at());
        }
        views.push(View {
            name: f[0].to_string(),
            bbox: Some(parse_bbox(f[1]).with_context(at)?),
            from: f.get(2).map(|s| s.to_string()),
            to: f.get(3).map(|s| s.to_string()),
            ..Default::default()
        });
    }
    if views.is_empty() {
        bail!("{}: no views", path.display());
    }
    Ok(views)
}

/// Incidents from the given files (through the engine's importers, lenient: bad rows
/// are reported on stderr), or the bundled sample (from `data_dir`, else compiled in).
fn load_incidents(files: &[PathBuf], data_dir: Option<&Path>) -> Result<IncidentStore> {
    let opts = ImportOptions::lenient();
    if files.is_empty() {
        let sample = data_dir.map(|d| d.join("incidents-sample.geojson"));
        return Ok(match sample.filter(|p| p.exists()) {
            Some(p) => geojson::read_incidents(&p, &opts)?.0,
            None => {
                geojson::incidents_from_bytes(
                    atlas::bundled::INCIDENTS_SAMPLE,
                    atlas::bundled::INCIDENTS_SAMPLE_NAME,
                    &opts,
                )?
                .0
            }
        });
    }
    let mut store = IncidentStore::default();
    for f in files {
        let is_csv = f.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let report = if is_csv {
            csv_import::read_incidents_file(f, &mut store, &opts, &Default::default())?.report
        } else {
            geojson::import_incidents_into(&mut store, f, &opts)?
        };
        if report.problem_count > 0 {
            eprintln!(
                "{}: {} record(s) rejected; first problems:",
                f.display(),
                report.rejected
            );
            for p in report.problems.iter().take(5) {
                eprintln!("  {p}");
            }
        }
    }
    Ok(store)
}

/// `--data-dir`, else `$ATLAS_DATA_DIR`; `None` means the data compiled into the engine.
fn find_data_dir(given: Option<&Path>) -> Option<PathBuf> {
    given
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("ATLAS_DATA_DIR").map(PathBuf::from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn args(list: &[&str]) -> Args {
        let mut v = vec!["export-map"];
        v.extend(list);
        Cli::try_parse_from(v).unwrap().args
    }

    #[test]
    fn exports_pages_and_batches_and_rejects_bad_arguments() {
        let dir = std::env::temp_dir().join(format!("atlas-export-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let svg = dir.join("page.svg");
        let svg_s = svg.to_str().unwrap();
        run(&args(&[
            "--out",
            svg_s,
            "--bbox",
            "70.5,33.8,71.6,34.5",
            "--title",
            "Torkham test",
            "--generated",
            "2025-11-01",
        ]))
        .unwrap();
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(
            text.starts_with("<svg")
                && text.contains("Torkham test")
                && text.contains("Generated 2025-11-01")
        );

        let views = dir.join("views.json");
        std::fs::write(&views, r#"[{"name":"north","bbox":[70.5,34.5,74.8,37.2],"format":"svg"},{"name":"south","bbox":[60.8,29.0,67.5,31.8],"paper":"a4-portrait","format":"svg"}]"#).unwrap();
        let out_dir = dir.join("batch");
        run(&args(&[
            "--batch",
            views.to_str().unwrap(),
            "--out-dir",
            out_dir.to_str().unwrap(),
        ]))
        .unwrap();
        let south = std::fs::read_to_string(out_dir.join("south.svg")).unwrap();
        assert!(south.contains(r#"width="210mm" height="297mm""#));
        assert!(out_dir.join("north.svg").exists());

        for (bad, why) in [
            (vec!["--out", svg_s, "--dpi", "10"], "dpi 10"),
            (
                vec!["--out", svg_s, "--paper", "a5-portrait"],
                "unknown paper",
            ),
            (
                vec!["--out", svg_s, "--bbox", "72,30,70,35"],
                "bounding box",
            ),
            (vec!["--out", svg_s, "--from", "2025-13-45"], "not a date"),
            (
                vec!["--out", dir.join("x.gif").to_str().unwrap()],
                "--timelapse",
            ),
            (
                vec!["--out", dir.join("x.jpg").to_str().unwrap()],
                "output format",
            ),
        ] {
            let err = run(&args(&bad)).unwrap_err();
            assert!(format!("{err:#}").contains(why), "{bad:?}: {err:#}");
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn bbox_and_views() {
        assert_eq!(
            parse_bbox("70,33.5,72,35").unwrap(),
            [70.0, 33.5, 72.0, 35.0]
        );
        assert!(parse_bbox("70,33.5,72").is_err());
        assert!(parse_bbox("72,33,70,35").is_err());
        let dir = std::env::temp_dir().join(format!("atlas-views-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let txt = dir.join("v.txt");
        std::fs::write(
            &txt,
            "# views\ntorkham 70.5,33.8,71.6,34.5\nchaman 66,30.5,67,31.3 2025-10-01 2025-10-31\n",
        )
        .unwrap();
        let v = read_views(&txt).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].from.as_deref(), Some("2025-10-01"));
        std::fs::write(&txt, "bad 1,2\n").unwrap();
        assert!(read_views(&txt).is_err());
        std::fs::remove_dir_all(&dir).ok();
    }
}
