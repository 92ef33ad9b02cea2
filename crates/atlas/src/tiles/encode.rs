//! [`TileBuilder`]: a hand-rolled protobuf encoder (no protobuf dependency). Each layer
//! deduplicates its keys and values; features carry an id, tags and a geometry.

use super::geometry::{Frame, GeomWriter};
use super::{world_xy, TileId, Value, BUFFER, EXTENT};
use geo::{LineString, Polygon};
use std::collections::HashMap;

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
    /// String values by text (looked up without allocating), other values by key.
    str_index: HashMap<String, u32>,
    value_index: HashMap<ValueKey, u32>,
    /// Encoded `features` fields.
    features: Vec<u8>,
    count: usize,
}

/// MVT geometry types.
const POINT: u64 = 1;
const LINESTRING: u64 = 2;
const POLYGON: u64 = 3;

/// Builds one tile: point, line and polygon features in named layers.
///
/// Lines and polygons are given in WGS84 degrees; they are clipped to the tile plus its
/// [`BUFFER`], simplified at the tile's resolution and written with MVT 2.1 winding.
///
/// ```
/// use atlas::tiles::{decode_tile, TileBuilder, TileId, Value};
/// use geo::{line_string, polygon};
/// let tile = TileId::new(6, 44, 25).unwrap();
/// let [w, s, e, n] = tile.bounds();
/// let (cx, cy) = ((w + e) / 2.0, (s + n) / 2.0);
/// let mut b = TileBuilder::new(tile);
/// let roads = b.layer("roads");
/// let road = line_string![(x: w - 1.0, y: cy), (x: cx, y: cy)];
/// assert!(b.add_line(roads, Some(1), &[road], &[("name", Value::Str("N5"))]));
/// let areas = b.layer("areas");
/// let area = polygon![(x: w, y: s), (x: cx, y: s), (x: cx, y: cy), (x: w, y: cy)];
/// assert!(b.add_polygon(areas, Some(2), &[area], &[]));
/// let layers = decode_tile(&b.encode()).unwrap();
/// assert_eq!(layers[0].features[0].geom_type, 2);
/// // Clipped at the west edge of the buffer (256 units outside the tile).
/// assert_eq!(layers[0].features[0].parts[0][0].0, -256);
/// assert_eq!(layers[1].features[0].geom_type, 3);
/// assert_eq!(layers[1].features[0].parts.len(), 1);
/// ```
#[derive(Debug)]
pub struct TileBuilder {
    tile: TileId,
    frame: Frame,
    layers: Vec<Layer>,
    tags: Vec<u32>,
    scratch: Vec<u8>,
    geom: GeomWriter,
    world: Vec<Vec<(f64, f64)>>,
}

/// Index of a layer in a [`TileBuilder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerIx(usize);

fn intern_key(l: &mut Layer, k: &str) -> u32 {
    if let Some(&i) = l.key_index.get(k) {
        return i;
    }
    let i = l.keys.len() as u32;
    l.keys.push(k.to_owned());
    l.key_index.insert(k.to_owned(), i);
    i
}

fn intern_value(l: &mut Layer, v: Value<'_>) -> u32 {
    if let Value::Str(s) = v {
        if let Some(&i) = l.str_index.get(s) {
            return i;
        }
        let i = l.values.len() as u32;
        l.values.push(ValueKey::Str(s.to_owned()));
        l.str_index.insert(s.to_owned(), i);
        return i;
    }
    let vk = ValueKey::from(v);
    if let Some(&i) = l.value_index.get(&vk) {
        return i;
    }
    let i = l.values.len() as u32;
    l.values.push(vk.clone());
    l.value_index.insert(vk, i);
    i
}

fn to_world(ls: &LineString<f64>) -> impl Iterator<Item = (f64, f64)> + '_ {
    ls.0.iter()
        .filter(|c| c.x.is_finite() && c.y.is_finite())
        .map(|c| world_xy(c.x, c.y))
}

impl TileBuilder {
    pub fn new(tile: TileId) -> Self {
        TileBuilder {
            tile,
            frame: Frame::new(tile),
            layers: Vec::new(),
            tags: Vec::new(),
            scratch: Vec::new(),
            geom: GeomWriter::default(),
            world: Vec::new(),
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
        let mut geom = std::mem::take(&mut self.geom);
        geom.clear();
        geom.cmds
            .extend([(1 & 0x7) | (1 << 3), zigzag(x), zigzag(y)]);
        let added = self.push_feature(layer, id, POINT, &geom.cmds, props);
        self.geom = geom;
        added
    }

    /// Add a (multi)line in WGS84 degrees as one LINESTRING feature: clipped to the tile
    /// plus its [`BUFFER`] (a line leaving and re-entering the tile gives several parts),
    /// simplified, with repeated points removed; non-finite positions are skipped. Returns
    /// whether anything of it is in the tile.
    pub fn add_line(
        &mut self,
        layer: LayerIx,
        id: Option<u64>,
        lines: &[LineString<f64>],
        props: &[(&str, Value<'_>)],
    ) -> bool {
        let mut geom = std::mem::take(&mut self.geom);
        geom.clear();
        for ls in lines {
            geom.line(&self.frame, to_world(ls));
        }
        let added = self.push_feature(layer, id, LINESTRING, &geom.cmds, props);
        self.geom = geom;
        added
    }

    /// Add (multi)polygons in WGS84 degrees as one POLYGON feature: rings clipped to the
    /// tile plus its [`BUFFER`], simplified, repeated points removed, rings with fewer than
    /// 3 distinct points or no area dropped (a polygon whose exterior is dropped loses its
    /// holes too), exterior rings clockwise on screen and holes counter-clockwise whatever
    /// the input winding. Returns whether anything of it is in the tile.
    pub fn add_polygon(
        &mut self,
        layer: LayerIx,
        id: Option<u64>,
        polygons: &[Polygon<f64>],
        props: &[(&str, Value<'_>)],
    ) -> bool {
        let mut geom = std::mem::take(&mut self.geom);
        let mut world = std::mem::take(&mut self.world);
        geom.clear();
        for p in polygons {
            world.clear();
            world.extend(
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(|r| to_world(r).collect::<Vec<_>>()),
            );
            geom.polygon(&self.frame, world.iter());
        }
        let added = self.push_feature(layer, id, POLYGON, &geom.cmds, props);
        self.geom = geom;
        self.world = world;
        added
    }

    /// Lines already in world coordinates (see [`world_xy`]).
    pub(crate) fn add_world_lines<'a>(
        &mut self,
        layer: LayerIx,
        id: Option<u64>,
        lines: impl IntoIterator<Item = &'a [(f64, f64)]>,
        props: &[(&str, Value<'_>)],
    ) -> bool {
        let mut geom = std::mem::take(&mut self.geom);
        geom.clear();
        for l in lines {
            geom.line(&self.frame, l.iter().copied());
        }
        let added = self.push_feature(layer, id, LINESTRING, &geom.cmds, props);
        self.geom = geom;
        added
    }

    /// Polygons (rings, exterior first) already in world coordinates.
    pub(crate) fn add_world_polygons<'a>(
        &mut self,
        layer: LayerIx,
        id: Option<u64>,
        polygons: impl IntoIterator<Item = &'a [Vec<(f64, f64)>]>,
        props: &[(&str, Value<'_>)],
    ) -> bool {
        let mut geom = std::mem::take(&mut self.geom);
        geom.clear();
        for p in polygons {
            geom.polygon(&self.frame, p.iter());
        }
        let added = self.push_feature(layer, id, POLYGON, &geom.cmds, props);
        self.geom = geom;
        added
    }

    /// Write a feature with its tags; nothing when `cmds` is empty.
    fn push_feature(
        &mut self,
        layer: LayerIx,
        id: Option<u64>,
        geom_type: u64,
        cmds: &[u32],
        props: &[(&str, Value<'_>)],
    ) -> bool {
        if cmds.is_empty() {
            return false;
        }
        let Some(l) = self.layers.get_mut(layer.0) else {
            return false;
        };
        self.tags.clear();
        for (k, v) in props {
            self.tags.push(intern_key(l, k));
            self.tags.push(intern_value(l, *v));
        }
        let f = &mut self.scratch;
        f.clear();
        if let Some(id) = id {
            put_key(f, 1, 0);
            put_varint(f, id);
        }
        if !self.tags.is_empty() {
            put_key(f, 2, 2);
            put_varint(
                f,
                self.tags
                    .iter()
                    .map(|&t| varint_len(t as u64))
                    .sum::<usize>() as u64,
            );
            for &t in &self.tags {
                put_varint(f, t as u64);
            }
        }
        put_key(f, 3, 0);
        put_varint(f, geom_type);
        put_key(f, 4, 2);
        put_varint(
            f,
            cmds.iter().map(|&c| varint_len(c as u64)).sum::<usize>() as u64,
        );
        for &c in cmds {
            put_varint(f, c as u64);
        }
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

fn varint_len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros() as usize).div_ceil(7)
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

fn zigzag(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

fn zigzag64(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}
