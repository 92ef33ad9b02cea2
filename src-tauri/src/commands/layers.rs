//! The layers panel: list, show/hide, reorder, rename, restyle and remove layers; the
//! incident files; a feature's properties.

use crate::layers::LayerMeta;
use crate::state::{AppError, AppResult, AppState};
use serde::Serialize;

/// A layer as the panel shows it.
#[derive(Debug, Serialize)]
pub struct LayerInfo {
    pub id: u64,
    pub meta: LayerMeta,
    /// "point", "line" or "polygon".
    pub kind: &'static str,
    pub geometry_types: Vec<(String, usize)>,
    pub features: usize,
    pub bbox: Option<[f64; 4]>,
    pub path: Option<String>,
    /// Property names with up to 12 distinct text values each (for style by attribute).
    pub properties: Vec<PropertyInfo>,
}

#[derive(Debug, Serialize)]
pub struct PropertyInfo {
    pub name: String,
    /// "number" when every non-null value is a number, else "text".
    pub kind: &'static str,
    pub values: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// An incident file (rows in the incident analysis).
#[derive(Debug, Serialize)]
pub struct IncidentFile {
    pub index: usize,
    pub name: String,
    pub loaded: u64,
    pub updated: u64,
    pub rejected: u64,
    pub live: usize,
}

#[derive(Debug, Serialize)]
pub struct LayerList {
    pub incident_files: Vec<IncidentFile>,
    /// Bottom to top.
    pub layers: Vec<LayerInfo>,
}

fn properties(l: &atlas::model::Layer) -> Vec<PropertyInfo> {
    use std::collections::BTreeMap;
    let mut out: BTreeMap<&str, (bool, Vec<String>, f64, f64)> = BTreeMap::new();
    for f in l.features.iter().take(100_000) {
        for (k, v) in f.properties.iter().take(200) {
            let e = out.entry(k.as_str()).or_insert((
                true,
                Vec::new(),
                f64::INFINITY,
                f64::NEG_INFINITY,
            ));
            match v {
                serde_json::Value::Null => {}
                serde_json::Value::Number(n) => {
                    if let Some(x) = n.as_f64() {
                        e.2 = e.2.min(x);
                        e.3 = e.3.max(x);
                    }
                }
                serde_json::Value::String(s) => {
                    e.0 = false;
                    if e.1.len() < 13 && !e.1.iter().any(|x| x == s) {
                        e.1.push(s.chars().take(80).collect());
                    }
                }
                _ => e.0 = false,
            }
        }
        if out.len() > 200 {
            break;
        }
    }
    out.into_iter()
        .map(|(k, (num, values, lo, hi))| PropertyInfo {
            name: k.to_string(),
            kind: if num && lo.is_finite() {
                "number"
            } else {
                "text"
            },
            values,
            min: lo.is_finite().then_some(lo),
            max: hi.is_finite().then_some(hi),
        })
        .collect()
}

pub fn list_layers_impl(state: &AppState) -> AppResult<LayerList> {
    let incident_files = match state.dataset() {
        Ok(d) => d
            .files()
            .iter()
            .enumerate()
            .map(|(i, f)| IncidentFile {
                index: i,
                name: f.name.clone(),
                loaded: f.report.loaded,
                updated: f.report.updated,
                rejected: f.report.rejected,
                live: f.rows.clone().filter(|&r| d.store().is_live(r)).count(),
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    let g = state
        .layers
        .read()
        .map_err(|_| AppError::Engine("layer lock poisoned".into()))?;
    let mut layers = Vec::new();
    for l in g.iter() {
        layers.push(LayerInfo {
            id: l.id,
            meta: l.meta()?,
            kind: l.kind(),
            geometry_types: l.geometry_types.clone(),
            features: l.layer.features.len(),
            bbox: l.bbox,
            path: l.path.as_ref().map(|p| p.display().to_string()),
            properties: properties(&l.layer),
        });
    }
    Ok(LayerList {
        incident_files,
        layers,
    })
}

#[tauri::command]
pub fn list_layers(state: tauri::State<'_, AppState>) -> AppResult<LayerList> {
    list_layers_impl(&state)
}

fn check_colour(c: &str) -> AppResult<()> {
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        Err(AppError::BadArgument(format!(
            "colour {c:?} (want #rrggbb)"
        )))
    }
}

/// Validate and store a layer's name and style; returns the new revision.
pub fn set_layer_impl(state: &AppState, id: u64, meta: LayerMeta) -> AppResult<u64> {
    let name = meta.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::BadArgument(
            "a layer name has 1 to 200 characters".into(),
        ));
    }
    let s = &meta.style;
    check_colour(&s.color)?;
    if let Some(f) = &s.fill {
        check_colour(f)?;
    }
    if !(s.size.is_finite() && (0.0..=50.0).contains(&s.size)) {
        return Err(AppError::BadArgument(format!("size {} (0 to 50)", s.size)));
    }
    if !(s.opacity.is_finite() && (0.0..=1.0).contains(&s.opacity)) {
        return Err(AppError::BadArgument(format!(
            "opacity {} (0 to 1)",
            s.opacity
        )));
    }
    match &s.by_attribute {
        Some(atlas::project::format::StyleBy::Categorical {
            colors,
            other,
            property,
        }) => {
            if property.len() > 200 || colors.len() > 64 {
                return Err(AppError::BadArgument("too many categories".into()));
            }
            check_colour(other)?;
            for c in colors.values() {
                check_colour(c)?;
            }
        }
        Some(atlas::project::format::StyleBy::Graduated {
            breaks,
            colors,
            property,
        }) => {
            if property.len() > 200 || colors.len() != breaks.len() + 1 || colors.len() > 16 {
                return Err(AppError::BadArgument(
                    "graduated style: colours must be one more than breaks (at most 16)".into(),
                ));
            }
            if breaks.iter().any(|b| !b.is_finite()) || breaks.windows(2).any(|w| w[0] > w[1]) {
                return Err(AppError::BadArgument(
                    "breaks must be finite and ascending".into(),
                ));
            }
            for c in colors {
                check_colour(c)?;
            }
        }
        None => {}
    }
    let l = state.layer(id)?;
    let mut m = l
        .meta
        .write()
        .map_err(|_| AppError::Engine("layer lock poisoned".into()))?;
    let revision = m.revision + 1;
    *m = LayerMeta {
        name: name.to_string(),
        style: meta.style,
        revision,
    };
    Ok(revision)
}

#[tauri::command]
pub fn set_layer(state: tauri::State<'_, AppState>, id: u64, meta: LayerMeta) -> AppResult<u64> {
    set_layer_impl(&state, id, meta)
}

/// Remove a layer.
pub fn remove_layer_impl(state: &AppState, id: u64) -> AppResult<()> {
    let mut g = state
        .layers
        .write()
        .map_err(|_| AppError::Engine("layer lock poisoned".into()))?;
    let before = g.len();
    g.retain(|l| l.id != id);
    if g.len() == before {
        return Err(AppError::NoSuchLayer(id));
    }
    Ok(())
}

#[tauri::command]
pub fn remove_layer(state: tauri::State<'_, AppState>, id: u64) -> AppResult<()> {
    remove_layer_impl(&state, id)
}

/// Put the layers in this order (bottom to top); `ids` must name each layer once.
pub fn reorder_layers_impl(state: &AppState, ids: &[u64]) -> AppResult<()> {
    let mut g = state
        .layers
        .write()
        .map_err(|_| AppError::Engine("layer lock poisoned".into()))?;
    let mut sorted: Vec<u64> = ids.to_vec();
    sorted.sort_unstable();
    let mut have: Vec<u64> = g.iter().map(|l| l.id).collect();
    have.sort_unstable();
    if sorted != have {
        return Err(AppError::BadArgument(format!(
            "layer order {ids:?} does not name each layer once"
        )));
    }
    g.sort_by_key(|l| ids.iter().position(|&i| i == l.id));
    for (i, l) in g.iter().enumerate() {
        if let Ok(mut m) = l.meta.write() {
            m.style.order = i as i32;
        }
    }
    Ok(())
}

#[tauri::command]
pub fn reorder_layers(state: tauri::State<'_, AppState>, ids: Vec<u64>) -> AppResult<()> {
    reorder_layers_impl(&state, &ids)
}

/// Remove an incident file's events from the analysis.
pub fn remove_incident_file_impl(state: &AppState, index: usize) -> AppResult<()> {
    let d = state.dataset()?;
    if index >= d.files().len() {
        return Err(AppError::BadArgument(format!("no incident file {index}")));
    }
    let next = d
        .without_file(index)
        .map_err(|e| AppError::Engine(e.to_string()))?;
    state.set_dataset(next);
    Ok(())
}

#[tauri::command]
pub fn remove_incident_file(state: tauri::State<'_, AppState>, index: usize) -> AppResult<()> {
    remove_incident_file_impl(&state, index)
}

/// A feature's id and properties, as JSON text values (the page shows them as text).
#[derive(Debug, Serialize)]
pub struct FeatureInfo {
    pub layer: String,
    pub index: usize,
    pub id: Option<String>,
    pub geometry: Option<String>,
    pub properties: Vec<(String, String)>,
}

pub fn layer_feature_impl(state: &AppState, id: u64, index: usize) -> AppResult<FeatureInfo> {
    let l = state.layer(id)?;
    let f = l
        .layer
        .features
        .get(index)
        .ok_or_else(|| AppError::BadArgument(format!("no feature {index} in layer {id}")))?;
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Ok(FeatureInfo {
        layer: l.meta()?.name,
        index,
        id: f.id.as_ref().map(text),
        geometry: f
            .geometry
            .as_ref()
            .map(|g| crate::layers::geometry_name(g).to_string()),
        properties: f
            .properties
            .iter()
            .map(|(k, v)| (k.clone(), text(v)))
            .collect(),
    })
}

#[tauri::command]
pub fn layer_feature(
    state: tauri::State<'_, AppState>,
    id: u64,
    index: usize,
) -> AppResult<FeatureInfo> {
    layer_feature_impl(&state, id, index)
}

/// The mapping proposed for turning a point layer into incidents, and its property names.
#[derive(Debug, Serialize)]
pub struct MappingProposal {
    pub mapping: atlas::import::mapping::FieldMapping,
    pub properties: Vec<String>,
}

pub fn layer_mapping_impl(state: &AppState, id: u64) -> AppResult<MappingProposal> {
    let l = state.layer(id)?;
    Ok(MappingProposal {
        mapping: atlas::import::mapping::FieldMapping::guess(&l.layer),
        properties: atlas::import::mapping::property_names(&l.layer),
    })
}

#[tauri::command]
pub fn layer_mapping(state: tauri::State<'_, AppState>, id: u64) -> AppResult<MappingProposal> {
    layer_mapping_impl(&state, id)
}

/// Turn a point layer into incidents with `mapping`: they join the analysis (time slider,
/// filters, list, border analytics) and the layer is hidden. Returns the import report
/// (rejected features with their reasons).
pub fn layer_as_incidents_impl(
    state: &AppState,
    id: u64,
    mapping: &atlas::import::mapping::FieldMapping,
) -> AppResult<atlas::import::ImportReport> {
    let l = state.layer(id)?;
    let name = format!("{} (as incidents)", l.meta()?.name);
    let (store, report) = atlas::import::mapping::layer_to_incidents(&l.layer, mapping, &name)
        .map_err(|e| AppError::BadArgument(e.to_string()))?;
    if store.live_len() == 0 {
        return Err(AppError::BadArgument(format!(
            "no feature could be used ({} problems; first: {})",
            report.problem_count,
            report
                .problems
                .first()
                .map(|p| p.to_string())
                .unwrap_or_default()
        )));
    }
    let d = state.dataset()?;
    let next = d
        .merged(store, &name, report.clone())
        .map_err(|e| AppError::Engine(e.to_string()))?;
    state.set_dataset(next);
    if let Ok(mut m) = l.meta.write() {
        m.style.visible = false;
        m.revision += 1;
    }
    Ok(report)
}

#[tauri::command]
pub fn layer_as_incidents(
    state: tauri::State<'_, AppState>,
    id: u64,
    mapping: atlas::import::mapping::FieldMapping,
) -> AppResult<atlas::import::ImportReport> {
    layer_as_incidents_impl(&state, id, &mapping)
}
