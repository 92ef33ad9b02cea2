//! `atlas project info|check FILE`: what a research project holds and whether its
//! layer files are where and as they were; and loading a project for
//! `atlas export-map --project`.

use anyhow::{bail, Context, Result};
use atlas::date::format_day;
use atlas::export::{Overlays, UserLayer};
use atlas::filter::Filter;
use atlas::import::{csv as csv_import, geojson, FileFormat, ImportOptions};
use atlas::model::Layer;
use atlas::project::layers::{layer_bytes, project_dir};
use atlas::project::{LayerKind, LayerSource, LayerState, OpenOutcome, Project, ProjectLayer};
use atlas::IncidentStore;
use std::path::{Path, PathBuf};

/// Inspect a research project file (.atlas.json).
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(clap::Subcommand, Debug)]
pub enum Sub {
    /// Format version, title, layers with status ok/missing/changed, annotations, presets.
    Info {
        file: PathBuf,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Exit 1 if a layer file is missing or changed or anything else is wrong; one line per problem.
    Check { file: PathBuf },
    /// The project's annotations as an RFC 7946 GeoJSON FeatureCollection.
    Annotations {
        file: PathBuf,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Run the subcommand; `false` when `check` found problems.
pub fn run(args: &Args) -> Result<bool> {
    match &args.command {
        Sub::Info { file, json } => {
            let o = open(file)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&info_json(&o))?);
            } else {
                print!("{}", info_text(file, &o));
            }
            Ok(true)
        }
        Sub::Check { file } => {
            let o = open(file)?;
            for p in &o.problems {
                println!("{}: {p}", file.display());
            }
            if let Some(r) = &o.recovery_available {
                println!(
                    "{}: a newer autosave exists: {}",
                    file.display(),
                    r.display()
                );
            }
            if o.problems.is_empty() {
                println!(
                    "{}: ok ({} layers, {} annotations)",
                    file.display(),
                    o.layers.len(),
                    o.project.annotations.len()
                );
            }
            Ok(o.problems.is_empty())
        }
        Sub::Annotations { file, out } => {
            let o = open(file)?;
            let text = serde_json::to_string_pretty(&o.project.annotations.to_geojson())?;
            match out {
                Some(p) => std::fs::write(p, text + "\n")
                    .with_context(|| format!("writing {}", p.display()))?,
                None => println!("{text}"),
            }
            Ok(true)
        }
    }
}

fn open(file: &Path) -> Result<OpenOutcome> {
    Ok(Project::open(file)?)
}

fn source_text(l: &ProjectLayer) -> String {
    match &l.source {
        LayerSource::File { path, .. } => path.clone(),
        LayerSource::Base64 { file_name, .. } => format!("embedded {file_name} (base64)"),
        LayerSource::Geojson { file_name, .. } => format!("embedded {file_name} (GeoJSON)"),
    }
}

fn info_text(file: &Path, o: &OpenOutcome) -> String {
    let p = &o.project;
    let mut s = format!(
        "{}\n  format version {} (written by Border Atlas {}), revision {}, modified {}\n",
        file.display(),
        p.format_version,
        p.app_version,
        p.revision,
        p.modified
    );
    if !p.title.is_empty() {
        s += &format!("  title: {}\n", p.title);
    }
    s += &format!("  layers: {}\n", p.layers.len());
    for (l, st) in p.layers.iter().zip(&o.layers) {
        let kind = match l.kind {
            LayerKind::Incidents => "incidents",
            LayerKind::Reference => "reference",
        };
        let hidden = if l.style.visible { "" } else { ", hidden" };
        s += &format!(
            "    {:<10} {} [{kind}{hidden}] {}\n",
            st.label(),
            l.id,
            source_text(l)
        );
    }
    s += &format!("  annotations: {}\n", p.annotations.len());
    let tw = &p.time_window;
    if tw.from.is_some() || tw.to.is_some() {
        let d = |x: Option<i32>| x.map(format_day).unwrap_or_else(|| "…".into());
        s += &format!("  time window: {} to {}\n", d(tw.from), d(tw.to));
    }
    for f in filter_words(&p.filter) {
        s += &format!("  filter: {f}\n");
    }
    let v = &p.view;
    s += &format!(
        "  view: center {}, {} zoom {}\n",
        v.center[0], v.center[1], v.zoom
    );
    for e in &p.export_presets {
        s += &format!(
            "  export preset {:?}: {} {} dpi {}\n",
            e.name, e.paper, e.dpi, e.format
        );
    }
    if let Some(r) = &o.recovery_available {
        s += &format!("  newer autosave: {}\n", r.display());
    }
    for pr in &o.problems {
        s += &format!("  problem: {pr}\n");
    }
    s
}

fn info_json(o: &OpenOutcome) -> serde_json::Value {
    let p = &o.project;
    let layers: Vec<_> = p
        .layers
        .iter()
        .zip(&o.layers)
        .map(|(l, st)| {
            serde_json::json!({
                "id": l.id, "name": l.name, "kind": l.kind, "visible": l.style.visible,
                "source": source_text(l), "status": st.label(), "detail": st,
            })
        })
        .collect();
    serde_json::json!({
        "format_version": p.format_version,
        "app_version": p.app_version,
        "revision": p.revision,
        "title": p.title,
        "modified": p.modified,
        "layers": layers,
        "annotations": p.annotations.len(),
        "export_presets": p.export_presets.iter().map(|e| &e.name).collect::<Vec<_>>(),
        "recovery_available": o.recovery_available,
        "problems": o.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
    })
}

/// A filter in words, for the page's data note and `info` (see [`Filter::words`]).
pub fn filter_words(f: &Filter) -> Vec<String> {
    f.words()
}

/// What `export-map --project` takes from a project.
pub struct ForExport {
    /// The visible incident layers, loaded.
    pub store: IncidentStore,
    /// The project's attribute filters (dates and box come from the time window and view).
    pub filter: Filter,
    /// The visible reference layers, loaded, with their styles; and the annotations.
    pub overlays: Overlays,
}

/// A reference layer from its bytes: CSV (latitude/longitude columns) or GeoJSON, by
/// the name's extension or else the first byte. Rejected records are reported on stderr.
pub fn read_reference(bytes: &[u8], name: &str) -> Result<Layer> {
    let opts = ImportOptions::lenient();
    let head = &bytes[..bytes.len().min(64)];
    let (layer, report) = match FileFormat::of_name_and_head(name, head) {
        FileFormat::Csv => csv_import::read_layer(bytes, name, &opts, &Default::default()),
        FileFormat::GeoJson => geojson::layer_from_reader(bytes, name, &opts),
    }
    .with_context(|| format!("reading layer {name}"))?;
    if report.rejected > 0 {
        eprintln!("warning: {name}: {} feature(s) rejected", report.rejected);
    }
    Ok(layer)
}

fn source_name(l: &ProjectLayer) -> String {
    match &l.source {
        LayerSource::File { path, .. } => path.clone(),
        LayerSource::Base64 { file_name, .. } | LayerSource::Geojson { file_name, .. } => {
            file_name.clone()
        }
    }
}

/// Fill export arguments the command line left unset from the project at `path`: map
/// frame (view), time window, title/subtitle/notes/paper/dpi (the preset named `preset`, else
/// the first), and load its visible incident layers. Missing and changed layers are
/// reported on stderr; missing ones are left out.
pub fn for_export(path: &Path, args: &mut crate::export_map::Args) -> Result<ForExport> {
    let o = open(path)?;
    for p in &o.problems {
        eprintln!("warning: {}: {p}", path.display());
    }
    let p = o.project;
    if args.bbox.is_none() {
        let [w, s, e, n] = p.view.export_bbox();
        args.bbox = Some(format!("{w},{s},{e},{n}"));
    }
    let from = p.time_window.from.or(p.filter.from);
    let to = p.time_window.to.or(p.filter.to);
    args.from = args.from.take().or(from.map(format_day));
    args.to = args.to.take().or(to.map(format_day));
    let preset = match &args.preset {
        Some(name) => Some(
            p.export_presets
                .iter()
                .find(|e| &e.name == name)
                .with_context(|| format!("{}: no export preset named {name:?}", path.display()))?,
        ),
        None => p.export_presets.first(),
    };
    if let Some(e) = preset {
        if args.title.is_none() && !e.title.is_empty() {
            args.title = Some(e.title.clone());
        }
        if args.subtitle.is_none() && !e.subtitle.is_empty() {
            args.subtitle = Some(e.subtitle.clone());
        }
        if args.notes.is_none() && !e.notes.is_empty() {
            args.notes = Some(e.notes.clone());
        }
        // `--paper` only overrides the preset when it is not the default.
        if args.paper == "a4-landscape" && !e.paper.is_empty() {
            args.paper = e.paper.clone();
        }
        args.dpi = args.dpi.or(Some(e.dpi).filter(|&d| d > 0));
        if args.out.is_none() && args.batch.is_none() {
            let stem = path.file_name().unwrap_or_default().to_string_lossy();
            let stem = stem
                .strip_suffix(".atlas.json")
                .or(stem.strip_suffix(".json"))
                .unwrap_or(&stem);
            args.out = Some(PathBuf::from(format!("{stem}.{}", e.format)));
        }
    } else if args.title.is_none() && !p.title.is_empty() {
        args.title = Some(p.title.clone());
    }
    if !args.layers.is_empty() {
        bail!("--layers and --project both name the data: give one");
    }
    let dir = project_dir(path);
    let mut store = IncidentStore::default();
    let mut layers: Vec<(&ProjectLayer, &LayerState)> = p
        .layers
        .iter()
        .zip(&o.layers)
        .filter(|(l, _)| l.kind == LayerKind::Incidents && l.style.visible)
        .collect();
    layers.sort_by_key(|(l, _)| l.style.order);
    let opts = ImportOptions::lenient();
    for (l, st) in layers {
        if matches!(
            st,
            LayerState::Missing { .. } | LayerState::Unreadable { .. }
        ) {
            continue;
        }
        let name = source_name(l);
        let bytes = layer_bytes(&l.source, &dir, &l.id)?;
        let is_csv = name.to_ascii_lowercase().ends_with(".csv");
        let report = if is_csv {
            csv_import::read_incidents(&bytes[..], &name, &mut store, &opts, &Default::default())
                .with_context(|| format!("layer {:?}", l.id))?
                .report
        } else {
            geojson::import_incidents_from_reader_into(&mut store, &bytes[..], &name, &opts)
                .with_context(|| format!("layer {:?}", l.id))?
        };
        if report.rejected > 0 {
            eprintln!(
                "warning: layer {:?} ({name}): {} record(s) rejected",
                l.id, report.rejected
            );
        }
    }
    let mut overlays = Overlays {
        layers: Vec::new(),
        annotations: p.annotations.items().to_vec(),
    };
    for (l, st) in p.layers.iter().zip(&o.layers) {
        let usable = !matches!(
            st,
            LayerState::Missing { .. } | LayerState::Unreadable { .. }
        );
        if l.kind != LayerKind::Reference || !l.style.visible || !usable {
            continue;
        }
        let bytes = layer_bytes(&l.source, &dir, &l.id)?;
        let layer =
            read_reference(&bytes, &source_name(l)).with_context(|| format!("layer {:?}", l.id))?;
        let name = if l.name.is_empty() { &l.id } else { &l.name };
        overlays
            .layers
            .push(UserLayer::new(name.clone(), layer, l.style.clone()));
    }
    Ok(ForExport {
        store,
        filter: p.filter,
        overlays,
    })
}
