//! Shared fixtures of the export tests and bench: the bundled layers and synthetic
//! incidents placed deterministically near the border line.
#![allow(dead_code)]

use atlas::export::{BaseLayers, MapIncidents};
use std::path::PathBuf;

pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// The bundled layers (compiled into the engine).
pub fn layers() -> BaseLayers {
    BaseLayers::bundled().expect("bundled layers")
}

pub const TYPES: [&str; 6] = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
];

/// `n` synthetic incidents within about 60 km of the border vertices (test data only).
pub fn synthetic(layers: &BaseLayers, n: usize) -> MapIncidents {
    let verts: Vec<[f64; 2]> = layers.border.lines.iter().flatten().copied().collect();
    let verts = if verts.is_empty() {
        vec![[71.09, 34.12]]
    } else {
        verts
    };
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut m = MapIncidents::default();
    for _ in 0..n {
        let v = verts[(next() * verts.len() as f64) as usize % verts.len()];
        let lon = v[0] + (next() - 0.5) * 1.2;
        let lat = v[1] + (next() - 0.5) * 1.0;
        let t = TYPES[((next() * next()) * 6.0) as usize % 6];
        let r = next();
        let precision = if r < 0.7 {
            1
        } else if r < 0.9 {
            2
        } else {
            3
        };
        let day = 20_089 + (next() * 365.0) as i32;
        m.push(lon, lat, t, precision, day, day);
    }
    m
}
