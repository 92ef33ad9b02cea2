//! Data attribution printed on every page.

use serde_json::Value;
use std::path::Path;

/// Credits used when `data/attribution.json` is absent or unreadable.
pub const DEFAULT_ATTRIBUTION: [&str; 3] = [
    "© OpenStreetMap contributors (ODbL)",
    "Natural Earth",
    "GeoNames (CC-BY 4.0)",
];

/// The default credits as owned strings.
pub fn default_attribution() -> Vec<String> {
    DEFAULT_ATTRIBUTION.iter().map(|s| s.to_string()).collect()
}

/// Short credits from `attribution.json` text (the data set's per-layer list:
/// `{"layers":[{"layer":…,"text":…,"licence":…},…]}`, or a plain array of strings).
/// Providers named in a layer's text are credited once each in the short form a map
/// footer uses ("© OpenStreetMap contributors (ODbL)", "Natural Earth",
/// "GeoNames (CC BY 4.0)"); other texts are kept up to their first colon-free sentence.
/// The incident sample's entry is left out (incident sources go in the data note).
/// `None` when nothing usable is found.
///
/// ```
/// use atlas::export::attribution::parse_attribution;
/// let j = r#"{"layers":[
///   {"layer":"border","text":"Border © OpenStreetMap contributors, via x","licence":"ODbL 1.0"},
///   {"layer":"rivers","text":"Rivers: Natural Earth 50m","licence":"Public domain"},
///   {"layer":"places","text":"Places: GeoNames (geonames.org)","licence":"CC BY 4.0"},
///   {"layer":"provinces","text":"Made with Natural Earth","licence":"Public domain"}]}"#;
/// assert_eq!(parse_attribution(j).unwrap(),
///     vec!["© OpenStreetMap contributors (ODbL)", "Natural Earth", "GeoNames (CC BY 4.0)"]);
/// assert!(parse_attribution("[]").is_none());
/// ```
pub fn parse_attribution(json: &str) -> Option<Vec<String>> {
    let v: Value = serde_json::from_str(json).ok()?;
    let entries: &[Value] = match &v {
        Value::Array(a) => a,
        Value::Object(o) => ["layers", "attribution", "sources", "credits"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_array))
            .map(Vec::as_slice)?,
        _ => return None,
    };
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    for e in entries {
        let (text, licence, layer) = match e {
            Value::String(s) => (s.as_str(), "", ""),
            Value::Object(o) => {
                let get = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("");
                let text = ["text", "attribution", "credit"]
                    .iter()
                    .map(|k| get(k))
                    .find(|t| !t.is_empty())
                    .unwrap_or("");
                (text, get("licence"), get("layer"))
            }
            _ => continue,
        };
        if layer.starts_with("incidents") || text.trim().is_empty() {
            continue;
        }
        let mut known = false;
        if text.contains("OpenStreetMap") {
            add("© OpenStreetMap contributors (ODbL)".into());
            known = true;
        }
        if text.contains("Natural Earth") {
            add("Natural Earth".into());
            known = true;
        }
        if text.contains("GeoNames") {
            let lic = if licence.is_empty() {
                "CC BY 4.0"
            } else {
                licence
            };
            add(format!("GeoNames ({lic})"));
            known = true;
        }
        if !known {
            let first = text.split(". ").next().unwrap_or(text).trim();
            add(first.trim_end_matches('.').to_string());
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Credits of the data compiled into the engine ([`crate::bundled::ATTRIBUTION_JSON`]).
///
/// ```
/// let c = atlas::export::attribution::bundled_attribution();
/// assert!(c.iter().any(|s| s.contains("OpenStreetMap")));
/// ```
pub fn bundled_attribution() -> Vec<String> {
    parse_attribution(crate::bundled::ATTRIBUTION_JSON).unwrap_or_else(default_attribution)
}

/// Credits from `dir/attribution.json`, else [`DEFAULT_ATTRIBUTION`].
pub fn load_attribution(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("attribution.json"))
        .ok()
        .and_then(|t| parse_attribution(&t))
        .unwrap_or_else(default_attribution)
}
