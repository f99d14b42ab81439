//! Seeded random draws used to generate the preset data sets.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// A reproducible generator from a seed.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// One draw from N(mean, sd²) by the Box–Muller transform.
pub fn normal(rng: &mut impl rand::Rng, mean: f64, sd: f64) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>(); // in (0, 1], so ln is finite
    let u2: f64 = rng.random::<f64>();
    mean + sd * (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// `n` draws from N(mean, sd²).
pub fn normals(rng: &mut impl rand::Rng, n: usize, mean: f64, sd: f64) -> Vec<f64> {
    (0..n).map(|_| normal(rng, mean, sd)).collect()
}

/// A fixed seed per preset name (FNV-1a of the name), so presets never change between builds.
pub fn seed_of(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
