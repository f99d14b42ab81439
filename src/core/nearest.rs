//! The one nearest-point search: which observation is closest to a place (a click, a collapsed mean).
//! Ties go to the first index; with no data, or a NaN place, the answer is 0.

/// Index of the value of `data` closest to `x` (the first on ties).
pub fn nearest_1d(data: &[f64], x: f64) -> usize {
    first_min(data.iter().map(|v| (v - x).abs()))
}

/// Index of the pair of flat x, y `data` closest to `p`, each axis difference multiplied by `scale`
/// before squaring (pixels per data unit makes it "nearest on the screen"; `[1.0, 1.0]` is Euclidean).
/// The first on ties.
pub fn nearest_2d(data: &[f64], p: [f64; 2], scale: [f64; 2]) -> usize {
    first_min(data.chunks_exact(2).map(|q| {
        let (dx, dy) = ((q[0] - p[0]) * scale[0], (q[1] - p[1]) * scale[1]);
        dx * dx + dy * dy
    }))
}

/// The index of the first strictly smallest distance (NaN distances never win; 0 when none is below ∞).
fn first_min(distances: impl Iterator<Item = f64>) -> usize {
    let mut best = (0, f64::INFINITY);
    for (i, d) in distances.enumerate() {
        if d < best.1 {
            best = (i, d);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::{nearest_1d, nearest_2d};

    #[test]
    fn first_index_wins_ties() {
        assert_eq!(nearest_1d(&[1.0, 3.0, 3.0], 2.0), 0);
        assert_eq!(nearest_1d(&[5.0, 3.0, 3.0], 3.0), 1);
        assert_eq!(nearest_1d(&[], 3.0), 0);
        assert_eq!(nearest_1d(&[1.0, 2.0], f64::NAN), 0);
        assert_eq!(nearest_2d(&[0.0, 0.0, 2.0, 0.0], [1.0, 0.0], [1.0, 1.0]), 0);
        assert_eq!(nearest_2d(&[0.0, 1.0, 1.0, 0.0], [0.0, 0.0], [1.0, 2.0]), 1);
        assert_eq!(nearest_2d(&[0.0, 1.0, 1.0, 0.0], [0.0, 0.0], [2.0, 1.0]), 0);
    }
}
