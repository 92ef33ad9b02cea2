//! RFC 7946 geometry objects into `geo::Geometry<f64>`, validated as they are read:
//! positions of at least two numbers within range, line strings of at least two
//! positions, closed polygon rings of at least four positions, known types only.
//!
//! Members may come in any order: when `coordinates` (or `geometries`) comes before
//! `type`, its offset is remembered and it is read again once the type is known.

use super::cursor::{found, pack, Cursor, PErr, PResult};

const K_TYPE: u128 = pack(b"type");
const K_COORDINATES: u128 = pack(b"coordinates");
const K_GEOMETRIES: u128 = pack(b"geometries");
use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GType {
    Point,
    MultiPoint,
    LineString,
    MultiLineString,
    Polygon,
    MultiPolygon,
    GeometryCollection,
}

impl GType {
    fn from_name(s: &str) -> Option<GType> {
        if s == "Point" {
            return Some(GType::Point);
        }
        Some(match s {
            "MultiPoint" => GType::MultiPoint,
            "LineString" => GType::LineString,
            "MultiLineString" => GType::MultiLineString,
            "Polygon" => GType::Polygon,
            "MultiPolygon" => GType::MultiPolygon,
            "GeometryCollection" => GType::GeometryCollection,
            _ => return None,
        })
    }
    fn name(self) -> &'static str {
        match self {
            GType::Point => "Point",
            GType::MultiPoint => "MultiPoint",
            GType::LineString => "LineString",
            GType::MultiLineString => "MultiLineString",
            GType::Polygon => "Polygon",
            GType::MultiPolygon => "MultiPolygon",
            GType::GeometryCollection => "GeometryCollection",
        }
    }
}

/// Whether `name` is the `type` of an RFC 7946 geometry object.
pub fn is_geometry_type(name: &str) -> bool {
    GType::from_name(name).is_some()
}

/// A geometry member value: `null` or a geometry object.
pub fn geometry_or_null(c: &mut Cursor<'_>) -> PResult<Option<Geometry<f64>>> {
    if c.eat_null()? {
        return Ok(None);
    }
    geometry(c, false).map(Some)
}

/// The geometry of an incident: `null` (unmapped) or a Point, as `(lon, lat)`.
pub fn point_or_null(c: &mut Cursor<'_>) -> PResult<Option<(f64, f64)>> {
    if c.eat_null()? {
        return Ok(None);
    }
    match geometry(c, true)? {
        Geometry::Point(p) => Ok(Some((p.x(), p.y()))),
        // `geometry(c, true)` only returns points.
        _ => Ok(None),
    }
}

/// A geometry object at the cursor. With `only_point`, any other type is a problem.
pub fn geometry(c: &mut Cursor<'_>, only_point: bool) -> PResult<Geometry<f64>> {
    let open = c.object_start("geometry")?;
    let mut ty: Option<GType> = None;
    let mut parsed: Option<Geometry<f64>> = None;
    let mut later: Option<(usize, u32)> = None;
    let mut first = true;
    while let Some((key, _)) = c.next_key(&mut first)? {
        match pack(key.as_bytes()) {
            K_TYPE => {
                let ch = c.next_ws()?;
                let at = c.pos;
                if ch != b'"' {
                    return Err(PErr::value(
                        at,
                        format!("geometry \"type\" must be a string, found {}", found(ch)),
                    ));
                }
                let name = c.string()?;
                let Some(t) = GType::from_name(&name) else {
                    return Err(PErr::value(
                        at,
                        format!("unknown geometry type {:?}", &*name),
                    ));
                };
                if only_point && t != GType::Point {
                    return Err(PErr::value(
                        at,
                        format!(
                            "an incident's geometry must be a Point or null, found a {}",
                            t.name()
                        ),
                    ));
                }
                ty = Some(t);
            }
            k @ (K_COORDINATES | K_GEOMETRIES) => {
                let is_geoms = k == K_GEOMETRIES;
                match ty {
                    Some(GType::GeometryCollection) if is_geoms => {
                        parsed = Some(members(c, only_point)?);
                    }
                    Some(t) if t != GType::GeometryCollection && !is_geoms => {
                        parsed = Some(coordinates(c, t)?);
                    }
                    Some(_) => c.skip_value()?,
                    None => {
                        c.peek_ws();
                        later = Some((c.pos, c.depth));
                        // Remember which member it was by its first byte after the key.
                        if is_geoms {
                            later_geoms(&mut later);
                        }
                        c.skip_value()?;
                    }
                }
            }
            _ => c.skip_value()?,
        }
    }
    let Some(t) = ty else {
        return Err(PErr::value(open, "geometry has no \"type\" member"));
    };
    if let Some(g) = parsed {
        return Ok(g);
    }
    // The member came before "type": read it again now that the type is known.
    if let Some((at, depth)) = later {
        let (at, was_geoms) = decode_later(at);
        if was_geoms == (t == GType::GeometryCollection) {
            let mut again = Cursor::with_caps(c.s, at, depth, c.caps);
            again.vertices = c.vertices;
            return if was_geoms {
                members(&mut again, only_point)
            } else {
                coordinates(&mut again, t)
            };
        }
    }
    if t == GType::GeometryCollection {
        Err(PErr::value(
            open,
            "missing geometries: a GeometryCollection needs a \"geometries\" member",
        ))
    } else {
        Err(PErr::value(
            open,
            format!(
                "missing coordinates: a {} needs a \"coordinates\" member",
                t.name()
            ),
        ))
    }
}

// A deferred "geometries" member is marked by the top bit of its offset.
const GEOMS_FLAG: usize = 1 << (usize::BITS - 1);

fn later_geoms(later: &mut Option<(usize, u32)>) {
    if let Some((at, _)) = later {
        *at |= GEOMS_FLAG;
    }
}

fn decode_later(at: usize) -> (usize, bool) {
    (at & !GEOMS_FLAG, at & GEOMS_FLAG != 0)
}

/// The `geometries` array of a GeometryCollection.
fn members(c: &mut Cursor<'_>, only_point: bool) -> PResult<Geometry<f64>> {
    c.array_start("\"geometries\"")?;
    let mut out = Vec::new();
    let mut first = true;
    while c.next_elem(&mut first)? {
        out.push(geometry(c, only_point)?);
    }
    Ok(Geometry::GeometryCollection(GeometryCollection(out)))
}

/// The `coordinates` of a geometry of type `t`.
fn coordinates(c: &mut Cursor<'_>, t: GType) -> PResult<Geometry<f64>> {
    Ok(match t {
        GType::Point => {
            let ch = c.next_ws()?;
            if ch != b'[' {
                return Err(c.type_error(
                    ch,
                    "Point coordinates must be a position (an array of numbers)",
                ));
            }
            Geometry::Point(Point(position(c)?))
        }
        GType::MultiPoint => {
            Geometry::MultiPoint(MultiPoint(positions(c)?.0.into_iter().map(Point).collect()))
        }
        GType::LineString => Geometry::LineString(line(c, "LineString")?),
        GType::MultiLineString => {
            c.array_start("MultiLineString coordinates")?;
            let mut lines = Vec::new();
            let mut first = true;
            while c.next_elem(&mut first)? {
                let what = format!("MultiLineString line {}", lines.len());
                lines.push(line(c, &what)?);
            }
            Geometry::MultiLineString(MultiLineString(lines))
        }
        GType::Polygon => Geometry::Polygon(polygon(c, "polygon")?),
        GType::MultiPolygon => {
            c.array_start("MultiPolygon coordinates")?;
            let mut polys = Vec::new();
            let mut first = true;
            while c.next_elem(&mut first)? {
                let what = format!("polygon {}", polys.len());
                polys.push(polygon(c, &what)?);
            }
            Geometry::MultiPolygon(MultiPolygon(polys))
        }
        // Handled by `members`.
        GType::GeometryCollection => Geometry::GeometryCollection(GeometryCollection(vec![])),
    })
}

/// A line string of `what`: zero (empty) or at least two positions.
fn line(c: &mut Cursor<'_>, what: &str) -> PResult<LineString<f64>> {
    let (pts, at) = positions(c)?;
    if pts.len() == 1 {
        return Err(PErr::value(
            at,
            format!("{what} needs at least 2 positions, found 1"),
        ));
    }
    Ok(LineString(pts))
}

/// Polygon rings: each closed, of at least four positions. An empty polygon is allowed.
fn polygon(c: &mut Cursor<'_>, what: &str) -> PResult<Polygon<f64>> {
    c.array_start(&format!("{what} coordinates"))?;
    let mut rings: Vec<LineString<f64>> = Vec::new();
    let mut first = true;
    while c.next_elem(&mut first)? {
        let i = rings.len();
        let (pts, at) = positions(c)?;
        if pts.len() < 4 {
            return Err(PErr::value(
                at,
                format!(
                    "{what} ring {i} has {} position{}; at least 4 are needed",
                    pts.len(),
                    if pts.len() == 1 { "" } else { "s" }
                ),
            ));
        }
        let (f, l) = (pts[0], pts[pts.len() - 1]);
        if f.x != l.x || f.y != l.y {
            return Err(PErr::value(
                at,
                format!(
                    "{what} ring {i} is not closed (first [{},{}], last [{},{}])",
                    f.x, f.y, l.x, l.y
                ),
            ));
        }
        rings.push(LineString(pts));
    }
    let mut it = rings.into_iter();
    let exterior = it.next().unwrap_or_else(|| LineString(vec![]));
    Ok(Polygon::new(exterior, it.collect()))
}

/// An array of positions, and the offset of its `[`.
fn positions(c: &mut Cursor<'_>) -> PResult<(Vec<Coord<f64>>, usize)> {
    let at = c.array_start("coordinates")?;
    let mut pts = Vec::new();
    let mut first = true;
    while c.next_elem(&mut first)? {
        let ch = c.next_ws()?;
        if ch != b'[' {
            return Err(c.type_error(ch, "a position must be an array of numbers"));
        }
        pts.push(position(c)?);
    }
    Ok((pts, at))
}

/// A position `[lon, lat]` or `[lon, lat, alt]`, range-checked, counted against the
/// vertex limit.
pub fn position(c: &mut Cursor<'_>) -> PResult<Coord<f64>> {
    c.peek_ws();
    c.vertices += 1;
    if c.vertices > c.caps.vertices {
        return Err(PErr::limit(
            c.pos,
            format!(
                "a geometry of more than {max} positions exceeds the limit of {max} positions",
                max = c.caps.vertices
            ),
        ));
    }
    let at = c.array_start("a position")?;
    let mut xy = [0.0f64; 2];
    let mut n = 0usize;
    let mut first = true;
    while c.next_elem(&mut first)? {
        let ch = c.peek_ws().unwrap_or(b' ');
        let vat = c.pos;
        if ch != b'-' && !ch.is_ascii_digit() {
            let k = found(ch);
            if k == "something that is not JSON" {
                return Err(c.bad_value_start(vat));
            }
            return Err(PErr::value(
                vat,
                format!("coordinates must be numbers, found {k}"),
            ));
        }
        let (v, text) = c.number()?;
        match n {
            0 if !(-180.0..=180.0).contains(&v) => {
                return Err(PErr::value(
                    vat,
                    format!("longitude {text} out of range [-180, 180]"),
                ))
            }
            1 if !(-90.0..=90.0).contains(&v) => {
                return Err(PErr::value(
                    vat,
                    format!("latitude {text} out of range [-90, 90]"),
                ))
            }
            _ => {}
        }
        if let Some(slot) = xy.get_mut(n) {
            *slot = v;
        }
        n += 1;
    }
    if n < 2 {
        return Err(PErr::value(
            at,
            format!("position needs at least 2 numbers, found {n}"),
        ));
    }
    Ok(Coord { x: xy[0], y: xy[1] })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geom(s: &str) -> PResult<Geometry<f64>> {
        let t = format!("{s} ");
        geometry(&mut Cursor::new(&t, 0, 0), false)
    }

    #[test]
    fn all_types_any_member_order() {
        let g = geom(r#"{"coordinates":[[0,0],[1,1]],"type":"LineString"}"#).unwrap();
        assert!(matches!(g, Geometry::LineString(ref l) if l.0.len() == 2));
        let g = geom(r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[]]}"#)
            .unwrap();
        assert!(matches!(g, Geometry::MultiPolygon(ref m) if m.0.len() == 2));
        let g = geom(r#"{"geometries":[{"type":"Point","coordinates":[1,2,3]}],"type":"GeometryCollection"}"#).unwrap();
        assert!(matches!(g, Geometry::GeometryCollection(ref c) if c.0.len() == 1));
    }

    #[test]
    fn validation_messages() {
        let e =
            geom(r#"{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6],[3,4]]]}"#).unwrap_err();
        assert_eq!(
            e.msg,
            "polygon ring 0 is not closed (first [1,2], last [3,4])"
        );
        assert_eq!(e.at, 33);
        let e = geom(r#"{"type":"Circle","coordinates":[1,2]}"#).unwrap_err();
        assert_eq!(e.msg, "unknown geometry type \"Circle\"");
        let e = geom(r#"{"type":"Point"}"#).unwrap_err();
        assert_eq!(
            e.msg,
            "missing coordinates: a Point needs a \"coordinates\" member"
        );
    }
}
