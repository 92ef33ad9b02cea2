//! libFuzzer target: arbitrary bytes through the engine's csv reader (see drivers.rs).
#![no_main]

#[path = "../drivers.rs"]
mod drivers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| drivers::csv(data));
