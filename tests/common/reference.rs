//! A plain reference implementation of EM for every model, kept apart from the core's fused kernels:
//! ln p(xᵢ, z = k | θ) straight from the formulas, the posterior by a textbook log-sum-exp, the M-step by
//! weighted sums over q. The kernel tests compare the core against it on random data and θ.

/// ln Σ exp(aₖ), stable (−∞ when every entry is).
pub fn log_sum_exp(a: &[f64]) -> f64 {
    let max = a.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + a.iter().map(|&v| (v - max).exp()).sum::<f64>().ln()
}

/// Everything the reference computes for one θ and one q.
pub struct Posterior {
    /// q, row-major N×K.
    pub q: Vec<f64>,
    /// ℓ(θ).
    pub loglik: f64,
    /// H(q).
    pub entropy: f64,
}

/// The posterior of `log_joint` (N rows of K log-joints), soft (q = p(z | x)) or hard (one-hot argmax,
/// the first on ties; ℓ = Σ maxₖ).
pub fn posterior(log_joint: &[Vec<f64>], hard: bool) -> Posterior {
    let k = log_joint.first().map_or(0, Vec::len);
    let mut q = Vec::with_capacity(log_joint.len() * k);
    let (mut loglik, mut entropy) = (0.0, 0.0);
    for row in log_joint {
        if hard {
            let mut best = 0;
            for (j, &v) in row.iter().enumerate() {
                if v > row[best] {
                    best = j;
                }
            }
            loglik += row[best];
            q.extend((0..k).map(|j| f64::from(u8::from(j == best))));
        } else {
            let lse = log_sum_exp(row);
            loglik += lse;
            for &v in row {
                let qk = (v - lse).exp();
                if qk > 0.0 {
                    entropy -= qk * (v - lse);
                }
                q.push(qk);
            }
        }
    }
    Posterior { q, loglik, entropy }
}

/// Σᵢₖ qᵢₖ ln p(xᵢ, k | θ) with 0 · ln 0 = 0.
pub fn expected_log_joint(log_joint: &[Vec<f64>], q: &[f64]) -> f64 {
    let k = log_joint.first().map_or(0, Vec::len);
    log_joint
        .iter()
        .zip(q.chunks_exact(k))
        .flat_map(|(row, qi)| row.iter().zip(qi))
        .filter(|(_, &qk)| qk > 0.0)
        .map(|(&lj, &qk)| qk * lj)
        .sum()
}

/// ln N(x | μ, σ²).
pub fn ln_normal(x: f64, mean: f64, var: f64) -> f64 {
    -0.5 * (2.0 * std::f64::consts::PI * var).ln() - (x - mean) * (x - mean) / (2.0 * var)
}

/// ln N((x, y) | μ, Σ) with the explicit inverse and determinant of Σ.
pub fn ln_normal_2d(p: [f64; 2], mean: [f64; 2], cov: [[f64; 2]; 2]) -> f64 {
    let (a, b, d) = (cov[0][0], cov[0][1], cov[1][1]);
    let det = a * d - b * b;
    let (u, v) = (p[0] - mean[0], p[1] - mean[1]);
    let quad = (d * u * u - 2.0 * b * u * v + a * v * v) / det;
    -(2.0 * std::f64::consts::PI).ln() - 0.5 * det.ln() - 0.5 * quad
}

/// Σᵢ qᵢₖ wᵢ for every k.
pub fn weighted(q: &[f64], k: usize, w: impl Fn(usize) -> f64) -> Vec<f64> {
    let mut out = vec![0.0; k];
    for (i, row) in q.chunks_exact(k).enumerate() {
        let wi = w(i);
        for (o, &r) in out.iter_mut().zip(row) {
            *o += r * wi;
        }
    }
    out
}

/// Nₖ for every k.
pub fn counts(q: &[f64], k: usize) -> Vec<f64> {
    weighted(q, k, |_| 1.0)
}
