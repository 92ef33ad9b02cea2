//! The export dialog: a live preview (a small PNG, as raw bytes over IPC) and the export
//! itself (PDF, SVG, PNG or a time-lapse GIF or MP4 video) of what the view shows — its extent, the
//! filters and time window, the visible layers — built by the engine's page builder, so
//! the app and `atlas export-map` give the same page.

use crate::dialogs::save_target;
use crate::grants::Grants;
use crate::state::{AppError, AppResult, AppState};
use atlas::export::{
    self, projection::check_bbox, render_gif, render_mp4, BaseLayers, Format, MapIncidents,
    MapSpec, PageSpec, Style, Timelapse,
};
use atlas::export::{Overlays, UserLayer};
use atlas::filter::Filter;
use atlas::project::annotations::Annotation;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::OnceLock;

/// What the dialog asks for.
#[derive(Debug, Clone, Deserialize)]
pub struct ExportRequest {
    /// A paper name (`a4-landscape`, …) or `custom` (then `width_px` × `height_px`).
    pub paper: String,
    pub width_px: Option<u32>,
    pub height_px: Option<u32>,
    pub dpi: u32,
    /// `pdf`, `svg`, `png`, `gif` or `mp4`.
    pub format: String,
    pub title: String,
    #[serde(default)]
    pub subtitle: String,
    #[serde(default)]
    pub notes: String,
    /// The map view `[west, south, east, north]`.
    pub bbox: [f64; 4],
    /// The current filters and time window.
    pub filter: Filter,
    /// Time-lapse: days the window moves per frame and its length.
    #[serde(default)]
    pub step_days: Option<i32>,
    #[serde(default)]
    pub window_days: Option<i32>,
}

/// What an export wrote.
#[derive(Debug, Serialize)]
pub struct ExportResult {
    pub path: String,
    pub bytes: usize,
    pub ms: u128,
    pub incidents: usize,
}

fn bad(msg: impl Into<String>) -> AppError {
    AppError::BadArgument(msg.into())
}

fn engine(e: impl std::fmt::Display) -> AppError {
    AppError::Engine(e.to_string())
}

/// Base layers and style, parsed once.
fn assets() -> AppResult<&'static (BaseLayers, Style)> {
    static ASSETS: OnceLock<Result<(BaseLayers, Style), String>> = OnceLock::new();
    ASSETS
        .get_or_init(|| {
            let l = BaseLayers::bundled().map_err(|e| e.to_string())?;
            let s = Style::bundled().map_err(|e| e.to_string())?;
            Ok((l, s))
        })
        .as_ref()
        .map_err(|e| AppError::Engine(e.clone()))
}

fn format_of(s: &str) -> AppResult<Format> {
    match s {
        "pdf" => Ok(Format::Pdf),
        "svg" => Ok(Format::Svg),
        "png" => Ok(Format::Png),
        "gif" => Ok(Format::Gif),
        "mp4" => Ok(Format::Mp4),
        other => Err(bad(format!(
            "export format {other:?} (pdf, svg, png, gif or mp4)"
        ))),
    }
}

/// Check the request and build the page's inputs.
pub fn prepare(
    state: &AppState,
    r: &ExportRequest,
    annotations: &[Annotation],
) -> AppResult<(MapSpec, MapIncidents)> {
    if !(72..=600).contains(&r.dpi) {
        return Err(bad(format!("{} dpi (72 to 600)", r.dpi)));
    }
    let page = if r.paper == "custom" {
        let (w, h) = (r.width_px.unwrap_or(0), r.height_px.unwrap_or(0));
        if !(100..=20_000).contains(&w) || !(100..=20_000).contains(&h) {
            return Err(bad(format!("custom size {w} × {h} px (100 to 20000 each)")));
        }
        PageSpec::pixels(w, h, r.dpi).map_err(|e| bad(e.to_string()))?
    } else {
        PageSpec::paper(&r.paper, r.dpi).map_err(|e| bad(e.to_string()))?
    };
    for (what, text, max) in [
        ("title", &r.title, 300),
        ("subtitle", &r.subtitle, 500),
        ("notes", &r.notes, 2000),
    ] {
        if text.chars().count() > max {
            return Err(bad(format!("{what} longer than {max} characters")));
        }
    }
    check_bbox(r.bbox).map_err(|e| bad(e.to_string()))?;
    crate::commands::view::validate(&r.filter)?;
    let d = state.dataset()?;
    let mut f = r.filter.clone();
    f.bbox = None;
    let rows = crate::commands::info::select(&d, &f)?;
    let mut spec = MapSpec::new(page);
    spec.bbox = Some(r.bbox);
    if !r.title.trim().is_empty() {
        spec.title = r.title.trim().to_string();
    }
    spec.subtitle = r.subtitle.trim().to_string();
    spec.from = f.from;
    spec.to = f.to;
    spec.filters = f.words();
    spec.notes = r.notes.trim().to_string();
    // What the view shows: the researcher's layers in their styles (hidden ones are skipped
    // by the page builder) and the annotations.
    let layers = state
        .layers
        .read()
        .map_err(|_| AppError::Engine("layer lock poisoned".into()))?;
    let mut user = Vec::new();
    for l in layers.iter() {
        let m = l.meta()?;
        user.push(UserLayer::new(m.name, with_join_counts(l)?, m.style));
    }
    spec.overlays = Overlays {
        layers: user,
        annotations: annotations.to_vec(),
    };
    Ok((spec, MapIncidents::from_store(d.store(), &rows)))
}

/// Render the page in the requested format.
pub fn render(spec: &MapSpec, inc: &MapIncidents, r: &ExportRequest) -> AppResult<Vec<u8>> {
    let (layers, style) = assets()?;
    let format = format_of(&r.format)?;
    if format.is_timelapse() {
        let t = Timelapse {
            step_days: r.step_days.unwrap_or(7).clamp(1, 3650),
            window_days: r.window_days.unwrap_or(7).clamp(1, 3650),
            ..Timelapse::default()
        };
        let out = if format == Format::Gif {
            render_gif(spec, layers, style, inc, &t)
        } else {
            render_mp4(spec, layers, style, inc, &t)
        };
        return out.map_err(engine);
    }
    export::export_map(spec, layers, style, inc, format).map_err(engine)
}

/// A preview PNG about `width` pixels wide (the page at a low resolution).
pub fn preview_impl(
    state: &AppState,
    r: &ExportRequest,
    width: u32,
    annotations: &[Annotation],
) -> AppResult<Vec<u8>> {
    let (mut spec, inc) = prepare(state, r, annotations)?;
    let width = width.clamp(200, 1600) as f64;
    let dpi = (width / (spec.page.width_mm / 25.4)).clamp(10.0, 600.0);
    spec.page.dpi = dpi.round() as u32;
    let (layers, style) = assets()?;
    export::export_map(&spec, layers, style, &inc, Format::Png).map_err(engine)
}

#[tauri::command]
pub async fn export_preview(
    state: tauri::State<'_, AppState>,
    projects: tauri::State<'_, crate::project::Projects>,
    request: ExportRequest,
    width: u32,
) -> AppResult<tauri::ipc::Response> {
    let notes = annotations_of(&projects)?;
    let bytes = preview_impl(&state, &request, width, &notes)?;
    Ok(tauri::ipc::Response::new(bytes))
}

/// The layer as the map draws it: with the last join's counts as the properties
/// `incidents` and `fatalities` (the map gets them in its tiles), so a choropleth exports
/// as it is shown.
fn with_join_counts(l: &crate::layers::AppLayer) -> AppResult<atlas::model::Layer> {
    let mut layer = l.layer.clone();
    let join = l
        .join
        .read()
        .map_err(|_| AppError::Engine("layer lock poisoned".into()))?;
    if let Some(j) = join.as_ref() {
        for (i, f) in layer.features.iter_mut().enumerate() {
            for (key, col) in [("incidents", &j.incidents), ("fatalities", &j.fatalities)] {
                if let Some(n) = col.get(i).copied().filter(|v| v.is_finite()) {
                    f.properties.insert(key.into(), serde_json::json!(n as u64));
                }
            }
        }
    }
    Ok(layer)
}

/// The open project's annotations.
fn annotations_of(p: &crate::project::Projects) -> AppResult<Vec<Annotation>> {
    Ok(p.session()?.annotations.items().to_vec())
}

/// Write `bytes` to `path` atomically (temporary file, fsync, rename; the engine's
/// [`atlas::project::save::write_atomic`], without a backup).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> AppResult<()> {
    atlas::project::save::write_atomic(path, bytes, false)
        .map_err(|e| AppError::Engine(format!("{}: {e}", path.display())))
}

/// Export to a granted path.
pub fn export_impl(
    state: &AppState,
    grants: &Grants,
    r: &ExportRequest,
    path: &Path,
    annotations: &[Annotation],
) -> AppResult<ExportResult> {
    if !grants.allows(path) {
        return Err(bad(format!(
            "{} was not chosen in a save dialog",
            path.display()
        )));
    }
    let want = format_of(&r.format)?;
    if Format::from_path(path).ok() != Some(want) {
        return Err(bad(format!(
            "{} does not end in .{}",
            path.display(),
            want.extension()
        )));
    }
    let t = std::time::Instant::now();
    let (spec, inc) = prepare(state, r, annotations)?;
    let bytes = render(&spec, &inc, r)?;
    write_atomic(path, &bytes)?;
    Ok(ExportResult {
        path: path.display().to_string(),
        bytes: bytes.len(),
        ms: t.elapsed().as_millis(),
        incidents: inc.len(),
    })
}

/// Export: asks where in a save dialog unless `path` is given (it must then be granted:
/// chosen before, or under the test folder). `None` when the user cancelled the dialog.
#[tauri::command]
pub async fn export_map(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    grants: tauri::State<'_, Grants>,
    projects: tauri::State<'_, crate::project::Projects>,
    request: ExportRequest,
    path: Option<String>,
) -> AppResult<Option<ExportResult>> {
    let ext = format_of(&request.format)?.extension();
    let name = format!("border-atlas-map.{ext}");
    let Some(path) = save_target(&app, &grants, path, "Export map", &name, ext)? else {
        return Ok(None);
    };
    let state = state.inner();
    let grants = grants.inner();
    let notes = annotations_of(&projects)?;
    export_impl(state, grants, &request, &path, &notes).map(Some)
}
