//! The 2-D Gaussian mixture: θ = (weights πₖ, means μₖ, 2×2 covariances Σₖ), full, diagonal or spherical.

use super::em::{by_k, each_k};
use super::em::{
    each_coordinate, fixed_k, log_sum_exp_terms, soft_row_terms, Collapse, LnProduct, MStep,
    Mixture, Pass, PassPart, SliceCoordinate,
};
use super::error::{EmError, ErrorKind};
use super::fastmath::{Lanes, Wide};
use super::gmm1d::short_number as short;
use super::gmm1d::MAX_SHIFT_SDS;
use super::options::Options;
use super::params::{check_k, check_len, check_weights, softmax, MAX_K};
use nalgebra::Matrix2;
use rand::RngExt;
use std::f64::consts::PI;

/// A covariance whose smallest eigenvalue, with each axis in units of the data's spread along it, is at or
/// below this counts as collapsed.
pub const COLLAPSE_RATIO: f64 = 1e-12;
/// Off-diagonal entries may differ by this fraction of the matrix's largest entry and still count as symmetric.
pub const SYMMETRY_TOL: f64 = 1e-12;

/// θ of a 2-D Gaussian mixture.
#[derive(Clone, Debug, PartialEq)]
pub struct Gmm2dParams {
    /// Mixing weights πₖ (non-negative, summing to 1).
    pub weights: Vec<f64>,
    /// Means μₖ = (x, y).
    pub means: Vec<[f64; 2]>,
    /// Covariances Σₖ, row-major (symmetric positive definite).
    pub covariances: Vec<[[f64; 2]; 2]>,
}

/// Which covariances the M-step may produce (as scikit-learn's `covariance_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CovarianceType {
    /// Any symmetric positive-definite matrix.
    #[default]
    Full,
    /// Diagonal matrices: the off-diagonal term is dropped.
    Diag,
    /// Multiples of the identity: both variances are replaced by their mean.
    Spherical,
}

impl CovarianceType {
    /// The short name used by the JS API: "full", "diag" or "spherical".
    pub fn as_str(self) -> &'static str {
        match self {
            CovarianceType::Full => "full",
            CovarianceType::Diag => "diag",
            CovarianceType::Spherical => "spherical",
        }
    }

    /// Parses "full", "diag" or "spherical"; anything else is `None`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "full" => Some(CovarianceType::Full),
            "diag" => Some(CovarianceType::Diag),
            "spherical" => Some(CovarianceType::Spherical),
            _ => None,
        }
    }

    /// The nearest matrix of this type to `cov`: itself, its diagonal, or the mean variance times I.
    pub fn project(self, cov: &[[f64; 2]; 2]) -> [[f64; 2]; 2] {
        let (a, d) = (cov[0][0], cov[1][1]);
        match self {
            CovarianceType::Full => *cov,
            CovarianceType::Diag => [[a, 0.0], [0.0, d]],
            CovarianceType::Spherical => {
                let v = 0.5 * (a + d);
                [[v, 0.0], [0.0, v]]
            }
        }
    }
}

/// 2-D data (flat x, y pairs) and the Gaussian-mixture model of it.
#[derive(Clone, Debug)]
pub struct Gmm2d {
    data: Vec<f64>,
    covariance_type: CovarianceType,
    mean: [f64; 2],
    covariance: [[f64; 2]; 2],
    /// The smallest and largest x and y ([`extent_2d`]).
    extent: [(f64, f64); 2],
}

/// The smallest and the largest finite x and y of flat x, y pairs (+∞, −∞ where there is none): the
/// scatter figure's ranges, kept by the 2-D models (at a million points a pass over the data).
pub fn extent_2d(data: &[f64]) -> [(f64, f64); 2] {
    let mut extent = [(f64::INFINITY, f64::NEG_INFINITY); 2];
    for p in data.chunks_exact(2) {
        for (e, &v) in extent.iter_mut().zip(p) {
            if v.is_finite() {
                *e = (e.0.min(v), e.1.max(v));
            }
        }
    }
    extent
}

/// Per-component constants of one Gaussian: its Cholesky factor L (Σ = L Lᵀ) and log-normaliser.
#[derive(Clone, Copy, Debug)]
struct Term2d {
    /// ln πₖ − ln 2π − ln L₁₁ − ln L₂₂.
    c: f64,
    /// μₖ, x.
    mx: f64,
    /// μₖ, y.
    my: f64,
    /// 1 / L₁₁.
    i11: f64,
    /// L₂₁.
    l21: f64,
    /// 1 / L₂₂.
    i22: f64,
}

impl Term2d {
    /// ln πₖ N((x, y) | μₖ, Σₖ) at one point ([`TermLanes::log_density`], the kernels' numbers).
    #[inline(always)]
    fn log_density(&self, x: f64, y: f64) -> f64 {
        TermLanes::<f64>::of(self).log_density(x, y).2
    }
}

impl Term2d {
    /// Σᵢ qᵢₖ (xᵢ − μₖ)ᵀ Σₖ⁻¹ (xᵢ − μₖ) from the moments of q: tr(Σ⁻¹ S) + Nₖ (mean − μ)ᵀ Σ⁻¹ (mean − μ).
    fn expected_quadratic(&self, m: &Moments2d) -> f64 {
        let cross = self.l21 * self.i11 * self.i22;
        let a = self.i11 * self.i11 + cross * cross;
        let b = -cross * self.i22;
        let d = self.i22 * self.i22;
        let [sxx, sxy, syy] = m.scatter;
        let mean = m.mean();
        let y1 = (mean[0] - self.mx) * self.i11;
        let y2 = (mean[1] - self.my - self.l21 * y1) * self.i22;
        a * sxx + 2.0 * b * sxy + d * syy + m.n * (y1 * y1 + y2 * y2)
    }
}

/// The sufficient statistics of q for one component of 2-D data (mixture or k-means).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Moments2d {
    /// Nₖ = Σᵢ qᵢₖ.
    pub n: f64,
    /// Σᵢ qᵢₖ xᵢ (the weighted mean times Nₖ).
    pub sum: [f64; 2],
    /// The weighted scatter Σᵢ qᵢₖ (xᵢ − m)(xᵢ − m)ᵀ around the weighted mean m = sum / Nₖ, as (xx, xy, yy)
    /// (NaN when Nₖ = 0).
    pub scatter: [f64; 3],
}

/// Sums of one component around a centre c, accumulated in a pass: Nₖ, Σ q u, Σ q v, Σ q u², Σ q u v,
/// Σ q v² with (u, v) = x − c.
pub type Shifted2d = [f64; 6];

impl Moments2d {
    /// The moments from sums around `centre`; `None` when the mean lies more than
    /// [`MAX_SHIFT_SDS`] standard deviations (along x or y) from the centre, or a sum is not finite.
    pub fn from_shifted(s: &Shifted2d, centre: [f64; 2]) -> Option<Self> {
        let n = s[0];
        if n == 0.0 {
            return Some(Moments2d {
                n,
                sum: [0.0; 2],
                scatter: [f64::NAN; 3],
            });
        }
        let (u, v) = (s[1] / n, s[2] / n);
        let scatter = [s[3] - s[1] * u, s[4] - s[1] * v, s[5] - s[2] * v];
        let limit = MAX_SHIFT_SDS * MAX_SHIFT_SDS;
        let near = u * u * n <= limit * scatter[0] && v * v * n <= limit * scatter[2];
        let finite = scatter.iter().all(|x| x.is_finite()) && u.is_finite() && v.is_finite();
        (finite && near).then_some(Moments2d {
            n,
            sum: [n * centre[0] + s[1], n * centre[1] + s[2]],
            scatter,
        })
    }

    /// The weighted mean sum / Nₖ.
    pub fn mean(&self) -> [f64; 2] {
        [self.sum[0] / self.n, self.sum[1] / self.n]
    }
}

/// The moments of every component of q (N×K) over flat x, y pairs, in two passes (Nₖ and the weighted
/// sums, then the scatter around the weighted means).
pub fn moments_2d(data: &[f64], q: &[f64], k: usize) -> Vec<Moments2d> {
    let mut nk = vec![0.0; k];
    let mut sx = vec![0.0; k];
    let mut sy = vec![0.0; k];
    for (p, row) in data.chunks_exact(2).zip(q.chunks_exact(k)) {
        for (j, &r) in row.iter().enumerate() {
            nk[j] += r;
            sx[j] += r * p[0];
            sy[j] += r * p[1];
        }
    }
    let means: Vec<[f64; 2]> = (0..k).map(|j| [sx[j] / nk[j], sy[j] / nk[j]]).collect();
    let mut scatter = vec![[0.0; 3]; k];
    for (p, row) in data.chunks_exact(2).zip(q.chunks_exact(k)) {
        for j in 0..k {
            let r = row[j];
            let (u, v) = (p[0] - means[j][0], p[1] - means[j][1]);
            scatter[j][0] += r * u * u;
            scatter[j][1] += r * u * v;
            scatter[j][2] += r * v * v;
        }
    }
    (0..k)
        .map(|j| Moments2d {
            n: nk[j],
            sum: [sx[j], sy[j]],
            scatter: scatter[j],
        })
        .collect()
}

/// Per-component constants: Cholesky factors and log-normalisers of every Σₖ.
pub struct Prepared2d {
    terms: Vec<Term2d>,
}

/// The Cholesky factor (L₁₁, L₂₁, L₂₂) of a symmetric 2×2 matrix (off-diagonal averaged), if positive definite.
pub fn cholesky(cov: &[[f64; 2]; 2]) -> Option<(f64, f64, f64)> {
    let a = cov[0][0];
    let b = 0.5 * (cov[0][1] + cov[1][0]);
    let d = cov[1][1];
    if !(a > 0.0 && a.is_finite()) {
        return None;
    }
    let l11 = a.sqrt();
    let l21 = b / l11;
    let rest = d - l21 * l21;
    if !(rest > 0.0 && rest.is_finite() && l11.is_finite()) {
        return None;
    }
    Some((l11, l21, rest.sqrt()))
}

/// Eigenvalues (λ₁ ≥ λ₂) of a symmetric 2×2 matrix (off-diagonal averaged), in closed form.
pub fn eigenvalues(cov: &[[f64; 2]; 2]) -> (f64, f64) {
    let (a, d) = (cov[0][0], cov[1][1]);
    let b = 0.5 * (cov[0][1] + cov[1][0]);
    let mid = 0.5 * (a + d);
    let r = (0.25 * (a - d) * (a - d) + b * b).sqrt();
    let big = mid + r;
    // The small one as det / big: mid − r loses every digit where the axes differ in scale (variances
    // 1.6e7 and 1e-5 gave a small eigenvalue of rounding noise, and a false collapse).
    let det = a * d - b * b;
    let small = if big > 0.0 && big.is_finite() && det.is_finite() {
        det / big
    } else {
        mid - r
    };
    (big, small)
}

/// The ellipse of a covariance for the figures: semi-axes (√λ₁, √λ₂) with λ₁ ≥ λ₂, and the angle in radians
/// (in (−π/2, π/2], from the x axis) of the long axis. Scale both axes by c for the c-standard-deviation contour.
pub fn ellipse(cov: &[[f64; 2]; 2]) -> (f64, f64, f64) {
    let b = 0.5 * (cov[0][1] + cov[1][0]);
    let eig = Matrix2::new(cov[0][0], b, b, cov[1][1]).symmetric_eigen();
    let (big, small) = if eig.eigenvalues[0] >= eig.eigenvalues[1] {
        (0, 1)
    } else {
        (1, 0)
    };
    let v = eig.eigenvectors.column(big);
    let mut angle = v[1].atan2(v[0]);
    if angle <= -PI / 2.0 {
        angle += PI;
    } else if angle > PI / 2.0 {
        angle -= PI;
    }
    (
        eig.eigenvalues[big].max(0.0).sqrt(),
        eig.eigenvalues[small].max(0.0).sqrt(),
        angle,
    )
}

/// Mean and population covariance (divided by N) of flat x, y pairs, in two passes.
pub fn mean_covariance(data: &[f64]) -> ([f64; 2], [[f64; 2]; 2]) {
    let n = (data.len() / 2) as f64;
    if n == 0.0 {
        return ([0.0; 2], [[0.0; 2]; 2]);
    }
    let (mut sx, mut sy) = (0.0, 0.0);
    for p in data.chunks_exact(2) {
        sx += p[0];
        sy += p[1];
    }
    let (mx, my) = (sx / n, sy / n);
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for p in data.chunks_exact(2) {
        let (u, v) = (p[0] - mx, p[1] - my);
        sxx += u * u;
        sxy += u * v;
        syy += v * v;
    }
    let cxy = sxy / n;
    ([mx, my], [[sxx / n, cxy], [cxy, syy / n]])
}

/// K points drawn from flat pairs `data` at random, all different when the data has K distinct points.
pub fn distinct_points(data: &[f64], k: usize, rng: &mut impl rand::Rng) -> Vec<[f64; 2]> {
    let n = data.len() / 2;
    let mut chosen: Vec<[f64; 2]> = Vec::with_capacity(k);
    if n == 0 {
        return vec![[0.0; 2]; k];
    }
    let mut tries = 0;
    while chosen.len() < k {
        let i = rng.random_range(0..n);
        let p = [data[2 * i], data[2 * i + 1]];
        tries += 1;
        if !chosen.contains(&p) || tries > 100 * k {
            chosen.push(p);
        }
    }
    chosen
}

impl Gmm2d {
    /// Wraps flat x, y pairs that have already been checked to be non-empty and finite (a trailing odd value is dropped).
    pub fn new(mut data: Vec<f64>, covariance_type: CovarianceType) -> Self {
        data.truncate(data.len() - data.len() % 2);
        let (mean, covariance) = mean_covariance(&data);
        let extent = extent_2d(&data);
        Gmm2d {
            data,
            covariance_type,
            mean,
            covariance,
            extent,
        }
    }

    /// The smallest and the largest x and y of the observations.
    pub fn extent(&self) -> [(f64, f64); 2] {
        self.extent
    }

    /// The observations as flat x, y pairs.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// Observation `i` as (x, y).
    pub fn point(&self, i: usize) -> [f64; 2] {
        [self.data[2 * i], self.data[2 * i + 1]]
    }

    /// Which covariances the M-step produces.
    pub fn covariance_type(&self) -> CovarianceType {
        self.covariance_type
    }

    /// The mean of the data.
    pub fn data_mean(&self) -> [f64; 2] {
        self.mean
    }

    /// The population covariance of the data.
    pub fn data_covariance(&self) -> [[f64; 2]; 2] {
        self.covariance
    }

    /// The variance scale of the data: the largest eigenvalue of its covariance, or 1 when that is 0.
    pub fn data_scale(&self) -> f64 {
        let big = eigenvalues(&self.covariance).0;
        if big > 0.0 && big.is_finite() {
            big
        } else {
            1.0
        }
    }

    /// Weighted density πₖ N((x, y) | μₖ, Σₖ) of component `k` (0 when Σₖ is not positive definite).
    pub fn component_density(params: &Gmm2dParams, k: usize, x: f64, y: f64) -> f64 {
        match term(params, k) {
            Some(t) => t.log_density(x, y).exp(),
            None => 0.0,
        }
    }

    /// The mixture density p((x, y) | θ).
    pub fn density(params: &Gmm2dParams, x: f64, y: f64) -> f64 {
        (0..params.weights.len())
            .map(|k| Self::component_density(params, k, x, y))
            .sum()
    }

    /// `params` with every covariance projected onto this model's [`CovarianceType`].
    pub fn project(&self, params: &Gmm2dParams) -> Gmm2dParams {
        Gmm2dParams {
            covariances: params
                .covariances
                .iter()
                .map(|c| self.covariance_type.project(c))
                .collect(),
            ..params.clone()
        }
    }

    /// A start at the given means: equal weights and the data covariance (projected onto the type) for all;
    /// where the data lie on a line (the covariance singular, or a correlation within 1e-9 of ±1: points
    /// clicked twice at two places), a circle of the data's large variance instead, so a point off the line
    /// added next is not a billion standard deviations from every component.
    pub fn start_from_means(&self, means: Vec<[f64; 2]>) -> Gmm2dParams {
        let k = means.len();
        let [[a, b], [_, d]] = self.covariance;
        let correlation = b / a.sqrt() / d.sqrt();
        let cov = if cholesky(&self.covariance).is_some() && correlation * correlation < 1.0 - 1e-9
        {
            self.covariance
        } else {
            let s = self.data_scale();
            [[s, 0.0], [0.0, s]]
        };
        Gmm2dParams {
            weights: vec![1.0 / k as f64; k],
            means,
            covariances: vec![self.covariance_type.project(&cov); k],
        }
    }
}

/// The constants of component `k`, or `None` when Σₖ is not positive definite.
fn term(p: &Gmm2dParams, k: usize) -> Option<Term2d> {
    let (l11, l21, l22) = cholesky(&p.covariances[k])?;
    Some(Term2d {
        c: p.weights[k].ln() - (2.0 * PI).ln() - l11.ln() - l22.ln(),
        mx: p.means[k][0],
        my: p.means[k][1],
        i11: 1.0 / l11,
        l21,
        i22: 1.0 / l22,
    })
}

impl Gmm2d {
    /// The E-step pass for a fixed K (`K` = 0: any K): per point K log-densities, [`soft_row_terms`] and
    /// the sums of every component around its old mean ([`soft_points`]). Returns ℓ, H(q) and the sums.
    /// K = 3 (the benchmark's case) runs [`Wide::LANES`] points at a time, other K one point at a time
    /// (each copy of a kernel with exp inline costs wasm size).
    fn pass_soft<const K: usize>(
        &self,
        t: &[Term2d],
        data: &[f64],
        q: &mut [f64],
    ) -> (f64, f64, [Shifted2d; MAX_K]) {
        let mut sums = Sums2d::default();
        let bulk = wide_bulk::<K>(data);
        let (data, tail) = data.split_at(bulk);
        let (q, q_tail) = q.split_at_mut(bulk / 2 * t.len());
        if K == 3 {
            soft_points::<Wide, K>(data, t, q, &mut sums);
        }
        soft_points::<f64, K>(tail, t, q_tail, &mut sums);
        (sums.loglik, sums.entropy, sums.shifted)
    }

    /// ℓ(θ) for a fixed K (`K` = 0: any K), with the numbers of `pass_soft`.
    fn loglik_pass<const K: usize>(&self, t: &[Term2d], data: &[f64]) -> f64 {
        let bulk = wide_bulk::<K>(data);
        let (data, tail) = data.split_at(bulk);
        let wide = if K == 3 {
            loglik_points::<Wide, K>(data, t, 0.0)
        } else {
            0.0
        };
        loglik_points::<f64, K>(tail, t, wide)
    }
}

/// How much of `data` (x, y pairs) the passes for `K` components take [`Wide::LANES`] points at a time:
/// whole lanes for K = 3 (the benchmark's case), none for other K, which run one point at a time (each
/// copy of a kernel with exp inline costs wasm size).
fn wide_bulk<const K: usize>(data: &[f64]) -> usize {
    if K == 3 {
        data.len() / (2 * Wide::LANES) * (2 * Wide::LANES)
    } else {
        0
    }
}

/// What the 2-D E-step adds up: ℓ, H(q) and every component's sums around its old mean.
#[derive(Default)]
struct Sums2d {
    loglik: f64,
    entropy: f64,
    shifted: [Shifted2d; MAX_K],
}

/// A component's constants in lanes.
#[derive(Clone, Copy)]
struct TermLanes<L> {
    c: L,
    mx: L,
    my: L,
    i11: L,
    l21: L,
    i22: L,
}

impl<L: Lanes> TermLanes<L> {
    /// The constants of `t`, splat.
    #[inline(always)]
    fn of(t: &Term2d) -> Self {
        TermLanes {
            c: L::splat(t.c),
            mx: L::splat(t.mx),
            my: L::splat(t.my),
            i11: L::splat(t.i11),
            l21: L::splat(t.l21),
            i22: L::splat(t.i22),
        }
    }

    /// (x − μx, y − μy, ln πₖ N((x, y) | μₖ, Σₖ)) by forward substitution with L.
    #[inline(always)]
    fn log_density(&self, x: L, y: L) -> (L, L, L) {
        let (u, v) = (x - self.mx, y - self.my);
        let y1 = u * self.i11;
        let y2 = (v - self.l21 * y1) * self.i22;
        (u, v, self.c - L::splat(0.5) * (y1 * y1 + y2 * y2))
    }
}

/// The first `k` (at most [`MAX_K`]) components' constants in lanes.
#[inline(always)]
fn term_lanes<L: Lanes>(t: &[Term2d]) -> [TermLanes<L>; MAX_K] {
    let mut out = [TermLanes::of(&t[0]); MAX_K];
    for (o, t) in out.iter_mut().zip(t).skip(1) {
        *o = TermLanes::of(t);
    }
    out
}

/// The E-step over `data` (x, y pairs, a whole number of `L`'s lanes) with the `K` components of `t`
/// (`K` = 0: any K), `L::LANES` points at a time ([`soft_row_terms`], its ln u added up by
/// [`LnProduct`]): q into `q`, and ℓ, H(q) and the sums around the old means into `sums`. Each lane
/// keeps its own sums (every `L::LANES`-th point), added into `sums` lane by lane at the end, as
/// [`loglik_points`] does, so the E-pass and the ℓ pass give the same ℓ. Index loops and [`each_k`], no
/// iterator adapters: at opt-level "z" their `next` is not always inlined, and arrays indexed in a loop
/// stay in memory.
#[inline(always)]
fn soft_points<L: Lanes, const K: usize>(
    data: &[f64],
    t: &[Term2d],
    q: &mut [f64],
    sums: &mut Sums2d,
) {
    let k = fixed_k::<K>(t.len());
    let terms = term_lanes::<L>(t);
    let zero = L::splat(0.0);
    let mut row = [zero; MAX_K];
    let (mut loglik, mut entropy) = (zero, zero);
    let mut ln_u = LnProduct::<L>::default();
    let mut shifted = [[zero; 6]; MAX_K];
    let (mut du, mut dv) = ([zero; MAX_K], [zero; MAX_K]);
    let points = data.len() / (2 * L::LANES);
    check_span(q.len(), points * L::LANES * k);
    for i in 0..points {
        let (x, y) = L::load_rows(data, 2 * L::LANES * i);
        each_k!(K, k, 0, j => {
            (du[j], dv[j], row[j]) = terms[j].log_density(x, y);
        });
        let (base, u, h) = soft_row_terms::<L, K>(&mut row, k);
        loglik = loglik + base;
        entropy = entropy + h;
        ln_u.push(u);
        each_k!(K, k, 0, j => {
            let (r, u, v) = (row[j], du[j], dv[j]);
            let (ru, rv) = (r * u, r * v);
            let a = &mut shifted[j];
            a[0] = a[0] + r;
            a[1] = a[1] + ru;
            a[2] = a[2] + rv;
            a[3] = a[3] + ru * u;
            a[4] = a[4] + ru * v;
            a[5] = a[5] + rv * v;
        });
        let at = i * L::LANES * k;
        if K == 3 {
            L::store_rows3(row[0], row[1], row[2], q, at);
        } else if K == 2 {
            L::store_rows(row[0], row[1], q, at);
        } else {
            for lane in 0..L::LANES {
                for j in 0..k {
                    q[at + lane * k + j] = row[j].lane(lane);
                }
            }
        }
    }
    let ln_u = ln_u.total();
    add_lanes(&mut sums.loglik, loglik + ln_u);
    add_lanes(&mut sums.entropy, entropy + ln_u);
    each_k!(K, k, 0, j => {
        let [n, su, sv, suu, suv, svv] = shifted[j];
        let total = &mut sums.shifted[j];
        add_lanes(&mut total[0], n);
        add_lanes(&mut total[1], su);
        add_lanes(&mut total[2], sv);
        add_lanes(&mut total[3], suu);
        add_lanes(&mut total[4], suv);
        add_lanes(&mut total[5], svv);
    });
}

/// Panics unless `q` has room for `needed` numbers.
#[inline(always)]
fn check_span(have: usize, needed: usize) {
    assert!(have >= needed, "q too short for the pass");
}

/// Adds the lanes of `a` into `total`, lane 0 first.
#[inline(always)]
fn add_lanes<L: Lanes>(total: &mut f64, a: L) {
    for i in 0..L::LANES {
        *total += a.lane(i);
    }
}

/// `loglik` plus ℓ of `data` (x, y pairs, a whole number of `L`'s lanes) with the `K` components of `t`,
/// `L::LANES` points at a time, summed per lane and then lane by lane, with the numbers of
/// [`soft_points`] ([`log_sum_exp_terms`]).
#[inline(always)]
fn loglik_points<L: Lanes, const K: usize>(data: &[f64], t: &[Term2d], mut loglik: f64) -> f64 {
    let k = fixed_k::<K>(t.len());
    let terms = term_lanes::<L>(t);
    let mut row = [L::splat(0.0); MAX_K];
    let mut sum = L::splat(0.0);
    let mut ln_u = LnProduct::<L>::default();
    for i in 0..data.len() / (2 * L::LANES) {
        let (x, y) = L::load_rows(data, 2 * L::LANES * i);
        each_k!(K, k, 0, j => {
            row[j] = terms[j].log_density(x, y).2;
        });
        let (base, u) = log_sum_exp_terms::<L, K>(&row, k);
        sum = sum + base;
        ln_u.push(u);
    }
    add_lanes(&mut loglik, sum + ln_u.total());
    loglik
}

impl Mixture for Gmm2d {
    const NAME: &'static str = "gmm2d";
    type Params = Gmm2dParams;
    type Prepared = Prepared2d;
    type Stats = Vec<Moments2d>;
    type Sums = [Shifted2d; MAX_K];

    fn e_pass_part(
        &self,
        p: &Gmm2dParams,
        range: std::ops::Range<usize>,
        q: &mut [f64],
        _labels: &mut [u32],
    ) -> PassPart<[Shifted2d; MAX_K]> {
        let t = self.prepare(p).terms;
        let data = &self.data[2 * range.start..2 * range.end];
        by_k!(t.len(), self.pass_soft(&t, data, q)).into()
    }

    fn e_pass_end(
        &self,
        p: &Gmm2dParams,
        part: PassPart<[Shifted2d; MAX_K]>,
        q: &[f64],
        _labels: &[u32],
    ) -> (Pass, Vec<Moments2d>) {
        let t = self.prepare(p).terms;
        let shifted: Option<Vec<Moments2d>> = part
            .sums
            .iter()
            .zip(&t)
            .map(|(a, term)| Moments2d::from_shifted(a, [term.mx, term.my]))
            .collect();
        // Rarely (a mean far from its old value): sums around the means, from q.
        let stats = shifted.unwrap_or_else(|| self.stats_of(q, t.len()));
        (part.pass(), stats)
    }

    fn loglik_part(&self, p: &Gmm2dParams, range: std::ops::Range<usize>) -> f64 {
        let t = self.prepare(p).terms;
        let data = &self.data[2 * range.start..2 * range.end];
        by_k!(t.len(), self.loglik_pass(&t, data))
    }

    fn stats_of(&self, q: &[f64], k: usize) -> Vec<Moments2d> {
        moments_2d(&self.data, q, k)
    }

    /// Σₖ Nₖ (ln πₖ − ln 2π − ½ ln |Σₖ|) − ½ Σᵢ qᵢₖ (xᵢ − μₖ)ᵀ Σₖ⁻¹ (xᵢ − μₖ), the last from the moments.
    fn expected_log_joint(&self, stats: &Vec<Moments2d>, p: &Gmm2dParams) -> f64 {
        let t = self.prepare(p).terms;
        stats
            .iter()
            .zip(&t)
            .filter(|(m, _)| m.n > 0.0)
            .map(|(m, term)| m.n * term.c - 0.5 * term.expected_quadratic(m))
            .sum()
    }

    fn len(&self) -> usize {
        self.data.len() / 2
    }

    fn components(params: &Gmm2dParams) -> usize {
        params.weights.len()
    }

    fn prepare(&self, p: &Gmm2dParams) -> Prepared2d {
        let terms = (0..p.weights.len())
            .map(|k| {
                term(p, k).unwrap_or(Term2d {
                    c: f64::NEG_INFINITY,
                    mx: 0.0,
                    my: 0.0,
                    i11: 0.0,
                    l21: 0.0,
                    i22: 0.0,
                })
            })
            .collect();
        Prepared2d { terms }
    }

    #[inline]
    fn log_joint_row(&self, prepared: &Prepared2d, i: usize, out: &mut [f64]) {
        let (x, y) = (self.data[2 * i], self.data[2 * i + 1]);
        for (o, t) in out.iter_mut().zip(&prepared.terms) {
            *o = t.log_density(x, y);
        }
    }

    fn m_step_from(
        &self,
        stats: &Vec<Moments2d>,
        old: &Gmm2dParams,
        options: &Options,
    ) -> MStep<Gmm2dParams> {
        let n = self.len() as f64;
        let reg = options.reg;
        let covariances = stats
            .iter()
            .map(|m| {
                let [a, b, d] = m.scatter.map(|s| s / m.n);
                self.covariance_type.project(&[[a + reg, b], [b, d + reg]])
            })
            .collect();
        let mut params = Gmm2dParams {
            weights: stats.iter().map(|m| m.n / n).collect(),
            means: stats.iter().map(Moments2d::mean).collect(),
            covariances,
        };
        let mut empty = Vec::new();
        for (j, m) in stats.iter().enumerate() {
            let finite = params.means[j].iter().all(|v| v.is_finite())
                && params.covariances[j]
                    .iter()
                    .flatten()
                    .all(|v| v.is_finite());
            if !(m.n > 0.0 && finite) {
                params.means[j] = old.means[j];
                params.covariances[j] = old.covariances[j];
                params.weights[j] = 0.0;
                empty.push(j);
            }
        }
        MStep { params, empty }
    }

    /// ln πⱼ, μⱼ's two coordinates, and Σⱼ's Cholesky factor L (Σ = L Lᵀ): ln L₁₁ = ln σⱼ(x₁), L₂₁ and
    /// ln L₂₂ = ln σⱼ(x₂ | x₁) (the menu said θ1 … θ18).
    fn free_names(&self, p: &Gmm2dParams) -> Vec<String> {
        let k = p.weights.len();
        let mut names: Vec<String> = (1..=k).map(|j| format!("ln π{j}")).collect();
        for j in 1..=k {
            names.extend([format!("μ{j} (x₁)"), format!("μ{j} (x₂)")]);
        }
        for j in 1..=k {
            names.extend([
                format!("ln σ{j} (x₁)"),
                format!("Σ{j}₂₁ / σ{j} (x₁)"),
                format!("ln σ{j} (x₂ | x₁)"),
            ]);
        }
        names
    }

    /// ln πⱼ (K > 1) and μⱼ, then Σⱼ's coordinates as its type lets the M-step move them: all three when
    /// full; diagonal, ln σⱼ (x₁) and ln σⱼ (x₂) (Σ₂₁ stays 0); spherical, one ln σⱼ moving both log-sds.
    fn slice_coordinates(&self, p: &Gmm2dParams) -> Vec<SliceCoordinate> {
        let k = p.weights.len();
        let names = self.free_names(p);
        let mut coordinates = each_coordinate(names[..3 * k].to_vec(), if k > 1 { 0 } else { k });
        for j in 0..k {
            let first = 3 * k + 3 * j;
            let one = |name: String, moves: Vec<usize>| SliceCoordinate { name, moves };
            match self.covariance_type {
                CovarianceType::Full => {
                    coordinates.extend((first..first + 3).map(|i| one(names[i].clone(), vec![i])))
                }
                CovarianceType::Diag => coordinates.extend([
                    one(names[first].clone(), vec![first]),
                    one(format!("ln σ{} (x₂)", j + 1), vec![first + 2]),
                ]),
                CovarianceType::Spherical => {
                    coordinates.push(one(format!("ln σ{}", j + 1), vec![first, first + 2]))
                }
            }
        }
        coordinates
    }

    fn to_free(&self, p: &Gmm2dParams) -> Vec<f64> {
        let k = p.weights.len();
        let mut free = Vec::with_capacity(6 * k);
        free.extend(p.weights.iter().map(|w| w.ln().max(-700.0)));
        free.extend(p.means.iter().flatten());
        for cov in &p.covariances {
            let (l11, l21, l22) = cholesky(cov).unwrap_or((1.0, 0.0, 1.0));
            free.extend([l11.ln(), l21, l22.ln()]);
        }
        free
    }

    fn from_free(&self, free: &[f64], like: &Gmm2dParams) -> Gmm2dParams {
        let k = like.weights.len();
        let means = free[k..3 * k]
            .chunks_exact(2)
            .map(|m| [m[0], m[1]])
            .collect();
        let covariances = free[3 * k..6 * k]
            .chunks_exact(3)
            .map(|c| {
                let (l11, l21, l22) = (c[0].exp(), c[1], c[2].exp());
                let b = l11 * l21;
                [[l11 * l11, b], [b, l21 * l21 + l22 * l22]]
            })
            .collect();
        Gmm2dParams {
            weights: softmax(&free[..k]),
            means,
            covariances,
        }
    }

    fn validate(&self, p: &Gmm2dParams) -> Result<(), EmError> {
        let k = p.weights.len();
        check_k(k)?;
        check_len("means", k, p.means.len())?;
        check_len("covariances", k, p.covariances.len())?;
        for (component, m) in p.means.iter().enumerate() {
            if !m.iter().all(|v| v.is_finite()) {
                return Err(EmError::new(ErrorKind::NotFiniteParam {
                    what: "mean",
                    component,
                }));
            }
        }
        for (component, c) in p.covariances.iter().enumerate() {
            if !c.iter().flatten().all(|v| v.is_finite()) {
                return Err(EmError::new(ErrorKind::NotFiniteParam {
                    what: "covariance",
                    component,
                }));
            }
            let scale = c.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
            if (c[0][1] - c[1][0]).abs() > SYMMETRY_TOL * scale {
                return Err(EmError::new(ErrorKind::NotSymmetric { component }));
            }
            if cholesky(c).is_none() {
                return Err(EmError::new(ErrorKind::NotPositiveDefinite { component }));
            }
            // A start of the model's own type (a full matrix was taken under `diag`, and the M-step's
            // diagonal ones then followed a start that was not).
            let kind = match self.covariance_type() {
                CovarianceType::Diag if c[0][1] != 0.0 => {
                    Some(ErrorKind::NotDiagonal { component })
                }
                CovarianceType::Spherical if c[0][1] != 0.0 || c[0][0] != c[1][1] => {
                    Some(ErrorKind::NotSpherical { component })
                }
                _ => None,
            };
            if let Some(kind) = kind {
                return Err(EmError::new(kind));
            }
        }
        check_weights(&p.weights)
    }

    fn describe(&self, i: usize, _lang: crate::text::Lang) -> String {
        describe_point(self.point(i))
    }

    /// Σₖ collapsed when its smallest eigenvalue, each axis in units of the data's spread along it, is at
    /// most [`COLLAPSE_RATIO`] (reported as `variance`: the variance across its thinnest direction); the
    /// point is the one nearest μₖ.
    fn collapse(&self, p: &Gmm2dParams) -> Option<Collapse> {
        // Each axis in units of the data's own spread along it, so a component is collapsed when it is thin
        // against the data in *some* direction, not against the data's widest direction: with x in the tens
        // of thousands and y in hundredths, a component's ordinary y variance was "collapsed".
        let unit = |v: f64| {
            if v > 0.0 && v.is_finite() {
                v.sqrt()
            } else {
                1.0
            }
        };
        let (sx, sy) = (unit(self.covariance[0][0]), unit(self.covariance[1][1]));
        let (k, _) = p
            .covariances
            .iter()
            .map(|c| {
                let scaled = [
                    [c[0][0] / (sx * sx), c[0][1] / (sx * sy)],
                    [c[1][0] / (sx * sy), c[1][1] / (sy * sy)],
                ];
                eigenvalues(&scaled).1
            })
            .enumerate()
            .find(|&(_, small)| small.is_nan() || small <= COLLAPSE_RATIO)?;
        let c = &p.covariances[k];
        let small = eigenvalues(c).1;
        Some(Collapse {
            component: k,
            point: super::nearest::nearest_2d(&self.data, p.means[k], [1.0, 1.0]),
            // The variance along the component's thinnest direction, in the data's units (the smaller
            // diagonal entry where that overflows: data near 1e150 printed "variance −∞").
            variance: if small.is_finite() {
                small.max(0.0)
            } else {
                c[0][0].min(c[1][1])
            },
        })
    }
}

/// Σᵢ qᵢₖ, Σᵢ qᵢₖ xᵢ and Σᵢ qᵢₖ yᵢ for every k, from the statistics of q (mixture or k-means).
pub fn weighted_sums(stats: &[Moments2d]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let nk = stats.iter().map(|m| m.n).collect();
    let sx = stats.iter().map(|m| m.sum[0]).collect();
    let sy = stats.iter().map(|m| m.sum[1]).collect();
    (nk, sx, sy)
}

/// A 2-D observation as the figures and the formulas name it: "x = (1.27, −3.762)" (the 2-D mixture's and
/// k-means' points alike).
pub fn describe_point([x, y]: [f64; 2]) -> String {
    crate::core::format::with_minus(&format!("x = ({}, {})", short(x), short(y)))
}

/// A seeded start: K distinct data points as means, the data covariance (projected) for all, equal weights.
pub fn random_start(model: &Gmm2d, k: usize, rng: &mut impl rand::Rng) -> Gmm2dParams {
    model.start_from_means(distinct_points(model.data(), k, rng))
}

// The formulas of this model, with this step's numbers (see `core::formulas`).

use super::em::Em;
use super::formulas::{
    at_i, column, empty_line, frac, largest, num, of, op, pair, q_ik, row, soft_e_step, sum_over,
    sym, tagged, weight_line, Formulas, Ix, Node, ShowFormulas,
};

/// Σᵢ qᵢₖ u², Σᵢ qᵢₖ u v and Σᵢ qᵢₖ v² with (u, v) = xᵢ − μₖ around the weighted means, for every k, from
/// the statistics of q: divided by Nₖ (plus reg) they are the M-step's covariance.
pub fn scatter_sums(stats: &[Moments2d]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let sxx = stats.iter().map(|m| m.scatter[0]).collect();
    let sxy = stats.iter().map(|m| m.scatter[1]).collect();
    let syy = stats.iter().map(|m| m.scatter[2]).collect();
    (sxx, sxy, syy)
}

/// A 2×2 matrix of numbers shown relative to `scale`.
fn matrix_of(m: &[[f64; 2]; 2], scale: f64) -> Node {
    Node::Matrix(
        m.iter()
            .map(|r| r.iter().map(|&v| num(v, scale)).collect())
            .collect(),
    )
}

impl ShowFormulas for Gmm2d {
    fn formulas(em: &Em<Self>, i: usize) -> Formulas {
        let model = em.model();
        let p = em.params();
        let scale = largest(&model.data);
        let cov_scale = model.data_scale();
        let joint = |k: Ix| {
            vec![
                of("π", k),
                sym("N"),
                op("("),
                at_i("x"),
                op("|"),
                of("μ", k),
                op(","),
                of("Σ", k),
                op(")"),
            ]
        };
        let [x, y] = model.point(i);
        let numbers = |c: usize| {
            vec![
                num(p.weights[c], 1.0),
                sym("N"),
                op("("),
                at_i("x"),
                op("|"),
                pair(num(p.means[c][0], scale), num(p.means[c][1], scale)),
                op(","),
                of("Σ", Ix::At(c)),
                op(")"),
            ]
        };
        let mut e = soft_e_step(em, i, &joint, &numbers);
        e.insert(
            1,
            vec![at_i("x"), op("="), pair(num(x, scale), num(y, scale))],
        );

        let k = Ix::Letter("k");
        let n = model.len();
        let reg = em.options().reg;
        let kk = Self::components(p);
        let step = model.m_step_from(em.stats(), p, em.options());
        let (nk, sx, sy) = weighted_sums(em.stats());
        let (sxx, sxy, syy) = scatter_sums(em.stats());
        let q = || q_ik(k);
        let centred = || row(vec![op("("), at_i("x"), op("−"), of("μ", k), op(")")]);
        let mut m = vec![
            vec![
                of("N", k),
                op("="),
                sum_over("i", vec![q()]),
                op(","),
                of("π", k),
                op("="),
                frac(of("N", k), sym("N")),
                op(","),
                of("μ", k),
                op("="),
                frac(sum_over("i", vec![q(), at_i("x")]), of("N", k)),
            ],
            vec![
                of("Σ", k),
                op("="),
                frac(
                    sum_over(
                        "i",
                        vec![
                            q(),
                            centred(),
                            Node::Sup(Box::new(centred()), Box::new(sym("T"))),
                        ],
                    ),
                    of("N", k),
                ),
                op("+"),
                sym("reg"),
                sym("I"),
            ],
        ];
        match model.covariance_type {
            CovarianceType::Full => {}
            CovarianceType::Diag => m.push(vec![Node::Text("formula-diag")]),
            CovarianceType::Spherical => m.push(vec![Node::Text("formula-spherical")]),
        }
        m.extend(super::gmm1d::uniform_note(em));
        for c in 0..kk {
            let at = Ix::At(c);
            if step.empty.contains(&c) {
                m.push(empty_line(c, nk[c]));
                continue;
            }
            let nc = || num(nk[c], n as f64);
            let mut counts = vec![
                of("N", at),
                op("="),
                tagged(nk[c], n as f64, "N", c, 0),
                op(","),
            ];
            counts.extend(weight_line(c, nk[c], n, step.params.weights[c]));
            counts.extend([
                op(","),
                of("μ", at),
                op("="),
                frac(
                    column(num(sx[c], nk[c] * scale), num(sy[c], nk[c] * scale)),
                    nc(),
                ),
                op("="),
                column(
                    tagged(step.params.means[c][0], scale, "μ", c, 0),
                    tagged(step.params.means[c][1], scale, "μ", c, 1),
                ),
            ]);
            m.push(counts);
            let s = nk[c] * cov_scale;
            let result = &step.params.covariances[c];
            let entry =
                |r: usize, col: usize| tagged(result[r][col], cov_scale, "Σ", c, 2 * r + col);
            m.push(vec![
                of("Σ", at),
                op("="),
                frac(matrix_of(&[[sxx[c], sxy[c]], [sxy[c], syy[c]]], s), nc()),
                op("+"),
                num(reg, 0.0),
                sym("I"),
                op("="),
                Node::Matrix(vec![
                    vec![entry(0, 0), entry(0, 1)],
                    vec![entry(1, 0), entry(1, 1)],
                ]),
            ]);
        }
        Formulas { point: i, e, m }
    }
}

// The registry's view of this model (see `core::model`).

use super::model::{Capabilities, FieldSpec, Model, Shape, Source, Theta};

impl Model for Gmm2d {
    const CAPABILITIES: Capabilities = Capabilities {
        data_figure: "scatter",
        covariance: true,
        hard_colouring: true,
        compare: true,
        reg: true,
        collapse: true,
        click_edit: "2d",
        columns: 2,
        data_words: "-2d",
        ..Capabilities::BASE
    };
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::number("weights", "col-weight", 3).csv("pi"),
        FieldSpec::number("means", "col-mean", 2)
            .location()
            .csv("mu")
            .shaped(Shape::Pair),
        FieldSpec::number("covariances", "col-covariance", 2)
            .csv("sigma")
            .shaped(Shape::Matrix),
    ];
    const PRESETS: &'static [&'static str] = super::presets2d::PRESETS_2D;

    fn theta(p: &Gmm2dParams) -> Theta {
        Theta::default()
            .with("weights", Shape::Number, p.weights.clone())
            .with_pairs("means", &p.means)
            .with_matrices("covariances", &p.covariances)
    }
    fn from_theta(t: &Theta) -> Result<Gmm2dParams, EmError> {
        Ok(Gmm2dParams {
            weights: t.numbers("weights")?,
            means: t.pairs("means")?,
            covariances: t.matrices("covariances")?,
        })
    }
    fn preset(name: &str) -> Result<Source<Self>, EmError> {
        let p = super::presets2d::preset_2d(name)?;
        Ok(Source {
            labels: p.labels,
            k: p.suggested_k,
            seed: p.suggested_seed,
            ..Source::plain(Gmm2d::new(p.data, CovarianceType::Full))
        })
    }
    fn read(text: &str, columns: [usize; 2]) -> Result<Source<Self>, EmError> {
        Self::from_table(&super::csv::parse_table(text)?, columns)
    }
    fn from_table(table: &super::csv::Table, columns: [usize; 2]) -> Result<Source<Self>, EmError> {
        let data = table.points(columns)?;
        Ok(Source::plain(Gmm2d::new(data, CovarianceType::Full)))
    }
    fn check(&self, k: usize) -> Result<(), EmError> {
        super::params::check_points(self.data(), k)
    }
    fn random_start(&self, k: usize, seed: u64) -> Gmm2dParams {
        random_start(self, k, &mut super::sample::rng(seed))
    }
    fn data_text(&self, _sequences: &[Option<String>]) -> String {
        super::format::points_text(self.data())
    }
    fn observation(&self, i: usize) -> Vec<f64> {
        if i < self.len() {
            self.point(i).to_vec()
        } else {
            Vec::new()
        }
    }
    fn distinct(&self) -> usize {
        super::params::count_distinct_points(self.data())
    }
    fn variant(&self) -> Option<String> {
        Some(self.covariance_type().as_str().to_string())
    }
    fn with_variant(self, variant: &str) -> Result<Self, EmError> {
        let covariance = CovarianceType::parse(variant)
            .ok_or_else(|| EmError::shape("shape-covariance-type", &[("variant", variant)]))?;
        Ok(Gmm2d::new(self.data().to_vec(), covariance))
    }
}
