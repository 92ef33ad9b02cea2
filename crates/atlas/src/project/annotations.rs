//! Researchers' own points, lines and polygons, with a title and a note, edited through
//! commands that can be undone and redone (bounded history), and exported as GeoJSON.
//!
//! ```
//! use atlas::project::annotations::{Annotations, Edit, Geometry};
//! let mut a = Annotations::default();
//! let id = a.apply(Edit::Add {
//!     geometry: Geometry::Point([71.09, 34.12]),
//!     title: "Checkpoint seen in footage".into(),
//!     note: "Position approximate".into(),
//! }).unwrap();
//! a.apply(Edit::Update { id, geometry: None, title: Some("Checkpoint".into()), note: None }).unwrap();
//! assert_eq!(a.get(id).unwrap().title, "Checkpoint");
//! assert!(a.undo());
//! assert_eq!(a.get(id).unwrap().title, "Checkpoint seen in footage");
//! assert!(a.redo());
//! a.apply(Edit::Delete { id }).unwrap();
//! assert!(a.is_empty());
//! let fc = a.to_geojson();
//! assert_eq!(fc["type"], "FeatureCollection");
//! ```

use super::clock::now_rfc3339;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Default number of edits that can be undone.
pub const DEFAULT_HISTORY: usize = 200;

/// `[longitude, latitude]` in degrees (WGS 84).
pub type Position = [f64; 2];

/// An annotation's shape, serialized as a GeoJSON geometry object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "coordinates")]
pub enum Geometry {
    Point(Position),
    LineString(Vec<Position>),
    /// Rings: the first is the outline, any others are holes. Rings are closed and
    /// wound as RFC 7946 asks (outline anticlockwise, holes clockwise) when added.
    Polygon(Vec<Vec<Position>>),
}

/// One annotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// Unique within the project, never reused.
    pub id: u64,
    pub geometry: Geometry,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub note: String,
    /// RFC 3339 UTC.
    #[serde(default)]
    pub created: String,
    #[serde(default)]
    pub modified: String,
}

/// A change asked for by the user.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Add {
        geometry: Geometry,
        title: String,
        note: String,
    },
    /// `None` fields are left as they are.
    Update {
        id: u64,
        geometry: Option<Geometry>,
        title: Option<String>,
        note: Option<String>,
    },
    Delete {
        id: u64,
    },
}

/// Why an edit was refused (nothing was changed).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnnotationError {
    #[error("no annotation with id {0}")]
    NoSuchId(u64),
    #[error("annotation geometry: {0}")]
    Geometry(String),
}

/// What an applied edit did, with what is needed to reverse it.
#[derive(Debug, Clone, PartialEq)]
enum Done {
    Inserted {
        index: usize,
        item: Annotation,
    },
    Replaced {
        index: usize,
        old: Annotation,
        new: Annotation,
    },
    Removed {
        index: usize,
        item: Annotation,
    },
}

/// The project's annotations and their undo/redo history (the history is not saved).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "Stored")]
pub struct Annotations {
    items: Vec<Annotation>,
    /// The id the next added annotation gets.
    next_id: u64,
    #[serde(skip)]
    undo: VecDeque<Done>,
    #[serde(skip)]
    redo: Vec<Done>,
    #[serde(skip)]
    limit: usize,
}

/// The annotations as stored; `next_id` is repaired on reading so that ids are never
/// reused even in a hand-edited file.
#[derive(Deserialize)]
#[serde(default)]
struct Stored {
    items: Vec<Annotation>,
    next_id: u64,
}

impl Default for Stored {
    fn default() -> Self {
        Stored {
            items: Vec::new(),
            next_id: 1,
        }
    }
}

impl From<Stored> for Annotations {
    fn from(s: Stored) -> Self {
        let max = s.items.iter().map(|a| a.id).max().unwrap_or(0);
        Annotations {
            next_id: s.next_id.max(max + 1),
            items: s.items,
            ..Annotations::default()
        }
    }
}

impl Default for Annotations {
    fn default() -> Self {
        Annotations {
            items: Vec::new(),
            next_id: 1,
            undo: VecDeque::new(),
            redo: Vec::new(),
            limit: DEFAULT_HISTORY,
        }
    }
}

/// Equal when the annotations are; the history does not count.
impl PartialEq for Annotations {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items && self.next_id == other.next_id
    }
}

impl Annotations {
    /// An empty set remembering at most `limit` edits for undo.
    pub fn with_history(limit: usize) -> Self {
        Annotations {
            limit,
            ..Default::default()
        }
    }

    /// All annotations, in the order they were added.
    pub fn items(&self) -> &[Annotation] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The annotation with this id.
    pub fn get(&self, id: u64) -> Option<&Annotation> {
        self.items.iter().find(|a| a.id == id)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Apply an edit; returns the id of the annotation it touched. A new edit clears
    /// the redo stack; the oldest undo step is dropped beyond the history limit.
    pub fn apply(&mut self, edit: Edit) -> Result<u64, AnnotationError> {
        let now = now_rfc3339();
        let done = match edit {
            Edit::Add {
                geometry,
                title,
                note,
            } => {
                let geometry = normalize(geometry)?;
                let id = self.next_id;
                self.next_id = id + 1;
                let item = Annotation {
                    id,
                    geometry,
                    title,
                    note,
                    created: now.clone(),
                    modified: now,
                };
                Done::Inserted {
                    index: self.items.len(),
                    item,
                }
            }
            Edit::Update {
                id,
                geometry,
                title,
                note,
            } => {
                let index = self.index_of(id)?;
                let old = self
                    .items
                    .get(index)
                    .cloned()
                    .ok_or(AnnotationError::NoSuchId(id))?;
                let mut new = old.clone();
                if let Some(g) = geometry {
                    new.geometry = normalize(g)?;
                }
                if let Some(t) = title {
                    new.title = t;
                }
                if let Some(n) = note {
                    new.note = n;
                }
                new.modified = now;
                Done::Replaced { index, old, new }
            }
            Edit::Delete { id } => {
                let index = self.index_of(id)?;
                let item = self
                    .items
                    .get(index)
                    .cloned()
                    .ok_or(AnnotationError::NoSuchId(id))?;
                Done::Removed { index, item }
            }
        };
        let id = self.perform(&done);
        self.redo.clear();
        self.push_undo(done);
        Ok(id)
    }

    /// Reverse the last edit; `false` when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some(done) = self.undo.pop_back() else {
            return false;
        };
        let inverse = invert(&done);
        self.perform(&inverse);
        self.redo.push(done);
        true
    }

    /// Re-apply the last undone edit; `false` when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        let Some(done) = self.redo.pop() else {
            return false;
        };
        self.perform(&done);
        self.push_undo(done);
        true
    }

    /// Forget the undo/redo history (e.g. after opening a project).
    pub fn clear_history(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }

    /// The annotations as an RFC 7946 FeatureCollection; each feature has the
    /// annotation's id and properties `title`, `note`, `created`, `modified`.
    pub fn to_geojson(&self) -> serde_json::Value {
        let features: Vec<serde_json::Value> = self
            .items
            .iter()
            .map(|a| {
                serde_json::json!({
                    "type": "Feature",
                    "id": a.id,
                    "geometry": a.geometry,
                    "properties": {
                        "title": a.title,
                        "note": a.note,
                        "created": a.created,
                        "modified": a.modified,
                    }
                })
            })
            .collect();
        serde_json::json!({ "type": "FeatureCollection", "features": features })
    }

    /// Check loaded annotations (ids unique, geometry valid); the messages for the ones
    /// that are not.
    pub fn check(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for a in &self.items {
            if !seen.insert(a.id) {
                out.push(format!("annotation id {} is used twice", a.id));
            }
            if let Err(e) = check_geometry(&a.geometry) {
                out.push(format!("annotation {}: {e}", a.id));
            }
        }
        out
    }

    fn index_of(&self, id: u64) -> Result<usize, AnnotationError> {
        self.items
            .iter()
            .position(|a| a.id == id)
            .ok_or(AnnotationError::NoSuchId(id))
    }

    fn push_undo(&mut self, done: Done) {
        self.undo.push_back(done);
        while self.undo.len() > self.limit {
            self.undo.pop_front();
        }
    }

    /// Carry out a recorded step; returns the id it touched.
    fn perform(&mut self, done: &Done) -> u64 {
        match done {
            Done::Inserted { index, item } => {
                let at = (*index).min(self.items.len());
                self.items.insert(at, item.clone());
                item.id
            }
            Done::Replaced { index, new, .. } => {
                if let Some(slot) = self.items.get_mut(*index) {
                    *slot = new.clone();
                }
                new.id
            }
            Done::Removed { index, item } => {
                if self.items.get(*index).is_some_and(|a| a.id == item.id) {
                    self.items.remove(*index);
                }
                item.id
            }
        }
    }
}

fn invert(done: &Done) -> Done {
    match done.clone() {
        Done::Inserted { index, item } => Done::Removed { index, item },
        Done::Removed { index, item } => Done::Inserted { index, item },
        Done::Replaced { index, old, new } => Done::Replaced {
            index,
            old: new,
            new: old,
        },
    }
}

fn check_position(p: &Position) -> Result<(), AnnotationError> {
    let [lon, lat] = *p;
    if !(lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat))
    {
        return Err(AnnotationError::Geometry(format!(
            "position [{lon}, {lat}] is not a longitude, latitude in degrees"
        )));
    }
    Ok(())
}

fn check_geometry(g: &Geometry) -> Result<(), AnnotationError> {
    match g {
        Geometry::Point(p) => check_position(p),
        Geometry::LineString(ps) => {
            if ps.len() < 2 {
                return Err(AnnotationError::Geometry(
                    "a line needs at least 2 positions".into(),
                ));
            }
            ps.iter().try_for_each(check_position)
        }
        Geometry::Polygon(rings) => {
            if rings.is_empty() {
                return Err(AnnotationError::Geometry(
                    "a polygon needs an outline".into(),
                ));
            }
            for r in rings {
                if r.len() < 4 || r.first() != r.last() {
                    return Err(AnnotationError::Geometry(
                        "a polygon ring needs at least 3 distinct corners and must be closed"
                            .into(),
                    ));
                }
                r.iter().try_for_each(check_position)?;
            }
            Ok(())
        }
    }
}

/// Close polygon rings and wind them as RFC 7946 asks, then check.
fn normalize(g: Geometry) -> Result<Geometry, AnnotationError> {
    let g = match g {
        Geometry::Polygon(rings) => Geometry::Polygon(
            rings
                .into_iter()
                .enumerate()
                .map(|(i, mut r)| {
                    if r.len() >= 3 && r.first() != r.last() {
                        if let Some(&f) = r.first() {
                            r.push(f);
                        }
                    }
                    // Shoelace: positive area = anticlockwise.
                    let area: f64 = r
                        .windows(2)
                        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
                        .sum();
                    let want_ccw = i == 0;
                    if (area > 0.0) != want_ccw && area != 0.0 {
                        r.reverse();
                    }
                    r
                })
                .collect(),
        ),
        other => other,
    };
    check_geometry(&g)?;
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(a: &mut Annotations, title: &str) -> u64 {
        a.apply(Edit::Add {
            geometry: Geometry::Point([70.0, 33.0]),
            title: title.into(),
            note: String::new(),
        })
        .unwrap()
    }

    #[test]
    fn undo_redo_walks_back_and_forth_and_new_edit_clears_redo() {
        let mut a = Annotations::default();
        let x = add(&mut a, "x");
        let y = add(&mut a, "y");
        assert_ne!(x, y);
        a.apply(Edit::Delete { id: x }).unwrap();
        assert_eq!(a.items().iter().map(|i| i.id).collect::<Vec<_>>(), vec![y]);
        assert!(a.undo());
        // Restored in its old place.
        assert_eq!(
            a.items().iter().map(|i| i.id).collect::<Vec<_>>(),
            vec![x, y]
        );
        assert!(a.undo() && a.undo());
        assert!(a.is_empty() && !a.undo());
        assert!(a.redo() && a.redo());
        assert_eq!(a.len(), 2);
        let z = add(&mut a, "z");
        assert!(!a.can_redo() && !a.redo());
        assert!(z > y, "ids are never reused");
    }

    #[test]
    fn history_is_bounded_and_refused_edits_change_nothing() {
        let mut a = Annotations::with_history(3);
        for i in 0..5 {
            add(&mut a, &i.to_string());
        }
        let mut n = 0;
        while a.undo() {
            n += 1;
        }
        assert_eq!((n, a.len()), (3, 2));
        let before = a.clone();
        assert_eq!(
            a.apply(Edit::Delete { id: 99 }),
            Err(AnnotationError::NoSuchId(99))
        );
        let bad = Edit::Add {
            geometry: Geometry::LineString(vec![[70.0, 33.0]]),
            title: String::new(),
            note: String::new(),
        };
        assert!(matches!(a.apply(bad), Err(AnnotationError::Geometry(_))));
        let bad = Edit::Add {
            geometry: Geometry::Point([200.0, 33.0]),
            title: String::new(),
            note: String::new(),
        };
        assert!(a.apply(bad).is_err());
        assert_eq!(a, before);
        assert!(a.can_redo(), "refused edits keep the redo stack");
    }

    #[test]
    fn polygons_are_closed_and_wound_and_geojson_is_rfc7946() {
        let mut a = Annotations::default();
        // Clockwise, unclosed outline.
        let id = a
            .apply(Edit::Add {
                geometry: Geometry::Polygon(vec![vec![
                    [70.0, 33.0],
                    [70.0, 34.0],
                    [71.0, 34.0],
                    [71.0, 33.0],
                ]]),
                title: "Area".into(),
                note: "n".into(),
            })
            .unwrap();
        let Geometry::Polygon(r) = &a.get(id).unwrap().geometry else {
            panic!("not a polygon")
        };
        assert_eq!(r[0].len(), 5);
        assert_eq!(r[0].first(), r[0].last());
        let area: f64 = r[0]
            .windows(2)
            .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
            .sum();
        assert!(area > 0.0, "outline anticlockwise");
        let fc = a.to_geojson();
        let f = &fc["features"][0];
        assert_eq!(f["geometry"]["type"], "Polygon");
        assert_eq!(f["properties"]["title"], "Area");
        assert!(f["properties"]["created"].as_str().unwrap().ends_with('Z'));
        // Round trip through serde keeps ids and next id.
        let text = serde_json::to_string(&a).unwrap();
        let back: Annotations = serde_json::from_str(&text).unwrap();
        assert_eq!(back, a);
        // A hand-edited file with a stale next_id still never reuses an id.
        let stale = text.replace("\"next_id\":2", "\"next_id\":1");
        assert_ne!(stale, text);
        let mut back: Annotations = serde_json::from_str(&stale).unwrap();
        let new = back
            .apply(Edit::Add {
                geometry: Geometry::Point([70.0, 33.0]),
                title: String::new(),
                note: String::new(),
            })
            .unwrap();
        assert_eq!(new, id + 1);
    }
}
