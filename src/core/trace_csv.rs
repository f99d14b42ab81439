//! The trace as CSV text, for a spreadsheet or a plot of one's own: one row per half-step with ℓ, L, KL
//! and θ, every number written so that it reads back as the same 64-bit float.

use super::em::{Em, Mixture, Phase, TracePoint};
use super::lab::{AnyEm, AnyParams, Lab};

/// The trace of `lab` as CSV: a header line, then one line per point of the trace (the start and every
/// half-step since): `iteration,half_step,phase,loglik,lower_bound,kl,` then θ, one column per number
/// (`pi_1…`, `mu_1…`, `var_1…` for a 1-D mixture; `pi_k`, `mu_k_1`, `mu_k_2`, `sigma_k_11`, `sigma_k_12`,
/// `sigma_k_22` for a 2-D one; `pi_k`, `theta_k` for coins). k-means has `J` (the within-cluster sum of
/// squares) instead of ℓ, L and KL, and the centres `centre_k_1`, `centre_k_2`. `half_step` counts from
/// 0 (the start); `phase` is `init`, `e` or `m`. θ cells are empty for a half-step older than the
/// history keeps. Lines end with `\n`.
pub fn trace_csv(lab: &Lab) -> String {
    match &lab.em {
        AnyEm::Gmm1d(em) => rows(em, false, AnyParams::Gmm1d),
        AnyEm::Gmm2d(em) => rows(em, false, AnyParams::Gmm2d),
        AnyEm::KMeans(em) => rows(em, true, AnyParams::KMeans),
        AnyEm::Coins(em) => rows(em, false, AnyParams::Coins),
    }
}

/// The CSV of one model's trace; `wrap` turns its θ into [`AnyParams`].
fn rows<M: Mixture>(em: &Em<M>, hard: bool, wrap: fn(M::Params) -> AnyParams) -> String {
    let thetas = em.trace_params();
    let names = theta_columns(&wrap(em.params().clone()));
    let mut header: Vec<String> = ["iteration", "half_step", "phase"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if hard {
        header.push("J".into());
    } else {
        header.extend(["loglik", "lower_bound", "kl"].map(String::from));
    }
    header.extend(names.iter().map(|(name, _)| name.clone()));
    let mut out = header.join(",");
    out.push('\n');
    for (j, (point, theta)) in em.trace().iter().zip(&thetas).enumerate() {
        let mut cells = vec![
            point.iteration.to_string(),
            j.to_string(),
            phase_name(point).to_string(),
        ];
        if hard {
            // The core keeps −J as hard EM's "ℓ".
            cells.push(number(-point.loglik));
        } else {
            cells.push(number(point.loglik));
            cells.push(number(point.bound));
            cells.push(number(point.loglik - point.bound));
        }
        match theta {
            Some(p) => cells.extend(
                theta_columns(&wrap((*p).clone()))
                    .into_iter()
                    .map(|(_, v)| number(v)),
            ),
            None => cells.extend(names.iter().map(|_| String::new())),
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The phase of a trace point as the API names it.
fn phase_name(point: &TracePoint) -> &'static str {
    match point.phase {
        Phase::Init => "init",
        Phase::E => "e",
        Phase::M => "m",
    }
}

/// θ as named numbers, one per CSV column.
pub fn theta_columns(params: &AnyParams) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    let mut add = |name: String, v: f64| out.push((name, v));
    match params {
        AnyParams::Gmm1d(p) => {
            for (k, &w) in p.weights.iter().enumerate() {
                add(format!("pi_{}", k + 1), w);
            }
            for (k, &m) in p.means.iter().enumerate() {
                add(format!("mu_{}", k + 1), m);
            }
            for (k, &v) in p.variances.iter().enumerate() {
                add(format!("var_{}", k + 1), v);
            }
        }
        AnyParams::Gmm2d(p) => {
            for (k, ((w, m), c)) in p
                .weights
                .iter()
                .zip(&p.means)
                .zip(&p.covariances)
                .enumerate()
            {
                let k = k + 1;
                add(format!("pi_{k}"), *w);
                add(format!("mu_{k}_1"), m[0]);
                add(format!("mu_{k}_2"), m[1]);
                add(format!("sigma_{k}_11"), c[0][0]);
                add(format!("sigma_{k}_12"), c[0][1]);
                add(format!("sigma_{k}_22"), c[1][1]);
            }
        }
        AnyParams::KMeans(p) => {
            for (k, c) in p.centres.iter().enumerate() {
                add(format!("centre_{}_1", k + 1), c[0]);
                add(format!("centre_{}_2", k + 1), c[1]);
            }
        }
        AnyParams::Coins(p) => {
            for (k, (w, h)) in p.weights.iter().zip(&p.heads).enumerate() {
                add(format!("pi_{}", k + 1), *w);
                add(format!("theta_{}", k + 1), *h);
            }
        }
    }
    out
}

/// `v` as the shortest text that reads back as the same float (Rust's and JavaScript's parsers, a
/// spreadsheet's): plain decimals from 1e-5 to 1e16, else scientific (`1.5e-7`); ±∞ as `Infinity`.
pub fn number(v: f64) -> String {
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    let a = v.abs();
    if a == 0.0 || (1e-5..1e16).contains(&a) || v.is_nan() {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}
