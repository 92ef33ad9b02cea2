//! Mapbox Vector Tiles (MVT 2.1) for the map: tile addressing in Web Mercator and a
//! small protobuf encoder for point layers (incidents and clusters), plus a decoder
//! used by tests and tools.
//!
//! The encoder is hand-rolled (points only, no protobuf dependency): each layer
//! deduplicates its keys and values, features carry an id, tags and one `MoveTo`.
//!
//! ```
//! use atlas::tiles::{decode_tile, TileBuilder, TileId, Value};
//! let tile = TileId::new(6, 44, 25).unwrap();
//! let mut b = TileBuilder::new(tile);
//! let layer = b.layer("incidents");
//! assert!(b.add_point(layer, Some(7), 71.1, 34.1, &[("event_type", Value::Str("Battles"))]));
//! let bytes = b.encode();
//! let layers = decode_tile(&bytes).unwrap();
//! assert_eq!(layers[0].name, "incidents");
//! assert_eq!(layers[0].features[0].id, Some(7));
//! ```

use std::collections::HashMap;
use std::f64::consts::PI;

/// Coordinate extent of a tile (MVT default).
pub const EXTENT: u32 = 4096;
/// Highest zoom served.
pub const MAX_ZOOM: u8 = 22;
/// Points this far outside a tile (in tile units) are still encoded, so symbols
/// that straddle tile edges are drawn on both sides.
pub const BUFFER: i32 = 256;

/// What went wrong with a tile address or a tile's bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TileError {
    #[error("zoom {0} out of range 0..={MAX_ZOOM}")]
    Zoom(u32),
    #[error("tile {x}/{y} does not exist at zoom {z}")]
    OutOfRange { z: u8, x: u32, y: u32 },
    #[error("not a tile path (want z/x/y.pbf): {0:?}")]
    Path(String),
    #[error("malformed vector tile: {0}")]
    Decode(&'static str),
}

/// A tile address `z/x/y` (XYZ scheme, y grows southwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileId {
    /// A checked tile address.
    pub fn new(z: u32, x: u32, y: u32) -> Result<TileId, TileError> {
        if z > MAX_ZOOM as u32 {
            return Err(TileError::Zoom(z));
        }
        let z = z as u8;
        let n = 1u64 << z;
        if x as u64 >= n || y as u64 >= n {
            return Err(TileError::OutOfRange { z, x, y });
        }
        Ok(TileId { z, x, y })
    }

    /// Parse `z/x/y.pbf` (also `z/x/y.mvt` or `z/x/y`); a leading `/` is ignored.
    ///
    /// ```
    /// use atlas::tiles::TileId;
    /// assert_eq!(TileId::parse_path("/5/21/13.pbf").unwrap(), TileId::new(5, 21, 13).unwrap());
    /// assert!(TileId::parse_path("5/99/13.pbf").is_err());
    /// ```
    pub fn parse_path(path: &str) -> Result<TileId, TileError> {
        let bad = || TileError::Path(path.chars().take(80).collect());
        let p = path.trim_start_matches('/');
        let p = p
            .strip_suffix(".pbf")
            .or_else(|| p.strip_suffix(".mvt"))
            .unwrap_or(p);
        let mut it = p.split('/');
        let mut num = || -> Result<u32, TileError> {
            let s = it.next().ok_or_else(bad)?;
            if s.is_empty() || s.len() > 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse().map_err(|_| bad())
        };
        let (z, x, y) = (num()?, num()?, num()?);
        if it.next().is_some() {
            return Err(bad());
        }
        TileId::new(z, x, y)
    }

    /// Number of tiles along one axis at this zoom.
    pub fn count(&self) -> f64 {
        (1u64 << self.z) as f64
    }

    /// `[west, south, east, north]` in degrees.
    pub fn bounds(&self) -> [f64; 4] {
        let n = self.count();
        let lon = |x: f64| x / n * 360.0 - 180.0;
        let lat = |y: f64| (PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees();
        [
            lon(self.x as f64),
            lat(self.y as f64 + 1.0),
            lon(self.x as f64 + 1.0),
            lat(self.y as f64),
        ]
    }

    /// Bounds grown by `frac` of the tile size on every side (for the edge buffer),
    /// clamped to the Mercator range.
    pub fn bounds_buffered(&self, frac: f64) -> [f64; 4] {
        let n = self.count();
        let lon = |x: f64| (x / n * 360.0 - 180.0).clamp(-180.0, 180.0);
        let lat = |y: f64| {
            let y = y.clamp(0.0, n);
            (PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees()
        };
        let (x, y) = (self.x as f64, self.y as f64);
        [
            lon(x - frac),
            lat(y + 1.0 + frac),
            lon(x + 1.0 + frac),
            lat(y - frac),
        ]
    }

    /// Position of a WGS84 point in this tile's coordinates (0..[`EXTENT`] inside the tile).
    pub fn project(&self, lon: f64, lat: f64) -> (i32, i32) {
        let (wx, wy) = world_xy(lon, lat);
        let n = self.count();
        let e = EXTENT as f64;
        let x = ((wx * n - self.x as f64) * e).round();
        let y = ((wy * n - self.y as f64) * e).round();
        (
            x.clamp(i32::MIN as f64, i32::MAX as f64) as i32,
            y.clamp(i32::MIN as f64, i32::MAX as f64) as i32,
        )
    }
}

/// Web Mercator position of a WGS84 point, both axes in 0..1 (y southwards).
pub fn world_xy(lon: f64, lat: f64) -> (f64, f64) {
    let x = lon / 360.0 + 0.5;
    let s = lat.clamp(-85.051_128_78, 85.051_128_78).to_radians().sin();
    let y = 0.5 - 0.25 * ((1.0 + s) / (1.0 - s)).ln() / PI;
    (x, y.clamp(0.0, 1.0))
}

/// A property value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Str(&'a str),
    Int(i64),
    UInt(u64),
    Double(f64),
    Bool(bool),
}

/// A decoded property value.
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedValue {
    Str(String),
    Int(i64),
    UInt(u64),
    Double(f64),
    Float(f32),
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ValueKey {
    Str(String),
    Int(i64),
    UInt(u64),
    Double(u64),
    Bool(bool),
}

impl From<Value<'_>> for ValueKey {
    fn from(v: Value<'_>) -> Self {
        match v {
            Value::Str(s) => ValueKey::Str(s.to_owned()),
            Value::Int(i) => ValueKey::Int(i),
            Value::UInt(u) => ValueKey::UInt(u),
            Value::Double(d) => ValueKey::Double(d.to_bits()),
            Value::Bool(b) => ValueKey::Bool(b),
        }
    }
}

#[derive(Debug, Default)]
struct Layer {
    name: String,
    keys: Vec<String>,
    key_index: HashMap<String, u32>,
    values: Vec<ValueKey>,
    value_index: HashMap<ValueKey, u32>,
    /// Encoded `features` fields.
    features: Vec<u8>,
    count: usize,
}

/// Builds one tile: point features in named layers.
#[derive(Debug)]
pub struct TileBuilder {
    tile: TileId,
    layers: Vec<Layer>,
    tags: Vec<u32>,
    scratch: Vec<u8>,
}

/// Index of a layer in a [`TileBuilder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerIx(usize);

impl TileBuilder {
    pub fn new(tile: TileId) -> Self {
        TileBuilder {
            tile,
            layers: Vec::new(),
            tags: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// The tile being built.
    pub fn tile(&self) -> TileId {
        self.tile
    }

    /// The layer called `name` (created on first use).
    pub fn layer(&mut self, name: &str) -> LayerIx {
        if let Some(i) = self.layers.iter().position(|l| l.name == name) {
            return LayerIx(i);
        }
        self.layers.push(Layer {
            name: name.to_owned(),
            ..Default::default()
        });
        LayerIx(self.layers.len() - 1)
    }

    /// Number of features in a layer.
    pub fn len(&self, layer: LayerIx) -> usize {
        self.layers.get(layer.0).map_or(0, |l| l.count)
    }

    /// Whether no feature was added to any layer.
    pub fn is_empty(&self) -> bool {
        self.layers.iter().all(|l| l.count == 0)
    }

    /// Add a point at a WGS84 position. Points outside the tile plus its [`BUFFER`]
    /// (and non-finite positions) are skipped: returns whether the point was added.
    pub fn add_point(
        &mut self,
        layer: LayerIx,
        id: Option<u64>,
        lon: f64,
        lat: f64,
        props: &[(&str, Value<'_>)],
    ) -> bool {
        if !lon.is_finite() || !lat.is_finite() {
            return false;
        }
        let (x, y) = self.tile.project(lon, lat);
        let lim = EXTENT as i32 + BUFFER;
        if x < -BUFFER || y < -BUFFER || x > lim || y > lim {
            return false;
        }
        let Some(l) = self.layers.get_mut(layer.0) else {
            return false;
        };
        self.tags.clear();
        for (k, v) in props {
            let ki = match l.key_index.get(*k) {
                Some(&i) => i,
                None => {
                    let i = l.keys.len() as u32;
                    l.keys.push((*k).to_owned());
                    l.key_index.insert((*k).to_owned(), i);
                    i
                }
            };
            let vk = ValueKey::from(*v);
            let vi = match l.value_index.get(&vk) {
                Some(&i) => i,
                None => {
                    let i = l.values.len() as u32;
                    l.values.push(vk.clone());
                    l.value_index.insert(vk, i);
                    i
                }
            };
            self.tags.push(ki);
            self.tags.push(vi);
        }
        // Feature message.
        let f = &mut self.scratch;
        f.clear();
        if let Some(id) = id {
            put_key(f, 1, 0);
            put_varint(f, id);
        }
        if !self.tags.is_empty() {
            let mut packed = Vec::with_capacity(self.tags.len() * 2);
            for t in &self.tags {
                put_varint(&mut packed, *t as u64);
            }
            put_key(f, 2, 2);
            put_bytes(f, &packed);
        }
        put_key(f, 3, 0);
        put_varint(f, 1); // POINT
        let mut geom = Vec::with_capacity(8);
        put_varint(&mut geom, (1 & 0x7) | (1 << 3)); // MoveTo, count 1
        put_varint(&mut geom, zigzag(x));
        put_varint(&mut geom, zigzag(y));
        put_key(f, 4, 2);
        put_bytes(f, &geom);
        put_key(&mut l.features, 2, 2);
        put_bytes(&mut l.features, f);
        l.count += 1;
        true
    }

    /// The tile's bytes (uncompressed protobuf). Empty layers are left out; a tile
    /// with no features at all is zero bytes, which MapLibre accepts as an empty tile.
    pub fn encode(self) -> Vec<u8> {
        let mut out = Vec::new();
        for l in self.layers.iter().filter(|l| l.count > 0) {
            let mut m = Vec::with_capacity(l.features.len() + 64);
            put_key(&mut m, 15, 0);
            put_varint(&mut m, 2);
            put_key(&mut m, 1, 2);
            put_bytes(&mut m, l.name.as_bytes());
            m.extend_from_slice(&l.features);
            for k in &l.keys {
                put_key(&mut m, 3, 2);
                put_bytes(&mut m, k.as_bytes());
            }
            for v in &l.values {
                let mut vm = Vec::new();
                match v {
                    ValueKey::Str(s) => {
                        put_key(&mut vm, 1, 2);
                        put_bytes(&mut vm, s.as_bytes());
                    }
                    ValueKey::Double(bits) => {
                        put_key(&mut vm, 3, 1);
                        vm.extend_from_slice(&bits.to_le_bytes());
                    }
                    ValueKey::Int(i) => {
                        put_key(&mut vm, 6, 0);
                        put_varint(&mut vm, zigzag64(*i));
                    }
                    ValueKey::UInt(u) => {
                        put_key(&mut vm, 5, 0);
                        put_varint(&mut vm, *u);
                    }
                    ValueKey::Bool(b) => {
                        put_key(&mut vm, 7, 0);
                        put_varint(&mut vm, *b as u64);
                    }
                }
                put_key(&mut m, 4, 2);
                put_bytes(&mut m, &vm);
            }
            put_key(&mut m, 5, 0);
            put_varint(&mut m, EXTENT as u64);
            put_key(&mut out, 3, 2);
            put_bytes(&mut out, &m);
        }
        out
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_key(out: &mut Vec<u8>, field: u32, wire: u8) {
    put_varint(out, ((field as u64) << 3) | wire as u64);
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn zigzag(v: i32) -> u64 {
    ((v << 1) ^ (v >> 31)) as u32 as u64
}

fn zigzag64(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// A decoded layer.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedLayer {
    pub name: String,
    pub extent: u32,
    pub features: Vec<DecodedFeature>,
}

/// A decoded feature: geometry commands resolved to points (for point layers).
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedFeature {
    pub id: Option<u64>,
    /// 1 point, 2 line, 3 polygon.
    pub geom_type: u32,
    /// MoveTo/LineTo positions in tile coordinates.
    pub points: Vec<(i64, i64)>,
    pub props: Vec<(String, OwnedValue)>,
}

impl DecodedFeature {
    /// A property by key.
    pub fn prop(&self, key: &str) -> Option<&OwnedValue> {
        self.props.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

enum Field<'a> {
    Varint(u64),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Fixed32(u32),
}

const TRUNC: TileError = TileError::Decode("truncated");

impl<'a> Reader<'a> {
    fn new(b: &'a [u8]) -> Self {
        Reader { b, i: 0 }
    }
    fn varint(&mut self) -> Result<u64, TileError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.b.get(self.i).ok_or(TRUNC)?;
            self.i += 1;
            v |= ((byte & 0x7f) as u64) << shift;
            if byte < 0x80 {
                return Ok(v);
            }
        }
        Err(TileError::Decode("varint too long"))
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], TileError> {
        let end = self.i.checked_add(n).ok_or(TRUNC)?;
        let s = self.b.get(self.i..end).ok_or(TRUNC)?;
        self.i = end;
        Ok(s)
    }
    fn next(&mut self) -> Result<Option<(u32, Field<'a>)>, TileError> {
        if self.i >= self.b.len() {
            return Ok(None);
        }
        let key = self.varint()?;
        let field = (key >> 3) as u32;
        let f = match key & 7 {
            0 => Field::Varint(self.varint()?),
            1 => {
                let s = self.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(s);
                Field::Fixed64(u64::from_le_bytes(a))
            }
            2 => {
                let n = self.varint()? as usize;
                Field::Bytes(self.take(n)?)
            }
            5 => {
                let s = self.take(4)?;
                let mut a = [0u8; 4];
                a.copy_from_slice(s);
                Field::Fixed32(u32::from_le_bytes(a))
            }
            _ => return Err(TileError::Decode("unsupported wire type")),
        };
        Ok(Some((field, f)))
    }
}

fn packed(b: &[u8]) -> Result<Vec<u64>, TileError> {
    let mut r = Reader::new(b);
    let mut v = Vec::new();
    while r.i < b.len() {
        v.push(r.varint()?);
    }
    Ok(v)
}

fn decode_value(b: &[u8]) -> Result<OwnedValue, TileError> {
    let mut r = Reader::new(b);
    let mut out = None;
    while let Some((field, f)) = r.next()? {
        out = Some(match (field, f) {
            (1, Field::Bytes(s)) => OwnedValue::Str(
                std::str::from_utf8(s)
                    .map_err(|_| TileError::Decode("string value not UTF-8"))?
                    .to_owned(),
            ),
            (2, Field::Fixed32(v)) => OwnedValue::Float(f32::from_bits(v)),
            (3, Field::Fixed64(v)) => OwnedValue::Double(f64::from_bits(v)),
            (4, Field::Varint(v)) => OwnedValue::Int(v as i64),
            (5, Field::Varint(v)) => OwnedValue::UInt(v),
            (6, Field::Varint(v)) => OwnedValue::Int(unzigzag(v)),
            (7, Field::Varint(v)) => OwnedValue::Bool(v != 0),
            _ => return Err(TileError::Decode("bad value field")),
        });
    }
    out.ok_or(TileError::Decode("empty value"))
}

/// Decode a tile (for tests and tools; supports what MVT 2.1 allows).
pub fn decode_tile(bytes: &[u8]) -> Result<Vec<DecodedLayer>, TileError> {
    let mut layers = Vec::new();
    let mut r = Reader::new(bytes);
    while let Some((field, f)) = r.next()? {
        let (3, Field::Bytes(lb)) = (field, f) else {
            continue;
        };
        let mut lr = Reader::new(lb);
        let (mut name, mut extent) = (String::new(), 4096u32);
        let (mut keys, mut values, mut raw) = (Vec::new(), Vec::new(), Vec::new());
        while let Some((field, f)) = lr.next()? {
            match (field, f) {
                (1, Field::Bytes(s)) => {
                    name = String::from_utf8(s.to_vec())
                        .map_err(|_| TileError::Decode("layer name not UTF-8"))?
                }
                (2, Field::Bytes(s)) => raw.push(s),
                (3, Field::Bytes(s)) => keys.push(
                    String::from_utf8(s.to_vec())
                        .map_err(|_| TileError::Decode("key not UTF-8"))?,
                ),
                (4, Field::Bytes(s)) => values.push(decode_value(s)?),
                (5, Field::Varint(v)) => extent = v as u32,
                _ => {}
            }
        }
        let mut features = Vec::with_capacity(raw.len());
        for fb in raw {
            let mut fr = Reader::new(fb);
            let mut feat = DecodedFeature {
                id: None,
                geom_type: 0,
                points: Vec::new(),
                props: Vec::new(),
            };
            while let Some((field, f)) = fr.next()? {
                match (field, f) {
                    (1, Field::Varint(v)) => feat.id = Some(v),
                    (2, Field::Bytes(s)) => {
                        let t = packed(s)?;
                        for kv in t.chunks(2) {
                            let (Some(k), Some(v)) = (
                                kv.first().and_then(|&k| keys.get(k as usize)),
                                kv.get(1).and_then(|&v| values.get(v as usize)),
                            ) else {
                                return Err(TileError::Decode("tag index out of range"));
                            };
                            feat.props.push((k.clone(), v.clone()));
                        }
                    }
                    (3, Field::Varint(v)) => feat.geom_type = v as u32,
                    (4, Field::Bytes(s)) => {
                        let g = packed(s)?;
                        let (mut x, mut y, mut i) = (0i64, 0i64, 0usize);
                        while let Some(&cmd) = g.get(i) {
                            i += 1;
                            let (id, count) = (cmd & 7, cmd >> 3);
                            if id == 7 {
                                continue;
                            }
                            for _ in 0..count {
                                let (Some(&dx), Some(&dy)) = (g.get(i), g.get(i + 1)) else {
                                    return Err(TileError::Decode("geometry truncated"));
                                };
                                i += 2;
                                x += unzigzag(dx);
                                y += unzigzag(dy);
                                feat.points.push((x, y));
                            }
                        }
                    }
                    _ => {}
                }
            }
            features.push(feat);
        }
        layers.push(DecodedLayer {
            name,
            extent,
            features,
        });
    }
    Ok(layers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_paths() {
        assert_eq!(
            TileId::parse_path("0/0/0.pbf").unwrap(),
            TileId { z: 0, x: 0, y: 0 }
        );
        assert_eq!(
            TileId::parse_path("7/89/52").unwrap(),
            TileId { z: 7, x: 89, y: 52 }
        );
        for bad in [
            "",
            "1/2",
            "1/2/3/4.pbf",
            "a/b/c.pbf",
            "-1/0/0.pbf",
            "23/0/0.pbf",
            "1/2/0.pbf",
            "99999999999/0/0",
            "1/+1/0",
        ] {
            assert!(TileId::parse_path(bad).is_err(), "{bad}");
        }
        assert_eq!(TileId::new(23, 0, 0), Err(TileError::Zoom(23)));
    }

    #[test]
    fn bounds_and_projection_agree() {
        let t = TileId::new(6, 44, 25).unwrap();
        let [w, s, e, n] = t.bounds();
        assert!(w < e && s < n);
        assert_eq!(t.project(w, n), (0, 0));
        assert_eq!(t.project(e, s), (EXTENT as i32, EXTENT as i32));
        let world = TileId::new(0, 0, 0).unwrap().bounds();
        assert!((world[0] + 180.0).abs() < 1e-9 && (world[3] - 85.0511).abs() < 1e-3);
        let b = t.bounds_buffered(0.1);
        assert!(b[0] < w && b[1] < s && b[2] > e && b[3] > n);
    }

    #[test]
    fn round_trip_with_dedup_and_all_value_kinds() {
        let t = TileId::new(8, 178, 102).unwrap();
        let [w, s, e, n] = t.bounds();
        // The centre in Mercator is the north-west corner of the south-east child.
        let [cx, _, _, cy] = TileId::new(9, 357, 205).unwrap().bounds();
        assert!(cx > w && cx < e && cy > s && cy < n);
        let mut b = TileBuilder::new(t);
        let inc = b.layer("incidents");
        let cl = b.layer("clusters");
        assert_eq!(b.layer("incidents"), inc);
        for i in 0..3u64 {
            assert!(b.add_point(
                inc,
                Some(i),
                cx,
                cy,
                &[
                    ("event_type", Value::Str("Battles")),
                    ("n", Value::UInt(i)),
                    ("neg", Value::Int(-5)),
                    ("f", Value::Double(1.5)),
                    ("hollow", Value::Bool(i == 1)),
                ],
            ));
        }
        assert!(!b.add_point(inc, None, cx + 90.0, cy, &[]), "far outside");
        assert!(!b.add_point(inc, None, f64::NAN, cy, &[]));
        assert!(b.add_point(cl, None, w, n, &[("point_count", Value::UInt(12))]));
        assert_eq!(b.len(inc), 3);
        let bytes = b.encode();
        let layers = decode_tile(&bytes).unwrap();
        assert_eq!(layers.len(), 2);
        let l = &layers[0];
        assert_eq!((l.name.as_str(), l.extent), ("incidents", EXTENT));
        assert_eq!(l.features.len(), 3);
        let f = &l.features[1];
        assert_eq!(f.id, Some(1));
        assert_eq!(f.geom_type, 1);
        assert_eq!(f.points, vec![(2048, 2048)]);
        assert_eq!(
            f.prop("event_type"),
            Some(&OwnedValue::Str("Battles".into()))
        );
        assert_eq!(f.prop("neg"), Some(&OwnedValue::Int(-5)));
        assert_eq!(f.prop("f"), Some(&OwnedValue::Double(1.5)));
        assert_eq!(f.prop("hollow"), Some(&OwnedValue::Bool(true)));
        assert_eq!(f.prop("n"), Some(&OwnedValue::UInt(1)));
        assert_eq!(layers[1].features[0].points, vec![(0, 0)]);
        // "Battles" and -5 and 1.5 stored once: 3 features share them.
        let count = bytes.windows(7).filter(|w| w == b"Battles").count();
        assert_eq!(count, 1);
    }

    #[test]
    fn empty_tile_is_empty_and_garbage_is_an_error() {
        let b = TileBuilder::new(TileId::new(3, 1, 1).unwrap());
        assert!(b.is_empty());
        assert!(b.encode().is_empty());
        assert!(decode_tile(&[0x1a, 0x05, 0x01]).is_err());
        assert!(decode_tile(&[0xff; 12]).is_err());
    }
}
