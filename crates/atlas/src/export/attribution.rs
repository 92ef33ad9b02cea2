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

/// Credits from `attribution.json` text: an array of strings, or of objects with an
/// `attribution` / `text` / `credit` field, or an object holding such an array under
/// `attribution`, `sources` or `layers` (or objects keyed by layer). Duplicates are
/// dropped; `None` when nothing usable is found.
///
/// ```
/// use atlas::export::attribution::parse_attribution;
/// let j = r#"{"sources":[{"layer":"border","attribution":"© OpenStreetMap contributors (ODbL)"},{"attribution":"Natural Earth"}]}"#;
/// assert_eq!(parse_attribution(j).unwrap(), vec!["© OpenStreetMap contributors (ODbL)", "Natural Earth"]);
/// assert!(parse_attribution("[]").is_none());
/// ```
pub fn parse_attribution(json: &str) -> Option<Vec<String>> {
    let v: Value = serde_json::from_str(json).ok()?;
    let mut out: Vec<String> = Vec::new();
    collect(&v, &mut out, 0);
    (!out.is_empty()).then_some(out)
}

fn collect(v: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 4 {
        return;
    }
    let mut add = |s: &str| {
        let s = s.trim();
        if !s.is_empty() && !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    };
    match v {
        Value::String(s) if depth > 0 => add(s),
        Value::Array(a) => a.iter().for_each(|x| collect(x, out, depth + 1)),
        Value::Object(o) => {
            if let Some(s) = ["attribution", "text", "credit"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str))
            {
                add(s);
                return;
            }
            for key in ["attribution", "sources", "layers", "credits"] {
                if let Some(x) = o.get(key) {
                    collect(x, out, depth + 1);
                    return;
                }
            }
            o.values()
                .filter(|x| x.is_object())
                .for_each(|x| collect(x, out, depth + 1));
        }
        _ => {}
    }
}

/// Credits from `dir/attribution.json`, else [`DEFAULT_ATTRIBUTION`].
pub fn load_attribution(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("attribution.json"))
        .ok()
        .and_then(|t| parse_attribution(&t))
        .unwrap_or_else(default_attribution)
}
