//! The test toolkit shared by the test files: EM's invariants for any model, float comparison, and
//! SVG checks. Each test file that needs it says `mod common;`.
#![allow(dead_code)]

pub mod reference;

use emlab::core::lab::Lab;

/// |a − b| relative to the larger magnitude (absolute near 0).
pub fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1.0)
}

/// Steps `lab` by `half_steps` half-steps (E, M, E, …, from its phase) and checks EM's invariants after
/// each, for whatever model it runs: ℓ never decreases over an M-step; after an E-step L = ℓ; always
/// L ≤ ℓ and ℓ = L + KL with KL ≥ 0 (soft EM). Stops early on convergence or a collapse.
pub fn assert_em_invariants(lab: &mut Lab, half_steps: usize) {
    let name = lab.model_name();
    let hard = lab.bound().is_hard();
    let tol = |x: f64| 1e-9 * x.abs().max(1.0);
    for step in 0..half_steps {
        let before = lab.bound().loglik();
        let e = lab.phase() != emlab::core::em::Phase::E;
        let result = if e { lab.e_step() } else { lab.m_step() };
        if result.is_err() {
            assert!(
                lab.collapse().is_some(),
                "{name}: only a collapse stops EM: {result:?}"
            );
            return;
        }
        let b = lab.bound();
        let (l, bound) = (b.loglik(), b.lower_bound());
        assert!(
            l.is_finite() && bound.is_finite(),
            "{name} step {step}: ℓ {l}, L {bound}"
        );
        if e {
            assert_eq!(
                l, before,
                "{name} step {step}: the E-step leaves θ and ℓ alone"
            );
            if !hard {
                assert!(
                    (l - bound).abs() <= tol(l),
                    "{name} step {step}: L = ℓ after E"
                );
            }
        } else {
            assert!(
                l >= before - tol(before),
                "{name} step {step}: ℓ {before} → {l} decreased"
            );
        }
        if !hard {
            let kl = l - bound;
            assert!(kl >= -tol(l), "{name} step {step}: KL = {kl} < 0");
            assert!(rel(l, bound + kl) < 1e-12, "{name}: ℓ = L + KL");
        }
        if lab.converged() {
            return;
        }
    }
}

/// True when `svg` is a whole SVG document with balanced tags, and no NaN or ∞ written in it.
pub fn svg_is_clean(svg: &str) -> bool {
    let open = svg.matches("<svg").count();
    let close = svg.matches("</svg>").count();
    open == 1
        && close == 1
        && !svg.contains("NaN")
        && !svg.contains("=\"inf")
        && !svg.contains("=\"-inf")
}

/// The (x, y) corners of a `<polyline>` or `<polygon>` line of plotters' SVG (its `points` attribute);
/// empty for a line without one.
pub fn svg_points(tag: &str) -> Vec<(f64, f64)> {
    let Some(points) = tag
        .split("points=\"")
        .nth(1)
        .and_then(|p| p.split('"').next())
    else {
        return Vec::new();
    };
    points
        .split_whitespace()
        .filter_map(|p| {
            let (x, y) = p.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

/// The value of a number as the page writes it (minus signs, thousands commas: "−43,302", "7.60e−4").
pub fn label_value(text: &str) -> Option<f64> {
    text.trim()
        .replace('\u{2212}', "-")
        .replace(',', "")
        .parse()
        .ok()
}

/// The number in attribute `name` of an SVG tag `tag`, if it has one.
pub fn svg_attr_opt(tag: &str, name: &str) -> Option<f64> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].split('"').next()?.parse().ok()
}

/// The number in attribute `name` of an SVG tag `tag` (which must have it).
pub fn svg_attr(tag: &str, name: &str) -> f64 {
    svg_attr_opt(tag, name).unwrap_or_else(|| panic!("no {name} in {tag}"))
}

/// The box (top, bottom, left, right) of the slice figure's note's white ground in `svg` (its one
/// `<rect>` filled white at opacity 0.9), if it has one.
pub fn slice_note_ground(svg: &str) -> Option<(f64, f64, f64, f64)> {
    let ground = svg.lines().find(|l| {
        l.starts_with("<rect") && l.contains("opacity=\"0.9\"") && l.contains("fill=\"#FFFFFF\"")
    })?;
    let (x, y) = (svg_attr(ground, "x"), svg_attr(ground, "y"));
    Some((
        y,
        y + svg_attr(ground, "height"),
        x,
        x + svg_attr(ground, "width"),
    ))
}
