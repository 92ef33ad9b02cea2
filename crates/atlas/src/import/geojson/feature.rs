//! One Feature object: as an incident (typed, borrowed from the buffer) or as a
//! generic layer feature (properties kept as they came).

use super::cursor::{pack, Cursor, PErr, PResult};
use super::geometry::{geometry_or_null, point_or_null};
use crate::date::{format_day, parse_date, Day};
use crate::model::{Claim, LayerFeature, RowRef, Source};
use std::borrow::Cow;

/// The free-text and categorical incident fields, in [`Incident::text`] order.
pub const TEXT_FIELDS: [&str; 17] = RowRef::TEXT_FIELDS;

/// An incident as read from a feature, borrowing its strings from the buffer.
#[derive(Debug, Default)]
pub struct Incident<'a> {
    /// `event_id_cnty` (ACLED).
    pub event_id_cnty: Option<Cow<'a, str>>,
    /// The `id` property (UCDP).
    pub prop_id: Option<Cow<'a, str>>,
    /// The Feature's `id` member.
    pub feature_id: Option<Cow<'a, str>>,
    /// `None` for a null geometry.
    pub lonlat: Option<(f64, f64)>,
    pub date_start: Day,
    pub date_end: Option<Day>,
    pub time_precision: Option<u8>,
    pub geo_precision: Option<u8>,
    pub fatalities: Option<u32>,
    /// UCDP `best`, used when there is no `fatalities`.
    pub best: Option<u32>,
    pub text: [Cow<'a, str>; 17],
    pub sources: Vec<Source>,
    pub claims: Vec<Claim>,
}

impl Incident<'_> {
    /// The event id: `event_id_cnty`, else the `id` property, else the Feature `id`
    /// (`None`: the importer gives it the feature index).
    pub fn event_id(&self) -> Option<&str> {
        self.event_id_cnty
            .as_deref()
            .or(self.prop_id.as_deref())
            .or(self.feature_id.as_deref())
    }

    /// The incident as row fields (an empty event id when it has none).
    pub fn as_row(&self) -> RowRef<'_> {
        let (lon, lat) = self.lonlat.unwrap_or((f64::NAN, f64::NAN));
        RowRef {
            event_id: self.event_id().unwrap_or(""),
            feature_id: self.feature_id.as_deref().unwrap_or(""),
            lon,
            lat,
            date_start: self.date_start,
            date_end: self.date_end.unwrap_or(self.date_start),
            time_precision: self.time_precision.unwrap_or(1),
            geo_precision: self.geo_precision.unwrap_or(1),
            fatalities: self.fatalities.or(self.best),
            text: std::array::from_fn(|i| &*self.text[i]),
            sources: &self.sources,
            claims: &self.claims,
        }
    }
}

/// Which incident field a property key fills.
#[derive(Clone, Copy)]
enum Field {
    Text(usize),
    EventId,
    PropId,
    EventDate,
    DateStart,
    DateEnd,
    TimePrecision,
    GeoPrecision,
    WherePrec,
    Fatalities,
    Best,
    Sources,
    Claims,
    Other,
}

const fn text_keys() -> [u128; 17] {
    let mut out = [0u128; 17];
    let mut i = 0;
    while i < 17 {
        out[i] = pack(TEXT_FIELDS[i].as_bytes());
        i += 1;
    }
    out
}
const TEXT_KEYS: [u128; 17] = text_keys();

macro_rules! keys {
    ($($name:ident = $s:literal),* $(,)?) => { $(const $name: u128 = pack($s);)* };
}
keys!(
    K_TYPE = b"type",
    K_ID = b"id",
    K_GEOMETRY = b"geometry",
    K_PROPERTIES = b"properties",
    K_EVENT_ID = b"event_id_cnty",
    K_EVENT_DATE = b"event_date",
    K_DATE_START = b"date_start",
    K_DATE_END = b"date_end",
    K_TIME_PREC = b"time_precision",
    K_GEO_PREC = b"geo_precision",
    K_WHERE_PREC = b"where_prec",
    K_FATALITIES = b"fatalities",
    K_BEST = b"best",
    K_SOURCES = b"sources",
    K_CLAIMS = b"claims",
    K_SIDE_A = b"side_a",
    K_SIDE_B = b"side_b",
    K_ADM_1 = b"adm_1",
    K_ADM_2 = b"adm_2",
    K_SOURCE_ARTICLE = b"source_article",
);

fn field(key: &str) -> Field {
    let k = pack(key.as_bytes());
    match k {
        K_EVENT_ID => Field::EventId,
        K_ID => Field::PropId,
        K_EVENT_DATE => Field::EventDate,
        K_DATE_START => Field::DateStart,
        K_DATE_END => Field::DateEnd,
        K_TIME_PREC => Field::TimePrecision,
        K_GEO_PREC => Field::GeoPrecision,
        K_WHERE_PREC => Field::WherePrec,
        K_FATALITIES => Field::Fatalities,
        K_BEST => Field::Best,
        K_SOURCES => Field::Sources,
        K_CLAIMS => Field::Claims,
        // UCDP GED names for the same things.
        K_SIDE_A => Field::Text(3),
        K_SIDE_B => Field::Text(5),
        K_ADM_1 => Field::Text(9),
        K_ADM_2 => Field::Text(10),
        K_SOURCE_ARTICLE => Field::Text(13),
        0 if key == "where_coordinates" => Field::Text(12),
        0 => Field::Other,
        _ => match TEXT_KEYS.iter().position(|&t| t == k) {
            Some(i) => Field::Text(i),
            None => Field::Other,
        },
    }
}

/// A feature as an incident.
pub fn incident<'a>(c: &mut Cursor<'a>) -> PResult<Incident<'a>> {
    let open = c.object_start("a feature")?;
    let mut inc = Incident::default();
    let (mut has_type, mut has_geometry) = (false, false);
    let mut start: Option<Day> = None;
    let mut ucdp_start: Option<Day> = None;
    let mut end_at = 0usize;
    let mut first = true;
    while let Some((key, _)) = c.next_key(&mut first)? {
        match pack(key.as_bytes()) {
            K_TYPE => {
                feature_type(c)?;
                has_type = true;
            }
            K_ID => inc.feature_id = Some(feature_id(c)?.0),
            K_GEOMETRY => {
                inc.lonlat = point_or_null(c)?;
                has_geometry = true;
            }
            K_PROPERTIES => {
                if !c.eat_null()? {
                    properties(c, &mut inc, &mut start, &mut ucdp_start, &mut end_at)?;
                }
            }
            _ => c.skip_value()?,
        }
    }
    if !has_type {
        return Err(PErr::value(open, "feature has no \"type\" member"));
    }
    if !has_geometry {
        return Err(PErr::value(
            open,
            "feature has no \"geometry\" member (use null for none)",
        ));
    }
    let Some(day) = start.or(ucdp_start) else {
        return Err(PErr::value(
            open,
            "missing event_date (or date_start): an incident needs a date",
        ));
    };
    inc.date_start = day;
    if let Some(end) = inc.date_end {
        if end < day {
            return Err(PErr::value(
                end_at,
                format!(
                    "date_end {} is before the start date {}",
                    format_day(end),
                    format_day(day)
                ),
            ));
        }
    }
    Ok(inc)
}

/// The `type` member of a feature: must be "Feature".
fn feature_type(c: &mut Cursor<'_>) -> PResult<()> {
    let ch = c.next_ws()?;
    let at = c.pos;
    if ch != b'"' {
        return Err(c.type_error(ch, "feature \"type\" must be the string \"Feature\""));
    }
    let t = c.string()?;
    if t != "Feature" {
        return Err(PErr::value(
            at,
            format!("feature \"type\" must be \"Feature\", found {:?}", &*t),
        ));
    }
    Ok(())
}

/// The `id` member of a feature: a string or a number (kept as written), and whether it was a number.
fn feature_id<'a>(c: &mut Cursor<'a>) -> PResult<(Cow<'a, str>, bool)> {
    let ch = c.next_ws()?;
    match ch {
        b'"' => Ok((c.string()?, false)),
        b'-' | b'0'..=b'9' => Ok((Cow::Borrowed(c.number()?.1), true)),
        _ => Err(c.type_error(ch, "feature \"id\" must be a string or a number")),
    }
}

fn properties<'a>(
    c: &mut Cursor<'a>,
    inc: &mut Incident<'a>,
    start: &mut Option<Day>,
    ucdp_start: &mut Option<Day>,
    end_at: &mut usize,
) -> PResult<()> {
    let ch = c.next_ws()?;
    if ch != b'{' {
        return Err(c.type_error(ch, "properties must be an object or null"));
    }
    c.enter()?;
    let mut first = true;
    while let Some((key, _)) = c.next_key(&mut first)? {
        let f = field(&key);
        if matches!(f, Field::Other) {
            c.skip_value()?;
            continue;
        }
        let ch = c.next_ws()?;
        let at = c.pos;
        match f {
            Field::Text(i) => {
                let v = text(c, ch, &key)?;
                if let Some(slot) = inc.text.get_mut(i) {
                    *slot = v;
                }
            }
            Field::EventId => inc.event_id_cnty = nonempty(text(c, ch, &key)?),
            Field::PropId => inc.prop_id = nonempty(text(c, ch, &key)?),
            Field::EventDate => *start = date(c, ch, &key)?,
            Field::DateStart => *ucdp_start = date(c, ch, &key)?,
            Field::DateEnd => {
                *end_at = at;
                inc.date_end = date(c, ch, &key)?;
            }
            Field::TimePrecision => inc.time_precision = precision(c, ch, &key, 3)?,
            Field::GeoPrecision => inc.geo_precision = precision(c, ch, &key, 3)?,
            Field::WherePrec => {
                // UCDP where_prec 1 exact, 2–3 near / district, 4–7 province or wider.
                if let Some(p) = precision(c, ch, &key, 7)? {
                    inc.geo_precision.get_or_insert(match p {
                        1 => 1,
                        2 | 3 => 2,
                        _ => 3,
                    });
                }
            }
            Field::Fatalities => inc.fatalities = count(c, ch, &key)?,
            Field::Best => inc.best = count(c, ch, &key)?,
            Field::Sources => inc.sources = structured(c, ch, &key)?,
            Field::Claims => inc.claims = structured(c, ch, &key)?,
            Field::Other => c.skip_value()?,
        }
    }
    Ok(())
}

fn nonempty(s: Cow<'_, str>) -> Option<Cow<'_, str>> {
    (!s.is_empty()).then_some(s)
}

/// A text property: a string, a number (kept as written) or null (empty).
fn text<'a>(c: &mut Cursor<'a>, ch: u8, key: &str) -> PResult<Cow<'a, str>> {
    match ch {
        b'"' => c.string(),
        b'-' | b'0'..=b'9' => Ok(Cow::Borrowed(c.number()?.1)),
        b'n' => {
            c.eat_null()?;
            Ok(Cow::Borrowed(""))
        }
        _ => Err(c.type_error(ch, &format!("{key} must be a string"))),
    }
}

/// A date property: a string `parse_date` understands, or null.
fn date(c: &mut Cursor<'_>, ch: u8, key: &str) -> PResult<Option<Day>> {
    match ch {
        b'"' => {
            let at = c.pos;
            let s = c.string()?;
            match parse_date(&s) {
                Some(d) => Ok(Some(d)),
                None => Err(PErr::value(at, format!("unparseable {key} {:?}", &*s))),
            }
        }
        b'n' => {
            c.eat_null()?;
            Ok(None)
        }
        _ => Err(c.type_error(
            ch,
            &format!("{key} must be a date string like \"2025-10-12\""),
        )),
    }
}

/// A whole number ≥ 0 given as a number, a string of digits, `""` or null.
fn count(c: &mut Cursor<'_>, ch: u8, key: &str) -> PResult<Option<u32>> {
    let at = c.pos;
    let bad = |shown: &str| {
        PErr::value(
            at,
            format!("{key} must be a whole number ≥ 0, found {shown}"),
        )
    };
    match ch {
        b'-' | b'0'..=b'9' => {
            let (v, text) = c.number()?;
            if v < 0.0 || v.fract() != 0.0 || v >= u32::MAX as f64 {
                return Err(bad(text));
            }
            Ok(Some(v as u32))
        }
        b'"' => {
            let s = c.string()?;
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            match t.parse::<u32>() {
                Ok(v) if v != u32::MAX => Ok(Some(v)),
                _ => Err(bad(&format!("{:?}", &*s))),
            }
        }
        b'n' => {
            c.eat_null()?;
            Ok(None)
        }
        _ => Err(c.type_error(ch, &format!("{key} must be a whole number"))),
    }
}

/// A precision code 1..=max given as a number, a string of digits or null.
fn precision(c: &mut Cursor<'_>, ch: u8, key: &str, max: u32) -> PResult<Option<u8>> {
    let at = c.pos;
    match count(c, ch, key)? {
        None => Ok(None),
        Some(p) if (1..=max).contains(&p) => Ok(Some(p as u8)),
        Some(p) => Err(PErr::value(
            at,
            format!("{key} must be between 1 and {max}, found {p}"),
        )),
    }
}

/// `sources` or `claims`: an array of objects as in the model (read with serde), or null.
fn structured<T: serde::de::DeserializeOwned>(
    c: &mut Cursor<'_>,
    ch: u8,
    key: &str,
) -> PResult<Vec<T>> {
    if ch == b'n' {
        c.eat_null()?;
        return Ok(Vec::new());
    }
    if ch != b'[' {
        return Err(c.type_error(ch, &format!("{key} must be an array")));
    }
    let at = c.pos;
    c.skip_value()?;
    let raw = &c.s[at..c.pos];
    serde_json::from_str(raw).map_err(|e| {
        // Locate serde's line/column inside `raw`.
        let line_start: usize = raw
            .split_inclusive('\n')
            .take(e.line().saturating_sub(1))
            .map(str::len)
            .sum();
        let off = (line_start + e.column().saturating_sub(1)).min(raw.len());
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or("");
        PErr::value(at + off, format!("{key}: {msg}"))
    })
}

/// A feature as a generic layer feature.
pub fn layer_feature(c: &mut Cursor<'_>) -> PResult<LayerFeature> {
    let open = c.object_start("a feature")?;
    let mut out = LayerFeature {
        id: None,
        geometry: None,
        properties: serde_json::Map::new(),
    };
    let (mut has_type, mut has_geometry) = (false, false);
    let mut first = true;
    while let Some((key, _)) = c.next_key(&mut first)? {
        match pack(key.as_bytes()) {
            K_TYPE => {
                feature_type(c)?;
                has_type = true;
            }
            K_ID => {
                let (id, is_num) = feature_id(c)?;
                out.id = Some(if is_num {
                    serde_json::from_str(&id).unwrap_or(serde_json::Value::Null)
                } else {
                    serde_json::Value::String(id.into_owned())
                });
            }
            K_GEOMETRY => {
                out.geometry = geometry_or_null(c)?;
                has_geometry = true;
            }
            K_PROPERTIES => {
                let ch = c.next_ws()?;
                match ch {
                    b'n' => {
                        c.eat_null()?;
                    }
                    b'{' => {
                        if let serde_json::Value::Object(m) = c.value()? {
                            out.properties = m;
                        }
                    }
                    _ => return Err(c.type_error(ch, "properties must be an object or null")),
                }
            }
            _ => c.skip_value()?,
        }
    }
    if !has_type {
        return Err(PErr::value(open, "feature has no \"type\" member"));
    }
    if !has_geometry {
        return Err(PErr::value(
            open,
            "feature has no \"geometry\" member (use null for none)",
        ));
    }
    Ok(out)
}
