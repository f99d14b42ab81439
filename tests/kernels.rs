//! The fused kernels against the plain reference of `common::reference`, for every model, on random data
//! and random θ (K = 1 … 10, far-out points, tiny variances, probabilities at the edges): q, ℓ, H(q),
//! the M-step's θ, ℓ and L after it, and ℓ and L at another θ (L from the statistics against L from a
//! pass over the data). Tolerances: 1e-12 relative on ℓ, 1e-10 on θ and on L and H.

mod common;

use common::reference::{self as plain, counts, weighted};
use emlab::core::coins::{CoinParams, Coins};
use emlab::core::em::{Em, Mixture};
use emlab::core::gmm1d::{Gmm1d, Gmm1dParams};
use emlab::core::gmm2d::{CovarianceType, Gmm2d, Gmm2dParams};
use emlab::core::kmeans::{KMeans, KMeansParams};
use emlab::core::options::Options;
use emlab::core::poisson::{ln_factorial, Poisson, PoissonParams};
use emlab::core::sample::{normal, rng};
use rand::rngs::StdRng;
use rand::RngExt;

/// Random cases per model and K.
const CASES: usize = 6;

/// |a − b| ≤ tol · max(|a|, |b|, floor), with NaN only equal to NaN.
fn close(a: f64, b: f64, tol: f64, floor: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    a == b || (a - b).abs() <= tol * a.abs().max(b.abs()).max(floor)
}

fn assert_all_close(what: &str, a: &[f64], b: &[f64], tol: f64, floor: f64) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (j, (&x, &y)) in a.iter().zip(b).enumerate() {
        assert!(
            close(x, y, tol, floor),
            "{what}[{j}]: {x:e} vs reference {y:e}"
        );
    }
}

/// One model for the comparison: its reference log-joints, reference M-step and θ as numbers.
trait Plain: Mixture {
    /// ln p(xᵢ, z = k | θ), N rows of K.
    fn plain_log_joint(&self, p: &Self::Params) -> Vec<Vec<f64>>;
    /// The M-step from q by weighted sums.
    fn plain_m_step(&self, q: &[f64], old: &Self::Params, options: &Options) -> Self::Params;
    /// θ as a flat list of numbers.
    fn numbers(p: &Self::Params) -> Vec<f64>;
    /// The magnitude below which θ's numbers compare absolutely (the data's scale).
    fn scale(&self) -> f64 {
        1.0
    }
}

/// Runs EM one iteration from `theta` and checks every number against the reference; evaluates ℓ and L
/// at `other` too. Returns false when the core refuses `theta` (an extreme start it cannot use).
fn compare<M: Plain>(model: M, theta: M::Params, other: M::Params, what: &str) -> bool {
    let options = Options::default();
    let scale = model.scale();
    let Ok(mut em) = Em::new(model, theta.clone(), options) else {
        return false;
    };
    let n = em.model().len() as f64;
    let reference_lj = em.model().plain_log_joint(&theta);
    let post = plain::posterior(&reference_lj, M::HARD);
    em.e_step().unwrap();
    assert!(
        close(em.loglik(), post.loglik, 1e-12, 1.0),
        "{what}: ℓ after E {} vs {}",
        em.loglik(),
        post.loglik
    );
    assert_eq!(
        em.lower_bound(),
        em.loglik(),
        "{what}: L = ℓ after the E-step"
    );
    assert!(
        close(em.entropy(), post.entropy, 1e-10, n * 1e-4),
        "{what}: H(q) {} vs {}",
        em.entropy(),
        post.entropy
    );
    // q = exp(ln p(x, k) − ln p(x)) carries the rounding of ln p(x) (absolute, ~1e-16 of its size), so a
    // row whose log-joints are large (counts in the thousands) agrees to 1e-14 of their magnitude.
    let k = em.k();
    for (i, ((a, b), row)) in em
        .q()
        .chunks_exact(k)
        .zip(post.q.chunks_exact(k))
        .zip(&reference_lj)
        .enumerate()
    {
        let size = row
            .iter()
            .filter(|v| v.is_finite())
            .fold(1.0f64, |m, v| m.max(v.abs()));
        for (j, (&x, &y)) in a.iter().zip(b).enumerate() {
            assert!(
                (x - y).abs() <= 1e-14 * size,
                "{what}: q[{i}][{j}] {x:e} vs reference {y:e}"
            );
        }
    }

    // ℓ and L at another θ: ℓ by the kernel's pass, L from the statistics against a pass over the data.
    let other_lj = em.model().plain_log_joint(&other);
    let other_loglik: f64 = other_lj.iter().map(|row| plain_ll(row, M::HARD)).sum();
    assert!(
        close(em.loglik_at(&other), other_loglik, 1e-12, 1.0),
        "{what}: ℓ(θ') {} vs {}",
        em.loglik_at(&other),
        other_loglik
    );
    let other_bound = plain::expected_log_joint(&other_lj, &post.q) + post.entropy;
    let bound = em.bound_at(&other);
    assert!(
        close(bound, other_bound, 1e-10, n),
        "{what}: L(q, θ') {bound} vs {other_bound}"
    );
    let (loglik, pass_bound) = em.evaluate_with_entropy(&other, em.entropy());
    assert_eq!(loglik, em.loglik_at(&other), "{what}: ℓ(θ') of evaluate");
    assert!(
        close(pass_bound, other_bound, 1e-10, n),
        "{what}: evaluated L(q, θ') {pass_bound} vs {other_bound}"
    );

    let expected = em.model().plain_m_step(&post.q, &theta, &options);
    if em.m_step().is_err() {
        return true;
    }
    assert_all_close(
        &format!("{what}: θ after M"),
        &M::numbers(em.params()),
        &M::numbers(&expected),
        1e-10,
        scale,
    );
    let new_lj = em.model().plain_log_joint(em.params());
    let new_loglik: f64 = new_lj.iter().map(|row| plain_ll(row, M::HARD)).sum();
    assert!(
        close(em.loglik(), new_loglik, 1e-12, 1.0),
        "{what}: ℓ after M {} vs {}",
        em.loglik(),
        new_loglik
    );
    let new_bound = plain::expected_log_joint(&new_lj, &post.q) + post.entropy;
    assert!(
        close(em.lower_bound(), new_bound, 1e-10, n),
        "{what}: L after M {} vs {}",
        em.lower_bound(),
        new_bound
    );
    true
}

/// One point's ℓ term: ln Σ (soft) or max (hard).
fn plain_ll(row: &[f64], hard: bool) -> f64 {
    if hard {
        row.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    } else {
        plain::log_sum_exp(row)
    }
}

/// Random weights summing to 1, all positive.
fn weights(r: &mut StdRng, k: usize) -> Vec<f64> {
    let w: Vec<f64> = (0..k).map(|_| 0.05 + r.random::<f64>()).collect();
    let total: f64 = w.iter().sum();
    w.iter().map(|v| v / total).collect()
}

/// exp of a uniform number in [lo, hi]: a scale spread over orders of magnitude.
fn log_uniform(r: &mut StdRng, lo: f64, hi: f64) -> f64 {
    (lo + (hi - lo) * r.random::<f64>()).exp()
}

/// 1-D data: clusters at random places with random spreads, plus a few points far out.
fn data_1d(r: &mut StdRng) -> Vec<f64> {
    let n = 30 + r.random_range(0..1500);
    let centre = 1e3 * (r.random::<f64>() - 0.5);
    let mut data: Vec<f64> = (0..n)
        .map(|_| {
            let (mean, sd) = (centre + 20.0 * r.random::<f64>(), log_uniform(r, -3.0, 2.0));
            normal(r, mean, sd)
        })
        .collect();
    for _ in 0..r.random_range(0..4) {
        data.push(centre + 1e4 * (r.random::<f64>() - 0.5));
    }
    data
}

/// Runs `case` for K = 1 … 10, [`CASES`] times each, and checks that most cases ran.
fn for_every_k(name: &str, mut case: impl FnMut(&mut StdRng, usize) -> bool) {
    let mut r = rng(0x6b65_726e);
    let (mut ran, mut total) = (0, 0);
    for k in 1..=10 {
        for _ in 0..CASES {
            total += 1;
            ran += usize::from(case(&mut r, k));
        }
    }
    assert!(
        2 * ran >= total,
        "{name}: only {ran} of {total} random starts were usable"
    );
}

impl Plain for Gmm1d {
    fn plain_log_joint(&self, p: &Gmm1dParams) -> Vec<Vec<f64>> {
        let k = p.weights.len();
        self.data()
            .iter()
            .map(|&x| {
                (0..k)
                    .map(|j| p.weights[j].ln() + plain::ln_normal(x, p.means[j], p.variances[j]))
                    .collect()
            })
            .collect()
    }
    fn plain_m_step(&self, q: &[f64], old: &Gmm1dParams, options: &Options) -> Gmm1dParams {
        let k = old.weights.len();
        let x = self.data();
        let nk = counts(q, k);
        let means: Vec<f64> = weighted(q, k, |i| x[i])
            .iter()
            .zip(&nk)
            .map(|(s, n)| s / n)
            .collect();
        let mut p = old.clone();
        for j in 0..k {
            let var = weighted(q, k, |i| (x[i] - means[j]).powi(2))[j] / nk[j] + options.reg;
            p.weights[j] = nk[j] / x.len() as f64;
            if nk[j] > 0.0 && means[j].is_finite() && var.is_finite() {
                p.means[j] = means[j];
                p.variances[j] = var;
            } else {
                p.weights[j] = 0.0;
            }
        }
        p
    }
    fn numbers(p: &Gmm1dParams) -> Vec<f64> {
        [p.weights.clone(), p.means.clone(), p.variances.clone()].concat()
    }
    fn scale(&self) -> f64 {
        self.data_variance().sqrt().max(1e-300)
    }
}

fn gmm1d_params(r: &mut StdRng, data: &[f64], k: usize) -> Gmm1dParams {
    Gmm1dParams {
        weights: weights(r, k),
        means: (0..k)
            .map(|_| data[r.random_range(0..data.len())] + normal(r, 0.0, 1.0))
            .collect(),
        variances: (0..k).map(|_| log_uniform(r, -8.0, 6.0)).collect(),
    }
}

#[test]
fn gmm1d_kernels_equal_the_reference() {
    for_every_k("gmm1d", |r, k| {
        let data = data_1d(r);
        let theta = gmm1d_params(r, &data, k);
        let other = gmm1d_params(r, &data, k);
        compare(Gmm1d::new(data), theta, other, &format!("gmm1d K = {k}"))
    });
}

/// 2-D data: blobs with random shapes plus a few far points, as flat pairs.
fn data_2d(r: &mut StdRng) -> Vec<f64> {
    let n = 30 + r.random_range(0..1500);
    let mut data = Vec::new();
    let centre = [
        100.0 * (r.random::<f64>() - 0.5),
        100.0 * (r.random::<f64>() - 0.5),
    ];
    for _ in 0..n {
        let s = log_uniform(r, -3.0, 1.0);
        let (z1, z2) = (normal(r, 0.0, 1.0), normal(r, 0.0, 1.0));
        data.push(centre[0] + 10.0 * r.random::<f64>() + s * z1);
        data.push(centre[1] + 0.5 * s * z1 + s * z2);
    }
    for _ in 0..r.random_range(0..4) {
        data.push(1e3 * (r.random::<f64>() - 0.5));
        data.push(1e3 * (r.random::<f64>() - 0.5));
    }
    data
}

fn point(data: &[f64], i: usize) -> [f64; 2] {
    [data[2 * i], data[2 * i + 1]]
}

impl Plain for Gmm2d {
    fn plain_log_joint(&self, p: &Gmm2dParams) -> Vec<Vec<f64>> {
        let k = p.weights.len();
        (0..self.len())
            .map(|i| {
                let x = self.point(i);
                (0..k)
                    .map(|j| {
                        p.weights[j].ln() + plain::ln_normal_2d(x, p.means[j], p.covariances[j])
                    })
                    .collect()
            })
            .collect()
    }
    fn plain_m_step(&self, q: &[f64], old: &Gmm2dParams, options: &Options) -> Gmm2dParams {
        let k = old.weights.len();
        let d = self.data();
        let nk = counts(q, k);
        let sx = weighted(q, k, |i| d[2 * i]);
        let sy = weighted(q, k, |i| d[2 * i + 1]);
        let mut p = old.clone();
        for j in 0..k {
            let m = [sx[j] / nk[j], sy[j] / nk[j]];
            let c = |f: &dyn Fn(f64, f64) -> f64| {
                weighted(q, k, |i| f(d[2 * i] - m[0], d[2 * i + 1] - m[1]))[j] / nk[j]
            };
            let (a, b, dd) = (c(&|u, _| u * u), c(&|u, v| u * v), c(&|_, v| v * v));
            let cov = self
                .covariance_type()
                .project(&[[a + options.reg, b], [b, dd + options.reg]]);
            p.weights[j] = nk[j] / self.len() as f64;
            if nk[j] > 0.0 && m.iter().chain(cov.iter().flatten()).all(|v| v.is_finite()) {
                p.means[j] = m;
                p.covariances[j] = cov;
            } else {
                p.weights[j] = 0.0;
            }
        }
        p
    }
    fn numbers(p: &Gmm2dParams) -> Vec<f64> {
        let mut out = p.weights.clone();
        out.extend(p.means.iter().flatten());
        out.extend(p.covariances.iter().flatten().flatten());
        out
    }
    fn scale(&self) -> f64 {
        self.data_scale().sqrt()
    }
}

fn gmm2d_params(r: &mut StdRng, model: &Gmm2d, k: usize) -> Gmm2dParams {
    let d = model.data();
    let n = model.len();
    let covariances = (0..k)
        .map(|_| {
            let (l11, l22) = (log_uniform(r, -4.0, 3.0), log_uniform(r, -4.0, 3.0));
            let l21 = normal(r, 0.0, 1.0) * l11.min(l22);
            let c = [[l11 * l11, l11 * l21], [l11 * l21, l21 * l21 + l22 * l22]];
            model.covariance_type().project(&c)
        })
        .collect();
    Gmm2dParams {
        weights: weights(r, k),
        means: (0..k)
            .map(|_| {
                let p = point(d, r.random_range(0..n));
                [p[0] + normal(r, 0.0, 1.0), p[1] + normal(r, 0.0, 1.0)]
            })
            .collect(),
        covariances,
    }
}

#[test]
fn gmm2d_kernels_equal_the_reference_for_every_covariance_type() {
    for kind in [
        CovarianceType::Full,
        CovarianceType::Diag,
        CovarianceType::Spherical,
    ] {
        for_every_k("gmm2d", |r, k| {
            let model = Gmm2d::new(data_2d(r), kind);
            let theta = gmm2d_params(r, &model, k);
            let other = gmm2d_params(r, &model, k);
            compare(
                model,
                theta,
                other,
                &format!("gmm2d {} K = {k}", kind.as_str()),
            )
        });
    }
}

impl Plain for KMeans {
    fn plain_log_joint(&self, p: &KMeansParams) -> Vec<Vec<f64>> {
        (0..self.len())
            .map(|i| {
                let x = self.point(i);
                p.centres
                    .iter()
                    .map(|c| -((x[0] - c[0]).powi(2) + (x[1] - c[1]).powi(2)))
                    .collect()
            })
            .collect()
    }
    fn plain_m_step(&self, q: &[f64], old: &KMeansParams, _options: &Options) -> KMeansParams {
        let k = old.centres.len();
        let d = self.data();
        let nk = counts(q, k);
        let sx = weighted(q, k, |i| d[2 * i]);
        let sy = weighted(q, k, |i| d[2 * i + 1]);
        let mut p = old.clone();
        for j in 0..k {
            if nk[j] > 0.0 {
                p.centres[j] = [sx[j] / nk[j], sy[j] / nk[j]];
            }
        }
        p
    }
    fn numbers(p: &KMeansParams) -> Vec<f64> {
        p.centres.iter().flatten().copied().collect()
    }
    fn scale(&self) -> f64 {
        10.0
    }
}

#[test]
fn kmeans_kernels_equal_the_reference() {
    for_every_k("kmeans", |r, k| {
        let data = data_2d(r);
        let n = data.len() / 2;
        let mut centres = || {
            (0..k)
                .map(|_| {
                    let p = point(&data, r.random_range(0..n));
                    [p[0] + normal(r, 0.0, 1.0), p[1] + normal(r, 0.0, 1.0)]
                })
                .collect::<Vec<_>>()
        };
        let (theta, other) = (
            KMeansParams { centres: centres() },
            KMeansParams { centres: centres() },
        );
        compare(KMeans::new(data), theta, other, &format!("kmeans K = {k}"))
    });
}

impl Plain for Coins {
    fn plain_log_joint(&self, p: &CoinParams) -> Vec<Vec<f64>> {
        let term = |a: f64, lnp: f64| if a == 0.0 { 0.0 } else { a * lnp };
        self.counts()
            .iter()
            .map(|&(h, n)| {
                let (h, t) = (f64::from(h), f64::from(n - h));
                (0..p.weights.len())
                    .map(|j| {
                        p.weights[j].ln()
                            + term(h, p.heads[j].ln())
                            + term(t, (1.0 - p.heads[j]).ln())
                    })
                    .collect()
            })
            .collect()
    }
    fn plain_m_step(&self, q: &[f64], old: &CoinParams, _options: &Options) -> CoinParams {
        let k = old.weights.len();
        let c = self.counts();
        let nk = counts(q, k);
        let heads = weighted(q, k, |i| f64::from(c[i].0));
        let tosses = weighted(q, k, |i| f64::from(c[i].1));
        let mut p = old.clone();
        for j in 0..k {
            p.weights[j] = nk[j] / c.len() as f64;
            if nk[j] > 0.0 && tosses[j] > 0.0 {
                p.heads[j] = (heads[j] / tosses[j]).clamp(0.0, 1.0);
            }
        }
        p
    }
    fn numbers(p: &CoinParams) -> Vec<f64> {
        [p.weights.clone(), p.heads.clone()].concat()
    }
}

fn coin_params(r: &mut StdRng, k: usize) -> CoinParams {
    let edge = [1e-9, 0.5, 1.0 - 1e-9];
    CoinParams {
        weights: weights(r, k),
        heads: (0..k)
            .map(|_| {
                if r.random::<f64>() < 0.2 {
                    edge[r.random_range(0..3)]
                } else {
                    r.random::<f64>()
                }
            })
            .collect(),
    }
}

#[test]
fn coin_kernels_equal_the_reference() {
    for_every_k("coins", |r, k| {
        let sets = 5 + r.random_range(0..200);
        let counts: Vec<(u32, u32)> = (0..sets)
            .map(|_| {
                let n = r.random_range(1..30u32);
                (r.random_range(0..=n), n)
            })
            .collect();
        let (theta, other) = (coin_params(r, k), coin_params(r, k));
        compare(
            Coins::new(counts, false),
            theta,
            other,
            &format!("coins K = {k}"),
        )
    });
}

impl Plain for Poisson {
    fn plain_log_joint(&self, p: &PoissonParams) -> Vec<Vec<f64>> {
        self.data()
            .iter()
            .map(|&x| {
                (0..p.weights.len())
                    .map(|j| {
                        let rate = p.rates[j];
                        let xl = if x == 0 { 0.0 } else { x as f64 * rate.ln() };
                        p.weights[j].ln() + xl - rate - ln_factorial(x)
                    })
                    .collect()
            })
            .collect()
    }
    fn plain_m_step(&self, q: &[f64], old: &PoissonParams, options: &Options) -> PoissonParams {
        let k = old.weights.len();
        let x = self.data();
        let nk = counts(q, k);
        let sum = weighted(q, k, |i| x[i] as f64);
        let mut p = old.clone();
        for j in 0..k {
            p.weights[j] = nk[j] / x.len() as f64;
            let rate = (sum[j] / nk[j]).max(options.reg);
            if nk[j] > 0.0 && rate.is_finite() {
                p.rates[j] = rate;
            } else {
                p.weights[j] = 0.0;
            }
        }
        p
    }
    fn numbers(p: &PoissonParams) -> Vec<f64> {
        [p.weights.clone(), p.rates.clone()].concat()
    }
}

#[test]
fn poisson_kernels_equal_the_reference() {
    for_every_k("poisson", |r, k| {
        let n = 5 + r.random_range(0..300);
        let counts: Vec<u64> = (0..n)
            .map(|_| {
                if r.random::<f64>() < 0.02 {
                    r.random_range(1000..5000)
                } else {
                    r.random_range(0..40)
                }
            })
            .collect();
        let rates = |r: &mut StdRng| (0..k).map(|_| log_uniform(r, -3.0, 4.0)).collect();
        let theta = PoissonParams {
            weights: weights(r, k),
            rates: rates(r),
        };
        let other = PoissonParams {
            weights: weights(r, k),
            rates: rates(r),
        };
        compare(
            Poisson::new(counts),
            theta,
            other,
            &format!("poisson K = {k}"),
        )
    });
}
