//! The 2-D Gaussian mixture: Old Faithful against mclust, the monotone-bound properties, and validation.

mod common;

use common::rel;
use emlab::core::em::{argmax, Em, Mixture, Phase};
use emlab::core::error::ErrorKind;
use emlab::core::gmm2d::{
    cholesky, ellipse, mean_covariance, random_start, CovarianceType, Gmm2d, Gmm2dParams,
};
use emlab::core::options::Options;
use emlab::core::presets2d::{old_faithful_raw, preset_2d, standardise, PRESETS_2D};
use emlab::core::sample::rng;
use std::f64::consts::PI;

fn start(data: &[f64], k: usize, ct: CovarianceType, seed: u64) -> Em<Gmm2d> {
    let model = Gmm2d::new(data.to_vec(), ct);
    let p = random_start(&model, k, &mut rng(seed));
    Em::new(model, p, Options::default()).unwrap()
}

/// The short-eruption component first.
fn sorted(p: &Gmm2dParams) -> Vec<usize> {
    let mut order: Vec<usize> = (0..p.weights.len()).collect();
    order.sort_by(|&a, &b| p.means[a][0].total_cmp(&p.means[b][0]));
    order
}

#[test]
fn old_faithful_matches_mclust_vvv() {
    let raw = old_faithful_raw();
    assert_eq!(raw.len(), 2 * 272);
    assert_eq!((raw[0], raw[1]), (3.6, 79.0));
    let model = Gmm2d::new(raw, CovarianceType::Full);
    let p0 = model.start_from_means(vec![[2.0, 55.0], [4.3, 80.0]]);
    let mut em = Em::new(model, p0, Options::default()).unwrap();
    em.run(1000).unwrap();
    assert!(em.converged());
    let p = em.params();
    let o = sorted(p);
    let (short, long) = (o[0], o[1]);
    assert!((p.weights[short] - 0.356).abs() < 5e-4, "{:?}", p.weights);
    assert!((p.weights[long] - 0.644).abs() < 5e-4, "{:?}", p.weights);
    assert!((p.means[short][0] - 2.036).abs() < 5e-4, "{:?}", p.means);
    assert!((p.means[short][1] - 54.48).abs() < 5e-3, "{:?}", p.means);
    assert!((p.means[long][0] - 4.290).abs() < 5e-4, "{:?}", p.means);
    assert!((p.means[long][1] - 79.97).abs() < 5e-3, "{:?}", p.means);
    assert!((em.loglik() - (-1130.264)).abs() < 0.005, "{}", em.loglik());
    // BIC = 2ℓ − (11 free parameters) ln 272.
    let bic = 2.0 * em.loglik() - 11.0 * 272f64.ln();
    assert!((bic - (-2322.192)).abs() < 0.01, "{bic}");
    let mut sizes = [0; 2];
    for i in 0..272 {
        sizes[argmax(em.q_row(i))] += 1;
    }
    assert_eq!((sizes[short], sizes[long]), (97, 175));
}

#[test]
fn old_faithful_random_starts_mostly_reach_the_same_optimum() {
    let raw = old_faithful_raw();
    let mut best = 0;
    for seed in 0..10 {
        let mut em = start(&raw, 2, CovarianceType::Full, seed);
        em.run(2000).unwrap();
        if (em.loglik() - (-1130.264)).abs() < 0.001 {
            best += 1;
        }
    }
    assert!(best >= 8, "{best}/10 starts found the optimum");
}

#[test]
fn old_faithful_preset_is_standardised() {
    let p = preset_2d("old-faithful").unwrap();
    assert_eq!(p.data.len(), 2 * 272);
    assert!(p.labels.is_empty());
    assert_eq!(p.suggested_k, 2);
    let (mean, cov) = mean_covariance(&p.data);
    assert!(mean[0].abs() < 1e-12 && mean[1].abs() < 1e-12, "{mean:?}");
    assert!(
        (cov[0][0] - 1.0).abs() < 1e-12 && (cov[1][1] - 1.0).abs() < 1e-12,
        "{cov:?}"
    );
    // The two columns of Old Faithful correlate at r = 0.9008.
    assert!((cov[0][1] - 0.9008).abs() < 1e-4, "{cov:?}");
    assert_eq!(standardise(&old_faithful_raw()), p.data);
}

#[test]
fn generated_presets_have_their_sizes_and_are_fixed() {
    for (name, n, k) in [("three-blobs", 450, 3), ("two-elongated", 400, 2)] {
        let p = preset_2d(name).unwrap();
        assert_eq!(p.data.len(), 2 * n, "{name}");
        assert_eq!(p.labels.len(), n, "{name}");
        assert_eq!(p.suggested_k, k, "{name}");
        assert!(p.data.iter().all(|v| v.is_finite()));
        assert_eq!(
            preset_2d(name).unwrap().data,
            p.data,
            "{name} is not reproducible"
        );
    }
    assert_eq!(preset_2d("nope").unwrap_err().id(), "err-unknown-preset");
}

#[test]
fn full_covariance_separates_the_elongated_clusters() {
    let p = preset_2d("two-elongated").unwrap();
    let mut em = start(&p.data, 2, CovarianceType::Full, 4);
    em.run(3000).unwrap();
    let agree = (0..p.labels.len())
        .filter(|&i| argmax(em.q_row(i)) == p.labels[i])
        .count();
    let agree = agree.max(p.labels.len() - agree);
    assert!(agree >= 390, "{agree}/400");
    // Both clouds were drawn with correlation along 35°.
    for cov in &em.params().covariances {
        let (long, short, angle) = ellipse(cov);
        assert!(long > 4.0 * short, "{long} {short}");
        assert!(
            (angle.to_degrees() - 35.0).abs() < 5.0,
            "{}",
            angle.to_degrees()
        );
    }
}

#[test]
fn bound_properties_hold_on_every_preset_and_covariance_type() {
    for name in PRESETS_2D {
        let p = preset_2d(name).unwrap();
        for ct in [
            CovarianceType::Full,
            CovarianceType::Diag,
            CovarianceType::Spherical,
        ] {
            let mut em = start(&p.data, p.suggested_k, ct, 11);
            assert_eq!(em.phase(), Phase::Init);
            assert!(em.gap() > 1.0, "{name} {ct:?}: gap at start {}", em.gap());
            let mut last_loglik = em.loglik();
            for it in 0..150 {
                em.e_step().unwrap();
                let tag = format!("{name} {ct:?} it {it}");
                assert!(
                    rel(em.lower_bound(), em.loglik()) < 1e-9,
                    "{tag}: L != l after E"
                );
                let bound_after_e = em.lower_bound();
                em.m_step().unwrap();
                let (l, b) = (em.loglik(), em.lower_bound());
                assert!(
                    b >= bound_after_e - 1e-9 * bound_after_e.abs(),
                    "{tag}: L fell"
                );
                assert!(b <= l + 1e-9 * l.abs(), "{tag}: L > l");
                assert!(l >= last_loglik - 1e-9 * last_loglik.abs(), "{tag}: l fell");
                last_loglik = l;
                for c in &em.params().covariances {
                    match ct {
                        CovarianceType::Full => assert_eq!(c[0][1], c[1][0], "{tag}"),
                        CovarianceType::Diag => assert_eq!((c[0][1], c[1][0]), (0.0, 0.0)),
                        CovarianceType::Spherical => {
                            assert_eq!((c[0][1], c[1][0]), (0.0, 0.0));
                            assert_eq!(c[0][0], c[1][1], "{tag}");
                        }
                    }
                }
            }
            assert!(em.loglik().is_finite());
        }
    }
}

#[test]
fn richer_covariances_fit_better_on_old_faithful() {
    let p = preset_2d("old-faithful").unwrap();
    let fit = |ct| {
        let model = Gmm2d::new(p.data.clone(), ct);
        let start = model.start_from_means(vec![[-1.0, -1.0], [1.0, 1.0]]);
        let mut em = Em::new(model, start, Options::default()).unwrap();
        em.run(2000).unwrap();
        em.loglik()
    };
    let (full, diag, sph) = (
        fit(CovarianceType::Full),
        fit(CovarianceType::Diag),
        fit(CovarianceType::Spherical),
    );
    // Standardising shifts ℓ by N ln(sd_x sd_y) = 272 ln(1.1392 · 13.5697) from the raw −1130.264.
    let (_, cov) = mean_covariance(&old_faithful_raw());
    let shift = 272.0 * 0.5 * (cov[0][0] * cov[1][1]).ln();
    assert!((full - (-1130.264 + shift)).abs() < 0.005, "{full}");
    assert!(full > diag && diag > sph, "{full} {diag} {sph}");
}

#[test]
fn one_component_gives_the_data_mean_and_covariance_plus_reg() {
    let data = [0.0, 0.0, 2.0, 0.0, 0.0, 4.0, 2.0, 4.0, 1.0, 2.0];
    let mut em = start(&data, 1, CovarianceType::Full, 1);
    em.step().unwrap();
    let (mean, cov) = mean_covariance(&data);
    assert_eq!(mean, [1.0, 2.0]);
    // Σ (x−1)² / 5 = 4/5, Σ (y−2)² / 5 = 16/5, Σ (x−1)(y−2) / 5 = 0.
    assert_eq!(cov, [[0.8, 0.0], [0.0, 3.2]]);
    let p = em.params();
    assert_eq!(p.weights, vec![1.0]);
    assert_eq!(p.means, vec![[1.0, 2.0]]);
    let c = p.covariances[0];
    assert!((c[0][0] - 0.800001).abs() < 1e-12 && (c[1][1] - 3.200001).abs() < 1e-12);
    assert!(c[0][1].abs() < 1e-15);
    // ℓ of one Gaussian at its MLE: −N (ln 2π + ½ ln det Σ + 1).
    let expected = -5.0 * ((2.0 * PI).ln() + 0.5 * (0.8f64 * 3.2).ln() + 1.0);
    assert!(
        rel(em.loglik(), expected) < 1e-6,
        "{} {expected}",
        em.loglik()
    );
}

#[test]
fn density_integrates_to_one_and_matches_the_closed_form() {
    let p = Gmm2dParams {
        weights: vec![0.3, 0.7],
        means: vec![[0.0, 0.0], [2.0, 1.0]],
        covariances: vec![[[1.0, 0.5], [0.5, 2.0]], [[0.5, -0.2], [-0.2, 0.3]]],
    };
    // N(μ | μ, Σ) = 1 / (2π √det Σ).
    let d = Gmm2d::component_density(&p, 0, 0.0, 0.0);
    assert!((d - 0.3 / (2.0 * PI * 1.75f64.sqrt())).abs() < 1e-15);
    let h = 0.02;
    let mut total = 0.0;
    for i in 0..700 {
        for j in 0..700 {
            let (x, y) = (-6.0 + h * i as f64, -6.0 + h * j as f64);
            total += Gmm2d::density(&p, x, y) * h * h;
        }
    }
    assert!((total - 1.0).abs() < 1e-4, "{total}");
}

#[test]
fn ellipse_gives_semi_axes_and_angle() {
    let (a, b, t) = ellipse(&[[4.0, 0.0], [0.0, 1.0]]);
    assert!((a - 2.0).abs() < 1e-12 && (b - 1.0).abs() < 1e-12 && t.abs() < 1e-12);
    let (a, b, t) = ellipse(&[[1.0, 0.0], [0.0, 9.0]]);
    assert!((a - 3.0).abs() < 1e-12 && (b - 1.0).abs() < 1e-12);
    assert!((t.abs() - PI / 2.0).abs() < 1e-12, "{t}");
    // Eigenvalues 3 and 1 along (1, 1) / √2.
    let (a, b, t) = ellipse(&[[2.0, 1.0], [1.0, 2.0]]);
    assert!((a - 3f64.sqrt()).abs() < 1e-12 && (b - 1.0).abs() < 1e-12);
    assert!((t - PI / 4.0).abs() < 1e-12, "{t}");
    let (_, _, t) = ellipse(&[[2.0, -1.0], [-1.0, 2.0]]);
    assert!((t + PI / 4.0).abs() < 1e-12, "{t}");
}

#[test]
fn free_coordinates_round_trip_and_lines_stay_valid() {
    let p = preset_2d("three-blobs").unwrap();
    let model = Gmm2d::new(p.data.clone(), CovarianceType::Full);
    let a = Gmm2dParams {
        weights: vec![0.2, 0.3, 0.5],
        means: vec![[0.0, 1.0], [2.0, -1.0], [5.0, 5.0]],
        covariances: vec![
            [[1.0, 0.9], [0.9, 1.0]],
            [[0.01, 0.0], [0.0, 100.0]],
            [[2.0, -1.0], [-1.0, 3.0]],
        ],
    };
    let b = Gmm2dParams {
        weights: vec![0.6, 0.3, 0.1],
        means: vec![[1.0, 1.0], [0.0, 0.0], [-3.0, 2.0]],
        covariances: vec![
            [[1.0, -0.99], [-0.99, 1.0]],
            [[5.0, 1.0], [1.0, 0.5]],
            [[0.3, 0.0], [0.0, 0.3]],
        ],
    };
    let (fa, fb) = (model.to_free(&a), model.to_free(&b));
    assert_eq!(fa.len(), 18);
    let back = model.from_free(&fa, &a);
    for k in 0..3 {
        assert!((back.weights[k] - a.weights[k]).abs() < 1e-15);
        assert_eq!(back.means[k], a.means[k]);
        for (x, y) in back.covariances[k]
            .iter()
            .flatten()
            .zip(a.covariances[k].iter().flatten())
        {
            assert!((x - y).abs() < 1e-12, "{x} {y}");
        }
    }
    for s in 0..=20 {
        let t = s as f64 / 20.0;
        let f: Vec<f64> = fa
            .iter()
            .zip(&fb)
            .map(|(x, y)| (1.0 - t) * x + t * y)
            .collect();
        let p = model.from_free(&f, &a);
        model
            .validate(&p)
            .unwrap_or_else(|e| panic!("t = {t}: {e}"));
    }
}

#[test]
fn validation_names_the_fault() {
    let mut em = start(&old_faithful_raw(), 2, CovarianceType::Full, 1);
    let before = em.params().clone();
    let with_cov = |c: [[f64; 2]; 2]| Gmm2dParams {
        weights: vec![0.5, 0.5],
        means: vec![[2.0, 55.0], [4.0, 80.0]],
        covariances: vec![[[1.0, 0.0], [0.0, 1.0]], c],
    };
    let cases = [
        (with_cov([[1.0, 0.5], [0.4, 1.0]]), "err-not-symmetric"),
        (with_cov([[1.0, 2.0], [2.0, 1.0]]), "err-not-pd"),
        (with_cov([[0.0, 0.0], [0.0, 1.0]]), "err-not-pd"),
        (with_cov([[-1.0, 0.0], [0.0, -1.0]]), "err-not-pd"),
        (
            with_cov([[1.0, f64::NAN], [f64::NAN, 1.0]]),
            "err-param-not-finite",
        ),
        (
            Gmm2dParams {
                weights: vec![0.5, 0.6],
                ..with_cov([[1.0, 0.0], [0.0, 1.0]])
            },
            "err-weights-sum",
        ),
        (
            Gmm2dParams {
                means: vec![[2.0, 55.0]],
                ..with_cov([[1.0, 0.0], [0.0, 1.0]])
            },
            "err-wrong-length",
        ),
        (
            Gmm2dParams {
                weights: vec![0.1; 11].into_iter().map(|w| w / 1.1).collect(),
                means: vec![[0.0, 0.0]; 11],
                covariances: vec![[[1.0, 0.0], [0.0, 1.0]]; 11],
            },
            "err-k-range",
        ),
    ];
    for (params, id) in cases {
        let err = em.set_params(params).unwrap_err();
        assert_eq!(err.id(), id, "{err}");
        assert_eq!(em.params(), &before);
    }
    let err = em
        .set_params(with_cov([[1.0, 2.0], [2.0, 1.0]]))
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotPositiveDefinite { component: 1 });
    assert_eq!(
        err.to_string(),
        "Covariance of component 2 is not positive definite."
    );
    // Rounding-level asymmetry is accepted.
    em.set_params(with_cov([[1.0, 0.5], [0.5 + 1e-15, 1.0]]))
        .unwrap();
    assert!(cholesky(&[[1.0, 1.0], [1.0, 1.0]]).is_none());
}

#[test]
fn a_component_on_one_point_is_reported_as_a_collapse() {
    // Twelve points in a loose cloud and one far away; reg = 0 lets a component shrink onto it.
    let mut data: Vec<f64> = emlab::core::sample::normals(&mut rng(3), 24, 0.0, 1.0);
    data.extend([10.0, 10.0]);
    let model = Gmm2d::new(data, CovarianceType::Full);
    let start = Gmm2dParams {
        weights: vec![0.9, 0.1],
        means: vec![[0.0, 0.0], [8.0, 8.0]],
        covariances: vec![[[1.0, 0.0], [0.0, 1.0]]; 2],
    };
    let mut em = Em::new(model, start, Options { reg: 0.0, tol: 0.0 }).unwrap();
    let mut result = Ok(());
    for _ in 0..100 {
        result = em.step();
        if result.is_err() {
            break;
        }
        assert!(em.loglik().is_finite());
    }
    let ErrorKind::Collapsed(c) = result.unwrap_err().kind else {
        panic!("expected a collapse");
    };
    assert_eq!((c.component, c.point), (1, 12));
    assert!(c.variance <= 1e-12 * 100.0);
    assert!(em.loglik().is_finite());
}

#[test]
fn an_empty_component_keeps_its_values() {
    let data = [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0];
    let model = Gmm2d::new(data.to_vec(), CovarianceType::Full);
    let far = [[1e-4, 0.0], [0.0, 1e-4]];
    let start = Gmm2dParams {
        weights: vec![0.5, 0.5],
        means: vec![[0.5, 0.5], [1e3, 1e3]],
        covariances: vec![[[1.0, 0.0], [0.0, 1.0]], far],
    };
    let mut em = Em::new(model, start, Options::default()).unwrap();
    em.step().unwrap();
    assert_eq!(em.empty_components(), &[1]);
    let p = em.params();
    assert_eq!(p.weights, vec![1.0, 0.0]);
    assert_eq!((p.means[1], p.covariances[1]), ([1e3, 1e3], far));
    assert!(em.loglik().is_finite() && em.lower_bound().is_finite());
}

/// No false collapse where the axes differ in scale: x in the tens of thousands, y in hundredths (the first
/// M-step said "collapsed onto data point 11 (variance 7.804e-6)"), nor near 1e150 ("variance −∞"). A real
/// collapse is still found (above, and `edit2d.rs`).
#[test]
fn axes_of_different_scales_are_no_collapse() {
    use emlab::core::lab::Lab;
    let scaled: String = (0..40)
        .map(|i| {
            format!(
                "{},{:.4}\n",
                50000 + 1000 * ((i * 7) % 13),
                0.001 * f64::from((i * 5) % 11)
            )
        })
        .collect();
    let mut lab = Lab::from_csv("gmm2d", &scaled, 2, 1, 0).unwrap();
    for _ in 0..20 {
        lab.step().unwrap();
        assert!(lab.collapse().is_none(), "{:?}", lab.collapse());
    }
    // Four points near 1e150 and K = 2: a component may rightly end on one point, but its message gives a
    // number, not −∞ (the variance's square overflowed).
    let huge = "1e150,1\n2e150,2\n3e150,3\n4e150,9\n";
    let mut lab = Lab::from_csv("gmm2d", huge, 2, 1, 0).unwrap();
    for _ in 0..20 {
        if let Err(e) = lab.step() {
            let text = e.to_string();
            assert!(!text.contains('∞') && !text.contains("NaN"), "{text}");
            break;
        }
    }
}

/// The smaller eigenvalue of a covariance whose axes differ by twelve orders of magnitude is the y variance,
/// not rounding noise.
#[test]
fn eigenvalues_keep_their_digits_across_scales() {
    use emlab::core::gmm2d::eigenvalues;
    let (big, small) = eigenvalues(&[[1.6e7, 0.0], [0.0, 1e-5]]);
    assert_eq!(big, 1.6e7);
    assert!((small - 1e-5).abs() < 1e-18, "{small}");
    let (big, small) = eigenvalues(&[[2.0, 1.0], [1.0, 2.0]]);
    assert!((big - 3.0).abs() < 1e-15 && (small - 1.0).abs() < 1e-15);
}
