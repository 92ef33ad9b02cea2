//! Tests of every command and the tile protocol, called directly (no window), on the
//! bundled data in `data/`.

use crate::commands::{incident, info, measure, open_url, search, view};
use crate::protocol;
use crate::state::{AppError, AppState};
use atlas::date::parse_date;
use atlas::filter::Filter;
use atlas::gazetteer::EntryKind;
use atlas::tiles::{decode_tile, OwnedValue, TileId};

pub(crate) fn state() -> AppState {
    let d = atlas::dataset::Dataset::bundled().expect("bundled data loads");
    AppState::with_dataset(d)
}

fn sample_ids(s: &AppState) -> Vec<String> {
    let d = s.dataset().unwrap();
    (0..d.store().len() as u32)
        .map(|r| d.store().event_id(r).to_string())
        .collect()
}

#[test]
fn loading_state_is_reported_not_panicked() {
    let s = AppState::default();
    assert!(matches!(
        info::dataset_info_impl(&s),
        Err(AppError::Loading)
    ));
    assert!(matches!(
        protocol::tile_bytes(&s, "/1/0/0/0.pbf"),
        Err(AppError::Loading)
    ));
    s.set_failed("boom".into());
    let e = info::dataset_info_impl(&s).unwrap_err().to_string();
    assert!(e.contains("boom"), "{e}");
    let r = protocol::tile_response(&s, "/1/0/0/0.pbf");
    assert_eq!(r.status(), 500);
}

#[test]
fn dataset_info_describes_the_bundled_sample() {
    let s = state();
    let i = info::dataset_info_impl(&s).unwrap();
    assert_eq!(i.incidents, sample_ids(&s).len());
    assert!(i.incidents >= 1);
    assert!(i.mapped <= i.incidents);
    assert!(i.has_border);
    assert!(i.crossings >= 1);
    let (lo, hi) = (i.day_min.unwrap(), i.day_max.unwrap());
    assert!(lo <= hi);
    assert_eq!(
        i.event_types.iter().map(|t| t.1).sum::<usize>(),
        i.incidents
    );
}

#[test]
fn set_filter_and_tiles_round_trip() {
    let s = state();
    let g = view::set_filter_impl(&s, Filter::default()).unwrap();
    let info = info::dataset_info_impl(&s).unwrap();
    assert_eq!(g.mapped, info.mapped);
    // The whole world at zoom 0: every mapped incident appears once (as a point or in a cluster).
    let bytes = protocol::tile_bytes(&s, &format!("/{}/0/0/0.pbf", g.generation)).unwrap();
    let layers = decode_tile(&bytes).unwrap();
    let mut n = 0u64;
    for l in &layers {
        for f in &l.features {
            n += match f.prop("point_count") {
                Some(OwnedValue::UInt(c)) => *c,
                _ => 1,
            };
        }
    }
    assert_eq!(n as usize, info.mapped);
    // At zoom 14 over a mapped incident, it is a point with its id and type.
    let d = s.dataset().unwrap();
    let row = (0..d.store().len() as u32)
        .find(|&r| d.store().is_mapped(r))
        .unwrap();
    let (lon, lat) = (d.store().lon[row as usize], d.store().lat[row as usize]);
    let (wx, wy) = atlas::tiles::world_xy(lon, lat);
    let t = TileId::new(14, (wx * 16384.0) as u32, (wy * 16384.0) as u32).unwrap();
    let bytes = protocol::tile_bytes(
        &s,
        &format!("/{}/{}/{}/{}.pbf", g.generation, t.z, t.x, t.y),
    )
    .unwrap();
    let layers = decode_tile(&bytes).unwrap();
    let inc = layers.iter().find(|l| l.name == "incidents").unwrap();
    let f = inc
        .features
        .iter()
        .find(|f| f.prop("event_id") == Some(&OwnedValue::Str(d.store().event_id(row).into())))
        .expect("incident in its tile");
    assert_eq!(
        f.prop("event_type"),
        Some(&OwnedValue::Str(d.store().event_type(row).into()))
    );
    // An empty filter window gives empty tiles.
    let none = Filter {
        from: Some(0),
        to: Some(1),
        ..Default::default()
    };
    let g2 = view::set_filter_impl(&s, none).unwrap();
    assert_eq!(g2.mapped, 0);
    assert!(g2.generation > g.generation);
    assert!(
        protocol::tile_bytes(&s, &format!("/{}/0/0/0.pbf", g2.generation))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn tile_protocol_rejects_bad_paths() {
    let s = state();
    let g = view::set_filter_impl(&s, Filter::default())
        .unwrap()
        .generation;
    for (path, status) in [
        ("/x/0/0/0.pbf".to_string(), 400),
        (format!("/{g}/0/1/0.pbf"), 400),
        (format!("/{g}/23/0/0.pbf"), 400),
        (format!("/{g}/1/0"), 400),
        ("/".to_string(), 400),
        ("/999999/0/0/0.pbf".to_string(), 404),
        (format!("/{g}/0/0/0.pbf"), 200),
    ] {
        let r = protocol::tile_response(&s, &path);
        assert_eq!(r.status(), status, "{path}");
        assert_eq!(
            r.headers()
                .get("Access-Control-Allow-Origin")
                .and_then(|v| v.to_str().ok()),
            Some("*")
        );
    }
}

#[test]
fn old_generations_expire() {
    let s = state();
    let first = view::set_filter_impl(&s, Filter::default())
        .unwrap()
        .generation;
    // The same filter again keeps its generation; others push it out.
    assert_eq!(
        view::set_filter_impl(&s, Filter::default())
            .unwrap()
            .generation,
        first
    );
    for i in 0..10 {
        // Alternately nothing and everything: each differs from the newest view.
        let f = Filter {
            fatalities_min: (i % 2 == 0).then_some(u32::MAX),
            ..Default::default()
        };
        let g = view::set_filter_impl(&s, f).unwrap().generation;
        s.wait_view(g).unwrap();
    }
    assert!(matches!(s.view(first), Err(AppError::NoSuchView(_))));
}

#[test]
fn filters_are_validated() {
    let s = state();
    let bad = [
        Filter {
            from: Some(10),
            to: Some(5),
            ..Default::default()
        },
        Filter {
            fatalities_min: Some(9),
            fatalities_max: Some(1),
            ..Default::default()
        },
        Filter {
            geo_precision: vec![4],
            ..Default::default()
        },
        Filter {
            border_km_max: Some(-1.0),
            ..Default::default()
        },
        Filter {
            bbox: Some([10.0, 0.0, 5.0, 1.0]),
            ..Default::default()
        },
        Filter {
            bbox: Some([f64::NAN, 0.0, 5.0, 1.0]),
            ..Default::default()
        },
    ];
    for f in bad {
        assert!(
            matches!(
                view::set_filter_impl(&s, f.clone()),
                Err(AppError::BadArgument(_))
            ),
            "{f:?}"
        );
        assert!(view::incidents_in_view_impl(&s, &f, "date", 10).is_err());
        assert!(info::filter_counts_impl(&s, &f).is_err(), "{f:?}");
        assert!(info::histogram_impl(&s, &f, "week").is_err(), "{f:?}");
    }
}

#[test]
fn counts_follow_filters() {
    let s = state();
    let all = info::filter_counts_impl(&s, &Filter::default()).unwrap();
    let i = info::dataset_info_impl(&s).unwrap();
    assert_eq!(all.total, i.incidents);
    let (ty, n) = i.event_types[0].clone();
    let one = info::filter_counts_impl(
        &s,
        &Filter {
            event_types: vec![ty.clone()],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(one.total, n);
    // Per-type counts ignore the type restriction (so the panel can show them all).
    assert_eq!(one.by_event_type, all.by_event_type);
    // A time window on the first day only.
    let lo = i.day_min.unwrap();
    let first = info::filter_counts_impl(
        &s,
        &Filter {
            from: Some(lo),
            to: Some(lo),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(first.total >= 1 && first.total <= all.total);
    // A corridor of 0 km keeps only incidents exactly on the line (none in the sample).
    let corridor = info::filter_counts_impl(
        &s,
        &Filter {
            border_km_max: Some(0.0),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(corridor.total, 0);
    let actor = info::filter_counts_impl(
        &s,
        &Filter {
            actor: Some("zzzz-no-such-actor".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(actor.total, 0);
}

#[test]
fn histogram_bins_cover_the_range_and_sum_to_the_count() {
    let s = state();
    let total = info::filter_counts_impl(&s, &Filter::default())
        .unwrap()
        .total;
    for bin in ["day", "week", "month"] {
        let h = info::histogram_impl(&s, &Filter::default(), bin).unwrap();
        assert_eq!(h.starts.len(), h.counts.len());
        assert!(h.starts.windows(2).all(|w| w[0] < w[1]), "{bin}");
        assert_eq!(h.counts.iter().sum::<u32>() as usize, total, "{bin}");
    }
    let w = info::histogram_impl(&s, &Filter::default(), "week").unwrap();
    // Weeks start on Mondays (2025-10-13 was a Monday).
    let monday = parse_date("2025-10-13").unwrap();
    assert!(w.starts.iter().all(|d| (d - monday).rem_euclid(7) == 0));
    assert!(matches!(
        info::histogram_impl(&s, &Filter::default(), "year"),
        Err(AppError::BadArgument(_))
    ));
}

#[test]
fn incident_detail_has_provenance_and_analytics() {
    let s = state();
    let d = s.dataset().unwrap();
    let row = (0..d.store().len() as u32)
        .find(|&r| d.store().is_mapped(r))
        .unwrap();
    let id = d.store().event_id(row).to_string();
    let det = incident::incident_impl(&s, &id).unwrap();
    assert_eq!(det.record.event_id, id);
    assert!(det.border_km.is_some_and(|k| k >= 0.0));
    assert!(det.crossing.is_some());
    let with_sources = (0..d.store().len() as u32).find(|r| d.store().provenance.contains_key(r));
    if let Some(r) = with_sources {
        let det = incident::incident_impl(&s, d.store().event_id(r)).unwrap();
        assert!(!det.record.sources.is_empty() || !det.record.claims.is_empty());
    }
    assert!(matches!(
        incident::incident_impl(&s, "no-such-id"),
        Err(AppError::NoSuchIncident(_))
    ));
    assert!(matches!(
        incident::incident_impl(&s, ""),
        Err(AppError::BadArgument(_))
    ));
}

#[test]
fn list_in_view_sorts_and_limits() {
    let s = state();
    let f = Filter {
        bbox: Some([-180.0, -90.0, 180.0, 90.0]),
        ..Default::default()
    };
    for sort in view::SORTS {
        let v = view::incidents_in_view_impl(&s, &f, sort, 100).unwrap();
        assert_eq!(v.rows.len(), v.total);
    }
    let by_date = view::incidents_in_view_impl(&s, &f, "date", 100).unwrap();
    assert!(by_date.rows.windows(2).all(|w| w[0].day <= w[1].day));
    let by_border = view::incidents_in_view_impl(&s, &f, "border", 100).unwrap();
    let ks: Vec<f64> = by_border
        .rows
        .iter()
        .map(|r| r.border_km.unwrap_or(f64::INFINITY))
        .collect();
    assert!(ks.windows(2).all(|w| w[0] <= w[1]), "{ks:?}");
    let one = view::incidents_in_view_impl(&s, &f, "date", 1).unwrap();
    assert!(one.rows.len() <= 1 && one.total == by_date.total);
    assert!(view::incidents_in_view_impl(&s, &f, "drop table", 1).is_err());
    // A box with nothing in it.
    let empty = Filter {
        bbox: Some([0.0, 0.0, 0.1, 0.1]),
        ..Default::default()
    };
    assert_eq!(
        view::incidents_in_view_impl(&s, &empty, "date", 10)
            .unwrap()
            .total,
        0
    );
}

#[test]
fn search_finds_crossings_places_and_ids() {
    let s = state();
    let r = search::search_impl(&s, "torkham", 12).unwrap();
    assert_eq!(
        r.first().map(|g| g.kind),
        Some(EntryKind::Crossing),
        "{r:?}"
    );
    assert!(r[0].name.contains("Torkham"));
    assert!((r[0].lon - 71.09).abs() < 0.2 && (r[0].lat - 34.11).abs() < 0.2);
    let r = search::search_impl(&s, "Peshawar", 12).unwrap();
    assert!(r
        .iter()
        .any(|g| g.kind == EntryKind::Place && g.name == "Peshawar"));
    let r = search::search_impl(&s, "kandahar", 12).unwrap();
    assert!(
        r.iter()
            .any(|g| g.kind == EntryKind::Province && g.bbox.is_some()),
        "{r:?}"
    );
    let id = sample_ids(&s).into_iter().next().unwrap();
    let d = s.dataset().unwrap();
    if d.store()
        .row_of(&id)
        .is_some_and(|r| d.store().is_mapped(r))
    {
        let r = search::search_impl(&s, &id, 12).unwrap();
        assert!(r
            .iter()
            .any(|g| g.kind == EntryKind::Incident && g.name == id));
    }
    assert!(search::search_impl(&s, "   ", 12).unwrap().is_empty());
    assert!(search::search_impl(&s, "qqqqxxxzzz", 12)
        .unwrap()
        .is_empty());
    assert!(search::search_impl(&s, &"a".repeat(300), 12).is_err());
}

#[test]
fn measure_is_geodesic_and_checks_input() {
    // One degree of longitude on the equator: 111.319 km on WGS84.
    let m = measure::measure_impl(&[[0.0, 0.0], [1.0, 0.0], [1.0, 0.0]]).unwrap();
    assert_eq!(m.legs_km.len(), 2);
    assert!((m.total_km - 111.319_490_8).abs() < 1e-3, "{}", m.total_km);
    assert_eq!(measure::measure_impl(&[]).unwrap().total_km, 0.0);
    assert!(measure::measure_impl(&[[0.0, 0.0], [181.0, 0.0]]).is_err());
    assert!(measure::measure_impl(&[[f64::NAN, 0.0]]).is_err());
}

#[test]
fn point_info_near_torkham_is_close_to_the_border() {
    let s = state();
    let p = measure::point_info_impl(&s, 71.09, 34.11).unwrap();
    assert!(p.border_km.is_some_and(|k| k < 10.0), "{p:?}");
    assert!(p.crossing.as_deref().is_some_and(|c| c.contains("Torkham")));
    let far = measure::point_info_impl(&s, 51.5, 25.3).unwrap();
    assert!(far.border_km.is_some_and(|k| k > 1000.0));
    assert!(measure::point_info_impl(&s, 0.0, 95.0).is_err());
}

#[test]
fn only_plain_web_urls_open() {
    for ok in [
        "https://example.org/a?b=c",
        "http://example.org",
        " HTTPS://Example.org/x ",
    ] {
        assert!(open_url::check_url(ok).is_ok(), "{ok}");
    }
    for bad in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://user:pw@example.org/",
        "https://",
        "https://exa mple.org",
        "https://example.org/\n",
        "ftp://example.org",
        "",
        "//example.org",
    ] {
        assert!(open_url::check_url(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn filter_changes_answer_at_once_and_build_views_in_the_background() {
    let s = state();
    // No filter: the index built at load serves it, ready at once.
    let all = view::set_filter_impl(&s, Filter::default()).unwrap();
    assert!(all.ready);
    assert!(s.view(all.generation).is_ok());
    // A new selection: counted now, clustered on another thread.
    let battles = Filter {
        event_types: vec!["Battles".into()],
        ..Default::default()
    };
    let g = view::set_filter_impl(&s, battles.clone()).unwrap();
    assert!(g.mapped < all.mapped);
    assert!(view::view_ready_impl(&s.views, g.generation).unwrap());
    let v = s.view(g.generation).unwrap();
    assert_eq!(v.clusters.num_points(), g.mapped);
    // The same rows again: the shown generation comes back (the map keeps its tiles).
    let again = view::set_filter_impl(&s, battles.clone()).unwrap();
    assert!(again.ready);
    assert_eq!(again.generation, g.generation);
    // After another filter, the same rows get a new generation over the kept index.
    view::set_filter_impl(&s, Filter::default()).unwrap();
    let back = view::set_filter_impl(&s, battles).unwrap();
    assert!(back.ready);
    assert!(back.generation > g.generation);
    assert!(std::sync::Arc::ptr_eq(
        &s.view(back.generation).unwrap().clusters,
        &v.clusters
    ));
    // Back to no filter: immediate.
    assert!(view::set_filter_impl(&s, Filter::default()).unwrap().ready);
}

#[test]
fn superseded_views_are_never_ready() {
    let views = crate::views::ViewStore::default();
    let g1 = views.next_generation();
    views.start(g1).unwrap();
    assert!(!views.superseded(g1));
    let g2 = views.next_generation();
    assert!(
        views.superseded(g1),
        "a newer filter cancels the older build"
    );
    views.finish(g1, None);
    assert!(!view::view_ready_impl(&views, g1).unwrap());
    // A generation nobody builds is not waited for.
    assert!(!view::view_ready_impl(&views, g2 + 5).unwrap());
    // Views of a replaced dataset are dropped even when their build ends later.
    views.start(g2).unwrap();
    views.clear();
    let d = atlas::dataset::Dataset::bundled().unwrap();
    let v = d
        .view(
            Filter::default(),
            &atlas::incident_tiles::map_cluster_options(),
        )
        .unwrap();
    views.finish(g2, Some(v));
    assert!(views.get(g2).is_err());
}
