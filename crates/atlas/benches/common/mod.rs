//! Helpers shared by the benches.

/// A deterministic generator of uniform numbers in `[0, 1)` (xorshift64): every run
/// measures the same inputs.
pub fn rng(mut seed: u64) -> impl FnMut() -> f64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    }
}
