//! Property tests: every index query against a brute-force scan of the same store.

use atlas::date::Day;
use atlas::filter::Filter;
use atlas::geodesic::distance_km;
use atlas::index::{select, split_box, Metric, SpatialIndex};
use atlas::model::{IncidentRecord, IncidentStore};
use proptest::prelude::*;

/// A coordinate drawn so that edges (±180, ±90), duplicates and a clustered region all occur.
fn coord(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => lo..=hi,
        1 => Just(lo),
        1 => Just(hi),
        1 => (0i32..8).prop_map(move |k| lo + (hi - lo) * k as f64 / 8.0),
    ]
}

#[derive(Debug, Clone)]
struct Row {
    lon: f64,
    lat: f64,
    start: Day,
    len: Day,
    deleted: bool,
}

fn row() -> impl Strategy<Value = Row> {
    (
        prop_oneof![
            8 => (coord(-180.0, 180.0), coord(-90.0, 90.0)),
            8 => (60.0..75.0f64, 29.0..38.5f64),
            1 => Just((f64::NAN, f64::NAN)),
        ],
        0..60i32,
        prop_oneof![4 => Just(0), 1 => 0..20i32],
        prop::bool::weighted(0.05),
    )
        .prop_map(|((lon, lat), start, len, deleted)| Row {
            lon,
            lat,
            start,
            len,
            deleted,
        })
}

fn store_of(rows: &[Row]) -> IncidentStore {
    let mut s = IncidentStore::default();
    for (i, r) in rows.iter().enumerate() {
        let mut rec = IncidentRecord::new(&format!("E{i}"), r.lon, r.lat, r.start);
        rec.date_end = r.start + r.len;
        s.push(&rec);
    }
    for (i, r) in rows.iter().enumerate() {
        if r.deleted {
            s.delete(i as u32);
        }
    }
    s
}

/// Rows with duplicates: some rows repeat an earlier row's position.
fn rows() -> impl Strategy<Value = Vec<Row>> {
    (
        prop::collection::vec(row(), 0..400),
        prop::collection::vec((0usize..400, 0usize..400), 0..40),
    )
        .prop_map(|(mut rows, dups)| {
            for (a, b) in dups {
                if a < rows.len() && b < rows.len() {
                    rows[b].lon = rows[a].lon;
                    rows[b].lat = rows[a].lat;
                }
            }
            rows
        })
}

fn bbox() -> impl Strategy<Value = [f64; 4]> {
    prop_oneof![
        (
            coord(-180.0, 180.0),
            coord(-90.0, 90.0),
            coord(-180.0, 180.0),
            coord(-90.0, 90.0)
        )
            .prop_map(|(a, b, c, d)| [a, b, c, d]),
        (60.0..75.0f64, 29.0..38.5f64, 0.0..8.0f64, 0.0..5.0f64).prop_map(|(x, y, w, h)| [
            x,
            y,
            x + w,
            y + h
        ]),
        Just([-180.0, -90.0, 180.0, 90.0]),
        (coord(-180.0, 180.0), coord(-90.0, 90.0)).prop_map(|(x, y)| [x, y, x, y]),
    ]
}

fn live_mapped(s: &IncidentStore, r: u32) -> bool {
    s.is_live(r) && s.is_mapped(r)
}

fn in_box(s: &IncidentStore, r: u32, b: [f64; 4]) -> bool {
    let (x, y) = (s.lon[r as usize], s.lat[r as usize]);
    split_box(b)
        .iter()
        .any(|(lo, hi)| lo[0] <= x && x <= hi[0] && lo[1] <= y && y <= hi[1])
}

fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn bbox_matches_brute_force(rows in rows(), boxes in prop::collection::vec(bbox(), 1..12)) {
        let s = store_of(&rows);
        let idx = SpatialIndex::build(&s);
        for b in boxes {
            let mut got = Vec::new();
            idx.boxes.query(b, &mut got);
            prop_assert_eq!(got.len(), idx.boxes.count(b));
            let want: Vec<u32> = (0..s.len() as u32).filter(|&r| live_mapped(&s, r) && in_box(&s, r, b)).collect();
            prop_assert_eq!(sorted(got), want, "box {:?}", b);
        }
    }

    #[test]
    fn bbox_semantics_are_closed_and_wrap(rows in rows(), b in bbox()) {
        // The brute force above shares split_box; check its meaning directly here.
        let s = store_of(&rows);
        let idx = SpatialIndex::build(&s);
        let mut got = Vec::new();
        idx.boxes.query(b, &mut got);
        let [w, so, e, n] = b;
        let want: Vec<u32> = (0..s.len() as u32)
            .filter(|&r| {
                let (x, y) = (s.lon[r as usize], s.lat[r as usize]);
                let lon_ok = if w <= e { w <= x && x <= e } else { x >= w || x <= e };
                live_mapped(&s, r) && lon_ok && so <= y && y <= n
            })
            .collect();
        prop_assert_eq!(sorted(got), want);
    }

    #[test]
    fn timebbox_matches_brute_force(
        rows in rows(),
        qs in prop::collection::vec((prop::option::of(bbox()), prop::option::of(-5..70i32), prop::option::of(-5..70i32)), 1..12),
    ) {
        let s = store_of(&rows);
        let idx = SpatialIndex::build(&s);
        for (b, from, to) in qs {
            let mut got = Vec::new();
            idx.time.query(b, from, to, &mut got);
            let (f, t) = (from.unwrap_or(Day::MIN), to.unwrap_or(Day::MAX));
            let want: Vec<u32> = (0..s.len() as u32)
                .filter(|&r| {
                    f <= t
                        && live_mapped(&s, r)
                        && b.is_none_or(|b| in_box(&s, r, b))
                        && s.day_start[r as usize] <= t
                        && s.day_end[r as usize] >= f
                })
                .collect();
            prop_assert_eq!(sorted(got), want, "{:?} {:?} {:?}", b, from, to);
        }
    }

    #[test]
    fn radius_matches_brute_force(
        rows in rows(),
        qs in prop::collection::vec(((coord(-180.0, 180.0), coord(-90.0, 90.0)), prop_oneof![0.0..60.0f64, 0.0..3000.0f64, Just(25_000.0)]), 1..8),
    ) {
        let s = store_of(&rows);
        let idx = SpatialIndex::build(&s);
        for ((lon, lat), km) in qs {
            let mut got = Vec::new();
            idx.sphere.within_km(lon, lat, km, &mut got);
            let want: Vec<u32> = (0..s.len() as u32)
                .filter(|&r| live_mapped(&s, r) && distance_km(lon, lat, s.lon[r as usize], s.lat[r as usize]) <= km)
                .collect();
            prop_assert_eq!(sorted(got), want, "({}, {}) {} km", lon, lat, km);
        }
    }

    #[test]
    fn radius_around_data_points(rows in rows(), pick in prop::collection::vec((0usize..400, 0.0..40.0f64), 1..8)) {
        // Query from indexed points (distance 0 and duplicates sit on the boundary cases).
        let s = store_of(&rows);
        let idx = SpatialIndex::build(&s);
        for (i, km) in pick {
            let Some(r) = rows.get(i) else { continue };
            let mut got = Vec::new();
            idx.sphere.within_km(r.lon, r.lat, km, &mut got);
            let want: Vec<u32> = (0..s.len() as u32)
                .filter(|&q| live_mapped(&s, q) && distance_km(r.lon, r.lat, s.lon[q as usize], s.lat[q as usize]) <= km)
                .collect();
            prop_assert_eq!(sorted(got), want);
        }
    }

    #[test]
    fn knn_matches_brute_force(
        rows in rows(),
        qs in prop::collection::vec(((coord(-180.0, 180.0), coord(-90.0, 90.0)), 0usize..15), 1..8),
    ) {
        let s = store_of(&rows);
        let idx = SpatialIndex::build(&s);
        for ((lon, lat), k) in qs {
            for metric in [Metric::Wgs84, Metric::PlanarDeg] {
                let got: Vec<(u32, f64)> = idx.nearest(lon, lat, k, metric).iter().map(|n| (n.row, n.dist)).collect();
                let mut all: Vec<(f64, u32)> = (0..s.len() as u32)
                    .filter(|&r| live_mapped(&s, r))
                    .map(|r| {
                        let (x, y) = (s.lon[r as usize], s.lat[r as usize]);
                        let d = match metric {
                            Metric::Wgs84 => distance_km(lon, lat, x, y),
                            Metric::PlanarDeg => ((x - lon) * (x - lon) + (y - lat) * (y - lat)).sqrt(),
                        };
                        (d, r)
                    })
                    .collect();
                all.sort_by(|a, b| a.partial_cmp(b).unwrap());
                all.truncate(k);
                let want: Vec<(u32, f64)> = all.into_iter().map(|(d, r)| (r, d)).collect();
                prop_assert_eq!(got, want, "{:?} ({}, {}) k={}", metric, lon, lat, k);
            }
        }
    }

    #[test]
    fn knn_ties_go_to_lower_rows(n in 1usize..60, k in 1usize..20, lon in 60.0..75.0f64, lat in 29.0..38.5f64) {
        // n incidents at one place: every query returns rows 0..k in order.
        let rows: Vec<Row> = (0..n).map(|_| Row { lon, lat, start: 0, len: 0, deleted: false }).collect();
        let s = store_of(&rows);
        let idx = SpatialIndex::build(&s);
        let want: Vec<u32> = (0..n.min(k) as u32).collect();
        for metric in [Metric::Wgs84, Metric::PlanarDeg] {
            let got: Vec<u32> = idx.nearest(lon + 0.3, lat - 0.2, k, metric).iter().map(|n| n.row).collect();
            prop_assert_eq!(&got, &want);
        }
    }

    #[test]
    fn select_matches_plain_evaluation(
        rows in rows(),
        b in prop::option::of(bbox()),
        from in prop::option::of(0..60i32),
        to in prop::option::of(0..60i32),
        fat in prop::option::of((0u32..5, 0u32..5)),
        gp in prop::collection::vec(1u8..4, 0..2),
        corridor in prop::option::of(0.0..500.0f64),
    ) {
        let mut s = IncidentStore::default();
        for (i, r) in rows.iter().enumerate() {
            let mut rec = IncidentRecord::new(&format!("E{i}"), r.lon, r.lat, r.start);
            rec.date_end = r.start + r.len;
            rec.fatalities = (i % 7 != 0).then_some((i % 5) as u32);
            rec.geo_precision = (i % 3) as u8 + 1;
            rec.event_type = ["Battles", "Riots", "Protests"][i % 3].into();
            rec.actor1 = ["Military Forces of Pakistan", "TTP", ""][i % 3].into();
            rec.actor2 = ["", "Civilians (Afghanistan)", "Taliban"][(i / 3) % 3].into();
            rec.source = ["Dawn", "Xinhua; Dawn", "Pajhwok"][(i / 2) % 3].into();
            s.push(&rec);
        }
        for (i, r) in rows.iter().enumerate() {
            if r.deleted {
                s.delete(i as u32);
            }
        }
        // A stand-in border distance column: |lat - 33| in degrees × 111 (NaN when unmapped).
        let border: Vec<f64> = s.lat.iter().map(|y| (y - 33.0).abs() * 111.0).collect();
        let f = Filter {
            bbox: b,
            from,
            to,
            event_types: vec!["Battles".into(), "Protests".into()],
            actor: Some("PAKISTAN".into()),
            fatalities_min: fat.map(|f| f.0),
            fatalities_max: fat.map(|f| f.0 + f.1),
            geo_precision: gp.clone(),
            source: Some("dawn".into()),
            border_km_max: corridor,
        };
        let idx = SpatialIndex::build(&s);
        let with_index = select(&s, Some(&idx), &f, Some(&border)).unwrap();
        let scan = select(&s, None, &f, Some(&border)).unwrap();
        prop_assert_eq!(&with_index, &scan);
        let want: Vec<u32> = (0..s.len() as u32)
            .filter(|&r| {
                let i = r as usize;
                let fatal = s.fatalities(r);
                s.is_live(r)
                    && b.is_none_or(|b| s.is_mapped(r) && in_box(&s, r, b))
                    && from.is_none_or(|f| s.day_end[i] >= f && to.is_none_or(|t| f <= t))
                    && to.is_none_or(|t| s.day_start[i] <= t)
                    && ["Battles", "Protests"].contains(&s.event_type(r))
                    && [s.actor1(r), s.actor2(r)].iter().any(|a| a.to_lowercase().contains("pakistan"))
                    && s.source(r).to_lowercase().contains("dawn")
                    && fat.is_none_or(|(lo, w)| fatal.is_some_and(|x| lo <= x && x <= lo + w))
                    && (gp.is_empty() || gp.contains(&s.geo_precision[i]))
                    && corridor.is_none_or(|c| border[i] <= c)
            })
            .collect();
        prop_assert_eq!(scan, want);
    }
}

#[test]
fn stale_index_and_missing_border_column_are_errors() {
    let mut s = IncidentStore::default();
    s.push(&IncidentRecord::new("A", 71.0, 34.0, 0));
    let idx = SpatialIndex::build(&s);
    s.push(&IncidentRecord::new("B", 71.0, 34.0, 0));
    let f = Filter {
        bbox: Some([70.0, 33.0, 72.0, 35.0]),
        ..Default::default()
    };
    assert!(select(&s, Some(&idx), &f, None).is_err());
    assert_eq!(select(&s, None, &f, None).unwrap(), vec![0, 1]);
    let f = Filter {
        border_km_max: Some(10.0),
        ..Default::default()
    };
    assert!(select(&s, None, &f, None).is_err());
    assert!(select(&s, None, &f, Some(&[1.0])).is_err());
    assert_eq!(select(&s, None, &f, Some(&[1.0, 11.0])).unwrap(), vec![0]);
}

#[test]
fn large_uniform_set_against_brute_force() {
    // Deep trees (several levels) with covered nodes at every level.
    let mut s = IncidentStore::default();
    let mut x: u64 = 12345;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    for i in 0..20_000 {
        let lon = 60.5 + next() * 14.5;
        let lat = 29.0 + next() * 9.5;
        let day = (next() * 1500.0) as Day;
        s.push(&IncidentRecord::new(&format!("E{i}"), lon, lat, day));
    }
    let idx = SpatialIndex::build(&s);
    let mut out = Vec::new();
    for (j, b) in [
        [60.0, 28.0, 76.0, 39.0],
        [65.0, 30.0, 70.0, 35.0],
        [70.1, 33.3, 70.4, 33.5],
    ]
    .iter()
    .enumerate()
    {
        out.clear();
        idx.boxes.query(*b, &mut out);
        let want = (0..s.len() as u32).filter(|&r| in_box(&s, r, *b)).count();
        assert_eq!(out.len(), want, "box {j}");
        out.clear();
        idx.time.query(Some(*b), Some(300), Some(700), &mut out);
        let want = (0..s.len() as u32)
            .filter(|&r| in_box(&s, r, *b) && (300..=700).contains(&s.day_start[r as usize]))
            .count();
        assert_eq!(out.len(), want, "timebox {j}");
    }
    for (lon, lat, km) in [(68.0, 33.0, 50.0), (71.0, 34.0, 300.0), (60.0, 29.0, 5.0)] {
        out.clear();
        idx.sphere.within_km(lon, lat, km, &mut out);
        let want = (0..s.len() as u32)
            .filter(|&r| distance_km(lon, lat, s.lon[r as usize], s.lat[r as usize]) <= km)
            .count();
        assert_eq!(out.len(), want);
    }
}
