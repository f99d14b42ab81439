//! The 1-D Gaussian mixture: θ = (weights πₖ, means μₖ, variances σₖ²).

use super::em::by_k;
use super::em::{
    each_coordinate, fixed_k, log_sum_exp_row, pair_terms, soft_row, Collapse, LnProduct, MStep,
    Mixture, Pass, PassPart, SliceCoordinate,
};
use super::error::{EmError, ErrorKind};
use super::fastmath::{Lanes, Wide};
use super::options::Options;
use super::params::{check_finite, check_k, check_len, check_weights, softmax, MAX_K};
use std::f64::consts::PI;

/// A variance at or below this fraction of the data's variance counts as collapsed.
pub const COLLAPSE_RATIO: f64 = 1e-12;

/// θ of a 1-D Gaussian mixture.
#[derive(Clone, Debug, PartialEq)]
pub struct Gmm1dParams {
    /// Mixing weights πₖ (non-negative, summing to 1).
    pub weights: Vec<f64>,
    /// Means μₖ.
    pub means: Vec<f64>,
    /// Variances σₖ² (positive).
    pub variances: Vec<f64>,
}

/// 1-D data and the Gaussian-mixture model of it.
#[derive(Debug)]
pub struct Gmm1d {
    data: Vec<f64>,
    variance: f64,
    /// The smallest and the largest observation.
    extent: (f64, f64),
    /// The last histogram counted ([`Gmm1d::bin_counts`]): its range and bins, and the counts.
    counts: std::sync::Mutex<Option<(HistogramKey, Vec<usize>)>>,
}

/// What a histogram's counts depend on besides the data: its range (as bits) and number of bins.
type HistogramKey = (u64, u64, usize);

impl Clone for Gmm1d {
    fn clone(&self) -> Self {
        Gmm1d {
            data: self.data.clone(),
            variance: self.variance,
            extent: self.extent,
            counts: std::sync::Mutex::new(None),
        }
    }
}

/// Per-component constants: ln πₖ − ½ ln(2πσₖ²), 1/(2σₖ²) and μₖ.
pub struct Prepared1d {
    terms: Vec<(f64, f64, f64)>,
}

/// The sufficient statistics of q for one component: what the M-step and L(q, θ) need.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Moments1d {
    /// Nₖ = Σᵢ qᵢₖ.
    pub n: f64,
    /// Σᵢ qᵢₖ xᵢ (the weighted mean times Nₖ).
    pub sum: f64,
    /// The weighted scatter Σᵢ qᵢₖ (xᵢ − m)² around the weighted mean m = sum / Nₖ (NaN when Nₖ = 0).
    pub scatter: f64,
}

/// How far (in weighted standard deviations) the weighted mean may lie from the centre of the E-step's
/// shifted sums before those sums are recomputed around the mean: beyond it, Σq d² − Nₖ (Σq d / Nₖ)² would
/// lose more than about 7 of the 53 bits to cancellation.
pub const MAX_SHIFT_SDS: f64 = 10.0;

impl Moments1d {
    /// The moments from sums around `centre`: Nₖ, Σ q d and Σ q d² with d = x − centre; `None` when the
    /// mean lies more than [`MAX_SHIFT_SDS`] standard deviations from the centre (or a sum is not finite).
    pub fn from_shifted(n: f64, sum: f64, squares: f64, centre: f64) -> Option<Self> {
        if n == 0.0 {
            return Some(Moments1d {
                n,
                sum: 0.0,
                scatter: f64::NAN,
            });
        }
        let shift = sum / n;
        let scatter = squares - sum * shift;
        let near = shift * shift * n <= MAX_SHIFT_SDS * MAX_SHIFT_SDS * scatter;
        (scatter.is_finite() && shift.is_finite() && near).then_some(Moments1d {
            n,
            sum: n * centre + sum,
            scatter,
        })
    }
}

impl Gmm1d {
    /// Wraps data that has already been checked to be non-empty and finite.
    pub fn new(data: Vec<f64>) -> Self {
        let (_, variance) = mean_variance(&data);
        let extent = extent(&data);
        Gmm1d {
            data,
            variance,
            extent,
            counts: std::sync::Mutex::new(None),
        }
    }

    /// The smallest and the largest observation.
    pub fn extent(&self) -> (f64, f64) {
        self.extent
    }

    /// [`bin_counts`] of the observations, counted once per range and number of bins: the histogram is
    /// redrawn after every half-step, and at a million points a count is a pass over the data.
    pub fn bin_counts(&self, range: (f64, f64), bins: usize) -> Vec<usize> {
        let key = (range.0.to_bits(), range.1.to_bits(), bins);
        let mut cache = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((k, counts)) = cache.as_ref() {
            if *k == key {
                return counts.clone();
            }
        }
        let counts = bin_counts(&self.data, range, bins);
        *cache = Some((key, counts.clone()));
        counts
    }

    /// The observations.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// The population variance of the data.
    pub fn data_variance(&self) -> f64 {
        self.variance
    }

    /// A start at the given means: equal weights and the data variance (1 where it is 0 or overflows) for all.
    pub fn start_from_means(&self, means: Vec<f64>) -> Gmm1dParams {
        let k = means.len();
        let var = if self.variance > 0.0 && self.variance.is_finite() {
            self.variance
        } else {
            1.0
        };
        Gmm1dParams {
            weights: vec![1.0 / k as f64; k],
            means,
            variances: vec![var; k],
        }
    }

    /// Weighted density πₖ N(x | μₖ, σₖ²) of component `k` at `x`.
    pub fn component_density(params: &Gmm1dParams, k: usize, x: f64) -> f64 {
        let var = params.variances[k];
        let d = x - params.means[k];
        params.weights[k] * (-0.5 * d * d / var).exp() / (2.0 * PI * var).sqrt()
    }

    /// The mixture density p(x | θ).
    pub fn density(params: &Gmm1dParams, x: f64) -> f64 {
        (0..params.weights.len())
            .map(|k| Self::component_density(params, k, x))
            .sum()
    }
}

/// The smallest and the largest of `data` (+∞, −∞ when it is empty).
pub fn extent(data: &[f64]) -> (f64, f64) {
    data.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// How many of `data` fall in each of `bins` equal bins over `range` (at least one bin; the last bin closed;
/// values outside left out).
pub fn bin_counts(data: &[f64], range: (f64, f64), bins: usize) -> Vec<usize> {
    let bins = bins.max(1);
    let width = (range.1 - range.0) / bins as f64;
    let mut counts = vec![0usize; bins];
    for &x in data {
        let b = ((x - range.0) / width).floor();
        if b >= 0.0 {
            counts[(b as usize).min(bins - 1)] += 1;
        }
    }
    counts
}

/// Mean and population variance (divided by N), computed in two passes.
pub fn mean_variance(data: &[f64]) -> (f64, f64) {
    if data.is_empty() {
        return (0.0, 0.0);
    }
    let n = data.len() as f64;
    let mean = data.iter().sum::<f64>() / n;
    let var = data.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
    (mean, var)
}

impl Gmm1d {
    /// The E-step pass for K = 2: per point two log-joints, one exp and one division ([`pair_terms`];
    /// the ln once per block of points, [`LnProduct`]), [`Wide::LANES`] points at a time. Returns ℓ, H(q)
    /// and the sums Nₖ, Σ q d, Σ q d² around the old means.
    fn pass_pair(
        t: &[(f64, f64, f64)],
        data: &[f64],
        q: &mut [f64],
    ) -> (f64, f64, [[f64; 3]; MAX_K]) {
        let terms = [t[0], t[1]];
        let mut sums = PairSums::default();
        let bulk = data.len() / Wide::LANES * Wide::LANES;
        let (data, tail) = data.split_at(bulk);
        let (q, q_tail) = q.split_at_mut(2 * bulk);
        pair_points::<Wide>(data, q, terms, &mut sums);
        pair_points::<f64>(tail, q_tail, terms, &mut sums);
        let mut acc = [[0.0; 3]; MAX_K];
        (acc[0], acc[1]) = (sums.moments[0], sums.moments[1]);
        (sums.loglik, sums.entropy, acc)
    }

    /// The E-step pass for any K (`K` = 0) or a fixed K: as [`Gmm1d::pass_pair`], with [`soft_row`].
    fn pass_soft<const K: usize>(
        &self,
        t: &[(f64, f64, f64)],
        data: &[f64],
        q: &mut [f64],
    ) -> (f64, f64, [[f64; 3]; MAX_K]) {
        let k = fixed_k::<K>(t.len());
        let t = &t[..k];
        let mut acc = [[0.0; 3]; MAX_K];
        let mut d = [0.0; MAX_K];
        let (mut loglik, mut entropy) = (0.0, 0.0);
        for (&x, row) in data.iter().zip(q.chunks_exact_mut(k)) {
            for ((o, dj), &(c, h, mu)) in row.iter_mut().zip(d.iter_mut()).zip(t) {
                *dj = x - mu;
                *o = c - h * *dj * *dj;
            }
            let (lse, h) = soft_row(row);
            loglik += lse;
            entropy += h;
            for ((a, &dj), &r) in acc.iter_mut().zip(&d).zip(row.iter()) {
                a[0] += r;
                a[1] += r * dj;
                a[2] += r * dj * dj;
            }
        }
        (loglik, entropy, acc)
    }

    /// ℓ(θ) for K = 2, [`Wide::LANES`] points at a time (the numbers of [`Gmm1d::pass_pair`]'s ℓ).
    fn loglik_pair(&self, t: &[(f64, f64, f64)], data: &[f64]) -> f64 {
        let terms = [t[0], t[1]];
        let bulk = data.len() / Wide::LANES * Wide::LANES;
        let (data, tail) = data.split_at(bulk);
        let wide = pair_loglik::<Wide>(data, terms, 0.0);
        pair_loglik::<f64>(tail, terms, wide)
    }

    /// ℓ(θ) for a fixed K (`K` = 0: any K).
    fn loglik_pass<const K: usize>(&self, t: &[(f64, f64, f64)], data: &[f64]) -> f64 {
        let k = fixed_k::<K>(t.len());
        let t = &t[..k];
        let mut row = [0.0; MAX_K];
        let mut loglik = 0.0;
        for &x in data {
            for (o, &(c, h, mu)) in row.iter_mut().zip(t) {
                let d = x - mu;
                *o = c - h * d * d;
            }
            loglik += log_sum_exp_row(&row[..k]);
        }
        loglik
    }
}

/// What the K = 2 pass adds up: ℓ, H(q) and per component Σ q, Σ q d, Σ q d² around its old mean.
#[derive(Default)]
struct PairSums {
    loglik: f64,
    entropy: f64,
    moments: [[f64; 3]; 2],
}

/// The K = 2 E-step over `data` (a whole number of `L`'s lanes), q into `q`, sums into `sums`: each lane
/// keeps its own sums (every `L::LANES`-th point), added into `sums` lane by lane at the end, in the
/// same order as [`pair_loglik`], so the E-pass and the ℓ pass give the same ℓ.
#[inline(always)]
fn pair_points<L: Lanes>(
    data: &[f64],
    q: &mut [f64],
    terms: [(f64, f64, f64); 2],
    sums: &mut PairSums,
) {
    let [(c0, h0, m0), (c1, h1, m1)] =
        terms.map(|(c, h, m)| (L::splat(c), L::splat(h), L::splat(m)));
    // Per lane: ℓ and H without Σ ln u, Σq₀, Σq₀d₀, Σq₀d₀², Σq₁, Σq₁d₁, Σq₁d₁²; named, not an array,
    // and no iterator adapters (at opt-level "z" their `next` is not always inlined, and an array
    // indexed in a loop stays in memory).
    let zero = L::splat(0.0);
    let (mut loglik, mut entropy) = (zero, zero);
    let (mut n0, mut s0, mut ss0, mut n1, mut s1, mut ss1) = (zero, zero, zero, zero, zero, zero);
    let mut ln_u = LnProduct::<L>::default();
    for i in 0..data.len() / L::LANES {
        let x = L::load_at(data, i * L::LANES);
        let (d0, d1) = (x - m0, x - m1);
        let p = pair_terms(c0 - h0 * d0 * d0, c1 - h1 * d1 * d1);
        ln_u.push(p.u);
        let (q0, q1) = (p.q0, p.q1);
        let (qd0, qd1) = (q0 * d0, q1 * d1);
        loglik = loglik + p.loglik;
        entropy = entropy + p.entropy;
        n0 = n0 + q0;
        s0 = s0 + qd0;
        ss0 = ss0 + qd0 * d0;
        n1 = n1 + q1;
        s1 = s1 + qd1;
        ss1 = ss1 + qd1 * d1;
        L::store_rows(q0, q1, q, 2 * i * L::LANES);
    }
    let add = |total: &mut f64, a: L| {
        for i in 0..L::LANES {
            *total += a.lane(i);
        }
    };
    let ln_u = ln_u.total();
    add(&mut sums.loglik, loglik + ln_u);
    add(&mut sums.entropy, entropy + ln_u);
    let [a0, a1] = &mut sums.moments;
    for (total, a) in a0.iter_mut().zip([n0, s0, ss0]) {
        add(total, a);
    }
    for (total, a) in a1.iter_mut().zip([n1, s1, ss1]) {
        add(total, a);
    }
}

/// `loglik` plus the K = 2 ℓ of `data` (a whole number of `L`'s lanes), summed per lane and then lane
/// by lane, with the numbers of [`pair_points`].
#[inline(always)]
fn pair_loglik<L: Lanes>(data: &[f64], terms: [(f64, f64, f64); 2], mut loglik: f64) -> f64 {
    let [(c0, h0, m0), (c1, h1, m1)] =
        terms.map(|(c, h, m)| (L::splat(c), L::splat(h), L::splat(m)));
    let mut sum = L::splat(0.0);
    let mut ln_u = LnProduct::<L>::default();
    for i in 0..data.len() / L::LANES {
        let x = L::load_at(data, i * L::LANES);
        let (d0, d1) = (x - m0, x - m1);
        let p = pair_terms(c0 - h0 * d0 * d0, c1 - h1 * d1 * d1);
        ln_u.push(p.u);
        sum = sum + p.loglik;
    }
    let sum = sum + ln_u.total();
    for i in 0..L::LANES {
        loglik += sum.lane(i);
    }
    loglik
}

impl Mixture for Gmm1d {
    const NAME: &'static str = "gmm1d";
    type Params = Gmm1dParams;
    type Prepared = Prepared1d;
    type Stats = Vec<Moments1d>;
    type Sums = [[f64; 3]; MAX_K];

    fn e_pass_part(
        &self,
        p: &Gmm1dParams,
        range: std::ops::Range<usize>,
        q: &mut [f64],
        _labels: &mut [u32],
    ) -> PassPart<[[f64; 3]; MAX_K]> {
        let t = self.prepare(p).terms;
        let data = &self.data[range];
        match t.len() {
            2 => Self::pass_pair(&t, data, q),
            3 => self.pass_soft::<3>(&t, data, q),
            _ => self.pass_soft::<0>(&t, data, q),
        }
        .into()
    }

    fn e_pass_end(
        &self,
        p: &Gmm1dParams,
        part: PassPart<[[f64; 3]; MAX_K]>,
        q: &[f64],
        _labels: &[u32],
    ) -> (Pass, Vec<Moments1d>) {
        let shifted: Option<Vec<Moments1d>> = part
            .sums
            .iter()
            .zip(&p.means)
            .map(|(a, &mu)| Moments1d::from_shifted(a[0], a[1], a[2], mu))
            .collect();
        // Rarely (a mean far from its old value, in its own standard deviations): sums around the means.
        let stats = shifted.unwrap_or_else(|| self.stats_of(q, p.means.len()));
        (part.pass(), stats)
    }

    fn loglik_part(&self, p: &Gmm1dParams, range: std::ops::Range<usize>) -> f64 {
        let t = self.prepare(p).terms;
        let data = &self.data[range];
        if t.len() == 2 {
            return self.loglik_pair(&t, data);
        }
        by_k!(t.len(), self.loglik_pass(&t, data))
    }

    /// Two passes over q: Nₖ and Σ q x, then the scatter around the weighted means.
    fn stats_of(&self, q: &[f64], k: usize) -> Vec<Moments1d> {
        let mut nk = vec![0.0; k];
        let mut sum = vec![0.0; k];
        for (&x, row) in self.data.iter().zip(q.chunks_exact(k)) {
            for ((n, s), &r) in nk.iter_mut().zip(sum.iter_mut()).zip(row) {
                *n += r;
                *s += r * x;
            }
        }
        let means: Vec<f64> = nk.iter().zip(&sum).map(|(&n, &s)| s / n).collect();
        let mut sq = vec![0.0; k];
        for (&x, row) in self.data.iter().zip(q.chunks_exact(k)) {
            for ((acc, &mu), &r) in sq.iter_mut().zip(&means).zip(row) {
                let d = x - mu;
                *acc += r * d * d;
            }
        }
        (0..k)
            .map(|j| Moments1d {
                n: nk[j],
                sum: sum[j],
                scatter: sq[j],
            })
            .collect()
    }

    /// Σₖ Nₖ (ln πₖ − ½ ln 2πσₖ²) − (scatterₖ + Nₖ (mₖ − μₖ)²) / 2σₖ², mₖ the weighted mean.
    fn expected_log_joint(&self, stats: &Vec<Moments1d>, p: &Gmm1dParams) -> f64 {
        let t = self.prepare(p).terms;
        stats
            .iter()
            .zip(&t)
            .filter(|(m, _)| m.n > 0.0)
            .map(|(m, &(c, h, mu))| {
                let d = m.sum / m.n - mu;
                m.n * c - h * (m.scatter + m.n * d * d)
            })
            .sum()
    }

    fn len(&self) -> usize {
        self.data.len()
    }

    fn components(params: &Gmm1dParams) -> usize {
        params.weights.len()
    }

    fn prepare(&self, p: &Gmm1dParams) -> Prepared1d {
        let terms = (0..p.weights.len())
            .map(|k| {
                let var = p.variances[k];
                (
                    p.weights[k].ln() - 0.5 * (2.0 * PI * var).ln(),
                    0.5 / var,
                    p.means[k],
                )
            })
            .collect();
        Prepared1d { terms }
    }

    #[inline]
    fn log_joint_row(&self, prepared: &Prepared1d, i: usize, out: &mut [f64]) {
        let x = self.data[i];
        for (o, &(c, h, mu)) in out.iter_mut().zip(&prepared.terms) {
            let d = x - mu;
            *o = c - h * d * d;
        }
    }

    fn m_step_from(
        &self,
        stats: &Vec<Moments1d>,
        old: &Gmm1dParams,
        options: &Options,
    ) -> MStep<Gmm1dParams> {
        let n = self.data.len() as f64;
        let mut params = Gmm1dParams {
            weights: stats.iter().map(|m| m.n / n).collect(),
            means: stats.iter().map(|m| m.sum / m.n).collect(),
            variances: stats
                .iter()
                .map(|m| m.scatter / m.n + options.reg)
                .collect(),
        };
        // A component with no responsibility keeps its old values (and weight 0) instead of NaN.
        let mut empty = Vec::new();
        for (j, m) in stats.iter().enumerate() {
            let usable =
                m.n > 0.0 && params.means[j].is_finite() && params.variances[j].is_finite();
            if !usable {
                params.means[j] = old.means[j];
                params.variances[j] = old.variances[j];
                params.weights[j] = 0.0;
                empty.push(j);
            }
        }
        MStep { params, empty }
    }

    fn to_free(&self, p: &Gmm1dParams) -> Vec<f64> {
        let lnw = p.weights.iter().map(|w| w.ln().max(-700.0));
        let lnv = p.variances.iter().map(|v| v.ln());
        lnw.chain(p.means.iter().copied()).chain(lnv).collect()
    }

    fn from_free(&self, free: &[f64], like: &Gmm1dParams) -> Gmm1dParams {
        let k = like.weights.len();
        Gmm1dParams {
            weights: softmax(&free[..k]),
            means: free[k..2 * k].to_vec(),
            variances: free[2 * k..3 * k].iter().map(|v| v.exp()).collect(),
        }
    }

    fn validate(&self, p: &Gmm1dParams) -> Result<(), EmError> {
        let k = p.weights.len();
        check_k(k)?;
        check_len("means", k, p.means.len())?;
        check_len("variances", k, p.variances.len())?;
        check_finite("mean", &p.means)?;
        check_finite("variance", &p.variances)?;
        for (j, &v) in p.variances.iter().enumerate() {
            if v <= 0.0 {
                return Err(EmError::new(ErrorKind::BadVariance {
                    component: j,
                    value: v,
                }));
            }
        }
        check_weights(&p.weights)
    }

    fn free_names(&self, p: &Gmm1dParams) -> Vec<String> {
        let k = p.weights.len();
        let names = |f: &dyn Fn(usize) -> String| (1..=k).map(f).collect::<Vec<_>>();
        [
            names(&|j| format!("ln π{j}")),
            names(&|j| format!("μ{j}")),
            names(&|j| format!("ln σ{j}²")),
        ]
        .concat()
    }

    /// ln πⱼ only where the weights move (K > 1), μⱼ and ln σⱼ².
    fn slice_coordinates(&self, p: &Gmm1dParams) -> Vec<SliceCoordinate> {
        let k = p.weights.len();
        each_coordinate(self.free_names(p), if k > 1 { 0 } else { k })
    }

    fn free_scales(&self, p: &Gmm1dParams) -> Vec<f64> {
        let k = p.weights.len();
        let sd = self.variance.sqrt().max(f64::MIN_POSITIVE);
        [vec![1.0; k], vec![0.5 * sd; k], vec![1.0; k]].concat()
    }

    fn describe(&self, i: usize, _lang: crate::text::Lang) -> String {
        crate::core::format::with_minus(&format!("x = {}", short_number(self.data[i])))
    }

    fn collapse(&self, p: &Gmm1dParams) -> Option<Collapse> {
        let floor = COLLAPSE_RATIO * self.variance;
        let k = p.variances.iter().position(|&v| v <= floor)?;
        let mu = p.means[k];
        let point = super::nearest::nearest_1d(&self.data, mu);
        Some(Collapse {
            component: k,
            point,
            variance: p.variances[k],
        })
    }
}

/// A number with four significant digits, trailing zeros dropped (as the formulas write their numbers: a
/// point reads the same in a figure's title, the formulas' caption and their lines), for labels.
pub fn short_number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return crate::core::format::short(v);
    }
    let trim = |s: &str| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if v.abs() >= 1e5 || v.abs() < 1e-3 {
        let text = format!("{v:.3e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        format!("{}e{exponent}", trim(mantissa))
    } else {
        let digits = (3 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
        trim(&format!("{v:.digits$}"))
    }
}

/// A seeded start: K distinct data values as means, the data variance for all, equal weights.
pub fn random_start(model: &Gmm1d, k: usize, rng: &mut impl rand::Rng) -> Gmm1dParams {
    model.start_from_means(super::params::distinct_sample(model.data(), k, rng))
}

// The formulas of this model, with this step's numbers (see `core::formulas`).

use super::em::{Em, Phase};
use super::formulas::{
    at_i, empty_line, frac, largest, num, of, op, q_ik, row, soft_e_step, squared, sum_over, sym,
    tagged, weight_line, Formulas, Ix, Line, Node, ShowFormulas,
};

/// Nₖ = Σᵢ qᵢₖ, Σᵢ qᵢₖ xᵢ and Σᵢ qᵢₖ (xᵢ − μₖ)² around μₖ = Σᵢ qᵢₖ xᵢ / Nₖ, for every k, from the statistics
/// of q: Σᵢ qᵢₖ xᵢ / Nₖ and Σᵢ qᵢₖ (xᵢ − μₖ)² / Nₖ + reg are the M-step's mean and variance.
pub fn m_step_sums(stats: &[Moments1d]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let nk = stats.iter().map(|m| m.n).collect();
    let sum = stats.iter().map(|m| m.sum).collect();
    let sq = stats.iter().map(|m| m.scatter).collect();
    (nk, sum, sq)
}

/// The note under the M-step before the first E-step: q is still uniform.
pub fn uniform_note<M: Mixture>(em: &Em<M>) -> Option<Line> {
    (em.phase() == Phase::Init).then(|| vec![Node::Text("formula-q-uniform")])
}

impl ShowFormulas for Gmm1d {
    fn formulas(em: &Em<Self>, i: usize) -> Formulas {
        let model = em.model();
        let p = em.params();
        let scale = largest(&model.data);
        let var_scale = model.variance;
        let joint = |k: Ix| {
            vec![
                of("π", k),
                sym("N"),
                op("("),
                at_i("x"),
                op("|"),
                of("μ", k),
                op(","),
                squared("σ", k),
                op(")"),
            ]
        };
        let numbers = |c: usize| {
            vec![
                num(p.weights[c], 1.0),
                sym("N"),
                op("("),
                num(model.data[i], scale),
                op("|"),
                num(p.means[c], scale),
                op(","),
                num(p.variances[c], var_scale),
                op(")"),
            ]
        };
        let e = soft_e_step(em, i, &joint, &numbers);

        let k = Ix::Letter("k");
        let n = model.len();
        let reg = em.options().reg;
        let step = model.m_step_from(em.stats(), p, em.options());
        let (nk, sum, sq) = m_step_sums(em.stats());
        let q = || q_ik(k);
        let mut m = vec![
            vec![
                of("N", k),
                op("="),
                sum_over("i", vec![q()]),
                op(","),
                of("π", k),
                op("="),
                frac(of("N", k), sym("N")),
            ],
            vec![
                of("μ", k),
                op("="),
                frac(sum_over("i", vec![q(), at_i("x")]), of("N", k)),
                op(","),
                squared("σ", k),
                op("="),
                frac(
                    sum_over(
                        "i",
                        vec![
                            q(),
                            Node::Sup(
                                Box::new(row(vec![
                                    op("("),
                                    at_i("x"),
                                    op("−"),
                                    of("μ", k),
                                    op(")"),
                                ])),
                                Box::new(Node::Int(2)),
                            ),
                        ],
                    ),
                    of("N", k),
                ),
                op("+"),
                sym("reg"),
            ],
        ];
        m.extend(uniform_note(em));
        for c in 0..nk.len() {
            let at = Ix::At(c);
            if step.empty.contains(&c) {
                m.push(empty_line(c, nk[c]));
                continue;
            }
            let mut counts = vec![
                of("N", at),
                op("="),
                tagged(nk[c], n as f64, "N", c, 0),
                op(","),
            ];
            counts.extend(weight_line(c, nk[c], n, step.params.weights[c]));
            m.push(counts);
            m.push(vec![
                of("μ", at),
                op("="),
                frac(num(sum[c], nk[c] * scale), num(nk[c], n as f64)),
                op("="),
                tagged(step.params.means[c], scale, "μ", c, 0),
                op(","),
                squared("σ", at),
                op("="),
                frac(num(sq[c], nk[c] * var_scale), num(nk[c], n as f64)),
                op("+"),
                num(reg, 0.0),
                op("="),
                tagged(step.params.variances[c], var_scale, "σ²", c, 0),
            ]);
        }
        Formulas { point: i, e, m }
    }
}

// The registry's view of this model (see `core::model`).

use super::model::{Capabilities, FieldSpec, Model, Shape, Source, Theta};

impl Model for Gmm1d {
    const CAPABILITIES: Capabilities = Capabilities {
        bins: true,
        reg: true,
        collapse: true,
        click_edit: "1d",
        columns: 1,
        ..Capabilities::BASE
    };
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::number("weights", "col-weight", 3).csv("pi"),
        FieldSpec::number("means", "col-mean", 2)
            .csv("mu")
            .location(),
        FieldSpec::number("variances", "col-variance", 2).csv("var"),
    ];
    const PRESETS: &'static [&'static str] = PRESETS_1D;

    fn theta(p: &Gmm1dParams) -> Theta {
        Theta::default()
            .with("weights", Shape::Number, p.weights.clone())
            .with("means", Shape::Number, p.means.clone())
            .with("variances", Shape::Number, p.variances.clone())
    }
    fn from_theta(t: &Theta) -> Result<Gmm1dParams, EmError> {
        Ok(Gmm1dParams {
            weights: t.numbers("weights")?,
            means: t.numbers("means")?,
            variances: t.numbers("variances")?,
        })
    }
    fn preset(name: &str) -> Result<Source<Self>, EmError> {
        let p = preset_1d(name)?;
        // With reg = 0 the collapse preset walks a component onto its isolated point: the lesson needs it.
        let reg = if name == "collapse" {
            0.0
        } else {
            super::options::DEFAULT_REG
        };
        Ok(Source {
            labels: p.labels,
            start: p.start,
            k: p.suggested_k,
            reg,
            ..Source::plain(Gmm1d::new(p.data))
        })
    }
    fn read(text: &str, columns: [usize; 2]) -> Result<Source<Self>, EmError> {
        Self::from_table(&super::csv::parse_table(text)?, columns)
    }
    fn from_table(table: &super::csv::Table, columns: [usize; 2]) -> Result<Source<Self>, EmError> {
        let values = match table.one_line_list() {
            // A line of more numbers than the page holds is refused as more rows would be.
            Some(list) if list.len() > super::csv::MAX_POINTS => {
                return Err(EmError::new(ErrorKind::TooManyPoints {
                    got: list.len(),
                    max: super::csv::MAX_POINTS,
                }))
            }
            Some(list) => list,
            None => table.column(columns[0])?,
        };
        Ok(Source::plain(Gmm1d::new(values)))
    }
    fn check(&self, k: usize) -> Result<(), EmError> {
        super::params::check_data(self.data(), k)
    }
    fn random_start(&self, k: usize, seed: u64) -> Gmm1dParams {
        random_start(self, k, &mut super::sample::rng(seed))
    }
    fn data_text(&self, _sequences: &[Option<String>]) -> String {
        let mut out = String::with_capacity(self.data().len() * 8);
        for &x in self.data() {
            out.push_str(&super::format::exact(x));
            out.push('\n');
        }
        out
    }
    fn observation(&self, i: usize) -> Vec<f64> {
        self.data().get(i).map(|&x| vec![x]).unwrap_or_default()
    }
    fn distinct(&self) -> usize {
        super::params::count_distinct(self.data())
    }
    fn nearest_value(&self, x: f64) -> Option<usize> {
        Some(super::nearest::nearest_1d(self.data(), x))
    }
    fn neighbour(&self, i: usize, up: bool) -> usize {
        let data = self.data();
        let key = |j: usize| (data[j], j);
        let here = key(i);
        let order = |a: &usize, b: &usize| {
            key(*a)
                .partial_cmp(&key(*b))
                .unwrap_or(std::cmp::Ordering::Equal)
        };
        let candidates = (0..data.len()).filter(|&j| {
            let other = key(j);
            if up {
                other > here
            } else {
                other < here
            }
        });
        let pick = if up {
            candidates.min_by(order)
        } else {
            candidates.max_by(order)
        };
        pick.unwrap_or(i)
    }
}

// ——— The 1-D presets: the built-in data sets, generated from fixed seeds so every classroom sees the same numbers.

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
