//! CSV import throughput on a generated in-memory file with the benchmark workload's
//! columns (`fid,event_id_cnty,event_date,...,notes,fatalities`), some notes quoted.
//!
//! `cargo bench -p atlas --bench csv_import`; set `CSV_FILE=/path/incidents-1000000.csv`
//! (made by /work/shared/bench/gen_workload.py) to also time `read_incidents` on a real file.

use atlas::import::csv::{read_incidents, CsvOptions};
use atlas::import::ImportOptions;
use atlas::IncidentStore;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::fmt::Write;

/// `n` rows with deterministic pseudo-random values (an LCG; placeholder words only).
fn workload(n: usize) -> Vec<u8> {
    let mut s = String::from("fid,event_id_cnty,event_date,year,event_type,sub_event_type,actor1,actor2,country,iso,latitude,longitude,geo_precision,source,notes,fatalities\n");
    let mut x: u64 = 42;
    let mut next = move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) as u32
    };
    let types = [
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
        "Riots",
        "Strategic developments",
    ];
    let words = [
        "clash",
        "village",
        "border",
        "crossing",
        "district,",
        "convoy",
        "area",
        "tribal",
        "lorem",
        "ipsum",
    ];
    for i in 0..n {
        let lon = 60.5 + (next() % 14_500_000) as f64 / 1e6;
        let lat = 29.0 + (next() % 9_500_000) as f64 / 1e6;
        let mut notes = String::new();
        for _ in 0..(8 + next() % 20) {
            notes.push_str(words[(next() % 10) as usize]);
            notes.push(' ');
        }
        let quoted = notes.contains(',');
        let year = 2022 + next() % 4;
        let _ = writeln!(
            s,
            "{i},{}{i},{year}-{:02}-{:02},{year},{},Armed clash,Actor {},,{},{},{lat:.6},{lon:.6},{},Synthetic source,{}{}{},{}",
            if i % 2 == 0 { "PAK" } else { "AFG" },
            1 + next() % 12,
            1 + next() % 28,
            types[(next() % 6) as usize],
            next() % 40,
            if i % 2 == 0 { "Pakistan" } else { "Afghanistan" },
            if i % 2 == 0 { "PAK" } else { "AFG" },
            1 + next() % 3,
            if quoted { "\"" } else { "" },
            notes.trim_end(),
            if quoted { "\"" } else { "" },
            next() % 5,
        );
    }
    s.into_bytes()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("csv_import");
    g.sample_size(10);
    let data = workload(100_000);
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("read_incidents_100k_rows", |b| {
        b.iter_batched(
            IncidentStore::default,
            |mut store| {
                let out = read_incidents(
                    &data[..],
                    "w.csv",
                    &mut store,
                    &ImportOptions::default(),
                    &CsvOptions::default(),
                )
                .unwrap();
                assert_eq!(out.report.loaded, 100_000);
                store
            },
            BatchSize::LargeInput,
        )
    });
    // Re-import of the same rows into a full store: every row is an update.
    let mut full = IncidentStore::default();
    read_incidents(
        &data[..],
        "w.csv",
        &mut full,
        &ImportOptions::default(),
        &CsvOptions::default(),
    )
    .unwrap();
    g.bench_function("reimport_100k_rows_into_full_store", |b| {
        b.iter_batched(
            || full.clone(),
            |mut store| {
                let out = read_incidents(
                    &data[..],
                    "w.csv",
                    &mut store,
                    &ImportOptions::default(),
                    &CsvOptions::default(),
                )
                .unwrap();
                assert_eq!(out.report.updated, 100_000);
                store
            },
            BatchSize::LargeInput,
        )
    });
    if let Ok(path) = std::env::var("CSV_FILE") {
        let bytes = std::fs::read(&path).expect("CSV_FILE readable");
        let mut store = IncidentStore::default();
        let t = std::time::Instant::now();
        let out = read_incidents(
            &bytes[..],
            &path,
            &mut store,
            &ImportOptions::lenient(),
            &CsvOptions::default(),
        )
        .unwrap();
        eprintln!(
            "{path}: {} bytes, loaded {}, rejected {}, problems {} in {:.0} ms (one run)",
            bytes.len(),
            out.report.loaded,
            out.report.rejected,
            out.report.problem_count,
            t.elapsed().as_secs_f64() * 1e3
        );
        drop(store);
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function("read_incidents_file", |b| {
            b.iter_batched(
                IncidentStore::default,
                |mut store| {
                    read_incidents(
                        &bytes[..],
                        &path,
                        &mut store,
                        &ImportOptions::default(),
                        &CsvOptions::default(),
                    )
                    .unwrap();
                    store
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
