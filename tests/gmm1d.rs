//! The 1-D Gaussian mixture and the EM runner: exact closed forms and the monotone-bound properties.

mod common;

use common::rel;
use emlab::core::em::{Em, Mixture, Phase};
use emlab::core::error::ErrorKind;
use emlab::core::gmm1d::{mean_variance, random_start, Gmm1d, Gmm1dParams};
use emlab::core::options::Options;
use emlab::core::presets::{preset_1d, PRESETS_1D};
use emlab::core::sample::rng;

fn start(data: &[f64], k: usize, seed: u64) -> Em<Gmm1d> {
    let model = Gmm1d::new(data.to_vec());
    let p = random_start(&model, k, &mut rng(seed));
    Em::new(model, p, Options::default()).unwrap()
}

#[test]
fn k1_gives_sample_mean_and_population_variance_plus_reg() {
    let data = [1.0, 2.0, 4.0, 7.0, 11.0];
    let mut em = start(&data, 1, 3);
    em.step().unwrap();
    // mean 5, population variance (16+9+1+4+36)/5 = 13.2
    assert_eq!(em.params().weights, vec![1.0]);
    assert_eq!(em.params().means, vec![5.0]);
    assert!((em.params().variances[0] - (13.2 + 1e-6)).abs() < 1e-12);
    let (m, v) = mean_variance(&data);
    assert_eq!((m, v), (5.0, 13.2));
}

#[test]
fn two_gaussians_settle_on_20_and_40() {
    let p = preset_1d("two-gaussians").unwrap();
    assert_eq!(p.data.len(), 12_000);
    let mut em = start(&p.data, 2, 1);
    em.run(500).unwrap();
    assert!(em.converged());
    let mut means = em.params().means.clone();
    means.sort_by(f64::total_cmp);
    assert!((means[0] - 20.0).abs() < 0.3, "{means:?}");
    assert!((means[1] - 40.0).abs() < 0.3, "{means:?}");
    let mut w = em.params().weights.clone();
    w.sort_by(f64::total_cmp);
    assert!(
        (w[0] - 1.0 / 3.0).abs() < 0.02 && (w[1] - 2.0 / 3.0).abs() < 0.02,
        "{w:?}"
    );
}

#[test]
fn heights_separate_men_and_women() {
    let p = preset_1d("heights").unwrap();
    let mut em = start(&p.data, 2, 5);
    em.run(1000).unwrap();
    let mut means = em.params().means.clone();
    means.sort_by(f64::total_cmp);
    assert!(
        (means[0] - 162.0).abs() < 2.5 && (means[1] - 175.0).abs() < 2.5,
        "{means:?}"
    );
}

#[test]
fn bound_properties_hold_on_every_preset_for_200_iterations() {
    for name in PRESETS_1D.iter().filter(|n| **n != "collapse") {
        let p = preset_1d(name).unwrap();
        let mut em = start(&p.data, p.suggested_k, 11);
        // Before the first E-step q is uniform: a real gap.
        assert_eq!(em.phase(), Phase::Init);
        assert!(em.gap() > 1.0, "{name}: gap at start {}", em.gap());
        let mut last_loglik = em.loglik();
        for it in 0..200 {
            em.e_step().unwrap();
            assert!(
                rel(em.lower_bound(), em.loglik()) < 1e-9,
                "{name} it {it}: L != l after E"
            );
            for i in (0..p.data.len()).step_by(97) {
                let s: f64 = em.q_row(i).iter().sum();
                assert!((s - 1.0).abs() < 1e-12, "{name}: q row sums to {s}");
            }
            let bound_after_e = em.lower_bound();
            em.m_step().unwrap();
            assert!(
                em.lower_bound() >= bound_after_e - 1e-9 * bound_after_e.abs(),
                "{name} it {it}: L fell"
            );
            assert!(
                em.lower_bound() <= em.loglik() + 1e-9 * em.loglik().abs(),
                "{name} it {it}: L > l"
            );
            assert!(
                em.loglik() >= last_loglik - 1e-9 * last_loglik.abs(),
                "{name} it {it}: l fell"
            );
            last_loglik = em.loglik();
        }
        assert_eq!(em.iteration(), 200);
    }
}

#[test]
fn reg_zero_collapse_is_reported_not_nan() {
    let p = preset_1d("collapse").unwrap();
    let model = Gmm1d::new(p.data.clone());
    let options = Options { reg: 0.0, tol: 0.0 };
    let mut em = Em::new(model, p.start.clone().unwrap(), options).unwrap();
    let mut result = Ok(());
    for _ in 0..500 {
        result = em.step();
        if result.is_err() {
            break;
        }
        assert!(em.loglik().is_finite() && em.lower_bound().is_finite());
    }
    let ErrorKind::Collapsed(c) = result.unwrap_err().kind else {
        panic!("expected a collapse");
    };
    assert_eq!(c.component, 1);
    assert_eq!(p.data[c.point], 10.0);
    assert_eq!(em.collapse(), Some(c));
    // The state stays finite and further steps are refused until undo.
    assert!(em.loglik().is_finite());
    assert!(em.params().variances.iter().all(|v| *v > 0.0));
    assert!(em.m_step().is_err());
    assert!(em.undo());
    assert!(em.collapse().is_none());
}

#[test]
fn reg_floor_stops_the_collapse() {
    let p = preset_1d("collapse").unwrap();
    let model = Gmm1d::new(p.data.clone());
    let mut em = Em::new(
        model,
        p.start.clone().unwrap(),
        Options {
            reg: 1e-3,
            tol: 0.0,
        },
    )
    .unwrap();
    for _ in 0..300 {
        em.step().unwrap();
    }
    assert!(em.loglik().is_finite());
    assert!(
        (em.params().variances[1] - 1e-3).abs() < 1e-9,
        "{:?}",
        em.params().variances
    );
}

#[test]
fn undo_returns_exactly_to_each_earlier_state_and_reset_to_the_start() {
    let p = preset_1d("heights").unwrap();
    let mut em = start(&p.data, 2, 2);
    let mut states = vec![(
        em.params().clone(),
        em.loglik(),
        em.lower_bound(),
        em.phase(),
    )];
    for _ in 0..3 {
        em.e_step().unwrap();
        states.push((
            em.params().clone(),
            em.loglik(),
            em.lower_bound(),
            em.phase(),
        ));
        em.m_step().unwrap();
        states.push((
            em.params().clone(),
            em.loglik(),
            em.lower_bound(),
            em.phase(),
        ));
    }
    states.pop();
    while let Some((params, l, b, phase)) = states.pop() {
        assert!(em.undo());
        assert_eq!(em.params(), &params);
        assert_eq!((em.loglik(), em.lower_bound(), em.phase()), (l, b, phase));
        assert_eq!(em.trace().len(), states.len() + 1);
    }
    assert!(!em.undo());
    em.step().unwrap();
    em.reset();
    assert_eq!(em.iteration(), 0);
    assert_eq!(em.params(), em.start());
}

#[test]
fn set_params_validates_and_leaves_state_unchanged_on_error() {
    let mut em = start(&[1.0, 2.0, 3.0, 10.0, 11.0], 2, 1);
    let before = em.params().clone();
    let bad = |weights: Vec<f64>, means: Vec<f64>, variances: Vec<f64>| Gmm1dParams {
        weights,
        means,
        variances,
    };
    let cases = [
        (
            bad(vec![0.5, 0.5], vec![1.0, 2.0], vec![1.0, 0.0]),
            "err-variance",
        ),
        (
            bad(vec![0.5, 0.6], vec![1.0, 2.0], vec![1.0, 1.0]),
            "err-weights-sum",
        ),
        (
            bad(vec![1.5, -0.5], vec![1.0, 2.0], vec![1.0, 1.0]),
            "err-negative-weight",
        ),
        (
            bad(vec![0.5, 0.5], vec![1.0], vec![1.0, 1.0]),
            "err-wrong-length",
        ),
        (
            bad(vec![0.5, 0.5], vec![f64::NAN, 2.0], vec![1.0, 1.0]),
            "err-param-not-finite",
        ),
        (bad(vec![1.0], vec![1.0], vec![1.0]), "err-wrong-length"),
    ];
    for (params, id) in cases {
        assert_eq!(em.set_params(params).unwrap_err().id(), id);
        assert_eq!(em.params(), &before);
    }
    let good = bad(vec![0.5, 0.5], vec![2.0, 10.5], vec![1.0, 1.0]);
    em.set_params(good.clone()).unwrap();
    assert_eq!(em.params(), &good);
    assert!(em.undo());
    assert_eq!(em.params(), &before);
}

#[test]
fn matches_a_hand_computed_first_iteration() {
    // Two points per cluster, symmetric start: E-step posteriors by hand.
    let model = Gmm1d::new(vec![0.0, 1.0]);
    let p = Gmm1dParams {
        weights: vec![0.5, 0.5],
        means: vec![0.0, 1.0],
        variances: vec![1.0, 1.0],
    };
    let mut em = Em::new(
        model,
        p,
        Options {
            reg: 0.0,
            tol: 1e-10,
        },
    )
    .unwrap();
    em.e_step().unwrap();
    let a = 1.0 / (1.0 + (-0.5f64).exp()); // posterior of the near component
    assert!((em.q_row(0)[0] - a).abs() < 1e-15);
    assert!((em.q_row(1)[1] - a).abs() < 1e-15);
    em.m_step().unwrap();
    // μ₁ = (a·0 + (1−a)·1) / 1 = 1 − a.
    assert!((em.params().means[0] - (1.0 - a)).abs() < 1e-15);
    // σ₁² = a(0 − μ₁)² + (1 − a)(1 − μ₁)² = a(1−a)
    assert!((em.params().variances[0] - a * (1.0 - a)).abs() < 1e-15);
    let expected_ll = 2.0 * (0.5 * Gmm1d::density(em.params(), 0.0) * 2.0).ln();
    assert!(rel(em.loglik(), expected_ll) < 1e-12);
    assert_eq!(Gmm1d::components(em.params()), 2);
}

#[test]
fn a_point_reads_in_four_significant_digits_without_trailing_zeros() {
    use emlab::core::gmm1d::short_number;
    // As the formulas write their numbers: a figure's title and the formulas' caption say "0.376" where
    // the formula lines under them do (it said "0.3760").
    assert_eq!(short_number(0.3760468836943731), "0.376");
    assert_eq!(short_number(1.3861641526531292), "1.386");
    assert_eq!(short_number(58.62), "58.62");
    assert_eq!(short_number(-2.5), "-2.5");
    assert_eq!(short_number(100.0), "100");
    assert_eq!(short_number(123_456.0), "1.235e5");
    assert_eq!(short_number(1.2e-4), "1.2e-4");
    assert_eq!(short_number(0.0), "0");
}
