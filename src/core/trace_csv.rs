//! The trace as CSV text, for a spreadsheet or a plot of one's own: one row per half-step with ℓ, L, KL
//! and θ, every number written so that it reads back as the same 64-bit float.

use super::em::{Phase, TracePoint};
use super::format::gap_value;
use super::lab::Lab;
use super::model::{FieldSpec, Shape, Theta};

/// The trace of `lab` as CSV: a header line, then one line per point of the trace (the start and every
/// half-step since): `iteration,half_step,phase,loglik,lower_bound,kl,` then θ, one column per number,
/// field by field, named by the model's fields (`pi_1…`, `mu_1…`, `var_1…` for a 1-D mixture; `mu_k_1`,
/// `mu_k_2` for a point; `sigma_k_11`, `sigma_k_12`, `sigma_k_22` for a covariance; `theta_k` for coins,
/// `lambda_k` for Poisson rates). Hard EM (k-means) has `J` (the within-cluster sum of squares) instead
/// of ℓ, L and KL, and its centres `centre_k_1`, `centre_k_2`. `half_step` counts from 0 (the start);
/// `phase` is `init`, `e` or `m`. θ cells are empty for a half-step older than the history keeps.
pub fn trace_csv(lab: &Lab) -> String {
    let em = &*lab.em;
    let hard = em.is_hard();
    let thetas = em.trace_thetas();
    let names = theta_columns(em.fields(), &em.theta());
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
            cells.push(number(point.hard_objective()));
        } else {
            cells.push(number(point.loglik));
            cells.push(number(point.bound));
            // KL ≥ 0: after an E-step ℓ − L is rounding noise (−1.8e-15), written as 0.
            cells.push(number(gap_value(point.loglik - point.bound, point.loglik)));
        }
        match theta {
            Some(p) => cells.extend(
                theta_columns(em.fields(), p)
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

/// θ as named numbers, one per CSV column: the fields the model reads back, in its order; a 2×2
/// (symmetric) matrix as its entries 11, 12 and 22.
pub fn theta_columns(fields: &[FieldSpec], theta: &Theta) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for spec in fields.iter().filter(|f| f.read) {
        let Some(field) = theta.fields.iter().find(|f| f.name == spec.name) else {
            continue;
        };
        let width = field.shape.width();
        for (k, values) in field.values.chunks(width).enumerate() {
            let k = k + 1;
            let name = spec.csv;
            match field.shape {
                Shape::Number => out.push((format!("{name}_{k}"), values[0])),
                Shape::Pair => {
                    out.push((format!("{name}_{k}_1"), values[0]));
                    out.push((format!("{name}_{k}_2"), values[1]));
                }
                Shape::Matrix => {
                    out.push((format!("{name}_{k}_11"), values[0]));
                    out.push((format!("{name}_{k}_12"), values[1]));
                    out.push((format!("{name}_{k}_22"), values[3]));
                }
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
