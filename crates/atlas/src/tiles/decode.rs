//! Decoding of vector tiles, for tests and tools: layers, features, properties and
//! geometry (points, line parts and polygon rings in tile coordinates).

use super::{OwnedValue, TileError};

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

/// A decoded feature: geometry commands resolved to positions.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedFeature {
    pub id: Option<u64>,
    /// 1 point, 2 line, 3 polygon.
    pub geom_type: u32,
    /// All MoveTo/LineTo positions in tile coordinates, in order.
    pub points: Vec<(i64, i64)>,
    /// The same positions split at each MoveTo: the points of a multipoint, the parts of a
    /// line, the rings of a polygon (without a repeated closing point; ClosePath implied).
    pub parts: Vec<Vec<(i64, i64)>>,
    pub props: Vec<(String, OwnedValue)>,
}

impl DecodedFeature {
    /// Twice the signed area of each part taken as a ring (surveyor's formula in tile
    /// coordinates): positive for MVT exterior rings, negative for holes.
    pub fn ring_areas(&self) -> Vec<i64> {
        self.parts
            .iter()
            .map(|r| super::geometry::ring_area2(r))
            .collect()
    }

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
                parts: Vec::new(),
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
                            match id {
                                7 => continue,
                                1 | 2 => {}
                                _ => return Err(TileError::Decode("unknown geometry command")),
                            }
                            if id == 1 || feat.parts.is_empty() {
                                feat.parts.push(Vec::new());
                            }
                            for _ in 0..count {
                                let (Some(&dx), Some(&dy)) = (g.get(i), g.get(i + 1)) else {
                                    return Err(TileError::Decode("geometry truncated"));
                                };
                                i += 2;
                                x = x.wrapping_add(unzigzag(dx));
                                y = y.wrapping_add(unzigzag(dy));
                                feat.points.push((x, y));
                                if let Some(part) = feat.parts.last_mut() {
                                    part.push((x, y));
                                }
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
