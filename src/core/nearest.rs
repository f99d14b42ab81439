//! The one nearest-point search: which observation is closest to a place (a click, a collapsed mean).
//! Ties go to the first index; with no data, or a NaN place, the answer is 0.

/// Index of the value of `data` closest to `x` (the first on ties). The closest is the largest value at or
/// below `x` or the smallest at or above it, found by comparisons, which never round: far from the data
/// the distances do (1e308 − v is 1e308 for every v of ordinary data, and every value tied).
pub fn nearest_1d(data: &[f64], x: f64) -> usize {
    let below = data.iter().copied().filter(|&v| v <= x).reduce(f64::max);
    let above = data.iter().copied().filter(|&v| v >= x).reduce(f64::min);
    let (a, b) = match (below, above) {
        (Some(lo), Some(hi)) if x - lo < hi - x => (lo, lo),
        (Some(lo), Some(hi)) if hi - x < x - lo => (hi, hi),
        (Some(lo), Some(hi)) => (lo, hi),
        (Some(v), None) | (None, Some(v)) => (v, v),
        (None, None) => return 0,
    };
    data.iter().position(|&v| v == a || v == b).unwrap_or(0)
}

/// Index of the pair of flat x, y `data` closest to `p`, each axis difference multiplied by `scale`
/// before squaring (pixels per data unit makes it "nearest on the screen"; `[1.0, 1.0]` is Euclidean).
/// The first on ties (so also where a place is so far away that every distance rounds to the same).
/// Where every squared distance overflows (points ~1e154 apart), they are compared scaled by 2⁻⁶⁰⁰.
pub fn nearest_2d(data: &[f64], p: [f64; 2], scale: [f64; 2]) -> usize {
    let pass = |factor: f64| {
        first_min(data.chunks_exact(2).map(|q| {
            let dx = (q[0] - p[0]) * scale[0] * factor;
            let dy = (q[1] - p[1]) * scale[1] * factor;
            dx * dx + dy * dy
        }))
    };
    match pass(1.0) {
        Some(i) => i,
        None => pass(2f64.powi(-600)).unwrap_or(0),
    }
}

/// The index of the first strictly smallest distance (NaN distances never win; `None` when none is below ∞).
fn first_min(distances: impl Iterator<Item = f64>) -> Option<usize> {
    let mut best = (None, f64::INFINITY);
    for (i, d) in distances.enumerate() {
        if d < best.1 {
            best = (Some(i), d);
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

    #[test]
    fn a_far_place_finds_the_extreme_value() {
        // Far from the data every rounded distance is the same (1e308 − v = 1e308): the first index won.
        let data = [172.297, 168.515, 193.348, 150.0];
        assert_eq!(nearest_1d(&data, 1e308), 2);
        assert_eq!(nearest_1d(&data, -1e308), 3);
        assert_eq!(nearest_1d(&data, 1e17), 2);
        assert_eq!(nearest_1d(&data, 171.0), 0);
        // Points ~1e200 apart: every squared distance overflowed to ∞, and point 0 won.
        let points = [0.0, 0.0, 1e200, 0.0, 1e200, 1e199];
        assert_eq!(nearest_2d(&points, [1.1e200, 0.0], [1.0, 1.0]), 1);
        assert_eq!(nearest_2d(&points, [1.1e200, 2e199], [1.0, 1.0]), 2);
    }
}
