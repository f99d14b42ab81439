//! Checks and transforms shared by every model's parameters.

use super::error::{EmError, ErrorKind};
use rand::RngExt;

/// The largest number of components a model may have.
pub const MAX_K: usize = 10;
/// Weights must sum to 1 within this.
pub const WEIGHT_SUM_TOL: f64 = 1e-9;

/// Rejects K outside 1..=MAX_K.
pub fn check_k(k: usize) -> Result<(), EmError> {
    if (1..=MAX_K).contains(&k) {
        Ok(())
    } else {
        Err(EmError::new(ErrorKind::KOutOfRange { k, max: MAX_K }))
    }
}

/// Rejects an array whose length is not `expected`.
pub fn check_len(what: &'static str, expected: usize, got: usize) -> Result<(), EmError> {
    if expected == got {
        Ok(())
    } else {
        Err(EmError::new(ErrorKind::WrongLength {
            what,
            expected,
            got,
        }))
    }
}

/// Rejects NaN and ±∞ entries, naming the component.
pub fn check_finite(what: &'static str, values: &[f64]) -> Result<(), EmError> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(component) => Err(EmError::new(ErrorKind::NotFiniteParam { what, component })),
        None => Ok(()),
    }
}

/// Rejects weights that are not finite, negative, or do not sum to 1 (±1e-9).
pub fn check_weights(weights: &[f64]) -> Result<(), EmError> {
    check_finite("weight", weights)?;
    if let Some((component, &value)) = weights.iter().enumerate().find(|(_, &w)| w < 0.0) {
        return Err(EmError::new(ErrorKind::NegativeWeight { component, value }));
    }
    let sum: f64 = weights.iter().sum();
    if (sum - 1.0).abs() > WEIGHT_SUM_TOL {
        return Err(EmError::new(ErrorKind::WeightsSum { sum }));
    }
    Ok(())
}

/// exp(aₖ) / Σⱼ exp(aⱼ), computed stably.
pub fn softmax(a: &[f64]) -> Vec<f64> {
    let max = a.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = a.iter().map(|v| (v - max).exp()).collect();
    let s: f64 = e.iter().sum();
    e.into_iter().map(|v| v / s).collect()
}

/// K values drawn from `data` at random, all different when the data has K distinct values.
pub fn distinct_sample(data: &[f64], k: usize, rng: &mut impl rand::Rng) -> Vec<f64> {
    let mut chosen: Vec<f64> = Vec::with_capacity(k);
    let mut tries = 0;
    while chosen.len() < k {
        let v = data[rng.random_range(0..data.len())];
        tries += 1;
        if !chosen.contains(&v) || tries > 100 * k {
            chosen.push(v);
        }
    }
    chosen
}

/// `v`'s bits as an integer that orders as [`f64::total_cmp`] orders the values.
fn total_order_key(v: f64) -> u64 {
    let bits = v.to_bits();
    // Negative values: every bit flipped (larger magnitudes first); others: the sign bit set.
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// The value of a [`total_order_key`].
fn from_total_order_key(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// Number of distinct values in `data` (exact comparison).
pub fn count_distinct(data: &[f64]) -> usize {
    distinct_sorted(data.iter().copied()).len()
}

/// The distinct values of `values` in increasing order (0 and −0 one value, the first of them in
/// [`f64::total_cmp`]'s order): sorted as integers in that order (the one sort the page keeps for
/// integers, instead of another for floats), then compared as numbers.
fn distinct_sorted(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut keys: Vec<u64> = values.map(total_order_key).collect();
    super::small_sort::sort_u64(&mut keys);
    let mut sorted: Vec<f64> = keys.into_iter().map(from_total_order_key).collect();
    sorted.dedup();
    sorted
}

/// The number of distinct values in `data` when it is below `k`, else `k` (exact comparison, like
/// [`count_distinct`]): one pass that stops at the K-th distinct value, with no copy or sort of the data.
pub fn distinct_up_to(data: &[f64], k: usize) -> usize {
    let mut seen: Vec<f64> = Vec::with_capacity(k);
    for &v in data {
        if seen.len() >= k {
            break;
        }
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.len()
}

/// [`distinct_up_to`] for (x, y) points in flat x, y pairs.
pub fn distinct_points_up_to(data: &[f64], k: usize) -> usize {
    let mut seen: Vec<(f64, f64)> = Vec::with_capacity(k);
    for p in data.chunks_exact(2) {
        if seen.len() >= k {
            break;
        }
        if !seen.contains(&(p[0], p[1])) {
            seen.push((p[0], p[1]));
        }
    }
    seen.len()
}

/// Number of distinct (x, y) points in flat x, y pairs (exact comparison).
pub fn count_distinct_points(data: &[f64]) -> usize {
    // Each coordinate replaced by its rank among its axis's distinct values, a point by its two ranks in
    // one integer: the points are then sorted and compared as integers (no sort for pairs of floats).
    let ranks = |axis: usize| -> Vec<u64> {
        let axis_values = || data.chunks_exact(2).map(move |p| p[axis]);
        let distinct = distinct_sorted(axis_values());
        axis_values()
            .map(|v| distinct.partition_point(|&d| d < v) as u64)
            .collect()
    };
    let (xs, ys) = (ranks(0), ranks(1));
    let mut points: Vec<u64> = xs.into_iter().zip(ys).map(|(x, y)| x << 32 | y).collect();
    super::small_sort::sort_u64(&mut points);
    points.dedup();
    points.len()
}

/// The largest objective J hard EM (k-means) may start from, in the data's squared units: room left for
/// the trace's axis around it (1e306 and 6 % on each side is still a finite range).
pub const MAX_HARD_OBJECTIVE: f64 = 1e306;

/// Rejects empty 2-D data, too much data, and fewer distinct points than K.
pub fn check_points(data: &[f64], k: usize) -> Result<(), EmError> {
    if data.len() < 2 {
        return Err(EmError::new(ErrorKind::EmptyData));
    }
    let n = data.len() / 2;
    if n > super::csv::MAX_POINTS {
        return Err(EmError::new(ErrorKind::TooManyPoints {
            got: n,
            max: super::csv::MAX_POINTS,
        }));
    }
    // Only whether there are K distinct points matters here (and how many there are when fewer).
    let distinct = distinct_points_up_to(data, k);
    if distinct < k {
        return Err(EmError::new(ErrorKind::TooFewDistinct { distinct, k }));
    }
    // Each coordinate read in place (no copy of a million points).
    check_spread(|| data.iter().step_by(2).copied())?;
    check_spread(|| data.iter().skip(1).step_by(2).copied())?;
    // The squared distances across the data must be finite too, and their sum within what k-means' J may
    // be ([`MAX_HARD_OBJECTIVE`]): points at ±1e154 passed the variances and were refused as "these
    // centres" or "these parameters", which nobody had given, instead of "rescale it".
    let range = |values: &mut dyn Iterator<Item = f64>| {
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        hi - lo
    };
    let rx = range(&mut data.iter().step_by(2).copied());
    let ry = range(&mut data.iter().skip(1).step_by(2).copied());
    if n as f64 * (rx * rx + ry * ry) <= MAX_HARD_OBJECTIVE {
        Ok(())
    } else {
        let largest = data.iter().fold(0.0, |m: f64, v| m.max(v.abs()));
        Err(EmError::new(ErrorKind::DataTooSpread { largest }))
    }
}

/// Rejects empty data, too much data, and fewer distinct values than K.
pub fn check_data(data: &[f64], k: usize) -> Result<(), EmError> {
    if data.is_empty() {
        return Err(EmError::new(ErrorKind::EmptyData));
    }
    if data.len() > super::csv::MAX_POINTS {
        return Err(EmError::new(ErrorKind::TooManyPoints {
            got: data.len(),
            max: super::csv::MAX_POINTS,
        }));
    }
    let distinct = distinct_up_to(data, k);
    if distinct < k {
        return Err(EmError::new(ErrorKind::TooFewDistinct { distinct, k }));
    }
    check_spread(|| data.iter().copied())
}

/// Rejects values so spread out that squaring their deviations overflows (a variance of +∞).
fn check_spread<I: ExactSizeIterator<Item = f64>>(values: impl Fn() -> I) -> Result<(), EmError> {
    let n = values().len() as f64;
    let mean = values().map(|v| v / n).sum::<f64>();
    let variance = values().map(|v| (v - mean) * (v - mean) / n).sum::<f64>();
    // Values that differ, but so little that their variance underflows (1e−300, 2e−300, …: 1.25e−600 is
    // 0 in f64): EM started them with variance 1 and called the components "the same" beside a table
    // of different means.
    let differ = values()
        .next()
        .is_some_and(|first| values().any(|v| v != first));
    if differ && variance < f64::MIN_POSITIVE {
        let largest = values().fold(0.0, |m: f64, v| m.max(v.abs()));
        return Err(EmError::new(ErrorKind::DataTooNarrow { largest }));
    }
    if mean.is_finite() && variance.is_finite() {
        Ok(())
    } else {
        let largest = values().fold(0.0, |m: f64, v| m.max(v.abs()));
        Err(EmError::new(ErrorKind::DataTooSpread { largest }))
    }
}
