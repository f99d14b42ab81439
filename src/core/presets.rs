//! The built-in data sets, generated from fixed seeds so every classroom sees the same numbers.

use super::error::{EmError, ErrorKind};
use super::gmm1d::Gmm1dParams;
use super::sample::{normals, rng, seed_of};

/// A 1-D preset: its data and, where the story has one, the hidden label of every point.
#[derive(Clone, Debug)]
pub struct Preset1d {
    /// The observations.
    pub data: Vec<f64>,
    /// The true component of each observation (the hidden variable), for teaching.
    pub labels: Vec<usize>,
    /// The K the lesson suggests.
    pub suggested_k: usize,
    /// A start the lesson needs (the collapse preset walks a component onto a point), if any.
    pub start: Option<Gmm1dParams>,
}

/// The names of the 1-D presets, in menu order.
pub const PRESETS_1D: &[&str] = &["heights", "two-gaussians", "three-gaussians", "collapse"];

/// Draws the named 1-D preset.
pub fn preset_1d(name: &str) -> Result<Preset1d, EmError> {
    let parts: &[(usize, f64, f64)] = match name {
        // 500 men ~ N(175, 7²) cm and 500 women ~ N(162, 6.5²) cm.
        "heights" => &[(500, 175.0, 7.0), (500, 162.0, 6.5)],
        // 4,000 points ~ N(20, 5²) and 8,000 ~ N(40, 5²).
        "two-gaussians" => &[(4000, 20.0, 5.0), (8000, 40.0, 5.0)],
        // Three overlapping components of different widths and weights.
        "three-gaussians" => &[(300, 0.0, 0.8), (500, 3.5, 1.5), (200, 7.0, 0.6)],
        "collapse" => return Ok(collapse_preset()),
        _ => {
            return Err(EmError::new(ErrorKind::UnknownPreset {
                name: name.to_string(),
            }))
        }
    };
    let mut r = rng(seed_of(name));
    let mut data = Vec::new();
    let mut labels = Vec::new();
    for (label, &(n, mean, sd)) in parts.iter().enumerate() {
        data.extend(normals(&mut r, n, mean, sd));
        labels.extend(std::iter::repeat_n(label, n));
    }
    Ok(Preset1d {
        data,
        labels,
        suggested_k: parts.len(),
        start: None,
    })
}

/// Twelve points in a loose cluster and one isolated point at 10: with reg = 0 a component walks onto it.
fn collapse_preset() -> Preset1d {
    let mut data = normals(&mut rng(7), 12, 0.0, 1.0);
    data.push(10.0);
    let labels = (0..data.len()).map(|i| usize::from(i == 12)).collect();
    Preset1d {
        data,
        labels,
        suggested_k: 2,
        start: Some(Gmm1dParams {
            weights: vec![0.9, 0.1],
            means: vec![0.0, 8.0],
            variances: vec![1.0, 1.0],
        }),
    }
}
